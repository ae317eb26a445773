//! Structured content on the public site: a section lists the live
//! entries of its kinds with filters that work without JavaScript (the
//! Office's catalogue, Đ14.1; legal documents; the directory…), and each
//! entry has its page showing its fields in the declared order (a
//! procedure's twelve elements), its derived status, the entries that
//! refer to it, its files to download, a "submit online" link, the last
//! update, a print view and schema.org data. A field `x_en` is the English
//! version of `x` (Decree 42/2022 art. 7): the English edition shows it in
//! its place.

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

/// The kinds citizens use online: their pages offer a "submit online"
/// button and describe themselves as a `GovernmentService`.
const SERVICES: [&str; 3] = ["procedure", "online_service", "ivan_provider"];

/// The public paths of live entries, from the sections of both editions.
struct Paths(std::collections::HashMap<i32, content::entity::section::Model>);

impl Paths {
    fn load(state: &AppState) -> Paths {
        let mut all = std::collections::HashMap::new();
        for ed in [Lang::Vi, Lang::En] {
            for s in state.catalog.sections(ed).iter() {
                all.insert(s.id, s.clone());
            }
        }
        Paths(all)
    }

    fn of(&self, e: &content::entity::entry::Model) -> Option<String> {
        let s = self.0.get(&e.live_section_id?)?;
        let top = match s.parent_id {
            Some(p) => self.0.get(&p)?,
            None => s,
        };
        Some(content::entries::path_under(top, &e.slug))
    }
}

/// The newest live entries filed under `sections`, for a section's feed:
/// (title, path, kind's name and key, published, updated).
pub(crate) async fn recent(
    state: &AppState,
    ed: Lang,
    sections: &[i32],
    limit: u64,
) -> poem::Result<
    Vec<(
        String,
        String,
        String,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
    )>,
> {
    let paths = Paths::load(state);
    Ok(content::entries::live_recent(&state.db, sections, limit)
        .await
        .map_err(err)?
        .into_iter()
        .filter_map(|e| {
            let path = paths.of(&e)?;
            let kind = kinds::by_name(&e.kind)?;
            let about = match kind.key {
                Some(_) => format!("{} {}", ed.pick(kind.vi, kind.en), e.key),
                None => ed.pick(kind.vi, kind.en).to_owned(),
            };
            let published = e.published_at.unwrap_or(e.created_at);
            let updated = e.public_updated_at.unwrap_or(e.updated_at);
            Some((e.live_title.unwrap_or_default(), path, about, published, updated))
        })
        .collect())
}

/// The public path and last change of every live entry, for the sitemap.
pub(crate) async fn all_paths(
    state: &AppState,
) -> poem::Result<Vec<(String, chrono::DateTime<chrono::Utc>)>> {
    let paths = Paths::load(state);
    Ok(content::entries::live_rows(&state.db)
        .await
        .map_err(err)?
        .into_iter()
        .filter_map(|e| Some((paths.of(&e)?, e.public_updated_at.unwrap_or(e.updated_at))))
        .collect())
}

/// Entries per list page.
const PER_PAGE: u64 = 30;

/// The kinds a section lists, in order.
pub(crate) fn kinds_of(node: &Node) -> Vec<&'static Kind> {
    kinds::ALL
        .iter()
        .copied()
        .filter(|k| k.listed_on(&node.section.code))
        .collect()
}

/// The kinds whose entries have their pages under a top section: those
/// filed under it or one of its items.
pub(crate) fn kinds_under(node: &Node) -> Vec<&'static Kind> {
    kinds::ALL
        .iter()
        .copied()
        .filter(|k| {
            k.sections.contains(&node.section.code.as_str())
                || node
                    .children
                    .iter()
                    .any(|c| k.sections.contains(&c.section.code.as_str()))
        })
        .collect()
}

/// The fields an edition shows, each with the field whose value it shows:
/// on the English edition `x` shows the value of `x_en` when there is one;
/// `x_en` itself never shows on its own.
fn shown_fields(
    kind: &'static Kind,
    ed: Lang,
    data: &Map<String, Value>,
) -> Vec<(&'static Field, &'static Field)> {
    kind.fields
        .iter()
        .filter(|f| !f.name.ends_with("_en") && f.ty != FieldType::Section)
        .map(|f| {
            let en = (ed == Lang::En)
                .then(|| kind.field(&format!("{}_en", f.name)))
                .flatten()
                .filter(|e| data.contains_key(e.name));
            (f, en.unwrap_or(f))
        })
        .collect()
}

