//! Handling citizens' questions: asking, tracking, and the staff actions
//! of Đ11.1a "Hỏi đáp" (classify, answer or forward, progress notices,
//! approval, publication, sending). The clocks are in [`crate::qa`].
//!
//! The asker's name, e-mail, phone and address never leave this module in
//! anything meant for the public: [`Published`] has no field for them.

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::calendar::Calendar;
use crate::changelog::{self, ChangeKind};
use crate::entity::{question, question_event};
use crate::error::{Error, Result};
use crate::qa::{self, Clocks, Deadlines, Timeline};
use crate::roles::Role;
use crate::text::{clean_line, nfc};

/// The Q&A items (Vietnamese section 6).
pub const CATEGORIES: [&str; 4] = [
    "general",
    "social_insurance",
    "health_insurance",
    "unemployment_insurance",
];

/// A question as the asker sends it.
#[derive(Clone, Debug, Default)]
pub struct Asked {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub category: String,
    pub title: String,
    pub content: String,
    pub consent: bool,
}

/// A message the server must send (it owns the mail transport).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

fn tracking_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

fn vn_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).date_naive()
}

/// The timeline of a stored question, for its clocks.
pub fn timeline(q: &question::Model) -> Timeline {
    Timeline {
        received: Some(vn_date(q.received_at)),
        complex: q.complex,
        classified: q.classified_at.map(vn_date),
        promised: q.promised_on,
        answered: q.answered_at.map(vn_date),
        published: q.published_at.map(vn_date),
        sent: q.sent_at.map(vn_date),
        rejected: q.rejected_at.map(vn_date),
    }
}

/// A question's deadlines and clocks on `today`.
pub fn clocks_of(cal: &Calendar, q: &question::Model, today: NaiveDate) -> (Deadlines, Clocks) {
    let t = timeline(q);
    let received = vn_date(q.received_at);
    (
        qa::deadlines(cal, received, &t),
        qa::clocks(cal, received, &t, today),
    )
}

/// The stored question's [`qa::Schedule`].
pub fn schedule_of(cal: &Calendar, q: &question::Model) -> Option<qa::Schedule> {
    qa::schedule(cal, vn_date(q.received_at), &timeline(q))
}

/// Stores the question's schedule if it changed; returns the question as
/// stored.
async fn store_schedule(
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
            .filter(question::Column::Status.is_in(OPEN))
            .filter(question::Column::DueOn.is_null())
            .order_by_asc(question::Column::Id)
            .limit(500)
            .all(db)
            .await?;
        if batch.is_empty() {
            return Ok(done);
        }
        let cal = crate::holidays::calendar(db).await?;
        let txn = db.begin().await?;
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
pub async fn forget_schedules(db: &impl ConnectionTrait) -> Result<()> {
    question::Entity::update_many()
        .col_expr(
            question::Column::DueOn,
            sea_orm::sea_query::Expr::value(Option::<NaiveDate>::None),
        )
        .col_expr(
            question::Column::WarnOn,
            sea_orm::sea_query::Expr::value(Option::<NaiveDate>::None),
        )
        .filter(question::Column::Status.is_in(OPEN))
        .exec(db)
        .await?;
    Ok(())
}

fn check(asked: &Asked) -> Result<Asked> {
    let name = clean_line(&asked.name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::invalid("name", "must be 1 to 200 characters"));
    }
    let email = clean_line(&asked.email).to_lowercase();
    let at = email.find('@');
    if at.is_none_or(|i| i == 0 || i + 1 >= email.len() || !email[i + 1..].contains('.')) || email.len() > 254
    {
        return Err(Error::invalid("email", "is not an e-mail address"));
    }
    let opt = |v: &Option<String>, field: &str| -> Result<Option<String>> {
        match v.as_deref().map(clean_line).filter(|s| !s.is_empty()) {
            Some(s) if s.chars().count() > 300 => {
                Err(Error::invalid(field, "must be at most 300 characters"))
            }
            other => Ok(other),
        }
    };
    if !CATEGORIES.contains(&asked.category.as_str()) {
        return Err(Error::invalid(
            "category",
            "one of general, social_insurance, health_insurance, unemployment_insurance",
        ));
    }
    let title = clean_line(&asked.title);
    if title.is_empty() || title.chars().count() > 300 {
        return Err(Error::invalid("title", "must be 1 to 300 characters"));
    }
    let content = nfc(asked.content.trim());
    if content.is_empty() || content.chars().count() > 10_000 {
        return Err(Error::invalid("content", "must be 1 to 10000 characters"));
    }
    if !asked.consent {
        return Err(Error::invalid(
            "consent",
            "the processing of personal data needs your consent",
        ));
    }
    Ok(Asked {
        name,
        email,
        phone: opt(&asked.phone, "phone")?,
        address: opt(&asked.address, "address")?,
        category: asked.category.clone(),
        title,
        content,
        consent: true,
    })
}

