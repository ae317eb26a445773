//! Posts: creation, immutable revisions, saves guarded against stale bases
//! and editing locks, workflow transitions with their record, scheduled
//! publication, comments and history.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::changelog::{self, ChangeKind};
use crate::entity::{media, post, post_comment, revision, transition};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::roles::Role;
use crate::text::{clean_line, nfc, slugify};
use crate::workflow::{self, Action, Facts, Outcome, Refusal, State, Who};

/// How long an editing lock lasts without activity.
pub const LOCK_TTL: Duration = Duration::minutes(15);

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

fn refusal(r: Refusal) -> Error {
    match r {
        Refusal::Forbidden(m) => Error::Forbidden(m),
        Refusal::WrongState(m) => Error::Conflict(m),
        Refusal::Missing { field, message } => Error::invalid(field, message),
    }
}

/// Checks and normalises content (NFC everywhere, Đ5.2).
async fn clean(db: &impl ConnectionTrait, edition: Lang, c: &Content) -> Result<Content> {
    let section = crate::sections::get(db, c.section_id)
        .await
        .map_err(|_| Error::invalid("section_id", "no such section"))?;
    if section.edition != edition.as_str() {
        return Err(Error::invalid(
            "section_id",
            "the section belongs to the other edition",
        ));
    }
    let title = clean_line(&c.title);
    if title.is_empty() || title.chars().count() > 500 {
        return Err(Error::invalid("title", "must be 1 to 500 characters"));
    }
    let body = nfc(&c.body);
    if body.len() > 2_000_000 {
        return Err(Error::invalid("body", "must be at most 2 MB"));
    }
    let opt = |v: &Option<String>| v.as_deref().map(clean_line).filter(|s| !s.is_empty());
    let source_url = opt(&c.source_url);
    if let Some(u) = &source_url
        && !(u.starts_with("http://") || u.starts_with("https://"))
    {
        return Err(Error::invalid(
            "source_url",
            "must be an http:// or https:// address",
        ));
    }
    let mut authors = Vec::new();
    for a in &c.authors {
        match a {
            Author::User { user_id } => {
                crate::accounts::get(db, *user_id)
                    .await
                    .map_err(|_| Error::invalid("authors", format!("no user {user_id}")))?;
                authors.push(a.clone());
            }
            Author::Name { name } => {
                let name = clean_line(name);
                if !name.is_empty() {
                    authors.push(Author::Name { name });
                }
            }
        }
    }
    let mut tags: Vec<String> = c
        .tags
        .iter()
        .map(|t| clean_line(t))
        .filter(|t| !t.is_empty())
        .collect();
    tags.dedup();
    for id in c.cover_media_id.iter().chain(c.attachments.iter()) {
        crate::media::get(db, *id)
            .await
            .map_err(|_| Error::invalid("attachments", format!("no media {id}")))?;
    }
    if let Some(m) = c.cover_media_id
        && crate::media::get(db, m).await?.kind != "image"
    {
        return Err(Error::invalid("cover_media_id", "the cover must be an image"));
    }
    if let (Some(p), Some(u)) = (c.publish_at, c.unpublish_at)
        && u <= p
    {
        return Err(Error::invalid("unpublish_at", "must be after publish_at"));
    }
    Ok(Content {
        section_id: c.section_id,
        title,
        summary: nfc(c.summary.trim()),
        body,
        slug: c
            .slug
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        authors,
        source: opt(&c.source),
        source_url,
        reuses_information: c.reuses_information,
        genre: Some(c.genre.unwrap_or(Genre::News)),
        tags,
        cover_media_id: c.cover_media_id,
        attachments: c.attachments.clone(),
        publish_at: c.publish_at,
        unpublish_at: c.unpublish_at,
    })
}

