//! The editorial workflow over HTTP (Đ6.2a, Đ6.3b, Đ7.1c, Đ8.3), on
//! SQLite and PostgreSQL.

use portal_tests::{TestPortal, assert_problem, on_both_databases};
use reqwest::Method;
use serde_json::{Value, json};

/// A section's id by its position (1-based) in an edition's tree.
async fn section(p: &TestPortal, edition: &str, index: usize) -> i64 {
    let tree: Value = p
        .get(&format!("/api/v1/sections?edition={edition}"), None)
        .await
        .json()
        .await
        .unwrap();
    tree[index - 1]["id"].as_i64().unwrap()
}

/// The board and newsroom used by most tests: username → token.
struct Team {
    admin: String,
    contributor: String,
    editor: String,
    editor2: String,
    deputy: String,
    head: String,
    member: String,
    head_id: i64,
    member_id: i64,
}

async fn team(p: &TestPortal) -> Team {
    let admin = p.admin_token().await;
    p.create_user(&admin, "congtacvien", &["contributor"]).await;
    p.create_user(&admin, "bientap", &["editor"]).await;
    p.create_user(&admin, "bientap2", &["editor"]).await;
    p.create_user(&admin, "phoban", &["board_deputy_standing"]).await;
    let head_id = p.create_user(&admin, "truongban", &["board_head"]).await;
    let member_id = p.create_user(&admin, "uyvien", &["board_member"]).await;
    Team {
        contributor: p
            .login("congtacvien", &portal_tests::password_of("congtacvien"))
            .await,
        editor: p.login("bientap", &portal_tests::password_of("bientap")).await,
        editor2: p.login("bientap2", &portal_tests::password_of("bientap2")).await,
        deputy: p.login("phoban", &portal_tests::password_of("phoban")).await,
        head: p
            .login("truongban", &portal_tests::password_of("truongban"))
            .await,
        member: p.login("uyvien", &portal_tests::password_of("uyvien")).await,
        admin,
        head_id,
        member_id,
    }
}

async fn create(p: &TestPortal, token: &str, body: Value) -> Value {
    let resp = p
        .send_json(Method::POST, "/api/v1/posts", Some(token), body)
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn act(p: &TestPortal, token: &str, id: i64, action: &str, comment: Option<&str>) -> reqwest::Response {
    p.send_json(
        Method::POST,
        &format!("/api/v1/posts/{id}/transitions"),
        Some(token),
        json!({"action": action, "comment": comment}),
    )
    .await
}

async fn ok(p: &TestPortal, token: &str, id: i64, action: &str, comment: Option<&str>) -> Value {
    let resp = act(p, token, id, action, comment).await;
    assert_eq!(resp.status(), 200, "{action}: {}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn post(p: &TestPortal, token: &str, id: i64) -> Value {
    p.get(&format!("/api/v1/posts/{id}"), Some(token))
        .await
        .json()
        .await
        .unwrap()
}

/// Asserts a refusal and that the post did not move.
async fn refused(p: &TestPortal, token: &str, id: i64, action: &str, status: u16, observer: &str) {
    let before = post(p, observer, id).await;
    let resp = act(p, token, id, action, Some("thử")).await;
    assert_eq!(
        resp.status().as_u16(),
        status,
        "{action} should be refused: {}",
        resp.text().await.unwrap()
    );
    let after = post(p, observer, id).await;
    assert_eq!(
        (before["state"].clone(), before["step"].clone()),
        (after["state"].clone(), after["step"].clone())
    );
}

async fn change_log(p: &TestPortal, id: i64) -> Vec<String> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    content::entity::change::Entity::find()
        .filter(content::entity::change::Column::EntityId.eq(id as i32))
        .order_by_asc(content::entity::change::Column::Id)
        .all(p.db())
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.action)
        .collect()
}

