use sea_orm_migration::{prelude::*, schema::*};

/// The asker's rating of the answer (satisfied or not, an optional
/// comment), given once on the tracking page: the satisfaction survey the
/// provincial offices run on the answers they give.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Questions {
    Table,
    Satisfied,
    RatingComment,
    RatedAt,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            boolean_null(Questions::Satisfied),
            text_null(Questions::RatingComment),
            timestamp_with_time_zone_null(Questions::RatedAt),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Questions::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Questions::Satisfied, Questions::RatingComment, Questions::RatedAt] {
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
