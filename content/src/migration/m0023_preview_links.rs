use sea_orm_migration::{prelude::*, schema::*};

/// Links that show a draft as its public page would, to whoever has the
/// link until it expires: an unguessable token kept here (so any node
/// answers it, and deleting the row revokes it).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PreviewLinks {
    Table,
    Token,
    PostId,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PreviewLinks::Table)
                .col(string(PreviewLinks::Token).primary_key())
                .col(integer(PreviewLinks::PostId))
                .col(integer(PreviewLinks::CreatedBy))
                .col(timestamp_with_time_zone(PreviewLinks::CreatedAt))
                .col(timestamp_with_time_zone(PreviewLinks::ExpiresAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(PreviewLinks::Table).to_owned())
            .await
    }
}
