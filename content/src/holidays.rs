//! The working-day calendar as the portal applies it: the holiday rules of
//! the law and the admins' overrides, both stored in the database, applied
//! everywhere a deadline is computed. Any change to either makes every
//! open question's deadlines be computed again.

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::audit::{self, Actor};
use crate::calendar::{Calendar, HolidayRule, Override, OverrideKind, RuleDate};
use crate::entity::{calendar_override, holiday_rule};
use crate::error::{Error, Result};

fn kind_of(s: &str) -> OverrideKind {
    if s == "working_day" {
        OverrideKind::WorkingDay
    } else {
        OverrideKind::DayOff
    }
}

fn kind_name(k: OverrideKind) -> &'static str {
    match k {
        OverrideKind::DayOff => "day_off",
        OverrideKind::WorkingDay => "working_day",
    }
}

/// Every stored override, by date.
pub async fn overrides(db: &impl ConnectionTrait) -> Result<Vec<Override>> {
    Ok(calendar_override::Entity::find()
        .order_by_asc(calendar_override::Column::Date)
        .all(db)
        .await?
        .into_iter()
        .map(|o| Override {
            date: o.date,
            kind: kind_of(&o.kind),
            reason: o.reason,
        })
        .collect())
}

/// A stored rule with its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRule {
    pub id: i32,
    pub rule: HolidayRule,
}

fn rule_of(m: holiday_rule::Model) -> StoredRule {
    let (month, day) = (m.month.unwrap_or(1) as u32, m.day.unwrap_or(1) as u32);
    let date = match m.calendar.as_str() {
        "lunar" => RuleDate::Lunar { month, day },
        "lunar_year_end" => RuleDate::LunarYearEnd,
        _ => RuleDate::Solar { month, day },
    };
    StoredRule {
        id: m.id,
        rule: HolidayRule {
            name: m.name,
            date,
            days: m.days.max(0) as u32,
            from: m.valid_from,
            until: m.valid_until,
            source: m.source,
        },
    }
}

/// The holiday rules, oldest first.
pub async fn rules(db: &impl ConnectionTrait) -> Result<Vec<StoredRule>> {
    Ok(holiday_rule::Entity::find()
        .order_by_asc(holiday_rule::Column::ValidFrom)
        .order_by_asc(holiday_rule::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(rule_of)
        .collect())
}

/// The calendar of the stored rules with the admins' overrides applied.
pub async fn calendar(db: &impl ConnectionTrait) -> Result<Calendar> {
    let rules = rules(db).await?.into_iter().map(|r| r.rule).collect();
    Ok(Calendar::with_rules(rules, overrides(db).await?))
}

/// Checks a rule before it is stored: a date that exists, 1–10 days, a
/// name and a source, a period in the supported years.
fn check_rule(rule: &HolidayRule) -> Result<HolidayRule> {
    let name = crate::text::clean_line(&rule.name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::invalid("name", "must be 1 to 200 characters"));
    }
    let source = crate::text::clean_line(&rule.source);
    if source.is_empty() || source.chars().count() > 300 {
        return Err(Error::invalid(
            "source",
            "name the law that sets the holiday (1 to 300 characters)",
        ));
    }
    if !(1..=10).contains(&rule.days) {
        return Err(Error::invalid("days", "must be 1 to 10"));
    }
    match rule.date {
        RuleDate::Solar { month, day } if NaiveDate::from_ymd_opt(2024, month, day).is_none() => {
            return Err(Error::invalid("day", "is not a day of that month"));
        }
        RuleDate::Lunar { month, day } if !(1..=12).contains(&month) || !(1..=30).contains(&day) => {
            return Err(Error::invalid(
                "day",
                "a lunar date has a month 1–12 and a day 1–30",
            ));
        }
        _ => {}
    }
    crate::text::check_date("from", rule.from)?;
    if let Some(until) = rule.until {
        crate::text::check_date("until", until)?;
        if until < rule.from {
            return Err(Error::invalid("until", "must not be before from"));
        }
    }
    Ok(HolidayRule {
        name,
        source,
        ..rule.clone()
    })
}

