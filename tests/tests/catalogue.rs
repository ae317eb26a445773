//! The Office's catalogue over HTTP (Đ7.2d, Đ14): administrative
//! procedures and online public services through the shared mechanism of
//! structured content, on SQLite and PostgreSQL.

use std::time::Duration;

use portal_tests::{TestPortal, assert_problem, on_both_databases};
use reqwest::Method;
use serde_json::{Value, json};

/// A procedure as the Office would enter it.
fn procedure(code: &str) -> Value {
    json!({
        "code": code,
        "name": "Cấp lại sổ bảo hiểm xã hội do bị mất, hỏng",
        "field": "Cấp sổ, thẻ",
        "tier": "local",
        "decision": "896/QĐ-BHXH",
        "steps": "1. Người lao động nộp hồ sơ.\n2. Cơ quan BHXH tiếp nhận và trả kết quả.",
        "methods": "Nộp trực tiếp, qua bưu chính hoặc qua Cổng Dịch vụ công quốc gia.",
        "dossier": "Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (Mẫu TK1-TS).",
        "processing_time": "Không quá 05 ngày làm việc.",
        "applicants": "Người lao động.",
        "agency": "Bảo hiểm xã hội cấp huyện.",
        "result": "Sổ bảo hiểm xã hội.",
        "fees": "Không.",
        "forms": "Tờ khai TK1-TS.",
        "conditions": "Không.",
        "legal_basis": "Luật Bảo hiểm xã hội số 41/2024/QH15.",
        "online_level": "full",
        "online_url": "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.000123",
        "status": "in_force"
    })
}

struct Office {
    admin: String,
    first: String,
    second: String,
    contributor: String,
}

async fn office(p: &TestPortal) -> Office {
    let admin = p.admin_token().await;
    for (name, role) in [
        ("vanphong1", "procedures_editor"),
        ("vanphong2", "procedures_editor"),
        ("congtacvien", "contributor"),
    ] {
        p.create_user(&admin, name, &[role]).await;
    }
    Office {
        first: p
            .login("vanphong1", &portal_tests::password_of("vanphong1"))
            .await,
        second: p
            .login("vanphong2", &portal_tests::password_of("vanphong2"))
            .await,
        contributor: p
            .login("congtacvien", &portal_tests::password_of("congtacvien"))
            .await,
        admin,
    }
}

async fn act(p: &TestPortal, token: &str, id: i64, action: &str) -> reqwest::Response {
    p.send_json(
        Method::POST,
        &format!("/api/v1/procedures/{id}/transitions"),
        Some(token),
        json!({"action": action}),
    )
    .await
}

