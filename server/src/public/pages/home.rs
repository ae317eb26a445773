//! The home page of an edition: the blocks an administrator chose, in
//! their order (`content::site::home`), each filled from the catalogue,
//! the Q&A or the page views. A block with nothing to show is left out
//! rather than shown empty.

use std::sync::Arc;

use content::lang::Lang;
use content::site::home::Block;
use minijinja::{Value, context};
use serde::Serialize;

use super::listing::{PostItem, items};
use crate::catalog::Listing;
use crate::public::cache::Page;
use crate::public::i18n;
use crate::public::layout::{Layout, Link, html, layout};
use crate::public::tree::Tree;
use crate::state::AppState;

/// The VssID app of Vietnam Social Security in the two stores.
const VSSID_ANDROID: &str = "https://play.google.com/store/apps/details?id=com.bhxhapp";
const VSSID_IOS: &str = "https://apps.apple.com/vn/app/vssid/id1521647025";
const GOVERNMENT_PORTAL: &str = "https://chinhphu.vn";
const PUBLIC_SERVICE_PORTAL: &str = "https://dichvucong.gov.vn";

/// A short entry of a list block (an answer, a document).
#[derive(Serialize)]
struct Entry {
    url: String,
    title: String,
    about: Option<String>,
    date: String,
    iso: String,
}

/// A block as the template draws it.
#[derive(Serialize)]
struct Shown {
    kind: &'static str,
    posts: Vec<PostItem>,
    entries: Vec<Entry>,
    links: Vec<Link>,
    /// Where the block's "see all" link goes, and the search form's action.
    more: Option<String>,
}

impl Shown {
    fn new(block: Block) -> Shown {
        Shown {
            kind: block.code(),
            posts: Vec::new(),
            entries: Vec::new(),
            links: Vec::new(),
            more: None,
        }
    }
}

