//! The media library: uploads checked by content (not by name), images
//! decoded under explicit limits, location data stripped, originals stored
//! once per content hash, and resized derivatives for responsive pages.
//!
//! - [`pipeline`]: the one way a file enters the library;
//! - [`types`]: what a file is; [`images`]: decoding and derivatives;
//! - [`store`]: the files on disk.

pub mod images;
pub mod pipeline;
pub mod store;
pub mod types;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

pub use images::{
    DERIVATIVE_WIDTHS, Derivative, decode, derivative_plan, image_format, make_derivatives, strip_metadata,
};
pub use pipeline::{Checked, Ingested, Limits, Pipeline, Upload, check};
pub use store::Store;
pub use types::{FileType, detect};

use crate::entity::media;
use crate::error::{Error, Result};
use crate::text::clean_line;

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

/// Changes an item's alt text, caption or credit.
pub async fn describe(
    db: &impl ConnectionTrait,
    id: i32,
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
) -> Result<media::Model> {
    let mut am: media::ActiveModel = get(db, id).await?.into();
    if let Some(a) = alt {
        am.alt = Set(Some(clean_line(&a)).filter(|s| !s.is_empty()));
    }
    if let Some(c) = caption {
        am.caption = Set(Some(clean_line(&c)).filter(|s| !s.is_empty()));
    }
    if let Some(c) = credit {
        am.credit = Set(Some(clean_line(&c)).filter(|s| !s.is_empty()));
    }
    Ok(am.update(db).await?)
}

/// Marks an item deleted; the original stays on disk (it is the record).
pub async fn delete(db: &impl ConnectionTrait, id: i32) -> Result<media::Model> {
    let mut am: media::ActiveModel = get(db, id).await?.into();
    am.deleted_at = Set(Some(crate::time::now()));
    Ok(am.update(db).await?)
}
