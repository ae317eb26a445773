//! What changes with time alone ([`Clock`]): a legal document's status
//! follows its dates and the documents that replace it; a draft is open
//! for comments inside its window (Đ11.1a). The page, the API and the
//! lists compute the same values here; [`refresh`] keeps the lists'
//! filters in step as days pass, without anyone editing.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Map, Value};

use super::kinds::{self, Clock, Kind};
use super::{fields, public};
use crate::entity::{entry, entry_facet};
use crate::error::{Error, Result};

fn date(data: &Map<String, Value>, name: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(fields::text(data, name), "%Y-%m-%d").ok()
}

fn moment(data: &Map<String, Value>, name: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(fields::text(data, name))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A legal document's status on `today`: expired once `expired_on` has
/// come or a document replacing it has taken effect (`replaced_from`);
/// not yet in force before `effective_from`; otherwise as declared
/// (partly expired, expired) or in force.
pub fn document_status(
    data: &Map<String, Value>,
    replaced_from: Option<NaiveDate>,
    today: NaiveDate,
) -> &'static str {
    let declared = fields::text(data, "status");
    if date(data, "expired_on").is_some_and(|d| d <= today)
        || replaced_from.is_some_and(|d| d <= today)
        || declared == "expired"
    {
        "expired"
    } else if date(data, "effective_from").is_some_and(|d| d > today) {
        "not_yet_in_force"
    } else if declared == "partly_expired" {
        "partly_expired"
    } else {
        "in_force"
    }
}

/// A draft's consultation status at `now`.
pub fn window_status(data: &Map<String, Value>, now: DateTime<Utc>) -> &'static str {
    match (moment(data, "opens_at"), moment(data, "closes_at")) {
        (Some(o), _) if now < o => "upcoming",
        (_, Some(c)) if now >= c => "closed",
        _ => "open",
    }
}

/// The window of a draft: when it opens and closes.
pub fn window(data: &Map<String, Value>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    Some((moment(data, "opens_at")?, moment(data, "closes_at")?))
}

/// Checks what the clock needs of the fields: a window that closes after
/// it opens, a document that expires after it takes effect.
pub fn check(kind: &Kind, data: &Map<String, Value>) -> Result<()> {
    match kind.clock {
        Some(Clock::Window) => {
            if let Some((o, c)) = window(data)
                && c <= o
            {
                return Err(Error::invalid("closes_at", "must be after opens_at"));
            }
        }
        Some(Clock::InForce) => {
            if let (Some(from), Some(until)) = (date(data, "effective_from"), date(data, "expired_on"))
                && until < from
            {
                return Err(Error::invalid("expired_on", "must not be before effective_from"));
            }
        }
        None => {}
    }
    Ok(())
}

/// The derived values of an entry at `now`, given when a document
/// replacing it takes effect.
pub fn derived(
    kind: &Kind,
    data: &Map<String, Value>,
    replaced_from: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Vec<(&'static str, String)> {
    match kind.clock {
        Some(Clock::InForce) => {
            let today = crate::time::date_vn(now);
            let mut out = vec![("status", document_status(data, replaced_from, today).to_owned())];
            if let Some(d) = date(data, "issued_on") {
                out.push(("year", d.format("%Y").to_string()));
            }
            out
        }
        Some(Clock::Window) => vec![("status", window_status(data, now).to_owned())],
        None => Vec::new(),
    }
}

/// When the earliest live document replacing the one keyed `key` takes
/// effect: one that says it `replaces` it, or one it says it is
/// `replaced_by` (its effective date, else its issue date).
pub async fn replaced_from(
    db: &impl ConnectionTrait,
    kind: &Kind,
    key: &str,
    data: &Map<String, Value>,
) -> Result<Option<NaiveDate>> {
    if kind.clock != Some(Clock::InForce) {
        return Ok(None);
    }
    let mut ids: Vec<i32> = entry_facet::Entity::find()
        .filter(entry_facet::Column::Live.eq(true))
        .filter(entry_facet::Column::Kind.eq(kind.name))
        .filter(entry_facet::Column::Name.eq("replaces"))
        .filter(entry_facet::Column::Value.eq(key))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.entry_id)
        .collect();
    let declared: Vec<String> = data
        .get("replaced_by")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    if !declared.is_empty() {
        ids.extend(
            entry::Entity::find()
                .filter(entry::Column::Kind.eq(kind.name))
                .filter(entry::Column::Key.is_in(declared))
                .all(db)
                .await?
                .into_iter()
                .map(|e| e.id),
        );
    }
    if ids.is_empty() {
        return Ok(None);
    }
    Ok(public::live_all(db, kind, Some(&ids))
        .await?
        .iter()
        .filter_map(|(_, d)| date(d, "effective_from").or_else(|| date(d, "issued_on")))
        .min())
}

