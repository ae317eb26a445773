use sea_orm_migration::{prelude::*, schema::*};

/// What the editor tells people about posts: that one waits for them,
/// that changes were asked, that theirs was approved, published or
/// withdrawn. Each user chooses mail at once or one daily digest.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    PostId,
    Kind,
    ActorId,
    CreatedAt,
    ReadAt,
    MailedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    NotifyDigest,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(pk_auto(Notifications::Id))
                .col(integer(Notifications::UserId))
                .col(integer(Notifications::PostId))
                .col(string(Notifications::Kind))
                .col(integer_null(Notifications::ActorId))
                .col(timestamp_with_time_zone(Notifications::CreatedAt))
                .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                .col(timestamp_with_time_zone_null(Notifications::MailedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notifications_user")
                .table(Notifications::Table)
                .col(Notifications::UserId)
                .col(Notifications::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notifications_unmailed")
                .table(Notifications::Table)
                .col(Notifications::MailedAt)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(boolean(Users::NotifyDigest).default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Users::NotifyDigest)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await
    }
}
