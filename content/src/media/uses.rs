//! Where each file of the library is used, and so whether the public may
//! see it. A file is public only while the live revision of a published
//! post uses it (as cover, attachment or inline image), or while an editor
//! has marked it public; the files of drafts, of statistics awaiting the
//! leadership's approval (Đ11.1c) and of withdrawn posts are not served to
//! anonymous readers. Uses are kept per post for its working revision and
//! its live one, updated with every save, publication and withdrawal.

use std::collections::BTreeSet;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set};

use crate::entity::{entry_media_use, media, media_use, post, revision};
use crate::error::Result;

/// The library items a revision refers to: its cover, its attachments and
/// the images of its body (`/media/<id>/…`).
pub fn refs_of(rev: &revision::Model) -> BTreeSet<i32> {
    let mut ids: BTreeSet<i32> = serde_json::from_str::<Vec<i32>>(&rev.attachments)
        .unwrap_or_default()
        .into_iter()
        .collect();
    ids.extend(rev.cover_media_id);
    ids.extend(media_refs(&rev.body));
    ids
}

/// The library items a Markdown text links to (`/media/<id>/…`).
pub fn media_refs(text: &str) -> BTreeSet<i32> {
    let mut ids = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("/media/") {
        rest = &rest[at + "/media/".len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(id) = digits.parse() {
            ids.insert(id);
        }
    }
    ids
}

/// Records the items an entry's working (`live = false`) or live version
/// uses, and recomputes the publicity of every item concerned.
pub async fn set_for_entry(
    db: &impl ConnectionTrait,
    entry_id: i32,
    live: bool,
    ids: &BTreeSet<i32>,
) -> Result<()> {
    let before: Vec<i32> = entry_media_use::Entity::find()
        .select_only()
        .column(entry_media_use::Column::MediaId)
        .filter(entry_media_use::Column::EntryId.eq(entry_id))
        .filter(entry_media_use::Column::Live.eq(live))
        .into_tuple()
        .all(db)
        .await?;
    entry_media_use::Entity::delete_many()
        .filter(entry_media_use::Column::EntryId.eq(entry_id))
        .filter(entry_media_use::Column::Live.eq(live))
        .exec(db)
        .await?;
    let existing: Vec<i32> = if ids.is_empty() {
        Vec::new()
    } else {
        media::Entity::find()
            .select_only()
            .column(media::Column::Id)
            .filter(media::Column::Id.is_in(ids.iter().copied()))
            .into_tuple()
            .all(db)
            .await?
    };
    for id in &existing {
        entry_media_use::Entity::insert(entry_media_use::ActiveModel {
            media_id: Set(*id),
            entry_id: Set(entry_id),
            live: Set(live),
        })
        .exec_without_returning(db)
        .await?;
    }
    if live {
        let touched: BTreeSet<i32> = before.into_iter().chain(existing).collect();
        refresh(db, &touched).await?;
    }
    Ok(())
}

/// Records the items a post's working (`live = false`) or live revision
/// uses, and recomputes the publicity of every item concerned.
pub async fn set(
    db: &impl ConnectionTrait,
    post_id: i32,
    live: bool,
    rev: Option<&revision::Model>,
) -> Result<()> {
    let before: Vec<i32> = media_use::Entity::find()
        .select_only()
        .column(media_use::Column::MediaId)
        .filter(media_use::Column::PostId.eq(post_id))
        .filter(media_use::Column::Live.eq(live))
        .into_tuple()
        .all(db)
        .await?;
    media_use::Entity::delete_many()
        .filter(media_use::Column::PostId.eq(post_id))
        .filter(media_use::Column::Live.eq(live))
        .exec(db)
        .await?;
    let now: BTreeSet<i32> = rev.map(refs_of).unwrap_or_default();
    let existing: Vec<i32> = if now.is_empty() {
        Vec::new()
    } else {
        media::Entity::find()
            .select_only()
            .column(media::Column::Id)
            .filter(media::Column::Id.is_in(now.iter().copied()))
            .into_tuple()
            .all(db)
            .await?
    };
    for id in &existing {
        media_use::Entity::insert(media_use::ActiveModel {
            media_id: Set(*id),
            post_id: Set(post_id),
            live: Set(live),
        })
        .exec_without_returning(db)
        .await?;
    }
    if live {
        let touched: BTreeSet<i32> = before.into_iter().chain(existing).collect();
        refresh(db, &touched).await?;
    }
    Ok(())
}

/// Recomputes whether each item is public: marked public, or used by a
/// live post or a live entry.
pub async fn refresh(db: &impl ConnectionTrait, ids: &BTreeSet<i32>) -> Result<()> {
    for id in ids {
        let live = media_use::Entity::find()
            .filter(media_use::Column::MediaId.eq(*id))
            .filter(media_use::Column::Live.eq(true))
            .count(db)
            .await?
            > 0
            || entry_media_use::Entity::find()
                .filter(entry_media_use::Column::MediaId.eq(*id))
                .filter(entry_media_use::Column::Live.eq(true))
                .count(db)
                .await?
                > 0;
        media::Entity::update_many()
            .col_expr(
                media::Column::Public,
                Expr::col(media::Column::MarkedPublic).or(Expr::value(live)),
            )
            .filter(media::Column::Id.eq(*id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Content using an item, for the list of uses shown before a deletion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Use {
    /// `post 12` or `entry 3`.
    pub owner: String,
    /// `post` or `entry`.
    pub owner_kind: &'static str,
    pub owner_id: i32,
    /// The live revision uses it (the public sees it).
    pub live: bool,
}

/// The posts and entries using an item.
pub async fn of(db: &impl ConnectionTrait, media_id: i32) -> Result<Vec<Use>> {
    let mut out: Vec<Use> = media_use::Entity::find()
        .filter(media_use::Column::MediaId.eq(media_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| Use {
            owner: format!("post {}", u.post_id),
            owner_kind: "post",
            owner_id: u.post_id,
            live: u.live,
        })
        .collect();
    out.extend(
        entry_media_use::Entity::find()
            .filter(entry_media_use::Column::MediaId.eq(media_id))
            .all(db)
            .await?
            .into_iter()
            .map(|u| Use {
                owner: format!("entry {}", u.entry_id),
                owner_kind: "entry",
                owner_id: u.entry_id,
                live: u.live,
            }),
    );
    Ok(out)
}

/// Fills the uses of every post once, for libraries made before uses
/// were recorded. Returns how many posts it read.
pub async fn backfill(db: &impl ConnectionTrait) -> Result<usize> {
    if media_use::Entity::find().count(db).await? > 0 || media::Entity::find().count(db).await? == 0 {
        return Ok(0);
    }
    let posts = post::Entity::find().all(db).await?;
    for p in &posts {
        let working = revision::Entity::find_by_id(p.revision_id).one(db).await?;
        set(db, p.id, false, working.as_ref()).await?;
        let live = match p.live_revision_id {
            Some(r) => revision::Entity::find_by_id(r).one(db).await?,
            None => None,
        };
        set(db, p.id, true, live.as_ref()).await?;
    }
    Ok(posts.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_refers_to_its_cover_attachments_and_inline_images() {
        let at = chrono::DateTime::from_timestamp(0, 0).unwrap();
        let rev = revision::Model {
            id: 1,
            post_id: 1,
            number: 1,
            section_id: 1,
            title: "t".into(),
            summary: String::new(),
            body: "Ảnh: ![Hội nghị](/media/12/800.webp) và [tệp](/media/15/original); không phải /media/x"
                .into(),
            slug: "t".into(),
            authors: "[]".into(),
            source: None,
            source_url: None,
            reuses_information: false,
            genre: "news".into(),
            tags: "[]".into(),
            cover_media_id: Some(3),
            attachments: "[7, 12]".into(),
            publish_at: None,
            unpublish_at: None,
            created_by: 1,
            created_at: at,
        };
        assert_eq!(refs_of(&rev).into_iter().collect::<Vec<_>>(), vec![3, 7, 12, 15]);
    }
}

/// A use as a screen lists it: what uses the item, with its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub use_: Use,
    pub title: String,
    /// For an entry, the plural of its kind (its editor's path).
    pub kind_plural: Option<&'static str>,
}

/// [`of`], with the titles of the working copies, posts first.
pub async fn shown(db: &impl ConnectionTrait, media_id: i32) -> Result<Vec<Shown>> {
    use crate::entity::entry;
    let mut out = Vec::new();
    for u in of(db, media_id).await? {
        let (title, kind_plural) = if u.owner_kind == "post" {
            let title = match post::Entity::find_by_id(u.owner_id).one(db).await? {
                Some(p) => revision::Entity::find_by_id(p.revision_id)
                    .one(db)
                    .await?
                    .map(|r| r.title)
                    .unwrap_or_default(),
                None => String::new(),
            };
            (title, None)
        } else {
            match entry::Entity::find_by_id(u.owner_id).one(db).await? {
                Some(e) => {
                    let plural = crate::entries::kinds::ALL
                        .iter()
                        .find(|k| k.name == e.kind)
                        .map(|k| k.plural);
                    (e.title, plural)
                }
                None => (String::new(), None),
            }
        };
        out.push(Shown {
            use_: u,
            title,
            kind_plural,
        });
    }
    out.sort_by_key(|s| (s.use_.owner_kind != "post", s.use_.owner_id, !s.use_.live));
    out.dedup_by_key(|s| (s.use_.owner_kind, s.use_.owner_id));
    Ok(out)
}
