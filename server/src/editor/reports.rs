//! What administrators read: the audit log and the search query log for
//! the annual report (Đ6.4b).

use content::time::format_vn;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Request, Response, handler};

use super::session::{admin, db_err};
use crate::forms::query;
use crate::state::AppState;

#[handler]
pub async fn audit(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let action = query(req, "action").filter(|a| !a.is_empty());
    let actor_name = query(req, "actor").filter(|a| !a.is_empty());
    let filter = content::audit::Filter {
        action: action.clone(),
        actor: actor_name.clone(),
        limit: 300,
    };
    let entries: Vec<_> = content::audit::list(&state.db, &filter)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|e| {
            let target = e.target_type.map(|t| format!("{t} {}", e.target_id.unwrap_or_default()));
            context! { at => format_vn(e.at), actor => e.actor, action => e.action, target => target, detail => e.detail, ip => e.ip }
        })
        .collect();
    p.render(
        &state,
        req,
        StatusCode::OK,
        "audit.html",
        context! { entries => entries, filter_action => action.unwrap_or_default(), filter_actor => actor_name.unwrap_or_default() },
    )
    .await
}

/// The search statistics for the annual report (admins): top queries and
/// top queries without results in a period.
#[handler]
pub async fn search_queries(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let from = query(req, "from");
    let to = query(req, "to");
    let (status, report, error, period) =
        match crate::search::query_log::Period::parse(from.as_deref(), to.as_deref()) {
            Ok(period) => {
                let (start, end) = period.bounds();
                let report = content::search_log::report(&state.db, start, end, 50)
                    .await
                    .map_err(db_err)?;
                (StatusCode::OK, Some(report), None, Some(period))
            }
            Err(e) => (
                StatusCode::BAD_REQUEST,
                None,
                Some(format!("{}: {}", e.field, e.message)),
                None,
            ),
        };
    let shown = |d: Option<chrono::NaiveDate>, raw: Option<String>| {
        d.map(|d| d.to_string()).or(raw).unwrap_or_default()
    };
    p.render(
        &state,
        req,
        status,
        "search_queries.html",
        context! {
            report => report, error => error,
            from => shown(period.map(|p| p.from), from), to => shown(period.map(|p| p.to), to),
        },
    )
    .await
}
