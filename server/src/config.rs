//! Configuration: an optional `portal.toml`, every key overridable by an
//! environment variable `PORTAL_<KEY>`. A bad value stops start-up with a
//! message naming the key.

use std::collections::HashMap;
use std::fmt::Display;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Every key the portal understands, with what it is for (shown by
/// `portal --help` and in errors about unknown keys).
pub const KEYS: &[(&str, &str)] = &[
    ("listen", "address and port to serve on (default 127.0.0.1:8080)"),
    (
        "data_dir",
        "directory for the SQLite database, index and media (default ./data)",
    ),
    (
        "database_url",
        "sqlite://… or postgres://… (default: SQLite file data_dir/portal.db)",
    ),
    (
        "admin_username",
        "user name of the first admin account (default admin)",
    ),
    (
        "admin_password",
        "password of the first admin account (default: random, printed once)",
    ),
    (
        "session_ttl_hours",
        "hours of inactivity after which a login session ends (default 12)",
    ),
    (
        "cookie_secure",
        "mark session cookies Secure, for HTTPS deployments (default false)",
    ),
    (
        "hsts_max_age_secs",
        "max-age of Strict-Transport-Security, sent when cookie_secure is on; 0 = none (default 31536000)",
    ),
    (
        "two_factor_roles",
        "roles that must sign in with a one-time code as well (default admin and the board roles; empty = none)",
    ),
    (
        "trusted_proxies",
        "comma-separated proxy addresses whose X-Forwarded-For is believed",
    ),
    ("log", "log filter, e.g. info or portal=debug (default info)"),
    (
        "scheduler_interval_secs",
        "how often scheduled publications are checked, in seconds (default 5)",
    ),
    (
        "base_url",
        "public address of the portal, for canonical links and feeds (default http://<listen>)",
    ),
    (
        "hosts",
        "host names mapped to editions, e.g. baohiemxahoi.gov.vn=vi,vss.gov.vn=en",
    ),
    (
        "templates_dir",
        "directory of public page templates overriding the built-in ones",
    ),
    (
        "page_cache_entries",
        "rendered public pages kept in memory; 0 turns the cache off (default 10000)",
    ),
    ("footer_unit_vi", "unit name in the footer, Vietnamese"),
    ("footer_unit_en", "unit name in the footer, English"),
    (
        "footer_responsible_vi",
        "person responsible for the portal, shown in the footer, Vietnamese",
    ),
    (
        "footer_responsible_en",
        "person responsible for the portal, shown in the footer, English",
    ),
    (
        "footer_responsible",
        "the Vietnamese footer_responsible_vi under its earlier name",
    ),
    ("footer_address_vi", "postal address in the footer, Vietnamese"),
    ("footer_address_en", "postal address in the footer, English"),
    ("footer_phone", "telephone in the footer"),
    ("footer_email", "e-mail address in the footer"),
    (
        "qa_rate_limit_per_hour",
        "questions one client address may ask per hour; 0 turns the limit off (default 5)",
    ),
    ("mail_from", "sender address of the portal's e-mail"),
    (
        "smtp_url",
        "smtp://host:port of the mail relay; mail stays in data/outbox/ when unset",
    ),
    (
        "reminder_hour",
        "hour (Vietnam time, 0-23) of the daily Q&A deadline reminder (default 7)",
    ),
    (
        "petition_classify_days",
        "working days to classify or forward a proposal or petition (default 5, as the Q&A)",
    ),
    (
        "petition_answer_days",
        "working days for a unit's answer to a proposal or petition (default 7, as the Q&A)",
    ),
    (
        "petition_answer_days_complex",
        "the same when several units share it (default 10, as the Q&A)",
    ),
    (
        "petition_publish_days",
        "working days to send and publish the answer once it is in (default 2, as the Q&A)",
    ),
    (
        "search_dir",
        "directory of this node's search index replica (default data_dir/search)",
    ),
    (
        "backup_dir",
        "directory of the scheduled backups (default data_dir/backups; better another disk)",
    ),
    (
        "backup_hour",
        "hour (Vietnam time) after which the day's backup is taken (default 2)",
    ),
    (
        "backup_keep",
        "how many scheduled backups to keep (default 7; 0 turns scheduled backups off)",
    ),
    (
        "log_format",
        "`text` (default) or `json`: one JSON object per log line, for a log collector",
    ),
    (
        "metrics_token",
        "bearer token that reads /metrics from any address (default: none)",
    ),
    (
        "sitemap_max_urls",
        "URLs per sitemap file; past it /sitemap.xml becomes an index of parts (default 50000, the protocol's limit)",
    ),
    (
        "brand_colour",
        "the header's colour, #rrggbb, dark enough for white text (default #0b4f8a)",
    ),
    (
        "logo_file",
        "the agency's logo (SVG, PNG, WebP or JPEG, at most 512 KiB) shown in the header (default: a wordmark)",
    ),
    (
        "favicon_file",
        "the browser icon (SVG, PNG or ICO) (default: the logo if set, else a wordmark)",
    ),
    (
        "metrics_allow",
        "comma-separated addresses that read /metrics without the token (default 127.0.0.1,::1)",
    ),
];

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub admin_username: String,
    pub admin_password: Option<String>,
    pub session_ttl_hours: u32,
    pub cookie_secure: bool,
    /// `Strict-Transport-Security` max-age, when cookies are secure.
    pub hsts_max_age_secs: u64,
    /// Roles whose holders must use a second factor (TOTP) to sign in.
    pub two_factor_roles: Vec<content::roles::Role>,
    pub trusted_proxies: Vec<IpAddr>,
    pub log: String,
    pub scheduler_interval_secs: u64,
    pub base_url: String,
    /// Host name → edition code (`vi` or `en`).
    pub hosts: Vec<(String, String)>,
    pub templates_dir: Option<PathBuf>,
    pub page_cache_entries: u64,
    pub footer: Footer,
    pub qa_rate_limit_per_hour: u32,
    pub mail_from: String,
    pub reminder_hour: u32,
    /// The working days of proposals and petitions (Đ4.1c).
    pub petition_days: content::qa::Days,
    /// `(host, port)` of the SMTP relay, when mail should leave the outbox.
    pub smtp: Option<(String, u16)>,
    /// This node's search index replica (each node keeps its own).
    pub search_dir: PathBuf,
    /// Where scheduled backups go, after which hour, how many are kept
    /// (0: no scheduled backups).
    pub backup_dir: PathBuf,
    pub backup_hour: u32,
    pub backup_keep: u32,
    pub log_format: LogFormat,
    /// Reads `/metrics` from anywhere (`Authorization: Bearer …`).
    pub metrics_token: Option<String>,
    /// Read `/metrics` without the token.
    pub metrics_allow: Vec<IpAddr>,
    /// The public site's colour, logo and icon.
    pub brand: crate::brand::Brand,
    /// URLs per sitemap file.
    pub sitemap_max_urls: usize,
}

