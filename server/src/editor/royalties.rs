//! The royalty screens (Đ7.2a–b, Đ17) for editors, approvers and Finance:
//! what waits for a proposal, for approval and for payment (with the
//! unpaid warning), each holder's budget meter, a sheet's proposal form, a
//! proposal's approval and payment, statements with downloads, and the
//! rate tables with their history. Everything is decided by
//! `content::royalties`; these handlers read forms and render.

use chrono::{Datelike, NaiveDate};
use content::accounts::Caller;
use content::entity::{royalty_holder, royalty_proposal, royalty_sheet};
use content::lang::Lang;
use content::posts::Genre;
use content::royalties::amounts::Contribution;
use content::royalties::holders;
use content::royalties::money::{format_hundredths, format_vnd, to_hundredths};
use content::royalties::proposals::{self, Decision, NewProposal, ShareInput};
use content::royalties::rates::{self, RateKey, Rates, genre_label};
use content::royalties::rules::{self, Action, Status};
use content::royalties::sheets::{self, SheetStatus, Work};
use content::royalties::statements::{Grouping, Scope};
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};
use serde::Serialize;

use super::session::{Page, checked_form, db_err, redirect, status_of};
use crate::auth::actor;
use crate::forms::{Form, query};
use crate::royalty_tables;
use crate::spreadsheet::Table;
use crate::state::AppState;

/// What a royalty screen renders with: the request, the page, the caller
/// and the budget holders they may read.
struct Screen<'a> {
    state: &'a AppState,
    req: &'a Request,
    page: &'a Page,
    caller: &'a Caller,
    holders: &'a [royalty_holder::Model],
}

/// The caller and the holders they may read; otherwise the response.
async fn ledger_reader(
    state: &AppState,
    req: &Request,
) -> poem::Result<Result<(Page, Caller, Vec<royalty_holder::Model>), Response>> {
    let (p, caller) = match super::session::with_roles(state, req, &content::roles::Role::ALL).await? {
        Ok(x) => x,
        Err(r) => return Ok(Err(r)),
    };
    let holders = holders::list(&state.db)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter(|h| rules::may_read(&h.roles(), &caller.account.roles))
        .collect::<Vec<_>>();
    if holders.is_empty() {
        return Ok(Err(p
            .message(state, req, StatusCode::FORBIDDEN, "forbidden")
            .await?));
    }
    Ok(Ok((p, caller, holders)))
}

macro_rules! reader_or_return {
    ($state:expr, $req:expr) => {
        match ledger_reader($state, $req).await? {
            Ok(x) => x,
            Err(r) => return Ok(r),
        }
    };
}

/// A refusal in the screen's language: the domain's Vietnamese where it
/// has one, the screen's own words for refusals and clashes.
fn say(e: &content::Error, lang: Lang) -> String {
    super::session::say(e, lang, "royalty_conflict", "royalty_unknown")
}

#[derive(Serialize)]
struct MeterView {
    name: String,
    year: i32,
    budget: Option<String>,
    committed: String,
    approved: String,
    paid: String,
    remaining: Option<String>,
    /// Share of the budget charged, 0–100, for the bar.
    percent: i64,
    over: bool,
}

fn meter_view(name: String, m: &holders::Meter) -> MeterView {
    let charged = m.committed + m.approved + m.paid;
    let percent = match m.budget {
        Some(b) if b > 0 => (charged.saturating_mul(100) / b).clamp(0, 100),
        _ => 100,
    };
    MeterView {
        name,
        year: m.year,
        budget: m.budget.map(format_vnd),
        committed: format_vnd(m.committed),
        approved: format_vnd(m.approved),
        paid: format_vnd(m.paid),
        remaining: m.remaining().map(format_vnd),
        percent,
        over: m.remaining().is_none_or(|r| r < 0),
    }
}

#[derive(Serialize)]
struct SheetRow {
    id: i32,
    title: String,
    holder: String,
    published: String,
    status: &'static str,
    warning: bool,
}

fn sheet_row(
    s: &royalty_sheet::Model,
    names: &content::royalties::statements::Names,
    days: i32,
    lang: Lang,
) -> SheetRow {
    SheetRow {
        id: s.id,
        title: s.title.clone(),
        holder: names.holders.get(&s.holder_id).cloned().unwrap_or_default(),
        published: s.published_on.format("%d/%m/%Y").to_string(),
        status: s.status().label(lang),
        warning: s.status() != SheetStatus::Paid
            && proposals::unpaid_too_long(s.published_on, content::time::today_vn(), days),
    }
}

#[derive(Serialize)]
struct ProposalRow {
    id: i32,
    title: String,
    holder: String,
    total: String,
    status: &'static str,
    proposed: String,
    over_budget: bool,
    warning: bool,
    yours: bool,
}

