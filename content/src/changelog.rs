//! The change log: an ordered record of every change to what the public
//! can see, appended in the same transaction as the change. The search
//! indexer and page caches of every node read it from a cursor, so a node
//! can catch up after a restart or be rebuilt from scratch.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::change;
use crate::error::Result;

/// What happened to a public item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Publish,
    Update,
    Unpublish,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Publish => "publish",
            ChangeKind::Update => "update",
            ChangeKind::Unpublish => "unpublish",
        }
    }
}

/// Appends one entry; call it inside the transaction making the change.
pub async fn append(
    db: &impl ConnectionTrait,
    entity: &str,
    entity_id: i32,
    kind: ChangeKind,
    edition: &str,
) -> Result<change::Model> {
    Ok(change::ActiveModel {
        at: Set(crate::time::now()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        action: Set(kind.as_str().to_owned()),
        edition: Set(edition.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Entries after `cursor`, oldest first.
pub async fn since(db: &impl ConnectionTrait, cursor: i64, limit: u64) -> Result<Vec<change::Model>> {
    Ok(change::Entity::find()
        .filter(change::Column::Id.gt(cursor))
        .order_by_asc(change::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// The id of the newest entry written before `before` (0 if none). A full
/// rebuild records this as its cursor rather than the very latest id, so
/// that entries of transactions still committing when it started are
/// replayed afterwards (replaying is harmless: readers apply the current
/// state of each entity).
pub async fn settled_head(db: &impl ConnectionTrait, before: chrono::DateTime<chrono::Utc>) -> Result<i64> {
    Ok(change::Entity::find()
        .filter(change::Column::At.lt(before))
        .order_by_desc(change::Column::Id)
        .limit(1)
        .one(db)
        .await?
        .map_or(0, |c| c.id))
}
