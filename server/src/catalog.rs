//! This node's in-memory catalogue of what the public sees: each edition's
//! sections, and every live post's listing data (not its body) by edition,
//! section and slug. Lists, feeds, the sitemap and the names in search
//! results are served from it without touching the database; an article
//! page reads only its body. It follows the change log with a
//! [`Follower`] and tells the page cache when anything public changed, so
//! every node converges on the same view within a poll interval, late
//! commits included.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use content::changelog::Follower;
use content::entity::{post, revision, section};
use content::lang::Lang;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

/// Change-log entries applied per step.
const BATCH: u64 = 1000;

/// What lists show of a live post.
#[derive(Clone, Debug)]
pub struct Listing {
    pub id: i32,
    pub edition: Lang,
    pub section_id: i32,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cover_media_id: Option<i32>,
    pub live_revision_id: i32,
    pub translation_group: Option<i32>,
}

#[derive(Default)]
struct Index {
    posts: HashMap<i32, Arc<Listing>>,
    by_slug: HashMap<(Lang, String), i32>,
    /// Post ids newest first.
    by_edition: HashMap<Lang, Vec<i32>>,
    by_section: HashMap<i32, Vec<i32>>,
    /// Post ids by translation group (a group is named by its first post).
    by_group: HashMap<i32, Vec<i32>>,
    /// Slugs of posts that were public once and are no longer (410).
    gone: std::collections::HashSet<(Lang, String)>,
}

impl Index {
    fn rebuild_orders(&mut self) {
        let mut all: Vec<&Arc<Listing>> = self.posts.values().collect();
        all.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
        self.by_edition.clear();
        self.by_section.clear();
        self.by_group.clear();
        for l in all {
            self.by_edition.entry(l.edition).or_default().push(l.id);
            self.by_section.entry(l.section_id).or_default().push(l.id);
            if let Some(g) = l.translation_group {
                self.by_group.entry(g).or_default().push(l.id);
            }
        }
    }
}

/// The site settings pages and search follow (see [`content::site`]).
#[derive(Default)]
struct Settings {
    home: HashMap<Lang, Arc<content::site::home::HomeLayout>>,
    /// The search dictionary's text as stored; `None` until an
    /// administrator saves one (the sector's abbreviations apply).
    synonyms: Option<Arc<str>>,
    /// Moves on every reload, so followers can tell a change.
    version: u64,
}

pub struct Catalog {
    index: RwLock<Index>,
    settings: RwLock<Settings>,
    /// Each edition's sections in display order, hidden ones included.
    sections: RwLock<HashMap<Lang, Arc<Vec<section::Model>>>>,
    /// `None` until the first load.
    follower: tokio::sync::Mutex<Option<Follower>>,
}

impl Default for Catalog {
    fn default() -> Self {
        Self::new()
    }
}

