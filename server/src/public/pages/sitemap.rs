//! The sitemap: the page of the section tree for readers (Thông tư
//! 22/2023 asks every portal for one) and `/sitemap.xml` for search engines.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use content::lang::Lang;
use minijinja::{Value, context};
use poem::web::{Data, Path};
use poem::{IntoResponse, Request, Response, handler};

use crate::public::cache::Page;
use crate::public::delivery::respond;
use crate::public::layout::{Layout, home_and, html, layout};
use crate::public::tree::{Tree, section_slugs};
use crate::public::{feeds, i18n};
use crate::state::AppState;

/// The sitemap page of an edition.
pub(crate) fn page(state: &AppState, ed: Lang, tree: &Tree) -> poem::Result<Page> {
    let other = ed.other();
    let l = Layout {
        other_edition_url: format!("/{other}/{}", i18n::text(other, "sitemap_slug")),
        current: "sitemap",
        breadcrumbs: home_and(ed, "sitemap"),
        ..Layout::new(
            ed,
            i18n::text(ed, "sitemap").to_owned(),
            format!("/{ed}/{}", i18n::text(ed, "sitemap_slug")),
        )
    };
    let nodes: Vec<_> = tree
        .nodes
        .iter()
        .map(|n| {
            let children: Vec<_> = n
                .children
                .iter()
                .map(|c| context! { href => Tree::path_of(ed, Some(n), c), label => c.section.name_in(ed), children => Vec::<Value>::new() })
                .collect();
            context! { href => Tree::path_of(ed, None, n), label => n.section.name_in(ed), children => children }
        })
        .collect();
    let ctx = context! { tree => nodes, ..layout(&state.config, tree, l) };
    html(state, "sitemap.html", 200, ctx, content::time::now())
}

/// Every public URL with its last change when known: homes, sections,
/// every live post, every published answer and every live entry
/// (procedures, documents, drafts, the directory…).
async fn all_urls(state: &AppState) -> poem::Result<Vec<(String, Option<DateTime<Utc>>)>> {
    let base = &state.config.base_url;
    let mut urls: Vec<(String, Option<DateTime<Utc>>)> = Vec::new();
    for ed in Lang::ALL {
        urls.push((format!("{base}/{ed}/"), None));
        let tree = Tree::load(state, ed);
        for n in &tree.nodes {
            urls.push((format!("{base}{}", Tree::path_of(ed, None, n)), None));
            for c in &n.children {
                urls.push((format!("{base}{}", Tree::path_of(ed, Some(n), c)), None));
            }
        }
        let slugs = section_slugs(state, ed);
        let (posts, _) = state.catalog.latest(ed, None, 0, usize::MAX);
        for p in posts {
            let s = slugs.get(&p.section_id).map(String::as_str).unwrap_or_default();
            urls.push((format!("{base}/{ed}/{s}/{}", p.slug), Some(p.updated_at)));
        }
    }
    // Published answers and petitions (Vietnamese edition, where they are asked).
    let vi_tree = Tree::load(state, Lang::Vi);
    for channel in [
        content::questions::Channel::Question,
        content::questions::Channel::Petition,
    ] {
        let Some(qa) = vi_tree.by_code(channel.section()) else {
            continue;
        };
        let items = content::questions::published(&state.db, channel, None, 10_000_000)
            .await
            .map_err(crate::public::err)?;
        for q in items {
            let path = content::questions::published::public_path(Lang::Vi, qa.slug(), q.id);
            urls.push((format!("{base}{path}"), None));
        }
    }
    for (path, at) in super::catalogue::all_paths(state).await? {
        urls.push((format!("{base}{path}"), Some(at)));
    }
    Ok(urls)
}

/// Serves a sitemap document from the page cache, building it on a miss;
/// `None` from `build` is a 404.
async fn cached(
    state: &AppState,
    req: &Request,
    key: String,
    build: impl AsyncFnOnce(Vec<(String, Option<DateTime<Utc>>)>, usize) -> Option<String>,
) -> poem::Result<Response> {
    if let Some(p) = state.pages.get(&key) {
        return Ok(respond(req.headers(), &p));
    }
    let epoch = state.pages.epoch();
    let urls = all_urls(state).await?;
    let Some(xml) = build(urls, state.config.sitemap_max_urls).await else {
        return Ok(poem::http::StatusCode::NOT_FOUND.into_response());
    };
    let page = Arc::new(Page::new(
        200,
        "application/xml; charset=utf-8",
        xml,
        content::time::now(),
    ));
    state.pages.put(key, page.clone(), epoch);
    Ok(respond(req.headers(), &page))
}

/// `/sitemap.xml` for search engines: every public URL, or, past
/// `sitemap_max_urls` (50,000 by the sitemaps protocol), an index of
/// `/sitemaps/N.xml` parts holding that many each.
#[handler]
pub async fn sitemap_xml(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let base = state.config.base_url.clone();
    cached(&state, req, "/sitemap.xml".to_owned(), async move |urls, max| {
        if urls.len() <= max {
            return Some(feeds::sitemap(&urls));
        }
        let parts: Vec<(String, Option<DateTime<Utc>>)> = urls
            .chunks(max)
            .enumerate()
            .map(|(i, chunk)| {
                let newest = chunk.iter().filter_map(|(_, at)| *at).max();
                (format!("{base}/sitemaps/{}.xml", i + 1), newest)
            })
            .collect();
        Some(feeds::sitemap_index(&parts))
    })
    .await
}

/// `/sitemaps/N.xml`: the N-th part of a sitemap too long for one file.
#[handler]
pub async fn sitemap_part(
    state: Data<&AppState>,
    req: &Request,
    Path(file): Path<String>,
) -> poem::Result<Response> {
    let n: Option<usize> = file
        .strip_suffix(".xml")
        .and_then(|n| n.parse().ok())
        .filter(|n| *n >= 1);
    let Some(n) = n else {
        return Ok(poem::http::StatusCode::NOT_FOUND.into_response());
    };
    cached(
        &state,
        req,
        format!("/sitemaps/{n}.xml"),
        async move |urls, max| {
            if urls.len() <= max {
                return None;
            }
            urls.chunks(max).nth(n - 1).map(feeds::sitemap)
        },
    )
    .await
}
