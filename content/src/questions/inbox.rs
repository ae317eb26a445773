//! The inboxes: the open questions each kind of staff works from, the
//! most urgent first, with exact counts (Đ7.2b: the Support Centre
//! follows every deadline).

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::QuestionState;
use crate::accounts::Account;
use crate::entity::question;
use crate::error::Result;
use crate::roles::{QA_COORDINATION, Role};

/// Whose open questions an inbox holds: those with a running clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inbox {
    /// Every open question (coordinators).
    All,
    /// Those forwarded to one unit (its responders).
    Unit(i32),
    /// Answers waiting for the board's approval.
    Approval,
}

impl Inbox {
    /// Which inbox a user works from: coordinators see every open
    /// question, responders their unit's, board members the answers to
    /// approve.
    pub fn of(who: &Account) -> Inbox {
        let roles = &who.roles;
        if roles.any(&QA_COORDINATION) {
            Inbox::All
        } else if roles.has(Role::QaResponder) {
            who.user.unit_id.map_or(Inbox::All, Inbox::Unit)
        } else {
            Inbox::Approval
        }
    }
}

/// A page of open questions, the most urgent first: by the day they fall
/// overdue ([`qa::Schedule`]), then by receipt. A question enters the
/// inboxes once its schedule is computed: when it is asked or imported,
/// or within seconds after the calendar changed ([`reschedule`]).
pub async fn open(
    db: &impl ConnectionTrait,
    inbox: Inbox,
    offset: u64,
    limit: u64,
) -> Result<Vec<question::Model>> {
    let rows = open_select(inbox)
        .order_by_asc(question::Column::DueOn)
        .order_by_asc(question::Column::ReceivedAt)
        .order_by_asc(question::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok(match inbox {
        Inbox::Unit(u) => rows.into_iter().filter(|q| q.units().contains(&u)).collect(),
        _ => rows,
    })
}

/// How many questions an inbox holds.
pub async fn count_open(db: &impl ConnectionTrait, inbox: Inbox) -> Result<u64> {
    Ok(open_select(inbox).count(db).await?)
}

/// How many of an inbox's questions are overdue, and how many due soon,
/// on `today`.
pub async fn count_due(db: &impl ConnectionTrait, inbox: Inbox, today: NaiveDate) -> Result<(u64, u64)> {
    let overdue = open_select(inbox)
        .filter(question::Column::DueOn.lt(today))
        .count(db)
        .await?;
    let due_soon = open_select(inbox)
        .filter(question::Column::DueOn.gte(today))
        .filter(question::Column::WarnOn.lte(today))
        .count(db)
        .await?;
    Ok((overdue, due_soon))
}

pub(super) fn open_select(inbox: Inbox) -> sea_orm::Select<question::Entity> {
    let query = question::Entity::find().filter(question::Column::DueOn.is_not_null());
    match inbox {
        // A schedule is stored exactly while a clock runs, so it alone
        // selects what staff must act on (an answer published but not yet
        // sent included), and the listing can follow its index.
        Inbox::All => query,
        Inbox::Approval => query.filter(question::Column::Status.eq(QuestionState::Answered.as_str())),
        Inbox::Unit(u) => {
            // `units` holds a JSON array such as `[3,12]`: match the id as
            // a whole element in SQL, so the limit applies to the unit's
            // own questions; the exact check in `open` guards against odd
            // spacing.
            let element = sea_orm::Condition::any()
                .add(question::Column::Units.eq(format!("[{u}]")))
                .add(question::Column::Units.like(format!("[{u},%")))
                .add(question::Column::Units.like(format!("%,{u},%")))
                .add(question::Column::Units.like(format!("%,{u}]")));
            query
                .filter(question::Column::Status.is_in(QuestionState::open_names()))
                .filter(element)
        }
    }
}
