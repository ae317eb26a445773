//! The change log: an ordered record of every change to what the public
//! can see, appended in the same transaction as the change. Every reader
//! of it on every node — the search indexer, the public catalogue, the
//! page cache — follows it with a [`Follower`], so a node can catch up
//! after a restart or be rebuilt from scratch, and none of them misses an
//! entry whose transaction committed late.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::change;
use crate::error::Result;
use crate::lang::Lang;

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
    edition: Lang,
) -> Result<change::Model> {
    Ok(change::ActiveModel {
        at: Set(crate::time::now()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        action: Set(kind.as_str().to_owned()),
        edition: Set(edition.as_str().to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Entries after `cursor`, oldest first.
async fn since(db: &impl ConnectionTrait, cursor: i64, limit: u64) -> Result<Vec<change::Model>> {
    Ok(change::Entity::find()
        .filter(change::Column::Id.gt(cursor))
        .order_by_asc(change::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// On PostgreSQL ids are handed out before commit, so a lower id can
/// appear after a higher one. A follower waits this long at a hole before
/// deciding it belongs to a rolled-back transaction. (SQLite has one
/// writer at a time: its ids commit in order and never leave holes.)
pub const GAP_GRACE: TimeDelta = TimeDelta::seconds(10);

/// The id to start following from after loading the current state of
/// everything: the newest entry older than [`GAP_GRACE`] (0 if none).
/// Entries of transactions still committing when the load began are
/// replayed afterwards; replaying is harmless, since readers apply the
/// current state of each entity.
pub async fn settled_head(db: &impl ConnectionTrait) -> Result<i64> {
    Ok(change::Entity::find()
        .filter(change::Column::At.lt(crate::time::now() - GAP_GRACE))
        .order_by_desc(change::Column::Id)
        .limit(1)
        .one(db)
        .await?
        .map_or(0, |c| c.id))
}

/// A reader's position in the change log. Entries are handed out once
/// each, in id order, including entries that commit after a later id was
/// already handed out: the cursor stops at a hole until it fills or grows
/// older than [`GAP_GRACE`].
#[derive(Clone, Debug)]
pub struct Follower {
    /// Every entry up to here has been handed out.
    cursor: i64,
    /// Entries past a hole, already handed out.
    handed: BTreeSet<i64>,
}

/// The entries a reader must apply, and where the follower stands once
/// they are applied.
#[derive(Debug)]
pub struct Batch {
    /// New entries, oldest first.
    pub entries: Vec<change::Model>,
    /// The cursor once these are applied; a reader that persists its
    /// position (the search index) stores this.
    pub cursor: i64,
    /// More entries wait beyond this batch.
    pub more: bool,
}

impl Batch {
    /// The distinct ids of one kind of entity in the batch.
    pub fn ids_of(&self, entity: &str) -> Vec<i32> {
        let mut ids: Vec<i32> = self
            .entries
            .iter()
            .filter(|e| e.entity == entity)
            .map(|e| e.entity_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

impl Follower {
    /// Follows from just after `cursor`.
    pub fn new(cursor: i64) -> Self {
        Follower {
            cursor,
            handed: BTreeSet::new(),
        }
    }

    pub fn cursor(&self) -> i64 {
        self.cursor
    }

    /// Reads up to `limit` entries past the cursor and picks those not yet
    /// handed out. Call [`Follower::done`] once the reader applied them.
    pub async fn next(&self, db: &impl ConnectionTrait, limit: u64) -> Result<Batch> {
        let read = since(db, self.cursor, limit).await?;
        Ok(self.pick(read, limit, crate::time::now()))
    }

    /// The batch of entries `read` past the cursor (at most `limit`).
    fn pick(&self, read: Vec<change::Model>, limit: u64, now: DateTime<Utc>) -> Batch {
        let full = read.len() as u64 == limit;
        let cursor = advance(self.cursor, &read, now);
        let entries = read
            .into_iter()
            .filter(|e| !self.handed.contains(&e.id))
            .collect();
        Batch {
            entries,
            cursor,
            more: full && cursor > self.cursor,
        }
    }

    /// Records a batch as applied.
    pub fn done(&mut self, batch: &Batch) {
        self.handed.extend(batch.entries.iter().map(|e| e.id));
        self.cursor = self.cursor.max(batch.cursor);
        let cursor = self.cursor;
        self.handed.retain(|id| *id > cursor);
    }
}

/// The new cursor: past every entry whose predecessors are all known, and
/// past holes older than [`GAP_GRACE`].
fn advance(cursor: i64, entries: &[change::Model], now: DateTime<Utc>) -> i64 {
    let mut cursor = cursor;
    for e in entries {
        if e.id == cursor + 1 || now - e.at >= GAP_GRACE {
            cursor = e.id;
        } else {
            break;
        }
    }
    cursor
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, seconds_ago: i64, now: DateTime<Utc>) -> change::Model {
        change::Model {
            id,
            at: now - TimeDelta::seconds(seconds_ago),
            entity: "post".into(),
            entity_id: id as i32,
            action: "publish".into(),
            edition: "vi".into(),
        }
    }

    #[test]
    fn the_cursor_stops_at_a_fresh_hole() {
        let now = Utc::now();
        let entries = [
            entry(11, 1, now),
            entry(12, 1, now),
            entry(14, 1, now),
            entry(15, 0, now),
        ];
        assert_eq!(advance(10, &entries, now), 12);
    }

    #[test]
    fn the_cursor_passes_an_old_hole() {
        let now = Utc::now();
        let entries = [
            entry(11, 60, now),
            entry(14, 30, now),
            entry(15, 0, now),
            entry(17, 0, now),
        ];
        assert_eq!(advance(10, &entries, now), 15);
    }

    #[test]
    fn an_entry_past_a_hole_is_handed_out_once_and_the_late_one_after() {
        let now = Utc::now();
        let mut f = Follower::new(10);
        let first = f.pick(vec![entry(12, 0, now)], 100, now);
        assert_eq!(first.cursor, 10, "the hole at 11 holds the cursor");
        assert_eq!(first.entries.len(), 1);
        f.done(&first);
        let second = f.pick(vec![entry(11, 0, now), entry(12, 0, now)], 100, now);
        let ids: Vec<i64> = second.entries.iter().map(|e| e.id).collect();
        assert_eq!(ids, vec![11], "12 is not handed out twice");
        f.done(&second);
        assert_eq!(f.cursor(), 12);
        assert!(f.handed.is_empty());
        let third = f.pick(Vec::new(), 100, now);
        assert!(third.entries.is_empty() && third.cursor == 12 && !third.more);
    }

    #[test]
    fn a_hole_older_than_the_grace_is_given_up() {
        let now = Utc::now();
        let f = Follower::new(10);
        let b = f.pick(vec![entry(12, 11, now), entry(13, 0, now)], 100, now);
        assert_eq!(b.cursor, 13);
    }

    #[test]
    fn batches_name_each_entity_once() {
        let now = Utc::now();
        let mut a = entry(1, 0, now);
        a.entity_id = 7;
        let mut b = entry(2, 0, now);
        b.entity_id = 7;
        let mut c = entry(3, 0, now);
        c.entity = "question".into();
        let batch = Batch {
            entries: vec![a, b, c],
            cursor: 3,
            more: false,
        };
        assert_eq!(batch.ids_of("post"), vec![7]);
        assert_eq!(batch.ids_of("question"), vec![3]);
    }
}
