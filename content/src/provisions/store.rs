//! Recording, linking and listing the events of Đ11.1.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    Set,
};
use serde::Serialize;

use super::kinds;
use super::rules::{self, Status};
use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::calendar::Calendar;
use crate::entity::{entry, post, provision_event, provision_kind};
use crate::error::{Error, Result};
use crate::questions::Mail;
use crate::roles::Role;

/// An event a unit records.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub unit_id: i32,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub what: String,
}

/// The published item that meets an obligation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Post(i32),
    Entry(i32),
}

/// An event with where it stands today.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    #[serde(flatten)]
    pub row: EventRow,
    pub status: Status,
    pub kind_vi: String,
    pub kind_en: String,
}

/// The stored fields shown to readers.
#[derive(Clone, Debug, Serialize)]
pub struct EventRow {
    pub id: i32,
    pub unit_id: i32,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub what: String,
    pub due_on: NaiveDate,
    pub post_id: Option<i32>,
    pub entry_id: Option<i32>,
    pub met_on: Option<NaiveDate>,
}

impl From<&provision_event::Model> for EventRow {
    fn from(m: &provision_event::Model) -> Self {
        EventRow {
            id: m.id,
            unit_id: m.unit_id,
            kind: m.kind.clone(),
            occurred_on: m.occurred_on,
            what: m.what.clone(),
            due_on: m.due_on,
            post_id: m.post_id,
            entry_id: m.entry_id,
            met_on: m.met_on,
        }
    }
}

fn event(
    cal: &Calendar,
    kinds: &[provision_kind::Model],
    m: &provision_event::Model,
    today: NaiveDate,
) -> Event {
    let k = kinds::in_force(kinds, &m.kind, m.occurred_on);
    Event {
        row: m.into(),
        status: rules::status(cal, m.due_on, m.met_on, today),
        kind_vi: k.map(|k| k.name_vi.clone()).unwrap_or_else(|| m.kind.clone()),
        kind_en: k.map(|k| k.name_en.clone()).unwrap_or_else(|| m.kind.clone()),
    }
}

fn allowed(caller: &Account, unit_id: i32) -> Result<()> {
    if rules::may_act(&caller.roles, caller.user.unit_id, unit_id) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the unit's own staff and the Communication Centre handle its information deadlines".into(),
        ))
    }
}

/// Records an event; its due day is fixed now, from the rule in force on
/// the event's day.
pub async fn record(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    actor: &Actor,
    caller: &Account,
    new: NewEvent,
) -> Result<Event> {
    crate::units::get(db, new.unit_id)
        .await
        .map_err(|_| Error::unknown("unit_id", "no such unit"))?;
    allowed(caller, new.unit_id)?;
    let all = kinds::all(db).await?;
    let Some(kind) = kinds::in_force(&all, &new.kind, new.occurred_on) else {
        return Err(Error::invalid_in(
            "kind",
            format!(
                "no information kind `{}` in force on {}",
                new.kind, new.occurred_on
            ),
            format!(
                "không có loại thông tin này áp dụng vào ngày {}",
                new.occurred_on.format("%d/%m/%Y")
            ),
        ));
    };
    let today = crate::time::today_vn();
    if new.occurred_on > today + chrono::Duration::days(366) {
        return Err(Error::invalid_in(
            "occurred_on",
            "must be within a year from today",
            "ngày phát sinh phải trong vòng một năm kể từ hôm nay",
        ));
    }
    let what = crate::text::line("what", &new.what, 500)?;
    let due_on = kinds::due_on(cal, kind, new.occurred_on);
    let row = provision_event::ActiveModel {
        unit_id: Set(new.unit_id),
        kind: Set(kind.code.clone()),
        occurred_on: Set(new.occurred_on),
        what: Set(what),
        due_on: Set(due_on),
        recorded_by: Set(actor.user_id),
        recorded_at: Set(crate::time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "provision.record",
        Some(("provision_event", row.id.to_string())),
        serde_json::json!({"unit_id": row.unit_id, "kind": row.kind, "occurred_on": row.occurred_on,
            "due_on": row.due_on}),
    )
    .await?;
    Ok(event(cal, &all, &row, today))
}

/// One event, for someone who may see its unit's obligations.
pub async fn get(db: &impl ConnectionTrait, cal: &Calendar, caller: &Account, id: i32) -> Result<Event> {
    let row = provision_event::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("information event"))?;
    allowed(caller, row.unit_id)?;
    let all = kinds::all(db).await?;
    Ok(event(cal, &all, &row, crate::time::today_vn()))
}

