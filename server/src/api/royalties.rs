//! Royalties (Đ7.2a–b, Đ7.2e, Đ17): rates, budget holders and budgets,
//! sheets of published works, proposals with approval and payment,
//! statements and the annual estimate. The rules are in
//! `content::royalties`; this adapter reads requests and shapes answers.

use chrono::NaiveDate;
use content::entity::{royalty_holder, royalty_line, royalty_proposal, royalty_rate, royalty_sheet};
use content::lang::Lang;
use content::royalties::amounts::Contribution;
use content::royalties::holders;
use content::royalties::money::to_hundredths;
use content::royalties::proposals::{self, Decision, NewProposal, ShareInput};
use content::royalties::rates::{self, Measure, NewRate, RateKey};
use content::royalties::rules::{self, Action, Status};
use content::royalties::sheets::{self, SheetStatus, Work};
use content::royalties::statements::{Grouping, Scope};
use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::Tag;
use super::download::{Download, JsonOrFile, SpreadsheetFormat};
use super::types::{Choice, Day, Line, Text};
use crate::auth::{actor, require};
use crate::problem::ApiError;
use crate::state::AppState;
use content::accounts::Caller;
use content::posts::Genre;
use content::roles::Role;

pub struct RoyaltiesApi(pub AppState);

/// A rate row.
#[derive(Object)]
struct RoyaltyRateView {
    id: i32,
    /// `base_salary`, `unit_value_percent`, `coefficient_min.<genre>`,
    /// `coefficient_max.<genre>`, `translation_min_percent`,
    /// `translation_max_percent`, `incentive_max_percent`,
    /// `related_fee_max_percent`, `tax_threshold`, `tax_percent`.
    key: String,
    label: String,
    /// `vnd`, `percent` or `coefficient`.
    measure: String,
    /// In đồng, percent or coefficient units (up to two decimals).
    value: f64,
    effective_from: String,
    #[oai(nullable)]
    basis: Option<String>,
    #[oai(nullable)]
    created_by: Option<i32>,
    created_at: String,
}

/// The rates in force on a day, and every row ever entered.
#[derive(Object)]
struct RoyaltyRatesView {
    on: String,
    base_salary: i64,
    /// One coefficient unit in đồng.
    unit_value: i64,
    in_force: Vec<RoyaltyRateView>,
    history: Vec<RoyaltyRateView>,
}

/// A new rate row (Finance): it applies to works published from
/// `effective_from`.
#[derive(Object)]
struct RoyaltyRateInput {
    #[oai(validator(max_length = 60))]
    key: Line,
    effective_from: Day,
    /// In đồng for money, in percent or coefficient units otherwise (up
    /// to two decimals).
    #[oai(validator(minimum(value = "0"), maximum(value = "1000000000000")))]
    value: f64,
    #[oai(validator(max_length = 300))]
    basis: Option<Line>,
}

fn value_of(key: &str, v: i64) -> f64 {
    match RateKey::parse(key).map(|k| k.measure()) {
        Some(m) if m.hundredths() => v as f64 / 100.0,
        _ => v as f64,
    }
}

fn rate_view(r: royalty_rate::Model, lang: Lang) -> RoyaltyRateView {
    let key = RateKey::parse(&r.key);
    RoyaltyRateView {
        id: r.id,
        label: key.map(|k| k.label(lang)).unwrap_or_else(|| r.key.clone()),
        measure: key.map(|k| k.measure().as_str()).unwrap_or("vnd").to_owned(),
        value: value_of(&r.key, r.value),
        effective_from: r.effective_from.to_string(),
        key: r.key,
        basis: r.basis,
        created_by: r.created_by,
        created_at: content::time::rfc3339_vn(r.created_at),
    }
}

/// A budget holder's figures for a year.
#[derive(Object)]
struct RoyaltyMeterView {
    year: i32,
    /// `null` when no budget is set for the year.
    #[oai(nullable)]
    budget: Option<i64>,
    committed: i64,
    approved: i64,
    paid: i64,
    #[oai(nullable)]
    remaining: Option<i64>,
}

/// A budget holder.
#[derive(Object)]
struct RoyaltyHolderView {
    id: i32,
    /// The unit's code.
    code: String,
    name: String,
    /// `posts` or `answers`.
    works: String,
    proposer_roles: Vec<String>,
    approver_roles: Vec<String>,
    unpaid_warning_days: i32,
    meter: RoyaltyMeterView,
}

/// Who proposes and approves for a holder, and when unpaid works are
/// flagged.
#[derive(Object)]
struct RoyaltyHolderInput {
    #[oai(validator(min_items = 1, max_items = 12))]
    proposer_roles: Vec<Choice<Role>>,
    #[oai(validator(min_items = 1, max_items = 12))]
    approver_roles: Vec<Choice<Role>>,
    #[oai(validator(minimum(value = "1"), maximum(value = "3650")))]
    unpaid_warning_days: i32,
}

