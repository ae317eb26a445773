//! `portal export` and `portal import-all`: every record as JSON Lines, a
//! file per table, with the media originals and a manifest of checksums
//! — the same on SQLite and PostgreSQL, so an installation moves between
//! the two (a backup is a database's own snapshot and restores only into
//! the same kind).
//!
//! ```text
//! DIR/export.json        format, source, per table its rows and SHA-256
//! DIR/tables/posts.jsonl one record per line, in primary-key order
//! DIR/media/ab/ab12…     the media originals, by SHA-256
//! ```
//!
//! Times are written in UTC to the microsecond (PostgreSQL's precision),
//! so an export of the same records reads the same from either database.
//! Sessions and sign-in throttles are not exported: they belong to the
//! running installation, not to its records.

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{Context, bail};
use futures_util::TryStreamExt;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityName, EntityTrait, IntoActiveModel,
    Iterable, PaginatorTrait, PrimaryKeyToColumn, PrimaryKeyTrait, QueryOrder, Statement,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::backup::{FileEntry, copy_checked, entry, originals, pool_path, sha256_file};
use crate::config::Config;
use crate::progress::Progress;

const FORMAT: u32 = 1;
/// Rows read or written per statement.
const PAGE: u64 = 500;

/// One table of an export.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TableEntry {
    pub table: String,
    pub rows: u64,
    #[serde(flatten)]
    pub file: FileEntry,
}

/// What an export holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportManifest {
    pub format: u32,
    pub portal_version: String,
    pub created_at: String,
    /// `sqlite` or `postgres`: where it came from (it goes to either).
    pub source: String,
    pub tables: Vec<TableEntry>,
    pub media: Vec<FileEntry>,
}

/// Calls `$m!` with every exported table's entity module, parents before
/// the children that refer to them (foreign keys hold at every insert).
macro_rules! each_table {
    ($m:ident, $($arg:expr),*) => {{
        use content::entity::*;
        $m!(unit, $($arg),*);
        $m!(user, $($arg),*);
        $m!(user_role, $($arg),*);
        $m!(recovery_code, $($arg),*);
        $m!(section, $($arg),*);
        $m!(approval_step, $($arg),*);
        $m!(delegation, $($arg),*);
        $m!(media, $($arg),*);
        $m!(media_text, $($arg),*);
        $m!(media_use, $($arg),*);
        $m!(post, $($arg),*);
        $m!(revision, $($arg),*);
        $m!(transition, $($arg),*);
        $m!(post_comment, $($arg),*);
        $m!(notification, $($arg),*);
        $m!(preview_link, $($arg),*);
        $m!(site_setting, $($arg),*);
        $m!(entry, $($arg),*);
        $m!(entry_version, $($arg),*);
        $m!(entry_transition, $($arg),*);
        $m!(entry_facet, $($arg),*);
        $m!(entry_media_use, $($arg),*);
        $m!(draft_comment, $($arg),*);
        $m!(link_check, $($arg),*);
        $m!(question, $($arg),*);
        $m!(question_event, $($arg),*);
        $m!(daily_run, $($arg),*);
        $m!(calendar_override, $($arg),*);
        $m!(holiday_rule, $($arg),*);
        $m!(search_query, $($arg),*);
        $m!(page_view, $($arg),*);
        $m!(royalty_holder, $($arg),*);
        $m!(royalty_rate, $($arg),*);
        $m!(royalty_budget, $($arg),*);
        $m!(royalty_sheet, $($arg),*);
        $m!(royalty_proposal, $($arg),*);
        $m!(royalty_line, $($arg),*);
        $m!(provision_kind, $($arg),*);
        $m!(provision_event, $($arg),*);
        $m!(audit_entry, $($arg),*);
        $m!(change, $($arg),*);
    }};
}

/// Times to the microsecond: `2026-11-30T01:02:03.123456789Z` →
/// `2026-11-30T01:02:03.123456Z`.
fn normalise(v: &mut Value) {
    match v {
        Value::String(s) => {
            let b = s.as_bytes();
            if b.len() > 27 && b[4] == b'-' && b[10] == b'T' && b[19] == b'.' && s.ends_with('Z') {
                let digits = s[20..s.len() - 1].len();
                if digits > 6 && s[20..s.len() - 1].bytes().all(|c| c.is_ascii_digit()) {
                    *s = format!("{}Z", &s[..26]);
                }
            }
        }
        Value::Object(m) => m.values_mut().for_each(normalise),
        Value::Array(a) => a.iter_mut().for_each(normalise),
        _ => {}
    }
}

