//! What administrators and the board read: the audit log, the search
//! query log, the backups (Đ7.2c) and the annual report (Đ6.4b).

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

/// The scheduled and manual backups in `backup_dir`, newest first, with
/// their size and age, and the last failure if it came after the last
/// success (admins; Đ7.2c).
#[handler]
pub async fn backups(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let dir = &state.config.backup_dir;
    let listed = crate::backup::listed(dir).unwrap_or_default();
    let now = content::time::now();
    let rows: Vec<_> = listed
        .iter()
        .map(|b| {
            let age = chrono::DateTime::parse_from_rfc3339(&b.created_at)
                .map(|t| (now - t.with_timezone(&chrono::Utc)).num_hours())
                .unwrap_or(0);
            context! {
                name => b.name, created => b.created_at.replace('T', " ").chars().take(16).collect::<String>(),
                size => format!("{:.1} MB", b.bytes as f64 / 1e6), age_hours => age,
                posts => b.counts.get("posts"), questions => b.counts.get("questions"), media => b.counts.get("media"),
            }
        })
        .collect();
    let last = |action: &str| content::audit::Filter {
        action: Some(action.to_owned()),
        actor: None,
        limit: 1,
    };
    let failed = content::audit::list(&state.db, &last("backup.failed"))
        .await
        .map_err(db_err)?
        .into_iter()
        .next();
    let succeeded = content::audit::list(&state.db, &last("backup"))
        .await
        .map_err(db_err)?
        .into_iter()
        .next();
    let failure = failed
        .filter(|f| succeeded.as_ref().is_none_or(|s| s.at < f.at))
        .map(|f| context! { at => format_vn(f.at), detail => f.detail });
    let stale = listed
        .first()
        .and_then(|b| chrono::DateTime::parse_from_rfc3339(&b.created_at).ok())
        .is_none_or(|t| (now - t.with_timezone(&chrono::Utc)).num_hours() > 26);
    p.render(
        &state,
        req,
        StatusCode::OK,
        "backups.html",
        context! {
            backups => rows, failure => failure, stale => stale && state.config.backup_keep > 0,
            dir => dir.display().to_string(), hour => state.config.backup_hour, keep => state.config.backup_keep,
        },
    )
    .await
}

/// The annual operations report (Đ6.4b) with its charts, printable, and
/// its workbook (the board, the Communication Centre, admins).
#[handler]
pub async fn annual(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match super::session::with_roles(&state, req, &content::roles::OVERSIGHT).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let this_year = chrono::Datelike::year(&content::time::today_vn());
    let year = match query(req, "year").map(|y| y.trim().parse::<i32>()) {
        None => this_year,
        Some(Ok(y)) if (2000..=2199).contains(&y) => y,
        Some(_) => {
            return p
                .message(&state, req, StatusCode::BAD_REQUEST, "report_bad_year")
                .await;
        }
    };
    let report = crate::api::annual_report(&state, year).await?;
    let lang = p.lang;
    let charts = crate::annual_report::charts(&report, lang);
    let tables: Vec<_> = report
        .tables
        .iter()
        .map(|t| {
            let measures: Vec<_> = t.columns.iter().map(|c| c.measure).collect();
            context! {
                key => t.key, title => t.title(lang),
                columns => t.columns.iter().map(|c| context! { label => c.label(lang), numeric => c.measure != content::reports::Measure::Text }).collect::<Vec<_>>(),
                rows => t.rows.iter().map(|r| r.iter().zip(&measures).map(|(c, m)| shown_cell(c, *m)).collect::<Vec<_>>()).collect::<Vec<_>>(),
            }
        })
        .collect();
    if query(req, "format").as_deref() == Some("xlsx") {
        let bytes = crate::annual_report::workbook(&report)?;
        return Ok(Response::builder()
            .content_type(crate::spreadsheet::XLSX_TYPE)
            .header(
                "content-disposition",
                format!("attachment; filename=\"bao-cao-nam-{year}.xlsx\""),
            )
            .header("cache-control", "no-store")
            .body(bytes));
    }
    p.render(
        &state,
        req,
        StatusCode::OK,
        "annual_report.html",
        context! { year => year, as_of => report.as_of.format("%d/%m/%Y").to_string(), charts => charts, tables => tables },
    )
    .await
}

/// A cell as a reader sees it: numbers grouped with dots, shares as
/// percentages, hours with a decimal comma.
fn shown_cell(c: &content::reports::Cell, m: content::reports::Measure) -> String {
    use content::reports::{Cell, Measure};
    match (c, m) {
        (Cell::Text(s), _) => s.clone(),
        (Cell::Int(n), _) => content::text::group_digits(*n),
        (Cell::Float(f), Measure::Rate) => format!("{:.1} %", f * 100.0).replace('.', ","),
        (Cell::Float(f), _) => format!("{f:.1}").replace('.', ","),
        (Cell::Empty, _) => "—".to_owned(),
    }
}
