//! The one upload pipeline, used by the API and the editor alike: the
//! type from the content, size limits per kind, decoding under limits with
//! a bounded number of decodes at a time, metadata stripped, the original
//! stored once per content hash, and derivatives made on the blocking
//! pool. Upload routes take their request-body limit from here.

use std::sync::Arc;

use image::{DynamicImage, ImageFormat};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use super::images::{decode, io_error, make_derivatives, strip_metadata};
use super::store::Store;
use super::types::{FileType, detect};
use crate::entity::media;
use crate::error::{Error, Result};
use crate::text::clean_line;

/// Size and decoding limits. A decompression bomb (a small file declaring
/// a huge image) is refused before any large allocation.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_image_bytes: usize,
    pub max_document_bytes: usize,
    pub max_video_bytes: usize,
    pub max_dimension: u32,
    /// The largest area decoded (a 48-megapixel phone photo fits).
    pub max_pixels: u64,
    pub max_alloc: u64,
    /// Images decoded at once: each can take hundreds of MB.
    pub concurrent_decodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_image_bytes: 20 * 1024 * 1024,
            max_document_bytes: 50 * 1024 * 1024,
            max_video_bytes: 100 * 1024 * 1024,
            max_dimension: 12_000,
            max_pixels: 50_000_000,
            max_alloc: 512 * 1024 * 1024,
            concurrent_decodes: std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1)),
        }
    }
}

impl Limits {
    /// The largest request body an upload route accepts: the largest file
    /// plus room for the multipart envelope and the form's other fields.
    pub fn max_body(&self) -> usize {
        self.max_image_bytes
            .max(self.max_document_bytes)
            .max(self.max_video_bytes)
            + 1024 * 1024
    }
}

/// An upload to store.
#[derive(Clone, Debug)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// A checked upload, ready to be stored.
pub struct Checked {
    pub sha256: String,
    pub file_type: FileType,
    pub bytes: Vec<u8>,
    pub image: Option<DynamicImage>,
}

/// Checks an upload (type, size, decodability) and strips metadata.
/// CPU-heavy for images: [`Pipeline::ingest`] runs it on the blocking pool.
pub fn check(upload: &Upload, limits: &Limits) -> Result<Checked> {
    let file_type = detect(&upload.bytes, &upload.file_name)?;
    let max = if file_type.image.is_some() {
        limits.max_image_bytes
    } else if super::types::is_video(file_type.mime) {
        limits.max_video_bytes
    } else {
        limits.max_document_bytes
    };
    if upload.bytes.len() > max {
        return Err(Error::invalid_in(
            "file",
            format!("the file is larger than {} MB", max / 1024 / 1024),
            format!("Tệp lớn hơn {} MB.", max / 1024 / 1024),
        ));
    }
    let (bytes, image) = match file_type.image {
        Some(format) => {
            let stripped = strip_metadata(&upload.bytes, format);
            let img = decode(&stripped, format, limits)?;
            (stripped, Some(img))
        }
        None => (upload.bytes.clone(), None),
    };
    let sha256 = hex::encode(Sha256::digest(&bytes));
    Ok(Checked {
        sha256,
        file_type,
        bytes,
        image,
    })
}

/// The way files enter the library, shared by every upload route.
#[derive(Clone)]
pub struct Pipeline {
    store: Store,
    limits: Limits,
    /// Images being decoded at once: each can take hundreds of MB.
    decodes: Arc<tokio::sync::Semaphore>,
}

/// A file kept in the store outside the library ([`Pipeline::keep`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    pub sha256: String,
    pub file_name: String,
    pub mime: &'static str,
    pub size: i64,
}

/// A stored upload.
pub struct Ingested {
    pub media: media::Model,
    /// The image format, for images.
    pub format: Option<ImageFormat>,
}

