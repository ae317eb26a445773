//! The public bilingual site: Vietnamese at `/vi/…`, English at `/en/…`.
//! Pages are server-rendered, need no JavaScript, carry Dublin Core and
//! Open Graph metadata, and are cached in process with ETag validation.

pub mod cache;
pub mod catalog;
mod feeds;
pub(crate) mod i18n;
mod qa;
mod search;
pub mod views;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use content::entity::section;
use content::posts::Author;
use content::sections::Edition;
use content::time::format_vn;
use minijinja::{Value, context};
use poem::http::{HeaderMap, StatusCode, header};
use poem::web::{Data, Path};
use poem::{IntoResponse, Request, Response, handler};
use sea_orm::EntityTrait;
use serde::Serialize;

use crate::state::AppState;
use cache::Page;
use catalog::{Listing, Lookup};

/// Posts per section page.
const PER_PAGE: u64 = 20;
/// Entries per feed.
const FEED_SIZE: u64 = 50;

/// The stylesheet's fingerprinted URL, so it can be cached for a year.
pub fn stylesheet_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        use sha2::{Digest, Sha256};
        let hash = hex::encode(Sha256::digest(views::STYLESHEET.as_bytes()));
        format!("/static/site.{}.css", &hash[..12])
    })
}

#[handler]
pub fn static_file(Path(file): Path<String>) -> Response {
    if format!("/static/{file}") != stylesheet_url() {
        return StatusCode::NOT_FOUND.into_response();
    }
    Response::builder()
        .content_type("text/css; charset=utf-8")
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .body(views::STYLESHEET)
}

/// `/`: the edition of the host name, else the reader's language.
#[handler]
pub fn root(state: Data<&AppState>, req: &Request) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().host())
        .unwrap_or("");
    let edition = state
        .config
        .edition_for_host(host)
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let accept = req
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            let first = accept.split(',').next().unwrap_or("").trim().to_ascii_lowercase();
            if first.starts_with("en") {
                "en".to_owned()
            } else {
                "vi".to_owned()
            }
        });
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, format!("/{edition}/"))
        .header(header::VARY, "Host, Accept-Language")
        .header(header::CACHE_CONTROL, "public, max-age=300")
        .finish()
}

/// `/sitemap.xml` for search engines: homes, sections and every live post.
#[handler]
pub async fn sitemap_xml(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let key = "/sitemap.xml".to_owned();
    if let Some(p) = state.pages.get(&key) {
        return Ok(respond(req.headers(), &p));
    }
    let base = &state.config.base_url;
    let mut urls: Vec<(String, Option<DateTime<Utc>>)> = Vec::new();
    for ed in [Edition::Vi, Edition::En] {
        urls.push((format!("{base}/{ed}/"), None));
        let tree = content::sections::tree(&state.db, ed, false).await.map_err(err)?;
        for n in &tree {
            let top = n.slug().to_owned();
            urls.push((format!("{base}/{ed}/{top}"), None));
            for c in &n.children {
                urls.push((format!("{base}/{ed}/{top}/{}", c.slug()), None));
            }
        }
        let slugs = section_slugs(&state, ed).await?;
        let (posts, _) = state.catalog.latest(ed.as_str(), None, 0, 50_000);
        for p in posts {
            let s = slugs.get(&p.section_id).cloned().unwrap_or_default();
            urls.push((format!("{base}/{ed}/{s}/{}", p.slug), Some(p.updated_at)));
        }
    }
    let page = Arc::new(Page::new(
        200,
        "application/xml; charset=utf-8",
        feeds::sitemap(&urls),
        content::time::now(),
    ));
    state.pages.put(key, page.clone());
    Ok(respond(req.headers(), &page))
}

fn err(e: content::Error) -> poem::Error {
    crate::problem::ApiError::from(e).into()
}

/// Sends a page meant for one visitor.
fn private(page: &Page) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(page.status).unwrap_or(StatusCode::OK))
        .content_type(page.content_type)
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(page.body.clone())
}

