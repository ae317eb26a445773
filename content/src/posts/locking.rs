//! Editing locks: one editor at a time, for a while, so two people do
//! not overwrite each other; an administrator can break a lock (audited).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
};

use super::get_post;
use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::entity::post;
use crate::error::{Error, Result};

/// How long an editing lock lasts without activity.
pub const LOCK_TTL: Duration = Duration::minutes(15);

/// Who holds a live lock on the post, other than `me`.
pub(super) fn held_by_other(p: &post::Model, me: i32, now: DateTime<Utc>) -> Option<(i32, DateTime<Utc>)> {
    match (p.lock_user_id, p.lock_expires_at) {
        (Some(u), Some(until)) if u != me && until > now => Some((u, until)),
        _ => None,
    }
}

pub(super) async fn locked_error(db: &impl ConnectionTrait, holder: i32, until: DateTime<Utc>) -> Error {
    let name = match crate::accounts::get(db, holder).await {
        Ok(a) => format!("{} ({})", a.user.display_name, a.user.username),
        Err(_) => format!("user {holder}"),
    };
    Error::Locked { holder: name, until }
}

/// Takes or renews the editing lock. Refused while someone else holds it.
pub async fn lock(db: &DatabaseConnection, who: &Account, id: i32) -> Result<post::Model> {
    let p = get_post(db, id).await?;
    let now = crate::time::now();
    if let Some((holder, until)) = held_by_other(&p, who.user.id, now) {
        return Err(locked_error(db, holder, until).await);
    }
    let res = post::Entity::update_many()
        .col_expr(post::Column::LockUserId, Expr::value(Some(who.user.id)))
        .col_expr(post::Column::LockExpiresAt, Expr::value(Some(now + LOCK_TTL)))
        .filter(post::Column::Id.eq(id))
        .filter(
            post::Column::LockUserId
                .is_null()
                .or(post::Column::LockUserId.eq(who.user.id))
                .or(post::Column::LockExpiresAt.lte(now)),
        )
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        let p = get_post(db, id).await?;
        if let Some((holder, until)) = held_by_other(&p, who.user.id, now) {
            return Err(locked_error(db, holder, until).await);
        }
    }
    get_post(db, id).await
}

/// Releases the lock: the holder may, and an admin may break another's.
pub async fn unlock(db: &DatabaseConnection, actor: &Actor, who: &Account, id: i32) -> Result<post::Model> {
    let p = get_post(db, id).await?;
    let now = crate::time::now();
    if let Some((holder, _)) = held_by_other(&p, who.user.id, now) {
        if !who.roles.is_admin() {
            return Err(Error::Forbidden(
                "only an admin can break another user's lock".into(),
            ));
        }
        audit::record(
            db,
            actor,
            "post.lock_break",
            Some(("post", id.to_string())),
            serde_json::json!({"holder": holder}),
        )
        .await?;
    }
    let mut am: post::ActiveModel = p.into();
    am.lock_user_id = Set(None);
    am.lock_expires_at = Set(None);
    Ok(am.update(db).await?)
}

/// Releases the lock if `user_id` holds it, and nothing else: leaving the
/// edit page and acting on the post (a submission, an approval) end one's
/// own editing, never another's.
pub async fn release_own(db: &impl ConnectionTrait, user_id: i32, id: i32) -> Result<()> {
    post::Entity::update_many()
        .col_expr(post::Column::LockUserId, Expr::value(Option::<i32>::None))
        .col_expr(
            post::Column::LockExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(post::Column::Id.eq(id))
        .filter(post::Column::LockUserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
