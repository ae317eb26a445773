//! One dated royalty rate (`royalties::rates`): never changed, superseded
//! by newer rows.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "royalty_rates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// A [`crate::royalties::rates::RateKey`] name.
    pub key: String,
    pub effective_from: Date,
    /// Đồng, or hundredths for percentages and coefficients.
    pub value: i64,
    /// The legal basis.
    pub basis: Option<String>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
