//! What an outside tester found and what closes it: files of unpublished
//! content, media of live pages, the last administrator, account managers
//! per unit (Đ7.2), two-factor sign-in, input validation and security
//! headers.

use portal_tests::{TestPortal, assert_problem, desk, on_both_databases, password_of};
use reqwest::Method;
use serde_json::{Value, json};

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

async fn upload(p: &TestPortal, token: &str, name: &'static str, bytes: Vec<u8>, alt: &'static str) -> Value {
    let form = reqwest::multipart::Form::new()
        .text("alt", alt)
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
    let resp = p
        .http
        .post(p.url("/api/v1/media"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    resp.json().await.unwrap()
}

async fn act(p: &TestPortal, token: &str, id: i64, action: &str) -> Value {
    let resp = p
        .send_json(
            Method::POST,
            &format!("/api/v1/posts/{id}/transitions"),
            Some(token),
            json!({"action": action, "comment": "x"}),
        )
        .await;
    assert_eq!(resp.status(), 200, "{action}: {}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

on_both_databases! {
    // A draft's cover is not public; publication makes it public, and
    // withdrawal takes it back.
    async fn files_follow_their_posts(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let m = upload(&p, &d.writer, "bia.png", png(400, 300), "Ảnh bìa").await;
        let (mid, url) = (m["id"].as_i64().unwrap(), m["url"].as_str().unwrap().to_owned());
        let sections: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        let news = sections[1]["id"].as_i64().unwrap();
        let resp = p.send_json(Method::POST, "/api/v1/posts", Some(&d.writer), json!({"edition": "vi", "section_id": news, "title": "Tin có ảnh bìa", "body": "x", "cover_media_id": mid})).await;
        let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        assert_eq!(p.get(&url, None).await.status(), 404, "a draft's file is not public");
        let staff = p.get(&url, Some(&d.editor)).await;
        assert_eq!(staff.status(), 200);
        assert_eq!(staff.headers()["cache-control"], "private, no-store");
        act(&p, &d.writer, id, "submit").await;
        act(&p, &d.editor, id, "approve").await;
        act(&p, &d.deputy, id, "approve").await;
        act(&p, &d.editor, id, "publish").await;
        let public = p.get(&url, None).await;
        assert_eq!(public.status(), 200);
        assert!(public.headers()["cache-control"].to_str().unwrap().starts_with("public"));
        assert!(public.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
        // A contributor cannot change what a live page shows; an editor can.
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/media/{mid}"), Some(&d.writer), json!({"alt": "Chú thích khác"})).await;
        assert_problem(resp, 403, "forbidden").await;
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/media/{mid}"), Some(&d.editor), json!({"alt": "Hội nghị tổng kết"})).await;
        assert_eq!(resp.status(), 200);
        // A file in use is not deleted; the refusal names the post.
        let resp = p.send_json(Method::DELETE, &format!("/api/v1/media/{mid}"), Some(&d.editor), json!({})).await;
        let body = assert_problem(resp, 409, "conflict").await;
        assert!(body["detail"].as_str().unwrap().contains(&format!("post {id}")));
        act(&p, &d.editor, id, "unpublish").await;
        assert_eq!(p.get(&url, None).await.status(), 404, "withdrawn with its post");
        // A document only in the library is not public either, and is a download.
        let doc = {
            let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4 x".to_vec()).file_name("Báo cáo.pdf"));
            let resp = p.http.post(p.url("/api/v1/media")).bearer_auth(&d.editor).multipart(form).send().await.unwrap();
            resp.json::<Value>().await.unwrap()
        };
        let doc_url = doc["url"].as_str().unwrap();
        assert_eq!(p.get(doc_url, None).await.status(), 404);
        let resp = p.get(doc_url, Some(&d.editor)).await;
        assert!(resp.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        p.finish().await;
    }

    // Every response carries the security headers.
    async fn security_headers_everywhere(b: Backend) {
        let p = TestPortal::start(b).await;
        for path in ["/vi/", "/editor/login", "/api/v1/sections", "/healthz", "/nope"] {
            let resp = p.get(path, None).await;
            let h = resp.headers();
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
            assert_eq!(h["x-frame-options"], "DENY", "{path}");
            assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin", "{path}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert!(h.get("permissions-policy").is_some(), "{path}");
            assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
        }
        p.finish().await;
    }

    // Someone must always be able to administer the portal.
    async fn the_last_admin_stays_admin(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let me: Value = p.get("/api/v1/me", Some(&admin)).await.json().await.unwrap();
        let id = me["id"].as_i64().unwrap();
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), json!({"roles": ["editor"]})).await;
        assert_problem(resp, 422, "validation").await;
        let second = p.create_user(&admin, "quantri2", &["admin"]).await;
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), json!({"roles": ["editor", "admin"]})).await;
        assert_eq!(resp.status(), 200);
        let other = p.login("quantri2", &password_of("quantri2")).await;
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/users/{second}"), Some(&admin), json!({"disabled": true})).await;
        assert_eq!(resp.status(), 200, "two admins: one may go");
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), json!({"roles": ["editor"]})).await;
        assert_problem(resp, 422, "validation").await;
        let _ = other;
        p.finish().await;
    }

    // Đ7.2: a unit's account manager manages the roles its unit manages,
    // never an administrator.
    async fn account_managers_manage_their_units_roles(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let units: Value = p.get("/api/v1/units", None).await.json().await.unwrap();
        let unit = |code: &str| units.as_array().unwrap().iter().find(|u| u["code"] == code).unwrap()["id"].as_i64().unwrap();
        let manager = p.create_user(&admin, "quanly.cskh", &["account_manager"]).await;
        p.send_json(Method::PATCH, &format!("/api/v1/users/{manager}"), Some(&admin), json!({"unit_id": unit("support_centre")})).await;
        let token = p.login("quanly.cskh", &password_of("quanly.cskh")).await;
        let create = |name: &'static str, roles: Value| {
            let (p, token) = (&p, token.clone());
            async move {
                p.send_json(Method::POST, "/api/v1/users", Some(&token), json!({"username": name, "password": password_of(name), "display_name": name, "roles": roles})).await
            }
        };
        assert_eq!(create("traloi.moi", json!(["qa_responder"])).await.status(), 201);
        assert_problem(create("bientap.moi", json!(["editor"])).await, 403, "forbidden").await;
        assert_problem(create("quantri.moi", json!(["admin"])).await, 403, "forbidden").await;
        let admin_id = p.get("/api/v1/me", Some(&admin)).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let resp = p.send_json(Method::POST, &format!("/api/v1/users/{admin_id}/reset-password"), Some(&token), json!({})).await;
        assert_problem(resp, 403, "forbidden").await;
        let audit: Value = p.get("/api/v1/audit?action=user.create&actor=quanly.cskh", Some(&admin)).await.json().await.unwrap();
        assert_eq!(audit.as_array().unwrap().len(), 1);
        p.finish().await;
    }

    // Control characters and impossible dates are refused at every entry.
    async fn bad_text_and_dates_are_refused(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let sections: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        let news = sections[1]["id"].as_i64().unwrap();
        for (body, field) in [
            (json!({"edition": "vi", "section_id": news, "title": "Tin\u{0}độc", "body": "x"}), "title"),
            (json!({"edition": "vi", "section_id": news, "title": "Tin", "body": "x\u{0}"}), "body"),
            (json!({"edition": "vi", "section_id": news, "title": "Tin", "body": "x", "publish_at": "0000-01-01T00:00:00Z"}), "publish_at"),
        ] {
            let resp = p.send_json(Method::POST, "/api/v1/posts", Some(&d.writer), body).await;
            assert!(resp.status() == 422 || resp.status() == 400, "{field}: {}", resp.status());
        }
        let admin = p.admin_token().await;
        let resp = p.send_json(Method::PUT, "/api/v1/calendar/overrides/0000-01-01", Some(&admin), json!({"kind": "day_off", "reason": "x"})).await;
        assert_problem(resp, 422, "validation").await;
        let resp = p.send_json(Method::POST, "/api/v1/qa/questions/import", Some(&admin), json!({
            "name": "A", "email": "a@example.vn", "category": "general", "title": "T", "content": "C", "received_at": "2999-01-01T00:00:00Z"})).await;
        assert_problem(resp, 422, "validation").await;
        p.finish().await;
    }
}

