//! The text of documents attached to public content (PDF, DOCX, ODT), so
//! that search finds a decree by a sentence of its file. Files come from
//! anyone who may upload, so extraction expects hostile input: the file
//! size, the pages read, the uncompressed size of an office document's
//! XML and the text kept are all bounded, and a file that cannot be read
//! is recorded as such (never retried, never fatal). Time is bounded by the
//! caller, who runs this on a blocking thread with a deadline.

use std::io::Read;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entity::media_text;
use crate::error::Result;

/// Files larger than this are not read (uploads are smaller anyway).
pub const MAX_FILE: usize = 30 * 1024 * 1024;
/// Pages of a PDF read.
pub const MAX_PAGES: usize = 300;
/// Bytes of an office document's XML read once uncompressed (a ZIP bomb
/// stops here).
pub const MAX_XML: u64 = 40 * 1024 * 1024;
/// Characters of text kept per file.
pub const MAX_CHARS: usize = 300_000;

/// Whether files of this MIME type have text to extract.
pub fn extractable(mime: &str) -> bool {
    matches!(
        mime,
        "application/pdf"
            | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            | "application/vnd.oasis.opendocument.text"
    )
}

/// The text of a file of type `mime`, or why there is none.
pub fn extract(mime: &str, bytes: &[u8]) -> Result<String, String> {
    if bytes.len() > MAX_FILE {
        return Err(format!("larger than {} MB", MAX_FILE / 1024 / 1024));
    }
    let text = match mime {
        "application/pdf" => pdf(bytes)?,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            office(bytes, "word/document.xml", &[b"p", b"tr"], &[b"tab", b"br"])?
        }
        "application/vnd.oasis.opendocument.text" => office(
            bytes,
            "content.xml",
            &[b"p", b"h"],
            &[b"s", b"tab", b"line-break"],
        )?,
        other => return Err(format!("no text in {other}")),
    };
    Ok(tidy(&text))
}

/// Whitespace collapsed, NFC, control characters dropped, bounded.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for line in text.lines() {
        let line: String = line
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        if line.is_empty() {
            continue;
        }
        chars += line.chars().count() + 1;
        if chars > MAX_CHARS {
            break;
        }
        out.push_str(&line);
        out.push('\n');
    }
    crate::text::nfc(out.trim_end())
}

fn pdf(bytes: &[u8]) -> Result<String, String> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| format!("unreadable PDF: {e}"))?;
    if doc.is_encrypted() {
        return Err("encrypted PDF".into());
    }
    let pages: Vec<u32> = doc.get_pages().keys().take(MAX_PAGES).copied().collect();
    doc.extract_text(&pages)
        .map_err(|e| format!("no text in the PDF: {e}"))
}

/// The text of the XML part `part` of an office document: a line per
/// element named in `lines` (paragraphs), a space per element in `spaces`.
fn office(bytes: &[u8], part: &str, lines: &[&[u8]], spaces: &[&[u8]]) -> Result<String, String> {
    use quick_xml::events::Event;
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("not a document: {e}"))?;
    let file = zip
        .by_name(part)
        .map_err(|_| format!("no {part} in the document"))?;
    let mut xml = String::new();
    file.take(MAX_XML)
        .read_to_string(&mut xml)
        .map_err(|e| format!("unreadable {part}: {e}"))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Text(t)) => {
                if let Ok(s) = t.unescape() {
                    out.push_str(&s);
                }
            }
            Ok(Event::End(e)) if lines.contains(&e.local_name().as_ref()) => out.push('\n'),
            Ok(Event::Empty(e)) if spaces.contains(&e.local_name().as_ref()) => out.push(' '),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("malformed {part}: {e}")),
        }
        if out.len() > MAX_CHARS * 4 {
            break;
        }
    }
    Ok(out)
}

/// The stored texts of files `ids` (those extracted so far), by id.
pub async fn stored(db: &impl ConnectionTrait, ids: &[i32]) -> Result<Vec<media_text::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(media_text::Entity::find()
        .filter(media_text::Column::MediaId.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

/// Records what extraction gave for file `id`: its text, or why none.
pub async fn store(db: &impl ConnectionTrait, id: i32, outcome: &Result<String, String>) -> Result<()> {
    let (text, error) = match outcome {
        Ok(t) => (t.clone(), None),
        Err(e) => (String::new(), Some(e.chars().take(500).collect::<String>())),
    };
    media_text::Entity::insert(media_text::ActiveModel {
        media_id: Set(id),
        text: Set(text),
        error: Set(error),
        extracted_at: Set(crate::time::now()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(media_text::Column::MediaId)
            .update_columns([
                media_text::Column::Text,
                media_text::Column::Error,
                media_text::Column::ExtractedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A one-page PDF whose page draws `text` (ASCII) in Helvetica: the
/// smallest real PDF, for the tests of every crate and for trying search.
pub fn sample_pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docx_with(paragraphs: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let body: String = paragraphs
            .iter()
            .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
            .collect();
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_pdf_gives_its_words() {
        let text = extract("application/pdf", &sample_pdf("Muc luong huu toi thieu")).unwrap();
        assert!(text.contains("Muc luong huu toi thieu"), "{text}");
    }

    #[test]
    fn a_docx_gives_its_paragraphs_in_nfc() {
        let text = extract(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &docx_with(&["Điều 1. Phạm vi", "Điều 2. Đối tượng &amp; quyền"]),
        )
        .unwrap();
        assert_eq!(text, "Điều 1. Phạm vi\nĐiều 2. Đối tượng & quyền");
    }

    #[test]
    fn hostile_files_are_refused_without_harm() {
        assert!(
            extract(
                "application/pdf",
                b"%PDF-1.7\n1 0 obj << /Length 999999999 >> stream"
            )
            .is_err()
        );
        assert!(extract("application/pdf", &[0u8; 4096]).is_err());
        let mut truncated = sample_pdf("x");
        truncated.truncate(60);
        assert!(extract("application/pdf", &truncated).is_err());
        assert!(
            extract(
                "application/vnd.oasis.opendocument.text",
                b"PK\x03\x04 not really"
            )
            .is_err()
        );
        assert!(extract("image/png", b"\x89PNG").is_err());
    }
}
