//! The user's query syntax and its translation into tantivy queries.
//!
//! The syntax is deliberately small (plain words, `"phrases"`, `-word`,
//! `-"phrase"`) and parsed by hand so that no input, however odd, is an
//! error: a stray quote closes at the end, a lone dash is ignored. The
//! queries are built directly from `BooleanQuery`, `TermQuery`,
//! `PhraseQuery`, … over the views of [`crate::analysis`], with weights
//! exact > pairs > folded and the title counting most.

use std::collections::HashSet;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::analysis;
use crate::schema::{Fields, Views};
use crate::synonyms::Synonyms;
use crate::text::{fold_normalized, normalize, split_words};

/// Longest query text considered, in characters; the rest is ignored.
const MAX_QUERY_CHARS: usize = 500;
/// Most words (plain, phrase and excluded together) turned into clauses,
/// which bounds the cost of any query.
const MAX_QUERY_WORDS: usize = 32;
/// Words this long (folded, in letters) or longer may be corrected by the
/// typo rescue; shorter ones have too many neighbours one edit away.
pub(crate) const RESCUE_MIN_CHARS: usize = 4;
/// Most sequences of a query expanded with the synonym dictionary, and
/// most other forms per sequence: bounds the clauses a dictionary adds.
const MAX_EXPANSIONS: usize = 4;
const MAX_FORMS: usize = 6;
/// Most readings of a query searched one by one for the best candidates
/// (see `QueryBuilder::candidate_readings`).
const MAX_READINGS: usize = 8;
/// Most syllable pairs rewarded per field.
const MAX_PAIRS: usize = 48;

const EXACT_WEIGHT: f32 = 3.0;
/// Per syllable pair, times the pair's inverse document frequency.
const PAIRS_WEIGHT: f32 = 2.0;
/// Per run of three words or more found in sequence, times the sum of the
/// words' inverse document frequencies.
const SEQUENCE_WEIGHT: f32 = 1.0;
/// Most runs rewarded for standing in sequence.
const MAX_SEQUENCES: usize = 4;
/// Share of the texts above which a run's rarest syllable pair is too
/// common for the run to be rewarded as a phrase (see
/// `QueryBuilder::sequence_clauses`).
const MAX_SEQUENCE_SHARE: f32 = 0.1;
const FOLDED_WEIGHT: f32 = 1.0;
const STEM_WEIGHT: f32 = 1.0;
/// A form of a synonym group counts a little less than the words typed,
/// so that among equal texts the one using the user's own words leads.
const SYNONYM_WEIGHT: f32 = 0.8;
/// A word read as its correction by the typo rescue counts half of one
/// matched as typed.
const CORRECTION_WEIGHT: f32 = 0.5;

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
    /// The word as the user typed it (case and diacritics kept), for
    /// telling which words were left out or corrected.
    pub typed: String,
    /// Where `typed` starts in the query text, in characters; `None` when
    /// unknown (normalisation changed the word count, or a dictionary
    /// form).
    pub at: Option<usize>,
    /// The indexed word the typo rescue reads in its place, if any.
    pub correction: Option<Correction>,
}

/// An indexed word standing for a word of the query that is (nearly)
/// absent from the index: see [`crate::SearchIndex`]'s typo rescue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Correction {
    /// As shown to the user: with diacritics when found so in the index
    /// and the word was typed with them.
    pub exact: String,
    pub folded: String,
}

/// Run words that a synonym group stands for, and the group's other
/// forms, each matching word after word (see `QueryBuilder::form_terms`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expansion {
    pub run: usize,
    pub start: usize,
    pub len: usize,
    pub forms: Vec<Vec<QueryWord>>,
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
    /// Sequences of run words known to the synonym dictionary, in order,
    /// not overlapping (see [`ParsedQuery::expand`]).
    pub expansions: Vec<Expansion>,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