#[derive(Object)]
struct RoyaltyBudgetInput {
    /// Đồng.
    #[oai(validator(minimum(value = "0"), maximum(value = "1000000000000000")))]
    amount: i64,
}

/// A person found on a work.
#[derive(Object)]
struct RoyaltyPersonView {
    #[oai(nullable)]
    user_id: Option<i32>,
    name: String,
    #[oai(nullable)]
    unit_id: Option<i32>,
    contribution: String,
}

/// The royalty sheet of a published work.
#[derive(Object)]
struct RoyaltySheetView {
    id: i32,
    holder_id: i32,
    #[oai(nullable)]
    post_id: Option<i32>,
    #[oai(nullable)]
    question_id: Option<i32>,
    title: String,
    published_on: String,
    translation: bool,
    /// `waiting`, `proposed`, `approved` or `paid`.
    status: String,
    /// Published longer ago than the holder's warning period and unpaid.
    unpaid_warning: bool,
    people: Vec<RoyaltyPersonView>,
}

#[derive(Object)]
struct RoyaltySheetList {
    total: u64,
    items: Vec<RoyaltySheetView>,
}

/// One person of a proposal.
#[derive(Object)]
struct RoyaltyShareView {
    #[oai(validator(minimum(value = "1")))]
    user_id: Option<i32>,
    #[oai(validator(max_length = 200))]
    name: Option<Line>,
    /// The person's weight: a positive whole number.
    #[oai(validator(minimum(value = "1"), maximum(value = "1000000"), multiple_of = "1"))]
    share: f64,
    /// `author` (default), `photographer`, `translator` or `related`
    /// (paid from the related-work fee).
    contribution: Option<Choice<Contribution>>,
    /// The supplying unit of someone without an account (Đ7.2e).
    #[oai(validator(minimum(value = "1")))]
    unit_id: Option<i32>,
    /// Paid through the payroll (no withholding here). By default true
    /// for an account, false for a name.
    payroll: Option<bool>,
}

/// A proposal for a published post or answer. Rates are those in force
/// on the work's publication day.
#[derive(Object)]
struct RoyaltyProposalInput {
    #[oai(validator(minimum(value = "1")))]
    post_id: Option<i32>,
    #[oai(validator(minimum(value = "1")))]
    question_id: Option<i32>,
    genre: Choice<Genre>,
    /// Inside the genre's range (up to two decimals).
    #[oai(validator(minimum(value = "0"), maximum(value = "1000")))]
    coefficient: f64,
    #[oai(validator(min_items = 1, max_items = 50))]
    shares: Vec<RoyaltyShareView>,
    /// For a translation: 40–65 (percent of the original's royalty).
    #[oai(validator(minimum(value = "0"), maximum(value = "100")))]
    translation_percent: Option<f64>,
    /// At most 30 (percent of the royalty).
    #[oai(validator(minimum(value = "0"), maximum(value = "100")))]
    incentive_percent: Option<f64>,
    /// At most 50 (percent of the royalty), paid to `related` shares.
    #[oai(validator(minimum(value = "0"), maximum(value = "100")))]
    related_fee_percent: Option<f64>,
    #[oai(validator(max_length = 2000))]
    comment: Option<Text>,
}

/// A line of a proposal.
#[derive(Object)]
struct RoyaltyLineView {
    name: String,
    #[oai(nullable)]
    user_id: Option<i32>,
    #[oai(nullable)]
    unit_id: Option<i32>,
    contribution: String,
    share: i64,
    payroll: bool,
    /// Gross, in đồng (negative in an adjustment that takes money back).
    amount: i64,
    /// Set at payment.
    #[oai(nullable)]
    withheld: Option<i64>,
    #[oai(nullable)]
    net: Option<i64>,
}

