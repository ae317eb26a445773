//! Schema migrations. They run unchanged on SQLite and PostgreSQL; never
//! edit a released migration, add a new one.

use sea_orm_migration::prelude::*;

mod m0001_accounts_and_sections;
mod m0002_editorial;
mod m0003_post_external_id;
mod m0004_post_listing_indexes;
mod m0005_calendar_overrides;
mod m0006_questions;
mod m0007_reminders;
mod m0008_search_queries;
mod m0009_question_schedule;
mod m0010_holiday_rules;
mod m0011_sign_in;
mod m0012_media_embargo;
mod m0013_entries;
mod m0014_question_channels;
mod m0015_media_downloads;
mod m0016_royalties;
mod m0017_comment_attachments;
mod m0018_page_views;
mod m0019_provisions;
mod m0020_daily_runs;
mod m0021_post_title_key;
mod m0022_notifications;
mod m0023_preview_links;
mod m0024_question_wording;
mod m0025_unit_contacts;
mod m0026_delegation_sections;
mod m0027_site_settings;
mod m0028_answer_ratings;

pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_accounts_and_sections::Migration),
            Box::new(m0002_editorial::Migration),
            Box::new(m0003_post_external_id::Migration),
            Box::new(m0004_post_listing_indexes::Migration),
            Box::new(m0005_calendar_overrides::Migration),
            Box::new(m0006_questions::Migration),
            Box::new(m0007_reminders::Migration),
            Box::new(m0008_search_queries::Migration),
            Box::new(m0009_question_schedule::Migration),
            Box::new(m0010_holiday_rules::Migration),
            Box::new(m0011_sign_in::Migration),
            Box::new(m0012_media_embargo::Migration),
            Box::new(m0013_entries::Migration),
            Box::new(m0014_question_channels::Migration),
            Box::new(m0015_media_downloads::Migration),
            Box::new(m0016_royalties::Migration),
            Box::new(m0017_comment_attachments::Migration),
            Box::new(m0018_page_views::Migration),
            Box::new(m0019_provisions::Migration),
            Box::new(m0020_daily_runs::Migration),
            Box::new(m0021_post_title_key::Migration),
            Box::new(m0022_notifications::Migration),
            Box::new(m0023_preview_links::Migration),
            Box::new(m0024_question_wording::Migration),
            Box::new(m0025_unit_contacts::Migration),
            Box::new(m0026_delegation_sections::Migration),
            Box::new(m0027_site_settings::Migration),
            Box::new(m0028_answer_ratings::Migration),
        ]
    }
}
