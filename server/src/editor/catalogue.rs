//! The Office's screens for the catalogue (Đ7.2d, Đ14): for every kind of
//! structured content, a list with filters and states, an edit form for
//! every declared field with a preview, versions and diffs, the approval
//! actions, and an import with its report. The form follows the kind's
//! declaration, so a new kind needs no new screen.

use content::accounts::Caller;
use content::entries::fields::{Field, FieldType};
use content::entries::{self, Full, Kind, ListFilter, kinds};
use content::lang::Lang;
use content::roles::Role;
use content::time::format_vn;
use content::workflow::{Action, State};
use editor_ui::text;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};
use serde::Serialize;
use serde_json::{Map, Value};

use super::posts::state_label;
use super::session::{Page, checked_form, db_err, redirect, with_roles};
use crate::auth::actor;
use crate::forms::{Form, query};
use crate::state::AppState;

/// Who opens the structured content screens: the Office's editors (the
/// catalogue), the units and the Communication Centre (documents, drafts,
/// the directory…), administrators and the board (who read); each kind
/// then admits its own editors and the board.
pub(super) const READERS: [Role; 8] = [
    Role::ProceduresEditor,
    Role::Contributor,
    Role::Editor,
    Role::Admin,
    Role::BoardHead,
    Role::BoardDeputyStanding,
    Role::BoardDeputy,
    Role::BoardMember,
];

/// The path of the first kind `roles` may read, for the menu.
pub(super) fn first_readable(roles: &content::roles::RoleSet) -> Option<String> {
    kinds::ALL
        .iter()
        .find(|k| k.may_read(roles))
        .map(|k| format!("/editor/catalogue/{}", k.plural))
}

/// The kind at `/editor/catalogue/<plural>`.
fn kind_at(plural: &str) -> Option<&'static Kind> {
    kinds::ALL.iter().copied().find(|k| k.plural == plural)
}

macro_rules! reader_or_return {
    ($state:expr, $req:expr, $plural:expr) => {{
        let (p, caller) = match with_roles($state, $req, &READERS).await? {
            Ok(x) => x,
            Err(r) => return Ok(r),
        };
        let Some(kind) = kind_at($plural) else {
            return p.message($state, $req, StatusCode::NOT_FOUND, "not_found").await;
        };
        if !kind.may_read(&caller.account.roles) {
            return p.message($state, $req, StatusCode::FORBIDDEN, "forbidden").await;
        }
        (p, caller, kind)
    }};
}

fn label(f: &Field, lang: Lang) -> &'static str {
    lang.pick(f.vi, f.en)
}

fn kind_label(kind: &Kind, lang: Lang) -> &'static str {
    lang.pick(kind.vi, kind.en)
}

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
    selected: bool,
}

/// One field of the form: its input and current value.
#[derive(Serialize)]
struct FieldInput {
    name: &'static str,
    label: &'static str,
    /// `line`, `code`, `markdown`, `choice`, `date`, `url`, `files`, `lines`, `refs`.
    input: &'static str,
    required: bool,
    value: String,
    options: Vec<OptionView>,
    max: usize,
}

fn input_of(f: &Field) -> (&'static str, usize) {
    match f.ty {
        FieldType::Line { max } => ("line", max),
        FieldType::Code => ("code", 50),
        FieldType::Markdown { max } => ("markdown", max),
        FieldType::Choice(_) => ("choice", 0),
        FieldType::Date => ("date", 10),
        FieldType::Url => ("url", 500),
        FieldType::Files => ("files", 0),
        FieldType::Lines { max, .. } => ("lines", max),
        FieldType::Refs { .. } => ("refs", 0),
        FieldType::Number => ("code", 50),
        FieldType::Moment => ("datetime", 0),
        FieldType::Contacts { .. } => ("contacts", 0),
        FieldType::Section | FieldType::Unit => ("choice", 0),
    }
}

