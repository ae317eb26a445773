//! Work done once a day whatever the number of nodes (the Q&A and
//! information-deadline reminders, the scheduled backup): a node claims
//! the job's day by inserting its row, and only the node whose insert
//! took does the work. A failed run gives the day back to be retried.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait, Statement};

use crate::entity::daily_run;
use crate::error::Result;

/// The jobs, by name.
pub const REMINDERS: &str = "reminders";
pub const BACKUP: &str = "backup";
/// The daily digest of the editor's notifications.
pub const DIGEST: &str = "digest";

/// Claims `job` for `day`; `false` when another node (or an earlier run)
/// has it.
pub async fn claim(db: &impl ConnectionTrait, job: &str, day: NaiveDate) -> Result<bool> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "INSERT INTO daily_runs (job, day, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
        }
        _ => "INSERT OR IGNORE INTO daily_runs (job, day, started_at) VALUES (?, ?, ?)",
    };
    let res = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [job.into(), day.into(), crate::time::now().into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Gives a claimed day back, so that a failed run is retried.
pub async fn release(db: &impl ConnectionTrait, job: &str, day: NaiveDate) -> Result<()> {
    daily_run::Entity::delete_by_id((job.to_owned(), day))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_day_is_claimed_once_per_job() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert!(claim(&db, REMINDERS, day).await.unwrap());
        assert!(!claim(&db, REMINDERS, day).await.unwrap());
        assert!(claim(&db, BACKUP, day).await.unwrap());
        release(&db, REMINDERS, day).await.unwrap();
        assert!(claim(&db, REMINDERS, day).await.unwrap());
    }
}
