//! The `portal` binary as an operator uses it.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A first-admin password the policy accepts (long, not a name).
const INITIAL_ADMIN_PASSWORD: &str = "Khởi tạo: gió mùa đông bắc tràn về 2026";

fn portal(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal"));
    cmd.args(args)
        .env_remove("PORTAL_ADMIN_PASSWORD")
        .env_remove("PORTAL_DATABASE_URL")
        .env_remove("PORTAL_LISTEN")
        .env("PORTAL_DATA_DIR", dir.join("data"))
        .current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("portal runs")
}

/// A local address no one listens on, for a server to start on.
fn free_address() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("127.0.0.1:{port}")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn help_lists_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = portal(dir.path(), &["--help"], &[]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for cmd in [
        "serve",
        "migrate",
        "user",
        "section",
        "import",
        "demo-data",
        "reindex",
    ] {
        assert!(help.contains(cmd), "{cmd} missing from --help:\n{help}");
    }
    let help = text(&portal(dir.path(), &["user", "--help"], &[]).stdout);
    for cmd in ["create", "list", "disable", "reset-password", "grant", "revoke"] {
        assert!(help.contains(cmd), "{cmd} missing from user --help:\n{help}");
    }
}

#[test]
fn a_bad_setting_names_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = portal(dir.path(), &["migrate"], &[("PORTAL_LISTEN", "not-an-address")]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("PORTAL_LISTEN"), "{err}");
    std::fs::write(dir.path().join("portal.toml"), "session_ttl_hours = \"soon\"\n").unwrap();
    let out = portal(dir.path(), &["--config", "portal.toml", "migrate"], &[]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("session_ttl_hours"),
        "{}",
        text(&out.stderr)
    );
    let out = portal(dir.path(), &["--config", "missing.toml", "migrate"], &[]);
    assert!(text(&out.stderr).contains("missing.toml"));
}

#[test]
fn the_first_admin_password_is_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let first = portal(dir.path(), &["migrate"], &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let err = text(&first.stderr);
    let password = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("password:"))
        .map(|p| p.trim().to_owned())
        .expect("password printed");
    assert_eq!(password.len(), 20);
    let second = portal(dir.path(), &["migrate"], &[]);
    assert!(!text(&second.stderr).contains("password:"), "printed only once");
    let users = text(&portal(dir.path(), &["user", "list"], &[]).stdout);
    assert!(users.contains("admin"));
    assert_eq!(users.lines().count(), 1);
}

#[test]
fn accounts_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("PORTAL_ADMIN_PASSWORD", INITIAL_ADMIN_PASSWORD)];
    let out = portal(
        dir.path(),
        &[
            "user",
            "create",
            "bientap",
            "--display-name",
            "Trần Thị B",
            "--role",
            "editor",
            "--unit",
            "communication_centre",
        ],
        &env,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("password:"));
    let out = portal(dir.path(), &["user", "grant", "bientap", "board_member"], &env);
    assert!(
        text(&out.stdout).contains("board_member, editor"),
        "{}",
        text(&out.stdout)
    );
    let out = portal(dir.path(), &["user", "revoke", "bientap", "editor"], &env);
    assert!(text(&out.stdout).contains("[board_member]"));
    let out = portal(dir.path(), &["user", "grant", "bientap", "emperor"], &env);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("unknown role `emperor`"));
    let out = portal(dir.path(), &["user", "disable", "bientap"], &env);
    assert!(out.status.success());
    let list = text(&portal(dir.path(), &["user", "list"], &env).stdout);
    assert!(
        list.lines()
            .any(|l| l.starts_with("bientap") && l.contains("disabled")),
        "{list}"
    );
    let out = portal(
        dir.path(),
        &[
            "user",
            "reset-password",
            "bientap",
            "--password",
            "một mật khẩu mới dài và khó đoán",
        ],
        &env,
    );
    assert!(out.status.success());
    let out = portal(dir.path(), &["user", "disable", "nobody"], &env);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no user `nobody`"));
    let sections = text(&portal(dir.path(), &["section", "list"], &env).stdout);
    assert!(
        sections.contains("Hỏi - đáp / Questions and answers  [hoi-dap]"),
        "{sections}"
    );
    assert!(sections.contains("Member login"));
}