async fn page(p: &TestPortal, path: &str) -> (u16, String) {
    let resp = portal_tests::browser().get(p.url(path)).send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

on_both_databases! {
    // One Office editor prepares, another approves; contributors cannot
    // touch the catalogue; the published procedure shows its elements,
    // its forms and the online link, and search finds it.
    async fn a_procedure_goes_from_the_office_to_the_public(b: Backend) {
        let p = TestPortal::start(b).await;
        let o = office(&p).await;
        let refused = p.send_json(Method::POST, "/api/v1/procedures", Some(&o.contributor), procedure("1.000123")).await;
        assert_problem(refused, 403, "forbidden").await;
        let none: Value = p.get("/api/v1/procedures", Some(&o.admin)).await.json().await.unwrap();
        assert_eq!(none.as_array().unwrap().len(), 0, "nothing stored");

        let resp = p.send_json(Method::POST, "/api/v1/procedures", Some(&o.first), procedure("1.000123")).await;
        assert_eq!(resp.status(), 201);
        let created: Value = resp.json().await.unwrap();
        let id = created["id"].as_i64().unwrap();
        assert_eq!((created["state"].as_str(), created["version"].as_i64(), created["code"].as_str()), (Some("draft"), Some(1), Some("1.000123")));
        let dup = p.send_json(Method::POST, "/api/v1/procedures", Some(&o.second), procedure("1.000123")).await;
        assert_problem(dup, 409, "conflict").await;

        assert_eq!(act(&p, &o.first, id, "submit").await.status(), 200);
        assert_problem(act(&p, &o.first, id, "approve").await, 403, "forbidden").await;
        let still: Value = p.get(&format!("/api/v1/procedures/{id}"), Some(&o.first)).await.json().await.unwrap();
        assert_eq!(still["state"], "submitted", "a refused approval changes nothing");
        let approved: Value = act(&p, &o.second, id, "approve").await.json().await.unwrap();
        assert_eq!(approved["state"], "published", "the Office's approval publishes (Đ14.1)");
        let url = approved["entry"]["public_url"].as_str().unwrap().to_owned();

        let (status, html) = page(&p, &url).await;
        assert_eq!(status, 200);
        for label in ["Trình tự thực hiện", "Cách thức thực hiện", "Thành phần, số lượng hồ sơ", "Thời hạn giải quyết", "Đối tượng thực hiện", "Cơ quan thực hiện", "Kết quả thực hiện", "Phí, lệ phí", "Tên mẫu đơn, mẫu tờ khai", "Yêu cầu, điều kiện thực hiện", "Căn cứ pháp lý"] {
            assert!(html.contains(label), "{label} shown");
        }
        let order: Vec<usize> = ["Trình tự thực hiện", "Thành phần, số lượng hồ sơ", "Căn cứ pháp lý"].iter().map(|l| html.find(l).unwrap()).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "the elements in order");
        assert!(html.contains("Nộp hồ sơ trực tuyến") && html.contains("ma_thu_tuc=1.000123"));
        assert!(html.contains("\"@type\":\"GovernmentService\"") && html.contains("DC.title"));
        let (_, list) = page(&p, "/vi/thu-tuc-hanh-chinh-bao-hiem-xa-hoi?tier=local").await;
        assert!(list.contains("Cấp lại sổ bảo hiểm xã hội"), "listed under its tier");
        let (_, other) = page(&p, "/vi/thu-tuc-hanh-chinh-bao-hiem-xa-hoi?tier=central").await;
        assert!(!other.contains("Cấp lại sổ bảo hiểm xã hội"), "not under another tier");
        let (_, words) = page(&p, "/vi/thu-tuc-hanh-chinh-bao-hiem-xa-hoi?q=cap+lai+so").await;
        assert!(words.contains("Cấp lại sổ bảo hiểm xã hội"), "found by words without diacritics");
        let (_, print) = page(&p, &format!("{url}?print=1")).await;
        assert!(print.contains("class=\"print\""));

        for q in ["cap%20lai%20so%20bhxh", "c%E1%BA%A5p%20l%E1%BA%A1i%20s%E1%BB%95%20b%E1%BA%A3o%20hi%E1%BB%83m%20x%C3%A3%20h%E1%BB%99i", "1.000123"] {
            let (found, _) = p
                .poll_json(&format!("/api/v1/search?q={q}&kind=procedure"), Duration::from_secs(10), |v| v["total"].as_u64().unwrap_or(0) > 0)
                .await;
            assert_eq!(found["hits"][0]["kind"], "procedure", "search {q}: {found}");
        }
        let open: Value = portal_tests::client().get(p.url("/open-data/procedures.json")).send().await.unwrap().json().await.unwrap();
        assert_eq!(open[0]["code"], "1.000123");
        p.finish().await;
    }

    // A change is a second version with a diff; the published version
    // stays live until the change is approved.
    async fn a_change_waits_for_approval(b: Backend) {
        let p = TestPortal::start(b).await;
        let o = office(&p).await;
        let created: Value = p.send_json(Method::POST, "/api/v1/procedures", Some(&o.first), procedure("1.000124")).await.json().await.unwrap();
        let id = created["id"].as_i64().unwrap();
        act(&p, &o.first, id, "submit").await;
        let approved: Value = act(&p, &o.second, id, "approve").await.json().await.unwrap();
        let url = approved["entry"]["public_url"].as_str().unwrap().to_owned();
        let mut changed = procedure("1.000124");
        changed["processing_time"] = json!("Không quá 03 ngày làm việc.");
        changed["base_version"] = json!(1);
        let saved: Value = p.send_json(Method::PUT, &format!("/api/v1/procedures/{id}"), Some(&o.first), changed.clone()).await.json().await.unwrap();
        assert_eq!((saved["version"].as_i64(), saved["live_version"].as_i64(), saved["state"].as_str()), (Some(2), Some(1), Some("draft")));
        let stale = p.send_json(Method::PUT, &format!("/api/v1/procedures/{id}"), Some(&o.first), changed).await;
        assert_problem(stale, 409, "conflict").await;
        let diff: Value = p.get(&format!("/api/v1/procedures/{id}/diff?from=1&to=2"), Some(&o.first)).await.json().await.unwrap();
        assert_eq!(diff["changes"][0]["field"], "processing_time");
        assert!(diff["changes"][0]["diff"].as_str().unwrap().contains("+Không quá 03 ngày"));
        let versions: Value = p.get(&format!("/api/v1/procedures/{id}/versions"), Some(&o.first)).await.json().await.unwrap();
        assert_eq!(versions.as_array().unwrap().len(), 2);
        let (_, live) = page(&p, &url).await;
        assert!(live.contains("05 ngày") && !live.contains("03 ngày"), "the published version stays live");
        act(&p, &o.first, id, "submit").await;
        act(&p, &o.second, id, "approve").await;
        let (_, now) = page(&p, &url).await;
        assert!(now.contains("03 ngày"), "the approved change is live");
        p.finish().await;
    }

    // The import is idempotent on the code; a bad line is reported with
    // its number; `publish` is for administrators.
    async fn the_import_changes_nothing_the_second_time(b: Backend) {
        let p = TestPortal::start(b).await;
        let o = office(&p).await;
        let lines = [procedure("1.000201").to_string(), procedure("1.000202").to_string(), "{\"code\": \"1.000203\"}".to_owned()].join("\n");
        let body = json!({"format": "jsonl", "text": lines, "publish": true});
        let first: Value = p.send_json(Method::POST, "/api/v1/procedures/import", Some(&o.admin), body.clone()).await.json().await.unwrap();
        assert_eq!((first["created"].as_u64(), first["published"].as_u64()), (Some(2), Some(2)));
        assert_eq!(first["errors"][0]["line"], 3);
        let again: Value = p.send_json(Method::POST, "/api/v1/procedures/import", Some(&o.admin), body).await.json().await.unwrap();
        assert_eq!((again["created"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64(), again["published"].as_u64()), (Some(0), Some(0), Some(2), Some(0)));
        let versions: Value = p.get("/api/v1/procedures?q=1.000201", Some(&o.admin)).await.json().await.unwrap();
        assert_eq!(versions[0]["version"], 1, "no second version");
        let refused = p.send_json(Method::POST, "/api/v1/procedures/import", Some(&o.first), json!({"format": "jsonl", "text": procedure("1.000204").to_string(), "publish": true})).await;
        assert_problem(refused, 403, "forbidden").await;
        let service = json!({"name": "Đăng ký, điều chỉnh đóng BHXH", "level": "full", "procedures": ["1.000201"], "function": "Nộp hồ sơ điện tử.", "flow": ["Tiếp nhận", "Xử lý", "Trả kết quả"], "status": "operating"});
        let created = p.send_json(Method::POST, "/api/v1/online-services", Some(&o.first), service).await;
        assert_eq!(created.status(), 201);
        let bad = p.send_json(Method::POST, "/api/v1/online-services", Some(&o.first), json!({"name": "X", "level": "full", "procedures": ["9.999999"], "status": "operating"})).await;
        assert_problem(bad, 404, "unknown-reference").await;
        p.finish().await;
    }
}