/// Meets an obligation with a live published item; the day it counts is
/// the day the item was first published (Vietnam time).
pub async fn link(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    actor: &Actor,
    caller: &Account,
    id: i32,
    item: Item,
) -> Result<Event> {
    let row = provision_event::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("information event"))?;
    allowed(caller, row.unit_id)?;
    if row.met_on.is_some() {
        return Err(Error::Conflict(
            "this obligation is already met by a published item".into(),
        ));
    }
    let published_at = match item {
        Item::Post(pid) => {
            post::Entity::find_by_id(pid)
                .one(db)
                .await?
                .filter(|p| p.live_revision_id.is_some())
                .ok_or_else(|| Error::unknown("post_id", "no published post with this id"))?
                .published_at
        }
        Item::Entry(eid) => {
            entry::Entity::find_by_id(eid)
                .one(db)
                .await?
                .filter(|e| e.live_version.is_some())
                .ok_or_else(|| Error::unknown("entry_id", "no published entry with this id"))?
                .published_at
        }
    };
    let met_on = published_at
        .map(crate::time::date_vn)
        .unwrap_or_else(crate::time::today_vn);
    let mut am = row.into_active_model();
    match item {
        Item::Post(pid) => am.post_id = Set(Some(pid)),
        Item::Entry(eid) => am.entry_id = Set(Some(eid)),
    }
    am.met_on = Set(Some(met_on));
    am.linked_by = Set(actor.user_id);
    am.linked_at = Set(Some(crate::time::now()));
    let row = am.update(db).await?;
    audit::record(
        db,
        actor,
        "provision.link",
        Some(("provision_event", row.id.to_string())),
        serde_json::json!({"post_id": row.post_id, "entry_id": row.entry_id, "met_on": row.met_on,
            "due_on": row.due_on}),
    )
    .await?;
    let all = kinds::all(db).await?;
    Ok(event(cal, &all, &row, crate::time::today_vn()))
}

/// Which events to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// `None`: every unit the caller may see.
    pub unit_id: Option<i32>,
    /// Events due in this year.
    pub year: Option<i32>,
    pub status: Option<Status>,
}

/// The events the caller may see, due day first.
pub async fn list(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    caller: &Account,
    f: &Filter,
) -> Result<Vec<Event>> {
    let mut q = provision_event::Entity::find();
    match f.unit_id {
        Some(u) => {
            allowed(caller, u)?;
            q = q.filter(provision_event::Column::UnitId.eq(u));
        }
        None if caller.roles.any(&rules::FOLLOW_ALL) => {}
        None => match caller.user.unit_id {
            Some(u) => q = q.filter(provision_event::Column::UnitId.eq(u)),
            None => return Ok(Vec::new()),
        },
    }
    if let Some(y) = f.year {
        let (from, to) = year_bounds(y)?;
        q = q.filter(provision_event::Column::DueOn.between(from, to));
    }
    let rows = q
        .order_by_asc(provision_event::Column::DueOn)
        .order_by_asc(provision_event::Column::Id)
        .all(db)
        .await?;
    let all = kinds::all(db).await?;
    let today = crate::time::today_vn();
    Ok(rows
        .iter()
        .map(|r| event(cal, &all, r, today))
        .filter(|e| f.status.is_none_or(|s| e.status == s))
        .collect())
}

