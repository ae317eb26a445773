//! The public site over HTTP: publication shows everywhere, withdrawal
//! answers 410, editions link, hosts map, caches validate and invalidate.

use portal_tests::{Desk, TestPortal, desk, on_both_databases};
use reqwest::Method;
use serde_json::{Value, json};

async fn section(p: &TestPortal, edition: &str, index: usize) -> i64 {
    let tree: Value = p
        .get(&format!("/api/v1/sections?edition={edition}"), None)
        .await
        .json()
        .await
        .unwrap();
    tree[index - 1]["id"].as_i64().unwrap()
}

async fn act(p: &TestPortal, token: &str, id: i64, action: &str, comment: Option<&str>) -> Value {
    let resp = p
        .send_json(
            Method::POST,
            &format!("/api/v1/posts/{id}/transitions"),
            Some(token),
            json!({"action": action, "comment": comment}),
        )
        .await;
    assert_eq!(resp.status(), 200, "{action}: {}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

/// Writes and publishes a post through the whole chain; returns (id, public path).
async fn publish(p: &TestPortal, d: &Desk, body: Value) -> (i64, String) {
    let resp = p
        .send_json(Method::POST, "/api/v1/posts", Some(&d.writer), body)
        .await;
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    act(p, &d.writer, id, "submit", None).await;
    act(p, &d.editor, id, "approve", None).await;
    act(p, &d.deputy, id, "approve", None).await;
    let moved = act(p, &d.editor, id, "publish", None).await;
    (id, moved["post"]["public_url"].as_str().unwrap().to_owned())
}

async fn text(p: &TestPortal, path: &str) -> (u16, String) {
    let resp = p.get(path, None).await;
    (resp.status().as_u16(), resp.text().await.unwrap())
}

fn xml_ok(xml: &str) {
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("invalid XML: {e}\n{xml}"));
}

on_both_databases! {
    async fn a_published_post_shows_everywhere_and_a_withdrawn_one_is_gone(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let news = section(&p, "vi", 2).await;
        let (id, url) = publish(&p, &d, json!({"edition": "vi", "section_id": news, "title": "Điều chỉnh lương hưu từ 1/7/2026",
            "summary": "Mức điều chỉnh mới", "body": "Nội dung **chi tiết**.", "authors": [{"name": "Minh Anh"}], "source": "BHXH Việt Nam"})).await;
        assert_eq!(url, "/vi/tin-tuc/dieu-chinh-luong-huu-tu-1-7-2026");
        let (status, html) = text(&p, &url).await;
        assert_eq!(status, 200);
        for needle in ["<html lang=\"vi\">", "<h1>Điều chỉnh lương hưu từ 1/7/2026</h1>", "<strong>chi tiết</strong>", "Tác giả: Minh Anh",
            "Nguồn: BHXH Việt Nam", "name=\"DC.title\"", "name=\"DC.language\" content=\"vi\"", "property=\"og:title\"",
            "rel=\"canonical\"", "hreflang=\"en\"", "class=\"crumbs\"", "Bảo hiểm xã hội Việt Nam", "1900 9068"] {
            assert!(html.contains(needle), "article lacks {needle}");
        }
        assert!(text(&p, "/vi/tin-tuc").await.1.contains("Điều chỉnh lương hưu từ 1/7/2026"));
        assert!(text(&p, "/vi/").await.1.contains("Điều chỉnh lương hưu từ 1/7/2026"));
        let (_, rss) = text(&p, "/vi/rss.xml").await;
        xml_ok(&rss);
        assert!(rss.contains(&format!("{}{url}", p.base)));
        let (_, atom) = text(&p, "/vi/tin-tuc/atom.xml").await;
        xml_ok(&atom);
        assert!(atom.contains("Điều chỉnh lương hưu"));
        let (_, sitemap) = text(&p, "/sitemap.xml").await;
        xml_ok(&sitemap);
        validate_sitemap(&sitemap);
        assert!(sitemap.contains(&format!("<loc>{}{url}</loc>", p.base)));
        // Withdrawn: 410 in the right language, gone from lists, feeds and sitemap.
        act(&p, &d.editor, id, "unpublish", Some("Thông tin chưa chính xác")).await;
        let (status, html) = text(&p, &url).await;
        assert_eq!(status, 410);
        assert!(html.contains("Bài viết đã được gỡ"));
        assert!(!text(&p, "/vi/tin-tuc").await.1.contains("Điều chỉnh lương hưu"));
        assert!(!text(&p, "/vi/rss.xml").await.1.contains("Điều chỉnh lương hưu"));
        assert!(!text(&p, "/sitemap.xml").await.1.contains(&url));
        let (status, html) = text(&p, "/en/no-such-page").await;
        assert_eq!(status, 404);
        assert!(html.contains("Page not found") && html.contains("<html lang=\"en\">"));
        p.finish().await;
    }

    async fn translations_link_the_editions(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let (vi_id, vi_url) = publish(&p, &d, json!({"edition": "vi", "section_id": section(&p, "vi", 2).await, "title": "Hội nghị quốc tế về an sinh xã hội", "body": "Nội dung"})).await;
        let (_, en_url) = publish(&p, &d, json!({"edition": "en", "section_id": section(&p, "en", 2).await, "title": "International social security conference", "body": "Body", "translation_of": vi_id})).await;
        assert!(en_url.starts_with("/en/news/"));
        let (_, vi_html) = text(&p, &vi_url).await;
        assert!(vi_html.contains(&format!("class=\"lang-switch\" href=\"{en_url}\"")), "vi links its translation");
        let (_, en_html) = text(&p, &en_url).await;
        assert!(en_html.contains(&format!("class=\"lang-switch\" href=\"{vi_url}\"")));
        assert!(en_html.contains("<html lang=\"en\">"));
        // Without a translation the switch leads to the other edition's home.
        let (_, url) = publish(&p, &d, json!({"edition": "vi", "section_id": section(&p, "vi", 2).await, "title": "Tin chỉ có tiếng Việt", "body": "x"})).await;
        assert!(text(&p, &url).await.1.contains("class=\"lang-switch\" href=\"/en/\""));
        p.finish().await;
    }

    async fn the_english_edition_speaks_english_and_the_icon_is_served(b: Backend) {
        let p = TestPortal::start(b).await;
        let en = p.get("/en/", None).await.text().await.unwrap();
        assert!(en.contains("Head of the Editorial Board"), "the footer in English");
        assert!(!en.contains("Trưởng Ban Biên tập"));
        let vi = p.get("/vi/", None).await.text().await.unwrap();
        assert!(vi.contains("Trưởng Ban Biên tập"));
        let icon = p.get("/favicon.ico", None).await;
        assert_eq!(icon.status(), 200);
        assert_eq!(icon.headers()["content-type"], "image/svg+xml");
        let qa = p.get("/vi/hoi-dap", None).await.text().await.unwrap();
        let crumbs = qa.split("class=\"crumbs\"").nth(1).unwrap().split("</nav>").next().unwrap();
        assert_eq!(crumbs.matches("Hỏi - đáp").count(), 1, "the section is named once: {crumbs}");
        p.finish().await;
    }

    async fn hosts_and_languages_choose_the_edition(b: Backend) {
        let p = TestPortal::start_with(b, &[("PORTAL_HOSTS", "baohiemxahoi.gov.vn=vi,vss.gov.vn=en")]).await;
        let go = |host: &'static str, lang: &'static str| {
            let p = &p;
            async move {
                let resp = p.http.get(p.url("/")).header("host", host).header("accept-language", lang).send().await.unwrap();
                assert_eq!(resp.status(), 302);
                resp.headers()["location"].to_str().unwrap().to_owned()
            }
        };
        assert_eq!(go("vss.gov.vn", "vi").await, "/en/");
        assert_eq!(go("baohiemxahoi.gov.vn", "en-US").await, "/vi/");
        assert_eq!(go("localhost", "en-GB,en;q=0.9").await, "/en/");
        assert_eq!(go("localhost", "vi-VN,vi;q=0.9").await, "/vi/");
        p.finish().await;
    }

    async fn conditional_gets_answer_304(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let (_, url) = publish(&p, &d, json!({"edition": "vi", "section_id": section(&p, "vi", 2).await, "title": "Tin kiểm tra bộ đệm", "body": "x"})).await;
        for path in [url.as_str(), "/vi/", "/vi/tin-tuc", "/vi/rss.xml", "/sitemap.xml"] {
            let resp = p.get(path, None).await;
            assert_eq!(resp.status(), 200);
            let etag = resp.headers()["etag"].to_str().unwrap().to_owned();
            let modified = resp.headers()["last-modified"].to_str().unwrap().to_owned();
            assert!(resp.headers()["cache-control"].to_str().unwrap().contains("public"));
            let again = p.http.get(p.url(path)).header("if-none-match", &etag).send().await.unwrap();
            assert_eq!(again.status(), 304, "{path}");
            let again = p.http.get(p.url(path)).header("if-modified-since", &modified).send().await.unwrap();
            assert_eq!(again.status(), 304, "{path} by date");
        }
        let resp = p.http.get(p.url(&url)).header("accept-encoding", "gzip").send().await.unwrap();
        assert_eq!(resp.headers()["content-encoding"], "gzip");
        let css = text(&p, "/vi/").await.1;
        let start = css.find("/static/site.").unwrap();
        let href = &css[start..start + css[start..].find('"').unwrap()];
        let resp = p.get(href, None).await;
        assert_eq!(resp.status(), 200);
        assert!(resp.headers()["cache-control"].to_str().unwrap().contains("max-age=31536000"));
        p.finish().await;
    }

    async fn an_update_on_one_node_shows_on_the_other(b: Backend) {
        let p = TestPortal::start(b).await;
        let other = p.sibling().await;
        let d = desk(&p).await;
        let news = section(&p, "vi", 2).await;
        let (id, url) = publish(&p, &d, json!({"edition": "vi", "section_id": news, "title": "Thông báo lịch nghỉ", "body": "Bản đầu tiên"})).await;
        // Other nodes follow the change log within their poll interval.
        let mut seen = false;
        for _ in 0..20 {
            if text(&other, &url).await.1.contains("Bản đầu tiên") {
                seen = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(seen, "the other node shows the publication");
        assert!(text(&other, &url).await.1.contains("Bản đầu tiên"), "served from the cache");
        // A correction approved on the first node.
        let resp = p.send_json(Method::PUT, &format!("/api/v1/posts/{id}"), Some(&d.writer), json!({"section_id": news, "title": "Thông báo lịch nghỉ", "body": "Bản đính chính", "base_revision": 1})).await;
        assert_eq!(resp.status(), 200);
        act(&p, &d.writer, id, "submit", None).await;
        act(&p, &d.editor, id, "approve", None).await;
        act(&p, &d.deputy, id, "approve", None).await;
        let mut seen = false;
        for _ in 0..20 {
            if text(&other, &url).await.1.contains("Bản đính chính") {
                seen = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(seen, "the other node's cache was invalidated");
        other.finish().await;
        p.finish().await;
    }
}

/// Validates against the sitemaps.org 0.9 schema with xmllint (Debian's
/// libxml2-utils, installed by .ci/run).
fn validate_sitemap(xml: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sitemap.xml");
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .args([
            "--noout",
            "--schema",
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/sitemap.xsd"),
        ])
        .arg(&file)
        .output()
        .expect("xmllint (package libxml2-utils) is needed");
    assert!(
        out.status.success(),
        "sitemap.xml does not validate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sitemap_schema_is_well_formed() {
    let xsd = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/sitemap.xsd")).unwrap();
    xml_ok(&xsd);
}