async fn event(
    db: &impl ConnectionTrait,
    q: i32,
    action: &str,
    actor: Option<i32>,
    unit: Option<i32>,
    comment: Option<String>,
) -> Result<()> {
    question_event::ActiveModel {
        question_id: Set(q),
        action: Set(action.to_owned()),
        actor_id: Set(actor),
        unit_id: Set(unit),
        comment: Set(comment),
        at: Set(crate::time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Records a question; `received_at` is now, or the original receipt date
/// for questions moved from the old portal. Returns it with the asker's
/// acknowledgement.
pub async fn ask(
    db: &DatabaseConnection,
    cal: &Calendar,
    asked: &Asked,
    received_at: Option<DateTime<Utc>>,
) -> Result<(question::Model, Mail)> {
    let a = check(asked)?;
    let now = crate::time::now();
    let txn = db.begin().await?;
    let q = question::ActiveModel {
        tracking_code: Set(tracking_code()),
        name: Set(a.name.clone()),
        email: Set(a.email.clone()),
        phone: Set(a.phone.clone()),
        address: Set(a.address.clone()),
        category: Set(a.category.clone()),
        title: Set(a.title.clone()),
        content: Set(a.content.clone()),
        status: Set("received".into()),
        complex: Set(false),
        units: Set("[]".into()),
        answer: Set(None),
        answer_unit_id: Set(None),
        reject_reason: Set(None),
        received_at: Set(received_at.unwrap_or(now)),
        classified_at: Set(None),
        promised_on: Set(None),
        answered_at: Set(None),
        approved_at: Set(None),
        published_at: Set(None),
        sent_at: Set(None),
        rejected_at: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let q = store_schedule(&txn, cal, q).await?;
    event(
        &txn,
        q.id,
        if received_at.is_some() { "import" } else { "ask" },
        None,
        None,
        None,
    )
    .await?;
    txn.commit().await?;
    let (deadlines, _) = clocks_of(cal, &q, vn_date(now));
    let mail = Mail {
        to: q.email.clone(),
        subject: format!("[BHXH Việt Nam] Đã nhận câu hỏi {}", q.tracking_code),
        body: format!(
            "Kính gửi {},\n\nBảo hiểm xã hội Việt Nam đã nhận câu hỏi \"{}\" của Quý vị.\nMã tra cứu: {}\nNgày dự kiến trả lời: {}\n\nQuý vị có thể tra cứu tình trạng câu hỏi trên Cổng Thông tin điện tử bằng mã tra cứu và địa chỉ thư điện tử này.\n",
            q.name,
            q.title,
            q.tracking_code,
            deadlines.answer_by.format("%d/%m/%Y")
        ),
    };
    Ok((q, mail))
}

/// The asker's view: only with the matching e-mail address.
pub async fn track(db: &impl ConnectionTrait, code: &str, email: &str) -> Result<Option<question::Model>> {
    let q = question::Entity::find()
        .filter(question::Column::TrackingCode.eq(code.trim().to_uppercase()))
        .one(db)
        .await?;
    Ok(q.filter(|q| q.email.eq_ignore_ascii_case(email.trim())))
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<question::Model> {
    question::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("question"))
}

/// The events of several questions (an inbox page) in one query, by
/// question.
pub async fn events_of(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<std::collections::HashMap<i32, Vec<question_event::Model>>> {
    let mut by_question: std::collections::HashMap<i32, Vec<question_event::Model>> =
        std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let rows = question_event::Entity::find()
            .filter(question_event::Column::QuestionId.is_in(chunk.to_vec()))
            .order_by_asc(question_event::Column::Id)
            .all(db)
            .await?;
        for e in rows {
            by_question.entry(e.question_id).or_default().push(e);
        }
    }
    Ok(by_question)
}

pub async fn events(db: &impl ConnectionTrait, id: i32) -> Result<Vec<question_event::Model>> {
    Ok(question_event::Entity::find()
        .filter(question_event::Column::QuestionId.eq(id))
        .order_by_asc(question_event::Column::Id)
        .all(db)
        .await?)
}

/// A staff action on a question.
#[derive(Clone, Debug)]
pub enum Action {
    Classify {
        category: Option<String>,
        complex: Option<bool>,
    },
    AnswerDirectly {
        answer: String,
    },
    Forward {
        unit_ids: Vec<i32>,
    },
    RejectUnclear {
        reason: String,
    },
    RejectOutOfScope {
        reason: String,
    },
    DraftAnswer {
        answer: String,
    },
    ProgressNotice {
        answer_by: NaiveDate,
        comment: String,
    },
    ReturnToUnit {
        comment: String,
    },
    ApproveAnswer,
    Publish,
    Send,
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Classify { .. } => "classify",
            Action::AnswerDirectly { .. } => "answer_directly",
            Action::Forward { .. } => "forward",
            Action::RejectUnclear { .. } => "reject_unclear",
            Action::RejectOutOfScope { .. } => "reject_out_of_scope",
            Action::DraftAnswer { .. } => "draft_answer",
            Action::ProgressNotice { .. } => "progress_notice",
            Action::ReturnToUnit { .. } => "return_to_unit",
            Action::ApproveAnswer => "approve_answer",
            Action::Publish => "publish",
            Action::Send => "send",
        }
    }
}

const BOARD: [Role; 4] = [
    Role::BoardHead,
    Role::BoardDeputyStanding,
    Role::BoardDeputy,
    Role::BoardMember,
];

fn need(cond: bool, message: &str) -> Result<()> {
    if cond {
        Ok(())
    } else {
        Err(Error::Forbidden(message.to_owned()))
    }
}

fn in_state(q: &question::Model, states: &[&str], action: &str) -> Result<()> {
    if states.contains(&q.status.as_str()) {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "cannot {action} a question that is {}",
            q.status
        )))
    }
}