pub(crate) async fn page(state: &AppState, ed: Lang, tree: &Tree) -> poem::Result<Page> {
    let home = state.catalog.home_layout(ed);
    let mut shown: Vec<Shown> = Vec::new();
    let mut featured_ids: Vec<i32> = Vec::new();
    let mut modified = None;
    for placed in &home.blocks {
        let n = usize::from(placed.items);
        let mut b = Shown::new(placed.block);
        match placed.block {
            Block::Featured => {
                let (latest, _) = state.catalog.latest(ed, None, 0, n);
                featured_ids = latest.iter().map(|l| l.id).collect();
                modified = modified.max(latest.first().map(|p| p.updated_at));
                b.posts = items(state, ed, &latest, true).await?;
            }
            Block::LatestNews => {
                let news = tree.by_code(&format!("{ed}-02"));
                let sections: Option<Vec<i32>> = news.map(|n| {
                    std::iter::once(n.section.id)
                        .chain(n.children.iter().map(|c| c.section.id))
                        .collect()
                });
                let (latest, _) = state
                    .catalog
                    .latest(ed, sections.as_deref(), 0, n + featured_ids.len());
                let latest: Vec<Arc<Listing>> = latest
                    .into_iter()
                    .filter(|l| !featured_ids.contains(&l.id))
                    .take(n)
                    .collect();
                modified = modified.max(latest.first().map(|p| p.updated_at));
                b.posts = items(state, ed, &latest, false).await?;
                b.more = news.map(|n| Tree::path_of(ed, None, n));
            }
            Block::LatestAnswers => {
                b.entries = super::qa::feed_entries(state, ed, None, tree, n as u64)
                    .await?
                    .into_iter()
                    .map(|e| Entry {
                        url: e.url.trim_start_matches(&state.config.base_url).to_owned(),
                        title: e.title,
                        about: None,
                        date: day(e.published),
                        iso: e.published.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    })
                    .collect();
                b.more = tree
                    .by_code(&format!("{ed}-06"))
                    .map(|n| Tree::path_of(ed, None, n));
            }
            Block::LatestDocuments => {
                let codes = ["vi-03", "vi-04", "en-05"];
                let sections: Vec<i32> = tree
                    .nodes
                    .iter()
                    .filter(|n| codes.contains(&n.section.code.as_str()))
                    .flat_map(|n| {
                        std::iter::once(n.section.id).chain(n.children.iter().map(|c| c.section.id))
                    })
                    .collect();
                if !sections.is_empty() {
                    b.entries = super::catalogue::recent(state, ed, &sections, n as u64)
                        .await?
                        .into_iter()
                        .map(|(title, url, about, published, _)| Entry {
                            url,
                            title,
                            about: Some(about),
                            date: day(published),
                            iso: published.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        })
                        .collect();
                }
                b.more = tree
                    .nodes
                    .iter()
                    .find(|n| codes.contains(&n.section.code.as_str()))
                    .map(|n| Tree::path_of(ed, None, n));
            }
            Block::Services => {
                let procedures = tree.by_code("vi-11");
                let services = tree.by_code("vi-12");
                if let Some(p) = procedures {
                    b.more = Some(Tree::path_of(ed, None, p));
                }
                b.links = [(procedures, "procedures"), (services, "online_services")]
                    .into_iter()
                    .filter_map(|(node, key)| {
                        node.map(|n| Link {
                            href: Tree::path_of(ed, None, n),
                            label: i18n::text(ed, key).to_owned(),
                            current: false,
                        })
                    })
                    .collect();
            }
            Block::MostRead => {
                let top = most_read(state, ed).await?;
                b.posts = items(state, ed, &top.into_iter().take(n).collect::<Vec<_>>(), false).await?;
            }
            Block::Hotline => {
                b.links = [(VSSID_ANDROID, "vssid_android"), (VSSID_IOS, "vssid_ios")]
                    .map(|(href, key)| external(ed, href, key))
                    .into();
            }
            Block::GovernmentLinks => {
                b.links = [
                    (GOVERNMENT_PORTAL, "government_portal"),
                    (PUBLIC_SERVICE_PORTAL, "public_service_portal"),
                ]
                .map(|(href, key)| external(ed, href, key))
                .into();
            }
        }
        let empty = b.posts.is_empty() && b.entries.is_empty() && b.links.is_empty();
        // With no story at all, the news block says so rather than leave
        // the page without news.
        let no_news_at_all = placed.block == Block::LatestNews && featured_ids.is_empty();
        if !empty || no_news_at_all {
            shown.push(b);
        }
    }
    let modified = modified.unwrap_or_else(content::time::now);
    let l = Layout {
        description: i18n::text(ed, "portal").to_owned(),
        current: "home",
        dc_date: modified,
        ..Layout::new(ed, i18n::text(ed, "home").to_owned(), format!("/{ed}/"))
    };
    let ctx = context! { blocks => Value::from_serialize(&shown), ..layout(&state.config, tree, l) };
    html(state, "home.html", 200, ctx, modified)
}

/// A link out of the portal, named by the text key `key`.
fn external(ed: Lang, href: &str, key: &str) -> Link {
    Link {
        href: href.to_owned(),
        label: i18n::text(ed, key).to_owned(),
        current: false,
    }
}

fn day(at: chrono::DateTime<chrono::Utc>) -> String {
    content::time::date_vn(at).format("%d/%m/%Y").to_string()
}

/// How many days the most-read block looks back, and most it can show.
const MOST_READ_DAYS: i64 = 30;
const MOST_READ_MAX: usize = 20;

/// The edition's live posts read most in the last [`MOST_READ_DAYS`],
/// from a list kept a minute (page views reach the database every ten
/// seconds anyway).
async fn most_read(state: &AppState, ed: Lang) -> poem::Result<Vec<Arc<Listing>>> {
    let ids = match state.most_read.get(&ed) {
        Some(ids) => ids,
        None => {
            let today = content::time::today_vn();
            let from = today - chrono::Duration::days(MOST_READ_DAYS - 1);
            // Other editions' and withdrawn posts are skipped: ask for more.
            let top = content::views::most_read(&state.db, content::views::Viewed::Post, from, today, 100)
                .await
                .map_err(crate::public::err)?;
            let ids = Arc::new(top.into_iter().map(|t| t.item_id).collect::<Vec<_>>());
            state.most_read.insert(ed, ids.clone());
            ids
        }
    };
    Ok(ids
        .iter()
        .filter_map(|id| state.catalog.live(*id))
        .filter(|l| l.edition == ed)
        .take(MOST_READ_MAX)
        .collect())
}
