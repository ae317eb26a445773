//! Preview links: a draft shown as its public page would be, to whoever
//! holds the link (a board member on a phone, say) for two days. Only
//! editorial staff make them; the token is random and kept in the
//! database, so any node answers it.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{Full, get};
use crate::accounts::Account;
use crate::entity::preview_link;
use crate::error::{Error, Result};

/// How long a preview link works.
pub const VALID_FOR: Duration = Duration::hours(48);

/// Makes a preview link's token for the post.
pub async fn create(db: &impl ConnectionTrait, who: &Account, post_id: i32) -> Result<preview_link::Model> {
    if !who.roles.any(&crate::roles::EDITORIAL_STAFF) {
        return Err(Error::Forbidden("preview links are for editorial staff".into()));
    }
    get(db, post_id).await?;
    let now = crate::time::now();
    preview_link::Entity::delete_many()
        .filter(preview_link::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    Ok(preview_link::ActiveModel {
        token: Set(crate::accounts::random_token(32)),
        post_id: Set(post_id),
        created_by: Set(who.user.id),
        created_at: Set(now),
        expires_at: Set(now + VALID_FOR),
    }
    .insert(db)
    .await?)
}

/// The post a live token shows, with its working revision as it is now.
pub async fn open(db: &impl ConnectionTrait, token: &str) -> Result<Option<Full>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(link) = preview_link::Entity::find_by_id(token.to_owned())
        .filter(preview_link::Column::ExpiresAt.gt(crate::time::now()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(get(db, link.post_id).await.ok())
}