fn year_bounds(y: i32) -> Result<(NaiveDate, NaiveDate)> {
    match (
        NaiveDate::from_ymd_opt(y, 1, 1),
        NaiveDate::from_ymd_opt(y, 12, 31),
    ) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(Error::invalid("year", "not a year")),
    }
}

/// A unit's obligations by status.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct UnitTally {
    pub unit_id: i32,
    pub pending: u32,
    pub due_soon: u32,
    pub overdue: u32,
    pub met_on_time: u32,
    pub met_late: u32,
    /// Met on time among those due by `as_of` (met or overdue); `None`
    /// when none was due yet.
    pub on_time_rate: Option<f64>,
}

/// Every unit's obligations due in `year`, as they stood on `as_of`
/// (today for the dashboard, the year's last day for the annual report:
/// an item linked later still counts as met on its publication day).
pub async fn tally(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    year: i32,
    as_of: NaiveDate,
) -> Result<Vec<UnitTally>> {
    let (from, to) = year_bounds(year)?;
    let rows = provision_event::Entity::find()
        .filter(provision_event::Column::DueOn.between(from, to))
        .all(db)
        .await?;
    let mut per: BTreeMap<i32, UnitTally> = BTreeMap::new();
    for r in rows {
        let met = r.met_on.filter(|m| *m <= as_of);
        let t = per.entry(r.unit_id).or_insert_with(|| UnitTally {
            unit_id: r.unit_id,
            ..Default::default()
        });
        match rules::status(cal, r.due_on, met, as_of) {
            Status::Pending => t.pending += 1,
            Status::DueSoon => t.due_soon += 1,
            Status::Overdue => t.overdue += 1,
            Status::MetOnTime => t.met_on_time += 1,
            Status::MetLate => t.met_late += 1,
        }
    }
    Ok(per
        .into_values()
        .map(|mut t| {
            let due = t.met_on_time + t.met_late + t.overdue;
            t.on_time_rate = (due > 0).then(|| f64::from(t.met_on_time) / f64::from(due));
            t
        })
        .collect())
}

/// The daily reminder of obligations due soon or overdue, to the unit's
/// contributors and whoever recorded the event (merged with the Q&A
/// reminders into one mail per person by the caller).
pub async fn reminders(db: &impl ConnectionTrait, cal: &Calendar, today: NaiveDate) -> Result<Vec<Mail>> {
    let open = provision_event::Entity::find()
        .filter(provision_event::Column::MetOn.is_null())
        .filter(provision_event::Column::DueOn.lte(cal.add_working_days(today, 1)))
        .order_by_asc(provision_event::Column::DueOn)
        .all(db)
        .await?;
    if open.is_empty() {
        return Ok(Vec::new());
    }
    let all = kinds::all(db).await?;
    let mut mails = Vec::new();
    for account in crate::accounts::list(db).await? {
        let Some(email) = account.user.email.clone().filter(|_| !account.user.disabled) else {
            continue;
        };
        let mine: Vec<String> = open
            .iter()
            .filter(|e| {
                e.recorded_by == Some(account.user.id)
                    || (account.user.unit_id == Some(e.unit_id) && account.roles.has(Role::Contributor))
            })
            .map(|e| {
                let ev = event(cal, &all, e, today);
                let state = if ev.status == Status::Overdue {
                    "QUÁ HẠN"
                } else {
                    "sắp đến hạn"
                };
                format!(
                    "- [{state}] {}: {} (hạn đăng {})",
                    ev.kind_vi,
                    e.what,
                    e.due_on.format("%d/%m/%Y")
                )
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        mails.push(Mail {
            to: email,
            subject: format!(
                "[Cổng TTĐT BHXH] {} thông tin sắp đến hạn hoặc quá hạn cung cấp",
                mine.len()
            ),
            body: format!(
                "Kính gửi {},\n\nThông tin đơn vị cần cung cấp cho Cổng (Điều 11.1 Quy chế), ngày {}:\n{}\n",
                account.user.display_name,
                today.format("%d/%m/%Y"),
                mine.join("\n")
            ),
        });
    }
    Ok(mails)
}
