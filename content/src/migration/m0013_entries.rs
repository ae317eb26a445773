use sea_orm_migration::{prelude::*, schema::*};

/// Structured content (procedures, online services, documents, drafts and
/// the catalogues that follow): entries with immutable versions, their
/// workflow record, the filterable fields of their working and live
/// versions, the library files they use, comments on drafts, and the text
/// of attached files for search.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Entries {
    Table,
    Id,
    Kind,
    SectionId,
    LiveSectionId,
    Key,
    Slug,
    Title,
    LiveTitle,
    LiveSort,
    State,
    Step,
    CreatorId,
    WorkingVersion,
    LiveVersion,
    PublishedAt,
    PublicUpdatedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EntryVersions {
    Table,
    Id,
    EntryId,
    Number,
    Title,
    Data,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EntryTransitions {
    Table,
    Id,
    EntryId,
    Version,
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
enum EntryFacets {
    Table,
    EntryId,
    Live,
    Kind,
    Name,
    Value,
}

#[derive(DeriveIden)]
enum DraftComments {
    Table,
    Id,
    EntryId,
    Name,
    Email,
    Organisation,
    Clause,
    Text,
    State,
    ModeratorId,
    Reason,
    ModeratedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LinkChecks {
    Table,
    EntryId,
    Url,
    Status,
    Error,
    CheckedAt,
}

#[derive(DeriveIden)]
enum MediaTexts {
    Table,
    MediaId,
    Text,
    Error,
    ExtractedAt,
}

#[derive(DeriveIden)]
enum EntryMediaUses {
    Table,
    MediaId,
    EntryId,
    Live,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Entries::Table)
                .col(pk_auto(Entries::Id))
                .col(string(Entries::Kind))
                .col(integer(Entries::SectionId))
                .col(integer_null(Entries::LiveSectionId))
                .col(string(Entries::Key))
                .col(string(Entries::Slug))
                .col(text(Entries::Title))
                .col(text_null(Entries::LiveTitle))
                .col(string_null(Entries::LiveSort))
                .col(string(Entries::State))
                .col(integer_null(Entries::Step))
                .col(integer(Entries::CreatorId))
                .col(integer(Entries::WorkingVersion))
                .col(integer_null(Entries::LiveVersion))
                .col(timestamp_with_time_zone_null(Entries::PublishedAt))
                .col(timestamp_with_time_zone_null(Entries::PublicUpdatedAt))
                .col(timestamp_with_time_zone(Entries::CreatedAt))
                .col(timestamp_with_time_zone(Entries::UpdatedAt))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_entries_kind_key", Entries::Key),
            ("idx_entries_kind_slug", Entries::Slug),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Entries::Table)
                    .col(Entries::Kind)
                    .col(col)
                    .unique()
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_entries_kind_live_sort")
                .table(Entries::Table)
                .col(Entries::Kind)
                .col(Entries::LiveSort)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EntryVersions::Table)
                .col(pk_auto(EntryVersions::Id))
                .col(integer(EntryVersions::EntryId))
                .col(integer(EntryVersions::Number))
                .col(text(EntryVersions::Title))
                .col(text(EntryVersions::Data))
                .col(integer(EntryVersions::CreatedBy))
                .col(timestamp_with_time_zone(EntryVersions::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_entry_versions_number")
                .table(EntryVersions::Table)
                .col(EntryVersions::EntryId)
                .col(EntryVersions::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EntryTransitions::Table)
                .col(pk_auto(EntryTransitions::Id))
                .col(integer(EntryTransitions::EntryId))
                .col(integer(EntryTransitions::Version))
                .col(string(EntryTransitions::Action))
                .col(string(EntryTransitions::FromState))
                .col(string(EntryTransitions::ToState))
                .col(integer_null(EntryTransitions::FromStep))
                .col(integer_null(EntryTransitions::ToStep))
                .col(integer_null(EntryTransitions::ActorId))
                .col(integer_null(EntryTransitions::OnBehalfOfId))
                .col(text_null(EntryTransitions::Comment))
                .col(timestamp_with_time_zone(EntryTransitions::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_entry_transitions_entry")
                .table(EntryTransitions::Table)
                .col(EntryTransitions::EntryId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EntryFacets::Table)
                .col(integer(EntryFacets::EntryId))
                .col(boolean(EntryFacets::Live))
                .col(string(EntryFacets::Kind))
                .col(string(EntryFacets::Name))
                .col(string(EntryFacets::Value))
                .primary_key(
                    Index::create()
                        .col(EntryFacets::EntryId)
                        .col(EntryFacets::Live)
                        .col(EntryFacets::Name)
                        .col(EntryFacets::Value),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_entry_facets_value")
                .table(EntryFacets::Table)
                .col(EntryFacets::Live)
                .col(EntryFacets::Kind)
                .col(EntryFacets::Name)
                .col(EntryFacets::Value)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EntryMediaUses::Table)
                .col(integer(EntryMediaUses::MediaId))
                .col(integer(EntryMediaUses::EntryId))
                .col(boolean(EntryMediaUses::Live))
                .primary_key(
                    Index::create()
                        .col(EntryMediaUses::MediaId)
                        .col(EntryMediaUses::EntryId)
                        .col(EntryMediaUses::Live),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_entry_media_uses_entry")
                .table(EntryMediaUses::Table)
                .col(EntryMediaUses::EntryId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DraftComments::Table)
                .col(pk_auto(DraftComments::Id))
                .col(integer(DraftComments::EntryId))
                .col(string(DraftComments::Name))
                .col(string(DraftComments::Email))
                .col(string_null(DraftComments::Organisation))
                .col(string_null(DraftComments::Clause))
                .col(text(DraftComments::Text))
                .col(string(DraftComments::State))
                .col(integer_null(DraftComments::ModeratorId))
                .col(text_null(DraftComments::Reason))
                .col(timestamp_with_time_zone_null(DraftComments::ModeratedAt))
                .col(timestamp_with_time_zone(DraftComments::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LinkChecks::Table)
                .col(integer(LinkChecks::EntryId).primary_key())
                .col(text(LinkChecks::Url))
                .col(integer_null(LinkChecks::Status))
                .col(text_null(LinkChecks::Error))
                .col(timestamp_with_time_zone(LinkChecks::CheckedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MediaTexts::Table)
                .col(integer(MediaTexts::MediaId).primary_key())
                .col(text(MediaTexts::Text))
                .col(text_null(MediaTexts::Error))
                .col(timestamp_with_time_zone(MediaTexts::ExtractedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_draft_comments_entry")
                .table(DraftComments::Table)
                .col(DraftComments::EntryId)
                .col(DraftComments::State)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            DraftComments::Table.into_iden(),
            MediaTexts::Table.into_iden(),
            LinkChecks::Table.into_iden(),
            EntryMediaUses::Table.into_iden(),
            EntryFacets::Table.into_iden(),
            EntryTransitions::Table.into_iden(),
            EntryVersions::Table.into_iden(),
            Entries::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
