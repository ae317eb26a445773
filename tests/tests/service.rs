//! Serving concerns: health checks, request ids, API docs, the editor
//! shell in a browser-like client.

use portal_tests::{ADMIN_PASSWORD, TestPortal, on_both_databases};

fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("hidden field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

on_both_databases! {
    async fn health_and_docs_answer(b: Backend) {
        let p = TestPortal::start(b).await;
        let resp = p.get("/healthz", None).await;
        assert_eq!(resp.status(), 200);
        assert!(resp.headers().get("x-request-id").is_some());
        assert_eq!(p.get("/readyz", None).await.status(), 200);
        let resp = p.http.get(p.url("/healthz")).header("x-request-id", "abc-123").send().await.unwrap();
        assert_eq!(resp.headers()["x-request-id"], "abc-123");
        let spec: serde_json::Value = p.get("/api/openapi.json", None).await.json().await.unwrap();
        assert!(spec["paths"]["/auth/login"].is_object());
        assert!(spec["paths"]["/sections"].is_object());
        assert_eq!(p.get("/api/docs", None).await.status(), 200);
        p.finish().await;
    }

    async fn the_editor_logs_in_and_shows_the_dashboard(b: Backend) {
        let p = TestPortal::start(b).await;
        let web = portal_tests::browser();
        let resp = get(&web, &p, "/editor").await;
        assert_eq!(resp.status(), 303);
        assert!(resp.headers()["location"].to_str().unwrap().starts_with("/editor/login"));
        let html = get(&web, &p, "/editor/login").await.text().await.unwrap();
        assert!(html.contains("<html lang=\"vi\">"));
        let csrf = hidden_value(&html, "csrf");
        // A forged form (no matching token) is refused.
        let resp = web.post(p.url("/editor/login")).form(&[("username", "admin"), ("password", ADMIN_PASSWORD), ("csrf", "forged")]).send().await.unwrap();
        assert_eq!(resp.status(), 403);
        let resp = web.post(p.url("/editor/login")).form(&[("username", "admin"), ("password", "wrong"), ("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(resp.status(), 401);
        assert!(resp.text().await.unwrap().contains("Sai tên đăng nhập hoặc mật khẩu"));
        let resp = web.post(p.url("/editor/login")).form(&[("username", "admin"), ("password", ADMIN_PASSWORD), ("csrf", csrf.as_str()), ("next", "/editor")]).send().await.unwrap();
        assert_eq!(resp.status(), 303);
        let html = get(&web, &p, "/editor").await.text().await.unwrap();
        assert!(html.contains("Quản trị hệ thống"), "name shown");
        assert!(html.contains("Trung tâm Công nghệ thông tin"), "unit shown");
        assert!(html.contains("title=\"admin\""), "role shown");
        let html = get(&web, &p, "/editor?lang=en").await.text().await.unwrap();
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("IT Centre"));
        let html = get(&web, &p, "/editor/sections?edition=en").await.text().await.unwrap();
        assert!(html.contains("Member login"));
        let html = get(&web, &p, "/editor/users").await.text().await.unwrap();
        assert!(html.contains("admin"));
        p.finish().await;
    }

    async fn the_editor_manages_users_with_csrf(b: Backend) {
        let p = TestPortal::start(b).await;
        let web = portal_tests::browser();
        let html = get(&web, &p, "/editor/login").await.text().await.unwrap();
        let csrf = hidden_value(&html, "csrf");
        web.post(p.url("/editor/login")).form(&[("username", "admin"), ("password", ADMIN_PASSWORD), ("csrf", csrf.as_str())]).send().await.unwrap();
        let html = get(&web, &p, "/editor/users").await.text().await.unwrap();
        let csrf = hidden_value(&html, "csrf");
        let form = [("csrf", csrf.as_str()), ("username", "editor1"), ("display_name", "Nguyễn Văn A"), ("password", &portal_tests::password_of("editor1")), ("roles", "editor"), ("roles", "board_member")];
        let resp = web.post(p.url("/editor/users")).form(&form).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let token = p.login("editor1", &portal_tests::password_of("editor1")).await;
        let me: serde_json::Value = p.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        assert_eq!(me["roles"], serde_json::json!(["board_member", "editor"]));
        let forged = [("csrf", "nope"), ("username", "editor2"), ("display_name", "B"), ("password", &portal_tests::password_of("editor2"))];
        let resp = web.post(p.url("/editor/users")).form(&forged).send().await.unwrap();
        assert_eq!(resp.status(), 403);
        // A non-admin sees a refusal, not the page.
        let other = portal_tests::browser();
        let html = other.get(p.url("/editor/login")).send().await.unwrap().text().await.unwrap();
        let csrf = hidden_value(&html, "csrf");
        other.post(p.url("/editor/login")).form(&[("username", "editor1"), ("password", &portal_tests::password_of("editor1")), ("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(other.get(p.url("/editor/users")).send().await.unwrap().status(), 403);
        assert_eq!(other.get(p.url("/editor")).send().await.unwrap().status(), 200);
        p.finish().await;
    }
}

async fn get(web: &reqwest::Client, p: &TestPortal, path: &str) -> reqwest::Response {
    web.get(p.url(path)).send().await.unwrap()
}
