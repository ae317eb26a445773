//! Counts kept in memory and added to the database every few seconds:
//! downloads of public documents and views of published pages. A reader
//! never waits for a write; what a crash loses is at most one flush
//! interval of counts ([`FLUSH_EVERY`]), a statistic, not an acknowledged
//! write.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::Duration;

/// How often the counts are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(10);

/// Counts per key since the last flush.
pub struct Tally<K> {
    counts: Mutex<HashMap<K, u64>>,
}

impl<K> Default for Tally<K> {
    fn default() -> Self {
        Tally {
            counts: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash + Copy> Tally<K> {
    /// Counts one more for `key`.
    pub fn count(&self, key: K) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        *counts.entry(key).or_default() += 1;
    }

    /// Hands the counts to `write`; keeps them for the next try when it
    /// fails (the database cannot be reached).
    pub async fn flush<F, Fut>(&self, what: &str, write: F)
    where
        F: FnOnce(Vec<(K, u64)>) -> Fut,
        Fut: Future<Output = content::Result<()>>,
    {
        let taken: Vec<(K, u64)> = {
            let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            counts.drain().collect()
        };
        if taken.is_empty() {
            return;
        }
        if let Err(e) = write(taken.clone()).await {
            tracing::warn!(error = %e, "cannot write {what}; keeping them");
            let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            for (key, n) in taken {
                *counts.entry(key).or_default() += n;
            }
        }
    }

    /// How many keys wait for the next flush.
    pub fn pending(&self) -> usize {
        self.counts.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// The page-view key: what was read, and the day (Vietnam time).
pub type View = (content::views::Viewed, i32, chrono::NaiveDate);

/// Writes the buffered downloads and page views.
pub async fn flush_all(state: &crate::state::AppState) {
    let db = &state.db;
    state
        .downloads
        .flush("download counts", |c| async move {
            content::media::add_downloads(db, &c).await
        })
        .await;
    state
        .views
        .flush("page views", |c| async move {
            let lines: Vec<content::views::Count> = c
                .into_iter()
                .map(|((kind, item_id, day), views)| content::views::Count {
                    kind,
                    item_id,
                    day,
                    views,
                })
                .collect();
            content::views::add(db, &lines).await
        })
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_per_key() {
        let d = Tally::default();
        d.count(3);
        d.count(3);
        d.count(4);
        let counts = d.counts.lock().unwrap();
        assert_eq!((counts[&3], counts[&4]), (2, 1));
    }

    #[tokio::test]
    async fn a_failed_write_keeps_the_counts() {
        let d = Tally::default();
        d.count(7);
        d.flush("test counts", |_| async {
            Err(content::Error::NotFound("database"))
        })
        .await;
        d.count(7);
        let mut seen = Vec::new();
        d.flush("test counts", |c| {
            seen = c;
            async { Ok(()) }
        })
        .await;
        assert_eq!(seen, vec![(7, 2)]);
        assert_eq!(d.pending(), 0);
    }
}