on_both_databases! {
    async fn statistics_need_three_approvals(b: Backend) {
        let p = TestPortal::start(b).await;
        let t = team(&p).await;
        let statistics = section(&p, "vi", 17).await;
        let chain: Value = p.get(&format!("/api/v1/sections/{statistics}/chain"), Some(&t.editor)).await.json().await.unwrap();
        assert_eq!(chain, json!([{"role": "editor", "unit_id": null}, {"role": "board_deputy_standing", "unit_id": null}, {"role": "board_head", "unit_id": null}]));
        let created = create(&p, &t.contributor, json!({
            "edition": "vi", "section_id": statistics, "title": "Số liệu tham gia BHXH quý III/2026",
            "summary": "Tổng hợp số người tham gia", "body": "| Loại | Số người |\n|---|---|\n| BHXH | 20 triệu |",
            "authors": [{"name": "Phòng Thống kê"}], "genre": "news"
        })).await;
        let id = created["id"].as_i64().unwrap();
        assert_eq!(created["state"], "draft");
        assert_eq!(created["revision"], 1);
        assert_eq!(created["slug"], "so-lieu-tham-gia-bhxh-quy-iii-2026");
        refused(&p, &t.editor, id, "approve", 409, &t.admin).await;
        let moved = ok(&p, &t.contributor, id, "submit", None).await;
        assert_eq!((moved["state"].clone(), moved["step"].clone()), (json!("submitted"), json!(1)));
        for wrong in [&t.contributor, &t.deputy, &t.head, &t.member] {
            refused(&p, wrong, id, "approve", 403, &t.admin).await;
        }
        refused(&p, &t.contributor, id, "publish", 409, &t.admin).await;
        let moved = ok(&p, &t.editor, id, "approve", None).await;
        assert_eq!((moved["state"].clone(), moved["step"].clone()), (json!("in_review"), json!(2)));
        for wrong in [&t.editor, &t.head, &t.member] {
            refused(&p, wrong, id, "approve", 403, &t.admin).await;
        }
        let moved = ok(&p, &t.deputy, id, "approve", None).await;
        assert_eq!(moved["step"], 3);
        refused(&p, &t.deputy, id, "approve", 403, &t.admin).await;
        let moved = ok(&p, &t.head, id, "approve", None).await;
        assert_eq!(moved["state"], "approved");
        assert!(moved["post"]["public_url"].is_null());
        refused(&p, &t.contributor, id, "publish", 403, &t.admin).await;
        let moved = ok(&p, &t.editor, id, "publish", None).await;
        assert_eq!(moved["state"], "published");
        assert_eq!(moved["post"]["public_url"], "/vi/so-lieu-thong-ke-nganh-bao-hiem-xa-hoi-viet-nam/so-lieu-tham-gia-bhxh-quy-iii-2026");
        assert_eq!(moved["post"]["live_revision"], 1);
        let history: Value = p.get(&format!("/api/v1/posts/{id}/history"), Some(&t.editor)).await.json().await.unwrap();
        let actions: Vec<&str> = history.as_array().unwrap().iter().filter_map(|h| h["action"].as_str()).collect();
        assert_eq!(actions, vec!["submit", "approve", "approve", "approve", "publish"]);
        assert_eq!(change_log(&p, id).await, vec!["publish"]);
        // Unpublishing needs a reason; it is recorded in the change log.
        let resp = act(&p, &t.editor, id, "unpublish", None).await;
        let body = assert_problem(resp, 422, "validation").await;
        assert_eq!(body["field"], "comment");
        let moved = ok(&p, &t.editor, id, "unpublish", Some("Số liệu cần điều chỉnh")).await;
        assert_eq!(moved["state"], "unpublished");
        assert!(moved["post"]["public_url"].is_null());
        assert_eq!(change_log(&p, id).await, vec!["publish", "unpublish"]);
        p.finish().await;
    }

    async fn nobody_approves_their_own_post(b: Backend) {
        let p = TestPortal::start(b).await;
        let t = team(&p).await;
        let news = section(&p, "vi", 2).await;
        let created = create(&p, &t.editor, json!({"edition": "vi", "section_id": news, "title": "Tin của biên tập viên", "body": "Nội dung"})).await;
        let id = created["id"].as_i64().unwrap();
        ok(&p, &t.editor, id, "submit", None).await;
        let resp = act(&p, &t.editor, id, "approve", None).await;
        let body = assert_problem(resp, 403, "forbidden").await;
        assert!(body["detail"].as_str().unwrap().contains("own post"));
        ok(&p, &t.editor2, id, "approve", None).await;
        p.finish().await;
    }

    async fn changes_are_requested_and_resubmitted(b: Backend) {
        let p = TestPortal::start(b).await;
        let t = team(&p).await;
        let news = section(&p, "vi", 2).await;
        let id = create(&p, &t.contributor, json!({"edition": "vi", "section_id": news, "title": "Bản tin tuần", "body": "Bản nháp"})).await["id"].as_i64().unwrap();
        ok(&p, &t.contributor, id, "submit", None).await;
        let resp = act(&p, &t.editor, id, "request_changes", None).await;
        assert_problem(resp, 422, "validation").await;
        let moved = ok(&p, &t.editor, id, "request_changes", Some("Bổ sung nguồn tin")).await;
        assert_eq!(moved["state"], "changes_requested");
        let resp = p.send_json(Method::PUT, &format!("/api/v1/posts/{id}"), Some(&t.contributor), json!({
            "section_id": news, "title": "Bản tin tuần", "body": "Bản đã sửa", "source": "BHXH Việt Nam", "base_revision": 1
        })).await;
        assert_eq!(resp.status(), 200);
        let moved = ok(&p, &t.contributor, id, "submit", None).await;
        assert_eq!((moved["state"].clone(), moved["step"].clone(), moved["post"]["revision"].clone()), (json!("submitted"), json!(1), json!(2)));
        let history: Value = p.get(&format!("/api/v1/posts/{id}/history"), Some(&t.editor)).await.json().await.unwrap();
        assert!(history.as_array().unwrap().iter().any(|h| h["text"] == "Bổ sung nguồn tin"));
        let diff: Value = p.get(&format!("/api/v1/posts/{id}/diff?from=1&to=2"), Some(&t.editor)).await.json().await.unwrap();
        let body_diff = diff["changes"].as_array().unwrap().iter().find(|c| c["field"] == "body").unwrap();
        assert!(body_diff["diff"].as_str().unwrap().contains("-Bản nháp"));
        assert!(body_diff["diff"].as_str().unwrap().contains("+Bản đã sửa"));
        p.finish().await;
    }

    async fn delegation_works_only_in_its_period(b: Backend) {
        let p = TestPortal::start(b).await;
        let t = team(&p).await;
        let statistics = section(&p, "vi", 17).await;
        let id = create(&p, &t.contributor, json!({"edition": "vi", "section_id": statistics, "title": "Thống kê tháng", "body": "Số liệu"})).await["id"].as_i64().unwrap();
        ok(&p, &t.contributor, id, "submit", None).await;
        ok(&p, &t.editor, id, "approve", None).await;
        ok(&p, &t.deputy, id, "approve", None).await;
        let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap()).date_naive();
        let past = (today - chrono::Duration::days(10), today - chrono::Duration::days(3));
        let resp = p.send_json(Method::POST, "/api/v1/delegations", Some(&t.head), json!({"to_user_id": t.member_id, "starts_on": past.0, "ends_on": past.1})).await;
        assert_eq!(resp.status(), 201);
        refused(&p, &t.member, id, "approve", 403, &t.admin).await;
        // Only a head or deputy can delegate, and only to a board member.
        let resp = p.send_json(Method::POST, "/api/v1/delegations", Some(&t.editor), json!({"to_user_id": t.member_id, "starts_on": today, "ends_on": today})).await;
        assert_problem(resp, 403, "forbidden").await;
        let resp = p.send_json(Method::POST, "/api/v1/delegations", Some(&t.head), json!({"to_user_id": t.member_id, "starts_on": today, "ends_on": today + chrono::Duration::days(7), "reason": "Công tác nước ngoài"})).await;
        assert_eq!(resp.status(), 201);
        let delegation: Value = resp.json().await.unwrap();
        assert_eq!(delegation["role"], "board_head");
        assert_eq!(delegation["active"], true);
        let moved = ok(&p, &t.member, id, "approve", None).await;
        assert_eq!(moved["state"], "approved");
        assert_eq!(moved["on_behalf_of"], t.head_id);
        let history: Value = p.get(&format!("/api/v1/posts/{id}/history"), Some(&t.editor)).await.json().await.unwrap();
        let last = history.as_array().unwrap().iter().rev().find(|h| h["action"] == "approve").unwrap();
        assert_eq!((last["user_id"].clone(), last["on_behalf_of"].clone()), (json!(t.member_id), json!(t.head_id)));
        // Revoked: the right is gone.
        let did = delegation["id"].as_i64().unwrap();
        let resp = p.send_json(Method::POST, &format!("/api/v1/delegations/{did}/revoke"), Some(&t.head), json!({})).await;
        assert_eq!(resp.status(), 200);
        let id2 = create(&p, &t.contributor, json!({"edition": "vi", "section_id": statistics, "title": "Thống kê tháng sau", "body": "Số liệu"})).await["id"].as_i64().unwrap();
        ok(&p, &t.contributor, id2, "submit", None).await;
        ok(&p, &t.editor, id2, "approve", None).await;
        ok(&p, &t.deputy, id2, "approve", None).await;
        refused(&p, &t.member, id2, "approve", 403, &t.admin).await;
        p.finish().await;
    }

    async fn stale_saves_and_locks_are_refused(b: Backend) {
        let p = TestPortal::start(b).await;
        let t = team(&p).await;
        let news = section(&p, "vi", 2).await;
        let id = create(&p, &t.editor, json!({"edition": "vi", "section_id": news, "title": "Bài gốc", "body": "Một"})).await["id"].as_i64().unwrap();
        let save = |token: String, base: i64, body: &'static str| {
            let p = &p;
            async move {
                p.send_json(Method::PUT, &format!("/api/v1/posts/{id}"), Some(&token), json!({"section_id": news, "title": "Bài gốc", "body": body, "base_revision": base})).await
            }
        };
        assert_eq!(save(t.editor.clone(), 1, "Hai").await.status(), 200);
        let resp = save(t.editor.clone(), 1, "Ba (cũ)").await;
        assert_problem(resp, 409, "conflict").await;
        let current = post(&p, &t.editor, id).await;
        assert_eq!((current["revision"].clone(), current["body"].clone()), (json!(2), json!("Hai")));
        // Another editor meets the lock and sees who holds it.
        let resp = save(t.editor2.clone(), 2, "Bốn").await;
        let body = assert_problem(resp, 423, "locked").await;
        assert!(body["detail"].as_str().unwrap().contains("bientap"));
        let resp = p.send_json(Method::DELETE, &format!("/api/v1/posts/{id}/lock"), Some(&t.editor2), json!({})).await;
        assert_problem(resp, 403, "forbidden").await;
        let resp = p.send_json(Method::DELETE, &format!("/api/v1/posts/{id}/lock"), Some(&t.admin), json!({})).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(save(t.editor2.clone(), 2, "Bốn").await.status(), 200);
        let breaks: Value = p.get("/api/v1/audit?action=post.lock_break", Some(&t.admin)).await.json().await.unwrap();
        assert_eq!(breaks.as_array().unwrap().len(), 1);
        let revisions: Value = p.get(&format!("/api/v1/posts/{id}/revisions"), Some(&t.editor)).await.json().await.unwrap();
        let bodies: Vec<&str> = revisions.as_array().unwrap().iter().map(|r| r["body"].as_str().unwrap()).collect();
        assert_eq!(bodies, vec!["Một", "Hai", "Bốn"]);
        p.finish().await;
    }

    async fn the_citation_rule_holds_the_last_approval(b: Backend) {
        let p = TestPortal::start(b).await;
        let t = team(&p).await;
        let news = section(&p, "vi", 2).await;
        let id = create(&p, &t.contributor, json!({"edition": "vi", "section_id": news, "title": "Tin dẫn lại", "body": "Theo báo khác", "reuses_information": true})).await["id"].as_i64().unwrap();
        ok(&p, &t.contributor, id, "submit", None).await;
        ok(&p, &t.editor, id, "approve", None).await;
        let resp = act(&p, &t.deputy, id, "approve", None).await;
        let body = assert_problem(resp, 422, "validation").await;
        assert_eq!(body["field"], "source");
        let resp = p.send_json(Method::PUT, &format!("/api/v1/posts/{id}"), Some(&t.editor), json!({
            "section_id": news, "title": "Tin dẫn lại", "body": "Theo báo khác", "reuses_information": true,
            "authors": [{"name": "Nguyễn Văn A"}], "source": "Báo Lao động", "source_url": "https://laodong.vn/x", "base_revision": 1
        })).await;
        assert_eq!(resp.status(), 200);
        let moved = ok(&p, &t.deputy, id, "approve", None).await;
        assert_eq!(moved["state"], "approved");
        p.finish().await;
    }

    async fn bodies_are_sanitised_and_text_is_nfc(b: Backend) {
        let p = TestPortal::start(b).await;
        let t = team(&p).await;
        let news = section(&p, "vi", 2).await;
        let nfd_title = "Bảo hiểm thất nghiệp";
        let nfd: String = unicode_nfd(nfd_title);
        assert_ne!(nfd, nfd_title);
        let created = create(&p, &t.editor, json!({"edition": "vi", "section_id": news, "title": nfd,
            "body": "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[bấm vào](javascript:alert(1))"})).await;
        assert_eq!(created["title"], nfd_title);
        assert_eq!(created["slug"], "bao-hiem-that-nghiep");
        let html = created["body_html"].as_str().unwrap().to_lowercase();
        assert!(!html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"), "{html}");
        let preview: Value = p.send_json(Method::POST, "/api/v1/preview", Some(&t.editor), json!({"body": "**đậm** <a href=\"javascript:x\">x</a>"})).await.json().await.unwrap();
        assert!(preview["html"].as_str().unwrap().contains("<strong>đậm</strong>"));
        assert!(!preview["html"].as_str().unwrap().contains("javascript"));
        // The same title again gets a distinct slug.
        let second = create(&p, &t.editor, json!({"edition": "vi", "section_id": news, "title": nfd_title})).await;
        assert_eq!(second["slug"], "bao-hiem-that-nghiep-2");
        p.finish().await;
    }

    async fn media_is_checked_and_derived(b: Backend) {
        let p = TestPortal::start(b).await;
        let t = team(&p).await;
        let upload = |name: &'static str, bytes: Vec<u8>, alt: Option<&'static str>| {
            let p = &p;
            let token = t.editor.clone();
            async move {
                let mut form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
                if let Some(a) = alt {
                    form = form.text("alt", a);
                }
                p.http.post(p.url("/api/v1/media")).bearer_auth(token).multipart(form).send().await.unwrap()
            }
        };
        let photo = png(1000, 600);
        let resp = upload("anh.png", photo.clone(), None).await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        let m: Value = resp.json().await.unwrap();
        assert_eq!((m["width"].clone(), m["kind"].clone()), (json!(1000), json!("image")));
        let derivatives: Vec<String> = m["derivatives"].as_array().unwrap().iter().map(|d| d["url"].as_str().unwrap().to_owned()).collect();
        assert_eq!(derivatives.len(), 4, "320 and 800 px, WebP and PNG");
        // Not public until a published post uses it; staff see it.
        for url in &derivatives {
            assert_eq!(p.get(url, None).await.status(), 404, "{url}");
            let resp = p.get(url, Some(&t.editor)).await;
            assert_eq!(resp.status(), 200, "{url}");
            assert_eq!(resp.headers()["cache-control"], "private, no-store");
        }
        let webp = p.get(&derivatives[0], Some(&t.editor)).await;
        assert_eq!(webp.headers()["content-type"], "image/webp");
        assert!(webp.bytes().await.unwrap().starts_with(b"RIFF"));
        // Stored once: the same bytes are the same item, unless the upload
        // brings other words, which make an item of their own (the old
        // item's texts stay as they were on its pages).
        let again: Value = upload("ban-sao.png", photo.clone(), None).await.json().await.unwrap();
        assert_eq!(again["id"], m["id"]);
        let worded: Value = upload("ban-sao.png", photo, Some("Ảnh")).await.json().await.unwrap();
        assert_ne!(worded["id"], m["id"]);
        assert_eq!((worded["alt"].clone(), worded["sha256"].clone()), (json!("Ảnh"), m["sha256"].clone()));
        // A lying extension and a decompression bomb are refused.
        let resp = upload("anh.jpg", b"%PDF-1.4 fake".to_vec(), None).await;
        assert_problem(resp, 422, "validation").await;
        let resp = upload("bom.png", bomb(), None).await;
        let body = assert_problem(resp, 422, "validation").await;
        assert!(body["detail"].as_str().unwrap().contains("too large"));
        // An image without alt text blocks publication.
        let news = section(&p, "vi", 2).await;
        let id = create(&p, &t.contributor, json!({"edition": "vi", "section_id": news, "title": "Tin có ảnh", "body": "Ảnh bìa", "cover_media_id": m["id"]})).await["id"].as_i64().unwrap();
        ok(&p, &t.contributor, id, "submit", None).await;
        ok(&p, &t.editor, id, "approve", None).await;
        let resp = act(&p, &t.deputy, id, "approve", None).await;
        let body = assert_problem(resp, 422, "validation").await;
        assert_eq!(body["field"], "alt");
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/media/{}", m["id"]), Some(&t.editor), json!({"alt": "Trụ sở BHXH Việt Nam", "credit": "Trần Văn B"})).await;
        assert_eq!(resp.status(), 200);
        ok(&p, &t.deputy, id, "approve", None).await;
        p.finish().await;
    }

    async fn a_scheduled_post_is_published_once_by_two_nodes(b: Backend) {
        let p = TestPortal::start(b).await;
        let node2 = p.sibling().await;
        let t = team(&p).await;
        let news = section(&p, "vi", 2).await;
        let at = chrono::Utc::now() + chrono::Duration::seconds(2);
        let id = create(&p, &t.contributor, json!({"edition": "vi", "section_id": news, "title": "Tin hẹn giờ", "body": "Đăng sau", "publish_at": at.to_rfc3339()})).await["id"].as_i64().unwrap();
        ok(&p, &t.contributor, id, "submit", None).await;
        ok(&node2, &t.editor, id, "approve", None).await;
        ok(&p, &t.deputy, id, "approve", None).await;
        let moved = ok(&node2, &t.editor, id, "publish", None).await;
        assert_eq!(moved["state"], "scheduled");
        let mut state = String::new();
        for _ in 0..100 {
            state = post(&p, &t.editor, id).await["state"].as_str().unwrap().to_owned();
            if state == "published" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(state, "published");
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        assert_eq!(change_log(&p, id).await, vec!["publish"], "published exactly once");
        let history: Value = p.get(&format!("/api/v1/posts/{id}/history"), Some(&t.editor)).await.json().await.unwrap();
        let publishes = history.as_array().unwrap().iter().filter(|h| h["action"] == "publish" && h["to_state"] == "published").count();
        assert_eq!(publishes, 1);
        node2.finish().await;
        p.finish().await;
    }

    // Whoever wrote a revision since the last approval approves no step of
    // it: the editor who corrects a contributor's live post cannot approve
    // the correction, at the editor's step or any other.
    async fn a_correction_is_not_approved_by_its_writer(b: Backend) {
        let p = TestPortal::start(b).await;
        let t = team(&p).await;
        let news = section(&p, "vi", 2).await;
        let id = create(&p, &t.contributor, json!({"edition": "vi", "section_id": news, "title": "Thông báo", "body": "Bản đầu"})).await["id"].as_i64().unwrap();
        ok(&p, &t.contributor, id, "submit", None).await;
        ok(&p, &t.editor, id, "approve", None).await;
        ok(&p, &t.deputy, id, "approve", None).await;
        ok(&p, &t.editor, id, "publish", None).await;
        let resp = p.send_json(Method::PUT, &format!("/api/v1/posts/{id}"), Some(&t.editor), json!({"section_id": news, "title": "Thông báo", "body": "Bản đính chính của biên tập viên", "base_revision": 1})).await;
        assert_eq!(resp.status(), 200);
        ok(&p, &t.editor, id, "submit", None).await;
        refused(&p, &t.editor, id, "approve", 403, &t.admin).await;
        ok(&p, &t.editor2, id, "approve", None).await;
        let moved = ok(&p, &t.deputy, id, "approve", None).await;
        assert_eq!(moved["post"]["live_revision"], 2);
        p.finish().await;
    }

    // Statistics and strategy keep the head of the board in their chain
    // (Đ11.1c–d), whoever edits it.
    async fn the_statistics_chain_keeps_its_head(b: Backend) {
        let p = TestPortal::start(b).await;
        let t = team(&p).await;
        let statistics = section(&p, "vi", 17).await;
        let resp = p.send_json(Method::PUT, &format!("/api/v1/sections/{statistics}/chain"), Some(&t.admin), json!({"steps": [{"role": "editor"}, {"role": "board_deputy_standing"}]})).await;
        let body = assert_problem(resp, 422, "validation").await;
        assert!(body["detail"].as_str().unwrap().contains("board_head"));
        let chain: Value = p.get(&format!("/api/v1/sections/{statistics}/chain"), Some(&t.admin)).await.json().await.unwrap();
        assert_eq!(chain.as_array().unwrap().len(), 3, "unchanged");
        let resp = p.send_json(Method::PUT, &format!("/api/v1/sections/{statistics}/chain"), Some(&t.admin), json!({"steps": [{"role": "board_deputy_standing"}, {"role": "board_head"}]})).await;
        assert_eq!(resp.status(), 200);
        let news = section(&p, "vi", 2).await;
        let resp = p.send_json(Method::PUT, &format!("/api/v1/sections/{news}/chain"), Some(&t.admin), json!({"steps": [{"role": "board_deputy_standing"}]})).await;
        assert_eq!(resp.status(), 200, "other sections need no head");
        p.finish().await;
    }

    async fn a_correction_stays_out_until_approved(b: Backend) {
        let p = TestPortal::start(b).await;
        let t = team(&p).await;
        let news = section(&p, "vi", 2).await;
        let id = create(&p, &t.contributor, json!({"edition": "vi", "section_id": news, "title": "Thông báo", "body": "Bản đầu"})).await["id"].as_i64().unwrap();
        ok(&p, &t.contributor, id, "submit", None).await;
        ok(&p, &t.editor, id, "approve", None).await;
        ok(&p, &t.deputy, id, "approve", None).await;
        ok(&p, &t.editor, id, "publish", None).await;
        let resp = p.send_json(Method::PUT, &format!("/api/v1/posts/{id}"), Some(&t.contributor), json!({"section_id": news, "title": "Thông báo", "body": "Bản đính chính", "base_revision": 1})).await;
        let saved: Value = resp.json().await.unwrap();
        assert_eq!((saved["state"].clone(), saved["revision"].clone(), saved["live_revision"].clone()), (json!("draft"), json!(2), json!(1)));
        assert!(saved["public_url"].is_string(), "the published revision stays live");
        ok(&p, &t.contributor, id, "submit", None).await;
        ok(&p, &t.editor, id, "approve", None).await;
        let moved = ok(&p, &t.deputy, id, "approve", None).await;
        assert_eq!((moved["state"].clone(), moved["post"]["live_revision"].clone()), (json!("published"), json!(2)));
        assert_eq!(change_log(&p, id).await, vec!["publish", "update"]);
        p.finish().await;
    }
}

fn unicode_nfd(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd().collect()
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::DynamicImage::new_rgb8(w, h);
    let mut buf = std::io::Cursor::new(Vec::new());
    img.write_to(&mut buf, image::ImageFormat::Png).unwrap();
    buf.into_inner()
}

/// A tiny PNG declaring 100000 × 100000 pixels.
fn bomb() -> Vec<u8> {
    let mut b = png(1, 1);
    b[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    b[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in &b[12..29] {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    b[29..33].copy_from_slice(&(!crc).to_be_bytes());
    b
}
