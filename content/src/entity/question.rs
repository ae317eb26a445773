//! A citizen's question. Name, e-mail, phone and address are personal data:
//! they are shown to staff and to the asker only, never published.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub tracking_code: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// `general`, `social_insurance`, `health_insurance` or `unemployment_insurance`.
    pub category: String,
    /// `question` (Q&A) or `petition` (proposals and petitions).
    pub channel: String,
    pub title: String,
    pub content: String,
    pub status: String,
    pub complex: bool,
    /// JSON array of the unit ids the question was forwarded to.
    pub units: String,
    pub answer: Option<String>,
    pub answer_unit_id: Option<i32>,
    pub reject_reason: Option<String>,
    pub received_at: DateTimeUtc,
    pub classified_at: Option<DateTimeUtc>,
    pub promised_on: Option<Date>,
    pub answered_at: Option<DateTimeUtc>,
    pub approved_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub rejected_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    /// Overdue after this day (`qa::Schedule`); empty when no clock runs.
    pub due_on: Option<Date>,
    /// Due soon from this day on.
    pub warn_on: Option<Date>,
    /// The title as published, when the Q&A staff edited it.
    #[serde(default)]
    pub public_title: Option<String>,
    /// The text as published, when the Q&A staff edited it (personal
    /// details taken out); `content` keeps what the citizen sent.
    #[serde(default)]
    pub public_content: Option<String>,
    /// `vi` or `en`: the edition it was asked in (the language of the
    /// asker's mails).
    #[serde(default = "vietnamese")]
    pub edition: String,
    /// The asker's rating of the answer, once: satisfied or not.
    #[serde(default)]
    pub satisfied: Option<bool>,
    #[serde(default)]
    pub rating_comment: Option<String>,
    #[serde(default)]
    pub rated_at: Option<DateTimeUtc>,
}

fn vietnamese() -> String {
    "vi".to_owned()
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
