//! `/editor/calendar?year=`: the working-day calendar as a year of month
//! grids (public holidays, compensatory days, the days administrators
//! declared off and the make-up working Saturdays), which every Q&A and
//! provision deadline counts on; administrators add and remove the
//! declared days here.

use chrono::{Datelike, NaiveDate, Weekday};
use content::calendar::{DayOffKind, OverrideKind};
use content::lang::Lang;
use content::roles::Role;
use editor_ui::text;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Body, Request, Response, handler};

use super::days::{dmy, parse_day};
use super::session::{Page, checked_form, db_err, redirect, say, status_of, with_roles};
use crate::auth::actor;
use crate::forms::{Form, query};
use crate::state::AppState;

/// The part of a bilingual holiday name ("Quốc khánh (National Day)") in
/// `lang`.
fn name_in(name: &str, lang: Lang) -> String {
    match (name.split_once(" ("), lang) {
        (Some((vi, _)), Lang::Vi) => vi.to_owned(),
        (Some((_, en)), Lang::En) => en.trim_end_matches(')').to_owned(),
        (None, _) => name.to_owned(),
    }
}

async fn render(
    state: &AppState,
    req: &Request,
    p: &Page,
    failure: Option<(StatusCode, String, &Form)>,
) -> poem::Result<Response> {
    let lang = p.lang;
    let today = content::time::today_vn();
    let year = query(req, "year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| content::text::YEARS.contains(y))
        .unwrap_or(today.year());
    let cal = content::holidays::calendar(&state.db).await.map_err(db_err)?;
    let days_off = cal.days_off(year);
    let overrides: Vec<_> = content::holidays::overrides(&state.db)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter(|o| o.date.year() == year)
        .collect();
    let mut months = Vec::new();
    for m in 1..=12u32 {
        let Some(first) = NaiveDate::from_ymd_opt(year, m, 1) else {
            continue;
        };
        let mut weeks: Vec<Vec<minijinja::Value>> = vec![Vec::new()];
        for _ in 0..first.weekday().num_days_from_monday() {
            weeks[0].push(context! { blank => true });
        }
        let mut d = first;
        while d.month() == m {
            let off = days_off.iter().find(|o| o.date == d);
            let made_working = overrides
                .iter()
                .any(|o| o.date == d && o.kind == OverrideKind::WorkingDay);
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            let (class, note) = match (off, made_working) {
                (Some(o), _) => (
                    match o.kind {
                        DayOffKind::Holiday => "holiday",
                        DayOffKind::Compensatory => "compensatory",
                        DayOffKind::Override => "declared-off",
                    },
                    Some(name_in(&o.name, lang)),
                ),
                (None, true) => ("make-up", Some(text(lang, "cal_makeup").to_owned())),
                (None, false) if weekend => ("weekend", None),
                _ => ("", None),
            };
            if weeks.last().is_some_and(|w| w.len() == 7) {
                weeks.push(Vec::new());
            }
            if let Some(w) = weeks.last_mut() {
                w.push(context! { day => d.day(), class => class, note => note, today => d == today, iso => d.to_string() });
            }
            let Some(next) = d.succ_opt() else { break };
            d = next;
        }
        months.push(context! { name => text(lang, &format!("month_{m}")), weeks => weeks });
    }
    let listed: Vec<_> = days_off
        .iter()
        .map(|o| context! { date => dmy(o.date), name => name_in(&o.name, lang), kind => text(lang, &format!("cal_{}", match o.kind {
            DayOffKind::Holiday => "holiday", DayOffKind::Compensatory => "compensatory", DayOffKind::Override => "declared_off" })) })
        .collect();
    let declared: Vec<_> = overrides
        .iter()
        .map(|o| context! {
            date => dmy(o.date), iso => o.date.to_string(), reason => o.reason.clone(),
            kind => text(lang, if o.kind == OverrideKind::DayOff { "cal_declared_off" } else { "cal_makeup" }),
        })
        .collect();
    let weekdays: Vec<String> = (1..=7)
        .map(|i| text(lang, &format!("weekday_{i}")).to_owned())
        .collect();
    let (status, error, typed) = match failure {
        Some((s, e, f)) => (s, Some(e), f.to_map()),
        None => (StatusCode::OK, None, Default::default()),
    };
    let may_edit = p.caller.as_ref().is_some_and(|c| c.account.roles.is_admin());
    p.render(
        state,
        req,
        status,
        "calendar.html",
        context! {
            year => year, prev => year - 1, next => year + 1, months => months, weekdays => weekdays,
            days_off => listed, declared => declared, may_edit => may_edit, error => error, typed => typed,
            flash => query(req, "saved").map(|_| text(lang, "saved").to_owned()),
        },
    )
    .await
}

#[handler]
pub async fn show(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match with_roles(&state, req, &Role::ALL).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    render(&state, req, &p, None).await
}

/// `POST /editor/calendar`: declare a day off or a make-up working day
/// (`date`, `kind`, `reason`), or remove one (`remove` = the date).
#[handler]
pub async fn change(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let (p, caller) = match with_roles(&state, req, &[Role::Admin]).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let who = actor(&state, req, Some(&caller));
    let result = async {
        if let Some(date) = form.get("remove") {
            let date = parse_day("remove", date)?;
            content::holidays::remove(&state.db, &who, date).await?;
            return Ok(date);
        }
        let date = parse_day("date", form.get("date").unwrap_or_default())?;
        let reason = form.get("reason").unwrap_or_default();
        if reason.trim().is_empty() {
            return Err(content::Error::invalid_in(
                "reason",
                "is required",
                "Hãy ghi căn cứ (văn bản thông báo nghỉ, làm bù).",
            ));
        }
        content::holidays::set(
            &state.db,
            &who,
            date,
            form.get("kind").unwrap_or_default(),
            reason,
        )
        .await?;
        Ok(date)
    }
    .await;
    match result {
        Ok(date) => Ok(redirect(&format!(
            "/editor/calendar?year={}&saved=1",
            date.year()
        ))),
        Err(e) => {
            let message = say(&e, p.lang, "error", "not_found");
            render(&state, req, &p, Some((status_of(&e), message, &form))).await
        }
    }
}
