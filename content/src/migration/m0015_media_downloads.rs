use sea_orm_migration::{prelude::*, schema::*};

/// Download counts of the library's documents (legal documents' files).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Media {
    Table,
    Downloads,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Media::Table)
                .add_column(big_integer(Media::Downloads).default(0))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Media::Table)
                .drop_column(Media::Downloads)
                .to_owned(),
        )
        .await
    }
}
