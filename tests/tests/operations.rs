//! Operations over HTTP (issue 15): information-provision deadlines per
//! unit (Đ11.1), page views and the most-read block, and the annual
//! report (Đ6.4b) whose counts match a known fixture, as JSON, as a
//! workbook and as the editor's page; on SQLite and PostgreSQL.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use chrono::{Datelike, NaiveDate};
use portal_tests::{TestPortal, assert_problem, on_both_databases, password_of};
use reqwest::Method;
use serde_json::{Value, json};

async fn ok_json(resp: reqwest::Response, status: u16) -> Value {
    let code = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    assert_eq!(code, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn publish(
    p: &TestPortal,
    writer: &str,
    editor: &str,
    deputy: &str,
    section: i64,
    title: &str,
) -> (i64, String) {
    let post = ok_json(
        p.send_json(
            Method::POST,
            "/api/v1/posts",
            Some(writer),
            json!({
                "edition": "vi", "section_id": section, "title": title,
                "summary": "Tóm tắt.", "body": "Nội dung bài viết.",
            }),
        )
        .await,
        201,
    )
    .await;
    let id = post["id"].as_i64().unwrap();
    for (token, action) in [
        (writer, "submit"),
        (editor, "approve"),
        (deputy, "approve"),
        (editor, "publish"),
    ] {
        ok_json(
            p.send_json(
                Method::POST,
                &format!("/api/v1/posts/{id}/transitions"),
                Some(token),
                json!({"action": action, "comment": "Đồng ý"}),
            )
            .await,
            200,
        )
        .await;
    }
    let full = ok_json(p.get(&format!("/api/v1/posts/{id}"), Some(editor)).await, 200).await;
    (id, full["public_url"].as_str().unwrap_or_default().to_owned())
}

fn table<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == key)
        .unwrap_or_else(|| panic!("no table {key}"))
}

