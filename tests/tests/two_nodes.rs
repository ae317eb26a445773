//! Two `portal serve` nodes on one PostgreSQL database and one shared
//! data directory (media, outbox, backups), each with its own search
//! index replica, as README's "Two nodes" describes: a publication on one
//! shows on the other's pages and search within a second; the daily
//! reminders and the scheduled backup run once, whichever node gets there
//! first.

use std::time::{Duration, Instant};

use portal_tests::{Backend, TestPortal, desk};
use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

async fn count(p: &TestPortal, job: &str) -> i64 {
    let row = p
        .db()
        .query_one_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            format!("SELECT COUNT(*) AS n FROM daily_runs WHERE job = '{job}'"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

#[tokio::test]
async fn two_nodes_share_the_work_and_show_the_same_portal() {
    let backups = tempfile::tempdir().unwrap();
    let dir = backups.path().display().to_string();
    let a = TestPortal::start_with(
        Backend::Postgres,
        &[
            ("PORTAL_BACKUP_DIR", dir.as_str()),
            ("PORTAL_BACKUP_HOUR", "0"),
            ("PORTAL_BACKUP_KEEP", "3"),
            ("PORTAL_REMINDER_HOUR", "0"),
        ],
    )
    .await;
    let b = a.second_node().await;
    let d = desk(&a).await;
    let tree: Value = a
        .get("/api/v1/sections?edition=vi", None)
        .await
        .json()
        .await
        .unwrap();
    let post: Value = a
        .send_json(
            Method::POST,
            "/api/v1/posts",
            Some(&d.writer),
            json!({
        "edition": "vi", "section_id": tree[1]["id"], "title": "Hai máy chủ cùng một cổng",
        "summary": "Tin đăng trên máy thứ nhất.", "body": "Nội dung về chế độ thai sản hai nút."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = post["id"].as_i64().unwrap();
    let published = Instant::now();
    for (token, action) in [
        (&d.writer, "submit"),
        (&d.editor, "approve"),
        (&d.deputy, "approve"),
        (&d.editor, "publish"),
    ] {
        let r = a
            .send_json(
                Method::POST,
                &format!("/api/v1/posts/{id}/transitions"),
                Some(token),
                json!({"action": action, "comment": "Đồng ý"}),
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    let full: Value = a
        .get(&format!("/api/v1/posts/{id}"), Some(&d.editor))
        .await
        .json()
        .await
        .unwrap();
    let url = full["public_url"].as_str().unwrap().to_owned();

    // The other node's page and search, within a second.
    let (mut page_ok, mut found) = (false, false);
    while published.elapsed() < Duration::from_secs(1) && !(page_ok && found) {
        page_ok = page_ok || b.get(&url, None).await.status() == 200;
        if !found {
            let r: Value = b
                .get("/api/v1/search?q=hai%20n%C3%BAt", None)
                .await
                .json()
                .await
                .unwrap_or(Value::Null);
            found = r["total"].as_u64().unwrap_or(0) >= 1;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        page_ok,
        "the article did not show on the second node within a second"
    );
    assert!(found, "the second node's search did not find it within a second");

    // Both schedulers tick every second: the day's backup and reminders
    // are claimed once.
    let start = Instant::now();
    while portal::backup::list(backups.path()).unwrap().is_empty()
        && start.elapsed() < Duration::from_secs(20)
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        portal::backup::list(backups.path()).unwrap().len(),
        1,
        "one backup for both nodes"
    );
    assert_eq!(count(&a, "backup").await, 1);
    assert_eq!(count(&a, "reminders").await, 1);
    b.finish().await;
    a.finish().await;
}
