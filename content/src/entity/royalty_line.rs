//! One person's line of a proposal: gross at proposal, withheld and net
//! once paid. A paid line never changes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "royalty_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub proposal_id: i32,
    pub position: i32,
    pub user_id: Option<i32>,
    pub name: String,
    /// The supplying unit (Đ7.2e).
    pub unit_id: Option<i32>,
    /// An [`crate::royalties::amounts::Contribution`] name.
    pub contribution: String,
    /// The integer weight.
    pub share: i64,
    /// Paid through the payroll: no withholding here.
    pub payroll: bool,
    /// Gross, in đồng.
    pub amount: i64,
    pub withheld: Option<i64>,
    pub net: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
