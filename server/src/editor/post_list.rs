//! `GET /editor/posts`: every post, found by edition, section, state,
//! author, date and words of the title, sorted and paged, with the count
//! of each state. A contributor sees the posts they wrote, in every state;
//! editors and the board see all.

use content::lang::Lang;
use content::posts::finder::{self, Search, Sort};
use content::roles::Role;
use content::workflow::State;
use editor_ui::text;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Request, Response, handler};
use serde::Serialize;

use super::days::filter_day;
use super::posts::state_label;
use super::session::{db_err, staff_or_return};
use crate::forms::query;
use crate::state::AppState;

/// Who sees every post; anyone else on the editorial staff sees their own.
const SEE_ALL: [Role; 6] = [
    Role::Editor,
    Role::Admin,
    Role::BoardHead,
    Role::BoardDeputyStanding,
    Role::BoardDeputy,
    Role::BoardMember,
];

const PER_PAGE: u64 = 50;

#[derive(Serialize)]
struct Opt {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct Row {
    id: i32,
    title: String,
    edition: String,
    section: String,
    state: String,
    state_label: String,
    author: String,
    date: String,
    updated: String,
    public_url: Option<String>,
}

#[handler]
pub async fn list(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let lang = p.lang;
    let sees_all = caller.account.roles.any(&SEE_ALL);
    let accounts = content::accounts::list(&state.db).await.map_err(db_err)?;
    let mut errors = Vec::new();
    let edition = query(req, "edition").and_then(|e| e.parse::<Lang>().ok());
    let state_filter = query(req, "state").and_then(|s| s.parse::<State>().ok());
    let section_id = query(req, "section").and_then(|s| s.parse::<i32>().ok());
    let author_typed = query(req, "author").unwrap_or_default();
    let author_id = if !sees_all || author_typed == "me" {
        Some(caller.account.user.id)
    } else {
        author_typed.parse::<i32>().ok().or_else(|| {
            accounts
                .iter()
                .find(|a| a.user.username == author_typed.trim_start_matches('@'))
                .map(|a| a.user.id)
        })
    };
    let (from_text, from) = filter_day(req, "from", "date_from", lang, &mut errors);
    let (to_text, to) = filter_day(req, "to", "date_to", lang, &mut errors);
    let q = query(req, "q").unwrap_or_default();
    let sort = query(req, "sort")
        .and_then(|s| Sort::parse(&s))
        .unwrap_or_default();
    let page: u64 = query(req, "page")
        .and_then(|v| v.parse().ok())
        .filter(|v| *v >= 1)
        .unwrap_or(1);
    let found = finder::find(
        &state.db,
        &Search {
            edition,
            section_id,
            state: state_filter,
            author_id,
            from,
            to,
            q: Some(q.clone()),
            sort,
            page,
            per_page: PER_PAGE,
        },
    )
    .await
    .map_err(db_err)?;
    let mut sections = Vec::new();
    let mut section_names = std::collections::HashMap::new();
    for e in [Lang::Vi, Lang::En] {
        let choices = super::posts::section_choices(&state, e, lang).await?;
        let group: Vec<Opt> = choices
            .into_iter()
            .map(|c| {
                section_names.insert(c.id, c.label.clone());
                Opt {
                    value: c.id.to_string(),
                    selected: Some(c.id) == section_id,
                    label: c.label,
                }
            })
            .collect();
        if edition.is_none_or(|x| x == e) {
            sections
                .push(context! { label => text(lang, &format!("edition_{}", e.as_str())), options => group });
        }
    }
    let name_of = |id: i32| {
        accounts
            .iter()
            .find(|a| a.user.id == id)
            .map(|a| a.user.display_name.clone())
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    for f in found.items {
        let public_url = match f.post.live_revision_id {
            Some(_) => content::sections::get(&state.db, f.post.section_id)
                .await
                .ok()
                .map(|s| content::posts::public_path(&f.post, &s)),
            None => None,
        };
        rows.push(Row {
            id: f.post.id,
            title: f.revision.title.clone(),
            edition: text(
                lang,
                if f.post.edition == "en" {
                    "lang_en"
                } else {
                    "lang_vi"
                },
            )
            .to_owned(),
            section: section_names.get(&f.post.section_id).cloned().unwrap_or_default(),
            state_label: state_label(lang, &f.post.state),
            state: f.post.state.clone(),
            author: name_of(f.post.creator_id),
            date: content::time::format_vn(f.post.published_at.unwrap_or(f.post.created_at)),
            updated: content::time::format_vn(f.post.updated_at),
            public_url,
        });
    }
    let states: Vec<Opt> = State::ALL
        .iter()
        .map(|s| Opt {
            value: s.as_str().to_owned(),
            label: state_label(lang, s.as_str()),
            selected: Some(*s) == state_filter,
        })
        .collect();
    let all_count: u64 = found.per_state.iter().map(|(_, n)| n).sum();
    let counts: Vec<_> = found
        .per_state
        .iter()
        .map(|(s, n)| {
            context! { value => s.as_str(), label => state_label(lang, s.as_str()), n => n, current => Some(*s) == state_filter }
        })
        .collect();
    let authors: Vec<Opt> = accounts
        .iter()
        .filter(|a| a.roles.any(&content::roles::EDITORIAL_STAFF))
        .map(|a| Opt {
            value: a.user.id.to_string(),
            label: format!("{} ({})", a.user.display_name, a.user.username),
            selected: Some(a.user.id) == author_id,
        })
        .collect();
    let sorts: Vec<Opt> = Sort::ALL
        .iter()
        .map(|s| Opt {
            value: s.as_str().to_owned(),
            label: text(lang, &format!("sort_{}", s.as_str())).to_owned(),
            selected: *s == sort,
        })
        .collect();
    let editions: Vec<Opt> = [Lang::Vi, Lang::En]
        .iter()
        .map(|e| Opt {
            value: e.as_str().to_owned(),
            label: text(lang, &format!("edition_{}", e.as_str())).to_owned(),
            selected: Some(*e) == edition,
        })
        .collect();
    let pages = found.total.div_ceil(PER_PAGE).max(1);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    p.render(
        &state,
        req,
        status,
        "posts_list.html",
        context! {
            rows => rows, total => found.total, all_count => all_count, counts => counts,
            states => states, sections => sections, authors => authors, sorts => sorts, editions => editions,
            sees_all => sees_all, q => q, from => from_text.clone(), to => to_text.clone(),
            filtered => edition.is_some() || section_id.is_some() || state_filter.is_some()
                || (sees_all && author_id.is_some()) || !from_text.is_empty() || !to_text.is_empty()
                || sort != Sort::Updated,
            page => page, pages => pages, more => page < pages,
            again => crate::forms::query_again(req, ""), again_state => crate::forms::query_again(req, "state"),
            error => (!errors.is_empty()).then(|| errors.join(" ")),
        },
    )
    .await
}
