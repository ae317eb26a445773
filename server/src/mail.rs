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

    pub fn dir(&self) -> &std::path::Path {
        &self.dir
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

/// The address inside `Name <address>`, or the whole value.
fn address_of(header: &str) -> &str {
    match (header.rfind('<'), header.rfind('>')) {
        (Some(a), Some(b)) if a < b => &header[a + 1..b],
        _ => header.trim(),
    }
}

fn header<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.split("\r\n\r\n")
        .next()?
        .split("\r\n")
        .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(": ")))
}

/// Sends what waits in the outbox through the SMTP relay, oldest first,
/// moving each sent message to `outbox/sent/`. A failure leaves the message
/// in place for the next round: nothing is lost and no request waits.
pub async fn deliver(dir: PathBuf, host: String, port: u16) {
    use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor, address::Envelope};
    let transport: AsyncSmtpTransport<Tokio1Executor> =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)
            .port(port)
            .build();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
    loop {
        tick.tick().await;
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        for path in files {
            let Ok(bytes) = std::fs::read(&path) else { continue };
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let (Some(from), Some(to)) = (header(&text, "From"), header(&text, "To")) else {
                tracing::error!(path = %path.display(), "message without From or To; left in the outbox");
                continue;
            };
            let envelope = match (address_of(from).parse(), address_of(to).parse()) {
                (Ok(f), Ok(t)) => Envelope::new(Some(f), vec![t]),
                _ => {
                    tracing::error!(path = %path.display(), "message with an invalid address; left in the outbox");
                    continue;
                }
            };
            let Ok(envelope) = envelope else { continue };
            match transport.send_raw(&envelope, &bytes).await {
                Ok(_) => {
                    let sent = dir.join("sent");
                    if std::fs::create_dir_all(&sent).is_ok()
                        && let Some(name) = path.file_name()
                    {
                        let _ = std::fs::rename(&path, sent.join(name));
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the mail relay refused or is down; retrying later");
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_come_from_the_headers() {
        let text =
            "From: Cong TTDT <noreply@vss.gov.vn>\r\nTo: a@example.vn\r\nSubject: x\r\n\r\nTo: not-a-header";
        assert_eq!(address_of(header(text, "From").unwrap()), "noreply@vss.gov.vn");
        assert_eq!(address_of(header(text, "To").unwrap()), "a@example.vn");
        assert_eq!(header(text, "Cc"), None);
    }

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
