//! Site search over HTTP: what is published becomes searchable within a
//! second and what is withdrawn disappears as fast; the index rebuilds
//! itself when lost and is replaced by `portal reindex` without a failed
//! query; the query log keeps no personal data.

use std::time::Duration;

use portal_tests::{Desk, TestPortal, assert_problem, desk, on_both_databases};
use reqwest::Method;
use serde_json::{Value, json};

/// The freshness the issue asks for: published or withdrawn within 1 s.
const FRESH: Duration = Duration::from_secs(1);
/// Generous bound for a first build or a rebuild at start.
const BUILD: Duration = Duration::from_secs(30);

async fn news_section(p: &TestPortal, edition: &str) -> i64 {
    let tree: Value = p
        .get(&format!("/api/v1/sections?edition={edition}"), None)
        .await
        .json()
        .await
        .unwrap();
    tree[1]["id"].as_i64().unwrap()
}

async fn act(p: &TestPortal, token: &str, id: i64, action: &str) {
    let resp = p
        .send_json(
            Method::POST,
            &format!("/api/v1/posts/{id}/transitions"),
            Some(token),
            json!({"action": action, "comment": "Theo yêu cầu của Ban biên tập"}),
        )
        .await;
    assert_eq!(resp.status(), 200, "{action}: {}", resp.text().await.unwrap());
}

/// Writes a post and takes it through the chain up to the last approval.
async fn approved(p: &TestPortal, d: &Desk, body: Value) -> i64 {
    let resp = p
        .send_json(Method::POST, "/api/v1/posts", Some(&d.writer), body)
        .await;
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    act(p, &d.writer, id, "submit").await;
    act(p, &d.editor, id, "approve").await;
    act(p, &d.deputy, id, "approve").await;
    id
}

