//! Assembling and running the server: start-up (migrate, seed, first
//! admin), the route table, middleware, graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use poem::listener::{Acceptor, TcpAcceptor};
use poem::middleware::{Compression, CookieJarManager};
use poem::{
    Endpoint, EndpointExt, IntoEndpoint, IntoResponse, Request, Response, Route, Server, get, handler,
};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::problem::{self, ApiError};
use crate::state::AppState;

/// Opens storage and brings it up to date: creates the data directory,
/// connects, migrates, seeds what is missing and creates the first admin.
pub async fn prepare(config: Config) -> anyhow::Result<AppState> {
    content::questions::set_petition_days(config.petition_days);
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
    let db = content::db::connect(&config.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database (database_url = {})",
                redact(&config.database_url)
            )
        })?;
    content::db::migrate(&db)
        .await
        .context("database migration failed")?;
    let seeded = content::seed::run(&db).await.context("seeding failed")?;
    if seeded != content::seed::Seeded::default() {
        tracing::info!(
            units = seeded.units,
            sections = seeded.sections,
            "seeded missing reference data"
        );
    }
    let first =
        content::accounts::ensure_first_admin(&db, &config.admin_username, config.admin_password.as_deref())
            .await
            .context("cannot create the first admin account")?;
    if let Some((account, generated)) = first {
        match generated {
            Some(password) => eprintln!(
                "\nFirst admin account created.\n  user name: {}\n  password:  {password}\nThis password is shown once: log in at /editor and change it.\n",
                account.user.username
            ),
            None => eprintln!(
                "First admin account `{}` created with the password from admin_password.",
                account.user.username
            ),
        }
    }
    Ok(AppState::new(db, config))
}

/// Hides the password in a database URL for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].find(':') {
            Some(colon) => format!("{}:***{}", &url[..s + 3 + colon], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

/// The whole route table.
pub fn routes(state: &AppState) -> impl Endpoint + 'static {
    let api = crate::api::service(state);
    let spec = crate::api::description(&api.spec());
    let docs = api.swagger_ui();
    let allow = Arc::new(crate::api::Allow::from_spec(&spec));
    let upload_limit = state.media.limits().max_body();
    let hsts = (state.config.cookie_secure && state.config.hsts_max_age_secs > 0)
        .then_some(state.config.hsts_max_age_secs);
    let policy = Arc::new(crate::headers::Policy::new(hsts));
    let metered = state.clone();
    Route::new()
        .nest(
            "/api/v1",
            api.into_endpoint()
                .catch_all_error(problem::render)
                .around(move |ep, req| allow.clone().apply(ep, req)),
        )
        .at(
            "/api/openapi.json",
            get(poem::endpoint::make_sync(move |_| {
                poem::Response::builder()
                    .content_type("application/json; charset=utf-8")
                    .body(spec.clone())
            })),
        )
        .nest("/api/docs", docs)
        .nest("/editor", crate::editor::routes(state))
        .at(
            "/media/:id/original",
            get(crate::media_files::original).data(state.clone()),
        )
        .at(
            "/media/:id/:file",
            get(crate::media_files::derivative).data(state.clone()),
        )
        .at("/healthz", get(healthz))
        .at("/metrics", get(crate::metrics::metrics).data(state.clone()))
        .at("/readyz", get(readyz).data(state.clone()))
        .at("/", get(crate::public::root).data(state.clone()))
        .at(
            "/sitemap.xml",
            get(crate::public::sitemap_xml).data(state.clone()),
        )
        .at(
            "/sitemaps/:file",
            get(crate::public::sitemap_part).data(state.clone()),
        )
        .at(
            "/static/:file",
            get(crate::public::stylesheet).data(state.clone()),
        )
        .at("/brand/:file", get(crate::public::brand_file).data(state.clone()))
        .at("/favicon.ico", get(crate::public::favicon).data(state.clone()))
        .at("/favicon.svg", get(crate::public::favicon).data(state.clone()))
        .at("/reading-aids", get(crate::public::reading_aids_switch))
        .at("/reading-aids.css", get(crate::public::reading_aids_css))
        .at("/preview/:token", get(crate::public::preview).data(state.clone()))
        .at(
            "/consultation-files/:id",
            get(crate::media_files::comment_file).data(state.clone()),
        )
        .at(
            "/open-data/:file",
            get(crate::public::open_data).data(state.clone()),
        )
        .at("/:edition", get(crate::public::edition_home).data(state.clone()))
        .at(
            "/:edition/*rest",
            get(crate::public::public_page)
                .post(crate::public::public_form)
                .data(state.clone()),
        )
        .with(CookieJarManager::new())
        .with(Compression::new())
        .around(move |ep, req| crate::body_limit::limit_body(ep, req, upload_limit))
        .around(move |ep, req| policy.clone().apply(ep, req))
        .around(move |ep, req| log_request(ep, req, metered.clone()))
}

