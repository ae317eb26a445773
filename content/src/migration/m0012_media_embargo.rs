use sea_orm_migration::{prelude::*, schema::*};

/// Files of unpublished content are not public: each library item knows
/// whether the public may see it, and where it is used.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Media {
    Table,
    Public,
    MarkedPublic,
}

#[derive(DeriveIden)]
enum MediaUses {
    Table,
    MediaId,
    PostId,
    Live,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [Media::Public, Media::MarkedPublic] {
            m.alter_table(
                Table::alter()
                    .table(Media::Table)
                    .add_column(boolean(c).default(false))
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(MediaUses::Table)
                .col(integer(MediaUses::MediaId))
                .col(integer(MediaUses::PostId))
                .col(boolean(MediaUses::Live))
                .primary_key(
                    Index::create()
                        .col(MediaUses::MediaId)
                        .col(MediaUses::PostId)
                        .col(MediaUses::Live),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_media_uses_post")
                .table(MediaUses::Table)
                .col(MediaUses::PostId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(MediaUses::Table).to_owned())
            .await?;
        for c in [Media::MarkedPublic, Media::Public] {
            m.alter_table(Table::alter().table(Media::Table).drop_column(c).to_owned())
                .await?;
        }
        Ok(())
    }
}