on_both_databases! {
    async fn provision_deadlines_follow_the_calendar_and_are_met_by_publishing(b: Backend) {
        let mut p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let units = ok_json(p.get("/api/v1/units", None).await, 200).await;
        let unit_a = units[0]["id"].as_i64().unwrap();
        let unit_b = units[1]["id"].as_i64().unwrap();
        let writer_id = p.create_user(&admin, "phongvien", &["contributor"]).await;
        let other_id = p.create_user(&admin, "donvikhac", &["contributor"]).await;
        for (id, unit) in [(writer_id, unit_a), (other_id, unit_b)] {
            ok_json(p.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), json!({"unit_id": unit})).await, 200).await;
        }
        p.create_user(&admin, "bientap", &["editor"]).await;
        p.create_user(&admin, "phoban", &["board_deputy_standing"]).await;
        let writer = p.login("phongvien", &password_of("phongvien")).await;
        let other = p.login("donvikhac", &password_of("donvikhac")).await;
        let editor = p.login("bientap", &password_of("bientap")).await;
        let deputy = p.login("phoban", &password_of("phoban")).await;

        // The ten kinds of Đ11.1 are there, each with its rule in force.
        let kinds = ok_json(p.get("/api/v1/provisions/kinds", Some(&writer)).await, 200).await;
        assert_eq!(kinds.as_array().unwrap().iter().filter(|k| k["in_force"] == true).count(), 10, "{kinds}");

        // An award approved on Friday 20 November 2026: 5 working days,
        // over a weekend and 24 November (a day off from 2026): Monday 30.
        let award = ok_json(p.send_json(Method::POST, "/api/v1/provisions", Some(&writer), json!({
            "unit_id": unit_a, "kind": "award", "occurred_on": "2026-11-20",
            "what": "Bằng khen của Thủ tướng cho BHXH tỉnh",
        })).await, 201).await;
        assert_eq!(award["due_on"], "2026-11-30", "{award}");
        // Contact details changed on Friday: due Monday.
        let contact = ok_json(p.send_json(Method::POST, "/api/v1/provisions", Some(&writer), json!({
            "unit_id": unit_a, "kind": "contact", "occurred_on": "2026-11-20", "what": "Số điện thoại mới",
        })).await, 201).await;
        assert_eq!(contact["due_on"], "2026-11-23");
        // Another unit's staff may neither record nor read for this one.
        assert_problem(p.send_json(Method::POST, "/api/v1/provisions", Some(&other), json!({
            "unit_id": unit_a, "kind": "award", "occurred_on": "2026-11-20", "what": "Không phải việc của tôi",
        })).await, 403, "forbidden").await;
        let theirs = ok_json(p.get("/api/v1/provisions", Some(&other)).await, 200).await;
        assert_eq!(theirs.as_array().unwrap().len(), 0);
        assert_problem(p.get(&format!("/api/v1/provisions/{}", award["id"]), Some(&other)).await, 403, "forbidden").await;
        assert_problem(p.send_json(Method::POST, "/api/v1/provisions", Some(&writer), json!({
            "unit_id": unit_a, "kind": "no_such_kind", "occurred_on": "2026-11-20", "what": "x",
        })).await, 422, "validation").await;

        // Linking needs a published item; a draft is refused.
        let tree: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        let news = tree[1]["id"].as_i64().unwrap();
        let (post_id, _) = publish(&p, &writer, &editor, &deputy, news, "BHXH tỉnh nhận Bằng khen").await;
        let linked = ok_json(p.send_json(Method::POST, &format!("/api/v1/provisions/{}/link", award["id"]), Some(&writer),
            json!({"post_id": post_id})).await, 200).await;
        let today = content::time::today_vn();
        assert_eq!(linked["met_on"], today.to_string());
        let expected = if today <= NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() { "met_on_time" } else { "met_late" };
        assert_eq!(linked["status"], expected);
        assert_problem(p.send_json(Method::POST, &format!("/api/v1/provisions/{}/link", award["id"]), Some(&writer),
            json!({"post_id": post_id})).await, 409, "conflict").await;
        assert_problem(p.send_json(Method::POST, &format!("/api/v1/provisions/{}/link", contact["id"]), Some(&writer),
            json!({"post_id": 999999})).await, 404, "unknown-reference").await;

        // The Communication Centre's dashboard; contributors may not read it.
        assert_problem(p.get("/api/v1/provisions/dashboard?year=2026", Some(&writer)).await, 403, "forbidden").await;
        let dash = ok_json(p.get("/api/v1/provisions/dashboard?year=2026", Some(&editor)).await, 200).await;
        let row = dash.as_array().unwrap().iter().find(|r| r["unit_id"] == unit_a).unwrap().clone();
        assert_eq!(row["met_on_time"].as_i64().unwrap() + row["met_late"].as_i64().unwrap(), 1, "{row}");

        // The editor page: dashboard for the editor, own unit for the writer.
        let page = p.http.get(p.url("/editor/provisions?year=2026")).bearer_auth(&editor).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("provision-dashboard") && html.contains("Số điện thoại mới"), "{html}");

        // Page views: three readings of the article, kept across a restart.
        let (read_id, url) = publish(&p, &writer, &editor, &deputy, news, "Bài được đọc nhiều").await;
        assert!(!url.is_empty());
        for _ in 0..3 {
            assert_eq!(p.get(&url, None).await.status(), 200);
        }
        p.restart().await;
        let editor = p.login("bientap", &password_of("bientap")).await;
        let report = ok_json(p.get(&format!("/api/v1/reports/annual?year={}", today.year()), Some(&editor)).await, 200).await;
        let most_read = table(&report, "most_read");
        assert_eq!(most_read["rows"][0][0], "Bài được đọc nhiều", "{most_read}");
        assert_eq!(most_read["rows"][0][2], 3);
        let page = p.http.get(p.url(&format!("/editor/posts/{read_id}"))).bearer_auth(&editor).send().await.unwrap();
        let html = page.text().await.unwrap();
        assert!(html.contains("id=\"post-views\">3 ("), "views in the editor");
        let home = p.get("/vi/", None).await.text().await.unwrap();
        assert!(home.contains("b-most_read") && home.contains("Bài được đọc nhiều"));
        p.finish().await;
    }

    async fn the_annual_report_counts_a_known_year(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let desk = portal_tests::desk(&p).await;
        let tree: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        let news = tree[1]["id"].as_i64().unwrap();
        for title in ["Tin thứ nhất", "Tin thứ hai", "Tin thứ ba"] {
            publish(&p, &desk.writer, &desk.editor, &desk.deputy, news, title).await;
        }
        for i in 0..2 {
            ok_json(p.send_json(Method::POST, "/api/v1/qa/questions", None, json!({"name": "Người hỏi",
                "email": format!("hoi{i}@example.vn"), "category": "social_insurance",
                "title": format!("Câu hỏi báo cáo {i}"), "content": "Nội dung câu hỏi?", "consent": true})).await, 201).await;
        }
        let year = content::time::today_vn().year();
        // Who may read it: the board, the Communication Centre, admins.
        assert_problem(p.get(&format!("/api/v1/reports/annual?year={year}"), Some(&desk.writer)).await, 403, "forbidden").await;
        assert_problem(p.get(&format!("/api/v1/reports/annual?year={year}"), None).await, 401, "unauthorized").await;
        assert_problem(p.get("/api/v1/reports/annual?year=99999", Some(&admin)).await, 422, "validation").await;
        let report = ok_json(p.get(&format!("/api/v1/reports/annual?year={year}"), Some(&desk.deputy)).await, 200).await;
        let by_edition = table(&report, "publications_by_edition");
        assert_eq!(by_edition["rows"], json!([["vi", 3]]), "{by_edition}");
        let by_section = table(&report, "publications_by_section");
        let row = &by_section["rows"][0];
        assert_eq!(row.as_array().unwrap().last().unwrap(), 3);
        let by_month: i64 = table(&report, "publications_by_month")["rows"]
            .as_array().unwrap().iter().map(|r| r[1].as_i64().unwrap()).sum();
        assert_eq!(by_month, 3);
        assert_eq!(table(&report, "qa_summary")["rows"][0], json!(["Tiếp nhận", 2, 0]));
        let waits = table(&report, "time_to_publish");
        assert_eq!(waits["rows"][0][1], 3, "{waits}");
        assert!(waits["rows"][0][2].as_f64().unwrap() >= 0.0);
        // Nothing of another year.
        let last_year = ok_json(p.get(&format!("/api/v1/reports/annual?year={}", year - 1), Some(&admin)).await, 200).await;
        assert_eq!(table(&last_year, "publications_by_edition")["rows"], json!([]));

        // The workbook: one sheet per table, the same counts.
        let resp = p.get(&format!("/api/v1/reports/annual?year={year}&format=xlsx"), Some(&admin)).await;
        assert_eq!(resp.status(), 200);
        let bytes = resp.bytes().await.unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
        let names = wb.sheet_names();
        assert_eq!(names.len(), report["tables"].as_array().unwrap().len(), "{names:?}");
        let sheet = wb.worksheet_range("publications by edition").unwrap();
        assert_eq!(sheet.get_value((2, 1)).map(|v| v.to_string()), Some("3".to_owned()));

        // The editor's page: charts as labelled SVG, and the tables.
        let page = p.http.get(p.url(&format!("/editor/reports/annual?year={year}"))).bearer_auth(&desk.editor).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("<svg role=\"img\""), "no chart");
        assert!(html.contains("id=\"publications_by_section\""));
        let bad = p.http.get(p.url("/editor/reports/annual?year=abc")).bearer_auth(&desk.editor).send().await.unwrap();
        assert_eq!(bad.status(), 400);
        p.finish().await;
    }
}

