//! The search query log, for the portal's annual report (what citizens look
//! for, and what they look for in vain). It stores the normalised query,
//! the number of results and the time taken — never who searched: no
//! address, no session, no account.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::entity::search_query;
use crate::error::Result;

/// Identical searches to log: same edition, text and result count, from
/// `at` on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub at: DateTime<Utc>,
    pub edition: String,
    /// Normalised query text; empty queries are not logged.
    pub query: String,
    pub results: i64,
    /// The longest of the searches.
    pub took_ms: i32,
    /// How many searches; at least 1.
    pub searches: i64,
}

/// Writes a batch of entries in one statement.
pub async fn record(db: &impl ConnectionTrait, entries: &[Entry]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let rows = entries.iter().map(|e| search_query::ActiveModel {
        at: Set(e.at),
        edition: Set(e.edition.clone()),
        query: Set(e.query.clone()),
        results: Set(e.results),
        took_ms: Set(e.took_ms),
        searches: Set(Ord::max(e.searches, 1)),
        ..Default::default()
    });
    search_query::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// A query and how often it was searched in the period.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Counted {
    pub query: String,
    pub count: i64,
    /// The most results any of its searches found in the period.
    pub results: i64,
}

/// Searches of a period, for the report.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Report {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Every search logged in the period.
    pub searches: i64,
    /// Searches that found nothing.
    pub zero_result_searches: i64,
    /// Most frequent queries, most frequent first.
    pub top: Vec<Counted>,
    /// Most frequent queries that found nothing.
    pub top_zero: Vec<Counted>,
}

/// Top queries and top zero-result queries in `[from, to)`.
pub async fn report(
    db: &impl ConnectionTrait,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: u64,
) -> Result<Report> {
    let in_period = || {
        search_query::Entity::find()
            .filter(search_query::Column::At.gte(from))
            .filter(search_query::Column::At.lt(to))
    };
    let searches = count(db, in_period()).await?;
    let zero_result_searches = count(db, in_period().filter(search_query::Column::Results.eq(0))).await?;
    let top = grouped(in_period(), limit).all(db).await?;
    let top_zero = grouped(in_period().filter(search_query::Column::Results.eq(0)), limit)
        .all(db)
        .await?;
    let counted = |rows: Vec<(String, i64, i64)>| {
        rows.into_iter()
            .map(|(query, count, results)| Counted {
                query,
                count,
                results,
            })
            .collect()
    };
    Ok(Report {
        from,
        to,
        searches,
        zero_result_searches,
        top: counted(top),
        top_zero: counted(top_zero),
    })
}

/// Deletes entries older than `before` (retention).
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    let done = search_query::Entity::delete_many()
        .filter(search_query::Column::At.lt(before))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// `SUM(searches)` as a 64-bit integer on every database (PostgreSQL sums
/// bigints as numeric).
fn searches() -> Expr {
    Expr::expr(Func::sum(Expr::col(search_query::Column::Searches))).cast_as(Alias::new("BIGINT"))
}

async fn count(db: &impl ConnectionTrait, select: sea_orm::Select<search_query::Entity>) -> Result<i64> {
    let n: Option<Option<i64>> = select
        .select_only()
        .column_as(searches(), "n")
        .into_tuple()
        .one(db)
        .await?;
    Ok(n.flatten().unwrap_or(0))
}

fn grouped(
    select: sea_orm::Select<search_query::Entity>,
    limit: u64,
) -> sea_orm::Selector<sea_orm::SelectGetableTuple<(String, i64, i64)>> {
    select
        .select_only()
        .column(search_query::Column::Query)
        .column_as(searches(), "n")
        .column_as(search_query::Column::Results.max(), "r")
        .group_by(search_query::Column::Query)
        .order_by(searches(), Order::Desc)
        .order_by(search_query::Column::Query, Order::Asc)
        .limit(limit)
        .into_tuple()
}