/// A slug unique within the edition: the requested one (refused if taken),
/// or one made from the title with `-2`, `-3`… appended as needed.
async fn unique_slug(
    db: &impl ConnectionTrait,
    edition: Lang,
    wanted: Option<&str>,
    title: &str,
    me: Option<i32>,
) -> Result<String> {
    let taken = |slug: String| async move {
        let mut q = post::Entity::find()
            .filter(post::Column::Edition.eq(edition.as_str()))
            .filter(post::Column::Slug.eq(slug));
        if let Some(id) = me {
            q = q.filter(post::Column::Id.ne(id));
        }
        q.count(db).await.map(|n| n > 0)
    };
    if let Some(s) = wanted {
        if !crate::text::is_slug(s) || s.len() > 200 {
            return Err(Error::invalid(
                "slug",
                "use lower-case ASCII letters, digits and single dashes",
            ));
        }
        if taken(s.to_owned()).await? {
            return Err(Error::Conflict(format!(
                "slug `{s}` is already used in this edition"
            )));
        }
        return Ok(s.to_owned());
    }
    let mut base = slugify(title);
    base.truncate(120);
    let base = base.trim_end_matches('-').to_owned();
    let base = if base.is_empty() {
        "bai-viet".to_owned()
    } else {
        base
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken(candidate.clone()).await? {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

async fn insert_revision(
    db: &impl ConnectionTrait,
    post_id: i32,
    number: i32,
    slug: &str,
    c: &Content,
    by: i32,
) -> Result<revision::Model> {
    Ok(revision::ActiveModel {
        post_id: Set(post_id),
        number: Set(number),
        section_id: Set(c.section_id),
        title: Set(c.title.clone()),
        summary: Set(c.summary.clone()),
        body: Set(c.body.clone()),
        slug: Set(slug.to_owned()),
        authors: Set(serde_json::to_string(&c.authors).unwrap_or_else(|_| "[]".into())),
        source: Set(c.source.clone()),
        source_url: Set(c.source_url.clone()),
        reuses_information: Set(c.reuses_information),
        genre: Set(c.genre.unwrap_or(Genre::News).as_str().to_owned()),
        tags: Set(serde_json::to_string(&c.tags).unwrap_or_else(|_| "[]".into())),
        cover_media_id: Set(c.cover_media_id),
        attachments: Set(serde_json::to_string(&c.attachments).unwrap_or_else(|_| "[]".into())),
        publish_at: Set(c.publish_at),
        unpublish_at: Set(c.unpublish_at),
        created_by: Set(by),
        created_at: Set(crate::time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Creates a post as a draft with its first revision. `translation_of`
/// links it with a post of the other edition.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    who: &Account,
    edition: Lang,
    content: &Content,
    translation_of: Option<i32>,
) -> Result<Full> {
    if !who.roles.any(&crate::roles::EDITORIAL_STAFF) {
        return Err(Error::Forbidden(
            "writing posts needs a contributor, editor or board role".into(),
        ));
    }
    let c = clean(db, edition, content).await?;
    let txn = db.begin().await?;
    let group = match translation_of {
        Some(other) => {
            let o = get_post(&txn, other)
                .await
                .map_err(|_| Error::invalid("translation_of", "no such post"))?;
            if o.edition == edition.as_str() {
                return Err(Error::invalid(
                    "translation_of",
                    "a translation belongs to the other edition",
                ));
            }
            Some(o.translation_group.unwrap_or(o.id))
        }
        None => None,
    };
    let slug = unique_slug(&txn, edition, c.slug.as_deref(), &c.title, None).await?;
    let now = crate::time::now();
    let p = post::ActiveModel {
        edition: Set(edition.as_str().to_owned()),
        section_id: Set(c.section_id),
        slug: Set(slug.clone()),
        state: Set(State::Draft.as_str().to_owned()),
        step: Set(None),
        creator_id: Set(who.user.id),
        revision_id: Set(0),
        revision_number: Set(1),
        live_revision_id: Set(None),
        translation_group: Set(group),
        publish_at: Set(c.publish_at),
        unpublish_at: Set(c.unpublish_at),
        published_at: Set(None),
        public_updated_at: Set(None),
        lock_user_id: Set(Some(who.user.id)),
        lock_expires_at: Set(Some(now + LOCK_TTL)),
        created_at: Set(now),
        updated_at: Set(now),
        external_id: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let rev = insert_revision(&txn, p.id, 1, &slug, &c, who.user.id).await?;
    let mut am: post::ActiveModel = p.into();
    am.revision_id = Set(rev.id);
    let p = am.update(&txn).await?;
    if let Some(other) = translation_of {
        let o = get_post(&txn, other).await?;
        if o.translation_group.is_none() {
            let mut oam: post::ActiveModel = o.clone().into();
            oam.translation_group = Set(Some(o.id));
            oam.update(&txn).await?;
        }
        if o.live_revision_id.is_some() {
            // The live post's page now links its translation.
            changelog::append(&txn, "post", o.id, ChangeKind::Update, o.lang()).await?;
        }
    }
    audit::record(
        &txn,
        actor,
        "post.create",
        Some(("post", p.id.to_string())),
        serde_json::json!({"title": c.title}),
    )
    .await?;
    txn.commit().await?;
    Ok(Full {
        post: p,
        revision: rev,
    })
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

/// Whether `who` may edit the post at all.
fn may_edit(p: &post::Model, authors: &[Author], who: &Account) -> bool {
    p.creator_id == who.user.id
        || authors
            .iter()
            .any(|a| matches!(a, Author::User { user_id } if *user_id == who.user.id))
        || who.roles.any(&[
            Role::Editor,
            Role::Admin,
            Role::BoardHead,
            Role::BoardDeputyStanding,
            Role::BoardDeputy,
        ])
}

/// Who holds a live lock on the post, other than `me`.
fn held_by_other(p: &post::Model, me: i32, now: DateTime<Utc>) -> Option<(i32, DateTime<Utc>)> {
    match (p.lock_user_id, p.lock_expires_at) {
        (Some(u), Some(until)) if u != me && until > now => Some((u, until)),
        _ => None,
    }
}

async fn locked_error(db: &impl ConnectionTrait, holder: i32, until: DateTime<Utc>) -> Error {
    let name = match crate::accounts::get(db, holder).await {
        Ok(a) => format!("{} ({})", a.user.display_name, a.user.username),
        Err(_) => format!("user {holder}"),
    };
    Error::Locked { holder: name, until }
}

/// Saves a new revision based on `base_revision`. A save based on an older
/// revision is refused (409) and changes nothing; so is a save over another
/// user's editing lock (423).
pub async fn save(
    db: &DatabaseConnection,
    actor: &Actor,
    who: &Account,
    id: i32,
    base_revision: i32,
    content: &Content,
) -> Result<Full> {
    let current = get(db, id).await?;
    if !may_edit(&current.post, &current.authors(), who) {
        return Err(Error::Forbidden(
            "only the post's authors, editors and the board may edit it".into(),
        ));
    }
    let edition: Lang = current.post.edition.parse()?;
    let c = clean(db, edition, content).await?;
    let txn = db.begin().await?;
    let p = get_post(&txn, id).await?;
    let now = crate::time::now();
    if let Some((holder, until)) = held_by_other(&p, who.user.id, now) {
        return Err(locked_error(&txn, holder, until).await);
    }
    if base_revision != p.revision_number {
        return Err(Error::Conflict(format!(
            "this edit is based on revision {base_revision} but the post is at revision {}; reload, merge and save again",
            p.revision_number
        )));
    }
    let state: State = p.state.parse().unwrap_or(State::Draft);
    if !state.editable() {
        return Err(Error::Conflict("an archived post cannot be edited".into()));
    }
    let slug = if c.slug.is_some() || p.live_revision_id.is_none() {
        unique_slug(
            &txn,
            edition,
            c.slug.as_deref().or(Some(&p.slug)),
            &c.title,
            Some(p.id),
        )
        .await?
    } else {
        p.slug.clone()
    };
    let number = p.revision_number + 1;
    let rev = insert_revision(&txn, p.id, number, &slug, &c, who.user.id).await?;
    let (new_state, new_step) = match state {
        State::Approved | State::Scheduled | State::Published | State::Unpublished => (State::Draft, None),
        s => (s, p.step),
    };
    let updated = post::Entity::update_many()
        .col_expr(post::Column::RevisionId, Expr::value(rev.id))
        .col_expr(post::Column::RevisionNumber, Expr::value(number))
        .col_expr(post::Column::SectionId, Expr::value(c.section_id))
        .col_expr(post::Column::Slug, Expr::value(slug))
        .col_expr(post::Column::State, Expr::value(new_state.as_str()))
        .col_expr(post::Column::Step, Expr::value(new_step))
        .col_expr(post::Column::PublishAt, Expr::value(c.publish_at))
        .col_expr(post::Column::UnpublishAt, Expr::value(c.unpublish_at))
        .col_expr(post::Column::LockUserId, Expr::value(Some(who.user.id)))
        .col_expr(post::Column::LockExpiresAt, Expr::value(Some(now + LOCK_TTL)))
        .col_expr(post::Column::UpdatedAt, Expr::value(now))
        .filter(post::Column::Id.eq(p.id))
        .filter(post::Column::RevisionNumber.eq(p.revision_number))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(Error::Conflict(
            "the post changed meanwhile; reload and save again".into(),
        ));
    }
    audit::record(
        &txn,
        actor,
        "post.save",
        Some(("post", p.id.to_string())),
        serde_json::json!({"revision": number, "from_state": state.as_str(), "to_state": new_state.as_str()}),
    )
    .await?;
    txn.commit().await?;
    get(db, id).await
}

/// Takes or renews the editing lock. Refused while someone else holds it.
pub async fn lock(db: &DatabaseConnection, who: &Account, id: i32) -> Result<post::Model> {
    let p = get_post(db, id).await?;
    let now = crate::time::now();
    if let Some((holder, until)) = held_by_other(&p, who.user.id, now) {
        return Err(locked_error(db, holder, until).await);
    }
    let res = post::Entity::update_many()
        .col_expr(post::Column::LockUserId, Expr::value(Some(who.user.id)))
        .col_expr(post::Column::LockExpiresAt, Expr::value(Some(now + LOCK_TTL)))
        .filter(post::Column::Id.eq(id))
        .filter(
            post::Column::LockUserId
                .is_null()
                .or(post::Column::LockUserId.eq(who.user.id))
                .or(post::Column::LockExpiresAt.lte(now)),
        )
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        let p = get_post(db, id).await?;
        if let Some((holder, until)) = held_by_other(&p, who.user.id, now) {
            return Err(locked_error(db, holder, until).await);
        }
    }
    get_post(db, id).await
}

/// Releases the lock: the holder may, and an admin may break another's.
pub async fn unlock(db: &DatabaseConnection, actor: &Actor, who: &Account, id: i32) -> Result<post::Model> {
    let p = get_post(db, id).await?;
    let now = crate::time::now();
    if let Some((holder, _)) = held_by_other(&p, who.user.id, now) {
        if !who.roles.is_admin() {
            return Err(Error::Forbidden(
                "only an admin can break another user's lock".into(),
            ));
        }
        audit::record(
            db,
            actor,
            "post.lock_break",
            Some(("post", id.to_string())),
            serde_json::json!({"holder": holder}),
        )
        .await?;
    }
    let mut am: post::ActiveModel = p.into();
    am.lock_user_id = Set(None);
    am.lock_expires_at = Set(None);
    Ok(am.update(db).await?)
}

/// Images used by a revision that lack alt text; they block publication
/// (accessibility, Thông tư 32/2017 Đ18).
async fn images_without_alt(db: &impl ConnectionTrait, rev: &revision::Model) -> Result<Vec<String>> {
    let mut missing = Vec::new();
    if let Some(id) = rev.cover_media_id
        && let Ok(m) = crate::media::get(db, id).await
        && m.alt.as_deref().unwrap_or("").is_empty()
    {
        missing.push(format!("cover image {id}"));
    }
    let parser = pulldown_cmark::Parser::new(&rev.body);
    let mut in_image = false;
    let mut alt = String::new();
    let mut dest = String::new();
    for ev in parser {
        match ev {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { dest_url, .. }) => {
                in_image = true;
                alt.clear();
                dest = dest_url.to_string();
            }
            pulldown_cmark::Event::Text(t) if in_image => alt.push_str(&t),
            pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Image) => {
                in_image = false;
                if alt.trim().is_empty() {
                    missing.push(format!("image {dest}"));
                }
            }
            _ => {}
        }
    }
    let attached: Vec<i32> = serde_json::from_str(&rev.attachments).unwrap_or_default();
    for id in attached {
        if let Ok(m) = crate::media::get(db, id).await
            && m.kind == "image"
            && m.alt.as_deref().unwrap_or("").is_empty()
        {
            missing.push(format!("attached image {id}"));
        }
    }
    Ok(missing)
}

/// The transition's result as the API reports it.
#[derive(Clone, Debug)]
pub struct Moved {
    pub full: Full,
    pub transition: transition::Model,
}

fn facts_for<'a>(
    full: &'a Full,
    chain: &'a [workflow::Step],
    author_ids: &'a [i32],
    comment: Option<&'a str>,
    now: DateTime<Utc>,
) -> Facts<'a> {
    let authors = full.authors();
    let has_author = !authors.is_empty();
    let has_source = full.revision.source.as_deref().is_some_and(|s| !s.is_empty());
    Facts {
        state: full.state(),
        step: full.post.step.map(|s| s as usize),
        chain,
        creator_id: full.post.creator_id,
        author_ids,
        live: full.post.live_revision_id.is_some(),
        publish_at_future: full.post.publish_at.is_some_and(|t| t > now),
        citation_ok: !full.revision.reuses_information || (has_author && has_source),
        comment,
    }
}

fn author_ids(full: &Full) -> Vec<i32> {
    full.authors()
        .into_iter()
        .filter_map(|a| match a {
            Author::User { user_id } => Some(user_id),
            Author::Name { .. } => None,
        })
        .collect()
}

/// The actions `who` may take on the post now.
pub async fn allowed_actions(db: &impl ConnectionTrait, full: &Full, who: &Account) -> Result<Vec<Action>> {
    let chain = crate::chains::chain(db, full.post.section_id).await?;
    let lent = crate::delegations::lent_to(db, who.user.id, crate::time::today_vn()).await?;
    let ids = author_ids(full);
    let facts = facts_for(full, &chain, &ids, None, crate::time::now());
    let w = Who {
        user_id: who.user.id,
        roles: &who.roles,
        unit_id: who.user.unit_id,
        lent: &lent,
    };
    Ok(workflow::allowed(&facts, &w))
}

/// Runs a workflow action. Refused actions change nothing; allowed ones
/// update the post, record the transition and, when the public view
/// changes, append to the change log, all in one transaction.
pub async fn transition(
    db: &DatabaseConnection,
    actor: &Actor,
    who: &Account,
    id: i32,
    action: Action,
    comment: Option<&str>,
) -> Result<Moved> {
    let comment = comment.map(|c| nfc(c.trim())).filter(|c| !c.is_empty());
    let full = get(db, id).await?;
    let chain = crate::chains::chain(db, full.post.section_id).await?;
    let lent = crate::delegations::lent_to(db, who.user.id, crate::time::today_vn()).await?;
    let ids = author_ids(&full);
    let now = crate::time::now();
    let facts = facts_for(&full, &chain, &ids, comment.as_deref(), now);
    let w = Who {
        user_id: who.user.id,
        roles: &who.roles,
        unit_id: who.user.unit_id,
        lent: &lent,
    };
    let outcome = workflow::decide(action, &facts, &w).map_err(refusal)?;
    let approving_last =
        action == Action::Approve && matches!(outcome.to, State::Approved | State::Published);
    if approving_last || outcome.go_live || outcome.to == State::Scheduled {
        let missing = images_without_alt(db, &full.revision).await?;
        if !missing.is_empty() {
            return Err(Error::invalid(
                "alt",
                format!(
                    "every image needs alt text before publication; missing for: {}",
                    missing.join(", ")
                ),
            ));
        }
    }
    let txn = db.begin().await?;
    let moved = apply(&txn, &full, action, &outcome, Some(who.user.id), comment, now).await?;
    audit::record(
        &txn,
        actor,
        &format!("post.{}", action.as_str()),
        Some(("post", id.to_string())),
        serde_json::json!({
            "from": full.state().as_str(), "to": outcome.to.as_str(),
            "step": outcome.step, "on_behalf_of": outcome.on_behalf_of,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(Moved {
        full: get(db, id).await?,
        transition: moved,
    })
}

/// Applies an outcome with a conditional update, so that two concurrent
/// actions (or two nodes' schedulers) cannot both succeed.
async fn apply(
    txn: &impl ConnectionTrait,
    full: &Full,
    action: Action,
    outcome: &Outcome,
    actor_id: Option<i32>,
    comment: Option<String>,
    now: DateTime<Utc>,
) -> Result<transition::Model> {
    let p = &full.post;
    let mut update = post::Entity::update_many()
        .col_expr(post::Column::State, Expr::value(outcome.to.as_str()))
        .col_expr(post::Column::Step, Expr::value(outcome.step.map(|s| s as i32)))
        .col_expr(post::Column::UpdatedAt, Expr::value(now));
    if outcome.go_live {
        update = update
            .col_expr(post::Column::LiveRevisionId, Expr::value(Some(p.revision_id)))
            .col_expr(post::Column::PublicUpdatedAt, Expr::value(Some(now)));
        if p.published_at.is_none() {
            update = update.col_expr(post::Column::PublishedAt, Expr::value(Some(now)));
        }
    }
    if action == Action::Submit {
        // Submitting hands the post to the reviewers: the author's lock ends.
        update = update
            .col_expr(post::Column::LockUserId, Expr::value(Option::<i32>::None))
            .col_expr(
                post::Column::LockExpiresAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            );
    }
    if outcome.take_down {
        update = update
            .col_expr(post::Column::LiveRevisionId, Expr::value(Option::<i32>::None))
            .col_expr(post::Column::PublicUpdatedAt, Expr::value(Some(now)));
    }
    let res = update
        .filter(post::Column::Id.eq(p.id))
        .filter(post::Column::State.eq(p.state.as_str()))
        .filter(post::Column::RevisionNumber.eq(p.revision_number))
        .exec(txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(Error::Conflict(
            "the post changed meanwhile; reload and try again".into(),
        ));
    }
    if outcome.go_live {
        let kind = if p.live_revision_id.is_some() {
            ChangeKind::Update
        } else {
            ChangeKind::Publish
        };
        changelog::append(txn, "post", p.id, kind, p.lang()).await?;
    }
    if outcome.take_down {
        changelog::append(txn, "post", p.id, ChangeKind::Unpublish, p.lang()).await?;
    }
    Ok(transition::ActiveModel {
        post_id: Set(p.id),
        revision_id: Set(p.revision_id),
        action: Set(action.as_str().to_owned()),
        from_state: Set(p.state.clone()),
        to_state: Set(outcome.to.as_str().to_owned()),
        from_step: Set(p.step),
        to_step: Set(outcome.step.map(|s| s as i32)),
        actor_id: Set(actor_id),
        on_behalf_of_id: Set(outcome.on_behalf_of),
        comment: Set(comment),
        at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// Publishes scheduled posts whose time has come and takes down live posts
/// past their `unpublish_at`. Safe to run on every node at once: each post
/// changes exactly once. Returns how many posts changed.
pub async fn run_schedule(db: &DatabaseConnection) -> Result<usize> {
    let now = crate::time::now();
    let mut changed = 0;
    let due = post::Entity::find()
        .filter(post::Column::State.eq(State::Scheduled.as_str()))
        .filter(post::Column::PublishAt.lte(now))
        .limit(100)
        .all(db)
        .await?;
    for p in due {
        let full = get(db, p.id).await?;
        let outcome = Outcome {
            to: State::Published,
            step: None,
            on_behalf_of: None,
            go_live: true,
            take_down: false,
        };
        changed +=
            apply_scheduled(db, &full, Action::Publish, &outcome, "scheduled publication", now).await?;
    }
    let expired = post::Entity::find()
        .filter(post::Column::LiveRevisionId.is_not_null())
        .filter(post::Column::UnpublishAt.lte(now))
        .limit(100)
        .all(db)
        .await?;
    for p in expired {
        let full = get(db, p.id).await?;
        let to = if full.state() == State::Published {
            State::Unpublished
        } else {
            full.state()
        };
        let step = p.step.map(|s| s as usize);
        let outcome = Outcome {
            to,
            step,
            on_behalf_of: None,
            go_live: false,
            take_down: true,
        };
        changed += apply_scheduled(
            db,
            &full,
            Action::Unpublish,
            &outcome,
            "scheduled unpublication",
            now,
        )
        .await?;
    }
    Ok(changed)
}

/// Applies one scheduled change in its own transaction. Another node that
/// got there first makes the conditional update miss: that is not an
/// error, the post simply changed once. Returns 1 when this call changed it.
async fn apply_scheduled(
    db: &DatabaseConnection,
    full: &Full,
    action: Action,
    outcome: &Outcome,
    note: &str,
    now: DateTime<Utc>,
) -> Result<usize> {
    let txn = db.begin().await?;
    match apply(&txn, full, action, outcome, None, Some(note.to_owned()), now).await {
        Ok(_) => {
            txn.commit().await?;
            Ok(1)
        }
        Err(Error::Conflict(_)) => {
            txn.rollback().await?;
            Ok(0)
        }
        Err(e) => Err(e),
    }
}

pub async fn revisions(db: &impl ConnectionTrait, id: i32) -> Result<Vec<revision::Model>> {
    get_post(db, id).await?;
    Ok(revision::Entity::find()
        .filter(revision::Column::PostId.eq(id))
        .order_by_asc(revision::Column::Number)
        .all(db)
        .await?)
}

pub async fn revision(db: &impl ConnectionTrait, id: i32, number: i32) -> Result<revision::Model> {
    revision::Entity::find()
        .filter(revision::Column::PostId.eq(id))
        .filter(revision::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or(Error::NotFound("revision"))
}

pub async fn transitions(db: &impl ConnectionTrait, id: i32) -> Result<Vec<transition::Model>> {
    Ok(transition::Entity::find()
        .filter(transition::Column::PostId.eq(id))
        .order_by_asc(transition::Column::Id)
        .all(db)
        .await?)
}

/// A readable line diff of two revisions, field by field.
pub fn diff(a: &revision::Model, b: &revision::Model) -> Vec<(String, String)> {
    let fields: [(&str, &str, &str); 8] = [
        ("title", &a.title, &b.title),
        ("summary", &a.summary, &b.summary),
        ("body", &a.body, &b.body),
        ("slug", &a.slug, &b.slug),
        ("authors", &a.authors, &b.authors),
        (
            "source",
            a.source.as_deref().unwrap_or(""),
            b.source.as_deref().unwrap_or(""),
        ),
        ("genre", &a.genre, &b.genre),
        ("tags", &a.tags, &b.tags),
    ];
    fields
        .into_iter()
        .filter(|(_, x, y)| x != y)
        .map(|(name, x, y)| {
            let d = similar::TextDiff::from_lines(x, y);
            let text = d
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{name} (revision {})", a.number),
                    &format!("{name} (revision {})", b.number),
                )
                .to_string();
            (name.to_owned(), text)
        })
        .collect()
}

pub async fn add_comment(
    db: &DatabaseConnection,
    who: &Account,
    id: i32,
    body: &str,
) -> Result<post_comment::Model> {
    let full = get(db, id).await?;
    if !may_edit(&full.post, &full.authors(), who) && !who.roles.iter().any(Role::is_board) {
        return Err(Error::Forbidden(
            "only people working on the post may comment on it".into(),
        ));
    }
    let body = nfc(body.trim());
    if body.is_empty() || body.len() > 20_000 {
        return Err(Error::invalid("body", "must be 1 to 20000 characters"));
    }
    Ok(post_comment::ActiveModel {
        post_id: Set(id),
        user_id: Set(who.user.id),
        body: Set(body),
        created_at: Set(crate::time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn comments(db: &impl ConnectionTrait, id: i32) -> Result<Vec<post_comment::Model>> {
    Ok(post_comment::Entity::find()
        .filter(post_comment::Column::PostId.eq(id))
        .order_by_asc(post_comment::Column::Id)
        .all(db)
        .await?)
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
