//! The upload pipeline as its users meet it: the editor's own upload form
//! takes large photos (the body limit comes from the pipeline, not from a
//! list of paths), and other routes keep the small general limit.

use portal_tests::{TestPortal, desk, on_both_databases};
use reqwest::Method;
use serde_json::{Value, json};

fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("hidden field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// A JPEG of noise (which compresses badly) of at least `min_bytes`.
fn big_jpeg(min_bytes: usize) -> Vec<u8> {
    let mut side = 1600u32;
    loop {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let img = image::RgbImage::from_fn(side, side, |_, _| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            image::Rgb([state as u8, (state >> 8) as u8, (state >> 16) as u8])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
            .encode_image(&img)
            .expect("encode");
        let bytes = out.into_inner();
        if bytes.len() >= min_bytes {
            return bytes;
        }
        side += 400;
    }
}

on_both_databases! {
    async fn the_editor_form_takes_a_five_megabyte_photo(b: Backend) {
        let p = TestPortal::start(b).await;
        let d = desk(&p).await;
        let sections: Value = p.get("/api/v1/sections?edition=vi", None).await.json().await.unwrap();
        let news = sections[1]["id"].as_i64().unwrap();
        let resp = p.send_json(Method::POST, "/api/v1/posts", Some(&d.writer), json!({"edition": "vi", "section_id": news, "title": "Ảnh lớn", "body": "x"})).await;
        assert_eq!(resp.status(), 201);
        let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

        let web = portal_tests::browser();
        let html = web.get(p.url("/editor/login")).send().await.unwrap().text().await.unwrap();
        let csrf = hidden_value(&html, "csrf");
        let resp = web.post(p.url("/editor/login")).form(&[("username", "phongvien"), ("password", &portal_tests::password_of("phongvien")), ("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(resp.status(), 303);
        let html = web.get(p.url(&format!("/editor/posts/{id}"))).send().await.unwrap().text().await.unwrap();
        let csrf = hidden_value(&html, "csrf");
        let base = hidden_value(&html, "base_revision");

        let jpeg = big_jpeg(5 * 1024 * 1024);
        assert!(jpeg.len() >= 5 * 1024 * 1024);
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("base_revision", base)
            .text("use", "cover")
            .text("alt", "Ảnh chụp hội nghị")
            .part("file", reqwest::multipart::Part::bytes(jpeg).file_name("hoi-nghi.jpg").mime_str("image/jpeg").unwrap());
        let resp = web.post(p.url(&format!("/editor/posts/{id}/media"))).multipart(form).send().await.unwrap();
        assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap_or_default());
        assert_eq!(resp.headers()["location"], format!("/editor/posts/{id}?saved=1"));

        let post: Value = p.get(&format!("/api/v1/posts/{id}"), Some(&d.writer)).await.json().await.unwrap();
        let cover = post["cover_media_id"].as_i64().expect("the photo is the cover");
        let media: Value = p.get(&format!("/api/v1/media/{cover}"), Some(&d.writer)).await.json().await.unwrap();
        assert_eq!(media["mime"], "image/jpeg");
        assert_eq!(media["alt"], "Ảnh chụp hội nghị");
        assert!(media["size"].as_i64().unwrap() >= 5 * 1024 * 1024);

        // Other routes keep the general 1 MiB limit.
        let big = "x".repeat(2 * 1024 * 1024);
        let resp = p.send_json(Method::POST, "/api/v1/posts", Some(&d.writer), json!({"edition": "vi", "section_id": news, "title": "Quá lớn", "body": big})).await;
        assert_eq!(resp.status(), 413);
        let resp = web.post(p.url(&format!("/editor/posts/{id}/comments"))).body(vec![b'a'; 2 * 1024 * 1024]).header("content-type", "application/x-www-form-urlencoded").send().await.unwrap();
        assert_eq!(resp.status(), 413);
        p.finish().await;
    }
}
