//! The in-process cache of rendered public pages. Any change the public can
//! see appends to the change log; every node polls its head (a one-row
//! query, ten times a second) and empties its cache when it moves, so a
//! publish, update or unpublish shows on the next request everywhere.

use std::sync::Arc;
use std::sync::Mutex;
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
        }
    }
}

pub struct PageCache {
    pages: Option<Cache<String, Arc<Page>>>,
    /// Each edition's sections, read by every page; kept even when the
    /// page cache is off, and emptied with it.
    sections: Cache<&'static str, Arc<Vec<content::entity::section::Model>>>,
    generation: Mutex<Option<(i64, i64)>>,
}

impl PageCache {
    /// A cache of at most `entries` pages; 0 disables it.
    pub fn new(entries: u64) -> Self {
        let pages = (entries > 0).then(|| Cache::builder().max_capacity(entries).build());
        PageCache {
            pages,
            sections: Cache::new(4),
            generation: Mutex::new(None),
        }
    }

    pub fn get(&self, key: &str) -> Option<Arc<Page>> {
        self.pages.as_ref()?.get(key)
    }

    pub fn put(&self, key: String, page: Arc<Page>) {
        if let Some(p) = &self.pages {
            p.insert(key, page);
        }
    }

    pub fn invalidate_all(&self) {
        if let Some(p) = &self.pages {
            p.invalidate_all();
        }
        self.sections.invalidate_all();
    }

    pub fn sections(&self, edition: &'static str) -> Option<Arc<Vec<content::entity::section::Model>>> {
        self.sections.get(&edition)
    }

    pub fn put_sections(&self, edition: &'static str, list: Arc<Vec<content::entity::section::Model>>) {
        self.sections.insert(edition, list);
    }

    /// Empties the cache when the public content's generation moved.
    pub fn observe(&self, generation: (i64, i64)) {
        let mut last = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        if *last != Some(generation) {
            if last.is_some() {
                self.invalidate_all();
            }
            *last = Some(generation);
        }
    }
}

/// Watches the change log for this node's cache.
pub async fn watch(state: crate::state::AppState) {
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = state.catalog.refresh(&state.db).await {
            tracing::warn!(error = %e, "cannot refresh the public catalogue");
        }
        match content::published::generation(&state.db).await {
            Ok(g) => state.pages.observe(g),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the change log; emptying the page cache");
                state.pages.invalidate_all();
            }
        }
    }
}
