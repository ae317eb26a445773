//! A question's deadlines and clocks, and the schedule stored with it
//! (the day it falls overdue and the day it is due soon, Đ11.1a) so that
//! inboxes sort, page and count every open question in SQL.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};

use super::QuestionState;
use crate::calendar::Calendar;
use crate::entity::question;
use crate::error::Result;
use crate::qa::{self, Clocks, Deadlines, Timeline};

/// The timeline of a stored question, for its clocks.
pub fn timeline(q: &question::Model) -> Timeline {
    Timeline {
        received: Some(crate::time::date_vn(q.received_at)),
        complex: q.complex,
        classified: q.classified_at.map(crate::time::date_vn),
        promised: q.promised_on,
        answered: q.answered_at.map(crate::time::date_vn),
        published: q.published_at.map(crate::time::date_vn),
        sent: q.sent_at.map(crate::time::date_vn),
        rejected: q.rejected_at.map(crate::time::date_vn),
        days: q.channel().days(),
    }
}

/// A question's deadlines and clocks on `today`.
pub fn clocks_of(cal: &Calendar, q: &question::Model, today: NaiveDate) -> (Deadlines, Clocks) {
    let t = timeline(q);
    let received = crate::time::date_vn(q.received_at);
    (
        qa::deadlines(cal, received, &t),
        qa::clocks(cal, received, &t, today),
    )
}

/// The stored question's [`qa::Schedule`].
pub fn schedule_of(cal: &Calendar, q: &question::Model) -> Option<qa::Schedule> {
    qa::schedule(cal, crate::time::date_vn(q.received_at), &timeline(q))
}

/// Stores the question's schedule if it changed; returns the question as
/// stored.
pub(crate) async fn store_schedule(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    q: question::Model,
) -> Result<question::Model> {
    let s = schedule_of(cal, &q);
    let (due, warn) = (s.map(|s| s.due), s.map(|s| s.warn));
    if (q.due_on, q.warn_on) == (due, warn) {
        return Ok(q);
    }
    let mut am: question::ActiveModel = q.into();
    am.due_on = Set(due);
    am.warn_on = Set(warn);
    Ok(am.update(db).await?)
}

/// Computes the schedule of open questions that have none: those written
/// before schedules were stored, or all of them after the calendar
/// changed ([`forget_schedules`]). Returns how many were computed. Every
/// node may run it; the result is the same.
pub async fn reschedule(db: &DatabaseConnection) -> Result<u64> {
    let mut done = 0;
    loop {
        let batch = question::Entity::find()
            .filter(question::Column::Status.is_in(QuestionState::open_names()))
            .filter(question::Column::DueOn.is_null())
            .order_by_asc(question::Column::Id)
            .limit(500)
            .all(db)
            .await?;
        if batch.is_empty() {
            return Ok(done);
        }
        let cal = crate::holidays::calendar(db).await?;
        let txn = crate::db::begin_write(db).await?;
        let mut stuck = true;
        for q in batch {
            let updated = store_schedule(&txn, &cal, q).await?;
            stuck &= updated.due_on.is_none();
            done += 1;
        }
        txn.commit().await?;
        if stuck {
            return Ok(done);
        }
    }
}

/// Clears the schedules of open questions, for [`reschedule`] to compute
/// again with the calendar as it now is (after an override changed). An
/// answer already published and only waiting to be sent keeps the
/// schedule it had: it is due within two working days anyway.
///
/// The rows are locked in id order, the order [`reschedule`] writes them
/// in, so the two never deadlock on PostgreSQL when a calendar change
/// arrives while the previous one is being applied.
pub async fn forget_schedules(db: &impl ConnectionTrait) -> Result<()> {
    let open_in_id_order = question::Entity::find()
        .select_only()
        .column(question::Column::Id)
        .filter(question::Column::Status.is_in(QuestionState::open_names()))
        .order_by_asc(question::Column::Id)
        .lock_exclusive()
        .as_query()
        .to_owned();
    question::Entity::update_many()
        .col_expr(
            question::Column::DueOn,
            sea_orm::sea_query::Expr::value(Option::<NaiveDate>::None),
        )
        .col_expr(
            question::Column::WarnOn,
            sea_orm::sea_query::Expr::value(Option::<NaiveDate>::None),
        )
        .filter(question::Column::Id.in_subquery(open_in_id_order))
        .exec(db)
        .await?;
    Ok(())
}
