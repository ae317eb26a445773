//! Budget holders, their annual budgets, the budget meter and the annual
//! estimate. The Communication Centre pays for works published on the
//! portal (Đ7.2a), the Support Centre for the Q&A column (Đ7.2b); each
//! prepares its estimate and the Communication Centre consolidates them
//! for the Finance Department (Đ17.2–3).

use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::rules::{HolderRoles, Status};
use crate::audit::{self, Actor};
use crate::entity::{royalty_budget, royalty_holder, royalty_proposal};
use crate::error::{Error, Result};
use crate::roles::Role;
use crate::units::codes;

/// What a holder pays for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Works {
    /// Works published on the portal (posts).
    Posts,
    /// Answers published in the Q&A column.
    Answers,
}

impl Works {
    pub fn as_str(self) -> &'static str {
        match self {
            Works::Posts => "posts",
            Works::Answers => "answers",
        }
    }
}

/// The default warning for unpaid works, in days after publication.
pub const UNPAID_WARNING_DAYS: i32 = 60;

/// The seeded holders: (unit code, works, proposers, approvers).
const SEED: [(&str, Works, &[Role], &[Role]); 2] = [
    (
        codes::COMMUNICATION_CENTRE,
        Works::Posts,
        &[Role::Editor],
        &[Role::BoardDeputyStanding, Role::BoardHead],
    ),
    (
        codes::SUPPORT_CENTRE,
        Works::Answers,
        &[Role::QaCoordinator],
        &[Role::QaCoordinator],
    ),
];

fn role_json(roles: &[Role]) -> String {
    serde_json::to_string(&roles.iter().map(|r| r.as_str()).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into())
}

fn parse_roles(json: &str) -> Vec<Role> {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect()
}

impl royalty_holder::Model {
    /// Who proposes and approves for this holder.
    pub fn roles(&self) -> HolderRoles {
        HolderRoles {
            proposers: parse_roles(&self.proposer_roles),
            approvers: parse_roles(&self.approver_roles),
        }
    }
}

