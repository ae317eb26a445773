//! Accounts, passwords and sessions (Đ7.2: accounts are issued and managed
//! per role; Đ7.2c: the IT Centre answers for security).
//!
//! Passwords are hashed with Argon2id. Sessions are rows in the database,
//! keyed by the SHA-256 of a random token, so every node sees the same
//! sessions and disabling an account ends them everywhere at once.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::audit::{self, Actor};
use crate::entity::{session, user, user_role};
use crate::error::{Error, Result};
use crate::roles::{Role, RoleSet};
use crate::text::clean_line;

/// Failed logins allowed within [`LOCKOUT_WINDOW`] before the account is
/// locked for [`LOCKOUT_DURATION`].
pub const LOCKOUT_THRESHOLD: i32 = 5;
pub const LOCKOUT_WINDOW: Duration = Duration::minutes(15);
pub const LOCKOUT_DURATION: Duration = Duration::minutes(15);
/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;
/// A session's `last_seen_at` is refreshed at most this often.
const TOUCH_INTERVAL: Duration = Duration::minutes(1);

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

/// A new session's secret token, shown to the client once.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// Why a login was refused. The messages are safe to show: a wrong user
/// name and a wrong password are indistinguishable.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong user name or password")]
    BadCredentials,
    #[error("too many failed logins; try again after {until}")]
    Locked { until: DateTime<Utc> },
    #[error("this account is disabled")]
    Disabled,
    #[error(transparent)]
    Other(#[from] Error),
}

impl From<sea_orm::DbErr> for LoginError {
    fn from(e: sea_orm::DbErr) -> Self {
        LoginError::Other(Error::Db(e))
    }
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

fn token_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hashes a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::invalid("password", e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::invalid("password", e.to_string()))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// Checks a new password against the policy.
pub fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Error::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD_LEN} characters"),
        ));
    }
    if password.len() > 1024 {
        return Err(Error::invalid("password", "must be at most 1024 bytes"));
    }
    Ok(())
}