/// Options of a select: (value, label).
type Options = Vec<(String, String)>;

/// What a form's Section and Unit fields offer: the kind's sections and
/// every unit.
async fn places(state: &AppState, kind: &Kind, lang: Lang) -> poem::Result<(Options, Options)> {
    let mut sections = Vec::new();
    for code in kind.sections {
        if let Some(s) = content::sections::by_code(&state.db, code)
            .await
            .map_err(db_err)?
        {
            let name = s.name_in(lang).to_owned();
            let label = match s.parent_id {
                Some(p) => format!(
                    "{} › {name}",
                    content::sections::get(&state.db, p)
                        .await
                        .map_err(db_err)?
                        .name_in(lang)
                ),
                None => name,
            };
            let edition = lang.pick(
                s.lang().pick("Tiếng Việt", "Tiếng Anh"),
                s.lang().pick("Vietnamese", "English"),
            );
            sections.push((s.id.to_string(), format!("{label} ({edition})")));
        }
    }
    let units = content::units::list(&state.db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id.to_string(), lang.pick(u.name_vi, u.name_en)))
        .collect();
    Ok((sections, units))
}

/// A stored instant as a `datetime-local` value, in Vietnam time.
fn local_time(s: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| content::time::local_input_vn(t.with_timezone(&chrono::Utc)))
        .unwrap_or_default()
}

/// A stored value as the form shows it.
fn form_value(f: &Field, v: Option<&Value>) -> String {
    match (f.ty, v) {
        (FieldType::Files, Some(Value::Array(ids))) => {
            ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
        }
        (FieldType::Moment, Some(Value::String(s))) => local_time(s),
        _ => entries::fields::shown(v),
    }
}

fn inputs(
    kind: &Kind,
    lang: Lang,
    data: &Map<String, Value>,
    draft: Option<&Form>,
    places: &(Options, Options),
) -> Vec<FieldInput> {
    kind.fields
        .iter()
        .map(|f| {
            let (input, max) = input_of(f);
            let value = draft
                .and_then(|d| d.get(f.name))
                .map(str::to_owned)
                .unwrap_or_else(|| form_value(f, data.get(f.name)));
            let listed = |opts: &[(String, String)]| {
                opts.iter()
                    .map(|(v, l)| OptionView {
                        value: v.clone(),
                        label: l.clone(),
                        selected: *v == value,
                    })
                    .collect()
            };
            let options = match f.ty {
                FieldType::Choice(choices) => choices
                    .iter()
                    .map(|c| OptionView {
                        value: c.value.to_owned(),
                        label: lang.pick(c.vi, c.en).to_owned(),
                        selected: c.value == value,
                    })
                    .collect(),
                FieldType::Section => listed(&places.0),
                FieldType::Unit => listed(&places.1),
                _ => Vec::new(),
            };
            FieldInput {
                name: f.name,
                label: label(f, lang),
                input,
                required: f.required,
                value,
                options,
                max,
            }
        })
        .collect()
}

/// The posted form as a kind's fields.
fn data_from(kind: &Kind, form: &Form) -> Map<String, Value> {
    let mut m = Map::new();
    for f in kind.fields {
        let raw = form.get(f.name).unwrap_or_default().replace("\r\n", "\n");
        let v = match f.ty {
            FieldType::Files => Value::Array(
                raw.split([',', ' ', '\n'])
                    .filter_map(|s| s.trim().parse::<i64>().ok())
                    .map(Value::from)
                    .collect(),
            ),
            FieldType::Lines { .. } | FieldType::Refs { .. } => Value::Array(
                raw.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_owned()))
                    .collect(),
            ),
            FieldType::Contacts { .. } => Value::Array(
                raw.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| {
                        let mut person = Map::new();
                        for (part, v) in entries::fields::CONTACT_PARTS.iter().zip(l.split('|')) {
                            person.insert((*part).to_owned(), Value::String(v.trim().to_owned()));
                        }
                        Value::Object(person)
                    })
                    .collect(),
            ),
            FieldType::Moment if raw.len() == 16 => Value::String(format!("{raw}:00+07:00")),
            _ => Value::String(raw),
        };
        m.insert(f.name.to_owned(), v);
    }
    m
}

