use sea_orm_migration::{prelude::*, schema::*};

/// Views of published items per day (issue 15): a count per item and day,
/// never who viewed.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PageViews {
    Table,
    Kind,
    ItemId,
    Day,
    Views,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PageViews::Table)
                .col(string(PageViews::Kind))
                .col(integer(PageViews::ItemId))
                .col(date(PageViews::Day))
                .col(big_integer(PageViews::Views))
                .primary_key(
                    Index::create()
                        .col(PageViews::Kind)
                        .col(PageViews::ItemId)
                        .col(PageViews::Day),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_page_views_day")
                .table(PageViews::Table)
                .col(PageViews::Day)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(PageViews::Table).to_owned())
            .await
    }
}
