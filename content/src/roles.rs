//! The roles of the regulation (Đ6 for the editorial board, Đ7.2 for the
//! units that run the portal). Their names are part of the API contract.

use std::fmt;
use std::str::FromStr;

/// A role a user may hold. A user may hold several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// IT Centre: accounts, backups, security (Đ7.2c).
    Admin,
    /// Head of the editorial board (Trưởng Ban Biên tập, Đ6.3a).
    BoardHead,
    /// Standing deputy head of the board (Phó Trưởng ban Thường trực, Đ6.3).
    BoardDeputyStanding,
    /// Deputy head of the board (Phó Trưởng ban, Đ6.3).
    BoardDeputy,
    /// Member of the editorial board (Thành viên Ban Biên tập, Đ6.3).
    BoardMember,
    /// Communication Centre editor (Đ7.2a).
    Editor,
    /// Any unit that supplies content (Đ7.1b).
    Contributor,
    /// Customer Support Centre staff who classify and route questions (Đ7.2b).
    QaCoordinator,
    /// Unit staff who answer forwarded questions (Đ7.2b).
    QaResponder,
    /// The Office, keeper of procedures and online services (Đ7.2d, Đ14).
    ProceduresEditor,
    /// Finance staff handling royalties (Đ7.2a, Đ7.2b, Đ17).
    Finance,
    /// Manages the accounts of the roles their unit is responsible for
    /// (Đ7.2: the Communication Centre those that post content, the
    /// Support Centre those that answer questions, the Office those that
    /// keep procedures); never administrators.
    AccountManager,
}

impl Role {
    /// Every role, in the order the regulation introduces them.
    pub const ALL: [Role; 12] = [
        Role::Admin,
        Role::BoardHead,
        Role::BoardDeputyStanding,
        Role::BoardDeputy,
        Role::BoardMember,
        Role::Editor,
        Role::Contributor,
        Role::QaCoordinator,
        Role::QaResponder,
        Role::ProceduresEditor,
        Role::Finance,
        Role::AccountManager,
    ];

    /// The role's API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::BoardHead => "board_head",
            Role::BoardDeputyStanding => "board_deputy_standing",
            Role::BoardDeputy => "board_deputy",
            Role::BoardMember => "board_member",
            Role::Editor => "editor",
            Role::Contributor => "contributor",
            Role::QaCoordinator => "qa_coordinator",
            Role::QaResponder => "qa_responder",
            Role::ProceduresEditor => "procedures_editor",
            Role::Finance => "finance",
            Role::AccountManager => "account_manager",
        }
    }

    /// Vietnamese label for the editor UI.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::BoardHead => "Trưởng Ban Biên tập",
            Role::BoardDeputyStanding => "Phó Trưởng ban Thường trực",
            Role::BoardDeputy => "Phó Trưởng Ban Biên tập",
            Role::BoardMember => "Thành viên Ban Biên tập",
            Role::Editor => "Biên tập viên",
            Role::Contributor => "Cộng tác viên / đơn vị cung cấp tin",
            Role::QaCoordinator => "Điều phối hỏi đáp",
            Role::QaResponder => "Trả lời hỏi đáp",
            Role::ProceduresEditor => "Cập nhật thủ tục hành chính",
            Role::Finance => "Tài chính, nhuận bút",
            Role::AccountManager => "Quản lý tài khoản của đơn vị",
        }
    }

    /// English label for the editor UI.
    pub fn label_en(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::BoardHead => "Head of the editorial board",
            Role::BoardDeputyStanding => "Standing deputy head",
            Role::BoardDeputy => "Deputy head",
            Role::BoardMember => "Board member",
            Role::Editor => "Editor",
            Role::Contributor => "Contributor",
            Role::QaCoordinator => "Q&A coordinator",
            Role::QaResponder => "Q&A responder",
            Role::ProceduresEditor => "Procedures editor",
            Role::Finance => "Finance",
            Role::AccountManager => "Unit account manager",
        }
    }

    /// The label in `lang`.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        lang.pick(self.label_vi(), self.label_en())
    }

    /// Whether the role sits on the editorial board (Đ6.1).
    pub fn is_board(self) -> bool {
        BOARD.contains(&self)
    }
}

/// The editorial board (Đ6.1): it approves what is published and answers
/// to readers.
pub const BOARD: [Role; 4] = [
    Role::BoardHead,
    Role::BoardDeputyStanding,
    Role::BoardDeputy,
    Role::BoardMember,
];