fn warning_days(all: &[royalty_holder::Model], id: i32) -> i32 {
    all.iter()
        .find(|h| h.id == id)
        .map(|h| h.unpaid_warning_days)
        .unwrap_or(holders::UNPAID_WARNING_DAYS)
}

async fn proposal_rows(
    state: &AppState,
    caller: &Caller,
    all: &[royalty_holder::Model],
    names: &content::royalties::statements::Names,
    status: Status,
    lang: Lang,
) -> poem::Result<Vec<ProposalRow>> {
    let (rows, _) = proposals::list(
        &state.db,
        &proposals::Filter {
            status: Some(status),
            holders: all.iter().map(|h| h.id).collect(),
            limit: 200,
            ..Default::default()
        },
    )
    .await
    .map_err(db_err)?;
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        let sheet = sheets::get(&state.db, p.sheet_id).await.map_err(db_err)?;
        let holder = all.iter().find(|h| h.id == p.holder_id);
        let action = match status {
            Status::Proposed => Some(Action::Approve),
            Status::Approved => Some(Action::Pay),
            _ => None,
        };
        let yours = match (holder, action) {
            (Some(h), Some(a)) => rules::check_action(
                &h.roles(),
                &caller.account.roles,
                caller.account.user.id,
                p.proposer_id,
                a,
            )
            .is_ok(),
            _ => false,
        };
        out.push(ProposalRow {
            id: p.id,
            title: sheet.title.clone(),
            holder: names.holders.get(&p.holder_id).cloned().unwrap_or_default(),
            total: format_vnd(p.total),
            status: p.status().label(lang),
            proposed: content::time::format_vn(p.proposed_at),
            over_budget: p.over_budget,
            warning: proposals::unpaid_too_long(
                sheet.published_on,
                content::time::today_vn(),
                warning_days(all, p.holder_id),
            ),
            yours,
        });
    }
    Ok(out)
}

/// `GET /editor/royalties`: the work waiting for each role and the budget
/// meters.
#[handler]
pub async fn overview(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, caller, all) = reader_or_return!(&state, req);
    let lang = p.lang;
    let names = royalty_tables::names(&state.db, lang).await.map_err(db_err)?;
    let year = content::time::today_vn().year();
    let mut meters = Vec::new();
    for h in &all {
        let m = holders::meter(&state.db, h.id, year).await.map_err(db_err)?;
        meters.push(meter_view(
            names.holders.get(&h.id).cloned().unwrap_or_default(),
            &m,
        ));
    }
    let (waiting, waiting_total) = sheets::list(
        &state.db,
        &sheets::Filter {
            status: Some(SheetStatus::Waiting),
            holders: all.iter().map(|h| h.id).collect(),
            limit: 100,
            offset: 0,
        },
    )
    .await
    .map_err(db_err)?;
    let waiting: Vec<_> = waiting
        .iter()
        .map(|s| sheet_row(s, &names, warning_days(&all, s.holder_id), lang))
        .collect();
    let proposed = proposal_rows(&state, &caller, &all, &names, Status::Proposed, lang).await?;
    let approved = proposal_rows(&state, &caller, &all, &names, Status::Approved, lang).await?;
    p.render(
        &state,
        req,
        StatusCode::OK,
        "royalties.html",
        context! {
            meters => meters, waiting => waiting, waiting_total => waiting_total,
            proposed => proposed, approved => approved,
            finance => rules::may_keep_ledger(&caller.account.roles),
        },
    )
    .await
}

/// A person row of the proposal form, as typed.
#[derive(Serialize, Default, Clone)]
struct PersonRow {
    user_id: String,
    name: String,
    contribution: String,
    share: String,
    payroll: bool,
}

/// The proposal form as typed (or prefilled from the sheet).
#[derive(Serialize, Default, Clone)]
struct ProposalForm {
    genre: String,
    coefficient: String,
    translation_percent: String,
    incentive_percent: String,
    related_fee_percent: String,
    comment: String,
    people: Vec<PersonRow>,
}

const EXTRA_ROWS: usize = 2;

fn prefilled(sheet: &royalty_sheet::Model, genre: Option<&str>) -> ProposalForm {
    let mut people: Vec<PersonRow> = sheet
        .people()
        .into_iter()
        .map(|p| PersonRow {
            payroll: p.user_id.is_some(),
            user_id: p.user_id.map(|u| u.to_string()).unwrap_or_default(),
            name: p.name,
            contribution: p.contribution,
            share: "1".into(),
        })
        .collect();
    people.extend(std::iter::repeat_n(
        PersonRow {
            contribution: "author".into(),
            ..Default::default()
        },
        EXTRA_ROWS,
    ));
    ProposalForm {
        genre: genre.unwrap_or("news").to_owned(),
        people,
        ..Default::default()
    }
}

