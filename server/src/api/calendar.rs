use chrono::{Datelike, NaiveDate};
use content::calendar::{self, DayOffKind, LunarDate, OverrideKind, RuleDate};
use content::roles::Role;
use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::Tag;
use super::models::Text;
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
    kind: Text,
    reason: Text,
}

fn kind_name(k: DayOffKind) -> &'static str {
    match k {
        DayOffKind::Holiday => "holiday",
        DayOffKind::Compensatory => "compensatory",
        DayOffKind::Override => "override",
    }
}

/// A public holiday as the law sets it, in force from `valid_from` (and
/// until `valid_until` once repealed).
#[derive(Object)]
struct RuleView {
    id: i32,
    name: String,
    /// `solar`, `lunar` or `lunar_year_end` (Tết's first day, the last day
    /// of the lunar year).
    calendar: String,
    /// Month and day of the date; null for `lunar_year_end`.
    #[oai(nullable)]
    month: Option<u32>,
    #[oai(nullable)]
    day: Option<u32>,
    /// Consecutive days off.
    days: u32,
    valid_from: NaiveDate,
    #[oai(nullable)]
    valid_until: Option<NaiveDate>,
    /// The law that sets it.
    source: String,
}

impl From<content::holidays::StoredRule> for RuleView {
    fn from(s: content::holidays::StoredRule) -> Self {
        let (calendar, month, day) = match s.rule.date {
            RuleDate::Solar { month, day } => ("solar", Some(month), Some(day)),
            RuleDate::Lunar { month, day } => ("lunar", Some(month), Some(day)),
            RuleDate::LunarYearEnd => ("lunar_year_end", None, None),
        };
        RuleView {
            id: s.id,
            name: s.rule.name,
            calendar: calendar.to_owned(),
            month,
            day,
            days: s.rule.days,
            valid_from: s.rule.from,
            valid_until: s.rule.until,
            source: s.rule.source,
        }
    }
}

/// A new holiday rule (a change of law).
#[derive(Object)]
struct RuleInput {
    #[oai(validator(min_length = 1, max_length = 200))]
    name: Text,
    /// `solar`, `lunar` or `lunar_year_end`.
    calendar: Text,
    #[oai(validator(minimum(value = "1"), maximum(value = "12")))]
    #[oai(nullable)]
    month: Option<u32>,
    #[oai(validator(minimum(value = "1"), maximum(value = "31")))]
    #[oai(nullable)]
    day: Option<u32>,
    #[oai(validator(minimum(value = "1"), maximum(value = "10")))]
    days: u32,
    valid_from: NaiveDate,
    #[oai(nullable)]
    valid_until: Option<NaiveDate>,
    #[oai(validator(min_length = 1, max_length = 300))]
    source: Text,
}

/// The end of a rule.
#[derive(Object)]
struct RuleEnd {
    /// The last day the rule applies.
    valid_until: NaiveDate,
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
    async fn holidays(&self, year: Query<i32>) -> Result<Json<Vec<DayOffView>>, ApiError> {
        if !(1900..=2199).contains(&year.0) {
            return Err(ApiError::validation("year", "must be between 1900 and 2199"));
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
    async fn add_working_days(
        &self,
        from: Query<String>,
        days: Query<i64>,
    ) -> Result<Json<DateView>, ApiError> {
        let from = parse_date("from", &from.0)?;
        if !(0..=3650).contains(&days.0) || !(1900..=2199).contains(&from.year()) {
            return Err(ApiError::validation(
                "days",
                "must be 0 to 3650, from a date in 1900–2199",
            ));
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
    async fn lunar(&self, date: Query<String>) -> Result<Json<LunarView>, ApiError> {
        let d = parse_date("date", &date.0)?;
        if !(1900..=2199).contains(&d.year()) {
            return Err(ApiError::validation("date", "must be in 1900–2199"));
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

    /// The holiday rules of the law, with the period each is in force.
    #[oai(path = "/calendar/rules", method = "get")]
    async fn rules(&self) -> Result<Json<Vec<RuleView>>, ApiError> {
        let all = content::holidays::rules(&self.0.db)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(all.into_iter().map(RuleView::from).collect()))
    }

    /// Add a holiday rule when the law changes (admins); every open
    /// question's deadlines are computed again.
    #[oai(path = "/calendar/rules", method = "post")]
    async fn add_rule(&self, req: &Request, body: Json<RuleInput>) -> Result<Json<RuleView>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let b = body.0;
        let date = match (b.calendar.as_str(), b.month, b.day) {
            ("solar", Some(month), Some(day)) => RuleDate::Solar { month, day },
            ("lunar", Some(month), Some(day)) => RuleDate::Lunar { month, day },
            ("lunar_year_end", _, _) => RuleDate::LunarYearEnd,
            ("solar" | "lunar", _, _) => {
                return Err(ApiError::validation(
                    "day",
                    "a solar or lunar rule needs month and day",
                ));
            }
            _ => {
                return Err(ApiError::validation(
                    "calendar",
                    "must be solar, lunar or lunar_year_end",
                ));
            }
        };
        let rule = calendar::HolidayRule {
            name: b.name.into(),
            date,
            days: b.days,
            from: b.valid_from,
            until: b.valid_until,
            source: b.source.into(),
        };
        let stored = content::holidays::add_rule(&st.db, &actor(st, req, Some(&caller)), &rule)
            .await
            .map_err(ApiError::from)?;
        reschedule_questions(st);
        Ok(Json(stored.into()))
    }

    /// End a holiday rule (admins): the law was repealed or replaced.
    #[oai(path = "/calendar/rules/:id", method = "patch")]
    async fn end_rule(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<RuleEnd>,
    ) -> Result<Json<RuleView>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let stored =
            content::holidays::end_rule(&st.db, &actor(st, req, Some(&caller)), id.0, body.0.valid_until)
                .await
                .map_err(ApiError::from)?;
        reschedule_questions(st);
        Ok(Json(stored.into()))
    }

    /// The admins' overrides.
    #[oai(path = "/calendar/overrides", method = "get")]
    async fn overrides(&self) -> Result<Json<Vec<OverrideView>>, ApiError> {
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
    ) -> Result<Json<OverrideView>, ApiError> {
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
        reschedule_questions(st);
        Ok(Json(OverrideView {
            date: o.date,
            kind: body.0.kind.into(),
            reason: o.reason,
        }))
    }

    /// Remove an override (admins); the computed rule applies again.
    #[oai(path = "/calendar/overrides/:date", method = "delete")]
    async fn remove(&self, req: &Request, date: Path<String>) -> Result<(), ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let d = parse_date("date", &date.0)?;
        content::holidays::remove(&st.db, &actor(st, req, Some(&caller)), d)
            .await
            .map_err(ApiError::from)?;
        reschedule_questions(st);
        Ok(())
    }
}

/// Every open question's deadlines move with the calendar: the domain
/// forgot them with the change, so no inbox counts them by the old
/// calendar; they are computed again now in the background (the scheduler
/// would also do it within seconds).
fn reschedule_questions(st: &AppState) {
    let db = st.db.clone();
    tokio::spawn(async move {
        if let Err(e) = content::questions::reschedule(&db).await {
            tracing::warn!(error = %e, "cannot compute question deadlines; the scheduler will retry");
        }
    });
}
