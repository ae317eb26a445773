//! Signing in and out. Sessions are rows in the database, keyed by the
//! SHA-256 of a random token, so every node sees the same sessions and
//! disabling an account ends them everywhere at once.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::entity::{session, user};
use crate::error::{Error, Result};

use super::admin::store_password;
use super::passwords::{DUMMY_HASH, check_password, hash_password, verify_password};
use super::{Account, Caller, find_by_username, get, random_token, token_id};

/// Failed logins allowed within [`LOCKOUT_WINDOW`] before the account is
/// locked for [`LOCKOUT_DURATION`].
pub const LOCKOUT_THRESHOLD: i32 = 5;

pub const LOCKOUT_WINDOW: Duration = Duration::minutes(15);

pub const LOCKOUT_DURATION: Duration = Duration::minutes(15);

/// A session's `last_seen_at` is refreshed at most this often.
pub(crate) const TOUCH_INTERVAL: Duration = Duration::minutes(1);

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
