use content::entity::media as media_entity;
use content::media::{self, Upload};
use content::time::rfc3339_vn;
use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::multipart::Upload as FilePart;
use poem_openapi::{ApiResponse, Multipart, Object, OpenApi};

use super::Tag;
use super::types::Text;
use crate::auth::{actor, require, require_role};
use crate::body_limit::allow_upload;
use crate::problem::ApiError;
use crate::state::AppState;

pub struct MediaApi(pub AppState);

#[derive(Multipart)]
struct UploadForm {
    /// JPEG, PNG, WebP or GIF (20 MB at most); PDF, ODT, ODS, DOCX, DOC, XLSX,
    /// TXT or CSV (50 MB at most); MP4 or WebM video and WebVTT captions
    /// (100 MB at most). The type is decided from the content.
    file: FilePart,
    /// Text alternative; required before the image appears in a published post.
    #[oai(validator(max_length = 500))]
    alt: Option<String>,
    #[oai(validator(max_length = 500))]
    caption: Option<String>,
    /// Photographer or author credit.
    #[oai(validator(max_length = 200))]
    credit: Option<String>,
}

/// A derivative of an image, for `srcset`.
#[derive(Object)]
pub struct DerivativeView {
    pub width: u32,
    pub format: String,
    pub url: String,
}

#[derive(Object)]
pub struct MediaView {
    pub id: i32,
    /// `image`, `video` or `document`.
    pub kind: String,
    /// Times the public downloaded it (documents).
    pub downloads: i64,
    pub mime: String,
    pub size: i64,
    #[oai(nullable)]
    pub width: Option<i32>,
    #[oai(nullable)]
    pub height: Option<i32>,
    pub file_name: String,
    #[oai(nullable)]
    pub alt: Option<String>,
    #[oai(nullable)]
    pub caption: Option<String>,
    #[oai(nullable)]
    pub credit: Option<String>,
    /// Anonymous readers may download it: a published post uses it, or an
    /// editor marked it public.
    pub public: bool,
    pub sha256: String,
    /// The original file.
    pub url: String,
    pub derivatives: Vec<DerivativeView>,
    pub created_at: String,
}

pub fn view(m: media_entity::Model) -> MediaView {
    let derivatives = m
        .derivatives()
        .into_iter()
        .map(|d| DerivativeView {
            width: d.width,
            format: d.ext.to_owned(),
            url: m.derivative_url(&d),
        })
        .collect();
    MediaView {
        url: m.url(),
        derivatives,
        id: m.id,
        downloads: m.downloads,
        kind: m.kind,
        mime: m.mime,
        size: m.size,
        width: m.width,
        height: m.height,
        file_name: m.file_name,
        alt: m.alt,
        caption: m.caption,
        credit: m.credit,
        public: m.public,
        sha256: m.sha256,
        created_at: rfc3339_vn(m.created_at),
    }
}

#[derive(Object)]
struct DescribeInput {
    #[oai(validator(max_length = 500))]
    #[oai(nullable)]
    alt: Option<Text>,
    #[oai(validator(max_length = 500))]
    #[oai(nullable)]
    caption: Option<Text>,
    #[oai(validator(max_length = 200))]
    #[oai(nullable)]
    credit: Option<Text>,
    /// Make the file public whether or not a published post uses it
    /// (editors and the board).
    #[oai(nullable)]
    public: Option<bool>,
}

#[derive(ApiResponse)]
enum Created {
    /// Stored (or found: the same file is stored once).
    #[oai(status = 201)]
    Created(Json<MediaView>),
}

#[OpenApi(tag = "Tag::Media")]
impl MediaApi {
    /// Upload an image or document (multipart/form-data).
    #[oai(path = "/media", method = "post", transform = "allow_upload")]
    async fn upload(&self, req: &Request, form: UploadForm) -> Result<Created, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &content::roles::EDITORIAL_STAFF)?;
        let file_name = form.file.file_name().unwrap_or("file").to_owned();
        let bytes = form
            .file
            .into_vec()
            .await
            .map_err(|e| ApiError::bad_request(format!("cannot read the upload: {e}")))?;
        let upload = Upload {
            file_name,
            bytes,
            alt: form.alt,
            caption: form.caption,
            credit: form.credit,
        };
        let stored = st
            .media
            .ingest(&st.db, upload, caller.account.user.id)
            .await
            .map_err(ApiError::from)?;
        Ok(Created::Created(Json(view(stored.media))))
    }

    /// The media library, newest first.
    #[oai(path = "/media", method = "get")]
    async fn list(
        &self,
        req: &Request,
        /// 1 to 500 (default 100).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
    ) -> Result<Json<Vec<MediaView>>, ApiError> {
        let caller = require(&self.0, req).await?;
        require_role(&caller, &content::roles::EDITORIAL_STAFF)?;
        let all = media::list(&self.0.db, limit.0.unwrap_or(100))
            .await
            .map_err(ApiError::from)?;
        Ok(Json(all.into_iter().map(view).collect()))
    }

    #[oai(path = "/media/:id", method = "get")]
    async fn get(&self, req: &Request, id: Path<i32>) -> Result<Json<MediaView>, ApiError> {
        let caller = require(&self.0, req).await?;
        require_role(&caller, &content::roles::EDITORIAL_STAFF)?;
        Ok(Json(view(
            media::get(&self.0.db, id.0).await.map_err(ApiError::from)?,
        )))
    }

    /// Set alt text, caption, credit, or mark the file public. A file on
    /// a published page is changed by editors and the board only.
    #[oai(path = "/media/:id", method = "patch")]
    async fn describe(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<DescribeInput>,
    ) -> Result<Json<MediaView>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &content::roles::EDITORIAL_STAFF)?;
        let b = body.0;
        let m = media::describe(
            &st.db,
            &actor(st, req, Some(&caller)),
            &caller.account,
            id.0,
            &media::Description {
                alt: b.alt.map(String::from),
                caption: b.caption.map(String::from),
                credit: b.credit.map(String::from),
                public: b.public,
            },
        )
        .await
        .map_err(ApiError::from)?;
        Ok(Json(view(m)))
    }

    /// Remove an item from the library (its uploader, editors and the
    /// board); refused, with the list of posts, while a post uses it.
    #[oai(path = "/media/:id", method = "delete")]
    async fn delete(&self, req: &Request, id: Path<i32>) -> Result<Json<MediaView>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &content::roles::EDITORIAL_STAFF)?;
        let m = media::delete(&st.db, &actor(st, req, Some(&caller)), &caller.account, id.0)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(view(m)))
    }
}