/// Who works on posts and their files: the units that supply content
/// (Đ7.1b), the Communication Centre's editors (Đ7.2a), the board that
/// approves (Đ6.2a) and the administrators.
pub const EDITORIAL_STAFF: [Role; 7] = [
    Role::Contributor,
    Role::Editor,
    Role::BoardHead,
    Role::BoardDeputyStanding,
    Role::BoardDeputy,
    Role::BoardMember,
    Role::Admin,
];

/// Who may change what a live page shows outside a post's approval chain
/// (its files' descriptions, deleting a file): the Communication Centre's
/// editors (Đ7.2a), the board that answers for what is published (Đ6.2a)
/// and the administrators.
pub const LIVE_EDITORS: [Role; 6] = [
    Role::Editor,
    Role::BoardHead,
    Role::BoardDeputyStanding,
    Role::BoardDeputy,
    Role::BoardMember,
    Role::Admin,
];

/// Who oversees how the portal runs: the board that reports on it every
/// year (Đ6.4), the Communication Centre's editors who run it (Đ7.2a) and
/// the administrators. They read the annual report and follow every
/// unit's information deadlines (Đ11.1).
pub const OVERSIGHT: [Role; 6] = [
    Role::Editor,
    Role::BoardHead,
    Role::BoardDeputyStanding,
    Role::BoardDeputy,
    Role::BoardMember,
    Role::Admin,
];

/// Who works the Q&A service (Đ7.2b, Đ11.1a "Hỏi đáp"): the Support
/// Centre's coordinators, the units' responders, the board that approves
/// answers, and the administrators.
pub const QA_STAFF: [Role; 7] = [
    Role::QaCoordinator,
    Role::QaResponder,
    Role::BoardHead,
    Role::BoardDeputyStanding,
    Role::BoardDeputy,
    Role::BoardMember,
    Role::Admin,
];

/// Who classifies, forwards, publishes and sends answers (Đ7.2b).
pub const QA_COORDINATION: [Role; 2] = [Role::QaCoordinator, Role::Admin];

/// Who reads the Q&A on-time report: coordination and the board's
/// leadership, who report on the portal every year (Đ6.4b).
pub const QA_REPORT_READERS: [Role; 5] = [
    Role::QaCoordinator,
    Role::Admin,
    Role::BoardHead,
    Role::BoardDeputyStanding,
    Role::BoardDeputy,
];

/// Who keeps administrative procedures and online services current: the
/// Office (Đ7.2d, Đ14) and the administrators.
pub const PROCEDURES_STAFF: [Role; 2] = [Role::ProceduresEditor, Role::Admin];

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of [`Role::ALL`].
#[derive(Debug, thiserror::Error)]
#[error(
    "unknown role `{0}`; known roles: admin, board_head, board_deputy_standing, board_deputy, board_member, editor, contributor, qa_coordinator, qa_responder, procedures_editor, finance, account_manager"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// The roles a caller holds, with the checks routes need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleSet(Vec<Role>);

impl RoleSet {
    /// Builds a set, dropping duplicates and keeping a stable order.
    pub fn new(mut roles: Vec<Role>) -> Self {
        roles.sort();
        roles.dedup();
        RoleSet(roles)
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    /// Whether the set holds at least one of `roles`.
    pub fn any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    pub fn names(&self) -> Vec<String> {
        self.0.iter().map(|r| r.as_str().to_owned()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
        assert!("Admin".parse::<Role>().is_err());
    }

    #[test]
    fn role_sets_check_membership() {
        let set = RoleSet::new(vec![Role::Editor, Role::Contributor, Role::Editor]);
        assert_eq!(set.names(), vec!["editor", "contributor"]);
        assert!(set.has(Role::Editor));
        assert!(!set.is_admin());
        assert!(set.any(&[Role::Admin, Role::Contributor]));
        assert!(!set.any(&[Role::Admin, Role::Finance]));
    }

    #[test]
    fn board_roles_are_the_board() {
        let board: Vec<_> = Role::ALL.into_iter().filter(|r| r.is_board()).collect();
        assert_eq!(
            board,
            vec![
                Role::BoardHead,
                Role::BoardDeputyStanding,
                Role::BoardDeputy,
                Role::BoardMember
            ]
        );
    }
}
