//! Keeps this node's index replica current.
//!
//! The index lives in a *generation* directory under the search root
//! (`index-<time>-<pid>`); the file `CURRENT` names the one in service.
//! A rebuild (at start when the index is missing or damaged, or by
//! `portal reindex`) writes a new generation beside the old one and then
//! switches `CURRENT`, so searches never see a gap. The indexer follows the
//! change log from a cursor stored in the index's own commits: after a
//! crash the index and its cursor agree, and catching up applies every
//! change again from there — harmlessly, since each entry is applied as the
//! current state of its post or question, replacing the document by id.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use content::changelog::{Batch, Follower};
use content::entity::{post, question};
use content::media::Store;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use search_index::{Document, IndexError, SearchIndex};

use super::blocking;
use super::documents::{self, Sections};
use crate::state::AppState;

/// How often the change log is read when nothing wakes the indexer (other
/// nodes' changes arrive this way).
const POLL: Duration = Duration::from_millis(200);
/// Change log entries applied per commit.
const BATCH: u64 = 500;
/// Documents read from the database at a time during a rebuild.
const REBUILD_PAGE: u64 = 500;
const CURRENT: &str = "CURRENT";

/// The generation directories under a search root.
struct Generations {
    root: PathBuf,
}

impl Generations {
    fn new(root: &Path) -> Self {
        Generations {
            root: root.to_path_buf(),
        }
    }

    /// Name of the generation in service.
    fn current(&self) -> Option<String> {
        let name = std::fs::read_to_string(self.root.join(CURRENT)).ok()?;
        let name = name.trim();
        (name.starts_with("index-") && !name.contains(['/', '\\'])).then(|| name.to_owned())
    }

    /// Puts a finished generation into service, atomically.
    fn set_current(&self, name: &str) -> std::io::Result<()> {
        let tmp = self.root.join(format!("{CURRENT}.{}", std::process::id()));
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(name.as_bytes())?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, self.root.join(CURRENT))?;
        if let Ok(dir) = std::fs::File::open(&self.root) {
            dir.sync_all().ok();
        }
        Ok(())
    }

    /// A fresh directory name for a rebuild, unique across processes.
    fn fresh_name(&self) -> String {
        format!(
            "index-{}-{}",
            Utc::now().format("%Y%m%dT%H%M%S%3f"),
            std::process::id()
        )
    }

    /// Removes generations that are neither in service nor `keep`, and
    /// unfinished builds (`building-*`) older than a day.
    fn clean(&self, keep: &str) {
        let current = self.current();
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stale_build = name.starts_with("building-")
                && entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t.elapsed().unwrap_or_default() > Duration::from_secs(86_400));
            let superseded = name.starts_with("index-") && name != keep && Some(&name) != current.as_ref();
            if (stale_build || superseded)
                && let Err(e) = std::fs::remove_dir_all(entry.path())
            {
                tracing::warn!(dir = %entry.path().display(), error = %e, "cannot remove an old search index");
            }
        }
    }
}

/// What a rebuild did.
pub struct Built {
    pub name: String,
    pub documents: u64,
    pub seconds: f64,
}

/// Builds a complete new generation from the database and puts it into
/// service. Running servers switch to it within [`POLL`].
pub async fn rebuild(db: &DatabaseConnection, store: &Store, root: &Path) -> anyhow::Result<Built> {
    rebuild_with(db, store, root, &crate::progress::Progress::quiet()).await
}

