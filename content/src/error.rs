//! The domain's error type. The server maps each kind to an HTTP status
//! and a problem+json `type`; the CLI prints the message.

use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A named input field is missing or malformed. `message` is English
    /// (API clients, logs); `vi`, when given, is what a Vietnamese screen
    /// shows.
    #[error("{field}: {message}")]
    Invalid {
        field: String,
        message: String,
        vi: Option<String>,
    },
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A named input field refers to a record that does not exist (a
    /// section, a unit, a user): the API answers 404 naming the field, as
    /// for a missing resource in the path.
    #[error("{field}: {message}")]
    Unknown { field: String, message: String },
    /// The request clashes with stored state (a taken user name, a stale
    /// revision, …).
    #[error("{0}")]
    Conflict(String),
    /// The caller may not do this; the message says why.
    #[error("{0}")]
    Forbidden(String),
    /// Someone else holds the editing lock.
    #[error("{holder} is editing this until {until}")]
    Locked {
        holder: String,
        until: chrono::DateTime<chrono::Utc>,
    },
    /// A comment on a draft outside its consultation window (Đ11.1a).
    #[error("comments are accepted from {} to {}", crate::time::rfc3339_vn(*opens_at), crate::time::rfc3339_vn(*closes_at))]
    OutsideWindow {
        opens_at: chrono::DateTime<chrono::Utc>,
        closes_at: chrono::DateTime<chrono::Utc>,
    },
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
            vi: None,
        }
    }

    /// A reference in `field` to nothing.
    pub fn unknown(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Unknown {
            field: field.into(),
            message: message.into(),
        }
    }

    /// An invalid field with its reason in both languages.
    pub fn invalid_in(field: impl Into<String>, en: impl Into<String>, vi: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: en.into(),
            vi: Some(vi.into()),
        }
    }

    /// The message to show on a screen in `lang`.
    pub fn message_in(&self, lang: crate::lang::Lang) -> String {
        match (self, lang) {
            (Error::Invalid { vi: Some(vi), .. }, crate::lang::Lang::Vi) => vi.clone(),
            (Error::OutsideWindow { opens_at, closes_at }, crate::lang::Lang::Vi) => format!(
                "Chỉ nhận ý kiến từ {} đến {}.",
                crate::time::format_vn(*opens_at),
                crate::time::format_vn(*closes_at)
            ),
            (Error::Locked { holder, until }, crate::lang::Lang::Vi) => format!(
                "{holder} đang sửa tin bài này đến {}.",
                crate::time::format_vn(*until)
            ),
            (e, _) => e.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
