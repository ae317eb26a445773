//! A comment from the public on a draft put to consultation (Đ11.1a),
//! moderated before it shows (Đ13). The commenter's e-mail is never public.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "draft_comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The draft (an entry of the kind `consultation`).
    pub entry_id: i32,
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    /// The article or clause commented on.
    pub clause: Option<String>,
    pub text: String,
    /// `pending`, `published` or `rejected`.
    pub state: String,
    pub moderator_id: Option<i32>,
    /// Why it was rejected.
    pub reason: Option<String>,
    pub moderated_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// The attached file, in the content-addressed store (not the media
    /// library): public only once the comment is.
    pub attachment_sha256: Option<String>,
    pub attachment_name: Option<String>,
    pub attachment_mime: Option<String>,
    pub attachment_size: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
