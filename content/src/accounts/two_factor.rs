//! Two-factor sign-in for staff: a time-based one-time code (RFC 6238)
//! after the password. NukeViet, the open-source portal many agencies
//! run, makes it compulsory per group; here it is compulsory per role,
//! by default for administrators and the editorial board, who decide what
//! is published (Đ6.2a) and who holds the keys (Đ7.2c).

use crate::roles::{BOARD, Role, RoleSet};

/// The roles that must use a second factor unless configured otherwise.
pub const DEFAULT_ROLES: [Role; 5] = [Role::Admin, BOARD[0], BOARD[1], BOARD[2], BOARD[3]];

/// Whether an account with `roles` must sign in with a second factor,
/// given the roles that require one.
pub fn required(roles: &RoleSet, requiring: &[Role]) -> bool {
    roles.any(requiring)
}