/// `POST /:edition/*rest`: the public forms (the Q&A ask form).
#[handler]
pub async fn public_form(
    state: Data<&AppState>,
    req: &Request,
    Path((edition, rest)): Path<(String, String)>,
    body: poem::Body,
) -> poem::Result<Response> {
    let Ok(ed) = edition.parse::<Edition>() else {
        return not_found(&state, req, "vi").await;
    };
    let lang = ed.as_str();
    let tree = Tree::load(&state, ed).await?;
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if let Some(qa) = tree.by_code(&format!("{lang}-06"))
        && segs == [qa.slug(), i18n::text(lang, "ask_slug")]
    {
        return match qa::submit(&state, req, ed, &tree, qa, body).await? {
            Rendered::Page(p) | Rendered::Private(p) => Ok(private(&p)),
            Rendered::Redirect(to) => Ok(Response::builder()
                .status(StatusCode::SEE_OTHER)
                .header(header::LOCATION, to)
                .finish()),
        };
    }
    Ok(StatusCode::METHOD_NOT_ALLOWED.into_response())
}

/// Sends a page, or 304 when the client's validators match.
fn respond(headers: &HeaderMap, page: &Page) -> Response {
    let inm = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    let ims = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v).ok());
    let last_modified = page.last_modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let not_modified = match (inm, ims) {
        (Some(tags), _) => tags.split(',').any(|t| t.trim() == page.etag || t.trim() == "*"),
        (None, Some(since)) => page.last_modified.timestamp() <= since.timestamp(),
        _ => false,
    };
    let cache_control = if page.status == 200 {
        "public, max-age=60, s-maxage=300, stale-while-revalidate=600"
    } else {
        "public, max-age=60"
    };
    let builder = Response::builder()
        .header(header::ETAG, page.etag.clone())
        .header(header::LAST_MODIFIED, last_modified)
        .header(header::CACHE_CONTROL, cache_control)
        .header(header::VARY, "Accept-Encoding");
    if not_modified && page.status == 200 {
        return builder.status(StatusCode::NOT_MODIFIED).finish();
    }
    builder
        .status(StatusCode::from_u16(page.status).unwrap_or(StatusCode::OK))
        .content_type(page.content_type)
        .body(page.body.clone())
}

/// `/:edition` and `/:edition/*rest`.
#[handler]
pub async fn edition_home(
    state: Data<&AppState>,
    req: &Request,
    Path(edition): Path<String>,
) -> poem::Result<Response> {
    if edition.parse::<Edition>().is_err() {
        return not_found(&state, req, "vi").await;
    }
    Ok(Response::builder()
        .status(StatusCode::MOVED_PERMANENTLY)
        .header(header::LOCATION, format!("/{edition}/"))
        .finish())
}

#[handler]
pub async fn public_page(
    state: Data<&AppState>,
    req: &Request,
    Path((edition, rest)): Path<(String, String)>,
) -> poem::Result<Response> {
    let Ok(ed) = edition.parse::<Edition>() else {
        return not_found(&state, req, "vi").await;
    };
    let key = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    if let Some(p) = state.pages.get(&key) {
        return Ok(respond(req.headers(), &p));
    }
    let page = render(&state, req, ed, &rest).await?;
    match page {
        Rendered::Page(p) => {
            let p = Arc::new(p);
            state.pages.put(key, p.clone());
            Ok(respond(req.headers(), &p))
        }
        Rendered::Private(p) => Ok(private(&p)),
        Rendered::Redirect(to) => Ok(Response::builder()
            .status(StatusCode::MOVED_PERMANENTLY)
            .header(header::LOCATION, to)
            .finish()),
    }
}

enum Rendered {
    Page(Page),
    /// A page for one visitor (it carries a form token or their data):
    /// never cached, here or by a CDN.
    Private(Page),
    Redirect(String),
}

async fn not_found(state: &AppState, req: &Request, lang: &str) -> poem::Result<Response> {
    let ed: Edition = lang.parse().unwrap_or(Edition::Vi);
    let page = error_page(state, req, ed, 404, "not_found", "not_found_text").await?;
    Ok(respond(req.headers(), &page))
}

/// The section tree of an edition with each section's slug path.
struct Tree {
    nodes: Vec<content::sections::Node>,
    /// The online public services section (Vietnamese section 12), which
    /// both editions' menus link to.
    services_href: String,
}

/// An edition's sections, from memory when the cache holds them.
async fn sections_of(state: &AppState, ed: Edition) -> poem::Result<Arc<Vec<section::Model>>> {
    if let Some(list) = state.pages.sections(ed.as_str()) {
        return Ok(list);
    }
    let list = Arc::new(content::sections::list(&state.db, ed).await.map_err(err)?);
    state.pages.put_sections(ed.as_str(), list.clone());
    Ok(list)
}