fn ids(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|h| h["id"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Waits until the index is in service (a first start builds it).
async fn ready(p: &TestPortal) {
    let (_, took) = p.poll_json("/api/v1/search?per_page=1", BUILD, |_| true).await;
    assert!(took < BUILD, "the search index never became ready");
}

on_both_databases! {
    async fn published_is_searchable_and_withdrawn_is_gone_within_a_second(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        ready(&p).await;
        let news = news_section(&p, "vi").await;
        let id = approved(&p, &d, json!({"edition": "vi", "section_id": news,
            "title": "Hướng dẫn hưởng bảo hiểm thất nghiệp năm 2026",
            "summary": "Điều kiện, hồ sơ và mức hưởng trợ cấp thất nghiệp.",
            "body": "Người lao động **đóng đủ 12 tháng** bảo hiểm thất nghiệp thì được hưởng trợ cấp.",
            "tags": ["trợ cấp"]})).await;
        let key = format!("post:{id}");
        let url = "/api/v1/search?q=bao+hiem+that+nghiep&edition=vi";
        assert!(!ids(&p.get(url, None).await.json().await.unwrap()).contains(&key));

        act(&p, &d.editor, id, "publish").await;
        let (found, took) = p.poll_json(url, FRESH, |v| ids(v).contains(&key)).await;
        assert!(ids(&found).contains(&key), "not searchable after {took:?}: {found}");
        let hit = &found["hits"][0];
        assert_eq!(hit["kind"], "article");
        assert_eq!(hit["url"], "/vi/tin-tuc/huong-dan-huong-bao-hiem-that-nghiep-nam-2026");
        assert_eq!(hit["section"], "vi-02");
        assert!(hit["published_at"].as_str().unwrap().ends_with("+07:00"));
        assert!(hit["snippet"].as_str().unwrap().contains("<mark>bảo hiểm thất nghiệp</mark>"), "{hit}");
        assert!(found["took_ms"].is_u64());
        assert_eq!(found["facets"]["kind"][0], json!({"value": "article", "label": null, "count": 1}));
        assert_eq!(found["facets"]["section"][0]["label"], "Tin tức");

        // The public page: results without JavaScript, facets as links.
        let html = p.get("/vi/tim-kiem?q=bao+hiem+that+nghiep", None).await.text().await.unwrap();
        assert!(html.contains("Hướng dẫn hưởng <mark>bảo hiểm thất nghiệp</mark> năm 2026"), "{html}");
        assert!(html.contains("href=\"/vi/tim-kiem?q=bao+hiem+that+nghiep&amp;kind=article\""));
        let none = p.get("/en/search?q=zzqxw", None).await.text().await.unwrap();
        assert!(none.contains("No results found.") && none.contains("/en/faqs/ask"));
        let suggest: Value = p.get("/api/v1/search/suggest?q=huong+dan+h", None).await.json().await.unwrap();
        assert_eq!(suggest["suggestions"][0]["id"], key);

        act(&p, &d.editor, id, "unpublish").await;
        let (gone, took) = p.poll_json(url, FRESH, |v| !ids(v).contains(&key)).await;
        assert!(!ids(&gone).contains(&key), "still found after {took:?}");
        p.finish().await;
    }

    async fn bad_searches_get_clear_errors_and_the_log_keeps_no_personal_data(b: Backend) {
        let mut p = TestPortal::start(b).await;
        ready(&p).await;
        let body = assert_problem(p.get("/api/v1/search?q=a&sort=best", None).await, 422, "validation").await;
        assert_eq!(body["field"], "sort");
        assert_problem(p.get("/api/v1/search?from=2026-02-30", None).await, 422, "validation").await;
        assert_problem(p.get("/api/v1/search?per_page=500", None).await, 422, "validation").await;
        assert_problem(p.get("/api/v1/search?edition=fr", None).await, 422, "validation").await;
        let page = p.get("/vi/tim-kiem?q=a&from=hôm+qua", None).await;
        assert_eq!(page.status(), 400);
        assert!(page.text().await.unwrap().contains("role=\"alert\""));

        for q in ["Lương  HƯU", "lương hưu", "hoà bình", "không có gì"] {
            let resp = p.http.get(p.url("/api/v1/search")).query(&[("q", q)])
                .header("x-forwarded-for", "203.0.113.9").send().await.unwrap();
            assert_eq!(resp.status(), 200);
        }
        p.restart().await;
        let admin = p.admin_token().await;
        assert_problem(p.get("/api/v1/search/queries", None).await, 401, "unauthorized").await;
        let report: Value = p.get("/api/v1/search/queries", Some(&admin)).await.json().await.unwrap();
        assert_eq!(report["searches"], 4);
        assert_eq!(report["top"][0], json!({"query": "lương hưu", "count": 2, "results": 0}));
        assert_eq!(report["zero_result_searches"], 4);
        use sea_orm::EntityTrait;
        let rows = content::entity::search_query::Entity::find().all(p.db()).await.unwrap();
        assert_eq!(rows.iter().map(|r| r.searches).sum::<i64>(), 4);
        assert!((3..=4).contains(&rows.len()), "identical searches share a row within a flush: {rows:?}");
        let stored = format!("{rows:?}");
        assert!(!stored.contains("203.0.113.9") && !stored.contains("127.0.0.1"), "{stored}");
        let html = p.get("/editor/search-queries?lang=en", Some(&admin)).await.text().await.unwrap();
        assert!(html.contains("<td>lương hưu</td><td>2</td>"), "{html}");
        assert!(html.contains("id=\"zero-queries\""));
        p.finish().await;
    }

    async fn a_lost_index_is_rebuilt_at_start_and_reindex_swaps_without_a_failed_query(b: Backend) {
        let mut p = TestPortal::start(b).await;
        let d = desk(&p).await;
        ready(&p).await;
        let news = news_section(&p, "vi").await;
        for i in 0..3 {
            let id = approved(&p, &d, json!({"edition": "vi", "section_id": news,
                "title": format!("Đối thoại chính sách số {i}"), "summary": "Đối thoại về chính sách bảo hiểm xã hội.",
                "body": "Nội dung đối thoại."})).await;
            act(&p, &d.editor, id, "publish").await;
        }
        let url = "/api/v1/search?q=doi+thoai";
        let (found, _) = p.poll_json(url, FRESH, |v| v["total"] == 3).await;
        assert_eq!(found["total"], 3);

        // The whole index directory is lost while the server is down.
        let search_dir = p.data_dir().join("search");
        p.restart_after(|| std::fs::remove_dir_all(&search_dir).unwrap()).await;
        let (found, took) = p.poll_json(url, BUILD, |v| v["total"] == 3).await;
        assert_eq!(found["total"], 3, "not rebuilt after {took:?}");

        // Damaged files are found at start too.
        let current = std::fs::read_to_string(search_dir.join("CURRENT")).unwrap();
        p.restart_after(|| {
            for entry in std::fs::read_dir(search_dir.join(current.trim())).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "idx" || e == "store") {
                    // A new file in its place: the stopped server runs in this
                    // process, and truncating a file a lingering merge thread
                    // still maps would kill the test with SIGBUS.
                    let damaged = path.with_extension("damaged");
                    std::fs::write(&damaged, b"garbage").unwrap();
                    std::fs::rename(&damaged, &path).unwrap();
                }
            }
        })
        .await;
        let (found, took) = p.poll_json(url, BUILD, |v| v["total"] == 3).await;
        assert_eq!(found["total"], 3, "not rebuilt after {took:?}");

        // `portal reindex` builds a new generation while queries run.
        let before = std::fs::read_to_string(search_dir.join("CURRENT")).unwrap();
        let client = p.http.clone();
        let query_url = p.url(url);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let querying = {
            let stop = stop.clone();
            tokio::spawn(async move {
                let (mut ok, mut failed) = (0, Vec::new());
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let resp = client.get(&query_url).send().await.unwrap();
                    let status = resp.status().as_u16();
                    let body: Value = resp.json().await.unwrap_or(Value::Null);
                    if status == 200 && body["total"] == 3 { ok += 1 } else { failed.push((status, body)) }
                }
                (ok, failed)
            })
        };
        let config = p.config();
        let db = content::db::connect(&config.database_url).await.unwrap();
        let built = portal::search::indexer::rebuild(&db, &content::media::Store::new(config.data_dir.join("media")), &config.search_dir).await.unwrap();
        assert_eq!(built.documents, 3);
        let mut switched = false;
        for _ in 0..100 {
            let gone = !search_dir.join(before.trim()).exists();
            if gone {
                switched = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let (ok, failed) = querying.await.unwrap();
        assert!(switched, "the server did not switch to the new index");
        assert!(failed.is_empty(), "{} queries failed, e.g. {:?}", failed.len(), failed.first());
        assert!(ok > 10, "{ok} queries ran");
        assert_eq!(std::fs::read_to_string(search_dir.join("CURRENT")).unwrap(), built.name);
        // And the new generation follows the change log.
        let id = approved(&p, &d, json!({"edition": "vi", "section_id": news,
            "title": "Đối thoại sau khi lập lại chỉ mục", "summary": "", "body": "Nội dung."})).await;
        act(&p, &d.editor, id, "publish").await;
        let (found, _) = p.poll_json(url, FRESH, |v| v["total"] == 4).await;
        assert_eq!(found["total"], 4);
        db.close().await.ok();
        p.finish().await;
    }
}
