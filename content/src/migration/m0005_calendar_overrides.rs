use sea_orm_migration::{prelude::*, schema::*};

/// Admins' overrides of the working-day calendar (the government's actual
/// Tết and National Day arrangements, make-up working Saturdays).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CalendarOverrides {
    Table,
    Id,
    Date,
    Kind,
    Reason,
    CreatedBy,
    CreatedAt,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CalendarOverrides::Table)
                .col(pk_auto(CalendarOverrides::Id))
                .col(date_uniq(CalendarOverrides::Date))
                .col(string(CalendarOverrides::Kind))
                .col(text(CalendarOverrides::Reason))
                .col(integer_null(CalendarOverrides::CreatedBy))
                .col(timestamp_with_time_zone(CalendarOverrides::CreatedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CalendarOverrides::Table).to_owned())
            .await
    }
}
