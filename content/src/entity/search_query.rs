//! One search as logged for the annual report. Holds no personal data: no
//! address, no session, no user.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "search_queries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub edition: String,
    /// The query as normalised for searching (NFC, lower case, canonical
    /// tone placement, whitespace collapsed).
    pub query: String,
    pub results: i64,
    pub took_ms: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