#[derive(Serialize)]
struct Row {
    id: i32,
    key: String,
    title: String,
    state: String,
    state_label: String,
    version: i32,
    live: bool,
    updated: String,
}

#[derive(Serialize)]
struct FilterInput {
    name: &'static str,
    label: &'static str,
    value: String,
    options: Vec<OptionView>,
}

/// `GET /editor/catalogue/<kind>`: the list, with filters.
#[handler]
pub async fn list(
    state: Data<&AppState>,
    req: &Request,
    Path(plural): Path<String>,
) -> poem::Result<Response> {
    let (p, caller, kind) = reader_or_return!(&state, req, &plural);
    let lang = p.lang;
    let mut facets = Vec::new();
    let mut filters = Vec::new();
    for f in kind.fields.iter().filter(|f| f.filter) {
        let value = query(req, f.name).unwrap_or_default();
        if !value.is_empty() {
            facets.push((f.name.to_owned(), value.clone()));
        }
        let options = match f.ty {
            FieldType::Choice(choices) => choices
                .iter()
                .map(|c| OptionView {
                    value: c.value.to_owned(),
                    label: lang.pick(c.vi, c.en).to_owned(),
                    selected: c.value == value,
                })
                .collect(),
            _ => Vec::new(),
        };
        filters.push(FilterInput {
            name: f.name,
            label: label(f, lang),
            value,
            options,
        });
    }
    let state_filter = query(req, "state").and_then(|s| s.parse::<State>().ok());
    let states: Vec<OptionView> = State::ALL
        .iter()
        .map(|s| OptionView {
            value: s.as_str().to_owned(),
            label: state_label(lang, s.as_str()),
            selected: Some(*s) == state_filter,
        })
        .collect();
    let q = query(req, "q").unwrap_or_default();
    let page: u64 = query(req, "page")
        .and_then(|v| v.parse().ok())
        .filter(|v| *v >= 1)
        .unwrap_or(1);
    let per_page = 50;
    let rows = entries::list(
        &state.db,
        kind,
        &ListFilter {
            facets,
            q: Some(q.clone()),
            state: state_filter,
            limit: per_page + 1,
            offset: (page - 1) * per_page,
        },
    )
    .await
    .map_err(db_err)?;
    let more = rows.len() as u64 > per_page;
    let rows: Vec<Row> = rows
        .into_iter()
        .take(per_page as usize)
        .map(|e| Row {
            state_label: state_label(lang, &e.state),
            state: e.state,
            live: e.live_version.is_some(),
            updated: format_vn(e.updated_at),
            id: e.id,
            key: e.key,
            title: e.title,
            version: e.working_version,
        })
        .collect();
    let again = crate::forms::query_again(req, "");
    let may_edit = caller.account.roles.any(kind.editors);
    let others: Vec<_> = kinds::ALL
        .iter()
        .filter(|k| k.may_read(&caller.account.roles))
        .map(
            |k| context! { plural => k.plural, label => kind_label(k, lang), current => k.name == kind.name },
        )
        .collect();
    p.render(
        &state,
        req,
        StatusCode::OK,
        "catalogue_list.html",
        context! {
            kind => context! { plural => kind.plural, label => kind_label(kind, lang), keyed => kind.key.is_some() },
            kinds => others, rows => rows, filters => filters, states => states, q => q,
            page => page, more => more, may_edit => may_edit, again => again,
        },
    )
    .await
}

