//! Information-provision deadlines in the editor (Đ11.1): a unit records
//! what happened and links the published item; the Communication Centre
//! sees every unit on one dashboard.

use chrono::{Datelike, NaiveDate};
use content::lang::Lang;
use content::provisions::{self, Filter, Item, NewEvent, Status, kinds, rules};
use content::roles::Role;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};
use serde::Serialize;

use super::days::{dmy, parse_day};
use super::session::{Page, checked_form, db_err, redirect, status_of, unit_views, with_roles};
use crate::auth::actor;
use crate::forms::{Form, query};
use crate::state::AppState;

#[derive(Serialize)]
struct KindChoice {
    code: String,
    name: String,
    rule: String,
}

#[derive(Serialize)]
struct Row {
    id: i32,
    unit: String,
    kind: String,
    what: String,
    occurred: String,
    due: String,
    status: &'static str,
    status_label: &'static str,
    open: bool,
    item: Option<String>,
}

#[derive(Serialize)]
struct TallyRow {
    unit: String,
    pending: u32,
    due_soon: u32,
    overdue: u32,
    met_on_time: u32,
    met_late: u32,
    rate: String,
}

fn rule_text(k: &content::entity::provision_kind::Model, lang: Lang) -> String {
    match (k.days, k.working_days, lang) {
        (0, _, Lang::Vi) => format!("trong ngày ({})", k.starts_vi),
        (0, _, Lang::En) => "the same day".to_owned(),
        (d, true, Lang::Vi) => format!("{d} ngày làm việc {}", k.starts_vi),
        (d, false, Lang::Vi) => format!("{d} ngày {}", k.starts_vi),
        (1, true, Lang::En) => "1 working day".to_owned(),
        (d, true, Lang::En) => format!("{d} working days"),
        (1, false, Lang::En) => "1 day".to_owned(),
        (d, false, Lang::En) => format!("{d} days"),
    }
}

fn say(e: &content::Error, lang: Lang) -> String {
    super::session::say(e, lang, "provision_already_met", "provision_unknown_item")
}

/// Anyone signed in with a unit, and those who follow every unit.
async fn caller_or_return(
    state: &AppState,
    req: &Request,
) -> poem::Result<Result<(Page, content::accounts::Caller), Response>> {
    let (p, caller) = match with_roles(state, req, &Role::ALL).await? {
        Ok(x) => x,
        Err(r) => return Ok(Err(r)),
    };
    let follows_all = caller.account.roles.any(&rules::FOLLOW_ALL);
    if !follows_all && caller.account.user.unit_id.is_none() {
        return Ok(Err(p
            .message(state, req, StatusCode::FORBIDDEN, "forbidden")
            .await?));
    }
    Ok(Ok((p, caller)))
}

#[handler]
pub async fn overview(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, caller) = match caller_or_return(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    render(&state, req, &p, &caller, None, None).await
}

