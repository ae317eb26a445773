//! Posts: creation, immutable revisions, saves guarded against stale bases
//! and editing locks, workflow transitions with their record, scheduled
//! publication, comments and history.
//!
//! - [`revisions`]: creating and saving;
//! - [`locking`]: editing locks;
//! - [`transitions`]: the approval chain, publication and its schedule;
//! - [`history`]: revisions, transitions, diffs and comments;
//! - [`finder`]: the editor's list of every post;
//! - [`preview`]: links showing a draft as its public page;
//! - [`translations`]: posts of the two editions linked.

pub mod finder;
pub mod history;
pub mod locking;
pub mod preview;
pub mod revisions;
pub mod transitions;
pub mod translations;

pub use history::{add_comment, comments, diff, revision, revisions, transitions};
pub use locking::{LOCK_TTL, lock, release_own, unlock};
pub use revisions::{create, save};
pub use transitions::{Moved, Waiting, allowed_actions, run_schedule, transition, waiting_for};

use std::fmt;

use std::str::FromStr;

use chrono::{DateTime, Utc};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use serde::{Deserialize, Serialize};

use crate::accounts::Account;

use crate::entity::{media, post, revision, transition};

use crate::error::{Error, Result};

use crate::lang::Lang;

use crate::workflow::{Action, State};

/// Journalistic genres; they decide royalty coefficients later (Decree
/// 18/2014/NĐ-CP art. 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Genre {
    News,
    Photo,
    Drawing,
    Commentary,
    Reportage,
    Interview,
    Literature,
    Research,
    Media,
    AnswerToReaders,
}

impl Genre {
    pub const ALL: [Genre; 10] = [
        Genre::News,
        Genre::Photo,
        Genre::Drawing,
        Genre::Commentary,
        Genre::Reportage,
        Genre::Interview,
        Genre::Literature,
        Genre::Research,
        Genre::Media,
        Genre::AnswerToReaders,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Genre::News => "news",
            Genre::Photo => "photo",
            Genre::Drawing => "drawing",
            Genre::Commentary => "commentary",
            Genre::Reportage => "reportage",
            Genre::Interview => "interview",
            Genre::Literature => "literature",
            Genre::Research => "research",
            Genre::Media => "media",
            Genre::AnswerToReaders => "answer_to_readers",
        }
    }
}

impl fmt::Display for Genre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Genre {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.replace('-', "_");
        Genre::ALL.into_iter().find(|g| g.as_str() == s).ok_or_else(|| {
            Error::invalid(
                "genre",
                "one of news, photo, drawing, commentary, reportage, interview, literature, research, media, answer_to_readers",
            )
        })
    }
}

/// An author: a portal account or an external name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Author {
    User { user_id: i32 },
    Name { name: String },
}

/// The editable content of a post: what every save sends.
#[derive(Clone, Debug, Default)]
pub struct Content {
    pub section_id: i32,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub slug: Option<String>,
    pub authors: Vec<Author>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub reuses_information: bool,
    pub genre: Option<Genre>,
    pub tags: Vec<String>,
    pub cover_media_id: Option<i32>,
    pub attachments: Vec<i32>,
    pub publish_at: Option<DateTime<Utc>>,
    pub unpublish_at: Option<DateTime<Utc>>,
}

/// A post with its working revision.
#[derive(Clone, Debug)]
pub struct Full {
    pub post: post::Model,
    pub revision: revision::Model,
}

impl Full {
    pub fn state(&self) -> State {
        self.post.state.parse().unwrap_or(State::Draft)
    }

    pub fn authors(&self) -> Vec<Author> {
        serde_json::from_str(&self.revision.authors).unwrap_or_default()
    }

    pub fn tags(&self) -> Vec<String> {
        serde_json::from_str(&self.revision.tags).unwrap_or_default()
    }

    pub fn attachments(&self) -> Vec<i32> {
        serde_json::from_str(&self.revision.attachments).unwrap_or_default()
    }
}

