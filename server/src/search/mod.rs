//! Site search as the server runs it: this node's index replica (kept
//! current from the change log by [`indexer`]), the queries of the API and
//! the public pages, and the query log for the annual report.
//!
//! The index itself — Vietnamese analysis, ranking, snippets — lives in the
//! `search-index` crate, which knows nothing of HTTP or the database.

pub mod attachments;
pub mod documents;
pub mod indexer;
pub mod query_log;

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use search_index::{IndexError, Query, Results, SearchIndex, Suggestion};
use tokio::sync::{Notify, Semaphore};

pub use query_log::QueryLog;

/// This node's search: the index in service (none while it is first built)
/// and the query log.
pub struct Search {
    root: PathBuf,
    active: RwLock<Option<Arc<SearchIndex>>>,
    wake: Notify,
    /// One permit per core for queries the cache cannot answer: beyond
    /// that they would only share the CPU, each taking longer; waiting in
    /// line (first come, first served) keeps the slowest answer short.
    engine: Semaphore,
    pub log: QueryLog,
    /// The dictionary in force, with the catalogue's settings version it
    /// was built from (see [`Search::follow_dictionary`]).
    dictionary: RwLock<Option<(u64, search_index::Synonyms)>>,
}

/// Why a search cannot be answered.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index is being built (first start, or rebuilt after damage).
    #[error("the search index is being built; try again in a minute")]
    NotReady,
    #[error(transparent)]
    Index(#[from] search_index::IndexError),
}

/// Results with the time the engine took.
pub struct Answer {
    pub results: Results,
    pub took_ms: u64,
}

impl Search {
    pub fn new(root: PathBuf) -> Self {
        Search {
            root,
            active: RwLock::new(None),
            wake: Notify::new(),
            engine: Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
            log: QueryLog::default(),
            dictionary: RwLock::new(None),
        }
    }

    /// The directory holding this node's index generations.
    pub fn root(&self) -> &std::path::Path {
        &self.root
    }

    /// The index in service, if ready.
    pub fn index(&self) -> Option<Arc<SearchIndex>> {
        self.active.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts an index into service; searches already running finish on the
    /// one they started with.
    fn install(&self, index: Option<Arc<SearchIndex>>) {
        if let (Some(index), Some((_, synonyms))) = (
            &index,
            self.dictionary.read().unwrap_or_else(|e| e.into_inner()).as_ref(),
        ) {
            index.set_synonyms(synonyms.clone());
        }
        *self.active.write().unwrap_or_else(|e| e.into_inner()) = index;
    }

    /// Puts the catalogue's search dictionary into force when it changed
    /// (an administrator saved it, on this node or another): queries use
    /// it from the next one on, without re-indexing.
    pub fn follow_dictionary(&self, catalog: &crate::catalog::Catalog) {
        let (text, version) = catalog.synonyms();
        let current = self
            .dictionary
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|(v, _)| *v);
        if current == Some(version) {
            return;
        }
        let synonyms = dictionary_of(text.as_deref());
        if let Some(index) = self.index() {
            index.set_synonyms(synonyms.clone());
        }
        *self.dictionary.write().unwrap_or_else(|e| e.into_inner()) = Some((version, synonyms));
    }

    /// Tells the indexer that the change log moved on this node, so it does
    /// not wait for its next poll.
    pub fn changed(&self) {
        self.wake.notify_one();
    }

    /// Runs a query and logs it (normalised text, result count and time;
    /// nothing about who asked). A query not in the index's cache runs on
    /// the blocking pool, so that its milliseconds of CPU do not hold up
    /// the requests sharing its async worker.
    pub async fn query(&self, q: &Query) -> Result<Answer, SearchError> {
        let index = self.index().ok_or(SearchError::NotReady)?;
        let start = Instant::now();
        let results = match index.cached(q) {
            Some(results) => results,
            None => {
                let _turn = self.engine.acquire().await.map_err(|_| SearchError::NotReady)?;
                let q = q.clone();
                blocking(move || index.search(&q)).await?
            }
        };
        let took_ms = start.elapsed().as_millis() as u64;
        let edition = q.edition.as_deref().unwrap_or("");
        self.log.record(edition, &q.text, results.total, took_ms);
        Ok(Answer { results, took_ms })
    }