/// Inserts the holders that are missing. Returns how many it added.
pub async fn seed(db: &impl ConnectionTrait) -> Result<usize> {
    let mut added = 0;
    for (code, works, proposers, approvers) in SEED {
        if royalty_holder::Entity::find()
            .filter(royalty_holder::Column::Code.eq(code))
            .one(db)
            .await?
            .is_some()
        {
            continue;
        }
        let unit = crate::units::find_by_code(db, code).await?;
        royalty_holder::ActiveModel {
            code: Set(code.to_owned()),
            unit_id: Set(unit.map(|u| u.id)),
            works: Set(works.as_str().to_owned()),
            proposer_roles: Set(role_json(proposers)),
            approver_roles: Set(role_json(approvers)),
            unpaid_warning_days: Set(UNPAID_WARNING_DAYS),
            updated_at: Set(crate::time::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        added += 1;
    }
    Ok(added)
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<royalty_holder::Model>> {
    Ok(royalty_holder::Entity::find()
        .order_by_asc(royalty_holder::Column::Id)
        .all(db)
        .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<royalty_holder::Model> {
    royalty_holder::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("budget holder"))
}

/// The holder that pays for `works`.
pub async fn for_works(db: &impl ConnectionTrait, works: Works) -> Result<Option<royalty_holder::Model>> {
    Ok(royalty_holder::Entity::find()
        .filter(royalty_holder::Column::Works.eq(works.as_str()))
        .order_by_asc(royalty_holder::Column::Id)
        .one(db)
        .await?)
}

/// The settings Finance may change on a holder.
#[derive(Clone, Debug)]
pub struct Settings {
    pub proposers: Vec<Role>,
    pub approvers: Vec<Role>,
    pub unpaid_warning_days: i32,
}

/// Changes who proposes and approves, and the unpaid warning; audited.
pub async fn configure(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
    s: Settings,
) -> Result<royalty_holder::Model> {
    let h = get(db, id).await?;
    if s.proposers.is_empty() {
        return Err(Error::invalid_in(
            "proposer_roles",
            "name at least one role",
            "Cần ít nhất một vai trò đề xuất",
        ));
    }
    if s.approvers.is_empty() {
        return Err(Error::invalid_in(
            "approver_roles",
            "name at least one role",
            "Cần ít nhất một vai trò duyệt",
        ));
    }
    if !(1..=3650).contains(&s.unpaid_warning_days) {
        return Err(Error::invalid_in(
            "unpaid_warning_days",
            "must be between 1 and 3650",
            "Phải từ 1 đến 3650 ngày",
        ));
    }
    let mut am: royalty_holder::ActiveModel = h.into();
    am.proposer_roles = Set(role_json(&s.proposers));
    am.approver_roles = Set(role_json(&s.approvers));
    am.unpaid_warning_days = Set(s.unpaid_warning_days);
    am.updated_at = Set(crate::time::now());
    let h = am.update(db).await?;
    audit::record(
        db,
        actor,
        "royalty.holder",
        Some(("royalty_holder", id.to_string())),
        serde_json::json!({"proposer_roles": h.proposer_roles, "approver_roles": h.approver_roles,
            "unpaid_warning_days": h.unpaid_warning_days}),
    )
    .await?;
    Ok(h)
}

/// Sets a holder's budget for a year (Finance); audited.
pub async fn set_budget(
    db: &impl ConnectionTrait,
    actor: &Actor,
    holder_id: i32,
    year: i32,
    amount: i64,
) -> Result<royalty_budget::Model> {
    get(db, holder_id).await?;
    if !crate::text::YEARS.contains(&year) {
        return Err(Error::invalid("year", "is not a year the portal accepts"));
    }
    if !(0..=1_000_000_000_000_000).contains(&amount) {
        return Err(Error::invalid_in(
            "amount",
            "must be between 0 and 10^18 đồng",
            "Số tiền không hợp lệ",
        ));
    }
    let existing = royalty_budget::Entity::find()
        .filter(royalty_budget::Column::HolderId.eq(holder_id))
        .filter(royalty_budget::Column::Year.eq(year))
        .one(db)
        .await?;
    let previous = existing.as_ref().map(|b| b.amount);
    let row = match existing {
        Some(b) => {
            let mut am: royalty_budget::ActiveModel = b.into();
            am.amount = Set(amount);
            am.updated_by = Set(actor.user_id);
            am.updated_at = Set(crate::time::now());
            am.update(db).await?
        }
        None => {
            royalty_budget::ActiveModel {
                holder_id: Set(holder_id),
                year: Set(year),
                amount: Set(amount),
                updated_by: Set(actor.user_id),
                updated_at: Set(crate::time::now()),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    audit::record(
        db,
        actor,
        "royalty.budget",
        Some(("royalty_holder", holder_id.to_string())),
        serde_json::json!({"year": year, "amount": amount, "previous": previous}),
    )
    .await?;
    Ok(row)
}

/// Where a holder's budget of a year stands, in đồng.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meter {
    pub holder_id: i32,
    pub year: i32,
    /// `None` when no budget is set for the year.
    pub budget: Option<i64>,
    /// Proposed, waiting for approval.
    pub committed: i64,
    /// Approved, not yet paid.
    pub approved: i64,
    pub paid: i64,
}

impl Meter {
    /// The budget less everything proposed, approved or paid.
    pub fn remaining(&self) -> Option<i64> {
        self.budget
            .map(|b| b - self.committed - self.approved - self.paid)
    }

    /// Whether `more` on top of everything already charged goes over the
    /// budget (a year without a budget has none to spend).
    pub fn would_exceed(&self, more: i64, with_committed: bool) -> bool {
        let charged = self.approved + self.paid + if with_committed { self.committed } else { 0 };
        charged + more > self.budget.unwrap_or(0)
    }
}

#[derive(FromQueryResult)]
struct StatusSum {
    status: String,
    total: Option<i64>,
}

/// The meter of a holder for a year.
pub async fn meter(db: &impl ConnectionTrait, holder_id: i32, year: i32) -> Result<Meter> {
    let budget = royalty_budget::Entity::find()
        .filter(royalty_budget::Column::HolderId.eq(holder_id))
        .filter(royalty_budget::Column::Year.eq(year))
        .one(db)
        .await?
        .map(|b| b.amount);
    let sums = royalty_proposal::Entity::find()
        .select_only()
        .column(royalty_proposal::Column::Status)
        .column_as(Expr::cust("CAST(SUM(total) AS BIGINT)"), "total")
        .filter(royalty_proposal::Column::HolderId.eq(holder_id))
        .filter(royalty_proposal::Column::BudgetYear.eq(year))
        .group_by(royalty_proposal::Column::Status)
        .into_model::<StatusSum>()
        .all(db)
        .await?;
    let mut m = Meter {
        holder_id,
        year,
        budget,
        ..Default::default()
    };
    for s in sums {
        let t = s.total.unwrap_or(0);
        match Status::parse(&s.status) {
            Some(Status::Proposed) => m.committed += t,
            Some(Status::Approved) => m.approved += t,
            Some(Status::Paid) => m.paid += t,
            _ => {}
        }
    }
    Ok(m)
}

/// A holder's estimate for next year (Đ17.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Estimate {
    pub holder: royalty_holder::Model,
    pub meter: Meter,
    /// This year's spending (proposed, approved and paid) carried to the
    /// whole year at the pace so far.
    pub projected: i64,
    pub unit_value_now: i64,
    /// The unit value in force on 1 January of next year, as the rate
    /// table knows it.
    pub unit_value_next: i64,
    /// The projection at next year's unit value.
    pub estimate: i64,
}

/// Carries `spent` by `today` to the whole year, then to next year's unit
/// value. Pure: tested below.
pub fn project(spent: i64, year: i32, today: NaiveDate, unit_now: i64, unit_next: i64) -> (i64, i64) {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let end = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(today);
    let days_in_year = (end - start).num_days().max(1);
    let elapsed = if today < start {
        0
    } else if today >= end {
        days_in_year
    } else {
        (today - start).num_days() + 1
    };
    let projected = if elapsed == 0 {
        0
    } else {
        super::money::div_round(
            i128::from(spent) * i128::from(days_in_year as i32),
            i128::from(elapsed),
        )
    };
    let estimate = if unit_now > 0 && unit_next > 0 {
        super::money::div_round(
            i128::from(projected) * i128::from(unit_next),
            i128::from(unit_now),
        )
    } else {
        projected
    };
    (projected, estimate)
}

/// Every holder's estimate for `year + 1` from the figures of `year`.
pub async fn estimates(db: &impl ConnectionTrait, year: i32, today: NaiveDate) -> Result<Vec<Estimate>> {
    let rows = super::rates::history(db).await?;
    let on = if today.year() == year {
        today
    } else {
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today)
    };
    // A year before any rate (or a gap in the table) is projected as it
    // stands, without the change of unit value.
    let unit = |d: NaiveDate| super::rates::Rates::resolve(&rows, d).map_or(0, |r| r.unit_value());
    let unit_now = unit(on);
    let unit_next = unit(NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(today));
    let mut out = Vec::new();
    for holder in list(db).await? {
        let meter = meter(db, holder.id, year).await?;
        let spent = meter.committed + meter.approved + meter.paid;
        let (projected, estimate) = project(spent, year, today, unit_now, unit_next);
        out.push(Estimate {
            holder,
            meter,
            projected,
            unit_value_now: unit_now,
            unit_value_next: unit_next,
            estimate,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_year_is_projected_at_its_pace_and_next_years_unit_value() {
        // Half of 2026 (181 of 365 days) spent 100 million.
        let (p, e) = project(100_000_000, 2026, day(2026, 6, 30), 234_000, 253_000);
        assert_eq!(p, 201_657_459);
        assert_eq!(e, 218_031_355);
        // A closed year is its own total.
        assert_eq!(project(50, 2025, day(2026, 3, 1), 1, 1), (50, 50));
        assert_eq!(project(50, 2027, day(2026, 3, 1), 1, 1), (0, 0));
        assert_eq!(
            project(50, 2025, day(2026, 3, 1), 0, 253_000),
            (50, 50),
            "no rate: as it stands"
        );
    }

    #[test]
    fn the_meter_counts_what_is_charged() {
        let m = Meter {
            holder_id: 1,
            year: 2026,
            budget: Some(1_000),
            committed: 300,
            approved: 200,
            paid: 400,
        };
        assert_eq!(m.remaining(), Some(100));
        assert!(!m.would_exceed(100, true));
        assert!(m.would_exceed(101, true));
        assert!(!m.would_exceed(400, false));
        let none = Meter::default();
        assert!(none.would_exceed(1, true), "no budget, nothing to spend");
        assert_eq!(none.remaining(), None);
    }
}
