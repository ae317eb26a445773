//! The staff actions on a question. [`rules`](super::rules) decides whether
//! an action is allowed and what it does to the state and clocks; this
//! module checks the action's data, writes the question, its history and
//! the audit trail in one transaction, and writes the asker's mail.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use super::rules::{self, ActionKind, Facts, Standing};
use super::schedule::store_schedule;
use super::{Mail, event, get};
use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::changelog::{self, ChangeKind};
use crate::entity::question;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::text::nfc;

/// A staff action on a question, with its data.
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
    Withdraw {
        reason: String,
    },
    Correct {
        comment: String,
    },
    ApproveAnswer,
    /// Publication, with the wording that goes public when the staff
    /// edited it; `confirmed` publishes despite personal details flagged
    /// in that wording ([`super::redaction`]).
    Publish {
        title: Option<String>,
        content: Option<String>,
        confirmed: bool,
    },
    Send,
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Classify { .. } => ActionKind::Classify,
            Action::AnswerDirectly { .. } => ActionKind::AnswerDirectly,
            Action::Forward { .. } => ActionKind::Forward,
            Action::RejectUnclear { .. } => ActionKind::RejectUnclear,
            Action::RejectOutOfScope { .. } => ActionKind::RejectOutOfScope,
            Action::DraftAnswer { .. } => ActionKind::DraftAnswer,
            Action::ProgressNotice { .. } => ActionKind::ProgressNotice,
            Action::ReturnToUnit { .. } => ActionKind::ReturnToUnit,
            Action::Withdraw { .. } => ActionKind::Withdraw,
            Action::Correct { .. } => ActionKind::Correct,
            Action::ApproveAnswer => ActionKind::ApproveAnswer,
            Action::Publish { .. } => ActionKind::Publish,
            Action::Send => ActionKind::Send,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().as_str()
    }
}

/// What a form or an API call brings with an action. Which fields an
/// action needs is decided by [`Action::from_input`], for every entry point.
#[derive(Clone, Debug, Default)]
pub struct ActionInput {
    pub category: Option<String>,
    pub complex: Option<bool>,
    pub answer: Option<String>,
    pub unit_ids: Vec<i32>,
    pub reason: Option<String>,
    pub comment: Option<String>,
    pub answer_by: Option<NaiveDate>,
    /// For publish: the title and text that go public, when edited.
    pub public_title: Option<String>,
    pub public_content: Option<String>,
    /// For publish: go ahead although personal details were flagged.
    pub confirm_personal_data: Option<bool>,
}

impl Action {
    /// The action `kind` with its data from `input`; a missing field the
    /// action needs is refused, naming it.
    pub fn from_input(kind: ActionKind, input: ActionInput) -> Result<Action> {
        let required = |v: Option<String>, field: &str| {
            v.ok_or_else(|| {
                Error::invalid_in(
                    field,
                    "is required for this action",
                    "Hãy điền đủ các mục của thao tác này.",
                )
            })
        };
        Ok(match kind {
            ActionKind::Classify => Action::Classify {
                category: input.category,
                complex: input.complex,
            },
            ActionKind::AnswerDirectly => Action::AnswerDirectly {
                answer: required(input.answer, "answer")?,
            },
            ActionKind::Forward => Action::Forward {
                unit_ids: input.unit_ids,
            },
            ActionKind::RejectUnclear => Action::RejectUnclear {
                reason: required(input.reason, "reason")?,
            },
            ActionKind::RejectOutOfScope => Action::RejectOutOfScope {
                reason: required(input.reason, "reason")?,
            },
            ActionKind::DraftAnswer => Action::DraftAnswer {
                answer: required(input.answer, "answer")?,
            },
            ActionKind::ProgressNotice => Action::ProgressNotice {
                answer_by: input.answer_by.ok_or_else(|| {
                    Error::invalid_in(
                        "answer_by",
                        "is required for a progress notice",
                        "Hãy nhập ngày trả lời mới.",
                    )
                })?,
                comment: required(input.comment, "comment")?,
            },
            ActionKind::ReturnToUnit => Action::ReturnToUnit {
                comment: required(input.comment, "comment")?,
            },
            ActionKind::Withdraw => Action::Withdraw {
                reason: required(input.reason.or(input.comment), "reason")?,
            },
            ActionKind::Correct => Action::Correct {
                comment: required(input.comment, "comment")?,
            },
            ActionKind::ApproveAnswer => Action::ApproveAnswer,
            ActionKind::Publish => Action::Publish {
                title: input.public_title,
                content: input.public_content,
                confirmed: input.confirm_personal_data.unwrap_or(false),
            },
            ActionKind::Send => Action::Send,
        })
    }
}

fn text_field(field: &str, v: &str, max: usize) -> Result<String> {
    let v = nfc(v.trim());
    if v.is_empty() || v.chars().count() > max {
        return Err(Error::invalid_in(
            field,
            format!("must be 1 to {max} characters"),
            format!("Cần từ 1 đến {max} ký tự."),
        ));
    }
    Ok(v)
}

/// The caller's standing towards a question.
pub fn standing(who: &Account, q: &question::Model) -> Standing {
    Standing::of(&who.roles, who.user.unit_id, &q.units())
}

