//! Signing in and out. Sessions are rows in the database, keyed by the
//! SHA-256 of a random token, so every node sees the same sessions and
//! disabling an account ends them everywhere at once.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::entity::session;
use crate::error::{Error, Result};

use super::admin::store_password;
use super::passwords::{DUMMY_HASH, check_password, hash_password, verify_password};
use super::{Account, Caller, find_by_username, get, random_token, throttle, token_id, two_factor};

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
/// name and a wrong password are indistinguishable, and so are the
/// throttling of known and unknown names.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong user name or password")]
    BadCredentials,
    /// Too many failures from this address: wait until then.
    #[error("too many failed sign-ins from this address; try again after {until}")]
    Throttled { until: DateTime<Utc> },
    #[error("this account is disabled")]
    Disabled,
    /// The password was right; the account needs its one-time code.
    #[error("enter the one-time code of your authenticator app")]
    SecondFactorNeeded,
    /// The one-time code (or recovery code) was wrong or already used.
    #[error("the one-time code is wrong or was already used")]
    BadCode,
    #[error(transparent)]
    Other(#[from] Error),
}

impl From<sea_orm::DbErr> for LoginError {
    fn from(e: sea_orm::DbErr) -> Self {
        LoginError::Other(Error::Db(e))
    }
}

/// Counts a failed sign-in and audits it, with any back-off it started.
async fn failed(
    db: &impl ConnectionTrait,
    actor: &Actor,
    keys: &throttle::Keys,
    target: Option<i32>,
    reason: &str,
) -> Result<()> {
    let started = throttle::failed(db, keys, crate::time::now()).await?;
    let target = target.map(|id| ("user", id.to_string()));
    audit::record(
        db,
        actor,
        "auth.login_failed",
        target.clone(),
        serde_json::json!({"reason": reason}),
    )
    .await?;
    for s in started {
        audit::record(
            db,
            actor,
            "auth.throttled",
            target.clone(),
            serde_json::json!({"scope": s.scope, "failures": s.failures, "until": s.until}),
        )
        .await?;
    }
    Ok(())
}

/// Checks a user name, password and, where the account uses one, its
/// one-time code, and opens a session.
///
/// Failures slow down the address they come from ([`throttle`]) but never
/// lock the account: the right password from another address still works.
/// Unknown and known user names get the same answer in the same time.
pub async fn login(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    code: Option<&str>,
    ip: Option<String>,
    user_agent: Option<String>,
    session_ttl: Duration,
) -> Result<(Account, NewSession), LoginError> {
    let now = crate::time::now();
    let mut actor = Actor {
        user_id: None,
        username: Some(username.trim().chars().take(64).collect()),
        ip: ip.clone(),
    };
    let keys = throttle::Keys::new(username, ip.as_deref());
    if let Some(until) = throttle::waiting(db, &keys, now).await? {
        audit::record(
            db,
            &actor,
            "auth.login_refused",
            None,
            serde_json::json!({"reason": "throttled"}),
        )
        .await?;
        return Err(LoginError::Throttled { until });
    }
    let found = find_by_username(db, username).await?;
    let right = match &found {
        Some(u) => verify_password(password, &u.password_hash),
        None => {
            // Spend the same time as a real check, so user names cannot be probed.
            verify_password(password, DUMMY_HASH);
            false
        }
    };
    let Some(found) = found.filter(|_| right) else {
        failed(db, &actor, &keys, None, "wrong user name or password").await?;
        return Err(LoginError::BadCredentials);
    };
    actor.user_id = Some(found.id);
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
    if two_factor::enabled(&found) {
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            None => return Err(LoginError::SecondFactorNeeded),
            Some(c) => {
                if !two_factor::verify(db, &actor, &found, c).await? {
                    failed(db, &actor, &keys, Some(found.id), "wrong one-time code").await?;
                    return Err(LoginError::BadCode);
                }
            }
        }
    }
    throttle::succeeded(db, &keys).await?;
    let txn = db.begin().await?;
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
        serde_json::json!({"second_factor": two_factor::enabled(&found)}),
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
    let u = &caller.account.user;
    check_password(
        new_password,
        &[
            &u.username,
            &u.display_name,
            u.email.as_deref().unwrap_or_default(),
        ],
    )
    .map_err(|e| match e {
        Error::Invalid { message, vi, .. } => Error::Invalid {
            field: "new_password".into(),
            message,
            vi,
        },
        e => e,
    })?;
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
