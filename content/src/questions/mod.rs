//! Handling citizens' questions (Đ11.1a "Hỏi đáp", Đ7.2b): asking and
//! tracking ([`intake`]), the staff actions ([`actions`], decided by
//! [`rules`]), the deadlines stored for the inboxes ([`schedule`]), the
//! inboxes ([`inbox`]), the daily reminders ([`reminders`]), the on-time
//! report ([`report`]) and what the public sees ([`published`]). The
//! clocks themselves are in [`crate::qa`].
//!
//! The asker's name, e-mail, phone and address never leave this module in
//! anything meant for the public: [`Published`] has no field for them.

pub mod actions;
pub mod inbox;
pub mod intake;
pub mod published;
pub mod rating;
pub mod redaction;
pub mod reminders;
pub mod report;
pub mod rules;
pub mod schedule;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{question, question_event};
use crate::error::{Error, Result};

pub use actions::{Action, act};
pub use inbox::{Inbox, count_due, count_open, open};
pub use intake::{Asked, ask, track};
pub use published::{Published, published, published_one, published_page};
pub use reminders::reminders;
pub use report::{ReportRow, Satisfaction, report, satisfaction};
pub use rules::{ActionKind, QuestionState};
pub use schedule::{clocks_of, forget_schedules, reschedule, schedule_of, timeline};

/// The Q&A items (Vietnamese section 6).
pub const CATEGORIES: [&str; 4] = [
    "general",
    "social_insurance",
    "health_insurance",
    "unemployment_insurance",
];

/// The categories of proposals and petitions (Vietnamese section 16).
pub const PETITION_CATEGORIES: [&str; 4] =
    ["administrative_procedures", "policy", "service_quality", "other"];

/// What came in: a question for the Q&A (section 6), or a proposal or
/// petition (section 16; Đ4.1c "tiếp nhận, xử lý các phản ánh, kiến
/// nghị"; Đ7.2d: the Office helps with those about procedures). Both go
/// through the same pipeline (intake, tracking code, classification,
/// forwarding, working-day clocks, answer, approval, publication without
/// personal data); a channel has its own categories and days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Channel {
    #[default]
    Question,
    Petition,
}

/// The working days of proposals and petitions; the Q&A's until
/// [`set_petition_days`] says otherwise.
static PETITION_DAYS: std::sync::OnceLock<crate::qa::Days> = std::sync::OnceLock::new();

/// Sets the working days of proposals and petitions (configuration, at
/// start; later calls are ignored).
pub fn set_petition_days(days: crate::qa::Days) {
    let _ = PETITION_DAYS.set(days);
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Question, Channel::Petition];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Question => "question",
            Channel::Petition => "petition",
        }
    }

    pub fn categories(self) -> &'static [&'static str] {
        match self {
            Channel::Question => &CATEGORIES,
            Channel::Petition => &PETITION_CATEGORIES,
        }
    }

    /// The Vietnamese section where its published items are listed.
    pub fn section(self) -> &'static str {
        match self {
            Channel::Question => "vi-06",
            Channel::Petition => "vi-16",
        }
    }

    pub fn days(self) -> crate::qa::Days {
        match self {
            Channel::Question => crate::qa::QA_DAYS,
            Channel::Petition => PETITION_DAYS.get().copied().unwrap_or(crate::qa::QA_DAYS),
        }
    }
}

impl std::str::FromStr for Channel {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s).ok_or(())
    }
}

/// A message the server must send (it owns the mail transport).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mail {
    /// One mail per recipient: the daily reminders of the Q&A and of the
    /// information deadlines go out together.
    pub fn merge_by_recipient(mails: Vec<Mail>) -> Vec<Mail> {
        let mut out: Vec<Mail> = Vec::new();
        for m in mails {
            match out.iter_mut().find(|o| o.to == m.to) {
                Some(o) => {
                    o.subject = "[Cổng TTĐT BHXH] Việc cần xử lý hôm nay".to_owned();
                    o.body.push('\n');
                    o.body.push_str(&m.body);
                }
                None => out.push(m),
            }
        }
        out
    }
}

impl question::Model {
    /// The units the question was forwarded to.
    pub fn units(&self) -> Vec<i32> {
        serde_json::from_str(&self.units).unwrap_or_default()
    }

    /// Its channel; an unknown stored value reads as a question.
    pub fn channel(&self) -> Channel {
        self.channel.parse().unwrap_or_default()
    }

    /// Where the question stands; a stored state this version does not
    /// know reads as received, so staff see it and can act.
    pub fn state(&self) -> QuestionState {
        self.status.parse().unwrap_or(QuestionState::Received)
    }
}

/// A question as one staff member may read it: the asker's personal data
/// is blanked unless they need it, and every read of it is audited.
pub struct Seen {
    pub question: question::Model,
    pub with_asker: bool,
}

impl Seen {
    fn of(mut q: question::Model, reading: rules::Reading) -> Option<Seen> {
        match reading {
            rules::Reading::Hidden => None,
            rules::Reading::Question => {
                q.name = String::new();
                q.email = String::new();
                q.phone = None;
                q.address = None;
                Some(Seen {
                    question: q,
                    with_asker: false,
                })
            }
            rules::Reading::WithAsker => Some(Seen {
                question: q,
                with_asker: true,
            }),
        }
    }
}

/// Reads one question as `who` may (404 when it is not theirs to read).
pub async fn read(
    db: &impl ConnectionTrait,
    actor: &crate::audit::Actor,
    who: &crate::accounts::Account,
    id: i32,
) -> Result<Seen> {
    let q = get(db, id).await?;
    let reading = rules::reading(&actions::standing(who, &q));
    let seen = Seen::of(q, reading).ok_or(Error::NotFound("question"))?;
    if seen.with_asker {
        crate::audit::record(
            db,
            actor,
            "qa.read_personal",
            Some(("question", id.to_string())),
            serde_json::Value::Null,
        )
        .await?;
    }
    Ok(seen)
}

/// Several questions (an inbox page) as `who` may read them, in order;
/// the ones not theirs are left out, and one audit entry lists the
/// questions whose askers' data was read.
pub async fn read_all(
    db: &impl ConnectionTrait,
    actor: &crate::audit::Actor,
    who: &crate::accounts::Account,
    questions: Vec<question::Model>,
) -> Result<Vec<Seen>> {
    let seen: Vec<Seen> = questions
        .into_iter()
        .filter_map(|q| {
            let reading = rules::reading(&actions::standing(who, &q));
            Seen::of(q, reading)
        })
        .collect();
    let personal: Vec<i32> = seen
        .iter()
        .filter(|s| s.with_asker)
        .map(|s| s.question.id)
        .collect();
    if !personal.is_empty() {
        crate::audit::record(
            db,
            actor,
            "qa.read_personal",
            None,
            serde_json::json!({ "questions": personal }),
        )
        .await?;
    }
    Ok(seen)
}

/// A question as stored, for the domain's own use; adapters read through
/// [`read`].
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

/// Records an event in a question's history.
pub(crate) async fn event(
    db: &impl ConnectionTrait,
    q: i32,
    action: &str,
    actor: Option<i32>,
    unit: Option<i32>,
    comment: Option<String>,
) -> Result<()> {
    use sea_orm::{ActiveModelTrait, Set};
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
