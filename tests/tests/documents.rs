//! Legal documents and public consultation over HTTP (Đ11.1a; Decree
//! 42/2022/NĐ-CP art. 4), on the shared mechanism of structured content,
//! on SQLite and PostgreSQL.

use std::time::Duration;

use portal_tests::{Desk, TestPortal, assert_problem, desk, on_both_databases};
use reqwest::Method;
use serde_json::{Value, json};

fn document(number: &str, title: &str) -> Value {
    json!({
        "number": number,
        "title": title,
        "form": "decree",
        "issuer": "Chính phủ",
        "signer": "Nguyễn Xuân Phúc",
        "issued_on": "2016-12-30",
        "effective_from": "2016-12-31",
        "field": "Bảo hiểm xã hội",
        "summary": "Quy định chi tiết một số điều của Luật Bảo hiểm xã hội.",
    })
}

/// Takes an entry of `plural` through the desk's chain and publishes it;
/// returns its view.
async fn publish(p: &TestPortal, d: &Desk, plural: &str, body: Value) -> Value {
    let resp = p
        .send_json(Method::POST, &format!("/api/v1/{plural}"), Some(&d.writer), body)
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let created: Value = resp.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    for (token, action) in [
        (&d.writer, "submit"),
        (&d.editor, "approve"),
        (&d.deputy, "approve"),
        (&d.editor, "publish"),
    ] {
        let resp = p
            .send_json(
                Method::POST,
                &format!("/api/v1/{plural}/{id}/transitions"),
                Some(token),
                json!({"action": action}),
            )
            .await;
        assert_eq!(resp.status(), 200, "{action}: {}", resp.text().await.unwrap());
    }
    p.get(&format!("/api/v1/{plural}/{id}"), Some(&d.editor))
        .await
        .json()
        .await
        .unwrap()
}

