//! The index schema: one field per text *view* (see [`crate::analysis`]),
//! plus the filter, facet and sort fields.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::{analysis, facet_count};

/// The four fields holding the views of one text (title, summary, …).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Views {
    /// Diacritics kept; also stores the original text for display and
    /// highlighting.
    pub exact: Field,
    pub folded: Field,
    pub pairs: Field,
    /// Filled only for English documents.
    pub stem: Field,
}

/// Handles of every field, resolved once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// Stable id such as `post:42`, indexed untokenised: the key for
    /// replacing and deleting.
    pub id: Field,
    pub kind: Field,
    pub edition: Field,
    /// Hierarchical facet of the section path, stored (to show the leaf).
    pub section: Field,
    /// Every section code on the path, untokenised, so that filtering by a
    /// section also finds its sub-sections without knowing the full path.
    pub section_codes: Field,
    /// Year of publication in Vietnam, a fast field for the counts.
    pub year: Field,
    /// Section codes from the root, a fast field for the counts (see
    /// [`crate::facet_count`]).
    pub section_path: Field,
    pub published_at: Field,
    pub url: Field,
    /// The title; suggestions match it alone, and it scores more.
    pub title: Views,
    /// Title, summary, body and tags, one value each: every word of the
    /// document, so that the folded (or stemmed) view alone decides whether
    /// a document matches. Two fields rather than five keep the number of
    /// posting lists a query walks small.
    pub text: Views,
    /// The summary and body as written, stored for snippets.
    pub summary: Field,
    pub body: Field,
}

/// Name of the fast date field used to sort by date.
pub(crate) const PUBLISHED_AT: &str = "published_at";

/// An untokenised field (ids, kinds, codes) whose postings carry term
/// frequencies: a filter on it can then join the block-max intersection
/// of the text terms (see `SearchIndex::candidates`).
fn keyword(stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    if stored { options.set_stored() } else { options }
}

fn text_options(tokenizer: &str, positions: bool, stored: bool) -> TextOptions {
    let record = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    );
    if stored { options.set_stored() } else { options }
}

/// Builds the schema and the field handles. Deterministic: an index on
/// disk whose schema differs was built by another version of this crate.
pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let kind = b.add_text_field(facet_count::KIND, keyword(true).set_fast("raw"));
    let edition = b.add_text_field("edition", keyword(true));
    let section = b.add_facet_field("section", FacetOptions::default().set_stored());
    let section_codes = b.add_text_field("section_codes", keyword(false));
    let year = b.add_u64_field(facet_count::YEAR, FAST);
    let section_path = b.add_text_field(facet_count::SECTION_PATH, TextOptions::default().set_fast("raw"));
    let published_at = b.add_date_field(
        PUBLISHED_AT,
        DateOptions::default()
            .set_indexed()
            .set_fast()
            .set_stored()
            .set_precision(DateTimePrecision::Seconds),
    );
    let url = b.add_text_field("url", STORED);
    let mut views = |name: &str, stored: bool| Views {
        exact: b.add_text_field(name, text_options(analysis::EXACT, true, stored)),
        folded: b.add_text_field(
            &format!("{name}_folded"),
            text_options(analysis::FOLDED, true, false),
        ),
        pairs: b.add_text_field(
            &format!("{name}_pairs"),
            text_options(analysis::PAIRS, false, false),
        ),
        stem: b.add_text_field(
            &format!("{name}_en_stem"),
            text_options(analysis::EN_STEM, true, false),
        ),
    };
    let title = views("title", true);
    let text = views("text", false);
    let summary = b.add_text_field("summary", STORED);
    let body = b.add_text_field("body", STORED);
    let fields = Fields {
        id,
        kind,
        edition,
        section,
        section_codes,
        year,
        section_path,
        published_at,
        url,
        title,
        text,
        summary,
        body,
    };
    (b.build(), fields)
}
