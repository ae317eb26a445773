use std::collections::HashMap;

use chrono::NaiveDate;
use content::lang::Lang;
use content::roles::Role;
use content::time::rfc3339_vn;
use poem::Request;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::Tag;
use super::types::{Choice, Day};
use crate::auth::{require, require_role};
use crate::problem::ApiError;
use crate::search::query_log::Period;
use crate::search::{Params, SearchError};
use crate::state::AppState;

pub struct SearchApi(pub AppState);

/// One page of search results.
#[derive(Object)]
struct SearchResults {
    /// Matching documents over all pages.
    total: u64,
    page: u64,
    per_page: u64,
    hits: Vec<HitView>,
    facets: FacetsView,
    /// True when nothing matched as typed and these hits come from the typo
    /// rescue (one edit in words of four letters or more).
    fuzzy: bool,
    /// The query with the rescued words corrected, when `fuzzy`: what the
    /// page says it shows results for.
    #[oai(nullable)]
    corrected: Option<String>,
    /// Words left out, as typed, when all the words together matched
    /// nothing and these are the best matches for the others.
    left_out: Vec<String>,
    /// Time the engine took, in milliseconds.
    took_ms: u64,
}

#[derive(Object)]
struct HitView {
    /// Stable id, e.g. `post:42` or `qa:7`.
    id: String,
    /// `article`, `legal_document`, `qa`, … (an open set).
    kind: String,
    edition: String,
    title: String,
    /// The title, HTML-escaped, matched words in `<mark>`.
    title_html: String,
    url: String,
    /// About thirty words around the matches, HTML-escaped, matched words
    /// in `<mark>` with their original diacritics.
    snippet: String,
    /// The attached file (PDF, DOCX, ODT) the snippet comes from, when the
    /// words were found inside it.
    #[oai(nullable)]
    attachment: Option<String>,
    /// Code of the section the document is in.
    section: String,
    #[oai(nullable)]
    section_name: Option<String>,
    /// RFC 3339, Vietnam time.
    published_at: String,
}

#[derive(Object)]
struct FacetsView {
    kind: Vec<FacetCount>,
    /// Top-level sections, or the sub-sections of the section filtered on.
    section: Vec<FacetCount>,
    /// Years of publication, newest first.
    year: Vec<FacetCount>,
}

#[derive(Object)]
struct FacetCount {
    value: String,
    #[oai(nullable)]
    label: Option<String>,
    count: u64,
}

#[derive(Object)]
struct SuggestionView {
    id: String,
    title: String,
    url: String,
    kind: String,
}

#[derive(Object)]
struct Suggestions {
    suggestions: Vec<SuggestionView>,
}

#[derive(Object)]
struct QueryCount {
    /// The query, normalised (lower case, NFC, canonical tone marks).
    query: String,
    count: i64,
    /// The most results one of its searches found.
    results: i64,
}

/// What was searched in a period; no personal data is ever logged.
#[derive(Object)]
struct QueryReport {
    from: NaiveDate,
    to: NaiveDate,
    searches: i64,
    zero_result_searches: i64,
    top: Vec<QueryCount>,
    top_zero: Vec<QueryCount>,
}

fn search_error(e: SearchError) -> ApiError {
    match e {
        SearchError::NotReady => ApiError::unavailable(e.to_string()),
        SearchError::Index(e) => {
            tracing::error!(error = %e, "search failed");
            ApiError::internal()
        }
    }
}

fn counts<T: ToString>(list: &[(T, u64)], names: Option<&HashMap<String, String>>) -> Vec<FacetCount> {
    list.iter()
        .map(|(value, count)| {
            let value = value.to_string();
            FacetCount {
                label: names.and_then(|n| n.get(&value).cloned()),
                value,
                count: *count,
            }
        })
        .collect()
}

/// `relevance` (the default) or `date`, newest first.
#[derive(poem_openapi::Enum, Clone, Copy)]
#[oai(rename_all = "lowercase")]
enum Sort {
    Relevance,
    Date,
}

impl Sort {
    fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Date => "date",
        }
    }
}