    /// Titles for the search box, found on the blocking pool.
    pub async fn suggest(
        &self,
        prefix: &str,
        edition: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let index = self.index().ok_or(SearchError::NotReady)?;
        let _turn = self.engine.acquire().await.map_err(|_| SearchError::NotReady)?;
        let (prefix, edition) = (prefix.to_owned(), edition.map(str::to_owned));
        Ok(blocking(move || index.suggest(&prefix, edition.as_deref(), limit)).await?)
    }
}

/// The dictionary a stored text describes; the sector's abbreviations
/// until an administrator saves one. A stored text was checked when saved;
/// should it no longer read, the sector's list applies and the log says so.
fn dictionary_of(stored: Option<&str>) -> search_index::Synonyms {
    let Some(text) = stored else {
        return search_index::Synonyms::sector();
    };
    match content::site::synonyms::parse(text)
        .map_err(|e| e.to_string())
        .and_then(|groups| build(&groups).map_err(|e| e.to_string()))
    {
        Ok(synonyms) => synonyms,
        Err(e) => {
            tracing::warn!(error = %e, "the stored search dictionary does not read; using the sector's abbreviations");
            search_index::Synonyms::sector()
        }
    }
}

fn build(
    groups: &[content::site::synonyms::Group],
) -> Result<search_index::Synonyms, search_index::SynonymError> {
    search_index::Synonyms::parse(groups.iter().map(|g| (g.term.as_str(), g.alternatives.iter())))
}

/// Checks a dictionary an administrator typed: the form's rules, then the
/// engine's (a group grown too large by entries sharing a form…), each
/// error naming the line.
pub fn check_dictionary(text: &str) -> Result<(), content::Error> {
    let groups = content::site::synonyms::parse(text)?;
    build(&groups).map(|_| ()).map_err(|e| {
        let line = groups.get(e.line.saturating_sub(1)).map_or(e.line, |g| g.line);
        content::Error::invalid_in(
            "synonyms",
            format!("line {line}: {}", e.message),
            format!(
                "Dòng {line}: nhóm này không dùng được cho tìm kiếm (quá dài hoặc gộp quá nhiều cách viết)."
            ),
        )
    })
}

/// The dictionary's text as the settings screen shows it: the stored one,
/// or the sector's abbreviations until one is saved.
pub fn dictionary_text(catalog: &crate::catalog::Catalog) -> String {
    match catalog.synonyms().0 {
        Some(text) => text.to_string(),
        None => {
            let groups: Vec<content::site::synonyms::Group> = search_index::Synonyms::sector()
                .entries()
                .iter()
                .map(|(term, alternatives)| content::site::synonyms::Group {
                    term: term.clone(),
                    alternatives: alternatives.clone(),
                    line: 0,
                })
                .collect();
            content::site::synonyms::to_text(&groups)
        }
    }
}

/// Runs index work on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, IndexError> + Send + 'static,
) -> Result<T, IndexError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result,
        Err(e) => Err(IndexError::Io(std::io::Error::other(e.to_string()))),
    }
}

/// A search request as received (API query string or public form), all
/// text, before checking.
#[derive(Debug, Default, Clone)]
pub struct Params {
    pub q: Option<String>,
    pub edition: Option<String>,
    pub kind: Option<String>,
    pub section: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl Params {
    /// Sets the parameter named `name` (as in the API's query string);
    /// false for a name that is not one.
    pub fn set(&mut self, name: &str, value: String) -> bool {
        let slot = match name {
            "q" => &mut self.q,
            "edition" => &mut self.edition,
            "kind" => &mut self.kind,
            "section" => &mut self.section,
            "from" => &mut self.from,
            "to" => &mut self.to,
            "sort" => &mut self.sort,
            "page" => &mut self.page,
            "per_page" => &mut self.per_page,
            _ => return false,
        };
        *slot = Some(value);
        true
    }
}

/// A parameter that cannot be used, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: &'static str,
}

