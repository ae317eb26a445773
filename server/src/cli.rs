//! The `portal` command line.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use content::accounts::{self, NewUser};
use content::audit::Actor;
use content::lang::Lang;
use content::roles::Role;
use content::sections::{self, Node};

use crate::config::Config;

#[derive(Parser)]
#[command(
    name = "portal",
    version,
    about = "Content management system of the Vietnam Social Security e-portal",
    after_help = "Every configuration key can be set in portal.toml or as an environment variable PORTAL_<KEY>, e.g. PORTAL_DATABASE_URL, PORTAL_LISTEN, PORTAL_DATA_DIR, PORTAL_ADMIN_PASSWORD."
)]
pub struct Cli {
    /// Configuration file (TOML).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, seed, create the first admin if needed, and serve HTTP.
    Serve,
    /// Apply pending database migrations and seed missing reference data.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Inspect the section catalogue.
    #[command(subcommand)]
    Section(SectionCommand),
    /// Import content from the old portal.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Load the demo catalogue (five VSS procedures, three online
    /// services) and sample articles in both editions (see
    /// `content/src/seed/demo.rs`) and publish them, so a new
    /// installation shows what the catalogue pages look like.
    DemoData {
        #[arg(long, default_value = "admin")]
        user: String,
    },
    /// Rebuild this node's search index from the database into a new
    /// directory and put it into service; a running server switches to it
    /// without a gap in search.
    Reindex,
    /// Back up the portal while it runs (Đ7.2c): a consistent snapshot of
    /// the database, the media originals (only those the backup directory
    /// lacks are copied), the settings without secrets and a manifest of
    /// SHA-256 checksums and record counts, in a new folder of DIR.
    Backup {
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Restore a backup folder into an empty database and data directory,
    /// after checking every checksum (a damaged backup is refused, naming
    /// the file, and nothing is written). The next start rebuilds the
    /// search index and image derivatives.
    Restore {
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
    },
    /// Write every record as JSON Lines (a file per table) with the media
    /// originals and a manifest of checksums: the same from SQLite and
    /// PostgreSQL, to move an installation between the two.
    Export {
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// File a year's records as electronic files (Đ18): each post first
    /// published that year with its revisions, approvals, comments,
    /// rendered page and files; each question received that year with its
    /// history (the asker's personal data kept and marked); the audit log;
    /// royalty proposals. Admins only; audited.
    Archive {
        #[arg(long, value_name = "YYYY")]
        year: i32,
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
        /// The admin account the archive is made and audited under.
        #[arg(long, default_value = "admin")]
        user: String,
    },
    /// Check the configuration, the database and its migrations, the
    /// search index and every media original against its checksum; print
    /// what is wrong and exit with an error when anything is.
    Check,
    /// Load an export into an empty database (SQLite or PostgreSQL) and
    /// data directory, after checking every checksum.
    ImportAll {
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import posts from JSON Lines (external_id, edition, section, title,
    /// summary, body, published_at, authors, source, tags) and publish them.
    /// Re-running the same file changes nothing.
    Posts {
        #[arg(long, value_name = "F.jsonl")]
        file: PathBuf,
        /// The admin account the imports are audited under.
        #[arg(long, default_value = "admin")]
        user: String,
    },
    /// Import administrative procedures from JSON Lines or CSV (columns
    /// named like the API's fields), matched on `code`: an unchanged record
    /// adds nothing, a changed one adds a version for the Office to approve
    /// (or published at once with `--publish`). Bad lines are reported
    /// with their number.
    Procedures(CatalogueImport),
    /// Import online public services, matched on their name (see
    /// `procedures`).
    OnlineServices(CatalogueImport),
    /// Import I-VAN providers, matched on their name (see `procedures`).
    IvanProviders(CatalogueImport),
    /// Import citizens' questions from JSON Lines (name, email, phone,
    /// address, category, title, content, received_at); their deadlines run
    /// from the original receipt time.
    Questions {
        #[arg(long, value_name = "F.jsonl")]
        file: PathBuf,
    },
}

/// The options of a catalogue import.
#[derive(clap::Args)]
struct CatalogueImport {
    /// JSON Lines (`.jsonl`) or CSV (`.csv`, list fields separated by `|`).
    #[arg(long, value_name = "F")]
    file: PathBuf,
    /// Publish new and changed records at once, outside the chain (audited).
    #[arg(long)]
    publish: bool,
    /// The account the import is made and audited under (an administrator
    /// for `--publish`, else an Office editor).
    #[arg(long, default_value = "admin")]
    user: String,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; prints a generated password when none is given.
    Create {
        username: String,
        #[arg(long)]
        display_name: String,
        #[arg(long)]
        password: Option<String>,
        /// A role to grant (repeatable), e.g. --role editor.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// The unit's code, e.g. communication_centre.
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// List accounts with their roles.
    List,
    /// Disable an account (its sessions end at once); --enable reverses it.
    Disable {
        username: String,
        #[arg(long)]
        enable: bool,
    },
    /// Set a new password (generated and printed when none is given).
    ResetPassword {
        username: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Grant a role.
    Grant { username: String, role: String },
    /// Revoke a role.
    Revoke { username: String, role: String },
}

#[derive(Subcommand)]
enum SectionCommand {
    /// Print the section tree of one or both editions.
    List {
        /// `vi` or `en`; both when absent.
        #[arg(long)]
        edition: Option<String>,
    },
}

/// Parses the command line and runs it.
pub fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref())?;
    init_logging(&config, matches!(cli.command, Command::Serve));
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(run(cli.command, config))
}

fn init_logging(config: &Config, serving: bool) {
    let default = if serving { config.log.as_str() } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_new(default)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.log_format {
        crate::config::LogFormat::Json => logs.json().flatten_event(true).init(),
        crate::config::LogFormat::Text => logs.init(),
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => crate::app::serve(config).await,
        Command::Migrate => {
            crate::app::prepare(config).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::User(cmd) => user(cmd, config).await,
        Command::Reindex => {
            let root = config.search_dir.clone();
            let state = crate::app::prepare(config).await?;
            let progress = crate::progress::Progress::new("reindex", None, "documents");
            let built =
                crate::search::indexer::rebuild_with(&state.db, state.media.store(), &root, &progress)
                    .await?;
            progress.finish();
            println!(
                "indexed {} documents in {:.1} s ({:.0} documents/s) into {}",
                built.documents,
                built.seconds,
                built.documents as f64 / built.seconds.max(1e-9),
                root.join(&built.name).display()
            );
            Ok(())
        }
        Command::Backup { to } => {
            let db = content::db::connect(&config.database_url).await?;
            let progress = crate::progress::Progress::new("backup: media originals", None, "files");
            let done = crate::backup::backup_with(&db, &config, &to, &progress).await?;
            progress.finish();
            content::audit::record(
                &db,
                &Actor::system("portal backup"),
                "backup",
                None,
                serde_json::json!({"dir": done.dir.display().to_string(), "bytes": done.bytes, "counts": done.counts}),
            )
            .await?;
            println!(
                "backup written to {} ({:.1} MB, {} media originals, {} copied this time)",
                done.dir.display(),
                done.bytes as f64 / 1e6,
                done.media,
                done.media_copied
            );
            for (table, n) in &done.counts {
                println!("  {table}: {n}");
            }
            Ok(())
        }
        Command::Archive { year, to, user } => {
            let db = content::db::connect(&config.database_url).await?;
            let by = accounts::get_by_username(&db, &user)
                .await
                .with_context(|| format!("no user `{user}`"))?;
            if !by.roles.is_admin() || by.user.disabled {
                anyhow::bail!("`{user}` is not an active admin; archives are made under an admin account");
            }
            let progress = crate::progress::Progress::new("archive", None, "records");
            let (dir, m) = crate::archive::archive(&db, &config, year, &to, &progress).await?;
            progress.finish();
            content::audit::record(
                &db,
                &Actor {
                    user_id: Some(by.user.id),
                    username: Some(by.user.username.clone()),
                    ip: None,
                },
                "archive",
                None,
                serde_json::json!({"year": year, "dir": dir.display().to_string(), "posts": m.posts,
                    "questions": m.questions, "files": m.files.len()}),
            )
            .await?;
            println!(
                "archived {year}: {} posts, {} questions, {} audit entries, {} royalty proposals, {} files in {}",
                m.posts,
                m.questions,
                m.audit_entries,
                m.royalty_proposals,
                m.files.len(),
                dir.display()
            );
            Ok(())
        }
        Command::Check => crate::check::run(&config).await,
        Command::Export { to } => {
            let db = content::db::connect(&config.database_url).await?;
            let progress = crate::progress::Progress::new("export", None, "records");
            let m = crate::export::export(&db, &config, &to, &progress).await?;
            progress.finish();
            content::audit::record(
                &db,
                &Actor::system("portal export"),
                "export",
                None,
                serde_json::json!({"dir": to.display().to_string(), "tables": m.tables.len(), "media": m.media.len()}),
            )
            .await?;
            let rows: u64 = m.tables.iter().map(|t| t.rows).sum();
            println!(
                "exported {rows} records in {} tables and {} media originals to {}",
                m.tables.len(),
                m.media.len(),
                to.display()
            );
            Ok(())
        }
        Command::ImportAll { from } => {
            let progress = crate::progress::Progress::new("import-all", None, "records");
            let m = crate::export::import_all(&config, &from, &progress).await?;
            progress.finish();
            let db = content::db::connect(&config.database_url).await?;
            content::audit::record(
                &db,
                &Actor::system("portal import-all"),
                "import_all",
                None,
                serde_json::json!({"from": from.display().to_string(), "source": m.source, "created_at": m.created_at}),
            )
            .await?;
            let rows: u64 = m.tables.iter().map(|t| t.rows).sum();
            println!(
                "loaded {rows} records and {} media originals from the {} export of {}; `portal serve` rebuilds the search index on start",
                m.media.len(),
                m.source,
                m.created_at
            );
            Ok(())
        }
        Command::Restore { from } => {
            let progress = crate::progress::Progress::new("restore: checking and copying", None, "files");
            let restored = crate::backup::restore_with(&config, &from, &progress).await?;
            progress.finish();
            let db = content::db::connect(&config.database_url).await?;
            content::audit::record(
                &db,
                &Actor::system("portal restore"),
                "restore",
                None,
                serde_json::json!({"from": from.display().to_string(), "created_at": restored.manifest.created_at}),
            )
            .await?;
            println!(
                "restored the backup of {} ({} media originals); `portal serve` rebuilds the search index on start",
                restored.manifest.created_at, restored.media
            );
            for (table, n) in &restored.manifest.counts {
                println!("  {table}: {n}");
            }
            Ok(())
        }
        Command::Import(ImportCommand::Procedures(a)) => {
            catalogue_import(&content::entries::PROCEDURE, a, config).await
        }
        Command::Import(ImportCommand::OnlineServices(a)) => {
            catalogue_import(&content::entries::ONLINE_SERVICE, a, config).await
        }
        Command::Import(ImportCommand::IvanProviders(a)) => {
            catalogue_import(&content::entries::IVAN_PROVIDER, a, config).await
        }
        Command::DemoData { user } => {
            let state = crate::app::prepare(config).await?;
            let by = importer(&state, &user, true).await?;
            let actor = content::audit::Actor::system("demo-data");
            for (kind, text) in [
                (&content::entries::PROCEDURE, content::seed::demo::PROCEDURES),
                (
                    &content::entries::ONLINE_SERVICE,
                    content::seed::demo::ONLINE_SERVICES,
                ),
            ] {
                let r = content::entries::import(
                    &state.db,
                    &actor,
                    &by,
                    kind,
                    content::entries::json_lines(text),
                    true,
                )
                .await?;
                println!(
                    "{}: {} created, {} updated, {} unchanged, {} published",
                    kind.name, r.created, r.updated, r.unchanged, r.published
                );
            }
            let r = content::import::posts(&state.db, &by, content::seed::demo::POSTS.as_bytes()).await?;
            println!("posts: {} published, {} already there", r.imported, r.skipped);
            if let Some((line, reason)) = r.failed.first() {
                anyhow::bail!("demo post on line {line}: {reason}");
            }
            Ok(())
        }
        Command::Import(ImportCommand::Questions { file }) => {
            let state = crate::app::prepare(config).await?;
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let cal = content::holidays::calendar(&state.db).await?;
            let (mut imported, mut failed) = (0, 0);
            for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                let result = match serde_json::from_str::<QuestionLine>(line) {
                    Ok(q) => {
                        let asked = content::questions::Asked {
                            name: q.name,
                            email: q.email,
                            phone: q.phone,
                            address: q.address,
                            category: q.category,
                            title: q.title,
                            content: q.content,
                            consent: true,
                            channel: content::questions::Channel::Question,
                            edition: content::lang::Lang::Vi,
                        };
                        content::questions::ask(&state.db, &cal, &asked, Some(q.received_at))
                            .await
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                    }
                    Err(e) => Err(format!("not a valid question: {e}")),
                };
                match result {
                    Ok(()) => imported += 1,
                    Err(e) => {
                        failed += 1;
                        eprintln!("{}:{}: {e}", file.display(), i + 1);
                    }
                }
            }
            println!("imported {imported} questions, {failed} failed");
            if failed == 0 {
                Ok(())
            } else {
                anyhow::bail!("{failed} lines failed")
            }
        }
        Command::Import(ImportCommand::Posts { file, user }) => {
            let state = crate::app::prepare(config).await?;
            let by = accounts::get_by_username(&state.db, &user)
                .await
                .with_context(|| format!("no user `{user}`"))?;
            if !by.roles.is_admin() {
                anyhow::bail!("`{user}` is not an admin; imports are audited under an admin account");
            }
            let f = std::fs::File::open(&file).with_context(|| format!("cannot open {}", file.display()))?;
            let size = f.metadata().map(|m| m.len()).ok();
            let start = std::time::Instant::now();
            let progress = crate::progress::Progress::new("import", size, "bytes");
            let reading = crate::progress::Reading {
                inner: f,
                progress: &progress,
            };
            let report = content::import::posts(&state.db, &by, std::io::BufReader::new(reading)).await?;
            progress.finish();
            for (line, reason) in &report.failed {
                eprintln!("{}:{line}: {reason}", file.display());
            }
            println!(
                "imported {} posts, skipped {} already imported, {} failed, in {:.1} s",
                report.imported,
                report.skipped,
                report.failed.len(),
                start.elapsed().as_secs_f64()
            );
            if report.failed.is_empty() {
                Ok(())
            } else {
                anyhow::bail!("{} lines failed", report.failed.len())
            }
        }
        Command::Section(SectionCommand::List { edition }) => {
            let state = crate::app::prepare(config).await?;
            let editions = match edition {
                Some(e) => vec![e.parse::<Lang>()?],
                None => vec![Lang::Vi, Lang::En],
            };
            for e in editions {
                println!("[{e}]");
                for node in sections::tree(&state.db, e, true).await? {
                    print_node(&node, 0);
                }
            }
            Ok(())
        }
    }
}

/// The account an import runs under: an administrator, or (without
/// `--publish`) an Office editor.
async fn importer(
    state: &crate::state::AppState,
    user: &str,
    publish: bool,
) -> anyhow::Result<accounts::Account> {
    let by = accounts::get_by_username(&state.db, user)
        .await
        .with_context(|| format!("no user `{user}`"))?;
    if publish && !by.roles.is_admin() {
        anyhow::bail!("`{user}` is not an admin; only an admin may publish what an import brings");
    }
    Ok(by)
}

async fn catalogue_import(
    kind: &'static content::entries::Kind,
    a: CatalogueImport,
    config: Config,
) -> anyhow::Result<()> {
    let state = crate::app::prepare(config).await?;
    let by = importer(&state, &a.user, a.publish).await?;
    let text =
        std::fs::read_to_string(&a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
    let lines = if a.file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
        content::entries::csv(kind, &text)
    } else {
        content::entries::json_lines(&text)
    };
    let start = std::time::Instant::now();
    let actor = content::audit::Actor {
        user_id: Some(by.user.id),
        username: Some(by.user.username.clone()),
        ip: None,
    };
    let r = content::entries::import(&state.db, &actor, &by, kind, lines, a.publish).await?;
    for (line, reason) in &r.errors {
        eprintln!("{}:{line}: {reason}", a.file.display());
    }
    println!(
        "{}: {} created, {} updated, {} unchanged, {} published, {} failed, in {:.1} s",
        kind.plural,
        r.created,
        r.updated,
        r.unchanged,
        r.published,
        r.errors.len(),
        start.elapsed().as_secs_f64()
    );
    if r.errors.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("{} lines failed", r.errors.len())
    }
}

/// One line of `portal import questions`.
#[derive(serde::Deserialize)]
struct QuestionLine {
    name: String,
    email: String,
    phone: Option<String>,
    address: Option<String>,
    category: String,
    title: String,
    content: String,
    received_at: chrono::DateTime<chrono::Utc>,
}

fn print_node(node: &Node, depth: usize) {
    let s = &node.section;
    let hidden = if s.visible { "" } else { "  (hidden)" };
    println!(
        "{:indent$}{}. {} / {}  [{}]  #{}{hidden}",
        "",
        s.position,
        s.name_vi,
        s.name_en,
        node.slug(),
        s.id,
        indent = depth * 4 + 2
    );
    for child in &node.children {
        print_node(child, depth + 1);
    }
}

fn parse_role(name: &str) -> anyhow::Result<Role> {
    Ok(name.parse::<Role>()?)
}

async fn user(cmd: UserCommand, config: Config) -> anyhow::Result<()> {
    let state = crate::app::prepare(config).await?;
    let db = &state.db;
    let actor = Actor::system("cli");
    match cmd {
        UserCommand::Create {
            username,
            display_name,
            password,
            roles,
            unit,
            email,
        } => {
            let roles = roles
                .iter()
                .map(|r| parse_role(r))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let unit_id = match unit {
                Some(code) => Some(
                    content::units::find_by_code(db, &code)
                        .await?
                        .with_context(|| format!("no unit with code `{code}` (see GET /api/v1/units)"))?
                        .id,
                ),
                None => None,
            };
            let generated = password.is_none().then(accounts::random_password);
            let password = password.or_else(|| generated.clone()).unwrap_or_default();
            let created = accounts::create(
                db,
                &actor,
                &NewUser {
                    username,
                    password,
                    display_name,
                    email,
                    unit_id,
                    roles,
                },
            )
            .await?;
            println!(
                "created user `{}` (id {}) with roles [{}]",
                created.user.username,
                created.user.id,
                created.roles.names().join(", ")
            );
            if let Some(p) = generated {
                println!("password: {p}");
            }
        }
        UserCommand::List => {
            for a in accounts::list(db).await? {
                let state = if a.user.disabled { "disabled" } else { "active" };
                println!(
                    "{:<24} {:<32} {:<9} [{}]",
                    a.user.username,
                    a.user.display_name,
                    state,
                    a.roles.names().join(", ")
                );
            }
        }
        UserCommand::Disable { username, enable } => {
            let a = accounts::get_by_username(db, &username)
                .await
                .with_context(|| format!("no user `{username}`"))?;
            accounts::set_disabled(db, &actor, a.user.id, !enable).await?;
            println!(
                "user `{username}` {}",
                if enable { "enabled" } else { "disabled" }
            );
        }
        UserCommand::ResetPassword { username, password } => {
            let a = accounts::get_by_username(db, &username)
                .await
                .with_context(|| format!("no user `{username}`"))?;
            let generated = password.is_none().then(accounts::random_password);
            let password = password.or_else(|| generated.clone()).unwrap_or_default();
            accounts::reset_password(db, &actor, a.user.id, &password).await?;
            println!("password of `{username}` reset; their sessions have ended");
            if let Some(p) = generated {
                println!("password: {p}");
            }
        }
        UserCommand::Grant { username, role } => {
            let a = accounts::get_by_username(db, &username)
                .await
                .with_context(|| format!("no user `{username}`"))?;
            let updated = accounts::set_role(db, &actor, a.user.id, parse_role(&role)?, true).await?;
            println!("`{username}` now has [{}]", updated.roles.names().join(", "));
        }
        UserCommand::Revoke { username, role } => {
            let a = accounts::get_by_username(db, &username)
                .await
                .with_context(|| format!("no user `{username}`"))?;
            let updated = accounts::set_role(db, &actor, a.user.id, parse_role(&role)?, false).await?;
            println!("`{username}` now has [{}]", updated.roles.names().join(", "));
        }
    }
    Ok(())
}