#[OpenApi(tag = "Tag::Search")]
impl SearchApi {
    /// Full-text search of everything public. Vietnamese queries match with
    /// or without diacritics (typed marks rank the exact spelling first);
    /// `"quoted phrases"` and `-excluded` words work; English is stemmed.
    /// Answers 503 while the index is first built.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/search", method = "get")]
    async fn search(
        &self,
        #[oai(validator(max_length = 500))] q: Query<Option<String>>,
        edition: Query<Option<Choice<Lang>>>,
        /// `article`, `legal_document`, `qa`, …
        #[oai(validator(pattern = r"^[A-Za-z0-9_-]{0,64}$"))]
        kind: Query<Option<String>>,
        /// A section code; its sub-sections are included.
        #[oai(validator(pattern = r"^[A-Za-z0-9_-]{0,64}$"))]
        section: Query<Option<String>>,
        /// First day (Vietnam time).
        from: Query<Option<Day>>,
        /// Last day (Vietnam time), not before `from`.
        to: Query<Option<Day>>,
        sort: Query<Option<Sort>>,
        /// 1 to 1000 (default 1).
        #[oai(validator(minimum(value = "1"), maximum(value = "1000")))]
        page: Query<Option<u32>>,
        /// 1 to 100 (default 10).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        per_page: Query<Option<u32>>,
    ) -> Result<Json<SearchResults>, ApiError> {
        let params = Params {
            q: q.0,
            edition: edition
                .0
                .map(|e| e.get("edition"))
                .transpose()?
                .map(|e| e.as_str().to_owned()),
            kind: kind.0,
            section: section.0,
            from: from.0.map(|d| d.0.to_string()),
            to: to.0.map(|d| d.0.to_string()),
            sort: sort.0.map(|s| s.as_str().to_owned()),
            page: page.0.map(|n| n.to_string()),
            per_page: per_page.0.map(|n| n.to_string()),
        };
        let query = params
            .to_query()
            .map_err(|e| ApiError::validation(e.field, e.message))?;
        let answer = self.0.search.query(&query).await.map_err(search_error)?;
        let names = self.0.catalog.section_names();
        let r = answer.results;
        Ok(Json(SearchResults {
            total: r.total as u64,
            page: query.page as u64,
            per_page: query.per_page as u64,
            hits: r
                .hits
                .into_iter()
                .map(|h| HitView {
                    section_name: names.get(&h.section).cloned(),
                    id: h.id,
                    kind: h.kind,
                    edition: h.edition,
                    title: h.title,
                    title_html: h.title_html,
                    url: h.url,
                    snippet: h.snippet,
                    attachment: h.attachment,
                    section: h.section,
                    published_at: rfc3339_vn(h.published_at),
                })
                .collect(),
            facets: FacetsView {
                kind: counts(&r.facets.kind, None),
                section: counts(&r.facets.section, Some(&names)),
                year: counts(&r.facets.year, None),
            },
            fuzzy: r.fuzzy,
            corrected: r.corrected,
            left_out: r.left_out,
            took_ms: answer.took_ms,
        }))
    }

    /// Titles starting with what is typed, for a search box (the last word
    /// may be incomplete; diacritics optional).
    #[oai(path = "/search/suggest", method = "get")]
    async fn suggest(
        &self,
        #[oai(validator(max_length = 200))] q: Query<Option<String>>,
        edition: Query<Option<Choice<Lang>>>,
        /// 1 to 20 (default 8).
        #[oai(validator(minimum(value = "1"), maximum(value = "20")))]
        limit: Query<Option<usize>>,
    ) -> Result<Json<Suggestions>, ApiError> {
        let text = q.0.unwrap_or_default();
        let edition = edition
            .0
            .map(|e| e.get("edition"))
            .transpose()?
            .map(|e| e.as_str());
        let limit = limit.0.unwrap_or(8);
        let found = self
            .0
            .search
            .suggest(&text, edition, limit)
            .await
            .map_err(search_error)?;
        Ok(Json(Suggestions {
            suggestions: found
                .into_iter()
                .map(|s| SuggestionView {
                    id: s.id,
                    title: s.title,
                    url: s.url,
                    kind: s.kind,
                })
                .collect(),
        }))
    }

    /// The query log for the annual report (admins): top queries and top
    /// queries that found nothing, between two days (Vietnam time, both
    /// included; default the last 30 days).
    #[oai(path = "/search/queries", method = "get")]
    async fn queries(
        &self,
        req: &Request,
        from: Query<Option<Day>>,
        /// Not before `from`.
        to: Query<Option<Day>>,
        /// Rows per list, 1 to 200 (default 20).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
    ) -> Result<Json<QueryReport>, ApiError> {
        let caller = require(&self.0, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let day = |d: Option<Day>| d.map(|d| d.0.to_string());
        let report = query_report(&self.0, day(from.0), day(to.0), limit.0).await?;
        Ok(Json(report))
    }
}

async fn query_report(
    state: &AppState,
    from: Option<String>,
    to: Option<String>,
    limit: Option<u64>,
) -> Result<QueryReport, ApiError> {
    let period = Period::parse(from.as_deref(), to.as_deref())
        .map_err(|e| ApiError::validation(e.field, e.message))?;
    let limit = limit.unwrap_or(20);
    let (start, end) = period.bounds();
    let r = content::search_log::report(&state.db, start, end, limit).await?;
    let rows = |list: Vec<content::search_log::Counted>| {
        list.into_iter()
            .map(|c| QueryCount {
                query: c.query,
                count: c.count,
                results: c.results,
            })
            .collect()
    };
    Ok(QueryReport {
        from: period.from,
        to: period.to,
        searches: r.searches,
        zero_result_searches: r.zero_result_searches,
        top: rows(r.top),
        top_zero: rows(r.top_zero),
    })
}
