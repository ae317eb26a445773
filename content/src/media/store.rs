//! Where originals and derivatives live under the data directory.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Where originals and derivatives live under the data directory. Both
/// can be re-derived: originals are the source of truth.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Store { root: root.into() }
    }

    pub fn original(&self, sha: &str) -> PathBuf {
        self.root.join("originals").join(&sha[..2]).join(sha)
    }

    pub fn derivative(&self, sha: &str, width: u32, ext: &str) -> PathBuf {
        self.root
            .join("derived")
            .join(&sha[..2])
            .join(format!("{sha}-{width}.{ext}"))
    }

    /// Writes a file atomically (temporary file, fsync, rename), so a crash
    /// never leaves half a file under the final name.
    pub(super) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("tmp{}", crate::accounts::random_token(4)));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    }
}
