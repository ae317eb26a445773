//! Text normalisation shared by indexing, querying and highlighting.
//!
//! Citizens type on phones, often without diacritics, sometimes with the
//! tone mark on the other vowel ("hoà" / "hòa", "thuỷ" / "thủy"), sometimes
//! in decomposed Unicode. Every text, indexed or queried, first goes
//! through [`normalize`]; [`fold`] gives the diacritic-free view that
//! matches queries typed without marks.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// NFC, lower case, and one canonical tone placement: in a syllable ending
/// in "oa", "oe" or "uy" the tone sits on the first vowel ("hòa", "khỏe",
/// "thủy"), so both spellings in use index and match the same.
///
/// Every indexed text and every highlighted word goes through here, so the
/// common case — text already in NFC, mostly ASCII — takes a fast path that
/// never decomposes.
pub fn normalize(text: &str) -> String {
    let composed: Cow<'_, str> = match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    };
    let mut out: Vec<char> = Vec::with_capacity(composed.len());
    for c in composed.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    let mut start = None;
    for i in 0..=out.len() {
        match (out.get(i).is_some_and(|c| is_word_char(*c)), start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                canonical_tone(&mut out[from..i]);
                start = None;
            }
            _ => {}
        }
    }
    out.into_iter().collect()
}

/// The diacritic-free view: every mark removed and `đ` read as `d`, so that
/// "bao hiem that nghiep" finds "bảo hiểm thất nghiệp".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`] appending to `out`, for callers folding many words into one
/// reused buffer.
pub(crate) fn fold_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            for lower in c.to_lowercase() {
                push_folded(lower, out);
            }
        }
    }
}

/// Appends `c` without its diacritics (tone placement does not matter once
/// the tones are gone, so folding needs no normalisation first).
fn push_folded(c: char, out: &mut String) {
    if c == 'đ' || c == 'Đ' {
        out.push('d');
    } else {
        unicode_normalization::char::decompose_canonical(c, |d| {
            if !is_mark(d) {
                out.push(d);
            }
        });
    }
}

/// [`fold`] for a text that already went through [`normalize`]; the
/// analyzers call it per word, so normalising twice would be waste.
pub(crate) fn fold_normalized(normalized: &str) -> String {
    if normalized.is_ascii() {
        return normalized.to_owned();
    }
    let mut out = String::with_capacity(normalized.len());
    for c in normalized.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            push_folded(c, &mut out);
        }
    }
    out
}

pub(crate) fn is_mark(c: char) -> bool {
    !c.is_ascii() && unicode_normalization::char::is_combining_mark(c)
}

/// Letters, digits and the combining marks that belong to them: the
/// characters a word (a Vietnamese syllable) is made of.
pub(crate) fn is_word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        // Latin-1 letters to Latin Extended-B, combining marks and Latin
        // Extended Additional: every Vietnamese letter, without the slow
        // general lookup.
        '×' | '÷' => false,
        '\u{C0}'..='\u{24F}' | '\u{300}'..='\u{36F}' | '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphanumeric() || is_mark(c),
    }
}

/// The five toned forms (huyền, sắc, hỏi, ngã, nặng) of the vowels whose
/// tone can move.
const TONED_A: [char; 5] = ['à', 'á', 'ả', 'ã', 'ạ'];
const TONED_E: [char; 5] = ['è', 'é', 'ẻ', 'ẽ', 'ẹ'];
const TONED_Y: [char; 5] = ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'];
const TONED_O: [char; 5] = ['ò', 'ó', 'ỏ', 'õ', 'ọ'];
const TONED_U: [char; 5] = ['ù', 'ú', 'ủ', 'ũ', 'ụ'];

/// Moves the tone of a composed, lower-case word ending in "oa", "oe" or
/// "uy" (not after "q") from the last vowel to the first: "hoà" → "hòa",
/// "thuỷ" → "thủy", while "quý" and "hoàng" stay.
fn canonical_tone(word: &mut [char]) {
    let n = word.len();
    if n < 2 {
        return;
    }
    let (first, last) = (word[n - 2], word[n - 1]);
    let moved = match first {
        'o' => TONED_A
            .iter()
            .position(|c| *c == last)
            .map(|t| (t, 'a'))
            .or_else(|| TONED_E.iter().position(|c| *c == last).map(|t| (t, 'e')))
            .map(|(t, base)| (TONED_O[t], base)),
        'u' if n < 3 || word[n - 3] != 'q' => {
            TONED_Y.iter().position(|c| *c == last).map(|t| (TONED_U[t], 'y'))
        }
        _ => None,
    };
    if let Some((toned_first, base)) = moved {
        word[n - 2] = toned_first;
        word[n - 1] = base;
    }
}

/// One word of a text: its byte range in that text and its token position.
///
/// Positions count words, but jump by two after sentence or clause
/// punctuation, so "bảo hiểm, thất nghiệp" is not the phrase "hiểm thất"
/// and no syllable pair is formed across the comma.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WordSpan {
    pub from: usize,
    pub to: usize,
    pub position: usize,
}