/// A proposal with its lines.
#[derive(Object)]
struct RoyaltyProposalView {
    id: i32,
    sheet_id: i32,
    holder_id: i32,
    #[oai(nullable)]
    post_id: Option<i32>,
    #[oai(nullable)]
    question_id: Option<i32>,
    title: String,
    /// `proposed`, `approved`, `rejected` or `paid`.
    status: String,
    genre: String,
    coefficient: f64,
    /// The day whose rates apply (the work's publication).
    rate_date: String,
    base_salary: i64,
    unit_value: i64,
    #[oai(nullable)]
    translation_percent: Option<f64>,
    #[oai(nullable)]
    incentive_percent: Option<f64>,
    #[oai(nullable)]
    related_fee_percent: Option<f64>,
    royalty: i64,
    incentive: i64,
    related_fee: i64,
    /// What the lines add up to, in đồng.
    total: i64,
    budget_year: i32,
    over_budget: bool,
    #[oai(nullable)]
    adjusts_id: Option<i32>,
    proposer_id: i32,
    proposed_at: String,
    #[oai(nullable)]
    comment: Option<String>,
    #[oai(nullable)]
    decided_by: Option<i32>,
    #[oai(nullable)]
    decided_at: Option<String>,
    #[oai(nullable)]
    decision: Option<String>,
    #[oai(nullable)]
    budget_override: Option<String>,
    #[oai(nullable)]
    paid_on: Option<String>,
    #[oai(nullable)]
    payment_reference: Option<String>,
    /// Published longer ago than the holder's warning period and unpaid.
    unpaid_warning: bool,
    lines: Vec<RoyaltyLineView>,
}

#[derive(Object)]
struct RoyaltyProposalList {
    total: u64,
    items: Vec<RoyaltyProposalView>,
}

/// An approver's or Finance's action.
#[derive(Object)]
struct RoyaltyActionInput {
    action: Choice<Action>,
    /// Required to reject, and to approve over the budget.
    #[oai(validator(max_length = 2000))]
    comment: Option<Text>,
    /// The payment voucher's number (required to pay).
    #[oai(validator(max_length = 100))]
    reference: Option<Line>,
    /// Approve although the budget is exceeded (the reason in `comment`).
    override_budget: Option<bool>,
    /// The day paid (default today).
    paid_on: Option<Day>,
}

/// A row of a statement.
#[derive(Object)]
struct RoyaltyStatementRowView {
    label: String,
    #[oai(nullable)]
    user_id: Option<i32>,
    lines: u32,
    gross: i64,
    withheld: i64,
    net: i64,
    /// `group=line` only: the work and the payment.
    #[oai(nullable)]
    title: Option<String>,
    #[oai(nullable)]
    proposal_id: Option<i32>,
    #[oai(nullable)]
    contribution: Option<String>,
    #[oai(nullable)]
    paid_on: Option<String>,
    #[oai(nullable)]
    payment_reference: Option<String>,
}

#[derive(Object)]
struct RoyaltyStatementView {
    title: String,
    group: String,
    rows: Vec<RoyaltyStatementRowView>,
    total: RoyaltyStatementRowView,
}

/// The estimate of one holder.
#[derive(Object)]
struct RoyaltyEstimateView {
    holder_id: i32,
    name: String,
    meter: RoyaltyMeterView,
    projected: i64,
    unit_value_now: i64,
    unit_value_next: i64,
    estimate: i64,
}

#[derive(Object)]
struct RoyaltyEstimatesView {
    year: i32,
    holders: Vec<RoyaltyEstimateView>,
    /// The consolidated estimate for next year (Đ17.2).
    consolidated: i64,
}

/// The lines a statement covers.
#[derive(poem_openapi::Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
enum StatementStatus {
    Paid,
    Approved,
}

#[derive(ApiResponse)]
enum ProposalCreated {
    /// The proposal was stored and waits for approval.
    #[oai(status = 201)]
    Created(Json<RoyaltyProposalView>),
}

#[derive(ApiResponse)]
enum RateCreated {
    #[oai(status = 201)]
    Created(Json<RoyaltyRateView>),
}

fn hundredths(field: &str, v: Option<f64>) -> Result<Option<i64>, ApiError> {
    v.map(|x| to_hundredths(x).ok_or_else(|| ApiError::validation(field, "at most two decimals")))
        .transpose()
}

/// The holders the caller may read.
async fn readable(st: &AppState, caller: &Caller) -> Result<Vec<royalty_holder::Model>, ApiError> {
    Ok(holders::list(&st.db)
        .await?
        .into_iter()
        .filter(|h| rules::may_read(&h.roles(), &caller.account.roles))
        .collect())
}

fn require_ledger(caller: &Caller) -> Result<(), ApiError> {
    if rules::may_keep_ledger(&caller.account.roles) {
        Ok(())
    } else {
        Err(ApiError::forbidden("only finance keeps the royalty ledger"))
    }
}

fn meter_view(m: holders::Meter) -> RoyaltyMeterView {
    RoyaltyMeterView {
        remaining: m.remaining(),
        year: m.year,
        budget: m.budget,
        committed: m.committed,
        approved: m.approved,
        paid: m.paid,
    }
}

