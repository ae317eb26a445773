use sea_orm::{ConnectionTrait, FromQueryResult};
use sea_orm_migration::{prelude::*, schema::*};

/// The working title of every post without diacritics (`-bao-hiem-y-te-`),
/// kept on the post so that the editor's list finds a title typed with or
/// without diacritics and sorts by it in SQL.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    RevisionId,
    TitleKey,
}

#[derive(DeriveIden)]
enum PostRevisions {
    Table,
    Id,
    Title,
}

#[derive(FromQueryResult)]
struct Row {
    id: i32,
    title: String,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Posts::Table)
                .add_column(string(Posts::TitleKey).default(""))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let select = Query::select()
            .expr_as(Expr::col((Posts::Table, Posts::Id)), Alias::new("id"))
            .expr_as(
                Expr::col((PostRevisions::Table, PostRevisions::Title)),
                Alias::new("title"),
            )
            .from(Posts::Table)
            .inner_join(
                PostRevisions::Table,
                Expr::col((PostRevisions::Table, PostRevisions::Id))
                    .equals((Posts::Table, Posts::RevisionId)),
            )
            .to_owned();
        for row in Row::find_by_statement(backend.build(&select)).all(db).await? {
            let update = Query::update()
                .table(Posts::Table)
                .value(Posts::TitleKey, crate::text::title_key(&row.title))
                .and_where(Expr::col(Posts::Id).eq(row.id))
                .to_owned();
            db.execute_raw(backend.build(&update)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Posts::Table)
                .drop_column(Posts::TitleKey)
                .to_owned(),
        )
        .await
    }
}