fn typed(form: &Form) -> ProposalForm {
    let field = |k: &str| form.get(k).unwrap_or_default().trim().to_owned();
    let users: Vec<&str> = form.all("user_id").collect();
    let names: Vec<&str> = form.all("name").collect();
    let contributions: Vec<&str> = form.all("contribution").collect();
    let shares: Vec<&str> = form.all("share").collect();
    let payroll: Vec<&str> = form.all("payroll").collect();
    let people = (0..names.len())
        .map(|i| PersonRow {
            user_id: users.get(i).copied().unwrap_or_default().trim().to_owned(),
            name: names[i].trim().to_owned(),
            contribution: contributions.get(i).copied().unwrap_or("author").to_owned(),
            share: shares.get(i).copied().unwrap_or_default().trim().to_owned(),
            payroll: payroll.contains(&i.to_string().as_str()),
        })
        .collect();
    ProposalForm {
        genre: field("genre"),
        coefficient: field("coefficient"),
        translation_percent: field("translation_percent"),
        incentive_percent: field("incentive_percent"),
        related_fee_percent: field("related_fee_percent"),
        comment: field("comment"),
        people,
    }
}

/// A decimal typed the Vietnamese way (`7,5`) or the English way (`7.5`).
fn decimal(field: &str, s: &str) -> content::Result<Option<i64>> {
    let s = s.trim().replace(',', ".");
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<f64>()
        .ok()
        .and_then(to_hundredths)
        .map(Some)
        .ok_or_else(|| {
            content::Error::invalid_in(
                field,
                "is not a number",
                "Phải là một số (tối đa hai chữ số thập phân)",
            )
        })
}

fn read_proposal(work: Work, f: &ProposalForm) -> content::Result<NewProposal> {
    let genre: Genre = f.genre.parse()?;
    let coefficient = decimal("coefficient", &f.coefficient)?
        .ok_or_else(|| content::Error::invalid_in("coefficient", "is required", "Cần nhập hệ số"))?;
    let mut shares = Vec::new();
    for (i, p) in f.people.iter().enumerate() {
        if p.name.is_empty() && p.user_id.is_empty() {
            continue;
        }
        let share = p.share.parse::<i64>().map_err(|_| {
            content::Error::invalid_in(
                format!("shares[{i}].share"),
                "must be a positive whole number",
                format!("Tỷ lệ hưởng của {} phải là số nguyên dương", p.name),
            )
        })?;
        shares.push(ShareInput {
            user_id: p.user_id.parse().ok(),
            name: Some(p.name.clone()),
            share,
            contribution: Contribution::parse(&p.contribution),
            unit_id: None,
            payroll: Some(p.payroll),
        });
    }
    Ok(NewProposal {
        work,
        genre,
        coefficient,
        translation_percent: decimal("translation_percent", &f.translation_percent)?,
        incentive_percent: decimal("incentive_percent", &f.incentive_percent)?,
        related_fee_percent: decimal("related_fee_percent", &f.related_fee_percent)?,
        shares,
        comment: Some(f.comment.clone()),
    })
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
}

#[derive(Serialize)]
struct LineRow {
    name: String,
    contribution: &'static str,
    share: i64,
    payroll: bool,
    amount: String,
    withheld: Option<String>,
    net: Option<String>,
}

#[derive(Serialize)]
struct ProposalView {
    id: i32,
    status: &'static str,
    status_code: &'static str,
    genre: String,
    coefficient: String,
    rate_date: String,
    base_salary: String,
    unit_value: String,
    translation_percent: Option<String>,
    incentive_percent: Option<String>,
    related_fee_percent: Option<String>,
    royalty: String,
    incentive: String,
    related_fee: String,
    total: String,
    over_budget: bool,
    adjusts_id: Option<i32>,
    proposed_at: String,
    comment: Option<String>,
    decision: Option<String>,
    budget_override: Option<String>,
    paid_on: Option<String>,
    payment_reference: Option<String>,
    lines: Vec<LineRow>,
}