async fn holder_view(
    st: &AppState,
    h: royalty_holder::Model,
    year: i32,
) -> Result<RoyaltyHolderView, ApiError> {
    let names = crate::royalty_tables::names(&st.db, Lang::Vi).await?;
    let roles = h.roles();
    Ok(RoyaltyHolderView {
        meter: meter_view(holders::meter(&st.db, h.id, year).await?),
        name: names.holders.get(&h.id).cloned().unwrap_or_default(),
        id: h.id,
        code: h.code,
        works: h.works,
        proposer_roles: roles.proposers.iter().map(|r| r.as_str().to_owned()).collect(),
        approver_roles: roles.approvers.iter().map(|r| r.as_str().to_owned()).collect(),
        unpaid_warning_days: h.unpaid_warning_days,
    })
}

fn warning_days(all: &[royalty_holder::Model], holder_id: i32) -> i32 {
    all.iter()
        .find(|h| h.id == holder_id)
        .map(|h| h.unpaid_warning_days)
        .unwrap_or(holders::UNPAID_WARNING_DAYS)
}

fn sheet_view(s: royalty_sheet::Model, all: &[royalty_holder::Model]) -> RoyaltySheetView {
    let unpaid_warning = s.status() != SheetStatus::Paid
        && proposals::unpaid_too_long(
            s.published_on,
            content::time::today_vn(),
            warning_days(all, s.holder_id),
        );
    RoyaltySheetView {
        people: s
            .people()
            .into_iter()
            .map(|p| RoyaltyPersonView {
                user_id: p.user_id,
                name: p.name,
                unit_id: p.unit_id,
                contribution: p.contribution,
            })
            .collect(),
        unpaid_warning,
        id: s.id,
        holder_id: s.holder_id,
        post_id: s.post_id,
        question_id: s.question_id,
        title: s.title,
        published_on: s.published_on.to_string(),
        translation: s.translation,
        status: s.status,
    }
}

fn line_view(l: royalty_line::Model) -> RoyaltyLineView {
    RoyaltyLineView {
        name: l.name,
        user_id: l.user_id,
        unit_id: l.unit_id,
        contribution: l.contribution,
        share: l.share,
        payroll: l.payroll,
        amount: l.amount,
        withheld: l.withheld,
        net: l.net,
    }
}

fn proposal_view(
    p: royalty_proposal::Model,
    sheet: &royalty_sheet::Model,
    lines: Vec<royalty_line::Model>,
    all: &[royalty_holder::Model],
) -> RoyaltyProposalView {
    let pct = |v: Option<i64>| v.map(|x| x as f64 / 100.0);
    let unpaid_warning = p.status() != Status::Paid
        && p.status() != Status::Rejected
        && proposals::unpaid_too_long(
            sheet.published_on,
            content::time::today_vn(),
            warning_days(all, p.holder_id),
        );
    RoyaltyProposalView {
        id: p.id,
        sheet_id: p.sheet_id,
        holder_id: p.holder_id,
        post_id: sheet.post_id,
        question_id: sheet.question_id,
        title: sheet.title.clone(),
        status: p.status,
        genre: p.genre,
        coefficient: p.coefficient as f64 / 100.0,
        rate_date: p.rate_date.to_string(),
        base_salary: p.base_salary,
        unit_value: p.unit_value,
        translation_percent: pct(p.translation_percent),
        incentive_percent: pct(p.incentive_percent),
        related_fee_percent: pct(p.related_fee_percent),
        royalty: p.royalty,
        incentive: p.incentive,
        related_fee: p.related_fee,
        total: p.total,
        budget_year: p.budget_year,
        over_budget: p.over_budget,
        adjusts_id: p.adjusts_id,
        proposer_id: p.proposer_id,
        proposed_at: content::time::rfc3339_vn(p.proposed_at),
        comment: p.comment,
        decided_by: p.decided_by,
        decided_at: p.decided_at.map(content::time::rfc3339_vn),
        decision: p.decision,
        budget_override: p.budget_override,
        paid_on: p.paid_on.map(|d| d.to_string()),
        payment_reference: p.payment_reference,
        unpaid_warning,
        lines: lines.into_iter().map(line_view).collect(),
    }
}

fn full_view(f: proposals::Full, all: &[royalty_holder::Model]) -> RoyaltyProposalView {
    proposal_view(f.proposal, &f.sheet, f.lines, all)
}

/// The ids of the readable holders, or of the one asked for among them.
fn chosen(all: &[royalty_holder::Model], holder: Option<i32>) -> Vec<i32> {
    all.iter()
        .filter(|h| holder.is_none_or(|x| x == h.id))
        .map(|h| h.id)
        .collect()
}

/// Whether the caller may read the proposal's holder.
fn check_read(all: &[royalty_holder::Model], holder_id: i32) -> Result<(), ApiError> {
    if all.iter().any(|h| h.id == holder_id) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "this budget holder's royalties are not yours to read",
        ))
    }
}