/// The portal's owner details shown in every page footer (Thông tư
/// 32/2017 Đ16).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Footer {
    pub unit_vi: String,
    pub unit_en: String,
    pub responsible_vi: String,
    pub responsible_en: String,
    pub address_vi: String,
    pub address_en: String,
    pub phone: String,
    pub email: String,
}

/// A configuration problem, naming the key (and where its value came from).
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub String);

/// Raw values gathered from the file and the environment, with their origin.
struct Sources {
    values: HashMap<&'static str, (String, String)>,
}

impl Sources {
    fn gather(file: Option<&Path>, env: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let mut values = HashMap::new();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
            let table: toml::Table = text
                .parse()
                .map_err(|e| ConfigError(format!("{} is not valid TOML: {e}", path.display())))?;
            for (key, value) in table {
                let Some((known, _)) = KEYS.iter().find(|(k, _)| *k == key) else {
                    return Err(ConfigError(format!(
                        "unknown key `{key}` in {}; known keys: {}",
                        path.display(),
                        KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
                    )));
                };
                let raw = match value {
                    toml::Value::String(s) => s,
                    toml::Value::Array(items) => items
                        .iter()
                        .map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))
                        .collect::<Vec<_>>()
                        .join(","),
                    other => other.to_string(),
                };
                values.insert(*known, (raw, format!("key `{key}` in {}", path.display())));
            }
        }
        for (key, _) in KEYS {
            let var = format!("PORTAL_{}", key.to_ascii_uppercase());
            if let Some(v) = env.get(&var) {
                values.insert(*key, (v.clone(), format!("environment variable {var}")));
            }
        }
        Ok(Sources { values })
    }

    fn raw(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|(v, _)| v.as_str())
    }

    fn parse<T: FromStr>(&self, key: &str, default: T) -> Result<T, ConfigError>
    where
        T::Err: Display,
    {
        match self.values.get(key) {
            None => Ok(default),
            Some((raw, origin)) => raw
                .trim()
                .parse()
                .map_err(|e| ConfigError(format!("{origin}: `{raw}` is not valid for `{key}`: {e}"))),
        }
    }

    fn origin(&self, key: &str) -> String {
        self.values
            .get(key)
            .map(|(_, o)| o.clone())
            .unwrap_or_else(|| format!("`{key}`"))
    }
}

