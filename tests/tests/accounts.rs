//! Accounts, sessions and roles over HTTP, on SQLite and PostgreSQL.

use portal_tests::{ADMIN_PASSWORD, TestPortal, assert_problem, on_both_databases};
use reqwest::Method;
use serde_json::{Value, json};

on_both_databases! {
    async fn first_start_creates_the_admin(b: Backend) {
        let p = TestPortal::start(b).await;
        let token = p.admin_token().await;
        let me: Value = p.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        assert_eq!(me["username"], "admin");
        assert_eq!(me["roles"], json!(["admin"]));
        let units: Value = p.get("/api/v1/units", None).await.json().await.unwrap();
        let it = units.as_array().unwrap().iter().find(|u| u["code"] == "it_centre").unwrap();
        assert_eq!(me["unit_id"], it["id"]);
        assert!(me["created_at"].as_str().unwrap().ends_with("+07:00"), "times are shown in Vietnam time");
        p.finish().await;
    }

    async fn a_wrong_password_is_401(b: Backend) {
        let p = TestPortal::start(b).await;
        let resp = p.send_json(Method::POST, "/api/v1/auth/login", None, json!({"username": "admin", "password": "wrong password"})).await;
        assert_problem(resp, 401, "unauthorized").await;
        let resp = p.send_json(Method::POST, "/api/v1/auth/login", None, json!({"username": "nobody", "password": "wrong password"})).await;
        assert_problem(resp, 401, "unauthorized").await;
        let resp = p.get("/api/v1/me", Some("not-a-token")).await;
        assert_problem(resp, 401, "unauthorized").await;
        p.finish().await;
    }

    // Failed sign-ins slow down the address they come from; nobody can
    // lock a real user out, and unknown names are treated alike.
    async fn failures_slow_the_address_not_the_account(b: Backend) {
        let p = TestPortal::start_with(b, &[("PORTAL_TRUSTED_PROXIES", "127.0.0.1")]).await;
        let admin = p.admin_token().await;
        p.create_user(&admin, "victim", &["editor"]).await;
        let attempt = async |user: &str, password: &str, from: &str| {
            p.http
                .post(p.url("/api/v1/auth/login"))
                .header("x-forwarded-for", from)
                .json(&json!({"username": user, "password": password}))
                .send()
                .await
                .unwrap()
        };
        for user in ["victim", "nobody"] {
            for _ in 0..6 {
                assert_eq!(attempt(user, "guess-guess-guess", "10.0.0.1").await.status(), 401, "{user}");
            }
            let resp = attempt(user, "guess-guess-guess", "10.0.0.1").await;
            assert!(resp.headers().get("retry-after").is_some());
            assert_problem(resp, 429, "login-throttled").await;
        }
        // The right password from another address is not stopped.
        let resp = attempt("victim", &portal_tests::password_of("victim"), "10.0.0.2").await;
        assert_eq!(resp.status(), 200);
        // From the throttled address it works once the back-off has passed.
        assert_eq!(attempt("victim", &portal_tests::password_of("victim"), "10.0.0.1").await.status(), 429);
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        assert_eq!(attempt("victim", &portal_tests::password_of("victim"), "10.0.0.1").await.status(), 200);
        // Administrators see who was throttled, and from where.
        let throttled: Value = p.get("/api/v1/audit?action=auth.throttled", Some(&admin)).await.json().await.unwrap();
        let entries = throttled.as_array().unwrap();
        assert!(entries.iter().any(|e| e["actor"] == "victim" && e["ip"] == "10.0.0.1"), "{throttled}");
        assert!(entries.iter().any(|e| e["actor"] == "nobody"));
        let users: Value = p.get("/api/v1/users", Some(&admin)).await.json().await.unwrap();
        let victim = users.as_array().unwrap().iter().find(|u| u["username"] == "victim").unwrap();
        assert!(victim["locked_until"].is_null(), "the account itself is never locked");
        p.finish().await;
    }

    // Passwords: not common, not a keyboard walk, not the user's own name;
    // the reason in the user's language on the editor's form.
    async fn weak_passwords_are_refused(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        for weak in ["1234567890", "aaaaaaaaaa", "nguyen.van.a", "password123"] {
            let resp = p.send_json(Method::POST, "/api/v1/users", Some(&admin), json!({"username": "nguyen.van.a", "password": weak, "display_name": "Nguyễn Văn A", "roles": []})).await;
            let body = assert_problem(resp, 422, "validation").await;
            assert_eq!(body["field"], "password", "{weak}");
        }
        let resp = p.send_json(Method::POST, "/api/v1/users", Some(&admin), json!({"username": "nguyen.van.a", "password": &portal_tests::password_of("nguyen.van.a"), "display_name": "Nguyễn Văn A", "roles": []})).await;
        assert_eq!(resp.status(), 201);
        p.finish().await;
    }

    async fn a_disabled_user_is_cut_off_at_once(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let id = p.create_user(&admin, "leaver", &["contributor"]).await;
        let token = p.login("leaver", &portal_tests::password_of("leaver")).await;
        assert_eq!(p.get("/api/v1/me", Some(&token)).await.status(), 200);
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), json!({"disabled": true})).await;
        assert_eq!(resp.status(), 200);
        assert_problem(p.get("/api/v1/me", Some(&token)).await, 401, "unauthorized").await;
        let resp = p.send_json(Method::POST, "/api/v1/auth/login", None, json!({"username": "leaver", "password": &portal_tests::password_of("leaver")})).await;
        assert_problem(resp, 403, "forbidden").await;
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), json!({"disabled": false})).await;
        assert_eq!(resp.status(), 200);
        p.login("leaver", &portal_tests::password_of("leaver")).await;
        p.finish().await;
    }

    async fn roles_guard_admin_routes(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        p.create_user(&admin, "writer", &["contributor"]).await;
        let writer = p.login("writer", &portal_tests::password_of("writer")).await;
        assert_problem(p.get("/api/v1/users", Some(&writer)).await, 403, "forbidden").await;
        let resp = p.send_json(Method::POST, "/api/v1/users", Some(&writer), json!({"username": "sneaky", "password": &portal_tests::password_of("sneaky"), "display_name": "x", "roles": ["admin"]})).await;
        assert_problem(resp, 403, "forbidden").await;
        let resp = p.send_json(Method::POST, "/api/v1/sections", Some(&writer), json!({"edition": "vi", "name_vi": "Mới", "name_en": "New"})).await;
        assert_problem(resp, 403, "forbidden").await;
        assert_problem(p.get("/api/v1/audit", Some(&writer)).await, 403, "forbidden").await;
        assert_problem(p.get("/api/v1/users", None).await, 401, "unauthorized").await;
        // Nothing was created by the refused calls.
        let users: Value = p.get("/api/v1/users", Some(&admin)).await.json().await.unwrap();
        assert_eq!(users.as_array().unwrap().len(), 2);
        p.finish().await;
    }

    async fn bad_input_is_named(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let resp = p.send_json(Method::POST, "/api/v1/users", Some(&admin), json!({"username": "ok.user", "password": "short", "display_name": "x", "roles": []})).await;
        let body = assert_problem(resp, 422, "validation").await;
        assert_eq!(body["field"], "password");
        let resp = p.send_json(Method::POST, "/api/v1/users", Some(&admin), json!({"username": "ok.user", "password": &portal_tests::password_of("ok.user"), "display_name": "x", "roles": ["king"]})).await;
        let body = assert_problem(resp, 422, "validation").await;
        assert_eq!(body["field"], "roles");
        assert!(body["detail"].as_str().unwrap().contains("one of admin, board_head"), "{body}");
        let resp = p.send_json(Method::POST, "/api/v1/users", Some(&admin), json!({"username": "admin", "password": &portal_tests::password_of("admin2"), "display_name": "x", "roles": []})).await;
        assert_problem(resp, 409, "conflict").await;
        let resp = p.http.post(p.url("/api/v1/users")).bearer_auth(&admin).header("content-type", "application/json").body("{not json").send().await.unwrap();
        assert_problem(resp, 400, "bad-request").await;
        let big = "x".repeat(2 * 1024 * 1024);
        let resp = portal_tests::client().post(p.url("/api/v1/auth/login")).header("content-type", "application/json").body(big).send().await.unwrap();
        assert_problem(resp, 413, "too-large").await;
        // NFD input is stored NFC (Đ5.2).
        let resp = p.send_json(Method::POST, "/api/v1/users", Some(&admin), json!({"username": "hoa", "password": &portal_tests::password_of("hoa"), "display_name": "Ho\u{0300}a", "roles": ["editor"]})).await;
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["display_name"], "H\u{00f2}a");
        p.finish().await;
    }

    async fn sessions_end_on_logout_and_password_change(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        p.create_user(&admin, "mover", &["editor"]).await;
        let first = p.login("mover", &portal_tests::password_of("mover")).await;
        let second = p.login("mover", &portal_tests::password_of("mover")).await;
        let resp = p.send_json(Method::POST, "/api/v1/me/password", Some(&first), json!({"current_password": "wrong", "new_password": "next-password-1"})).await;
        assert_problem(resp, 422, "validation").await;
        let resp = p.send_json(Method::POST, "/api/v1/me/password", Some(&first), json!({"current_password": &portal_tests::password_of("mover"), "new_password": "next-password-1"})).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(p.get("/api/v1/me", Some(&first)).await.status(), 200);
        assert_eq!(p.get("/api/v1/me", Some(&second)).await.status(), 401, "other sessions end");
        let resp = p.send_json(Method::POST, "/api/v1/auth/logout", Some(&first), json!({})).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(p.get("/api/v1/me", Some(&first)).await.status(), 401);
        p.login("mover", "next-password-1").await;
        p.finish().await;
    }

    async fn cookie_sessions_need_the_csrf_header_to_write(b: Backend) {
        let p = TestPortal::start(b).await;
        let browser = portal_tests::browser();
        let resp = browser.post(p.url("/api/v1/auth/login")).json(&json!({"username": "admin", "password": ADMIN_PASSWORD})).send().await.unwrap();
        let cookie = resp.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(cookie.contains("HttpOnly"));
        assert!(cookie.contains("SameSite=Lax"));
        let body: Value = resp.json().await.unwrap();
        let csrf = body["csrf_token"].as_str().unwrap().to_owned();
        // The client's cookie store now holds the session.
        assert_eq!(browser.get(p.url("/api/v1/me")).send().await.unwrap().status(), 200);
        let resp = browser.post(p.url("/api/v1/units")).json(&json!({"code": "bhxh_hanoi", "kind": "provincial", "name_vi": "BHXH Hà Nội", "name_en": "Ha Noi Social Security"})).send().await.unwrap();
        assert_problem(resp, 403, "forbidden").await;
        let resp = browser.post(p.url("/api/v1/units")).header("x-csrf-token", csrf).json(&json!({"code": "bhxh_hanoi", "kind": "provincial", "name_vi": "BHXH Hà Nội", "name_en": "Ha Noi Social Security"})).send().await.unwrap();
        assert_eq!(resp.status(), 201);
        p.finish().await;
    }
}