/// Renders the edit form of a new entry (`full` is `None`) or an
/// existing one, keeping what was typed when a save failed.
#[allow(clippy::too_many_arguments)]
async fn render_form(
    state: &AppState,
    req: &Request,
    p: &Page,
    caller: &Caller,
    kind: &'static Kind,
    full: Option<&Full>,
    failure: Option<(StatusCode, String)>,
    draft: Option<&Form>,
) -> poem::Result<Response> {
    let lang = p.lang;
    let (status, error) = match failure {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let empty = Map::new();
    let data = full.map_or(&empty, |f| &f.data);
    let places = places(state, kind, lang).await?;
    let fields = inputs(kind, lang, data, draft, &places);
    let preview: Vec<_> = kind
        .fields
        .iter()
        .filter(|f| matches!(f.ty, FieldType::Markdown { .. }))
        .filter_map(|f| {
            let md = draft
                .and_then(|d| d.get(f.name))
                .map(str::to_owned)
                .unwrap_or_else(|| entries::fields::text(data, f.name).to_owned());
            (!md.trim().is_empty())
                .then(|| context! { label => label(f, lang), html => content::markdown::to_html(&md) })
        })
        .collect();
    let mut entry = None;
    let mut actions = Vec::new();
    let mut history = Vec::new();
    if let Some(full) = full {
        let names: std::collections::HashMap<i32, String> = content::accounts::list(&state.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|a| (a.user.id, a.user.display_name))
            .collect();
        let name = |id: Option<i32>| {
            id.and_then(|i| names.get(&i).cloned())
                .unwrap_or_else(|| "—".to_owned())
        };
        actions = entries::allowed_actions(&state.db, kind, full, &caller.account)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|a| context! { name => a.as_str(), label => text(lang, &format!("action_{}", a.as_str())) })
            .collect();
        for v in entries::versions(&state.db, kind, full.entry.id)
            .await
            .map_err(db_err)?
        {
            history.push((v.created_at, context! {
                at => format_vn(v.created_at), who => name(Some(v.created_by)),
                label => format!("{} {}", text(lang, "version"), v.number), text => Option::<String>::None,
            }));
        }
        for t in entries::transitions_of(&state.db, kind, full.entry.id)
            .await
            .map_err(db_err)?
        {
            history.push((t.at, context! {
                at => format_vn(t.at), who => name(t.actor_id),
                label => format!("{}: {} → {}", text(lang, &format!("action_{}", t.action)), state_label(lang, &t.from_state), state_label(lang, &t.to_state)),
                text => t.comment,
            }));
        }
        history.sort_by_key(|(at, _)| *at);
        let public_url = entries::public_path(&state.db, &full.entry)
            .await
            .map_err(db_err)?;
        let steps = content::chains::chain(&state.db, full.entry.section_id)
            .await
            .map_err(db_err)?
            .len();
        entry = Some(context! {
            id => full.entry.id, title => full.entry.title.clone(), state => full.entry.state.clone(),
            state_label => state_label(lang, &full.entry.state), step => full.entry.step, steps => steps,
            version => full.entry.working_version, live_version => full.entry.live_version, public_url => public_url,
        });
    }
    let history: Vec<_> = history.into_iter().map(|(_, h)| h).collect();
    p.render(
        state,
        req,
        status,
        "catalogue_edit.html",
        context! {
            kind => context! { plural => kind.plural, label => kind_label(kind, lang) },
            entry => entry, fields => fields, preview => preview, actions => actions, history => history,
            error => error, may_edit => caller.account.roles.any(kind.editors),
            flash => query(req, "saved").map(|_| text(lang, "saved").to_owned()),
        },
    )
    .await
}

/// `GET /editor/catalogue/<kind>/new`.
#[handler]
pub async fn new_page(
    state: Data<&AppState>,
    req: &Request,
    Path(plural): Path<String>,
) -> poem::Result<Response> {
    let (p, caller, kind) = reader_or_return!(&state, req, &plural);
    render_form(&state, req, &p, &caller, kind, None, None, None).await
}