on_both_databases! {
    async fn metrics_need_the_token_from_elsewhere(b: Backend) {
        let token = "metrics-token-for-the-test-2026";
        let p = TestPortal::start_with(b, &[("PORTAL_METRICS_TOKEN", token), ("PORTAL_METRICS_ALLOW", "")]).await;
        assert_eq!(p.get("/vi/", None).await.status(), 200);
        // Not allowed by address, no token: nothing here.
        assert_eq!(p.get("/metrics", None).await.status(), 404);
        assert_eq!(p.get("/metrics", Some("wrong-token-wrong-token")).await.status(), 404);
        let resp = p.get("/metrics", Some(token)).await;
        assert_eq!(resp.status(), 200);
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
        let text = resp.text().await.unwrap();
        for name in [
            "portal_http_requests_total{route=\"/{edition}\",method=\"GET\",status=\"200\"} ",
            "portal_http_request_duration_seconds_bucket{route=\"/{edition}\",method=\"GET\",le=\"+Inf\"}",
            "portal_db_pool_connections ",
            "portal_db_up 1",
            "portal_changelog_lag{follower=\"catalogue\"}",
            "portal_search_documents ",
            "portal_outbox_messages ",
            "portal_scheduler_runs_total ",
        ] {
            assert!(text.contains(name), "{name} missing:\n{text}");
        }
        p.finish().await;
    }
}

