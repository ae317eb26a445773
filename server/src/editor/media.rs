//! Uploading from the post editor: the file goes through the one upload
//! pipeline and is used as the cover, inline in the body, or attached.

use std::collections::HashMap;

use content::posts::{self};
use poem::http::StatusCode;
use poem::web::{Data, Multipart, Path};
use poem::{Request, Response, handler};

use super::posts::{content_of, render_edit};
use super::session::{redirect, staff_or_return, status_of};
use crate::auth::actor;
use crate::state::AppState;

/// The fields and the file (name, bytes) of an upload form. A body over
/// the route's limit fails here, and is told as too large.
pub(super) async fn read_upload(
    multipart: &mut Multipart,
) -> Result<(HashMap<String, String>, Option<(String, Vec<u8>)>), content::Error> {
    let too_large = |_| {
        content::Error::invalid_in(
            "file",
            "the file is too large or the upload was interrupted",
            "Tệp quá lớn hoặc việc tải lên bị gián đoạn",
        )
    };
    let mut fields = HashMap::new();
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("file").to_owned();
            let bytes = field.bytes().await.map_err(too_large)?;
            if !bytes.is_empty() {
                file = Some((file_name, bytes));
            }
        } else {
            let value = field.text().await.map_err(too_large)?;
            fields.insert(name, content::text::nfc(&value));
        }
    }
    Ok((fields, file))
}

pub(super) fn no_file() -> content::Error {
    content::Error::invalid_in("file", "choose a file", "Hãy chọn một tệp")
}

/// A refusal of an upload, in the screen's language.
pub(super) fn refusal(e: &content::Error, lang: content::lang::Lang) -> (StatusCode, String) {
    (status_of(e), super::session::say(e, lang, "error", "not_found"))
}

/// Uploads a file from the post editor and uses it: as the cover, inline
/// in the body (`![alt](…)`), or as an attachment, saving a new revision.
#[handler]
pub async fn upload(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    mut multipart: Multipart,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let (fields, file) = match read_upload(&mut multipart).await {
        Ok(x) => x,
        Err(e) => return render_edit(&state, req, &p, &caller, id, Some(refusal(&e, p.lang)), None).await,
    };
    if fields.get("csrf").map(String::as_str) != Some(caller.csrf_token.as_str()) {
        return p.message(&state, req, StatusCode::FORBIDDEN, "csrf_failed").await;
    }
    let result = async {
        let (file_name, bytes) = file.ok_or_else(no_file)?;
        let upload = content::media::Upload {
            file_name,
            bytes,
            alt: fields.get("alt").cloned(),
            caption: fields.get("caption").cloned(),
            credit: fields.get("credit").cloned(),
        };
        let stored = state
            .media
            .ingest(&state.db, upload, caller.account.user.id)
            .await?;
        let m = stored.media;
        let full = posts::get(&state.db, id).await?;
        let base: i32 = fields
            .get("base_revision")
            .and_then(|b| b.parse().ok())
            .unwrap_or(full.revision.number);
        let mut c = content_of(&full);
        match fields.get("use").map(String::as_str) {
            Some("cover") if m.kind == "image" => c.cover_media_id = Some(m.id),
            Some("inline") if m.kind == "image" => {
                let alt = m.alt.clone().unwrap_or_default().replace(['[', ']'], "");
                let width = m.derivatives().iter().map(|d| d.width).max().unwrap_or(800);
                c.body = format!(
                    "{}\n\n![{alt}](/media/{}/{width}.webp)\n",
                    c.body.trim_end(),
                    m.id
                );
            }
            _ => {
                if !c.attachments.contains(&m.id) {
                    c.attachments.push(m.id);
                }
            }
        }
        posts::save(
            &state.db,
            &actor(&state, req, Some(&caller)),
            &caller.account,
            id,
            base,
            &c,
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect(&format!("/editor/posts/{id}?saved=1"))),
        Err(e) => render_edit(&state, req, &p, &caller, id, Some(refusal(&e, p.lang)), None).await,
    }
}
