//! The working-day calendar over HTTP (Labour Code 2019 art. 111–112).

use portal_tests::{TestPortal, assert_problem, on_both_databases};
use reqwest::Method;
use serde_json::{Value, json};

on_both_databases! {
    async fn holidays_deadlines_and_overrides(b: Backend) {
        let p = TestPortal::start(b).await;
        let days: Value = p.get("/api/v1/calendar/holidays?year=2026", None).await.json().await.unwrap();
        let find = |date: &str| days.as_array().unwrap().iter().find(|d| d["date"] == date).cloned();
        assert_eq!(find("2026-04-27").unwrap()["kind"], "compensatory", "Hùng Kings' day 2026 fell on a Sunday");
        assert_eq!(find("2026-04-30").unwrap()["kind"], "holiday");
        assert_eq!(find("2026-02-17").unwrap()["kind"], "holiday", "Tết 2026");
        assert!(find("2026-04-26").is_none(), "weekend days are not listed");
        let next: Value = p.get("/api/v1/calendar/add-working-days?from=2025-04-29&days=1", None).await.json().await.unwrap();
        assert_eq!(next["date"], "2025-05-02");
        let lunar: Value = p.get("/api/v1/calendar/lunar?date=2027-02-06", None).await.json().await.unwrap();
        assert_eq!(lunar, json!({"day": 1, "month": 1, "year": 2027, "leap": false}));
        // An admin's extra day off moves deadlines everywhere.
        let admin = p.admin_token().await;
        let resp = p.send_json(Method::PUT, "/api/v1/calendar/overrides/2025-05-02", Some(&admin), json!({"kind": "day_off", "reason": "Nghỉ bù theo thông báo của Chính phủ"})).await;
        assert_eq!(resp.status(), 200);
        let next: Value = p.get("/api/v1/calendar/add-working-days?from=2025-04-29&days=1", None).await.json().await.unwrap();
        assert_eq!(next["date"], "2025-05-05");
        let days: Value = p.get("/api/v1/calendar/holidays?year=2025", None).await.json().await.unwrap();
        assert!(days.as_array().unwrap().iter().any(|d| d["date"] == "2025-05-02" && d["kind"] == "override"));
        // Make-up working Saturday.
        p.send_json(Method::PUT, "/api/v1/calendar/overrides/2025-05-03", Some(&admin), json!({"kind": "working_day", "reason": "Làm bù"})).await;
        let next: Value = p.get("/api/v1/calendar/add-working-days?from=2025-04-29&days=1", None).await.json().await.unwrap();
        assert_eq!(next["date"], "2025-05-03");
        let resp = p.send_json(Method::DELETE, "/api/v1/calendar/overrides/2025-05-03", Some(&admin), json!({})).await;
        assert_eq!(resp.status(), 200);
        // Bad input and wrong roles.
        assert_problem(p.get("/api/v1/calendar/add-working-days?from=29/04/2025&days=1", None).await, 422, "validation").await;
        assert_problem(p.get("/api/v1/calendar/holidays?year=1800", None).await, 422, "validation").await;
        p.create_user(&admin, "bientap", &["editor"]).await;
        let editor = p.login("bientap", "bientap-password").await;
        let resp = p.send_json(Method::PUT, "/api/v1/calendar/overrides/2025-06-02", Some(&editor), json!({"kind": "day_off", "reason": "x"})).await;
        assert_problem(resp, 403, "forbidden").await;
        let resp = p.send_json(Method::PUT, "/api/v1/calendar/overrides/2025-06-02", Some(&admin), json!({"kind": "holiday", "reason": "x"})).await;
        assert_problem(resp, 422, "validation").await;
        p.finish().await;
    }
}
