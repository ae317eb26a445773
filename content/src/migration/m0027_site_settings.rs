use sea_orm_migration::{prelude::*, schema::*};

/// What administrators set for the whole site without a release: the home
/// page's blocks per edition and the search dictionary. One row per
/// setting, its value as text (JSON or lines), who changed it last.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SiteSettings {
    Table,
    Key,
    Value,
    UpdatedAt,
    UpdatedBy,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SiteSettings::Table)
                .col(string(SiteSettings::Key).primary_key())
                .col(text(SiteSettings::Value))
                .col(timestamp_with_time_zone(SiteSettings::UpdatedAt))
                .col(integer_null(SiteSettings::UpdatedBy))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SiteSettings::Table).to_owned())
            .await
    }
}
