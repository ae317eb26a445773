//! RSS 2.0 and Atom feeds of an edition or a section: its newest posts,
//! in a section the newest entries filed there too (legal documents,
//! drafts for comment), and the newest published answers (of every
//! channel in the Vietnamese edition's feed, of a Q&A section or
//! category in its own).

use content::lang::Lang;

use super::listing::items;
use crate::public::cache::Page;
use crate::public::tree::Tree;
use crate::public::{feeds, i18n};
use crate::state::AppState;

/// Entries per feed.
const FEED_SIZE: usize = 50;

/// `kind` is `rss.xml` or `atom.xml`.
pub(crate) async fn page(
    state: &AppState,
    ed: Lang,
    section: Option<i32>,
    kind: &str,
    tree: &Tree,
) -> poem::Result<Page> {
    let base = &state.config.base_url;
    let (ids, title, link) = match section.and_then(|id| tree.find(id)) {
        Some((parent, node)) => {
            let mut ids = vec![node.section.id];
            ids.extend(node.children.iter().map(|c| c.section.id));
            (
                Some(ids),
                format!("{} — {}", node.section.name_in(ed), i18n::text(ed, "portal")),
                Tree::path_of(ed, parent, node),
            )
        }
        None => (None, i18n::text(ed, "portal").to_owned(), format!("/{ed}")),
    };
    let (posts, _) = state.catalog.latest(ed, ids.as_deref(), 0, FEED_SIZE);
    let list = items(state, ed, &posts, false).await?;
    let mut entries: Vec<feeds::Entry> = posts
        .iter()
        .zip(list)
        .map(|(p, i)| feeds::Entry {
            title: i.title,
            url: format!("{base}{}", i.url),
            summary: i.summary,
            published: p.published_at,
            updated: p.updated_at,
            author: None,
        })
        .collect();
    if let Some(ids) = &ids {
        for (title, path, about, published, updated) in
            super::catalogue::recent(state, ed, ids, FEED_SIZE as u64).await?
        {
            entries.push(feeds::Entry {
                title,
                url: format!("{base}{path}"),
                summary: about,
                published,
                updated,
                author: None,
            });
        }
        entries.sort_by_key(|e| std::cmp::Reverse(e.published));
        entries.truncate(FEED_SIZE);
    }
    let answers = super::qa::feed_entries(state, ed, section, tree, FEED_SIZE as u64).await?;
    if !answers.is_empty() {
        entries.extend(answers);
        entries.sort_by_key(|e| std::cmp::Reverse(e.published));
        entries.truncate(FEED_SIZE);
    }
    let self_url = format!("{base}{link}/{kind}");
    let link = format!("{base}{link}/");
    let modified = entries
        .first()
        .map(|e| e.updated)
        .unwrap_or_else(content::time::now);
    let (body, ct) = if kind == "rss.xml" {
        (
            feeds::rss(&title, &link, &self_url, ed, &entries),
            "application/rss+xml; charset=utf-8",
        )
    } else {
        (
            feeds::atom(&title, &link, &self_url, ed, i18n::text(ed, "agency"), &entries),
            "application/atom+xml; charset=utf-8",
        )
    };
    Ok(Page::new(200, ct, body, modified))
}
