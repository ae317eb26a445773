//! Test harness: starts the real portal (the same code `portal serve`
//! runs) on a random port with a temporary data directory, on SQLite or
//! on a freshly created PostgreSQL database, and talks HTTP to it.

use std::collections::HashMap;

use anyhow::Context;
use portal::{Config, Running};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

/// The password the harness gives the first admin.
pub const ADMIN_PASSWORD: &str = "Quản trị kiểm thử: sông Hồng mùa thu 2026";

/// The password the harness gives a test account: long, unrelated to the
/// user name (the password policy refuses names and common passwords).
pub fn password_of(username: &str) -> String {
    use std::fmt::Write;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in username.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut s = String::from("Trời xanh, gió mát ");
    let _ = write!(s, "{:x}", h & 0xff_ffff);
    s
}

/// The storage a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests create their databases on
/// (`PORTAL_TEST_POSTGRES`, default the local server, user postgres).
fn postgres_server() -> String {
    std::env::var("PORTAL_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// A database made for one test and dropped after it.
struct TestDb {
    url: String,
    pg_name: Option<String>,
}

impl TestDb {
    async fn create(backend: Backend, dir: &std::path::Path) -> anyhow::Result<TestDb> {
        match backend {
            Backend::Sqlite => Ok(TestDb {
                url: format!("sqlite://{}?mode=rwc", dir.join("portal.db").display()),
                pg_name: None,
            }),
            Backend::Postgres => {
                let name = format!("portal_test_{}", content::accounts::random_token(6));
                let admin = Database::connect(format!("{}/test", postgres_server()))
                    .await
                    .context("PostgreSQL at PORTAL_TEST_POSTGRES (default 127.0.0.1:5432) is needed")?;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await?;
                admin.close().await.ok();
                Ok(TestDb {
                    url: format!("{}/{name}", postgres_server()),
                    pg_name: Some(name),
                })
            }
        }
    }

    async fn drop_db(&self) {
        if let Some(name) = &self.pg_name
            && let Ok(admin) = Database::connect(format!("{}/test", postgres_server())).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
            admin.close().await.ok();
        }
    }
}

/// An empty database (for a restore or an import) and, on PostgreSQL,
/// its name for [`drop_database`].
pub async fn empty_database(b: Backend, dir: &std::path::Path) -> (String, Option<String>) {
    match b {
        Backend::Sqlite => (
            format!("sqlite://{}?mode=rwc", dir.join("portal.db").display()),
            None,
        ),
        Backend::Postgres => {
            let server = std::env::var("PORTAL_TEST_POSTGRES")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
            let name = format!("portal_restore_{}", content::accounts::random_token(6));
            let admin = sea_orm::Database::connect(format!("{server}/test"))
                .await
                .unwrap();
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            admin.close().await.ok();
            (format!("{server}/{name}"), Some(name))
        }
    }
}

pub async fn drop_database(name: Option<String>) {
    if let Some(name) = name {
        let server = std::env::var("PORTAL_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        if let Ok(admin) = sea_orm::Database::connect(format!("{server}/test")).await {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
            admin.close().await.ok();
        }
    }
}

/// A running portal and an HTTP client for it.
pub struct TestPortal {
    pub backend: Backend,
    pub base: String,
    pub http: reqwest::Client,
    running: Option<Running>,
    env: HashMap<String, String>,
    /// The database, owned (dropped at the end) unless this is a sibling.
    db: Option<TestDb>,
    _dir: tempfile::TempDir,
}

impl TestPortal {
    pub async fn start(backend: Backend) -> TestPortal {
        Self::start_with(backend, &[]).await
    }

    /// Starts with extra `PORTAL_*` settings.
    pub async fn start_with(backend: Backend, extra: &[(&str, &str)]) -> TestPortal {
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = TestDb::create(backend, dir.path()).await.expect("test database");
        let mut env: HashMap<String, String> = [
            ("PORTAL_LISTEN", "127.0.0.1:0".to_owned()),
            ("PORTAL_SCHEDULER_INTERVAL_SECS", "1".to_owned()),
            ("PORTAL_DATA_DIR", dir.path().display().to_string()),
            ("PORTAL_DATABASE_URL", db.url.clone()),
            ("PORTAL_ADMIN_PASSWORD", ADMIN_PASSWORD.to_owned()),
            // Two-factor sign-in has its own tests; the others sign in
            // with passwords only.
            ("PORTAL_TWO_FACTOR_ROLES", String::new()),
            // Scheduled backups have their own test.
            ("PORTAL_BACKUP_KEEP", "0".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        for (k, v) in extra {
            env.insert((*k).to_owned(), (*v).to_owned());
        }
        let mut portal = TestPortal {
            backend,
            base: String::new(),
            http: client(),
            running: None,
            env,
            db: Some(db),
            _dir: dir,
        };
        portal.boot().await;
        portal
    }

    async fn boot(&mut self) {
        let config = Config::from_sources(None, &self.env).expect("test configuration");
        let running = portal::start(config).await.expect("portal starts");
        self.base = format!("http://{}", running.addr);
        self.running = Some(running);
    }

    /// A second server on the same database (another node behind the load
    /// balancer), with its own data directory.
    /// A second node as a two-node installation runs: the same database
    /// and data directory (media, outbox, backups), its own search index
    /// replica.
    pub async fn second_node(&self) -> TestPortal {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut env = self.env.clone();
        env.insert(
            "PORTAL_SEARCH_DIR".into(),
            dir.path().join("search").display().to_string(),
        );
        let mut portal = TestPortal {
            backend: self.backend,
            base: String::new(),
            http: client(),
            running: None,
            env,
            db: None,
            _dir: dir,
        };
        portal.boot().await;
        portal
    }

    pub async fn sibling(&self) -> TestPortal {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut env = self.env.clone();
        env.insert("PORTAL_DATA_DIR".into(), dir.path().display().to_string());
        let mut portal = TestPortal {
            backend: self.backend,
            base: String::new(),
            http: client(),
            running: None,
            env,
            db: None,
            _dir: dir,
        };
        portal.boot().await;
        portal
    }

    /// Stops the server and starts it again on the same storage.
    pub async fn restart(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.expect("clean stop");
        }
        self.boot().await;
    }

    /// Stops the server, runs `while_down` (to damage or remove files), and
    /// starts it again on the same storage.
    pub async fn restart_after(&mut self, while_down: impl FnOnce()) {
        if let Some(r) = self.running.take() {
            r.stop().await.expect("clean stop");
        }
        while_down();
        self.boot().await;
    }

    /// Direct access to the database, for checks the API does not expose.
    pub fn db(&self) -> &sea_orm::DatabaseConnection {
        &self.running.as_ref().expect("running").state.db
    }

    /// This server's data directory (outbox, media, index).
    pub fn data_dir(&self) -> std::path::PathBuf {
        std::path::PathBuf::from(&self.env["PORTAL_DATA_DIR"])
    }

    /// The messages in the mail outbox, oldest first.
    pub fn outbox(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(self.data_dir().join("outbox"))
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Logs in over the API and returns the bearer token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let resp = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .expect("login request");
        assert_eq!(
            resp.status(),
            200,
            "login of {username} failed: {}",
            resp.text().await.unwrap_or_default()
        );
        let body: Value = resp.json().await.expect("login JSON");
        body["token"].as_str().expect("token").to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// Signs `username` into the editor as a browser would; returns the
    /// cookie-keeping client.
    pub async fn editor_session(&self, username: &str, password: &str) -> reqwest::Client {
        let web = browser();
        let form = web
            .get(self.url("/editor/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let resp = web
            .post(self.url("/editor/login"))
            .form(&[
                ("csrf", csrf_of(&form).as_str()),
                ("username", username),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "signing {username} in");
        web
    }

    /// Creates a user through the API as admin; returns its id.
    pub async fn create_user(&self, admin: &str, username: &str, roles: &[&str]) -> i64 {
        let resp = self
            .http
            .post(self.url("/api/v1/users"))
            .bearer_auth(admin)
            .json(&json!({
                "username": username,
                "password": password_of(username),
                "display_name": format!("User {username}"),
                "roles": roles,
            }))
            .send()
            .await
            .expect("create user");
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap_or_default());
        resp.json::<Value>().await.expect("user JSON")["id"]
            .as_i64()
            .expect("id")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("GET")
    }

    /// Polls a JSON endpoint (a search, typically) until `done` accepts
    /// its answer or `within` has passed; returns the last answer and how
    /// long it took. Answers other than 200 (503 while the index is first
    /// built) count as not done.
    pub async fn poll_json(
        &self,
        path: &str,
        within: std::time::Duration,
        done: impl Fn(&Value) -> bool,
    ) -> (Value, std::time::Duration) {
        let start = std::time::Instant::now();
        loop {
            let resp = self.get(path, None).await;
            let ok = resp.status() == 200;
            let body: Value = resp.json().await.unwrap_or(Value::Null);
            if (ok && done(&body)) || start.elapsed() > within {
                return (body, start.elapsed());
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }

    /// The configuration this server runs with.
    pub fn config(&self) -> Config {
        Config::from_sources(None, &self.env).expect("test configuration")
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> reqwest::Response {
        let mut req = self.http.request(method, self.url(path)).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    /// Stops the server and drops the test's database.
    pub async fn finish(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.expect("clean stop");
        }
        if let Some(db) = &self.db {
            db.drop_db().await;
        }
    }
}

/// An API client: no cookies, no redirects followed (tests see them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// The smallest editorial desk that can publish: a contributor writes, an
/// editor reviews, a standing deputy of the board approves (Đ7.2b). The
/// fields are their bearer tokens.
pub struct Desk {
    pub writer: String,
    pub editor: String,
    pub deputy: String,
}

/// Creates the [`Desk`]'s three accounts and logs them in.
pub async fn desk(p: &TestPortal) -> Desk {
    let admin = p.admin_token().await;
    p.create_user(&admin, "phongvien", &["contributor"]).await;
    p.create_user(&admin, "bientap", &["editor"]).await;
    p.create_user(&admin, "phoban", &["board_deputy_standing"]).await;
    Desk {
        writer: p.login("phongvien", &password_of("phongvien")).await,
        editor: p.login("bientap", &password_of("bientap")).await,
        deputy: p.login("phoban", &password_of("phoban")).await,
    }
}

/// The CSRF token of the first form on an editor page.
pub fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a form with a CSRF token")
        .to_owned()
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("HTTP client")
}

/// Asserts a problem+json answer with the given status and `type` suffix.
pub async fn assert_problem(resp: reqwest::Response, status: u16, kind: &str) -> Value {
    assert_eq!(resp.status().as_u16(), status, "unexpected status");
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(ct, "application/problem+json");
    let body: Value = resp.json().await.expect("problem JSON");
    assert_eq!(body["type"], format!("/api/problems/{kind}"), "{body}");
    assert_eq!(body["status"], status);
    body
}

/// Declares one end-to-end test per backend: `name::sqlite` and
/// `name::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($(async fn $name:ident($b:ident: Backend) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($b: $crate::Backend) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run($crate::Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    run($crate::Backend::Postgres).await
                }
            }
        )*
    };
}