/// The process is alive.
#[handler]
fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: its database answers.
#[handler]
async fn readyz(state: poem::web::Data<&AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            poem::error::ResponseError::as_response(&ApiError::unavailable("the database is not reachable"))
        }
    }
}

/// One log line per request, with a request id also returned in
/// `X-Request-Id` (an incoming well-formed id is kept, so a proxy's id
/// follows the request).
async fn log_request<E: Endpoint>(ep: Arc<E>, req: Request, state: AppState) -> poem::Result<Response> {
    let start = Instant::now();
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| content::accounts::random_token(8));
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut resp = match ep.call(req).await {
        Ok(r) => r.into_response(),
        Err(e) => e.into_response(),
    };
    let status = resp.status();
    let seconds = start.elapsed().as_secs_f64();
    state.metrics.observe(&method, &path, status.as_u16(), seconds);
    let ms = seconds * 1000.0;
    if status.is_server_error() {
        tracing::error!(request_id = %id, %method, path, status = status.as_u16(), duration_ms = format!("{ms:.1}"), "request");
    } else {
        tracing::info!(request_id = %id, %method, path, status = status.as_u16(), duration_ms = format!("{ms:.1}"), "request");
    }
    if let Ok(v) = id.parse() {
        resp.headers_mut().insert("x-request-id", v);
    }
    Ok(resp)
}

/// A server running in the background (tests and `serve`).
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
    background: Vec<JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, and waits.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(());
        for task in &self.background {
            task.abort();
        }
        self.task.await.context("server task panicked")??;
        self.state.search.log.flush(&self.state.db).await;
        crate::tally::flush_all(&self.state).await;
        self.state.db.clone().close().await.ok();
        Ok(())
    }
}

/// Prepares storage and starts serving on `config.listen` (port 0 picks a
/// free port; see [`Running::addr`]).
pub async fn start(mut config: Config) -> anyhow::Result<Running> {
    let listen = config.listen;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen} (key `listen`)"))?;
    if let Ok(bound) = listener.local_addr()
        && config.base_url == format!("http://{listen}")
    {
        config.base_url = format!("http://{bound}");
    }
    let state = prepare(config).await?;
    let acceptor = TcpAcceptor::from_tokio(listener)?;
    let addr = acceptor
        .local_addr()
        .first()
        .and_then(|a| a.as_socket_addr().copied())
        .unwrap_or(listen);
    state
        .catalog
        .refresh(&state.db)
        .await
        .context("cannot load the public catalogue")?;
    let app = routes(&state);
    let scheduler = tokio::spawn(run_scheduler(state.clone()));
    let cache_watch = tokio::spawn(crate::public::cache::watch(state.clone()));
    let indexer = tokio::spawn(crate::search::indexer::run(state.clone()));
    let query_log = tokio::spawn(flush_query_log(state.clone()));
    let links = tokio::spawn(crate::link_check::weekly(state.clone()));
    let counts = tokio::spawn(flush_counts(state.clone()));
    let mut background = vec![scheduler, cache_watch, indexer, query_log, links, counts];
    if let Some((host, port)) = state.config.smtp.clone() {
        background.push(tokio::spawn(crate::mail::deliver(
            state.outbox.dir().to_path_buf(),
            host,
            port,
        )));
    }
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        Server::new_with_acceptor(acceptor)
            .run_with_graceful_shutdown(
                app,
                async {
                    rx.await.ok();
                },
                Some(Duration::from_secs(10)),
            )
            .await
    });
    Ok(Running {
        addr,
        state,
        shutdown: tx,
        task,
        background,
    })
}

/// How often what changes with time alone (a document expiring, a
/// draft's window opening) is written to the lists' filters; the pages
/// compute it on every render.
const CLOCK_EVERY: Duration = Duration::from_secs(600);