/// The words of `text`, which starts `at` characters into the query.
fn words_of(text: &str, at: usize, budget: &mut usize) -> Vec<QueryWord> {
    let normalized = normalize(text);
    let spans = split_words(&normalized);
    // Word boundaries do not depend on normalisation, so the words of the
    // raw text are the same, in the same order, as typed.
    let raw = split_words(text);
    let typed = |i: usize| {
        raw.get(i).filter(|_| raw.len() == spans.len()).map(|r| {
            (
                text[r.from..r.to].to_string(),
                at + text[..r.from].chars().count(),
            )
        })
    };
    let mut words: Vec<QueryWord> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let word = &normalized[s.from..s.to];
            let (typed, at) = typed(i).map_or((word.to_string(), None), |(t, a)| (t, Some(a)));
            QueryWord {
                exact: word.to_string(),
                folded: fold_normalized(word),
                position: s.position,
                typed,
                at,
                correction: None,
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
        let mut plain_at = 0;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let at_start = i == 0 || chars[i - 1].is_whitespace();
            let next = chars.get(i + 1).copied();
            if c == '-' && at_start && next.is_some_and(is_quote) {
                let (text, after) = quoted(&chars, i + 1);
                parsed.push_run(&plain, plain_at, &mut budget);
                plain.clear();
                parsed.push_excluded(&text, i + 2, &mut budget);
                i = after;
            } else if c == '-' && at_start && next.is_some_and(|n| !n.is_whitespace() && n != '-') {
                let end = (i + 1..chars.len())
                    .find(|&j| chars[j].is_whitespace() || is_quote(chars[j]))
                    .unwrap_or(chars.len());
                parsed.push_run(&plain, plain_at, &mut budget);
                plain.clear();
                parsed.push_excluded(&chars[i + 1..end].iter().collect::<String>(), i + 1, &mut budget);
                i = end;
            } else if is_quote(c) {
                let (text, after) = quoted(&chars, i);
                parsed.push_run(&plain, plain_at, &mut budget);
                plain.clear();
                let words = words_of(&text, i + 1, &mut budget);
                match words.len() {
                    0 => {}
                    1 => parsed.runs.push(words),
                    _ => parsed.phrases.push(words),
                }
                i = after;
            } else {
                if plain.is_empty() {
                    plain_at = i;
                }
                plain.push(c);
                i += 1;
            }
        }
        parsed.push_run(&plain, plain_at, &mut budget);
        parsed
    }

    fn push_run(&mut self, text: &str, at: usize, budget: &mut usize) {
        let words = words_of(text, at, budget);
        if !words.is_empty() {
            self.runs.push(words);
        }
    }

    fn push_excluded(&mut self, text: &str, at: usize, budget: &mut usize) {
        let words = words_of(text, at, budget);
        if !words.is_empty() {
            self.excluded.push(words);
        }
    }

    /// No word to look for: the query only filters (and perhaps excludes),
    /// so results are listed newest first.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty() && self.phrases.is_empty()
    }

    /// Finds the sequences of run words that the dictionary knows (the
    /// longest first, left to right, folded forms compared, a corrected
    /// word by its correction) and records the other forms of their
    /// groups. Bounded: [`MAX_EXPANSIONS`] sequences, [`MAX_FORMS`] forms
    /// each. Call again after changing the words.
    pub fn expand(&mut self, synonyms: &Synonyms) {
        self.expansions.clear();
        if synonyms.is_empty() {
            return;
        }
        for (r, run) in self.runs.iter().enumerate() {
            let folded: Vec<&str> = run.iter().map(QueryWord::matched_folded).collect();
            let mut i = 0;
            while i < run.len() && self.expansions.len() < MAX_EXPANSIONS {
                let Some(found) = synonyms.find(&folded[i..]) else {
                    i += 1;
                    continue;
                };
                let forms = synonyms
                    .group(found.group)
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != found.form)
                    .take(MAX_FORMS)
                    .map(|(_, f)| f.words.clone())
                    .collect();
                self.expansions.push(Expansion {
                    run: r,
                    start: i,
                    len: found.len,
                    forms,
                });
                i += found.len.max(1);
            }
        }
    }

    /// The plain words, which the typo rescue may correct.
    pub fn run_words_mut(&mut self) -> impl Iterator<Item = &mut QueryWord> {
        self.runs.iter_mut().flatten()
    }

    /// The query without the plain words whose folded form is in `folded`
    /// (and without expansions: call [`ParsedQuery::expand`] again).
    pub fn without(&self, folded: &[String]) -> ParsedQuery {
        let runs = self
            .runs
            .iter()
            .map(|run| {
                run.iter()
                    .filter(|w| !folded.contains(&w.folded))
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .filter(|run| !run.is_empty())
            .collect();
        ParsedQuery {
            runs,
            phrases: self.phrases.clone(),
            excluded: self.excluded.clone(),
            expansions: Vec::new(),
        }
    }

    /// Whether some plain word is read as its correction.
    pub fn has_corrections(&self) -> bool {
        self.runs.iter().flatten().any(|w| w.correction.is_some())
    }

    /// The query text with each corrected word replaced by its
    /// correction, the rest as typed; rebuilt from the words when their
    /// places in the text are unknown.
    pub fn corrected_text(&self, input: &str) -> String {
        let words: Vec<&QueryWord> = self
            .runs
            .iter()
            .flatten()
            .filter(|w| w.correction.is_some())
            .collect();
        let chars: Vec<char> = input.chars().collect();
        let mut places: Vec<(usize, usize, &str)> = Vec::new();
        for w in &words {
            let (Some(at), Some(c)) = (w.at, &w.correction) else {
                return self.rebuilt_text();
            };
            places.push((at, at + w.typed.chars().count(), c.exact.as_str()));
        }
        places.sort_by_key(|p| p.0);
        let mut out = String::new();
        let mut next = 0;
        for (from, to, replacement) in places {
            if from < next || to > chars.len() {
                return self.rebuilt_text();
            }
            out.extend(&chars[next..from]);
            out.push_str(replacement);
            next = to;
        }
        out.extend(&chars[next..]);
        out
    }

    fn rebuilt_text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for run in &self.runs {
            for w in run {
                parts.push(w.correction.as_ref().map_or(w.typed.clone(), |c| c.exact.clone()));
            }
        }
        for phrase in &self.phrases {
            let words: Vec<&str> = phrase.iter().map(|w| w.typed.as_str()).collect();
            parts.push(format!("\"{}\"", words.join(" ")));
        }
        for excluded in &self.excluded {
            let words: Vec<&str> = excluded.iter().map(|w| w.typed.as_str()).collect();
            parts.push(if words.len() > 1 {
                format!("-\"{}\"", words.join(" "))
            } else {
                format!("-{}", words.join(" "))
            });
        }
        parts.join(" ")
    }

    /// Folded forms of every word looked for (corrections and the forms of
    /// the synonym groups included), for highlighting.
    pub fn positive_folded(&self) -> HashSet<String> {
        let words = self.runs.iter().chain(&self.phrases).flatten();
        let corrections = self
            .runs
            .iter()
            .flatten()
            .filter_map(|w| w.correction.as_ref().map(|c| c.folded.clone()));
        let forms = self.expansions.iter().flat_map(|e| e.forms.iter().flatten());
        words
            .chain(forms)
            .map(|w| w.folded.clone())
            .chain(corrections)
            .collect()
    }
}