impl Catalog {
    pub fn new() -> Self {
        Catalog {
            index: RwLock::new(Index::default()),
            settings: RwLock::new(Settings::default()),
            sections: RwLock::new(HashMap::new()),
            follower: tokio::sync::Mutex::new(None),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Index> {
        self.index.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Brings the catalogue up to date with the change log: the first call
    /// loads every live post, later calls reload the posts named by new
    /// entries. True when anything public changed (a post, a published
    /// answer, a section), so the caller empties its page cache.
    pub async fn refresh(&self, db: &DatabaseConnection) -> content::Result<bool> {
        let mut follower = self.follower.lock().await;
        let Some(f) = follower.as_mut() else {
            let cursor = content::changelog::settled_head(db).await?;
            self.reload_sections(db).await?;
            self.reload_settings(db).await?;
            self.reload(db, None).await?;
            *follower = Some(Follower::new(cursor));
            return Ok(true);
        };
        let mut changed = false;
        loop {
            let batch = f.next(db, BATCH).await?;
            if !batch.entries.is_empty() {
                if !batch.ids_of("section").is_empty() {
                    self.reload_sections(db).await?;
                }
                if !batch.ids_of("setting").is_empty() {
                    self.reload_settings(db).await?;
                }
                let ids = batch.ids_of("post");
                if !ids.is_empty() {
                    self.reload(db, Some(ids)).await?;
                }
                changed = true;
            }
            f.done(&batch);
            if !batch.more {
                return Ok(changed);
            }
        }
    }

    /// How far the catalogue (and so the page cache) has followed the
    /// change log; `None` before the first load or while it is loading.
    pub async fn cursor(&self) -> Option<i64> {
        self.follower.try_lock().ok()?.as_ref().map(Follower::cursor)
    }

    async fn reload_sections(&self, db: &DatabaseConnection) -> content::Result<()> {
        let mut all = HashMap::new();
        for ed in Lang::ALL {
            all.insert(ed, Arc::new(content::sections::list(db, ed).await?));
        }
        *self.sections.write().unwrap_or_else(|e| e.into_inner()) = all;
        Ok(())
    }

    async fn reload_settings(&self, db: &DatabaseConnection) -> content::Result<()> {
        let mut home = HashMap::new();
        for ed in Lang::ALL {
            home.insert(ed, Arc::new(content::site::home::load(db, ed).await?));
        }
        let synonyms = content::site::synonyms::stored(db).await?.map(Arc::from);
        let mut settings = self.settings.write().unwrap_or_else(|e| e.into_inner());
        settings.home = home;
        settings.synonyms = synonyms;
        settings.version += 1;
        Ok(())
    }

    /// An edition's home page layout.
    pub fn home_layout(&self, ed: Lang) -> Arc<content::site::home::HomeLayout> {
        self.settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .home
            .get(&ed)
            .cloned()
            .unwrap_or_else(|| Arc::new(content::site::home::HomeLayout::default_for(ed)))
    }

    /// The stored search dictionary's text (`None`: never saved) and the
    /// settings' version, which moves whenever they are reloaded.
    pub fn synonyms(&self) -> (Option<Arc<str>>, u64) {
        let settings = self.settings.read().unwrap_or_else(|e| e.into_inner());
        (settings.synonyms.clone(), settings.version)
    }

    /// An edition's sections (hidden ones included: the tree drops them).
    pub fn sections(&self, ed: Lang) -> Arc<Vec<section::Model>> {
        self.sections
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&ed)
            .cloned()
            .unwrap_or_default()
    }

    /// Every section's name in its own edition's language, by code (search
    /// results name their sections this way).
    pub fn section_names(&self) -> HashMap<String, String> {
        let all = self.sections.read().unwrap_or_else(|e| e.into_inner());
        all.iter()
            .flat_map(|(ed, list)| list.iter().map(|s| (s.code.clone(), s.name_in(*ed).to_owned())))
            .collect()
    }

    /// Reads the listing data of some posts (all live posts with `None`)
    /// and puts it in the index.
    async fn reload(&self, db: &DatabaseConnection, ids: Option<Vec<i32>>) -> content::Result<()> {
        let mut q = post::Entity::find();
        if let Some(ids) = &ids {
            q = q.filter(post::Column::Id.is_in(ids.clone()));
        } else {
            q = q.filter(post::Column::PublishedAt.is_not_null());
        }
        let posts = q.all(db).await?;
        let live_ids: Vec<i32> = posts.iter().filter_map(|p| p.live_revision_id).collect();
        let mut revs: HashMap<i32, (String, String, Option<i32>)> = HashMap::new();
        for chunk in live_ids.chunks(500) {
            let rows: Vec<(i32, String, String, Option<i32>)> = revision::Entity::find()
                .select_only()
                .column(revision::Column::Id)
                .column(revision::Column::Title)
                .column(revision::Column::Summary)
                .column(revision::Column::CoverMediaId)
                .filter(revision::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(db)
                .await?;
            revs.extend(rows.into_iter().map(|(id, t, s, c)| (id, (t, s, c))));
        }
        let mut idx = self.index.write().unwrap_or_else(|e| e.into_inner());
        if ids.is_none() {
            *idx = Index::default();
        }
        for p in posts {
            if let Some(old) = idx.posts.remove(&p.id) {
                idx.by_slug.remove(&(old.edition, old.slug.clone()));
            }
            let key = (p.lang(), p.slug.clone());
            match p.live_revision_id.and_then(|r| revs.remove(&r).map(|v| (r, v))) {
                Some((rev_id, (title, summary, cover))) => {
                    idx.gone.remove(&key);
                    idx.by_slug.insert(key, p.id);
                    let published_at = p.published_at.unwrap_or(p.created_at);
                    idx.posts.insert(
                        p.id,
                        Arc::new(Listing {
                            id: p.id,
                            edition: p.lang(),
                            section_id: p.section_id,
                            slug: p.slug,
                            title,
                            summary,
                            published_at,
                            updated_at: p.public_updated_at.unwrap_or(published_at),
                            cover_media_id: cover,
                            live_revision_id: rev_id,
                            translation_group: p.translation_group,
                        }),
                    );
                }
                None => {
                    if p.published_at.is_some() {
                        idx.gone.insert(key);
                    }
                }
            }
        }
        idx.rebuild_orders();
        Ok(())
    }

    /// Live posts of an edition, or of some sections, newest first, with
    /// the total.
    pub fn latest(
        &self,
        edition: Lang,
        sections: Option<&[i32]>,
        offset: usize,
        limit: usize,
    ) -> (Vec<Arc<Listing>>, usize) {
        let idx = self.read();
        let ids: Vec<i32> = match sections {
            None => idx.by_edition.get(&edition).cloned().unwrap_or_default(),
            Some([one]) => idx.by_section.get(one).cloned().unwrap_or_default(),
            Some(many) => {
                let mut merged: Vec<&Arc<Listing>> = many
                    .iter()
                    .flat_map(|s| idx.by_section.get(s).into_iter().flatten())
                    .filter_map(|id| idx.posts.get(id))
                    .collect();
                merged.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
                merged.into_iter().map(|l| l.id).collect()
            }
        };
        let total = ids.len();
        let page = ids
            .iter()
            .skip(offset)
            .take(limit)
            .filter_map(|id| idx.posts.get(id).cloned())
            .collect();
        (page, total)
    }

    pub fn by_slug(&self, edition: Lang, slug: &str) -> Lookup {
        let idx = self.read();
        let key = (edition, slug.to_owned());
        match idx.by_slug.get(&key).and_then(|id| idx.posts.get(id)) {
            Some(l) => Lookup::Live(l.clone()),
            None if idx.gone.contains(&key) => Lookup::Gone,
            None => Lookup::Missing,
        }
    }

    /// A live post by id.
    pub fn live(&self, id: i32) -> Option<Arc<Listing>> {
        self.read().posts.get(&id).cloned()
    }

    /// The live translation of a post in another edition.
    pub fn translation(&self, l: &Listing) -> Option<Arc<Listing>> {
        let group = l.translation_group.unwrap_or(l.id);
        let idx = self.read();
        std::iter::once(&group)
            .chain(idx.by_group.get(&group).into_iter().flatten())
            .filter_map(|id| idx.posts.get(id))
            .find(|o| o.id != l.id && o.edition != l.edition)
            .cloned()
    }

    /// Newest live posts of the same section, without `l`.
    pub fn related(&self, l: &Listing, limit: usize) -> Vec<Arc<Listing>> {
        let idx = self.read();
        idx.by_section
            .get(&l.section_id)
            .into_iter()
            .flatten()
            .filter(|id| **id != l.id)
            .take(limit)
            .filter_map(|id| idx.posts.get(id).cloned())
            .collect()
    }
}

/// Where a slug stands for the public.
pub enum Lookup {
    Live(Arc<Listing>),
    Gone,
    Missing,
}
