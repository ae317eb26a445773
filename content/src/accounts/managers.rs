//! Who administers which accounts, as Đ7.2 divides the work: the
//! Communication Centre manages the accounts that post content, the
//! Support Centre those that answer questions, the Office those that keep
//! procedures, and the IT Centre the administrator accounts. A unit's
//! account manager (role `account_manager`) creates, disables and resets
//! the accounts of the roles its unit manages and can never grant `admin`;
//! administrators manage every account. Every change is audited by the
//! functions of [`super::admin`].

use crate::entity::unit;
use crate::error::{Error, Result};
use crate::roles::Role;
use crate::units::codes;

use super::Account;

/// The roles a unit's account manager may give and take.
pub fn manageable_roles(unit_code: &str) -> &'static [Role] {
    match unit_code {
        codes::COMMUNICATION_CENTRE => &[Role::Contributor, Role::Editor],
        codes::SUPPORT_CENTRE => &[Role::QaCoordinator, Role::QaResponder],
        codes::OFFICE => &[Role::ProceduresEditor],
        _ => &[],
    }
}

/// Whether `who` (of `who_unit`) may manage an account that holds
/// `target_roles` now and will hold `new_roles`: an administrator always;
/// an account manager when every role involved is one their unit manages
/// (so never an administrator, and never granting `admin`).
pub fn may_manage(
    who: &Account,
    who_unit: Option<&unit::Model>,
    target_roles: &[Role],
    new_roles: &[Role],
) -> bool {
    if who.roles.is_admin() {
        return true;
    }
    if !who.roles.has(Role::AccountManager) {
        return false;
    }
    let Some(u) = who_unit else { return false };
    let allowed = manageable_roles(&u.code);
    target_roles.iter().chain(new_roles).all(|r| allowed.contains(r))
}

/// Refuses what `may_manage` does not allow, naming the reason.
pub fn authorize(
    who: &Account,
    who_unit: Option<&unit::Model>,
    target_roles: &[Role],
    new_roles: &[Role],
) -> Result<()> {
    if may_manage(who, who_unit, target_roles, new_roles) {
        return Ok(());
    }
    if target_roles.iter().chain(new_roles).any(|r| *r == Role::Admin) {
        return Err(Error::Forbidden(
            "only administrators manage administrator accounts".into(),
        ));
    }
    Err(Error::Forbidden(
        "your unit does not manage accounts with these roles (Đ7.2)".into(),
    ))
}

/// Checks that `who` may change the account `target` (an id; `None` for
/// a new account) so that it holds `new_roles` (`None` when its roles do
/// not change). Every entry point calls this before an account change.
pub async fn check(
    db: &impl sea_orm::ConnectionTrait,
    who: &Account,
    target: Option<i32>,
    new_roles: Option<&[Role]>,
) -> Result<()> {
    let unit = match who.user.unit_id {
        Some(u) => crate::units::get(db, u).await.ok(),
        None => None,
    };
    let current: Vec<Role> = match target {
        Some(id) => super::get(db, id).await?.roles.iter().collect(),
        None => Vec::new(),
    };
    authorize(who, unit.as_ref(), &current, new_roles.unwrap_or_default())
}

/// Whether `who` may manage any account at all (reach the account pages).
pub fn manages_accounts(who: &Account) -> bool {
    who.roles.is_admin() || who.roles.has(Role::AccountManager)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::RoleSet;

    fn account(roles: Vec<Role>) -> Account {
        let at = chrono::DateTime::from_timestamp(0, 0).unwrap();
        Account {
            user: crate::entity::user::Model {
                id: 1,
                username: "x".into(),
                display_name: "x".into(),
                email: None,
                password_hash: String::new(),
                unit_id: Some(1),
                disabled: false,
                failed_logins: 0,
                failed_window_start: None,
                locked_until: None,
                password_changed_at: at,
                totp_secret: None,
                totp_enabled_at: None,
                totp_last_step: None,
                created_at: at,
                updated_at: at,
                notify_digest: false,
            },
            roles: RoleSet::new(roles),
        }
    }

    fn unit(code: &str) -> unit::Model {
        let at = chrono::DateTime::from_timestamp(0, 0).unwrap();
        unit::Model {
            id: 1,
            code: code.into(),
            kind: "central".into(),
            name_vi: "x".into(),
            name_en: "x".into(),
            active: true,
            created_at: at,
            updated_at: at,
            address: None,
            phone: None,
            email: None,
        }
    }

    #[test]
    fn each_centre_manages_its_own_roles_and_never_admins() {
        let manager = account(vec![Role::AccountManager]);
        let support = unit(codes::SUPPORT_CENTRE);
        assert!(may_manage(&manager, Some(&support), &[], &[Role::QaResponder]));
        assert!(
            !may_manage(&manager, Some(&support), &[], &[Role::Editor]),
            "not an editor"
        );
        assert!(
            !may_manage(&manager, Some(&support), &[], &[Role::Admin]),
            "never an admin"
        );
        assert!(
            !may_manage(&manager, Some(&support), &[Role::Admin], &[]),
            "nor an admin's account"
        );
        let comms = unit(codes::COMMUNICATION_CENTRE);
        assert!(may_manage(
            &manager,
            Some(&comms),
            &[Role::Contributor],
            &[Role::Editor]
        ));
        assert!(!may_manage(
            &manager,
            Some(&unit(codes::IT_CENTRE)),
            &[],
            &[Role::Admin]
        ));
        assert!(!may_manage(
            &account(vec![Role::Editor]),
            Some(&comms),
            &[],
            &[Role::Contributor]
        ));
        assert!(may_manage(
            &account(vec![Role::Admin]),
            None,
            &[Role::Admin],
            &[Role::Admin]
        ));
    }
}
