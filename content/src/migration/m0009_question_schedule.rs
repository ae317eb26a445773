use sea_orm_migration::{prelude::*, schema::*};

/// Each question's schedule (see `qa::Schedule`): the day after which it is
/// overdue and the day from which it is due soon, so that inboxes sort and
/// count a whole backlog in SQL. Empty for closed questions, and for open
/// ones until computed: the server's scheduler fills in what is missing.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Questions {
    Table,
    Status,
    ReceivedAt,
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
        // Inboxes walk open questions in deadline order; counts and the
        // search for questions still to schedule go by status.
        m.create_index(
            Index::create()
                .name("idx_questions_due_on")
                .table(Questions::Table)
                .col(Questions::DueOn)
                .col(Questions::ReceivedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_questions_status_due_on")
                .table(Questions::Table)
                .col(Questions::Status)
                .col(Questions::DueOn)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_questions_status_due_on", "idx_questions_due_on"] {
            m.drop_index(Index::drop().name(name).table(Questions::Table).to_owned())
                .await?;
        }
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