async fn proposal_view(
    state: &AppState,
    p: &royalty_proposal::Model,
    lang: Lang,
) -> poem::Result<ProposalView> {
    let lines = proposals::get(&state.db, p.id).await.map_err(db_err)?.lines;
    let comma = lang == Lang::Vi;
    let pct = |v: Option<i64>| v.map(|x| format!("{} %", format_hundredths(x, comma)));
    Ok(ProposalView {
        id: p.id,
        status: p.status().label(lang),
        status_code: p.status().as_str(),
        genre: p
            .genre
            .parse::<Genre>()
            .map(|g| genre_label(g, lang).to_owned())
            .unwrap_or_default(),
        coefficient: format_hundredths(p.coefficient, comma),
        rate_date: p.rate_date.format("%d/%m/%Y").to_string(),
        base_salary: format_vnd(p.base_salary),
        unit_value: format_vnd(p.unit_value),
        translation_percent: pct(p.translation_percent),
        incentive_percent: pct(p.incentive_percent),
        related_fee_percent: pct(p.related_fee_percent),
        royalty: format_vnd(p.royalty),
        incentive: format_vnd(p.incentive),
        related_fee: format_vnd(p.related_fee),
        total: format_vnd(p.total),
        over_budget: p.over_budget,
        adjusts_id: p.adjusts_id,
        proposed_at: content::time::format_vn(p.proposed_at),
        comment: p.comment.clone(),
        decision: p.decision.clone(),
        budget_override: p.budget_override.clone(),
        paid_on: p.paid_on.map(|d| d.format("%d/%m/%Y").to_string()),
        payment_reference: p.payment_reference.clone(),
        lines: lines
            .into_iter()
            .map(|l| LineRow {
                contribution: Contribution::parse(&l.contribution)
                    .map(|c| c.label(lang))
                    .unwrap_or(""),
                name: l.name,
                share: l.share,
                payroll: l.payroll,
                amount: format_vnd(l.amount),
                withheld: l.withheld.map(format_vnd),
                net: l.net.map(format_vnd),
            })
            .collect(),
    })
}

async fn render_sheet(
    s: &Screen<'_>,
    id: i32,
    form: Option<ProposalForm>,
    failure: Option<(StatusCode, String)>,
) -> poem::Result<Response> {
    let (state, req, p, caller, all) = (s.state, s.req, s.page, s.caller, s.holders);
    let lang = p.lang;
    let sheet = match sheets::get(&state.db, id).await {
        Ok(s) if all.iter().any(|h| h.id == s.holder_id) => s,
        Ok(_) => return p.message(state, req, StatusCode::FORBIDDEN, "forbidden").await,
        Err(_) => return p.message(state, req, StatusCode::NOT_FOUND, "not_found").await,
    };
    let holder = all.iter().find(|h| h.id == sheet.holder_id);
    let history = proposals::of_sheet(&state.db, sheet.id).await.map_err(db_err)?;
    let open = history.iter().any(|x| x.status().is_open());
    let may_propose = !open && holder.is_some_and(|h| rules::may_propose(&h.roles(), &caller.account.roles));
    let mut views = Vec::with_capacity(history.len());
    for x in &history {
        views.push(proposal_view(state, x, lang).await?);
    }
    let rates = rates::in_force(&state.db, sheet.published_on).await.ok();
    let comma = lang == Lang::Vi;
    let genres: Vec<_> = Genre::ALL
        .into_iter()
        .map(|g| {
            let range = rates.as_ref().map(|r| r.coefficient_range(g)).unwrap_or((0, 0));
            context! {
                value => g.as_str(), label => genre_label(g, lang),
                min => format_hundredths(range.0, comma), max => format_hundredths(range.1, comma),
            }
        })
        .collect();
    let contributions: Vec<_> = Contribution::ALL
        .into_iter()
        .map(|c| Choice {
            value: c.as_str(),
            label: c.label(lang).to_owned(),
        })
        .collect();
    let names = royalty_tables::names(&state.db, lang).await.map_err(db_err)?;
    let default_genre = if sheet.question_id.is_some() {
        "answer_to_readers"
    } else {
        "news"
    };
    let form = form.unwrap_or_else(|| prefilled(&sheet, Some(default_genre)));
    let (status, error) = match failure {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let work_link = match (sheet.post_id, sheet.question_id) {
        (Some(id), _) => format!("/editor/posts/{id}"),
        (_, Some(id)) => format!("/editor/qa/{id}"),
        _ => String::new(),
    };
    let rates_view = rates.as_ref().map(|r: &Rates| {
        context! {
            unit_value => format_vnd(r.unit_value()), base_salary => format_vnd(r.base_salary),
            translation_min => format_hundredths(r.translation.0, comma), translation_max => format_hundredths(r.translation.1, comma),
            incentive_max => format_hundredths(r.incentive_max, comma), related_fee_max => format_hundredths(r.related_fee_max, comma),
        }
    });
    p.render(
        state,
        req,
        status,
        "royalty_sheet.html",
        context! {
            sheet => context! {
                id => sheet.id, title => sheet.title, work_link => work_link,
                published => sheet.published_on.format("%d/%m/%Y").to_string(),
                holder => names.holders.get(&sheet.holder_id).cloned().unwrap_or_default(),
                status => sheet.status().label(lang), translation => sheet.translation,
                paid => sheet.status() == SheetStatus::Paid,
            },
            proposals => views, may_propose => may_propose, form => form, error => error,
            genres => genres, contributions => contributions, rates => rates_view,
        },
    )
    .await
}

/// `GET /editor/royalties/sheets/:id`.
#[handler]
pub async fn sheet_page(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
) -> poem::Result<Response> {
    let (p, caller, all) = reader_or_return!(&state, req);
    render_sheet(
        &Screen {
            state: &state,
            req,
            page: &p,
            caller: &caller,
            holders: &all,
        },
        id,
        None,
        None,
    )
    .await
}

/// `POST /editor/royalties/sheets/:id`: propose; a refusal keeps what was
/// typed.
#[handler]
pub async fn propose(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller, all) = reader_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    let typed = typed(&form);
    let sheet = match sheets::get(&state.db, id).await {
        Ok(s) => s,
        Err(_) => return p.message(&state, req, StatusCode::NOT_FOUND, "not_found").await,
    };
    let work = match (sheet.post_id, sheet.question_id) {
        (Some(id), _) => Work::Post(id),
        (_, Some(id)) => Work::Question(id),
        _ => return p.message(&state, req, StatusCode::NOT_FOUND, "not_found").await,
    };
    let result = async {
        let new = read_proposal(work, &typed)?;
        proposals::propose(
            &state.db,
            &caller.account,
            &actor(&state, req, Some(&caller)),
            new,
            content::time::now(),
        )
        .await
    }
    .await;
    match result {
        Ok(full) => Ok(redirect(&format!(
            "/editor/royalties/proposals/{}",
            full.proposal.id
        ))),
        Err(e) => {
            let failure = (status_of(&e), say(&e, p.lang));
            render_sheet(
                &Screen {
                    state: &state,
                    req,
                    page: &p,
                    caller: &caller,
                    holders: &all,
                },
                id,
                Some(typed),
                Some(failure),
            )
            .await
        }
    }
}

