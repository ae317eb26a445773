//! Outgoing mail. Each message is first written durably to
//! `data/outbox/` as an `.eml` file (RFC 5322), so a request never waits
//! on a mail server and no message is lost when one is down; the embedded
//! set-up and the tests read what was sent from there.

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// The mail of an editor's notifications: one line per post, each with
/// its editor link, in Vietnamese then English.
pub fn notification_letter(l: &content::notifications::Letter, base_url: &str) -> Mail {
    use content::lang::Lang;
    let base = base_url.trim_end_matches('/');
    let subject = match (l.digest, l.lines.as_slice()) {
        (false, [(kind, _, title)]) => format!("[Cổng TTĐT BHXH] {}: {title}", kind.sentence(Lang::Vi)),
        _ => "[Cổng TTĐT BHXH] Thông báo về tin bài / Notifications about posts".to_owned(),
    };
    let mut body = String::new();
    for (kind, id, title) in &l.lines {
        body.push_str(&format!(
            "- {} / {}:\n  {title}\n  {base}/editor/posts/{id}\n\n",
            kind.sentence(Lang::Vi),
            kind.sentence(Lang::En)
        ));
    }
    body.push_str(&format!(
        "Chọn nhận thư ngay hoặc một thư tổng hợp mỗi ngày / Choose mail at once or a daily digest: {base}/editor/notifications\n"
    ));
    Mail {
        to: l.to.clone(),
        subject,
        body,
    }
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
        let text = compose(&self.from, mail, now, &id);
        let path = self.dir.join(format!("{id}.eml"));
        let tmp = self.dir.join(format!(".{id}.tmp"));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        Ok(path)
    }
}

/// The message as RFC 5322 text.
fn compose(from: &str, mail: &Mail, at: chrono::DateTime<chrono::Utc>, id: &str) -> String {
    format!(
        "From: {from}\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: <{id}@portal>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
        mail.to,
        encode_header(&mail.subject),
        at.to_rfc2822(),
        mail.body.replace('\n', "\r\n")
    )
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

/// Sends what waits in the outbox through the SMTP relay, oldest first.
/// A message is first moved to `outbox/sending/` (claimed), then sent, then
/// moved to `outbox/sent/`. A relay failure puts it back for the next
/// round: nothing is lost and no request waits. A failed move after a
/// successful send is logged and leaves the message in `sending/`, which is
/// never read as a queue, so it is never delivered twice. Messages left in
/// `sending/` by a crash in mid-send are queued again at start-up (they
/// may reach the asker twice; never not at all).
pub async fn deliver(dir: PathBuf, host: String, port: u16) {
    use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
    let transport: AsyncSmtpTransport<Tokio1Executor> =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)
            .port(port)
            .build();
    requeue_interrupted(&dir);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
    loop {
        tick.tick().await;
        round(&dir, |envelope, bytes| {
            let transport = &transport;
            async move {
                transport
                    .send_raw(&envelope, &bytes)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        })
        .await;
    }
}

/// Puts messages whose delivery a crash interrupted back in the queue.
fn requeue_interrupted(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir.join("sending")) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        if let Some(name) = path.file_name() {
            tracing::warn!(path = %path.display(), "a delivery was interrupted; sending the message again");
            if let Err(e) = std::fs::rename(&path, dir.join(name)) {
                tracing::error!(path = %path.display(), error = %e, "cannot queue an interrupted message again");
            }
        }
    }
}

