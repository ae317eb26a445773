//! The index itself: opening, writing, searching, suggesting.

use std::fs;
use std::ops::Bound;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, PhrasePrefixQuery,
    Query as EngineQuery, RangeQuery, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term};
use tantivy::{DocId, DocSet, SeekDangerResult};

use crate::analysis::{self, View};
use crate::error::IndexError;
use crate::facet_count::{FacetCounter, PATH_SEPARATOR};
use crate::model::{Document, Facets, Hit, MAX_PER_PAGE, Query, Results, Sort, Suggestion, vietnam};
use crate::query::{Correction, ParsedQuery, Part, QueryBuilder, RESCUE_MIN_CHARS};
use crate::schema::{self, Fields, PUBLISHED_AT, Views};
use crate::snippet::{self, Highlighter};
use crate::synonyms::Synonyms;
use crate::text::fold;
use crate::typo::{Alphabet, TermCounts};

/// Memory for the indexing buffer. Modest on purpose: the machine has two
/// cores and serves requests while it indexes; a CMS writes little at once.
const WRITER_MEMORY_BYTES: usize = 50_000_000;
/// Memory per indexing thread when a whole index is built at once
/// ([`SearchIndex::create_in`]): bigger segments, fewer merges.
const BULK_MEMORY_PER_THREAD: usize = 100_000_000;
/// Deepest result reachable by paging. Each page collects `offset + limit`
/// candidates, so this bounds the work a crafted `page` can ask for.
const MAX_OFFSET: usize = 10_000;
/// How many of the best matches a plain-words query ranks with its full
/// scoring (see [`SearchIndex::collect_rescored`]); pages reaching deeper
/// score every match.
const RESCORE_WINDOW: usize = 100;
/// How many of the matches holding the query's syllable pairs best join
/// the rescored ones (see [`SearchIndex::collect_rescored`]).
const ADJACENT_WINDOW: usize = 100;
/// A word is corrected by the typo rescue when an indexed word one edit
/// away is in this many times more documents (in any, if it is in none).
const RESCUE_RATIO: u64 = 10;
/// Most words of a query the typo rescue looks at, each costing a few
/// hundred dictionary lookups.
const MAX_RESCUED_WORDS: usize = 8;
/// Most distinct words the partial-match fallback leaves out (besides
/// never more than half).
const MAX_LEFT_OUT: usize = 6;
/// Most suggestions returned, and candidates considered for them.
const MAX_SUGGESTIONS: usize = 20;
const SUGGESTION_CANDIDATES: usize = 100;
/// How many indexed words a search-box prefix's last word may stand for.
const PREFIX_EXPANSIONS: u32 = 200;
const META_FILE: &str = "meta.json";

/// The portal's full-text search index, in one directory.
///
/// Share it (`Arc<SearchIndex>`) between request handlers: searching is
/// lock-free; writing goes through the single [`IndexWriter`] kept inside
/// behind a mutex, because tantivy allows one writer per index. Changes
/// become visible at [`SearchIndex::commit`].
pub struct SearchIndex {
    path: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    stemmer: TextAnalyzer,
    /// Answers to recent queries, valid for one reader generation and one
    /// synonym dictionary: a portal's popular queries ("bảo hiểm xã hội",
    /// "lương hưu") repeat all day, and any commit makes every entry stale.
    cache: Mutex<ResultCache>,
}

/// A plain-words query reduced to cheap parts: `query` finds the matches
/// (see [`SearchIndex::candidates`]), `best` are searched for the best of
/// them (the readings of the query, or `query` itself), `adjacent` (if the
/// query has adjacent words) for those holding every pair of adjacent
/// words, and `scoring` ranks them.
struct Candidates {
    query: Box<dyn EngineQuery>,
    best: Vec<Box<dyn EngineQuery>>,
    adjacent: Option<Box<dyn EngineQuery>>,
    scoring: Vec<Part>,
}

/// Results by reader generation and query, emptied when full or when the
/// generation moves. The synonym dictionary lives here too: replacing it
/// empties the entries under the same lock, so no answer computed with the
/// old one can be stored afterwards.
#[derive(Default)]
struct ResultCache {
    generation: u64,
    entries: std::collections::HashMap<Query, Results>,
    synonyms: Arc<Synonyms>,
}

/// Distinct queries whose results are kept.
const CACHED_QUERIES: usize = 2_000;

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// How an index will mostly be written.
#[derive(Clone, Copy)]
enum Writer {
    /// A few documents at a time, while serving: one thread, modest memory.
    Live,
    /// A whole rebuild: every core, large segments.
    Bulk,
}

/// One collected page before documents are loaded.
struct Page {
    total: usize,
    docs: Vec<(f32, DocAddress)>,
    facets: Facets,
}