/// `POST /editor/catalogue/<kind>`: create.
#[handler]
pub async fn create(
    state: Data<&AppState>,
    req: &Request,
    Path(plural): Path<String>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller, kind) = reader_or_return!(&state, req, &plural);
    let form = checked_form!(&state, req, p, &caller, body);
    let data = data_from(kind, &form);
    match entries::create(
        &state.db,
        &actor(&state, req, Some(&caller)),
        &caller.account,
        kind,
        &data,
    )
    .await
    {
        Ok(full) => Ok(redirect(&format!(
            "/editor/catalogue/{}/{}?saved=1",
            kind.plural, full.entry.id
        ))),
        Err(e) => {
            let failure = (super::session::status_of(&e), e.message_in(p.lang));
            render_form(&state, req, &p, &caller, kind, None, Some(failure), Some(&form)).await
        }
    }
}

/// `GET /editor/catalogue/<kind>/<id>`.
#[handler]
pub async fn edit_page(
    state: Data<&AppState>,
    req: &Request,
    Path((plural, id)): Path<(String, i32)>,
) -> poem::Result<Response> {
    let (p, caller, kind) = reader_or_return!(&state, req, &plural);
    match entries::get(&state.db, kind, id).await {
        Ok(full) => render_form(&state, req, &p, &caller, kind, Some(&full), None, None).await,
        Err(_) => p.message(&state, req, StatusCode::NOT_FOUND, "not_found").await,
    }
}

/// `POST /editor/catalogue/<kind>/<id>`: save a new version.
#[handler]
pub async fn save(
    state: Data<&AppState>,
    req: &Request,
    Path((plural, id)): Path<(String, i32)>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller, kind) = reader_or_return!(&state, req, &plural);
    let form = checked_form!(&state, req, p, &caller, body);
    let Ok(full) = entries::get(&state.db, kind, id).await else {
        return p.message(&state, req, StatusCode::NOT_FOUND, "not_found").await;
    };
    let base: i32 = form.get("base_version").and_then(|b| b.parse().ok()).unwrap_or(0);
    let data = data_from(kind, &form);
    match entries::save(
        &state.db,
        &actor(&state, req, Some(&caller)),
        &caller.account,
        kind,
        id,
        base,
        &data,
    )
    .await
    {
        Ok(_) => Ok(redirect(&format!(
            "/editor/catalogue/{}/{id}?saved=1",
            kind.plural
        ))),
        Err(e) => {
            let failure = (super::session::status_of(&e), e.message_in(p.lang));
            render_form(
                &state,
                req,
                &p,
                &caller,
                kind,
                Some(&full),
                Some(failure),
                Some(&form),
            )
            .await
        }
    }
}

/// `POST /editor/catalogue/<kind>/<id>/transition`.
#[handler]
pub async fn transition(
    state: Data<&AppState>,
    req: &Request,
    Path((plural, id)): Path<(String, i32)>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller, kind) = reader_or_return!(&state, req, &plural);
    let form = checked_form!(&state, req, p, &caller, body);
    let result = match form.get("action").unwrap_or_default().parse::<Action>() {
        Ok(action) => {
            entries::transition(
                &state.db,
                &actor(&state, req, Some(&caller)),
                &caller.account,
                kind,
                id,
                action,
                form.get("comment"),
            )
            .await
        }
        Err(_) => Err(content::Error::invalid("action", "unknown action")),
    };
    match result {
        Ok(_) => {
            state.public_changed().await;
            Ok(redirect(&format!("/editor/catalogue/{}/{id}", kind.plural)))
        }
        Err(e) => {
            let Ok(full) = entries::get(&state.db, kind, id).await else {
                return p.message(&state, req, StatusCode::NOT_FOUND, "not_found").await;
            };
            let failure = (super::session::status_of(&e), e.message_in(p.lang));
            render_form(&state, req, &p, &caller, kind, Some(&full), Some(failure), None).await
        }
    }
}

