use sea_orm_migration::{prelude::*, schema::*};

/// Each question's schedule (see `qa::Schedule`): the day after which it is
/// overdue and the day from which it is due soon, so that inboxes sort and
/// count a whole backlog in SQL. Empty until computed; the server fills in
/// what is missing when it starts.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Questions {
    Table,
    DueOn,
    WarnOn,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Questions::DueOn, Questions::WarnOn] {
            m.alter_table(
                Table::alter()
                    .table(Questions::Table)
                    .add_column(date_null(column))
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_questions_due_on")
                .table(Questions::Table)
                .col(Questions::DueOn)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Questions::WarnOn, Questions::DueOn] {
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