async fn export_table<E>(
    db: &DatabaseConnection,
    dir: &Path,
    progress: &Progress,
) -> anyhow::Result<TableEntry>
where
    E: EntityTrait,
    E::Model: Serialize + Sync,
{
    let table = E::default().table_name().to_owned();
    let rel = format!("tables/{table}.jsonl");
    let file = std::fs::File::create(dir.join(&rel)).with_context(|| format!("cannot write {rel}"))?;
    let mut out = std::io::BufWriter::new(file);
    let mut q = E::find();
    for key in E::PrimaryKey::iter() {
        q = q.order_by_asc(key.into_column());
    }
    // One streamed query per table: paging with OFFSET would read a
    // large table (page views) again for every page.
    let mut stream = q.stream(db).await?;
    let mut rows = 0u64;
    while let Some(m) = stream.try_next().await? {
        let mut v = serde_json::to_value(&m)?;
        normalise(&mut v);
        serde_json::to_writer(&mut out, &v)?;
        out.write_all(b"\n")?;
        rows += 1;
        if rows.is_multiple_of(PAGE) {
            progress.advance(PAGE);
        }
    }
    progress.advance(rows % PAGE);
    drop(stream);
    out.flush()?;
    drop(out);
    Ok(TableEntry {
        table,
        rows,
        file: entry(dir, &rel)?,
    })
}

/// Writes every record and media original of `db` into `dir` (which must
/// not exist or be empty).
pub async fn export(
    db: &DatabaseConnection,
    config: &Config,
    dir: &Path,
    progress: &Progress,
) -> anyhow::Result<ExportManifest> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty: export into a new directory", dir.display());
    }
    std::fs::create_dir_all(dir.join("tables"))?;
    let mut tables = Vec::new();
    macro_rules! one {
        ($t:ident, $db:expr, $dir:expr, $p:expr) => {
            tables.push(export_table::<$t::Entity>($db, $dir, $p).await?)
        };
    }
    each_table!(one, db, dir, progress);
    let mut media = Vec::new();
    for (sha, path) in originals(&config.data_dir.join("media"))? {
        let target = pool_path(dir, &sha);
        let size = copy_checked(&path, &target, &sha)?;
        media.push(FileEntry {
            path: format!("media/{}/{sha}", &sha[..2]),
            sha256: sha,
            size,
        });
        progress.advance(1);
    }
    let manifest = ExportManifest {
        format: FORMAT,
        portal_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: content::time::rfc3339_vn(content::time::now()),
        source: match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => "postgres",
            _ => "sqlite",
        }
        .to_owned(),
        tables,
        media,
    };
    std::fs::write(dir.join("export.json"), serde_json::to_vec_pretty(&manifest)?)?;
    Ok(manifest)
}

/// Reads the manifest and checks every file against it before anything
/// is written; the first damaged or missing file is named.
pub fn verify(dir: &Path) -> anyhow::Result<ExportManifest> {
    let text = std::fs::read(dir.join("export.json"))
        .with_context(|| format!("{} has no export.json: not an export", dir.display()))?;
    let m: ExportManifest = serde_json::from_slice(&text).context("export.json is damaged")?;
    if m.format != FORMAT {
        bail!("export format {} is not known to this version", m.format);
    }
    for f in m.tables.iter().map(|t| &t.file).chain(&m.media) {
        let (sha, size) =
            sha256_file(&dir.join(&f.path)).with_context(|| format!("{} is missing", f.path))?;
        if sha != f.sha256 || size != f.size {
            bail!("{} is damaged: its checksum does not match export.json", f.path);
        }
    }
    Ok(m)
}

/// Sections refer to their parent: parents go first, whatever their ids.
fn parents_first(mut rows: Vec<Value>) -> Vec<Value> {
    let mut placed: std::collections::HashSet<i64> = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    while !rows.is_empty() {
        let before = rows.len();
        rows.retain(|r| {
            let ready = r["parent_id"].as_i64().is_none_or(|p| placed.contains(&p));
            if ready {
                if let Some(id) = r["id"].as_i64() {
                    placed.insert(id);
                }
                out.push(r.clone());
            }
            !ready
        });
        if rows.len() == before {
            out.append(&mut rows);
        }
    }
    out
}