fn text_field(field: &str, v: &str, max: usize) -> Result<String> {
    let v = nfc(v.trim());
    if v.is_empty() || v.chars().count() > max {
        return Err(Error::invalid(field, format!("must be 1 to {max} characters")));
    }
    Ok(v)
}

/// Runs a staff action. Checks the role (and, for unit answers, that the
/// responder's unit received the question) and the state; a refusal
/// changes nothing. Returns the question and any mail for the asker.
pub async fn act(
    db: &DatabaseConnection,
    actor: &Actor,
    who: &Account,
    id: i32,
    action: Action,
    today: NaiveDate,
) -> Result<(question::Model, Option<Mail>)> {
    let coordinator = who.roles.any(&[Role::QaCoordinator, Role::Admin]);
    let txn = db.begin().await?;
    let q = get(&txn, id).await?;
    let units: Vec<i32> = serde_json::from_str(&q.units).unwrap_or_default();
    let responder_unit = who
        .user
        .unit_id
        .filter(|u| who.roles.has(Role::QaResponder) && units.contains(u));
    let now = crate::time::now();
    let mut am: question::ActiveModel = q.clone().into();
    let mut mail = None;
    let mut comment = None;
    let name = action.name();
    match action {
        Action::Classify { category, complex } => {
            need(coordinator, "classifying needs a Q&A coordinator")?;
            in_state(&q, &["received", "classified"], name)?;
            if let Some(c) = category {
                if !CATEGORIES.contains(&c.as_str()) {
                    return Err(Error::invalid(
                        "category",
                        "one of general, social_insurance, health_insurance, unemployment_insurance",
                    ));
                }
                am.category = Set(c);
            }
            if let Some(c) = complex {
                am.complex = Set(c);
            }
            am.status = Set("classified".into());
            am.classified_at = Set(Some(now));
        }
        Action::AnswerDirectly { answer } => {
            need(coordinator, "answering directly needs a Q&A coordinator")?;
            in_state(&q, &["received", "classified"], name)?;
            am.answer = Set(Some(text_field("answer", &answer, 20_000)?));
            am.answer_unit_id = Set(who.user.unit_id);
            am.status = Set("answered".into());
            am.classified_at = Set(Some(q.classified_at.unwrap_or(now)));
            am.answered_at = Set(Some(now));
        }
        Action::Forward { unit_ids } => {
            need(coordinator, "forwarding needs a Q&A coordinator")?;
            in_state(&q, &["received", "classified"], name)?;
            let mut ids = unit_ids;
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                return Err(Error::invalid("unit_ids", "name at least one unit"));
            }
            for u in &ids {
                crate::units::get(&txn, *u)
                    .await
                    .map_err(|_| Error::invalid("unit_ids", format!("no unit {u}")))?;
            }
            am.complex = Set(q.complex || ids.len() > 1);
            am.units = Set(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()));
            am.status = Set("forwarded".into());
            am.classified_at = Set(Some(q.classified_at.unwrap_or(now)));
        }
        Action::RejectUnclear { reason } | Action::RejectOutOfScope { reason } => {
            need(coordinator, "rejecting needs a Q&A coordinator")?;
            in_state(&q, &["received", "classified"], name)?;
            let reason = text_field("reason", &reason, 2_000)?;
            let unclear = name == "reject_unclear";
            am.status = Set(if unclear {
                "rejected_unclear"
            } else {
                "rejected_out_of_scope"
            }
            .into());
            am.reject_reason = Set(Some(reason.clone()));
            am.rejected_at = Set(Some(now));
            mail = Some(Mail {
                to: q.email.clone(),
                subject: format!("[BHXH Việt Nam] Câu hỏi {}", q.tracking_code),
                body: format!(
                    "Kính gửi {},\n\nMã tra cứu: {}\n\n{}\n\nLý do: {reason}\n",
                    q.name,
                    q.tracking_code,
                    if unclear {
                        "Câu hỏi của Quý vị chưa rõ nội dung; đề nghị Quý vị gửi lại câu hỏi đầy đủ thông tin."
                    } else {
                        "Câu hỏi của Quý vị không thuộc phạm vi trả lời của Bảo hiểm xã hội Việt Nam; đề nghị Quý vị gửi tới cơ quan có thẩm quyền."
                    }
                ),
            });
            comment = Some(reason);
        }
        Action::DraftAnswer { answer } => {
            need(
                responder_unit.is_some(),
                "only a responder of a unit the question was forwarded to may answer it",
            )?;
            in_state(&q, &["forwarded", "returned"], name)?;
            am.answer = Set(Some(text_field("answer", &answer, 20_000)?));
            am.answer_unit_id = Set(responder_unit);
            am.status = Set("answered".into());
            am.answered_at = Set(Some(now));
        }
        Action::ProgressNotice {
            answer_by,
            comment: c,
        } => {
            need(
                responder_unit.is_some(),
                "only a responder of a unit the question was forwarded to may send a progress notice",
            )?;
            in_state(&q, &["forwarded", "returned"], name)?;
            if answer_by <= today {
                return Err(Error::invalid("answer_by", "must be a future date"));
            }
            let c = text_field("comment", &c, 2_000)?;
            am.promised_on = Set(Some(answer_by));
            mail = Some(Mail {
                to: q.email.clone(),
                subject: format!("[BHXH Việt Nam] Tiến độ trả lời câu hỏi {}", q.tracking_code),
                body: format!(
                    "Kính gửi {},\n\nCâu hỏi mã {} của Quý vị đang được xử lý. Ngày dự kiến trả lời: {}.\n\n{c}\n",
                    q.name,
                    q.tracking_code,
                    answer_by.format("%d/%m/%Y")
                ),
            });
            comment = Some(c);
        }
        Action::ReturnToUnit { comment: c } => {
            need(coordinator, "returning an answer needs a Q&A coordinator")?;
            in_state(&q, &["answered"], name)?;
            comment = Some(text_field("comment", &c, 2_000)?);
            am.status = Set("returned".into());
            am.answered_at = Set(None);
        }
        Action::ApproveAnswer => {
            need(
                who.roles.any(&BOARD),
                "approving an answer needs a member of the editorial board",
            )?;
            in_state(&q, &["answered"], name)?;
            am.status = Set("approved".into());
            am.approved_at = Set(Some(now));
        }
        Action::Publish => {
            need(coordinator, "publishing needs a Q&A coordinator")?;
            in_state(&q, &["approved"], name)?;
            am.status = Set("published".into());
            am.published_at = Set(Some(now));
            changelog::append(&txn, "question", q.id, ChangeKind::Publish, "vi").await?;
        }
        Action::Send => {
            need(coordinator, "sending needs a Q&A coordinator")?;
            in_state(&q, &["approved", "published"], name)?;
            if q.sent_at.is_some() {
                return Err(Error::Conflict("the answer was already sent".into()));
            }
            am.sent_at = Set(Some(now));
            mail = Some(Mail {
                to: q.email.clone(),
                subject: format!("[BHXH Việt Nam] Trả lời câu hỏi {}", q.tracking_code),
                body: format!(
                    "Kính gửi {},\n\nCâu hỏi mã {}: {}\n\nTrả lời:\n{}\n",
                    q.name,
                    q.tracking_code,
                    q.title,
                    q.answer.clone().unwrap_or_default()
                ),
            });
        }
    }
    am.updated_at = Set(now);
    let updated = am.update(&txn).await?;
    let cal = crate::holidays::calendar(&txn).await?;
    let updated = store_schedule(&txn, &cal, updated).await?;
    event(&txn, id, name, Some(who.user.id), responder_unit, comment).await?;
    audit::record(
        &txn,
        actor,
        &format!("qa.{name}"),
        Some(("question", id.to_string())),
        serde_json::json!({"status": updated.status}),
    )
    .await?;
    txn.commit().await?;
    Ok((updated, mail))
}

