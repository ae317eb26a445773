//! The portal's domain: entities, migrations, seed data and the rules the
//! regulation sets. Nothing here knows about HTTP; the server and the
//! editor UI call into these modules.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod chains;
pub mod changelog;
pub mod daily;
pub mod db;
pub mod delegations;
pub mod diff;
pub mod entity;
pub mod entries;
pub mod error;
pub mod holidays;
pub mod import;
pub mod lang;
pub mod markdown;
pub mod media;
pub mod migration;
pub mod notifications;
pub mod posts;
pub mod provisions;
pub mod qa;
pub mod questions;
pub mod reports;
pub mod roles;
pub mod royalties;
pub mod search_log;
pub mod sections;
pub mod seed;
pub mod site;
pub mod text;
pub mod time;
pub mod units;
pub mod views;
pub mod workflow;

pub use error::{Error, Result};