/// The derived values of an entry now, relations included.
pub async fn derived_now(
    db: &impl ConnectionTrait,
    kind: &Kind,
    key: &str,
    data: &Map<String, Value>,
) -> Result<Vec<(&'static str, String)>> {
    let replaced = replaced_from(db, kind, key, data).await?;
    Ok(derived(kind, data, replaced, crate::time::now()))
}

/// Rewrites the derived filter values of live entries whose status the
/// passing time (or a newly published document) has changed, and tells
/// the change log so lists, pages and the index follow. Returns how many
/// entries changed.
pub async fn refresh(db: &impl ConnectionTrait, keys: Option<(&Kind, &[String])>) -> Result<usize> {
    let mut changed = 0;
    for kind in kinds::ALL.iter().copied().filter(|k| k.clock.is_some()) {
        let ids = match keys {
            Some((k, keys)) if k.name == kind.name => Some(
                entry::Entity::find()
                    .filter(entry::Column::Kind.eq(kind.name))
                    .filter(entry::Column::Key.is_in(keys.to_vec()))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|e| e.id)
                    .collect::<Vec<_>>(),
            ),
            Some(_) => continue,
            None => None,
        };
        for (e, data) in public::live_all(db, kind, ids.as_deref()).await? {
            let now = derived_now(db, kind, &e.key, &data).await?;
            let stored: Vec<(String, String)> = entry_facet::Entity::find()
                .filter(entry_facet::Column::EntryId.eq(e.id))
                .filter(entry_facet::Column::Live.eq(true))
                .all(db)
                .await?
                .into_iter()
                .map(|f| (f.name, f.value))
                .collect();
            if now
                .iter()
                .all(|(n, v)| stored.iter().any(|(sn, sv)| sn == n && sv == v))
            {
                continue;
            }
            super::store::set_facets(db, kind, e.id, &e.key, true, Some(&data)).await?;
            let lang = crate::sections::get(db, e.live_section_id.unwrap_or(e.section_id))
                .await?
                .lang();
            crate::changelog::append(db, kind.name, e.id, crate::changelog::ChangeKind::Update, lang).await?;
            changed += 1;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_document_expires_by_its_date_without_anyone_editing() {
        let d = map(json!({"effective_from": "2016-12-31", "expired_on": "2026-07-01"}));
        assert_eq!(document_status(&d, None, day("2016-12-30")), "not_yet_in_force");
        assert_eq!(document_status(&d, None, day("2026-06-30")), "in_force");
        assert_eq!(document_status(&d, None, day("2026-07-01")), "expired");
    }

    #[test]
    fn a_document_expires_when_its_replacement_takes_effect() {
        let d = map(json!({"effective_from": "2016-12-31", "status": "partly_expired"}));
        assert_eq!(document_status(&d, None, day("2025-01-01")), "partly_expired");
        assert_eq!(
            document_status(&d, Some(day("2026-07-01")), day("2026-06-30")),
            "partly_expired"
        );
        assert_eq!(
            document_status(&d, Some(day("2026-07-01")), day("2026-07-01")),
            "expired"
        );
    }

    #[test]
    fn a_declared_status_never_overrides_the_dates() {
        let d = map(json!({"effective_from": "2027-01-01", "status": "in_force"}));
        assert_eq!(document_status(&d, None, day("2026-11-30")), "not_yet_in_force");
    }

    #[test]
    fn a_window_opens_and_closes() {
        let d =
            map(json!({"opens_at": "2026-12-01T08:00:00+07:00", "closes_at": "2026-12-31T17:00:00+07:00"}));
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(window_status(&d, at("2026-12-01T07:59:59+07:00")), "upcoming");
        assert_eq!(window_status(&d, at("2026-12-01T08:00:00+07:00")), "open");
        assert_eq!(window_status(&d, at("2026-12-31T16:59:59+07:00")), "open");
        assert_eq!(window_status(&d, at("2026-12-31T17:00:00+07:00")), "closed");
    }

    #[test]
    fn a_window_must_close_after_it_opens() {
        let d =
            map(json!({"opens_at": "2026-12-31T08:00:00+07:00", "closes_at": "2026-12-01T08:00:00+07:00"}));
        assert!(check(&kinds::CONSULTATION, &d).is_err());
    }
}