/// The actions `who` may take on the question now.
pub fn allowed(who: &Account, q: &question::Model) -> Vec<ActionKind> {
    rules::allowed(facts(q), &standing(who, q))
}

fn facts(q: &question::Model) -> Facts {
    Facts {
        state: q.state(),
        sent: q.sent_at.is_some(),
    }
}

/// Runs a staff action. The rules check the role (and, for unit answers,
/// that the responder's unit received the question) and the state; a
/// refusal changes nothing. Returns the question and any mail for the
/// asker.
pub async fn act(
    db: &DatabaseConnection,
    actor: &Actor,
    who: &Account,
    id: i32,
    action: Action,
    today: NaiveDate,
) -> Result<(question::Model, Option<Mail>)> {
    let txn = crate::db::begin_write(db).await?;
    let q = get(&txn, id).await?;
    let kind = action.kind();
    let effect = rules::decide(kind, facts(&q), &standing(who, &q))?;
    let responder_unit = who
        .user
        .unit_id
        .filter(|u| standing(who, &q).responder && q.units().contains(u));
    let now = crate::time::now();
    let mut am: question::ActiveModel = q.clone().into();
    let mut comment = None;
    let mut promised = None;
    match action {
        Action::Classify { category, complex } => {
            if let Some(c) = category {
                let categories = q.channel().categories();
                if !categories.contains(&c.as_str()) {
                    return Err(Error::invalid(
                        "category",
                        format!("one of {}", categories.join(", ")),
                    ));
                }
                am.category = Set(c);
            }
            if let Some(c) = complex {
                am.complex = Set(c);
            }
        }
        Action::AnswerDirectly { answer } => {
            am.answer = Set(Some(text_field("answer", &answer, 20_000)?));
            am.answer_unit_id = Set(who.user.unit_id);
        }
        Action::Forward { unit_ids } => {
            let mut ids = unit_ids;
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                return Err(Error::invalid_in(
                    "unit_ids",
                    "name at least one unit",
                    "Hãy chọn ít nhất một đơn vị.",
                ));
            }
            for u in &ids {
                crate::units::get(&txn, *u)
                    .await
                    .map_err(|_| Error::invalid("unit_ids", format!("no unit {u}")))?;
            }
            // Đ11.1a: a question needing several units is complex (10 days).
            am.complex = Set(q.complex || ids.len() > 1);
            am.units = Set(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()));
        }
        Action::RejectUnclear { reason } | Action::RejectOutOfScope { reason } => {
            let reason = text_field("reason", &reason, 2_000)?;
            am.reject_reason = Set(Some(reason.clone()));
            comment = Some(reason);
        }
        Action::DraftAnswer { answer } => {
            am.answer = Set(Some(text_field("answer", &answer, 20_000)?));
            am.answer_unit_id = Set(responder_unit);
        }
        Action::ProgressNotice {
            answer_by,
            comment: c,
        } => {
            if answer_by <= today {
                return Err(Error::invalid_in(
                    "answer_by",
                    "must be a future date",
                    "Ngày trả lời mới phải sau hôm nay.",
                ));
            }
            comment = Some(text_field("comment", &c, 2_000)?);
            promised = Some(answer_by);
        }
        Action::ReturnToUnit { comment: c } | Action::Correct { comment: c } => {
            comment = Some(text_field("comment", &c, 2_000)?);
        }
        Action::Withdraw { reason } => {
            comment = Some(text_field("reason", &reason, 2_000)?);
        }
        Action::Publish {
            title,
            content,
            confirmed,
        } => {
            let title = match title.map(|t| nfc(t.trim())).filter(|t| !t.is_empty()) {
                Some(t) => Some(text_field("public_title", &t, crate::text::limits::TITLE)?),
                None => q.public_title.clone(),
            };
            let content = match content.map(|c| nfc(c.trim())).filter(|c| !c.is_empty()) {
                Some(c) => Some(text_field("public_content", &c, 20_000)?),
                None => q.public_content.clone(),
            };
            let shown = format!(
                "{}\n{}",
                title.as_deref().unwrap_or(&q.title),
                content.as_deref().unwrap_or(&q.content)
            );
            let flagged = super::redaction::flags(&shown);
            if !flagged.is_empty() && !confirmed {
                let list = |lang| {
                    flagged
                        .iter()
                        .map(|f| format!("{} ({})", f.found, f.detail.label(lang)))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                return Err(Error::invalid_in(
                    "confirm_personal_data",
                    format!(
                        "the text to publish seems to hold personal details: {}; edit the public wording, or confirm",
                        list(Lang::En)
                    ),
                    format!(
                        "Nội dung sắp đăng có vẻ chứa thông tin cá nhân: {}. Hãy biên tập lại, hoặc xác nhận vẫn đăng.",
                        list(Lang::Vi)
                    ),
                ));
            }
            let edited = |v: Option<String>, original: &str| v.filter(|v| v != original);
            am.public_title = Set(edited(title, &q.title));
            am.public_content = Set(edited(content, &q.content));
            if !flagged.is_empty() {
                comment = Some(format!(
                    "{} (đã xác nhận)",
                    flagged
                        .iter()
                        .map(|f| f.detail.label(Lang::Vi))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        Action::ApproveAnswer | Action::Send => {}
    }
    if let Some(to) = effect.to {
        am.status = Set(to.as_str().to_owned());
    }
    am.classified_at = Set(effect.classified.apply(q.classified_at, now));
    am.answered_at = Set(effect.answered.apply(q.answered_at, now));
    am.approved_at = Set(effect.approved.apply(q.approved_at, now));
    am.published_at = Set(effect.published.apply(q.published_at, now));
    am.sent_at = Set(effect.sent.apply(q.sent_at, now));
    am.rejected_at = Set(effect.rejected.apply(q.rejected_at, now));
    if effect.promises {
        am.promised_on = Set(promised);
    }
    if effect.goes_public {
        changelog::append(&txn, "question", q.id, ChangeKind::Publish, Lang::Vi).await?;
    }
    if effect.goes_private {
        changelog::append(&txn, "question", q.id, ChangeKind::Unpublish, Lang::Vi).await?;
    }
    am.updated_at = Set(now);
    let updated = am.update(&txn).await?;
    // A first publication opens the answer's royalty sheet (Đ7.2b).
    if effect.goes_public && q.published_at.is_none() {
        crate::royalties::sheets::open_for_question(&txn, &updated, now, Some(who.user.id)).await?;
    }
    let cal = crate::holidays::calendar(&txn).await?;
    let updated = store_schedule(&txn, &cal, updated).await?;
    event(
        &txn,
        id,
        kind.as_str(),
        Some(who.user.id),
        responder_unit,
        comment.clone(),
    )
    .await?;
    audit::record(
        &txn,
        actor,
        &format!("qa.{}", kind.as_str()),
        Some(("question", id.to_string())),
        serde_json::json!({"status": updated.status}),
    )
    .await?;
    txn.commit().await?;
    let mail = effect
        .mails_asker
        .then(|| mail_to_asker(kind, &updated, comment.as_deref(), promised));
    Ok((updated, mail))
}

/// The mail an action sends the asker, in the language of the edition
/// the question was asked in.
fn mail_to_asker(
    kind: ActionKind,
    q: &question::Model,
    comment: Option<&str>,
    promised: Option<NaiveDate>,
) -> Mail {
    let when = promised
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default();
    let comment = comment.unwrap_or_default();
    let answer = q.answer.clone().unwrap_or_default();
    let code = &q.tracking_code;
    let (subject, body) = if q.edition == "en" {
        match kind {
            ActionKind::RejectUnclear | ActionKind::RejectOutOfScope => (
                format!("[Vietnam Social Security] Question {code}"),
                format!(
                    "Dear {},\n\nTracking code: {code}\n\n{}\n\nReason: {comment}\n",
                    q.name,
                    if kind == ActionKind::RejectUnclear {
                        "Your question is not clear enough to answer; please send it again with the details."
                    } else {
                        "Your question is outside what Vietnam Social Security answers; please send it to the competent authority."
                    }
                ),
            ),
            ActionKind::ProgressNotice => (
                format!("[Vietnam Social Security] Progress on question {code}"),
                format!(
                    "Dear {},\n\nYour question {code} is being handled. Expected answer by: {when}.\n\n{comment}\n",
                    q.name
                ),
            ),
            _ => (
                format!("[Vietnam Social Security] Answer to question {code}"),
                format!(
                    "Dear {},\n\nQuestion {code}: {}\n\nAnswer:\n{answer}\n",
                    q.name, q.title
                ),
            ),
        }
    } else {
        match kind {
            ActionKind::RejectUnclear | ActionKind::RejectOutOfScope => (
                format!("[BHXH Việt Nam] Câu hỏi {code}"),
                format!(
                    "Kính gửi {},\n\nMã tra cứu: {code}\n\n{}\n\nLý do: {comment}\n",
                    q.name,
                    if kind == ActionKind::RejectUnclear {
                        "Câu hỏi của Quý vị chưa rõ nội dung; đề nghị Quý vị gửi lại câu hỏi đầy đủ thông tin."
                    } else {
                        "Câu hỏi của Quý vị không thuộc phạm vi trả lời của Bảo hiểm xã hội Việt Nam; đề nghị Quý vị gửi tới cơ quan có thẩm quyền."
                    }
                ),
            ),
            ActionKind::ProgressNotice => (
                format!("[BHXH Việt Nam] Tiến độ trả lời câu hỏi {code}"),
                format!(
                    "Kính gửi {},\n\nCâu hỏi mã {code} của Quý vị đang được xử lý. Ngày dự kiến trả lời: {when}.\n\n{comment}\n",
                    q.name
                ),
            ),
            _ => (
                format!("[BHXH Việt Nam] Trả lời câu hỏi {code}"),
                format!(
                    "Kính gửi {},\n\nCâu hỏi mã {code}: {}\n\nTrả lời:\n{answer}\n",
                    q.name, q.title
                ),
            ),
        }
    };
    Mail {
        to: q.email.clone(),
        subject,
        body,
    }
}
