//! `/metrics` in the Prometheus text format (Đ16.1: the IT Centre keeps
//! the portal running and needs to see it): requests by route and status
//! with latency histograms, the database pool, each change-log follower's
//! lag, the search index, the outbox, the scheduler and the last backup.
//! Readable with `metrics_token` from anywhere, or without it from
//! `metrics_allow` (loopback by default); everyone else gets 404, as if
//! there were nothing here.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use poem::http::{StatusCode, header};
use poem::web::Data;
use poem::{Request, Response, handler};

use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// What the server counts as it runs.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, &'static str, u16), Histogram>>,
    scheduler_runs: AtomicU64,
    scheduler_last: AtomicI64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, method: &poem::http::Method, path: &str, status: u16, seconds: f64) {
        let key = (route_of(path, status), method_name(method), status);
        let mut all = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        let h = all.entry(key).or_default();
        for (i, le) in BUCKETS.iter().enumerate() {
            if seconds <= *le {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
    }

    /// Counts one run of the scheduler's loop.
    pub fn scheduler_ran(&self) {
        self.scheduler_runs.fetch_add(1, Ordering::Relaxed);
        self.scheduler_last
            .store(content::time::now().timestamp(), Ordering::Relaxed);
    }
}

fn method_name(m: &poem::http::Method) -> &'static str {
    match m.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        _ => "OTHER",
    }
}

/// The route a path belongs to, with ids and slugs replaced, so the
/// number of series stays bounded whatever the clients ask for.
pub fn route_of(path: &str, status: u16) -> String {
    if status == 404 {
        return "unmatched".to_owned();
    }
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let generic = |segs: &[&str], keep: usize| {
        let mut out = String::new();
        for (i, s) in segs.iter().enumerate().take(6) {
            out.push('/');
            if s.bytes().all(|b| b.is_ascii_digit()) {
                out.push_str("{id}");
            } else if i < keep
                || s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_')
            {
                out.push_str(s);
            } else {
                out.push_str("{value}");
            }
        }
        if out.is_empty() { "/".to_owned() } else { out }
    };
    match segs.as_slice() {
        [] => "/".to_owned(),
        ["api", ..] | ["editor", ..] => generic(&segs, 2),
        ["media", _, _] => "/media/{id}/{file}".to_owned(),
        ["static", _] => "/static/{file}".to_owned(),
        ["consultation-files", _] => "/consultation-files/{id}".to_owned(),
        ["open-data", _] => "/open-data/{file}".to_owned(),
        ["vi" | "en"] => "/{edition}".to_owned(),
        ["vi" | "en", ..] => "/{edition}/{page}".to_owned(),
        [one] => format!("/{}", if one.len() <= 20 { one } else { "{value}" }),
        _ => "other".to_owned(),
    }
}

fn allowed(state: &AppState, req: &Request) -> bool {
    let config = &state.config;
    let token_ok = config.metrics_token.as_ref().is_some_and(|want| {
        req.headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|got| constant_time_eq(got.as_bytes(), want.as_bytes()))
    });
    let peer = req.remote_addr().as_socket_addr().map(|a| a.ip().to_canonical());
    token_ok || peer.is_some_and(|ip| config.metrics_allow.contains(&ip))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `GET /metrics`.
