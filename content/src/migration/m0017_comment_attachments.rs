use sea_orm_migration::{prelude::*, schema::*};

/// A file attached to a comment on a draft (Đ11.1a): kept in the
/// content-addressed store outside the media library, served only to
/// staff until a moderator publishes the comment.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DraftComments {
    Table,
    AttachmentSha256,
    AttachmentName,
    AttachmentMime,
    AttachmentSize,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for col in [
            string_null(DraftComments::AttachmentSha256),
            string_null(DraftComments::AttachmentName),
            string_null(DraftComments::AttachmentMime),
            big_integer_null(DraftComments::AttachmentSize),
        ] {
            let mut col = col;
            m.alter_table(
                Table::alter()
                    .table(DraftComments::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            DraftComments::AttachmentSha256,
            DraftComments::AttachmentName,
            DraftComments::AttachmentMime,
            DraftComments::AttachmentSize,
        ] {
            m.alter_table(
                Table::alter()
                    .table(DraftComments::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
