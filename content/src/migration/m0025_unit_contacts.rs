use sea_orm_migration::{prelude::*, schema::*};

/// A unit's address, phone and e-mail: the contact page and the
/// directory show them, the answering unit of a Q&A is reachable.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Units {
    Table,
    Address,
    Phone,
    Email,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [Units::Address, Units::Phone, Units::Email] {
            m.alter_table(
                Table::alter()
                    .table(Units::Table)
                    .add_column(string_null(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Units::Address, Units::Phone, Units::Email] {
            m.alter_table(Table::alter().table(Units::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
