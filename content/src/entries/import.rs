//! Importing a catalogue (JSON Lines or CSV, columns named like the JSON
//! fields), idempotent on the kind's key: an unchanged record adds no
//! version, a changed one adds a version that goes through approval, or,
//! when an administrator imports with `publish`, is published at once
//! (audited). A bad line is reported with its number and the others go on.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::{Map, Value};

use super::fields::FieldType;
use super::store::{create, get, save};
use super::transitions::publish_now;
use super::{Kind, fields};
use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::entity::entry;
use crate::error::{Error, Result};
use crate::roles::Role;

/// One record to import: its line number in the file and its fields, or
/// why the line could not be read.
#[derive(Clone, Debug)]
pub struct Line {
    pub number: usize,
    pub record: std::result::Result<Map<String, Value>, String>,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub published: usize,
    /// (line number, reason).
    pub errors: Vec<(usize, String)>,
}

/// Reads JSON Lines: one object per line; blank lines are skipped.
pub fn json_lines(text: &str) -> Vec<Line> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Line {
            number: i + 1,
            record: match serde_json::from_str::<Value>(l) {
                Ok(Value::Object(m)) => Ok(m),
                Ok(_) => Err("not a JSON object".into()),
                Err(e) => Err(format!("not JSON: {e}")),
            },
        })
        .collect()
}

/// Reads CSV with a header row of field names. List fields (files,
/// references, lines) hold their items separated by `|`.
pub fn csv(kind: &Kind, text: &str) -> Vec<Line> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return vec![Line {
                number: 1,
                record: Err(format!("unreadable header: {e}")),
            }];
        }
    };
    reader
        .records()
        .enumerate()
        .map(|(i, r)| Line {
            number: i + 2,
            record: r.map_err(|e| format!("unreadable: {e}")).map(|row| {
                let mut m = Map::new();
                for (name, cell) in headers.iter().zip(row.iter()) {
                    let value = match kind.field(name).map(|f| f.ty) {
                        Some(FieldType::Files) => Value::Array(
                            cell.split('|')
                                .filter_map(|s| s.trim().parse::<i64>().ok())
                                .map(Value::from)
                                .collect(),
                        ),
                        Some(FieldType::Refs { .. } | FieldType::Lines { .. }) => Value::Array(
                            cell.split('|')
                                .map(str::trim)
                                .filter(|s| !s.is_empty())
                                .map(|s| Value::String(s.to_owned()))
                                .collect(),
                        ),
                        _ => Value::String(cell.to_owned()),
                    };
                    m.insert(name.to_owned(), value);
                }
                m
            }),
        })
        .collect()
}

fn message(e: &Error) -> String {
    e.to_string()
}

/// Imports `lines` into `kind`. Only an administrator may `publish`.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    who: &Account,
    kind: &Kind,
    lines: Vec<Line>,
    publish: bool,
) -> Result<ImportReport> {
    super::store::may_edit(kind, who)?;
    if publish && !who.roles.has(Role::Admin) {
        return Err(Error::Forbidden(
            "only an administrator may publish what an import brings".into(),
        ));
    }
    let key_field = kind.key.unwrap_or(kind.title);
    let mut report = ImportReport::default();
    for line in lines {
        let record = match line.record {
            Ok(r) => r,
            Err(e) => {
                report.errors.push((line.number, e));
                continue;
            }
        };
        let data = match fields::check(kind.fields, &record) {
            Ok(d) => d,
            Err(e) => {
                report.errors.push((line.number, message(&e)));
                continue;
            }
        };
        let key = fields::text(&data, key_field).to_owned();
        let existing = if kind.key.is_some() {
            entry::Entity::find()
                .filter(entry::Column::Kind.eq(kind.name))
                .filter(entry::Column::Key.eq(key.as_str()))
                .one(db)
                .await?
        } else {
            entry::Entity::find()
                .filter(entry::Column::Kind.eq(kind.name))
                .filter(entry::Column::Title.eq(key.as_str()))
                .one(db)
                .await?
        };
        let outcome = match existing {
            None => create(db, actor, who, kind, &data).await.map(|f| (f, true, true)),
            Some(e) => save(db, actor, who, kind, e.id, e.working_version, &data)
                .await
                .map(|s| (s.full, false, s.changed)),
        };
        let (full, created, changed) = match outcome {
            Ok(o) => o,
            Err(e @ Error::Db(_)) => return Err(e),
            Err(e) => {
                report.errors.push((line.number, message(&e)));
                continue;
            }
        };
        match (created, changed) {
            (true, _) => report.created += 1,
            (false, true) => report.updated += 1,
            (false, false) => report.unchanged += 1,
        }
        let needs_publishing = full.entry.live_version != Some(full.entry.working_version);
        if publish && needs_publishing {
            let txn = crate::db::begin_write(db).await?;
            publish_now(&txn, kind, &full, who.user.id).await?;
            audit::record(
                &txn,
                actor,
                &format!("{}.import_publish", kind.name),
                Some((kind.name, full.entry.id.to_string())),
                serde_json::json!({"version": full.entry.working_version, "line": line.number}),
            )
            .await?;
            txn.commit().await?;
            get(db, kind, full.entry.id).await?;
            report.published += 1;
        }
    }
    audit::record(
        db,
        actor,
        &format!("{}.import", kind.name),
        None,
        serde_json::json!({
            "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "published": report.published, "errors": report.errors.len(),
        }),
    )
    .await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_and_bad_ones_named() {
        let lines = json_lines("{\"code\": \"1\"}\n\nnot json\n[1]\n");
        assert_eq!(lines.iter().map(|l| l.number).collect::<Vec<_>>(), vec![1, 3, 4]);
        assert!(lines[0].record.is_ok());
        assert!(lines[1].record.as_ref().is_err_and(|e| e.starts_with("not JSON")));
        assert!(lines[2].record.is_err());
    }

    #[test]
    fn csv_columns_become_fields_and_lists_split_on_bars() {
        let lines = csv(
            &super::super::ONLINE_SERVICE,
            "name,level,procedures\nNộp hồ sơ,full,1.000123|1.000124\n",
        );
        let r = lines[0].record.as_ref().unwrap();
        assert_eq!(lines[0].number, 2);
        assert_eq!(r["procedures"], serde_json::json!(["1.000123", "1.000124"]));
    }
}