impl QueryWord {
    /// The folded form the query looks for: the correction's when there is
    /// one.
    pub fn matched_folded(&self) -> &str {
        self.correction
            .as_ref()
            .map_or(self.folded.as_str(), |c| c.folded.as_str())
    }

    /// The exact form the query looks for: the correction's when there is
    /// one.
    pub fn matched_exact(&self) -> &str {
        self.correction
            .as_ref()
            .map_or(self.exact.as_str(), |c| c.exact.as_str())
    }

    /// The folded forms this word matches: its own, and its correction's.
    fn folded_forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.folded.as_str()).chain(self.correction.as_ref().map(|c| c.folded.as_str()))
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
    /// For the document frequencies that weigh the adjacency clauses.
    searcher: &'a Searcher,
    /// Whether English documents may be among the results, so the stemmed
    /// views are worth querying.
    english: bool,
    stemmer: TextAnalyzer,
}

fn boxed<Q: Query + 'static>(query: Q) -> Box<dyn Query> {
    Box::new(query)
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

/// Every reading of `a` followed by every choice of `b`.
fn product(a: &[Vec<Term>], b: &[Vec<Term>]) -> Vec<Vec<Term>> {
    a.iter()
        .flat_map(|x| b.iter().map(move |y| x.iter().chain(y).cloned().collect()))
        .collect()
}

