//! Page views of published items (issue 15): how many times a day each
//! post, catalogue entry or published answer was read. Only the count is
//! kept — no address, cookie or account — so it is a statistic, not
//! personal data. The server adds views in batches; see `server::tally`.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use crate::entity::page_view;
use crate::error::Result;

/// What kind of item a public page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Viewed {
    Post,
    Entry,
    Question,
}

impl Viewed {
    pub fn as_str(self) -> &'static str {
        match self {
            Viewed::Post => "post",
            Viewed::Entry => "entry",
            Viewed::Question => "question",
        }
    }
}

/// One batch line: `views` more views of an item on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    pub kind: Viewed,
    pub item_id: i32,
    pub day: NaiveDate,
    pub views: u64,
}

/// Adds a batch of counts, one upsert per line, in one transaction.
pub async fn add(db: &sea_orm::DatabaseConnection, counts: &[Count]) -> Result<()> {
    if counts.is_empty() {
        return Ok(());
    }
    let txn = crate::db::begin_write(db).await?;
    for c in counts {
        let row = page_view::ActiveModel {
            kind: Set(c.kind.as_str().to_owned()),
            item_id: Set(c.item_id),
            day: Set(c.day),
            views: Set(i64::try_from(c.views).unwrap_or(i64::MAX)),
        };
        page_view::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    page_view::Column::Kind,
                    page_view::Column::ItemId,
                    page_view::Column::Day,
                ])
                .value(
                    page_view::Column::Views,
                    Expr::col((page_view::Entity, page_view::Column::Views)).add(Expr::col((
                        sea_orm::sea_query::Alias::new("excluded"),
                        page_view::Column::Views,
                    ))),
                )
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// `SUM(views)` as a 64-bit integer (PostgreSQL sums `bigint` into
/// `numeric`).
fn views_sum() -> Expr {
    Expr::col(page_view::Column::Views)
        .sum()
        .cast_as(sea_orm::sea_query::Alias::new("bigint"))
}

/// An item and its views over a period.
#[derive(Clone, Debug, PartialEq, Eq, FromQueryResult, Serialize)]
pub struct Total {
    pub item_id: i32,
    pub views: i64,
}

/// The items of a kind read most from `from` to `to` (inclusive), most
/// read first; ties by the lower id, so the order is stable.
pub async fn most_read(
    db: &impl ConnectionTrait,
    kind: Viewed,
    from: NaiveDate,
    to: NaiveDate,
    limit: u64,
) -> Result<Vec<Total>> {
    let sum = views_sum();
    Ok(page_view::Entity::find()
        .select_only()
        .column(page_view::Column::ItemId)
        .column_as(sum.clone(), "views")
        .filter(page_view::Column::Kind.eq(kind.as_str()))
        .filter(page_view::Column::Day.between(from, to))
        .group_by(page_view::Column::ItemId)
        .order_by_desc(sum)
        .order_by_asc(page_view::Column::ItemId)
        .limit(limit)
        .into_model::<Total>()
        .all(db)
        .await?)
}

/// One item's views per day from `from` on, oldest first.
pub async fn of_item(
    db: &impl ConnectionTrait,
    kind: Viewed,
    item_id: i32,
    from: NaiveDate,
) -> Result<Vec<(NaiveDate, i64)>> {
    Ok(page_view::Entity::find()
        .filter(page_view::Column::Kind.eq(kind.as_str()))
        .filter(page_view::Column::ItemId.eq(item_id))
        .filter(page_view::Column::Day.gte(from))
        .order_by_asc(page_view::Column::Day)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.day, r.views))
        .collect())
}

/// One item's views since it was first read.
pub async fn total_of(db: &impl ConnectionTrait, kind: Viewed, item_id: i32) -> Result<i64> {
    #[derive(FromQueryResult)]
    struct Sum {
        views: Option<i64>,
    }
    let sum = page_view::Entity::find()
        .select_only()
        .column_as(views_sum(), "views")
        .filter(page_view::Column::Kind.eq(kind.as_str()))
        .filter(page_view::Column::ItemId.eq(item_id))
        .into_model::<Sum>()
        .one(db)
        .await?;
    Ok(sum.and_then(|s| s.views).unwrap_or(0))
}

/// Every item's views from `from` to `to` (inclusive), summed in the
/// database (the annual report asks month by month).
pub async fn totals(
    db: &impl ConnectionTrait,
    kind: Viewed,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Total>> {
    Ok(page_view::Entity::find()
        .select_only()
        .column(page_view::Column::ItemId)
        .column_as(views_sum(), "views")
        .filter(page_view::Column::Kind.eq(kind.as_str()))
        .filter(page_view::Column::Day.between(from, to))
        .group_by(page_view::Column::ItemId)
        .into_model::<Total>()
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn db() -> sea_orm::DatabaseConnection {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        db
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[tokio::test]
    async fn batches_add_up_per_item_and_day() {
        let db = db().await;
        let c = |item_id, d, views| Count {
            kind: Viewed::Post,
            item_id,
            day: day(d),
            views,
        };
        add(&db, &[c(1, 1, 3), c(2, 1, 5)]).await.unwrap();
        add(&db, &[c(1, 1, 4), c(1, 2, 1)]).await.unwrap();
        assert_eq!(total_of(&db, Viewed::Post, 1).await.unwrap(), 8);
        assert_eq!(total_of(&db, Viewed::Entry, 1).await.unwrap(), 0);
        let top = most_read(&db, Viewed::Post, day(1), day(2), 5).await.unwrap();
        assert_eq!(
            top,
            vec![Total { item_id: 1, views: 8 }, Total { item_id: 2, views: 5 }]
        );
        let only_second = most_read(&db, Viewed::Post, day(2), day(2), 5).await.unwrap();
        assert_eq!(only_second, vec![Total { item_id: 1, views: 1 }]);
        assert_eq!(
            of_item(&db, Viewed::Post, 1, day(1)).await.unwrap(),
            vec![(day(1), 7), (day(2), 1)]
        );
    }
}