impl Tree {
    async fn load(state: &AppState, ed: Edition) -> poem::Result<Tree> {
        let nodes = content::sections::build_tree(sections_of(state, ed).await?.as_ref().clone(), false);
        let vi = if ed == Edition::Vi {
            None
        } else {
            Some(content::sections::build_tree(
                sections_of(state, Edition::Vi).await?.as_ref().clone(),
                false,
            ))
        };
        let services_href = vi
            .as_ref()
            .unwrap_or(&nodes)
            .iter()
            .find(|n| n.section.code == "vi-12")
            .map(|n| format!("/vi/{}", n.slug()))
            .unwrap_or_else(|| "/vi/".to_owned());
        Ok(Tree { nodes, services_href })
    }

    fn top(&self, slug: &str) -> Option<&content::sections::Node> {
        self.nodes.iter().find(|n| n.slug() == slug)
    }

    fn by_code(&self, code: &str) -> Option<&content::sections::Node> {
        self.nodes.iter().find(|n| n.section.code == code)
    }

    /// (parent, node) of a section id.
    fn find(&self, id: i32) -> Option<(Option<&content::sections::Node>, &content::sections::Node)> {
        for n in &self.nodes {
            if n.section.id == id {
                return Some((None, n));
            }
            if let Some(c) = n.children.iter().find(|c| c.section.id == id) {
                return Some((Some(n), c));
            }
        }
        None
    }
}

async fn section_slugs(
    state: &AppState,
    ed: Edition,
) -> poem::Result<std::collections::HashMap<i32, String>> {
    let all = sections_of(state, ed).await?;
    Ok(all
        .iter()
        .map(|s: &section::Model| {
            let slug = if s.edition == "en" {
                s.slug_en.clone()
            } else {
                s.slug_vi.clone()
            };
            (s.id, slug)
        })
        .collect())
}

/// Every section's name in its own edition's language, by code (search
/// results name their sections this way).
pub(crate) async fn section_names(
    state: &AppState,
) -> poem::Result<std::collections::HashMap<String, String>> {
    let mut names = std::collections::HashMap::new();
    for ed in [Edition::Vi, Edition::En] {
        for s in sections_of(state, ed).await?.iter() {
            names.insert(s.code.clone(), name_of(s, &s.edition));
        }
    }
    Ok(names)
}

fn name_of(s: &section::Model, lang: &str) -> String {
    if lang == "en" {
        s.name_en.clone()
    } else {
        s.name_vi.clone()
    }
}

#[derive(Serialize)]
struct Link {
    href: String,
    label: String,
    current: bool,
}

#[derive(Serialize)]
struct Crumb {
    href: Option<String>,
    label: String,
}

/// The trail of a page hanging from the home page: home, then the page
/// (text key `key`), not linked.
fn home_and(lang: &str, key: &str) -> Vec<Crumb> {
    vec![
        Crumb {
            href: Some(format!("/{lang}/")),
            label: i18n::text(lang, "home").into(),
        },
        Crumb {
            href: None,
            label: i18n::text(lang, key).into(),
        },
    ]
}

#[derive(Serialize)]
struct Alternate {
    lang: &'static str,
    href: String,
}

/// What every page's layout needs.
struct Layout<'a> {
    ed: Edition,
    title: String,
    description: String,
    path: String,
    other_edition_url: String,
    current: &'a str,
    breadcrumbs: Vec<Crumb>,
    dc_date: DateTime<Utc>,
    dc_creator: Option<String>,
    og_image: Option<String>,
    og_type: &'a str,
    print: bool,
}

fn layout(state: &AppState, tree: &Tree, l: Layout) -> Value {
    let lang = l.ed.as_str();
    let other = if l.ed == Edition::Vi { "en" } else { "vi" };
    let base = &state.config.base_url;
    let mut menu = Vec::new();
    if let Some(intro) = tree.by_code(&format!("{lang}-01")) {
        menu.push(Link {
            href: format!("/{lang}/{}", intro.slug()),
            label: i18n::text(lang, "introduction").to_owned(),
            current: l.current == intro.slug(),
        });
    }
    menu.push(Link {
        href: tree.services_href.clone(),
        label: i18n::text(lang, "online_services").to_owned(),
        current: false,
    });
    let footer = &state.config.footer;
    context! {
        lang => lang,
        other_lang => other,
        t => i18n::strings(lang),
        page_title => l.title,
        description => l.description,
        canonical => format!("{base}{}", l.path),
        alternates => vec![
            Alternate { lang, href: format!("{base}{}", l.path) },
            Alternate { lang: other, href: format!("{base}{}", l.other_edition_url) },
        ],
        other_edition_url => l.other_edition_url,
        base_url => base,
        stylesheet => stylesheet_url(),
        menu => menu,
        current => l.current,
        breadcrumbs => l.breadcrumbs,
        dc_date => l.dc_date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        dc_creator => l.dc_creator,
        og_image => l.og_image,
        og_type => l.og_type,
        print => l.print,
        footer => footer,
        footer_unit => if lang == "en" { &footer.unit_en } else { &footer.unit_vi },
        footer_address => if lang == "en" { &footer.address_en } else { &footer.address_vi },
    }
}