/// [`rebuild`], advancing `progress` by each document indexed.
pub async fn rebuild_with(
    db: &DatabaseConnection,
    store: &Store,
    root: &Path,
    progress: &crate::progress::Progress,
) -> anyhow::Result<Built> {
    use anyhow::Context;
    let start = Instant::now();
    std::fs::create_dir_all(root).with_context(|| format!("cannot create {}", root.display()))?;
    let generations = Generations::new(root);
    let name = generations.fresh_name();
    let building = root.join(name.replacen("index-", "building-", 1));
    let cursor = content::changelog::settled_head(db).await?;
    let index = {
        let dir = building.clone();
        Arc::new(blocking(move || SearchIndex::create_in(&dir)).await?)
    };
    let sections = Sections::load(db).await?;
    let mut all = documents::All::default();
    let mut count = 0u64;
    while let Some(docs) = all.next(db, &sections, store, REBUILD_PAGE).await? {
        count += docs.len() as u64;
        progress.advance(docs.len() as u64);
        let index = index.clone();
        blocking(move || docs.iter().try_for_each(|d| index.upsert(d))).await?;
    }
    {
        let index = index.clone();
        blocking(move || index.commit_at(cursor)).await?;
    }
    drop(index);
    std::fs::rename(&building, root.join(&name))
        .with_context(|| format!("cannot move the new index into {}", root.display()))?;
    generations
        .set_current(&name)
        .context("cannot switch to the new index")?;
    Ok(Built {
        name,
        documents: count,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The indexer task of a server: opens (or rebuilds) the index, puts it
/// into service and follows the change log, switching generations when a
/// `portal reindex` made a new one.
pub async fn run(state: AppState) {
    let root = state.search.root().to_path_buf();
    loop {
        let index = match open_or_rebuild(&state.db, state.media.store(), &root).await {
            Ok(index) => index,
            Err(e) => {
                tracing::error!(error = %e, dir = %root.display(), "search index unavailable; retrying in 5 s");
                tokio::time::sleep(Duration::from_secs(5)).await;
                continue;
            }
        };
        let name = dir_name(index.path());
        state.search.install(Some(index.clone()));
        Generations::new(&root).clean(&name);
        follow(&state, &root, &name, index).await;
    }
}

fn dir_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The directory of the generation in service, if any (for `portal
/// check`).
pub fn current_dir(root: &Path) -> Option<PathBuf> {
    Generations::new(root).current().map(|name| root.join(name))
}

/// The generation in service, checked; rebuilt when missing or unusable.
async fn open_or_rebuild(
    db: &DatabaseConnection,
    store: &Store,
    root: &Path,
) -> anyhow::Result<Arc<SearchIndex>> {
    let generations = Generations::new(root);
    if let Some(name) = generations.current() {
        let dir = root.join(&name);
        let opened = if dir.join("meta.json").exists() {
            let dir = dir.clone();
            blocking(move || {
                let index = SearchIndex::open_or_create(&dir)?;
                index.verify()?;
                let cursor = index.cursor()?;
                Ok((index, cursor))
            })
            .await
        } else {
            Err(IndexError::Corrupt {
                path: dir.clone(),
                reason: "the directory or its files are missing".into(),
            })
        };
        match opened {
            Ok((index, Some(_))) => return Ok(Arc::new(index)),
            Ok((_, None)) => {
                tracing::warn!(dir = %dir.display(), "search index has no change-log cursor; rebuilding it from the database")
            }
            Err(e) if e.needs_rebuild() => {
                tracing::warn!(dir = %dir.display(), error = %e, "search index is missing or damaged; rebuilding it from the database (search answers 503 until done)")
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        tracing::info!(dir = %root.display(), "no search index yet; building it from the database (search answers 503 until done)");
    }
    let built = rebuild(db, store, root).await?;
    tracing::info!(
        documents = built.documents,
        seconds = format!("{:.1}", built.seconds),
        generation = %built.name,
        "search index built"
    );
    let dir = root.join(&built.name);
    Ok(Arc::new(
        blocking(move || SearchIndex::open_or_create(&dir)).await?,
    ))
}

/// Follows the change log into `index` until another generation is put
/// into service.
async fn follow(state: &AppState, root: &Path, name: &str, index: Arc<SearchIndex>) {
    let generations = Generations::new(root);
    let mut follower = match index.cursor() {
        Ok(cursor) => Follower::new(cursor.unwrap_or(0)),
        Err(e) => {
            tracing::error!(error = %e, "cannot read the search index cursor");
            return;
        }
    };
    loop {
        if generations.current().as_deref() != Some(name) {
            tracing::info!(
                from = name,
                "a new search index generation was put into service; switching"
            );
            return;
        }
        match step(&mut follower, &state.db, state.media.store(), &index).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(error = %e, "search indexing failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = state.search.wake.notified() => {}
        }
    }
}

/// Applies the next batch of changes and commits it with the new cursor;
/// true when more are waiting.
async fn step(
    follower: &mut Follower,
    db: &DatabaseConnection,
    store: &Store,
    index: &Arc<SearchIndex>,
) -> anyhow::Result<bool> {
    let batch = follower.next(db, BATCH).await?;
    if batch.entries.is_empty() && batch.cursor == follower.cursor() {
        return Ok(false);
    }
    let (upserts, deletes) = changes(db, store, &batch).await?;
    let cursor = batch.cursor;
    {
        let index = index.clone();
        blocking(move || {
            for id in &deletes {
                index.delete(id)?;
            }
            for doc in &upserts {
                index.upsert(doc)?;
            }
            index.commit_at(cursor)
        })
        .await?;
    }
    follower.done(&batch);
    Ok(batch.more)
}

/// The documents to (re)index and the ids to remove for these entries,
/// from the current state of their posts and questions.
async fn changes(
    db: &DatabaseConnection,
    store: &Store,
    batch: &Batch,
) -> anyhow::Result<(Vec<Document>, Vec<String>)> {
    let post_ids = batch.ids_of("post");
    let question_ids = batch.ids_of("question");
    let entry_ids: Vec<(&'static content::entries::Kind, Vec<i32>)> = content::entries::kinds::ALL
        .iter()
        .map(|k| (*k, batch.ids_of(k.name)))
        .filter(|(_, ids)| !ids.is_empty())
        .collect();
    if post_ids.is_empty() && question_ids.is_empty() && entry_ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let sections = Sections::load(db).await?;
    let mut upserts = Vec::new();
    if !post_ids.is_empty() {
        let rows = post::Entity::find()
            .filter(post::Column::Id.is_in(post_ids.clone()))
            .all(db)
            .await?;
        upserts.extend(documents::posts(db, &sections, store, rows).await?);
    }
    if !question_ids.is_empty() {
        let rows = question::Entity::find()
            .filter(question::Column::Id.is_in(question_ids.clone()))
            .all(db)
            .await?;
        upserts.extend(documents::questions(&sections, rows));
    }
    for (kind, ids) in &entry_ids {
        upserts.extend(documents::entries(db, &sections, store, kind, Some(ids)).await?);
    }
    let live: HashSet<&str> = upserts.iter().map(|d| d.id.as_str()).collect();
    let deletes = post_ids
        .iter()
        .map(|id| documents::post_id(*id))
        .chain(question_ids.iter().map(|id| documents::question_id(*id)))
        .chain(
            entry_ids
                .iter()
                .flat_map(|(kind, ids)| ids.iter().map(|id| documents::entry_id(kind, *id))),
        )
        .filter(|id| !live.contains(id.as_str()))
        .collect();
    Ok((upserts, deletes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_names_are_checked() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let g = Generations::new(dir.path());
        assert_eq!(g.current(), None);
        g.set_current("index-1").expect("write");
        assert_eq!(g.current().as_deref(), Some("index-1"));
        std::fs::write(dir.path().join(CURRENT), "../etc").expect("write");
        assert_eq!(g.current(), None);
    }
}
