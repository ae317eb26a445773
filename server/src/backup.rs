//! Backups and verified restores (Đ7.2c: the IT Centre backs up the
//! portal's information; Đ16.1: it runs continuously, so a backup never
//! stops it).
//!
//! A backup directory holds one folder per backup and one shared pool of
//! media originals: the originals are content-addressed, so each backup
//! copies only the files the pool lacks.
//!
//! ```text
//! DIR/media/ab/ab12…            originals, named by their SHA-256
//! DIR/portal-20261130-020000.000/  (Vietnam time)
//!     database.sqlite | database.pgdump
//!     config.toml                the settings, without secrets
//!     manifest.json              SHA-256 and size of every file, the
//!                                media it needs, counts of the records
//! ```
//!
//! The database is a consistent snapshot taken while the portal serves:
//! SQLite's `VACUUM INTO`, or `pg_dump` on a snapshot exported by the
//! transaction that also counts the records, so the counts describe
//! exactly what was dumped. A backup is written under a hidden name and
//! renamed when complete: a crash leaves no backup that looks whole.
//!
//! A restore checks every checksum before it writes anything, refuses a
//! damaged backup naming the file, and only restores into an empty
//! database; the search index and image derivatives are rebuilt on the
//! next start.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::progress::Progress;

/// The manifest's format, for later versions to read older backups.
const FORMAT: u32 = 1;

/// The tables whose row counts a manifest records (the main records).
const COUNTED: [&str; 10] = [
    "users",
    "posts",
    "post_revisions",
    "questions",
    "entries",
    "draft_comments",
    "media",
    "audit_log",
    "royalty_proposals",
    "royalty_lines",
];

/// One file of a backup.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// What a backup holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub portal_version: String,
    pub created_at: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// The database dump and the configuration.
    pub files: Vec<FileEntry>,
    /// The media originals it needs from the shared pool.
    pub media: Vec<FileEntry>,
    pub counts: BTreeMap<String, u64>,
}

/// What a backup did.
#[derive(Clone, Debug)]
pub struct Done {
    pub dir: PathBuf,
    pub bytes: u64,
    pub media: usize,
    /// Originals copied this time (the rest were in the pool).
    pub media_copied: usize,
    pub counts: BTreeMap<String, u64>,
}

fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// The file of a SQLite URL (`sqlite://path?mode=rwc`).
fn sqlite_path(url: &str) -> PathBuf {
    let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}

pub(crate) fn sha256_file(path: &Path) -> anyhow::Result<(String, u64)> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = f
            .read(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(&buf[..n]);
    }
    Ok((hex::encode(h.finalize()), size))
}

pub(crate) fn entry(root: &Path, rel: &str) -> anyhow::Result<FileEntry> {
    let (sha256, size) = sha256_file(&root.join(rel))?;
    Ok(FileEntry {
        path: rel.to_owned(),
        sha256,
        size,
    })
}

/// The content-addressed files under `root` (`root/ab/ab12…`), as
/// (sha256, path): the store's originals and a backup directory's pool
/// share this layout.
fn objects(root: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    if !root.exists() {
        return Ok(out);
    }
    for shard in std::fs::read_dir(root).with_context(|| format!("cannot list {}", root.display()))? {
        let shard = shard?.path();
        if !shard.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&shard)? {
            let p = f?.path();
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
                out.push((name, p));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Every original in the media store.
pub(crate) fn originals(media_root: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    objects(&media_root.join("originals"))
}

pub(crate) fn pool_path(dir: &Path, sha: &str) -> PathBuf {
    dir.join("media").join(&sha[..2]).join(sha)
}

/// Copies `from` to `to` through a temporary name, checking on the way
/// that the content still has the hash it is named by.
pub(crate) fn copy_checked(from: &Path, to: &Path, sha: &str) -> anyhow::Result<u64> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = to.with_extension("partial");
    std::fs::copy(from, &tmp).with_context(|| format!("cannot copy {}", from.display()))?;
    let (got, size) = sha256_file(&tmp)?;
    if got != sha {
        let _ = std::fs::remove_file(&tmp);
        bail!(
            "{} does not match its checksum (the file is damaged)",
            from.display()
        );
    }
    std::fs::rename(&tmp, to)?;
    Ok(size)
}

async fn count(db: &impl ConnectionTrait, table: &str) -> anyhow::Result<u64> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await?
        .context("no count")?;
    let n: i64 = row.try_get("", "n")?;
    Ok(u64::try_from(n).unwrap_or(0))
}

