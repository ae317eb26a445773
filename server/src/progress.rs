//! Progress of long commands (`import`, `reindex`, `backup`, `restore`,
//! `archive`, `export`): a bar with the rate and the time left on a
//! terminal, and a plain log line every few seconds when the output goes
//! to a file or a pipe, so a cron job's log still shows that it moves.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often a line is written when not on a terminal.
const LOG_EVERY: Duration = Duration::from_secs(5);

pub struct Progress {
    bar: Option<ProgressBar>,
    /// Nothing is shown (work done by the server itself).
    quiet: bool,
    what: String,
    unit: &'static str,
    total: Option<u64>,
    state: Mutex<(u64, Instant)>,
    started: Instant,
}

impl Progress {
    /// Progress over `total` items (`None` when unknown), named `what`.
    pub fn new(what: &str, total: Option<u64>, unit: &'static str) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = match total {
                Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
                None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            };
            let template = if total.is_some() {
                format!(
                    "{{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} · {{per_sec}} · {{eta}} left"
                )
            } else {
                format!("{{spinner}} {{msg}} {{human_pos}} {unit} · {{per_sec}} · {{elapsed}}")
            };
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(what.to_owned());
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            quiet: false,
            what: what.to_owned(),
            unit,
            total,
            state: Mutex::new((0, Instant::now())),
            started: Instant::now(),
        }
    }

    /// Progress nobody watches (the server's own scheduled work).
    pub fn quiet() -> Self {
        Progress {
            bar: None,
            quiet: true,
            what: String::new(),
            unit: "",
            total: None,
            state: Mutex::new((0, Instant::now())),
            started: Instant::now(),
        }
    }

    /// Sets the total once it is known.
    pub fn set_total(&mut self, total: u64) {
        self.total = Some(total);
        if let Some(bar) = &self.bar {
            bar.set_length(total);
        }
    }

    /// `n` more items done.
    pub fn advance(&self, n: u64) {
        if self.quiet {
            return;
        }
        if let Some(bar) = &self.bar {
            bar.inc(n);
            return;
        }
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 += n;
        if s.1.elapsed() >= LOG_EVERY {
            s.1 = Instant::now();
            self.line(s.0);
        }
    }

    fn line(&self, done: u64) {
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = done as f64 / secs;
        match self.total {
            Some(total) if rate > 0.0 => {
                let left = total.saturating_sub(done) as f64 / rate;
                eprintln!(
                    "{}: {done}/{total} {} ({rate:.0}/s, about {left:.0} s left)",
                    self.what, self.unit
                );
            }
            _ => eprintln!("{}: {done} {} ({rate:.0}/s)", self.what, self.unit),
        }
    }

    /// Ends the bar (or writes the last line).
    pub fn finish(&self) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.finish_and_clear(),
            None => {
                let done = self.state.lock().unwrap_or_else(|e| e.into_inner()).0;
                self.line(done);
            }
        }
    }
}

/// A reader that advances a progress by the bytes read.
pub struct Reading<'a, R> {
    pub inner: R,
    pub progress: &'a Progress,
}

impl<R: std::io::Read> std::io::Read for Reading<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}
