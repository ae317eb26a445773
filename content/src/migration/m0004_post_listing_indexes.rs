use sea_orm_migration::prelude::*;

/// Indexes for the public lists: newest posts of an edition or a section,
/// read in `published_at` order without sorting the whole table.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Posts {
    Table,
    Edition,
    SectionId,
    PublishedAt,
    LiveRevisionId,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_posts_edition_published")
                .table(Posts::Table)
                .col(Posts::Edition)
                .col(Posts::PublishedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_posts_section_published")
                .table(Posts::Table)
                .col(Posts::SectionId)
                .col(Posts::PublishedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_posts_section_live")
                .table(Posts::Table)
                .col(Posts::SectionId)
                .col(Posts::LiveRevisionId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_posts_section_live")
                .table(Posts::Table)
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("idx_posts_section_published")
                .table(Posts::Table)
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("idx_posts_edition_published")
                .table(Posts::Table)
                .to_owned(),
        )
        .await
    }
}
