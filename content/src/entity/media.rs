//! An uploaded file. Originals are content-addressed: the same bytes
//! uploaded twice are stored once.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "media")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// SHA-256 of the stored original, hex.
    pub sha256: String,
    /// `image` or `document`.
    pub kind: String,
    pub mime: String,
    pub size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub file_name: String,
    pub alt: Option<String>,
    pub caption: Option<String>,
    /// Photographer or author credit (used for royalties).
    pub credit: Option<String>,
    pub uploaded_by: i32,
    /// The public may see it: a live post uses it, or it is marked public.
    pub public: bool,
    /// An editor made it public whether or not a live post uses it.
    pub marked_public: bool,
    pub created_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    /// Times the public downloaded it (documents; counted in batches).
    pub downloads: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
