//! Writing posts: creation and saves, each an immutable revision with
//! checked, NFC-normalised content (Đ5.2); a save names the revision it
//! was based on, so a stale save is refused and nothing is lost.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};

use super::locking::LOCK_TTL;
use super::locking::{held_by_other, locked_error};
use super::{Author, Content, Full, Genre, get, get_post};
use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::changelog::{self, ChangeKind};
use crate::entity::{post, revision};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::roles::Role;
use crate::text::{clean_line, nfc};
use crate::workflow::State;

/// Checks and normalises content (NFC everywhere, Đ5.2).
pub(super) async fn clean(db: &impl ConnectionTrait, edition: Lang, c: &Content) -> Result<Content> {
    let section = crate::sections::get(db, c.section_id)
        .await
        .map_err(|_| Error::unknown("section_id", "no such section"))?;
    if section.edition != edition.as_str() {
        return Err(Error::invalid_in(
            "section_id",
            "the section belongs to the other edition",
            "Chuyên mục thuộc phiên bản ngôn ngữ khác.",
        ));
    }
    use crate::text::{check_text, check_time, limits};
    let title = clean_line(&c.title);
    if title.is_empty() || title.chars().count() > limits::TITLE {
        return Err(Error::invalid_in(
            "title",
            format!("must be 1 to {} characters", limits::TITLE),
            format!("Tiêu đề: cần từ 1 đến {} ký tự.", limits::TITLE),
        ));
    }
    check_text("title", &title)?;
    let summary = nfc(c.summary.trim());
    if summary.chars().count() > limits::SUMMARY {
        return Err(Error::invalid_in(
            "summary",
            format!("must be at most {} characters", limits::SUMMARY),
            format!("Tóm tắt: tối đa {} ký tự.", limits::SUMMARY),
        ));
    }
    check_text("summary", &summary)?;
    let body = nfc(&c.body);
    if body.chars().count() > limits::BODY {
        return Err(Error::invalid_in(
            "body",
            format!("must be at most {} characters", limits::BODY),
            format!("Nội dung: tối đa {} ký tự.", limits::BODY),
        ));
    }
    check_text("body", &body)?;
    for (field, t) in [("publish_at", c.publish_at), ("unpublish_at", c.unpublish_at)] {
        if let Some(t) = t {
            check_time(field, t)?;
        }
    }
    if c.tags.len() > limits::TAGS {
        return Err(Error::invalid_in(
            "tags",
            format!("at most {} tags", limits::TAGS),
            format!("Tối đa {} từ khóa.", limits::TAGS),
        ));
    }
    let opt = |v: &Option<String>| v.as_deref().map(clean_line).filter(|s| !s.is_empty());
    let source_url = opt(&c.source_url);
    if let Some(u) = &source_url
        && !(u.starts_with("http://") || u.starts_with("https://"))
    {
        return Err(Error::invalid_in(
            "source_url",
            "must be an http:// or https:// address",
            "Địa chỉ nguồn phải bắt đầu bằng http:// hoặc https://.",
        ));
    }
    let mut authors = Vec::new();
    for a in &c.authors {
        match a {
            Author::User { user_id } => {
                crate::accounts::get(db, *user_id)
                    .await
                    .map_err(|_| Error::unknown("authors", format!("no user {user_id}")))?;
                authors.push(a.clone());
            }
            Author::Name { name } => {
                let name = clean_line(name);
                check_text("authors", &name)?;
                if name.chars().count() > limits::NAME {
                    return Err(Error::invalid_in(
                        "authors",
                        format!("a name has at most {} characters", limits::NAME),
                        format!("Tên tác giả: tối đa {} ký tự.", limits::NAME),
                    ));
                }
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
    for t in &tags {
        check_text("tags", t)?;
        if t.chars().count() > limits::TAG {
            return Err(Error::invalid_in(
                "tags",
                format!("a tag has at most {} characters", limits::TAG),
                format!("Mỗi từ khóa tối đa {} ký tự.", limits::TAG),
            ));
        }
    }
    for (field, v) in [("source", &c.source), ("source_url", &c.source_url)] {
        if let Some(v) = v {
            check_text(field, v)?;
            if v.chars().count() > limits::TITLE {
                return Err(Error::invalid_in(
                    field,
                    format!("must be at most {} characters", limits::TITLE),
                    format!("Nguồn: tối đa {} ký tự.", limits::TITLE),
                ));
            }
        }
    }
    for id in c.cover_media_id.iter().chain(c.attachments.iter()) {
        crate::media::get(db, *id)
            .await
            .map_err(|_| Error::unknown("attachments", format!("no media {id}")))?;
    }
    if let Some(m) = c.cover_media_id
        && crate::media::get(db, m).await?.kind != "image"
    {
        return Err(Error::invalid_in(
            "cover_media_id",
            "the cover must be an image",
            "Ảnh đại diện phải là ảnh.",
        ));
    }
    if let (Some(p), Some(u)) = (c.publish_at, c.unpublish_at)
        && u <= p
    {
        return Err(Error::invalid_in(
            "unpublish_at",
            "must be after publish_at",
            "Thời điểm gỡ phải sau thời điểm đăng.",
        ));
    }
    Ok(Content {
        section_id: c.section_id,
        title,
        summary,
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
pub(super) async fn unique_slug(
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
    let base = crate::text::slug_from(title, 120, "bai-viet");
    let mut candidate = base.clone();
    let mut n = 2;
    while taken(candidate.clone()).await? {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

pub(super) async fn insert_revision(
    db: &impl ConnectionTrait,
    post_id: i32,
    number: i32,
    slug: &str,
    c: &Content,
    by: i32,
) -> Result<revision::Model> {
    let rev = revision::ActiveModel {
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
    .await?;
    crate::media::uses::set(db, post_id, false, Some(&rev)).await?;
    Ok(rev)
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
    let txn = crate::db::begin_write(db).await?;
    let group = match translation_of {
        Some(other) => {
            let o = get_post(&txn, other)
                .await
                .map_err(|_| Error::unknown("translation_of", "no such post"))?;
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
        title_key: Set(crate::text::title_key(&c.title)),
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

/// Whether `who` may edit the post at all.
pub(crate) fn may_edit(p: &post::Model, authors: &[Author], who: &Account) -> bool {
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
    let txn = crate::db::begin_write(db).await?;
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
        .col_expr(
            post::Column::TitleKey,
            Expr::value(crate::text::title_key(&c.title)),
        )
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
