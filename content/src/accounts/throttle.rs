//! Login throttling without lockout. Failed sign-ins slow down the
//! address they come from, per account and overall, with a delay that
//! doubles with each failure; nothing a stranger does from their address
//! stops the right password from another one, so nobody can lock a real
//! user — an administrator included — out of their account. Unknown and
//! known user names are counted alike, so throttling tells nothing about
//! which names exist. When a back-off starts it is audited
//! (`auth.throttled`), for the administrators to see.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::entity::login_throttle;
use crate::error::Result;

/// Failures are counted over this window.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failures from one address on one account before it backs off.
pub const PER_ACCOUNT_FREE: i32 = 5;
/// Failures from one address, all accounts together, before it backs off.
pub const PER_ADDRESS_FREE: i32 = 30;
/// The longest delay.
pub const MAX_DELAY: Duration = Duration::minutes(15);

/// The counters one attempt touches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    account: String,
    address: String,
}

impl Keys {
    /// The counters of an attempt on `username` from `ip` (an unknown
    /// address counts as one address).
    pub fn new(username: &str, ip: Option<&str>) -> Self {
        let ip = ip.unwrap_or("unknown");
        let name: String = username.trim().to_lowercase().chars().take(64).collect();
        Keys {
            account: format!("account:{name}|{ip}"),
            address: format!("address:{ip}"),
        }
    }
}

/// The delay after `failures` failures of which `free` are allowed: none
/// up to `free`, then 1 s doubling with each failure, at most
/// [`MAX_DELAY`].
pub fn delay(failures: i32, free: i32) -> Duration {
    match failures - free {
        n if n <= 0 => Duration::zero(),
        n => {
            let secs = 1i64.checked_shl((n - 1).min(20) as u32).unwrap_or(i64::MAX);
            Duration::seconds(secs).min(MAX_DELAY)
        }
    }
}

/// Until when the attempt must wait, if it must.
pub async fn waiting(
    db: &impl ConnectionTrait,
    keys: &Keys,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let mut until = None;
    for key in [&keys.account, &keys.address] {
        if let Some(row) = login_throttle::Entity::find_by_id(key.clone()).one(db).await?
            && let Some(b) = row.blocked_until.filter(|b| *b > now)
        {
            until = until.max(Some(b));
        }
    }
    Ok(until)
}

/// A back-off that a failure started, for the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Started {
    /// `account` (one account from one address) or `address`.
    pub scope: &'static str,
    pub failures: i32,
    pub until: DateTime<Utc>,
}

/// Counts a failure; returns the back-offs it started or lengthened.
pub async fn failed(db: &impl ConnectionTrait, keys: &Keys, now: DateTime<Utc>) -> Result<Vec<Started>> {
    let mut started = Vec::new();
    for (scope, key, free) in [
        ("account", &keys.account, PER_ACCOUNT_FREE),
        ("address", &keys.address, PER_ADDRESS_FREE),
    ] {
        let row = login_throttle::Entity::find_by_id(key.clone()).one(db).await?;
        let fresh = row.as_ref().is_none_or(|r| now - r.window_start >= WINDOW);
        let failures = if fresh {
            1
        } else {
            row.as_ref().map_or(0, |r| r.failures) + 1
        };
        let wait = delay(failures, free);
        let blocked_until = (wait > Duration::zero()).then(|| now + wait);
        let am = login_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(failures),
            window_start: Set(if fresh {
                now
            } else {
                row.as_ref().map_or(now, |r| r.window_start)
            }),
            blocked_until: Set(blocked_until),
        };
        if row.is_some() {
            am.update(db).await?;
        } else {
            am.insert(db).await?;
        }
        if let Some(until) = blocked_until {
            started.push(Started {
                scope,
                failures,
                until,
            });
        }
    }
    Ok(started)
}

/// A successful sign-in clears the account's counter from that address.
pub async fn succeeded(db: &impl ConnectionTrait, keys: &Keys) -> Result<()> {
    login_throttle::Entity::delete_by_id(keys.account.clone())
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_after_the_free_attempts_and_is_capped() {
        assert_eq!(delay(5, PER_ACCOUNT_FREE), Duration::zero());
        assert_eq!(delay(6, PER_ACCOUNT_FREE), Duration::seconds(1));
        assert_eq!(delay(7, PER_ACCOUNT_FREE), Duration::seconds(2));
        assert_eq!(delay(10, PER_ACCOUNT_FREE), Duration::seconds(16));
        assert_eq!(delay(40, PER_ACCOUNT_FREE), MAX_DELAY);
        assert_eq!(delay(i32::MAX, PER_ACCOUNT_FREE), MAX_DELAY);
    }

    #[test]
    fn an_account_is_counted_per_address() {
        let a = Keys::new("Admin ", Some("10.0.0.1"));
        let b = Keys::new("admin", Some("10.0.0.2"));
        assert_ne!(a.account, b.account, "another address has its own counter");
        assert_eq!(a.account, "account:admin|10.0.0.1");
        assert_eq!(Keys::new("x", None).address, "address:unknown");
    }
}