fn statement_row(r: content::royalties::statements::Row) -> RoyaltyStatementRowView {
    let line = r.line;
    RoyaltyStatementRowView {
        label: r.label,
        user_id: r.user_id,
        lines: r.lines,
        gross: r.gross,
        withheld: r.withheld,
        net: r.net,
        title: line.as_ref().map(|l| l.title.clone()),
        proposal_id: line.as_ref().map(|l| l.proposal_id),
        contribution: line.as_ref().map(|l| l.contribution.clone()),
        paid_on: line.as_ref().and_then(|l| l.paid_on).map(|d| d.to_string()),
        payment_reference: line.and_then(|l| l.payment_reference),
    }
}

fn this_year() -> i32 {
    use chrono::Datelike;
    content::time::today_vn().year()
}

fn check_year(year: Option<i32>) -> Result<i32, ApiError> {
    let y = year.unwrap_or_else(this_year);
    if content::text::YEARS.contains(&y) {
        Ok(y)
    } else {
        Err(ApiError::validation("year", "is not a year the portal accepts"))
    }
}

#[OpenApi(tag = "Tag::Royalties")]
impl RoyaltiesApi {
    /// The rates in force on a day (default today) and the whole history
    /// of rate rows.
    #[oai(path = "/royalties/rates", method = "get")]
    async fn rates(&self, req: &Request, on: Query<Option<Day>>) -> Result<Json<RoyaltyRatesView>, ApiError> {
        let caller = require(&self.0, req).await?;
        if readable(&self.0, &caller).await?.is_empty() {
            return Err(ApiError::forbidden(
                "royalty rates are for finance and the budget holders' staff",
            ));
        }
        let on = on.0.map(|d| d.0).unwrap_or_else(content::time::today_vn);
        let history = rates::history(&self.0.db).await?;
        let table = rates::Rates::resolve(&history, on);
        let in_force = RateKey::all()
            .into_iter()
            .filter_map(|k| {
                let name = k.name();
                history
                    .iter()
                    .filter(|r| r.key == name && r.effective_from <= on)
                    .max_by_key(|r| (r.effective_from, r.id))
                    .cloned()
            })
            .map(|r| rate_view(r, Lang::Vi))
            .collect();
        let (base_salary, unit_value) = match &table {
            Ok(t) => (t.base_salary, t.unit_value()),
            Err(_) => (0, 0),
        };
        Ok(Json(RoyaltyRatesView {
            on: on.to_string(),
            base_salary,
            unit_value,
            in_force,
            history: history.into_iter().map(|r| rate_view(r, Lang::Vi)).collect(),
        }))
    }

    /// Add a rate row (Finance). It applies to works published from its
    /// day on; a row for a key and day that exist supersedes the earlier
    /// one, which stays in the history.
    #[oai(path = "/royalties/rates", method = "post")]
    async fn add_rate(&self, req: &Request, body: Json<RoyaltyRateInput>) -> Result<RateCreated, ApiError> {
        let caller = require(&self.0, req).await?;
        require_ledger(&caller)?;
        let b = body.0;
        let key = RateKey::parse(&b.key)
            .ok_or_else(|| ApiError::validation("key", format!("`{}` is not a rate key", b.key.0)))?;
        let value = if key.measure() == Measure::Dong {
            if b.value.fract() != 0.0 {
                return Err(ApiError::validation("value", "a sum of money is whole đồng"));
            }
            b.value as i64
        } else {
            to_hundredths(b.value).ok_or_else(|| ApiError::validation("value", "at most two decimals"))?
        };
        content::text::check_date("effective_from", b.effective_from.0)?;
        let row = rates::add(
            &self.0.db,
            &actor(&self.0, req, Some(&caller)),
            NewRate {
                key: key.name(),
                effective_from: b.effective_from.0,
                value,
                basis: b.basis.map(|l| l.0),
            },
        )
        .await?;
        Ok(RateCreated::Created(Json(rate_view(row, Lang::Vi))))
    }

    /// The budget holders the caller may read, with their figures for a
    /// year (default this year).
    #[oai(path = "/royalties/holders", method = "get")]
    async fn holders(
        &self,
        req: &Request,
        #[oai(validator(minimum(value = "1900"), maximum(value = "2199")))] year: Query<Option<i32>>,
    ) -> Result<Json<Vec<RoyaltyHolderView>>, ApiError> {
        let caller = require(&self.0, req).await?;
        let year = check_year(year.0)?;
        let mut out = Vec::new();
        for h in readable(&self.0, &caller).await? {
            out.push(holder_view(&self.0, h, year).await?);
        }
        Ok(Json(out))
    }