/// `GET /editor/catalogue/<kind>/<id>/diff?from&to`.
#[handler]
pub async fn diff(
    state: Data<&AppState>,
    req: &Request,
    Path((plural, id)): Path<(String, i32)>,
) -> poem::Result<Response> {
    let (p, _, kind) = reader_or_return!(&state, req, &plural);
    let from: i32 = query(req, "from").and_then(|v| v.parse().ok()).unwrap_or(1);
    let to: i32 = query(req, "to").and_then(|v| v.parse().ok()).unwrap_or(from + 1);
    let (a, b) = match (
        entries::version(&state.db, kind, id, from).await,
        entries::version(&state.db, kind, id, to).await,
    ) {
        (Ok((_, a)), Ok((vb, b))) => (a, (vb, b)),
        _ => return p.message(&state, req, StatusCode::NOT_FOUND, "not_found").await,
    };
    let changes = super::compare::fields(
        kind.fields
            .iter()
            .map(|f| {
                (
                    label(f, p.lang).to_owned(),
                    entries::fields::shown(a.get(f.name)),
                    entries::fields::shown(b.1.get(f.name)),
                )
            })
            .collect(),
    );
    let rev = text(p.lang, "revision_n");
    p.render(
        &state,
        req,
        StatusCode::OK,
        "diff.html",
        context! {
            back => format!("/editor/catalogue/{}/{id}", kind.plural), title => b.0.title, changes => changes,
            old_label => format!("{rev} {from}"), new_label => format!("{rev} {to}"),
        },
    )
    .await
}

/// `GET /editor/catalogue/<kind>/import`.
#[handler]
pub async fn import_page(
    state: Data<&AppState>,
    req: &Request,
    Path(plural): Path<String>,
) -> poem::Result<Response> {
    let (p, caller, kind) = reader_or_return!(&state, req, &plural);
    render_import(&state, req, &p, &caller, kind, None, None).await
}

async fn render_import(
    state: &AppState,
    req: &Request,
    p: &Page,
    caller: &Caller,
    kind: &'static Kind,
    report: Option<minijinja::Value>,
    error: Option<String>,
) -> poem::Result<Response> {
    let lang = p.lang;
    let columns: Vec<&str> = kind.fields.iter().map(|f| f.name).collect();
    p.render(
        state,
        req,
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        "catalogue_import.html",
        context! {
            kind => context! { plural => kind.plural, label => kind_label(kind, lang) },
            columns => columns.join(", "), report => report, error => error,
            may_publish => caller.account.roles.is_admin(),
        },
    )
    .await
}

/// `POST /editor/catalogue/<kind>/import`: the file's text, pasted.
#[handler]
pub async fn import(
    state: Data<&AppState>,
    req: &Request,
    Path(plural): Path<String>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller, kind) = reader_or_return!(&state, req, &plural);
    let form = checked_form!(&state, req, p, &caller, body);
    let text_in = form.get("text").unwrap_or_default();
    let lines = if form.get("format") == Some("csv") {
        entries::csv(kind, text_in)
    } else {
        entries::json_lines(text_in)
    };
    let publish = form.get("publish") == Some("true");
    match entries::import(
        &state.db,
        &actor(&state, req, Some(&caller)),
        &caller.account,
        kind,
        lines,
        publish,
    )
    .await
    {
        Ok(r) => {
            if r.published > 0 {
                state.public_changed().await;
            }
            let errors: Vec<_> = r
                .errors
                .iter()
                .map(|(line, why)| context! { line => line, why => why })
                .collect();
            let report = context! {
                created => r.created, updated => r.updated, unchanged => r.unchanged,
                published => r.published, errors => errors,
            };
            render_import(&state, req, &p, &caller, kind, Some(report), None).await
        }
        Err(e) => render_import(&state, req, &p, &caller, kind, None, Some(e.message_in(p.lang))).await,
    }
}
