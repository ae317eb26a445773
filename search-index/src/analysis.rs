//! The Vietnamese analyzers: how a text becomes terms in the index.
//!
//! Every text is normalised first ([`normalize`]: NFC, lower case, one tone
//! placement), then cut into words by [`split_words`], and indexed under
//! several *views*, each a field of its own so that a query can weight them:
//!
//! * **exact**: the normalised word, diacritics kept. "bảo" and "bão" differ,
//!   so a query typed with marks ranks the literal match first.
//! * **folded**: the word without diacritics ("bảo", "bão" → "bao"), for the
//!   many queries typed on phones without marks, and "đ" read as "d".
//! * **pairs**: adjacent folded syllables joined ("bao_hiem hiem_that
//!   that_nghiep"). Vietnamese words are often two syllables; a document
//!   where the syllables of the query stand side by side is what the user
//!   meant, so pairs reward it without requiring an exact phrase.
//! * **English stem**: the folded word through the Snowball English stemmer,
//!   only filled for the English edition, so "benefits" finds "benefit".
//!
//! Positions jump by two after sentence and clause punctuation (see
//! [`split_words`]): phrase queries do not match across a comma or a full
//! stop, and no pair is formed there.

use std::cell::RefCell;
use std::rc::Rc;

use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

use crate::text::{WordSpan, fold_normalized, normalize, split_words};

/// Name under which the exact view's analyzer is registered.
pub(crate) const EXACT: &str = "vi_exact";
/// Name under which the folded view's analyzer is registered.
pub(crate) const FOLDED: &str = "vi_folded";
/// Name under which the syllable-pair view's analyzer is registered.
pub(crate) const PAIRS: &str = "vi_pairs";
/// Name under which the English stemming analyzer is registered.
pub(crate) const EN_STEM: &str = "en_stem_folded";

/// Which view of a text a [`VietnameseTokenizer`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Normalised words, diacritics kept.
    Exact,
    /// Normalised words without diacritics, `đ` as `d`.
    Folded,
    /// Adjacent folded words of one clause joined by `_`.
    Pairs,
}

/// A tantivy tokenizer for Vietnamese text producing one [`View`].
///
/// Token offsets refer to the *normalised* text; the crate computes its own
/// highlights from the stored original, so tantivy never needs them.
#[derive(Debug, Clone, Copy)]
pub struct VietnameseTokenizer {
    view: View,
}

impl VietnameseTokenizer {
    /// A tokenizer producing `view`.
    pub fn new(view: View) -> Self {
        Self { view }
    }
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(tokens(text, self.view))
    }
}

/// A text cut into normalised words, with each word's folded form: the
/// work shared by every view of the text.
struct Analysed {
    normalized: String,
    spans: Vec<WordSpan>,
    folded: Vec<String>,
}

impl Analysed {
    fn new(text: &str) -> Self {
        let normalized = normalize(text);
        let spans = split_words(&normalized);
        let folded = spans
            .iter()
            .map(|s| fold_normalized(&normalized[s.from..s.to]))
            .collect();
        Analysed {
            normalized,
            spans,
            folded,
        }
    }
}

/// Texts kept analysed per thread: a document's texts (title, summary,
/// body, tags) come back once per view.
const CACHED_TEXTS: usize = 8;

thread_local! {
    /// The last texts analysed on this thread. Tantivy indexes the views of
    /// a document's texts one field after another on the same thread, so a
    /// few entries spare three analyses of four.
    static RECENT: RefCell<Vec<(String, Rc<Analysed>)>> = const { RefCell::new(Vec::new()) };
}

fn analysed(text: &str) -> Rc<Analysed> {
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if let Some((_, analysed)) = recent.iter().find(|(cached, _)| cached == text) {
            return analysed.clone();
        }
        let analysed = Rc::new(Analysed::new(text));
        if recent.len() == CACHED_TEXTS {
            recent.remove(0);
        }
        recent.push((text.to_owned(), analysed.clone()));
        analysed
    })
}

