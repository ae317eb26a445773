//! The statement query runs on a real (SQLite) database.

use content::royalties::rules::Status;
use content::royalties::statements::{Scope, lines};

#[tokio::test]
async fn an_empty_ledger_reads_as_an_empty_statement() {
    let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
    content::db::migrate(&db).await.unwrap();
    content::seed::run(&db).await.unwrap();
    let scope = Scope {
        status: Status::Paid,
        from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1),
        to: None,
        holders: vec![1, 2],
        user_id: None,
        name: None,
        unit_id: None,
        genre: None,
    };
    let rows = lines(&db, &scope).await.unwrap();
    assert!(rows.is_empty());
}
