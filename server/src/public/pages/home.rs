//! The home page of an edition: the newest posts (the first three
//! featured with their covers), the most read of the last days and quick
//! links to what citizens look for.

use content::lang::Lang;
use minijinja::context;

use super::listing::items;
use crate::public::cache::Page;
use crate::public::i18n;
use crate::public::layout::{Layout, Link, html, layout};
use crate::public::tree::Tree;
use crate::state::AppState;

pub(crate) async fn page(state: &AppState, ed: Lang, tree: &Tree) -> poem::Result<Page> {
    let (latest, _) = state.catalog.latest(ed, None, 0, 13);
    let all = items(state, ed, &latest, true).await?;
    let (featured, rest): (Vec<_>, Vec<_>) = all.into_iter().enumerate().partition(|(i, _)| *i < 3);
    let featured: Vec<_> = featured.into_iter().map(|(_, p)| p).collect();
    let rest: Vec<_> = rest.into_iter().map(|(_, p)| p).collect();
    let most_read = items(state, ed, &most_read(state, ed).await?, false).await?;
    let quick_codes: &[(&str, &str)] = match ed {
        Lang::Vi => &[
            ("vi-06", "qa"),
            ("vi-12", "online_services"),
            ("vi-03", "legal_docs"),
        ],
        Lang::En => &[("en-06", "qa"), ("en-05", "legal_docs")],
    };
    let mut quick: Vec<Link> = quick_codes
        .iter()
        .filter_map(|(code, key)| {
            tree.by_code(code).map(|n| Link {
                href: format!("/{ed}/{}", n.slug()),
                label: i18n::text(ed, key).into(),
                current: false,
            })
        })
        .collect();
    if ed == Lang::En {
        quick.push(Link {
            href: tree.services_href.clone(),
            label: i18n::text(ed, "online_services").into(),
            current: false,
        });
    }
    quick.push(Link {
        href: format!("/{ed}/{}", i18n::text(ed, "search_slug")),
        label: i18n::text(ed, "search").into(),
        current: false,
    });
    let modified = latest
        .first()
        .map(|p| p.updated_at)
        .unwrap_or_else(content::time::now);
    let l = Layout {
        description: i18n::text(ed, "portal").to_owned(),
        current: "home",
        dc_date: modified,
        ..Layout::new(ed, i18n::text(ed, "home").to_owned(), format!("/{ed}/"))
    };
    let ctx = context! { featured => featured, latest => rest, most_read => most_read, quick => quick, ..layout(&state.config, tree, l) };
    html(state, "home.html", 200, ctx, modified)
}

/// How many days the most-read block looks back, and how many it shows.
const MOST_READ_DAYS: i64 = 30;
const MOST_READ: usize = 5;

/// The edition's live posts read most in the last [`MOST_READ_DAYS`],
/// from a list kept a minute (page views reach the database every ten
/// seconds anyway).
async fn most_read(state: &AppState, ed: Lang) -> poem::Result<Vec<std::sync::Arc<crate::catalog::Listing>>> {
    let ids = match state.most_read.get(&ed) {
        Some(ids) => ids,
        None => {
            let today = content::time::today_vn();
            let from = today - chrono::Duration::days(MOST_READ_DAYS - 1);
            // Other editions' and withdrawn posts are skipped: ask for more.
            let top = content::views::most_read(&state.db, content::views::Viewed::Post, from, today, 50)
                .await
                .map_err(crate::public::err)?;
            let ids = std::sync::Arc::new(top.into_iter().map(|t| t.item_id).collect::<Vec<_>>());
            state.most_read.insert(ed, ids.clone());
            ids
        }
    };
    Ok(ids
        .iter()
        .filter_map(|id| state.catalog.live(*id))
        .filter(|l| l.edition == ed)
        .take(MOST_READ)
        .collect())
}