/// What the key of a kind's entries is called: a document's number
/// (`số`), else a code (`mã`).
fn key_label(kind: &Kind, ed: Lang) -> &'static str {
    let number = kind
        .key
        .and_then(|k| kind.field(k))
        .is_some_and(|f| f.ty == FieldType::Number);
    crate::public::i18n::text(ed, if number { "number" } else { "code" })
}

/// The title of an entry in an edition.
fn title_in(kind: &Kind, ed: Lang, data: &Map<String, Value>) -> String {
    let en = fields::text(data, &format!("{}_en", kind.title));
    if ed == Lang::En && !en.is_empty() {
        en.to_owned()
    } else {
        fields::text(data, kind.title).to_owned()
    }
}

/// The path of a live entry filed under `section`: under its top section
/// in the edition's tree.
fn entry_href(tree: &Tree, ed: Lang, section: Option<i32>, slug: &str) -> Option<String> {
    let (parent, node) = tree.find(section?)?;
    Some(format!(
        "{}/{slug}",
        Tree::path_of(ed, None, parent.unwrap_or(node))
    ))
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
    key_label: &'static str,
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

fn label_of(f: &Field, ed: Lang, value: &str) -> String {
    f.choice(value)
        .map_or_else(|| value.to_owned(), |c| ed.pick(c.vi, c.en).to_owned())
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
    ed: Lang,
    tree: &Tree,
    node: &Node,
    kind: &'static Kind,
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
    for f in kind.fields.iter().chain(kind.derived).filter(|f| f.filter) {
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
            label: ed.pick(f.vi, f.en),
            options: values
                .into_iter()
                .map(|v| Option_ {
                    selected: chosen.as_deref() == Some(v.as_str()),
                    label: label_of(f, ed, &v),
                    value: v,
                })
                .collect(),
        });
    }
    // A kind filed under this section (or its items) lists what is filed
    // there; a kind only listed here lists everything.
    let sections = if kind.sections.contains(&node.section.code.as_str()) {
        std::iter::once(node.section.id)
            .chain(node.children.iter().map(|c| c.section.id))
            .collect()
    } else {
        Vec::new()
    };
    let found = content::entries::live_page(
        &state.db,
        kind,
        &PublicFilter {
            sections,
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
            href: entry_href(tree, ed, l.section_id, &l.slug).unwrap_or_default(),
            badges: kind
                .derived
                .iter()
                .chain(kind.fields)
                .filter(|f| f.filter && matches!(f.ty, FieldType::Choice(_)))
                .filter_map(|f| {
                    l.facet(f.name).map(|v| Badge {
                        label: ed.pick(f.vi, f.en),
                        value: label_of(f, ed, v),
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
        key_label: key_label(kind, ed),
        id: kind.name,
        title: ed.pick(kind.vi, kind.en),
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

/// A unit on the organisation chart.
#[derive(Serialize)]
struct ChartUnit {
    title: String,
    href: Option<String>,
    phone: String,
}

/// A group of the chart (the leadership, the departments, …) in the
/// order of the directory's groups.
#[derive(Serialize)]
struct ChartGroup {
    label: &'static str,
    units: Vec<ChartUnit>,
}

/// The organisation chart (section 1 item "Cơ cấu tổ chức"; Decree
/// 42/2022/NĐ-CP art. 4, English in art. 7): the directory's live units
/// under the agency, by group and in their own order, in the edition's
/// language.
async fn org_chart(state: &AppState, ed: Lang, tree: &Tree) -> poem::Result<Vec<ChartGroup>> {
    let kind = &kinds::DIRECTORY_UNIT;
    let Some(FieldType::Choice(groups)) = kind.field("group").map(|f| f.ty) else {
        return Ok(Vec::new());
    };
    let mut rows = content::entries::live_all(&state.db, kind, None)
        .await
        .map_err(err)?;
    let order = |data: &Map<String, Value>| {
        fields::text(data, "order")
            .trim()
            .parse::<i64>()
            .unwrap_or(i64::MAX)
    };
    rows.sort_by(|(_, a), (_, b)| {
        order(a)
            .cmp(&order(b))
            .then_with(|| title_in(kind, ed, a).cmp(&title_in(kind, ed, b)))
    });
    Ok(groups
        .iter()
        .map(|g| ChartGroup {
            label: ed.pick(g.vi, g.en),
            units: rows
                .iter()
                .filter(|(_, data)| fields::text(data, "group") == g.value)
                .map(|(e, data)| ChartUnit {
                    title: title_in(kind, ed, data),
                    href: entry_href(tree, ed, e.live_section_id, &e.slug),
                    phone: fields::text(data, "phone").to_owned(),
                })
                .collect(),
        })
        .filter(|g| !g.units.is_empty())
        .collect())
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
    let parent = tree.find(node.section.id).and_then(|(p, _)| p);
    let path = Tree::path_of(ed, parent, node);
    let single = kinds.len() == 1;
    let mut groups = Vec::new();
    for kind in kinds {
        groups.push(group(state, req, ed, tree, node, kind, single).await?);
    }
    // Where the directory is listed but not filed (the organisation
    // pages), it is drawn as a chart above the list.
    let chart = if kinds.iter().any(|k| k.name == kinds::DIRECTORY_UNIT.name)
        && !kinds::DIRECTORY_UNIT
            .sections
            .contains(&node.section.code.as_str())
    {
        Some(org_chart(state, ed, tree).await?)
    } else {
        None
    };
    let name = node.section.name_in(ed).to_owned();
    let l = Layout {
        description: format!("{name} — {}", crate::public::i18n::text(ed, "portal")),
        current: parent.unwrap_or(node).slug(),
        breadcrumbs: trail(ed, parent, node, None),
        ..Layout::new(ed, name.clone(), path.clone())
    };
    let ctx = context! {
        section_name => name, groups => groups, single => single, path => path, chart => chart,
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
    /// Images of a file field, shown as figures with caption and credit.
    images: Vec<super::listing::CoverView>,
    /// Videos, played by the browser with the entry's poster and captions.
    videos: Vec<MediaRef>,
    poster: Option<String>,
    tracks: Vec<MediaRef>,
    people: Vec<PersonView>,
}

/// A file the page's player loads.
#[derive(Serialize)]
struct MediaRef {
    url: String,
    mime: String,
    lang: &'static str,
    label: String,
}

#[derive(Serialize)]
struct PersonView {
    name: String,
    title: String,
    phone: String,
    email: String,
}

#[derive(Serialize)]
struct LinkView {
    href: String,
    label: String,
}

#[derive(Serialize)]
struct FileView {
    url: String,
    downloads: i64,
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
    f: &'static Field,
    v: &Value,
) -> poem::Result<Option<FieldView>> {
    let mut view = FieldView {
        name: f.name,
        label: ed.pick(f.vi, f.en),
        html: None,
        text: None,
        lines: Vec::new(),
        links: Vec::new(),
        files: Vec::new(),
        images: Vec::new(),
        videos: Vec::new(),
        poster: None,
        tracks: Vec::new(),
        people: Vec::new(),
    };
    match (f.ty, v) {
        (FieldType::Markdown { .. }, Value::String(s)) => view.html = Some(content::markdown::to_html(s)),
        (FieldType::Choice(_), Value::String(s)) => view.text = Some(label_of(f, ed, s)),
        (FieldType::Date, Value::String(s)) => {
            view.text = Some(
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_else(|_| s.clone()),
            );
        }
        (FieldType::Moment, Value::String(s)) => {
            view.text = Some(
                chrono::DateTime::parse_from_rfc3339(s)
                    .map(|t| format_vn(t.with_timezone(&chrono::Utc)))
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
        (FieldType::Contacts { .. }, Value::Array(list)) => {
            view.people = list
                .iter()
                .filter_map(Value::as_object)
                .map(|o| {
                    let part = |p: &str| o.get(p).and_then(Value::as_str).unwrap_or_default().to_owned();
                    PersonView {
                        name: part("name"),
                        title: part("title"),
                        phone: part("phone"),
                        email: part("email"),
                    }
                })
                .collect();
        }
        (FieldType::Refs { kind }, Value::Array(list)) => {
            let Some(other) = kinds::by_name(kind) else {
                return Ok(None);
            };
            let keys: Vec<String> = list.iter().filter_map(Value::as_str).map(str::to_owned).collect();
            view.links = ref_links(
                state,
                other,
                content::entries::live_by_keys(&state.db, other, &keys)
                    .await
                    .map_err(err)?,
            )
            .await?;
        }
        (FieldType::Unit, Value::Number(n)) => {
            let id = n.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or(0);
            if let Ok(u) = content::units::get(&state.db, id).await {
                view.text = Some(ed.pick(u.name_vi, u.name_en));
            }
        }
        (FieldType::Files, Value::Array(ids)) => {
            for id in ids.iter().filter_map(Value::as_i64) {
                if let Ok(m) = content::media::get(&state.db, i32::try_from(id).unwrap_or(0)).await {
                    if let Some(image) = super::listing::cover_view(&m) {
                        view.images.push(image);
                        continue;
                    }
                    if m.kind == "video" {
                        view.videos.push(MediaRef {
                            url: m.url(),
                            mime: m.mime.clone(),
                            lang: "",
                            label: m.file_name.clone(),
                        });
                        continue;
                    }
                    if m.mime.starts_with("text/vtt") {
                        let english = m.file_name.contains(".en.")
                            || m.file_name.contains("-en.")
                            || m.file_name.contains("_en.");
                        view.tracks.push(MediaRef {
                            url: m.url(),
                            mime: m.mime.clone(),
                            lang: if english { "en" } else { "vi" },
                            label: if english { "English" } else { "Tiếng Việt" }.to_owned(),
                        });
                        continue;
                    }
                    view.files.push(FileView {
                        downloads: m.downloads,
                        url: m.url(),
                        kind: m.file_name.rsplit('.').next().unwrap_or("").to_ascii_uppercase(),
                        size: human_size(m.size),
                        name: m.file_name,
                    });
                }
            }
        }
        (FieldType::Section, _) => return Ok(None),
        (_, Value::String(s)) => view.text = Some(s.clone()),
        _ => return Ok(None),
    }
    let empty = view.html.is_none()
        && view.text.is_none()
        && view.lines.is_empty()
        && view.links.is_empty()
        && view.files.is_empty()
        && view.images.is_empty()
        && view.videos.is_empty()
        && view.tracks.is_empty()
        && view.people.is_empty();
    Ok((!empty).then_some(view))
}

/// Moves the captions and the poster of an entry into its video's
/// player, so they are not listed apart.
fn attach_to_player(shown: &mut Vec<FieldView>) {
    if !shown.iter().any(|v| !v.videos.is_empty()) {
        return;
    }
    let tracks: Vec<MediaRef> = shown.iter_mut().flat_map(|v| v.tracks.drain(..)).collect();
    let poster = shown
        .iter_mut()
        .find(|v| v.name == "poster")
        .and_then(|v| v.images.drain(..).next())
        .map(|i| i.src);
    if let Some(player) = shown.iter_mut().find(|v| !v.videos.is_empty()) {
        player.tracks = tracks;
        player.poster = poster;
    }
    shown.retain(|v| {
        !(v.html.is_none()
            && v.text.is_none()
            && v.lines.is_empty()
            && v.links.is_empty()
            && v.files.is_empty()
            && v.images.is_empty()
            && v.videos.is_empty()
            && v.people.is_empty())
    });
}

/// Links to live entries, with their key.
async fn ref_links(
    state: &AppState,
    kind: &Kind,
    found: Vec<content::entity::entry::Model>,
) -> poem::Result<Vec<LinkView>> {
    let mut links = Vec::new();
    for e in found {
        if let Some(href) = content::entries::public_path(&state.db, &e).await.map_err(err)? {
            let title = e.live_title.clone().unwrap_or_default();
            links.push(LinkView {
                href,
                label: if kind.key.is_some() {
                    format!("{} ({})", title, e.key)
                } else {
                    title
                },
            });
        }
    }
    Ok(links)
}

/// schema.org data of an entry: a `GovernmentService` for the Office's
/// catalogue, a `Legislation` for a legal document, nothing for the rest.
fn json_ld(state: &AppState, kind: &Kind, data: &Map<String, Value>, url: &str) -> Option<String> {
    let text = |n: &str| fields::text(data, n);
    let url = format!("{}{url}", state.config.base_url);
    let v = match kind.name {
        "legal_document" => {
            let mut v = serde_json::json!({
                "@context": "https://schema.org",
                "@type": "Legislation",
                "name": text(kind.title),
                "url": url,
                "legislationIdentifier": text("number"),
                "legislationDate": text("issued_on"),
                "inLanguage": "vi",
            });
            if !text("issuer").is_empty() {
                v["legislationPassedBy"] =
                    serde_json::json!({"@type": "GovernmentOrganization", "name": text("issuer")});
            }
            v
        }
        name if SERVICES.contains(&name) => {
            let mut v = serde_json::json!({
                "@context": "https://schema.org",
                "@type": "GovernmentService",
                "name": text(kind.title),
                "url": url,
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
            v
        }
        _ => return None,
    };
    // `</` cannot end the script element early.
    Some(v.to_string().replace("</", "<\\/"))
}

#[derive(Serialize)]
struct CommentView {
    name: String,
    organisation: Option<String>,
    clause: Option<String>,
    text: String,
    at: String,
    /// The attached file: its address and name.
    file: Option<(String, String)>,
}

/// A draft's consultation as its page shows it: the window, the days
/// left, how many comments came in and the published ones.
#[derive(Serialize)]
struct ConsultationView {
    status: String,
    open: bool,
    opens: String,
    closes: String,
    closes_iso: String,
    days_left: Option<i64>,
    received: u64,
    comments: Vec<CommentView>,
    comment_href: String,
}

async fn consultation(
    state: &AppState,
    ed: Lang,
    id: i32,
    data: &Map<String, Value>,
    path: &str,
) -> poem::Result<Option<ConsultationView>> {
    let Some((opens, closes)) = content::entries::clock::window(data) else {
        return Ok(None);
    };
    let now = content::time::now();
    let status = content::entries::clock::window_status(data, now);
    let (shown, received) = content::entries::comments::published(&state.db, id)
        .await
        .map_err(err)?;
    let label = kinds::CONSULTATION
        .derived
        .iter()
        .find(|f| f.name == "status")
        .map(|f| label_of(f, ed, status))
        .unwrap_or_default();
    Ok(Some(ConsultationView {
        status: label,
        open: status == "open",
        opens: format_vn(opens),
        closes: format_vn(closes),
        closes_iso: content::time::rfc3339_vn(closes),
        days_left: (status == "open")
            .then(|| (content::time::date_vn(closes) - content::time::date_vn(now)).num_days()),
        received,
        comments: shown
            .into_iter()
            .map(|c| CommentView {
                name: c.name,
                organisation: c.organisation,
                clause: c.clause,
                text: c.text,
                at: format_vn(c.created_at),
                file: c
                    .attachment_name
                    .map(|name| (format!("/consultation-files/{}", c.id), name)),
            })
            .collect(),
        comment_href: format!("{path}/{}", crate::public::i18n::text(ed, "comment_slug")),
    }))
}

/// The live entry of one of `kinds` at `slug` filed under the top
/// section `node` (or one of its items).
pub(crate) async fn find_live(
    state: &AppState,
    node: &Node,
    kinds: &[&'static Kind],
    slug: &str,
) -> poem::Result<Option<(&'static Kind, content::entity::entry::Model, Map<String, Value>)>> {
    for kind in kinds {
        let Some((e, data)) = content::entries::live(&state.db, kind, slug).await.map_err(err)? else {
            continue;
        };
        let under = e
            .live_section_id
            .is_some_and(|id| id == node.section.id || node.children.iter().any(|c| c.section.id == id));
        if under {
            return Ok(Some((kind, e, data)));
        }
    }
    Ok(None)
}

/// An entry's page, or `None` when `slug` is no live entry filed under
/// the top section `node`.
pub(crate) async fn entry(
    state: &AppState,
    req: &Request,
    ed: Lang,
    tree: &Tree,
    node: &Node,
    kinds: &[&'static Kind],
    slug: &str,
) -> poem::Result<Option<Rendered>> {
    let Some((kind, e, mut data)) = find_live(state, node, kinds, slug).await? else {
        return Ok(None);
    };
    let path = format!("{}/{}", Tree::path_of(ed, None, node), e.slug);
    let print = query(req, "print").is_some();
    let title = title_in(kind, ed, &data);
    let mut shown = Vec::new();
    for (name, value) in content::entries::clock::derived_now(&state.db, kind, &e.key, &data)
        .await
        .map_err(err)?
    {
        match kind.field(name) {
            Some(_) => {
                data.insert(name.to_owned(), Value::String(value));
            }
            None => {
                if let Some(f) = kind
                    .derived
                    .iter()
                    .find(|f| f.name == name && matches!(f.ty, FieldType::Choice(_)))
                    && let Some(view) = field_view(state, ed, f, &Value::String(value)).await?
                {
                    shown.push(view);
                }
            }
        }
    }
    for (f, source) in shown_fields(kind, ed, &data) {
        if f.name == kind.title {
            continue;
        }
        if let Some(v) = data.get(source.name)
            && let Some(mut view) = field_view(state, ed, source, v).await?
        {
            view.label = ed.pick(f.vi, f.en);
            view.name = f.name;
            shown.push(view);
        }
    }
    for inv in kind.inverses {
        let found = content::entries::referring(&state.db, kind, inv.of, &e.key)
            .await
            .map_err(err)?;
        if found.is_empty() {
            continue;
        }
        let links = ref_links(state, kind, found).await?;
        let joined = inv.joins.and_then(|j| shown.iter_mut().find(|v| v.name == j));
        match joined {
            Some(view) => {
                for l in links {
                    if !view.links.iter().any(|x| x.href == l.href) {
                        view.links.push(l);
                    }
                }
            }
            None => shown.push(FieldView {
                name: inv.of,
                label: ed.pick(inv.vi, inv.en),
                html: None,
                text: None,
                lines: Vec::new(),
                links,
                files: Vec::new(),
                images: Vec::new(),
                videos: Vec::new(),
                poster: None,
                tracks: Vec::new(),
                people: Vec::new(),
            }),
        }
    }
    attach_to_player(&mut shown);
    let online_url = ["online_url", "url", "service_url"]
        .iter()
        .map(|n| fields::text(&data, n))
        .find(|s| !s.is_empty())
        .filter(|_| fields::text(&data, "online_level") != "none")
        .filter(|_| SERVICES.contains(&kind.name))
        .map(str::to_owned);
    let consultation = match kind.clock {
        Some(kinds::Clock::Window) => consultation(state, ed, e.id, &data, &path).await?,
        _ => None,
    };
    let updated = e.public_updated_at.unwrap_or(e.updated_at);
    let kind_name = ed.pick(kind.vi, kind.en);
    let l = Layout {
        description: format!("{title} — {kind_name}"),
        current: node.slug(),
        breadcrumbs: trail(ed, None, node, Some(title.clone())),
        dc_date: updated,
        og_type: "article",
        print,
        ..Layout::new(ed, title.clone(), path.clone())
    };
    let ctx = context! {
        title => title, kind_name => kind_name, key => kind.key.map(|_| e.key.clone()), key_label => key_label(kind, ed),
        fields => shown, online_url => online_url, updated => format_vn(updated),
        updated_iso => content::time::rfc3339_vn(updated), json_ld => json_ld(state, kind, &data, &path),
        consultation => consultation, entry_lang => if ed == Lang::En && kind.fields.iter().any(|f| f.name.ends_with("_en")) { "en" } else { "vi" },
        ..layout(&state.config, tree, l)
    };
    Ok(Some(Rendered::Page(
        html(state, "catalogue_entry.html", 200, ctx, updated)?.viewing(content::views::Viewed::Entry, e.id),
    )))
}

/// The whole live catalogue of a kind as open data: `json` (an array of
/// objects with every field, the code and the public address) or `csv`
/// (one column per field, lists joined with `|`).
pub(crate) async fn open_data(
    state: &AppState,
    kind: &'static Kind,
    format: &str,
) -> poem::Result<Option<Page>> {
    let paths = Paths::load(state);
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
                            paths.of(e).unwrap_or_default()
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
                    paths.of(e).unwrap_or_default()
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