#[handler]
pub async fn record(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let (p, caller) = match caller_or_return(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let result = async {
        let unit_id = match form.get("unit_id").and_then(|u| u.trim().parse().ok()) {
            Some(u) => u,
            None => caller
                .account
                .user
                .unit_id
                .ok_or_else(|| content::Error::invalid_in("unit_id", "choose a unit", "Chọn đơn vị"))?,
        };
        let cal = content::holidays::calendar(&state.db).await?;
        provisions::record(
            &state.db,
            &cal,
            &actor(&state, req, Some(&caller)),
            &caller.account,
            NewEvent {
                unit_id,
                kind: form.get("kind").unwrap_or_default().to_owned(),
                occurred_on: parse_day("occurred_on", form.get("occurred_on").unwrap_or_default())?,
                what: form.get("what").unwrap_or_default().to_owned(),
            },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect("/editor/provisions")),
        Err(e) => {
            render(
                &state,
                req,
                &p,
                &caller,
                Some((status_of(&e), say(&e, p.lang))),
                Some(&form),
            )
            .await
        }
    }
}

#[handler]
pub async fn link(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = match caller_or_return(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let result = async {
        let number = |f: &str| form.get(f).and_then(|v| v.trim().parse::<i32>().ok());
        let item = match (form.get("item_kind"), number("item_id")) {
            (Some("entry"), Some(n)) => Item::Entry(n),
            (_, Some(n)) => Item::Post(n),
            _ => {
                return Err(content::Error::invalid_in(
                    "item_id",
                    "give the number of the published post or entry",
                    "Nhập số của bài viết hoặc mục đã đăng",
                ));
            }
        };
        let cal = content::holidays::calendar(&state.db).await?;
        provisions::link(
            &state.db,
            &cal,
            &actor(&state, req, Some(&caller)),
            &caller.account,
            id,
            item,
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect("/editor/provisions")),
        Err(e) => {
            render(
                &state,
                req,
                &p,
                &caller,
                Some((status_of(&e), say(&e, p.lang))),
                None,
            )
            .await
        }
    }
}

async fn render(
    state: &AppState,
    req: &Request,
    p: &Page,
    caller: &content::accounts::Caller,
    failure: Option<(StatusCode, String)>,
    typed: Option<&Form>,
) -> poem::Result<Response> {
    let lang = p.lang;
    let today = content::time::today_vn();
    let year = query(req, "year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=2199).contains(y))
        .unwrap_or(today.year());
    let status = query(req, "status").and_then(|s| s.parse::<Status>().ok());
    let follows_all = caller.account.roles.any(&rules::FOLLOW_ALL);
    let units = unit_views(state, lang).await?;
    let unit_name = |id: i32| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let cal = content::holidays::calendar(&state.db).await.map_err(db_err)?;
    let filter = Filter {
        unit_id: query(req, "unit").and_then(|u| u.parse().ok()),
        year: Some(year),
        status,
    };
    let events = provisions::list(&state.db, &cal, &caller.account, &filter)
        .await
        .map_err(db_err)?;
    let rows: Vec<Row> = events
        .into_iter()
        .map(|e| Row {
            id: e.row.id,
            unit: unit_name(e.row.unit_id),
            kind: lang.pick(e.kind_vi, e.kind_en),
            what: e.row.what,
            occurred: dmy(e.row.occurred_on),
            due: dmy(e.row.due_on),
            status: e.status.as_str(),
            status_label: e.status.label(lang),
            open: e.status.is_open(),
            item: match (e.row.post_id, e.row.entry_id) {
                (Some(pid), _) => Some(format!("/editor/posts/{pid}")),
                (_, Some(eid)) => Some(format!("#{eid}")),
                _ => None,
            },
        })
        .collect();
    let tallies: Vec<TallyRow> = if follows_all {
        let as_of = NaiveDate::from_ymd_opt(year, 12, 31).map_or(today, |end| end.min(today));
        provisions::tally(&state.db, &cal, year, as_of)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|t| TallyRow {
                unit: unit_name(t.unit_id),
                pending: t.pending,
                due_soon: t.due_soon,
                overdue: t.overdue,
                met_on_time: t.met_on_time,
                met_late: t.met_late,
                rate: t
                    .on_time_rate
                    .map(|r| format!("{:.0} %", r * 100.0))
                    .unwrap_or_else(|| "—".into()),
            })
            .collect()
    } else {
        Vec::new()
    };
    let all_kinds = kinds::all(&state.db).await.map_err(db_err)?;
    let kind_choices: Vec<KindChoice> = kinds::current(&all_kinds, today)
        .into_iter()
        .map(|k| KindChoice {
            code: k.code.clone(),
            name: lang.pick(k.name_vi.clone(), k.name_en.clone()),
            rule: rule_text(k, lang),
        })
        .collect();
    let unit_choices: Vec<_> = units
        .iter()
        .filter(|u| follows_all || caller.account.user.unit_id == Some(u.id))
        .collect();
    let statuses: Vec<_> = Status::ALL
        .iter()
        .map(|s| context! { code => s.as_str(), label => s.label(lang) })
        .collect();
    let (code, error) = match failure {
        Some((c, m)) => (c, Some(m)),
        None => (StatusCode::OK, None),
    };
    let typed = |k: &str| typed.and_then(|f| f.get(k)).unwrap_or_default().to_owned();
    p.render(
        state,
        req,
        code,
        "provisions.html",
        context! {
            error => error, year => year, rows => rows, tallies => tallies, follows_all => follows_all,
            kinds => kind_choices, units => unit_choices, statuses => statuses,
            status => status.map(|s| s.as_str()), today => dmy(today),
            typed_kind => typed("kind"), typed_unit => typed("unit_id"), typed_what => typed("what"),
            typed_occurred => typed("occurred_on"),
        },
    )
    .await
}