/// The tokens of `text` in one view, positions included.
pub fn tokens(text: &str, view: View) -> Vec<Token> {
    let a = analysed(text);
    let spans = &a.spans;
    match view {
        View::Exact => spans
            .iter()
            .map(|s| token(s, s.to, a.normalized[s.from..s.to].to_string()))
            .collect(),
        View::Folded => spans
            .iter()
            .zip(&a.folded)
            .map(|(s, f)| token(s, s.to, f.clone()))
            .collect(),
        View::Pairs => (1..spans.len())
            .filter(|&i| spans[i - 1].adjacent_to(&spans[i]))
            .map(|i| {
                token(
                    &spans[i - 1],
                    spans[i].to,
                    format!("{}_{}", a.folded[i - 1], a.folded[i]),
                )
            })
            .collect(),
    }
}

fn token(span: &WordSpan, to: usize, text: String) -> Token {
    Token {
        offset_from: span.from,
        offset_to: to,
        position: span.position,
        text,
        position_length: 1,
    }
}

/// A token stream over tokens computed up front. Vietnamese analysis needs
/// the whole text (normalisation, punctuation gaps, pairs), so streaming
/// lazily would gain nothing.
#[derive(Debug)]
pub struct VecTokenStream {
    tokens: Vec<Token>,
    current: Option<usize>,
    empty: Token,
}

impl VecTokenStream {
    fn new(tokens: Vec<Token>) -> Self {
        Self {
            tokens,
            current: None,
            empty: Token::default(),
        }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        let next = self.current.map_or(0, |i| i + 1);
        if next < self.tokens.len() {
            self.current = Some(next);
            true
        } else {
            self.current = Some(self.tokens.len());
            false
        }
    }

    fn token(&self) -> &Token {
        self.current
            .and_then(|i| self.tokens.get(i))
            .unwrap_or(&self.empty)
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.current.and_then(|i| self.tokens.get_mut(i)) {
            Some(token) => token,
            None => &mut self.empty,
        }
    }
}

/// The English analyzer: folded words, then the Snowball English stemmer.
pub fn english_stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(VietnameseTokenizer::new(View::Folded))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Registers the crate's analyzers on an index. Tantivy stores only their
/// names in the schema, so this must run on every open, not just on create.
pub(crate) fn register(manager: &TokenizerManager) {
    manager.register(EXACT, VietnameseTokenizer::new(View::Exact));
    manager.register(FOLDED, VietnameseTokenizer::new(View::Folded));
    manager.register(PAIRS, VietnameseTokenizer::new(View::Pairs));
    manager.register(EN_STEM, english_stem_analyzer());
}

/// Runs an analyzer over a text and returns `(position, term)` pairs.
pub(crate) fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push((token.position, token.text.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, view: View) -> Vec<String> {
        tokens(text, view).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn three_views() {
        let text = "Bảo hiểm thất nghiệp";
        assert_eq!(texts(text, View::Exact), ["bảo", "hiểm", "thất", "nghiệp"]);
        assert_eq!(texts(text, View::Folded), ["bao", "hiem", "that", "nghiep"]);
        assert_eq!(texts(text, View::Pairs), ["bao_hiem", "hiem_that", "that_nghiep"]);
    }

    #[test]
    fn no_pair_across_punctuation() {
        let text = "Đóng bảo hiểm; thất nghiệp, hưu trí. Ốm đau";
        assert_eq!(
            texts(text, View::Pairs),
            ["dong_bao", "bao_hiem", "that_nghiep", "huu_tri", "om_dau"]
        );
        let positions: Vec<usize> = tokens(text, View::Exact).iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2, 4, 5, 7, 8, 10, 11]);
    }

    #[test]
    fn tone_placement_and_decomposition_do_not_matter() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "Hoà Bình, Thuỷ".nfd().collect();
        assert_eq!(texts(&nfd, View::Exact), texts("hòa bình, thủy", View::Exact));
        assert_eq!(texts("đ Đ", View::Folded), ["d", "d"]);
    }

    #[test]
    fn english_stems() {
        let mut analyzer = english_stem_analyzer();
        let stems: Vec<String> = analyze(&mut analyzer, "Benefits, contributions")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(stems, ["benefit", "contribut"]);
    }
}