    /// Who proposes and approves for a holder, and its unpaid warning
    /// (Finance).
    #[oai(path = "/royalties/holders/:id", method = "put")]
    async fn configure(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<RoyaltyHolderInput>,
    ) -> Result<Json<RoyaltyHolderView>, ApiError> {
        let caller = require(&self.0, req).await?;
        require_ledger(&caller)?;
        let roles = |field: &str, v: &[Choice<Role>]| -> Result<Vec<Role>, ApiError> {
            v.iter().map(|c| c.get(field)).collect()
        };
        let h = holders::configure(
            &self.0.db,
            &actor(&self.0, req, Some(&caller)),
            id.0,
            holders::Settings {
                proposers: roles("proposer_roles", &body.0.proposer_roles)?,
                approvers: roles("approver_roles", &body.0.approver_roles)?,
                unpaid_warning_days: body.0.unpaid_warning_days,
            },
        )
        .await?;
        Ok(Json(holder_view(&self.0, h, this_year()).await?))
    }

    /// Set a holder's budget for a year (Finance).
    #[oai(path = "/royalties/holders/:id/budgets/:year", method = "put")]
    async fn set_budget(
        &self,
        req: &Request,
        id: Path<i32>,
        #[oai(validator(minimum(value = "1900"), maximum(value = "2199")))] year: Path<i32>,
        body: Json<RoyaltyBudgetInput>,
    ) -> Result<Json<RoyaltyHolderView>, ApiError> {
        let caller = require(&self.0, req).await?;
        require_ledger(&caller)?;
        let year = check_year(Some(year.0))?;
        holders::set_budget(
            &self.0.db,
            &actor(&self.0, req, Some(&caller)),
            id.0,
            year,
            body.0.amount,
        )
        .await?;
        let h = holders::get(&self.0.db, id.0).await?;
        Ok(Json(holder_view(&self.0, h, year).await?))
    }

    /// Each holder's estimate for next year from this year's figures, and
    /// the consolidated estimate (Đ17.2); `format=xlsx` or `csv` for the
    /// file sent to the Finance Department.
    #[oai(path = "/royalties/estimate", method = "get")]
    async fn estimate(
        &self,
        req: &Request,
        #[oai(validator(minimum(value = "1900"), maximum(value = "2199")))] year: Query<Option<i32>>,
        format: Query<Option<SpreadsheetFormat>>,
    ) -> Result<JsonOrFile<RoyaltyEstimatesView>, ApiError> {
        let caller = require(&self.0, req).await?;
        let readable = readable(&self.0, &caller).await?;
        if readable.is_empty() {
            return Err(ApiError::forbidden(
                "estimates are for finance and the budget holders",
            ));
        }
        let year = check_year(year.0)?;
        let all: Vec<_> = holders::estimates(&self.0.db, year, content::time::today_vn())
            .await?
            .into_iter()
            .filter(|e| readable.iter().any(|h| h.id == e.holder.id))
            .collect();
        let names = crate::royalty_tables::names(&self.0.db, Lang::Vi).await?;
        if let Some(f) = format.0 {
            let table = crate::royalty_tables::estimate_table(&all, &names, year, Lang::Vi);
            return Ok(JsonOrFile::File(Download::of(
                &table,
                &format!("du-toan-nhuan-but-{}", year + 1),
                f,
            )?));
        }
        let consolidated = all.iter().map(|e| e.estimate).sum();
        Ok(JsonOrFile::Json(Json(RoyaltyEstimatesView {
            year,
            consolidated,
            holders: all
                .into_iter()
                .map(|e| RoyaltyEstimateView {
                    holder_id: e.holder.id,
                    name: names.holders.get(&e.holder.id).cloned().unwrap_or_default(),
                    meter: meter_view(e.meter),
                    projected: e.projected,
                    unit_value_now: e.unit_value_now,
                    unit_value_next: e.unit_value_next,
                    estimate: e.estimate,
                })
                .collect(),
        })))
    }

    /// Sheets of published works, the longest waiting first.
    #[oai(path = "/royalties/sheets", method = "get")]
    async fn sheets(
        &self,
        req: &Request,
        status: Query<Option<Choice<SheetStatus>>>,
        #[oai(validator(minimum(value = "1")))] holder: Query<Option<i32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))] limit: Query<Option<u64>>,
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000")))] offset: Query<Option<u64>>,
    ) -> Result<Json<RoyaltySheetList>, ApiError> {
        let caller = require(&self.0, req).await?;
        let all = readable(&self.0, &caller).await?;
        let ids = chosen(&all, holder.0);
        let (rows, total) = sheets::list(
            &self.0.db,
            &sheets::Filter {
                status: status.0.map(|s| s.get("status")).transpose()?,
                holders: ids,
                limit: limit.0.unwrap_or(100),
                offset: offset.0.unwrap_or(0),
            },
        )
        .await?;
        Ok(Json(RoyaltySheetList {
            total,
            items: rows.into_iter().map(|s| sheet_view(s, &all)).collect(),
        }))
    }

