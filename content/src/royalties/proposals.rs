//! Proposals: the amounts of a sheet, proposed by the holder's proposer,
//! approved by its approver (never the proposer), paid by Finance, each
//! step audited. The rates of the work's publication day are copied into
//! the proposal, so its amounts never move. A paid proposal never changes:
//! a correction is a new proposal that adjusts it, whose lines are the
//! difference per person.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::amounts::{self, Contribution, Terms};
use super::rates::Rates;
use super::rules::{self, Action, Status};
use super::sheets::{self, SheetStatus, Work};
use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::entity::{royalty_line, royalty_proposal, royalty_sheet, user};
use crate::error::{Error, Result};
use crate::posts::Genre;

/// One person of a proposal, as the proposer lists them.
#[derive(Clone, Debug, Default)]
pub struct ShareInput {
    /// A portal account; its name and unit are taken from it.
    pub user_id: Option<i32>,
    /// Someone without an account.
    pub name: Option<String>,
    /// The integer weight.
    pub share: i64,
    pub contribution: Option<Contribution>,
    /// The supplying unit (Đ7.2e), for someone without an account.
    pub unit_id: Option<i32>,
    /// Paid through the payroll (no withholding here); by default people
    /// with an account are, others are not.
    pub payroll: Option<bool>,
}

/// A proposal as its proposer sends it; rates in hundredths.
#[derive(Clone, Debug)]
pub struct NewProposal {
    pub work: Work,
    pub genre: Genre,
    pub coefficient: i64,
    pub translation_percent: Option<i64>,
    pub incentive_percent: Option<i64>,
    pub related_fee_percent: Option<i64>,
    pub shares: Vec<ShareInput>,
    pub comment: Option<String>,
}

/// A proposal with its lines.
#[derive(Clone, Debug)]
pub struct Full {
    pub proposal: royalty_proposal::Model,
    pub lines: Vec<royalty_line::Model>,
    pub sheet: royalty_sheet::Model,
}

impl royalty_proposal::Model {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Proposed)
    }
}

/// The person a line is for, to match lines across proposals.
fn person_key(user_id: Option<i32>, name: &str) -> String {
    match user_id {
        Some(id) => format!("u{id}"),
        None => format!("n{}", name.to_lowercase()),
    }
}

struct Line {
    user_id: Option<i32>,
    name: String,
    unit_id: Option<i32>,
    contribution: Contribution,
    share: i64,
    payroll: bool,
    amount: i64,
}

async fn resolve_shares(db: &impl ConnectionTrait, shares: &[ShareInput]) -> Result<Vec<Line>> {
    let mut out = Vec::with_capacity(shares.len());
    for (i, s) in shares.iter().enumerate() {
        if s.share <= 0 {
            return Err(Error::invalid_in(
                format!("shares[{i}].share"),
                "must be a positive whole number",
                "Tỷ lệ hưởng phải là số nguyên dương",
            ));
        }
        let contribution = s.contribution.unwrap_or(Contribution::Author);
        let (user_id, name, unit_id, payroll) = match (s.user_id, s.name.as_deref()) {
            (Some(id), _) => {
                let u = user::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .ok_or_else(|| Error::unknown(format!("shares[{i}].user_id"), format!("no user {id}")))?;
                (Some(u.id), u.display_name, u.unit_id, s.payroll.unwrap_or(true))
            }
            (None, Some(n)) => {
                let name = crate::text::line(&format!("shares[{i}].name"), n, crate::text::limits::NAME)?;
                if let Some(u) = s.unit_id {
                    crate::units::get(db, u).await.map_err(|_| {
                        Error::unknown(format!("shares[{i}].unit_id"), format!("no unit {u}"))
                    })?;
                }
                (None, name, s.unit_id, s.payroll.unwrap_or(false))
            }
            (None, None) => {
                return Err(Error::invalid_in(
                    format!("shares[{i}]"),
                    "give a user_id or a name",
                    "Cần chọn tài khoản hoặc ghi họ tên",
                ));
            }
        };
        out.push(Line {
            user_id,
            name,
            unit_id,
            contribution,
            share: s.share,
            payroll,
            amount: 0,
        });
    }
    Ok(out)
}

