//! The editorial workflow as a pure state machine: which action may move a
//! post from which state, by whom, at which approval step.
//!
//! Units supply content, the Communication Centre edits it and the board
//! approves it before publication; the board answers for what is published
//! (Đ6.2a, Đ7.1b–c). Corrections to published content need approval too
//! (Đ6.2a). Keeping the rules free of storage makes them easy to test and
//! to read next to the regulation.

use std::fmt;
use std::str::FromStr;

use crate::roles::{Role, RoleSet};

/// Where a post's working copy stands. Whether the public sees the post is
/// a separate fact (`live`): a published post keeps its live revision while
/// a correction goes through the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Draft,
    Submitted,
    InReview,
    ChangesRequested,
    Approved,
    Scheduled,
    Published,
    Unpublished,
    Archived,
}

impl State {
    pub const ALL: [State; 9] = [
        State::Draft,
        State::Submitted,
        State::InReview,
        State::ChangesRequested,
        State::Approved,
        State::Scheduled,
        State::Published,
        State::Unpublished,
        State::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::InReview => "in_review",
            State::ChangesRequested => "changes_requested",
            State::Approved => "approved",
            State::Scheduled => "scheduled",
            State::Published => "published",
            State::Unpublished => "unpublished",
            State::Archived => "archived",
        }
    }

    /// Whether the working copy is waiting for an approver.
    pub fn awaiting_approval(self) -> bool {
        matches!(self, State::Submitted | State::InReview)
    }

    /// Whether saving a new revision is allowed in this state. Saving an
    /// approved, scheduled or published post starts a new round of approval.
    pub fn editable(self) -> bool {
        !matches!(self, State::Archived)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for State {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        State::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown state `{s}`"))
    }
}

/// What a user asks the workflow to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Submit,
    Approve,
    RequestChanges,
    Withdraw,
    Publish,
    Unpublish,
    Archive,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Submit,
        Action::Approve,
        Action::RequestChanges,
        Action::Withdraw,
        Action::Publish,
        Action::Unpublish,
        Action::Archive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Approve => "approve",
            Action::RequestChanges => "request_changes",
            Action::Withdraw => "withdraw",
            Action::Publish => "publish",
            Action::Unpublish => "unpublish",
            Action::Archive => "archive",
        }
    }
}

impl FromStr for Action {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Action::ALL.into_iter().find(|a| a.as_str() == s).ok_or_else(|| {
            format!(
                "unknown action `{s}`; one of submit, approve, request_changes, withdraw, publish, unpublish, archive"
            )
        })
    }
}

/// One step of a section's approval chain: who may approve it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub role: Role,
    /// When set, the approver must also belong to this unit.
    pub unit_id: Option<i32>,
}

/// An approval right lent to the acting user for today (Đ6.3b).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lent {
    pub from_user_id: i32,
    pub role: Role,
    pub from_unit_id: Option<i32>,
}

/// The user asking.
#[derive(Clone, Debug)]
pub struct Who<'a> {
    pub user_id: i32,
    pub roles: &'a RoleSet,
    pub unit_id: Option<i32>,
    /// Delegations in force today, to this user.
    pub lent: &'a [Lent],
}

/// Who steers one kind of content through the workflow. Posts and the
/// structured catalogues (procedures, online services…) share the state
/// machine and differ only here.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// May submit, withdraw or archive content they did not write.
    pub stewards: &'static [Role],
    /// May publish approved content and take published content down.
    pub publishers: &'static [Role],
    /// The last approval publishes at once: a catalogue is updated as soon
    /// as a change is approved (Đ14.1), there is nothing to schedule.
    pub approval_publishes: bool,
}

/// Posts: editors steer, editors and the board publish (Đ6.2a, Đ7.1b–c).
pub const POSTS: Policy = Policy {
    stewards: &[Role::Editor, Role::Admin],
    publishers: &PUBLISHERS,
    approval_publishes: false,
};

