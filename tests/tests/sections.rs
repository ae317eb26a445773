//! The section catalogue over HTTP: the appendix seeded exactly, admin
//! changes, restarts that keep everything and seed nothing twice.

use portal_tests::{TestPortal, assert_problem, on_both_databases};
use reqwest::Method;
use serde_json::{Value, json};

/// The appendix of the regulation, as DESIGN.md lists it.
const VI: &[(&str, &[&str])] = &[
    (
        "Giới thiệu Bảo hiểm xã hội Việt Nam",
        &[
            "Hội đồng quản lý",
            "Lãnh đạo Bảo hiểm xã hội Việt Nam",
            "Nhiệm vụ, quyền hạn của Bảo hiểm xã hội Việt Nam",
            "Tổ chức bộ máy của Bảo hiểm xã hội Việt Nam",
            "Lịch sử hình thành, phát triển",
        ],
    ),
    ("Tin tức", &[]),
    (
        "Hệ thống văn bản",
        &["Văn bản pháp quy", "Văn bản của Bảo hiểm xã hội Việt Nam"],
    ),
    ("Chỉ đạo, điều hành", &[]),
    ("PBGDPL (phổ biến, giáo dục pháp luật)", &[]),
    (
        "Hỏi - đáp",
        &[
            "Câu hỏi tổng hợp",
            "Bảo hiểm xã hội",
            "Bảo hiểm y tế",
            "Bảo hiểm thất nghiệp",
        ],
    ),
    ("Diễn đàn nghiệp vụ", &[]),
    ("Danh bạ điện thoại", &[]),
    ("Các dự án đầu tư", &[]),
    ("Hội nhập và hợp tác", &[]),
    ("Thủ tục hành chính Bảo hiểm xã hội", &[]),
    ("Dịch vụ công trực tuyến và Giao dịch điện tử", &[]),
    ("Công bố đề tài khoa học", &[]),
    ("Công khai tài chính", &[]),
    ("Đóng góp ý kiến dự thảo văn bản", &[]),
    ("Đề xuất, kiến nghị với Ngành Bảo hiểm xã hội Việt Nam", &[]),
    ("Số liệu thống kê Ngành Bảo hiểm xã hội Việt Nam", &[]),
];

const EN: &[(&str, &[&str])] = &[
    (
        "About us",
        &[
            "Director General's Message",
            "Vision",
            "Duties and Responsibilities",
            "History Development",
            "Organizational Structure",
        ],
    ),
    (
        "News",
        &[
            "Viet Nam Social Security News",
            "International Social Security News",
            "External Information",
            "Gallery",
        ],
    ),
    ("Research and Statistics", &["Research", "Statistics", "Others"]),
    (
        "Benefits",
        &[
            "Sickness",
            "Maternity",
            "Work injury and Occupational diseases",
            "Old-age",
            "Survivors",
            "Unemployment",
            "Medical benefit (Healthcare insurance)",
            "Certificate of Coverage",
        ],
    ),
    ("Legal Documents", &[]),
    ("FAQs", &[]),
    ("Contact Us", &[]),
    ("External Information by topics", &[]),
    ("Website links", &[]),
    ("VSS Introduction Video clip", &[]),
    ("Posters", &[]),
    ("Call Center", &[]),
    ("Member login", &[]),
];

fn names(tree: &Value, key: &str) -> Vec<(String, Vec<String>)> {
    tree.as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let kids = n["children"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c[key].as_str().unwrap().to_owned())
                .collect();
            (n[key].as_str().unwrap().to_owned(), kids)
        })
        .collect()
}

fn expected(list: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    list.iter()
        .map(|(n, kids)| (n.to_string(), kids.iter().map(|k| k.to_string()).collect()))
        .collect()
}

