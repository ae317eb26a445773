//! RSS 2.0 and Atom feeds (latest 50 per edition or section) and the
//! `sitemap.xml` for search engines.

use chrono::{DateTime, Utc};
use content::lang::Lang;

/// Escapes text for XML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// One entry of a feed.
pub struct Entry {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub author: Option<String>,
}

pub fn rss(title: &str, link: &str, self_url: &str, lang: Lang, entries: &[Entry]) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n",
    );
    x.push_str(&format!(
        "<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<language>{}</language>\n<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        esc(title),
        esc(link),
        esc(title),
        lang,
        esc(self_url)
    ));
    if let Some(first) = entries.first() {
        x.push_str(&format!(
            "<lastBuildDate>{}</lastBuildDate>\n",
            first.updated.to_rfc2822()
        ));
    }
    for e in entries {
        x.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"true\">{}</guid>\n<pubDate>{}</pubDate>\n<description>{}</description>\n</item>\n",
            esc(&e.title),
            esc(&e.url),
            esc(&e.url),
            e.published.to_rfc2822(),
            esc(&e.summary)
        ));
    }
    x.push_str("</channel>\n</rss>\n");
    x
}

pub fn atom(title: &str, link: &str, self_url: &str, lang: Lang, author: &str, entries: &[Entry]) -> String {
    let updated = entries.first().map(|e| e.updated).unwrap_or_else(Utc::now);
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<link rel=\"self\" href=\"{}\"/>\n<updated>{}</updated>\n<author><name>{}</name></author>\n",
        esc(title),
        esc(self_url),
        esc(link),
        esc(self_url),
        updated.to_rfc3339(),
        esc(author)
    );
    for e in entries {
        x.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n{}<summary>{}</summary>\n</entry>\n",
            esc(&e.title),
            esc(&e.url),
            esc(&e.url),
            e.published.to_rfc3339(),
            e.updated.to_rfc3339(),
            e.author.as_ref().map(|a| format!("<author><name>{}</name></author>\n", esc(a))).unwrap_or_default(),
            esc(&e.summary)
        ));
    }
    x.push_str("</feed>\n");
    x
}

/// `sitemap.xml` (sitemaps.org schema 0.9).
pub fn sitemap(urls: &[(String, Option<DateTime<Utc>>)]) -> String {
    sitemaps_document("urlset", "url", urls)
}

/// A sitemap index: the parts of a sitemap too long for one file.
pub fn sitemap_index(parts: &[(String, Option<DateTime<Utc>>)]) -> String {
    sitemaps_document("sitemapindex", "sitemap", parts)
}

/// The two documents of the sitemaps protocol differ only in their names:
/// a root holding one element per address, with its last change.
fn sitemaps_document(root: &str, element: &str, entries: &[(String, Option<DateTime<Utc>>)]) -> String {
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    );
    for (loc, lastmod) in entries {
        x.push_str(&format!("<{element}><loc>{}</loc>", esc(loc)));
        if let Some(t) = lastmod {
            x.push_str(&format!(
                "<lastmod>{}</lastmod>",
                t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ));
        }
        x.push_str(&format!("</{element}>\n"));
    }
    x.push_str(&format!("</{root}>\n"));
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("a & <b> \"c\" 'd'\u{1}"),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
    }

    #[test]
    fn feeds_carry_dates() {
        let t = DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z")
            .unwrap()
            .with_timezone(&Utc);
        let e = [Entry {
            title: "Tin <1>".into(),
            url: "http://x/vi/a".into(),
            summary: "S".into(),
            published: t,
            updated: t,
            author: None,
        }];
        let r = rss("T", "http://x/vi/", "http://x/vi/rss.xml", Lang::Vi, &e);
        assert!(r.contains("<pubDate>Fri, 2 Jan 2026 03:04:05 +0000</pubDate>"));
        assert!(r.contains("Tin &lt;1&gt;"));
        let a = atom("T", "http://x/vi/", "http://x/vi/atom.xml", Lang::Vi, "BHXH", &e);
        assert!(a.contains("<updated>2026-01-02T03:04:05+00:00</updated>"));
    }

    #[test]
    fn feeds_and_sitemap_as_readers_get_them() {
        let t = DateTime::parse_from_rfc3339("2026-11-30T01:00:00Z")
            .unwrap()
            .to_utc();
        let later = DateTime::parse_from_rfc3339("2026-11-30T08:30:00Z")
            .unwrap()
            .to_utc();
        let e = [
            Entry {
                title: "Điều chỉnh lương hưu từ 1/7/2026".into(),
                url: "https://baohiemxahoi.gov.vn/vi/tin-tuc/dieu-chinh-luong-huu".into(),
                summary: "Mức điều chỉnh & thời điểm áp dụng".into(),
                published: t,
                updated: later,
                author: Some("Minh Anh".into()),
            },
            Entry {
                title: "Thông báo nghỉ Tết".into(),
                url: "https://baohiemxahoi.gov.vn/vi/tin-tuc/thong-bao-nghi-tet".into(),
                summary: String::new(),
                published: t,
                updated: t,
                author: None,
            },
        ];
        let (link, base) = (
            "https://baohiemxahoi.gov.vn/vi/tin-tuc/",
            "https://baohiemxahoi.gov.vn/vi/tin-tuc",
        );
        insta::assert_snapshot!(
            "rss",
            rss(
                "Tin tức — Cổng TTĐT",
                link,
                &format!("{base}/rss.xml"),
                Lang::Vi,
                &e
            )
        );
        insta::assert_snapshot!(
            "atom",
            atom(
                "Tin tức — Cổng TTĐT",
                link,
                &format!("{base}/atom.xml"),
                Lang::Vi,
                "Bảo hiểm xã hội Việt Nam",
                &e
            )
        );
        insta::assert_snapshot!(
            "sitemap",
            sitemap(&[
                ("https://baohiemxahoi.gov.vn/vi/".into(), None),
                ("https://baohiemxahoi.gov.vn/vi/tin-tuc".into(), None),
                (e[0].url.clone(), Some(later)),
            ])
        );
    }
}
