//! Download counts of public documents, kept in memory and added to the
//! database every few seconds: a download never waits for a write, and a
//! count lost in a crash is a statistic, not an acknowledged write.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// How often the counts are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(10);

#[derive(Default)]
pub struct Downloads {
    counts: Mutex<HashMap<i32, u64>>,
}

impl Downloads {
    /// Counts one download of item `id`.
    pub fn count(&self, id: i32) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        *counts.entry(id).or_default() += 1;
    }

    /// Adds the counts to the database; kept for the next try when it
    /// cannot be reached.
    pub async fn flush(&self, db: &sea_orm::DatabaseConnection) {
        let taken: Vec<(i32, u64)> = {
            let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            counts.drain().collect()
        };
        if taken.is_empty() {
            return;
        }
        if let Err(e) = content::media::add_downloads(db, &taken).await {
            tracing::warn!(error = %e, "cannot write download counts; keeping them");
            let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            for (id, n) in taken {
                *counts.entry(id).or_default() += n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_add_up_per_item() {
        let d = Downloads::default();
        d.count(3);
        d.count(3);
        d.count(4);
        let counts = d.counts.lock().unwrap();
        assert_eq!((counts[&3], counts[&4]), (2, 1));
    }
}
