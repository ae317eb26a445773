//! Citizens' questions over HTTP (Đ11.1a "Hỏi đáp"), on both databases.

use portal_tests::{TestPortal, assert_problem, on_both_databases};
use reqwest::Method;
use serde_json::{Value, json};

fn question() -> Value {
    json!({"name": "Trần Thị Bình", "email": "binh@example.vn", "phone": "0912345678", "address": "Hà Nội",
           "category": "social_insurance", "title": "Cách tính lương hưu", "content": "Tôi đóng BHXH 20 năm, lương hưu được tính thế nào?", "consent": true})
}

async fn unit_id(p: &TestPortal, code: &str) -> i64 {
    let units: Value = p.get("/api/v1/units", None).await.json().await.unwrap();
    units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == code)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn act(p: &TestPortal, token: &str, id: i64, body: Value) -> reqwest::Response {
    p.send_json(
        Method::POST,
        &format!("/api/v1/qa/questions/{id}/actions"),
        Some(token),
        body,
    )
    .await
}

async fn ok(p: &TestPortal, token: &str, id: i64, body: Value) -> Value {
    let resp = act(p, token, id, body.clone()).await;
    assert_eq!(resp.status(), 200, "{body}: {}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

on_both_databases! {
    // Reads follow the same rule as actions: a responder reads only the
    // questions forwarded to their unit, without the asker's data; the
    // board reads the question; coordination reads the asker too, audited.
    async fn reads_follow_the_rule_of_actions(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        for _ in 0..2 {
            assert_eq!(p.send_json(Method::POST, "/api/v1/qa/questions", None, question()).await.status(), 201);
        }
        let (policy, institute) = (unit_id(&p, "office").await, unit_id(&p, "social_security_institute").await);
        p.create_user(&admin, "dieuphoi", &["qa_coordinator"]).await;
        for (name, unit) in [("traloi1", policy), ("traloi2", institute)] {
            let id = p.create_user(&admin, name, &["qa_responder"]).await;
            p.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), json!({"unit_id": unit})).await;
        }
        p.create_user(&admin, "uyvien", &["board_member"]).await;
        p.create_user(&admin, "bientap", &["editor"]).await;
        let coordinator = p.login("dieuphoi", &portal_tests::password_of("dieuphoi")).await;
        let responder = p.login("traloi1", &portal_tests::password_of("traloi1")).await;
        let other_unit = p.login("traloi2", &portal_tests::password_of("traloi2")).await;
        let board = p.login("uyvien", &portal_tests::password_of("uyvien")).await;
        let editor = p.login("bientap", &portal_tests::password_of("bientap")).await;
        let inbox: Value = p.get("/api/v1/qa/questions", Some(&coordinator)).await.json().await.unwrap();
        let (forwarded, kept) = (inbox[0]["id"].as_i64().unwrap(), inbox[1]["id"].as_i64().unwrap());
        ok(&p, &coordinator, forwarded, json!({"action": "forward", "unit_ids": [policy]})).await;
        let get = async |token: &str, id: i64| p.get(&format!("/api/v1/qa/questions/{id}"), Some(token)).await;
        let mine: Value = get(&responder, forwarded).await.json().await.unwrap();
        assert_eq!(mine["title"], "Cách tính lương hưu");
        for field in ["name", "email", "phone", "address"] {
            assert!(mine[field].is_null(), "{field} hidden from the unit: {mine}");
        }
        assert_problem(get(&responder, kept).await, 404, "not-found").await;
        assert_problem(get(&other_unit, forwarded).await, 404, "not-found").await;
        assert_problem(get(&editor, forwarded).await, 403, "forbidden").await;
        let seen: Value = get(&board, forwarded).await.json().await.unwrap();
        assert!(seen["name"].is_null() && seen["content"].is_string());
        let list: Value = p.get("/api/v1/qa/questions", Some(&responder)).await.json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert!(list[0]["email"].is_null());
        let full: Value = get(&coordinator, forwarded).await.json().await.unwrap();
        assert_eq!(full["email"], "binh@example.vn");
        let audit: Value = p.get("/api/v1/audit?action=qa.read_personal", Some(&admin)).await.json().await.unwrap();
        assert!(audit.as_array().unwrap().iter().any(|e| e["target_id"] == forwarded.to_string().as_str() && e["actor"] == "dieuphoi"), "{audit}");
        // The editor's page follows the same rule.
        let web = portal_tests::browser();
        let html = web.get(p.url("/editor/login")).send().await.unwrap().text().await.unwrap();
        let marker = "name=\"csrf\" value=\"";
        let start = html.find(marker).unwrap() + marker.len();
        let csrf = html[start..].split('"').next().unwrap().to_owned();
        web.post(p.url("/editor/login")).form(&[("username", "traloi1"), ("password", &portal_tests::password_of("traloi1")), ("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(web.get(p.url(&format!("/editor/qa/{kept}"))).send().await.unwrap().status(), 404);
        let page = web.get(p.url(&format!("/editor/qa/{forwarded}"))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Cách tính lương hưu") && !page.contains("binh@example.vn") && !page.contains("Trần Thị Bình"));
        p.finish().await;
    }

    async fn a_question_goes_from_asking_to_answer(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let resp = p.send_json(Method::POST, "/api/v1/qa/questions", None, question()).await;
        assert_eq!(resp.status(), 201);
        let asked: Value = resp.json().await.unwrap();
        let code = asked["tracking_code"].as_str().unwrap().to_owned();
        let mails = p.outbox();
        assert_eq!(mails.len(), 1);
        assert!(mails[0].contains("To: binh@example.vn") && mails[0].contains(&code));
        assert!(mails[0].contains(&format!("Tra cứu tại: {}/vi/hoi-dap/tra-cuu?code={code}", p.url("").trim_end_matches('/'))), "{}", mails[0]);
        // The tracking page answers a form POST; a GET only fills the code in.
        let page = portal_tests::client()
            .post(p.url("/vi/hoi-dap/tra-cuu"))
            .form(&[("code", code.as_str()), ("email", "binh@example.vn")])
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("id=\"track-status\""));
        let page = p.get(&format!("/vi/hoi-dap/tra-cuu?code={code}&email=binh@example.vn"), None).await.text().await.unwrap();
        assert!(!page.contains("id=\"track-status\"") && page.contains(&code));
        // Staff and units.
        let policy = unit_id(&p, "office").await;
        let institute = unit_id(&p, "social_security_institute").await;
        let coordinator_id = p.create_user(&admin, "dieuphoi", &["qa_coordinator"]).await;
        let responder_id = p.create_user(&admin, "traloi", &["qa_responder"]).await;
        p.create_user(&admin, "uyvien", &["board_member"]).await;
        p.create_user(&admin, "traloi2", &["qa_responder"]).await;
        p.send_json(Method::PATCH, &format!("/api/v1/users/{responder_id}"), Some(&admin), json!({"unit_id": policy})).await;
        let coordinator = p.login("dieuphoi", &portal_tests::password_of("dieuphoi")).await;
        let responder = p.login("traloi", &portal_tests::password_of("traloi")).await;
        let outsider = p.login("traloi2", &portal_tests::password_of("traloi2")).await;
        let board = p.login("uyvien", &portal_tests::password_of("uyvien")).await;
        let _ = coordinator_id;
        let inbox: Value = p.get("/api/v1/qa/questions", Some(&coordinator)).await.json().await.unwrap();
        let id = inbox[0]["id"].as_i64().unwrap();
        assert_eq!(inbox[0]["name"], "Trần Thị Bình");
        assert_eq!(inbox[0]["clocks"]["overall"], "on_track");
        // Wrong roles are refused and change nothing.
        assert_problem(act(&p, &responder, id, json!({"action": "classify"})).await, 403, "forbidden").await;
        assert_problem(act(&p, &board, id, json!({"action": "forward", "unit_ids": [policy]})).await, 403, "forbidden").await;
        ok(&p, &coordinator, id, json!({"action": "classify", "category": "social_insurance"})).await;
        let q = ok(&p, &coordinator, id, json!({"action": "forward", "unit_ids": [policy, institute]})).await;
        assert_eq!(q["status"], "forwarded");
        assert_eq!(q["complex"], true, "two units make it complex");
        let received: chrono::NaiveDate = q["received_at"].as_str().unwrap()[..10].parse().unwrap();
        let due: Value = p.get(&format!("/api/v1/calendar/add-working-days?from={received}&days=10"), None).await.json().await.unwrap();
        assert_eq!(q["deadlines"]["answer_by"], due["date"], "complex: 10 working days");
        assert_problem(act(&p, &outsider, id, json!({"action": "draft_answer", "answer": "x"})).await, 403, "forbidden").await;
        let later = received + chrono::Duration::days(30);
        let q = ok(&p, &responder, id, json!({"action": "progress_notice", "answer_by": later, "comment": "Cần xác minh quá trình đóng"})).await;
        assert_eq!(q["deadlines"]["answer_by"], later.to_string());
        assert_eq!(p.outbox().len(), 2, "the asker is told the new date");
        ok(&p, &responder, id, json!({"action": "draft_answer", "answer": "Lương hưu được tính bằng 45% mức bình quân tiền lương..."})).await;
        assert_problem(act(&p, &coordinator, id, json!({"action": "approve_answer"})).await, 403, "forbidden").await;
        ok(&p, &board, id, json!({"action": "approve_answer"})).await;
        let q = ok(&p, &coordinator, id, json!({"action": "publish"})).await;
        assert_eq!(q["status"], "published");
        // Published answers enter the search, without the asker.
        let (found, took) = p
            .poll_json("/api/v1/search?q=cach+tinh+luong+huu&kind=qa", std::time::Duration::from_secs(5), |v| v["total"] == 1)
            .await;
        assert_eq!(found["total"], 1, "not searchable after {took:?}: {found}");
        assert_eq!(found["hits"][0]["url"], format!("/vi/hoi-dap/cau-hoi/{id}"));
        assert_eq!(found["hits"][0]["section"], "vi-06-02");
        let page = p.get("/vi/tim-kiem?q=lương+hưu", None).await.text().await.unwrap();
        assert!(page.contains("<mark>lương hưu</mark>"), "{page}");
        for secret in ["Trần Thị Bình", "binh@example.vn", "0912345678"] {
            assert!(!found.to_string().contains(secret) && !page.contains(secret), "{secret} must never be published");
        }
        assert!(!found.to_string().contains("Hà Nội"));
        ok(&p, &coordinator, id, json!({"action": "send"})).await;
        let mails = p.outbox();
        assert_eq!(mails.len(), 3);
        assert!(mails[2].contains("45% mức bình quân"));
        // The asker tracks it; a wrong e-mail learns nothing.
        let tracked: Value = p.get(&format!("/api/v1/qa/track/{code}?email=BINH@example.vn"), None).await.json().await.unwrap();
        assert_eq!(tracked["status"], "published");
        assert!(tracked["answer"].as_str().unwrap().contains("45%"));
        assert!(tracked.get("name").is_none() && tracked.get("phone").is_none());
        assert_problem(p.get(&format!("/api/v1/qa/track/{code}?email=other@example.vn"), None).await, 404, "not-found").await;
        // The asker rates the answer on the tracking page, once.
        let rate = |choice: &'static str, comment: String| {
            let (p, code) = (&p, code.clone());
            async move {
                let resp = portal_tests::client()
                    .post(p.url("/vi/hoi-dap/tra-cuu"))
                    .form(&[("code", code.as_str()), ("email", "binh@example.vn"), ("rating", choice), ("rating_comment", comment.as_str())])
                    .send()
                    .await
                    .unwrap();
                (resp.status().as_u16(), resp.text().await.unwrap())
            }
        };
        let (status, page) = rate("unsatisfied", "x".repeat(2001)).await;
        assert_eq!(status, 422);
        assert!(page.contains("Nhận xét tối đa 2000 ký tự") && page.contains("name=\"rating\""), "refused, still open to rating");
        let (status, page) = rate("satisfied", "Trả lời rõ ràng".into()).await;
        assert_eq!(status, 200);
        assert!(page.contains("id=\"rating-done\"") && page.contains("<strong>Hài lòng</strong>"), "{page}");
        let (status, page) = rate("unsatisfied", String::new()).await;
        assert_eq!(status, 409);
        assert!(page.contains("đã được đánh giá") && page.contains("<strong>Hài lòng</strong>"), "the first rating stands");
        let report: Value = p
            .get(&format!("/api/v1/qa/report?from={received}&to={received}"), Some(&admin))
            .await
            .json()
            .await
            .unwrap();
        let line = |category: Option<&str>, unit: Option<i64>| {
            report
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["stage"] == "satisfaction" && l["category"].as_str() == category && l["unit_id"].as_i64() == unit)
                .cloned()
                .unwrap_or_else(|| panic!("no satisfaction line for {category:?} {unit:?}: {report}"))
        };
        assert_eq!(line(None, None)["satisfied"], 1);
        assert_eq!(line(Some("social_insurance"), None)["satisfaction_rate"], 100.0);
        assert_eq!(line(None, Some(policy))["unsatisfied"], 0);
        let csv = p.get(&format!("/api/v1/qa/report?from={received}&to={received}&format=csv"), Some(&admin)).await.text().await.unwrap();
        assert!(csv.contains("Mức độ hài lòng") && csv.contains("Bảo hiểm xã hội"), "{csv}");
        let history: Value = p.get(&format!("/api/v1/qa/questions/{id}"), Some(&coordinator)).await.json().await.unwrap();
        let actions: Vec<&str> = history["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, vec!["ask", "classify", "forward", "progress_notice", "draft_answer", "approve_answer", "publish", "send"]);
        p.finish().await;
    }

    // A proposal or petition follows the Q&A's pipeline with its own
    // categories: tracked, classified, forwarded against the clock,
    // answered, approved and published in section 16 without personal
    // data, apart from the Q&A's questions.
    async fn a_petition_goes_through_the_same_pipeline_into_section_16(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let petition = json!({
            "name": "Công ty TNHH Minh Phát", "email": "lienhe@minhphat.example.vn", "phone": "0243999888",
            "address": "Bắc Ninh", "category": "administrative_procedures",
            "title": "Kiến nghị rút ngắn thời hạn cấp lại sổ", "content": "Đề nghị rút ngắn thời hạn giải quyết thủ tục cấp lại sổ bảo hiểm xã hội.",
            "consent": true,
        });
        let mut bad = petition.clone();
        bad["category"] = json!("health_insurance");
        assert_eq!(p.send_json(Method::POST, "/api/v1/petitions", None, bad).await.status(), 422, "a Q&A category is not a petition's");
        let resp = p.send_json(Method::POST, "/api/v1/petitions", None, petition).await;
        assert_eq!(resp.status(), 201);
        let sent: Value = resp.json().await.unwrap();
        let code = sent["tracking_code"].as_str().unwrap().to_owned();
        assert!(p.outbox()[0].contains("đã nhận kiến nghị"), "acknowledged as a petition");
        let received = content::time::today_vn();
        let due: Value = p.get(&format!("/api/v1/calendar/add-working-days?from={received}&days=7"), None).await.json().await.unwrap();
        assert_eq!(sent["expected_answer_by"], due["date"], "the Q&A's days by default");

        let office = unit_id(&p, "office").await;
        p.create_user(&admin, "dieuphoi", &["qa_coordinator"]).await;
        let responder_id = p.create_user(&admin, "vanphong", &["qa_responder"]).await;
        p.create_user(&admin, "uyvien", &["board_member"]).await;
        p.send_json(Method::PATCH, &format!("/api/v1/users/{responder_id}"), Some(&admin), json!({"unit_id": office})).await;
        let coordinator = p.login("dieuphoi", &portal_tests::password_of("dieuphoi")).await;
        let responder = p.login("vanphong", &portal_tests::password_of("vanphong")).await;
        let board = p.login("uyvien", &portal_tests::password_of("uyvien")).await;
        let inbox: Value = p.get("/api/v1/qa/questions", Some(&coordinator)).await.json().await.unwrap();
        let id = inbox[0]["id"].as_i64().unwrap();
        assert_eq!((inbox[0]["channel"].as_str(), inbox[0]["clocks"]["overall"].as_str()), (Some("petition"), Some("on_track")));
        assert_problem(act(&p, &coordinator, id, json!({"action": "classify", "category": "social_insurance"})).await, 422, "validation").await;
        ok(&p, &coordinator, id, json!({"action": "classify", "category": "service_quality"})).await;
        ok(&p, &coordinator, id, json!({"action": "forward", "unit_ids": [office]})).await;
        ok(&p, &responder, id, json!({"action": "draft_answer", "answer": "Văn phòng đã rà soát và rút ngắn còn 03 ngày làm việc."})).await;
        ok(&p, &board, id, json!({"action": "approve_answer"})).await;
        let q = ok(&p, &coordinator, id, json!({"action": "publish"})).await;
        assert_eq!(q["status"], "published");
        let tracked: Value = p.get(&format!("/api/v1/qa/track/{code}?email=lienhe@minhphat.example.vn"), None).await.json().await.unwrap();
        assert_eq!(tracked["status"], "published");

        let (found, _) = p
            .poll_json("/api/v1/search?q=rut+ngan+thoi+han&kind=petition", std::time::Duration::from_secs(10), |v| v["total"] == 1)
            .await;
        assert_eq!(found["hits"][0]["section"], "vi-16");
        let url = found["hits"][0]["url"].as_str().unwrap().to_owned();
        let page = p.get(&url, None).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("03 ngày làm việc"));
        let section = p.get(url.rsplitn(3, '/').nth(2).unwrap(), None).await.text().await.unwrap();
        assert!(section.contains("Kiến nghị rút ngắn thời hạn") && section.contains("Gửi đề xuất, kiến nghị"), "listed in section 16");
        let qa = p.get("/vi/hoi-dap", None).await.text().await.unwrap();
        assert!(!qa.contains("Kiến nghị rút ngắn thời hạn"), "not among the Q&A's questions");
        for secret in ["Minh Phát", "lienhe@minhphat", "0243999888", "Bắc Ninh"] {
            assert!(!found.to_string().contains(secret) && !html.contains(secret), "{secret} must never be published");
        }
        p.finish().await;
    }

    async fn unclear_questions_are_answered_the_same_day(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        let asked: Value = p.send_json(Method::POST, "/api/v1/qa/questions", None, question()).await.json().await.unwrap();
        p.create_user(&admin, "dieuphoi", &["qa_coordinator"]).await;
        let coordinator = p.login("dieuphoi", &portal_tests::password_of("dieuphoi")).await;
        let inbox: Value = p.get("/api/v1/qa/questions", Some(&coordinator)).await.json().await.unwrap();
        let id = inbox[0]["id"].as_i64().unwrap();
        assert_problem(act(&p, &coordinator, id, json!({"action": "reject_unclear"})).await, 422, "validation").await;
        let q = ok(&p, &coordinator, id, json!({"action": "reject_unclear", "reason": "Chưa nêu rõ thời gian đóng"})).await;
        assert_eq!((q["status"].clone(), q["clocks"]["overall"].clone()), (json!("rejected_unclear"), json!("done")));
        let mails = p.outbox();
        assert!(mails.last().unwrap().contains("Chưa nêu rõ thời gian đóng"));
        assert!(mails.last().unwrap().contains(asked["tracking_code"].as_str().unwrap()));
        p.finish().await;
    }

    async fn bad_input_old_questions_and_rate_limits(b: Backend) {
        let p = TestPortal::start_with(b, &[("PORTAL_QA_RATE_LIMIT_PER_HOUR", "3")]).await;
        let admin = p.admin_token().await;
        let mut q = question();
        q["consent"] = json!(false);
        let body = assert_problem(p.send_json(Method::POST, "/api/v1/qa/questions", None, q).await, 422, "validation").await;
        assert_eq!(body["field"], "consent");
        let mut q = question();
        q["category"] = json!("taxes");
        let body = assert_problem(p.send_json(Method::POST, "/api/v1/qa/questions", None, q).await, 422, "validation").await;
        assert_eq!(body["field"], "category");
        let mut q = question();
        q["website"] = json!("http://spam");
        // The honeypot: answered like a person, so a bot learns nothing;
        // nothing stored, no mail.
        let mails = p.outbox().len();
        let resp = p.send_json(Method::POST, "/api/v1/qa/questions", None, q).await;
        assert_eq!(resp.status(), 201);
        let decoy: Value = resp.json().await.unwrap();
        assert_eq!(decoy["tracking_code"].as_str().unwrap().len(), 10);
        assert_eq!(decoy["status"], "received");
        assert_eq!(p.outbox().len(), mails);
        // The limit (3 per hour here) counts every attempt from the address.
        let resp = p.send_json(Method::POST, "/api/v1/qa/questions", None, question()).await;
        assert_problem(resp, 429, "rate-limited").await;
        use sea_orm::{EntityTrait, PaginatorTrait};
        assert_eq!(content::entity::question::Entity::find().count(p.db()).await.unwrap(), 0, "nothing stored");
        // An imported question with an old receipt date is overdue.
        let resp = p.send_json(Method::POST, "/api/v1/qa/questions/import", Some(&admin), json!({
            "name": "Lê Văn C", "email": "c@example.vn", "category": "general", "title": "Câu hỏi cũ", "content": "Nội dung",
            "received_at": "2024-03-01T09:00:00+07:00"})).await;
        assert_eq!(resp.status(), 201);
        let q: Value = resp.json().await.unwrap();
        assert_eq!(q["clocks"]["overall"], "overdue");
        assert_eq!(q["deadlines"]["classify_by"], "2024-03-08");
        let report: Value = p.get("/api/v1/qa/report?from=2024-01-01&to=2024-12-31", Some(&admin)).await.json().await.unwrap();
        let classify = report.as_array().unwrap().iter().find(|r| r["stage"] == "classify").unwrap();
        assert_eq!((classify["on_time"].clone(), classify["late"].clone()), (json!(0), json!(1)));
        assert_eq!(classify["on_time_rate"], json!(0.0));
        let csv = p.get("/api/v1/qa/report?from=2024-01-01&to=2024-12-31&format=csv", Some(&admin)).await;
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let csv = csv.text().await.unwrap();
        assert!(csv.starts_with("\u{feff}Giai đoạn,Đơn vị,Đúng hạn,Trễ hạn,Đang chờ,Tỷ lệ đúng hạn,Lĩnh vực,Hài lòng,Chưa hài lòng,Tỷ lệ hài lòng\n"), "{csv}");
        assert!(csv.contains("Phân loại,,0,1,0,0.0"));
        let csv = p.get("/api/v1/qa/report?from=2024-01-01&to=2024-12-31&format=csv&lang=en", Some(&admin)).await.text().await.unwrap();
        assert!(csv.starts_with("\u{feff}Stage,Unit,On time,Late,Pending,On-time rate,Topic,Satisfied,Not satisfied,Satisfaction rate\n"), "{csv}");
        assert!(csv.contains("Classification,,0,1,0,0.0"));
        assert_problem(p.get("/api/v1/qa/report?from=2024-12-31&to=2024-01-01", Some(&admin)).await, 422, "validation").await;
        p.create_user(&admin, "bientap", &["editor"]).await;
        let editor = p.login("bientap", &portal_tests::password_of("bientap")).await;
        assert_problem(p.get("/api/v1/qa/questions", Some(&editor)).await, 403, "forbidden").await;
        p.finish().await;
    }
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("hidden field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

on_both_databases! {
    async fn the_public_q_and_a_list_is_paged(b: Backend) {
        let p = TestPortal::start_with(b, &[("PORTAL_QA_RATE_LIMIT_PER_HOUR", "0")]).await;
        let admin = p.admin_token().await;
        for i in 0..31 {
            let mut q = question();
            q["title"] = json!(format!("Câu hỏi số {i:02}"));
            let resp = p.send_json(Method::POST, "/api/v1/qa/questions", None, q).await;
            assert_eq!(resp.status(), 201);
            let code = resp.json::<Value>().await.unwrap()["tracking_code"].as_str().unwrap().to_owned();
            let list: Value = p.get("/api/v1/qa/questions?limit=200", Some(&admin)).await.json().await.unwrap();
            let id = list.as_array().unwrap().iter().find(|x| x["tracking_code"] == code.as_str()).unwrap()["id"].as_i64().unwrap();
            for body in [json!({"action": "answer_directly", "answer": "Trả lời."}), json!({"action": "approve_answer"}), json!({"action": "publish"})] {
                let resp = p.send_json(Method::POST, &format!("/api/v1/qa/questions/{id}/actions"), Some(&admin), body).await;
                assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
            }
        }
        let first = p.get("/vi/hoi-dap", None).await.text().await.unwrap();
        assert_eq!(first.matches("/vi/hoi-dap/cau-hoi/").count(), 30);
        assert!(first.contains("?page=2") && first.contains("Câu hỏi số 30"));
        let second = p.get("/vi/hoi-dap?page=2", None).await.text().await.unwrap();
        assert_eq!(second.matches("/vi/hoi-dap/cau-hoi/").count(), 1);
        assert!(second.contains("Câu hỏi số 00"));
        assert_eq!(p.get("/vi/hoi-dap?page=3", None).await.status(), 404);
        let sitemap = p.get("/sitemap.xml", None).await.text().await.unwrap();
        assert_eq!(sitemap.matches("/vi/hoi-dap/cau-hoi/").count(), 31, "every published answer is in the sitemap");
        // The feeds carry them: the edition's, the Q&A section's and its category's.
        let tree: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        let qa = tree.as_array().unwrap().iter().find(|n| n["code"] == "vi-06").unwrap();
        let social = qa["children"].as_array().unwrap().iter().find(|n| n["code"] == "vi-06-02").unwrap()["slug"].as_str().unwrap().to_owned();
        let health = qa["children"].as_array().unwrap().iter().find(|n| n["code"] == "vi-06-03").unwrap()["slug"].as_str().unwrap().to_owned();
        for path in ["/vi/rss.xml".to_owned(), "/vi/hoi-dap/atom.xml".to_owned(), format!("/vi/hoi-dap/{social}/rss.xml")] {
            let feed = p.get(&path, None).await.text().await.unwrap();
            assert!(feed.contains("Câu hỏi số 30") && feed.contains("/vi/hoi-dap/cau-hoi/"), "{path}: {feed}");
        }
        let other = p.get(&format!("/vi/hoi-dap/{health}/rss.xml"), None).await.text().await.unwrap();
        assert!(!other.contains("Câu hỏi số"), "another category's feed stays without them");
        p.finish().await;
    }

    async fn citizens_ask_on_the_site_and_read_answers_without_personal_data(b: Backend) {
        let p = TestPortal::start(b).await;
        let web = portal_tests::browser();
        let form = web.get(p.url("/vi/hoi-dap/dat-cau-hoi")).send().await.unwrap();
        assert_eq!(form.headers()["cache-control"], "private, no-store");
        let html = form.text().await.unwrap();
        let csrf = hidden(&html, "csrf");
        let fields = [("csrf", csrf.as_str()), ("name", "Phạm Thị Dung"), ("email", "dung@example.vn"), ("phone", "0987654321"),
            ("address", "Số 5 phố Huế, Hà Nội"), ("category", "health_insurance"), ("title", "Thẻ BHYT hết hạn"),
            ("content", "Thẻ bảo hiểm y tế của tôi hết hạn thì gia hạn thế nào?"), ("consent", "true"), ("website", "")];
        let resp = web.post(p.url("/vi/hoi-dap/dat-cau-hoi")).form(&fields).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let html = resp.text().await.unwrap();
        let code_start = html.find("id=\"tracking-code\">").unwrap() + "id=\"tracking-code\">".len();
        let code = &html[code_start..code_start + 10];
        let missing_consent: Vec<(&str, &str)> = fields.iter().copied().filter(|(k, _)| *k != "consent").collect();
        let resp = web.post(p.url("/vi/hoi-dap/dat-cau-hoi")).form(&missing_consent).send().await.unwrap();
        assert_eq!(resp.status(), 422);
        assert!(resp.text().await.unwrap().contains("value=\"Phạm Thị Dung\""), "what was typed is kept");
        let tracked = web
            .post(p.url("/vi/hoi-dap/tra-cuu"))
            .form(&[("code", code), ("email", "dung@example.vn")])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(tracked.contains("Đã tiếp nhận"));
        // Staff answer and publish.
        let admin = p.admin_token().await;
        p.create_user(&admin, "dieuphoi", &["qa_coordinator"]).await;
        p.create_user(&admin, "uyvien", &["board_member"]).await;
        let coordinator = p.login("dieuphoi", &portal_tests::password_of("dieuphoi")).await;
        let board = p.login("uyvien", &portal_tests::password_of("uyvien")).await;
        let inbox: Value = p.get("/api/v1/qa/questions", Some(&coordinator)).await.json().await.unwrap();
        let id = inbox[0]["id"].as_i64().unwrap();
        ok(&p, &coordinator, id, json!({"action": "answer_directly", "answer": "Quý vị **gia hạn** tại đại lý thu hoặc trên VssID."})).await;
        ok(&p, &board, id, json!({"action": "approve_answer"})).await;
        ok(&p, &coordinator, id, json!({"action": "publish"})).await;
        let mut list = String::new();
        for _ in 0..20 {
            list = p.get("/vi/hoi-dap/bao-hiem-y-te", None).await.text().await.unwrap();
            if list.contains("Thẻ BHYT hết hạn") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(list.contains("Thẻ BHYT hết hạn"));
        let detail = p.get(&format!("/vi/hoi-dap/cau-hoi/{id}"), None).await.text().await.unwrap();
        assert!(detail.contains("<strong>gia hạn</strong>"));
        for secret in ["Phạm Thị Dung", "dung@example.vn", "0987654321", "phố Huế"] {
            assert!(!detail.contains(secret) && !list.contains(secret), "{secret} must never be published");
        }
        assert!(!p.get("/vi/hoi-dap/bao-hiem-xa-hoi", None).await.text().await.unwrap().contains("Thẻ BHYT hết hạn"));
        p.finish().await;
    }
}

on_both_databases! {
    async fn the_editor_inbox_pages_through_open_questions_overdue_first(b: Backend) {
        let p = TestPortal::start(b).await;
        let admin = p.admin_token().await;
        for i in 0..203 {
            let received = if i < 3 { "2024-03-01T09:00:00+07:00".to_string() } else { chrono::Utc::now().to_rfc3339() };
            let resp = p.send_json(Method::POST, "/api/v1/qa/questions/import", Some(&admin), json!({
                "name": "Lê Văn C", "email": "c@example.vn", "category": "general", "title": format!("Câu hỏi số {i}"),
                "content": "Nội dung", "received_at": received})).await;
            assert_eq!(resp.status(), 201);
        }
        let page = |n: usize| {
            let p = &p;
            let admin = admin.clone();
            async move { p.get(&format!("/editor/qa?lang=en&page={n}"), Some(&admin)).await.text().await.unwrap() }
        };
        let first = page(1).await;
        assert_eq!(first.matches("<tr class=\"clock-").count(), 50);
        assert_eq!(first.matches("<tr class=\"clock-overdue\"").count(), 3);
        assert!(first.find("clock-overdue").unwrap() < first.find("clock-on_track").unwrap(), "overdue first");
        assert!(first.contains("<strong id=\"count-overdue\">3</strong>"));
        assert!(first.contains("<span>Page 1 / 5</span>"), "every open question, 50 a page");
        assert!(first.contains("rel=\"next\" href=\"?page=2\"") && !first.contains("rel=\"prev\""));
        let title = &first[first.find("<title>").unwrap()..first.find("</title>").unwrap()];
        assert!(title.starts_with("<title>Q&amp;A") && !title[1..].contains('<'), "a plain title: {title}");
        let last = page(5).await;
        assert_eq!(last.matches("<tr class=\"clock-").count(), 3);
        assert!(last.contains("rel=\"prev\" href=\"?page=4\"") && !last.contains("rel=\"next\""));
        assert_eq!(page(99).await, last, "past the end shows the last page");
        // Deadlines forgotten (as after a calendar change) are computed again.
        use content::questions::{Inbox, count_due, forget_schedules, reschedule};
        let today = content::time::today_vn();
        assert_eq!(count_due(p.db(), Inbox::All, today).await.unwrap(), (3, 0));
        forget_schedules(p.db()).await.unwrap();
        reschedule(p.db()).await.unwrap();
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        use content::entity::question;
        let unscheduled = question::Entity::find().filter(question::Column::DueOn.is_null()).count(p.db()).await.unwrap();
        assert_eq!(unscheduled, 0);
        assert_eq!(count_due(p.db(), Inbox::All, today).await.unwrap(), (3, 0));
        p.finish().await;
    }

    async fn a_daily_reminder_lists_what_is_due(b: Backend) {
        let p = TestPortal::start_with(b, &[("PORTAL_REMINDER_HOUR", "0")]).await;
        let admin = p.admin_token().await;
        let id = p.create_user(&admin, "dieuphoi", &["qa_coordinator"]).await;
        p.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), json!({"email": "dieuphoi@vss.gov.vn"})).await;
        let resp = p.send_json(Method::POST, "/api/v1/qa/questions/import", Some(&admin), json!({
            "name": "Lê Văn C", "email": "c@example.vn", "category": "general", "title": "Câu hỏi quá hạn", "content": "Nội dung",
            "received_at": "2024-03-01T09:00:00+07:00"})).await;
        assert_eq!(resp.status(), 201);
        // The scheduler checks every second here; today's run may already
        // have gone out (with nothing to say) before the import, so release it.
        let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap()).date_naive();
        content::daily::release(p.db(), content::daily::REMINDERS, today).await.unwrap();
        let mut reminder = None;
        for _ in 0..50 {
            reminder = p.outbox().into_iter().find(|m| m.contains("To: dieuphoi@vss.gov.vn"));
            if reminder.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let reminder = reminder.expect("a reminder for the coordinator");
        assert!(reminder.contains("QUÁ HẠN") && reminder.contains("Câu hỏi quá hạn"));
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let count = p.outbox().into_iter().filter(|m| m.contains("To: dieuphoi@vss.gov.vn")).count();
        assert_eq!(count, 1, "once a day");
        p.finish().await;
    }
}

/// A minimal SMTP relay that accepts everything and keeps the messages.
async fn fake_smtp() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 fake ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap_or_default());
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-fake.example\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go on\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, received)
}

on_both_databases! {
    async fn mail_leaves_the_outbox_through_smtp(b: Backend) {
        let (port, received) = fake_smtp().await;
        let smtp = format!("smtp://127.0.0.1:{port}");
        let p = TestPortal::start_with(b, &[("PORTAL_SMTP_URL", smtp.as_str())]).await;
        let asked: Value = p.send_json(Method::POST, "/api/v1/qa/questions", None, question()).await.json().await.unwrap();
        let code = asked["tracking_code"].as_str().unwrap().to_owned();
        let mut delivered = false;
        for _ in 0..60 {
            if received.lock().unwrap().iter().any(|m| m.contains(&code)) {
                delivered = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(delivered, "the acknowledgement reached the relay");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(p.outbox().is_empty(), "sent messages leave the outbox");
        assert_eq!(std::fs::read_dir(p.data_dir().join("outbox/sent")).unwrap().count(), 1);
        p.finish().await;
    }
}