async fn render_proposal(
    s: &Screen<'_>,
    id: i32,
    failure: Option<(StatusCode, String)>,
    typed: Option<Form>,
) -> poem::Result<Response> {
    let (state, req, p, caller, all) = (s.state, s.req, s.page, s.caller, s.holders);
    let lang = p.lang;
    let full = match proposals::get(&state.db, id).await {
        Ok(f) if all.iter().any(|h| h.id == f.proposal.holder_id) => f,
        Ok(_) => return p.message(state, req, StatusCode::FORBIDDEN, "forbidden").await,
        Err(_) => return p.message(state, req, StatusCode::NOT_FOUND, "not_found").await,
    };
    let holder = all.iter().find(|h| h.id == full.proposal.holder_id);
    let actions: Vec<_> = Action::ALL
        .into_iter()
        .filter(|a| a.next(full.proposal.status()).is_ok())
        .filter(|a| {
            holder.is_some_and(|h| {
                rules::check_action(
                    &h.roles(),
                    &caller.account.roles,
                    caller.account.user.id,
                    full.proposal.proposer_id,
                    *a,
                )
                .is_ok()
            })
        })
        .map(|a| context! { name => a.as_str(), label => lang.pick(a.label_vi(), a.label_en()) })
        .collect();
    let view = proposal_view(state, &full.proposal, lang).await?;
    let (status, error) = match failure {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let field = |k: &str| {
        typed
            .as_ref()
            .and_then(|f| f.get(k))
            .unwrap_or_default()
            .to_owned()
    };
    let names = royalty_tables::names(&state.db, lang).await.map_err(db_err)?;
    let warning = full.proposal.status().is_open()
        && proposals::unpaid_too_long(
            full.sheet.published_on,
            content::time::today_vn(),
            warning_days(all, full.proposal.holder_id),
        );
    let meter = holders::meter(&state.db, full.proposal.holder_id, full.proposal.budget_year)
        .await
        .map_err(db_err)?;
    let meter = meter_view(
        names
            .holders
            .get(&full.proposal.holder_id)
            .cloned()
            .unwrap_or_default(),
        &meter,
    );
    p.render(
        state,
        req,
        status,
        "royalty_proposal.html",
        context! {
            p => view, actions => actions, error => error, warning => warning, meter => meter,
            sheet => context! {
                id => full.sheet.id, title => full.sheet.title,
                published => full.sheet.published_on.format("%d/%m/%Y").to_string(),
                holder => names.holders.get(&full.sheet.holder_id).cloned().unwrap_or_default(),
            },
            typed => context! { comment => field("comment"), reference => field("reference"), paid_on => field("paid_on") },
            today => content::time::today_vn().to_string(),
        },
    )
    .await
}

/// `GET /editor/royalties/proposals/:id`.
#[handler]
pub async fn proposal_page(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
) -> poem::Result<Response> {
    let (p, caller, all) = reader_or_return!(&state, req);
    render_proposal(
        &Screen {
            state: &state,
            req,
            page: &p,
            caller: &caller,
            holders: &all,
        },
        id,
        None,
        None,
    )
    .await
}

/// `POST /editor/royalties/proposals/:id`: approve, reject or pay.
#[handler]
pub async fn act(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller, all) = reader_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    let result = async {
        let action = form
            .get("action")
            .and_then(Action::parse)
            .ok_or_else(|| content::Error::invalid_in("action", "unknown action", "Thao tác không hợp lệ"))?;
        let paid_on = match form.get("paid_on").map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(s.parse::<NaiveDate>().map_err(|_| {
                content::Error::invalid_in("paid_on", "is not a date", "Ngày chi không hợp lệ")
            })?),
            None => None,
        };
        proposals::act(
            &state.db,
            &caller.account,
            &actor(&state, req, Some(&caller)),
            id,
            Decision {
                action,
                comment: form.get("comment").map(str::to_owned),
                override_budget: form.get("override_budget") == Some("1"),
                reference: form.get("reference").map(str::to_owned),
                paid_on,
            },
            content::time::now(),
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect(&format!("/editor/royalties/proposals/{id}"))),
        Err(e) => {
            let failure = (status_of(&e), say(&e, p.lang));
            render_proposal(
                &Screen {
                    state: &state,
                    req,
                    page: &p,
                    caller: &caller,
                    holders: &all,
                },
                id,
                Some(failure),
                Some(form),
            )
            .await
        }
    }
}

