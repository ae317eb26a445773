//! Two-factor sign-in for staff: a time-based one-time code (RFC 6238)
//! after the password. NukeViet, the open-source portal many agencies
//! run, makes it compulsory per group; here it is compulsory per role, by
//! default for administrators and the editorial board, who decide what is
//! published (Đ6.2a) and who hold the keys (Đ7.2c).
//!
//! Enrolment stores a secret and shows it (as a QR code) once; the first
//! code confirms it and yields ten one-use recovery codes, stored hashed.
//! A code is accepted once (the last accepted time step is kept). An
//! administrator can reset a user's enrolment; everything is audited.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};

use crate::audit::{self, Actor};
use crate::entity::{recovery_code, user};
use crate::error::{Error, Result};
use crate::roles::{BOARD, Role, RoleSet};

/// The roles that must use a second factor unless configured otherwise.
pub const DEFAULT_ROLES: [Role; 5] = [Role::Admin, BOARD[0], BOARD[1], BOARD[2], BOARD[3]];

/// Recovery codes issued at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// The issuer shown in authenticator apps.
const ISSUER: &str = "Cổng TTĐT BHXH Việt Nam";

/// Whether an account with `roles` must sign in with a second factor,
/// given the roles that require one.
pub fn required(roles: &RoleSet, requiring: &[Role]) -> bool {
    roles.any(requiring)
}

/// Whether the user signs in with a second factor.
pub fn enabled(u: &user::Model) -> bool {
    u.totp_enabled_at.is_some() && u.totp_secret.is_some()
}

/// What an authenticator app needs to enrol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    /// Base32, for typing in by hand.
    pub secret: String,
    /// `otpauth://totp/…`, for the QR code.
    pub url: String,
}

fn totp(secret: &str, account: &str) -> Result<Totp> {
    let secret = Secret::try_from_base32(secret).map_err(|_| {
        Error::Conflict("the stored second-factor secret is damaged; ask an administrator to reset it".into())
    })?;
    let account: String = account.chars().filter(|c| *c != ':').collect();
    Builder::new()
        .with_secret(secret)
        .with_issuer(Some(ISSUER.to_owned()))
        .with_account_name(account)
        .build()
        .map_err(|e| Error::Conflict(format!("cannot use the second-factor secret: {e}")))
}

/// Keeps digits only, so `123 456` and `123-456` are accepted.
fn digits(code: &str) -> String {
    code.chars().filter(char::is_ascii_digit).collect()
}

fn hash_code(code: &str) -> String {
    let normalised: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase();
    hex::encode(Sha256::digest(normalised.as_bytes()))
}

fn now_secs() -> u64 {
    crate::time::now().timestamp().max(0) as u64
}

/// Starts (or restarts) an enrolment: a new secret, not in use until
/// confirmed. Refused while a confirmed enrolment exists.
pub async fn begin(db: &impl ConnectionTrait, actor: &Actor, user_id: i32) -> Result<Enrolment> {
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("user"))?;
    if enabled(&u) {
        return Err(Error::Conflict(
            "two-factor sign-in is already in use; an administrator can reset it".into(),
        ));
    }
    let secret = Secret::generate().to_base32();
    let url = totp(&secret, &u.username)?
        .to_url()
        .map_err(|e| Error::Conflict(format!("cannot make the enrolment address: {e}")))?;
    let mut am: user::ActiveModel = u.into();
    am.totp_secret = Set(Some(secret.clone()));
    am.totp_enabled_at = Set(None);
    am.totp_last_step = Set(None);
    am.update(db).await?;
    audit::record(
        db,
        actor,
        "auth.two_factor_begin",
        Some(("user", user_id.to_string())),
        serde_json::Value::Null,
    )
    .await?;
    Ok(Enrolment { secret, url })
}

/// The enrolment started and not yet confirmed, to show again.
pub fn pending(u: &user::Model) -> Option<Enrolment> {
    let secret = u.totp_secret.clone().filter(|_| !enabled(u))?;
    let url = totp(&secret, &u.username).ok()?.to_url().ok()?;
    Some(Enrolment { secret, url })
}

/// Confirms an enrolment with a first code; returns the recovery codes,
/// shown once.
pub async fn confirm(
    db: &impl ConnectionTrait,
    actor: &Actor,
    user_id: i32,
    code: &str,
) -> Result<Vec<String>> {
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("user"))?;
    let Some(secret) = u.totp_secret.clone().filter(|_| !enabled(&u)) else {
        return Err(Error::Conflict("start an enrolment first".into()));
    };
    let step = totp(&secret, &u.username)?
        .check(&digits(code), now_secs())
        .ok_or_else(|| {
            Error::invalid_in(
                "code",
                "the code does not match; check the time on your phone and try the current code",
                "Mã xác thực không đúng; hãy kiểm tra giờ trên điện thoại và nhập mã hiện tại.",
            )
        })?;
    let mut am: user::ActiveModel = u.into();
    am.totp_enabled_at = Set(Some(crate::time::now()));
    am.totp_last_step = Set(Some(step as i64));
    am.update(db).await?;
    let codes = new_recovery_codes(db, user_id).await?;
    audit::record(
        db,
        actor,
        "auth.two_factor_enabled",
        Some(("user", user_id.to_string())),
        serde_json::Value::Null,
    )
    .await?;
    Ok(codes)
}