/// What [`SearchIndex::inspect`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inspected {
    pub documents: u64,
    pub cursor: Option<i64>,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it if the directory is missing or
    /// empty.
    ///
    /// Never silently overwrites: a directory with files but no index, a
    /// damaged index, or one with another schema is reported
    /// ([`IndexError::needs_rebuild`]) so the caller can decide to rebuild
    /// with [`SearchIndex::create_in`].
    pub fn open_or_create(dir: &Path) -> Result<Self, IndexError> {
        if !dir.exists() {
            fs::create_dir_all(dir)?;
        }
        if !dir.is_dir() {
            return Err(corrupt(dir, "not a directory"));
        }
        if !dir.join(META_FILE).exists() {
            if let Some(name) = foreign_entry(dir)? {
                return Err(corrupt(
                    dir,
                    &format!("no index, but the directory holds {name:?}"),
                ));
            }
            return Self::create_fresh(dir, Writer::Live);
        }
        let index = guarded(dir, || Index::open_in_dir(dir))?;
        let (schema, fields) = schema::build();
        if index.schema() != schema {
            return Err(IndexError::SchemaMismatch {
                path: dir.to_path_buf(),
            });
        }
        Self::from_index(dir, index, fields, Writer::Live)
    }

    /// Reads an index without opening a writer, so while a server serves
    /// from it: checks every file's checksum and answers the number of
    /// documents and the change-log cursor of the last commit.
    pub fn inspect(dir: &Path) -> Result<Inspected, IndexError> {
        if !dir.join(META_FILE).exists() {
            return Err(corrupt(dir, "no index here"));
        }
        let index = guarded(dir, || Index::open_in_dir(dir))?;
        let (schema, _) = schema::build();
        if index.schema() != schema {
            return Err(IndexError::SchemaMismatch {
                path: dir.to_path_buf(),
            });
        }
        let damaged = guarded(dir, || index.validate_checksum())?;
        if !damaged.is_empty() {
            let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
            names.sort();
            return Err(corrupt(dir, &format!("damaged files: {}", names.join(", "))));
        }
        let metas = index.load_metas()?;
        let reader = index.reader()?;
        Ok(Inspected {
            documents: reader.searcher().num_docs(),
            cursor: metas.payload.and_then(|p| p.trim().parse().ok()),
        })
    }

    /// Creates a new, empty index in `dir`, discarding any index (or
    /// remains of one) found there: the way to rebuild after
    /// [`IndexError::needs_rebuild`]. Only tantivy's own files are removed;
    /// fails with [`IndexError::Locked`] while another writer uses `dir`.
    ///
    /// The writer is set up for a full build: every core (up to four)
    /// indexes, with large segments; reopen the directory with
    /// [`SearchIndex::open_or_create`] to serve and update it.
    pub fn create_in(dir: &Path) -> Result<Self, IndexError> {
        fs::create_dir_all(dir)?;
        {
            let directory = MmapDirectory::open(dir).map_err(|e| IndexError::Engine(e.into()))?;
            let _lock = directory
                .acquire_lock(&INDEX_WRITER_LOCK)
                .map_err(|_| IndexError::Locked {
                    path: dir.to_path_buf(),
                })?;
            for entry in fs::read_dir(dir)? {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if is_index_file(&name) && entry.file_type()?.is_file() {
                    fs::remove_file(entry.path())?;
                }
            }
        }
        Self::create_fresh(dir, Writer::Bulk)
    }

    fn create_fresh(dir: &Path, writer: Writer) -> Result<Self, IndexError> {
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(dir, schema).map_err(|e| open_error(dir, e))?;
        Self::from_index(dir, index, fields, writer)
    }

    fn from_index(dir: &Path, index: Index, fields: Fields, kind: Writer) -> Result<Self, IndexError> {
        analysis::register(index.tokenizers());
        let reader: IndexReader = guarded(dir, || {
            index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
        })?;
        let (threads, memory) = match kind {
            Writer::Live => (1, WRITER_MEMORY_BYTES),
            Writer::Bulk => {
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
                (threads, threads * BULK_MEMORY_PER_THREAD)
            }
        };
        let writer = guarded(dir, || index.writer_with_num_threads(threads, memory))?;
        Ok(Self {
            path: dir.to_path_buf(),
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            stemmer: analysis::english_stem_analyzer(),
            cache: Mutex::new(ResultCache::default()),
        })
    }

    /// The directory of the index.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads every file of the index and checks its checksum. Slower than
    /// opening (which only reads headers); for a health check or after a
    /// crash.
    pub fn verify(&self) -> Result<(), IndexError> {
        let damaged = guarded(&self.path, || self.index.validate_checksum())?;
        if damaged.is_empty() {
            Ok(())
        } else {
            let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
            names.sort();
            Err(corrupt(
                &self.path,
                &format!("damaged files: {}", names.join(", ")),
            ))
        }
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        // A panic while holding the lock leaves tantivy's writer usable:
        // uncommitted work is at worst lost, never half-visible.
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds a document, replacing any document with the same id. Visible
    /// after the next [`SearchIndex::commit`]; call it once per batch.
    pub fn upsert(&self, doc: &Document) -> Result<(), IndexError> {
        let tantivy_doc = self.to_tantivy(doc)?;
        let writer = self.writer();
        writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
        writer.add_document(tantivy_doc)?;
        Ok(())
    }

    /// Removes the document with this id (no error if there is none).
    /// Visible after the next commit.
    pub fn delete(&self, id: &str) -> Result<(), IndexError> {
        self.writer()
            .delete_term(Term::from_field_text(self.fields.id, id));
        Ok(())
    }

    /// Removes every document, for a full re-index in one commit: readers
    /// keep seeing the old content until the new one is committed.
    pub fn delete_all(&self) -> Result<(), IndexError> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Makes the changes durable and visible to searches at once (the
    /// reader is reloaded here rather than on a timer, so a page rendered
    /// right after an edit shows it).
    pub fn commit(&self) -> Result<(), IndexError> {
        let mut writer = self.writer();
        writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Like [`SearchIndex::commit`], recording `cursor` (the position of
    /// the caller's change feed) in the same atomic commit: after a crash
    /// the index and its cursor always agree, so catching up neither skips
    /// nor repeats a change.
    pub fn commit_at(&self, cursor: i64) -> Result<(), IndexError> {
        let mut writer = self.writer();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&cursor.to_string());
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The cursor recorded by the last [`SearchIndex::commit_at`], if any.
    pub fn cursor(&self) -> Result<Option<i64>, IndexError> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.and_then(|p| p.trim().parse().ok()))
    }

    /// Number of searchable documents (as of the last commit).
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn to_tantivy(&self, doc: &Document) -> Result<TantivyDocument, IndexError> {
        let f = &self.fields;
        if doc.id.trim().is_empty() {
            return Err(IndexError::InvalidDocument("empty id".into()));
        }
        let english = doc.edition == "en";
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &doc.id);
        d.add_text(f.kind, &doc.kind);
        d.add_text(f.edition, &doc.edition);
        let path = clean_path(&doc.section_path);
        if !path.is_empty() {
            d.add_facet(f.section, Facet::from_path(&path));
            for code in &path {
                d.add_text(f.section_codes, code);
            }
        }
        d.add_text(f.section_path, path.join(&PATH_SEPARATOR.to_string()));
        let year = doc.published_at.with_timezone(&vietnam()).year();
        d.add_u64(f.year, u64::try_from(year).unwrap_or_default());
        d.add_date(
            f.published_at,
            tantivy::DateTime::from_timestamp_secs(doc.published_at.timestamp()),
        );
        d.add_text(f.url, &doc.url);
        add_views(&mut d, f.title, &doc.title, english);
        add_views(&mut d, f.text, &doc.title, english);
        add_views(&mut d, f.text, &doc.summary, english);
        add_views(&mut d, f.text, &doc.body, english);
        for tag in &doc.tags {
            add_views(&mut d, f.text, tag, english);
        }
        d.add_text(f.summary, &doc.summary);
        d.add_text(f.body, &doc.body);
        Ok(d)
    }

    /// Replaces the synonym dictionary (empty at first). The next search
    /// uses it; nothing is re-indexed, and the cached answers go.
    pub fn set_synonyms(&self, synonyms: Synonyms) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.synonyms = Arc::new(synonyms);
        cache.entries.clear();
    }

    /// The synonym dictionary in use.
    pub fn synonyms(&self) -> Arc<Synonyms> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.synonyms.clone()
    }

    /// Runs a search: one page of hits, the total, facet counts, snippets.
    ///
    /// Sequences of words known to the synonym dictionary also match the
    /// other forms of their group. When the words as typed find nothing,
    /// words that are (nearly) absent from the index are read as the most
    /// frequent indexed word one typo away and the search runs again
    /// ([`Results::fuzzy`], [`Results::corrected`]); when that finds
    /// nothing either, the rarest words are left out, at most half of them
    /// ([`Results::left_out`]).
    pub fn search(&self, q: &Query) -> Result<Results, IndexError> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        if let Some(hit) = self.cached_in(generation, q) {
            return Ok(hit);
        }
        let synonyms = self.synonyms();
        let results = self.run(&searcher, q, &synonyms)?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.generation == generation && Arc::ptr_eq(&cache.synonyms, &synonyms) {
            if cache.entries.len() >= CACHED_QUERIES {
                cache.entries.clear();
            }
            cache.entries.insert(q.clone(), results.clone());
        }
        Ok(results)
    }

    /// The answer to `q` if recent enough to be cached: a few microseconds,
    /// where [`SearchIndex::search`] may take milliseconds. Lets a server
    /// answer popular queries at once and send only the others to a
    /// thread where blocking is fine.
    pub fn cached(&self, q: &Query) -> Option<Results> {
        self.cached_in(self.reader.searcher().generation().generation_id(), q)
    }

    fn cached_in(&self, generation: u64, q: &Query) -> Option<Results> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.generation != generation {
            cache.entries.clear();
            cache.generation = generation;
        }
        cache.entries.get(q).cloned()
    }

    /// [`SearchIndex::search`] without the cache.
    fn run(
        &self,
        searcher: &tantivy::Searcher,
        q: &Query,
        synonyms: &Synonyms,
    ) -> Result<Results, IndexError> {
        let searcher = searcher.clone();
        let mut parsed = ParsedQuery::parse(&q.text);
        parsed.expand(synonyms);
        let english = q.edition.as_deref() != Some("vi");
        let mut search = Search {
            index: self,
            searcher: &searcher,
            builder: QueryBuilder::new(&self.fields, &searcher, english, self.stemmer.clone()),
            q,
            by_date: q.sort == Sort::Date || parsed.is_empty(),
            section_root: self.section_facet(&searcher, q.section.as_deref())?,
        };
        let mut page = search.page(&parsed)?;
        let mut fuzzy = false;
        let mut left_out = Vec::new();
        if page.total == 0 && !parsed.is_empty() {
            let mut base = None;
            if let Some(mut rescued) = self.rescue(&searcher, &parsed)? {
                rescued.expand(synonyms);
                let retry = search.page(&rescued)?;
                if retry.total > 0 {
                    page = retry;
                    fuzzy = true;
                    parsed = rescued;
                } else {
                    base = Some(rescued);
                }
            }
            if !fuzzy {
                let base = base.as_ref().unwrap_or(&parsed);
                if let Some((partial, dropped, retry)) = search.partial(base, synonyms)? {
                    page = retry;
                    fuzzy = partial.has_corrections();
                    left_out = dropped;
                    parsed = partial;
                }
            }
        }
        let corrected = fuzzy.then(|| parsed.corrected_text(&q.text));

        let mut highlighter = Highlighter::new(parsed.positive_folded(), self.stemmer.clone());
        let hits = page
            .docs
            .iter()
            .map(|(score, address)| self.hit(&searcher, *address, *score, &mut highlighter))
            .collect::<Result<Vec<Hit>, IndexError>>()?;
        Ok(Results {
            total: page.total,
            hits,
            facets: page.facets,
            fuzzy,
            corrected,
            left_out,
        })
    }

    /// The typo rescue: `parsed` with each plain word of
    /// [`RESCUE_MIN_CHARS`] letters or more (numbers are never corrected:
    /// a year or a decree number typed is meant) read as its most frequent
    /// neighbour one edit away in the folded text view, when that neighbour
    /// is in [`RESCUE_RATIO`] times more documents (a word in none always
    /// qualifies). The word as typed still matches, and counts more. `None`
    /// when no word qualifies.
    ///
    /// A word typed with diacritics is shown corrected with them when the
    /// exact view holds a spelling one edit away that folds to the
    /// correction ("lươg" → "lương").
    fn rescue(
        &self,
        searcher: &tantivy::Searcher,
        parsed: &ParsedQuery,
    ) -> Result<Option<ParsedQuery>, IndexError> {
        let folded = TermCounts::new(searcher, self.fields.text.folded)?;
        let exact = TermCounts::new(searcher, self.fields.text.exact)?;
        let mut rescued = parsed.clone();
        let mut changed = false;
        let words = rescued
            .run_words_mut()
            .filter(|w| {
                w.folded.chars().count() >= RESCUE_MIN_CHARS && w.folded.chars().all(char::is_alphabetic)
            })
            .take(MAX_RESCUED_WORDS);
        for word in words {
            let own = folded.doc_freq(&word.folded)?;
            let Some((best, count)) = folded.best_neighbour(&word.folded, Alphabet::Folded, |_| true)? else {
                continue;
            };
            if count <= own.saturating_mul(RESCUE_RATIO) {
                continue;
            }
            let shown = if word.exact == word.folded {
                best.clone()
            } else {
                exact
                    .best_neighbour(&word.exact, Alphabet::Vietnamese, |w| fold(w) == best)?
                    .map_or_else(|| best.clone(), |(w, _)| w)
            };
            word.correction = Some(Correction {
                exact: shown,
                folded: best,
            });
            changed = true;
        }
        Ok(changed.then_some(rescued))
    }

    /// Combines the text query with the filters of `q`. Filters score
    /// nothing, so relevance comes from the words alone.
    fn with_filters(&self, text: Option<Box<dyn EngineQuery>>, q: &Query) -> Box<dyn EngineQuery> {
        let f = &self.fields;
        let mut filters: Vec<Box<dyn EngineQuery>> = Vec::new();
        let mut term = |field: Field, value: &str| {
            let query = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
            filters.push(Box::new(query));
        };
        if let Some(edition) = q.edition.as_deref().filter(|s| !s.is_empty()) {
            term(f.edition, edition);
        }
        if let Some(kind) = q.kind.as_deref().filter(|s| !s.is_empty()) {
            term(f.kind, kind);
        }
        if let Some(section) = q.section.as_deref().map(clean_segment).filter(|s| !s.is_empty()) {
            term(f.section_codes, &section);
        }
        if q.from.is_some() || q.to.is_some() {
            let bound = |day: NaiveDate| {
                let start = vietnam()
                    .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
                    .single()
                    .map_or(i64::MIN, |t| t.timestamp());
                Term::from_field_date_for_search(
                    f.published_at,
                    tantivy::DateTime::from_timestamp_secs(start),
                )
            };
            let lower = q.from.map_or(Bound::Unbounded, |d| Bound::Included(bound(d)));
            let upper = q.to.map_or(Bound::Unbounded, |d| {
                d.succ_opt()
                    .map_or(Bound::Unbounded, |next| Bound::Excluded(bound(next)))
            });
            filters.push(Box::new(RangeQuery::new(lower, upper)));
        }
        if filters.is_empty() {
            return text.unwrap_or_else(|| Box::new(AllQuery));
        }
        let mut clauses: Vec<(Occur, Box<dyn EngineQuery>)> = filters
            .into_iter()
            .map(|q| (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)) as Box<_>))
            .collect();
        if let Some(text) = text {
            clauses.push((Occur::Must, text));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The query finding a plain-words query's matches cheaply, when there
    /// is one: the words' [`QueryBuilder::candidate_clauses`] and the
    /// filters as terms scoring nothing, all required. Such a pure
    /// intersection of terms lets tantivy skip whole blocks of postings
    /// that cannot reach the best scores (block-max WAND), where the full
    /// query, a union of views per word, must score every match. Dates and
    /// mixed editions cannot be put as single terms: those searches take
    /// the full path.
    ///
    /// A query with corrected words or synonym sequences is a union of
    /// such intersections, its readings ([`QueryBuilder::candidate_readings`]):
    /// the best matches are then looked for in each reading, and only the
    /// counting walks the union.
    ///
    /// With it, when the query has adjacent words, the same intersection
    /// with every pair of adjacent words added (rare terms, so quick): the
    /// texts holding the words in sequence, which the pairs rank first
    /// whatever their folded score.
    fn candidates(
        &self,
        builder: &mut QueryBuilder<'_>,
        parsed: &ParsedQuery,
        q: &Query,
    ) -> Option<Candidates> {
        let f = &self.fields;
        let edition = q.edition.as_deref().filter(|e| matches!(*e, "vi" | "en"))?;
        let words = builder.candidate_clauses(parsed)?;
        let readings = builder.candidate_readings(parsed);
        let mut filters = vec![Term::from_field_text(f.edition, edition)];
        if let Some(kind) = q.kind.as_deref().filter(|s| !s.is_empty()) {
            filters.push(Term::from_field_text(f.kind, kind));
        }
        if let Some(section) = q.section.as_deref().map(clean_segment).filter(|s| !s.is_empty()) {
            filters.push(Term::from_field_text(f.section_codes, &section));
        }
        let term =
            |t: Term| Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn EngineQuery>;
        let filter_clauses: Vec<(Occur, Box<dyn EngineQuery>)> = filters
            .into_iter()
            .map(|t| {
                (
                    Occur::Must,
                    Box::new(BoostQuery::new(term(t), 0.0)) as Box<dyn EngineQuery>,
                )
            })
            .collect();
        let clauses: Vec<(Occur, Box<dyn EngineQuery>)> = words
            .into_iter()
            .map(|w| (Occur::Must, w))
            .chain(filter_clauses.iter().map(|(o, q)| (*o, q.box_clone())))
            .collect();
        let filtered = |terms: Vec<Term>| {
            let clauses: Vec<(Occur, Box<dyn EngineQuery>)> = terms
                .into_iter()
                .map(|t| (Occur::Must, term(t)))
                .chain(filter_clauses.iter().map(|(o, q)| (*o, q.box_clone())))
                .collect();
            Box::new(BooleanQuery::new(clauses)) as Box<dyn EngineQuery>
        };
        let pairs = builder.sequence_pairs(parsed);
        let adjacent = (!pairs.is_empty()).then(|| {
            let mut with_pairs: Vec<(Occur, Box<dyn EngineQuery>)> =
                clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            with_pairs.extend(pairs.into_iter().map(|pair| (Occur::Must, term(pair))));
            Box::new(BooleanQuery::new(with_pairs)) as Box<dyn EngineQuery>
        });
        let query: Box<dyn EngineQuery> = Box::new(BooleanQuery::new(clauses));
        let best = match readings {
            Some(readings) if readings.len() > 1 => readings.into_iter().map(filtered).collect(),
            _ => vec![query.box_clone()],
        };
        Some(Candidates {
            query,
            best,
            adjacent,
            scoring: builder.scoring(parsed),
        })
    }

    /// A page of a plain-words query: the best [`RESCORE_WINDOW`] matches
    /// of each reading of the cheap candidate query (folded BM25) and the best
    /// [`ADJACENT_WINDOW`] of those holding the typed words in sequence,
    /// ranked again with the full query's scoring (exact, adjacency, title
    /// boost) as the sum of its parts; the total and the facets count every
    /// match without scoring. A document can only miss the page if more
    /// than [`RESCORE_WINDOW`] others beat it on folded words alone, and it
    /// does not hold the words in sequence (or more than
    /// [`ADJACENT_WINDOW`] others do too): the trade-off of every
    /// rescoring engine, for a query time that no longer grows with the
    /// number of matches.
    ///
    /// The second set is what keeps a long text holding "mức hưởng chế độ
    /// thai sản" in the race against the many shorter ones holding the
    /// same words apart, which folded BM25 alone prefers.
    fn collect_rescored(
        &self,
        searcher: &tantivy::Searcher,
        candidates: &Candidates,
        q: &Query,
        section_root: &Facet,
    ) -> Result<Page, IndexError> {
        let query = candidates.query.as_ref();
        // Counting every match and finding the best ones are independent
        // walks of the same postings: one runs on a second thread.
        let counter = facet_counter(section_root);
        let (counted, best) = std::thread::scope(|scope| {
            let counting = scope.spawn(|| searcher.search(query, &(Count, counter)));
            let top = |query: &dyn EngineQuery, limit: usize| {
                searcher.search(query, &TopDocs::with_limit(limit).order_by_score())
            };
            let best = (|| {
                let mut best = Vec::new();
                for query in &candidates.best {
                    best.extend(top(query.as_ref(), RESCORE_WINDOW)?);
                }
                if let Some(adjacent) = &candidates.adjacent {
                    best.extend(top(adjacent.as_ref(), ADJACENT_WINDOW)?);
                }
                Ok::<_, tantivy::TantivyError>(best)
            })();
            (counting.join(), best)
        });
        let (total, facets) = counted.map_err(|_| {
            IndexError::Engine(tantivy::TantivyError::InternalError(
                "facet counting panicked".into(),
            ))
        })??;
        let mut best: Vec<DocAddress> = best?.into_iter().map(|(_, address)| address).collect();
        best.sort();
        best.dedup();
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let parts = candidates
            .scoring
            .iter()
            .map(|part| Weighed::new(part, scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut docs: Vec<(f32, DocAddress)> = Vec::with_capacity(best.len());
        let mut segment: Option<(u32, Vec<Scoring>)> = None;
        for address in best {
            let reader = searcher.segment_reader(address.segment_ord);
            let scorers = match &mut segment {
                Some((ord, scorers)) if *ord == address.segment_ord => scorers,
                _ => {
                    &mut segment
                        .insert((address.segment_ord, parts.iter().map(Weighed::scoring).collect()))
                        .1
                }
            };
            let mut score = 0.0;
            for (scorer, part) in scorers.iter_mut().zip(&parts) {
                score += scorer.score(part, reader, address.doc_id)?.unwrap_or(0.0);
            }
            docs.push((score, address));
        }
        docs.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let docs = docs.into_iter().skip(offset(q)).take(per_page(q)).collect();
        Ok(Page { total, docs, facets })
    }

    /// The facet whose children are counted: the section filtered on (its
    /// path is read from any document in it), or the root.
    fn section_facet(&self, searcher: &tantivy::Searcher, code: Option<&str>) -> Result<Facet, IndexError> {
        let Some(code) = code.map(clean_segment).filter(|c| !c.is_empty()) else {
            return Ok(Facet::root());
        };
        let query = TermQuery::new(
            Term::from_field_text(self.fields.section_codes, &code),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        if let Some((_, address)) = top.first() {
            let doc: TantivyDocument = searcher.doc(*address)?;
            if let Some(encoded) = doc.get_first(self.fields.section).and_then(|v| v.as_facet()) {
                let path: Vec<&str> = encoded.split('\0').collect();
                if let Some(at) = path.iter().position(|step| *step == code) {
                    return Ok(Facet::from_path(&path[..=at]));
                }
            }
        }
        Ok(Facet::from_path([code.as_str()]))
    }

    fn collect(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn EngineQuery,
        q: &Query,
        by_date: bool,
        section_root: &Facet,
    ) -> Result<Page, IndexError> {
        let top = TopDocs::with_limit(per_page(q)).and_offset(offset(q));
        let facets = facet_counter(section_root);
        let (total, docs, facets) = if by_date {
            let top = top.order_by_fast_field::<tantivy::DateTime>(PUBLISHED_AT, Order::Desc);
            let (total, docs, facets) = searcher.search(query, &(Count, top, facets))?;
            (total, docs.into_iter().map(|(_, a)| (0.0, a)).collect(), facets)
        } else {
            searcher.search(query, &(Count, top.order_by_score(), facets))?
        };
        Ok(Page { total, docs, facets })
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        score: f32,
        highlighter: &mut Highlighter,
    ) -> Result<Hit, IndexError> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let edition = text(f.edition);
        highlighter.set_english(edition == "en");
        let title = text(f.title.exact);
        let summary = text(f.summary);
        let body = text(f.body);
        let mut parts = body.split(crate::model::ATTACHMENT);
        let own = parts.next().unwrap_or_default();
        let files: Vec<(&str, &str)> = parts.map(|p| p.split_once('\n').unwrap_or((p, ""))).collect();
        let best = [(None, summary.as_str()), (None, own)]
            .into_iter()
            .chain(files.iter().map(|(name, text)| (Some(*name), *text)))
            .filter_map(|(file, t)| {
                highlighter
                    .best_window(t)
                    .map(|(score, html)| (score, html, file))
            })
            .reduce(|a, b| if b.0 > a.0 { b } else { a });
        let (snippet, attachment) = match best {
            Some((_, html, file)) => (html, file.map(|f| f.trim().to_owned())),
            None if summary.trim().is_empty() => (snippet::head(own), None),
            None => (snippet::head(&summary), None),
        };
        let section = doc
            .get_first(f.section)
            .and_then(|v| v.as_facet())
            .and_then(|encoded| encoded.rsplit('\0').next())
            .unwrap_or_default()
            .to_string();
        let seconds = doc
            .get_first(f.published_at)
            .and_then(|v| v.as_datetime())
            .map_or(0, |d| d.into_timestamp_secs());
        Ok(Hit {
            id: text(f.id),
            kind: text(f.kind),
            title_html: highlighter.mark_all(&title),
            title,
            edition,
            url: text(f.url),
            snippet,
            attachment,
            section,
            published_at: Utc.timestamp_opt(seconds, 0).single().unwrap_or_default(),
            score,
        })
    }

    /// Titles starting with what the user is typing, for the search box.
    ///
    /// Matching is on the folded title, word by word, the last word being a
    /// prefix: "bao hi" proposes "Bảo hiểm thất nghiệp". Titles that start
    /// with the prefix come before titles containing it further in; newer
    /// documents first within each group. At most 20.
    pub fn suggest(
        &self,
        prefix: &str,
        edition: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Suggestion>, IndexError> {
        let limit = limit.min(MAX_SUGGESTIONS);
        let words: Vec<(usize, String)> = analysis::tokens(prefix, View::Folded)
            .into_iter()
            .take(8)
            .map(|t| (t.position, t.text))
            .collect();
        if limit == 0 || words.is_empty() {
            return Ok(Vec::new());
        }
        let f = &self.fields;
        let terms = words
            .iter()
            .map(|(p, w)| (*p, Term::from_field_text(f.title.folded, w)))
            .collect();
        let mut prefix_query = PhrasePrefixQuery::new_with_offset(terms);
        prefix_query.set_max_expansions(PREFIX_EXPANSIONS);
        let query = self.with_filters(
            Some(Box::new(prefix_query)),
            &Query {
                edition: edition.map(str::to_string),
                ..Query::default()
            },
        );
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(SUGGESTION_CANDIDATES)
            .order_by_fast_field::<tantivy::DateTime>(PUBLISHED_AT, Order::Desc);
        let mut candidates: Vec<(bool, Suggestion)> = Vec::new();
        for (_, address) in searcher.search(query.as_ref(), &top)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let suggestion = Suggestion {
                id: text(f.id),
                title: text(f.title.exact),
                url: text(f.url),
                kind: text(f.kind),
            };
            if candidates
                .iter()
                .any(|(_, s)| s.url == suggestion.url && s.title == suggestion.title)
            {
                continue;
            }
            candidates.push((starts_with_words(&suggestion.title, &words), suggestion));
        }
        candidates.sort_by_key(|(starts, _)| !*starts);
        Ok(candidates.into_iter().take(limit).map(|(_, s)| s).collect())
    }
}

/// A [`Part`] with the weights of its leaves, ready to score segments.
enum Weighed {
    Leaf(Box<dyn Weight>, f32),
    All(Vec<Weighed>),
    Any(Vec<Weighed>),
}

impl Weighed {
    fn new(part: &Part, scoring: EnableScoring<'_>) -> tantivy::Result<Self> {
        let all = |parts: &[Part]| {
            parts
                .iter()
                .map(|p| Weighed::new(p, scoring))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        Ok(match part {
            Part::Leaf(query, weight) => Weighed::Leaf(query.weight(scoring)?, *weight),
            Part::All(parts) => Weighed::All(all(parts)?),
            Part::Any(parts) => Weighed::Any(all(parts)?),
        })
    }

    /// Scorers for one segment, made when first asked about a document.
    fn scoring(&self) -> Scoring {
        match self {
            Weighed::Leaf(..) => Scoring::Leaf {
                scorer: None,
                next: 0,
            },
            Weighed::All(parts) => Scoring::All(parts.iter().map(Weighed::scoring).collect()),
            Weighed::Any(parts) => Scoring::Any(parts.iter().map(Weighed::scoring).collect()),
        }
    }
}

/// The scorers of a [`Weighed`] in one segment, asked about documents in
/// increasing order.
enum Scoring {
    /// `next` is the first document the scorer may still match.
    Leaf {
        scorer: Option<Box<dyn Scorer>>,
        next: DocId,
    },
    All(Vec<Scoring>),
    Any(Vec<Scoring>),
}

impl Scoring {
    /// The score of `weighed` (the part these scorers are of) for `doc`,
    /// `None` if it does not match. Each leaf only checks `doc`
    /// (`scorer_danger`, then `seek_danger`): a phrase neither looks for
    /// its first match when its scorer is made nor walks on to its next
    /// match, as a plain scorer would, which across a segment costs as
    /// much as running the phrase query.
    fn score(
        &mut self,
        weighed: &Weighed,
        reader: &tantivy::SegmentReader,
        doc: DocId,
    ) -> tantivy::Result<Option<f32>> {
        Ok(match (self, weighed) {
            (Scoring::Leaf { scorer, next }, Weighed::Leaf(weight, boost)) => {
                if doc < *next {
                    return Ok(None);
                }
                let found = match scorer {
                    Some(scorer) => scorer.seek_danger(doc),
                    None => {
                        let (found, made) = weight.scorer_danger(reader, doc, *boost)?;
                        *scorer = Some(made);
                        found
                    }
                };
                match (found, scorer) {
                    (SeekDangerResult::Found, Some(scorer)) => {
                        *next = doc + 1;
                        Some(scorer.score())
                    }
                    (SeekDangerResult::SeekLowerBound(bound), _) => {
                        *next = bound.max(doc + 1);
                        None
                    }
                    (SeekDangerResult::Found, None) => None,
                }
            }
            (Scoring::All(parts), Weighed::All(weighed)) => {
                let mut sum = 0.0;
                for (part, w) in parts.iter_mut().zip(weighed) {
                    match part.score(w, reader, doc)? {
                        Some(score) => sum += score,
                        None => return Ok(None),
                    }
                }
                Some(sum)
            }
            (Scoring::Any(parts), Weighed::Any(weighed)) => {
                let mut sum = None;
                for (part, w) in parts.iter_mut().zip(weighed) {
                    if let Some(score) = part.score(w, reader, doc)? {
                        sum = Some(sum.unwrap_or(0.0) + score);
                    }
                }
                sum
            }
            // Made from the same tree, the two always agree.
            _ => None,
        })
    }
}

/// One search under way: what its query and its fallbacks need to run.
struct Search<'s> {
    index: &'s SearchIndex,
    searcher: &'s tantivy::Searcher,
    builder: QueryBuilder<'s>,
    q: &'s Query,
    by_date: bool,
    section_root: Facet,
}

impl Search<'_> {
    /// The page asked for of `parsed`'s matches: rescored from the best
    /// candidates when the query allows (see [`SearchIndex::candidates`]),
    /// with the full query otherwise.
    fn page(&mut self, parsed: &ParsedQuery) -> Result<Page, IndexError> {
        let (index, q) = (self.index, self.q);
        let full_path = self.by_date || q.from.is_some() || q.to.is_some() || end_of_page(q) > RESCORE_WINDOW;
        let candidates = if full_path {
            None
        } else {
            index.candidates(&mut self.builder, parsed, q)
        };
        match candidates {
            Some(candidates) => index.collect_rescored(self.searcher, &candidates, q, &self.section_root),
            None => {
                let query = index.with_filters(self.builder.text_query(parsed), q);
                index.collect(self.searcher, query.as_ref(), q, self.by_date, &self.section_root)
            }
        }
    }

    /// The partial-match fallback: `parsed` without its rarest plain words
    /// (the fewest documents in the folded text view; a corrected word or a
    /// word of a synonym sequence counts what its other forms hold), one
    /// more at a time until something matches: first all those in no
    /// document, then the next rarest, at most half of the words and
    /// phrases and never all. The query kept, the words left out as typed,
    /// and the page; `None` when nothing matches that way either.
    fn partial(
        &mut self,
        parsed: &ParsedQuery,
        synonyms: &Synonyms,
    ) -> Result<Option<(ParsedQuery, Vec<String>, Page)>, IndexError> {
        let counts = TermCounts::new(self.searcher, self.index.fields.text.folded)?;
        // (folded, as typed, documents), one per distinct folded word.
        let mut words: Vec<(String, String, u64)> = Vec::new();
        for (r, run) in parsed.runs.iter().enumerate() {
            for (i, w) in run.iter().enumerate() {
                if words.iter().any(|(f, ..)| *f == w.folded) {
                    continue;
                }
                let mut count = counts.doc_freq(&w.folded)?;
                if let Some(c) = &w.correction {
                    count = count.max(counts.doc_freq(&c.folded)?);
                }
                let spans = parsed
                    .expansions
                    .iter()
                    .filter(|e| e.run == r && (e.start..e.start + e.len).contains(&i));
                for form in spans.flat_map(|e| &e.forms) {
                    // A form's phrase is in no more documents than its
                    // rarest word.
                    let mut rarest = u64::MAX;
                    for fw in form {
                        rarest = rarest.min(counts.doc_freq(&fw.folded)?);
                    }
                    count = count.max(rarest);
                }
                words.push((w.folded.clone(), w.typed.clone(), count));
            }
        }
        let units = words.len() + parsed.phrases.len();
        let most = (units / 2)
            .clamp(1, MAX_LEFT_OUT)
            .min(units.saturating_sub(1))
            .min(words.len());
        words.sort_by_key(|(.., count)| *count);
        let absent = words.iter().filter(|(.., count)| *count == 0).count();
        for k in absent.max(1)..=most {
            let dropped: Vec<String> = words[..k].iter().map(|(f, ..)| f.clone()).collect();
            let mut partial = parsed.without(&dropped);
            partial.expand(synonyms);
            let page = self.page(&partial)?;
            if page.total > 0 {
                let typed = words[..k].iter().map(|(_, t, _)| t.clone()).collect();
                return Ok(Some((partial, typed, page)));
            }
        }
        Ok(None)
    }
}

/// Whether the folded title begins with the prefix words (last one as a
/// prefix).
fn starts_with_words(title: &str, words: &[(usize, String)]) -> bool {
    let title: Vec<String> = analysis::tokens(title, View::Folded)
        .into_iter()
        .map(|t| t.text)
        .collect();
    words.iter().enumerate().all(|(i, (_, word))| match title.get(i) {
        Some(t) if i + 1 == words.len() => t.starts_with(word.as_str()),
        Some(t) => t == word,
        None => false,
    })
}

fn per_page(q: &Query) -> usize {
    q.per_page.clamp(1, MAX_PER_PAGE)
}

/// Results skipped before the page asked for.
fn offset(q: &Query) -> usize {
    q.page
        .max(1)
        .saturating_sub(1)
        .saturating_mul(per_page(q))
        .min(MAX_OFFSET)
}

/// How many results must be ranked to show the page asked for.
fn end_of_page(q: &Query) -> usize {
    offset(q) + per_page(q)
}

/// Counts by kind, year and the sections right below `section_root`.
fn facet_counter(section_root: &Facet) -> FacetCounter {
    FacetCounter {
        section_root: section_root
            .to_path()
            .into_iter()
            .filter(|code| !code.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

fn add_views(d: &mut TantivyDocument, views: Views, text: &str, english: bool) {
    if text.trim().is_empty() {
        return;
    }
    d.add_text(views.exact, text);
    d.add_text(views.folded, text);
    d.add_text(views.pairs, text);
    if english {
        d.add_text(views.stem, text);
    }
}

/// A path step: trimmed, without the NUL byte tantivy uses as facet
/// separator nor the one of [`PATH_SEPARATOR`].
fn clean_segment(s: &str) -> String {
    s.trim().replace(['\0', PATH_SEPARATOR], "")
}

fn clean_path(path: &[String]) -> Vec<String> {
    path.iter()
        .map(|s| clean_segment(s))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Files tantivy writes in an index directory: `meta.json`,
/// `.managed.json` and segment files named by a 32-hex-digit id.
fn is_index_file(name: &str) -> bool {
    if name == META_FILE || name == ".managed.json" {
        return true;
    }
    name.split_once('.')
        .is_some_and(|(id, _)| id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The first entry of `dir` that is not hidden (lock files, `.managed.json`
/// and the like are hidden), if any.
fn foreign_entry(dir: &Path) -> Result<Option<String>, IndexError> {
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            return Ok(Some(name));
        }
    }
    Ok(None)
}

fn corrupt(dir: &Path, reason: &str) -> IndexError {
    IndexError::Corrupt {
        path: dir.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Runs an engine call that reads the index files. Tantivy panics instead
/// of failing on some damage (a segment file shorter than its footer, for
/// one), so a panic here is reported as corruption rather than taking the
/// server down at start-up.
fn guarded<T>(dir: &Path, f: impl FnOnce() -> tantivy::Result<T>) -> Result<T, IndexError> {
    match std::panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result.map_err(|e| open_error(dir, e)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(corrupt(dir, &format!("the engine failed reading it: {message}")))
        }
    }
}

/// Classifies an error met while opening: anything but a held lock or a
/// permission problem means the directory's content is unusable.
fn open_error(dir: &Path, error: tantivy::TantivyError) -> IndexError {
    use tantivy::TantivyError as E;
    match error {
        E::LockFailure(..) => IndexError::Locked {
            path: dir.to_path_buf(),
        },
        E::IoError(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            IndexError::Io(std::io::Error::new(io.kind(), io.to_string()))
        }
        other => corrupt(dir, &other.to_string()),
    }
}