#[test]
fn serve_answers_ready_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let listen = free_address();
    let mut child = Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("serve")
        .env("PORTAL_DATA_DIR", dir.path().join("data"))
        .env("PORTAL_LISTEN", &listen)
        .env("PORTAL_ADMIN_PASSWORD", INITIAL_ADMIN_PASSWORD)
        .env_remove("PORTAL_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let ready = loop {
        if let Ok(mut s) = std::net::TcpStream::connect(&listen) {
            use std::io::{Read, Write};
            s.write_all(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut resp = String::new();
            s.read_to_string(&mut resp).ok();
            if resp.starts_with("HTTP/1.1 200") {
                break true;
            }
        }
        if start.elapsed() > Duration::from_secs(30) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(ready, "portal did not become ready");
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "clean exit on SIGTERM: {status}");
}

#[test]
fn posts_are_imported_once_and_bad_lines_reported() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("PORTAL_ADMIN_PASSWORD", INITIAL_ADMIN_PASSWORD)];
    let lines = [
        r#"{"external_id": "old-1", "edition": "vi", "section": "tin-tuc", "title": "Tin cũ thứ nhất", "summary": "Tóm tắt", "body": "Nội dung **một**", "published_at": "2024-05-01T08:00:00+07:00", "authors": ["Phóng viên"], "source": "BHXH", "tags": ["BHXH"], "extra": 1}"#,
        r#"{"external_id": "old-2", "edition": "vi", "section": "tin-tuc", "title": "Tin cũ thứ hai""#,
        r#"{"external_id": "old-3", "edition": "vi", "section": "khong-co", "title": "Sai chuyên mục"}"#,
        r#"{"external_id": "old-4", "edition": "en", "section": "news", "title": "Old news", "published_at": "2024-05-02"}"#,
    ];
    std::fs::write(dir.path().join("posts.jsonl"), lines.join("\n")).unwrap();
    let out = portal(dir.path(), &["import", "posts", "--file", "posts.jsonl"], &env);
    assert!(!out.status.success(), "failed lines make the exit status fail");
    let err = text(&out.stderr);
    assert!(err.contains("posts.jsonl:2:"), "{err}");
    assert!(
        err.contains("posts.jsonl:3:") && err.contains("khong-co"),
        "{err}"
    );
    assert!(
        text(&out.stdout).contains("imported 2 posts"),
        "{}",
        text(&out.stdout)
    );
    let again = portal(dir.path(), &["import", "posts", "--file", "posts.jsonl"], &env);
    assert!(
        text(&again.stdout).contains("imported 0 posts, skipped 2"),
        "{}",
        text(&again.stdout)
    );
    std::fs::write(dir.path().join("good.jsonl"), lines[0]).unwrap();
    let good = portal(dir.path(), &["import", "posts", "--file", "good.jsonl"], &env);
    assert!(good.status.success());
}

#[test]
fn old_questions_are_imported_with_their_receipt_dates() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("PORTAL_ADMIN_PASSWORD", INITIAL_ADMIN_PASSWORD)];
    let lines = [
        r#"{"name": "Ngô Văn G", "email": "g@example.vn", "category": "general", "title": "Câu hỏi cũ", "content": "Nội dung", "received_at": "2024-03-01T09:00:00+07:00"}"#,
        r#"{"name": "Thiếu email", "category": "general", "title": "x", "content": "y", "received_at": "2024-03-01T09:00:00+07:00"}"#,
    ];
    std::fs::write(dir.path().join("q.jsonl"), lines.join("\n")).unwrap();
    let out = portal(dir.path(), &["import", "questions", "--file", "q.jsonl"], &env);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("q.jsonl:2:"), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("imported 1 questions, 1 failed"),
        "{}",
        text(&out.stdout)
    );
}

