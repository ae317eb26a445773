//! Highlighted snippets computed from the stored original text.
//!
//! Tantivy's own snippet generator works on the analysed text, which here is
//! normalised and folded; a user who typed "bao hiem" must still see
//! "<mark>bảo hiểm</mark>" with the diacritics as written. So the original
//! is cut into words with their byte offsets ([`split_words`]), each word is
//! folded and compared with the folded query words, and the window of about
//! thirty words holding the most distinct matches is shown, escaped.

use std::collections::HashSet;

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;
use crate::text::{WordSpan, fold_into, split_words};

/// Words shown in a snippet.
pub(crate) const SNIPPET_WORDS: usize = 30;
/// Words of context kept before the first match of a window.
const LEAD_WORDS: usize = 5;

/// Decides which words of a text match the query and renders them.
///
/// A query has few words (32 at most), so they are kept in plain vectors
/// and a matching word is known by a small number: the words of a long
/// body are compared without hashing or allocating.
pub(crate) struct Highlighter {
    terms: Vec<String>,
    /// English stems of the query words, used for English documents.
    stems: Vec<String>,
    stemmer: TextAnalyzer,
    english: bool,
    /// The word being compared, folded.
    folded: String,
}

/// Which query word (folded or stem) a text word matched.
type Key = u16;

/// A window of words and how well it covers the query.
struct Window {
    start: usize,
    end: usize,
    distinct: usize,
    count: usize,
}

impl Highlighter {
    pub fn new(terms: HashSet<String>, mut stemmer: TextAnalyzer) -> Self {
        let mut terms: Vec<String> = terms.into_iter().collect();
        terms.sort();
        let mut stems: Vec<String> = terms
            .iter()
            .filter_map(|t| {
                analysis::analyze(&mut stemmer, t)
                    .into_iter()
                    .next()
                    .map(|(_, s)| s)
            })
            .collect();
        stems.sort();
        stems.dedup();
        Self {
            terms,
            stems,
            stemmer,
            english: false,
            folded: String::new(),
        }
    }

    /// Whether the next texts are English (and stems count as matches).
    pub fn set_english(&mut self, english: bool) {
        self.english = english;
    }

    /// The query word `word` matches, if any.
    fn match_key(&mut self, word: &str) -> Option<Key> {
        self.folded.clear();
        fold_into(word, &mut self.folded);
        let folded = self.folded.as_str();
        let key = |i: usize| Key::try_from(i).ok();
        if let Some(i) = self.terms.iter().position(|t| t == folded) {
            return key(i);
        }
        let base = self.terms.len();
        if self.english {
            let stem = analysis::analyze(&mut self.stemmer, folded).into_iter().next()?.1;
            if let Some(i) = self.stems.iter().position(|s| *s == stem) {
                return key(base + i);
            }
        }
        None
    }

    fn keys(&mut self, text: &str, spans: &[WordSpan]) -> Vec<Option<Key>> {
        spans
            .iter()
            .map(|s| self.match_key(&text[s.from..s.to]))
            .collect()
    }

    /// The whole text, escaped, matches marked (for titles).
    pub fn mark_all(&mut self, text: &str) -> String {
        let spans = split_words(text);
        let keys = self.keys(text, &spans);
        render(text, &spans, &keys, 0, spans.len())
    }

    /// The best window of `text`, or `None` if no word matches. The score
    /// lets the caller choose between summary and body.
    pub fn best_window(&mut self, text: &str) -> Option<((usize, usize), String)> {
        let spans = split_words(text);
        let keys = self.keys(text, &spans);
        let window = best_window(&keys, SNIPPET_WORDS)?;
        let html = render(text, &spans, &keys, window.start, window.end);
        Some(((window.distinct, window.count), html))
    }
}

fn best_window(keys: &[Option<Key>], size: usize) -> Option<Window> {
    let mut best: Option<Window> = None;
    for (i, _) in keys.iter().enumerate().filter(|(_, k)| k.is_some()) {
        let mut start = i.saturating_sub(LEAD_WORDS);
        if start + size > keys.len() {
            start = keys.len().saturating_sub(size).min(i);
        }
        let end = (start + size).min(keys.len());
        let (seen, count) = keys[start..end]
            .iter()
            .flatten()
            .fold((0u128, 0), |(seen, n), k| (seen | 1 << (k % 128), n + 1));
        let window = Window {
            start,
            end,
            distinct: seen.count_ones() as usize,
            count,
        };
        if best
            .as_ref()
            .is_none_or(|b| (window.distinct, window.count) > (b.distinct, b.count))
        {
            best = Some(window);
        }
    }
    best
}

