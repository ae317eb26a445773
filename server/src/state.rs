//! What every request handler shares.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Config;

/// Shared application state; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: DatabaseConnection,
    pub config: Config,
    /// Editor page templates (built in, or the operator's overrides).
    pub editor_views: crate::templates::Templates,
    /// The upload pipeline and the files of uploaded media.
    pub media: content::media::Pipeline,
    /// Public page templates (built in, or the operator's overrides).
    pub public_views: crate::templates::Templates,
    /// Rendered public pages, emptied when the change log moves.
    pub pages: crate::public::cache::PageCache,
    /// What the public sees, kept in memory and fed from the change log.
    pub catalog: crate::catalog::Catalog,
    /// Mail to askers, written to `data/outbox/`.
    pub outbox: crate::mail::Outbox,
    /// Questions asked per client address (`qa_rate_limit_per_hour`).
    pub ask_limit: crate::limits::PerHour,
    /// Wrong tracking-code guesses per client address.
    pub track_limit: crate::limits::PerHour,
    /// This node's search index replica and the query log.
    pub search: crate::search::Search,
    /// Downloads of public documents not yet written.
    pub downloads: crate::tally::Tally<i32>,
    /// When this node last looked at the day's backup.
    pub backup_tried: std::sync::Mutex<Option<std::time::Instant>>,
    /// The most-read posts per edition, recomputed once a minute at most
    /// (the home page needs them on every render).
    pub most_read: moka::sync::Cache<content::lang::Lang, std::sync::Arc<Vec<i32>>>,
    /// What `/metrics` reports.
    pub metrics: crate::metrics::Metrics,
    /// Views of published pages not yet written.
    pub views: crate::tally::Tally<crate::tally::View>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config) -> Self {
        let media = content::media::Pipeline::new(
            content::media::Store::new(config.data_dir.join("media")),
            content::media::Limits::default(),
        );
        let config_templates = config.templates_dir.clone();
        let cache_entries = config.page_cache_entries;
        AppState(Arc::new(Inner {
            outbox: crate::mail::Outbox::new(config.data_dir.join("outbox"), config.mail_from.clone()),
            ask_limit: crate::limits::PerHour::new(config.qa_rate_limit_per_hour),
            track_limit: crate::limits::PerHour::new(20),
            search: crate::search::Search::new(config.search_dir.clone()),
            downloads: Default::default(),
            views: Default::default(),
            metrics: Default::default(),
            most_read: moka::sync::Cache::builder()
                .time_to_live(std::time::Duration::from_secs(60))
                .build(),
            backup_tried: Default::default(),
            db,
            config,
            editor_views: crate::templates::Templates::new(
                editor_ui::TEMPLATES,
                config_templates.as_deref().map(|d| d.join("editor")).as_deref(),
            ),
            media,
            public_views: crate::templates::Templates::new(
                crate::public::views::TEMPLATES,
                config_templates.as_deref(),
            ),
            pages: crate::public::cache::PageCache::new(cache_entries),
            catalog: crate::catalog::Catalog::new(),
        }))
    }
}

impl AppState {
    /// Called after this node changed what the public sees: the catalogue
    /// and the page cache catch up at once here (other nodes within their
    /// poll interval).
    pub async fn public_changed(&self) {
        if let Err(e) = self.catalog.refresh(&self.db).await {
            tracing::warn!(error = %e, "cannot refresh the public catalogue");
        }
        self.search.follow_dictionary(&self.catalog);
        self.pages.invalidate_all();
        self.search.changed();
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}