fn html(
    state: &AppState,
    template: &str,
    status: u16,
    ctx: Value,
    modified: DateTime<Utc>,
) -> poem::Result<Page> {
    let body = state.public_views.render(template, ctx).map_err(|e| {
        tracing::error!(template, error = %e, "public template failed");
        poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR)
    })?;
    Ok(Page::new(status, "text/html; charset=utf-8", body, modified))
}

async fn error_page(
    state: &AppState,
    _req: &Request,
    ed: Edition,
    status: u16,
    title: &str,
    text_key: &str,
) -> poem::Result<Page> {
    let tree = Tree::load(state, ed).await?;
    let lang = ed.as_str();
    let other = if ed == Edition::Vi { "/en/" } else { "/vi/" };
    let l = Layout {
        ed,
        title: i18n::text(lang, title).to_owned(),
        description: i18n::text(lang, text_key).to_owned(),
        path: format!("/{lang}/"),
        other_edition_url: other.to_owned(),
        current: "",
        breadcrumbs: Vec::new(),
        dc_date: content::time::now(),
        dc_creator: None,
        og_image: None,
        og_type: "website",
        print: false,
    };
    let ctx = context! { message => i18n::text(lang, text_key), ..layout(state, &tree, l) };
    html(state, "error.html", status, ctx, content::time::now())
}

#[derive(Serialize)]
struct CoverView {
    src: String,
    srcset: String,
    srcset_webp: String,
    alt: String,
    width: i32,
    height: i32,
    caption: Option<String>,
    credit: Option<String>,
}