/// Two-factor sign-in: required for the board and administrators by
/// default; enrolment by code, one-use recovery codes, reset by an admin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_factor_sign_in() {
    let p = TestPortal::start_with(
        portal_tests::Backend::Sqlite,
        &[("PORTAL_TWO_FACTOR_ROLES", "admin,board_head")],
    )
    .await;
    let admin = p.admin_token().await;
    let resp = p.get("/api/v1/users", Some(&admin)).await;
    assert_problem(resp, 403, "two-factor-enrolment-required").await;
    let enrol: Value = p
        .send_json(
            Method::POST,
            "/api/v1/auth/two-factor/enrol",
            Some(&admin),
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let secret = enrol["secret"].as_str().unwrap().to_owned();
    assert!(
        enrol["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    assert!(enrol["qr_svg"].as_str().unwrap().starts_with("<svg"));
    let resp = p
        .send_json(
            Method::POST,
            "/api/v1/auth/two-factor/confirm",
            Some(&admin),
            json!({"code": "000000"}),
        )
        .await;
    assert_problem(resp, 422, "validation").await;
    let code = content::accounts::two_factor::current_code(&secret).unwrap();
    let codes: Value = p
        .send_json(
            Method::POST,
            "/api/v1/auth/two-factor/confirm",
            Some(&admin),
            json!({"code": code}),
        )
        .await
        .json()
        .await
        .unwrap();
    let recovery: Vec<String> = codes["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recovery.len(), 10);
    assert_eq!(p.get("/api/v1/users", Some(&admin)).await.status(), 200);
    // Signing in now needs the code; a used code is not accepted again.
    let login = |code: Option<String>| {
        let p = &p;
        async move {
            p.send_json(
                Method::POST,
                "/api/v1/auth/login",
                None,
                json!({"username": "admin", "password": portal_tests::ADMIN_PASSWORD, "code": code}),
            )
            .await
        }
    };
    assert_problem(login(None).await, 401, "two-factor-required").await;
    assert_problem(login(Some(code.clone())).await, 401, "unauthorized").await;
    assert_eq!(
        login(Some(recovery[0].to_lowercase())).await.status(),
        200,
        "a recovery code, however typed"
    );
    assert_problem(login(Some(recovery[0].clone())).await, 401, "unauthorized").await;
    // An admin resets a lost phone; audited.
    let me: Value = p.get("/api/v1/me", Some(&admin)).await.json().await.unwrap();
    let id = me["id"].as_i64().unwrap();
    let resp = p
        .send_json(
            Method::POST,
            &format!("/api/v1/users/{id}/two-factor/reset"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        login(None).await.status(),
        200,
        "no second factor until enrolled again"
    );
    assert_problem(
        p.get("/api/v1/users", Some(&admin)).await,
        403,
        "two-factor-enrolment-required",
    )
    .await;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let resets = content::entity::audit_entry::Entity::find()
        .filter(content::entity::audit_entry::Column::Action.eq("auth.two_factor_reset"))
        .all(p.db())
        .await
        .unwrap();
    assert_eq!(resets.len(), 1);
    p.finish().await;
}
