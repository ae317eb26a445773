//! The media library: uploads checked by content (not by name), images
//! decoded under explicit limits, location data stripped, originals stored
//! once per content hash, and resized derivatives for responsive pages.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageFormat, ImageReader};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use crate::entity::media;
use crate::error::{Error, Result};
use crate::text::clean_line;

/// Widths of the derivatives made for every image (responsive `srcset`).
pub const DERIVATIVE_WIDTHS: [u32; 3] = [320, 800, 1600];

/// Size and decoding limits. A decompression bomb (a small file declaring
/// a huge image) is refused before any large allocation.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_image_bytes: usize,
    pub max_document_bytes: usize,
    pub max_dimension: u32,
    pub max_alloc: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_image_bytes: 20 * 1024 * 1024,
            max_document_bytes: 50 * 1024 * 1024,
            max_dimension: 12_000,
            max_alloc: 512 * 1024 * 1024,
        }
    }
}

/// What a file is, decided from its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileType {
    pub mime: &'static str,
    /// Extensions a truthful file name may carry; the first is canonical.
    pub extensions: &'static [&'static str],
    pub image: Option<ImageFormat>,
}

const JPEG: FileType = FileType {
    mime: "image/jpeg",
    extensions: &["jpg", "jpeg"],
    image: Some(ImageFormat::Jpeg),
};
const PNG: FileType = FileType {
    mime: "image/png",
    extensions: &["png"],
    image: Some(ImageFormat::Png),
};
const GIF: FileType = FileType {
    mime: "image/gif",
    extensions: &["gif"],
    image: Some(ImageFormat::Gif),
};
const WEBP: FileType = FileType {
    mime: "image/webp",
    extensions: &["webp"],
    image: Some(ImageFormat::WebP),
};
const PDF: FileType = FileType {
    mime: "application/pdf",
    extensions: &["pdf"],
    image: None,
};
const ODT: FileType = FileType {
    mime: "application/vnd.oasis.opendocument.text",
    extensions: &["odt"],
    image: None,
};
const ODS: FileType = FileType {
    mime: "application/vnd.oasis.opendocument.spreadsheet",
    extensions: &["ods"],
    image: None,
};
const DOCX: FileType = FileType {
    mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extensions: &["docx"],
    image: None,
};
const XLSX: FileType = FileType {
    mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extensions: &["xlsx"],
    image: None,
};
const TXT: FileType = FileType {
    mime: "text/plain; charset=utf-8",
    extensions: &["txt"],
    image: None,
};
const CSV: FileType = FileType {
    mime: "text/csv; charset=utf-8",
    extensions: &["csv"],
    image: None,
};

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Decides the type from the content, and refuses a name whose extension
/// says otherwise (a PDF called `photo.jpg` is not accepted).
pub fn detect(bytes: &[u8], file_name: &str) -> Result<FileType> {
    let ext = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let detected = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        JPEG
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        PNG
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        GIF
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        WEBP
    } else if bytes.starts_with(b"%PDF-") {
        PDF
    } else if bytes.starts_with(b"PK\x03\x04") {
        if bytes.len() > 38 && &bytes[30..38] == b"mimetype" {
            let rest = &bytes[38..bytes.len().min(120)];
            if rest.starts_with(b"application/vnd.oasis.opendocument.text") {
                ODT
            } else if rest.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
                ODS
            } else {
                return Err(Error::invalid("file", "this OpenDocument type is not accepted"));
            }
        } else if contains(bytes, b"[Content_Types].xml") && contains(bytes, b"word/") {
            DOCX
        } else if contains(bytes, b"[Content_Types].xml") && contains(bytes, b"xl/") {
            XLSX
        } else {
            return Err(Error::invalid("file", "ZIP archives are not accepted"));
        }
    } else if !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() && !bytes.is_empty() {
        if ext.as_deref() == Some("csv") { CSV } else { TXT }
    } else {
        return Err(Error::invalid(
            "file",
            "accepted types: JPEG, PNG, WebP, GIF images; PDF, ODT, ODS, DOCX, XLSX, TXT, CSV documents",
        ));
    };
    if let Some(ext) = ext
        && !detected.extensions.contains(&ext.as_str())
    {
        return Err(Error::invalid(
            "file",
            format!(
                "the file's content is {} but its name ends in .{ext}",
                detected.mime
            ),
        ));
    }
    Ok(detected)
}

/// Removes metadata that can carry a location (EXIF, XMP) from an image,
/// leaving the picture itself untouched.
pub fn strip_metadata(bytes: &[u8], format: ImageFormat) -> Vec<u8> {
    match format {
        ImageFormat::Jpeg => strip_jpeg(bytes),
        ImageFormat::Png => strip_png(bytes),
        ImageFormat::WebP => strip_webp(bytes),
        _ => bytes.to_vec(),
    }
}

fn strip_jpeg(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..2]);
    let mut i = 2;
    while i + 4 <= b.len() && b[i] == 0xFF {
        let marker = b[i + 1];
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        let end = (i + 2 + len).min(b.len());
        if marker != 0xE1 {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
    }
    out.extend_from_slice(&b[i.min(b.len())..]);
    out
}