    /// One sheet.
    #[oai(path = "/royalties/sheets/:id", method = "get")]
    async fn sheet(&self, req: &Request, id: Path<i32>) -> Result<Json<RoyaltySheetView>, ApiError> {
        let caller = require(&self.0, req).await?;
        let all = readable(&self.0, &caller).await?;
        let s = sheets::get(&self.0.db, id.0).await?;
        check_read(&all, s.holder_id)?;
        Ok(Json(sheet_view(s, &all)))
    }

    /// Propose the royalty of a published post or answer (opening its
    /// sheet when it has none). The coefficient must lie in the genre's
    /// range, a translation percentage in 40–65, weights be positive whole
    /// numbers; otherwise 422 naming the field, and nothing is stored.
    #[oai(path = "/royalties/proposals", method = "post")]
    async fn propose(
        &self,
        req: &Request,
        body: Json<RoyaltyProposalInput>,
    ) -> Result<ProposalCreated, ApiError> {
        let caller = require(&self.0, req).await?;
        let b = body.0;
        let work = match (b.post_id, b.question_id) {
            (Some(p), None) => Work::Post(p),
            (None, Some(q)) => Work::Question(q),
            _ => {
                return Err(ApiError::validation(
                    "post_id",
                    "give either post_id or question_id",
                ));
            }
        };
        let coefficient = to_hundredths(b.coefficient)
            .ok_or_else(|| ApiError::validation("coefficient", "at most two decimals"))?;
        let mut shares = Vec::with_capacity(b.shares.len());
        for (i, s) in b.shares.into_iter().enumerate() {
            shares.push(ShareInput {
                user_id: s.user_id,
                name: s.name.map(|n| n.0),
                share: s.share as i64,
                contribution: s
                    .contribution
                    .map(|c| c.get(&format!("shares[{i}].contribution")))
                    .transpose()?,
                unit_id: s.unit_id,
                payroll: s.payroll,
            });
        }
        let new = NewProposal {
            work,
            genre: b.genre.get("genre")?,
            coefficient,
            translation_percent: hundredths("translation_percent", b.translation_percent)?,
            incentive_percent: hundredths("incentive_percent", b.incentive_percent)?,
            related_fee_percent: hundredths("related_fee_percent", b.related_fee_percent)?,
            shares,
            comment: b.comment.map(|c| c.0),
        };
        let full = proposals::propose(
            &self.0.db,
            &caller.account,
            &actor(&self.0, req, Some(&caller)),
            new,
            content::time::now(),
        )
        .await?;
        let all = holders::list(&self.0.db).await?;
        Ok(ProposalCreated::Created(Json(full_view(full, &all))))
    }

