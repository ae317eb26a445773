use sea_orm_migration::{prelude::*, schema::*};

/// Citizens' questions and what happened to them (Đ11.1a "Hỏi đáp").
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Questions {
    Table,
    Id,
    TrackingCode,
    Name,
    Email,
    Phone,
    Address,
    Category,
    Title,
    Content,
    Status,
    Complex,
    Units,
    Answer,
    AnswerUnitId,
    RejectReason,
    ReceivedAt,
    ClassifiedAt,
    PromisedOn,
    AnsweredAt,
    ApprovedAt,
    PublishedAt,
    SentAt,
    RejectedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum QuestionEvents {
    Table,
    Id,
    QuestionId,
    Action,
    ActorId,
    UnitId,
    Comment,
    At,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Questions::Table)
                .col(pk_auto(Questions::Id))
                .col(string_uniq(Questions::TrackingCode))
                .col(string(Questions::Name))
                .col(string(Questions::Email))
                .col(string_null(Questions::Phone))
                .col(string_null(Questions::Address))
                .col(string(Questions::Category))
                .col(text(Questions::Title))
                .col(text(Questions::Content))
                .col(string(Questions::Status))
                .col(boolean(Questions::Complex).default(false))
                .col(text(Questions::Units))
                .col(text_null(Questions::Answer))
                .col(integer_null(Questions::AnswerUnitId))
                .col(text_null(Questions::RejectReason))
                .col(timestamp_with_time_zone(Questions::ReceivedAt))
                .col(timestamp_with_time_zone_null(Questions::ClassifiedAt))
                .col(date_null(Questions::PromisedOn))
                .col(timestamp_with_time_zone_null(Questions::AnsweredAt))
                .col(timestamp_with_time_zone_null(Questions::ApprovedAt))
                .col(timestamp_with_time_zone_null(Questions::PublishedAt))
                .col(timestamp_with_time_zone_null(Questions::SentAt))
                .col(timestamp_with_time_zone_null(Questions::RejectedAt))
                .col(timestamp_with_time_zone(Questions::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_questions_status_received")
                .table(Questions::Table)
                .col(Questions::Status)
                .col(Questions::ReceivedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QuestionEvents::Table)
                .col(pk_auto(QuestionEvents::Id))
                .col(integer(QuestionEvents::QuestionId))
                .col(string(QuestionEvents::Action))
                .col(integer_null(QuestionEvents::ActorId))
                .col(integer_null(QuestionEvents::UnitId))
                .col(text_null(QuestionEvents::Comment))
                .col(timestamp_with_time_zone(QuestionEvents::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(QuestionEvents::Table, QuestionEvents::QuestionId)
                        .to(Questions::Table, Questions::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_question_events_question")
                .table(QuestionEvents::Table)
                .col(QuestionEvents::QuestionId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(QuestionEvents::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Questions::Table).to_owned())
            .await
    }
}
