//! The in-process cache of rendered public pages. Any change the public can
//! see appends to the change log; every node follows it (through the
//! catalogue's [`content::changelog::Follower`], ten times a second) and
//! empties its cache when an entry arrives, so a publish, update or
//! unpublish shows on the next request everywhere.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use moka::sync::Cache;

/// A rendered page with its validators.
#[derive(Clone, Debug)]
pub struct Page {
    pub status: u16,
    pub content_type: &'static str,
    pub body: bytes::Bytes,
    pub etag: String,
    pub last_modified: DateTime<Utc>,
    /// The published item the page shows, counted as a view each time the
    /// page is sent (from the cache or not).
    pub viewed: Option<(content::views::Viewed, i32)>,
}

impl Page {
    pub fn new(status: u16, content_type: &'static str, body: String, last_modified: DateTime<Utc>) -> Self {
        use sha2::{Digest, Sha256};
        let etag = format!("\"{}\"", &hex::encode(Sha256::digest(body.as_bytes()))[..20]);
        Page {
            status,
            content_type,
            body: bytes::Bytes::from(body),
            etag,
            last_modified,
            viewed: None,
        }
    }

    /// Marks the page as showing a published item.
    pub fn viewing(mut self, kind: content::views::Viewed, id: i32) -> Self {
        self.viewed = Some((kind, id));
        self
    }
}

/// How long a page stays cached without a change: what moves without
/// one (the most-read block) is at most this old.
const LIVES_AT_MOST: Duration = Duration::from_secs(300);

pub struct PageCache {
    pages: Option<Cache<String, Arc<Page>>>,
    /// Bumped by every invalidation: a page rendered before one is not
    /// stored after it.
    epoch: AtomicU64,
}

impl PageCache {
    /// A cache of at most `entries` pages; 0 disables it.
    pub fn new(entries: u64) -> Self {
        let pages = (entries > 0).then(|| {
            Cache::builder()
                .max_capacity(entries)
                .time_to_live(LIVES_AT_MOST)
                .build()
        });
        PageCache {
            pages,
            epoch: AtomicU64::new(0),
        }
    }

    pub fn get(&self, key: &str) -> Option<Arc<Page>> {
        self.pages.as_ref()?.get(key)
    }

    /// The current epoch; read it before rendering a page to [`put`](Self::put).
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Stores a page rendered during `epoch`, unless the cache was emptied
    /// since (the page may show what is no longer public).
    pub fn put(&self, key: String, page: Arc<Page>, epoch: u64) {
        if let Some(p) = &self.pages
            && self.epoch() == epoch
        {
            p.insert(key, page);
        }
    }

    pub fn invalidate_all(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        if let Some(p) = &self.pages {
            p.invalidate_all();
        }
    }
}

/// Follows the change log for this node's catalogue and page cache.
pub async fn watch(state: crate::state::AppState) {
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match state.catalog.refresh(&state.db).await {
            Ok(true) => {
                state.search.follow_dictionary(&state.catalog);
                state.pages.invalidate_all();
            }
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(error = %e, "cannot follow the change log; emptying the page cache");
                state.pages.invalidate_all();
            }
        }
    }
}
