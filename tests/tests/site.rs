//! The public site over HTTP: publication shows everywhere, withdrawal
//! answers 410, editions link, hosts map, caches validate and invalidate.

use portal_tests::{ADMIN_PASSWORD, Desk, TestPortal, csrf_of, desk, on_both_databases};
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

/// Text as the templates escape it.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('\'', "&#39;")
        .replace('"', "&quot;")
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

on_both_databases! {
    async fn the_menu_is_the_section_tree_and_folds_on_phones(b: Backend) {
        let p = TestPortal::start(b).await;
        for ed in ["vi", "en"] {
            let tree: Value = p.get(&format!("/api/v1/sections?edition={ed}"), None).await.json().await.unwrap();
            let home = text(&p, &format!("/{ed}/")).await.1;
            let wide = home.split("class=\"nav-wide\"").nth(1).unwrap().split("</nav>").next().unwrap();
            let narrow = home.split("class=\"nav-narrow\"").nth(1).unwrap().split("</details>").next().unwrap();
            assert!(narrow.contains("<summary>"), "the phone menu is a <details> with its button");
            let mut last = 0;
            for top in tree.as_array().unwrap() {
                let name = html(top[if ed == "vi" { "name_vi" } else { "name_en" }].as_str().unwrap());
                let at = wide.find(&format!(">{name}</a>")).unwrap_or_else(|| panic!("{ed}: {name} missing from the menu"));
                assert!(at > last, "{ed}: {name} out of the board's order");
                last = at;
                assert!(narrow.contains(&format!(">{name}</a>")), "{ed}: {name} missing from the phone menu");
                for item in top["children"].as_array().unwrap() {
                    let item_name = html(item[if ed == "vi" { "name_vi" } else { "name_en" }].as_str().unwrap());
                    assert!(wide.contains(&format!(">{item_name}</a>")), "{ed}: {item_name} missing under {name}");
                }
            }
        }
        let vi = text(&p, "/vi/").await.1;
        assert!(vi.contains("<summary>Danh mục</summary>"));
        assert!(vi.contains(">Hội đồng quản lý</a>"), "a second-level item");
        p.finish().await;
    }

    async fn the_home_page_blocks_follow_the_administrator(b: Backend) {
        let p = TestPortal::start(b).await;
        let home = text(&p, "/vi/").await.1;
        for block in ["b-latest_news", "b-services", "b-hotline", "b-government_links"] {
            assert!(home.contains(block), "{block} on a new installation");
        }
        assert!(home.contains("1900 9068") && home.contains("dichvucong.gov.vn") && home.contains("VssID"));
        let en = text(&p, "/en/").await.1;
        assert!(en.contains("b-hotline") && !en.contains("b-latest_answers"));

        let web = p.editor_session("admin", ADMIN_PASSWORD).await;
        let screen = web.get(p.url("/editor/site")).send().await.unwrap().text().await.unwrap();
        assert!(screen.contains("Các khối trang chủ") && screen.contains("BHYT = bảo hiểm y tế"), "the screen in Vietnamese with the sector's dictionary");
        let csrf = csrf_of(&screen);
        let resp = web
            .post(p.url("/editor/site/home/vi"))
            .form(&[("csrf", csrf.as_str()), ("hotline.shown", "1"), ("hotline.position", "1"),
                ("latest_news.shown", "1"), ("latest_news.position", "2"), ("latest_news.items", "99")])
            .send().await.unwrap();
        assert_eq!(resp.status(), 422);
        let refused = resp.text().await.unwrap();
        assert!(refused.contains("số mục từ 1 đến 20"), "said in Vietnamese");
        assert!(refused.contains("value=\"99\""), "what was typed is kept");
        let resp = web
            .post(p.url("/editor/site/home/vi"))
            .form(&[("csrf", csrf.as_str()), ("hotline.shown", "1"), ("hotline.position", "đầu")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 422);
        let refused = resp.text().await.unwrap();
        assert!(refused.contains("thứ tự phải là một số") && refused.contains("value=\"đầu\""), "an unreadable order is refused, not put last");
        let resp = web
            .post(p.url("/editor/site/home/vi"))
            .form(&[("csrf", csrf.as_str()), ("hotline.shown", "1"), ("hotline.position", "1"),
                ("latest_news.shown", "1"), ("latest_news.position", "2"), ("latest_news.items", "4")])
            .send().await.unwrap();
        assert_eq!(resp.status(), 303);
        let home = text(&p, "/vi/").await.1;
        let (hotline, news) = (home.find("b-hotline").unwrap(), home.find("b-latest_news").unwrap());
        assert!(hotline < news, "the administrator's order");
        assert!(!home.contains("b-government_links") && !home.contains("b-services"), "blocks left out are gone");
        assert!(text(&p, "/en/").await.1.contains("b-government_links"), "the other edition keeps its own");

        desk(&p).await;
        let editor = p.editor_session("bientap", &portal_tests::password_of("bientap")).await;
        assert_eq!(editor.get(p.url("/editor/site")).send().await.unwrap().status(), 403);
        p.finish().await;
    }

    async fn the_search_dictionary_takes_effect_at_once(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        publish(&p, &d, json!({"edition": "vi", "section_id": section(&p, "vi", 2).await,
            "title": "Thẻ bảo hiểm y tế điện tử", "body": "Cách tính lương hưu và thẻ khám chữa bệnh."})).await;
        let total = |q: &'static str| {
            let p = &p;
            async move {
                let (v, _) = p
                    .poll_json(&format!("/api/v1/search?edition=vi&q={q}"), std::time::Duration::from_secs(5), |v| v["total"].as_u64() > Some(0))
                    .await;
                (v["total"].as_u64().unwrap_or(0), v["left_out"].clone())
            }
        };
        assert_eq!(total("the+bhyt").await.0, 1, "the sector's abbreviations apply from the start");
        let web = p.editor_session("admin", ADMIN_PASSWORD).await;
        let screen = web.get(p.url("/editor/site")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&screen);
        let typed = "BHYT = bảo hiểm y tế\nhưu trí lương hưu\n";
        let resp = web.post(p.url("/editor/site/synonyms")).form(&[("csrf", csrf.as_str()), ("synonyms", typed)]).send().await.unwrap();
        assert_eq!(resp.status(), 422);
        let refused = resp.text().await.unwrap();
        assert!(refused.contains("Dòng 2: cần viết dạng"), "said in Vietnamese, naming the line");
        assert!(refused.contains("hưu trí lương hưu"), "what was typed is kept");
        let resp = web
            .post(p.url("/editor/site/synonyms"))
            .form(&[("csrf", csrf.as_str()), ("synonyms", "# chỉ một dòng\nhưu trí = lương hưu\n")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303);
        let found: Value = p.get("/api/v1/search?edition=vi&q=huu+tri", None).await.json().await.unwrap();
        assert_eq!(found["total"], 1, "the new entry applies at once, without re-indexing: {found}");
        let found: Value = p.get("/api/v1/search?edition=vi&q=the+bhyt", None).await.json().await.unwrap();
        assert_eq!(found["left_out"], json!(["bhyt"]), "an entry removed no longer applies: {found}");
        p.finish().await;
    }

    async fn reading_aids_last_updated_and_the_accessibility_statement(b: Backend) {
        let p = TestPortal::start(b).await;
        let web = portal_tests::browser();
        let resp = web.get(p.url("/reading-aids?size=larger&contrast=toggle&back=%2Fvi%2Ftin-tuc")).send().await.unwrap();
        assert_eq!(resp.status(), 303);
        assert_eq!(resp.headers()["location"], "/vi/tin-tuc");
        let css = web.get(p.url("/reading-aids.css")).send().await.unwrap();
        assert!(css.headers()["cache-control"].to_str().unwrap().contains("private"));
        let css = css.text().await.unwrap();
        assert!(css.contains("font-size: 115%") && css.contains("#ff0"), "{css}");
        web.get(p.url("/reading-aids?size=larger&back=/vi/")).send().await.unwrap();
        assert!(web.get(p.url("/reading-aids.css")).send().await.unwrap().text().await.unwrap().contains("font-size: 130%"), "the choice persists and adds up");
        let away = web.get(p.url("/reading-aids?size=normal&back=%2F%2Fevil.example")).send().await.unwrap();
        assert_eq!(away.headers()["location"], "/", "never sends the reader elsewhere");
        assert_eq!(p.get("/reading-aids.css", None).await.text().await.unwrap(), "", "nothing for readers who chose nothing");

        let (status, vi) = text(&p, "/vi/kha-nang-tiep-can").await;
        assert_eq!(status, 200);
        assert!(vi.contains("WCAG) 2.1") && vi.contains("22/2023/TT-BTTTT") && vi.contains("/reading-aids?size=larger"));
        let (status, en) = text(&p, "/en/accessibility").await;
        assert_eq!(status, 200);
        assert!(en.contains("Accessibility statement") && en.contains("Last updated: <time"));
        for path in ["/vi/", "/vi/tin-tuc", "/vi/tim-kiem", "/vi/so-do-cong-thong-tin"] {
            let page = text(&p, path).await.1;
            assert!(page.contains("Cập nhật lần cuối: <time"), "{path} says when it was last updated");
            assert!(page.contains("href=\"/reading-aids.css\""), "{path} links the reading aids");
            assert!(page.contains("/vi/kha-nang-tiep-can"), "{path} links the statement");
        }
        let d = desk(&p).await;
        let (_, url) = publish(&p, &d, json!({"edition": "vi", "section_id": section(&p, "vi", 2).await,
            "title": "Hướng dẫn <script> cấp lại thẻ", "body": "Nội dung.", "authors": [{"name": "Minh Anh"}]})).await;
        let article = text(&p, &url).await.1;
        let ld = article.split("<script type=\"application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
        assert!(!ld.contains('<'), "no markup can close the script");
        let ld: Value = serde_json::from_str(ld).unwrap();
        let graph = ld["@graph"].as_array().unwrap();
        assert_eq!(graph[0]["@type"], "NewsArticle");
        assert_eq!(graph[0]["headline"], "Hướng dẫn <script> cấp lại thẻ");
        assert_eq!(graph[0]["author"][0]["name"], "Minh Anh");
        assert_eq!(graph[1]["@type"], "BreadcrumbList");
        assert_eq!(graph[1]["itemListElement"].as_array().unwrap().len(), 3);
        assert!(graph[1]["itemListElement"][2]["item"].as_str().unwrap().ends_with(&url));
        p.finish().await;
    }

    async fn the_sitemap_becomes_an_index_past_its_limit(b: Backend) {
        let p = TestPortal::start_with(b, &[("PORTAL_SITEMAP_MAX_URLS", "20")]).await;
        let index = text(&p, "/sitemap.xml").await.1;
        let doc = roxmltree::Document::parse(&index).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "sitemapindex", "{index}");
        let parts: Vec<String> = doc.descendants().filter(|n| n.has_tag_name("loc")).map(|n| n.text().unwrap().to_owned()).collect();
        assert!(parts.len() >= 3, "{index}");
        let mut total = 0;
        for (i, loc) in parts.iter().enumerate() {
            let path = loc.trim_start_matches(&p.base);
            assert_eq!(path, format!("/sitemaps/{}.xml", i + 1));
            let (status, part) = text(&p, path).await;
            assert_eq!(status, 200);
            validate_sitemap(&part);
            let n = part.matches("<url>").count();
            assert!((1..=20).contains(&n), "{path}: {n} URLs");
            total += n;
        }
        assert!(total > 40, "every section of both editions: {total}");
        assert_eq!(text(&p, &format!("/sitemaps/{}.xml", parts.len() + 1)).await.0, 404);
        assert_eq!(text(&p, "/sitemaps/0.xml").await.0, 404);
        assert_eq!(text(&p, "/sitemaps/x.xml").await.0, 404);
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