/// The first words of a text, escaped, for results whose match is
/// elsewhere (title, tags, or a synonym of the words in another field).
pub(crate) fn head(text: &str) -> String {
    let spans = split_words(text);
    let keys = vec![None; spans.len()];
    render(text, &spans, &keys, 0, spans.len().min(SNIPPET_WORDS))
}

/// Renders words `start..end`: escaped, runs of matched words in one
/// `<mark>`, whitespace collapsed, an ellipsis where text was cut.
fn render(text: &str, spans: &[WordSpan], keys: &[Option<Key>], start: usize, end: usize) -> String {
    let mut out = String::new();
    if start >= end {
        escape_gap(text.trim(), &mut out, true);
        return out;
    }
    let mut cursor = if start == 0 { 0 } else { spans[start].from };
    if start > 0 {
        out.push_str("… ");
    }
    let mut open = false;
    for (k, span) in spans.iter().enumerate().take(end).skip(start) {
        let gap = &text[cursor..span.from];
        let matched = keys[k].is_some();
        if open && !(matched && gap.chars().all(char::is_whitespace)) {
            out.push_str("</mark>");
            open = false;
        }
        escape_gap(gap, &mut out, k == start);
        if matched && !open {
            out.push_str("<mark>");
            open = true;
        }
        escape_gap(&text[span.from..span.to], &mut out, false);
        cursor = span.to;
    }
    if open {
        out.push_str("</mark>");
    }
    if end == spans.len() {
        escape_gap(text[cursor..].trim_end(), &mut out, false);
    } else {
        out.push_str(" …");
    }
    out
}

/// Escapes the text between two words, whitespace collapsed to one space
/// (dropped at the start of the snippet).
fn escape_gap(gap: &str, out: &mut String, leading: bool) {
    let gap = if leading { gap.trim_start() } else { gap };
    let mut in_space = false;
    for c in gap.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            in_space = false;
            escape_char(c, out);
        }
    }
}

fn escape_char(c: char, out: &mut String) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter(words: &[&str]) -> Highlighter {
        let terms = words.iter().map(|w| crate::text::fold(w)).collect();
        Highlighter::new(terms, analysis::english_stem_analyzer())
    }

    #[test]
    fn marks_original_diacritics_for_a_folded_query() {
        let mut h = highlighter(&["bao", "hiem"]);
        let (_, html) = h
            .best_window("Chế độ bảo hiểm thất nghiệp <mới> & cũ")
            .unwrap_or_default();
        assert_eq!(
            html,
            "Chế độ <mark>bảo hiểm</mark> thất nghiệp &lt;mới&gt; &amp; cũ"
        );
    }

    #[test]
    fn window_centres_on_the_best_cluster() {
        let filler = "một hai ba bốn năm sáu bảy tám chín mười ".repeat(8);
        let text = format!("Bảo đầu. {filler} đóng bảo hiểm xã hội bắt buộc. {filler}");
        let mut h = highlighter(&["bao", "hiem"]);
        let (score, html) = h.best_window(&text).unwrap_or_default();
        assert_eq!(score, (2, 2));
        assert!(html.starts_with("… "), "{html}");
        assert!(html.ends_with(" …"), "{html}");
        assert!(html.contains("đóng <mark>bảo hiểm</mark> xã hội"), "{html}");
        assert_eq!(html.matches(' ').count(), SNIPPET_WORDS + 1, "{html}");
    }

    #[test]
    fn no_match_no_window() {
        let mut h = highlighter(&["lương"]);
        assert!(h.best_window("Bảo hiểm thất nghiệp").is_none());
        assert_eq!(
            head("  Bảo   hiểm\n<b>thất</b>  "),
            "Bảo hiểm &lt;b&gt;thất&lt;/b&gt;"
        );
        assert_eq!(
            h.mark_all("Tiền lương & phụ cấp"),
            "Tiền <mark>lương</mark> &amp; phụ cấp"
        );
    }
}