fn cover_view(m: &content::entity::media::Model) -> Option<CoverView> {
    let (w, h) = (m.width?, m.height?);
    let format = crate::api::media::media_format(&m.mime)?;
    let plan = content::media::derivative_plan(w as u32, format);
    let own: Vec<_> = plan.iter().filter(|d| d.ext != "webp").collect();
    let webp: Vec<_> = plan.iter().filter(|d| d.ext == "webp").collect();
    let largest = own.last()?;
    let set = |ds: &[&content::media::Derivative]| {
        ds.iter()
            .map(|d| format!("/media/{}/{}.{} {}w", m.id, d.width, d.ext, d.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(CoverView {
        src: format!("/media/{}/{}.{}", m.id, largest.width, largest.ext),
        srcset: set(&own),
        srcset_webp: set(&webp),
        alt: m.alt.clone().unwrap_or_default(),
        width: largest.width as i32,
        height: (h as i64 * largest.width as i64 / w.max(1) as i64) as i32,
        caption: m.caption.clone(),
        credit: m.credit.clone(),
    })
}

#[derive(Serialize)]
struct PostItem {
    url: String,
    title: String,
    summary: String,
    date: String,
    iso: String,
    cover: Option<CoverView>,
}

async fn items(
    state: &AppState,
    ed: Edition,
    posts: &[Arc<Listing>],
    with_covers: bool,
) -> poem::Result<Vec<PostItem>> {
    let slugs = section_slugs(state, ed).await?;
    let mut out = Vec::new();
    for p in posts {
        let cover = match (with_covers, p.cover_media_id) {
            (true, Some(id)) => content::media::get(&state.db, id)
                .await
                .ok()
                .and_then(|m| cover_view(&m)),
            _ => None,
        };
        out.push(PostItem {
            url: format!(
                "/{}/{}/{}",
                ed,
                slugs.get(&p.section_id).cloned().unwrap_or_default(),
                p.slug
            ),
            title: p.title.clone(),
            summary: p.summary.clone(),
            date: format_vn(p.published_at),
            iso: p.published_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            cover,
        });
    }
    Ok(out)
}

fn query_param(req: &Request, key: &str) -> Option<String> {
    req.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    })
}

async fn render(state: &AppState, req: &Request, ed: Edition, rest: &str) -> poem::Result<Rendered> {
    let lang = ed.as_str();
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let tree = Tree::load(state, ed).await?;
    let other_home = if ed == Edition::Vi {
        "/en/".to_owned()
    } else {
        "/vi/".to_owned()
    };
    let now = content::time::now();
    if let (Some(first), Some(qa_node)) = (segs.first(), tree.by_code(&format!("{lang}-06")))
        && qa_node.slug() == *first
        && let Some(r) = qa::render(state, req, ed, &tree, qa_node, &segs[1..]).await?
    {
        return Ok(r);
    }
    match segs.as_slice() {
        [] => home(state, ed, &tree, other_home).await.map(Rendered::Page),
        ["rss.xml"] | ["atom.xml"] => feed(state, ed, None, segs[0], &tree).await.map(Rendered::Page),
        [s] if *s == i18n::text(lang, "sitemap_slug") => {
            let l = Layout {
                ed,
                title: i18n::text(lang, "sitemap").to_owned(),
                description: i18n::text(lang, "sitemap").to_owned(),
                path: format!("/{lang}/{s}"),
                other_edition_url: format!(
                    "/{}/{}",
                    if ed == Edition::Vi { "en" } else { "vi" },
                    i18n::text(if ed == Edition::Vi { "en" } else { "vi" }, "sitemap_slug")
                ),
                current: "sitemap",
                breadcrumbs: home_and(lang, "sitemap"),
                dc_date: now,
                dc_creator: None,
                og_image: None,
                og_type: "website",
                print: false,
            };
            let nodes: Vec<_> = tree
                .nodes
                .iter()
                .map(|n| {
                    let children: Vec<_> = n
                        .children
                        .iter()
                        .map(|c| context! { href => format!("/{lang}/{}/{}", n.slug(), c.slug()), label => name_of(&c.section, lang), children => Vec::<Value>::new() })
                        .collect();
                    context! { href => format!("/{lang}/{}", n.slug()), label => name_of(&n.section, lang), children => children }
                })
                .collect();
            let ctx = context! { tree => nodes, ..layout(state, &tree, l) };
            html(state, "sitemap.html", 200, ctx, now).map(Rendered::Page)
        }
        [s] if *s == i18n::text(lang, "search_slug") => search::page(state, req, ed, &tree).await,
        [s] if *s == i18n::text(lang, "contact_slug") => {
            let other = if ed == Edition::Vi { "en" } else { "vi" };
            let l = Layout {
                ed,
                title: i18n::text(lang, "contact").to_owned(),
                description: i18n::text(lang, "contact").to_owned(),
                path: format!("/{lang}/{s}"),
                other_edition_url: format!("/{other}/{}", i18n::text(other, "contact_slug")),
                current: "contact",
                breadcrumbs: home_and(lang, "contact"),
                dc_date: now,
                dc_creator: None,
                og_image: None,
                og_type: "website",
                print: false,
            };
            let ctx = layout(state, &tree, l);
            html(state, "contact.html", 200, ctx, now).map(Rendered::Page)
        }
        [top] => match tree.top(top) {
            Some(n) => section_page(state, req, ed, &tree, n.section.id)
                .await
                .map(Rendered::Page),
            None => error_page(state, req, ed, 404, "not_found", "not_found_text")
                .await
                .map(Rendered::Page),
        },
        [top, feed_name] if (*feed_name == "rss.xml" || *feed_name == "atom.xml") => match tree.top(top) {
            Some(n) => feed(state, ed, Some(n.section.id), feed_name, &tree)
                .await
                .map(Rendered::Page),
            None => error_page(state, req, ed, 404, "not_found", "not_found_text")
                .await
                .map(Rendered::Page),
        },
        [top, second] => {
            if let Some(item) = tree
                .top(top)
                .and_then(|n| n.children.iter().find(|c| c.slug() == *second))
            {
                return section_page(state, req, ed, &tree, item.section.id)
                    .await
                    .map(Rendered::Page);
            }
            article(state, req, ed, &tree, top, second).await
        }
        [top, item, feed_name] if (*feed_name == "rss.xml" || *feed_name == "atom.xml") => {
            match tree
                .top(top)
                .and_then(|n| n.children.iter().find(|c| c.slug() == *item))
            {
                Some(i) => feed(state, ed, Some(i.section.id), feed_name, &tree)
                    .await
                    .map(Rendered::Page),
                None => error_page(state, req, ed, 404, "not_found", "not_found_text")
                    .await
                    .map(Rendered::Page),
            }
        }
        _ => error_page(state, req, ed, 404, "not_found", "not_found_text")
            .await
            .map(Rendered::Page),
    }
}

async fn home(state: &AppState, ed: Edition, tree: &Tree, other_home: String) -> poem::Result<Page> {
    let lang = ed.as_str();
    let (latest, _) = state.catalog.latest(ed.as_str(), None, 0, 13);
    let all = items(state, ed, &latest, true).await?;
    let (featured, rest): (Vec<_>, Vec<_>) = all.into_iter().enumerate().partition(|(i, _)| *i < 3);
    let featured: Vec<_> = featured.into_iter().map(|(_, p)| p).collect();
    let rest: Vec<_> = rest.into_iter().map(|(_, p)| p).collect();
    let quick_codes: &[(&str, &str)] = if ed == Edition::Vi {
        &[
            ("vi-06", "qa"),
            ("vi-12", "online_services"),
            ("vi-03", "legal_docs"),
        ]
    } else {
        &[("en-06", "qa"), ("en-05", "legal_docs")]
    };
    let mut quick: Vec<Link> = quick_codes
        .iter()
        .filter_map(|(code, key)| {
            tree.by_code(code).map(|n| Link {
                href: format!("/{lang}/{}", n.slug()),
                label: i18n::text(lang, key).into(),
                current: false,
            })
        })
        .collect();
    if ed == Edition::En {
        quick.push(Link {
            href: tree.services_href.clone(),
            label: i18n::text(lang, "online_services").into(),
            current: false,
        });
    }
    quick.push(Link {
        href: format!("/{lang}/{}", i18n::text(lang, "search_slug")),
        label: i18n::text(lang, "search").into(),
        current: false,
    });
    let modified = latest
        .first()
        .map(|p| p.updated_at)
        .unwrap_or_else(content::time::now);
    let l = Layout {
        ed,
        title: i18n::text(lang, "home").to_owned(),
        description: i18n::text(lang, "portal").to_owned(),
        path: format!("/{lang}/"),
        other_edition_url: other_home,
        current: "home",
        breadcrumbs: Vec::new(),
        dc_date: modified,
        dc_creator: None,
        og_image: None,
        og_type: "website",
        print: false,
    };
    let ctx = context! { featured => featured, latest => rest, quick => quick, ..layout(state, tree, l) };
    html(state, "home.html", 200, ctx, modified)
}

async fn section_page(
    state: &AppState,
    req: &Request,
    ed: Edition,
    tree: &Tree,
    id: i32,
) -> poem::Result<Page> {
    let lang = ed.as_str();
    let Some((parent, node)) = tree.find(id) else {
        return error_page(state, req, ed, 404, "not_found", "not_found_text").await;
    };
    let mut ids = vec![node.section.id];
    ids.extend(node.children.iter().map(|c| c.section.id));
    let page: u64 = query_param(req, "page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let (posts, total) = state.catalog.latest(
        ed.as_str(),
        Some(&ids),
        ((page - 1) * PER_PAGE) as usize,
        PER_PAGE as usize,
    );
    let total = total as u64;
    let pages = total.div_ceil(PER_PAGE).max(1);
    if page > pages {
        return error_page(state, req, ed, 404, "not_found", "not_found_text").await;
    }
    let path = match parent {
        Some(p) => format!("/{lang}/{}/{}", p.slug(), node.slug()),
        None => format!("/{lang}/{}", node.slug()),
    };
    let other = if ed == Edition::Vi {
        Edition::En
    } else {
        Edition::Vi
    };
    let mut crumbs = vec![Crumb {
        href: Some(format!("/{lang}/")),
        label: i18n::text(lang, "home").into(),
    }];
    if let Some(p) = parent {
        crumbs.push(Crumb {
            href: Some(format!("/{lang}/{}", p.slug())),
            label: name_of(&p.section, lang),
        });
    }
    crumbs.push(Crumb {
        href: None,
        label: name_of(&node.section, lang),
    });
    let child_links: Vec<Link> = node
        .children
        .iter()
        .map(|c| Link {
            href: format!("{path}/{}", c.slug()),
            label: name_of(&c.section, lang),
            current: false,
        })
        .collect();
    let modified = posts
        .first()
        .map(|p| p.updated_at)
        .unwrap_or(node.section.updated_at);
    let top_slug = parent.map(|p| p.slug()).unwrap_or(node.slug()).to_owned();
    let l = Layout {
        ed,
        title: name_of(&node.section, lang),
        description: format!(
            "{} — {}",
            name_of(&node.section, lang),
            i18n::text(lang, "portal")
        ),
        path: if page > 1 {
            format!("{path}?page={page}")
        } else {
            path.clone()
        },
        other_edition_url: format!("/{}/", other.as_str()),
        current: &top_slug,
        breadcrumbs: crumbs,
        dc_date: modified,
        dc_creator: None,
        og_image: None,
        og_type: "website",
        print: false,
    };
    let list = items(state, ed, &posts, false).await?;
    let ctx = context! {
        section_name => name_of(&node.section, lang), items => child_links, posts => list,
        page => page, pages => pages, feed_base => path, ..layout(state, tree, l)
    };
    html(state, "section.html", 200, ctx, modified)
}

fn human_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} B"),
    }
}

