use sea_orm_migration::{prelude::*, schema::*};

/// The royalty ledger (Đ7.2a–b, Đ7.2e, Đ17; Decree 18/2014/NĐ-CP): dated
/// rates, budget holders and their annual budgets, one sheet per published
/// work, proposals with their approval and payment, and one line per
/// person paid.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RoyaltyRates {
    Table,
    Id,
    Key,
    EffectiveFrom,
    Value,
    Basis,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RoyaltyHolders {
    Table,
    Id,
    Code,
    UnitId,
    Works,
    ProposerRoles,
    ApproverRoles,
    UnpaidWarningDays,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoyaltyBudgets {
    Table,
    Id,
    HolderId,
    Year,
    Amount,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoyaltySheets {
    Table,
    Id,
    HolderId,
    PostId,
    QuestionId,
    Title,
    PublishedOn,
    People,
    Translation,
    Status,
    OpenedBy,
    OpenedAt,
}

#[derive(DeriveIden)]
enum RoyaltyProposals {
    Table,
    Id,
    SheetId,
    HolderId,
    Status,
    Genre,
    Coefficient,
    RateDate,
    BaseSalary,
    UnitValue,
    TranslationPercent,
    IncentivePercent,
    RelatedFeePercent,
    Royalty,
    Incentive,
    RelatedFee,
    Total,
    BudgetYear,
    OverBudget,
    AdjustsId,
    ProposerId,
    ProposedAt,
    Comment,
    DecidedBy,
    DecidedAt,
    Decision,
    BudgetOverride,
    PaidOn,
    PaymentReference,
    PaidBy,
    PaidAt,
}

#[derive(DeriveIden)]
enum RoyaltyLines {
    Table,
    Id,
    ProposalId,
    Position,
    UserId,
    Name,
    UnitId,
    Contribution,
    Share,
    Payroll,
    Amount,
    Withheld,
    Net,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RoyaltyRates::Table)
                .col(pk_auto(RoyaltyRates::Id))
                .col(string(RoyaltyRates::Key))
                .col(date(RoyaltyRates::EffectiveFrom))
                .col(big_integer(RoyaltyRates::Value))
                .col(text_null(RoyaltyRates::Basis))
                .col(integer_null(RoyaltyRates::CreatedBy))
                .col(timestamp_with_time_zone(RoyaltyRates::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RoyaltyHolders::Table)
                .col(pk_auto(RoyaltyHolders::Id))
                .col(string_uniq(RoyaltyHolders::Code))
                .col(integer_null(RoyaltyHolders::UnitId))
                .col(string(RoyaltyHolders::Works))
                .col(text(RoyaltyHolders::ProposerRoles))
                .col(text(RoyaltyHolders::ApproverRoles))
                .col(integer(RoyaltyHolders::UnpaidWarningDays))
                .col(timestamp_with_time_zone(RoyaltyHolders::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RoyaltyBudgets::Table)
                .col(pk_auto(RoyaltyBudgets::Id))
                .col(integer(RoyaltyBudgets::HolderId))
                .col(integer(RoyaltyBudgets::Year))
                .col(big_integer(RoyaltyBudgets::Amount))
                .col(integer_null(RoyaltyBudgets::UpdatedBy))
                .col(timestamp_with_time_zone(RoyaltyBudgets::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_royalty_budgets_holder_year")
                .table(RoyaltyBudgets::Table)
                .col(RoyaltyBudgets::HolderId)
                .col(RoyaltyBudgets::Year)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RoyaltySheets::Table)
                .col(pk_auto(RoyaltySheets::Id))
                .col(integer(RoyaltySheets::HolderId))
                .col(integer_null(RoyaltySheets::PostId).unique_key())
                .col(integer_null(RoyaltySheets::QuestionId).unique_key())
                .col(text(RoyaltySheets::Title))
                .col(date(RoyaltySheets::PublishedOn))
                .col(text(RoyaltySheets::People))
                .col(boolean(RoyaltySheets::Translation))
                .col(string(RoyaltySheets::Status))
                .col(integer_null(RoyaltySheets::OpenedBy))
                .col(timestamp_with_time_zone(RoyaltySheets::OpenedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_royalty_sheets_status")
                .table(RoyaltySheets::Table)
                .col(RoyaltySheets::Status)
                .col(RoyaltySheets::PublishedOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RoyaltyProposals::Table)
                .col(pk_auto(RoyaltyProposals::Id))
                .col(integer(RoyaltyProposals::SheetId))
                .col(integer(RoyaltyProposals::HolderId))
                .col(string(RoyaltyProposals::Status))
                .col(string(RoyaltyProposals::Genre))
                .col(big_integer(RoyaltyProposals::Coefficient))
                .col(date(RoyaltyProposals::RateDate))
                .col(big_integer(RoyaltyProposals::BaseSalary))
                .col(big_integer(RoyaltyProposals::UnitValue))
                .col(big_integer_null(RoyaltyProposals::TranslationPercent))
                .col(big_integer_null(RoyaltyProposals::IncentivePercent))
                .col(big_integer_null(RoyaltyProposals::RelatedFeePercent))
                .col(big_integer(RoyaltyProposals::Royalty))
                .col(big_integer(RoyaltyProposals::Incentive))
                .col(big_integer(RoyaltyProposals::RelatedFee))
                .col(big_integer(RoyaltyProposals::Total))
                .col(integer(RoyaltyProposals::BudgetYear))
                .col(boolean(RoyaltyProposals::OverBudget))
                .col(integer_null(RoyaltyProposals::AdjustsId))
                .col(integer(RoyaltyProposals::ProposerId))
                .col(timestamp_with_time_zone(RoyaltyProposals::ProposedAt))
                .col(text_null(RoyaltyProposals::Comment))
                .col(integer_null(RoyaltyProposals::DecidedBy))
                .col(timestamp_with_time_zone_null(RoyaltyProposals::DecidedAt))
                .col(text_null(RoyaltyProposals::Decision))
                .col(text_null(RoyaltyProposals::BudgetOverride))
                .col(date_null(RoyaltyProposals::PaidOn))
                .col(string_null(RoyaltyProposals::PaymentReference))
                .col(integer_null(RoyaltyProposals::PaidBy))
                .col(timestamp_with_time_zone_null(RoyaltyProposals::PaidAt))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_royalty_proposals_holder_year",
                vec![RoyaltyProposals::HolderId, RoyaltyProposals::BudgetYear],
            ),
            ("idx_royalty_proposals_sheet", vec![RoyaltyProposals::SheetId]),
            (
                "idx_royalty_proposals_status_paid",
                vec![RoyaltyProposals::Status, RoyaltyProposals::PaidOn],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(RoyaltyProposals::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(RoyaltyLines::Table)
                .col(pk_auto(RoyaltyLines::Id))
                .col(integer(RoyaltyLines::ProposalId))
                .col(integer(RoyaltyLines::Position))
                .col(integer_null(RoyaltyLines::UserId))
                .col(string(RoyaltyLines::Name))
                .col(integer_null(RoyaltyLines::UnitId))
                .col(string(RoyaltyLines::Contribution))
                .col(big_integer(RoyaltyLines::Share))
                .col(boolean(RoyaltyLines::Payroll))
                .col(big_integer(RoyaltyLines::Amount))
                .col(big_integer_null(RoyaltyLines::Withheld))
                .col(big_integer_null(RoyaltyLines::Net))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_royalty_lines_proposal")
                .table(RoyaltyLines::Table)
                .col(RoyaltyLines::ProposalId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            RoyaltyLines::Table.into_iden(),
            RoyaltyProposals::Table.into_iden(),
            RoyaltySheets::Table.into_iden(),
            RoyaltyBudgets::Table.into_iden(),
            RoyaltyHolders::Table.into_iden(),
            RoyaltyRates::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
