//! The media library: uploads checked by content (not by name), images
//! decoded under explicit limits, location data stripped, originals stored
//! once per content hash, and resized derivatives for responsive pages.
//!
//! - [`pipeline`]: the one way a file enters the library;
//! - [`types`]: what a file is; [`images`]: decoding and derivatives;
//! - [`store`]: the files on disk;
//! - [`library`]: finding items for the editor's library;
//! - [`uses`]: where each item is used, and whether the public may see it.

pub mod images;
pub mod library;
pub mod pipeline;
pub mod store;
pub mod text;
pub mod types;
pub mod uses;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

pub use images::{
    DERIVATIVE_WIDTHS, Derivative, decode, derivative_plan, image_format, make_derivatives, strip_metadata,
};
pub use pipeline::{Checked, Ingested, Kept, Limits, Pipeline, Upload, check};
pub use store::Store;
pub use types::{FileType, detect};

use crate::entity::media;
use crate::error::{Error, Result};
use crate::text::clean_line;

/// Adds downloads counted since the last call: (item, count).
pub async fn add_downloads(db: &impl ConnectionTrait, counts: &[(i32, u64)]) -> Result<()> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    for (id, n) in counts {
        media::Entity::update_many()
            .col_expr(
                media::Column::Downloads,
                Expr::col(media::Column::Downloads).add(i64::try_from(*n).unwrap_or(i64::MAX)),
            )
            .filter(media::Column::Id.eq(*id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The public addresses of an item's files. They are part of what pages
/// and Markdown bodies link to, so they are fixed here, once.
impl media::Model {
    /// The original file.
    pub fn url(&self) -> String {
        format!("/media/{}/original", self.id)
    }

    /// The derivatives an image has (none for documents).
    pub fn derivatives(&self) -> Vec<Derivative> {
        match (self.width, image_format(&self.mime)) {
            (Some(w), Some(f)) => derivative_plan(w.max(1) as u32, f),
            _ => Vec::new(),
        }
    }

    pub fn derivative_url(&self, d: &Derivative) -> String {
        format!("/media/{}/{}.{}", self.id, d.width, d.ext)
    }
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<media::Model> {
    media::Entity::find_by_id(id)
        .filter(media::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(Error::NotFound("media"))
}

pub async fn list(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<media::Model>> {
    Ok(media::Entity::find()
        .filter(media::Column::DeletedAt.is_null())
        .order_by_desc(media::Column::Id)
        .limit(limit.clamp(1, 500))
        .all(db)
        .await?)
}

/// A change to an item's description.
#[derive(Clone, Debug, Default)]
pub struct Description {
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Make it public (or not) whether or not a live post uses it.
    pub public: Option<bool>,
}

fn text_field(field: &str, v: &str, max: usize) -> Result<Option<String>> {
    let v = clean_line(v);
    crate::text::check_text(field, &v)?;
    if v.chars().count() > max {
        return Err(Error::invalid_in(
            field,
            format!("must be at most {max} characters"),
            format!("Tối đa {max} ký tự."),
        ));
    }
    Ok(Some(v).filter(|s| !s.is_empty()))
}

/// Changes an item's alt text, caption, credit or publicity, audited.
/// What a live page shows changes with it, so an item a live post uses
/// follows the rule of editing live content (Đ6.2a): editors and the
/// board may change it; a contributor proposes the change through a new
/// revision of the post instead. Marking an item public is an editor's
/// decision too.
pub async fn describe(
    db: &impl ConnectionTrait,
    actor: &crate::audit::Actor,
    who: &crate::accounts::Account,
    id: i32,
    d: &Description,
) -> Result<media::Model> {
    let current = get(db, id).await?;
    let live = may_change(db, who, &current).await?;
    if d.public.is_some() && !who.roles.any(&crate::roles::LIVE_EDITORS) {
        return Err(Error::Forbidden("only an editor may make a file public".into()));
    }
    let mut am: media::ActiveModel = current.clone().into();
    if let Some(a) = &d.alt {
        am.alt = Set(text_field("alt", a, crate::text::limits::ALT)?);
    }
    if let Some(c) = &d.caption {
        am.caption = Set(text_field("caption", c, crate::text::limits::ALT)?);
    }
    if let Some(c) = &d.credit {
        am.credit = Set(text_field("credit", c, crate::text::limits::NAME)?);
    }
    if let Some(p) = d.public {
        am.marked_public = Set(p);
    }
    let updated = am.update(db).await?;
    if d.public.is_some() {
        uses::refresh(db, &[id].into()).await?;
    }
    crate::audit::record(
        db,
        actor,
        "media.describe",
        Some(("media", id.to_string())),
        serde_json::json!({"alt": d.alt, "caption": d.caption, "credit": d.credit, "public": d.public, "live": live}),
    )
    .await?;
    get(db, updated.id).await
}

/// Whether `who` may change an item (its texts, its file, its deletion),
/// and whether a live page shows it. What a live page shows follows the
/// rule of editing live content (Đ6.2a): editors and the board may change
/// it; a contributor proposes the change through a new revision of the
/// post instead. Otherwise the uploader and the editors may.
pub async fn may_change(
    db: &impl ConnectionTrait,
    who: &crate::accounts::Account,
    m: &media::Model,
) -> Result<bool> {
    let live = uses::of(db, m.id).await?.iter().any(|u| u.live);
    let editor = who.roles.any(&crate::roles::LIVE_EDITORS);
    if live && !editor {
        return Err(Error::Forbidden(
            "this file is on a published page: only an editor may change it; propose the change in a new revision of the post".into(),
        ));
    }
    if !editor && m.uploaded_by != who.user.id {
        return Err(Error::Forbidden(
            "only the person who uploaded this file or an editor may change it".into(),
        ));
    }
    Ok(live)
}

/// Marks an item deleted, audited (by its uploader or an editor); the
/// original stays on disk (it is the record). An item a post uses is not deleted: the refusal lists the
/// posts, so the editor can take it out of them first.
pub async fn delete(
    db: &impl ConnectionTrait,
    actor: &crate::audit::Actor,
    who: &crate::accounts::Account,
    id: i32,
) -> Result<media::Model> {
    let current = get(db, id).await?;
    may_change(db, who, &current).await?;
    let used = uses::of(db, id).await?;
    if !used.is_empty() {
        let mut posts: Vec<String> = used
            .iter()
            .map(|u| format!("{}{}", u.owner, if u.live { " (published)" } else { "" }))
            .collect();
        posts.dedup();
        return Err(Error::Conflict(format!(
            "this file is in use: {}",
            posts.join(", ")
        )));
    }
    let mut am: media::ActiveModel = current.into();
    am.deleted_at = Set(Some(crate::time::now()));
    let m = am.update(db).await?;
    crate::audit::record(
        db,
        actor,
        "media.delete",
        Some(("media", id.to_string())),
        serde_json::json!({"file_name": m.file_name, "sha256": m.sha256}),
    )
    .await?;
    Ok(m)
}
