use sea_orm_migration::{prelude::*, schema::*};

/// The search query log for the annual report: what was searched and how
/// many results it found, never who searched (no address, no session).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SearchQueries {
    Table,
    Id,
    At,
    Edition,
    Query,
    Results,
    TookMs,
    Searches,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SearchQueries::Table)
                .col(big_pk_auto(SearchQueries::Id))
                .col(timestamp_with_time_zone(SearchQueries::At))
                .col(string(SearchQueries::Edition))
                .col(text(SearchQueries::Query))
                .col(big_integer(SearchQueries::Results))
                .col(integer(SearchQueries::TookMs))
                .col(big_integer(SearchQueries::Searches).default(1))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_search_queries_at")
                .table(SearchQueries::Table)
                .col(SearchQueries::At)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SearchQueries::Table).to_owned())
            .await
    }
}
