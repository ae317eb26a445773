//! One search as logged for the annual report. Holds no personal data: no
//! address, no session, no user.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
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
    /// The longest of the searches, in milliseconds.
    pub took_ms: i32,
    /// How many identical searches (same edition, text and result count)
    /// this row stands for: the server writes one row per query and
    /// flush, not one per request, so a busy hour costs a few rows.
    pub searches: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