on_both_databases! {
    async fn the_tree_matches_the_appendix(b: Backend) {
        let p = TestPortal::start(b).await;
        let vi: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        assert_eq!(names(&vi, "name_vi"), expected(VI));
        let en: Value = p.get("/api/v1/sections?edition=en", None).await.json().await.unwrap();
        assert_eq!(names(&en, "name_en"), expected(EN));
        let qa = &vi[5];
        assert_eq!(qa["slug"], "hoi-dap");
        assert_eq!(qa["name_en"], "Questions and answers");
        for node in vi.as_array().unwrap().iter().chain(en.as_array().unwrap()) {
            for key in ["id", "slug", "name_vi", "name_en", "children"] {
                assert!(!node[key].is_null(), "{key} missing in {node}");
            }
            assert!(node["slug"].as_str().unwrap().bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'));
        }
        assert_eq!(en[0]["children"][0]["name_vi"], "Thông điệp của Tổng Giám đốc");
        let resp = p.get("/api/v1/sections?edition=fr", None).await;
        assert_problem(resp, 422, "validation").await;
        p.finish().await;
    }

    async fn admins_shape_the_catalogue(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let vi: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        let news = vi[1]["id"].as_i64().unwrap();
        // Create an item under News, generated slug without diacritics.
        let resp = p.send_json(Method::POST, "/api/v1/sections", Some(&admin), json!({"edition": "vi", "parent_id": news, "name_vi": "Tin địa phương", "name_en": "Local news"})).await;
        assert_eq!(resp.status(), 201);
        let item: Value = resp.json().await.unwrap();
        assert_eq!(item["slug"], "tin-dia-phuong");
        assert_eq!(item["slug_en"], "local-news");
        // The same slug twice under one parent is refused.
        let resp = p.send_json(Method::POST, "/api/v1/sections", Some(&admin), json!({"edition": "vi", "parent_id": news, "name_vi": "Tin địa phương", "name_en": "Other"})).await;
        assert_problem(resp, 409, "conflict").await;
        // Rename.
        let id = item["id"].as_i64().unwrap();
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/sections/{id}"), Some(&admin), json!({"name_vi": "Tin tức địa phương"})).await;
        assert_eq!(resp.status(), 200);
        // Move to the top level, first place: the others shift down.
        let resp = p.send_json(Method::POST, &format!("/api/v1/sections/{id}/move"), Some(&admin), json!({"parent_id": null, "position": 1})).await;
        assert_eq!(resp.status(), 200);
        let vi: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        assert_eq!(vi.as_array().unwrap().len(), 18);
        assert_eq!(vi[0]["name_vi"], "Tin tức địa phương");
        assert_eq!(vi[1]["name_vi"], "Giới thiệu Bảo hiểm xã hội Việt Nam");
        let positions: Vec<i64> = vi.as_array().unwrap().iter().map(|n| n["position"].as_i64().unwrap()).collect();
        assert_eq!(positions, (1..=18).collect::<Vec<_>>());
        // A section cannot move under its own item.
        let intro = vi[1]["id"].as_i64().unwrap();
        let intro_item = vi[1]["children"][0]["id"].as_i64().unwrap();
        let resp = p.send_json(Method::POST, &format!("/api/v1/sections/{intro}/move"), Some(&admin), json!({"parent_id": intro_item})).await;
        assert_problem(resp, 422, "validation").await;
        // Nor into the other edition.
        let en: Value = p.get("/api/v1/sections?edition=en", None).await.json().await.unwrap();
        let resp = p.send_json(Method::POST, &format!("/api/v1/sections/{id}/move"), Some(&admin), json!({"parent_id": en[0]["id"]})).await;
        assert_problem(resp, 422, "validation").await;
        // Hide: gone from the public tree, shown to admins on request.
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/sections/{id}"), Some(&admin), json!({"visible": false})).await;
        assert_eq!(resp.status(), 200);
        let public: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        assert_eq!(public.as_array().unwrap().len(), 17);
        assert_eq!(p.get(&format!("/api/v1/sections/{id}"), None).await.status(), 404);
        let all: Value = p.get("/api/v1/sections?edition=vi&include_hidden=true", Some(&admin)).await.json().await.unwrap();
        assert_eq!(all.as_array().unwrap().len(), 18);
        assert_eq!(p.get("/api/v1/sections?edition=vi&include_hidden=true", None).await.status(), 401);
        p.finish().await;
    }

    async fn a_restart_keeps_everything_and_seeds_nothing_twice(b: Backend) {
        let mut p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        p.create_user(&admin, "keeper", &["editor", "board_member"]).await;
        let vi: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        let news = vi[1]["id"].as_i64().unwrap();
        p.send_json(Method::PATCH, &format!("/api/v1/sections/{news}"), Some(&admin), json!({"name_vi": "Tin tức - Sự kiện"})).await;
        let units_before: Value = p.get("/api/v1/units", None).await.json().await.unwrap();
        p.restart().await;
        let admin = p.admin_token().await;
        let token = p.login("keeper", &portal_tests::password_of("keeper")).await;
        let me: Value = p.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        assert_eq!(me["roles"], json!(["board_member", "editor"]));
        let units_after: Value = p.get("/api/v1/units", None).await.json().await.unwrap();
        assert_eq!(units_before, units_after);
        let vi: Value = p.get("/api/v1/sections?edition=vi&include_hidden=true", Some(&admin)).await.json().await.unwrap();
        assert_eq!(vi.as_array().unwrap().len(), 17);
        assert_eq!(vi[1]["name_vi"], "Tin tức - Sự kiện");
        let users: Value = p.get("/api/v1/users", Some(&admin)).await.json().await.unwrap();
        assert_eq!(users.as_array().unwrap().len(), 2, "no second admin");
        p.finish().await;
    }

    async fn units_can_be_added_for_provincial_offices(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let units: Value = p.get("/api/v1/units", None).await.json().await.unwrap();
        assert_eq!(units.as_array().unwrap().len(), 10);
        for code in ["communication_centre", "support_centre", "it_centre", "office", "international_cooperation", "organisation_personnel", "emulation_rewards", "social_security_institute"] {
            assert!(units.as_array().unwrap().iter().any(|u| u["code"] == code), "{code} seeded");
        }
        let resp = p.send_json(Method::POST, "/api/v1/units", Some(&admin), json!({"code": "bhxh_kon_tum", "kind": "provincial", "name_vi": "Bảo hiểm xã hội tỉnh Kon Tum", "name_en": "Kon Tum Social Security"})).await;
        assert_eq!(resp.status(), 201);
        let unit: Value = resp.json().await.unwrap();
        let resp = p.send_json(Method::POST, "/api/v1/units", Some(&admin), json!({"code": "x", "kind": "planet", "name_vi": "x", "name_en": "x"})).await;
        let body = assert_problem(resp, 422, "validation").await;
        assert_eq!(body["field"], "kind");
        let resp = p.send_json(Method::PATCH, &format!("/api/v1/units/{}", unit["id"]), Some(&admin), json!({"name_en": "Kon Tum Provincial Social Security"})).await;
        assert_eq!(resp.status(), 200);
        p.finish().await;
    }
}
