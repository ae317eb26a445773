//! Controllers of the editor UI at `/editor`: they check the session and
//! role, call the domain, and render `editor-ui` views. Forms carry a CSRF
//! token: the session's own once logged in, a cookie-bound one on the
//! login form.
//!
//! One module per screen family: [`session`] (the page context, sign-in,
//! password), [`dashboard`], [`posts`] and [`media`] (writing and
//! approving), [`board`] (chains, delegations), [`catalogue`] (the
//! Office's procedures and online services), [`qa`] (the Q&A inbox),
//! [`users`], [`sections`], [`reports`] (audit, search log, backups), [`royalties`]
//! (sheets, proposals, statements, rates and budgets).

mod board;
mod calendar;
mod catalogue;
mod compare;
mod dashboard;
mod days;
mod library;
mod media;
mod notices;
mod post_list;
mod posts;
mod provisions;
mod qa;
mod reports;
mod royalties;
mod sections;
pub(crate) mod session;
mod site;
mod units;
mod users;

use poem::http::header;
use poem::{EndpointExt, Response, Route, get, handler, post};

use crate::state::AppState;

/// The editor's routes, to be nested at `/editor`.
pub fn routes(state: &AppState) -> impl poem::Endpoint + 'static {
    Route::new()
        .at("/", get(dashboard::show))
        .at("/login", get(session::login_page).post(session::login_submit))
        .at("/logout", post(session::logout))
        .at(
            "/password",
            get(session::password_page).post(session::password_submit),
        )
        .at(
            "/two-factor",
            get(session::two_factor_page).post(session::two_factor_submit),
        )
        .at("/users", get(users::users_page).post(users::users_create))
        .at("/users/:id", get(users::user_page).post(users::user_update))
        .at("/users/:id/reset-password", post(users::user_reset_password))
        .at("/users/:id/two-factor/reset", post(users::user_reset_two_factor))
        .at(
            "/sections",
            get(sections::sections_page).post(sections::sections_create),
        )
        .at("/sections/:id", post(sections::section_update))
        .at("/sections/:id/move", post(sections::section_move))
        .at("/assets/editor.css", get(stylesheet))
        .at("/assets/editor.js", get(script))
        .at("/assets/edit-link.js", get(edit_link_script))
        .at("/posts", get(post_list::list).post(posts::create))
        .at("/posts/new", get(posts::new_page))
        .at("/posts/:id", get(posts::edit_page).post(posts::save))
        .at("/posts/:id/transition", post(posts::transition))
        .at("/posts/:id/comments", post(posts::comment))
        .at("/posts/:id/unlock", post(posts::unlock))
        .at("/posts/:id/lock", post(posts::renew_lock))
        .at("/posts/:id/release", post(posts::release))
        .at(
            "/posts/:id/media",
            crate::body_limit::allow_upload(post(media::upload)),
        )
        .at("/posts/:id/diff", get(posts::diff))
        .at("/posts/:id/restore", post(posts::restore))
        .at("/posts/:id/preview-link", post(posts::preview_link))
        .at("/posts/:id/translation", post(posts::link_translation))
        .at("/posts/:id/translate", post(posts::translate))
        .at(
            "/media",
            get(library::list).post(crate::body_limit::allow_upload(library::add)),
        )
        .at("/media/:id", get(library::show).post(library::describe))
        .at(
            "/media/:id/replace",
            crate::body_limit::allow_upload(post(library::replace)),
        )
        .at("/media/:id/delete", post(library::delete))
        .at("/notifications", get(notices::list).post(notices::update))
        .at("/units", get(units::list).post(units::create))
        .at("/calendar", get(calendar::show).post(calendar::change))
        .at("/units/:id", post(units::update))
        .at("/site", get(site::show))
        .at("/site/home/:edition", post(site::save_home))
        .at("/site/synonyms", post(site::save_synonyms))
        .at("/sections/:id/chain", post(board::set_chain))
        .at("/audit", get(reports::audit))
        .at("/search-queries", get(reports::search_queries))
        .at("/backups", get(reports::backups))
        .at("/reports/annual", get(reports::annual))
        .at("/delegations", get(board::delegations).post(board::delegate))
        .at("/delegations/:id/revoke", post(board::revoke))
        .at("/catalogue/:kind", get(catalogue::list).post(catalogue::create))
        .at("/catalogue/:kind/new", get(catalogue::new_page))
        .at(
            "/catalogue/:kind/import",
            crate::body_limit::allow_import(get(catalogue::import_page).post(catalogue::import)),
        )
        .at(
            "/catalogue/:kind/:id",
            get(catalogue::edit_page).post(catalogue::save),
        )
        .at("/catalogue/:kind/:id/transition", post(catalogue::transition))
        .at("/catalogue/:kind/:id/diff", get(catalogue::diff))
        .at("/qa", get(qa::inbox))
        .at("/qa/:id", get(qa::question_page))
        .at("/qa/:id/action", post(qa::question_action))
        .at("/provisions", get(provisions::overview).post(provisions::record))
        .at("/provisions/:id/link", post(provisions::link))
        .at("/royalties", get(royalties::overview))
        .at(
            "/royalties/sheets/:id",
            get(royalties::sheet_page).post(royalties::propose),
        )
        .at(
            "/royalties/proposals/:id",
            get(royalties::proposal_page).post(royalties::act),
        )
        .at("/royalties/statements", get(royalties::statements))
        .at(
            "/royalties/statements/download",
            get(royalties::statement_download),
        )
        .at("/royalties/estimate", get(royalties::estimate))
        .at(
            "/royalties/rates",
            get(royalties::rates_page).post(royalties::add_rate),
        )
        .at("/royalties/budgets", post(royalties::set_budget))
        .data(state.clone())
}

#[handler]
fn script() -> Response {
    Response::builder()
        .content_type("text/javascript; charset=utf-8")
        .header(header::CACHE_CONTROL, "public, max-age=3600")
        .body(editor_ui::SCRIPT)
}

#[handler]
fn edit_link_script() -> Response {
    Response::builder()
        .content_type("text/javascript; charset=utf-8")
        .header(header::CACHE_CONTROL, "public, max-age=3600")
        .body(editor_ui::EDIT_LINK_SCRIPT)
}

#[handler]
fn stylesheet() -> Response {
    Response::builder()
        .content_type("text/css; charset=utf-8")
        .header(header::CACHE_CONTROL, "public, max-age=3600")
        .body(editor_ui::STYLESHEET)
}
