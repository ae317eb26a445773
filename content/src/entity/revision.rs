//! An immutable revision of a post: every save creates one, none is ever
//! changed or deleted (Đ6.2a: corrections are approved like new content).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "post_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub post_id: i32,
    /// 1, 2, 3… within the post.
    pub number: i32,
    pub section_id: i32,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
    pub slug: String,
    /// JSON array of `{"user_id": n}` or `{"name": "…"}`.
    pub authors: String,
    pub source: Option<String>,
    pub source_url: Option<String>,
    /// Whether the post reuses information from elsewhere (Đ8.3).
    pub reuses_information: bool,
    pub genre: String,
    /// JSON array of strings.
    pub tags: String,
    pub cover_media_id: Option<i32>,
    /// JSON array of media ids.
    pub attachments: String,
    pub publish_at: Option<DateTimeUtc>,
    pub unpublish_at: Option<DateTimeUtc>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
