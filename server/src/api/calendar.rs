use chrono::{Datelike, NaiveDate};
use content::calendar::{self, DayOffKind, LunarDate, OverrideKind};
use content::roles::Role;
use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::Tag;
use crate::auth::{actor, require, require_role};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct CalendarApi(pub AppState);

/// A weekday on which no work is done.
#[derive(Object)]
struct DayOffView {
    date: NaiveDate,
    name: String,
    /// `holiday`, `compensatory` or `override`.
    kind: String,
}

#[derive(Object)]
struct DateView {
    date: NaiveDate,
}

#[derive(Object)]
struct LunarView {
    day: u32,
    month: u32,
    year: i32,
    /// Whether the month is a leap (intercalary) month.
    leap: bool,
}

#[derive(Object)]
struct OverrideView {
    date: NaiveDate,
    /// `day_off` or `working_day`.
    kind: String,
    reason: String,
}

#[derive(Object)]
struct OverrideInput {
    /// `day_off` (e.g. the government's Tết arrangement) or `working_day`
    /// (a make-up working Saturday).
    kind: String,
    reason: String,
}

fn kind_name(k: DayOffKind) -> &'static str {
    match k {
        DayOffKind::Holiday => "holiday",
        DayOffKind::Compensatory => "compensatory",
        DayOffKind::Override => "override",
    }
}

fn parse_date(field: &str, s: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| ApiError::validation(field, "use the form YYYY-MM-DD"))
}

#[OpenApi(tag = "Tag::Calendar")]
impl CalendarApi {
    /// Every weekday off in a year: public holidays (Labour Code 2019
    /// art. 112), compensatory days (art. 111.3) and admins' overrides.
    #[oai(path = "/calendar/holidays", method = "get")]
    async fn holidays(&self, year: Query<i32>) -> poem::Result<Json<Vec<DayOffView>>> {
        if !(1900..=2199).contains(&year.0) {
            return Err(ApiError::validation("year", "must be between 1900 and 2199").into());
        }
        let cal = content::holidays::calendar(&self.0.db)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(
            cal.days_off(year.0)
                .into_iter()
                .map(|d| DayOffView {
                    date: d.date,
                    name: d.name,
                    kind: kind_name(d.kind).to_owned(),
                })
                .collect(),
        ))
    }

    /// The N-th working day after `from` (not counting `from` itself): how
    /// every deadline of the regulation is computed.
    #[oai(path = "/calendar/add-working-days", method = "get")]
    async fn add_working_days(&self, from: Query<String>, days: Query<i64>) -> poem::Result<Json<DateView>> {
        let from = parse_date("from", &from.0)?;
        if !(0..=3650).contains(&days.0) || !(1900..=2199).contains(&from.year()) {
            return Err(ApiError::validation("days", "must be 0 to 3650, from a date in 1900–2199").into());
        }
        let cal = content::holidays::calendar(&self.0.db)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(DateView {
            date: cal.add_working_days(from, days.0 as u32),
        }))
    }

    /// The lunar date (Vietnamese calendar, UTC+7) of a solar date.
    #[oai(path = "/calendar/lunar", method = "get")]
    async fn lunar(&self, date: Query<String>) -> poem::Result<Json<LunarView>> {
        let d = parse_date("date", &date.0)?;
        if !(1900..=2199).contains(&d.year()) {
            return Err(ApiError::validation("date", "must be in 1900–2199").into());
        }
        let LunarDate {
            day,
            month,
            year,
            leap,
        } = calendar::solar_to_lunar(d);
        Ok(Json(LunarView {
            day,
            month,
            year,
            leap,
        }))
    }

    /// The admins' overrides.
    #[oai(path = "/calendar/overrides", method = "get")]
    async fn overrides(&self) -> poem::Result<Json<Vec<OverrideView>>> {
        let all = content::holidays::overrides(&self.0.db)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(
            all.into_iter()
                .map(|o| OverrideView {
                    date: o.date,
                    kind: if o.kind == OverrideKind::WorkingDay {
                        "working_day"
                    } else {
                        "day_off"
                    }
                    .to_owned(),
                    reason: o.reason,
                })
                .collect(),
        ))
    }

    /// Declare a date off or a working day (admins).
    #[oai(path = "/calendar/overrides/:date", method = "put")]
    async fn set(
        &self,
        req: &Request,
        date: Path<String>,
        body: Json<OverrideInput>,
    ) -> poem::Result<Json<OverrideView>> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let d = parse_date("date", &date.0)?;
        let o = content::holidays::set(
            &st.db,
            &actor(st, req, Some(&caller)),
            d,
            &body.kind,
            &body.reason,
        )
        .await
        .map_err(ApiError::from)?;
        reschedule_questions(st).await?;
        Ok(Json(OverrideView {
            date: o.date,
            kind: body.0.kind,
            reason: o.reason,
        }))
    }

    /// Remove an override (admins); the computed rule applies again.
    #[oai(path = "/calendar/overrides/:date", method = "delete")]
    async fn remove(&self, req: &Request, date: Path<String>) -> poem::Result<()> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let d = parse_date("date", &date.0)?;
        content::holidays::remove(&st.db, &actor(st, req, Some(&caller)), d)
            .await
            .map_err(ApiError::from)?;
        reschedule_questions(st).await?;
        Ok(())
    }
}

/// Every open question's deadlines move with the calendar: they are
/// forgotten now, so that no inbox counts them by the old calendar, and
/// computed again in the background (the scheduler would also do it).
async fn reschedule_questions(st: &AppState) -> poem::Result<()> {
    content::questions::forget_schedules(&st.db)
        .await
        .map_err(ApiError::from)?;
    let db = st.db.clone();
    tokio::spawn(async move {
        if let Err(e) = content::questions::reschedule(&db).await {
            tracing::warn!(error = %e, "cannot compute question deadlines; the scheduler will retry");
        }
    });
    Ok(())
}
