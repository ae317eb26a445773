use sea_orm_migration::{prelude::*, schema::*};

/// Proposals and petitions share the Q&A's pipeline (Đ4.1c): each item
/// says which channel it came through.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Questions {
    Table,
    Channel,
    PublishedAt,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Questions::Table)
                .add_column(string(Questions::Channel).default("question"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_questions_channel_published")
                .table(Questions::Table)
                .col(Questions::Channel)
                .col(Questions::PublishedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_questions_channel_published").to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Questions::Table)
                .drop_column(Questions::Channel)
                .to_owned(),
        )
        .await
    }
}
