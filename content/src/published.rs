//! What the public sees changes only through the change log; this module
//! answers the one question every node asks many times a second.

use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QuerySelect};

use crate::error::Result;

/// A cheap "has anything public changed?" probe for the page caches of
/// every node: the newest change-log id and the last section change.
pub async fn generation(db: &impl ConnectionTrait) -> Result<(i64, i64)> {
    use crate::entity::{change, section};
    let last_change = change::Entity::find()
        .order_by_desc(change::Column::Id)
        .limit(1)
        .one(db)
        .await?;
    let last_section = section::Entity::find()
        .order_by_desc(section::Column::UpdatedAt)
        .limit(1)
        .one(db)
        .await?;
    let c = last_change.map(|c| c.id).unwrap_or(0);
    let s = last_section.map(|s| s.updated_at.timestamp_micros()).unwrap_or(0);
    Ok((c, s))
}