async fn counts(db: &impl ConnectionTrait) -> anyhow::Result<BTreeMap<String, u64>> {
    let mut out = BTreeMap::new();
    for t in COUNTED {
        out.insert(t.to_owned(), count(db, t).await?);
    }
    Ok(out)
}

/// Takes a backup of the running portal into `to` (see the module).
pub async fn backup(db: &DatabaseConnection, config: &Config, to: &Path) -> anyhow::Result<Done> {
    backup_with(db, config, to, &Progress::quiet()).await
}

/// [`backup`], advancing `progress` by each media original.
pub async fn backup_with(
    db: &DatabaseConnection,
    config: &Config,
    to: &Path,
    progress: &Progress,
) -> anyhow::Result<Done> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    // Named in Vietnam time, as the admins read it and the schedule counts.
    let name = format!(
        "portal-{}",
        content::time::now()
            .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
            .format("%Y%m%d-%H%M%S%.3f")
    );
    let dir = to.join(&name);
    if dir.exists() {
        bail!("{} exists already", dir.display());
    }
    let work = to.join(format!(".{name}.partial"));
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    let result = write(db, config, to, &work, progress).await;
    match result {
        Ok((manifest, copied)) => {
            std::fs::rename(&work, &dir)?;
            let bytes = manifest.files.iter().chain(&manifest.media).map(|f| f.size).sum();
            Ok(Done {
                dir,
                bytes,
                media: manifest.media.len(),
                media_copied: copied,
                counts: manifest.counts,
            })
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&work);
            Err(e)
        }
    }
}

async fn write(
    db: &DatabaseConnection,
    config: &Config,
    to: &Path,
    work: &Path,
    progress: &Progress,
) -> anyhow::Result<(Manifest, usize)> {
    let (database, dump, counts) = if is_sqlite(&config.database_url) {
        let file = work.join("database.sqlite");
        let quoted = file.display().to_string().replace('\'', "''");
        db.execute_unprepared(&format!("VACUUM INTO '{quoted}'"))
            .await
            .context("SQLite could not write the snapshot")?;
        // Count in the snapshot itself: exactly what was saved.
        let snap = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", file.display())).await?;
        let counts = counts(&snap).await?;
        snap.close().await?;
        ("sqlite", "database.sqlite", counts)
    } else {
        let txn = db
            .begin_with_config(
                Some(sea_orm::IsolationLevel::RepeatableRead),
                Some(sea_orm::AccessMode::ReadOnly),
            )
            .await?;
        let row = txn
            .query_one_raw(Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT pg_export_snapshot() AS s",
            ))
            .await?
            .context("no snapshot")?;
        let snapshot: String = row.try_get("", "s")?;
        let counts = counts(&txn).await?;
        let file = work.join("database.pgdump");
        let out = tokio::process::Command::new("pg_dump")
            .arg("--format=custom")
            .arg("--no-owner")
            .arg(format!("--snapshot={snapshot}"))
            .arg(format!("--file={}", file.display()))
            .arg(format!("--dbname={}", config.database_url))
            .output()
            .await
            .context("cannot run pg_dump (install the PostgreSQL client)")?;
        txn.commit().await?;
        if !out.status.success() {
            bail!("pg_dump failed: {}", String::from_utf8_lossy(&out.stderr).trim());
        }
        ("postgres", "database.pgdump", counts)
    };
    std::fs::write(work.join("config.toml"), config.without_secrets())?;
    let mut media = Vec::new();
    let mut copied = 0;
    for (sha, path) in originals(&config.data_dir.join("media"))? {
        let target = pool_path(to, &sha);
        let size = if target.exists() {
            std::fs::metadata(&target)?.len()
        } else {
            copied += 1;
            copy_checked(&path, &target, &sha)?
        };
        progress.advance(1);
        media.push(FileEntry {
            path: format!("../media/{}/{sha}", &sha[..2]),
            sha256: sha,
            size,
        });
    }
    let manifest = Manifest {
        format: FORMAT,
        portal_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: content::time::rfc3339_vn(content::time::now()),
        database: database.to_owned(),
        files: vec![entry(work, dump)?, entry(work, "config.toml")?],
        media,
        counts,
    };
    std::fs::write(work.join("manifest.json"), serde_json::to_vec_pretty(&manifest)?)?;
    Ok((manifest, copied))
}

