//! The weekly check of the links to other portals (Đ3.5, Đ12): each live
//! link's last answer, and the broken ones for the administrators. The
//! checking itself (HTTP) is the server's; what counts as broken is here.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::kinds::LINK;
use super::{fields, public};
use crate::entity::link_check;
use crate::error::Result;

/// How often every link is checked.
pub const EVERY: chrono::Duration = chrono::Duration::days(7);

/// Whether an answer means the link is broken: no answer, or a client or
/// server error (a redirect that ends well is followed before this).
pub fn is_broken(status: Option<i32>) -> bool {
    status.is_none_or(|s| s >= 400)
}

/// The live links to check: (entry id, address).
pub async fn to_check(db: &impl ConnectionTrait) -> Result<Vec<(i32, String)>> {
    Ok(public::live_all(db, &LINK, None)
        .await?
        .into_iter()
        .map(|(e, data)| (e.id, fields::text(&data, "url").to_owned()))
        .filter(|(_, url)| !url.is_empty())
        .collect())
}

/// Records a link's answer: its status, or why there was none.
pub async fn record(
    db: &impl ConnectionTrait,
    entry_id: i32,
    url: &str,
    outcome: std::result::Result<u16, String>,
    at: DateTime<Utc>,
) -> Result<()> {
    let (status, error) = match outcome {
        Ok(s) => (Some(i32::from(s)), None),
        Err(e) => (None, Some(e.chars().take(300).collect::<String>())),
    };
    link_check::Entity::insert(link_check::ActiveModel {
        entry_id: Set(entry_id),
        url: Set(url.to_owned()),
        status: Set(status),
        error: Set(error),
        checked_at: Set(at),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(link_check::Column::EntryId)
            .update_columns([
                link_check::Column::Url,
                link_check::Column::Status,
                link_check::Column::Error,
                link_check::Column::CheckedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// When the links were last checked, if ever.
pub async fn last_run(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>> {
    Ok(link_check::Entity::find()
        .order_by_desc(link_check::Column::CheckedAt)
        .one(db)
        .await?
        .map(|c| c.checked_at))
}

/// The last answers of the links still live, broken ones first.
pub async fn results(db: &impl ConnectionTrait, broken_only: bool) -> Result<Vec<link_check::Model>> {
    let live: Vec<i32> = to_check(db).await?.into_iter().map(|(id, _)| id).collect();
    let mut rows: Vec<link_check::Model> = link_check::Entity::find()
        .filter(link_check::Column::EntryId.is_in(live))
        .order_by_asc(link_check::Column::EntryId)
        .all(db)
        .await?
        .into_iter()
        .filter(|c| !broken_only || is_broken(c.status))
        .collect();
    rows.sort_by_key(|c| !is_broken(c.status));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_and_no_answer_are_broken() {
        assert!(is_broken(None));
        assert!(is_broken(Some(404)));
        assert!(is_broken(Some(503)));
        assert!(!is_broken(Some(200)));
        assert!(!is_broken(Some(204)));
    }
}
