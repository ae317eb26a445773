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