async fn insert_rule(db: &impl ConnectionTrait, rule: &HolidayRule, by: Option<i32>) -> Result<StoredRule> {
    let (calendar, month, day) = match rule.date {
        RuleDate::Solar { month, day } => ("solar", Some(month as i32), Some(day as i32)),
        RuleDate::Lunar { month, day } => ("lunar", Some(month as i32), Some(day as i32)),
        RuleDate::LunarYearEnd => ("lunar_year_end", None, None),
    };
    let m = holiday_rule::ActiveModel {
        name: Set(rule.name.clone()),
        calendar: Set(calendar.to_owned()),
        month: Set(month),
        day: Set(day),
        days: Set(rule.days as i32),
        valid_from: Set(rule.from),
        valid_until: Set(rule.until),
        source: Set(rule.source.clone()),
        created_by: Set(by),
        created_at: Set(crate::time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(rule_of(m))
}

/// Adds a rule (a new law), audited; open questions' deadlines follow.
pub async fn add_rule(db: &impl ConnectionTrait, actor: &Actor, rule: &HolidayRule) -> Result<StoredRule> {
    let rule = check_rule(rule)?;
    let stored = insert_rule(db, &rule, actor.user_id).await?;
    audit::record(
        db,
        actor,
        "calendar.rule_added",
        Some(("holiday_rule", stored.id.to_string())),
        serde_json::json!({"name": rule.name, "from": rule.from, "until": rule.until, "source": rule.source}),
    )
    .await?;
    crate::questions::forget_schedules(db).await?;
    Ok(stored)
}

/// Ends a rule on `until` (the law was repealed or replaced), audited.
pub async fn end_rule(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
    until: NaiveDate,
) -> Result<StoredRule> {
    let m = holiday_rule::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("holiday rule"))?;
    crate::text::check_date("until", until)?;
    if until < m.valid_from {
        return Err(Error::invalid("until", "must not be before the rule's start"));
    }
    let mut am: holiday_rule::ActiveModel = m.into();
    am.valid_until = Set(Some(until));
    let stored = rule_of(am.update(db).await?);
    audit::record(
        db,
        actor,
        "calendar.rule_ended",
        Some(("holiday_rule", id.to_string())),
        serde_json::json!({"until": until}),
    )
    .await?;
    crate::questions::forget_schedules(db).await?;
    Ok(stored)
}

/// Seeds the law's rules into an empty table, and the announced
/// arrangements of years that have no override yet (admins' own choices
/// for a year are never touched). Returns (rules, overrides) added.
pub async fn seed(db: &impl ConnectionTrait) -> Result<(usize, usize)> {
    let mut rules = 0;
    if holiday_rule::Entity::find().count(db).await? == 0 {
        for rule in crate::calendar::law() {
            insert_rule(db, &rule, None).await?;
            rules += 1;
        }
    }
    let existing = overrides(db).await?;
    let mut added = 0;
    let law = calendar(db).await?;
    for arrangement in crate::seed::calendar::ARRANGEMENTS {
        if existing.iter().any(|o| o.date.year() == arrangement.year) {
            continue;
        }
        for o in arrangement.overrides(&law) {
            calendar_override::ActiveModel {
                date: Set(o.date),
                kind: Set(kind_name(o.kind).to_owned()),
                reason: Set(o.reason),
                created_by: Set(None),
                created_at: Set(crate::time::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            added += 1;
        }
    }
    if rules + added > 0 {
        crate::questions::forget_schedules(db).await?;
    }
    Ok((rules, added))
}

/// Sets (or replaces) the override of one date; open questions' deadlines
/// follow.
pub async fn set(
    db: &impl ConnectionTrait,
    actor: &Actor,
    date: NaiveDate,
    kind: &str,
    reason: &str,
) -> Result<Override> {
    let kind = match kind {
        "day_off" => OverrideKind::DayOff,
        "working_day" => OverrideKind::WorkingDay,
        _ => return Err(Error::invalid("kind", "must be `day_off` or `working_day`")),
    };
    crate::text::check_date("date", date)?;
    let reason = crate::text::clean_line(reason);
    if reason.is_empty() || reason.chars().count() > 300 {
        return Err(Error::invalid("reason", "must be 1 to 300 characters"));
    }
    crate::text::check_text("reason", &reason)?;
    calendar_override::Entity::delete_many()
        .filter(calendar_override::Column::Date.eq(date))
        .exec(db)
        .await?;
    calendar_override::ActiveModel {
        date: Set(date),
        kind: Set(kind_name(kind).to_owned()),
        reason: Set(reason.clone()),
        created_by: Set(actor.user_id),
        created_at: Set(crate::time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "calendar.override",
        Some(("date", date.to_string())),
        serde_json::json!({"kind": kind_name(kind), "reason": reason}),
    )
    .await?;
    crate::questions::forget_schedules(db).await?;
    Ok(Override { date, kind, reason })
}

/// Removes the override of one date; the rules apply again.
pub async fn remove(db: &impl ConnectionTrait, actor: &Actor, date: NaiveDate) -> Result<()> {
    let res = calendar_override::Entity::delete_many()
        .filter(calendar_override::Column::Date.eq(date))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(Error::NotFound("calendar override"));
    }
    audit::record(
        db,
        actor,
        "calendar.override_removed",
        Some(("date", date.to_string())),
        serde_json::Value::Null,
    )
    .await?;
    crate::questions::forget_schedules(db).await
}
