//! The Office's catalogue on the public site (Vietnamese edition, Đ14.1):
//! a catalogue section lists the live entries of its kinds with filters
//! that work without JavaScript, and each entry has its page showing its
//! fields in the declared order (a procedure's twelve elements), its files
//! to download, a "submit online" link, the last update, a print view and
//! schema.org `GovernmentService` data.

use content::entries::fields::{self, Field, FieldType};
use content::entries::{Kind, PublicFilter, kinds};
use content::lang::Lang;
use content::time::format_vn;
use minijinja::context;
use poem::Request;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::forms::query;
use crate::public::cache::Page;
use crate::public::delivery::Rendered;
use crate::public::err;
use crate::public::layout::{Layout, html, layout, trail};
use content::sections::Node;

use crate::public::tree::Tree;
use crate::state::AppState;

/// Entries per list page.
const PER_PAGE: u64 = 30;

/// The kinds a section lists, in order.
pub(crate) fn kinds_of(node: &Node) -> Vec<&'static Kind> {
    kinds::ALL
        .iter()
        .copied()
        .filter(|k| k.section == node.section.code)
        .collect()
}

#[derive(Serialize)]
struct Option_ {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct FilterView {
    name: &'static str,
    label: &'static str,
    options: Vec<Option_>,
}

#[derive(Serialize)]
struct Badge {
    label: &'static str,
    value: String,
}

#[derive(Serialize)]
struct ItemView {
    href: String,
    title: String,
    key: Option<String>,
    badges: Vec<Badge>,
    updated: String,
}

#[derive(Serialize)]
struct GroupView {
    id: &'static str,
    title: &'static str,
    filters: Vec<FilterView>,
    words: String,
    items: Vec<ItemView>,
    total: u64,
    page: u64,
    pages: u64,
    /// The query string of the other filters, for the pager's links.
    query: String,
    open_data: String,
}

fn label_of(f: &Field, value: &str) -> String {
    f.choice(value)
        .map_or_else(|| value.to_owned(), |c| c.vi.to_owned())
}

/// The open-data path of a kind's catalogue, without the extension.
pub(crate) fn open_data_path(kind: &Kind) -> String {
    format!("/open-data/{}", kind.plural)
}

fn url_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn group(
    state: &AppState,
    req: &Request,
    kind: &'static Kind,
    path: &str,
    single: bool,
) -> poem::Result<GroupView> {
    let param = |name: &str| {
        if single {
            query(req, name)
        } else {
            query(req, &format!("{}.{name}", kind.name))
        }
    };
    let words = param("q").unwrap_or_default();
    let page: u64 = param("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let mut facets = Vec::new();
    let mut filters = Vec::new();
    let mut pairs = Vec::new();
    if !words.trim().is_empty() {
        pairs.push(("q".to_owned(), words.clone()));
    }
    for f in kind.fields.iter().filter(|f| f.filter) {
        let chosen = param(f.name).filter(|v| !v.is_empty());
        let values: Vec<String> = match f.ty {
            FieldType::Choice(list) => list.iter().map(|c| c.value.to_owned()).collect(),
            _ => content::entries::live_values(&state.db, kind, f.name)
                .await
                .map_err(err)?,
        };
        if let Some(v) = chosen.as_ref().filter(|v| values.contains(v)) {
            facets.push((f.name.to_owned(), v.clone()));
            pairs.push((f.name.to_owned(), v.clone()));
        }
        filters.push(FilterView {
            name: f.name,
            label: f.vi,
            options: values
                .into_iter()
                .map(|v| Option_ {
                    selected: chosen.as_deref() == Some(v.as_str()),
                    label: label_of(f, &v),
                    value: v,
                })
                .collect(),
        });
    }
    let found = content::entries::live_page(
        &state.db,
        kind,
        &PublicFilter {
            facets,
            words: Some(words.clone()),
            page,
            per_page: PER_PAGE,
        },
    )
    .await
    .map_err(err)?;
    let pages = found.total.div_ceil(PER_PAGE).max(1);
    let items = found
        .items
        .into_iter()
        .map(|l| ItemView {
            href: format!("{path}/{}", l.slug),
            badges: kind
                .fields
                .iter()
                .filter(|f| f.filter && matches!(f.ty, FieldType::Choice(_)))
                .filter_map(|f| {
                    l.facet(f.name).map(|v| Badge {
                        label: f.vi,
                        value: label_of(f, v),
                    })
                })
                .collect(),
            key: kind.key.map(|_| l.key.clone()),
            title: l.title,
            updated: format_vn(l.updated_at),
        })
        .collect();
    let prefix = if single {
        String::new()
    } else {
        format!("{}.", kind.name)
    };
    let query = pairs
        .iter()
        .map(|(k, v)| format!("{prefix}{k}={}", url_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Ok(GroupView {
        id: kind.name,
        title: kind.vi,
        filters,
        words,
        items,
        total: found.total,
        page,
        pages,
        query,
        open_data: open_data_path(kind),
    })
}

/// A catalogue section's page: each kind's live entries with filters.
pub(crate) async fn list(
    state: &AppState,
    req: &Request,
    ed: Lang,
    tree: &Tree,
    node: &Node,
    kinds: &[&'static Kind],
) -> poem::Result<Page> {
    let path = Tree::path_of(ed, None, node);
    let single = kinds.len() == 1;
    let mut groups = Vec::new();
    for kind in kinds {
        groups.push(group(state, req, kind, &path, single).await?);
    }
    let name = node.section.name_in(ed).to_owned();
    let l = Layout {
        description: format!("{name} — {}", crate::public::i18n::text(ed, "portal")),
        current: node.slug(),
        breadcrumbs: trail(ed, None, node, None),
        ..Layout::new(ed, name.clone(), path.clone())
    };
    let ctx = context! {
        section_name => name, groups => groups, single => single, path => path,
        ..layout(&state.config, tree, l)
    };
    html(state, "catalogue_list.html", 200, ctx, content::time::now())
}

#[derive(Serialize)]
struct FieldView {
    name: &'static str,
    label: &'static str,
    /// Sanitised HTML of Markdown fields.
    html: Option<String>,
    text: Option<String>,
    lines: Vec<String>,
    links: Vec<LinkView>,
    files: Vec<FileView>,
}

#[derive(Serialize)]
struct LinkView {
    href: String,
    label: String,
}

#[derive(Serialize)]
struct FileView {
    url: String,
    name: String,
    kind: String,
    size: String,
}

fn human_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} B"),
    }
}

async fn field_view(
    state: &AppState,
    ed: Lang,
    tree: &Tree,
    f: &'static Field,
    v: &Value,
) -> poem::Result<Option<FieldView>> {
    let mut view = FieldView {
        name: f.name,
        label: f.vi,
        html: None,
        text: None,
        lines: Vec::new(),
        links: Vec::new(),
        files: Vec::new(),
    };
    match (f.ty, v) {
        (FieldType::Markdown { .. }, Value::String(s)) => view.html = Some(content::markdown::to_html(s)),
        (FieldType::Choice(_), Value::String(s)) => view.text = Some(label_of(f, s)),
        (FieldType::Date, Value::String(s)) => {
            view.text = Some(
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_else(|_| s.clone()),
            );
        }
        (FieldType::Url, Value::String(s)) => view.links.push(LinkView {
            href: s.clone(),
            label: s.clone(),
        }),
        (FieldType::Lines { .. }, Value::Array(list)) => {
            view.lines = list.iter().filter_map(Value::as_str).map(str::to_owned).collect();
        }
        (FieldType::Refs { kind }, Value::Array(list)) => {
            let Some(other) = kinds::by_name(kind) else {
                return Ok(None);
            };
            let slug = tree
                .by_code(other.section)
                .map(|n| n.slug().to_owned())
                .unwrap_or_default();
            for key in list.iter().filter_map(Value::as_str) {
                if let Some(l) = content::entries::live_page(
                    &state.db,
                    other,
                    &PublicFilter {
                        words: Some(key.to_owned()),
                        page: 1,
                        per_page: 1,
                        ..Default::default()
                    },
                )
                .await
                .map_err(err)?
                .items
                .into_iter()
                .find(|l| l.key == key)
                {
                    view.links.push(LinkView {
                        href: format!("/{ed}/{slug}/{}", l.slug),
                        label: format!("{} ({key})", l.title),
                    });
                }
            }
        }
        (FieldType::Files, Value::Array(ids)) => {
            for id in ids.iter().filter_map(Value::as_i64) {
                if let Ok(m) = content::media::get(&state.db, i32::try_from(id).unwrap_or(0)).await {
                    view.files.push(FileView {
                        url: m.url(),
                        kind: m.file_name.rsplit('.').next().unwrap_or("").to_ascii_uppercase(),
                        size: human_size(m.size),
                        name: m.file_name,
                    });
                }
            }
        }
        (_, Value::String(s)) => view.text = Some(s.clone()),
        _ => return Ok(None),
    }
    let empty = view.html.is_none()
        && view.text.is_none()
        && view.lines.is_empty()
        && view.links.is_empty()
        && view.files.is_empty();
    Ok((!empty).then_some(view))
}

/// schema.org `GovernmentService` of an entry.
fn json_ld(state: &AppState, kind: &Kind, data: &Map<String, Value>, url: &str) -> String {
    let text = |n: &str| fields::text(data, n);
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": text(kind.title),
        "url": format!("{}{url}", state.config.base_url),
        "serviceType": kind.vi,
        "provider": {"@type": "GovernmentOrganization", "name": "Bảo hiểm xã hội Việt Nam"},
        "areaServed": {"@type": "Country", "name": "Việt Nam"},
    });
    let description = ["function", "result", "applicants"]
        .iter()
        .map(|n| content::markdown::to_plain_text(text(n)))
        .find(|s| !s.is_empty());
    if let Some(d) = description {
        v["description"] = Value::String(d.chars().take(500).collect());
    }
    let online = ["online_url", "url"]
        .iter()
        .map(|n| text(n))
        .find(|s| !s.is_empty());
    if let Some(u) = online {
        v["availableChannel"] = serde_json::json!({"@type": "ServiceChannel", "serviceUrl": u});
    }
    if let Some(code) = kind.key.map(text).filter(|c| !c.is_empty()) {
        v["identifier"] = Value::String(code.to_owned());
    }
    // `</` cannot end the script element early.
    v.to_string().replace("</", "<\\/")
}

