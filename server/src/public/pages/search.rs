//! The public search page (`/vi/tim-kiem`, `/en/search`): a form that works
//! without JavaScript, facets as links, highlighted snippets, pagination,
//! and help when nothing is found. Results are per visitor and per moment,
//! so the page is never cached.

use minijinja::{Value, context};
use poem::Request;
use serde::Serialize;

use crate::public::delivery::Rendered;
use crate::public::i18n;
use crate::public::layout::{Layout, home_and, html, layout};
use crate::public::tree::Tree;
use crate::search::{Params, SearchError};
use crate::state::AppState;
use content::lang::Lang;
use content::time::format_vn;

/// Kinds offered in the form, in this order; others still show as facets.
const KINDS: [&str; 8] = [
    "article",
    "legal_document",
    "qa",
    "procedure",
    "online_service",
    "consultation",
    "petition",
    "directory_unit",
];

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct FacetLink {
    label: String,
    count: u64,
    href: String,
    selected: bool,
}

#[derive(Serialize)]
struct FacetGroup {
    label: &'static str,
    values: Vec<FacetLink>,
}

#[derive(Serialize)]
struct HitItem {
    url: String,
    title_html: String,
    snippet: String,
    attachment: Option<String>,
    kind_label: String,
    section_name: Option<String>,
    date: String,
    iso: String,
}

fn kind_label(lang: Lang, kind: &str) -> String {
    let key = format!("kind_{kind}");
    match i18n::text(lang, &key) {
        label if label == key => content::entries::kinds::by_name(kind)
            .map_or_else(|| kind.to_owned(), |k| lang.pick(k.vi, k.en).to_owned()),
        label => label.to_owned(),
    }
}

/// The page's query string with some parameters changed (`None` removes
/// one); the page number is dropped unless set, since new filters start
/// over at page one.
fn href(base: &str, params: &Params, changes: &[(&str, Option<String>)]) -> String {
    let mut fields: Vec<(&str, Option<String>)> = vec![
        ("q", params.q.clone()),
        ("kind", params.kind.clone()),
        ("section", params.section.clone()),
        ("from", params.from.clone()),
        ("to", params.to.clone()),
        ("sort", params.sort.clone()),
        ("page", None),
    ];
    for (key, value) in changes {
        if let Some(field) = fields.iter_mut().find(|(k, _)| k == key) {
            field.1 = value.clone();
        }
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in fields {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            query.append_pair(key, &v);
        }
    }
    format!("{base}?{}", query.finish())
}

/// The search parameters of a page's address. The edition comes from the
/// path and the page size is the site's, whatever the address says.
fn params_of(req: &Request) -> Params {
    let mut p = Params::default();
    for (k, v) in form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes()) {
        if !matches!(k.as_ref(), "edition" | "per_page") {
            p.set(&k, v.into_owned());
        }
    }
    p
}

