use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Posts {
    Table,
    ExternalId,
    LiveRevisionId,
    Edition,
    PublishedAt,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Posts::Table)
                .add_column(string_null(Posts::ExternalId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_posts_external_id")
                .table(Posts::Table)
                .col(Posts::ExternalId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_posts_live")
                .table(Posts::Table)
                .col(Posts::Edition)
                .col(Posts::LiveRevisionId)
                .col(Posts::PublishedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_posts_live")
                .table(Posts::Table)
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("idx_posts_external_id")
                .table(Posts::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Posts::Table)
                .drop_column(Posts::ExternalId)
                .to_owned(),
        )
        .await
    }
}
