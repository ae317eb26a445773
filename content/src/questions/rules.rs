//! The rules of handling a citizen's question (Đ11.1a "Hỏi đáp", Đ7.2b):
//! which staff action is allowed for whom in which state, and what it does
//! to the question's state and clocks. Pure: the caller loads the question
//! and the caller's roles, asks [`decide`], and writes what the [`Effect`]
//! says. The API, the editor and the reminders all ask here.
//!
//! The flow of Đ11.1a: the Support Centre classifies a question and either
//! answers it or forwards it to the responsible units (or tells the asker
//! it is unclear or out of scope); a unit answers, or sends a progress
//! notice with a new date; the board approves the answer (Đ6.2a: it is
//! responsible for what is published); the Support Centre publishes it and
//! sends it to the asker.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::roles::{BOARD, QA_COORDINATION, Role, RoleSet};

/// Where a question stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuestionState {
    /// Asked, waiting for the Support Centre.
    Received,
    /// Classified (category, complexity), not yet routed.
    Classified,
    /// Sent to one or more units to answer.
    Forwarded,
    /// An answer sent back to its unit by the Support Centre.
    Returned,
    /// Answered, waiting for the board's approval.
    Answered,
    /// Approved, waiting to be published and sent.
    Approved,
    /// Public on the portal (it may still wait to be sent).
    Published,
    /// The asker was told the question is unclear (same day, Đ11.1a).
    RejectedUnclear,
    /// The asker was told the question is outside VSS's remit.
    RejectedOutOfScope,
}

impl QuestionState {
    pub const ALL: [QuestionState; 9] = [
        QuestionState::Received,
        QuestionState::Classified,
        QuestionState::Forwarded,
        QuestionState::Returned,
        QuestionState::Answered,
        QuestionState::Approved,
        QuestionState::Published,
        QuestionState::RejectedUnclear,
        QuestionState::RejectedOutOfScope,
    ];

    /// States in which a question waits for staff.
    pub const OPEN: [QuestionState; 6] = [
        QuestionState::Received,
        QuestionState::Classified,
        QuestionState::Forwarded,
        QuestionState::Returned,
        QuestionState::Answered,
        QuestionState::Approved,
    ];

    /// The state's API name.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionState::Received => "received",
            QuestionState::Classified => "classified",
            QuestionState::Forwarded => "forwarded",
            QuestionState::Returned => "returned",
            QuestionState::Answered => "answered",
            QuestionState::Approved => "approved",
            QuestionState::Published => "published",
            QuestionState::RejectedUnclear => "rejected_unclear",
            QuestionState::RejectedOutOfScope => "rejected_out_of_scope",
        }
    }

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// The API names of the open states, for queries.
    pub fn open_names() -> Vec<&'static str> {
        Self::OPEN.iter().map(|s| s.as_str()).collect()
    }
}

impl fmt::Display for QuestionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for QuestionState {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| Error::invalid("status", format!("unknown question state `{s}`")))
    }
}

/// A staff action, without its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    Classify,
    AnswerDirectly,
    Forward,
    RejectUnclear,
    RejectOutOfScope,
    DraftAnswer,
    ProgressNotice,
    ReturnToUnit,
    ApproveAnswer,
    Publish,
    Send,
    /// Takes a published item off the portal (it waits, approved, for a
    /// decision); the reason is recorded.
    Withdraw,
    /// Reopens a published answer for correction: off the portal, back to
    /// the Support Centre, which answers it again or forwards it to the
    /// unit; then approved and published like the first time.
    Correct,
}

impl ActionKind {
    /// Every action, in the order of the flow (the editor offers them so).
    pub const ALL: [ActionKind; 13] = [
        ActionKind::Classify,
        ActionKind::AnswerDirectly,
        ActionKind::Forward,
        ActionKind::RejectUnclear,
        ActionKind::RejectOutOfScope,
        ActionKind::DraftAnswer,
        ActionKind::ProgressNotice,
        ActionKind::ApproveAnswer,
        ActionKind::ReturnToUnit,
        ActionKind::Publish,
        ActionKind::Send,
        ActionKind::Correct,
        ActionKind::Withdraw,
    ];

