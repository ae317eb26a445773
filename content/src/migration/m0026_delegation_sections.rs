use sea_orm_migration::{prelude::*, schema::*};

/// A delegation may cover one section only (the deputy in charge of news
/// lends the right to approve news, not statistics); none covers all.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Delegations {
    Table,
    SectionId,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Delegations::Table)
                .add_column(integer_null(Delegations::SectionId))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Delegations::Table)
                .drop_column(Delegations::SectionId)
                .to_owned(),
        )
        .await
    }
}
