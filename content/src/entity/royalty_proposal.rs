//! A proposal of the amounts of a sheet, with its approval and payment.
//! The rates used are copied in, so the amounts never move.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "royalty_proposals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub sheet_id: i32,
    pub holder_id: i32,
    /// A [`crate::royalties::rules::Status`] name.
    pub status: String,
    pub genre: String,
    /// Hundredths.
    pub coefficient: i64,
    /// The day whose rates apply: the work's publication.
    pub rate_date: Date,
    pub base_salary: i64,
    pub unit_value: i64,
    /// Hundredths of a percent.
    pub translation_percent: Option<i64>,
    pub incentive_percent: Option<i64>,
    pub related_fee_percent: Option<i64>,
    pub royalty: i64,
    pub incentive: i64,
    pub related_fee: i64,
    pub total: i64,
    /// The budget year it is charged to (the year it was proposed).
    pub budget_year: i32,
    /// Whether it went over the holder's budget when proposed.
    pub over_budget: bool,
    /// The paid proposal this one corrects.
    pub adjusts_id: Option<i32>,
    pub proposer_id: i32,
    pub proposed_at: DateTimeUtc,
    pub comment: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    /// The approver's comment.
    pub decision: Option<String>,
    /// Why the approver approved over the budget.
    pub budget_override: Option<String>,
    pub paid_on: Option<Date>,
    /// The payment voucher's number.
    pub payment_reference: Option<String>,
    pub paid_by: Option<i32>,
    pub paid_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
