//! Accounts (Đ7.2: accounts are issued and managed per role; Đ7.2c: the
//! IT Centre answers for security).
//!
//! - [`admin`]: creating and administering accounts;
//! - [`managers`]: who administers which accounts (Đ7.2);
//! - [`passwords`]: hashing and the password policy;
//! - [`sessions`]: signing in and out, and resolving a session;
//! - [`throttle`]: slowing down failed sign-ins without locking anyone out;
//! - [`two_factor`]: one-time codes for staff.

pub mod admin;
pub mod managers;
pub mod passwords;
pub mod sessions;
pub mod throttle;
pub mod two_factor;

pub use admin::{NewUser, UserChanges, create, reset_password, set_disabled, set_role, update};
pub use passwords::{MIN_PASSWORD_LEN, check_password, hash_password};
pub use sessions::{LoginError, NewSession, authenticate, change_password, login, logout};

use rand::Rng;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};

use crate::audit::Actor;
use crate::entity::{user, user_role};
use crate::error::{Error, Result};
use crate::roles::{Role, RoleSet};

/// A user with their roles, as routes and pages need them.
#[derive(Clone, Debug)]
pub struct Account {
    pub user: user::Model,
    pub roles: RoleSet,
}

/// A resolved session: who is calling, and the form token of this session.
#[derive(Clone, Debug)]
pub struct Caller {
    pub account: Account,
    pub session_id: String,
    pub csrf_token: String,
}

/// A random token of `bytes` random bytes, hex-encoded.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill(&mut buf[..]);
    hex::encode(buf)
}

/// A random password of 20 letters and digits, for the first admin and for
/// resets done without a chosen password.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

pub(crate) fn token_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) fn check_username(username: &str) -> Result<String> {
    let u = username.trim();
    let ok = (3..=64).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && u.as_bytes()[0].is_ascii_alphanumeric();
    if !ok {
        return Err(Error::invalid(
            "username",
            "3 to 64 characters: lower-case letters, digits, `.`, `_` or `-`, starting with a letter or digit",
        ));
    }
    Ok(u.to_owned())
}

pub async fn count_users(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(user::Entity::find().count(db).await?)
}

pub async fn roles_of(db: &impl ConnectionTrait, user_id: i32) -> Result<RoleSet> {
    let rows = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    Ok(RoleSet::new(
        rows.iter().filter_map(|r| r.role.parse().ok()).collect(),
    ))
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Account> {
    let user = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("user"))?;
    let roles = roles_of(db, id).await?;
    Ok(Account { user, roles })
}

pub async fn find_by_username(db: &impl ConnectionTrait, username: &str) -> Result<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Username.eq(username.trim()))
        .one(db)
        .await?)
}

pub async fn get_by_username(db: &impl ConnectionTrait, username: &str) -> Result<Account> {
    let u = find_by_username(db, username)
        .await?
        .ok_or(Error::NotFound("user"))?;
    get(db, u.id).await
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Account>> {
    let users = user::Entity::find()
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?;
    let roles = user_role::Entity::find().all(db).await?;
    Ok(users
        .into_iter()
        .map(|u| {
            let mine = roles
                .iter()
                .filter(|r| r.user_id == u.id)
                .filter_map(|r| r.role.parse().ok())
                .collect();
            Account {
                user: u,
                roles: RoleSet::new(mine),
            }
        })
        .collect())
}

/// Creates the first admin when there is no account at all. Returns the
/// account and, when the password was generated, that password.
pub async fn ensure_first_admin(
    db: &DatabaseConnection,
    username: &str,
    password: Option<&str>,
) -> Result<Option<(Account, Option<String>)>> {
    if count_users(db).await? > 0 {
        return Ok(None);
    }
    let generated = password.is_none().then(random_password);
    let password = password
        .map(str::to_owned)
        .or_else(|| generated.clone())
        .unwrap_or_default();
    let it_centre = crate::units::find_by_code(db, crate::units::codes::IT_CENTRE).await?;
    let account = create(
        db,
        &Actor::system("portal"),
        &NewUser {
            username: username.to_owned(),
            password,
            display_name: "Quản trị hệ thống".to_owned(),
            email: None,
            unit_id: it_centre.map(|u| u.id),
            roles: vec![Role::Admin],
        },
    )
    .await?;
    Ok(Some((account, generated)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_rules() {
        assert_eq!(check_username(" admin ").unwrap(), "admin");
        assert!(check_username("nguyen.van-a_1").is_ok());
        assert!(check_username("Admin").is_err());
        assert!(check_username("ab").is_err());
        assert!(check_username("_x1").is_err());
        assert!(check_username("nguyễn").is_err());
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token(32);
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token(32));
        assert_eq!(token_id(&a).len(), 64);
        assert_ne!(token_id(&a), a);
    }
}
