use sea_orm_migration::{prelude::*, schema::*};

/// The days on which the daily Q&A reminder went out: a unique day makes
/// it go out once even with several nodes.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RemindersSent {
    Table,
    Day,
    SentAt,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RemindersSent::Table)
                .col(date(RemindersSent::Day).primary_key())
                .col(timestamp_with_time_zone(RemindersSent::SentAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RemindersSent::Table).to_owned())
            .await
    }
}