impl Pipeline {
    pub fn new(store: Store, limits: Limits) -> Self {
        let decodes = Arc::new(tokio::sync::Semaphore::new(limits.concurrent_decodes.max(1)));
        Pipeline {
            store,
            limits,
            decodes,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Runs CPU-heavy image work on the blocking pool, a bounded number at
    /// a time.
    async fn decoding<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let _permit = self
            .decodes
            .acquire()
            .await
            .map_err(|_| Error::Conflict("the server is shutting down".into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| Error::Conflict("the upload could not be processed".into()))?
    }

    /// Checks and stores an upload: the original once per content hash,
    /// the derivatives of an image, and a library entry. An identical file
    /// already in the library is returned as it is when the upload brings
    /// no other alt text, caption or credit; with other words it becomes a
    /// new entry (sharing the stored original), so the texts the user typed
    /// are the ones used and no other page's texts change.
    pub async fn ingest(&self, db: &impl ConnectionTrait, upload: Upload, user_id: i32) -> Result<Ingested> {
        let (limits, store) = (self.limits.clone(), self.store.clone());
        let (checked, upload) = self
            .decoding(move || {
                let checked = check(&upload, &limits)?;
                if let (Some(img), Some(format)) = (&checked.image, checked.file_type.image) {
                    make_derivatives(&store, &checked.sha256, img, format)?;
                }
                Ok((checked, upload))
            })
            .await?;
        let media = record(db, &self.store, &checked, &upload, user_id).await?;
        Ok(Ingested {
            media,
            format: checked.file_type.image,
        })
    }

    /// Replaces the file of a library item, keeping its id and so every
    /// use of it (covers, attachments, inline images point at the id): a
    /// corrected scan or a better photo goes live where the old one was.
    /// The kind stays (an image is replaced by an image); alt text, caption
    /// and credit stay unless the upload brings new ones. Who may do it is
    /// [`super::may_change`]'s rule.
    pub async fn replace(
        &self,
        db: &impl ConnectionTrait,
        actor: &crate::audit::Actor,
        who: &crate::accounts::Account,
        id: i32,
        upload: Upload,
    ) -> Result<media::Model> {
        let current = super::get(db, id).await?;
        super::may_change(db, who, &current).await?;
        let (limits, store) = (self.limits.clone(), self.store.clone());
        let (checked, upload) = self
            .decoding(move || {
                let checked = check(&upload, &limits)?;
                if let (Some(img), Some(format)) = (&checked.image, checked.file_type.image) {
                    make_derivatives(&store, &checked.sha256, img, format)?;
                }
                Ok((checked, upload))
            })
            .await?;
        let kind = kind_of(&checked);
        if kind != current.kind {
            return Err(Error::invalid_in(
                "file",
                format!("a {} is replaced by a file of the same kind", current.kind),
                "Tệp thay thế phải cùng loại với tệp cũ (ảnh thay ảnh, tài liệu thay tài liệu)",
            ));
        }
        let path = self.store.original(&checked.sha256);
        if !path.exists() {
            Store::write_atomic(&path, &checked.bytes).map_err(io_error)?;
        }
        let opt = |v: &Option<String>| v.as_deref().map(clean_line).filter(|s| !s.is_empty());
        let name = crate::text::safe_file_name(&upload.file_name);
        let mut am: media::ActiveModel = current.clone().into();
        am.sha256 = Set(checked.sha256.clone());
        am.mime = Set(checked.file_type.mime.to_owned());
        am.size = Set(checked.bytes.len() as i64);
        am.width = Set(checked.image.as_ref().map(|i| i.width() as i32));
        am.height = Set(checked.image.as_ref().map(|i| i.height() as i32));
        if !name.is_empty() {
            am.file_name = Set(name);
        }
        for (field, value) in [
            (&mut am.alt, &upload.alt),
            (&mut am.caption, &upload.caption),
            (&mut am.credit, &upload.credit),
        ] {
            if let Some(v) = opt(value) {
                *field = Set(Some(v));
            }
        }
        let updated = am.update(db).await?;
        crate::audit::record(
            db,
            actor,
            "media.replace",
            Some(("media", id.to_string())),
            serde_json::json!({"from": current.sha256, "to": updated.sha256, "file_name": updated.file_name}),
        )
        .await?;
        Ok(updated)
    }

    /// Checks an upload like any other (type from content, size, safe
    /// decoding) and keeps its original in the store **without** a library
    /// entry: a file sent by an anonymous citizen has no owner among the
    /// staff and stays out of the library. `accept` says which types the
    /// caller takes, `max_bytes` how large.
    pub async fn keep(&self, upload: Upload, max_bytes: usize, accept: fn(&str) -> bool) -> Result<Kept> {
        if upload.bytes.len() > max_bytes {
            return Err(Error::invalid_in(
                "file",
                format!("the file is larger than {} MB", max_bytes / 1024 / 1024),
                format!("Tệp lớn hơn {} MB", max_bytes / 1024 / 1024),
            ));
        }
        let (limits, store) = (self.limits.clone(), self.store.clone());
        self.decoding(move || {
            let checked = check(&upload, &limits)?;
            if !accept(checked.file_type.mime) {
                return Err(Error::invalid_in(
                    "file",
                    format!("files of type {} are not accepted here", checked.file_type.mime),
                    "Loại tệp này không được nhận",
                ));
            }
            let path = store.original(&checked.sha256);
            if !path.exists() {
                Store::write_atomic(&path, &checked.bytes).map_err(io_error)?;
            }
            let name = crate::text::safe_file_name(&upload.file_name);
            Ok(Kept {
                file_name: if name.is_empty() {
                    format!("tep.{}", checked.file_type.extensions[0])
                } else {
                    name
                },
                sha256: checked.sha256,
                mime: checked.file_type.mime,
                size: checked.bytes.len() as i64,
            })
        })
        .await
    }

    /// The file of a derivative, made again from the original when it is
    /// missing (the derived directory can be deleted at any time).
    pub async fn derivative_file(
        &self,
        m: &media::Model,
        d: &super::Derivative,
    ) -> Result<std::path::PathBuf> {
        let path = self.store.derivative(&m.sha256, d.width, d.ext);
        if path.exists() {
            return Ok(path);
        }
        let format = super::image_format(&m.mime).ok_or(Error::NotFound("derivative"))?;
        let (store, limits, sha) = (self.store.clone(), self.limits.clone(), m.sha256.clone());
        self.decoding(move || {
            let bytes = std::fs::read(store.original(&sha)).map_err(io_error)?;
            let img = decode(&bytes, format, &limits)?;
            make_derivatives(&store, &sha, &img, format)
        })
        .await?;
        Ok(path)
    }
}

fn kind_of(checked: &Checked) -> &'static str {
    if checked.image.is_some() {
        "image"
    } else if super::types::is_video(checked.file_type.mime) {
        "video"
    } else {
        "document"
    }
}

/// Stores a checked upload: the original once per content hash and a
/// library entry.
async fn record(
    db: &impl ConnectionTrait,
    store: &Store,
    checked: &Checked,
    upload: &Upload,
    user_id: i32,
) -> Result<media::Model> {
    let path = store.original(&checked.sha256);
    if !path.exists() {
        Store::write_atomic(&path, &checked.bytes).map_err(io_error)?;
    }
    let existing = media::Entity::find()
        .filter(media::Column::Sha256.eq(checked.sha256.as_str()))
        .filter(media::Column::DeletedAt.is_null())
        .one(db)
        .await?;
    let opt = |v: &Option<String>| v.as_deref().map(clean_line).filter(|s| !s.is_empty());
    if let Some(m) = existing {
        let same = |typed: &Option<String>, kept: &Option<String>| {
            opt(typed).is_none_or(|t| Some(&t) == kept.as_ref())
        };
        if same(&upload.alt, &m.alt) && same(&upload.caption, &m.caption) && same(&upload.credit, &m.credit) {
            return Ok(m);
        }
    }
    let name = crate::text::safe_file_name(&upload.file_name);
    Ok(media::ActiveModel {
        sha256: Set(checked.sha256.clone()),
        kind: Set(kind_of(checked).to_owned()),
        mime: Set(checked.file_type.mime.to_owned()),
        size: Set(checked.bytes.len() as i64),
        width: Set(checked.image.as_ref().map(|i| i.width() as i32)),
        height: Set(checked.image.as_ref().map(|i| i.height() as i32)),
        file_name: Set(if name.is_empty() {
            format!("file.{}", checked.file_type.extensions[0])
        } else {
            name
        }),
        alt: Set(opt(&upload.alt)),
        caption: Set(opt(&upload.caption)),
        credit: Set(opt(&upload.credit)),
        uploaded_by: Set(user_id),
        public: Set(false),
        marked_public: Set(false),
        created_at: Set(crate::time::now()),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}
