//! What happened to a post: its revisions, transitions, diffs between
//! revisions, and the internal comments of the people working on it.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::revisions::may_edit;
use super::{get, get_post};
use crate::accounts::Account;
use crate::entity::{post_comment, revision, transition};
use crate::error::{Error, Result};
use crate::roles::Role;
use crate::text::nfc;

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
    if body.is_empty() || body.chars().count() > 20_000 {
        return Err(Error::invalid("body", "must be 1 to 20000 characters"));
    }
    crate::text::check_text("body", &body)?;
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