/// What the public sees of a published question: no personal data.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Published {
    pub id: i32,
    pub category: String,
    pub title: String,
    pub question: String,
    pub answer: String,
    pub answering_unit: Option<i32>,
    pub received_on: NaiveDate,
    pub published_on: NaiveDate,
}

/// Published questions, newest first, optionally of one category.
pub async fn published(
    db: &impl ConnectionTrait,
    category: Option<&str>,
    limit: u64,
) -> Result<Vec<Published>> {
    let mut q = question::Entity::find().filter(question::Column::PublishedAt.is_not_null());
    if let Some(c) = category {
        q = q.filter(question::Column::Category.eq(c));
    }
    Ok(q.order_by_desc(question::Column::PublishedAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|q| Published {
            id: q.id,
            category: q.category,
            title: q.title,
            question: q.content,
            answer: q.answer.unwrap_or_default(),
            answering_unit: q.answer_unit_id,
            received_on: vn_date(q.received_at),
            published_on: q
                .published_at
                .map(vn_date)
                .unwrap_or_else(|| vn_date(q.received_at)),
        })
        .collect())
}

/// Statuses in which a question waits for staff.
const OPEN: [&str; 6] = [
    "received",
    "classified",
    "forwarded",
    "returned",
    "answered",
    "approved",
];

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
        Inbox::Unit(u) => rows
            .into_iter()
            .filter(|q| {
                serde_json::from_str::<Vec<i32>>(&q.units)
                    .unwrap_or_default()
                    .contains(&u)
            })
            .collect(),
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

