//! A section or item page: its newest posts, paged, with links to its
//! items and its feeds.

use content::lang::Lang;
use minijinja::context;
use poem::Request;

use super::listing::items;
use crate::forms::query;
use crate::public::cache::Page;
use crate::public::i18n;
use crate::public::layout::{Layout, Link, html, layout, not_found, trail};
use crate::public::tree::Tree;
use crate::state::AppState;

/// Posts per section page.
const PER_PAGE: u64 = 20;

pub(crate) async fn page(
    state: &AppState,
    req: &Request,
    ed: Lang,
    tree: &Tree,
    id: i32,
) -> poem::Result<Page> {
    let Some((parent, node)) = tree.find(id) else {
        return not_found(state, ed).await;
    };
    let mut ids = vec![node.section.id];
    ids.extend(node.children.iter().map(|c| c.section.id));
    let page: u64 = query(req, "page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let (posts, total) = state.catalog.latest(
        ed,
        Some(&ids),
        ((page - 1) * PER_PAGE) as usize,
        PER_PAGE as usize,
    );
    let pages = (total as u64).div_ceil(PER_PAGE).max(1);
    if page > pages {
        return not_found(state, ed).await;
    }
    let path = Tree::path_of(ed, parent, node);
    let name = node.section.name_in(ed).to_owned();
    let child_links: Vec<Link> = node
        .children
        .iter()
        .map(|c| Link {
            href: format!("{path}/{}", c.slug()),
            label: c.section.name_in(ed).to_owned(),
            current: false,
        })
        .collect();
    let modified = posts
        .first()
        .map(|p| p.updated_at)
        .unwrap_or(node.section.updated_at);
    let top_slug = parent.map(|p| p.slug()).unwrap_or(node.slug()).to_owned();
    let l = Layout {
        description: format!("{name} — {}", i18n::text(ed, "portal")),
        current: &top_slug,
        breadcrumbs: trail(ed, parent, node, None),
        dc_date: modified,
        ..Layout::new(
            ed,
            name.clone(),
            if page > 1 {
                format!("{path}?page={page}")
            } else {
                path.clone()
            },
        )
    };
    let list = items(state, ed, &posts, false).await?;
    let ctx = context! {
        section_name => name, items => child_links, posts => list,
        page => page, pages => pages, feed_base => path, ..layout(&state.config, tree, l)
    };
    html(state, "section.html", 200, ctx, modified)
}
