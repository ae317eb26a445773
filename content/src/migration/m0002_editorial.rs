use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    Edition,
    SectionId,
    Slug,
    State,
    Step,
    CreatorId,
    RevisionId,
    RevisionNumber,
    LiveRevisionId,
    TranslationGroup,
    PublishAt,
    UnpublishAt,
    PublishedAt,
    PublicUpdatedAt,
    LockUserId,
    LockExpiresAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PostRevisions {
    Table,
    Id,
    PostId,
    Number,
    SectionId,
    Title,
    Summary,
    Body,
    Slug,
    Authors,
    Source,
    SourceUrl,
    ReusesInformation,
    Genre,
    Tags,
    CoverMediaId,
    Attachments,
    PublishAt,
    UnpublishAt,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PostTransitions {
    Table,
    Id,
    PostId,
    RevisionId,
    Action,
    FromState,
    ToState,
    FromStep,
    ToStep,
    ActorId,
    OnBehalfOfId,
    Comment,
    At,
}

#[derive(DeriveIden)]
enum ApprovalSteps {
    Table,
    Id,
    SectionId,
    Position,
    Role,
    UnitId,
}

#[derive(DeriveIden)]
enum Delegations {
    Table,
    Id,
    FromUserId,
    ToUserId,
    Role,
    StartsOn,
    EndsOn,
    Reason,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum PostComments {
    Table,
    Id,
    PostId,
    UserId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Media {
    Table,
    Id,
    Sha256,
    Kind,
    Mime,
    Size,
    Width,
    Height,
    FileName,
    Alt,
    Caption,
    Credit,
    UploadedBy,
    CreatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Id,
    At,
    Entity,
    EntityId,
    Action,
    Edition,
}

#[derive(DeriveIden)]
enum Sections {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Media::Table)
                .col(pk_auto(Media::Id))
                .col(string(Media::Sha256))
                .col(string(Media::Kind))
                .col(string(Media::Mime))
                .col(big_integer(Media::Size))
                .col(integer_null(Media::Width))
                .col(integer_null(Media::Height))
                .col(string(Media::FileName))
                .col(text_null(Media::Alt))
                .col(text_null(Media::Caption))
                .col(string_null(Media::Credit))
                .col(integer(Media::UploadedBy))
                .col(timestamp_with_time_zone(Media::CreatedAt))
                .col(timestamp_with_time_zone_null(Media::DeletedAt))
                .foreign_key(&mut fk(
                    (Media::Table, Media::UploadedBy),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_media_sha")
                .table(Media::Table)
                .col(Media::Sha256)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Posts::Table)
                .col(pk_auto(Posts::Id))
                .col(string(Posts::Edition))
                .col(integer(Posts::SectionId))
                .col(string(Posts::Slug))
                .col(string(Posts::State))
                .col(integer_null(Posts::Step))
                .col(integer(Posts::CreatorId))
                .col(integer(Posts::RevisionId))
                .col(integer(Posts::RevisionNumber))
                .col(integer_null(Posts::LiveRevisionId))
                .col(integer_null(Posts::TranslationGroup))
                .col(timestamp_with_time_zone_null(Posts::PublishAt))
                .col(timestamp_with_time_zone_null(Posts::UnpublishAt))
                .col(timestamp_with_time_zone_null(Posts::PublishedAt))
                .col(timestamp_with_time_zone_null(Posts::PublicUpdatedAt))
                .col(integer_null(Posts::LockUserId))
                .col(timestamp_with_time_zone_null(Posts::LockExpiresAt))
                .col(timestamp_with_time_zone(Posts::CreatedAt))
                .col(timestamp_with_time_zone(Posts::UpdatedAt))
                .foreign_key(&mut fk(
                    (Posts::Table, Posts::SectionId),
                    (Sections::Table, Sections::Id),
                ))
                .foreign_key(&mut fk(
                    (Posts::Table, Posts::CreatorId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_posts_edition_slug")
                .table(Posts::Table)
                .col(Posts::Edition)
                .col(Posts::Slug)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_posts_state")
                .table(Posts::Table)
                .col(Posts::State)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PostRevisions::Table)
                .col(pk_auto(PostRevisions::Id))
                .col(integer(PostRevisions::PostId))
                .col(integer(PostRevisions::Number))
                .col(integer(PostRevisions::SectionId))
                .col(text(PostRevisions::Title))
                .col(text(PostRevisions::Summary))
                .col(text(PostRevisions::Body))
                .col(string(PostRevisions::Slug))
                .col(text(PostRevisions::Authors))
                .col(text_null(PostRevisions::Source))
                .col(text_null(PostRevisions::SourceUrl))
                .col(boolean(PostRevisions::ReusesInformation))
                .col(string(PostRevisions::Genre))
                .col(text(PostRevisions::Tags))
                .col(integer_null(PostRevisions::CoverMediaId))
                .col(text(PostRevisions::Attachments))
                .col(timestamp_with_time_zone_null(PostRevisions::PublishAt))
                .col(timestamp_with_time_zone_null(PostRevisions::UnpublishAt))
                .col(integer(PostRevisions::CreatedBy))
                .col(timestamp_with_time_zone(PostRevisions::CreatedAt))
                .foreign_key(&mut fk(
                    (PostRevisions::Table, PostRevisions::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .foreign_key(&mut fk(
                    (PostRevisions::Table, PostRevisions::CreatedBy),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_revisions_post_number")
                .table(PostRevisions::Table)
                .col(PostRevisions::PostId)
                .col(PostRevisions::Number)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PostTransitions::Table)
                .col(pk_auto(PostTransitions::Id))
                .col(integer(PostTransitions::PostId))
                .col(integer(PostTransitions::RevisionId))
                .col(string(PostTransitions::Action))
                .col(string(PostTransitions::FromState))
                .col(string(PostTransitions::ToState))
                .col(integer_null(PostTransitions::FromStep))
                .col(integer_null(PostTransitions::ToStep))
                .col(integer_null(PostTransitions::ActorId))
                .col(integer_null(PostTransitions::OnBehalfOfId))
                .col(text_null(PostTransitions::Comment))
                .col(timestamp_with_time_zone(PostTransitions::At))
                .foreign_key(&mut fk(
                    (PostTransitions::Table, PostTransitions::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_transitions_post")
                .table(PostTransitions::Table)
                .col(PostTransitions::PostId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApprovalSteps::Table)
                .col(pk_auto(ApprovalSteps::Id))
                .col(integer(ApprovalSteps::SectionId))
                .col(integer(ApprovalSteps::Position))
                .col(string(ApprovalSteps::Role))
                .col(integer_null(ApprovalSteps::UnitId))
                .foreign_key(&mut fk(
                    (ApprovalSteps::Table, ApprovalSteps::SectionId),
                    (Sections::Table, Sections::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_steps_section")
                .table(ApprovalSteps::Table)
                .col(ApprovalSteps::SectionId)
                .col(ApprovalSteps::Position)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Delegations::Table)
                .col(pk_auto(Delegations::Id))
                .col(integer(Delegations::FromUserId))
                .col(integer(Delegations::ToUserId))
                .col(string(Delegations::Role))
                .col(date(Delegations::StartsOn))
                .col(date(Delegations::EndsOn))
                .col(text_null(Delegations::Reason))
                .col(timestamp_with_time_zone(Delegations::CreatedAt))
                .col(timestamp_with_time_zone_null(Delegations::RevokedAt))
                .foreign_key(&mut fk(
                    (Delegations::Table, Delegations::FromUserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    (Delegations::Table, Delegations::ToUserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PostComments::Table)
                .col(pk_auto(PostComments::Id))
                .col(integer(PostComments::PostId))
                .col(integer(PostComments::UserId))
                .col(text(PostComments::Body))
                .col(timestamp_with_time_zone(PostComments::CreatedAt))
                .foreign_key(&mut fk(
                    (PostComments::Table, PostComments::PostId),
                    (Posts::Table, Posts::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ChangeLog::Table)
                .col(big_pk_auto(ChangeLog::Id))
                .col(timestamp_with_time_zone(ChangeLog::At))
                .col(string(ChangeLog::Entity))
                .col(integer(ChangeLog::EntityId))
                .col(string(ChangeLog::Action))
                .col(string(ChangeLog::Edition))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ChangeLog::Table.into_iden(),
            PostComments::Table.into_iden(),
            Delegations::Table.into_iden(),
            ApprovalSteps::Table.into_iden(),
            PostTransitions::Table.into_iden(),
            PostRevisions::Table.into_iden(),
            Posts::Table.into_iden(),
            Media::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
