//! The editor's everyday screens over HTTP (issue 16): the list of every
//! post with its filters, counts and paging, and the notifications that
//! tell the next approver and the author, in the editor and by mail; on
//! SQLite and PostgreSQL.

use portal_tests::{TestPortal, desk, on_both_databases, password_of};
use reqwest::Method;
use serde_json::{Value, json};

/// Logs `username` into the editor; returns the cookie-keeping client.
async fn editor_session(p: &TestPortal, username: &str) -> reqwest::Client {
    p.editor_session(username, &password_of(username)).await
}

async fn page(web: &reqwest::Client, p: &TestPortal, path: &str) -> String {
    let resp = web.get(p.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    resp.text().await.unwrap()
}

/// The titles of the list's rows, in order.
fn titles(html: &str) -> Vec<String> {
    html.split("<tbody>")
        .nth(1)
        .unwrap_or_default()
        .split("<tr>")
        .skip(1)
        .filter_map(|row| {
            let link = row.split("\">").nth(1)?;
            Some(link.split("</a>").next()?.to_owned())
        })
        .collect()
}

async fn create(p: &TestPortal, token: &str, edition: &str, section: i64, title: &str) -> i64 {
    let resp = p
        .send_json(
            Method::POST,
            "/api/v1/posts",
            Some(token),
            json!({"edition": edition, "section_id": section, "title": title, "summary": "Tóm tắt.", "body": "Nội dung."}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn act(p: &TestPortal, token: &str, id: i64, action: &str) {
    let resp = p
        .send_json(
            Method::POST,
            &format!("/api/v1/posts/{id}/transitions"),
            Some(token),
            json!({"action": action}),
        )
        .await;
    assert_eq!(resp.status(), 200, "{action}: {}", resp.text().await.unwrap());
}

async fn sections(p: &TestPortal, token: &str, edition: &str) -> Vec<i64> {
    let list: Value = p
        .get(&format!("/api/v1/sections?edition={edition}"), Some(token))
        .await
        .json()
        .await
        .unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

on_both_databases! {
    async fn the_post_list_filters_counts_and_pages(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let admin = p.admin_token().await;
        p.create_user(&admin, "phongvien2", &["contributor"]).await;
        let other = p.login("phongvien2", &password_of("phongvien2")).await;
        let vi = sections(&p, &d.writer, "vi").await;
        let en = sections(&p, &d.writer, "en").await;
        let old = create(&p, &d.writer, "vi", vi[1], "Hội nghị tổng kết bảo hiểm y tế năm 2019").await;
        for (token, action) in [(&d.writer, "submit"), (&d.editor, "approve"), (&d.deputy, "approve"), (&d.editor, "publish")] {
            act(&p, token, old, action).await;
        }
        create(&p, &d.writer, "en", en[1], "Health insurance conference").await;
        create(&p, &other, "vi", vi[0], "Bản nháp của người khác").await;
        for i in 0..52 {
            create(&p, &d.writer, "vi", vi[0], &format!("Tin thử số {i:02}")).await;
        }
        let editor = editor_session(&p, "bientap").await;
        // Words without diacritics find the title with them.
        let html = page(&editor, &p, "/editor/posts?q=bao+hiem+y+te").await;
        assert_eq!(titles(&html), vec!["Hội nghị tổng kết bảo hiểm y tế năm 2019"]);
        assert!(html.contains("Đã xuất bản (1)"), "{html}");
        let html = page(&editor, &p, "/editor/posts?q=B%E1%BA%A2O+HI%E1%BB%82M").await;
        assert_eq!(titles(&html).len(), 1);
        let html = page(&editor, &p, &format!("/editor/posts?q=%23{old}")).await;
        assert_eq!(titles(&html).len(), 1);
        // Edition, state and section.
        assert_eq!(titles(&page(&editor, &p, "/editor/posts?edition=en").await), vec!["Health insurance conference"]);
        assert_eq!(titles(&page(&editor, &p, "/editor/posts?state=published").await).len(), 1);
        assert_eq!(titles(&page(&editor, &p, &format!("/editor/posts?section={}&edition=vi", vi[1])).await).len(), 1);
        // Counts per state ignore the state filter; paging at 50.
        let html = page(&editor, &p, "/editor/posts?state=draft").await;
        assert!(html.contains("Bản nháp (54)") && html.contains("Tất cả (55)"), "{html}");
        assert_eq!(titles(&html).len(), 50);
        assert!(html.contains("page=2"));
        assert_eq!(titles(&page(&editor, &p, "/editor/posts?state=draft&page=2").await).len(), 4);
        // Dates: published or created within the days given, dd/mm/yyyy;
        // a wrong date is said in Vietnamese and kept.
        let today = content::time::today_vn().format("%d/%m/%Y").to_string();
        let html = page(&editor, &p, &format!("/editor/posts?from={today}&to={today}&sort=title")).await;
        assert!(html.contains("Tất cả (55)"));
        assert_eq!(titles(&html)[0], "Bản nháp của người khác");
        let resp = editor.get(p.url("/editor/posts?from=31/02/2026")).send().await.unwrap();
        assert_eq!(resp.status(), 422);
        let html = resp.text().await.unwrap();
        assert!(html.contains("Ngày không hợp lệ"), "{html}");
        assert!(html.contains("value=\"31/02/2026\"") || html.contains("value=\"31&#x2f;02&#x2f;2026\""), "{html}");
        // A contributor lists their own posts, in every state.
        let writer = editor_session(&p, "phongvien2").await;
        let html = page(&writer, &p, "/editor/posts").await;
        assert_eq!(titles(&html), vec!["Bản nháp của người khác"]);
        let html = page(&writer, &p, "/editor/posts?author=1").await;
        assert_eq!(titles(&html), vec!["Bản nháp của người khác"]);
        p.finish().await;
    }

    async fn notifications_reach_the_next_approver_and_the_author(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let admin = p.admin_token().await;
        let users: Value = p.get("/api/v1/users", Some(&admin)).await.json().await.unwrap();
        for u in users.as_array().unwrap() {
            let name = u["username"].as_str().unwrap();
            if name != "admin" {
                let resp = p
                    .send_json(Method::PATCH, &format!("/api/v1/users/{}", u["id"]), Some(&admin), json!({"email": format!("{name}@bhxh.gov.vn")}))
                    .await;
                assert_eq!(resp.status(), 200);
            }
        }
        let vi = sections(&p, &d.writer, "vi").await;
        let id = create(&p, &d.writer, "vi", vi[1], "Bài chờ duyệt").await;
        act(&p, &d.writer, id, "submit").await;
        let mail_to = |who: &'static str, what: &'static str| {
            let p = &p;
            async move {
                for _ in 0..100 {
                    if p.outbox().iter().any(|m| m.contains(&format!("To: {who}@bhxh.gov.vn")) && m.contains(what)) {
                        return true;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                false
            }
        };
        assert!(mail_to("bientap", "Tin bài chờ bạn duyệt").await, "the editor is told");
        assert!(!p.outbox().iter().any(|m| m.contains("To: phoban@")), "the deputy's step is not yet");
        let editor = editor_session(&p, "bientap").await;
        let html = page(&editor, &p, "/editor/notifications").await;
        assert!(html.contains("Tin bài chờ bạn duyệt") && html.contains("Bài chờ duyệt"), "{html}");
        assert!(html.contains("Thông báo (1)"));
        // Opening the post reads its notifications.
        page(&editor, &p, &format!("/editor/posts/{id}")).await;
        assert!(!page(&editor, &p, "/editor/notifications").await.contains("Thông báo (1)"));
        act(&p, &d.editor, id, "approve").await;
        assert!(mail_to("phoban", "Tin bài chờ bạn duyệt").await, "the deputy is told next");
        // The author chooses the daily digest: no mail at once.
        let writer = editor_session(&p, "phongvien").await;
        let form = page(&writer, &p, "/editor/notifications").await;
        let csrf = form.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let resp = writer
            .post(p.url("/editor/notifications"))
            .form(&[("csrf", csrf.as_str()), ("delivery", "digest")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303);
        act(&p, &d.deputy, id, "approve").await;
        let html = page(&writer, &p, "/editor/notifications").await;
        assert!(html.contains("Tin bài của bạn đã được duyệt"), "{html}");
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        assert!(!p.outbox().iter().any(|m| m.contains("To: phongvien@bhxh.gov.vn")), "digest users wait for the day's mail");
        p.finish().await;
    }

    async fn a_delegation_for_one_section_covers_that_section_only(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let admin = p.admin_token().await;
        let member = p.create_user(&admin, "uyvien", &["board_member"]).await;
        let member_token = p.login("uyvien", &password_of("uyvien")).await;
        let vi = sections(&p, &d.writer, "vi").await;
        let today = content::time::today_vn().to_string();
        let resp = p
            .send_json(Method::POST, "/api/v1/delegations", Some(&d.deputy), json!({"to_user_id": member, "starts_on": today, "ends_on": today, "section_id": vi[1]}))
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        let covered = create(&p, &d.writer, "vi", vi[1], "Tin trong chuyên mục được ủy quyền").await;
        let other = create(&p, &d.writer, "vi", vi[0], "Tin ở chuyên mục khác").await;
        for id in [covered, other] {
            act(&p, &d.writer, id, "submit").await;
            act(&p, &d.editor, id, "approve").await;
        }
        act(&p, &member_token, covered, "approve").await;
        let resp = p
            .send_json(Method::POST, &format!("/api/v1/posts/{other}/transitions"), Some(&member_token), json!({"action": "approve"}))
            .await;
        assert_eq!(resp.status(), 403);
        p.finish().await;
    }
}