/// The statement a request asks for, with what was typed.
struct StatementAsk {
    scope: Scope,
    by: Grouping,
    holder: Option<i32>,
}

fn statement_ask(req: &Request, all: &[royalty_holder::Model]) -> Result<StatementAsk, content::Error> {
    let day = |k: &str| -> Result<Option<NaiveDate>, content::Error> {
        match query(req, k).filter(|s| !s.is_empty()) {
            Some(s) => s
                .parse()
                .map(Some)
                .map_err(|_| content::Error::invalid_in(k, "is not a date", "Ngày không hợp lệ")),
            None => Ok(None),
        }
    };
    let today = content::time::today_vn();
    let from = day("from")?.or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1));
    let to = day("to")?.or(Some(today));
    let by = query(req, "group")
        .and_then(|g| Grouping::parse(&g))
        .unwrap_or(Grouping::Author);
    let status = match query(req, "status").as_deref() {
        Some("approved") => Status::Approved,
        _ => Status::Paid,
    };
    let holder = query(req, "holder").and_then(|h| h.parse::<i32>().ok());
    Ok(StatementAsk {
        scope: Scope {
            status,
            from,
            to,
            holders: all
                .iter()
                .filter(|h| holder.is_none_or(|x| x == h.id))
                .map(|h| h.id)
                .collect(),
            user_id: None,
            name: None,
            unit_id: None,
            genre: None,
        },
        by,
        holder,
    })
}

/// `GET /editor/royalties/statements`: a statement on screen, with its
/// downloads.
#[handler]
pub async fn statements(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _caller, all) = reader_or_return!(&state, req);
    let lang = p.lang;
    let names = royalty_tables::names(&state.db, lang).await.map_err(db_err)?;
    let holders: Vec<_> = all
        .iter()
        .map(|h| context! { id => h.id, label => names.holders.get(&h.id).cloned().unwrap_or_default() })
        .collect();
    let groups: Vec<_> = Grouping::ALL
        .into_iter()
        .map(|g| Choice {
            value: g.as_str(),
            label: g.label(lang).to_owned(),
        })
        .collect();
    let (status, error, table, ask) = match statement_ask(req, &all) {
        Ok(ask) => {
            let (s, names) = royalty_tables::statement(&state.db, &ask.scope, ask.by, lang)
                .await
                .map_err(db_err)?;
            let table = royalty_tables::statement_table(&s, &names, &ask.scope, ask.by, lang);
            (StatusCode::OK, None, Some(shown(&table)), Some(ask))
        }
        Err(e) => (status_of(&e), Some(say(&e, lang)), None, None),
    };
    let q = |k: &str| query(req, k).unwrap_or_default();
    let (from, to, group, state_name, holder) = match &ask {
        Some(a) => (
            a.scope.from.map(|d| d.to_string()).unwrap_or_default(),
            a.scope.to.map(|d| d.to_string()).unwrap_or_default(),
            a.by.as_str().to_owned(),
            a.scope.status.as_str().to_owned(),
            a.holder.map(|h| h.to_string()).unwrap_or_default(),
        ),
        None => (q("from"), q("to"), q("group"), q("status"), q("holder")),
    };
    let download = format!(
        "from={from}&to={to}&group={group}&status={state_name}{}",
        if holder.is_empty() {
            String::new()
        } else {
            format!("&holder={holder}")
        }
    );
    p.render(
        &state,
        req,
        status,
        "royalty_statements.html",
        context! {
            error => error, table => table, holders => holders, groups => groups,
            from => from, to => to, group => group, status => state_name, holder => holder,
            download => download,
        },
    )
    .await
}

#[derive(Serialize)]
struct ShownTable {
    title: Option<String>,
    head: Vec<String>,
    rows: Vec<Vec<ShownCell>>,
}

#[derive(Serialize)]
struct ShownCell {
    text: String,
    number: bool,
}