impl WordSpan {
    /// Whether `next` follows this word in the same clause.
    pub(crate) fn adjacent_to(&self, next: &WordSpan) -> bool {
        next.position == self.position + 1
    }
}

/// Splits a text into words with byte offsets and positions.
///
/// Works on raw text as well as on normalised text: the word boundaries do
/// not depend on normalisation, which is what lets the highlighter map a
/// match in the index back onto the original wording.
pub(crate) fn split_words(text: &str) -> Vec<WordSpan> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    let mut pending_break = false;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(from) = start.take() {
                push_span(&mut spans, from, i, &mut pending_break);
            }
            let next = chars.peek().map(|(_, n)| *n);
            if breaks_clause(c, prev, next) {
                pending_break = true;
            }
        }
        prev = Some(c);
    }
    if let Some(from) = start {
        push_span(&mut spans, from, text.len(), &mut pending_break);
    }
    spans
}

fn push_span(spans: &mut Vec<WordSpan>, from: usize, to: usize, pending_break: &mut bool) {
    let position = match spans.last() {
        None => 0,
        Some(last) if *pending_break => last.position + 2,
        Some(last) => last.position + 1,
    };
    *pending_break = false;
    spans.push(WordSpan { from, to, position });
}

/// Sentence and clause punctuation. A full stop, comma or colon between
/// two word characters ("1.000.000", "baohiemxahoi.gov.vn", "10:30") is
/// part of a number or a name and does not break.
fn breaks_clause(c: char, prev: Option<char>, next: Option<char>) -> bool {
    match c {
        '.' | ',' | ':' => !(prev.is_some_and(is_word_char) && next.is_some_and(is_word_char)),
        ';' | '!' | '?' | '…' | '(' | ')' | '[' | ']' | '{' | '}' | '"' | '“' | '”' | '«' | '»' | '|'
        | '–' | '—' | '•' | '\n' | '\r' | '。' | '，' | '；' | '：' | '！' | '？' => true,
        _ => false,
    }
}

/// Whether two words are at most one edit (insertion, deletion,
/// substitution or swap of neighbours) apart: the tolerance of the
/// typo rescue's neighbours (checked by the tests).
#[cfg(test)]
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    match long.len() - short.len() {
        0 => {
            let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match diffs.as_slice() {
                [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 => {
            let skip = (0..short.len())
                .find(|&i| short[i] != long[i])
                .unwrap_or(short.len());
            short[skip..] == long[skip + 1..]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_placement_is_canonical() {
        assert_eq!(normalize("hoà"), "hòa");
        assert_eq!(normalize("Hòa Bình"), "hòa bình");
        assert_eq!(normalize("thuỷ"), "thủy");
        assert_eq!(normalize("khoẻ mạnh"), "khỏe mạnh");
        assert_eq!(normalize("hoàng"), "hoàng");
        assert_eq!(normalize("quý"), "quý");
        assert_eq!(normalize("thuý"), "thúy");
    }

    #[test]
    fn decomposed_input_matches_composed() {
        let nfd: String = "Bảo hiểm thất nghiệp".nfd().collect();
        assert_eq!(normalize(&nfd), "bảo hiểm thất nghiệp");
        assert_eq!(normalize(&nfd), normalize("Bảo hiểm thất nghiệp"));
    }

    #[test]
    fn folding_removes_every_mark() {
        assert_eq!(fold("Bảo hiểm thất nghiệp"), "bao hiem that nghiep");
        assert_eq!(fold("Đóng góp ý kiến"), "dong gop y kien");
        assert_eq!(fold("hoà"), fold("hòa"));
        assert_eq!(fold("ĐƯỜNG"), "duong");
    }
    #[test]
    fn words_keep_offsets_and_gap_after_punctuation() {
        let text = "Bảo hiểm, thất nghiệp. Mức 1.000.000 đồng";
        let spans = split_words(text);
        let words: Vec<&str> = spans.iter().map(|s| &text[s.from..s.to]).collect();
        assert_eq!(
            words,
            ["Bảo", "hiểm", "thất", "nghiệp", "Mức", "1", "000", "000", "đồng"]
        );
        let positions: Vec<usize> = spans.iter().map(|s| s.position).collect();
        assert_eq!(positions, [0, 1, 3, 4, 6, 7, 8, 9, 10]);
    }

    #[test]
    fn decomposed_marks_stay_inside_words() {
        let nfd: String = "Đóng góp ý kiến".nfd().collect();
        let spans = split_words(&nfd);
        assert_eq!(spans.len(), 4);
        assert_eq!(fold(&nfd[spans[0].from..spans[0].to]), "dong");
    }

    #[test]
    fn one_edit_tolerance() {
        assert!(within_one_edit("nghiep", "ngiep"));
        assert!(within_one_edit("nghiep", "nghiep"));
        assert!(within_one_edit("nghiep", "nghipe"));
        assert!(within_one_edit("nghiep", "nghiap"));
        assert!(!within_one_edit("nghiep", "ngip"));
        assert!(!within_one_edit("nghiep", "hnigep"));
    }
}
