//! The API against its own OpenAPI description: schemathesis, with every
//! check, against a running portal signed in as an administrator, on both
//! databases. Any finding fails. The rules the description cannot state
//! are listed, operation by operation, in `schemathesis/schemathesis.toml`.

use portal_tests::{TestPortal, on_both_databases};

/// Operations that would end the run's own session or lock the admin out
/// (log out, change or reset passwords, enrol a second factor); their own
/// end-to-end tests cover them.
const LEFT_OUT: [&str; 6] = [
    "/auth/logout",
    "/me/password",
    "/users/{id}/reset-password",
    "/auth/two-factor/enrol",
    "/auth/two-factor/confirm",
    "/users/{id}/two-factor/reset",
];

fn schemathesis_installed() -> bool {
    std::process::Command::new("schemathesis")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

on_both_databases! {
    async fn schemathesis_with_every_check_finds_nothing(b: Backend) {
        if !schemathesis_installed() {
            assert!(std::env::var_os("CI").is_none(), "schemathesis is needed in CI (.ci/run installs it)");
            eprintln!("schemathesis is not installed (pip install schemathesis): API description not checked");
            return;
        }
        let p = TestPortal::start_with(b, &[("PORTAL_QA_RATE_LIMIT_PER_HOUR", "0")]).await;
        let token = p.admin_token().await;
        let config = concat!(env!("CARGO_MANIFEST_DIR"), "/schemathesis/schemathesis.toml");
        let mut cmd = tokio::process::Command::new("schemathesis");
        cmd.args(["--config-file", config, "run", &p.url("/api/openapi.json"), "--checks", "all"])
            .args(["-H", &format!("Authorization: Bearer {token}")]);
        for path in LEFT_OUT {
            cmd.args(["--exclude-path", path]);
        }
        let out = cmd.output().await.expect("schemathesis runs");
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "schemathesis found problems:\n{report}\n{}", String::from_utf8_lossy(&out.stderr));
        p.finish().await;
    }
}

/// Swagger UI's Authorize button needs the bearer scheme declared.
#[tokio::test]
async fn the_description_declares_the_bearer_token() {
    let p = TestPortal::start(portal_tests::Backend::Sqlite).await;
    let spec: serde_json::Value = p.get("/api/openapi.json", None).await.json().await.unwrap();
    assert_eq!(
        spec["components"]["securitySchemes"]["bearerAuth"]["type"],
        "http"
    );
    assert_eq!(
        spec["components"]["securitySchemes"]["bearerAuth"]["scheme"],
        "bearer"
    );
    assert_eq!(spec["security"][0]["bearerAuth"], serde_json::json!([]));
    // Every operation says who may call it.
    let mut missing = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let named = op["x-roles"].as_array().is_some_and(|r| !r.is_empty())
                && op["description"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("**Who may call:**"));
            if !named {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "operations without their callers: {missing:?}"
    );
    assert_eq!(
        spec["paths"]["/audit"]["get"]["x-roles"],
        serde_json::json!(["admin"])
    );
    p.finish().await;
}