fn strip_png(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..8]);
    let mut i = 8;
    while i + 12 <= b.len() {
        let len = u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
        let end = (i + 12 + len).min(b.len());
        let kind = &b[i + 4..i + 8];
        let xmp = kind == b"iTXt" && b[i + 8..end].starts_with(b"XML:com.adobe.xmp");
        if kind != b"eXIf" && !xmp {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
    }
    out.extend_from_slice(&b[i.min(b.len())..]);
    out
}

fn strip_webp(b: &[u8]) -> Vec<u8> {
    let mut chunks = Vec::with_capacity(b.len());
    let mut i = 12;
    while i + 8 <= b.len() {
        let len = u32::from_le_bytes([b[i + 4], b[i + 5], b[i + 6], b[i + 7]]) as usize;
        let end = (i + 8 + len + (len & 1)).min(b.len());
        let kind = &b[i..i + 4];
        if kind != b"EXIF" && kind != b"XMP " {
            let start = chunks.len();
            chunks.extend_from_slice(&b[i..end]);
            if kind == b"VP8X" && chunks.len() > start + 8 {
                chunks[start + 8] &= !(0x08 | 0x04);
            }
        }
        i = end;
    }
    let mut out = Vec::with_capacity(chunks.len() + 12);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&((chunks.len() + 4) as u32).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&chunks);
    out
}

/// Decodes an image under `limits`. Refuses what is over the limits or not
/// decodable, without exhausting memory.
pub fn decode(bytes: &[u8], format: ImageFormat, limits: &Limits) -> Result<DynamicImage> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut l = image::Limits::default();
    l.max_image_width = Some(limits.max_dimension);
    l.max_image_height = Some(limits.max_dimension);
    l.max_alloc = Some(limits.max_alloc);
    reader.limits(l);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => Error::invalid(
            "file",
            format!(
                "the image is too large to process (at most {0}×{0} pixels)",
                limits.max_dimension
            ),
        ),
        other => Error::invalid("file", format!("the image cannot be decoded: {other}")),
    })
}

/// Where originals and derivatives live under the data directory. Both
/// can be re-derived: originals are the source of truth.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Store { root: root.into() }
    }

    pub fn original(&self, sha: &str) -> PathBuf {
        self.root.join("originals").join(&sha[..2]).join(sha)
    }

    pub fn derivative(&self, sha: &str, width: u32, ext: &str) -> PathBuf {
        self.root
            .join("derived")
            .join(&sha[..2])
            .join(format!("{sha}-{width}.{ext}"))
    }

    /// Writes a file atomically (temporary file, fsync, rename), so a crash
    /// never leaves half a file under the final name.
    fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("tmp{}", crate::accounts::random_token(4)));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    }
}

/// A derivative that exists on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derivative {
    pub width: u32,
    pub ext: &'static str,
}

/// The derivative widths and formats of an image of `width` pixels: the
/// standard widths below it (never upscaled), else its own width; each in
/// WebP and in the original format.
pub fn derivative_plan(width: u32, format: ImageFormat) -> Vec<Derivative> {
    let own = match format {
        ImageFormat::Jpeg => "jpg",
        ImageFormat::Gif => "gif",
        _ => "png",
    };
    let mut widths: Vec<u32> = DERIVATIVE_WIDTHS.iter().copied().filter(|w| *w < width).collect();
    if widths.is_empty() {
        widths.push(width);
    }
    widths
        .into_iter()
        .flat_map(|w| {
            [
                Derivative {
                    width: w,
                    ext: "webp",
                },
                Derivative { width: w, ext: own },
            ]
        })
        .collect()
}