pub(crate) async fn page(state: &AppState, req: &Request, ed: Lang, tree: &Tree) -> poem::Result<Rendered> {
    let lang = ed;
    let other = ed.other();
    let slug = i18n::text(lang, "search_slug");
    let base = format!("/{lang}/{slug}");
    let mut params = params_of(req);
    params.edition = Some(lang.as_str().to_owned());
    let q = params.q.clone().unwrap_or_default();
    let title = if q.trim().is_empty() {
        i18n::text(lang, "search").to_owned()
    } else {
        format!("{}: {}", i18n::text(lang, "search"), q.trim())
    };
    let l = Layout {
        description: i18n::text(lang, "search_label").to_owned(),
        other_edition_url: format!("/{other}/{}", i18n::text(other, "search_slug")),
        current: "search",
        breadcrumbs: home_and(lang, "search"),
        ..Layout::new(ed, title, base.clone())
    };
    let kinds: Vec<Choice> = KINDS
        .iter()
        .map(|k| Choice {
            value: (*k).to_owned(),
            label: kind_label(lang, k),
            selected: params.kind.as_deref() == Some(*k),
        })
        .collect();
    let filtered = [&params.kind, &params.section, &params.from, &params.to]
        .iter()
        .any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()));
    let form = context! {
        action => base.clone(), q => q.trim(), kinds => kinds,
        from => as_typed_day(params.from.as_deref()), to => as_typed_day(params.to.as_deref()),
        sort => params.sort.clone().unwrap_or_default(), section => params.section.clone(),
        filtered => filtered,
        clear_href => href(&base, &params, &[("kind", None), ("section", None), ("from", None), ("to", None)]),
        ..layout(&state.config, tree, l)
    };
    let query = match params.to_query() {
        Ok(query) => query,
        Err(e) => {
            let key = match e.field {
                "to" if e.message.contains("before") => "search_bad_order",
                "from" | "to" => "search_bad_day",
                _ => "search_bad",
            };
            let error = i18n::text(lang, key).to_owned();
            let ctx = context! { error => error, ..form };
            return private(state, 400, ctx);
        }
    };
    let searched = !query.text.is_empty() || filtered;
    if !searched {
        return private(state, 200, form);
    }
    let answer = match state.search.query(&query).await {
        Ok(answer) => answer,
        Err(SearchError::NotReady) => {
            let ctx = context! { error => i18n::text(lang, "search_unavailable"), ..form };
            return private(state, 503, ctx);
        }
        Err(SearchError::Index(e)) => {
            tracing::error!(error = %e, "search failed");
            return Err(poem::Error::from_status(
                poem::http::StatusCode::INTERNAL_SERVER_ERROR,
            ));
        }
    };
    let names = state.catalog.section_names();
    let r = answer.results;
    let hits: Vec<HitItem> = r
        .hits
        .into_iter()
        .map(|h| HitItem {
            kind_label: kind_label(lang, &h.kind),
            section_name: names.get(&h.section).cloned(),
            url: h.url,
            title_html: h.title_html,
            snippet: h.snippet,
            attachment: h.attachment,
            date: format_vn(h.published_at),
            iso: h.published_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
        .collect();
    let facets = facet_groups(lang, &base, &params, &r.facets, &names);
    let pages = r.total.div_ceil(query.per_page).min(crate::search::MAX_PAGE);
    let page_href = |n: usize| href(&base, &params, &[("page", Some(n.to_string()))]);
    let similar = if r.total == 0 {
        state
            .search
            .suggest(&query.text, Some(lang.as_str()), 5)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let ask_href = tree
        .by_code(&format!("{lang}-06"))
        .map(|qa| format!("/{lang}/{}/{}", qa.slug(), i18n::text(lang, "ask_slug")));
    let ctx = context! {
        searched => true, total => r.total, fuzzy => r.fuzzy, hits => hits, facets => facets,
        corrected_href => r.corrected.as_ref().map(|c| href(&base, &params, &[("q", Some(c.clone()))])),
        corrected => r.corrected, left_out => r.left_out,
        page => query.page, pages => pages, first => (query.page - 1) * query.per_page + 1,
        prev_href => (query.page > 1).then(|| page_href(query.page - 1)),
        next_href => (query.page < pages).then(|| page_href(query.page + 1)),
        similar => similar, ask_href => ask_href,
        ..form
    };
    private(state, 200, ctx)
}

/// A day of the address as the form shows it back: dd/mm/yyyy when it
/// reads as a day, else what was typed.
fn as_typed_day(value: Option<&str>) -> String {
    let value = value.unwrap_or_default().trim();
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| value.to_owned())
}

fn facet_groups(
    lang: Lang,
    base: &str,
    params: &Params,
    facets: &search_index::Facets,
    names: &std::collections::HashMap<String, String>,
) -> Vec<FacetGroup> {
    let kind = facets
        .kind
        .iter()
        .map(|(k, n)| {
            let selected = params.kind.as_deref() == Some(k.as_str());
            FacetLink {
                label: kind_label(lang, k),
                count: *n,
                href: href(base, params, &[("kind", (!selected).then(|| k.clone()))]),
                selected,
            }
        })
        .collect();
    let section = facets
        .section
        .iter()
        .map(|(code, n)| FacetLink {
            label: names.get(code).cloned().unwrap_or_else(|| code.clone()),
            count: *n,
            href: href(base, params, &[("section", Some(code.clone()))]),
            selected: false,
        })
        .collect();
    let year = facets
        .year
        .iter()
        .map(|(y, n)| {
            let (from, to) = (format!("{y}-01-01"), format!("{y}-12-31"));
            let selected =
                params.from.as_deref() == Some(from.as_str()) && params.to.as_deref() == Some(to.as_str());
            let change = if selected {
                [None, None]
            } else {
                [Some(from), Some(to)]
            };
            let [from, to] = change;
            FacetLink {
                label: y.to_string(),
                count: *n,
                href: href(base, params, &[("from", from), ("to", to)]),
                selected,
            }
        })
        .collect();
    vec![
        FacetGroup {
            label: i18n::text(lang, "search_kind"),
            values: kind,
        },
        FacetGroup {
            label: i18n::text(lang, "search_section"),
            values: section,
        },
        FacetGroup {
            label: i18n::text(lang, "search_year"),
            values: year,
        },
    ]
}

fn private(state: &AppState, status: u16, ctx: Value) -> poem::Result<Rendered> {
    html(state, "search.html", status, ctx, content::time::now()).map(Rendered::Private)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_query_and_reset_the_page() {
        let params = Params {
            q: Some("bảo hiểm".into()),
            kind: Some("qa".into()),
            page: Some("3".into()),
            ..Params::default()
        };
        assert_eq!(
            href("/vi/tim-kiem", &params, &[("kind", None)]),
            "/vi/tim-kiem?q=b%E1%BA%A3o+hi%E1%BB%83m"
        );
        assert_eq!(
            href("/vi/tim-kiem", &params, &[("page", Some("2".into()))]),
            "/vi/tim-kiem?q=b%E1%BA%A3o+hi%E1%BB%83m&kind=qa&page=2"
        );
    }
}