/// Reads a backup's manifest and checks every file against it; the first
/// damaged or missing file is named in the error.
pub fn verify(from: &Path) -> anyhow::Result<Manifest> {
    verify_with(from, &Progress::quiet())
}

/// [`verify`], advancing `progress` by each file checked.
pub fn verify_with(from: &Path, progress: &Progress) -> anyhow::Result<Manifest> {
    let text = std::fs::read(from.join("manifest.json"))
        .with_context(|| format!("{} has no manifest.json: not a backup", from.display()))?;
    let m: Manifest = serde_json::from_slice(&text).context("manifest.json is damaged")?;
    if m.format != FORMAT {
        bail!("backup format {} is not known to this version", m.format);
    }
    for f in m.files.iter().chain(&m.media) {
        let path = from.join(&f.path);
        let (sha, size) = sha256_file(&path).with_context(|| format!("{} is missing", f.path))?;
        if sha != f.sha256 || size != f.size {
            bail!("{} is damaged: its checksum does not match the manifest", f.path);
        }
        progress.advance(1);
    }
    Ok(m)
}

/// Whether the configured database holds no portal yet.
async fn is_empty(config: &Config) -> anyhow::Result<bool> {
    if is_sqlite(&config.database_url) {
        let path = sqlite_path(&config.database_url);
        return Ok(!path.exists() || std::fs::metadata(&path)?.len() == 0);
    }
    let db = sea_orm::Database::connect(&config.database_url).await?;
    let row = db
        .query_one_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
        ))
        .await?
        .context("no answer")?;
    let n: i64 = row.try_get("", "n")?;
    db.close().await?;
    Ok(n == 0)
}

/// What a restore did.
#[derive(Clone, Debug)]
pub struct Restored {
    pub manifest: Manifest,
    pub media: usize,
}

/// Restores the backup at `from` into the empty database and data
/// directory of `config`, after checking every checksum.
pub async fn restore(config: &Config, from: &Path) -> anyhow::Result<Restored> {
    restore_with(config, from, &Progress::quiet()).await
}

