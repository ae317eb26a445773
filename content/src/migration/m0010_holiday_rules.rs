use sea_orm_migration::{prelude::*, schema::*};

/// The public holidays the law sets, as dated rules (see
/// `calendar::HolidayRule`): a change of law is a new row.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HolidayRules {
    Table,
    Id,
    Name,
    Calendar,
    Month,
    Day,
    Days,
    ValidFrom,
    ValidUntil,
    Source,
    CreatedBy,
    CreatedAt,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HolidayRules::Table)
                .col(pk_auto(HolidayRules::Id))
                .col(string(HolidayRules::Name))
                .col(string(HolidayRules::Calendar))
                .col(integer_null(HolidayRules::Month))
                .col(integer_null(HolidayRules::Day))
                .col(integer(HolidayRules::Days))
                .col(date(HolidayRules::ValidFrom))
                .col(date_null(HolidayRules::ValidUntil))
                .col(text(HolidayRules::Source))
                .col(integer_null(HolidayRules::CreatedBy))
                .col(timestamp_with_time_zone(HolidayRules::CreatedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(HolidayRules::Table).to_owned())
            .await
    }
}