/// What was already paid to each person for the sheet's work.
async fn paid_so_far(db: &impl ConnectionTrait, sheet_id: i32) -> Result<Vec<(String, royalty_line::Model)>> {
    let paid: Vec<i32> = royalty_proposal::Entity::find()
        .filter(royalty_proposal::Column::SheetId.eq(sheet_id))
        .filter(royalty_proposal::Column::Status.eq(Status::Paid.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    Ok(royalty_line::Entity::find()
        .filter(royalty_line::Column::ProposalId.is_in(paid))
        .order_by_asc(royalty_line::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|l| (person_key(l.user_id, &l.name), l))
        .collect())
}

/// Proposes the amounts of a work (opening its sheet when it has none).
/// Checks the proposer's role for the holder, the terms against the rates
/// of the publication day, and the budget; stores nothing when anything is
/// refused.
pub async fn propose(
    db: &sea_orm::DatabaseConnection,
    who: &Account,
    actor: &Actor,
    new: NewProposal,
    now: DateTime<Utc>,
) -> Result<Full> {
    let comment = crate::text::optional_line("comment", new.comment.as_deref(), 2_000)?;
    let txn = crate::db::begin_write(db).await?;
    let sheet = sheets::find_or_open(&txn, new.work, who.user.id).await?;
    let holder = super::holders::get(&txn, sheet.holder_id).await?;
    if !rules::may_propose(&holder.roles(), &who.roles) {
        return Err(Error::Forbidden(format!(
            "only {} propose royalties for this work",
            holder
                .roles()
                .proposers
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        )));
    }
    let open = royalty_proposal::Entity::find()
        .filter(royalty_proposal::Column::SheetId.eq(sheet.id))
        .filter(
            royalty_proposal::Column::Status.is_in([Status::Proposed.as_str(), Status::Approved.as_str()]),
        )
        .count(&txn)
        .await?;
    if open > 0 {
        return Err(Error::Conflict(
            "this work already has a proposal waiting; approve or reject it first".into(),
        ));
    }
    let rates = Rates::resolve(&super::rates::history(&txn).await?, sheet.published_on)?;
    let mut lines = resolve_shares(&txn, &new.shares).await?;
    let terms = Terms {
        genre: new.genre,
        coefficient: new.coefficient,
        translation_percent: new.translation_percent,
        incentive_percent: new.incentive_percent,
        related_fee_percent: new.related_fee_percent,
        shares: lines
            .iter()
            .map(|l| (u64::try_from(l.share).unwrap_or(0), l.contribution))
            .collect(),
    };
    let a = amounts::compute(&rates, &terms)?;
    for (l, amount) in lines.iter_mut().zip(&a.lines) {
        l.amount = *amount;
    }
    // A correction of paid lines: each person's line is the difference
    // from what they were paid; people paid before and left out get it
    // back as a negative line.
    let paid = paid_so_far(&txn, sheet.id).await?;
    let adjusts_id = if paid.is_empty() {
        None
    } else {
        let mut by_person: HashMap<String, i64> = HashMap::new();
        for (k, l) in &paid {
            *by_person.entry(k.clone()).or_default() += l.amount;
        }
        for l in lines.iter_mut() {
            let key = person_key(l.user_id, &l.name);
            if let Some(before) = by_person.remove(&key) {
                l.amount -= before;
            }
        }
        for (k, l) in &paid {
            if let Some(before) = by_person.remove(k) {
                lines.push(Line {
                    user_id: l.user_id,
                    name: l.name.clone(),
                    unit_id: l.unit_id,
                    contribution: Contribution::parse(&l.contribution).unwrap_or(Contribution::Author),
                    share: l.share,
                    payroll: l.payroll,
                    amount: -before,
                });
            }
        }
        royalty_proposal::Entity::find()
            .filter(royalty_proposal::Column::SheetId.eq(sheet.id))
            .filter(royalty_proposal::Column::Status.eq(Status::Paid.as_str()))
            .order_by_desc(royalty_proposal::Column::Id)
            .one(&txn)
            .await?
            .map(|p| p.id)
    };
    let total: i64 = lines.iter().map(|l| l.amount).sum();
    let year = crate::time::date_vn(now).year();
    let meter = super::holders::meter(&txn, holder.id, year).await?;
    let over_budget = total > 0 && meter.would_exceed(total, true);
    let proposal = royalty_proposal::ActiveModel {
        sheet_id: Set(sheet.id),
        holder_id: Set(holder.id),
        status: Set(Status::Proposed.as_str().to_owned()),
        genre: Set(new.genre.as_str().to_owned()),
        coefficient: Set(new.coefficient),
        rate_date: Set(sheet.published_on),
        base_salary: Set(rates.base_salary),
        unit_value: Set(a.unit_value),
        translation_percent: Set(new.translation_percent),
        incentive_percent: Set(new.incentive_percent),
        related_fee_percent: Set(new.related_fee_percent),
        royalty: Set(a.royalty),
        incentive: Set(a.incentive),
        related_fee: Set(a.related_fee),
        total: Set(total),
        budget_year: Set(year),
        over_budget: Set(over_budget),
        adjusts_id: Set(adjusts_id),
        proposer_id: Set(who.user.id),
        proposed_at: Set(now),
        comment: Set(comment),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (i, l) in lines.iter().enumerate() {
        royalty_line::ActiveModel {
            proposal_id: Set(proposal.id),
            position: Set(i as i32),
            user_id: Set(l.user_id),
            name: Set(l.name.clone()),
            unit_id: Set(l.unit_id),
            contribution: Set(l.contribution.as_str().to_owned()),
            share: Set(l.share),
            payroll: Set(l.payroll),
            amount: Set(l.amount),
            withheld: Set(None),
            net: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    sheets::set_status(&txn, sheet.id, SheetStatus::Proposed).await?;
    audit::record(
        &txn,
        actor,
        "royalty.propose",
        Some(("royalty_proposal", proposal.id.to_string())),
        serde_json::json!({"sheet": sheet.id, "total": total, "over_budget": over_budget, "adjusts": adjusts_id}),
    )
    .await?;
    txn.commit().await?;
    get(db, proposal.id).await
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Full> {
    let proposal = royalty_proposal::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("royalty proposal"))?;
    let lines = royalty_line::Entity::find()
        .filter(royalty_line::Column::ProposalId.eq(id))
        .order_by_asc(royalty_line::Column::Position)
        .all(db)
        .await?;
    let sheet = sheets::get(db, proposal.sheet_id).await?;
    Ok(Full {
        proposal,
        lines,
        sheet,
    })
}

/// The proposals of a sheet, newest first.
pub async fn of_sheet(db: &impl ConnectionTrait, sheet_id: i32) -> Result<Vec<royalty_proposal::Model>> {
    Ok(royalty_proposal::Entity::find()
        .filter(royalty_proposal::Column::SheetId.eq(sheet_id))
        .order_by_desc(royalty_proposal::Column::Id)
        .all(db)
        .await?)
}

/// An approver's or Finance's decision.
#[derive(Clone, Debug)]
pub struct Decision {
    pub action: Action,
    pub comment: Option<String>,
    /// Approve over the budget: the reason (needs `override_budget`).
    pub override_budget: bool,
    /// The payment voucher's number (paying).
    pub reference: Option<String>,
    /// The day paid; today by default.
    pub paid_on: Option<NaiveDate>,
}

/// Approves, rejects or records the payment of a proposal. At payment the
/// tax withheld is computed per person on this payment's total for them,
/// with the rates of the work's publication day.
pub async fn act(
    db: &sea_orm::DatabaseConnection,
    who: &Account,
    actor: &Actor,
    id: i32,
    d: Decision,
    now: DateTime<Utc>,
) -> Result<Full> {
    let comment = crate::text::optional_line("comment", d.comment.as_deref(), 2_000)?;
    let txn = crate::db::begin_write(db).await?;
    let full = get(&txn, id).await?;
    let p = &full.proposal;
    let holder = super::holders::get(&txn, p.holder_id).await?;
    rules::check_action(&holder.roles(), &who.roles, who.user.id, p.proposer_id, d.action)?;
    let to = d.action.next(p.status())?;
    let mut am: royalty_proposal::ActiveModel = p.clone().into();
    am.status = Set(to.as_str().to_owned());
    let sheet_status = match d.action {
        Action::Reject => {
            let Some(reason) = comment.clone() else {
                return Err(Error::invalid_in(
                    "comment",
                    "say why the proposal is rejected",
                    "Cần ghi lý do không duyệt",
                ));
            };
            am.decided_by = Set(Some(who.user.id));
            am.decided_at = Set(Some(now));
            am.decision = Set(Some(reason));
            SheetStatus::Waiting
        }
        Action::Approve => {
            let meter = super::holders::meter(&txn, p.holder_id, p.budget_year).await?;
            let exceeds = p.total > 0 && (p.over_budget || meter.would_exceed(p.total, false));
            if exceeds {
                if !d.override_budget {
                    return Err(Error::invalid_in(
                        "override_budget",
                        format!(
                            "approving this goes over the {} budget of {}; set override_budget and give the reason in comment",
                            p.budget_year, holder.code
                        ),
                        "Đề xuất vượt dự toán: cần xác nhận duyệt vượt dự toán và ghi lý do",
                    ));
                }
                let Some(reason) = comment.clone() else {
                    return Err(Error::invalid_in(
                        "comment",
                        "approving over the budget needs the reason",
                        "Duyệt vượt dự toán cần ghi lý do",
                    ));
                };
                am.budget_override = Set(Some(reason));
            }
            am.decided_by = Set(Some(who.user.id));
            am.decided_at = Set(Some(now));
            am.decision = Set(comment.clone());
            SheetStatus::Approved
        }
        Action::Pay => {
            let reference = crate::text::optional_line("reference", d.reference.as_deref(), 100)?
                .ok_or_else(|| {
                    Error::invalid_in(
                        "reference",
                        "give the payment voucher's number",
                        "Cần ghi số chứng từ chi",
                    )
                })?;
            let paid_on = d.paid_on.unwrap_or_else(|| crate::time::date_vn(now));
            crate::text::check_date("paid_on", paid_on)?;
            if paid_on > crate::time::date_vn(now) {
                return Err(Error::invalid_in(
                    "paid_on",
                    "must not be in the future",
                    "Ngày chi không được sau hôm nay",
                ));
            }
            let rates = Rates::resolve(&super::rates::history(&txn).await?, p.rate_date)?;
            pay_lines(&txn, &full.lines, &rates).await?;
            am.paid_on = Set(Some(paid_on));
            am.payment_reference = Set(Some(reference));
            am.paid_by = Set(Some(who.user.id));
            am.paid_at = Set(Some(now));
            SheetStatus::Paid
        }
    };
    let res = royalty_proposal::Entity::update_many()
        .col_expr(royalty_proposal::Column::Status, Expr::value(to.as_str()))
        .filter(royalty_proposal::Column::Id.eq(p.id))
        .filter(royalty_proposal::Column::Status.eq(p.status.as_str()))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(Error::Conflict(
            "the proposal changed meanwhile; reload it".into(),
        ));
    }
    am.update(&txn).await?;
    sheets::set_status(&txn, p.sheet_id, sheet_status).await?;
    audit::record(
        &txn,
        actor,
        &format!("royalty.{}", d.action.as_str()),
        Some(("royalty_proposal", id.to_string())),
        serde_json::json!({"from": p.status, "to": to.as_str(), "total": p.total,
            "override_budget": d.override_budget, "reference": d.reference}),
    )
    .await?;
    txn.commit().await?;
    get(db, id).await
}

/// Withholding per person on this payment, spread over their lines.
async fn pay_lines(txn: &impl ConnectionTrait, lines: &[royalty_line::Model], rates: &Rates) -> Result<()> {
    let mut people: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let k = person_key(l.user_id, &l.name);
        match people.iter_mut().find(|(key, _)| *key == k) {
            Some((_, idx)) => idx.push(i),
            None => people.push((k, vec![i])),
        }
    }
    for (_, idx) in people {
        let amounts: Vec<i64> = idx.iter().map(|i| lines[*i].amount).collect();
        let total: i64 = amounts.iter().sum();
        let payroll = idx.iter().all(|i| lines[*i].payroll);
        let withheld = amounts::withholding(rates, total, payroll);
        let spread = amounts::spread_withholding(withheld, &amounts);
        for (i, w) in idx.iter().zip(spread) {
            let l = &lines[*i];
            royalty_line::Entity::update_many()
                .col_expr(royalty_line::Column::Withheld, Expr::value(Some(w)))
                .col_expr(royalty_line::Column::Net, Expr::value(Some(l.amount - w)))
                .filter(royalty_line::Column::Id.eq(l.id))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}

/// Filters for listing proposals, newest first.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub status: Option<Status>,
    /// The holders the caller may read.
    pub holders: Vec<i32>,
    /// Proposed on or after / on or before (Vietnam days).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: u64,
    pub offset: u64,
}

pub async fn list(db: &impl ConnectionTrait, f: &Filter) -> Result<(Vec<royalty_proposal::Model>, u64)> {
    let mut q =
        royalty_proposal::Entity::find().filter(royalty_proposal::Column::HolderId.is_in(f.holders.clone()));
    if let Some(s) = f.status {
        q = q.filter(royalty_proposal::Column::Status.eq(s.as_str()));
    }
    if let Some(d) = f.from {
        q = q.filter(royalty_proposal::Column::ProposedAt.gte(crate::time::start_of_day_vn(d)));
    }
    if let Some(d) = f.to {
        q = q.filter(
            royalty_proposal::Column::ProposedAt.lt(crate::time::start_of_day_vn(d + chrono::Days::new(1))),
        );
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(royalty_proposal::Column::Id)
        .limit(f.limit.clamp(1, 500))
        .offset(f.offset)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// The lines of many proposals, grouped by proposal id.
pub async fn lines_of(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<HashMap<i32, Vec<royalty_line::Model>>> {
    let mut out: HashMap<i32, Vec<royalty_line::Model>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for l in royalty_line::Entity::find()
            .filter(royalty_line::Column::ProposalId.is_in(chunk.to_vec()))
            .order_by_asc(royalty_line::Column::Position)
            .all(db)
            .await?
        {
            out.entry(l.proposal_id).or_default().push(l);
        }
    }
    Ok(out)
}

/// Whether a work published on `published_on` is still unpaid after the
/// holder's warning period (default 60 days).
pub fn unpaid_too_long(published_on: NaiveDate, today: NaiveDate, warning_days: i32) -> bool {
    (today - published_on).num_days() > i64::from(warning_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpaid_warning_after_the_period() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert!(!unpaid_too_long(d(9, 1), d(10, 31), 60));
        assert!(unpaid_too_long(d(9, 1), d(11, 1), 60));
    }

    #[test]
    fn people_match_by_account_or_name() {
        assert_eq!(person_key(Some(3), "X"), person_key(Some(3), "Y"));
        assert_eq!(person_key(None, "Lê Văn A"), person_key(None, "lê văn a"));
        assert_ne!(person_key(None, "3"), person_key(Some(3), "3"));
    }
}