    /// Proposals of the holders the caller may read, newest first;
    /// `from`/`to` bound the day proposed.
    #[oai(path = "/royalties/proposals", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn proposals(
        &self,
        req: &Request,
        status: Query<Option<Choice<Status>>>,
        #[oai(validator(minimum(value = "1")))] holder: Query<Option<i32>>,
        from: Query<Option<Day>>,
        to: Query<Option<Day>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))] limit: Query<Option<u64>>,
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000")))] offset: Query<Option<u64>>,
    ) -> Result<Json<RoyaltyProposalList>, ApiError> {
        let caller = require(&self.0, req).await?;
        let all = readable(&self.0, &caller).await?;
        let ids = chosen(&all, holder.0);
        let (rows, total) = proposals::list(
            &self.0.db,
            &proposals::Filter {
                status: status.0.map(|s| s.get("status")).transpose()?,
                holders: ids,
                from: from.0.map(|d| d.0),
                to: to.0.map(|d| d.0),
                limit: limit.0.unwrap_or(100),
                offset: offset.0.unwrap_or(0),
            },
        )
        .await?;
        let ids: Vec<i32> = rows.iter().map(|p| p.id).collect();
        let mut lines = proposals::lines_of(&self.0.db, &ids).await?;
        let mut items = Vec::with_capacity(rows.len());
        for p in rows {
            let sheet = sheets::get(&self.0.db, p.sheet_id).await?;
            let l = lines.remove(&p.id).unwrap_or_default();
            items.push(proposal_view(p, &sheet, l, &all));
        }
        Ok(Json(RoyaltyProposalList { total, items }))
    }

    /// One proposal with its lines.
    #[oai(path = "/royalties/proposals/:id", method = "get")]
    async fn proposal(&self, req: &Request, id: Path<i32>) -> Result<Json<RoyaltyProposalView>, ApiError> {
        let caller = require(&self.0, req).await?;
        let all = readable(&self.0, &caller).await?;
        let full = proposals::get(&self.0.db, id.0).await?;
        check_read(&all, full.proposal.holder_id)?;
        Ok(Json(full_view(full, &all)))
    }

    /// Approve or reject (the holder's approver, never the proposer), or
    /// record the payment (Finance, with the voucher's number in
    /// `reference`). Approving over the budget needs `override_budget`
    /// and the reason in `comment`.
    #[oai(path = "/royalties/proposals/:id/actions", method = "post")]
    async fn act(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<RoyaltyActionInput>,
    ) -> Result<Json<RoyaltyProposalView>, ApiError> {
        let caller = require(&self.0, req).await?;
        let b = body.0;
        let full = proposals::act(
            &self.0.db,
            &caller.account,
            &actor(&self.0, req, Some(&caller)),
            id.0,
            Decision {
                action: b.action.get("action")?,
                comment: b.comment.map(|c| c.0),
                override_budget: b.override_budget.unwrap_or(false),
                reference: b.reference.map(|r| r.0),
                paid_on: b.paid_on.map(|d| d.0),
            },
            content::time::now(),
        )
        .await?;
        let all = holders::list(&self.0.db).await?;
        Ok(Json(full_view(full, &all)))
    }

    /// A statement: lines paid in a period (by payment day), or approved
    /// and waiting for payment (`status=approved`, by approval day), every
    /// line (`group=line`, the payment list) or summed per `author`,
    /// `holder`, `genre` or `unit`; JSON, or a file with `format=csv` or
    /// `format=xlsx`. Anyone may read their own (`author` = their id).
    #[oai(path = "/royalties/statements", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn statements(
        &self,
        req: &Request,
        group: Query<Option<Choice<Grouping>>>,
        /// `paid` (default, by payment day) or `approved` (waiting for
        /// payment, by approval day).
        status: Query<Option<StatementStatus>>,
        from: Query<Option<Day>>,
        to: Query<Option<Day>>,
        #[oai(validator(minimum(value = "1")))] holder: Query<Option<i32>>,
        /// A person with an account.
        #[oai(validator(minimum(value = "1")))]
        author: Query<Option<i32>>,
        /// A person without an account, by name.
        #[oai(validator(max_length = 200))]
        name: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] unit: Query<Option<i32>>,
        genre: Query<Option<Choice<Genre>>>,
        format: Query<Option<SpreadsheetFormat>>,
    ) -> Result<JsonOrFile<RoyaltyStatementView>, ApiError> {
        let caller = require(&self.0, req).await?;
        let mut all = readable(&self.0, &caller).await?;
        let own = author.0 == Some(caller.account.user.id);
        if all.is_empty() && own {
            all = holders::list(&self.0.db).await?;
        }
        if all.is_empty() {
            return Err(ApiError::forbidden(
                "statements are for finance and the budget holders; anyone may read their own (author = your id)",
            ));
        }
        let status = match status.0 {
            Some(StatementStatus::Approved) => Status::Approved,
            _ => Status::Paid,
        };
        let (from, to) = (from.0.map(|d| d.0), to.0.map(|d| d.0));
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(ApiError::validation("to", "must not be before `from`"));
        }
        let by = group
            .0
            .map(|g| g.get("group"))
            .transpose()?
            .unwrap_or(Grouping::Author);
        let scope = Scope {
            status,
            from,
            to,
            holders: chosen(&all, holder.0),
            user_id: author.0,
            name: name
                .0
                .map(|n| content::text::typed_words(&n))
                .filter(|n| !n.is_empty()),
            unit_id: unit.0,
            genre: genre
                .0
                .map(|g| g.get("genre"))
                .transpose()?
                .map(|g| g.as_str().to_owned()),
        };
        let (statement, names) = crate::royalty_tables::statement(&self.0.db, &scope, by, Lang::Vi).await?;
        if let Some(f) = format.0 {
            let table = crate::royalty_tables::statement_table(&statement, &names, &scope, by, Lang::Vi);
            let file = format!(
                "nhuan-but-{}-{}-{}",
                by.as_str(),
                from.map(|d: NaiveDate| d.to_string()).unwrap_or_default(),
                to.map(|d| d.to_string()).unwrap_or_default()
            );
            return Ok(JsonOrFile::File(Download::of(&table, &file, f)?));
        }
        Ok(JsonOrFile::Json(Json(RoyaltyStatementView {
            title: crate::royalty_tables::title(&scope, by, Lang::Vi),
            group: by.as_str().to_owned(),
            total: statement_row(statement.total),
            rows: statement.rows.into_iter().map(statement_row).collect(),
        })))
    }
}
