//! Finding items of the library: by kind, uploader, upload day, file
//! name, and the images still lacking alt text (which a screen reader
//! cannot describe, WCAG 1.1.1), newest first, paged in SQL.

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entity::media;
use crate::error::Result;

#[derive(Clone, Debug, Default)]
pub struct Search {
    /// `image`, `document` or `video`.
    pub kind: Option<String>,
    pub uploaded_by: Option<i32>,
    /// Upload days, inclusive, Vietnam time.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Images without alt text only.
    pub missing_alt: bool,
    /// Words of the file name, alt text or caption.
    pub q: Option<String>,
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

pub struct Found {
    pub items: Vec<media::Model>,
    pub total: u64,
}

pub const MAX_PER_PAGE: u64 = 200;

pub async fn find(db: &impl ConnectionTrait, s: &Search) -> Result<Found> {
    let mut q = media::Entity::find().filter(media::Column::DeletedAt.is_null());
    if let Some(k) = &s.kind {
        q = q.filter(media::Column::Kind.eq(k.as_str()));
    }
    if let Some(u) = s.uploaded_by {
        q = q.filter(media::Column::UploadedBy.eq(u));
    }
    if let Some(d) = s.from {
        q = q.filter(media::Column::CreatedAt.gte(crate::time::start_of_day_vn(d)));
    }
    if let Some(d) = s.to.and_then(|d| d.succ_opt()) {
        q = q.filter(media::Column::CreatedAt.lt(crate::time::start_of_day_vn(d)));
    }
    if s.missing_alt {
        q = q.filter(media::Column::Kind.eq("image")).filter(
            Condition::any()
                .add(media::Column::Alt.is_null())
                .add(media::Column::Alt.eq("")),
        );
    }
    let words = s.q.as_deref().map(crate::text::typed_words).unwrap_or_default();
    for w in words.split_whitespace().take(10) {
        let like = format!("%{}%", w.replace(['%', '_'], ""));
        q = q.filter(
            Condition::any()
                .add(media::Column::FileName.like(like.clone()))
                .add(media::Column::Alt.like(like.clone()))
                .add(media::Column::Caption.like(like)),
        );
    }
    let total = q.clone().count(db).await?;
    let per_page = s.per_page.clamp(1, MAX_PER_PAGE);
    let items = q
        .order_by_desc(media::Column::Id)
        .limit(per_page)
        .offset((s.page.max(1) - 1).saturating_mul(per_page))
        .all(db)
        .await?;
    Ok(Found { items, total })
}
