//! Markdown to safe HTML. Bodies are written in Markdown (with tables,
//! footnotes and strikethrough) and sanitised, so neither an author nor a
//! compromised account can put script on the public portal.

use std::sync::OnceLock;

use pulldown_cmark::{Options, Parser, html};

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["figure", "figcaption", "sup", "section"])
            .add_tag_attributes("img", ["srcset", "sizes", "loading", "width", "height"])
            .add_tag_attributes("td", ["align"])
            .add_tag_attributes("th", ["align", "scope"])
            .add_tag_attributes("sup", ["id"])
            .add_tag_attributes("div", ["id", "class"])
            .add_tag_attributes("li", ["id"])
            .add_tag_attributes("a", ["id", "class"])
            .add_generic_attributes(["lang"])
            .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
            .link_rel(Some("noopener noreferrer"));
        b
    })
}

/// Renders Markdown to sanitised HTML: no scripts, no event handlers, no
/// `javascript:` or `data:` links.
pub fn to_html(markdown: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, opts));
    sanitizer().clean(&raw).to_string()
}

/// The text of a Markdown document without markup, for the search index:
/// blocks (paragraphs, headings, list items, table cells) end with a line
/// break, so no phrase is matched across them. Raw HTML is dropped.
pub fn to_plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, opts) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

/// Sanitises HTML that did not come from Markdown (imports, user input).
pub fn sanitize(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_words_and_block_breaks() {
        let text = to_plain_text("# Bảo hiểm\n\nNgười **lao động** <b>x</b> đóng\n- một\n- hai");
        assert_eq!(text, "Bảo hiểm\nNgười lao động x đóng\nmột\nhai");
    }

    #[test]
    fn markdown_features_render() {
        let html = to_html(
            "| Năm | Số người |\n|---|---|\n| 2025 | 19,8 triệu |\n\n~~cũ~~ mới[^1]\n\n[^1]: Nguồn: BHXH VN",
        );
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>cũ</del>"));
        assert!(html.contains("Nguồn: BHXH VN"));
    }

    #[test]
    fn script_handlers_and_javascript_links_are_removed() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[bấm](javascript:alert(1)) <a href=\"JaVaScRiPt:alert(2)\">x</a> <iframe src=\"https://evil\"></iframe> <p onclick=\"x()\" style=\"color:red\">p</p>",
        );
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{html}");
        assert!(!lower.contains("onerror"), "{html}");
        assert!(!lower.contains("onclick"), "{html}");
        assert!(!lower.contains("javascript:"), "{html}");
        assert!(!lower.contains("<iframe"), "{html}");
        assert!(!lower.contains("style="), "{html}");
        assert!(html.contains("bấm"));
    }

    #[test]
    fn safe_links_keep_working() {
        let html = to_html("[Cổng DVC](https://dichvucong.gov.vn) <mailto:hotro@vss.gov.vn>");
        assert!(html.contains("href=\"https://dichvucong.gov.vn\""));
        assert!(html.contains("rel=\"noopener noreferrer\""));
    }
}