async fn new_recovery_codes(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<String>> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let raw = super::random_password()[..10].to_uppercase();
        let code = format!("{}-{}", &raw[..5], &raw[5..]);
        recovery_code::ActiveModel {
            user_id: Set(user_id),
            code_hash: Set(hash_code(&code)),
            used_at: Set(None),
            created_at: Set(crate::time::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        codes.push(code);
    }
    Ok(codes)
}

/// Checks a sign-in's second factor: a current code not used before, or
/// an unused recovery code (then used up, and audited).
pub async fn verify(db: &impl ConnectionTrait, actor: &Actor, u: &user::Model, code: &str) -> Result<bool> {
    let Some(secret) = u.totp_secret.as_deref().filter(|_| enabled(u)) else {
        return Ok(false);
    };
    if let Some(step) = totp(secret, &u.username)?.check(&digits(code), now_secs()) {
        let step = step as i64;
        if u.totp_last_step.is_some_and(|last| step <= last) {
            return Ok(false);
        }
        let res = user::Entity::update_many()
            .col_expr(
                user::Column::TotpLastStep,
                sea_orm::sea_query::Expr::value(Some(step)),
            )
            .filter(user::Column::Id.eq(u.id))
            .filter(
                sea_orm::Condition::any()
                    .add(user::Column::TotpLastStep.is_null())
                    .add(user::Column::TotpLastStep.lt(step)),
            )
            .exec(db)
            .await?;
        return Ok(res.rows_affected == 1);
    }
    let res = recovery_code::Entity::update_many()
        .col_expr(
            recovery_code::Column::UsedAt,
            sea_orm::sea_query::Expr::value(Some(crate::time::now())),
        )
        .filter(recovery_code::Column::UserId.eq(u.id))
        .filter(recovery_code::Column::CodeHash.eq(hash_code(code)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if res.rows_affected == 1 {
        audit::record(
            db,
            actor,
            "auth.recovery_code_used",
            Some(("user", u.id.to_string())),
            serde_json::Value::Null,
        )
        .await?;
        return Ok(true);
    }
    Ok(false)
}

/// Removes a user's enrolment and recovery codes (an administrator, for a
/// lost phone); the user enrols again at the next sign-in if required.
pub async fn reset(db: &impl ConnectionTrait, actor: &Actor, user_id: i32) -> Result<()> {
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("user"))?;
    let mut am: user::ActiveModel = u.into();
    am.totp_secret = Set(None);
    am.totp_enabled_at = Set(None);
    am.totp_last_step = Set(None);
    am.update(db).await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    audit::record(
        db,
        actor,
        "auth.two_factor_reset",
        Some(("user", user_id.to_string())),
        serde_json::Value::Null,
    )
    .await
}

/// The current code of a secret, for tests and tools that enrol accounts.
pub fn current_code(secret: &str) -> Result<String> {
    Ok(totp(secret, "x")?.generate(now_secs()).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_rfc_6238_and_tolerate_spaces() {
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        let t = totp(&secret, "admin").unwrap();
        assert_eq!(t.generate(59).to_string(), "287082");
        assert!(t.check(&digits("287 082"), 59).is_some());
        assert!(
            t.check(&digits("287-082"), 89).is_some(),
            "one step of clock skew"
        );
        assert!(t.check("287082", 200).is_none());
        assert!(t.to_url().unwrap().starts_with("otpauth://totp/"));
    }

    #[test]
    fn recovery_codes_hash_the_same_however_typed() {
        assert_eq!(hash_code("ABCDE-FGHJK"), hash_code("abcde fghjk"));
        assert_ne!(hash_code("ABCDE-FGHJK"), hash_code("ABCDE-FGHJL"));
    }

    #[test]
    fn the_board_and_admins_need_it_by_default() {
        assert!(required(&RoleSet::new(vec![Role::BoardMember]), &DEFAULT_ROLES));
        assert!(required(&RoleSet::new(vec![Role::Admin]), &DEFAULT_ROLES));
        assert!(!required(&RoleSet::new(vec![Role::Contributor]), &DEFAULT_ROLES));
        assert!(!required(&RoleSet::new(vec![Role::Admin]), &[]));
    }
}