    /// The action's API name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Classify => "classify",
            ActionKind::AnswerDirectly => "answer_directly",
            ActionKind::Forward => "forward",
            ActionKind::RejectUnclear => "reject_unclear",
            ActionKind::RejectOutOfScope => "reject_out_of_scope",
            ActionKind::DraftAnswer => "draft_answer",
            ActionKind::ProgressNotice => "progress_notice",
            ActionKind::ReturnToUnit => "return_to_unit",
            ActionKind::ApproveAnswer => "approve_answer",
            ActionKind::Publish => "publish",
            ActionKind::Send => "send",
            ActionKind::Withdraw => "withdraw",
            ActionKind::Correct => "correct",
        }
    }
}

impl FromStr for ActionKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| Error::invalid("action", format!("unknown action `{s}`")))
    }
}

/// The caller's standing towards one question.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    /// Support Centre coordination (or an administrator).
    pub coordinator: bool,
    /// A responder of a unit the question is forwarded to.
    pub responder: bool,
    /// A member of the editorial board.
    pub board: bool,
}

impl Standing {
    /// The standing of a caller with `roles` in unit `unit_id` towards a
    /// question forwarded to `forwarded_to`.
    /// An administrator stands in for every role, so that a question never
    /// sticks because a unit or the board cannot act (the IT Centre keeps
    /// the service running, Đ7.2c); each such action is audited under their
    /// name like any other.
    pub fn of(roles: &RoleSet, unit_id: Option<i32>, forwarded_to: &[i32]) -> Self {
        let admin = roles.is_admin();
        Standing {
            coordinator: roles.any(&QA_COORDINATION),
            responder: admin
                || (roles.has(Role::QaResponder) && unit_id.is_some_and(|u| forwarded_to.contains(&u))),
            board: admin || roles.any(&BOARD),
        }
    }
}

/// What a caller may read of one question. Đ7.2b gives the Support
/// Centre the contact with askers; the units and the board work on the
/// question itself. Personal data is read only where it is needed (Decree
/// 13/2023/NĐ-CP on personal data protection), and each such read is
/// audited by the caller of [`reading`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Not this caller's question: answered as if it did not exist.
    Hidden,
    /// The question and its handling, without the asker's name, e-mail,
    /// phone and address: board members, and responders of a unit the
    /// question was forwarded to.
    Question,
    /// Everything, the asker's contact included: Support Centre
    /// coordination and administrators.
    WithAsker,
}

/// What `who` may read of a question.
pub fn reading(who: &Standing) -> Reading {
    if who.coordinator {
        Reading::WithAsker
    } else if who.responder || who.board {
        Reading::Question
    } else {
        Reading::Hidden
    }
}

/// What the rules need to know of a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    pub state: QuestionState,
    /// The answer was sent to the asker.
    pub sent: bool,
}

/// What an action does to one of the question's timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stamp {
    /// Left as it is.
    Keep,
    /// Set to now.
    Now,
    /// Set to now unless already set (the first time counts).
    First,
    /// Cleared (the clock runs again).
    Clear,
}

impl Stamp {
    pub fn apply(self, current: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Stamp::Keep => current,
            Stamp::Now => Some(now),
            Stamp::First => current.or(Some(now)),
            Stamp::Clear => None,
        }
    }
}

/// What an allowed action does. The clocks of [`crate::qa`] read these
/// timestamps: classification stops the classify clock, the answer the
/// answer clock, publication and sending the publish clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effect {
    /// The new state; `None` leaves it (a progress notice, sending).
    pub to: Option<QuestionState>,
    pub classified: Stamp,
    pub answered: Stamp,
    pub approved: Stamp,
    pub published: Stamp,
    pub sent: Stamp,
    pub rejected: Stamp,
    /// The action sets the promised answer date (a progress notice).
    pub promises: bool,
    /// The asker gets a mail.
    pub mails_asker: bool,
    /// The question becomes public: a change-log entry.
    pub goes_public: bool,
    /// The question leaves the portal: a change-log entry.
    pub goes_private: bool,
}

const NOTHING: Effect = Effect {
    to: None,
    classified: Stamp::Keep,
    answered: Stamp::Keep,
    approved: Stamp::Keep,
    published: Stamp::Keep,
    sent: Stamp::Keep,
    rejected: Stamp::Keep,
    promises: false,
    mails_asker: false,
    goes_public: false,
    goes_private: false,
};

