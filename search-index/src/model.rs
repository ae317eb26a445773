//! The values exchanged with the caller: what is indexed, what is asked,
//! what comes back. Plain data, serialisable, free of tantivy types so the
//! server never depends on the engine.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};
use serde::{Deserialize, Serialize};

/// One searchable item of the portal (article, legal document, Q&A, …).
///
/// Texts are plain text: the caller strips markup before indexing, since
/// snippets are cut from the stored text and HTML-escaped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id, unique across kinds (e.g. `post:42`, `legal:17`):
    /// indexing a document with an id already present replaces it.
    pub id: String,
    /// `article`, `legal_document`, `qa`, `procedure`, `online_service`, …
    /// An open set: a new kind needs no change here.
    pub kind: String,
    /// `vi` or `en`. English documents also get stemmed views.
    pub edition: String,
    /// Codes of the section and all its ancestors, root first
    /// (e.g. `["vi-06", "vi-06-02"]`): filtering by any of them finds the
    /// document.
    pub section_path: Vec<String>,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub tags: Vec<String>,
    /// Stored and sorted with one-second precision.
    pub published_at: DateTime<Utc>,
    pub url: String,
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first. A query without words always sorts by date.
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// A search as the user asked it.
///
/// `text` is the user's own syntax: plain words (all required), `"quoted
/// phrases"`, and `-word` or `-"phrase"` to exclude. It never fails to
/// parse: stray quotes and dashes are read as well as can be.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    pub text: String,
    pub edition: Option<String>,
    pub kind: Option<String>,
    /// A section code; the section's sub-sections are included.
    pub section: Option<String>,
    /// First day included, a calendar day in Vietnam (UTC+7).
    pub from: Option<NaiveDate>,
    /// Last day included, a calendar day in Vietnam (UTC+7).
    pub to: Option<NaiveDate>,
    pub sort: Sort,
    /// 1-based; 0 is read as 1.
    pub page: usize,
    /// Clamped to 1..=[`MAX_PER_PAGE`].
    pub per_page: usize,
}

/// Largest page the caller can ask for.
pub const MAX_PER_PAGE: usize = 100;

impl Default for Query {
    fn default() -> Self {
        Self {
            text: String::new(),
            edition: None,
            kind: None,
            section: None,
            from: None,
            to: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: 10,
        }
    }
}

impl Query {
    /// A relevance-sorted query for `text`, first page of ten.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }
}

/// One page of results with the counts for refining the search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Number of matching documents, over all pages.
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// True when nothing matched as typed and these hits come from the
    /// typo rescue: some words were read as the indexed words one typo
    /// away ("did you mean" territory for the UI).
    pub fuzzy: bool,
    /// With [`Results::fuzzy`], the query as the rescue read it: the text
    /// typed, each corrected word replaced by its correction (for "showing
    /// results for …").
    #[serde(default)]
    pub corrected: Option<String>,
    /// When all the words together matched nothing, even corrected, the
    /// words left out to find these hits, as typed. Empty otherwise.
    #[serde(default)]
    pub left_out: Vec<String>,
}

/// Counts over all matching documents (not just this page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// `(kind, count)`, most frequent first.
    pub kind: Vec<(String, u64)>,
    /// `(section code, count)` for the top-level sections, or for the
    /// direct sub-sections of the section filtered on; most frequent first.
    pub section: Vec<(String, u64)>,
    /// `(year, count)`, year of publication in Vietnam, newest first.
    pub year: Vec<(i32, u64)>,
}

/// In a document's body, the text of each attached file (a PDF, a DOCX)
/// follows this mark and the file's name on a line of its own, so that a
/// hit inside a file can say which file it is in.
pub const ATTACHMENT: char = '\u{1E}';

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub kind: String,
    pub edition: String,
    /// The original title, unescaped.
    pub title: String,
    /// The title, HTML-escaped, with matched words in `<mark>`.
    pub title_html: String,
    pub url: String,
    /// About thirty words of the summary or body around the best cluster of
    /// matches, HTML-escaped, matches in `<mark>`, original diacritics.
    pub snippet: String,
    /// The name of the attached file the snippet comes from, when the best
    /// match is inside one.
    #[serde(default)]
    pub attachment: Option<String>,
    /// The leaf section code, empty if the document had none.
    pub section: String,
    pub published_at: DateTime<Utc>,
    /// Relevance score; 0 when sorted by date.
    pub score: f32,
}

/// A title proposed while the user types in the search box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub id: String,
    pub title: String,
    pub url: String,
    pub kind: String,
}

/// Vietnam's offset from UTC (no daylight saving), for calendar days and
/// years: an article published at 23:30 on 31 December in Hà Nội belongs to
/// that year, not the next.
pub(crate) fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| Utc.fix())
}
