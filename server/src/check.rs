//! `portal check`: what an operator runs before and after a change, or
//! when something looks wrong. Checks the configuration, the database
//! and its migrations, the search index (read without disturbing a
//! running server) and every media original against its SHA-256, prints
//! one line per finding, and fails when anything is wrong.

use anyhow::bail;
use content::entity::media;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::config::Config;
use crate::progress::Progress;

struct Findings {
    problems: usize,
}

impl Findings {
    fn ok(&self, what: &str) {
        println!("ok       {what}");
    }

    fn problem(&mut self, what: &str) {
        self.problems += 1;
        println!("PROBLEM  {what}");
    }
}

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let mut f = Findings { problems: 0 };
    f.ok(&format!(
        "configuration: data in {}, database {}",
        config.data_dir.display(),
        crate::app::redact(&config.database_url)
    ));
    let db = match content::db::connect(&config.database_url).await {
        Ok(db) => {
            f.ok("database answers");
            db
        }
        Err(e) => {
            f.problem(&format!("cannot open the database: {e}"));
            bail!("1 problem found");
        }
    };
    match content::db::pending_migrations(&db).await {
        Ok(0) => f.ok("database schema is up to date"),
        Ok(n) => f.problem(&format!(
            "{n} migrations are not applied: run `portal migrate` (or start the server)"
        )),
        Err(e) => f.problem(&format!("cannot read the applied migrations: {e}")),
    }

    let head = content::changelog::settled_head(&db).await.ok();
    match crate::search::indexer::current_dir(&config.search_dir) {
        None => f.problem(&format!(
            "no search index in {}: `portal reindex` builds it (the server also does on start)",
            config.search_dir.display()
        )),
        Some(dir) => {
            let inspected =
                tokio::task::spawn_blocking(move || search_index::SearchIndex::inspect(&dir)).await?;
            match inspected {
                Ok(i) => {
                    let lag = match (head, i.cursor) {
                        (Some(h), Some(c)) => format!("{} change-log entries behind", (h - c).max(0)),
                        _ => "cursor unknown".to_owned(),
                    };
                    f.ok(&format!(
                        "search index: {} documents, checksums good, {lag}",
                        i.documents
                    ));
                }
                Err(e) => f.problem(&format!("search index: {e}; `portal reindex` rebuilds it")),
            }
        }
    }

    let store = content::media::Store::new(config.data_dir.join("media"));
    let live = || media::Entity::find().filter(media::Column::DeletedAt.is_null());
    let total = live().count(&db).await?;
    let progress = Progress::new("check: media originals", Some(total), "files");
    let mut pages = live().order_by_asc(media::Column::Id).paginate(&db, 200);
    let (mut missing, mut damaged) = (Vec::new(), Vec::new());
    while let Some(rows) = pages.fetch_and_next().await? {
        for m in rows {
            let path = store.original(&m.sha256);
            let sha = m.sha256.clone();
            let result = tokio::task::spawn_blocking(move || {
                crate::backup::sha256_file(&path).map(|(got, _)| got == sha)
            })
            .await?;
            match result {
                Ok(true) => {}
                Ok(false) => damaged.push(m.id),
                Err(_) => missing.push(m.id),
            }
            progress.advance(1);
        }
    }
    progress.finish();
    let list = |ids: &[i32]| {
        ids.iter()
            .take(20)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if missing.is_empty() && damaged.is_empty() {
        f.ok(&format!(
            "media: all {total} originals present and matching their SHA-256"
        ));
    }
    if !missing.is_empty() {
        f.problem(&format!(
            "media: {} originals missing (ids {})",
            missing.len(),
            list(&missing)
        ));
    }
    if !damaged.is_empty() {
        f.problem(&format!(
            "media: {} originals do not match their SHA-256 (ids {}): restore them from a backup",
            damaged.len(),
            list(&damaged)
        ));
    }

    if config.backup_keep > 0 {
        let newest = crate::backup::listed(&config.backup_dir)
            .ok()
            .and_then(|l| l.into_iter().next());
        match newest {
            Some(b) => f.ok(&format!("newest backup: {} ({})", b.name, b.created_at)),
            None => f.problem(&format!("no backup in {} yet", config.backup_dir.display())),
        }
    }
    db.close().await.ok();
    match f.problems {
        0 => {
            println!("no problems found");
            Ok(())
        }
        n => bail!("{n} problem(s) found"),
    }
}
