use sea_orm_migration::{prelude::*, schema::*};

/// Work done once a day across nodes (the reminders, the scheduled
/// backup), claimed by inserting its row: whichever node inserts it does
/// the work. Replaces `reminders_sent`, whose days are kept.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DailyRuns {
    Table,
    Job,
    Day,
    StartedAt,
}

#[derive(DeriveIden)]
enum RemindersSent {
    Table,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DailyRuns::Table)
                .col(string(DailyRuns::Job))
                .col(date(DailyRuns::Day))
                .col(timestamp_with_time_zone(DailyRuns::StartedAt))
                .primary_key(Index::create().col(DailyRuns::Job).col(DailyRuns::Day))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO daily_runs (job, day, started_at) SELECT 'reminders', day, sent_at FROM reminders_sent",
            )
            .await?;
        m.drop_table(Table::drop().table(RemindersSent::Table).to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DailyRuns::Table).to_owned())
            .await
    }
}