fn shown(t: &Table) -> ShownTable {
    use crate::spreadsheet::Cell;
    ShownTable {
        title: t.title.clone(),
        head: t.head.clone(),
        rows: t
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Cell::Text(s) => ShownCell {
                            text: s.clone(),
                            number: false,
                        },
                        Cell::Money(v) => ShownCell {
                            text: format_vnd(*v),
                            number: true,
                        },
                        Cell::Number(v) => ShownCell {
                            text: v.to_string(),
                            number: true,
                        },
                        Cell::Decimal(v) => ShownCell {
                            text: format!("{v:.1}").replace('.', ","),
                            number: true,
                        },
                        Cell::Percent(v) => ShownCell {
                            text: format!("{:.1} %", v * 100.0).replace('.', ","),
                            number: true,
                        },
                        Cell::Date(d) => ShownCell {
                            text: d.format("%d/%m/%Y").to_string(),
                            number: false,
                        },
                        Cell::Empty => ShownCell {
                            text: String::new(),
                            number: false,
                        },
                    })
                    .collect()
            })
            .collect(),
    }
}

fn file(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    Response::builder()
        .content_type(content_type)
        .header(
            poem::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .header(poem::http::header::CACHE_CONTROL, "no-store")
        .body(bytes)
}

fn table_file(t: &Table, name: &str, format: Option<String>) -> poem::Result<Response> {
    Ok(match format.as_deref() {
        Some("csv") => file(
            crate::spreadsheet::csv(t)?,
            crate::spreadsheet::CSV_TYPE,
            &format!("{name}.csv"),
        ),
        _ => file(
            crate::spreadsheet::xlsx(t)?,
            crate::spreadsheet::XLSX_TYPE,
            &format!("{name}.xlsx"),
        ),
    })
}

/// `GET /editor/royalties/statements/download?format=csv|xlsx&…`.
#[handler]
pub async fn statement_download(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _caller, all) = reader_or_return!(&state, req);
    let ask = match statement_ask(req, &all) {
        Ok(a) => a,
        Err(_) => {
            return p
                .message(&state, req, StatusCode::UNPROCESSABLE_ENTITY, "royalty_invalid")
                .await;
        }
    };
    let (s, names) = royalty_tables::statement(&state.db, &ask.scope, ask.by, p.lang)
        .await
        .map_err(db_err)?;
    let t = royalty_tables::statement_table(&s, &names, &ask.scope, ask.by, p.lang);
    let name = format!("nhuan-but-{}", ask.by.as_str());
    table_file(&t, &name, query(req, "format"))
}

/// `GET /editor/royalties/estimate?year=`: the consolidated estimate
/// (Đ17.2) as XLSX.
#[handler]
pub async fn estimate(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _caller, all) = reader_or_return!(&state, req);
    let year = query(req, "year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| content::text::YEARS.contains(y))
        .unwrap_or_else(|| content::time::today_vn().year());
    let estimates: Vec<_> = holders::estimates(&state.db, year, content::time::today_vn())
        .await
        .map_err(db_err)?
        .into_iter()
        .filter(|e| all.iter().any(|h| h.id == e.holder.id))
        .collect();
    let names = royalty_tables::names(&state.db, p.lang).await.map_err(db_err)?;
    let t = royalty_tables::estimate_table(&estimates, &names, year, p.lang);
    table_file(
        &t,
        &format!("du-toan-nhuan-but-{}", year + 1),
        query(req, "format"),
    )
}

