//! The typo rescue's dictionary work: the words one edit away from a
//! typed word, and how many documents hold each.
//!
//! A query that finds nothing is often one typo away from one that does
//! ("luong huuu", "lươg hưu"). Rather than letting every word match any
//! neighbour (a fuzzy query, which ranks the neighbours as equals and
//! cannot say what it read), the rescue picks for a word the most frequent
//! indexed word one edit away, and the search runs again with it; the
//! results can then say "showing results for …".

use std::sync::Arc;

use tantivy::schema::Field;
use tantivy::{InvertedIndexReader, Searcher, Term};

/// The letters of folded words: the replacements and
/// insertions tried in the folded view.
const FOLDED_ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz";
/// The lower-case Vietnamese letters, with every tone: tried in
/// the exact view, to show a correction with its diacritics.
const VIETNAMESE_ALPHABET: &str = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstu\
                                   ùúủũụưừứửữựvwxyỳýỷỹỵz";

/// Which alphabet to build neighbours from.
#[derive(Clone, Copy)]
pub(crate) enum Alphabet {
    Folded,
    Vietnamese,
}

impl Alphabet {
    fn letters(self) -> Vec<char> {
        match self {
            Alphabet::Folded => FOLDED_ALPHABET.chars().collect(),
            Alphabet::Vietnamese => VIETNAMESE_ALPHABET.chars().collect(),
        }
    }
}

/// Every word one edit (a letter deleted, inserted, replaced, or two
/// neighbours swapped) from `word`, without `word` itself, sorted, each
/// once.
pub(crate) fn one_edit(word: &str, alphabet: Alphabet) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let letters = alphabet.letters();
    let n = chars.len();
    let mut out: Vec<String> = Vec::with_capacity((2 * n + 1) * letters.len() + 2 * n);
    let make = |parts: &[&[char]]| parts.iter().flat_map(|p| p.iter()).collect::<String>();
    for i in 0..n {
        out.push(make(&[&chars[..i], &chars[i + 1..]]));
        if i + 1 < n {
            out.push(make(&[&chars[..i], &[chars[i + 1], chars[i]], &chars[i + 2..]]));
        }
        for &c in &letters {
            if c != chars[i] {
                out.push(make(&[&chars[..i], &[c], &chars[i + 1..]]));
            }
        }
    }
    for i in 0..=n {
        for &c in &letters {
            out.push(make(&[&chars[..i], &[c], &chars[i..]]));
        }
    }
    out.sort();
    out.dedup();
    out.retain(|w| w != word);
    out
}

/// Document frequencies of the words of one field, over all segments.
pub(crate) struct TermCounts {
    field: Field,
    segments: Vec<Arc<InvertedIndexReader>>,
}

impl TermCounts {
    pub fn new(searcher: &Searcher, field: Field) -> tantivy::Result<Self> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|s| s.inverted_index(field))
            .collect::<tantivy::Result<_>>()?;
        Ok(Self { field, segments })
    }

    /// Documents holding `word` (deleted ones may count until merged).
    pub fn doc_freq(&self, word: &str) -> std::io::Result<u64> {
        let term = Term::from_field_text(self.field, word);
        let mut total = 0;
        for segment in &self.segments {
            total += u64::from(segment.doc_freq(&term)?);
        }
        Ok(total)
    }

    /// The most frequent indexed word one edit from `word` among those
    /// `keep` accepts, with its frequency; ties go to the first in
    /// alphabetical order, so the answer does not vary.
    pub fn best_neighbour(
        &self,
        word: &str,
        alphabet: Alphabet,
        keep: impl Fn(&str) -> bool,
    ) -> std::io::Result<Option<(String, u64)>> {
        let mut best: Option<(String, u64)> = None;
        for candidate in one_edit(word, alphabet) {
            if !keep(&candidate) {
                continue;
            }
            let count = self.doc_freq(&candidate)?;
            if count > 0 && best.as_ref().is_none_or(|(_, b)| count > *b) {
                best = Some((candidate, count));
            }
        }
        Ok(best)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_one_edit_away() {
        let words = one_edit("huuu", Alphabet::Folded);
        assert!(words.contains(&"huu".to_owned()));
        assert!(!words.contains(&"huuu".to_owned()));
        let words = one_edit("luog", Alphabet::Folded);
        assert!(words.contains(&"luong".to_owned()));
        assert!(words.contains(&"lugo".to_owned()));
        let words = one_edit("lươg", Alphabet::Vietnamese);
        assert!(words.contains(&"lương".to_owned()));
        assert!(words.contains(&"lượg".to_owned()));
    }
}
