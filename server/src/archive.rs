//! `portal archive --year YYYY --to DIR` (Đ18: the electronic records
//! made while operating the portal are filed and preserved): the year's
//! records as files a records office can keep without the portal.
//!
//! ```text
//! DIR/archive-2026/
//!   manifest.json                  SHA-256 and size of every file, counts
//!   posts/000123/record.json       Dublin Core, the post, every revision,
//!                                  transition (approvals) and comment
//!   posts/000123/index.html        the live revision, rendered
//!   posts/000123/files/…           its cover and attachments
//!   questions/000045/record.json   the question with its full history;
//!                                  the asker's personal data under
//!                                  `personal_data`, marked as such
//!   questions/000045/index.html
//!   audit/audit-log.jsonl          the year's audit log
//!   royalties/proposals.json       proposals decided or paid in the year,
//!                                  with their lines
//! ```
//!
//! Posts first published in the year and questions received in it are
//! filed; a record is written under a hidden name and the archive renamed
//! when complete.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::NaiveDate;
use content::entity::{
    audit_entry, media, post, post_comment, question, question_event, revision, royalty_line,
    royalty_proposal, section, transition,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::{Value, json};

use crate::backup::{FileEntry, entry};
use crate::config::Config;
use crate::progress::Progress;

/// What an archive holds.
#[derive(Clone, Debug, Serialize)]
pub struct ArchiveManifest {
    pub year: i32,
    pub created_at: String,
    pub portal_version: String,
    pub posts: usize,
    pub questions: usize,
    pub audit_entries: usize,
    pub royalty_proposals: usize,
    /// Files holding personal data of askers (Decree 13/2023/NĐ-CP):
    /// kept, as part of the record, and marked.
    pub personal_data_in: Vec<String>,
    pub files: Vec<FileEntry>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A standalone page: the record readable in any browser, without the
/// portal's styles or scripts.
fn page(title: &str, meta: &[(&str, String)], body_html: &str) -> String {
    let rows: String = meta
        .iter()
        .map(|(k, v)| {
            format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                escape(k),
                escape(v)
            )
        })
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\n<body><h1>{t}</h1>\n<table>{rows}</table>\n<hr>\n{body_html}\n</body></html>\n",
        t = escape(title)
    )
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn json_bytes(v: &impl Serialize) -> anyhow::Result<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(v)?)
}

/// A file name safe on every file system, keeping Vietnamese letters.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    if cleaned.trim_matches('_').is_empty() {
        "tep".to_owned()
    } else {
        cleaned
    }
}

