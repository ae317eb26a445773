//! Moving an installation between databases (issue 15): SQLite → export
//! → PostgreSQL → export → SQLite gives the same records, byte for byte;
//! a damaged export is refused naming the file; the moved portal serves
//! its posts and media and its users sign in.

use portal_tests::{Backend, TestPortal, desk, drop_database, empty_database, password_of};
use reqwest::Method;
use serde_json::{Value, json};

fn config(url: &str, data: &std::path::Path) -> portal::Config {
    let mut env = std::collections::HashMap::new();
    env.insert("PORTAL_DATABASE_URL".to_owned(), url.to_owned());
    env.insert("PORTAL_DATA_DIR".to_owned(), data.display().to_string());
    portal::Config::from_sources(None, &env).unwrap()
}

fn tables(m: &portal::export::ExportManifest) -> Vec<(String, u64, String)> {
    m.tables
        .iter()
        .map(|t| (t.table.clone(), t.rows, t.file.sha256.clone()))
        .collect()
}

#[tokio::test]
async fn sqlite_to_postgres_and_back_keeps_every_record() {
    let quiet = portal::progress::Progress::quiet();
    let p = TestPortal::start_with(Backend::Sqlite, &[("PORTAL_QA_RATE_LIMIT_PER_HOUR", "0")]).await;
    let d = desk(&p).await;
    let png = {
        let img = image::RgbImage::from_fn(320, 200, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    };
    let form = reqwest::multipart::Form::new()
        .text("alt", "Ảnh chuyển dữ liệu")
        .part("file", reqwest::multipart::Part::bytes(png).file_name("anh.png"));
    let media: Value = p
        .http
        .post(p.url("/api/v1/media"))
        .bearer_auth(&d.writer)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let media_id = media["id"].as_i64().unwrap();
    let tree: Value = p
        .get("/api/v1/sections?edition=vi", None)
        .await
        .json()
        .await
        .unwrap();
    let post: Value = p
        .send_json(
            Method::POST,
            "/api/v1/posts",
            Some(&d.writer),
            json!({
        "edition": "vi", "section_id": tree[1]["id"], "title": "Chuyển cổng sang PostgreSQL",
        "summary": "Tin thử chuyển dữ liệu.", "body": "Nội dung **đậm**.", "cover_media_id": media_id}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = post["id"].as_i64().unwrap();
    for (token, action) in [
        (&d.writer, "submit"),
        (&d.editor, "approve"),
        (&d.deputy, "approve"),
        (&d.editor, "publish"),
    ] {
        let r = p
            .send_json(
                Method::POST,
                &format!("/api/v1/posts/{id}/transitions"),
                Some(token),
                json!({"action": action, "comment": "Đồng ý"}),
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    for i in 0..3 {
        let q = json!({"name": "Người hỏi", "email": format!("hoi{i}@example.vn"), "category": "social_insurance",
            "title": format!("Câu hỏi chuyển dữ liệu {i}"), "content": "Lương hưu tính thế nào?", "consent": true});
        assert_eq!(
            p.send_json(Method::POST, "/api/v1/qa/questions", None, q)
                .await
                .status(),
            201
        );
    }
    let full: Value = p
        .get(&format!("/api/v1/posts/{id}"), Some(&d.editor))
        .await
        .json()
        .await
        .unwrap();
    let url = full["public_url"].as_str().unwrap().to_owned();

    // SQLite → export.
    let work = tempfile::tempdir().unwrap();
    let first = portal::export::export(p.db(), &p.config(), &work.path().join("one"), &quiet)
        .await
        .expect("export from SQLite");
    assert!(first.tables.iter().any(|t| t.table == "posts" && t.rows == 1));
    assert!(first.tables.iter().any(|t| t.table == "questions" && t.rows == 3));
    assert!(!first.media.is_empty());
    let err = portal::export::export(p.db(), &p.config(), &work.path().join("one"), &quiet)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("not empty"), "{err}");
    p.finish().await;

    // A flipped byte: refused, naming the file, nothing loaded.
    let posts_file = work.path().join("one/tables/posts.jsonl");
    let good = std::fs::read(&posts_file).unwrap();
    let mut bad = good.clone();
    bad[5] ^= 0x01;
    std::fs::write(&posts_file, &bad).unwrap();
    let pg_dir = tempfile::tempdir().unwrap();
    let (pg_url, pg_name) = empty_database(Backend::Postgres, pg_dir.path()).await;
    let pg = config(&pg_url, &pg_dir.path().join("data"));
    let err = portal::export::import_all(&pg, &work.path().join("one"), &quiet)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("tables/posts.jsonl") && err.contains("damaged"),
        "{err}"
    );
    std::fs::write(&posts_file, &good).unwrap();

    // → PostgreSQL → export: the same records.
    portal::export::import_all(&pg, &work.path().join("one"), &quiet)
        .await
        .expect("import into PostgreSQL");
    let again = portal::export::import_all(&pg, &work.path().join("one"), &quiet)
        .await
        .unwrap_err()
        .to_string();
    assert!(again.contains("not empty"), "{again}");
    let pg_db = content::db::connect(&pg_url).await.unwrap();
    let second = portal::export::export(&pg_db, &pg, &work.path().join("two"), &quiet)
        .await
        .expect("export from PostgreSQL");
    pg_db.close().await.ok();
    assert_eq!(
        tables(&first),
        tables(&second),
        "SQLite and PostgreSQL exports differ"
    );
    assert_eq!(first.media, second.media);

    // → SQLite again → export: still the same.
    let back_dir = tempfile::tempdir().unwrap();
    let (back_url, _) = empty_database(Backend::Sqlite, back_dir.path()).await;
    let back = config(&back_url, &back_dir.path().join("data"));
    portal::export::import_all(&back, &work.path().join("two"), &quiet)
        .await
        .expect("import back into SQLite");
    let back_db = content::db::connect(&back_url).await.unwrap();
    let third = portal::export::export(&back_db, &back, &work.path().join("three"), &quiet)
        .await
        .unwrap();
    back_db.close().await.ok();
    assert_eq!(tables(&second), tables(&third));

    // The moved portal serves the post and its media; users sign in; new
    // records take fresh ids (sequences follow the imported ones).
    let q = TestPortal::start_with(
        Backend::Postgres,
        &[
            ("PORTAL_DATABASE_URL", pg_url.as_str()),
            (
                "PORTAL_DATA_DIR",
                &pg_dir.path().join("data").display().to_string(),
            ),
        ],
    )
    .await;
    assert_eq!(q.get(&url, None).await.status(), 200);
    let writer = q.login("phongvien", &password_of("phongvien")).await;
    assert_eq!(
        q.get(&format!("/media/{media_id}/original"), None).await.status(),
        200
    );
    let next: Value = q
        .send_json(
            Method::POST,
            "/api/v1/posts",
            Some(&writer),
            json!({
        "edition": "vi", "section_id": tree[1]["id"], "title": "Bài mới sau khi chuyển",
        "summary": "", "body": "x"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(next["id"].as_i64().unwrap() > id, "{next}");
    q.finish().await;
    drop_database(pg_name).await;
}
