//! What a file is, decided from its bytes, never from its name: a PDF
//! called `photo.jpg` is refused (open formats preferred, Đ10).

use std::path::Path;

use image::ImageFormat;

use crate::error::{Error, Result};

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
/// A Word 97–2003 document: a closed binary format, still what many
/// units' archives hold (Đ10 prefers the open ones; its text is not read
/// for search).
const DOC: FileType = FileType {
    mime: "application/msword",
    extensions: &["doc"],
    image: None,
};
const XLSX: FileType = FileType {
    mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extensions: &["xlsx"],
    image: None,
};
const MP4: FileType = FileType {
    mime: "video/mp4",
    extensions: &["mp4", "m4v"],
    image: None,
};
const WEBM: FileType = FileType {
    mime: "video/webm",
    extensions: &["webm"],
    image: None,
};
/// Captions of a video (WebVTT).
const VTT: FileType = FileType {
    mime: "text/vtt; charset=utf-8",
    extensions: &["vtt"],
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

/// The major brands of the MP4 files cameras and encoders write.
fn is_mp4_brand(brand: &[u8]) -> bool {
    matches!(
        brand,
        b"isom" | b"iso2" | b"iso4" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"avc1" | b"M4V " | b"dash"
    )
}

/// Whether a file of this MIME type is a video.
pub fn is_video(mime: &str) -> bool {
    mime.starts_with("video/")
}

pub(super) fn contains(hay: &[u8], needle: &[u8]) -> bool {
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
    } else if bytes.len() > 12 && &bytes[4..8] == b"ftyp" && is_mp4_brand(&bytes[8..12]) {
        MP4
    } else if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) && contains(&bytes[..bytes.len().min(64)], b"webm")
    {
        WEBM
    } else if (bytes.starts_with(b"WEBVTT") || bytes.starts_with(b"\xEF\xBB\xBFWEBVTT"))
        && !bytes.contains(&0)
        && std::str::from_utf8(bytes).is_ok()
    {
        VTT
    } else if bytes.starts_with(b"PK\x03\x04") {
        if bytes.len() > 38 && &bytes[30..38] == b"mimetype" {
            let rest = &bytes[38..bytes.len().min(120)];
            if rest.starts_with(b"application/vnd.oasis.opendocument.text") {
                ODT
            } else if rest.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
                ODS
            } else {
                return Err(Error::invalid_in(
                    "file",
                    "this OpenDocument type is not accepted",
                    "Loại tệp OpenDocument này không được nhận.",
                ));
            }
        } else if contains(bytes, b"[Content_Types].xml") && contains(bytes, b"word/") {
            DOCX
        } else if contains(bytes, b"[Content_Types].xml") && contains(bytes, b"xl/") {
            XLSX
        } else {
            return Err(Error::invalid_in(
                "file",
                "ZIP archives are not accepted",
                "Không nhận tệp nén ZIP.",
            ));
        }
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An OLE compound file is a Word document when its directory names
        // the `WordDocument` stream (UTF-16LE); spreadsheets, installers
        // and the rest are refused.
        let word: Vec<u8> = "WordDocument".encode_utf16().flat_map(u16::to_le_bytes).collect();
        if contains(bytes, &word) {
            DOC
        } else {
            return Err(Error::invalid_in(
                "file",
                "of the old binary Office formats only Word documents (.doc) are accepted",
                "Trong các định dạng Office cũ chỉ nhận văn bản Word (.doc).",
            ));
        }
    } else if !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() && !bytes.is_empty() {
        if ext.as_deref() == Some("csv") { CSV } else { TXT }
    } else {
        return Err(Error::invalid_in(
            "file",
            "accepted types: JPEG, PNG, WebP, GIF images; PDF, ODT, ODS, DOCX, DOC, XLSX, TXT, CSV documents; MP4, WebM videos with WebVTT captions",
            "Loại tệp không được nhận. Nhận: ảnh JPEG, PNG, WebP, GIF; tài liệu PDF, ODT, ODS, DOCX, DOC, XLSX, TXT, CSV; video MP4, WebM kèm phụ đề WebVTT.",
        ));
    };
    if let Some(ext) = ext
        && !detected.extensions.contains(&ext.as_str())
    {
        return Err(Error::invalid_in(
            "file",
            format!(
                "the file's content is {} but its name ends in .{ext}",
                detected.mime
            ),
            format!("Nội dung tệp là {} nhưng tên tệp có đuôi .{ext}.", detected.mime),
        ));
    }
    Ok(detected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::DynamicImage;
    use std::io::Cursor;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(w, h);
        let mut buf = Cursor::new(Vec::new());
        img.write_to(&mut buf, ImageFormat::Png).unwrap();
        buf.into_inner()
    }

    /// The start of an OLE compound file whose directory names `name`.
    fn ole(name: &str) -> Vec<u8> {
        let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        b.resize(512, 0);
        b.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
        b.resize(1024, 0);
        b
    }

    #[test]
    fn an_old_word_document_is_accepted_other_ole_files_are_not() {
        assert_eq!(detect(&ole("WordDocument"), "quyet-dinh.doc").unwrap(), DOC);
        assert!(detect(&ole("WordDocument"), "quyet-dinh.pdf").is_err());
        assert!(detect(&ole("Workbook"), "bang.xls").is_err());
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
        let mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom";
        assert_eq!(detect(mp4, "clip.mp4").unwrap(), MP4);
        assert!(detect(mp4, "clip.webm").is_err());
        assert_eq!(
            detect(
                b"\x1A\x45\xDF\xA3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webm",
                "clip.webm"
            )
            .unwrap(),
            WEBM
        );
        assert_eq!(
            detect(b"WEBVTT\n\n00:00.000 --> 00:02.000\nXin ch\xc3\xa0o", "vi.vtt").unwrap(),
            VTT
        );
    }
}
