//! A post: the workflow state of its working copy and which revision, if
//! any, the public sees. The content itself lives in immutable revisions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `vi` or `en`.
    pub edition: String,
    pub section_id: i32,
    /// Unique within the edition.
    pub slug: String,
    /// A [`crate::workflow::State`] name.
    pub state: String,
    /// 1-based approval step awaited, while submitted or in review.
    pub step: Option<i32>,
    pub creator_id: i32,
    /// The newest revision (the working copy).
    pub revision_id: i32,
    pub revision_number: i32,
    /// The revision the public sees; `None` when not live.
    pub live_revision_id: Option<i32>,
    /// Posts that translate each other share this group id.
    pub translation_group: Option<i32>,
    pub publish_at: Option<DateTimeUtc>,
    pub unpublish_at: Option<DateTimeUtc>,
    /// First publication.
    pub published_at: Option<DateTimeUtc>,
    /// Last change of what the public sees.
    pub public_updated_at: Option<DateTimeUtc>,
    pub lock_user_id: Option<i32>,
    pub lock_expires_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Identifier in the system a post was imported from (idempotent imports).
    pub external_id: Option<String>,
    /// The working title without diacritics ([`crate::text::title_key`]),
    /// for the editor's list.
    #[serde(default)]
    pub title_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