fn open_select(inbox: Inbox) -> sea_orm::Select<question::Entity> {
    let query = question::Entity::find().filter(question::Column::DueOn.is_not_null());
    match inbox {
        // A schedule is stored exactly while a clock runs, so it alone
        // selects what staff must act on (an answer published but not yet
        // sent included), and the listing can follow its index.
        Inbox::All => query,
        Inbox::Approval => query.filter(question::Column::Status.eq("answered")),
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
            query.filter(question::Column::Status.is_in(OPEN)).filter(element)
        }
    }
}

/// Claims today's reminder run; `false` when another node (or an earlier
/// run) already sent it.
pub async fn claim_reminder_day(db: &impl ConnectionTrait, day: NaiveDate) -> Result<bool> {
    use sea_orm::Statement;
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "INSERT INTO reminders_sent (day, sent_at) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        }
        _ => "INSERT OR IGNORE INTO reminders_sent (day, sent_at) VALUES (?, ?)",
    };
    let res = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [day.into(), crate::time::now().into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Gives a claimed day back, so that a failed run is retried.
pub async fn release_reminder_day(db: &impl ConnectionTrait, day: NaiveDate) -> Result<()> {
    use crate::entity::reminder_sent;
    reminder_sent::Entity::delete_by_id(day).exec(db).await?;
    Ok(())
}

/// The daily reminders (Đ7.2b: the Support Centre follows every deadline):
/// to each coordinator everything due soon or overdue, to each responder
/// what their unit must answer, to board members the answers awaiting
/// their approval. Users without an e-mail address are skipped.
pub async fn reminders(db: &impl ConnectionTrait, cal: &Calendar, today: NaiveDate) -> Result<Vec<Mail>> {
    use crate::qa::ClockStatus;
    // Due soon or overdue means warned by today (`warn_on <= due_on`).
    let open = open_select(Inbox::All)
        .filter(question::Column::WarnOn.lte(today))
        .order_by_asc(question::Column::DueOn)
        .order_by_asc(question::Column::Id)
        .all(db)
        .await?;
    let urgent: Vec<(&question::Model, Deadlines, Clocks)> = open
        .iter()
        .map(|q| {
            let (d, c) = clocks_of(cal, q, today);
            (q, d, c)
        })
        .filter(|(_, _, c)| matches!(c.overall, ClockStatus::DueSoon | ClockStatus::Overdue))
        .collect();
    let line = |q: &question::Model, d: &Deadlines, c: &Clocks| {
        let state = if c.overall == ClockStatus::Overdue {
            "QUÁ HẠN"
        } else {
            "sắp đến hạn"
        };
        format!(
            "- [{state}] {} (mã {}, hạn trả lời {})",
            q.title,
            q.tracking_code,
            d.answer_by.format("%d/%m/%Y")
        )
    };
    let mut mails = Vec::new();
    for account in crate::accounts::list(db).await? {
        let Some(email) = account.user.email.clone().filter(|_| !account.user.disabled) else {
            continue;
        };
        let roles = &account.roles;
        let mine: Vec<String> = urgent
            .iter()
            .filter(|(q, _, _)| {
                let units: Vec<i32> = serde_json::from_str(&q.units).unwrap_or_default();
                roles.has(Role::QaCoordinator)
                    || (roles.has(Role::QaResponder)
                        && account.user.unit_id.is_some_and(|u| units.contains(&u))
                        && matches!(q.status.as_str(), "forwarded" | "returned"))
                    || (roles.iter().any(Role::is_board) && q.status == "answered")
            })
            .map(|(q, d, c)| line(q, d, c))
            .collect();
        if mine.is_empty() {
            continue;
        }
        mails.push(Mail {
            to: email,
            subject: format!("[Cổng TTĐT BHXH] {} câu hỏi sắp đến hạn hoặc quá hạn", mine.len()),
            body: format!(
                "Kính gửi {},\n\nCác câu hỏi cần xử lý ngày {}:\n{}\n",
                account.user.display_name,
                today.format("%d/%m/%Y"),
                mine.join("\n")
            ),
        });
    }
    Ok(mails)
}

/// One line of the on-time report: a stage, optionally for one unit.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReportRow {
    /// `classify`, `answer` or `publish`.
    pub stage: &'static str,
    pub unit_id: Option<i32>,
    /// Stages done on or before their deadline.
    pub on_time: u32,
    /// Stages done after their deadline, or still open past it.
    pub late: u32,
    /// Stages still open and not yet due.
    pub pending: u32,
}