/// [`restore`], advancing `progress` by each file checked.
pub async fn restore_with(config: &Config, from: &Path, progress: &Progress) -> anyhow::Result<Restored> {
    let m = verify_with(from, progress)?;
    let expected = if is_sqlite(&config.database_url) {
        "sqlite"
    } else {
        "postgres"
    };
    if m.database != expected {
        bail!(
            "the backup holds a {} database but database_url is {expected}; move between the two with `portal export` and `portal import-all`",
            m.database
        );
    }
    if !is_empty(config).await? {
        bail!("the database is not empty: a restore goes into an empty database only");
    }
    let store = config.data_dir.join("media");
    for f in &m.media {
        let target = store.join("originals").join(&f.sha256[..2]).join(&f.sha256);
        if !target.exists() {
            copy_checked(&from.join(&f.path), &target, &f.sha256)?;
        }
    }
    let dump = m
        .files
        .iter()
        .find(|f| f.path.starts_with("database."))
        .context("the manifest lists no database")?;
    if expected == "sqlite" {
        let path = sqlite_path(&config.database_url);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        copy_checked(&from.join(&dump.path), &path, &dump.sha256)?;
    } else {
        let out = tokio::process::Command::new("pg_restore")
            .arg("--no-owner")
            .arg("--exit-on-error")
            .arg(format!("--dbname={}", config.database_url))
            .arg(from.join(&dump.path))
            .output()
            .await
            .context("cannot run pg_restore (install the PostgreSQL client)")?;
        if !out.status.success() {
            bail!(
                "pg_restore failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
    }
    Ok(Restored {
        media: m.media.len(),
        manifest: m,
    })
}

/// The backups in `dir`, oldest first.
pub fn list(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_dir()
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("portal-"))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    Ok(out)
}

/// Keeps the newest `keep` backups, then drops the pool's originals no
/// kept backup needs.
pub fn prune(dir: &Path, keep: usize) -> anyhow::Result<usize> {
    let all = list(dir)?;
    let drop = all.len().saturating_sub(keep.max(1));
    for old in &all[..drop] {
        std::fs::remove_dir_all(old)?;
    }
    let mut needed = std::collections::HashSet::new();
    for b in &all[drop..] {
        if let Ok(text) = std::fs::read(b.join("manifest.json"))
            && let Ok(m) = serde_json::from_slice::<Manifest>(&text)
        {
            needed.extend(m.media.into_iter().map(|f| f.sha256));
        }
    }
    for (sha, path) in objects(&dir.join("media"))? {
        if !needed.contains(&sha) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(drop)
}

/// A backup as the admin page lists it.
#[derive(Clone, Debug)]
pub struct Listed {
    pub name: String,
    pub created_at: String,
    pub bytes: u64,
    pub counts: BTreeMap<String, u64>,
}

/// The backups in `dir` with their manifests, newest first.
pub fn listed(dir: &Path) -> anyhow::Result<Vec<Listed>> {
    let mut out = Vec::new();
    for b in list(dir)?.into_iter().rev() {
        let Ok(text) = std::fs::read(b.join("manifest.json")) else {
            continue;
        };
        let Ok(m) = serde_json::from_slice::<Manifest>(&text) else {
            continue;
        };
        out.push(Listed {
            name: b
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned(),
            created_at: m.created_at,
            bytes: m.files.iter().chain(&m.media).map(|f| f.size).sum(),
            counts: m.counts,
        });
    }
    Ok(out)
}

/// The day's scheduled backup: after `backup_hour` (Vietnam time), taken
/// by the one node that claims the day (a failure gives the day back, and
/// is retried an hour later). Success and failure are logged and
/// audited (`backup`, `backup.failed`); a failure shows on the admin page.
pub async fn scheduled(state: &crate::state::AppState) {
    use chrono::Timelike;
    let (db, config) = (&state.db, &state.config);
    if config.backup_keep == 0 {
        return;
    }
    let now = content::time::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    if now.hour() < config.backup_hour {
        return;
    }
    {
        // A node looks (and retries a failure) once an hour, not at every tick.
        let mut tried = state.backup_tried.lock().unwrap_or_else(|e| e.into_inner());
        if tried.is_some_and(|t| t.elapsed() < std::time::Duration::from_secs(3600)) {
            return;
        }
        *tried = Some(std::time::Instant::now());
    }
    // One node takes the day's backup; the others see the claim.
    let today = now.date_naive();
    match content::daily::claim(db, content::daily::BACKUP, today).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::error!(error = %e, "scheduled backup FAILED: cannot claim the day");
            return;
        }
    }
    let actor = content::audit::Actor::system("scheduled backup");
    match backup(db, config, &config.backup_dir).await {
        Ok(done) => {
            let pruned = prune(&config.backup_dir, config.backup_keep as usize).unwrap_or(0);
            tracing::info!(dir = %done.dir.display(), bytes = done.bytes, pruned, "scheduled backup written");
            let _ = content::audit::record(
                db,
                &actor,
                "backup",
                None,
                serde_json::json!({"dir": done.dir.display().to_string(), "bytes": done.bytes, "pruned": pruned}),
            )
            .await;
        }
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "scheduled backup FAILED; retried within the hour");
            let _ = content::daily::release(db, content::daily::BACKUP, today).await;
            let _ = content::audit::record(
                db,
                &actor,
                "backup.failed",
                None,
                serde_json::json!({"error": format!("{e:#}")}),
            )
            .await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_path("sqlite://data/portal.db?mode=rwc"),
            PathBuf::from("data/portal.db")
        );
        assert_eq!(sqlite_path("sqlite:/tmp/x.db"), PathBuf::from("/tmp/x.db"));
    }

    #[test]
    fn a_flipped_byte_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let b = dir.path().join("portal-1");
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(b.join("database.sqlite"), b"snapshot").unwrap();
        std::fs::write(b.join("config.toml"), b"listen = \"x\"").unwrap();
        let m = Manifest {
            format: FORMAT,
            portal_version: "0".into(),
            created_at: "now".into(),
            database: "sqlite".into(),
            files: vec![
                entry(&b, "database.sqlite").unwrap(),
                entry(&b, "config.toml").unwrap(),
            ],
            media: Vec::new(),
            counts: BTreeMap::new(),
        };
        std::fs::write(b.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
        assert!(verify(&b).is_ok());
        std::fs::write(b.join("database.sqlite"), b"snapshoT").unwrap();
        let err = verify(&b).unwrap_err().to_string();
        assert!(err.contains("database.sqlite is damaged"), "{err}");
    }
}