/// What the rules need to know about the post.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    pub policy: &'a Policy,
    pub state: State,
    /// 1-based step awaiting approval, when the state awaits approval.
    pub step: Option<usize>,
    pub chain: &'a [Step],
    pub creator_id: i32,
    /// Accounts named as authors of the working revision.
    pub author_ids: &'a [i32],
    /// Accounts that wrote a revision since the last approval (every
    /// revision of a post never published; a correction's revisions since
    /// the live one). None of them may approve a step of it.
    pub writer_ids: &'a [i32],
    /// Whether the public sees a revision of the post now.
    pub live: bool,
    /// Whether `publish_at` is still in the future.
    pub publish_at_future: bool,
    /// The citation rule (Đ8.3): reused information names author and source.
    pub citation_ok: bool,
    pub comment: Option<&'a str>,
}

/// The result of an allowed action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub to: State,
    pub step: Option<usize>,
    /// The delegating user when the approval was made under delegation.
    pub on_behalf_of: Option<i32>,
    /// The working revision becomes the live one.
    pub go_live: bool,
    /// The post leaves the public site.
    pub take_down: bool,
}

/// Why an action was refused. Nothing changes when an action is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The user may not do this (role, unit, step, own post): HTTP 403.
    Forbidden(String),
    /// The action does not apply in the post's state: HTTP 409.
    WrongState(String),
    /// Something is missing (a comment, the citation): HTTP 422.
    Missing { field: &'static str, message: String },
}

const PUBLISHERS: [Role; 5] = [
    Role::Editor,
    Role::BoardHead,
    Role::BoardDeputyStanding,
    Role::BoardDeputy,
    Role::Admin,
];

fn names(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
}

fn wrong_state(action: Action, state: State) -> Refusal {
    Refusal::WrongState(format!(
        "cannot {} a post that is {}",
        action.as_str(),
        state.as_str()
    ))
}

fn need_comment(facts: &Facts, action: Action) -> Result<(), Refusal> {
    match facts.comment.map(str::trim) {
        Some(c) if !c.is_empty() => Ok(()),
        _ => Err(Refusal::Missing {
            field: "comment",
            message: format!("{} needs a comment saying why", action.as_str()),
        }),
    }
}

/// Whether `who` may act on `step`, directly or under a delegation. Returns
/// the delegating user when it is under a delegation.
fn may_approve(who: &Who, step: &Step) -> Option<Option<i32>> {
    let unit_ok = |unit: Option<i32>| step.unit_id.is_none() || step.unit_id == unit;
    if who.roles.has(step.role) && unit_ok(who.unit_id) {
        return Some(None);
    }
    who.lent
        .iter()
        .find(|l| l.role == step.role && unit_ok(l.from_unit_id))
        .map(|l| Some(l.from_user_id))
}

fn current_step<'a>(facts: &'a Facts, action: Action) -> Result<(usize, &'a Step), Refusal> {
    let k = facts.step.unwrap_or(1);
    facts.chain.get(k.wrapping_sub(1)).map(|s| (k, s)).ok_or_else(|| {
        Refusal::WrongState(format!(
            "cannot {}: no approval step {k} in the chain",
            action.as_str()
        ))
    })
}