/// `GET path` on a running portal: (status, body).
fn http_get(listen: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(listen) else {
        return (0, String::new());
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    if s.write_all(request.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut resp = String::new();
    s.read_to_string(&mut resp).ok();
    let status = resp.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn serve(dir: &std::path::Path, listen: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("serve")
        .env("PORTAL_DATA_DIR", dir.join("data"))
        .env("PORTAL_LISTEN", listen)
        .env("PORTAL_ADMIN_PASSWORD", INITIAL_ADMIN_PASSWORD)
        .env_remove("PORTAL_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Polls a search until `done` accepts its `total`; returns the last total.
fn search_total(listen: &str, path: &str, within: Duration, done: impl Fn(u64) -> bool) -> u64 {
    let start = Instant::now();
    loop {
        let (status, body) = http_get(listen, path);
        let total = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["total"].as_u64())
            .unwrap_or(0);
        if (status == 200 && done(total)) || start.elapsed() > within {
            return total;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_killed_server_catches_up_and_holds_every_post_once() {
    let dir = tempfile::tempdir().unwrap();
    let listen = free_address();
    const POSTS: u64 = 1500;
    let lines: Vec<String> = (0..POSTS)
        .map(|i| {
            serde_json::json!({"external_id": format!("k-{i}"), "edition": "vi", "section": "tin-tuc",
                "title": format!("Tin số {i} về chỉ mục"), "summary": "Tóm tắt", "body": "Nội dung kiểm tra chimuc.",
                "published_at": "2024-05-01T08:00:00+07:00"})
            .to_string()
        })
        .collect();
    std::fs::write(dir.path().join("posts.jsonl"), lines.join("\n")).unwrap();
    let path = "/api/v1/search?q=chimuc&per_page=1";
    let mut server = serve(dir.path(), &listen);
    assert_eq!(search_total(&listen, path, Duration::from_secs(30), |_| true), 0);

    let env = [("PORTAL_ADMIN_PASSWORD", INITIAL_ADMIN_PASSWORD)];
    let import = portal(dir.path(), &["import", "posts", "--file", "posts.jsonl"], &env);
    assert!(import.status.success(), "{}", text(&import.stderr));
    let seen = search_total(&listen, path, Duration::from_secs(30), |n| n > 0);
    Command::new("kill")
        .args(["-KILL", &server.id().to_string()])
        .status()
        .unwrap();
    server.wait().unwrap();
    assert!(seen > 0, "the server indexed nothing before it was killed");

    let mut server = serve(dir.path(), &listen);
    let total = search_total(&listen, path, Duration::from_secs(60), |n| n >= POSTS);
    assert_eq!(
        total, POSTS,
        "after the restart every post is found exactly once (seen {seen} before the kill)"
    );

    let out = portal(dir.path(), &["reindex"], &env);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!("indexed {POSTS} documents")),
        "{}",
        text(&out.stdout)
    );
    let generation = std::fs::read_to_string(dir.path().join("data/search/CURRENT")).unwrap();
    let gone = Instant::now();
    while std::fs::read_dir(dir.path().join("data/search"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("index-"))
        })
        .count()
        > 1
    {
        assert!(
            gone.elapsed() < Duration::from_secs(10),
            "the server did not switch to {generation}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        search_total(&listen, path, Duration::from_secs(5), |n| n == POSTS),
        POSTS
    );
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(server.wait().unwrap().success());
}

#[test]
fn procedures_are_imported_once_and_bad_lines_named() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("PORTAL_ADMIN_PASSWORD", INITIAL_ADMIN_PASSWORD)];
    let file = dir.path().join("procedures.csv");
    std::fs::write(
        &file,
        "code,name,field,tier,online_level,status,steps\n\
         1.000301,Cấp lại thẻ bảo hiểm y tế,Cấp sổ thẻ,local,full,in_force,Nộp tờ khai.\n\
         1.000302,Đổi thẻ bảo hiểm y tế,Cấp sổ thẻ,planet,full,in_force,Nộp tờ khai.\n",
    )
    .unwrap();
    let args = ["import", "procedures", "--file", "procedures.csv", "--publish"];
    let first = portal(dir.path(), &args, &env);
    assert!(!first.status.success(), "a bad line fails the run");
    let err = text(&first.stderr);
    assert!(err.contains("procedures.csv:3: tier"), "{err}");
    assert!(text(&first.stdout).contains("1 created, 0 updated, 0 unchanged, 1 published, 1 failed"));
    std::fs::write(
        &file,
        "code,name,field,tier,online_level,status,steps\n1.000301,Cấp lại thẻ bảo hiểm y tế,Cấp sổ thẻ,local,full,in_force,Nộp tờ khai.\n",
    )
    .unwrap();
    let again = portal(dir.path(), &args, &env);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(text(&again.stdout).contains("0 created, 0 updated, 1 unchanged, 0 published, 0 failed"));
    let demo = portal(dir.path(), &["demo-data"], &env);
    let said = text(&demo.stdout);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    assert!(said.contains("procedure: 5 created"), "{said}");
    assert!(said.contains("posts: 11 published, 0 already there"), "{said}");
    let again = text(&portal(dir.path(), &["demo-data"], &env).stdout);
    assert!(again.contains("posts: 0 published, 11 already there"), "{again}");
    let listen = free_address();
    let mut server = serve(dir.path(), &listen);
    let started = Instant::now();
    let mut home = String::new();
    while started.elapsed() < Duration::from_secs(20) && !home.contains("Base salary") {
        std::thread::sleep(Duration::from_millis(200));
        home = http_get(&listen, "/en/").1;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        home.contains("Base salary rises to VND 2,530,000"),
        "the English home page shows the sample articles"
    );
    assert!(home.contains("b-latest_news"), "{home}");
}
