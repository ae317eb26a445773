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
    pub views: editor_ui::Views,
    /// Originals and derivatives of uploaded media.
    pub media: content::media::Store,
    pub media_limits: content::media::Limits,
    /// Public page templates (built in, or the operator's overrides).
    pub public_views: crate::public::views::PublicViews,
    /// Rendered public pages, emptied when the change log moves.
    pub pages: crate::public::cache::PageCache,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config) -> Self {
        let media = content::media::Store::new(config.data_dir.join("media"));
        let config_templates = config.templates_dir.clone();
        let cache_entries = config.page_cache_entries;
        AppState(Arc::new(Inner {
            db,
            config,
            views: editor_ui::Views::new(),
            media,
            media_limits: content::media::Limits::default(),
            public_views: crate::public::views::PublicViews::new(config_templates.as_deref()),
            pages: crate::public::cache::PageCache::new(cache_entries),
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}
