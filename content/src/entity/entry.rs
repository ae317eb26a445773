//! A structured content entry (a procedure, an online service…): its place
//! in the workflow and which of its versions the public sees. The content
//! itself lives in immutable [`super::entry_version`]s.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The content type: `procedure`, `online_service`, `ivan_provider`.
    pub kind: String,
    /// The section it is filed under (its working version's).
    pub section_id: i32,
    /// The section its live version is listed under.
    pub live_section_id: Option<i32>,
    /// Unique within the kind: the national code of a procedure, else the slug.
    pub key: String,
    /// The last segment of its public URL, unique within the kind.
    pub slug: String,
    /// The working version's title, for staff lists.
    pub title: String,
    /// The live version's title, for public lists.
    pub live_title: Option<String>,
    /// The live title's words without diacritics, between dashes
    /// (`-cap-lai-so-bao-hiem-xa-hoi-`): public lists sort on it and match
    /// typed words against it in SQL.
    pub live_sort: Option<String>,
    /// A `workflow::State` name.
    pub state: String,
    pub step: Option<i32>,
    pub creator_id: i32,
    /// The number of the version being worked on.
    pub working_version: i32,
    /// The number of the version the public sees, if any.
    pub live_version: Option<i32>,
    pub published_at: Option<DateTimeUtc>,
    /// When the public version last changed (the "last updated" of its page).
    pub public_updated_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
