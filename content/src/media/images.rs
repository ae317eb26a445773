//! Image processing: location metadata stripped, decoding under limits
//! (a decompression bomb is refused before any large allocation), and
//! the responsive derivatives pages link in `srcset`.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader};

use super::pipeline::Limits;
use super::store::Store;
use crate::error::{Error, Result};

/// Widths of the derivatives made for every image (responsive `srcset`).
pub const DERIVATIVE_WIDTHS: [u32; 3] = [320, 800, 1600];

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
    // The area first, from the header alone: memory grows with pixels,
    // and a small file can declare a huge picture.
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| undecodable(&e))?;
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return Err(Error::invalid_in(
            "file",
            format!(
                "the image is too large to process: {w}×{h} pixels, at most {} megapixels",
                limits.max_pixels / 1_000_000
            ),
            format!(
                "Ảnh quá lớn để xử lý: {w}×{h} điểm ảnh, tối đa {} triệu điểm ảnh.",
                limits.max_pixels / 1_000_000
            ),
        ));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut l = image::Limits::default();
    l.max_image_width = Some(limits.max_dimension);
    l.max_image_height = Some(limits.max_dimension);
    l.max_alloc = Some(limits.max_alloc);
    reader.limits(l);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => Error::invalid_in(
            "file",
            format!(
                "the image is too large to process (at most {0}×{0} pixels)",
                limits.max_dimension
            ),
            format!(
                "Ảnh quá lớn để xử lý (tối đa {0}×{0} điểm ảnh).",
                limits.max_dimension
            ),
        ),
        other => undecodable(&other),
    })
}

fn undecodable(e: &dyn std::fmt::Display) -> Error {
    Error::invalid_in(
        "file",
        format!("the image cannot be decoded: {e}"),
        "Không đọc được ảnh: tệp hỏng hoặc không đúng định dạng.",
    )
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

pub(super) fn io_error(e: std::io::Error) -> Error {
    Error::Conflict(format!("storage error: {e}"))
}

#[cfg(test)]
mod tests {
    use super::super::types::contains;
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(w, h);
        let mut buf = Cursor::new(Vec::new());
        img.write_to(&mut buf, ImageFormat::Png).unwrap();
        buf.into_inner()
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
