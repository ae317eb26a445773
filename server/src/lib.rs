//! The `portal` server: command line, configuration, the HTTP API, the
//! editor UI's controllers and the middleware around them. Domain rules
//! live in the `content` crate; page templates in `editor-ui`.

pub mod annual_report;
pub mod api;
pub mod app;
pub mod archive;
pub mod auth;
pub mod backup;
pub mod body_limit;
pub mod brand;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod config;
pub mod editor;
pub mod export;
pub mod forms;
pub mod headers;
pub mod limits;
pub mod link_check;
pub mod mail;
pub mod media_files;
pub mod metrics;
pub mod net;
pub mod problem;
pub mod progress;
pub mod public;
pub mod qr;
pub mod royalty_tables;
pub mod search;
pub mod spreadsheet;
pub mod state;
pub mod tally;
pub mod templates;

pub use app::{Running, start};
pub use config::Config;