fn all_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    boxed(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

/// A query as a tree whose score is the sum of its matching leaves: the
/// form in which a few candidates are scored again one by one (see
/// `SearchIndex::collect_rescored`), and from which the full query is
/// built ([`Part::query`]), so that both score alike.
pub(crate) enum Part {
    /// A query and the weight its score is multiplied by.
    Leaf(Box<dyn Query>, f32),
    /// Matches when every part does; scores their sum.
    All(Vec<Part>),
    /// Matches when any part does; scores the sum of those that do.
    Any(Vec<Part>),
}

impl Part {
    /// The engine query matching and scoring as this part does.
    pub fn query(&self) -> Box<dyn Query> {
        match self {
            Part::Leaf(query, weight) => boxed(BoostQuery::new(query.box_clone(), *weight)),
            Part::All(parts) => all_of(parts.iter().map(Part::query).collect()),
            Part::Any(parts) => any_of(parts.iter().map(Part::query).collect()),
        }
    }
}

fn term_leaf(term: Term, weight: f32) -> Part {
    Part::Leaf(boxed(TermQuery::new(term, IndexRecordOption::WithFreqs)), weight)
}

/// What a query requires, one after the other: a plain word, or a
/// sequence of words that a synonym group stands for.
enum Unit<'p> {
    Word(&'p QueryWord),
    Span(&'p [QueryWord], &'p Expansion),
}

fn units(parsed: &ParsedQuery) -> Vec<Unit<'_>> {
    let mut out = Vec::new();
    for (r, run) in parsed.runs.iter().enumerate() {
        let mut i = 0;
        while i < run.len() {
            match parsed.expansions.iter().find(|e| e.run == r && e.start == i) {
                Some(e) => {
                    let end = (i + e.len).min(run.len());
                    out.push(Unit::Span(&run[i..end], e));
                    i = end.max(i + 1);
                }
                None => {
                    out.push(Unit::Word(&run[i]));
                    i += 1;
                }
            }
        }
    }
    out
}

