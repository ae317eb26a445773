//! What the public sees of the Q&A: published questions and answers,
//! without the asker's personal data.

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::question;
use crate::error::Result;
use crate::lang::Lang;
use crate::time::date_vn;

/// What the public sees of a published question: no personal data.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Published {
    pub id: i32,
    pub category: String,
    pub title: String,
    pub question: String,
    pub answer: String,
    pub answering_unit: Option<i32>,
    pub received_on: NaiveDate,
    pub published_on: NaiveDate,
}

/// The path word of a published question's page in each edition
/// (`/vi/hoi-dap/cau-hoi/41`): part of the public URL scheme, shared by
/// the public site and the search index.
pub const PAGE_WORD: (&str, &str) = ("cau-hoi", "question");

/// The public path of a published question, under the Q&A section's slug.
pub fn public_path(lang: Lang, qa_section_slug: &str, id: i32) -> String {
    format!(
        "/{lang}/{qa_section_slug}/{}/{id}",
        lang.pick(PAGE_WORD.0, PAGE_WORD.1)
    )
}

impl From<question::Model> for Published {
    fn from(q: question::Model) -> Self {
        Published {
            id: q.id,
            category: q.category,
            title: q.public_title.unwrap_or(q.title),
            question: q.public_content.unwrap_or(q.content),
            answer: q.answer.unwrap_or_default(),
            answering_unit: q.answer_unit_id,
            received_on: date_vn(q.received_at),
            published_on: date_vn(q.published_at.unwrap_or(q.received_at)),
        }
    }
}

/// Published items of a channel, newest first, optionally of one
/// category. Public means in the published state: a withdrawn item, or
/// one reopened for correction, keeps its first publication's day but
/// is not shown. Feeds, the sitemap and the home page need no total, so
/// none is counted.
pub async fn published(
    db: &impl ConnectionTrait,
    channel: super::Channel,
    category: Option<&str>,
    limit: u64,
) -> Result<Vec<Published>> {
    newest_first(public(channel, category), 0, limit, db).await
}

/// A page of [`published`] (skipping `offset`), with how many there are.
pub async fn published_page(
    db: &impl ConnectionTrait,
    channel: super::Channel,
    category: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Published>, u64)> {
    let q = public(channel, category);
    let total = q.clone().count(db).await?;
    Ok((newest_first(q, offset, limit, db).await?, total))
}

fn public(channel: super::Channel, category: Option<&str>) -> sea_orm::Select<question::Entity> {
    let q = question::Entity::find()
        .filter(question::Column::Status.eq(super::QuestionState::Published.as_str()))
        .filter(question::Column::Channel.eq(channel.as_str()));
    match category {
        Some(c) => q.filter(question::Column::Category.eq(c)),
        None => q,
    }
}

async fn newest_first(
    q: sea_orm::Select<question::Entity>,
    offset: u64,
    limit: u64,
    db: &impl ConnectionTrait,
) -> Result<Vec<Published>> {
    Ok(q.order_by_desc(question::Column::PublishedAt)
        .order_by_desc(question::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Published::from)
        .collect())
}

/// One published item of a channel; `None` when it is not public.
pub async fn published_one(
    db: &impl ConnectionTrait,
    channel: super::Channel,
    id: i32,
) -> Result<Option<Published>> {
    Ok(question::Entity::find_by_id(id)
        .filter(question::Column::Status.eq(super::QuestionState::Published.as_str()))
        .filter(question::Column::Channel.eq(channel.as_str()))
        .one(db)
        .await?
        .map(Published::from))
}
