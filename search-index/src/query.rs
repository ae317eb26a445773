//! The user's query syntax and its translation into tantivy queries.
//!
//! The syntax is deliberately small (plain words, `"phrases"`, `-word`,
//! `-"phrase"`) and parsed by hand so that no input, however odd, is an
//! error: a stray quote closes at the end, a lone dash is ignored. The
//! queries are built directly from `BooleanQuery`, `TermQuery`,
//! `PhraseQuery`, … over the views of [`crate::analysis`], with weights
//! exact > pairs > folded and the title counting most.

use std::collections::HashSet;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;
use crate::schema::{Fields, Views};
use crate::text::{fold_normalized, normalize, split_words};

/// Longest query text considered, in characters; the rest is ignored.
const MAX_QUERY_CHARS: usize = 500;
/// Most words (plain, phrase and excluded together) turned into clauses,
/// which bounds the cost of any query.
const MAX_QUERY_WORDS: usize = 32;
/// Words this long (folded, in letters) or longer are matched with one
/// typo allowed in the fallback; shorter ones would match too much.
pub(crate) const FUZZY_MIN_CHARS: usize = 5;

const EXACT_WEIGHT: f32 = 3.0;
const PAIRS_WEIGHT: f32 = 2.0;
const FOLDED_WEIGHT: f32 = 1.0;
const STEM_WEIGHT: f32 = 1.0;

const TITLE_BOOST: f32 = 3.0;
const TEXT_BOOST: f32 = 1.0;

/// One word of the query in the forms the views need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryWord {
    /// Normalised, diacritics kept.
    pub exact: String,
    /// Without diacritics.
    pub folded: String,
    /// Position within its group, with the same punctuation gaps as in the
    /// index, so a phrase typed with a comma matches a text with one.
    pub position: usize,
}

/// The user's query, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ParsedQuery {
    /// Runs of plain words, all required; syllable pairs are formed within
    /// a run only.
    pub runs: Vec<Vec<QueryWord>>,
    /// Quoted phrases of two words or more (a one-word phrase is a run).
    pub phrases: Vec<Vec<QueryWord>>,
    /// Excluded words and phrases.
    pub excluded: Vec<Vec<QueryWord>>,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

fn words_of(text: &str, budget: &mut usize) -> Vec<QueryWord> {
    let normalized = normalize(text);
    let mut words: Vec<QueryWord> = split_words(&normalized)
        .iter()
        .map(|s| {
            let word = &normalized[s.from..s.to];
            QueryWord {
                exact: word.to_string(),
                folded: fold_normalized(word),
                position: s.position,
            }
        })
        .collect();
    words.truncate(*budget);
    *budget -= words.len();
    words
}

impl ParsedQuery {
    /// Parses the user syntax. Never fails.
    pub fn parse(input: &str) -> Self {
        let chars: Vec<char> = input.chars().take(MAX_QUERY_CHARS).collect();
        let mut parsed = ParsedQuery::default();
        let mut budget = MAX_QUERY_WORDS;
        let mut plain = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let at_start = i == 0 || chars[i - 1].is_whitespace();
            let next = chars.get(i + 1).copied();
            if c == '-' && at_start && next.is_some_and(is_quote) {
                let (text, after) = quoted(&chars, i + 1);
                parsed.push_run(&plain, &mut budget);
                plain.clear();
                parsed.push_excluded(&text, &mut budget);
                i = after;
            } else if c == '-' && at_start && next.is_some_and(|n| !n.is_whitespace() && n != '-') {
                let end = (i + 1..chars.len())
                    .find(|&j| chars[j].is_whitespace() || is_quote(chars[j]))
                    .unwrap_or(chars.len());
                parsed.push_run(&plain, &mut budget);
                plain.clear();
                parsed.push_excluded(&chars[i + 1..end].iter().collect::<String>(), &mut budget);
                i = end;
            } else if is_quote(c) {
                let (text, after) = quoted(&chars, i);
                parsed.push_run(&plain, &mut budget);
                plain.clear();
                let words = words_of(&text, &mut budget);
                match words.len() {
                    0 => {}
                    1 => parsed.runs.push(words),
                    _ => parsed.phrases.push(words),
                }
                i = after;
            } else {
                plain.push(c);
                i += 1;
            }
        }
        parsed.push_run(&plain, &mut budget);
        parsed
    }

    fn push_run(&mut self, text: &str, budget: &mut usize) {
        let words = words_of(text, budget);
        if !words.is_empty() {
            self.runs.push(words);
        }
    }

    fn push_excluded(&mut self, text: &str, budget: &mut usize) {
        let words = words_of(text, budget);
        if !words.is_empty() {
            self.excluded.push(words);
        }
    }

    /// No word to look for: the query only filters (and perhaps excludes),
    /// so results are listed newest first.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty() && self.phrases.is_empty()
    }

    /// Whether the spelling-tolerant fallback could change anything.
    pub fn has_fuzzy_candidates(&self) -> bool {
        self.runs
            .iter()
            .flatten()
            .any(|w| w.folded.chars().count() >= FUZZY_MIN_CHARS)
    }

    /// Folded forms of every word looked for, for highlighting.
    pub fn positive_folded(&self) -> HashSet<String> {
        self.runs
            .iter()
            .chain(&self.phrases)
            .flatten()
            .map(|w| w.folded.clone())
            .collect()
    }

    /// Folded forms of the words that the fallback matches with a typo.
    pub fn fuzzy_folded(&self) -> Vec<String> {
        self.runs
            .iter()
            .flatten()
            .filter(|w| w.folded.chars().count() >= FUZZY_MIN_CHARS)
            .map(|w| w.folded.clone())
            .collect()
    }
}

