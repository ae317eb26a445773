//! Royalty sheets: one per published work. Publishing a post or an answer
//! opens its sheet in the same transaction (so no published work is ever
//! missing from the ledger), owned by the holder that pays for that kind
//! of work, listing the people found on it: the post's authors, the
//! photographers credited on its images, and for a translation its authors
//! as translators; for an answer, whoever drafted it. Older works get a
//! sheet by hand when their first proposal is made.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use super::amounts::Contribution;
use super::holders::{self, Works};
use crate::entity::{media, post, question, question_event, revision, royalty_sheet, user};
use crate::error::{Error, Result};
use crate::posts::Author;

/// Where a sheet stands: the status of its latest proposal, or waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetStatus {
    /// No proposal yet, or the last one was rejected.
    Waiting,
    Proposed,
    Approved,
    Paid,
}

impl SheetStatus {
    pub const ALL: [SheetStatus; 4] = [
        SheetStatus::Waiting,
        SheetStatus::Proposed,
        SheetStatus::Approved,
        SheetStatus::Paid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SheetStatus::Waiting => "waiting",
            SheetStatus::Proposed => "proposed",
            SheetStatus::Approved => "approved",
            SheetStatus::Paid => "paid",
        }
    }

    pub fn parse(s: &str) -> Option<SheetStatus> {
        SheetStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            SheetStatus::Waiting => "Chờ đề xuất",
            SheetStatus::Proposed => "Chờ duyệt",
            SheetStatus::Approved => "Chờ chi trả",
            SheetStatus::Paid => "Đã chi trả",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            SheetStatus::Waiting => "Awaiting a proposal",
            SheetStatus::Proposed => "Awaiting approval",
            SheetStatus::Approved => "Awaiting payment",
            SheetStatus::Paid => "Paid",
        }
    }

    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        lang.pick(self.label_vi(), self.label_en())
    }
}

/// A person found on the work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i32>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<i32>,
    pub contribution: String,
}

impl royalty_sheet::Model {
    pub fn people(&self) -> Vec<Person> {
        serde_json::from_str(&self.people).unwrap_or_default()
    }

    pub fn status(&self) -> SheetStatus {
        SheetStatus::parse(&self.status).unwrap_or(SheetStatus::Waiting)
    }
}

async fn person_of_user(db: &impl ConnectionTrait, id: i32, c: Contribution) -> Result<Option<Person>> {
    Ok(user::Entity::find_by_id(id).one(db).await?.map(|u| Person {
        user_id: Some(u.id),
        name: u.display_name,
        unit_id: u.unit_id,
        contribution: c.as_str().to_owned(),
    }))
}

/// The people on a post's revision.
async fn people_of_post(
    db: &impl ConnectionTrait,
    rev: &revision::Model,
    translation: bool,
) -> Result<Vec<Person>> {
    let writer = if translation {
        Contribution::Translator
    } else {
        Contribution::Author
    };
    let mut people = Vec::new();
    let authors: Vec<Author> = serde_json::from_str(&rev.authors).unwrap_or_default();
    for a in authors {
        match a {
            Author::User { user_id } => {
                if let Some(p) = person_of_user(db, user_id, writer).await? {
                    people.push(p);
                }
            }
            Author::Name { name } => people.push(Person {
                user_id: None,
                name,
                unit_id: None,
                contribution: writer.as_str().to_owned(),
            }),
        }
    }
    if people.is_empty()
        && let Some(p) = person_of_user(db, rev.created_by, writer).await?
    {
        people.push(p);
    }
    let mut ids: Vec<i32> = serde_json::from_str(&rev.attachments).unwrap_or_default();
    ids.extend(rev.cover_media_id);
    let images = media::Entity::find()
        .filter(media::Column::Id.is_in(ids))
        .filter(media::Column::Kind.eq("image"))
        .order_by_asc(media::Column::Id)
        .all(db)
        .await?;
    for m in images {
        let Some(credit) = m.credit.filter(|c| !c.trim().is_empty()) else {
            continue;
        };
        let credit = credit.trim().to_owned();
        if !people
            .iter()
            .any(|p| p.name == credit && p.contribution == Contribution::Photographer.as_str())
        {
            people.push(Person {
                user_id: None,
                name: credit,
                unit_id: None,
                contribution: Contribution::Photographer.as_str().to_owned(),
            });
        }
    }
    Ok(people)
}

/// Whether a post translates one of its group published before it.
async fn is_translation(db: &impl ConnectionTrait, p: &post::Model) -> Result<bool> {
    let Some(group) = p.translation_group else {
        return Ok(false);
    };
    let earlier = post::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(post::Column::TranslationGroup.eq(group))
                .add(post::Column::Id.eq(group)),
        )
        .filter(post::Column::Id.ne(p.id))
        .filter(post::Column::PublishedAt.is_not_null())
        .count(db)
        .await?;
    Ok(earlier > 0)
}

/// Opens the sheet of a post published for the first time at `at`.
/// Called inside the publishing transaction; does nothing when the post
/// has a sheet or no holder pays for posts.
pub async fn open_for_post(
    db: &impl ConnectionTrait,
    p: &post::Model,
    rev: &revision::Model,
    at: DateTime<Utc>,
    opened_by: Option<i32>,
) -> Result<Option<royalty_sheet::Model>> {
    if royalty_sheet::Entity::find()
        .filter(royalty_sheet::Column::PostId.eq(p.id))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let Some(holder) = holders::for_works(db, Works::Posts).await? else {
        return Ok(None);
    };
    let translation = is_translation(db, p).await?;
    let people = people_of_post(db, rev, translation).await?;
    insert(
        db,
        holder.id,
        Some(p.id),
        None,
        &rev.title,
        at,
        people,
        translation,
        opened_by,
    )
    .await
    .map(Some)
}