/// Decides an action. The caller applies the outcome and records it.
pub fn decide(action: Action, facts: &Facts, who: &Who) -> Result<Outcome, Refusal> {
    let own = who.user_id == facts.creator_id || facts.author_ids.contains(&who.user_id);
    let stay = |to: State| Outcome {
        to,
        step: None,
        on_behalf_of: None,
        go_live: false,
        take_down: false,
    };
    match action {
        Action::Submit => {
            if !matches!(facts.state, State::Draft | State::ChangesRequested) {
                return Err(wrong_state(action, facts.state));
            }
            if !own && !who.roles.any(facts.policy.stewards) {
                return Err(Refusal::Forbidden(
                    "only the post's author or an editor may submit it".into(),
                ));
            }
            if facts.chain.is_empty() {
                return Err(Refusal::WrongState(
                    "the section has no approval chain; an admin must set one first".into(),
                ));
            }
            Ok(Outcome {
                step: Some(1),
                ..stay(State::Submitted)
            })
        }
        Action::Approve | Action::RequestChanges => {
            if !facts.state.awaiting_approval() {
                return Err(wrong_state(action, facts.state));
            }
            let (k, step) = current_step(facts, action)?;
            if own || facts.writer_ids.contains(&who.user_id) {
                return Err(Refusal::Forbidden(
                    "you may not approve or review a step of your own post, or of a revision you wrote since the last approval".into(),
                ));
            }
            let Some(on_behalf_of) = may_approve(who, step) else {
                let unit = step.unit_id.map(|u| format!(" of unit {u}")).unwrap_or_default();
                return Err(Refusal::Forbidden(format!(
                    "step {k} of {} must be decided by a {}{unit}",
                    facts.chain.len(),
                    step.role.as_str()
                )));
            };
            if action == Action::RequestChanges {
                need_comment(facts, action)?;
                return Ok(Outcome {
                    on_behalf_of,
                    ..stay(State::ChangesRequested)
                });
            }
            if k < facts.chain.len() {
                return Ok(Outcome {
                    step: Some(k + 1),
                    on_behalf_of,
                    ..stay(State::InReview)
                });
            }
            if !facts.citation_ok {
                return Err(Refusal::Missing {
                    field: "source",
                    message: "this post reuses information: name its author and source before the last approval (Đ8.3)"
                        .into(),
                });
            }
            if facts.live || facts.policy.approval_publishes {
                // An approved correction replaces the live revision at once (Đ6.2a).
                return Ok(Outcome {
                    on_behalf_of,
                    go_live: true,
                    ..stay(State::Published)
                });
            }
            Ok(Outcome {
                on_behalf_of,
                ..stay(State::Approved)
            })
        }
        Action::Withdraw => {
            if !own && !who.roles.is_admin() {
                return Err(Refusal::Forbidden("only the author may withdraw it".into()));
            }
            match facts.state {
                State::Submitted | State::InReview | State::ChangesRequested => Ok(stay(State::Draft)),
                State::Scheduled => Ok(stay(State::Approved)),
                s => Err(wrong_state(action, s)),
            }
        }
        Action::Publish => {
            if !matches!(facts.state, State::Approved | State::Unpublished) {
                return Err(wrong_state(action, facts.state));
            }
            if !who.roles.any(facts.policy.publishers) {
                return Err(Refusal::Forbidden(format!(
                    "publishing needs one of the roles {}",
                    names(facts.policy.publishers)
                )));
            }
            if facts.state == State::Approved && facts.publish_at_future {
                return Ok(stay(State::Scheduled));
            }
            Ok(Outcome {
                go_live: true,
                ..stay(State::Published)
            })
        }
        Action::Unpublish => {
            if !facts.live {
                return Err(wrong_state(action, facts.state));
            }
            if !who.roles.any(facts.policy.publishers) {
                return Err(Refusal::Forbidden(format!(
                    "unpublishing needs one of the roles {}",
                    names(facts.policy.publishers)
                )));
            }
            need_comment(facts, action)?;
            let to = if facts.state == State::Published {
                State::Unpublished
            } else {
                facts.state
            };
            Ok(Outcome {
                step: facts.step,
                take_down: true,
                ..stay(to)
            })
        }
        Action::Archive => {
            if facts.live {
                return Err(Refusal::WrongState(
                    "unpublish the post before archiving it".into(),
                ));
            }
            if !matches!(
                facts.state,
                State::Draft | State::ChangesRequested | State::Approved | State::Unpublished
            ) {
                return Err(wrong_state(action, facts.state));
            }
            if !(own || who.roles.any(facts.policy.stewards)) {
                return Err(Refusal::Forbidden(
                    "archiving needs the author or an editor".into(),
                ));
            }
            Ok(stay(State::Archived))
        }
    }
}

