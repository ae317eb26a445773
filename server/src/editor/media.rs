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
use crate::problem::ApiError;
use crate::state::AppState;

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
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("file").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::bad_request(e.to_string()))?;
            file = Some((file_name, bytes));
        } else {
            let value = field
                .text()
                .await
                .map_err(|e| ApiError::bad_request(e.to_string()))?;
            fields.insert(name, content::text::nfc(&value));
        }
    }
    if fields.get("csrf").map(String::as_str) != Some(caller.csrf_token.as_str()) {
        return p.message(&state, req, StatusCode::FORBIDDEN, "csrf_failed").await;
    }
    let result = async {
        let (file_name, bytes) = file.ok_or_else(|| content::Error::invalid("file", "choose a file"))?;
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
        Err(e) => {
            render_edit(
                &state,
                req,
                &p,
                &caller,
                id,
                Some((status_of(&e), e.to_string())),
                None,
            )
            .await
        }
    }
}