async fn upload(p: &TestPortal, token: &str, name: &'static str, bytes: Vec<u8>) -> i64 {
    let form = reqwest::multipart::Form::new()
        .text("alt", "Ảnh minh họa")
        .text("caption", "Lễ kỷ niệm 30 năm thành lập")
        .text("credit", "Nguyễn Phóng Viên")
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
    let resp = p
        .http
        .post(p.url("/api/v1/media"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn page(p: &TestPortal, path: &str) -> (u16, String) {
    let resp = portal_tests::browser().get(p.url(path)).send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

fn at(days: i64) -> String {
    content::time::rfc3339_vn(content::time::now() + chrono::Duration::days(days))
}

on_both_databases! {
    // The text of a PDF attached to a published document is found by
    // search, and the hit says which file it is in; a hostile PDF is
    // skipped without stopping the indexer.
    async fn the_text_of_an_attached_pdf_is_searchable(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let good = upload(&p, &d.writer, "quyet-dinh-595.pdf", content::media::text::sample_pdf("Quy trinh thu bao hiem xa hoi cap so the ngoai ngu zyxwvuts")).await;
        let hostile = upload(&p, &d.writer, "hong.pdf", b"%PDF-1.7\n1 0 obj << /Length 999999999 >> stream\n\x00\xff".to_vec()).await;
        let mut doc = document("595/QĐ-BHXH", "Quyết định ban hành quy trình thu");
        doc["form"] = json!("decision");
        doc["issuer"] = json!("Bảo hiểm xã hội Việt Nam");
        doc["files"] = json!([hostile, good]);
        publish(&p, &d, "documents", doc).await;
        let (found, _) = p
            .poll_json("/api/v1/search?q=zyxwvuts", Duration::from_secs(15), |v| v["total"].as_u64().unwrap_or(0) > 0)
            .await;
        assert_eq!(found["hits"][0]["attachment"], "quyet-dinh-595.pdf", "{found}");
        assert!(found["hits"][0]["snippet"].as_str().unwrap().contains("<mark>zyxwvuts</mark>"));
        let (_, html) = page(&p, "/vi/tim-kiem?q=zyxwvuts").await;
        assert!(html.contains("Trong tệp đính kèm quyet-dinh-595.pdf"), "the results page says so");
        for _ in 0..2 {
            let file = portal_tests::client().get(p.url(&format!("/media/{good}/original"))).send().await.unwrap();
            assert_eq!(file.status(), 200, "the live document's file is public");
        }
        let start = std::time::Instant::now();
        let counted = loop {
            let m: Value = p.get(&format!("/api/v1/media/{good}"), Some(&d.writer)).await.json().await.unwrap();
            if m["downloads"] == 2 || start.elapsed() > Duration::from_secs(20) {
                break m;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert_eq!(counted["downloads"], 2, "downloads are counted");
        let post = p.send_json(Method::POST, "/api/v1/documents", Some(&d.writer), document("1/2026/TT-X", "Sau tệp hỏng")).await;
        assert_eq!(post.status(), 201, "the indexer and the API go on");
        p.finish().await;
    }

    // A video plays in the browser's own player with its poster and
    // captions, and its file is served in byte ranges.
    async fn a_video_plays_with_captions_and_is_served_in_ranges(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let mut mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
        mp4.extend((0..5000u32).map(|i| (i % 251) as u8));
        let video = upload(&p, &d.writer, "gioi-thieu.mp4", mp4.clone()).await;
        let captions = upload(&p, &d.writer, "gioi-thieu.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào".as_bytes().to_vec()).await;
        let v = publish(&p, &d, "videos", json!({"title": "Giới thiệu BHXH Việt Nam", "title_en": "Introducing VSS", "video": [video], "captions": [captions]})).await;
        let url = v["public_url"].as_str().unwrap().to_owned();
        let (status, html) = page(&p, &url).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("<source src=\"/media/{video}/original\" type=\"video/mp4\">")), "{html}");
        assert!(html.contains("<track kind=\"captions\"") && html.contains("srclang=\"vi\""));
        assert!(!html.contains("youtube") && !html.contains("<iframe"));
        let media = p.url(&format!("/media/{video}/original"));
        let part = portal_tests::client().get(&media).header("range", "bytes=10-19").send().await.unwrap();
        assert_eq!(part.status(), 206);
        assert_eq!(part.headers()["content-range"], format!("bytes 10-19/{}", mp4.len()).as_str());
        assert_eq!(part.bytes().await.unwrap().as_ref(), &mp4[10..20]);
        let open = portal_tests::client().get(&media).header("range", "bytes=5000-").send().await.unwrap();
        assert_eq!(open.status(), 206);
        assert_eq!(open.bytes().await.unwrap().len(), mp4.len() - 5000);
        let beyond = portal_tests::client().get(&media).header("range", "bytes=99999-").send().await.unwrap();
        assert_eq!(beyond.status(), 416);
        let whole = portal_tests::client().get(&media).send().await.unwrap();
        assert_eq!((whole.status().as_u16(), whole.headers()["accept-ranges"].to_str().unwrap()), (200, "bytes"));
        p.finish().await;
    }

    // The check of the links to other portals finds the broken ones and
    // lists them for administrators.
    async fn the_link_check_lists_broken_links(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            while let Ok((mut s, _)) = listener.accept().await {
                let mut buf = [0u8; 2048];
                let n = s.read(&mut buf).await.unwrap_or(0);
                let line = String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or_default().to_owned();
                let status = if line.contains(" /ok ") { "200 OK" } else { "404 Not Found" };
                let _ = s.write_all(format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").as_bytes()).await;
            }
        });
        for (name, url) in [("Cổng Dịch vụ công", format!("http://127.0.0.1:{port}/ok")), ("Trang đã chuyển", format!("http://127.0.0.1:{port}/gone")), ("Trang không còn", "http://127.0.0.1:9/".to_owned())] {
            publish(&p, &d, "links", json!({"name": name, "url": url, "group": "public_services"})).await;
        }
        let admin = p.admin_token().await;
        assert_eq!(p.send_json(Method::POST, "/api/v1/link-checks", Some(&d.writer), json!({})).await.status(), 403);
        let run: Value = p.send_json(Method::POST, "/api/v1/link-checks", Some(&admin), json!({})).await.json().await.unwrap();
        assert_eq!((run["checked"].as_u64(), run["broken"].as_u64()), (Some(3), Some(2)));
        let broken: Value = p.get("/api/v1/link-checks?broken=true", Some(&admin)).await.json().await.unwrap();
        let found: Vec<(Option<i64>, bool)> = broken.as_array().unwrap().iter().map(|c| (c["status"].as_i64(), c["error"].is_string())).collect();
        assert_eq!(found.len(), 2);
        assert!(found.contains(&(Some(404), false)) && found.contains(&(None, true)), "{broken}");
        p.finish().await;
    }

    // Every other kind goes the same way as documents: written by a
    // contributor, approved by the chain, published, shown on its public
    // page and found by search under its own kind.
    async fn every_kind_reaches_its_page_and_search(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let units: Value = p.get("/api/v1/units", None).await.json().await.unwrap();
        let unit = units[0]["id"].as_i64().unwrap();
        let cases = [
            ("directory", "directory_unit", json!({"name": "Bảo hiểm xã hội tỉnh Zephyra", "group": "provincial", "phone": "0203 3825 000", "leaders": [{"name": "Giám đốc minh họa", "title": "Giám đốc"}]}), "zephyra"),
            ("leaders", "leader", json!({"name": "Lãnh đạo Xylander minh họa", "title": "Phó Tổng Giám đốc", "title_en": "Deputy Director General", "portfolio": "Phụ trách thu."}), "xylander"),
            ("projects", "investment_project", json!({"name": "Dự án Quorvex nâng cấp trung tâm dữ liệu", "status": "in_progress", "budget": "120 tỷ đồng"}), "quorvex"),
            ("research-topics", "research_topic", json!({"code": "CS.2025.01", "name": "Đề tài Wimbrel về hưu trí linh hoạt", "level": "sector"}), "wimbrel"),
            ("financial-reports", "financial_report", json!({"title": "Công khai dự toán Yarrowin năm 2026", "report_type": "estimate", "year": "2026"}), "yarrowin"),
            ("links", "link", json!({"name": "Cổng Vantrel dịch vụ công", "url": "https://dichvucong.gov.vn", "group": "public_services"}), "vantrel"),
            ("consultations", "consultation", json!({"title": "Dự thảo Brisko về quy trình thu", "drafting_unit_id": unit, "opens_at": at(-1), "closes_at": at(10)}), "brisko"),
        ];
        for (plural, kind, body, word) in cases {
            let entry = publish(&p, &d, plural, body).await;
            let url = entry["public_url"].as_str().unwrap().to_owned();
            let (status, html) = page(&p, &url).await;
            assert_eq!(status, 200, "{plural}: {url}");
            assert!(html.to_lowercase().contains(word), "{plural}: its page");
            let (found, _) = p
                .poll_json(&format!("/api/v1/search?q={word}&kind={kind}"), Duration::from_secs(10), |v| v["total"].as_u64().unwrap_or(0) > 0)
                .await;
            assert_eq!(found["hits"][0]["url"], url, "{plural}: found by search");
        }
        // The organisation pages draw the directory as a chart: the unit
        // under its group, linked to its page; in English, its group's
        // English name.
        let (status, html) = page(&p, "/vi/gioi-thieu-bao-hiem-xa-hoi-viet-nam/to-chuc-bo-may-cua-bao-hiem-xa-hoi-viet-nam").await;
        assert_eq!(status, 200);
        let chart = &html[html.find("class=\"org-chart\"").expect("a chart")..];
        let chart = &chart[..chart.find("</section>").unwrap()];
        assert!(chart.contains("Sơ đồ tổ chức") && chart.contains("Bảo hiểm xã hội tỉnh, thành phố"), "{chart}");
        assert!(chart.contains(">Bảo hiểm xã hội tỉnh Zephyra</a>") && chart.contains("0203 3825 000"), "{chart}");
        let (_, html) = page(&p, "/en/about-us/organizational-structure").await;
        assert!(html.contains("Organisation chart") && html.contains("Provincial offices"), "the English chart");
        p.finish().await;
    }

    // A gallery shows its photos with their captions and credits on the
    // English edition.
    async fn a_gallery_shows_its_photos_with_captions_and_credits(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let img = image::RgbImage::from_fn(900, 600, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut png = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img).write_to(&mut png, image::ImageFormat::Png).unwrap();
        let photo = upload(&p, &d.writer, "le-ky-niem.png", png.into_inner()).await;
        let empty = p.send_json(Method::POST, "/api/v1/galleries", Some(&d.writer), json!({"title": "Trống", "photos": []})).await;
        assert_eq!(empty.status(), 422, "a gallery has photos");
        let g = publish(&p, &d, "galleries", json!({"title": "Kỷ niệm 30 năm", "title_en": "30th anniversary", "photos": [photo]})).await;
        let url = g["public_url"].as_str().unwrap().to_owned();
        assert!(url.starts_with("/en/"), "{url}");
        let (status, html) = page(&p, &url).await;
        assert_eq!(status, 200);
        assert!(html.contains("<h1>30th anniversary</h1>") && html.contains("Lễ kỷ niệm 30 năm thành lập") && html.contains("Photo: Nguyễn Phóng Viên"), "{html}");
        assert!(html.contains("alt=\"Ảnh minh họa\""));
        p.finish().await;
    }

    // A decree goes through the chain, shows its fields and status, is
    // found by its number however it is typed; a newer decree replacing it
    // makes it expired on both pages without anyone editing it.
    async fn a_legal_document_is_published_found_by_number_and_replaced(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let old = publish(&p, &d, "documents", document("166/2016/NĐ-CP", "Nghị định quy định chi tiết về bảo hiểm xã hội bắt buộc")).await;
        assert_eq!((old["status"].as_str(), old["year"].as_str()), (Some("in_force"), Some("2016")));
        let url = old["public_url"].as_str().unwrap().to_owned();
        assert!(url.starts_with("/vi/"), "{url}");
        let (status, html) = page(&p, &url).await;
        assert_eq!(status, 200);
        for shown in ["166/2016/NĐ-CP", "Cơ quan ban hành", "Chính phủ", "Ngày có hiệu lực", "31/12/2016", "Còn hiệu lực", "Trích yếu", "\"@type\":\"Legislation\"", "DC.title"] {
            assert!(html.contains(shown), "{shown} shown");
        }
        for q in ["166%2F2016%2FN%C4%90-CP", "166%2F2016%2FND-CP", "166%2F2016", "nd%20166"] {
            let (found, _) = p
                .poll_json(&format!("/api/v1/search?q={q}&kind=legal_document"), Duration::from_secs(10), |v| v["total"].as_u64().unwrap_or(0) > 0)
                .await;
            assert!(found["hits"][0]["title"].as_str().unwrap().starts_with("Nghị định quy định chi tiết"), "search {q}: {found}");
        }

        let mut newer = document("01/2026/NĐ-CP", "Nghị định thay thế về bảo hiểm xã hội bắt buộc");
        newer["issued_on"] = json!("2025-12-01");
        newer["effective_from"] = json!("2026-01-01");
        newer["replaces"] = json!(["166/2016/NĐ-CP"]);
        let new = publish(&p, &d, "documents", newer).await;
        assert_eq!(new["status"], "in_force");
        let old_now: Value = p.get(&format!("/api/v1/documents/{}", old["id"]), Some(&d.editor)).await.json().await.unwrap();
        assert_eq!(old_now["status"], "expired", "replaced by a document in force");
        assert_eq!(old_now["version"], 1, "nobody edited it");
        let (_, html) = page(&p, &url).await;
        assert!(html.contains("Hết hiệu lực") && html.contains("Được thay thế bởi") && html.contains("01/2026/NĐ-CP"), "the replacement shows on the replaced page");
        let (_, newer_html) = page(&p, new["public_url"].as_str().unwrap()).await;
        assert!(newer_html.contains("Thay thế văn bản") && newer_html.contains("166/2016/NĐ-CP"));

        let sitemap = portal_tests::client().get(p.url("/sitemap.xml")).send().await.unwrap().text().await.unwrap();
        assert!(sitemap.contains(&url), "the document is in the sitemap");
        let list_path = url.rsplit_once('/').unwrap().0.to_owned();
        let rss = portal_tests::client().get(p.url(&format!("{list_path}/rss.xml"))).send().await.unwrap().text().await.unwrap();
        assert!(rss.contains(&url) && rss.contains("166/2016/NĐ-CP"), "the document is in its section's feed");
        let (_, expired) = page(&p, &format!("{list_path}?status=expired")).await;
        assert!(expired.contains("Nghị định quy định chi tiết") && !expired.contains("Nghị định thay thế"), "the list filters on the computed status");
        let (_, by_year) = page(&p, &format!("{list_path}?year=2025")).await;
        assert!(by_year.contains("Nghị định thay thế") && !by_year.contains("Nghị định quy định chi tiết"));

        let mut dated = document("05/2015/TT-BLĐTBXH", "Thông tư đã hết hiệu lực theo ngày");
        dated["form"] = json!("circular");
        dated["expired_on"] = json!("2020-01-01");
        let created: Value = p.send_json(Method::POST, "/api/v1/documents", Some(&d.writer), dated).await.json().await.unwrap();
        assert_eq!(created["status"], "expired", "computed from expired_on");
        let bad = p.send_json(Method::POST, "/api/v1/documents", Some(&d.writer), json!({"number": "X", "title": "X", "form": "decree", "issuer": "X", "issued_on": "2020-01-01", "replaces": ["999/2099/NĐ-CP"]})).await;
        assert_problem(bad, 404, "unknown-reference").await;
        p.finish().await;
    }

    // Comments are taken only inside the window of a published draft;
    // outside it nothing is stored; a comment shows once published by a
    // moderator, and the export lists it.
    async fn a_consultation_takes_comments_inside_its_window_only(b: Backend) {
        let p = TestPortal::start_with(b, &[("PORTAL_QA_RATE_LIMIT_PER_HOUR", "20")]).await;
        let d = desk(&p).await;
        let units: Value = p.get("/api/v1/units", None).await.json().await.unwrap();
        let unit = units[0]["id"].as_i64().unwrap();
        let draft = |title: &str, opens: i64, closes: i64| json!({
            "title": title, "summary": "Dự thảo lấy ý kiến nhân dân.", "body": "Điều 1. Phạm vi điều chỉnh.",
            "drafting_unit_id": unit, "opens_at": at(opens), "closes_at": at(closes),
        });
        let bad = p.send_json(Method::POST, "/api/v1/consultations", Some(&d.writer), draft("Ngược", 5, 1)).await;
        assert_eq!(assert_problem(bad, 422, "validation").await["field"], "closes_at");
        let upcoming = publish(&p, &d, "consultations", draft("Dự thảo sắp lấy ý kiến", 3, 30)).await;
        let closed = publish(&p, &d, "consultations", draft("Dự thảo đã hết hạn", -30, -1)).await;
        let open = publish(&p, &d, "consultations", draft("Dự thảo Thông tư hướng dẫn thu BHXH", -1, 30)).await;
        assert_eq!((upcoming["status"].as_str(), closed["status"].as_str(), open["status"].as_str()), (Some("upcoming"), Some("closed"), Some("open")));
        let comment = json!({"name": "Trần Thị B", "email": "b@example.vn", "organisation": "Công ty X", "clause": "Điều 1", "text": "Đề nghị bổ sung đối tượng lao động tự do.", "consent": true});
        for (draft, label) in [(&upcoming, "before it opens"), (&closed, "after it closes")] {
            let id = draft["id"].as_i64().unwrap();
            let refused = p.send_json(Method::POST, &format!("/api/v1/consultations/{id}/comments"), None, comment.clone()).await;
            let problem = assert_problem(refused, 409, "outside-window").await;
            assert_eq!(problem["closes_at"], draft["closes_at"], "{label}: says when it closes");
            let stored: Value = p.get(&format!("/api/v1/consultations/{id}/comments"), Some(&d.editor)).await.json().await.unwrap();
            assert_eq!(stored.as_array().unwrap().len(), 0, "{label}: nothing stored");
        }
        let id = open["id"].as_i64().unwrap();
        let no_consent = p.send_json(Method::POST, &format!("/api/v1/consultations/{id}/comments"), None, json!({"name": "A", "email": "a@example.vn", "text": "x", "consent": false})).await;
        assert_eq!(no_consent.status(), 422);
        let resp = p.send_json(Method::POST, &format!("/api/v1/consultations/{id}/comments"), None, comment).await;
        assert_eq!(resp.status(), 201);
        let received: Value = resp.json().await.unwrap();
        assert_eq!(received["state"], "pending");

        let url = open["public_url"].as_str().unwrap().to_owned();
        let (_, html) = page(&p, &url).await;
        assert!(html.contains("Đang lấy ý kiến") && html.contains("Số ý kiến đã nhận: <strong>1</strong>"), "the window and the count");
        assert!(!html.contains("lao động tự do"), "not shown before moderation");
        assert!(!html.contains("b@example.vn"));
        let cid = received["id"].as_i64().unwrap();
        let moderate = |decision: &str| json!({"decision": decision});
        let no_reason = p.send_json(Method::POST, &format!("/api/v1/consultations/{id}/comments/{cid}/moderation"), Some(&d.editor), moderate("reject")).await;
        assert_eq!(no_reason.status(), 422, "a rejection says why");
        let outsider = p.send_json(Method::POST, &format!("/api/v1/consultations/{id}/comments/{cid}/moderation"), None, moderate("publish")).await;
        assert_eq!(outsider.status(), 401);
        let done: Value = p.send_json(Method::POST, &format!("/api/v1/consultations/{id}/comments/{cid}/moderation"), Some(&d.editor), moderate("publish")).await.json().await.unwrap();
        assert_eq!(done["state"], "published");
        let (_, html) = page(&p, &url).await;
        assert!(html.contains("lao động tự do") && html.contains("Trần Thị B") && !html.contains("b@example.vn"), "published without the e-mail");

        let csv = p.get(&format!("/api/v1/consultations/{id}/comments/export?format=csv"), Some(&d.editor)).await;
        assert_eq!(csv.status(), 200);
        let text = csv.text().await.unwrap();
        assert!(text.contains("Nội dung góp ý") && text.contains("lao động tự do") && text.contains("b@example.vn"));
        let xlsx = p.get(&format!("/api/v1/consultations/{id}/comments/export?format=xlsx"), Some(&d.editor)).await;
        assert_eq!(xlsx.status(), 200);
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK\x03\x04"));
        let anonymous = p.get(&format!("/api/v1/consultations/{id}/comments/export?format=csv"), None).await;
        assert_eq!(anonymous.status(), 401);

        let browser = portal_tests::browser();
        let form_url = p.url(&format!("{url}/gop-y"));
        let form = browser.get(&form_url).send().await.unwrap().text().await.unwrap();
        let csrf = form.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let sent = browser
            .post(&form_url)
            .form(&[("csrf", csrf.as_str()), ("name", "Lê Văn C"), ("email", "c@example.vn"), ("text", "Góp ý qua biểu mẫu."), ("consent", "true"), ("website", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 200);
        assert!(sent.text().await.unwrap().contains("sẽ được đăng sau khi kiểm duyệt"));
        let failed = browser
            .post(&form_url)
            .form(&[("csrf", csrf.as_str()), ("name", "Lê Văn C"), ("email", "không-phải-thư"), ("text", "Giữ nguyên nội dung."), ("consent", "true")])
            .send()
            .await
            .unwrap();
        assert_eq!(failed.status(), 422);
        let failed = failed.text().await.unwrap();
        assert!(failed.contains("Giữ nguyên nội dung."), "a failed form keeps what was typed");
        assert!(failed.contains("Địa chỉ thư điện tử không hợp lệ."), "the error in Vietnamese");
        let all: Value = p.get(&format!("/api/v1/consultations/{id}/comments?state=pending"), Some(&d.editor)).await.json().await.unwrap();
        assert_eq!(all.as_array().unwrap().len(), 1);
        p.finish().await;
    }

    // A citizen may attach a file to a comment through the form: it is
    // kept out of the media library and out of public reach (staff only)
    // until a moderator publishes the comment; a file of another type is
    // refused in Vietnamese and nothing is stored.
    async fn a_comments_file_is_quarantined_until_the_comment_is_published(b: Backend) {
        let p = TestPortal::start_with(b, &[("PORTAL_QA_RATE_LIMIT_PER_HOUR", "20")]).await;
        let d = desk(&p).await;
        let units: Value = p.get("/api/v1/units", None).await.json().await.unwrap();
        let open = publish(&p, &d, "consultations", json!({
            "title": "Dự thảo Quyết định về hồ sơ điện tử", "summary": "Lấy ý kiến.", "body": "Điều 1.",
            "drafting_unit_id": units[0]["id"], "opens_at": at(-1), "closes_at": at(30),
        })).await;
        let (id, url) = (open["id"].as_i64().unwrap(), open["public_url"].as_str().unwrap().to_owned());
        let browser = portal_tests::browser();
        let form_url = p.url(&format!("{url}/gop-y"));
        let html = browser.get(&form_url).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("name=\"file\""));
        let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();
        let form = |file: reqwest::multipart::Part| {
            reqwest::multipart::Form::new()
                .text("csrf", csrf.clone())
                .text("name", "Đỗ Thị Hạnh")
                .text("email", "hanh@example.vn")
                .text("text", "Kèm bảng so sánh các phương án.")
                .text("consent", "true")
                .text("website", "")
                .part("file", file)
        };
        let refused = browser
            .post(&form_url)
            .multipart(form(reqwest::multipart::Part::bytes(vec![0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]).file_name("chuong-trinh.exe")))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let text = refused.text().await.unwrap();
        assert!(text.contains("Tệp đính kèm") && text.contains("Kèm bảng so sánh"), "a Vietnamese message, the form kept");
        let stored: Value = p.get(&format!("/api/v1/consultations/{id}/comments"), Some(&d.editor)).await.json().await.unwrap();
        assert_eq!(stored.as_array().unwrap().len(), 0, "nothing stored");

        let sent = browser
            .post(&form_url)
            .multipart(form(reqwest::multipart::Part::bytes(pdf.clone()).file_name("Bảng so sánh.pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 200);
        let stored: Value = p.get(&format!("/api/v1/consultations/{id}/comments"), Some(&d.editor)).await.json().await.unwrap();
        let c = &stored[0];
        assert_eq!((c["attachment_name"].as_str(), c["attachment_size"].as_i64()), (Some("Bảng so sánh.pdf"), Some(pdf.len() as i64)));
        let file_url = c["attachment_url"].as_str().unwrap().to_owned();
        let cid = c["id"].as_i64().unwrap();
        assert_eq!(p.get(&file_url, None).await.status(), 404, "quarantined before moderation");
        let staff = p.get(&file_url, Some(&d.editor)).await;
        assert_eq!(staff.status(), 200);
        assert_eq!(staff.headers()["cache-control"], "private, no-store");
        assert_eq!(staff.bytes().await.unwrap().to_vec(), pdf);
        let library: Value = p.get("/api/v1/media", Some(&d.editor)).await.json().await.unwrap();
        assert!(!library.to_string().contains("Bảng so sánh"), "not in the media library");
        p.send_json(Method::POST, &format!("/api/v1/consultations/{id}/comments/{cid}/moderation"), Some(&d.editor), json!({"decision": "publish"})).await;
        let public = p.get(&file_url, None).await;
        assert_eq!(public.status(), 200);
        assert!(public.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
        assert_eq!(public.bytes().await.unwrap().to_vec(), pdf);
        let (_, html) = page(&p, &url).await;
        assert!(html.contains(&format!("href=\"{file_url}\"")) && html.contains("Bảng so sánh.pdf"), "linked from the draft's page");
        p.finish().await;
    }
}