fn check_username(username: &str) -> Result<String> {
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

/// A user to create.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub display_name: String,
    pub email: Option<String>,
    pub unit_id: Option<i32>,
    pub roles: Vec<Role>,
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, new: &NewUser) -> Result<Account> {
    let username = check_username(&new.username)?;
    check_password(&new.password)?;
    let display_name = clean_line(&new.display_name);
    if display_name.is_empty() || display_name.chars().count() > 200 {
        return Err(Error::invalid("display_name", "must be 1 to 200 characters"));
    }
    let email = new.email.as_deref().map(clean_line).filter(|e| !e.is_empty());
    if email
        .as_deref()
        .is_some_and(|e| !e.contains('@') || e.len() > 254)
    {
        return Err(Error::invalid("email", "is not an e-mail address"));
    }
    let hash = hash_password(&new.password)?;
    let txn = db.begin().await?;
    if let Some(unit) = new.unit_id {
        crate::units::get(&txn, unit)
            .await
            .map_err(|_| Error::invalid("unit_id", "no such unit"))?;
    }
    if find_by_username(&txn, &username).await?.is_some() {
        return Err(Error::Conflict(format!("user name `{username}` is taken")));
    }
    let now = crate::time::now();
    let created = user::ActiveModel {
        username: Set(username.clone()),
        display_name: Set(display_name),
        email: Set(email),
        password_hash: Set(hash),
        unit_id: Set(new.unit_id),
        disabled: Set(false),
        failed_logins: Set(0),
        failed_window_start: Set(None),
        locked_until: Set(None),
        password_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let roles = RoleSet::new(new.roles.clone());
    for role in roles.iter() {
        insert_role(&txn, created.id, role).await?;
    }
    audit::record(
        &txn,
        actor,
        "user.create",
        Some(("user", created.id.to_string())),
        serde_json::json!({"username": username, "roles": roles.names(), "unit_id": new.unit_id}),
    )
    .await?;
    txn.commit().await?;
    get(db, created.id).await
}

async fn insert_role(db: &impl ConnectionTrait, user_id: i32, role: Role) -> Result<()> {
    user_role::ActiveModel {
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        granted_at: Set(crate::time::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Changes to a user's profile; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub email: Option<Option<String>>,
    pub unit_id: Option<Option<i32>>,
    /// Replaces the whole role set.
    pub roles: Option<Vec<Role>>,
    pub disabled: Option<bool>,
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    changes: &UserChanges,
) -> Result<Account> {
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    let mut am: user::ActiveModel = current.user.clone().into();
    if let Some(name) = &changes.display_name {
        let name = clean_line(name);
        if name.is_empty() || name.chars().count() > 200 {
            return Err(Error::invalid("display_name", "must be 1 to 200 characters"));
        }
        am.display_name = Set(name);
    }
    if let Some(email) = &changes.email {
        let email = email.as_deref().map(clean_line).filter(|e| !e.is_empty());
        if email.as_deref().is_some_and(|e| !e.contains('@')) {
            return Err(Error::invalid("email", "is not an e-mail address"));
        }
        am.email = Set(email);
    }
    if let Some(unit) = changes.unit_id {
        if let Some(u) = unit {
            crate::units::get(&txn, u)
                .await
                .map_err(|_| Error::invalid("unit_id", "no such unit"))?;
        }
        am.unit_id = Set(unit);
    }
    if let Some(disabled) = changes.disabled {
        am.disabled = Set(disabled);
        if disabled {
            end_sessions(&txn, id).await?;
        }
    }
    am.updated_at = Set(crate::time::now());
    am.update(&txn).await?;
    if let Some(roles) = &changes.roles {
        let roles = RoleSet::new(roles.clone());
        user_role::Entity::delete_many()
            .filter(user_role::Column::UserId.eq(id))
            .exec(&txn)
            .await?;
        for role in roles.iter() {
            insert_role(&txn, id, role).await?;
        }
    }
    audit::record(
        &txn,
        actor,
        "user.update",
        Some(("user", id.to_string())),
        serde_json::json!({
            "username": current.user.username,
            "display_name": changes.display_name,
            "unit_id": changes.unit_id,
            "roles": changes.roles.as_ref().map(|r| r.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
            "disabled": changes.disabled,
        }),
    )
    .await?;
    txn.commit().await?;
    get(db, id).await
}

/// Disables (or re-enables) an account. Disabling ends its sessions at once.
pub async fn set_disabled(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    disabled: bool,
) -> Result<Account> {
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    let mut am: user::ActiveModel = current.user.clone().into();
    am.disabled = Set(disabled);
    am.updated_at = Set(crate::time::now());
    am.update(&txn).await?;
    if disabled {
        end_sessions(&txn, id).await?;
    }
    let action = if disabled { "user.disable" } else { "user.enable" };
    audit::record(
        &txn,
        actor,
        action,
        Some(("user", id.to_string())),
        serde_json::json!({"username": current.user.username}),
    )
    .await?;
    txn.commit().await?;
    get(db, id).await
}

/// Adds or removes one role.
pub async fn set_role(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    role: Role,
    granted: bool,
) -> Result<Account> {
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    if granted && !current.roles.has(role) {
        insert_role(&txn, id, role).await?;
    }
    if !granted {
        user_role::Entity::delete_many()
            .filter(user_role::Column::UserId.eq(id))
            .filter(user_role::Column::Role.eq(role.as_str()))
            .exec(&txn)
            .await?;
    }
    let action = if granted { "user.grant" } else { "user.revoke" };
    audit::record(
        &txn,
        actor,
        action,
        Some(("user", id.to_string())),
        serde_json::json!({"username": current.user.username, "role": role.as_str()}),
    )
    .await?;
    txn.commit().await?;
    get(db, id).await
}

/// Sets a new password chosen by an admin, ends the user's sessions and
/// lifts a lockout.
pub async fn reset_password(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    new_password: &str,
) -> Result<()> {
    check_password(new_password)?;
    let hash = hash_password(new_password)?;
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    store_password(&txn, current.user.clone(), hash).await?;
    end_sessions(&txn, id).await?;
    audit::record(
        &txn,
        actor,
        "user.reset_password",
        Some(("user", id.to_string())),
        serde_json::json!({"username": current.user.username}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The user changes their own password; other sessions of theirs end.
pub async fn change_password(
    db: &DatabaseConnection,
    actor: &Actor,
    caller: &Caller,
    current_password: &str,
    new_password: &str,
) -> Result<()> {
    if !verify_password(current_password, &caller.account.user.password_hash) {
        return Err(Error::invalid("current_password", "is not your current password"));
    }
    check_password(new_password)?;
    if current_password == new_password {
        return Err(Error::invalid(
            "new_password",
            "must differ from the current password",
        ));
    }
    let hash = hash_password(new_password)?;
    let txn = db.begin().await?;
    let id = caller.account.user.id;
    let current = get(&txn, id).await?;
    store_password(&txn, current.user, hash).await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(id))
        .filter(session::Column::Id.ne(caller.session_id.as_str()))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        "user.change_password",
        Some(("user", id.to_string())),
        serde_json::Value::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn store_password(db: &impl ConnectionTrait, user: user::Model, hash: String) -> Result<()> {
    let now = crate::time::now();
    let mut am: user::ActiveModel = user.into();
    am.password_hash = Set(hash);
    am.password_changed_at = Set(now);
    am.failed_logins = Set(0);
    am.failed_window_start = Set(None);
    am.locked_until = Set(None);
    am.updated_at = Set(now);
    am.update(db).await?;
    Ok(())
}

async fn end_sessions(db: &impl ConnectionTrait, user_id: i32) -> Result<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Checks a user name and password and opens a session.
///
/// After [`LOCKOUT_THRESHOLD`] failures within [`LOCKOUT_WINDOW`] the account
/// refuses every attempt, right or wrong, for [`LOCKOUT_DURATION`]; this is
/// what makes guessing passwords impractical.
pub async fn login(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    ip: Option<String>,
    user_agent: Option<String>,
    session_ttl: Duration,
) -> Result<(Account, NewSession), LoginError> {
    let now = crate::time::now();
    let actor = Actor {
        user_id: None,
        username: Some(username.trim().to_owned()),
        ip: ip.clone(),
    };
    let Some(found) = find_by_username(db, username).await? else {
        // Spend the same time as a real check, so user names cannot be probed.
        verify_password(password, DUMMY_HASH);
        audit::record(
            db,
            &actor,
            "auth.login_failed",
            None,
            serde_json::json!({"reason": "unknown user"}),
        )
        .await?;
        return Err(LoginError::BadCredentials);
    };
    let actor = Actor {
        user_id: Some(found.id),
        ..actor
    };
    if let Some(until) = found.locked_until.filter(|u| *u > now) {
        audit::record(
            db,
            &actor,
            "auth.login_refused",
            Some(("user", found.id.to_string())),
            serde_json::json!({"reason": "locked"}),
        )
        .await?;
        return Err(LoginError::Locked { until });
    }
    if !verify_password(password, &found.password_hash) {
        let txn = db.begin().await?;
        let fresh = user::Entity::find_by_id(found.id)
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("user"))?;
        let in_window = fresh
            .failed_window_start
            .is_some_and(|s| now - s < LOCKOUT_WINDOW);
        let failures = if in_window { fresh.failed_logins + 1 } else { 1 };
        let mut am: user::ActiveModel = fresh.clone().into();
        am.failed_logins = Set(failures);
        if !in_window {
            am.failed_window_start = Set(Some(now));
        }
        let locked = failures >= LOCKOUT_THRESHOLD;
        if locked {
            am.locked_until = Set(Some(now + LOCKOUT_DURATION));
            am.failed_logins = Set(0);
            am.failed_window_start = Set(None);
        }
        am.update(&txn).await?;
        audit::record(
            &txn,
            &actor,
            "auth.login_failed",
            Some(("user", found.id.to_string())),
            serde_json::json!({"failures": failures, "locked": locked}),
        )
        .await?;
        txn.commit().await?;
        return Err(LoginError::BadCredentials);
    }
    if found.disabled {
        audit::record(
            db,
            &actor,
            "auth.login_refused",
            Some(("user", found.id.to_string())),
            serde_json::json!({"reason": "disabled"}),
        )
        .await?;
        return Err(LoginError::Disabled);
    }
    let txn = db.begin().await?;
    let mut am: user::ActiveModel = found.clone().into();
    am.failed_logins = Set(0);
    am.failed_window_start = Set(None);
    am.locked_until = Set(None);
    am.update(&txn).await?;
    let new = NewSession {
        token: random_token(32),
        csrf_token: random_token(16),
        expires_at: now + session_ttl,
    };
    session::ActiveModel {
        id: Set(token_id(&new.token)),
        user_id: Set(found.id),
        csrf_token: Set(new.csrf_token.clone()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(new.expires_at),
        ip: Set(ip),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(300).collect())),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        &actor,
        "auth.login",
        Some(("user", found.id.to_string())),
        serde_json::Value::Null,
    )
    .await?;
    txn.commit().await?;
    let account = get(db, found.id).await?;
    Ok((account, new))
}

/// An Argon2id hash of a random string, checked against when the user name
/// is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0b0rq9yoAHzK4Sm2Yy6RtZVJq6J3d3C2t5r7D8h9d1Y";

/// Resolves a session token. Expired sessions, and sessions of disabled
/// accounts, resolve to nothing. Sliding expiry: use extends the session.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    token: &str,
    session_ttl: Duration,
) -> Result<Option<Caller>> {
    if token.is_empty() || token.len() > 256 {
        return Ok(None);
    }
    let id = token_id(token);
    let Some(s) = session::Entity::find_by_id(id.clone()).one(db).await? else {
        return Ok(None);
    };
    let now = crate::time::now();
    if s.expires_at <= now {
        session::Entity::delete_by_id(id).exec(db).await?;
        return Ok(None);
    }
    let account = get(db, s.user_id).await?;
    if account.user.disabled {
        return Ok(None);
    }
    if now - s.last_seen_at > TOUCH_INTERVAL {
        let mut am: session::ActiveModel = s.clone().into();
        am.last_seen_at = Set(now);
        am.expires_at = Set(now + session_ttl);
        am.update(db).await?;
    }
    Ok(Some(Caller {
        account,
        session_id: s.id,
        csrf_token: s.csrf_token,
    }))
}

/// Ends one session.
pub async fn logout(db: &impl ConnectionTrait, caller: &Caller, ip: Option<String>) -> Result<()> {
    session::Entity::delete_by_id(caller.session_id.clone())
        .exec(db)
        .await?;
    let actor = Actor {
        user_id: Some(caller.account.user.id),
        username: Some(caller.account.user.username.clone()),
        ip,
    };
    audit::record(
        db,
        &actor,
        "auth.logout",
        Some(("user", caller.account.user.id.to_string())),
        serde_json::Value::Null,
    )
    .await?;
    Ok(())
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
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn dummy_hash_parses_so_timing_matches() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn password_policy() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough pass").is_ok());
        assert_eq!(random_password().len(), 20);
        assert!(check_password(&random_password()).is_ok());
    }

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