/// The image format of a stored MIME type; `None` for documents.
pub fn image_format(mime: &str) -> Option<ImageFormat> {
    match mime {
        "image/jpeg" => Some(ImageFormat::Jpeg),
        "image/png" => Some(ImageFormat::Png),
        "image/gif" => Some(ImageFormat::Gif),
        "image/webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

impl Derivative {
    /// The MIME type of the derivative's file.
    pub fn mime(&self) -> &'static str {
        match self.ext {
            "webp" => "image/webp",
            "jpg" => "image/jpeg",
            "gif" => "image/gif",
            _ => "image/png",
        }
    }
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

/// Makes the missing derivatives of an image (idempotent: existing files
/// are kept). CPU-heavy: call it off the async runtime.
pub fn make_derivatives(
    store: &Store,
    sha: &str,
    img: &DynamicImage,
    format: ImageFormat,
) -> Result<Vec<Derivative>> {
    let plan = derivative_plan(img.width(), format);
    for d in &plan {
        let path = store.derivative(sha, d.width, d.ext);
        if path.exists() {
            continue;
        }
        let resized = if d.width >= img.width() {
            img.clone()
        } else {
            let h = ((img.height() as u64 * d.width as u64) / img.width() as u64).max(1) as u32;
            img.resize_exact(d.width, h, image::imageops::FilterType::Triangle)
        };
        let mut buf = Cursor::new(Vec::new());
        let out_format = match d.ext {
            "webp" => ImageFormat::WebP,
            "jpg" => ImageFormat::Jpeg,
            "gif" => ImageFormat::Gif,
            _ => ImageFormat::Png,
        };
        let pixels = if out_format == ImageFormat::Jpeg {
            DynamicImage::ImageRgb8(resized.to_rgb8())
        } else {
            DynamicImage::ImageRgba8(resized.to_rgba8())
        };
        pixels
            .write_to(&mut buf, out_format)
            .map_err(|e| Error::invalid("file", format!("cannot encode a derivative: {e}")))?;
        Store::write_atomic(&path, buf.get_ref()).map_err(io_error)?;
    }
    Ok(plan)
}

fn io_error(e: std::io::Error) -> Error {
    Error::Conflict(format!("storage error: {e}"))
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

/// A checked upload, ready to be recorded.
pub struct Checked {
    pub sha256: String,
    pub file_type: FileType,
    pub bytes: Vec<u8>,
    pub image: Option<DynamicImage>,
}

/// Checks an upload (type, size, decodability) and strips metadata.
/// CPU-heavy for images: call it off the async runtime.
pub fn check(upload: &Upload, limits: &Limits) -> Result<Checked> {
    let file_type = detect(&upload.bytes, &upload.file_name)?;
    let max = if file_type.image.is_some() {
        limits.max_image_bytes
    } else {
        limits.max_document_bytes
    };
    if upload.bytes.len() > max {
        return Err(Error::invalid(
            "file",
            format!("the file is larger than {} MB", max / 1024 / 1024),
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

/// Stores a checked upload: the original once per content hash, the
/// derivatives of an image, and a library entry.
pub async fn record(
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
    if let Some(m) = existing {
        return Ok(m);
    }
    let opt = |v: &Option<String>| v.as_deref().map(clean_line).filter(|s| !s.is_empty());
    let name: String = clean_line(&upload.file_name)
        .chars()
        .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
        .take(200)
        .collect();
    Ok(media::ActiveModel {
        sha256: Set(checked.sha256.clone()),
        kind: Set(if checked.image.is_some() {
            "image"
        } else {
            "document"
        }
        .to_owned()),
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
        created_at: Set(crate::time::now()),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(w, h);
        let mut buf = Cursor::new(Vec::new());
        img.write_to(&mut buf, ImageFormat::Png).unwrap();
        buf.into_inner()
    }

    #[test]
    fn types_come_from_content_not_names() {
        assert_eq!(detect(&png(2, 2), "a.png").unwrap(), PNG);
        assert_eq!(detect(&png(2, 2), "no-extension").unwrap(), PNG);
        assert!(detect(b"%PDF-1.7 ...", "photo.jpg").is_err());
        assert_eq!(detect(b"%PDF-1.7 ...", "report.PDF").unwrap(), PDF);
        assert_eq!(detect("a,b\n1,2\n".as_bytes(), "bang.csv").unwrap(), CSV);
        assert!(detect(b"MZ\x90\x00\x03", "setup.exe").is_err());
        assert!(detect(b"\x00\x01binary", "x.txt").is_err());
    }

    #[test]
    fn decompression_bombs_are_refused() {
        let mut bomb = png(1, 1);
        // Patch the IHDR to declare 100000 × 100000 pixels; fix its CRC.
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = decode(&bomb, ImageFormat::Png, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("too large"), "{err}");
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn exif_is_stripped_from_jpeg_and_png() {
        let mut jpeg = Vec::new();
        DynamicImage::new_rgb8(4, 4)
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        let payload = b"Exif\0\0GPSGPSGPS\0";
        let len = (payload.len() as u16 + 2).to_be_bytes();
        let exif = [&[0xFF, 0xE1, len[0], len[1]][..], payload].concat();
        let with_exif = [&jpeg[..2], &exif[..], &jpeg[2..]].concat();
        let stripped = strip_metadata(&with_exif, ImageFormat::Jpeg);
        assert!(!contains(&stripped, b"Exif"));
        assert_eq!(stripped, jpeg);
        assert!(decode(&stripped, ImageFormat::Jpeg, &Limits::default()).is_ok());

        let p = png(3, 3);
        let chunk = [&4u32.to_be_bytes()[..], b"eXIf", b"GPS!", &[0, 0, 0, 0]].concat();
        let with_exif = [&p[..33], &chunk[..], &p[33..]].concat();
        let stripped = strip_metadata(&with_exif, ImageFormat::Png);
        assert_eq!(stripped, p);
    }

    #[test]
    fn derivatives_are_never_upscaled() {
        let plan = derivative_plan(1000, ImageFormat::Jpeg);
        assert_eq!(
            plan,
            vec![
                Derivative {
                    width: 320,
                    ext: "webp"
                },
                Derivative {
                    width: 320,
                    ext: "jpg"
                },
                Derivative {
                    width: 800,
                    ext: "webp"
                },
                Derivative {
                    width: 800,
                    ext: "jpg"
                },
            ]
        );
        assert_eq!(
            derivative_plan(200, ImageFormat::Png)[0],
            Derivative {
                width: 200,
                ext: "webp"
            }
        );
    }
}