/// Why an action is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The caller's roles (or unit) do not allow it.
    NotYours(ActionKind),
    /// Not in this state.
    WrongState(ActionKind, QuestionState),
    /// The answer was sent already.
    AlreadySent,
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NotYours(a) => Error::Forbidden(
                match a {
                    ActionKind::DraftAnswer | ActionKind::ProgressNotice => {
                        "only a responder of a unit the question was forwarded to may do this"
                    }
                    ActionKind::ApproveAnswer => "approving an answer needs a member of the editorial board",
                    _ => "this needs a Q&A coordinator",
                }
                .into(),
            ),
            Refusal::WrongState(a, s) => {
                Error::Conflict(format!("cannot {} a question that is {s}", a.as_str()))
            }
            Refusal::AlreadySent => Error::Conflict("the answer was already sent".into()),
        }
    }
}

/// Who may take an action, from which states, and what it does.
fn rule(action: ActionKind) -> (fn(&Standing) -> bool, &'static [QuestionState], Effect) {
    use QuestionState as S;
    let coordinator: fn(&Standing) -> bool = |s| s.coordinator;
    let responder: fn(&Standing) -> bool = |s| s.responder;
    let board: fn(&Standing) -> bool = |s| s.board;
    const TRIAGE: &[QuestionState] = &[S::Received, S::Classified];
    const WITH_UNIT: &[QuestionState] = &[S::Forwarded, S::Returned];
    match action {
        ActionKind::Classify => (
            coordinator,
            TRIAGE,
            Effect {
                to: Some(S::Classified),
                classified: Stamp::Now,
                ..NOTHING
            },
        ),
        ActionKind::AnswerDirectly => (
            coordinator,
            TRIAGE,
            Effect {
                to: Some(S::Answered),
                classified: Stamp::First,
                answered: Stamp::Now,
                ..NOTHING
            },
        ),
        ActionKind::Forward => (
            coordinator,
            TRIAGE,
            Effect {
                to: Some(S::Forwarded),
                classified: Stamp::First,
                ..NOTHING
            },
        ),
        ActionKind::RejectUnclear => (
            coordinator,
            TRIAGE,
            Effect {
                to: Some(S::RejectedUnclear),
                rejected: Stamp::Now,
                mails_asker: true,
                ..NOTHING
            },
        ),
        ActionKind::RejectOutOfScope => (
            coordinator,
            TRIAGE,
            Effect {
                to: Some(S::RejectedOutOfScope),
                rejected: Stamp::Now,
                mails_asker: true,
                ..NOTHING
            },
        ),
        ActionKind::DraftAnswer => (
            responder,
            WITH_UNIT,
            Effect {
                to: Some(S::Answered),
                answered: Stamp::Now,
                ..NOTHING
            },
        ),
        ActionKind::ProgressNotice => (
            responder,
            WITH_UNIT,
            Effect {
                promises: true,
                mails_asker: true,
                ..NOTHING
            },
        ),
        ActionKind::ReturnToUnit => (
            coordinator,
            &[S::Answered],
            Effect {
                to: Some(S::Returned),
                answered: Stamp::Clear,
                ..NOTHING
            },
        ),
        ActionKind::ApproveAnswer => (
            board,
            &[S::Answered],
            Effect {
                to: Some(S::Approved),
                approved: Stamp::Now,
                ..NOTHING
            },
        ),
        ActionKind::Publish => (
            coordinator,
            &[S::Approved],
            Effect {
                to: Some(S::Published),
                published: Stamp::Now,
                goes_public: true,
                ..NOTHING
            },
        ),
        ActionKind::Send => (
            coordinator,
            &[S::Approved, S::Published],
            Effect {
                sent: Stamp::Now,
                mails_asker: true,
                ..NOTHING
            },
        ),
        ActionKind::Withdraw => (
            coordinator,
            &[S::Published],
            Effect {
                to: Some(S::Approved),
                goes_private: true,
                ..NOTHING
            },
        ),
        ActionKind::Correct => (
            coordinator,
            &[S::Published],
            Effect {
                to: Some(S::Classified),
                answered: Stamp::Clear,
                approved: Stamp::Clear,
                goes_private: true,
                ..NOTHING
            },
        ),
    }
}

