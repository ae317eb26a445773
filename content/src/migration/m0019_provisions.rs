use sea_orm_migration::{prelude::*, schema::*};

/// Đ11.1: the kinds of information units supply with their deadlines
/// (dated rows, like the royalty rates), and the events units record, each
/// met when a published item is linked to it.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProvisionKinds {
    Table,
    Id,
    Code,
    NameVi,
    NameEn,
    Days,
    WorkingDays,
    StartsVi,
    Source,
    EffectiveFrom,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProvisionEvents {
    Table,
    Id,
    UnitId,
    Kind,
    OccurredOn,
    What,
    DueOn,
    RecordedBy,
    RecordedAt,
    PostId,
    EntryId,
    MetOn,
    LinkedBy,
    LinkedAt,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ProvisionKinds::Table)
                .col(pk_auto(ProvisionKinds::Id))
                .col(string(ProvisionKinds::Code))
                .col(text(ProvisionKinds::NameVi))
                .col(text(ProvisionKinds::NameEn))
                .col(integer(ProvisionKinds::Days))
                .col(boolean(ProvisionKinds::WorkingDays))
                .col(text(ProvisionKinds::StartsVi))
                .col(text(ProvisionKinds::Source))
                .col(date(ProvisionKinds::EffectiveFrom))
                .col(integer_null(ProvisionKinds::CreatedBy))
                .col(timestamp_with_time_zone(ProvisionKinds::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_provision_kinds_code_from")
                .table(ProvisionKinds::Table)
                .col(ProvisionKinds::Code)
                .col(ProvisionKinds::EffectiveFrom)
                .col(ProvisionKinds::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ProvisionEvents::Table)
                .col(pk_auto(ProvisionEvents::Id))
                .col(integer(ProvisionEvents::UnitId))
                .col(string(ProvisionEvents::Kind))
                .col(date(ProvisionEvents::OccurredOn))
                .col(text(ProvisionEvents::What))
                .col(date(ProvisionEvents::DueOn))
                .col(integer_null(ProvisionEvents::RecordedBy))
                .col(timestamp_with_time_zone(ProvisionEvents::RecordedAt))
                .col(integer_null(ProvisionEvents::PostId))
                .col(integer_null(ProvisionEvents::EntryId))
                .col(date_null(ProvisionEvents::MetOn))
                .col(integer_null(ProvisionEvents::LinkedBy))
                .col(timestamp_with_time_zone_null(ProvisionEvents::LinkedAt))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_provision_events_unit", ProvisionEvents::UnitId),
            ("idx_provision_events_due", ProvisionEvents::DueOn),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(ProvisionEvents::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ProvisionEvents::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ProvisionKinds::Table).to_owned())
            .await
    }
}
