//! The working-day calendar as the portal applies it: the computed rules of
//! [`crate::calendar`] plus the overrides admins store in the database,
//! applied everywhere a deadline is computed.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::audit::{self, Actor};
use crate::calendar::{Calendar, Override, OverrideKind};
use crate::entity::calendar_override;
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

/// The calendar with the admins' overrides applied.
pub async fn calendar(db: &impl ConnectionTrait) -> Result<Calendar> {
    Ok(Calendar::new(overrides(db).await?))
}

/// Sets (or replaces) the override of one date.
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
    let reason = crate::text::clean_line(reason);
    if reason.is_empty() || reason.chars().count() > 300 {
        return Err(Error::invalid("reason", "must be 1 to 300 characters"));
    }
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
    Ok(Override { date, kind, reason })
}

/// Removes the override of one date; the computed rule applies again.
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
    .await
}