/// Decides an action: the caller's standing first (403), then the state
/// (409). A refusal changes nothing.
pub fn decide(action: ActionKind, facts: Facts, who: &Standing) -> Result<Effect, Refusal> {
    let (allowed, from, effect) = rule(action);
    if !allowed(who) {
        return Err(Refusal::NotYours(action));
    }
    if !from.contains(&facts.state) {
        return Err(Refusal::WrongState(action, facts.state));
    }
    if action == ActionKind::Send && facts.sent {
        return Err(Refusal::AlreadySent);
    }
    Ok(effect)
}

/// The actions the caller may take now, in the order of the flow.
pub fn allowed(facts: Facts, who: &Standing) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|a| decide(*a, facts, who).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActionKind as A;
    use QuestionState as S;

    const COORDINATOR: Standing = Standing {
        coordinator: true,
        responder: false,
        board: false,
    };
    const RESPONDER: Standing = Standing {
        coordinator: false,
        responder: true,
        board: false,
    };
    const BOARD_MEMBER: Standing = Standing {
        coordinator: false,
        responder: false,
        board: true,
    };
    const NOBODY: Standing = Standing {
        coordinator: false,
        responder: false,
        board: false,
    };

    fn facts(state: QuestionState) -> Facts {
        Facts { state, sent: false }
    }

    #[test]
    fn a_published_item_is_withdrawn_or_reopened_for_correction_by_coordination() {
        let published = Facts {
            state: S::Published,
            sent: true,
        };
        let w = decide(A::Withdraw, published, &COORDINATOR).unwrap();
        assert_eq!((w.to, w.goes_private), (Some(S::Approved), true));
        let c = decide(A::Correct, published, &COORDINATOR).unwrap();
        assert_eq!((c.to, c.goes_private), (Some(S::Classified), true));
        assert!(decide(A::Withdraw, published, &RESPONDER).is_err());
        let approved = Facts {
            state: S::Approved,
            sent: false,
        };
        assert!(decide(A::Correct, approved, &COORDINATOR).is_err());
    }

    #[test]
    fn names_round_trip() {
        for s in S::ALL {
            assert_eq!(s.as_str().parse::<S>().unwrap(), s);
        }
        for a in A::ALL {
            assert_eq!(a.as_str().parse::<A>().unwrap(), a);
        }
        assert!("lost".parse::<S>().is_err());
        assert!("delete".parse::<A>().is_err());
    }

    /// Đ11.1a: the Support Centre classifies, answers, forwards or rejects
    /// a new question; nobody else triages.
    #[test]
    fn triage_is_the_support_centres() {
        for state in [S::Received, S::Classified] {
            assert_eq!(
                allowed(facts(state), &COORDINATOR),
                vec![
                    A::Classify,
                    A::AnswerDirectly,
                    A::Forward,
                    A::RejectUnclear,
                    A::RejectOutOfScope
                ]
            );
            for other in [RESPONDER, BOARD_MEMBER, NOBODY] {
                assert!(allowed(facts(state), &other).is_empty());
            }
        }
        assert_eq!(
            decide(A::Forward, facts(S::Received), &RESPONDER),
            Err(Refusal::NotYours(A::Forward))
        );
    }

    /// Đ11.1a: a unit the question was forwarded to answers it, or sends a
    /// progress notice with the new date, within 7 (10) working days.
    #[test]
    fn the_forwarded_unit_answers() {
        for state in [S::Forwarded, S::Returned] {
            assert_eq!(
                allowed(facts(state), &RESPONDER),
                vec![A::DraftAnswer, A::ProgressNotice]
            );
            assert!(allowed(facts(state), &COORDINATOR).is_empty());
        }
        let e = decide(A::DraftAnswer, facts(S::Forwarded), &RESPONDER).unwrap();
        assert_eq!((e.to, e.answered), (Some(S::Answered), Stamp::Now));
        let notice = decide(A::ProgressNotice, facts(S::Forwarded), &RESPONDER).unwrap();
        assert_eq!(notice.to, None, "a progress notice keeps the state");
        assert!(notice.promises && notice.mails_asker);
    }

    /// Đ6.2a: the board approves before publication; the Support Centre
    /// may send an answer back to its unit, which restarts its clock.
    #[test]
    fn answers_wait_for_the_board() {
        assert_eq!(allowed(facts(S::Answered), &BOARD_MEMBER), vec![A::ApproveAnswer]);
        assert_eq!(allowed(facts(S::Answered), &COORDINATOR), vec![A::ReturnToUnit]);
        let back = decide(A::ReturnToUnit, facts(S::Answered), &COORDINATOR).unwrap();
        assert_eq!((back.to, back.answered), (Some(S::Returned), Stamp::Clear));
        assert_eq!(
            decide(A::Publish, facts(S::Answered), &COORDINATOR),
            Err(Refusal::WrongState(A::Publish, S::Answered))
        );
    }

    /// Đ11.1a: within 2 working days of the answer the Support Centre
    /// publishes it and sends it to the asker, once.
    #[test]
    fn publishing_and_sending() {
        assert_eq!(
            allowed(facts(S::Approved), &COORDINATOR),
            vec![A::Publish, A::Send]
        );
        let p = decide(A::Publish, facts(S::Approved), &COORDINATOR).unwrap();
        assert!(p.goes_public && p.published == Stamp::Now && p.to == Some(S::Published));
        assert_eq!(
            allowed(facts(S::Published), &COORDINATOR),
            vec![A::Send, A::Correct, A::Withdraw]
        );
        let sent = Facts {
            state: S::Published,
            sent: true,
        };
        assert_eq!(
            allowed(sent, &COORDINATOR),
            vec![A::Correct, A::Withdraw],
            "once sent, only correcting or withdrawing"
        );
        assert_eq!(decide(A::Send, sent, &COORDINATOR), Err(Refusal::AlreadySent));
    }

    /// Rejections are told to the asker the same day and end the question.
    #[test]
    fn rejections_end_the_question() {
        for a in [A::RejectUnclear, A::RejectOutOfScope] {
            let e = decide(a, facts(S::Received), &COORDINATOR).unwrap();
            let to = e.to.unwrap();
            assert!(!to.is_open() && e.mails_asker && e.rejected == Stamp::Now);
            for who in [COORDINATOR, RESPONDER, BOARD_MEMBER] {
                assert!(allowed(facts(to), &who).is_empty());
            }
        }
    }

    /// A refusal by role comes before a refusal by state.
    #[test]
    fn role_before_state() {
        assert_eq!(
            decide(A::ApproveAnswer, facts(S::Received), &COORDINATOR),
            Err(Refusal::NotYours(A::ApproveAnswer))
        );
    }

    #[test]
    fn the_first_classification_counts_for_direct_answers() {
        let t0 = DateTime::from_timestamp(1_000, 0).unwrap();
        let t1 = DateTime::from_timestamp(2_000, 0).unwrap();
        assert_eq!(Stamp::First.apply(Some(t0), t1), Some(t0));
        assert_eq!(Stamp::First.apply(None, t1), Some(t1));
        assert_eq!(Stamp::Now.apply(Some(t0), t1), Some(t1));
        assert_eq!(Stamp::Clear.apply(Some(t0), t1), None);
        assert_eq!(Stamp::Keep.apply(Some(t0), t1), Some(t0));
    }

    #[test]
    fn personal_data_is_read_by_coordination_only() {
        assert_eq!(reading(&COORDINATOR), Reading::WithAsker);
        assert_eq!(reading(&RESPONDER), Reading::Question);
        assert_eq!(reading(&BOARD_MEMBER), Reading::Question);
        assert_eq!(reading(&NOBODY), Reading::Hidden);
        let other_unit = Standing::of(&RoleSet::new(vec![Role::QaResponder]), Some(9), &[3]);
        assert_eq!(
            reading(&other_unit),
            Reading::Hidden,
            "a question of another unit, or never forwarded"
        );
    }

    #[test]
    fn standing_follows_roles_and_units() {
        let responder = RoleSet::new(vec![Role::QaResponder]);
        assert!(Standing::of(&responder, Some(3), &[3, 5]).responder);
        assert!(!Standing::of(&responder, Some(4), &[3, 5]).responder);
        assert!(!Standing::of(&responder, None, &[3]).responder);
        let admin = RoleSet::new(vec![Role::Admin]);
        let s = Standing::of(&admin, None, &[]);
        assert!(
            s.coordinator && s.responder && s.board,
            "an administrator can take every action"
        );
        let head = RoleSet::new(vec![Role::BoardHead]);
        assert_eq!(
            Standing::of(&head, None, &[]),
            Standing {
                board: true,
                ..Standing::default()
            }
        );
    }
}