/// Text between the quote at `open` and the next quote (or the end), and
/// the index just past the closing quote.
fn quoted(chars: &[char], open: usize) -> (String, usize) {
    let close = (open + 1..chars.len())
        .find(|&j| is_quote(chars[j]))
        .unwrap_or(chars.len());
    (
        chars[open + 1..close].iter().collect(),
        (close + 1).min(chars.len()),
    )
}

/// Builds tantivy queries for a [`ParsedQuery`].
pub(crate) struct QueryBuilder<'a> {
    fields: &'a Fields,
    /// Whether English documents may be among the results, so the stemmed
    /// views are worth querying.
    english: bool,
    stemmer: TextAnalyzer,
}

fn boxed<Q: Query + 'static>(query: Q) -> Box<dyn Query> {
    Box::new(query)
}

fn term_query(term: Term, boost: f32) -> Box<dyn Query> {
    boxed(BoostQuery::new(
        boxed(TermQuery::new(term, IndexRecordOption::WithFreqs)),
        boost,
    ))
}

fn phrase_query(field: Field, terms: &[(usize, &str)], boost: f32) -> Box<dyn Query> {
    let terms: Vec<(usize, Term)> = terms
        .iter()
        .map(|(p, t)| (*p, Term::from_field_text(field, t)))
        .collect();
    if terms.len() < 2 {
        // Callers only pass phrases of two words or more; stay total anyway.
        return match terms.into_iter().next() {
            Some((_, term)) => boxed(BoostQuery::new(
                boxed(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                boost,
            )),
            None => boxed(tantivy::query::EmptyQuery),
        };
    }
    boxed(BoostQuery::new(boxed(PhraseQuery::new_with_offset(terms)), boost))
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    boxed(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

impl<'a> QueryBuilder<'a> {
    pub fn new(fields: &'a Fields, english: bool, stemmer: TextAnalyzer) -> Self {
        Self {
            fields,
            english,
            stemmer,
        }
    }

    fn views(&self) -> [(Views, f32); 2] {
        let f = self.fields;
        [(f.title, TITLE_BOOST), (f.text, TEXT_BOOST)]
    }

    fn stem(&mut self, folded: &str) -> Option<String> {
        analysis::analyze(&mut self.stemmer, folded)
            .into_iter()
            .next()
            .map(|(_, t)| t)
    }

    /// The query for the words, or `None` if it has no word at all (the
    /// caller then matches everything its filters allow).
    ///
    /// With `fuzzy`, words of [`FUZZY_MIN_CHARS`] letters or more match
    /// their folded form with one typo.
    pub fn text_query(&mut self, parsed: &ParsedQuery, fuzzy: bool) -> Option<Box<dyn Query>> {
        if parsed.is_empty() && parsed.excluded.is_empty() {
            return None;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in parsed.runs.iter().flatten() {
            clauses.push((Occur::Must, self.word_query(word, fuzzy)));
        }
        for phrase in &parsed.phrases {
            clauses.push((Occur::Must, self.phrase_query(phrase)));
        }
        if clauses.is_empty() {
            clauses.push((Occur::Must, boxed(AllQuery)));
        }
        let pairs = self.pairs_query(parsed);
        if let Some(pairs) = pairs {
            clauses.push((Occur::Should, pairs));
        }
        for excluded in &parsed.excluded {
            clauses.push((Occur::MustNot, self.excluded_query(excluded)));
        }
        Some(boxed(BooleanQuery::new(clauses)))
    }

    /// The terms deciding the same matches as [`QueryBuilder::text_query`]
    /// for one edition, one per word: its folded form in the text view (its
    /// English stem for the English edition). The title is part of that
    /// view, and an exact match is also a folded (and stemmed) one, so a
    /// document has all these terms exactly when the full query matches it.
    ///
    /// `None` for what plain terms cannot express: phrases, exclusions, or
    /// a word without a stem.
    pub fn candidate_terms(&mut self, parsed: &ParsedQuery) -> Option<Vec<Term>> {
        if !parsed.phrases.is_empty() || !parsed.excluded.is_empty() || parsed.is_empty() {
            return None;
        }
        let text = self.fields.text;
        let mut terms: Vec<Term> = Vec::new();
        for word in parsed.runs.iter().flatten() {
            let term = if self.english {
                Term::from_field_text(text.stem, &self.stem(&word.folded)?)
            } else {
                Term::from_field_text(text.folded, &word.folded)
            };
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        Some(terms)
    }

    /// Every weighted term whose score [`QueryBuilder::text_query`] adds up
    /// for a plain-words query (the words in each view and field, then the
    /// syllable pairs): a matching document's score is their sum over the
    /// terms it holds, which scores a few documents without walking the
    /// query's unions.
    pub fn scoring_terms(&mut self, parsed: &ParsedQuery) -> Vec<(Term, f32)> {
        let mut terms = Vec::new();
        for word in parsed.runs.iter().flatten() {
            terms.extend(self.word_terms(word));
        }
        terms.extend(self.pair_terms(parsed));
        terms
    }

    /// A word in every view of every field, with its weight.
    fn word_terms(&mut self, word: &QueryWord) -> Vec<(Term, f32)> {
        let stem = if self.english {
            self.stem(&word.folded)
        } else {
            None
        };
        let mut terms = Vec::new();
        for (views, boost) in self.views() {
            terms.push((
                Term::from_field_text(views.exact, &word.exact),
                EXACT_WEIGHT * boost,
            ));
            terms.push((
                Term::from_field_text(views.folded, &word.folded),
                FOLDED_WEIGHT * boost,
            ));
            if let Some(stem) = &stem {
                terms.push((Term::from_field_text(views.stem, stem), STEM_WEIGHT * boost));
            }
        }
        terms
    }

    /// A word matches in any view of any field; the views and fields only
    /// change the score.
    fn word_query(&mut self, word: &QueryWord, fuzzy: bool) -> Box<dyn Query> {
        let tolerant = fuzzy && word.folded.chars().count() >= FUZZY_MIN_CHARS;
        let folded = [self.fields.title.folded, self.fields.text.folded];
        let should = self
            .word_terms(word)
            .into_iter()
            .map(|(term, weight)| {
                if tolerant && folded.contains(&term.field()) {
                    boxed(BoostQuery::new(boxed(FuzzyTermQuery::new(term, 1, true)), weight))
                } else {
                    term_query(term, weight)
                }
            })
            .collect();
        any_of(should)
    }

    /// A phrase matches word for word in the exact or the folded view (or
    /// stemmed, for English).
    fn phrase_query(&mut self, words: &[QueryWord]) -> Box<dyn Query> {
        let exact: Vec<(usize, &str)> = words.iter().map(|w| (w.position, w.exact.as_str())).collect();
        let folded: Vec<(usize, &str)> = words.iter().map(|w| (w.position, w.folded.as_str())).collect();
        let stems: Option<Vec<(usize, String)>> = if self.english {
            words
                .iter()
                .map(|w| self.stem(&w.folded).map(|s| (w.position, s)))
                .collect()
        } else {
            None
        };
        let mut should = Vec::new();
        for (views, boost) in self.views() {
            should.push(phrase_query(views.exact, &exact, EXACT_WEIGHT * boost));
            should.push(phrase_query(views.folded, &folded, FOLDED_WEIGHT * boost));
            if let Some(stems) = &stems {
                let stems: Vec<(usize, &str)> = stems.iter().map(|(p, s)| (*p, s.as_str())).collect();
                should.push(phrase_query(views.stem, &stems, STEM_WEIGHT * boost));
            }
        }
        any_of(should)
    }

    /// Optional clauses rewarding documents where the query's adjacent
    /// words stand side by side.
    fn pairs_query(&self, parsed: &ParsedQuery) -> Option<Box<dyn Query>> {
        let terms = self.pair_terms(parsed);
        if terms.is_empty() {
            return None;
        }
        Some(any_of(terms.into_iter().map(|(t, w)| term_query(t, w)).collect()))
    }

    /// The query's adjacent words as syllable pairs in each field, with
    /// their weights.
    fn pair_terms(&self, parsed: &ParsedQuery) -> Vec<(Term, f32)> {
        let mut pairs: Vec<String> = Vec::new();
        for group in parsed.runs.iter().chain(&parsed.phrases) {
            for w in group.windows(2) {
                if w[1].position == w[0].position + 1 {
                    let pair = format!("{}_{}", w[0].folded, w[1].folded);
                    if !pairs.contains(&pair) {
                        pairs.push(pair);
                    }
                }
            }
        }
        let mut terms = Vec::new();
        for (views, boost) in self.views() {
            for pair in &pairs {
                terms.push((Term::from_field_text(views.pairs, pair), PAIRS_WEIGHT * boost));
            }
        }
        terms
    }

    /// An exclusion typed with diacritics excludes that spelling only
    /// ("-bão" keeps "bảo"); typed without, it excludes every spelling.
    fn excluded_query(&self, words: &[QueryWord]) -> Box<dyn Query> {
        let marked = words.iter().any(|w| w.exact != w.folded);
        let terms: Vec<(usize, &str)> = words
            .iter()
            .map(|w| {
                (
                    w.position,
                    if marked {
                        w.exact.as_str()
                    } else {
                        w.folded.as_str()
                    },
                )
            })
            .collect();
        let mut should = Vec::new();
        for (views, _) in self.views() {
            let field = if marked { views.exact } else { views.folded };
            should.push(phrase_query(field, &terms, 1.0));
        }
        any_of(should)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(groups: &[Vec<QueryWord>]) -> Vec<Vec<String>> {
        groups
            .iter()
            .map(|g| g.iter().map(|w| w.folded.clone()).collect())
            .collect()
    }

    #[test]
    fn parses_words_phrases_and_exclusions() {
        let q = ParsedQuery::parse(r#"bảo hiểm "thất nghiệp" -bão -"hưu trí" COVID-19"#);
        assert_eq!(folded(&q.runs), [vec!["bao", "hiem"], vec!["covid", "19"]]);
        assert_eq!(folded(&q.phrases), [vec!["that", "nghiep"]]);
        assert_eq!(folded(&q.excluded), [vec!["bao"], vec!["huu", "tri"]]);
        assert_eq!(q.runs[0][0].exact, "bảo");
    }

    #[test]
    fn odd_input_never_fails() {
        for input in [
            "",
            "\"",
            "-",
            "- -",
            "\"\"",
            "-\"",
            "\"unclosed phrase",
            "a\"b",
            "---x",
            "“cong văn”",
            "!!!",
        ] {
            let _ = ParsedQuery::parse(input);
        }
        assert!(ParsedQuery::parse("  - \"\" !!! ").is_empty());
        assert_eq!(
            folded(&ParsedQuery::parse("\"unclosed phrase").phrases),
            [vec!["unclosed", "phrase"]]
        );
        assert_eq!(
            folded(&ParsedQuery::parse("“công văn”").phrases),
            [vec!["cong", "van"]]
        );
    }

    #[test]
    fn word_count_is_bounded() {
        let long = "bảo hiểm ".repeat(200);
        let q = ParsedQuery::parse(&long);
        assert!(q.runs.iter().flatten().count() <= MAX_QUERY_WORDS);
    }
}
