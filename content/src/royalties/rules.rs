//! Who may do what with royalties, and the states of a proposal. The
//! budget holder pays (Đ7.2a: the Communication Centre for works on the
//! portal; Đ7.2b: the Support Centre for the Q&A column); its approver
//! approves, never the proposer; Finance records the payment. Pure, so
//! every rule is tested here and the API and editor only ask.

use crate::error::{Error, Result};
use crate::roles::{Role, RoleSet};

/// Where a proposal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Waiting for the holder's approver.
    Proposed,
    /// Approved, waiting for Finance to pay.
    Approved,
    /// Refused by the approver; the sheet waits for a new proposal.
    Rejected,
    /// Paid; its lines never change again.
    Paid,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Proposed, Status::Approved, Status::Rejected, Status::Paid];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Paid => "paid",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Status::Proposed => "Chờ duyệt",
            Status::Approved => "Đã duyệt, chờ chi trả",
            Status::Rejected => "Không duyệt",
            Status::Paid => "Đã chi trả",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Status::Proposed => "Awaiting approval",
            Status::Approved => "Approved, unpaid",
            Status::Rejected => "Rejected",
            Status::Paid => "Paid",
        }
    }

    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        lang.pick(self.label_vi(), self.label_en())
    }

    /// Whether the proposal still holds the sheet (no second proposal
    /// while one waits).
    pub fn is_open(self) -> bool {
        matches!(self, Status::Proposed | Status::Approved)
    }
}

/// An action on a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Approve,
    Reject,
    Pay,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Approve, Action::Reject, Action::Pay];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Pay => "pay",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Action::Approve => "Duyệt",
            Action::Reject => "Không duyệt",
            Action::Pay => "Ghi nhận đã chi trả",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Action::Approve => "Approve",
            Action::Reject => "Reject",
            Action::Pay => "Record payment",
        }
    }

    /// The state the action leads to from `from`, or why not.
    pub fn next(self, from: Status) -> Result<Status> {
        match (self, from) {
            (Action::Approve, Status::Proposed) => Ok(Status::Approved),
            (Action::Reject, Status::Proposed | Status::Approved) => Ok(Status::Rejected),
            (Action::Pay, Status::Approved) => Ok(Status::Paid),
            (a, s) => Err(Error::Conflict(format!(
                "a proposal that is {} cannot be {}",
                s.as_str(),
                match a {
                    Action::Approve => "approved",
                    Action::Reject => "rejected",
                    Action::Pay => "paid",
                }
            ))),
        }
    }
}

/// A budget holder's settings that decide who acts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolderRoles {
    /// Who proposes amounts for the holder's works.
    pub proposers: Vec<Role>,
    /// Who approves them (never the proposer).
    pub approvers: Vec<Role>,
}

/// Whether `roles` may propose for the holder.
pub fn may_propose(holder: &HolderRoles, roles: &RoleSet) -> bool {
    roles.any(&holder.proposers)
}

/// Whether the caller may take `action` on a proposal of the holder made
/// by `proposer_id`; the error says why not.
pub fn check_action(
    holder: &HolderRoles,
    roles: &RoleSet,
    caller_id: i32,
    proposer_id: i32,
    action: Action,
) -> Result<()> {
    match action {
        Action::Approve | Action::Reject => {
            if !roles.any(&holder.approvers) {
                return Err(Error::Forbidden(format!(
                    "only {} approve this holder's royalties",
                    names(&holder.approvers)
                )));
            }
            if caller_id == proposer_id {
                return Err(Error::Forbidden(
                    "a proposal is never approved by its proposer".into(),
                ));
            }
            Ok(())
        }
        Action::Pay => {
            if roles.has(Role::Finance) {
                Ok(())
            } else {
                Err(Error::Forbidden("only finance records payments".into()))
            }
        }
    }
}

/// Whether `roles` may read the holder's sheets and proposals: Finance,
/// the holder's proposers and approvers, and the board's leadership who
/// answer for the budget (Đ6.3).
pub fn may_read(holder: &HolderRoles, roles: &RoleSet) -> bool {
    roles.any(&[Role::Finance, Role::BoardHead, Role::BoardDeputyStanding])
        || roles.any(&holder.proposers)
        || roles.any(&holder.approvers)
}

/// Who edits rates and budgets and reads every statement: Finance.
pub fn may_keep_ledger(roles: &RoleSet) -> bool {
    roles.has(Role::Finance)
}

fn names(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn portal() -> HolderRoles {
        HolderRoles {
            proposers: vec![Role::Editor],
            approvers: vec![Role::BoardDeputyStanding, Role::BoardHead],
        }
    }

    fn qa() -> HolderRoles {
        HolderRoles {
            proposers: vec![Role::QaCoordinator],
            approvers: vec![Role::QaCoordinator],
        }
    }

    fn set(r: &[Role]) -> RoleSet {
        RoleSet::new(r.to_vec())
    }

    #[test]
    fn a_proposal_moves_proposed_approved_paid() {
        assert_eq!(Action::Approve.next(Status::Proposed).unwrap(), Status::Approved);
        assert_eq!(Action::Pay.next(Status::Approved).unwrap(), Status::Paid);
        assert_eq!(Action::Reject.next(Status::Approved).unwrap(), Status::Rejected);
        assert!(Action::Pay.next(Status::Proposed).is_err());
        assert!(Action::Approve.next(Status::Paid).is_err());
        assert!(
            Action::Reject.next(Status::Paid).is_err(),
            "a paid line never changes"
        );
        assert!(Action::Approve.next(Status::Rejected).is_err());
    }

    #[test]
    fn the_holders_approver_approves_never_the_proposer() {
        let deputy = set(&[Role::BoardDeputyStanding]);
        assert!(check_action(&portal(), &deputy, 2, 1, Action::Approve).is_ok());
        assert!(check_action(&portal(), &deputy, 1, 1, Action::Approve).is_err());
        assert!(check_action(&portal(), &set(&[Role::BoardDeputy]), 2, 1, Action::Approve).is_err());
        assert!(check_action(&portal(), &set(&[Role::Editor]), 2, 1, Action::Approve).is_err());
        assert!(check_action(&portal(), &set(&[Role::Admin]), 2, 1, Action::Approve).is_err());
    }

    #[test]
    fn another_coordinator_approves_an_answers_royalty() {
        let c = set(&[Role::QaCoordinator]);
        assert!(may_propose(&qa(), &c));
        assert!(check_action(&qa(), &c, 5, 4, Action::Approve).is_ok());
        assert!(check_action(&qa(), &c, 4, 4, Action::Approve).is_err());
    }

    #[test]
    fn only_finance_pays() {
        assert!(check_action(&portal(), &set(&[Role::Finance]), 3, 1, Action::Pay).is_ok());
        assert!(check_action(&portal(), &set(&[Role::BoardHead]), 3, 1, Action::Pay).is_err());
        assert!(check_action(&portal(), &set(&[Role::Admin]), 3, 1, Action::Pay).is_err());
    }

    #[test]
    fn readers_are_the_holders_people_and_finance() {
        assert!(may_read(&portal(), &set(&[Role::Editor])));
        assert!(may_read(&portal(), &set(&[Role::Finance])));
        assert!(!may_read(&portal(), &set(&[Role::Contributor])));
        assert!(!may_read(&portal(), &set(&[Role::QaCoordinator])));
        assert!(may_read(&qa(), &set(&[Role::QaCoordinator])));
    }
}