impl ReportRow {
    /// Share of decided stages done on time, in percent.
    pub fn on_time_rate(&self) -> Option<f64> {
        let decided = self.on_time + self.late;
        (decided > 0).then(|| f64::from(self.on_time) * 100.0 / f64::from(decided))
    }
}

/// On-time performance of each stage (and of each unit's answers) for the
/// questions received from `from` to `to` (Vietnam dates, inclusive), for
/// the annual report (Đ6.4b) and the Support Centre's follow-up (Đ7.2b).
pub async fn report(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<ReportRow>> {
    let rows = question::Entity::find()
        .order_by_asc(question::Column::ReceivedAt)
        .all(db)
        .await?;
    let mut out: Vec<ReportRow> = Vec::new();
    let mut bump = |stage: &'static str, unit: Option<i32>, due: NaiveDate, done: Option<NaiveDate>| {
        let i = match out.iter().position(|r| r.stage == stage && r.unit_id == unit) {
            Some(i) => i,
            None => {
                out.push(ReportRow {
                    stage,
                    unit_id: unit,
                    on_time: 0,
                    late: 0,
                    pending: 0,
                });
                out.len() - 1
            }
        };
        let row = &mut out[i];
        match done {
            Some(d) if d <= due => row.on_time += 1,
            Some(_) => row.late += 1,
            None if today > due => row.late += 1,
            None => row.pending += 1,
        }
    };
    for q in rows
        .iter()
        .filter(|q| (from..=to).contains(&vn_date(q.received_at)))
    {
        let received = vn_date(q.received_at);
        let t = timeline(q);
        let d = qa::deadlines(cal, received, &t);
        if let Some(r) = t.rejected {
            bump("classify", None, received, Some(r));
            continue;
        }
        bump("classify", None, d.classify_by, t.classified.or(t.answered));
        bump("answer", None, d.answer_by, t.answered);
        if let Some(unit) = q.answer_unit_id.or_else(|| {
            serde_json::from_str::<Vec<i32>>(&q.units)
                .ok()
                .and_then(|u| u.first().copied())
        }) {
            bump("answer", Some(unit), d.answer_by, t.answered);
        }
        if let Some(due) = d.publish_by {
            let done = match (t.published, t.sent) {
                (Some(p), Some(s)) => Some(p.max(s)),
                _ => None,
            };
            bump("publish", None, due, done);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_time_rate_counts_decided_stages() {
        let r = ReportRow {
            stage: "answer",
            unit_id: None,
            on_time: 3,
            late: 1,
            pending: 5,
        };
        assert_eq!(r.on_time_rate(), Some(75.0));
        assert_eq!(
            ReportRow {
                on_time: 0,
                late: 0,
                ..r
            }
            .on_time_rate(),
            None
        );
    }

    #[test]
    fn input_is_checked_field_by_field() {
        let good = Asked {
            name: "Nguyễn Văn A".into(),
            email: "A@Example.vn".into(),
            category: "social_insurance".into(),
            title: "Hỏi về lương hưu".into(),
            content: "Tôi muốn hỏi…".into(),
            consent: true,
            ..Asked::default()
        };
        let a = check(&good).unwrap();
        assert_eq!(a.email, "a@example.vn");
        let field = |asked: Asked| match check(&asked) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(Asked {
                consent: false,
                ..good.clone()
            }),
            "consent"
        );
        assert_eq!(
            field(Asked {
                email: "not-mail".into(),
                ..good.clone()
            }),
            "email"
        );
        assert_eq!(
            field(Asked {
                category: "taxes".into(),
                ..good.clone()
            }),
            "category"
        );
        assert_eq!(
            field(Asked {
                title: " ".into(),
                ..good.clone()
            }),
            "title"
        );
        assert_eq!(
            field(Asked {
                name: String::new(),
                ..good
            }),
            "name"
        );
    }

    #[test]
    fn tracking_codes_are_unambiguous() {
        let c = tracking_code();
        assert_eq!(c.len(), 10);
        assert!(c.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit()));
        assert!(!c.contains('O') && !c.contains('0') && !c.contains('I') && !c.contains('1'));
    }
}
