use sea_orm_migration::{prelude::*, schema::*};

/// The wording of a question as published, when the Q&A staff edited it
/// (Đ11.1a "biên tập": personal details taken out); the citizen's own
/// text is kept as it was sent. And the edition it was asked in, so the
/// asker's mails come in that language.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Questions {
    Table,
    PublicTitle,
    PublicContent,
    Edition,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [Questions::PublicTitle, Questions::PublicContent] {
            m.alter_table(
                Table::alter()
                    .table(Questions::Table)
                    .add_column(text_null(column))
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Questions::Table)
                .add_column(string(Questions::Edition).default("vi"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Questions::PublicTitle,
            Questions::PublicContent,
            Questions::Edition,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Questions::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
