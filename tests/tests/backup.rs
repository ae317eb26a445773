//! Backup of a running portal and a verified restore into an empty one
//! (Đ7.2c), on SQLite and PostgreSQL: questions asked while the backup
//! runs are answered; everything acknowledged before it is in it; a
//! flipped byte is refused naming the file; the restored portal serves
//! the post, the same media bytes, and search after its rebuild.

use std::time::Duration;

use portal_tests::{TestPortal, desk, drop_database, empty_database, on_both_databases};
use reqwest::Method;
use serde_json::{Value, json};

fn question(i: usize) -> Value {
    json!({"name": "Người hỏi", "email": format!("hoi{i}@example.vn"), "category": "social_insurance",
           "title": format!("Câu hỏi sao lưu số {i}"), "content": "Lương hưu tính thế nào?", "consent": true})
}

on_both_databases! {
    async fn a_backup_under_load_restores_whole_and_a_damaged_one_is_refused(b: Backend) {
        let p = TestPortal::start_with(b, &[("PORTAL_QA_RATE_LIMIT_PER_HOUR", "0")]).await;
        let d = desk(&p).await;
        let img = image::RgbImage::from_fn(640, 400, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 40]));
        let mut png = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img).write_to(&mut png, image::ImageFormat::Png).unwrap();
        let form = reqwest::multipart::Form::new()
            .text("alt", "Ảnh minh họa")
            .part("file", reqwest::multipart::Part::bytes(png.into_inner()).file_name("anh.png"));
        let media: Value = p.http.post(p.url("/api/v1/media")).bearer_auth(&d.writer).multipart(form).send().await.unwrap().json().await.unwrap();
        let media_id = media["id"].as_i64().unwrap();
        let original = p.get(&format!("/media/{media_id}/original"), Some(&d.writer)).await.bytes().await.unwrap();
        let tree: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        let post: Value = p.send_json(Method::POST, "/api/v1/posts", Some(&d.writer), json!({
            "edition": "vi", "section_id": tree[1]["id"], "title": "Sao lưu dữ liệu cổng thông tin",
            "summary": "Tin thử sao lưu.", "body": "Nội dung.", "cover_media_id": media_id})).await.json().await.unwrap();
        let id = post["id"].as_i64().unwrap();
        for (token, action) in [(&d.writer, "submit"), (&d.editor, "approve"), (&d.deputy, "approve"), (&d.editor, "publish")] {
            let r = p.send_json(Method::POST, &format!("/api/v1/posts/{id}/transitions"), Some(token), json!({"action": action, "comment": "Đồng ý"})).await;
            assert_eq!(r.status(), 200);
        }
        for i in 0..5 {
            assert_eq!(p.send_json(Method::POST, "/api/v1/qa/questions", None, question(i)).await.status(), 201);
        }

        // Questions keep coming while the backup runs.
        let dir = tempfile::tempdir().unwrap();
        let writer = {
            let (http, url) = (p.http.clone(), p.url("/api/v1/qa/questions"));
            tokio::spawn(async move {
                let mut ok = 0;
                for i in 100..140 {
                    if http.post(&url).json(&question(i)).send().await.map(|r| r.status() == 201).unwrap_or(false) {
                        ok += 1;
                    }
                }
                ok
            })
        };
        let done = portal::backup::backup(p.db(), &p.config(), dir.path()).await.expect("backup");
        let during = writer.await.unwrap();
        assert_eq!(during, 40, "the portal kept answering during the backup");
        assert!(done.counts["questions"] >= 5, "{:?}", done.counts);
        assert_eq!(done.counts["posts"], 1);
        assert!(done.media >= 1 && done.media_copied == done.media);
        let again = portal::backup::backup(p.db(), &p.config(), dir.path()).await.expect("a second backup");
        assert_eq!(again.media_copied, 0, "a second backup copies no original the pool has");
        assert_eq!(portal::backup::list(dir.path()).unwrap().len(), 2);

        // One flipped byte: refused, naming the file, nothing written.
        let dump = std::fs::read_dir(&done.dir).unwrap().filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("database.")).unwrap();
        let mut bytes = std::fs::read(&dump).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        std::fs::write(&dump, &bytes).unwrap();
        let target = tempfile::tempdir().unwrap();
        let (url, pg) = empty_database(b, target.path()).await;
        let mut env = std::collections::HashMap::new();
        env.insert("PORTAL_DATABASE_URL".to_owned(), url.clone());
        env.insert("PORTAL_DATA_DIR".to_owned(), target.path().join("data").display().to_string());
        let config = portal::Config::from_sources(None, &env).unwrap();
        let err = portal::backup::restore(&config, &done.dir).await.unwrap_err().to_string();
        assert!(err.contains("is damaged") && err.contains("database."), "{err}");
        assert!(!target.path().join("data").join("media").exists(), "nothing written");
        bytes[middle] ^= 0x01;
        std::fs::write(&dump, &bytes).unwrap();

        let restored = portal::backup::restore(&config, &done.dir).await.expect("restore");
        assert_eq!(restored.manifest.counts, done.counts);
        let again = portal::backup::restore(&config, &done.dir).await.unwrap_err().to_string();
        assert!(again.contains("not empty"), "{again}");
        let slug = post["slug"].as_str().unwrap_or_default().to_owned();
        p.finish().await;

        let q = TestPortal::start_with(b, &[
            ("PORTAL_DATABASE_URL", url.as_str()),
            ("PORTAL_DATA_DIR", &target.path().join("data").display().to_string()),
        ]).await;
        let d2 = q.login("phongvien", &portal_tests::password_of("phongvien")).await;
        let copy = q.get(&format!("/media/{media_id}/original"), Some(&d2)).await.bytes().await.unwrap();
        assert_eq!(copy, original, "the same media bytes");
        let (found, _) = q
            .poll_json("/api/v1/search?q=sao+luu+du+lieu", Duration::from_secs(20), |v| v["total"].as_u64().unwrap_or(0) > 0)
            .await;
        assert!(found["hits"][0]["url"].as_str().unwrap_or_default().ends_with(&slug), "search answers after the rebuild: {found}");
        q.finish().await;
        drop_database(pg).await;
    }

    async fn the_days_backup_is_taken_by_the_scheduler_and_listed_for_admins(b: Backend) {
        let dir = tempfile::tempdir().unwrap();
        let backups = dir.path().display().to_string();
        let p = TestPortal::start_with(b, &[("PORTAL_BACKUP_DIR", backups.as_str()), ("PORTAL_BACKUP_HOUR", "0"), ("PORTAL_BACKUP_KEEP", "2")]).await;
        let mut listed = Vec::new();
        for _ in 0..100 {
            listed = portal::backup::list(dir.path()).unwrap();
            if !listed.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(listed.len(), 1, "one backup a day");
        portal::backup::verify(&listed[0]).expect("a whole backup");
        let web = portal_tests::browser();
        let form = web.get(p.url("/editor/login")).send().await.unwrap().text().await.unwrap();
        let csrf = form.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        web.post(p.url("/editor/login"))
            .form(&[("csrf", csrf.as_str()), ("username", "admin"), ("password", portal_tests::ADMIN_PASSWORD)])
            .send()
            .await
            .unwrap();
        let page = web.get(p.url("/editor/backups")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        let name = listed[0].file_name().unwrap().to_string_lossy().to_string();
        assert!(html.contains(&name) && html.contains("Sao lưu"), "{html}");
        assert!(!html.contains("backup-failure"));
        p.finish().await;
    }
}