#[handler]
pub async fn metrics(state: Data<&AppState>, req: &Request) -> Response {
    if !allowed(&state, req) {
        return Response::builder().status(StatusCode::NOT_FOUND).finish();
    }
    Response::builder()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(render(&state).await)
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

async fn render(state: &AppState) -> String {
    let mut out = String::new();
    let m = &state.metrics;
    family(
        &mut out,
        "portal_http_requests_total",
        "counter",
        "Answered requests by route, method and status.",
    );
    family(
        &mut out,
        "portal_http_request_duration_seconds",
        "histogram",
        "Time to answer, by route and method.",
    );
    let requests = m.requests.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut durations: BTreeMap<(String, &'static str), Histogram> = BTreeMap::new();
    for ((route, method, status), h) in &requests {
        let _ = writeln!(
            out,
            "portal_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {}",
            h.count
        );
        let d = durations.entry((route.clone(), method)).or_default();
        for i in 0..BUCKETS.len() {
            d.counts[i] += h.counts[i];
        }
        d.count += h.count;
        d.sum += h.sum;
    }
    for ((route, method), h) in &durations {
        for (le, n) in BUCKETS.iter().zip(h.counts) {
            let _ = writeln!(
                out,
                "portal_http_request_duration_seconds_bucket{{route=\"{route}\",method=\"{method}\",le=\"{le}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "portal_http_request_duration_seconds_bucket{{route=\"{route}\",method=\"{method}\",le=\"+Inf\"}} {}",
            h.count
        );
        let _ = writeln!(
            out,
            "portal_http_request_duration_seconds_sum{{route=\"{route}\",method=\"{method}\"}} {}",
            h.sum
        );
        let _ = writeln!(
            out,
            "portal_http_request_duration_seconds_count{{route=\"{route}\",method=\"{method}\"}} {}",
            h.count
        );
    }

    let (size, idle) = pool(&state.db);
    family(
        &mut out,
        "portal_db_pool_connections",
        "gauge",
        "Open database connections.",
    );
    let _ = writeln!(out, "portal_db_pool_connections {size}");
    family(
        &mut out,
        "portal_db_pool_idle_connections",
        "gauge",
        "Idle database connections.",
    );
    let _ = writeln!(out, "portal_db_pool_idle_connections {idle}");
    let up = state.db.ping().await.is_ok();
    family(&mut out, "portal_db_up", "gauge", "Whether the database answers.");
    let _ = writeln!(out, "portal_db_up {}", u8::from(up));

    let head = content::changelog::settled_head(&state.db).await.ok();
    let index = state.search.index();
    let followers = [
        ("catalogue", state.catalog.cursor().await),
        ("search", index.as_ref().and_then(|i| i.cursor().ok().flatten())),
    ];
    family(
        &mut out,
        "portal_changelog_lag",
        "gauge",
        "Change-log entries a follower has not applied yet (the page cache follows the catalogue).",
    );
    for (name, cursor) in followers {
        if let (Some(h), Some(c)) = (head, cursor) {
            let _ = writeln!(
                out,
                "portal_changelog_lag{{follower=\"{name}\"}} {}",
                (h - c).max(0)
            );
        }
    }
    family(
        &mut out,
        "portal_search_documents",
        "gauge",
        "Documents in this node's search index.",
    );
    let _ = writeln!(
        out,
        "portal_search_documents {}",
        index.as_ref().map_or(0, |i| i.doc_count())
    );
    family(
        &mut out,
        "portal_search_index_bytes",
        "gauge",
        "Size of this node's search index on disk.",
    );
    let _ = writeln!(out, "portal_search_index_bytes {}", dir_size(state.search.root()));

    family(
        &mut out,
        "portal_outbox_messages",
        "gauge",
        "Mail waiting in the outbox.",
    );
    let _ = writeln!(out, "portal_outbox_messages {}", files_in(state.outbox.dir()));
    family(
        &mut out,
        "portal_pending_counts",
        "gauge",
        "Downloads and page views not yet written.",
    );
    let _ = writeln!(
        out,
        "portal_pending_counts{{kind=\"downloads\"}} {}",
        state.downloads.pending()
    );
    let _ = writeln!(
        out,
        "portal_pending_counts{{kind=\"views\"}} {}",
        state.views.pending()
    );

    family(
        &mut out,
        "portal_scheduler_runs_total",
        "counter",
        "Runs of the scheduler on this node.",
    );
    let _ = writeln!(
        out,
        "portal_scheduler_runs_total {}",
        m.scheduler_runs.load(Ordering::Relaxed)
    );
    family(
        &mut out,
        "portal_scheduler_last_run_timestamp_seconds",
        "gauge",
        "When the scheduler last ran.",
    );
    let _ = writeln!(
        out,
        "portal_scheduler_last_run_timestamp_seconds {}",
        m.scheduler_last.load(Ordering::Relaxed)
    );

    let dir = state.config.backup_dir.clone();
    let newest = tokio::task::spawn_blocking(move || {
        crate::backup::listed(&dir)
            .ok()
            .and_then(|l| l.into_iter().next())
    })
    .await
    .ok()
    .flatten();
    family(
        &mut out,
        "portal_backup_age_seconds",
        "gauge",
        "Age of the newest backup in backup_dir (absent when there is none).",
    );
    if let Some(b) = newest
        && let Ok(at) = chrono::DateTime::parse_from_rfc3339(&b.created_at)
    {
        let age = (content::time::now() - at.with_timezone(&chrono::Utc))
            .num_seconds()
            .max(0);
        let _ = writeln!(out, "portal_backup_age_seconds {age}");
        let _ = writeln!(out, "portal_backup_bytes {}", b.bytes);
    }
    out
}

fn pool(db: &sea_orm::DatabaseConnection) -> (u32, usize) {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (p.size(), p.num_idle())
        }
        _ => {
            let p = db.get_sqlite_connection_pool();
            (p.size(), p.num_idle())
        }
    }
}

fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).filter(|e| e.path().is_file()).count())
        .unwrap_or(0)
}

fn dir_size(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::route_of;

    #[test]
    fn routes_do_not_grow_with_what_clients_ask() {
        assert_eq!(
            route_of("/api/v1/posts/123/transitions", 200),
            "/api/v1/posts/{id}/transitions"
        );
        assert_eq!(route_of("/vi/tin-tuc/bai-viet-moi", 200), "/{edition}/{page}");
        assert_eq!(route_of("/media/5/w640.webp", 200), "/media/{id}/{file}");
        assert_eq!(route_of("/anything/at/all", 404), "unmatched");
        assert_eq!(route_of("/api/v1/posts/Xyz", 200), "/api/v1/posts/{value}");
        assert_eq!(route_of("/healthz", 200), "/healthz");
    }
}