impl post::Model {
    /// The edition the post belongs to.
    pub fn lang(&self) -> Lang {
        Lang::from_code(Some(&self.edition))
    }
}

/// The public address of a live post: `/{edition}/{section slug}/{slug}`.
pub fn public_path(p: &post::Model, section: &crate::entity::section::Model) -> String {
    format!("/{}/{}/{}", p.edition, section.own_slug(), p.slug)
}

pub async fn get_post(db: &impl ConnectionTrait, id: i32) -> Result<post::Model> {
    post::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("post"))
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Full> {
    let post = get_post(db, id).await?;
    let revision = revision::Entity::find_by_id(post.revision_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("revision"))?;
    Ok(Full { post, revision })
}

/// The revision the public sees, if any.
pub async fn live(db: &impl ConnectionTrait, id: i32) -> Result<Option<Full>> {
    let post = get_post(db, id).await?;
    let Some(live_id) = post.live_revision_id else {
        return Ok(None);
    };
    let revision = revision::Entity::find_by_id(live_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("revision"))?;
    Ok(Some(Full { post, revision }))
}

/// Filters for the editor's lists.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub edition: Option<Lang>,
    pub state: Option<State>,
    pub creator_id: Option<i32>,
    pub section_id: Option<i32>,
    pub live: Option<bool>,
    pub limit: u64,
}

pub async fn list(db: &impl ConnectionTrait, f: &ListFilter) -> Result<Vec<Full>> {
    let mut q = post::Entity::find().order_by_desc(post::Column::UpdatedAt);
    if let Some(e) = f.edition {
        q = q.filter(post::Column::Edition.eq(e.as_str()));
    }
    if let Some(s) = f.state {
        q = q.filter(post::Column::State.eq(s.as_str()));
    }
    if let Some(c) = f.creator_id {
        q = q.filter(post::Column::CreatorId.eq(c));
    }
    if let Some(s) = f.section_id {
        q = q.filter(post::Column::SectionId.eq(s));
    }
    match f.live {
        Some(true) => q = q.filter(post::Column::LiveRevisionId.is_not_null()),
        Some(false) => q = q.filter(post::Column::LiveRevisionId.is_null()),
        None => {}
    }
    let posts = q.limit(f.limit.clamp(1, 500)).all(db).await?;
    let ids: Vec<i32> = posts.iter().map(|p| p.revision_id).collect();
    let revs = revision::Entity::find()
        .filter(revision::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(posts
        .into_iter()
        .filter_map(|p| {
            let r = revs.iter().find(|r| r.id == p.revision_id)?.clone();
            Some(Full { post: p, revision: r })
        })
        .collect())
}

/// Posts awaiting a step that `who` may decide now, oldest first, with
/// when they entered that step.
pub async fn awaiting(db: &impl ConnectionTrait, who: &Account) -> Result<Vec<(Full, DateTime<Utc>)>> {
    let waiting = post::Entity::find()
        .filter(post::Column::State.is_in([State::Submitted.as_str(), State::InReview.as_str()]))
        .order_by_asc(post::Column::UpdatedAt)
        .limit(500)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for p in waiting {
        let full = get(db, p.id).await?;
        if allowed_actions(db, &full, who).await?.contains(&Action::Approve) {
            let since = transition::Entity::find()
                .filter(transition::Column::PostId.eq(p.id))
                .order_by_desc(transition::Column::Id)
                .one(db)
                .await?
                .map(|t| t.at)
                .unwrap_or(p.updated_at);
            out.push((full, since));
        }
    }
    Ok(out)
}

/// The media a post uses, for showing and for royalties.
pub async fn media_of(db: &impl ConnectionTrait, rev: &revision::Model) -> Result<Vec<media::Model>> {
    let mut ids: Vec<i32> = serde_json::from_str(&rev.attachments).unwrap_or_default();
    ids.extend(rev.cover_media_id);
    Ok(media::Entity::find()
        .filter(media::Column::Id.is_in(ids))
        .all(db)
        .await?)
}
