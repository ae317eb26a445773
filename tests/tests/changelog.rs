//! Every reader of the change log follows it with one follower: a
//! publication whose change-log row commits after a later one (possible on
//! PostgreSQL, where ids are taken before commit) still reaches the search
//! index, the public catalogue (section list, feed, sitemap) and the page
//! cache of another node.

use std::time::Duration;

use portal_tests::{Backend, TestPortal, desk};
use reqwest::Method;
use sea_orm::{ConnectionTrait, Database, TransactionTrait};
use serde_json::{Value, json};

async fn act(p: &TestPortal, token: &str, id: i64, action: &str) -> reqwest::Response {
    p.send_json(
        Method::POST,
        &format!("/api/v1/posts/{id}/transitions"),
        Some(token),
        json!({ "action": action }),
    )
    .await
}

async fn ok(p: &TestPortal, token: &str, id: i64, action: &str) -> Value {
    let resp = act(p, token, id, action).await;
    assert_eq!(resp.status(), 200, "{action}: {}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn text(p: &TestPortal, path: &str) -> String {
    p.get(path, None).await.text().await.unwrap()
}

/// Polls `check` on the other node until it holds, for at most 15 s (the
/// change log's gap grace is 10 s).
async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    for _ in 0..150 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}");
}

async fn shows_everywhere(other: &TestPortal, title: &str) {
    for path in ["/vi/tin-tuc", "/vi/tin-tuc/rss.xml", "/vi/rss.xml"] {
        eventually(
            &format!("{path} on the other node shows “{title}”"),
            async || text(other, path).await.contains(title),
        )
        .await;
    }
    let slug = content::text::slugify(title);
    eventually("the sitemap of the other node lists it", async || {
        text(other, "/sitemap.xml").await.contains(&slug)
    })
    .await;
    let query: String = form_query(title);
    eventually("the other node's search index has it", async || {
        let v: Value = other
            .get(&format!("/api/v1/search?q={query}"), None)
            .await
            .json()
            .await
            .unwrap_or_default();
        v["hits"]
            .as_array()
            .is_some_and(|h| h.iter().any(|h| h["title"] == title))
    })
    .await;
}

fn form_query(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_late_commit_reaches_every_reader_of_another_node() {
    let p = TestPortal::start(Backend::Postgres).await;
    let other = p.sibling().await;
    let d = desk(&p).await;
    let sections: Value = p
        .get("/api/v1/sections?edition=vi", None)
        .await
        .json()
        .await
        .unwrap();
    let news = sections[1]["id"].as_i64().unwrap();
    let create = async |title: &str, publish_at: Option<String>| -> i64 {
        let resp = p
            .send_json(
                Method::POST,
                "/api/v1/posts",
                Some(&d.writer),
                json!({"edition": "vi", "section_id": news, "title": title, "body": "Nội dung", "publish_at": publish_at}),
            )
            .await;
        assert_eq!(resp.status(), 201);
        let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        ok(&p, &d.writer, id, "submit").await;
        ok(&p, &d.editor, id, "approve").await;
        ok(&p, &d.deputy, id, "approve").await;
        id
    };
    // B goes live by the scheduler (which writes no audit entry) in 5 s.
    let at = chrono::Utc::now() + chrono::Duration::seconds(5);
    let late_title = "Công bố chậm giao dịch";
    let early_title = "Thông báo hẹn giờ sớm";
    let b_id = create(early_title, Some(at.to_rfc3339())).await;
    assert_eq!(
        ok(&p, &d.editor, b_id, "publish").await["post"]["state"],
        "scheduled"
    );
    let a_id = create(late_title, None).await;
    // Warm the other node's page cache.
    for path in [
        "/vi/tin-tuc",
        "/vi/tin-tuc/rss.xml",
        "/vi/rss.xml",
        "/sitemap.xml",
    ] {
        text(&other, path).await;
    }

    // Hold A's publication open after it took its change-log id: its audit
    // entry waits for this lock.
    let db = Database::connect(p.config().database_url.as_str()).await.unwrap();
    let lock = db.begin().await.unwrap();
    lock.execute_unprepared("LOCK TABLE audit_log IN SHARE MODE")
        .await
        .unwrap();
    let publishing = {
        let (http, url, token) = (
            p.http.clone(),
            p.url(&format!("/api/v1/posts/{a_id}/transitions")),
            d.editor.clone(),
        );
        tokio::spawn(async move {
            http.post(url)
                .bearer_auth(token)
                .json(&json!({"action": "publish"}))
                .send()
                .await
                .unwrap()
                .status()
        })
    };
    // B's publication commits with a higher id while A's is still open.
    shows_everywhere(&other, early_title).await;
    assert!(!publishing.is_finished(), "A's publication is still held");
    assert!(!text(&other, "/vi/tin-tuc").await.contains(late_title));
    lock.commit().await.unwrap();
    assert_eq!(publishing.await.unwrap(), 200);
    shows_everywhere(&other, late_title).await;

    let ids: Vec<(i64, i32)> = {
        use sea_orm::{EntityTrait, QueryOrder};
        content::entity::change::Entity::find()
            .order_by_asc(content::entity::change::Column::Id)
            .all(p.db())
            .await
            .unwrap()
            .into_iter()
            .filter(|c| c.entity == "post")
            .map(|c| (c.id, c.entity_id))
            .collect()
    };
    let id_of = |post: i64| {
        ids.iter()
            .find(|(_, e)| i64::from(*e) == post)
            .map(|(id, _)| *id)
            .unwrap()
    };
    assert!(
        id_of(a_id) < id_of(b_id),
        "A's entry has the lower id but committed last"
    );
    db.close().await.ok();
    other.finish().await;
    p.finish().await;
}