async fn render_rates(
    s: &Screen<'_>,
    failure: Option<(StatusCode, String)>,
    typed: Option<Form>,
) -> poem::Result<Response> {
    let (state, req, p, caller, all) = (s.state, s.req, s.page, s.caller, s.holders);
    let lang = p.lang;
    let comma = lang == Lang::Vi;
    let today = content::time::today_vn();
    let history = rates::history(&state.db).await.map_err(db_err)?;
    let show = |key: &str, v: i64| match RateKey::parse(key) {
        Some(k) if k.measure().hundredths() => format_hundredths(v, comma),
        _ => format_vnd(v),
    };
    let keys: Vec<_> = RateKey::all()
        .into_iter()
        .map(|k| {
            let name = k.name();
            let current = history
                .iter()
                .filter(|r| r.key == name && r.effective_from <= today)
                .max_by_key(|r| (r.effective_from, r.id));
            let rows: Vec<_> = history
                .iter()
                .filter(|r| r.key == name)
                .map(|r| {
                    context! {
                        from => r.effective_from.format("%d/%m/%Y").to_string(), value => show(&r.key, r.value),
                        basis => r.basis.clone(), entered => content::time::format_vn(r.created_at),
                        current => current.is_some_and(|c| c.id == r.id),
                    }
                })
                .collect();
            context! {
                key => name.clone(), label => k.label(lang),
                value => current.map(|c| show(&c.key, c.value)),
                from => current.map(|c| c.effective_from.format("%d/%m/%Y").to_string()),
                rows => rows,
            }
        })
        .collect();
    let names = royalty_tables::names(&state.db, lang).await.map_err(db_err)?;
    let year = today.year();
    let mut budgets = Vec::new();
    for h in all {
        for y in [year, year + 1] {
            let m = holders::meter(&state.db, h.id, y).await.map_err(db_err)?;
            budgets.push(context! {
                holder_id => h.id, year => y, name => names.holders.get(&h.id).cloned().unwrap_or_default(),
                budget => m.budget, shown => m.budget.map(format_vnd),
            });
        }
    }
    let (status, error) = match failure {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let field = |k: &str| {
        typed
            .as_ref()
            .and_then(|f| f.get(k))
            .unwrap_or_default()
            .to_owned()
    };
    let unit_value = Rates::resolve(&history, today)
        .map(|r| format_vnd(r.unit_value()))
        .ok();
    p.render(
        state,
        req,
        status,
        "royalty_rates.html",
        context! {
            keys => keys, budgets => budgets, error => error, unit_value => unit_value,
            today => today.format("%d/%m/%Y").to_string(), year => year,
            finance => rules::may_keep_ledger(&caller.account.roles),
            typed => context! { key => field("key"), effective_from => field("effective_from"), value => field("value"), basis => field("basis") },
        },
    )
    .await
}

/// `GET /editor/royalties/rates`: the rates in force and their history,
/// the budgets.
#[handler]
pub async fn rates_page(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, caller, all) = reader_or_return!(&state, req);
    render_rates(
        &Screen {
            state: &state,
            req,
            page: &p,
            caller: &caller,
            holders: &all,
        },
        None,
        None,
    )
    .await
}

/// `POST /editor/royalties/rates`: a new rate row (Finance).
#[handler]
pub async fn add_rate(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let (p, caller, all) = reader_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    if !rules::may_keep_ledger(&caller.account.roles) {
        return p.message(&state, req, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let result = async {
        let key = RateKey::parse(form.get("key").unwrap_or_default())
            .ok_or_else(|| content::Error::invalid_in("key", "unknown key", "Chọn loại định mức"))?;
        let from: NaiveDate = form
            .get("effective_from")
            .unwrap_or_default()
            .parse()
            .map_err(|_| {
                content::Error::invalid_in("effective_from", "is not a date", "Ngày áp dụng không hợp lệ")
            })?;
        content::text::check_date("effective_from", from)?;
        let raw = form.get("value").unwrap_or_default();
        let value = if key.measure().hundredths() {
            decimal("value", raw)?
        } else {
            let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
            digits.parse::<i64>().ok()
        }
        .ok_or_else(|| content::Error::invalid_in("value", "is required", "Cần nhập giá trị"))?;
        rates::add(
            &state.db,
            &actor(&state, req, Some(&caller)),
            rates::NewRate {
                key: key.name(),
                effective_from: from,
                value,
                basis: form.get("basis").map(str::to_owned),
            },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect("/editor/royalties/rates")),
        Err(e) => {
            let failure = (status_of(&e), say(&e, p.lang));
            render_rates(
                &Screen {
                    state: &state,
                    req,
                    page: &p,
                    caller: &caller,
                    holders: &all,
                },
                Some(failure),
                Some(form),
            )
            .await
        }
    }
}

/// `POST /editor/royalties/budgets`: a holder's budget for a year
/// (Finance).
#[handler]
pub async fn set_budget(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let (p, caller, all) = reader_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    if !rules::may_keep_ledger(&caller.account.roles) {
        return p.message(&state, req, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let result = async {
        let holder: i32 = form
            .get("holder_id")
            .and_then(|h| h.parse().ok())
            .ok_or_else(|| {
                content::Error::invalid_in("holder_id", "unknown holder", "Không rõ đơn vị chi trả")
            })?;
        let year: i32 = form
            .get("year")
            .and_then(|y| y.parse().ok())
            .ok_or_else(|| content::Error::invalid_in("year", "is not a year", "Năm không hợp lệ"))?;
        let digits: String = form
            .get("amount")
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_digit())
            .collect();
        let amount = digits
            .parse::<i64>()
            .map_err(|_| content::Error::invalid_in("amount", "is not an amount", "Số tiền không hợp lệ"))?;
        holders::set_budget(
            &state.db,
            &actor(&state, req, Some(&caller)),
            holder,
            year,
            amount,
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect("/editor/royalties/rates")),
        Err(e) => {
            let failure = (status_of(&e), say(&e, p.lang));
            render_rates(
                &Screen {
                    state: &state,
                    req,
                    page: &p,
                    caller: &caller,
                    holders: &all,
                },
                Some(failure),
                None,
            )
            .await
        }
    }
}
