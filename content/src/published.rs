//! What the public sees: live posts by edition, section and slug, with
//! their live revision. Every query here filters on `live_revision_id`, so
//! nothing unapproved can leak onto the portal (Đ6.2a).

use std::collections::HashMap;

use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::{post, revision};
use crate::error::Result;
use crate::posts::Full;
use crate::sections::Edition;

/// A live post with the revision the public sees.
pub type Live = Full;

async fn with_live_revisions(db: &impl ConnectionTrait, posts: Vec<post::Model>) -> Result<Vec<Live>> {
    let ids: Vec<i32> = posts.iter().filter_map(|p| p.live_revision_id).collect();
    let mut revs: HashMap<i32, revision::Model> = revision::Entity::find()
        .filter(revision::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    Ok(posts
        .into_iter()
        .filter_map(|p| {
            let r = revs.remove(&p.live_revision_id?)?;
            Some(Full { post: p, revision: r })
        })
        .collect())
}

/// Live posts, newest first, optionally limited to some sections, with the
/// total for pagination.
pub async fn latest(
    db: &impl ConnectionTrait,
    edition: Edition,
    sections: Option<&[i32]>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Live>, u64)> {
    let mut q = post::Entity::find().filter(post::Column::LiveRevisionId.is_not_null());
    q = match sections {
        // Sections belong to one edition; filtering on them alone lets the
        // (section_id, live_revision_id) index answer the count.
        Some([one]) => q.filter(post::Column::SectionId.eq(*one)),
        Some(s) => q.filter(post::Column::SectionId.is_in(s.iter().copied())),
        None => q.filter(post::Column::Edition.eq(edition.as_str())),
    };
    let total = q.clone().count(db).await?;
    let posts = q
        .order_by_desc(post::Column::PublishedAt)
        .order_by_desc(post::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((with_live_revisions(db, posts).await?, total))
}

/// Where a slug stands for the public.
pub enum BySlug {
    Live(Box<Live>),
    /// The post existed publicly and was taken down (HTTP 410).
    Gone,
    Missing,
}

pub async fn by_slug(db: &impl ConnectionTrait, edition: Edition, slug: &str) -> Result<BySlug> {
    let Some(p) = post::Entity::find()
        .filter(post::Column::Edition.eq(edition.as_str()))
        .filter(post::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(BySlug::Missing);
    };
    if p.live_revision_id.is_none() {
        return Ok(if p.published_at.is_some() {
            BySlug::Gone
        } else {
            BySlug::Missing
        });
    }
    Ok(match with_live_revisions(db, vec![p]).await?.pop() {
        Some(l) => BySlug::Live(Box::new(l)),
        None => BySlug::Missing,
    })
}

/// The live translation of a post in the other edition, if any.
pub async fn translation(db: &impl ConnectionTrait, p: &post::Model) -> Result<Option<Live>> {
    let Some(group) = p.translation_group else {
        return Ok(None);
    };
    let others = post::Entity::find()
        .filter(
            post::Column::TranslationGroup
                .eq(group)
                .or(post::Column::Id.eq(group)),
        )
        .filter(post::Column::Edition.ne(p.edition.as_str()))
        .filter(post::Column::LiveRevisionId.is_not_null())
        .limit(1)
        .all(db)
        .await?;
    Ok(with_live_revisions(db, others).await?.pop())
}

/// Live posts of the same section, excluding `p`, newest first.
pub async fn related(db: &impl ConnectionTrait, p: &post::Model, limit: u64) -> Result<Vec<Live>> {
    let posts = post::Entity::find()
        .filter(post::Column::SectionId.eq(p.section_id))
        .filter(post::Column::LiveRevisionId.is_not_null())
        .filter(post::Column::Id.ne(p.id))
        .order_by_desc(post::Column::PublishedAt)
        .limit(limit)
        .all(db)
        .await?;
    with_live_revisions(db, posts).await
}

/// A cheap "has anything public changed?" probe for the page caches of
/// every node: the newest change-log id and the last section change.
pub async fn generation(db: &impl ConnectionTrait) -> Result<(i64, i64)> {
    use crate::entity::{change, section};
    let last_change = change::Entity::find()
        .order_by_desc(change::Column::Id)
        .limit(1)
        .one(db)
        .await?;
    let last_section = section::Entity::find()
        .order_by_desc(section::Column::UpdatedAt)
        .limit(1)
        .one(db)
        .await?;
    let c = last_change.map(|c| c.id).unwrap_or(0);
    let s = last_section.map(|s| s.updated_at.timestamp_micros()).unwrap_or(0);
    Ok((c, s))
}