impl Config {
    /// Reads the configuration from an optional file and the process
    /// environment.
    /// The settings as TOML without secrets (the first admin's password,
    /// the database password), for a backup to record how the portal ran.
    pub fn without_secrets(&self) -> String {
        use toml::Value;
        let mut t = toml::map::Map::new();
        let s = |v: &str| Value::String(v.to_owned());
        t.insert("listen".into(), s(&self.listen.to_string()));
        t.insert("data_dir".into(), s(&self.data_dir.display().to_string()));
        t.insert("database_url".into(), s(&crate::app::redact(&self.database_url)));
        t.insert("admin_username".into(), s(&self.admin_username));
        t.insert("base_url".into(), s(&self.base_url));
        t.insert(
            "session_ttl_hours".into(),
            Value::Integer(i64::from(self.session_ttl_hours)),
        );
        t.insert("cookie_secure".into(), Value::Boolean(self.cookie_secure));
        t.insert("log".into(), s(&self.log));
        t.insert(
            "scheduler_interval_secs".into(),
            Value::Integer(i64::try_from(self.scheduler_interval_secs).unwrap_or(i64::MAX)),
        );
        t.insert(
            "page_cache_entries".into(),
            Value::Integer(i64::try_from(self.page_cache_entries).unwrap_or(i64::MAX)),
        );
        t.insert(
            "qa_rate_limit_per_hour".into(),
            Value::Integer(i64::from(self.qa_rate_limit_per_hour)),
        );
        t.insert("mail_from".into(), s(&self.mail_from));
        t.insert(
            "reminder_hour".into(),
            Value::Integer(i64::from(self.reminder_hour)),
        );
        t.insert("search_dir".into(), s(&self.search_dir.display().to_string()));
        t.insert("backup_dir".into(), s(&self.backup_dir.display().to_string()));
        t.insert("backup_hour".into(), Value::Integer(i64::from(self.backup_hour)));
        t.insert("backup_keep".into(), Value::Integer(i64::from(self.backup_keep)));
        t.insert(
            "log_format".into(),
            s(if self.log_format == LogFormat::Json {
                "json"
            } else {
                "text"
            }),
        );
        t.insert(
            "metrics_allow".into(),
            s(&self
                .metrics_allow
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")),
        );
        if let Some(dir) = &self.templates_dir {
            t.insert("templates_dir".into(), s(&dir.display().to_string()));
        }
        format!(
            "# The portal's settings when this backup was taken, without secrets.\n{}",
            toml::to_string(&Value::Table(t)).unwrap_or_default()
        )
    }

    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        Self::from_sources(file, &std::env::vars().collect())
    }