async fn article(
    state: &AppState,
    req: &Request,
    ed: Edition,
    tree: &Tree,
    section_slug: &str,
    slug: &str,
) -> poem::Result<Rendered> {
    let lang = ed.as_str();
    let listing = match state.catalog.by_slug(lang, slug) {
        Lookup::Live(l) => l,
        Lookup::Gone => {
            return error_page(state, req, ed, 410, "gone", "gone_text")
                .await
                .map(Rendered::Page);
        }
        Lookup::Missing => {
            return error_page(state, req, ed, 404, "not_found", "not_found_text")
                .await
                .map(Rendered::Page);
        }
    };
    let Some((parent, node)) = tree.find(listing.section_id) else {
        return error_page(state, req, ed, 404, "not_found", "not_found_text")
            .await
            .map(Rendered::Page);
    };
    if node.slug() != section_slug {
        return Ok(Rendered::Redirect(format!(
            "/{lang}/{}/{}",
            node.slug(),
            listing.slug
        )));
    }
    let Some(revision) = content::entity::revision::Entity::find_by_id(listing.live_revision_id)
        .one(&state.db)
        .await
        .map_err(|e| err(e.into()))?
    else {
        return error_page(state, req, ed, 404, "not_found", "not_found_text")
            .await
            .map(Rendered::Page);
    };
    let path = format!("/{lang}/{}/{}", node.slug(), listing.slug);
    let other = if ed == Edition::Vi {
        Edition::En
    } else {
        Edition::Vi
    };
    let other_url = match state.catalog.translation(&listing) {
        Some(t) => {
            let slugs = section_slugs(state, other).await?;
            format!(
                "/{}/{}/{}",
                other.as_str(),
                slugs.get(&t.section_id).cloned().unwrap_or_default(),
                t.slug
            )
        }
        None => format!("/{}/", other.as_str()),
    };
    let attached: Vec<i32> = serde_json::from_str(&revision.attachments).unwrap_or_default();
    let media = if attached.is_empty() && revision.cover_media_id.is_none() {
        Vec::new()
    } else {
        content::posts::media_of(&state.db, &revision)
            .await
            .map_err(err)?
    };
    let cover = revision
        .cover_media_id
        .and_then(|c| media.iter().find(|m| m.id == c))
        .and_then(cover_view);
    let attachments: Vec<Value> = attached
        .into_iter()
        .filter_map(|a| media.iter().find(|m| m.id == a))
        .map(|m| {
            let kind = m.file_name.rsplit('.').next().unwrap_or("").to_ascii_uppercase();
            context! { url => format!("/media/{}/original", m.id), name => m.file_name.clone(), kind => kind, size => human_size(m.size) }
        })
        .collect();
    let post_authors: Vec<Author> = serde_json::from_str(&revision.authors).unwrap_or_default();
    let tags: Vec<String> = serde_json::from_str(&revision.tags).unwrap_or_default();
    let mut authors = Vec::new();
    for a in post_authors {
        match a {
            Author::Name { name } => authors.push(name),
            Author::User { user_id } => {
                if let Ok(acc) = content::accounts::get(&state.db, user_id).await {
                    authors.push(acc.user.display_name);
                }
            }
        }
    }
    let related = state.catalog.related(&listing, 5);
    let related = items(state, ed, &related, false).await?;
    let published_at = listing.published_at;
    let updated_at = listing.updated_at;
    let mut crumbs = vec![Crumb {
        href: Some(format!("/{lang}/")),
        label: i18n::text(lang, "home").into(),
    }];
    if let Some(p) = parent {
        crumbs.push(Crumb {
            href: Some(format!("/{lang}/{}", p.slug())),
            label: name_of(&p.section, lang),
        });
        crumbs.push(Crumb {
            href: Some(format!("/{lang}/{}/{}", p.slug(), node.slug())),
            label: name_of(&node.section, lang),
        });
    } else {
        crumbs.push(Crumb {
            href: Some(format!("/{lang}/{}", node.slug())),
            label: name_of(&node.section, lang),
        });
    }
    crumbs.push(Crumb {
        href: None,
        label: revision.title.clone(),
    });
    let print = query_param(req, "print").is_some();
    let top_slug = parent.map(|p| p.slug()).unwrap_or(node.slug()).to_owned();
    let description = if revision.summary.is_empty() {
        revision.title.clone()
    } else {
        revision.summary.clone()
    };
    let l = Layout {
        ed,
        title: revision.title.clone(),
        description,
        path,
        other_edition_url: other_url,
        current: &top_slug,
        breadcrumbs: crumbs,
        dc_date: published_at,
        dc_creator: (!authors.is_empty()).then(|| authors.join(", ")),
        og_image: cover
            .as_ref()
            .map(|c| format!("{}{}", state.config.base_url, c.src)),
        og_type: "article",
        print,
    };
    let updated = (updated_at - published_at).num_minutes() > 0;
    let ctx = context! {
        title => revision.title.clone(),
        summary => revision.summary.clone(),
        body_html => content::markdown::to_html(&revision.body),
        cover => cover,
        attachments => attachments,
        authors => authors.join(", "),
        source => revision.source.clone(),
        source_url => revision.source_url.clone(),
        tags => tags,
        published => format_vn(published_at),
        published_iso => published_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        updated => updated.then(|| format_vn(updated_at)),
        updated_iso => updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        related => related,
        ..layout(state, tree, l)
    };
    html(state, "article.html", 200, ctx, updated_at).map(Rendered::Page)
}

