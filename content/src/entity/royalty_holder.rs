//! A budget holder that pays royalties (Đ7.2a the Communication Centre,
//! Đ7.2b the Support Centre).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "royalty_holders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The unit's code (`communication_centre`, `support_centre`).
    #[sea_orm(unique)]
    pub code: String,
    pub unit_id: Option<i32>,
    /// `posts` or `answers`: the works it pays for.
    pub works: String,
    /// JSON arrays of role names.
    pub proposer_roles: String,
    pub approver_roles: String,
    /// A work published this many days ago and still unpaid is flagged.
    pub unpaid_warning_days: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