/// One pass over the outbox with `send`; stops at the first relay error.
async fn round<F, Fut>(dir: &Path, send: F)
where
    F: Fn(lettre::address::Envelope, Vec<u8>) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    use lettre::address::Envelope;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    let (sending, sent) = (dir.join("sending"), dir.join("sent"));
    for path in files {
        let Some(name) = path.file_name() else { continue };
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
        let claimed = sending.join(name);
        if let Err(e) = std::fs::create_dir_all(&sending).and_then(|()| std::fs::rename(&path, &claimed)) {
            tracing::error!(path = %path.display(), error = %e, "cannot claim a message for delivery; left in the outbox");
            continue;
        }
        match send(envelope, bytes).await {
            Ok(()) => {
                if let Err(e) =
                    std::fs::create_dir_all(&sent).and_then(|()| std::fs::rename(&claimed, sent.join(name)))
                {
                    tracing::error!(path = %claimed.display(), error = %e, "message delivered but not moved to outbox/sent; it stays in outbox/sending and is not sent again");
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "the mail relay refused or is down; retrying later");
                if let Err(e) = std::fs::rename(&claimed, &path) {
                    tracing::error!(path = %claimed.display(), error = %e, "cannot put an unsent message back in the outbox");
                }
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn queued(dir: &Path) -> Outbox {
        let outbox = Outbox::new(dir.to_path_buf(), "portal <noreply@example.vn>".into());
        outbox
            .send(&Mail {
                to: "a@example.vn".into(),
                subject: "s".into(),
                body: "b".into(),
            })
            .unwrap();
        outbox
    }

    fn relay(
        log: &Arc<Mutex<u32>>,
        ok: bool,
    ) -> impl Fn(lettre::address::Envelope, Vec<u8>) -> std::future::Ready<Result<(), String>> {
        let log = log.clone();
        move |_, _| {
            *log.lock().unwrap() += 1;
            std::future::ready(if ok { Ok(()) } else { Err("down".into()) })
        }
    }

    #[tokio::test]
    async fn a_failed_move_to_sent_never_sends_twice() {
        let dir = tempfile::tempdir().unwrap();
        queued(dir.path());
        std::fs::write(dir.path().join("sent"), "not a directory").unwrap();
        let sends = Arc::new(Mutex::new(0));
        round(dir.path(), relay(&sends, true)).await;
        round(dir.path(), relay(&sends, true)).await;
        assert_eq!(*sends.lock().unwrap(), 1);
        assert_eq!(std::fs::read_dir(dir.path().join("sending")).unwrap().count(), 1);
    }

    #[tokio::test]
    async fn a_relay_failure_keeps_the_message_queued() {
        let dir = tempfile::tempdir().unwrap();
        queued(dir.path());
        let sends = Arc::new(Mutex::new(0));
        round(dir.path(), relay(&sends, false)).await;
        round(dir.path(), relay(&sends, true)).await;
        assert_eq!(*sends.lock().unwrap(), 2);
        assert_eq!(std::fs::read_dir(dir.path().join("sent")).unwrap().count(), 1);
        assert_eq!(std::fs::read_dir(dir.path().join("sending")).unwrap().count(), 0);
    }

    #[tokio::test]
    async fn an_interrupted_delivery_is_queued_again() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sending")).unwrap();
        std::fs::write(
            dir.path().join("sending/x.eml"),
            "From: a@b.vn\r\nTo: c@d.vn\r\n\r\nx",
        )
        .unwrap();
        requeue_interrupted(dir.path());
        assert!(dir.path().join("x.eml").exists());
    }

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

    #[test]
    fn an_answer_mail_as_the_asker_gets_it() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T02:00:00Z")
            .unwrap()
            .to_utc();
        let mail = Mail {
            to: "nguoihoi@example.vn".into(),
            subject: "[BHXH Việt Nam] Trả lời câu hỏi ABCD234567".into(),
            body: "Kính gửi Nguyễn Văn A,\n\nCâu hỏi mã ABCD234567: Lương hưu\n\nTrả lời:\nMức lương hưu được điều chỉnh…\n".into(),
        };
        let text = compose(
            "Cổng TTĐT BHXH Việt Nam <noreply@baohiemxahoi.gov.vn>",
            &mail,
            at,
            "20261130T020000-abc123",
        );
        insta::assert_snapshot!("answer_mail", text.replace("\r\n", "\n"));
    }
}