/// Publishes scheduled posts and takes down expired ones, every
/// `scheduler_interval_secs` (at most 30 s late). Every node runs it; each
/// post still changes exactly once.
async fn run_scheduler(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(state.config.scheduler_interval_secs));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut clock_due = tokio::time::Instant::now();
    loop {
        tick.tick().await;
        state.metrics.scheduler_ran();
        if tokio::time::Instant::now() >= clock_due {
            clock_due = tokio::time::Instant::now() + CLOCK_EVERY;
            match content::entries::clock::refresh(&state.db, None).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(entries = n, "statuses changed with time");
                    state.public_changed().await;
                }
                Err(e) => tracing::warn!(error = %e, "cannot refresh the statuses that change with time"),
            }
        }
        match content::questions::reschedule(&state.db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(questions = n, "question deadlines computed"),
            Err(e) => tracing::warn!(error = %e, "cannot compute question deadlines; retrying"),
        }
        send_reminders(&state).await;
        send_notifications(&state).await;
        // A backup can take minutes: it runs beside the other work.
        let st = state.clone();
        tokio::spawn(async move { crate::backup::scheduled(&st).await });
        match content::posts::run_schedule(&state.db).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(changed = n, "scheduled publications applied");
                state.public_changed().await;
            }
            Err(e) => tracing::warn!(error = %e, "scheduler run failed; retrying"),
        }
    }
}

/// Writes the counted downloads and page views every few seconds.
async fn flush_counts(state: AppState) {
    let mut tick = tokio::time::interval(crate::tally::FLUSH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        crate::tally::flush_all(&state).await;
    }
}

/// Writes the buffered search query log every few seconds.
async fn flush_query_log(state: AppState) {
    let mut tick = tokio::time::interval(crate::search::query_log::FLUSH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        state.search.log.flush(&state.db).await;
    }
}

/// Sends the daily Q&A reminders once a day, after `reminder_hour`
/// (Vietnam time), whichever node gets there first.
async fn send_reminders(state: &AppState) {
    use chrono::Timelike;
    let now = content::time::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    if now.hour() < state.config.reminder_hour {
        return;
    }
    let result = async {
        if !content::daily::claim(&state.db, content::daily::REMINDERS, now.date_naive()).await? {
            return Ok(0);
        }
        let mails = match reminders_of(state, now.date_naive()).await {
            Ok(m) => m,
            Err(e) => {
                content::daily::release(&state.db, content::daily::REMINDERS, now.date_naive()).await?;
                return Err(e);
            }
        };
        for m in &mails {
            if let Err(e) = state.outbox.send(m) {
                tracing::error!(error = %e, to = %m.to, "cannot write a reminder to the outbox");
            }
        }
        Ok::<_, content::Error>(mails.len())
    }
    .await;
    match result {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            reminders = n,
            "daily reminders written (Q&A, information deadlines)"
        ),
        Err(e) => tracing::warn!(error = %e, "daily Q&A reminders failed; retrying"),
    }
}

/// Mails the editor's notifications: at once to those who chose so, and
/// once a day (from `reminder_hour`) the digest of the others.
async fn send_notifications(state: &AppState) {
    use chrono::Timelike;
    let now = content::time::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    let result = async {
        let digest_day = now.hour() >= state.config.reminder_hour
            && content::daily::claim(&state.db, content::daily::DIGEST, now.date_naive()).await?;
        content::notifications::claim_mail(&state.db, digest_day).await
    }
    .await;
    match result {
        Ok(letters) => {
            for l in &letters {
                let mail = crate::mail::notification_letter(l, &state.config.base_url);
                if let Err(e) = state.outbox.send(&mail) {
                    tracing::error!(error = %e, to = %mail.to, "cannot write a notification to the outbox");
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "cannot mail the editor's notifications; retrying"),
    }
}

async fn reminders_of(
    state: &AppState,
    day: chrono::NaiveDate,
) -> content::Result<Vec<content::questions::Mail>> {
    let cal = content::holidays::calendar(&state.db).await?;
    let mut mails = content::questions::reminders(&state.db, &cal, day).await?;
    mails.extend(content::provisions::reminders(&state.db, &cal, day).await?);
    Ok(content::questions::Mail::merge_by_recipient(mails))
}

/// `portal serve`: runs until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    // Listen for the signals before the port opens: a supervisor may stop
    // the portal as soon as it answers, and an unhandled SIGTERM would kill
    // it without a clean shutdown.
    let stop = shutdown_signal();
    let running = start(config).await?;
    tracing::info!(addr = %running.addr, "portal listening; editor at /editor, API docs at /api/docs");
    eprintln!(
        "Portal listening on http://{}/ (editor: /editor, API docs: /api/docs)",
        running.addr
    );
    stop.await;
    tracing::info!("shutting down");
    running.stop().await
}

/// Resolves when the signal arrives; never if it could not be handled.
#[cfg(unix)]
async fn received(signal: Option<tokio::signal::unix::Signal>) {
    match signal {
        Some(mut s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is
/// called, not when it is first awaited.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let (int, term) = handlers;
            tokio::select! {
                _ = received(int) => {},
                _ = received(term) => {},
            }
        }
        #[cfg(not(unix))]
        tokio::signal::ctrl_c().await.ok();
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://./data/portal.db"), "sqlite://./data/portal.db");
    }
}
