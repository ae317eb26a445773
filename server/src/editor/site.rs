//! `/editor/site` (administrators): what the whole public site shows
//! without a release: each edition's home page blocks (which, in what
//! order, how many items) and the search dictionary of abbreviations and
//! synonyms. Both take effect at once on this node, within a poll interval
//! on the others.

use content::lang::Lang;
use content::site::home::{Block, HomeLayout, Placed};
use content::site::synonyms;
use editor_ui::text;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};

use super::session::{Page, admin, checked_form, redirect, say, status_of};
use crate::auth::actor;
use crate::forms::{Form, query};
use crate::state::AppState;

/// A failed form, shown again as typed, with what went wrong.
struct Failure<'a> {
    status: StatusCode,
    message: String,
    /// `home.vi`, `home.en` or `synonyms`.
    form: &'static str,
    typed: &'a Form,
}

async fn render(
    state: &AppState,
    req: &Request,
    p: &Page,
    failure: Option<Failure<'_>>,
) -> poem::Result<Response> {
    let lang = p.lang;
    let mut editions = Vec::new();
    for ed in Lang::ALL {
        let layout = state.catalog.home_layout(ed);
        let key = format!("home.{ed}");
        let typed = failure
            .as_ref()
            .filter(|f| f.form == key)
            .map(|f| f.typed.to_map());
        let mut blocks = Block::ALL.to_vec();
        blocks.sort_by_key(|b| {
            layout
                .blocks
                .iter()
                .position(|p| p.block == *b)
                .unwrap_or(usize::MAX)
        });
        let rows: Vec<_> = blocks
            .iter()
            .map(|b| {
                let place = layout.blocks.iter().position(|p| p.block == *b);
                let code = b.code();
                let (shown, position, items) = match &typed {
                    Some(t) => (
                        t.contains_key(&format!("{code}.shown")),
                        t.get(&format!("{code}.position")).cloned().unwrap_or_default(),
                        t.get(&format!("{code}.items")).cloned().unwrap_or_default(),
                    ),
                    None => (
                        place.is_some(),
                        place.map_or(String::new(), |i| (i + 1).to_string()),
                        place
                            .map(|i| layout.blocks[i].items)
                            .filter(|n| *n > 0)
                            .or_else(|| (b.max_items() > 0).then_some(5))
                            .map_or(String::new(), |n| n.to_string()),
                    ),
                };
                context! {
                    code, name => b.name(lang), shown, position, items, max => b.max_items(),
                }
            })
            .collect();
        editions.push(context! {
            code => ed, name => text(lang, &format!("edition_{ed}")), blocks => rows,
            error => failure.as_ref().filter(|f| f.form == key).map(|f| f.message.clone()),
        });
    }
    let dictionary = match failure.as_ref().filter(|f| f.form == "synonyms") {
        Some(f) => f.typed.get("synonyms").unwrap_or_default().to_owned(),
        None => crate::search::dictionary_text(&state.catalog),
    };
    p.render(
        state,
        req,
        failure.as_ref().map_or(StatusCode::OK, |f| f.status),
        "site.html",
        context! {
            editions, dictionary,
            dictionary_error => failure.as_ref().filter(|f| f.form == "synonyms").map(|f| f.message.clone()),
            flash => query(req, "saved").map(|_| text(lang, "saved").to_owned()),
        },
    )
    .await
}

#[handler]
pub async fn show(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    render(&state, req, &p, None).await
}

/// The layout a home form describes: the ticked blocks by their position
/// (an empty one goes last; ties in the screen's order). An item count
/// that does not read is refused by the domain like one out of bounds; a
/// position that does not read is refused here.
fn layout_of(form: &Form) -> Result<HomeLayout, content::Error> {
    let mut placed: Vec<(u32, usize, Placed)> = Vec::new();
    for (i, b) in Block::ALL.iter().enumerate() {
        if form.get(&format!("{}.shown", b.code())).is_none() {
            continue;
        }
        let number = |field: &str| form.get(&format!("{}.{field}", b.code())).map(str::trim);
        let position = match number("position") {
            None | Some("") => u32::MAX,
            Some(n) => n.parse().map_err(|_| {
                content::Error::invalid_in(
                    "position",
                    format!("{}: the order must be a number", b.code()),
                    format!("Khối “{}”: thứ tự phải là một số.", b.name(Lang::Vi)),
                )
            })?,
        };
        let items = match number("items") {
            None | Some("") => 0,
            Some(n) => n.parse::<u8>().unwrap_or(u8::MAX),
        };
        placed.push((position, i, Placed { block: *b, items }));
    }
    placed.sort_by_key(|(position, i, _)| (*position, *i));
    Ok(HomeLayout {
        blocks: placed.into_iter().map(|(_, _, p)| p).collect(),
    })
}

#[handler]
pub async fn save_home(
    state: Data<&AppState>,
    req: &Request,
    Path(edition): Path<String>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let Ok(ed) = edition.parse::<Lang>() else {
        return p.message(&state, req, StatusCode::NOT_FOUND, "not_found").await;
    };
    let who = actor(&state, req, Some(&caller));
    let saved = match layout_of(&form) {
        Ok(layout) => content::site::home::save(&state.db, &who, &caller.account.roles, ed, layout).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => {
            state.public_changed().await;
            Ok(redirect(&format!("/editor/site?saved=1#home-{ed}")))
        }
        Err(e) => {
            let failure = Failure {
                status: status_of(&e),
                message: say(&e, p.lang, "error", "not_found"),
                form: if ed == Lang::Vi { "home.vi" } else { "home.en" },
                typed: &form,
            };
            render(&state, req, &p, Some(failure)).await
        }
    }
}

#[handler]
pub async fn save_synonyms(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let (p, caller) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let typed = form.get("synonyms").unwrap_or_default();
    let who = actor(&state, req, Some(&caller));
    let saved = match crate::search::check_dictionary(typed) {
        Ok(()) => synonyms::save(&state.db, &who, &caller.account.roles, typed).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => {
            state.public_changed().await;
            Ok(redirect("/editor/site?saved=1#dictionary"))
        }
        Err(e) => {
            let failure = Failure {
                status: status_of(&e),
                message: say(&e, p.lang, "error", "not_found"),
                form: "synonyms",
                typed: &form,
            };
            render(&state, req, &p, Some(failure)).await
        }
    }
}
