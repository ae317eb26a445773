//! Importing posts from the old portal (JSON Lines). Imported posts are
//! published directly: they were approved on the old portal, and each
//! publication is audited under the importing admin's name.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use serde::Deserialize;

use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::changelog::{self, ChangeKind};
use crate::entity::{post, revision, section};
use crate::error::{Error, Result};
use crate::posts::Author;
use crate::text::{clean_line, nfc, slugify};
use crate::workflow::State;

/// Lines written per transaction.
const BATCH: usize = 500;

#[derive(Deserialize)]
struct Line {
    external_id: String,
    edition: String,
    section: String,
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    published_at: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    source: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

/// The outcome of an import run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub imported: usize,
    /// Already imported (same `external_id`).
    pub skipped: usize,
    /// (line number, reason) of every line that could not be imported.
    pub failed: Vec<(usize, String)>,
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
}

/// Imports every line of `reader`. A malformed line is reported with its
/// number and skipped; the rest is imported. Re-running changes nothing.
pub async fn posts(db: &DatabaseConnection, by: &Account, reader: impl BufRead) -> Result<Report> {
    let mut report = Report::default();
    let mut known: HashSet<String> = post::Entity::find()
        .select_only()
        .column(post::Column::ExternalId)
        .filter(post::Column::ExternalId.is_not_null())
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut slugs: HashSet<(String, String)> = post::Entity::find()
        .select_only()
        .column(post::Column::Edition)
        .column(post::Column::Slug)
        .into_tuple::<(String, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut sections: HashMap<(String, String), i32> = HashMap::new();
    for s in section::Entity::find().all(db).await? {
        let slug = s.own_slug().to_owned();
        sections.entry((s.edition.clone(), slug)).or_insert(s.id);
    }
    let actor = Actor {
        user_id: Some(by.user.id),
        username: Some(by.user.username.clone()),
        ip: None,
    };
    let mut batch: Vec<(usize, Line)> = Vec::with_capacity(BATCH);
    for (i, line) in reader.lines().enumerate() {
        let number = i + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                report.failed.push((number, format!("unreadable: {e}")));
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let parsed: Line = match serde_json::from_str(&line) {
            Ok(p) => p,
            Err(e) => {
                report.failed.push((number, format!("not a valid post: {e}")));
                continue;
            }
        };
        if known.contains(&parsed.external_id) {
            report.skipped += 1;
            continue;
        }
        known.insert(parsed.external_id.clone());
        batch.push((number, parsed));
        if batch.len() == BATCH {
            write_batch(
                db,
                &actor,
                by,
                std::mem::take(&mut batch),
                &sections,
                &mut slugs,
                &mut report,
            )
            .await?;
        }
    }
    write_batch(db, &actor, by, batch, &sections, &mut slugs, &mut report).await?;
    Ok(report)
}

async fn write_batch(
    db: &DatabaseConnection,
    actor: &Actor,
    by: &Account,
    batch: Vec<(usize, Line)>,
    sections: &HashMap<(String, String), i32>,
    slugs: &mut HashSet<(String, String)>,
    report: &mut Report,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let txn = db.begin().await?;
    for (number, l) in batch {
        if l.edition != "vi" && l.edition != "en" {
            report
                .failed
                .push((number, "edition must be `vi` or `en`".into()));
            continue;
        }
        let Some(&section_id) = sections.get(&(l.edition.clone(), l.section.clone())) else {
            report.failed.push((
                number,
                format!("no section `{}` in edition {}", l.section, l.edition),
            ));
            continue;
        };
        let title = clean_line(&l.title);
        if title.is_empty() {
            report.failed.push((number, "title is empty".into()));
            continue;
        }
        let published = match l.published_at.as_deref() {
            Some(s) => match parse_time(s) {
                Some(t) => t,
                None => {
                    report
                        .failed
                        .push((number, format!("published_at `{s}` is not a date")));
                    continue;
                }
            },
            None => crate::time::now(),
        };
        let base = {
            let s = slugify(&title);
            let s: String = s.chars().take(120).collect();
            let s = s.trim_end_matches('-').to_owned();
            if s.is_empty() { "bai-viet".to_owned() } else { s }
        };
        let mut slug = base.clone();
        let mut n = 2;
        while slugs.contains(&(l.edition.clone(), slug.clone())) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slugs.insert((l.edition.clone(), slug.clone()));
        let authors: Vec<Author> = l
            .authors
            .iter()
            .map(|a| clean_line(a))
            .filter(|a| !a.is_empty())
            .map(|name| Author::Name { name })
            .collect();
        let tags: Vec<String> = l
            .tags
            .iter()
            .map(|t| clean_line(t))
            .filter(|t| !t.is_empty())
            .collect();
        let now = crate::time::now();
        let p = post::ActiveModel {
            edition: Set(l.edition.clone()),
            section_id: Set(section_id),
            slug: Set(slug.clone()),
            state: Set(State::Published.as_str().to_owned()),
            step: Set(None),
            creator_id: Set(by.user.id),
            revision_id: Set(0),
            revision_number: Set(1),
            live_revision_id: Set(None),
            translation_group: Set(None),
            publish_at: Set(None),
            unpublish_at: Set(None),
            published_at: Set(Some(published)),
            public_updated_at: Set(Some(published)),
            lock_user_id: Set(None),
            lock_expires_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            external_id: Set(Some(l.external_id.clone())),
            title_key: Set(crate::text::title_key(&title)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let rev = revision::ActiveModel {
            post_id: Set(p.id),
            number: Set(1),
            section_id: Set(section_id),
            title: Set(title.clone()),
            summary: Set(nfc(l.summary.trim())),
            body: Set(nfc(&l.body)),
            slug: Set(slug),
            authors: Set(serde_json::to_string(&authors).unwrap_or_else(|_| "[]".into())),
            source: Set(l.source.as_deref().map(clean_line).filter(|s| !s.is_empty())),
            source_url: Set(None),
            reuses_information: Set(false),
            genre: Set("news".into()),
            tags: Set(serde_json::to_string(&tags).unwrap_or_else(|_| "[]".into())),
            cover_media_id: Set(None),
            attachments: Set("[]".into()),
            publish_at: Set(None),
            unpublish_at: Set(None),
            created_by: Set(by.user.id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        post::Entity::update_many()
            .col_expr(post::Column::RevisionId, sea_orm::sea_query::Expr::value(rev.id))
            .col_expr(
                post::Column::LiveRevisionId,
                sea_orm::sea_query::Expr::value(Some(rev.id)),
            )
            .filter(post::Column::Id.eq(p.id))
            .exec(&txn)
            .await?;
        if !crate::media::uses::refs_of(&rev).is_empty() {
            crate::media::uses::set(&txn, p.id, false, Some(&rev)).await?;
            crate::media::uses::set(&txn, p.id, true, Some(&rev)).await?;
        }
        changelog::append(&txn, "post", p.id, ChangeKind::Publish, p.lang()).await?;
        audit::record(
            &txn,
            actor,
            "post.import",
            Some(("post", p.id.to_string())),
            serde_json::json!({"external_id": l.external_id, "line": number}),
        )
        .await?;
        report.imported += 1;
    }
    txn.commit().await.map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn dates_parse_in_both_forms() {
        assert!(parse_time("2025-07-01T08:00:00+07:00").is_some());
        assert_eq!(
            parse_time("2025-07-01").unwrap().to_rfc3339(),
            "2025-07-01T00:00:00+00:00"
        );
        assert!(parse_time("01/07/2025").is_none());
    }
}