/// An entry's page, or `None` when `slug` is no live entry of the section.
pub(crate) async fn entry(
    state: &AppState,
    req: &Request,
    ed: Lang,
    tree: &Tree,
    node: &Node,
    kinds: &[&'static Kind],
    slug: &str,
) -> poem::Result<Option<Rendered>> {
    for kind in kinds {
        let Some((e, data)) = content::entries::live(&state.db, kind, slug).await.map_err(err)? else {
            continue;
        };
        let path = format!("{}/{}", Tree::path_of(ed, None, node), e.slug);
        let print = query(req, "print").is_some();
        let title = fields::text(&data, kind.title).to_owned();
        let mut shown = Vec::new();
        for f in kind.fields.iter().filter(|f| f.name != kind.title) {
            if let Some(v) = data.get(f.name)
                && let Some(view) = field_view(state, ed, tree, f, v).await?
            {
                shown.push(view);
            }
        }
        let online_url = ["online_url", "url", "service_url"]
            .iter()
            .map(|n| fields::text(&data, n))
            .find(|s| !s.is_empty())
            .filter(|_| fields::text(&data, "online_level") != "none")
            .map(str::to_owned);
        let updated = e.public_updated_at.unwrap_or(e.updated_at);
        let l = Layout {
            description: format!("{title} — {}", kind.vi),
            current: node.slug(),
            breadcrumbs: trail(ed, None, node, Some(title.clone())),
            dc_date: updated,
            og_type: "article",
            print,
            ..Layout::new(ed, title.clone(), path.clone())
        };
        let ctx = context! {
            title => title, kind_name => kind.vi, key => kind.key.map(|_| e.key.clone()),
            fields => shown, online_url => online_url, updated => format_vn(updated),
            updated_iso => content::time::rfc3339_vn(updated), json_ld => json_ld(state, kind, &data, &path),
            ..layout(&state.config, tree, l)
        };
        return Ok(Some(Rendered::Page(html(
            state,
            "catalogue_entry.html",
            200,
            ctx,
            updated,
        )?)));
    }
    Ok(None)
}

/// The whole live catalogue of a kind as open data: `json` (an array of
/// objects with every field, the code and the public address) or `csv`
/// (one column per field, lists joined with `|`).
pub(crate) async fn open_data(
    state: &AppState,
    kind: &'static Kind,
    format: &str,
) -> poem::Result<Option<Page>> {
    let tree = Tree::load(state, Lang::Vi);
    let slug = tree
        .by_code(kind.section)
        .map(|n| n.slug().to_owned())
        .unwrap_or_default();
    let rows = content::entries::live_all(&state.db, kind, None)
        .await
        .map_err(err)?;
    let modified = rows
        .iter()
        .filter_map(|(e, _)| e.public_updated_at)
        .max()
        .unwrap_or_else(content::time::now);
    let page = match format {
        "json" => {
            let all: Vec<Value> = rows
                .iter()
                .map(|(e, data)| {
                    let mut m = data.clone();
                    m.insert(
                        "public_url".into(),
                        Value::String(format!(
                            "{}{}",
                            state.config.base_url,
                            content::entries::public_path(&slug, &e.slug)
                        )),
                    );
                    m.insert(
                        "updated_at".into(),
                        Value::String(content::time::rfc3339_vn(
                            e.public_updated_at.unwrap_or(e.updated_at),
                        )),
                    );
                    Value::Object(m)
                })
                .collect();
            Page::new(
                200,
                "application/json; charset=utf-8",
                Value::Array(all).to_string(),
                modified,
            )
        }
        "csv" => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let mut header: Vec<&str> = kind.fields.iter().map(|f| f.name).collect();
            header.extend(["public_url", "updated_at"]);
            w.write_record(&header)
                .map_err(|e| err(content::Error::invalid("csv", e.to_string())))?;
            for (e, data) in &rows {
                let mut row: Vec<String> = kind
                    .fields
                    .iter()
                    .map(|f| {
                        fields::shown(data.get(f.name)).replace(
                            '\n',
                            if matches!(f.ty, FieldType::Markdown { .. }) {
                                "\n"
                            } else {
                                "|"
                            },
                        )
                    })
                    .collect();
                row.push(format!(
                    "{}{}",
                    state.config.base_url,
                    content::entries::public_path(&slug, &e.slug)
                ));
                row.push(content::time::rfc3339_vn(
                    e.public_updated_at.unwrap_or(e.updated_at),
                ));
                w.write_record(&row)
                    .map_err(|e| err(content::Error::invalid("csv", e.to_string())))?;
            }
            let bytes = w
                .into_inner()
                .map_err(|e| err(content::Error::invalid("csv", e.to_string())))?;
            Page::new(
                200,
                "text/csv; charset=utf-8",
                String::from_utf8_lossy(&bytes).into_owned(),
                modified,
            )
        }
        _ => return Ok(None),
    };
    Ok(Some(page))
}

/// `/open-data/<kind>.<json|csv>`.
pub(crate) async fn open_data_page(state: &AppState, file: &str) -> poem::Result<Option<Page>> {
    let Some((name, format)) = file.rsplit_once('.') else {
        return Ok(None);
    };
    match kinds::ALL
        .iter()
        .find(|k| open_data_path(k) == format!("/open-data/{name}"))
    {
        Some(kind) => open_data(state, kind, format).await,
        None => Ok(None),
    }
}