/// Opens the sheet of an answer published for the first time at `at`.
pub async fn open_for_question(
    db: &impl ConnectionTrait,
    q: &question::Model,
    at: DateTime<Utc>,
    opened_by: Option<i32>,
) -> Result<Option<royalty_sheet::Model>> {
    if royalty_sheet::Entity::find()
        .filter(royalty_sheet::Column::QuestionId.eq(q.id))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let Some(holder) = holders::for_works(db, Works::Answers).await? else {
        return Ok(None);
    };
    let drafter = question_event::Entity::find()
        .filter(question_event::Column::QuestionId.eq(q.id))
        .filter(question_event::Column::Action.is_in(["draft_answer", "answer_directly"]))
        .order_by_desc(question_event::Column::Id)
        .limit(1)
        .one(db)
        .await?
        .and_then(|e| e.actor_id);
    let mut people = Vec::new();
    if let Some(id) = drafter
        && let Some(p) = person_of_user(db, id, Contribution::Author).await?
    {
        people.push(p);
    }
    insert(
        db,
        holder.id,
        None,
        Some(q.id),
        &q.title,
        at,
        people,
        false,
        opened_by,
    )
    .await
    .map(Some)
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    db: &impl ConnectionTrait,
    holder_id: i32,
    post_id: Option<i32>,
    question_id: Option<i32>,
    title: &str,
    published_at: DateTime<Utc>,
    people: Vec<Person>,
    translation: bool,
    opened_by: Option<i32>,
) -> Result<royalty_sheet::Model> {
    use sea_orm::ActiveModelTrait;
    Ok(royalty_sheet::ActiveModel {
        holder_id: Set(holder_id),
        post_id: Set(post_id),
        question_id: Set(question_id),
        title: Set(title.to_owned()),
        published_on: Set(crate::time::date_vn(published_at)),
        people: Set(serde_json::to_string(&people).unwrap_or_else(|_| "[]".into())),
        translation: Set(translation),
        status: Set(SheetStatus::Waiting.as_str().to_owned()),
        opened_by: Set(opened_by),
        opened_at: Set(crate::time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The work a proposal is made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    Post(i32),
    Question(i32),
}

/// The sheet of a work, opened by hand when the work was published before
/// sheets existed (or imported). Refuses a work that is not published.
pub async fn find_or_open(db: &impl ConnectionTrait, work: Work, by: i32) -> Result<royalty_sheet::Model> {
    let existing = match work {
        Work::Post(id) => royalty_sheet::Entity::find().filter(royalty_sheet::Column::PostId.eq(id)),
        Work::Question(id) => royalty_sheet::Entity::find().filter(royalty_sheet::Column::QuestionId.eq(id)),
    }
    .one(db)
    .await?;
    if let Some(s) = existing {
        return Ok(s);
    }
    let opened = match work {
        Work::Post(id) => {
            let p = post::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| Error::unknown("post_id", format!("no post {id}")))?;
            let (Some(at), Some(live)) = (p.published_at, p.live_revision_id) else {
                return Err(Error::invalid_in(
                    "post_id",
                    "the post has not been published",
                    "Tin bài chưa được xuất bản",
                ));
            };
            let rev = revision::Entity::find_by_id(live)
                .one(db)
                .await?
                .ok_or(Error::NotFound("revision"))?;
            open_for_post(db, &p, &rev, at, Some(by)).await?
        }
        Work::Question(id) => {
            let q = question::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| Error::unknown("question_id", format!("no question {id}")))?;
            let Some(at) = q.published_at else {
                return Err(Error::invalid_in(
                    "question_id",
                    "the answer has not been published",
                    "Câu trả lời chưa được công bố",
                ));
            };
            open_for_question(db, &q, at, Some(by)).await?
        }
    };
    opened.ok_or_else(|| Error::Conflict("no budget holder pays for this kind of work".into()))
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<royalty_sheet::Model> {
    royalty_sheet::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("royalty sheet"))
}

/// Filters for listing sheets, oldest publication first (the longest
/// waiting on top).
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub status: Option<SheetStatus>,
    pub holders: Vec<i32>,
    pub limit: u64,
    pub offset: u64,
}

pub async fn list(db: &impl ConnectionTrait, f: &Filter) -> Result<(Vec<royalty_sheet::Model>, u64)> {
    let mut q =
        royalty_sheet::Entity::find().filter(royalty_sheet::Column::HolderId.is_in(f.holders.clone()));
    if let Some(s) = f.status {
        q = q.filter(royalty_sheet::Column::Status.eq(s.as_str()));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(royalty_sheet::Column::PublishedOn)
        .order_by_asc(royalty_sheet::Column::Id)
        .limit(f.limit.clamp(1, 500))
        .offset(f.offset)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Sets a sheet's status from its proposal's.
pub(super) async fn set_status(db: &impl ConnectionTrait, id: i32, status: SheetStatus) -> Result<()> {
    royalty_sheet::Entity::update_many()
        .col_expr(
            royalty_sheet::Column::Status,
            sea_orm::sea_query::Expr::value(status.as_str()),
        )
        .filter(royalty_sheet::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