on_both_databases! {
    async fn the_archive_files_the_years_records_and_check_finds_damage(b: Backend) {
        let p = TestPortal::start_with(b, &[("PORTAL_QA_RATE_LIMIT_PER_HOUR", "0")]).await;
        let desk = portal_tests::desk(&p).await;
        let tree: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        let news = tree[1]["id"].as_i64().unwrap();
        let png = {
            let img = image::RgbImage::from_fn(64, 40, |x, y| image::Rgb([(x * 3) as u8, (y * 5) as u8, 7]));
            let mut out = Cursor::new(Vec::new());
            image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
            out.into_inner()
        };
        let form = reqwest::multipart::Form::new()
            .text("alt", "Ảnh lưu trữ")
            .part("file", reqwest::multipart::Part::bytes(png).file_name("luu-tru.png"));
        let media: Value = p.http.post(p.url("/api/v1/media")).bearer_auth(&desk.writer).multipart(form).send().await.unwrap().json().await.unwrap();
        let post = ok_json(p.send_json(Method::POST, "/api/v1/posts", Some(&desk.writer), json!({
            "edition": "vi", "section_id": news, "title": "Bài lưu trữ năm nay", "summary": "Tóm tắt lưu trữ.",
            "body": "Nội dung *lưu trữ*.", "cover_media_id": media["id"]})).await, 201).await;
        let id = post["id"].as_i64().unwrap();
        for (token, action) in [(&desk.writer, "submit"), (&desk.editor, "approve"), (&desk.deputy, "approve"), (&desk.editor, "publish")] {
            ok_json(p.send_json(Method::POST, &format!("/api/v1/posts/{id}/transitions"), Some(token),
                json!({"action": action, "comment": "Đồng ý"})).await, 200).await;
        }
        ok_json(p.send_json(Method::POST, "/api/v1/qa/questions", None, json!({"name": "Nguyễn Văn Hỏi",
            "email": "hoi@example.vn", "category": "social_insurance", "title": "Câu hỏi lưu trữ",
            "content": "Hồ sơ hưởng lương hưu gồm những gì?", "consent": true})).await, 201).await;

        let year = content::time::today_vn().year();
        let to = tempfile::tempdir().unwrap();
        let quiet = portal::progress::Progress::quiet();
        let (dir, m) = portal::archive::archive(p.db(), &p.config(), year, to.path(), &quiet).await.expect("archive");
        assert_eq!((m.posts, m.questions), (1, 1));
        let record: Value = serde_json::from_slice(&std::fs::read(dir.join(format!("posts/{id:06}/record.json"))).unwrap()).unwrap();
        assert_eq!(record["dublin_core"]["title"], "Bài lưu trữ năm nay");
        assert_eq!(record["revisions"].as_array().unwrap().len(), 1);
        let actions: Vec<&str> = record["transitions"].as_array().unwrap().iter().map(|t| t["record"]["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["submit", "approve", "approve", "publish"]);
        assert_eq!(record["files"].as_array().unwrap().len(), 1);
        let html = std::fs::read_to_string(dir.join(format!("posts/{id:06}/index.html"))).unwrap();
        assert!(html.contains("<em>lưu trữ</em>"), "{html}");
        let q_rel = &m.personal_data_in[0];
        let q: Value = serde_json::from_slice(&std::fs::read(dir.join(q_rel)).unwrap()).unwrap();
        assert_eq!(q["personal_data"]["fields"]["email"], "hoi@example.vn");
        assert!(q["question"].get("email").is_none(), "personal data only under personal_data");
        // Every file is in the manifest with its checksum.
        let manifest: Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        assert!(manifest["files"].as_array().unwrap().iter().any(|f| f["path"] == "audit/audit-log.jsonl"));
        let again = portal::archive::archive(p.db(), &p.config(), year, to.path(), &quiet).await.unwrap_err().to_string();
        assert!(again.contains("exists already"), "{again}");

        // `portal check`: all good, then an original damaged on disk.
        portal::check::run(&p.config()).await.expect("a healthy installation");
        let sha = media["sha256"].as_str().unwrap().to_owned();
        let original = p.data_dir().join("media/originals").join(&sha[..2]).join(&sha);
        let mut bytes = std::fs::read(&original).unwrap();
        bytes[10] ^= 0xff;
        std::fs::write(&original, &bytes).unwrap();
        let err = portal::check::run(&p.config()).await.unwrap_err().to_string();
        assert!(err.contains("1 problem"), "{err}");
        p.finish().await;
    }
}
