//! The text of the files attached to public content, for the search
//! documents: read from the database when extracted before, else
//! extracted now on a blocking thread, one file at a time, within
//! [`DEADLINE`]; a file that fails or takes too long is recorded as such,
//! logged and skipped, and never stops the indexer.

use std::time::Duration;

use content::entity::media;
use content::media::{Store, text};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// The longest one file's extraction may take.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// One extraction at a time: a hostile file holds at most one thread.
static EXTRACTING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// The name and text of each file of `ids` that has text, in the order
/// of `ids`.
pub async fn texts(
    db: &DatabaseConnection,
    store: &Store,
    ids: &[i32],
) -> content::Result<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let files: Vec<media::Model> = media::Entity::find()
        .filter(media::Column::Id.is_in(ids.to_vec()))
        .filter(media::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|m| text::extractable(&m.mime))
        .collect();
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let file_ids: Vec<i32> = files.iter().map(|m| m.id).collect();
    let mut known: std::collections::HashMap<i32, String> = text::stored(db, &file_ids)
        .await?
        .into_iter()
        .map(|t| (t.media_id, t.text))
        .collect();
    for m in &files {
        if known.contains_key(&m.id) {
            continue;
        }
        let outcome = extract(store, m).await;
        if let Err(why) = &outcome {
            tracing::warn!(media = m.id, file = %m.file_name, reason = %why, "no text from an attached file");
        }
        text::store(db, m.id, &outcome).await?;
        known.insert(m.id, outcome.unwrap_or_default());
    }
    Ok(ids
        .iter()
        .filter_map(|id| {
            let m = files.iter().find(|m| m.id == *id)?;
            let t = known.remove(id).filter(|t| !t.is_empty())?;
            Some((m.file_name.clone(), t))
        })
        .collect())
}

async fn extract(store: &Store, m: &media::Model) -> Result<String, String> {
    let _turn = EXTRACTING.acquire().await.map_err(|e| e.to_string())?;
    let path = store.original(&m.sha256);
    let mime = m.mime.clone();
    let work = tokio::task::spawn_blocking(move || {
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read the file: {e}"))?;
        std::panic::catch_unwind(|| text::extract(&mime, &bytes))
            .unwrap_or_else(|_| Err("the parser failed".into()))
    });
    match tokio::time::timeout(DEADLINE, work).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => Err(format!("the extraction failed: {e}")),
        Err(_) => Err(format!("took longer than {} s", DEADLINE.as_secs())),
    }
}

/// `body` followed by each file's name and text after the mark search
/// snippets recognise.
pub fn with_files(body: String, files: Vec<(String, String)>) -> String {
    let mut out = body;
    for (name, text) in files {
        out.push('\n');
        out.push(search_index::ATTACHMENT);
        out.push_str(&name.replace(['\n', search_index::ATTACHMENT], " "));
        out.push('\n');
        out.push_str(&text.replace(search_index::ATTACHMENT, " "));
    }
    out
}