/// Longest query text accepted.
pub const MAX_QUERY_CHARS: usize = 500;
/// Deepest page a client can ask for.
pub const MAX_PAGE: usize = 1000;

fn invalid(field: &'static str, message: &'static str) -> Invalid {
    Invalid { field, message }
}

impl Params {
    /// Checks the parameters and makes the engine's query. Empty values
    /// count as absent, as a browser sends them.
    pub fn to_query(&self) -> Result<Query, Invalid> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let text = given(&self.q).unwrap_or_default();
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(invalid("q", "must be at most 500 characters"));
        }
        let edition = given(&self.edition);
        if edition.as_deref().is_some_and(|e| e != "vi" && e != "en") {
            return Err(invalid("edition", "must be vi or en"));
        }
        let code = |v: &Option<String>, field: &'static str| -> Result<Option<String>, Invalid> {
            match given(v) {
                Some(s)
                    if s.len() > 64
                        || !s
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
                {
                    Err(invalid(field, "must be a code of letters, digits, '-' and '_'"))
                }
                other => Ok(other),
            }
        };
        let kind = code(&self.kind, "kind")?;
        let section = code(&self.section, "section")?;
        let date = |v: &Option<String>, field: &'static str| -> Result<Option<chrono::NaiveDate>, Invalid> {
            given(v)
                .map(|s| {
                    chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                        .or_else(|_| chrono::NaiveDate::parse_from_str(&s, "%d/%m/%Y"))
                        .map_err(|_| invalid(field, "must be a date YYYY-MM-DD (or dd/mm/yyyy)"))
                })
                .transpose()
        };
        let from = date(&self.from, "from")?;
        let to = date(&self.to, "to")?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(invalid("to", "must not be before from"));
        }
        let sort = match given(&self.sort).as_deref() {
            None | Some("relevance") => search_index::Sort::Relevance,
            Some("date") => search_index::Sort::Date,
            Some(_) => return Err(invalid("sort", "must be relevance or date")),
        };
        let number =
            |v: &Option<String>, field: &'static str, default: usize, max: usize, message| match given(v) {
                None => Ok(default),
                Some(s) => s
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or(invalid(field, message)),
            };
        let page = number(&self.page, "page", 1, MAX_PAGE, "must be a number from 1 to 1000")?;
        let per_page = number(
            &self.per_page,
            "per_page",
            10,
            search_index::MAX_PER_PAGE,
            "must be a number from 1 to 100",
        )?;
        Ok(Query {
            text,
            edition,
            kind,
            section,
            from,
            to,
            sort,
            page,
            per_page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        let mut p = Params::default();
        for (k, v) in pairs {
            assert!(p.set(k, v.to_string()), "{k} is a parameter");
        }
        p
    }

    #[test]
    fn parameters_become_a_query() {
        let q = params(&[
            ("q", " bảo hiểm "),
            ("edition", "vi"),
            ("section", "vi-06"),
            ("from", "2024-01-01"),
            ("sort", "date"),
            ("page", "2"),
            ("per_page", ""),
        ])
        .to_query()
        .expect("valid");
        assert_eq!(q.text, "bảo hiểm");
        assert_eq!(q.section.as_deref(), Some("vi-06"));
        assert_eq!(q.sort, search_index::Sort::Date);
        assert_eq!((q.page, q.per_page), (2, 10));
    }

    #[test]
    fn bad_parameters_name_the_field() {
        let field = |pairs: &[(&str, &str)]| params(pairs).to_query().err().map(|e| e.field);
        assert_eq!(field(&[("edition", "fr")]), Some("edition"));
        assert_eq!(field(&[("from", "2024-13-01")]), Some("from"));
        assert_eq!(field(&[("from", "2024-02-01"), ("to", "2024-01-01")]), Some("to"));
        assert_eq!(field(&[("sort", "best")]), Some("sort"));
        assert_eq!(field(&[("page", "0")]), Some("page"));
        assert_eq!(field(&[("per_page", "1000")]), Some("per_page"));
        assert_eq!(field(&[("section", "vi 06<")]), Some("section"));
        assert_eq!(field(&[("q", &"x".repeat(501))]), Some("q"));
    }
}