async fn feed(
    state: &AppState,
    ed: Edition,
    section: Option<i32>,
    kind: &str,
    tree: &Tree,
) -> poem::Result<Page> {
    let lang = ed.as_str();
    let base = &state.config.base_url;
    let (ids, title, link) = match section.and_then(|id| tree.find(id)) {
        Some((parent, node)) => {
            let mut ids = vec![node.section.id];
            ids.extend(node.children.iter().map(|c| c.section.id));
            let path = match parent {
                Some(p) => format!("/{lang}/{}/{}", p.slug(), node.slug()),
                None => format!("/{lang}/{}", node.slug()),
            };
            (
                Some(ids),
                format!(
                    "{} — {}",
                    name_of(&node.section, lang),
                    i18n::text(lang, "portal")
                ),
                path,
            )
        }
        None => (None, i18n::text(lang, "portal").to_owned(), format!("/{lang}")),
    };
    let (posts, _) = state
        .catalog
        .latest(ed.as_str(), ids.as_deref(), 0, FEED_SIZE as usize);
    let list = items(state, ed, &posts, false).await?;
    let entries: Vec<feeds::Entry> = posts
        .iter()
        .zip(list)
        .map(|(p, i)| {
            let published = p.published_at;
            feeds::Entry {
                title: i.title,
                url: format!("{base}{}", i.url),
                summary: i.summary,
                published,
                updated: p.updated_at,
                author: None,
            }
        })
        .collect();
    let self_url = format!("{base}{link}/{kind}");
    let link = format!("{base}{link}/");
    let modified = entries
        .first()
        .map(|e| e.updated)
        .unwrap_or_else(content::time::now);
    let (body, ct) = if kind == "rss.xml" {
        (
            feeds::rss(&title, &link, &self_url, lang, &entries),
            "application/rss+xml; charset=utf-8",
        )
    } else {
        (
            feeds::atom(
                &title,
                &link,
                &self_url,
                lang,
                i18n::text(lang, "agency"),
                &entries,
            ),
            "application/atom+xml; charset=utf-8",
        )
    };
    Ok(Page::new(200, ct, body, modified))
}
