//! Outgoing mail. Each message is first written durably to
//! `data/outbox/` as an `.eml` file (RFC 5322), so a request never waits
//! on a mail server and no message is lost when one is down; the embedded
//! set-up and the tests read what was sent from there.

use std::io::Write;
use std::path::PathBuf;

use content::questions::Mail;

pub struct Outbox {
    dir: PathBuf,
    from: String,
}

/// Encodes a header value as RFC 2047 UTF-8 base64 when it is not ASCII.
fn encode_header(v: &str) -> String {
    if v.is_ascii() {
        return v.to_owned();
    }
    use std::fmt::Write as _;
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = v.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    let mut header = String::new();
    let _ = write!(header, "=?UTF-8?B?{out}?=");
    header
}

impl Outbox {
    pub fn new(dir: PathBuf, from: String) -> Self {
        Outbox { dir, from }
    }

    /// Writes the message atomically (temporary file, fsync, rename).
    pub fn send(&self, mail: &Mail) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&self.dir)?;
        let now = chrono::Utc::now();
        let id = format!(
            "{}-{}",
            now.format("%Y%m%dT%H%M%S%.6f"),
            content::accounts::random_token(6)
        );
        let text = format!(
            "From: {}\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: <{id}@portal>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
            self.from,
            mail.to,
            encode_header(&mail.subject),
            now.to_rfc2822(),
            mail.body.replace('\n', "\r\n")
        );
        let path = self.dir.join(format!("{id}.eml"));
        let tmp = self.dir.join(format!(".{id}.tmp"));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_subjects_are_encoded() {
        assert_eq!(encode_header("Hello"), "Hello");
        assert_eq!(encode_header("Đã"), "=?UTF-8?B?xJDDow==?=");
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::new(dir.path().to_path_buf(), "portal <noreply@example.vn>".into());
        let path = outbox
            .send(&Mail {
                to: "a@example.vn".into(),
                subject: "Trả lời".into(),
                body: "Nội dung\ndòng 2".into(),
            })
            .unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains("To: a@example.vn\r\n"));
        assert!(text.contains("Nội dung\r\ndòng 2"));
    }
}