async fn import_table<E, A>(
    db: &impl ConnectionTrait,
    dir: &Path,
    t: &TableEntry,
    progress: &Progress,
) -> anyhow::Result<()>
where
    E: EntityTrait<ActiveModel = A>,
    E::Model: for<'de> Deserialize<'de> + IntoActiveModel<A>,
    A: ActiveModelTrait<Entity = E> + Send,
{
    let file = std::fs::File::open(dir.join(&t.file.path))?;
    let mut rows: Vec<Value> = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        rows.push(
            serde_json::from_str(&line).with_context(|| format!("{}:{}: not JSON", t.file.path, n + 1))?,
        );
    }
    if t.table == "sections" {
        rows = parents_first(rows);
    }
    for chunk in rows.chunks(PAGE as usize) {
        let models = chunk
            .iter()
            .map(|v| {
                serde_json::from_value::<E::Model>(v.clone())
                    .map(|m| m.into_active_model().reset_all())
                    .with_context(|| format!("{}: a record does not fit this version's table", t.file.path))
            })
            .collect::<anyhow::Result<Vec<A>>>()?;
        E::insert_many(models).exec_without_returning(db).await?;
        progress.advance(chunk.len() as u64);
    }
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres
        && E::PrimaryKey::iter().count() == 1
        && <E::PrimaryKey as PrimaryKeyTrait>::auto_increment()
    {
        let table = &t.table;
        db.execute_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM \"{table}\""
            ),
        ))
        .await?;
    }
    Ok(())
}

/// Whether a migrated database holds no records.
async fn holds_nothing(db: &DatabaseConnection) -> anyhow::Result<bool> {
    let mut total = 0u64;
    macro_rules! count {
        ($t:ident, $db:expr) => {
            total += $t::Entity::find().count($db).await?
        };
    }
    each_table!(count, db);
    Ok(total == 0)
}

/// Loads an export into the empty database of `config` (migrated first,
/// not seeded) and copies its media; all tables in one transaction.
pub async fn import_all(config: &Config, dir: &Path, progress: &Progress) -> anyhow::Result<ExportManifest> {
    let m = verify(dir)?;
    let db = content::db::connect(&config.database_url).await?;
    content::db::migrate(&db).await?;
    if !holds_nothing(&db).await? {
        bail!("the database is not empty: import-all loads into an empty database only");
    }
    let txn = content::db::begin_write(&db).await?;
    macro_rules! one {
        ($t:ident, $txn:expr) => {{
            let name = $t::Entity::default().table_name().to_owned();
            if let Some(t) = m.tables.iter().find(|t| t.table == name) {
                import_table::<$t::Entity, $t::ActiveModel>($txn, dir, t, progress)
                    .await
                    .with_context(|| format!("cannot load table {name}"))?;
            }
        }};
    }
    each_table!(one, &txn);
    txn.commit().await?;
    let store = config.data_dir.join("media").join("originals");
    for f in &m.media {
        let target = store.join(&f.sha256[..2]).join(&f.sha256);
        if !target.exists() {
            copy_checked(&dir.join(&f.path), &target, &f.sha256)?;
        }
        progress.advance(1);
    }
    db.close().await?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_cut_to_microseconds() {
        let mut v = serde_json::json!({"at": "2026-11-30T01:02:03.123456789Z", "d": "2026-11-30", "t": "x",
            "short": "2026-11-30T01:02:03.5Z"});
        normalise(&mut v);
        assert_eq!(v["at"], "2026-11-30T01:02:03.123456Z");
        assert_eq!(v["short"], "2026-11-30T01:02:03.5Z");
        assert_eq!(v["d"], "2026-11-30");
    }

    #[test]
    fn sections_come_after_their_parents() {
        let rows = vec![
            serde_json::json!({"id": 1, "parent_id": 3}),
            serde_json::json!({"id": 2, "parent_id": null}),
            serde_json::json!({"id": 3, "parent_id": 2}),
        ];
        let ids: Vec<i64> = parents_first(rows)
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![2, 3, 1]);
    }
}