/// Files the year's records into `to/archive-YYYY`.
pub async fn archive(
    db: &DatabaseConnection,
    config: &Config,
    year: i32,
    to: &Path,
    progress: &Progress,
) -> anyhow::Result<(PathBuf, ArchiveManifest)> {
    let (Some(first), Some(next)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year + 1, 1, 1),
    ) else {
        bail!("{year} is not a year");
    };
    if !(2000..=2199).contains(&year) {
        bail!("the year must be between 2000 and 2199");
    }
    let from = content::time::start_of_day_vn(first);
    let until = content::time::start_of_day_vn(next);
    let final_dir = to.join(format!("archive-{year}"));
    if final_dir.exists() {
        bail!(
            "{} exists already: the year is archived there",
            final_dir.display()
        );
    }
    let dir = to.join(format!(".archive-{year}.partial"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let result = fill(db, config, year, from, until, &dir, progress).await;
    match result {
        Ok(m) => {
            std::fs::rename(&dir, &final_dir)?;
            Ok((final_dir, m))
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            Err(e)
        }
    }
}

async fn fill(
    db: &DatabaseConnection,
    config: &Config,
    year: i32,
    from: chrono::DateTime<chrono::Utc>,
    until: chrono::DateTime<chrono::Utc>,
    dir: &Path,
    progress: &Progress,
) -> anyhow::Result<ArchiveManifest> {
    let mut rels: Vec<String> = Vec::new();
    let sections = section::Entity::find().all(db).await?;
    let users: std::collections::HashMap<i32, String> = content::entity::user::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let who = |id: Option<i32>| id.and_then(|i| users.get(&i).cloned()).unwrap_or_default();
    let store = content::media::Store::new(config.data_dir.join("media"));

    let posts = post::Entity::find()
        .filter(post::Column::PublishedAt.gte(from))
        .filter(post::Column::PublishedAt.lt(until))
        .order_by_asc(post::Column::Id)
        .all(db)
        .await?;
    for p in &posts {
        let base = format!("posts/{:06}", p.id);
        let revisions = revision::Entity::find()
            .filter(revision::Column::PostId.eq(p.id))
            .order_by_asc(revision::Column::Number)
            .all(db)
            .await?;
        let transitions = transition::Entity::find()
            .filter(transition::Column::PostId.eq(p.id))
            .order_by_asc(transition::Column::Id)
            .all(db)
            .await?;
        let comments = post_comment::Entity::find()
            .filter(post_comment::Column::PostId.eq(p.id))
            .order_by_asc(post_comment::Column::Id)
            .all(db)
            .await?;
        let shown = revisions
            .iter()
            .find(|r| Some(r.id) == p.live_revision_id)
            .or_else(|| revisions.last());
        let section = sections.iter().find(|s| s.id == p.section_id);
        let identifier = section
            .map(|s| format!("{}{}", config.base_url, content::posts::public_path(p, s)))
            .unwrap_or_default();
        let mut file_names = Vec::new();
        if let Some(r) = shown {
            let mut ids: Vec<i32> = serde_json::from_str(&r.attachments).unwrap_or_default();
            ids.extend(r.cover_media_id);
            for m in media::Entity::find()
                .filter(media::Column::Id.is_in(ids))
                .all(db)
                .await?
            {
                let name = format!("{}-{}", m.id, safe_name(&m.file_name));
                let bytes = tokio::fs::read(store.original(&m.sha256))
                    .await
                    .with_context(|| format!("the original of media {} is missing", m.id))?;
                let rel = format!("{base}/files/{name}");
                write(dir, &rel, &bytes)?;
                rels.push(rel);
                file_names.push(
                    json!({"media_id": m.id, "file": format!("files/{name}"), "mime": m.mime,
                    "alt": m.alt, "caption": m.caption, "credit": m.credit}),
                );
            }
        }
        let title = shown.map(|r| r.title.clone()).unwrap_or_default();
        let record = json!({
            "dublin_core": {
                "title": title,
                "creator": who(Some(p.creator_id)),
                "subject": shown.map(|r| serde_json::from_str::<Value>(&r.tags).unwrap_or(Value::Null)),
                "description": shown.map(|r| r.summary.clone()),
                "publisher": "Bảo hiểm xã hội Việt Nam",
                "date": p.published_at.map(content::time::rfc3339_vn),
                "type": "Text",
                "format": "text/html",
                "identifier": identifier,
                "language": p.edition,
                "source": shown.and_then(|r| r.source.clone()),
            },
            "post": p,
            "section": section.map(|s| &s.name_vi),
            "revisions": revisions,
            "transitions": transitions.iter().map(|t| json!({"record": t, "actor": who(t.actor_id),
                "on_behalf_of": who(t.on_behalf_of_id)})).collect::<Vec<_>>(),
            "comments": comments.iter().map(|c| json!({"record": c, "author": who(Some(c.user_id))})).collect::<Vec<_>>(),
            "files": file_names,
        });
        write(dir, &format!("{base}/record.json"), &json_bytes(&record)?)?;
        let html = page(
            &title,
            &[
                (
                    "Ngày đăng",
                    p.published_at.map(content::time::format_vn).unwrap_or_default(),
                ),
                (
                    "Chuyên mục",
                    section.map(|s| s.name_vi.clone()).unwrap_or_default(),
                ),
                ("Địa chỉ", identifier.clone()),
            ],
            &shown
                .map(|r| {
                    format!(
                        "<p><strong>{}</strong></p>\n{}",
                        escape(&r.summary),
                        content::markdown::to_html(&r.body)
                    )
                })
                .unwrap_or_default(),
        );
        write(dir, &format!("{base}/index.html"), html.as_bytes())?;
        rels.push(format!("{base}/record.json"));
        rels.push(format!("{base}/index.html"));
        progress.advance(1);
    }

    let questions = question::Entity::find()
        .filter(question::Column::ReceivedAt.gte(from))
        .filter(question::Column::ReceivedAt.lt(until))
        .order_by_asc(question::Column::Id)
        .all(db)
        .await?;
    let mut personal = Vec::new();
    for q in &questions {
        let base = format!("questions/{:06}", q.id);
        let events = question_event::Entity::find()
            .filter(question_event::Column::QuestionId.eq(q.id))
            .order_by_asc(question_event::Column::Id)
            .all(db)
            .await?;
        let mut fields = serde_json::to_value(q)?;
        let mut personal_data = serde_json::Map::new();
        if let Value::Object(m) = &mut fields {
            for key in ["name", "email", "phone", "address"] {
                if let Some(v) = m.remove(key) {
                    personal_data.insert(key.to_owned(), v);
                }
            }
        }
        let record = json!({
            "dublin_core": {
                "title": q.title,
                "creator": "(người hỏi — xem personal_data)",
                "subject": q.category,
                "description": q.content,
                "publisher": "Bảo hiểm xã hội Việt Nam",
                "date": content::time::rfc3339_vn(q.received_at),
                "type": "Text",
                "identifier": q.tracking_code,
                "language": "vi",
            },
            "question": fields,
            "personal_data": {
                "notice": "Dữ liệu cá nhân của người hỏi (Nghị định 13/2023/NĐ-CP): lưu trữ như một phần của hồ sơ, không công khai.",
                "fields": personal_data,
            },
            "history": events.iter().map(|e| json!({"record": e, "actor": who(e.actor_id)})).collect::<Vec<_>>(),
        });
        let rel = format!("{base}/record.json");
        write(dir, &rel, &json_bytes(&record)?)?;
        personal.push(rel.clone());
        rels.push(rel);
        let html = page(
            &q.title,
            &[
                ("Mã theo dõi", q.tracking_code.clone()),
                ("Ngày nhận", content::time::format_vn(q.received_at)),
                (
                    "Trạng thái",
                    crate::public::i18n::text(content::lang::Lang::Vi, &format!("st_{}", q.status))
                        .to_owned(),
                ),
            ],
            &format!(
                "<h2>Câu hỏi</h2>\n<p>{}</p>\n<h2>Trả lời</h2>\n{}",
                escape(&q.content),
                q.answer
                    .as_deref()
                    .map(content::markdown::to_html)
                    .unwrap_or_default()
            ),
        );
        write(dir, &format!("{base}/index.html"), html.as_bytes())?;
        rels.push(format!("{base}/index.html"));
        progress.advance(1);
    }

    let audit = audit_entry::Entity::find()
        .filter(audit_entry::Column::At.gte(from))
        .filter(audit_entry::Column::At.lt(until))
        .order_by_asc(audit_entry::Column::Id)
        .all(db)
        .await?;
    let mut lines = Vec::new();
    for a in &audit {
        serde_json::to_writer(&mut lines, a)?;
        lines.push(b'\n');
    }
    write(dir, "audit/audit-log.jsonl", &lines)?;
    rels.push("audit/audit-log.jsonl".to_owned());
    progress.advance(audit.len() as u64);

    let proposals: Vec<royalty_proposal::Model> = royalty_proposal::Entity::find()
        .order_by_asc(royalty_proposal::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|p| {
            p.decided_at.is_some_and(|t| t >= from && t < until)
                || p.paid_at.is_some_and(|t| t >= from && t < until)
        })
        .collect();
    if !proposals.is_empty() {
        let ids: Vec<i32> = proposals.iter().map(|p| p.id).collect();
        let lines = royalty_line::Entity::find()
            .filter(royalty_line::Column::ProposalId.is_in(ids))
            .order_by_asc(royalty_line::Column::Id)
            .all(db)
            .await?;
        let all: Vec<Value> = proposals
            .iter()
            .map(|p| json!({"proposal": p, "lines": lines.iter().filter(|l| l.proposal_id == p.id).collect::<Vec<_>>()}))
            .collect();
        write(dir, "royalties/proposals.json", &json_bytes(&all)?)?;
        rels.push("royalties/proposals.json".to_owned());
    }

    let files = rels
        .iter()
        .map(|r| entry(dir, r))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let manifest = ArchiveManifest {
        year,
        created_at: content::time::rfc3339_vn(content::time::now()),
        portal_version: env!("CARGO_PKG_VERSION").to_owned(),
        posts: posts.len(),
        questions: questions.len(),
        audit_entries: audit.len(),
        royalty_proposals: proposals.len(),
        personal_data_in: personal,
        files,
    };
    write(dir, "manifest.json", &json_bytes(&manifest)?)?;
    Ok(manifest)
}
