//! The dashboard: my drafts, what waits for my approval and for how long,
//! what was published lately, and the Q&A deadlines.

use content::accounts::Caller;
use content::lang::Lang;
use content::posts::finder::{self, Search, Sort};
use content::posts::{self};
use content::time::format_vn;
use content::workflow::State;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Request, Response, handler};

use super::posts::state_label;
use super::session::{db_err, login_redirect, page};
use crate::state::AppState;

/// The dashboard's lists for staff: my drafts, what waits for me (and for
/// how long), what was published lately.
pub async fn dashboard_lists(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
) -> poem::Result<minijinja::Value> {
    let (qa_overdue, qa_due_soon) = if caller.account.roles.any(&content::roles::QA_STAFF) {
        super::qa::due_counts(state, caller).await?
    } else {
        (0, 0)
    };
    if !caller.account.roles.any(&content::roles::EDITORIAL_STAFF) {
        return Ok(context! { qa_overdue => qa_overdue, qa_due_soon => qa_due_soon, staff => false });
    }
    let recent = |search: Search| async move { finder::find(&state.db, &search).await.map_err(db_err) };
    let drafts: Vec<_> = recent(Search {
        author_id: Some(caller.account.user.id),
        per_page: 10,
        ..Default::default()
    })
    .await?
    .items
    .into_iter()
    .map(|f| context! { id => f.post.id, title => f.revision.title, state => state_label(lang, &f.post.state) })
    .collect();
    let now = content::time::now();
    let mut awaiting = Vec::new();
    for (f, since) in posts::awaiting(&state.db, &caller.account)
        .await
        .map_err(db_err)?
    {
        let steps = content::chains::chain(&state.db, f.post.section_id)
            .await
            .map_err(db_err)?
            .len();
        let section = content::sections::get(&state.db, f.post.section_id)
            .await
            .map_err(db_err)?;
        awaiting.push(context! {
            id => f.post.id, title => f.revision.title, step => f.post.step, steps => steps,
            section => section.name_in(lang),
            waited_hours => (now - since).num_hours(),
        });
    }
    let published: Vec<_> = recent(Search {
        state: Some(State::Published),
        sort: Sort::Published,
        per_page: 10,
        ..Default::default()
    })
    .await?
    .items
    .into_iter()
    .map(|f| context! { id => f.post.id, title => f.revision.title, when => f.post.published_at.map(format_vn) })
    .collect();
    Ok(context! {
    qa_overdue => qa_overdue,
    qa_due_soon => qa_due_soon, staff => true, drafts => drafts, awaiting => awaiting, published => published })
}

#[handler]
pub(super) async fn show(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let p = page(&state, req).await?;
    match &p.caller {
        None => return Ok(login_redirect(req)),
        Some(c) if crate::auth::must_enrol(&state, c) => {
            return Ok(super::session::redirect("/editor/two-factor"));
        }
        Some(_) => {}
    }
    let lists = match &p.caller {
        Some(c) => dashboard_lists(&state, c, p.lang).await?,
        None => context! {},
    };
    p.render(&state, req, StatusCode::OK, "dashboard.html", lists)
        .await
}
