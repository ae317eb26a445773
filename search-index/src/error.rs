//! Errors of the search index.

use std::path::PathBuf;

/// What can go wrong with the index.
///
/// The index is derived data: it can always be rebuilt from the database.
/// So the variants that mean "this directory cannot be used as it is"
/// ([`IndexError::Corrupt`], [`IndexError::SchemaMismatch`]) are distinct
/// from passing failures, and [`IndexError::needs_rebuild`] tells the caller
/// to call [`crate::SearchIndex::create_in`] and re-index everything.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The directory holds something that is not a readable index: a
    /// damaged or missing file, garbage, or foreign files without an index.
    #[error("search index at {path} is corrupt or unreadable: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    /// A valid index, but built by a version of this crate with another
    /// schema (fields or analyzers changed).
    #[error("search index at {path} was built with another schema")]
    SchemaMismatch { path: PathBuf },
    /// Another `SearchIndex` (in this process or another) holds the writer
    /// lock on this directory. Only one may write at a time.
    #[error("search index at {path} is locked by another writer")]
    Locked { path: PathBuf },
    /// The document cannot be indexed as given.
    #[error("invalid document: {0}")]
    InvalidDocument(String),
    /// File system failure (permissions, disk full, …).
    #[error("search index i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// Any other failure of the engine.
    #[error("search engine error: {0}")]
    Engine(#[from] tantivy::TantivyError),
}

impl IndexError {
    /// True when the directory must be recreated and everything re-indexed.
    pub fn needs_rebuild(&self) -> bool {
        matches!(
            self,
            IndexError::Corrupt { .. } | IndexError::SchemaMismatch { .. }
        )
    }
}
