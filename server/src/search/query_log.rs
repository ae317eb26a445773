//! The search query log, buffered in memory and written in batches so that
//! logging never slows a search down (the table is for a yearly report,
//! not an acknowledged write).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

use content::search_log::Entry;
use sea_orm::DatabaseConnection;

/// Distinct queries kept while the database is unreachable.
const MAX_BUFFERED: usize = 50_000;
/// Longest query text logged, in characters.
const MAX_QUERY_CHARS: usize = 200;
/// How often the buffer is written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(2);

/// Searches not yet written, one entry per edition, text and result
/// count: under load the same popular queries repeat thousands of times
/// between two flushes, and writing each as its own row would cost the
/// database more than the searches cost the index.
#[derive(Default)]
pub struct QueryLog {
    buffer: Mutex<HashMap<Key, Entry>>,
}

/// Lang, normalised text, result count.
type Key = (String, String, i64);

/// The query as stored: normalised like the index sees it (NFC, lower case,
/// canonical tone marks), whitespace collapsed, bounded in length.
pub fn normalized(text: &str) -> String {
    let normalized = search_index::normalize(text);
    let words: Vec<&str> = normalized.split_whitespace().collect();
    words.join(" ").chars().take(MAX_QUERY_CHARS).collect()
}

impl QueryLog {
    /// Notes a search. Empty queries (filter-only browsing) are not logged.
    pub fn record(&self, edition: &str, text: &str, results: usize, took_ms: u64) {
        let query = normalized(text);
        if query.is_empty() {
            return;
        }
        let entry = Entry {
            at: content::time::now(),
            edition: edition.to_owned(),
            query,
            results: results as i64,
            took_ms: took_ms.min(i32::MAX as u64) as i32,
            searches: 1,
        };
        add(&mut self.buffer.lock().unwrap_or_else(|e| e.into_inner()), entry);
    }

    /// Writes what is buffered, oldest first; on failure the entries not
    /// written are kept for the next attempt.
    pub async fn flush(&self, db: &DatabaseConnection) {
        let mut batch: Vec<Entry> =
            std::mem::take(&mut *self.buffer.lock().unwrap_or_else(|e| e.into_inner()))
                .into_values()
                .collect();
        batch.sort_by_key(|e| e.at);
        for (i, chunk) in batch.chunks(500).enumerate() {
            if let Err(e) = content::search_log::record(db, chunk).await {
                tracing::warn!(error = %e, "cannot write the search query log; will retry");
                let mut buffer = self.buffer.lock().unwrap_or_else(|e| e.into_inner());
                for entry in batch.drain(i * 500..) {
                    add(&mut buffer, entry);
                }
                return;
            }
        }
    }
}

/// Merges `entry` into the buffer. Beyond [`MAX_BUFFERED`] distinct
/// queries (the database has been away for long) new ones are dropped
/// rather than growing without bound.
fn add(buffer: &mut HashMap<Key, Entry>, entry: Entry) {
    let key = (entry.edition.clone(), entry.query.clone(), entry.results);
    if let Some(known) = buffer.get_mut(&key) {
        known.searches += entry.searches;
        known.took_ms = known.took_ms.max(entry.took_ms);
        known.at = known.at.min(entry.at);
    } else if buffer.len() < MAX_BUFFERED {
        buffer.insert(key, entry);
    }
}

/// The days a query-log report covers, in Vietnam time, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Reads `from` and `to` (YYYY-MM-DD, empty for the default: the 30
    /// days up to today).
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Period, super::Invalid> {
        let day = |s: Option<&str>, field: &'static str| {
            s.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| super::Invalid {
                        field,
                        message: "must be a date YYYY-MM-DD",
                    })
                })
                .transpose()
        };
        let today = content::time::today_vn();
        let to = day(to, "to")?.unwrap_or(today);
        let from = day(from, "from")?.unwrap_or(to - chrono::Days::new(29));
        if from > to {
            return Err(super::Invalid {
                field: "to",
                message: "must not be before from",
            });
        }
        Ok(Period { from, to })
    }

    /// The period as instants: `[start of from, start of the day after to)`.
    pub fn bounds(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = |d: NaiveDate| {
            Ho_Chi_Minh
                .from_local_datetime(&d.and_time(NaiveTime::MIN))
                .earliest()
                .map_or(DateTime::<Utc>::MAX_UTC, |t| t.with_timezone(&Utc))
        };
        (
            start(self.from),
            self.to.succ_opt().map_or(DateTime::<Utc>::MAX_UTC, start),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_vietnam_days() {
        let p = Period::parse(Some("2026-01-01"), Some("2026-01-31")).expect("valid");
        let (from, to) = p.bounds();
        assert_eq!(from.to_rfc3339(), "2025-12-31T17:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-01-31T17:00:00+00:00");
        assert!(Period::parse(Some("2026-02-01"), Some("2026-01-01")).is_err());
        assert_eq!(
            Period::parse(Some("x"), None).err().map(|e| e.field),
            Some("from")
        );
        let default = Period::parse(None, Some("")).expect("default");
        assert_eq!(default.to - default.from, chrono::TimeDelta::days(29));
    }

    #[test]
    fn queries_are_logged_normalised() {
        assert_eq!(normalized("  Bảo   HIỂM  hoà\tbình "), "bảo hiểm hòa bình");
        assert_eq!(normalized("   "), "");
        assert_eq!(normalized(&"a".repeat(500)).len(), MAX_QUERY_CHARS);
    }

    #[test]
    fn empty_queries_are_not_logged_and_repeats_share_an_entry() {
        let log = QueryLog::default();
        log.record("vi", "  ", 3, 1);
        log.record("vi", "lương hưu", 0, 1);
        log.record("vi", "Lương  HƯU", 0, 7);
        log.record("en", "lương hưu", 0, 2);
        log.record("vi", "lương hưu", 4, 2);
        let buffer = log.buffer.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(buffer.len(), 3);
        let repeated = &buffer[&("vi".to_string(), "lương hưu".to_string(), 0)];
        assert_eq!((repeated.searches, repeated.took_ms), (2, 7));
        assert_eq!(buffer.values().map(|e| e.searches).sum::<i64>(), 4);
    }

    #[test]
    fn the_buffer_is_bounded() {
        let mut buffer = HashMap::new();
        let entry = |query: String| Entry {
            at: content::time::now(),
            edition: "vi".into(),
            query,
            results: 1,
            took_ms: 1,
            searches: 1,
        };
        for i in 0..MAX_BUFFERED + 10 {
            add(&mut buffer, entry(format!("q{i}")));
        }
        add(&mut buffer, entry("q0".into()));
        assert_eq!(buffer.len(), MAX_BUFFERED);
        assert_eq!(buffer[&("vi".to_string(), "q0".to_string(), 1)].searches, 2);
    }
}
