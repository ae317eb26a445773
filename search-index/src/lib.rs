//! Vietnamese-aware full-text search for the portal.
//!
//! Citizens type on phones, often without diacritics, sometimes with the
//! tone mark on the other vowel ("hoà" / "hòa", "thuỷ" / "thủy"), sometimes
//! in decomposed Unicode. Every text, indexed or queried, first goes
//! through [`normalize`]; [`fold`] gives the diacritic-free view that
//! matches queries typed without marks. On top of that, [`SearchIndex`]
//! keeps a tantivy index with several views of each text (exact, folded,
//! syllable pairs, English stems) and answers [`Query`]s with ranked,
//! highlighted, faceted [`Results`]. A dictionary of [`Synonyms`] (the
//! sector's abbreviations: "BHYT" for "bảo hiểm y tế") widens queries
//! when they are run.
//!
//! The crate knows nothing of HTTP or of the database: the server turns
//! its records into [`Document`]s and its requests into [`Query`]s.

mod analysis;
mod error;
mod facet_count;
mod index;
mod model;
mod query;
mod schema;
mod snippet;
mod synonyms;
mod text;
mod typo;

pub use error::IndexError;
pub use index::{Inspected, SearchIndex};
pub use model::{ATTACHMENT, Document, Facets, Hit, MAX_PER_PAGE, Query, Results, Sort, Suggestion};
pub use synonyms::{MAX_ENTRIES, MAX_WORDS, SECTOR_ABBREVIATIONS, SynonymError, Synonyms};
pub use text::{fold, normalize};
