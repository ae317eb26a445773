//! Royalties over HTTP (Đ7.2a, Đ17; Decree 18/2014/NĐ-CP): publishing
//! opens a sheet, an editor proposes, the wrong people are refused, the
//! board's standing deputy approves, Finance pays, and the statement in
//! CSV and XLSX reads back with the right totals; on SQLite and
//! PostgreSQL.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::Datelike;
use portal_tests::{TestPortal, assert_problem, on_both_databases, password_of};
use reqwest::Method;
use serde_json::{Value, json};

async fn post_json(p: &TestPortal, token: &str, path: &str, body: Value) -> reqwest::Response {
    p.send_json(Method::POST, path, Some(token), body).await
}

async fn ok_json(resp: reqwest::Response, status: u16) -> Value {
    let code = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    assert_eq!(code, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn transition(p: &TestPortal, token: &str, id: i64, action: &str) {
    let resp = post_json(
        p,
        token,
        &format!("/api/v1/posts/{id}/transitions"),
        json!({"action": action, "comment": "Đồng ý"}),
    )
    .await;
    ok_json(resp, 200).await;
}

async fn proposals_total(p: &TestPortal, token: &str) -> i64 {
    let v = ok_json(p.get("/api/v1/royalties/proposals", Some(token)).await, 200).await;
    v["total"].as_i64().unwrap()
}

on_both_databases! {
    async fn publish_propose_approve_pay_and_read_the_statement(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let writer_id = p.create_user(&admin, "phongvien", &["contributor"]).await;
        p.create_user(&admin, "bientap", &["editor"]).await;
        p.create_user(&admin, "phoban", &["board_deputy_standing"]).await;
        p.create_user(&admin, "ketoan", &["finance"]).await;
        let writer = p.login("phongvien", &password_of("phongvien")).await;
        let editor = p.login("bientap", &password_of("bientap")).await;
        let deputy = p.login("phoban", &password_of("phoban")).await;
        let finance = p.login("ketoan", &password_of("ketoan")).await;
        let tree: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        let news = tree[1]["id"].as_i64().unwrap();

        let post = ok_json(
            post_json(&p, &writer, "/api/v1/posts", json!({
                "edition": "vi", "section_id": news,
                "title": "Bình luận: lương hưu sau cải cách tiền lương",
                "summary": "Mức lương cơ sở mới và lương hưu.",
                "body": "Nội dung bình luận.",
                "genre": "commentary",
                "authors": [{"user_id": writer_id}, {"name": "Lê Thị Hoa"}],
            })).await,
            201,
        )
        .await;
        let id = post["id"].as_i64().unwrap();
        transition(&p, &writer, id, "submit").await;
        transition(&p, &editor, id, "approve").await;
        transition(&p, &deputy, id, "approve").await;
        transition(&p, &editor, id, "publish").await;

        // Publishing opened the sheet, with both authors, for the
        // Communication Centre.
        let sheets = ok_json(p.get("/api/v1/royalties/sheets?status=waiting", Some(&editor)).await, 200).await;
        assert_eq!(sheets["total"], 1, "{sheets}");
        let sheet = &sheets["items"][0];
        assert_eq!(sheet["post_id"], id);
        assert_eq!(sheet["people"][0]["user_id"], writer_id);
        assert_eq!(sheet["people"][1]["name"], "Lê Thị Hoa");
        let holder = sheet["holder_id"].as_i64().unwrap();
        let forbidden = p.get("/api/v1/royalties/sheets", Some(&writer)).await;
        assert_eq!(ok_json(forbidden, 200).await["total"], 0, "a contributor reads no holder's sheets");

        let year = chrono::Utc::now().with_timezone(&chrono_tz()).year();
        let budget = p
            .send_json(
                Method::PUT,
                &format!("/api/v1/royalties/holders/{holder}/budgets/{year}"),
                Some(&editor),
                json!({"amount": 10_000_000}),
            )
            .await;
        assert_problem(budget, 403, "forbidden").await;
        let budget = p
            .send_json(
                Method::PUT,
                &format!("/api/v1/royalties/holders/{holder}/budgets/{year}"),
                Some(&finance),
                json!({"amount": 10_000_000}),
            )
            .await;
        assert_eq!(ok_json(budget, 200).await["meter"]["budget"], 10_000_000);

        // A coefficient over commentary's maximum of 30 is refused,
        // naming the field and the range, and nothing is stored.
        let shares = json!([{"user_id": writer_id, "share": 1}, {"name": "Lê Thị Hoa", "share": 2}]);
        let refused = post_json(&p, &editor, "/api/v1/royalties/proposals",
            json!({"post_id": id, "genre": "commentary", "coefficient": 30.5, "shares": shares})).await;
        let problem = assert_problem(refused, 422, "validation").await;
        assert_eq!(problem["field"], "coefficient");
        assert!(problem["detail"].as_str().unwrap().contains("between 1 and 30"), "{problem}");
        let refused = post_json(&p, &editor, "/api/v1/royalties/proposals",
            json!({"post_id": id, "genre": "commentary", "coefficient": 12.5,
                   "shares": [{"user_id": writer_id, "share": 1.5}]})).await;
        assert_eq!(assert_problem(refused, 422, "validation").await["field"], "share");
        let refused = post_json(&p, &editor, "/api/v1/royalties/proposals",
            json!({"post_id": id, "genre": "commentary", "coefficient": 12.5, "translation_percent": 70,
                   "shares": shares})).await;
        assert_eq!(assert_problem(refused, 422, "validation").await["field"], "translation_percent");
        assert_eq!(proposals_total(&p, &finance).await, 0);
        let refused = post_json(&p, &writer, "/api/v1/royalties/proposals",
            json!({"post_id": id, "genre": "commentary", "coefficient": 12.5, "shares": shares})).await;
        assert_problem(refused, 403, "forbidden").await;

        // 12.5 × 253,000 = 3,162,500, shared 1:2 to the đồng.
        let proposal = ok_json(
            post_json(&p, &editor, "/api/v1/royalties/proposals",
                json!({"post_id": id, "genre": "commentary", "coefficient": 12.5, "shares": shares})).await,
            201,
        )
        .await;
        assert_eq!(proposal["status"], "proposed");
        assert_eq!(proposal["unit_value"], 253_000);
        assert_eq!(proposal["total"], 3_162_500);
        assert_eq!(proposal["lines"][0]["amount"], 1_054_167);
        assert_eq!(proposal["lines"][1]["name"], "Lê Thị Hoa");
        assert_eq!(proposal["lines"][1]["amount"], 2_108_333);
        assert_eq!(proposal["over_budget"], false);
        let pid = proposal["id"].as_i64().unwrap();
        let actions = format!("/api/v1/royalties/proposals/{pid}/actions");

        // The wrong people are refused: the proposer, a contributor,
        // Finance before approval.
        assert_problem(post_json(&p, &editor, &actions, json!({"action": "approve"})).await, 403, "forbidden").await;
        assert_problem(post_json(&p, &writer, &actions, json!({"action": "approve"})).await, 403, "forbidden").await;
        assert_problem(
            post_json(&p, &finance, &actions, json!({"action": "pay", "reference": "PC-01"})).await,
            409,
            "conflict",
        )
        .await;
        let approved = ok_json(post_json(&p, &deputy, &actions, json!({"action": "approve"})).await, 200).await;
        assert_eq!(approved["status"], "approved");
        assert_problem(
            post_json(&p, &deputy, &actions, json!({"action": "pay", "reference": "PC-01"})).await,
            403,
            "forbidden",
        )
        .await;
        let missing = post_json(&p, &finance, &actions, json!({"action": "pay"})).await;
        assert_eq!(assert_problem(missing, 422, "validation").await["field"], "reference");
        let paid = ok_json(
            post_json(&p, &finance, &actions, json!({"action": "pay", "reference": "PC-0123"})).await,
            200,
        )
        .await;
        assert_eq!(paid["status"], "paid");
        // The writer is on the payroll; Lê Thị Hoa is not and reaches the
        // 2,000,000 threshold: 10 % withheld.
        assert_eq!(paid["lines"][0]["withheld"], 0);
        assert_eq!(paid["lines"][1]["withheld"], 210_833);
        assert_eq!(paid["lines"][1]["net"], 1_897_500);
        assert_problem(
            post_json(&p, &finance, &actions, json!({"action": "pay", "reference": "PC-0124"})).await,
            409,
            "conflict",
        )
        .await;

        // The statement per author, in JSON, CSV and XLSX.
        let json_statement = ok_json(p.get("/api/v1/royalties/statements?group=author", Some(&finance)).await, 200).await;
        assert_eq!(json_statement["total"]["gross"], 3_162_500);
        assert_eq!(json_statement["total"]["withheld"], 210_833);
        assert_eq!(json_statement["total"]["net"], 2_951_667);
        let csv = p.get("/api/v1/royalties/statements?group=author&format=csv", Some(&finance)).await;
        assert_eq!(csv.status(), 200);
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let csv = csv.text().await.unwrap();
        assert!(csv.contains("Họ và tên,Số dòng,Nhuận bút (đồng)"), "{csv}");
        assert!(csv.contains("Lê Thị Hoa,1,2108333,210833,1897500"), "{csv}");
        assert!(csv.contains("Tổng cộng,,3162500,210833,2951667"), "{csv}");
        let xlsx = p.get("/api/v1/royalties/statements?group=line&format=xlsx", Some(&finance)).await;
        assert_eq!(xlsx.status(), 200);
        let bytes = xlsx.bytes().await.unwrap();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an XLSX workbook");
        let sheet = book.worksheet_range_at(0).expect("a sheet").expect("readable");
        let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
        assert_eq!(rows[1][1], Data::String("Họ và tên".into()));
        let hoa = rows.iter().find(|r| r[1] == Data::String("Lê Thị Hoa".into())).expect("her line");
        assert_eq!(hoa[8], Data::Float(2_108_333.0));
        assert_eq!(hoa[9], Data::Float(210_833.0));
        assert_eq!(hoa[12], Data::String("PC-0123".into()));
        let total = rows.last().unwrap();
        assert_eq!(total[8], Data::Float(3_162_500.0));
        assert_eq!(total[10], Data::Float(2_951_667.0));
        // Anyone reads their own statement, nobody else's.
        let own = p.get(&format!("/api/v1/royalties/statements?author={writer_id}"), Some(&writer)).await;
        assert_eq!(ok_json(own, 200).await["total"]["gross"], 1_054_167);
        assert_problem(p.get("/api/v1/royalties/statements", Some(&writer)).await, 403, "forbidden").await;

        // A paid line never changes: a correction is a new proposal of the
        // difference, and over the budget it needs an override.
        let budget = p
            .send_json(
                Method::PUT,
                &format!("/api/v1/royalties/holders/{holder}/budgets/{year}"),
                Some(&finance),
                json!({"amount": 3_200_000}),
            )
            .await;
        ok_json(budget, 200).await;
        let adjusting = ok_json(
            post_json(&p, &editor, "/api/v1/royalties/proposals",
                json!({"post_id": id, "genre": "commentary", "coefficient": 13, "shares": shares})).await,
            201,
        )
        .await;
        assert_eq!(adjusting["adjusts_id"], pid);
        assert_eq!(adjusting["total"], 126_500);
        assert_eq!(adjusting["over_budget"], true);
        let aid = adjusting["id"].as_i64().unwrap();
        let actions = format!("/api/v1/royalties/proposals/{aid}/actions");
        let refused = post_json(&p, &deputy, &actions, json!({"action": "approve"})).await;
        assert_eq!(assert_problem(refused, 422, "validation").await["field"], "override_budget");
        let approved = ok_json(
            post_json(&p, &deputy, &actions, json!({"action": "approve", "override_budget": true,
                "comment": "Bổ sung dự toán quý IV"})).await,
            200,
        )
        .await;
        assert_eq!(approved["budget_override"], "Bổ sung dự toán quý IV");
        let first = ok_json(p.get(&format!("/api/v1/royalties/proposals/{pid}"), Some(&finance)).await, 200).await;
        assert_eq!(first["lines"][1]["amount"], 2_108_333, "the paid line is unchanged");

        // Every step is in the audit log.
        let audit = ok_json(p.get("/api/v1/audit?action=royalty.pay", Some(&admin)).await, 200).await;
        assert_eq!(audit.as_array().map(Vec::len), Some(1), "{audit}");
        p.finish().await;
    }

    async fn a_published_answer_is_paid_by_the_support_centre(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let first_id = p.create_user(&admin, "dieuphoi", &["qa_coordinator"]).await;
        p.create_user(&admin, "dieuphoi2", &["qa_coordinator"]).await;
        p.create_user(&admin, "uyvien", &["board_member"]).await;
        p.create_user(&admin, "bientap", &["editor"]).await;
        let coordinator = p.login("dieuphoi", &password_of("dieuphoi")).await;
        let second = p.login("dieuphoi2", &password_of("dieuphoi2")).await;
        let board = p.login("uyvien", &password_of("uyvien")).await;
        let editor = p.login("bientap", &password_of("bientap")).await;
        ok_json(p.send_json(Method::POST, "/api/v1/qa/questions", None, json!({
            "name": "Trần Thị Bình", "email": "binh@example.vn", "category": "social_insurance",
            "title": "Cách tính lương hưu", "content": "Tôi đóng BHXH 20 năm, lương hưu tính thế nào?", "consent": true,
        })).await, 201).await;
        let inbox = ok_json(p.get("/api/v1/qa/questions", Some(&coordinator)).await, 200).await;
        let id = inbox[0]["id"].as_i64().unwrap();
        let action = |token: &str, body: Value| {
            let (p, token) = (&p, token.to_owned());
            async move { ok_json(post_json(p, &token, &format!("/api/v1/qa/questions/{id}/actions"), body).await, 200).await }
        };
        action(&coordinator, json!({"action": "answer_directly", "answer": "Lương hưu bằng 45 % mức bình quân tiền lương."})).await;
        action(&board, json!({"action": "approve_answer"})).await;
        action(&coordinator, json!({"action": "publish"})).await;

        let sheets = ok_json(p.get("/api/v1/royalties/sheets?status=waiting", Some(&coordinator)).await, 200).await;
        assert_eq!(sheets["total"], 1, "{sheets}");
        assert_eq!(sheets["items"][0]["question_id"], id);
        assert_eq!(sheets["items"][0]["people"][0]["user_id"], first_id);
        assert_eq!(
            ok_json(p.get("/api/v1/royalties/sheets", Some(&editor)).await, 200).await["total"],
            0,
            "the Communication Centre's editors do not read the Support Centre's sheets"
        );
        let shares = json!([{"user_id": first_id, "share": 1}]);
        let refused = post_json(&p, &editor, "/api/v1/royalties/proposals",
            json!({"question_id": id, "genre": "answer_to_readers", "coefficient": 3, "shares": shares})).await;
        assert_problem(refused, 403, "forbidden").await;
        let proposal = ok_json(post_json(&p, &coordinator, "/api/v1/royalties/proposals",
            json!({"question_id": id, "genre": "answer_to_readers", "coefficient": 3, "shares": shares})).await, 201).await;
        assert_eq!(proposal["total"], 759_000);
        let actions = format!("/api/v1/royalties/proposals/{}/actions", proposal["id"]);
        assert_problem(post_json(&p, &coordinator, &actions, json!({"action": "approve", "override_budget": true,
            "comment": "Chưa giao dự toán"})).await, 403, "forbidden").await;
        let approved = ok_json(post_json(&p, &second, &actions, json!({"action": "approve", "override_budget": true,
            "comment": "Chưa giao dự toán năm nay"})).await, 200).await;
        assert_eq!(approved["status"], "approved");
        p.finish().await;
    }

    async fn rates_are_dated_data_kept_by_finance(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        p.create_user(&admin, "ketoan", &["finance"]).await;
        p.create_user(&admin, "bientap", &["editor"]).await;
        let finance = p.login("ketoan", &password_of("ketoan")).await;
        let editor = p.login("bientap", &password_of("bientap")).await;
        let june = ok_json(p.get("/api/v1/royalties/rates?on=2026-06-30", Some(&editor)).await, 200).await;
        assert_eq!((june["base_salary"].as_i64(), june["unit_value"].as_i64()), (Some(2_340_000), Some(234_000)));
        let july = ok_json(p.get("/api/v1/royalties/rates?on=2026-07-01", Some(&editor)).await, 200).await;
        assert_eq!(july["unit_value"], 253_000);
        let max = july["in_force"].as_array().unwrap().iter()
            .find(|r| r["key"] == "coefficient_max.media").unwrap().clone();
        assert_eq!(max["value"], 50.0);

        let body = json!({"key": "base_salary", "effective_from": "2027-07-01", "value": 2_800_000,
            "basis": "Nghị định (dự kiến)"});
        assert_problem(post_json(&p, &editor, "/api/v1/royalties/rates", body.clone()).await, 403, "forbidden").await;
        let added = ok_json(post_json(&p, &finance, "/api/v1/royalties/rates", body).await, 201).await;
        assert_eq!(added["value"], 2_800_000.0);
        let later = ok_json(p.get("/api/v1/royalties/rates?on=2027-07-01", Some(&editor)).await, 200).await;
        assert_eq!(later["unit_value"], 280_000);
        let still = ok_json(p.get("/api/v1/royalties/rates?on=2027-06-30", Some(&editor)).await, 200).await;
        assert_eq!(still["unit_value"], 253_000);
        let bad = post_json(&p, &finance, "/api/v1/royalties/rates",
            json!({"key": "salary", "effective_from": "2027-01-01", "value": 1})).await;
        assert_eq!(assert_problem(bad, 422, "validation").await["field"], "key");

        // The estimate for next year, consolidated, as XLSX.
        let xlsx = p.get("/api/v1/royalties/estimate?format=xlsx", Some(&finance)).await;
        assert_eq!(xlsx.status(), 200);
        let bytes = xlsx.bytes().await.unwrap();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an XLSX workbook");
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
        assert_eq!(rows.len(), 5, "title, header, two holders, the consolidated line");
        assert_eq!(rows[4][0], Data::String("Tổng hợp".into()));
        p.finish().await;
    }
}

fn chrono_tz() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(7 * 3600).unwrap()
}
