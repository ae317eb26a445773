use chrono::NaiveDate;
use content::calendar::{self, DayOffKind, LunarDate, OverrideKind, RuleDate};
use content::roles::Role;
use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::Tag;
use super::types::{Day, Text};
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
    kind: OverrideKindInput,
    #[oai(validator(min_length = 1, max_length = 300))]
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
    calendar: RuleCalendar,
    #[oai(validator(minimum(value = "1"), maximum(value = "12")))]
    #[oai(nullable)]
    month: Option<u32>,
    #[oai(validator(minimum(value = "1"), maximum(value = "31")))]
    #[oai(nullable)]
    day: Option<u32>,
    #[oai(validator(minimum(value = "1"), maximum(value = "10")))]
    days: u32,
    valid_from: Day,
    #[oai(nullable)]
    valid_until: Option<Day>,
    #[oai(validator(min_length = 1, max_length = 300))]
    source: Text,
}

/// Where a rule's date is: `solar`, `lunar`, or `lunar_year_end` (the last
/// day of the lunar year, Tết's first day off).
#[derive(poem_openapi::Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
enum RuleCalendar {
    Solar,
    Lunar,
    LunarYearEnd,
}

/// `day_off` (e.g. the government's Tết arrangement) or `working_day` (a
/// make-up working Saturday).
#[derive(poem_openapi::Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
enum OverrideKindInput {
    DayOff,
    WorkingDay,
}

impl OverrideKindInput {
    fn as_str(self) -> &'static str {
        match self {
            OverrideKindInput::DayOff => "day_off",
            OverrideKindInput::WorkingDay => "working_day",
        }
    }
}

/// The end of a rule.
#[derive(Object)]
struct RuleEnd {
    /// The last day the rule applies.
    valid_until: Day,
}

#[OpenApi(tag = "Tag::Calendar")]
impl CalendarApi {
    /// Every weekday off in a year: public holidays (Labour Code 2019
    /// art. 112), compensatory days (art. 111.3) and admins' overrides.
    #[oai(path = "/calendar/holidays", method = "get")]
    async fn holidays(
        &self,
        #[oai(validator(minimum(value = "1900"), maximum(value = "2199")))] year: Query<i32>,
    ) -> Result<Json<Vec<DayOffView>>, ApiError> {
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
        from: Query<Day>,
        #[oai(validator(minimum(value = "0"), maximum(value = "3650")))] days: Query<u32>,
    ) -> Result<Json<DateView>, ApiError> {
        let from = from.0.0;
        let cal = content::holidays::calendar(&self.0.db)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(DateView {
            date: cal.add_working_days(from, days.0),
        }))
    }

    /// The lunar date (Vietnamese calendar, UTC+7) of a solar date.
    #[oai(path = "/calendar/lunar", method = "get")]
    async fn lunar(&self, date: Query<Day>) -> Result<Json<LunarView>, ApiError> {
        let d = date.0.0;
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
        let date = match (b.calendar, b.month, b.day) {
            (RuleCalendar::Solar, Some(month), Some(day)) => RuleDate::Solar { month, day },
            (RuleCalendar::Lunar, Some(month), Some(day)) => RuleDate::Lunar { month, day },
            (RuleCalendar::LunarYearEnd, _, _) => RuleDate::LunarYearEnd,
            _ => {
                return Err(ApiError::validation(
                    "day",
                    "a solar or lunar rule needs month and day",
                ));
            }
        };
        let rule = calendar::HolidayRule {
            name: b.name.into(),
            date,
            days: b.days,
            from: b.valid_from.0,
            until: b.valid_until.map(|d| d.0),
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
            content::holidays::end_rule(&st.db, &actor(st, req, Some(&caller)), id.0, body.0.valid_until.0)
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
        date: Path<Day>,
        body: Json<OverrideInput>,
    ) -> Result<Json<OverrideView>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let d = date.0.0;
        let o = content::holidays::set(
            &st.db,
            &actor(st, req, Some(&caller)),
            d,
            body.kind.as_str(),
            &body.reason,
        )
        .await
        .map_err(ApiError::from)?;
        reschedule_questions(st);
        Ok(Json(OverrideView {
            date: o.date,
            kind: body.kind.as_str().to_owned(),
            reason: o.reason,
        }))
    }

    /// Remove an override (admins); the computed rule applies again.
    #[oai(path = "/calendar/overrides/:date", method = "delete")]
    async fn remove(&self, req: &Request, date: Path<Day>) -> Result<(), ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let d = date.0.0;
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