    /// Reads the configuration from an optional file and the given
    /// environment (tests pass their own).
    pub fn from_sources(file: Option<&Path>, env: &HashMap<String, String>) -> Result<Config, ConfigError> {
        let s = Sources::gather(file, env)?;
        let listen = s.parse("listen", SocketAddr::from(([127, 0, 0, 1], 8080)))?;
        let data_dir = PathBuf::from(s.raw("data_dir").map(str::trim).unwrap_or("./data"));
        if data_dir.as_os_str().is_empty() {
            return Err(ConfigError(format!(
                "{}: must not be empty",
                s.origin("data_dir")
            )));
        }
        let database_url = match s.raw("database_url").map(str::trim) {
            Some(url)
                if url.starts_with("sqlite:")
                    || url.starts_with("postgres://")
                    || url.starts_with("postgresql://") =>
            {
                url.to_owned()
            }
            Some(url) => {
                return Err(ConfigError(format!(
                    "{}: `{url}` must start with sqlite: or postgres://",
                    s.origin("database_url")
                )));
            }
            None => format!("sqlite://{}?mode=rwc", data_dir.join("portal.db").display()),
        };
        let admin_username = s.raw("admin_username").unwrap_or("admin").trim().to_owned();
        let admin_password = s
            .raw("admin_password")
            .map(str::to_owned)
            .filter(|p| !p.is_empty());
        if let Some(p) = &admin_password {
            content::accounts::check_password(p, &[admin_username.as_str()])
                .map_err(|e| ConfigError(format!("{}: {e}", s.origin("admin_password"))))?;
        }
        let session_ttl_hours: u32 = s.parse("session_ttl_hours", 12)?;
        if !(1..=24 * 30).contains(&session_ttl_hours) {
            return Err(ConfigError(format!(
                "{}: must be between 1 and 720",
                s.origin("session_ttl_hours")
            )));
        }
        let cookie_secure = s.parse("cookie_secure", false)?;
        let hsts_max_age_secs: u64 = s.parse("hsts_max_age_secs", 31_536_000)?;
        let two_factor_roles = match s.raw("two_factor_roles") {
            None => content::accounts::two_factor::DEFAULT_ROLES.to_vec(),
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(|r| {
                    r.parse::<content::roles::Role>()
                        .map_err(|e| ConfigError(format!("{}: {e}", s.origin("two_factor_roles"))))
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        let trusted_proxies = match s.raw("trusted_proxies") {
            None => Vec::new(),
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.parse::<IpAddr>().map_err(|_| {
                        ConfigError(format!(
                            "{}: `{p}` is not an IP address",
                            s.origin("trusted_proxies")
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let log = s.raw("log").unwrap_or("info").trim().to_owned();
        if tracing_subscriber::EnvFilter::try_new(&log).is_err() {
            return Err(ConfigError(format!(
                "{}: `{log}` is not a log filter",
                s.origin("log")
            )));
        }
        let scheduler_interval_secs: u64 = s.parse("scheduler_interval_secs", 5)?;
        if !(1..=30).contains(&scheduler_interval_secs) {
            return Err(ConfigError(format!(
                "{}: must be between 1 and 30 (publication is at most 30 s late)",
                s.origin("scheduler_interval_secs")
            )));
        }
        let base_url = s
            .raw("base_url")
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("http://{listen}"));
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ConfigError(format!(
                "{}: must start with http:// or https://",
                s.origin("base_url")
            )));
        }
        let mut hosts = Vec::new();
        for pair in s
            .raw("hosts")
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match pair.split_once('=') {
                Some((host, ed)) if matches!(ed.trim(), "vi" | "en") && !host.trim().is_empty() => {
                    hosts.push((host.trim().to_ascii_lowercase(), ed.trim().to_owned()))
                }
                _ => {
                    return Err(ConfigError(format!(
                        "{}: `{pair}` must be host=vi or host=en",
                        s.origin("hosts")
                    )));
                }
            }
        }
        let templates_dir = s
            .raw("templates_dir")
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(PathBuf::from);
        let page_cache_entries: u64 = s.parse("page_cache_entries", 10_000)?;
        let text = |key: &str, default: &str| s.raw(key).map(str::trim).unwrap_or(default).to_owned();
        let footer = Footer {
            unit_vi: text("footer_unit_vi", "Bảo hiểm xã hội Việt Nam"),
            unit_en: text("footer_unit_en", "Vietnam Social Security"),
            responsible_vi: s
                .raw("footer_responsible_vi")
                .or_else(|| s.raw("footer_responsible"))
                .map(str::trim)
                .unwrap_or("Trưởng Ban Biên tập Cổng Thông tin điện tử Bảo hiểm xã hội Việt Nam")
                .to_owned(),
            responsible_en: text(
                "footer_responsible_en",
                "Head of the Editorial Board of the Vietnam Social Security e-portal",
            ),
            address_vi: text("footer_address_vi", "Số 7 Tràng Thi, quận Hoàn Kiếm, Hà Nội"),
            address_en: text("footer_address_en", "No. 7 Trang Thi, Hoan Kiem district, Ha Noi"),
            phone: text("footer_phone", "1900 9068"),
            email: text("footer_email", "banbientap@vss.gov.vn"),
        };
        let qa_rate_limit_per_hour: u32 = s.parse("qa_rate_limit_per_hour", 5)?;
        let mail_from = text(
            "mail_from",
            "Cong TTDT BHXH Viet Nam <noreply@baohiemxahoi.gov.vn>",
        );
        if !mail_from.contains('@') {
            return Err(ConfigError(format!(
                "{}: `{mail_from}` is not an e-mail address",
                s.origin("mail_from")
            )));
        }
        let reminder_hour: u32 = s.parse("reminder_hour", 7)?;
        if reminder_hour > 23 {
            return Err(ConfigError(format!(
                "{}: must be an hour from 0 to 23",
                s.origin("reminder_hour")
            )));
        }
        let qa = content::qa::QA_DAYS;
        let days = |key: &str, default: u32| -> Result<u32, ConfigError> {
            let n: u32 = s.parse(key, default)?;
            if !(1..=60).contains(&n) {
                return Err(ConfigError(format!(
                    "{}: must be from 1 to 60 working days",
                    s.origin(key)
                )));
            }
            Ok(n)
        };
        let classify = days("petition_classify_days", qa.classify)?;
        let petition_days = content::qa::Days {
            classify,
            classify_warning: qa.classify_warning.min(classify),
            answer: days("petition_answer_days", qa.answer)?,
            answer_complex: days("petition_answer_days_complex", qa.answer_complex)?,
            publish: days("petition_publish_days", qa.publish)?,
        };
        let smtp = match s.raw("smtp_url").map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(url) => {
                let bad = || {
                    ConfigError(format!(
                        "{}: `{url}` must look like smtp://host:port",
                        s.origin("smtp_url")
                    ))
                };
                let rest = url.strip_prefix("smtp://").ok_or_else(bad)?;
                let (host, port) = rest.rsplit_once(':').unwrap_or((rest, "25"));
                let port: u16 = port.trim_end_matches('/').parse().map_err(|_| bad())?;
                if host.is_empty() {
                    return Err(bad());
                }
                Some((host.to_owned(), port))
            }
        };
        let search_dir = match s.raw("search_dir").map(str::trim).filter(|d| !d.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => data_dir.join("search"),
        };
        let backup_dir = match s.raw("backup_dir").map(str::trim).filter(|d| !d.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => data_dir.join("backups"),
        };
        let backup_hour: u32 = s.parse("backup_hour", 2)?;
        if backup_hour > 23 {
            return Err(ConfigError(format!(
                "{}: must be an hour from 0 to 23",
                s.origin("backup_hour")
            )));
        }
        let backup_keep: u32 = s.parse("backup_keep", 7)?;
        let log_format = match s.raw("log_format").map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError(format!(
                    "{}: `{other}` must be `text` or `json`",
                    s.origin("log_format")
                )));
            }
        };
        let metrics_token = s
            .raw("metrics_token")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err(ConfigError(format!(
                "{}: use at least 16 characters",
                s.origin("metrics_token")
            )));
        }
        let metrics_allow = match s.raw("metrics_allow") {
            None => vec![
                IpAddr::from([127, 0, 0, 1]),
                IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
            ],
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.parse::<IpAddr>().map_err(|_| {
                        ConfigError(format!(
                            "{}: `{p}` is not an IP address",
                            s.origin("metrics_allow")
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        let path_of = |key: &str| {
            s.raw(key)
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
        };
        let brand = crate::brand::Brand::new(
            s.raw("brand_colour").unwrap_or(crate::brand::DEFAULT_COLOUR),
            path_of("logo_file").as_deref(),
            path_of("favicon_file").as_deref(),
        )
        .map_err(|(key, e)| ConfigError(format!("{}: {e}", s.origin(key))))?;
        let sitemap_max_urls: usize = s.parse("sitemap_max_urls", 50_000)?;
        if !(1..=50_000).contains(&sitemap_max_urls) {
            return Err(ConfigError(format!(
                "{}: must be from 1 to 50000 (the sitemaps protocol's limit)",
                s.origin("sitemap_max_urls")
            )));
        }
        Ok(Config {
            sitemap_max_urls,
            brand,
            log_format,
            metrics_token,
            metrics_allow,
            listen,
            search_dir,
            backup_dir,
            backup_hour,
            backup_keep,
            data_dir,
            database_url,
            admin_username,
            admin_password,
            session_ttl_hours,
            cookie_secure,
            hsts_max_age_secs,
            two_factor_roles,
            trusted_proxies,
            log,
            scheduler_interval_secs,
            base_url,
            hosts,
            templates_dir,
            page_cache_entries,
            footer,
            qa_rate_limit_per_hour,
            mail_from,
            reminder_hour,
            petition_days,
            smtp,
        })
    }

    /// The edition a host name serves, if mapped.
    pub fn edition_for_host(&self, host: &str) -> Option<&str> {
        let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
        self.hosts
            .iter()
            .find(|(h, _)| *h == host)
            .map(|(_, e)| e.as_str())
    }

    /// The session lifetime as a duration.
    pub fn session_ttl(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.session_ttl_hours))
    }
}

/// Every key is read somewhere: a key missing from [`KEYS`] would be
/// silently ignored in the environment.
#[cfg(test)]
mod keys_are_complete {
    #[test]
    fn every_read_key_is_listed() {
        let source = include_str!("config.rs");
        for part in source
            .split("s.raw(\"")
            .skip(1)
            .chain(source.split("s.parse(\"").skip(1))
        {
            let key = part.split('"').next().unwrap_or_default();
            assert!(
                super::KEYS.iter().any(|(k, _)| *k == key),
                "`{key}` is read but not in KEYS"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_embedded() {
        let c = Config::from_sources(None, &env(&[])).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.data_dir, PathBuf::from("./data"));
        assert_eq!(c.database_url, "sqlite://./data/portal.db?mode=rwc");
        assert_eq!(c.admin_username, "admin");
        assert!(c.admin_password.is_none());
        assert_eq!(c.session_ttl_hours, 12);
    }

    #[test]
    fn environment_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("portal.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:9000\"\ndata_dir = \"/srv/portal\"\nsession_ttl_hours = 8\ntrusted_proxies = [\"10.0.0.1\", \"::1\"]\n").unwrap();
        let c = Config::from_sources(Some(&file), &env(&[("PORTAL_LISTEN", "127.0.0.1:7000")])).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:7000");
        assert_eq!(c.data_dir, PathBuf::from("/srv/portal"));
        assert_eq!(c.database_url, "sqlite:///srv/portal/portal.db?mode=rwc");
        assert_eq!(c.session_ttl_hours, 8);
        assert_eq!(c.trusted_proxies.len(), 2);
    }

    #[test]
    fn bad_values_name_their_key() {
        let err = Config::from_sources(None, &env(&[("PORTAL_LISTEN", "nowhere")])).unwrap_err();
        assert!(err.to_string().contains("PORTAL_LISTEN"), "{err}");
        assert!(err.to_string().contains("listen"), "{err}");
        let err = Config::from_sources(None, &env(&[("PORTAL_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(err.to_string().contains("PORTAL_DATABASE_URL"), "{err}");
        let err = Config::from_sources(None, &env(&[("PORTAL_SESSION_TTL_HOURS", "-3")])).unwrap_err();
        assert!(err.to_string().contains("session_ttl_hours"), "{err}");
        let err = Config::from_sources(None, &env(&[("PORTAL_ADMIN_PASSWORD", "short")])).unwrap_err();
        assert!(err.to_string().contains("PORTAL_ADMIN_PASSWORD"), "{err}");
        let err =
            Config::from_sources(None, &env(&[("PORTAL_TRUSTED_PROXIES", "10.0.0.1, proxy")])).unwrap_err();
        assert!(err.to_string().contains("`proxy`"), "{err}");
    }

    #[test]
    fn hosts_map_to_editions() {
        let c = Config::from_sources(
            None,
            &env(&[("PORTAL_HOSTS", "baohiemxahoi.gov.vn=vi, VSS.gov.vn=en")]),
        )
        .unwrap();
        assert_eq!(c.edition_for_host("vss.gov.vn:443"), Some("en"));
        assert_eq!(c.edition_for_host("baohiemxahoi.gov.vn"), Some("vi"));
        assert_eq!(c.edition_for_host("example.org"), None);
        let err = Config::from_sources(None, &env(&[("PORTAL_HOSTS", "vss.gov.vn=fr")])).unwrap_err();
        assert!(err.to_string().contains("PORTAL_HOSTS"), "{err}");
        assert_eq!(c.base_url, "http://127.0.0.1:8080");
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("portal.toml");
        std::fs::write(&file, "lisen = \"0.0.0.0:9000\"\n").unwrap();
        let err = Config::from_sources(Some(&file), &env(&[])).unwrap_err();
        assert!(err.to_string().contains("unknown key `lisen`"), "{err}");
        std::fs::write(&file, "listen = [").unwrap();
        assert!(Config::from_sources(Some(&file), &env(&[])).is_err());
    }
}