/// The actions `who` may take now, for showing only the right buttons.
pub fn allowed(facts: &Facts, who: &Who) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| {
            let probe = Facts {
                comment: Some("probe"),
                citation_ok: true,
                ..facts.clone()
            };
            decide(*a, &probe, who).is_ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREATOR: i32 = 1;
    const EDITOR: i32 = 2;
    const DEPUTY: i32 = 3;
    const HEAD: i32 = 4;
    const MEMBER: i32 = 5;

    fn chain3() -> Vec<Step> {
        vec![
            Step {
                role: Role::Editor,
                unit_id: None,
            },
            Step {
                role: Role::BoardDeputyStanding,
                unit_id: None,
            },
            Step {
                role: Role::BoardHead,
                unit_id: None,
            },
        ]
    }

    fn facts<'a>(state: State, step: Option<usize>, chain: &'a [Step]) -> Facts<'a> {
        Facts {
            policy: &POSTS,
            state,
            step,
            chain,
            creator_id: CREATOR,
            author_ids: &[],
            writer_ids: &[],
            live: false,
            publish_at_future: false,
            citation_ok: true,
            comment: None,
        }
    }

    fn who<'a>(user_id: i32, roles: &'a RoleSet) -> Who<'a> {
        Who {
            user_id,
            roles,
            unit_id: None,
            lent: &[],
        }
    }

    #[test]
    fn the_three_step_chain_runs_to_approval() {
        let chain = chain3();
        let contributor = RoleSet::new(vec![Role::Contributor]);
        let editor = RoleSet::new(vec![Role::Editor]);
        let deputy = RoleSet::new(vec![Role::BoardDeputyStanding]);
        let head = RoleSet::new(vec![Role::BoardHead]);

        let o = decide(
            Action::Submit,
            &facts(State::Draft, None, &chain),
            &who(CREATOR, &contributor),
        )
        .unwrap();
        assert_eq!((o.to, o.step), (State::Submitted, Some(1)));
        let f = facts(State::Submitted, Some(1), &chain);
        assert!(matches!(
            decide(Action::Approve, &f, &who(DEPUTY, &deputy)),
            Err(Refusal::Forbidden(_))
        ));
        let o = decide(Action::Approve, &f, &who(EDITOR, &editor)).unwrap();
        assert_eq!((o.to, o.step), (State::InReview, Some(2)));
        let f = facts(State::InReview, Some(2), &chain);
        assert!(matches!(
            decide(Action::Approve, &f, &who(EDITOR, &editor)),
            Err(Refusal::Forbidden(_))
        ));
        assert!(matches!(
            decide(Action::Approve, &f, &who(HEAD, &head)),
            Err(Refusal::Forbidden(_))
        ));
        let o = decide(Action::Approve, &f, &who(DEPUTY, &deputy)).unwrap();
        assert_eq!((o.to, o.step), (State::InReview, Some(3)));
        let f = facts(State::InReview, Some(3), &chain);
        let o = decide(Action::Approve, &f, &who(HEAD, &head)).unwrap();
        assert_eq!((o.to, o.step, o.go_live), (State::Approved, None, false));
        let o = decide(
            Action::Publish,
            &facts(State::Approved, None, &chain),
            &who(EDITOR, &editor),
        )
        .unwrap();
        assert_eq!((o.to, o.go_live), (State::Published, true));
    }

    #[test]
    fn nobody_approves_their_own_post() {
        let chain = chain3();
        let editor = RoleSet::new(vec![Role::Editor, Role::Admin]);
        let f = facts(State::Submitted, Some(1), &chain);
        let r = decide(Action::Approve, &f, &who(CREATOR, &editor));
        assert!(matches!(r, Err(Refusal::Forbidden(m)) if m.contains("own post")));
        let f = Facts {
            author_ids: &[EDITOR],
            writer_ids: &[],
            ..facts(State::Submitted, Some(1), &chain)
        };
        assert!(decide(Action::Approve, &f, &who(EDITOR, &editor)).is_err());
    }

    /// A correction's writer cannot approve any step of it, even when the
    /// post is somebody else's and whatever the chain says.
    #[test]
    fn the_writer_of_a_correction_approves_no_step_of_it() {
        let chain = chain3();
        let editor = RoleSet::new(vec![Role::Editor, Role::BoardDeputyStanding, Role::BoardHead]);
        for step in 1..=3 {
            let f = Facts {
                writer_ids: &[EDITOR],
                live: true,
                ..facts(State::InReview, Some(step), &chain)
            };
            let r = decide(Action::Approve, &f, &who(EDITOR, &editor));
            assert!(
                matches!(r, Err(Refusal::Forbidden(m)) if m.contains("revision you wrote")),
                "step {step}"
            );
            assert!(decide(Action::RequestChanges, &f, &who(EDITOR, &editor)).is_err());
        }
    }

    #[test]
    fn changes_need_a_comment_and_go_back_to_the_author() {
        let chain = chain3();
        let editor = RoleSet::new(vec![Role::Editor]);
        let f = facts(State::Submitted, Some(1), &chain);
        assert!(matches!(
            decide(Action::RequestChanges, &f, &who(EDITOR, &editor)),
            Err(Refusal::Missing { field: "comment", .. })
        ));
        let f = Facts {
            comment: Some("Thiếu nguồn tin"),
            ..f
        };
        let o = decide(Action::RequestChanges, &f, &who(EDITOR, &editor)).unwrap();
        assert_eq!(o.to, State::ChangesRequested);
        let author = RoleSet::new(vec![Role::Contributor]);
        let o = decide(
            Action::Submit,
            &facts(State::ChangesRequested, None, &chain),
            &who(CREATOR, &author),
        )
        .unwrap();
        assert_eq!((o.to, o.step), (State::Submitted, Some(1)));
    }

    #[test]
    fn delegation_lends_the_right_and_is_recorded() {
        let chain = chain3();
        let member = RoleSet::new(vec![Role::BoardMember]);
        let f = facts(State::InReview, Some(3), &chain);
        assert!(decide(Action::Approve, &f, &who(MEMBER, &member)).is_err());
        let lent = [Lent {
            from_user_id: HEAD,
            role: Role::BoardHead,
            from_unit_id: None,
        }];
        let w = Who {
            lent: &lent,
            ..who(MEMBER, &member)
        };
        let o = decide(Action::Approve, &f, &w).unwrap();
        assert_eq!((o.to, o.on_behalf_of), (State::Approved, Some(HEAD)));
        // A delegation of another role does not help.
        let lent = [Lent {
            from_user_id: DEPUTY,
            role: Role::BoardDeputyStanding,
            from_unit_id: None,
        }];
        let w = Who {
            lent: &lent,
            ..who(MEMBER, &member)
        };
        assert!(decide(Action::Approve, &f, &w).is_err());
    }

    #[test]
    fn a_step_bound_to_a_unit_needs_that_unit() {
        let chain = vec![Step {
            role: Role::Editor,
            unit_id: Some(7),
        }];
        let editor = RoleSet::new(vec![Role::Editor]);
        let f = facts(State::Submitted, Some(1), &chain);
        assert!(
            decide(
                Action::Approve,
                &f,
                &Who {
                    unit_id: Some(8),
                    ..who(EDITOR, &editor)
                }
            )
            .is_err()
        );
        assert!(
            decide(
                Action::Approve,
                &f,
                &Who {
                    unit_id: Some(7),
                    ..who(EDITOR, &editor)
                }
            )
            .is_ok()
        );
    }

    #[test]
    fn the_citation_rule_blocks_the_last_approval_only() {
        let chain = chain3();
        let editor = RoleSet::new(vec![Role::Editor]);
        let head = RoleSet::new(vec![Role::BoardHead]);
        let f = Facts {
            citation_ok: false,
            ..facts(State::Submitted, Some(1), &chain)
        };
        assert!(decide(Action::Approve, &f, &who(EDITOR, &editor)).is_ok());
        let f = Facts {
            citation_ok: false,
            ..facts(State::InReview, Some(3), &chain)
        };
        assert!(matches!(
            decide(Action::Approve, &f, &who(HEAD, &head)),
            Err(Refusal::Missing { field: "source", .. })
        ));
    }

    #[test]
    fn a_correction_of_a_live_post_replaces_it_when_approved() {
        let chain = vec![Step {
            role: Role::Editor,
            unit_id: None,
        }];
        let editor = RoleSet::new(vec![Role::Editor]);
        let f = Facts {
            live: true,
            ..facts(State::Submitted, Some(1), &chain)
        };
        let o = decide(Action::Approve, &f, &who(EDITOR, &editor)).unwrap();
        assert_eq!((o.to, o.go_live), (State::Published, true));
    }

    #[test]
    fn scheduling_and_unpublishing() {
        let chain = chain3();
        let editor = RoleSet::new(vec![Role::Editor]);
        let f = Facts {
            publish_at_future: true,
            ..facts(State::Approved, None, &chain)
        };
        let o = decide(Action::Publish, &f, &who(EDITOR, &editor)).unwrap();
        assert_eq!((o.to, o.go_live), (State::Scheduled, false));
        let f = Facts {
            live: true,
            ..facts(State::Published, None, &chain)
        };
        assert!(matches!(
            decide(Action::Unpublish, &f, &who(EDITOR, &editor)),
            Err(Refusal::Missing { field: "comment", .. })
        ));
        let f = Facts {
            comment: Some("Sai số liệu"),
            ..f
        };
        let o = decide(Action::Unpublish, &f, &who(EDITOR, &editor)).unwrap();
        assert_eq!((o.to, o.take_down), (State::Unpublished, true));
        let contributor = RoleSet::new(vec![Role::Contributor]);
        assert!(matches!(
            decide(
                Action::Publish,
                &facts(State::Approved, None, &chain),
                &who(CREATOR, &contributor)
            ),
            Err(Refusal::Forbidden(_))
        ));
    }

    #[test]
    fn wrong_states_are_refused() {
        let chain = chain3();
        let admin = RoleSet::new(vec![Role::Admin, Role::Editor]);
        assert!(matches!(
            decide(
                Action::Approve,
                &facts(State::Draft, None, &chain),
                &who(EDITOR, &admin)
            ),
            Err(Refusal::WrongState(_))
        ));
        assert!(matches!(
            decide(
                Action::Publish,
                &facts(State::Draft, None, &chain),
                &who(EDITOR, &admin)
            ),
            Err(Refusal::WrongState(_))
        ));
        let live = Facts {
            live: true,
            ..facts(State::Published, None, &chain)
        };
        assert!(matches!(
            decide(Action::Archive, &live, &who(EDITOR, &admin)),
            Err(Refusal::WrongState(_))
        ));
        assert!(
            decide(
                Action::Submit,
                &facts(State::Draft, None, &[]),
                &who(CREATOR, &admin)
            )
            .is_err()
        );
    }

    #[test]
    fn allowed_lists_only_possible_actions() {
        let chain = chain3();
        let editor = RoleSet::new(vec![Role::Editor]);
        let f = facts(State::Submitted, Some(1), &chain);
        assert_eq!(
            allowed(&f, &who(EDITOR, &editor)),
            vec![Action::Approve, Action::RequestChanges]
        );
        let author = RoleSet::new(vec![Role::Contributor]);
        assert_eq!(allowed(&f, &who(CREATOR, &author)), vec![Action::Withdraw]);
        for s in State::ALL {
            assert_eq!(s.as_str().parse::<State>().unwrap(), s);
        }
    }
}