impl<'a> QueryBuilder<'a> {
    pub fn new(fields: &'a Fields, searcher: &'a Searcher, english: bool, stemmer: TextAnalyzer) -> Self {
        Self {
            fields,
            searcher,
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
    /// A corrected word matches as typed or as its correction; a sequence
    /// known to the synonym dictionary matches as typed or as any other
    /// form of its group.
    pub fn text_query(&mut self, parsed: &ParsedQuery) -> Option<Box<dyn Query>> {
        if parsed.is_empty() && parsed.excluded.is_empty() {
            return None;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for unit in units(parsed) {
            clauses.push((Occur::Must, self.unit_part(&unit).query()));
        }
        for phrase in &parsed.phrases {
            clauses.push((Occur::Must, self.phrase_query(phrase)));
        }
        if clauses.is_empty() {
            clauses.push((Occur::Must, boxed(AllQuery)));
        }
        for adjacency in self.adjacency_clauses(parsed) {
            clauses.push((Occur::Should, adjacency.query()));
        }
        for excluded in &parsed.excluded {
            clauses.push((Occur::MustNot, self.excluded_query(excluded)));
        }
        Some(boxed(BooleanQuery::new(clauses)))
    }

    /// The clauses deciding the same matches as [`QueryBuilder::text_query`]
    /// for one edition, all required: per word, its folded form in the text
    /// view (its English stem for the English edition), or its correction;
    /// per synonym sequence, its words so, or another form in the folded
    /// text view. The title is part of that view, and an exact match is
    /// also a folded (and stemmed) one, so a document matches these clauses
    /// exactly when the full query matches it. A query of plain words
    /// gives plain terms, which tantivy intersects fastest.
    ///
    /// `None` for what this cannot express: phrases, exclusions, or a word
    /// without a stem.
    pub fn candidate_clauses(&mut self, parsed: &ParsedQuery) -> Option<Vec<Box<dyn Query>>> {
        if !parsed.phrases.is_empty() || !parsed.excluded.is_empty() || parsed.is_empty() {
            return None;
        }
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        let mut plain: Vec<Term> = Vec::new();
        for unit in units(parsed) {
            match unit {
                Unit::Word(word) if word.correction.is_none() => {
                    let term = self.candidate_term(&word.folded)?;
                    if !plain.contains(&term) {
                        plain.push(term.clone());
                        clauses.push(boxed(TermQuery::new(term, IndexRecordOption::WithFreqs)));
                    }
                }
                Unit::Word(word) => clauses.push(self.candidate_word(word)?),
                Unit::Span(words, expansion) => {
                    let literal = words
                        .iter()
                        .map(|w| self.candidate_word(w))
                        .collect::<Option<Vec<_>>>()?;
                    let folded = self.fields.text.folded;
                    let mut any = vec![all_of(literal)];
                    for form in &expansion.forms {
                        let terms: Vec<Term> = match form.as_slice() {
                            [word] => vec![Term::from_field_text(folded, &word.folded)],
                            _ => self.form_terms(form).into_iter().map(|(t, _)| t).collect(),
                        };
                        any.push(all_of(
                            terms
                                .into_iter()
                                .map(|t| boxed(TermQuery::new(t, IndexRecordOption::WithFreqs)))
                                .collect(),
                        ));
                    }
                    clauses.push(any_of(any));
                }
            }
        }
        Some(clauses)
    }

    /// The readings of a query that [`QueryBuilder::candidate_clauses`]
    /// can express, each a set of terms that a document holding them all
    /// matches: one per choice, for each corrected word, of the word or its
    /// correction, and for each synonym sequence, of its words or one of
    /// the other forms (see [`QueryBuilder::form_terms`]). Every match
    /// holds every term of some reading. The best of each reading are
    /// found quickest, a pure intersection each, where the union of the
    /// candidate clauses would score every match. `None` beyond
    /// [`MAX_READINGS`].
    pub fn candidate_readings(&mut self, parsed: &ParsedQuery) -> Option<Vec<Vec<Term>>> {
        if !parsed.phrases.is_empty() || !parsed.excluded.is_empty() || parsed.is_empty() {
            return None;
        }
        let mut readings: Vec<Vec<Term>> = vec![Vec::new()];
        for unit in units(parsed) {
            let mut choices: Vec<Vec<Term>> = Vec::new();
            let words: &[QueryWord] = match &unit {
                Unit::Word(word) => std::slice::from_ref(*word),
                Unit::Span(words, _) => words,
            };
            // The words as typed, each as itself or its correction.
            let mut literal: Vec<Vec<Term>> = vec![Vec::new()];
            for word in words {
                let forms = word
                    .folded_forms()
                    .map(|f| self.candidate_term(f))
                    .collect::<Option<Vec<Term>>>()?;
                literal = product(&literal, &forms.into_iter().map(|t| vec![t]).collect::<Vec<_>>());
            }
            choices.extend(literal);
            if let Unit::Span(_, expansion) = &unit {
                for form in &expansion.forms {
                    choices.push(match form.as_slice() {
                        [word] => vec![Term::from_field_text(self.fields.text.folded, &word.folded)],
                        _ => self.form_terms(form).into_iter().map(|(t, _)| t).collect(),
                    });
                }
            }
            readings = product(&readings, &choices);
            if readings.len() > MAX_READINGS {
                return None;
            }
        }
        for reading in &mut readings {
            let mut seen: Vec<Term> = Vec::new();
            reading.retain(|t| {
                let fresh = !seen.contains(t);
                if fresh {
                    seen.push(t.clone());
                }
                fresh
            });
        }
        Some(readings)
    }

    fn candidate_term(&mut self, folded: &str) -> Option<Term> {
        let text = self.fields.text;
        Some(if self.english {
            Term::from_field_text(text.stem, &self.stem(folded)?)
        } else {
            Term::from_field_text(text.folded, folded)
        })
    }

    /// A word's candidate clause: its term, or its term or its
    /// correction's.
    fn candidate_word(&mut self, word: &QueryWord) -> Option<Box<dyn Query>> {
        let mut terms = word
            .folded_forms()
            .map(|f| {
                self.candidate_term(f)
                    .map(|t| boxed(TermQuery::new(t, IndexRecordOption::WithFreqs)))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(if terms.len() == 1 {
            terms.remove(0)
        } else {
            any_of(terms)
        })
    }

    /// The parts whose scores [`QueryBuilder::text_query`] adds up, for a
    /// query that [`QueryBuilder::candidate_clauses`] can express: each
    /// word in every view and field, each synonym sequence, then the
    /// adjacency clauses. A matching document's score is their sum over
    /// the parts it matches, which scores a few documents without walking
    /// the query's unions.
    pub fn scoring(&mut self, parsed: &ParsedQuery) -> Vec<Part> {
        let mut parts: Vec<Part> = units(parsed).iter().map(|u| self.unit_part(u)).collect();
        parts.extend(self.adjacency_clauses(parsed));
        parts
    }

    fn unit_part(&mut self, unit: &Unit<'_>) -> Part {
        match unit {
            Unit::Word(word) => self.word_part(word),
            Unit::Span(words, expansion) => self.span_part(words, expansion),
        }
    }

    /// A word in every view of every field, with its weight; its
    /// correction too, weighing less.
    fn word_terms(&mut self, word: &QueryWord) -> Vec<(Term, f32)> {
        let mut terms = self.terms_of(&word.exact, &word.folded, 1.0);
        if let Some(c) = &word.correction {
            terms.extend(self.terms_of(&c.exact, &c.folded, CORRECTION_WEIGHT));
        }
        terms
    }

    fn terms_of(&mut self, exact: &str, folded: &str, factor: f32) -> Vec<(Term, f32)> {
        let stem = if self.english { self.stem(folded) } else { None };
        let mut terms = Vec::new();
        for (views, boost) in self.views() {
            terms.push((
                Term::from_field_text(views.exact, exact),
                EXACT_WEIGHT * boost * factor,
            ));
            terms.push((
                Term::from_field_text(views.folded, folded),
                FOLDED_WEIGHT * boost * factor,
            ));
            if let Some(stem) = &stem {
                terms.push((
                    Term::from_field_text(views.stem, stem),
                    STEM_WEIGHT * boost * factor,
                ));
            }
        }
        terms
    }

    /// A word matches in any view of any field; the views and fields only
    /// change the score.
    fn word_part(&mut self, word: &QueryWord) -> Part {
        Part::Any(
            self.word_terms(word)
                .into_iter()
                .map(|(term, weight)| term_leaf(term, weight))
                .collect(),
        )
    }

    /// A sequence known to the synonym dictionary: its words as typed (each
    /// anywhere, as plain words match), or another form of its group: a
    /// word in any view of any field, several in sequence (see
    /// [`QueryBuilder::form_terms`]).
    fn span_part(&mut self, words: &[QueryWord], expansion: &Expansion) -> Part {
        let literal: Vec<Part> = words.iter().map(|w| self.word_part(w)).collect();
        let mut any = vec![Part::All(literal)];
        for form in &expansion.forms {
            any.push(match form.as_slice() {
                [word] => Part::Any(
                    self.terms_of(&word.exact, &word.folded, SYNONYM_WEIGHT)
                        .into_iter()
                        .map(|(term, weight)| term_leaf(term, weight))
                        .collect(),
                ),
                _ => Part::All(
                    self.form_terms(form)
                        .into_iter()
                        .map(|(term, weight)| term_leaf(term, weight * SYNONYM_WEIGHT))
                        .collect(),
                ),
            });
        }
        Part::Any(any)
    }

    /// A form of several words as the terms a text holding it in sequence
    /// has: its syllable pairs, and the words that a comma keeps out of any
    /// pair. Chained pairs ("bao_hiem hiem_y y_te") stand for the phrase
    /// without reading positions: a phrase of common words ("bảo hiểm xã
    /// hội") is in most texts, and checking its positions in every one of
    /// them would cost many times the rest of the query.
    fn form_terms(&self, form: &[QueryWord]) -> Vec<(Term, f32)> {
        let text = self.fields.text;
        let words: Vec<(usize, &str)> = form.iter().map(|w| (w.position, w.folded.as_str())).collect();
        let mut terms = Vec::new();
        for (i, (position, word)) in words.iter().enumerate() {
            let paired_before = i > 0 && words[i - 1].0 + 1 == *position;
            match words.get(i + 1) {
                Some((next, following)) if *next == position + 1 => terms.push((
                    Term::from_field_text(text.pairs, &format!("{word}_{following}")),
                    PAIRS_WEIGHT,
                )),
                _ if !paired_before => terms.push((Term::from_field_text(text.folded, word), FOLDED_WEIGHT)),
                _ => {}
            }
        }
        terms
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

    /// BM25's inverse document frequency of a term. A failed lookup reads
    /// as a term in no document: the clause then weighs its most, which
    /// only matters if the term is found after all.
    fn idf(&self, term: &Term) -> f32 {
        let docs = self.searcher.num_docs() as f32;
        let with = self.searcher.doc_freq(term).unwrap_or(0) as f32;
        (1.0 + (docs - with + 0.5) / (with + 0.5)).ln().max(0.0)
    }

    /// Optional clauses rewarding documents where the query's words stand
    /// as typed: each syllable pair found adds its weight times its
    /// inverse document frequency, and each run of three words or more
    /// found whole in sequence adds the sum of its words' (see
    /// [`QueryBuilder::sequence_clauses`]).
    ///
    /// Unlike the words, these are not discounted in long texts: a long
    /// text holding "mức hưởng chế độ thai sản" answers the query that
    /// says so better than a short one holding the same words apart, and
    /// per-word length normalisation would otherwise rank the short one
    /// first.
    fn adjacency_clauses(&self, parsed: &ParsedQuery) -> Vec<Part> {
        let mut clauses: Vec<Part> = self
            .pair_terms(parsed)
            .into_iter()
            .map(|(term, weight)| {
                let score = weight * self.idf(&term);
                let query =
                    ConstScoreQuery::new(boxed(TermQuery::new(term, IndexRecordOption::Basic)), score);
                Part::Leaf(boxed(query), 1.0)
            })
            .collect();
        clauses.extend(self.sequence_clauses(parsed));
        clauses
    }

    /// The syllable pairs of the words as typed (a corrected word as its
    /// correction) in the text view: a document holding them all has the
    /// words of each run in sequence, or nearly.
    pub fn sequence_pairs(&self, parsed: &ParsedQuery) -> Vec<Term> {
        let mut terms: Vec<Term> = Vec::new();
        for run in &parsed.runs {
            for w in run.windows(2) {
                if w[1].position == w[0].position + 1 {
                    let pair = format!("{}_{}", w[0].matched_folded(), w[1].matched_folded());
                    let term = Term::from_field_text(self.fields.text.pairs, &pair);
                    if terms.len() < MAX_PAIRS && !terms.contains(&term) {
                        terms.push(term);
                    }
                }
            }
        }
        terms
    }

    /// Per run of three words or more typed in sequence (a corrected word
    /// as its correction), a constant for the texts holding the run as a
    /// phrase, with the folded view's weight times the sum of the words'
    /// inverse document frequencies; typed with diacritics, as much again
    /// with the exact view's weight for the phrase as typed. Two words make
    /// a single pair, already rewarded.
    ///
    /// Reading positions is what makes a phrase dear, so the phrase is
    /// joined to the run's syllable pairs, which tantivy intersects first:
    /// positions are read only in texts holding every pair. And a run
    /// whose rarest pair is in more than [`MAX_SEQUENCE_SHARE`] of the
    /// texts gets no clause: there, standing in sequence says little, and
    /// reading the positions of that many texts would cost most.
    fn sequence_clauses(&self, parsed: &ParsedQuery) -> Vec<Part> {
        let text = self.fields.text;
        let common = self.searcher.num_docs() as f32 * MAX_SEQUENCE_SHARE;
        let mut clauses = Vec::new();
        for run in &parsed.runs {
            let mut start = 0;
            for end in 1..=run.len() {
                let breaks = end == run.len() || run[end].position != run[end - 1].position + 1;
                if !breaks {
                    continue;
                }
                let words = &run[start..end];
                start = end;
                if words.len() < 3 || clauses.len() >= 2 * MAX_SEQUENCES {
                    continue;
                }
                let pairs: Vec<Term> = words
                    .windows(2)
                    .map(|w| {
                        let pair = format!("{}_{}", w[0].matched_folded(), w[1].matched_folded());
                        Term::from_field_text(text.pairs, &pair)
                    })
                    .collect();
                let rarest = pairs
                    .iter()
                    .map(|t| self.searcher.doc_freq(t).unwrap_or(0))
                    .min()
                    .unwrap_or(0);
                if rarest as f32 > common {
                    continue;
                }
                let folded: Vec<(usize, &str)> =
                    words.iter().map(|w| (w.position, w.matched_folded())).collect();
                clauses.push(self.sequence_clause(&pairs, text.folded, &folded, FOLDED_WEIGHT));
                let exact: Vec<(usize, &str)> =
                    words.iter().map(|w| (w.position, w.matched_exact())).collect();
                if exact != folded {
                    clauses.push(self.sequence_clause(&pairs, text.exact, &exact, EXACT_WEIGHT));
                }
            }
        }
        clauses
    }

    /// A constant of `weight` times the sum of the words' inverse document
    /// frequencies, for the texts holding every pair and the phrase.
    fn sequence_clause(&self, pairs: &[Term], field: Field, words: &[(usize, &str)], weight: f32) -> Part {
        let phrase: Vec<(usize, Term)> = words
            .iter()
            .map(|(p, w)| (*p, Term::from_field_text(field, w)))
            .collect();
        let idf: f32 = phrase.iter().map(|(_, t)| self.idf(t)).sum();
        let mut all: Vec<Box<dyn Query>> = pairs
            .iter()
            .map(|t| boxed(TermQuery::new(t.clone(), IndexRecordOption::Basic)))
            .collect();
        all.push(boxed(PhraseQuery::new_with_offset(phrase)));
        Part::Leaf(
            boxed(ConstScoreQuery::new(all_of(all), SEQUENCE_WEIGHT * weight * idf)),
            1.0,
        )
    }

    /// The query's adjacent words as syllable pairs in each field, with
    /// their weights (before the inverse document frequency): a corrected
    /// word pairs as typed and as corrected; a
    /// word next to a synonym sequence also pairs with the near end of each
    /// other form (`thẻ BHYT` rewards "thẻ bảo").
    fn pair_terms(&self, parsed: &ParsedQuery) -> Vec<(Term, f32)> {
        let mut pairs: Vec<String> = Vec::new();
        let mut push = |a: &str, b: &str| {
            let pair = format!("{a}_{b}");
            if pairs.len() < MAX_PAIRS && !pairs.contains(&pair) {
                pairs.push(pair);
            }
        };
        for group in parsed.runs.iter().chain(&parsed.phrases) {
            for w in group.windows(2) {
                if w[1].position == w[0].position + 1 {
                    for a in w[0].folded_forms() {
                        for b in w[1].folded_forms() {
                            push(a, b);
                        }
                    }
                }
            }
        }
        for e in &parsed.expansions {
            let Some(run) = parsed.runs.get(e.run) else {
                continue;
            };
            let (Some(first), Some(last)) = (run.get(e.start), run.get((e.start + e.len).saturating_sub(1)))
            else {
                continue;
            };
            let before = e
                .start
                .checked_sub(1)
                .and_then(|i| run.get(i))
                .filter(|w| w.position + 1 == first.position);
            let after = run
                .get(e.start + e.len)
                .filter(|w| w.position == last.position + 1);
            for form in &e.forms {
                if let (Some(b), Some(head)) = (before, form.first()) {
                    for a in b.folded_forms() {
                        push(a, &head.folded);
                    }
                }
                if let (Some(n), Some(tail)) = (after, form.last()) {
                    for c in n.folded_forms() {
                        push(&tail.folded, c);
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
    fn words_know_where_they_were_typed() {
        let input = "Lương  hưuu -bão \"thẻ BHYT\" tháng";
        let mut q = ParsedQuery::parse(input);
        let typed: Vec<(&str, Option<usize>)> = q
            .runs
            .iter()
            .chain(&q.phrases)
            .flatten()
            .map(|w| (w.typed.as_str(), w.at))
            .collect();
        assert_eq!(
            typed,
            [
                ("Lương", Some(0)),
                ("hưuu", Some(7)),
                ("tháng", Some(28)),
                ("thẻ", Some(18)),
                ("BHYT", Some(22))
            ]
        );
        for word in q.run_words_mut().filter(|w| w.folded == "huuu") {
            word.correction = Some(Correction {
                exact: "hưu".into(),
                folded: "huu".into(),
            });
        }
        assert_eq!(q.corrected_text(input), "Lương  hưu -bão \"thẻ BHYT\" tháng");
        assert_eq!(
            folded(&q.without(&["luong".into()]).runs),
            [vec!["huuu"], vec!["thang"]]
        );
    }

    #[test]
    fn synonym_sequences_are_found_longest_first() {
        let mut q = ParsedQuery::parse("cấp lại thẻ bao hiem xa hoi viet nam va BHYT");
        q.expand(&Synonyms::sector());
        let spans: Vec<(usize, usize, usize)> = q
            .expansions
            .iter()
            .map(|e| (e.start, e.len, e.forms.len()))
            .collect();
        assert_eq!(spans, [(3, 6, 3), (10, 1, 1)]);
        q.expand(&Synonyms::default());
        assert!(q.expansions.is_empty());
    }

    #[test]
    fn word_count_is_bounded() {
        let long = "bảo hiểm ".repeat(200);
        let q = ParsedQuery::parse(&long);
        assert!(q.runs.iter().flatten().count() <= MAX_QUERY_WORDS);
    }
}
