//! Legal documents, drafts for public consultation and their comments
//! over the API (Đ11.1a; Decree 42/2022/NĐ-CP art. 4). Each kind's fields
//! are an object here with the limits of its declaration in
//! `content::entries::kinds`; the operations are [`entries_api!`]'s, and a
//! draft's comments have their own: anyone may comment inside the window,
//! the drafts' editors and the board moderate and export.

use content::entries::comments::{self, CommentState, NewComment};
use content::entries::{CONSULTATION, LEGAL_DOCUMENT};
use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::Tag;
use super::download::{Download, SpreadsheetFormat};
use super::entries::{choice_lists, entries_api};
use super::types::{Agreed, Day, Keyword, Line, Moment, Text};
use crate::auth::require;
use crate::body_limit::allow_import;
use crate::problem::ApiError;
use crate::state::AppState;

choice_lists! {
    DocumentForms => "DocumentForm", LEGAL_DOCUMENT."form";
    DocumentStatuses => "DocumentStatus", LEGAL_DOCUMENT."status";
    WindowStatuses => "ConsultationStatus", CONSULTATION."status";
}

/// A legal document: number and symbol, form, issuer, signer, dates,
/// status, field, abstract, files, relations, full text.
#[derive(Object)]
pub struct DocumentFields {
    /// The section it is filed under: "Hệ thống văn bản" or one of its
    /// items, "Chỉ đạo, điều hành", or the English "Legal Documents"; the
    /// first by default.
    #[oai(nullable)]
    pub section_id: Option<i32>,
    /// Số ký hiệu, e.g. `166/2016/NĐ-CP`; unique.
    #[oai(validator(pattern = r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ._/-]{0,49}$"))]
    pub number: Text,
    #[oai(validator(max_length = 500))]
    pub title: Line,
    pub form: Keyword<DocumentForms>,
    #[oai(validator(max_length = 200))]
    pub issuer: Line,
    #[oai(nullable, validator(max_length = 200))]
    pub signer: Option<Text>,
    pub issued_on: Day,
    #[oai(nullable)]
    pub effective_from: Option<Day>,
    /// In responses, the status today, computed from the dates and the
    /// documents replacing it. In requests, what the editor declares:
    /// `partly_expired` or `expired` hold; the dates decide the rest.
    #[oai(nullable)]
    pub status: Option<Keyword<DocumentStatuses>>,
    #[oai(nullable)]
    pub expired_on: Option<Day>,
    /// The field (lĩnh vực).
    #[oai(nullable, validator(max_length = 200))]
    pub field: Option<Text>,
    /// Trích yếu (Markdown).
    #[oai(nullable, validator(max_length = 50000))]
    pub summary: Option<Text>,
    /// Files of the media library (PDF, DOC/DOCX, ODT).
    #[oai(default, nullable, validator(max_items = 50, minimum(value = "1")))]
    pub files: Vec<i32>,
    /// Numbers of the documents it replaces.
    #[oai(
        default,
        nullable,
        validator(max_items = 100, pattern = r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ._/-]{0,49}$")
    )]
    pub replaces: Vec<Text>,
    #[oai(
        default,
        nullable,
        validator(max_items = 100, pattern = r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ._/-]{0,49}$")
    )]
    pub replaced_by: Vec<Text>,
    #[oai(
        default,
        nullable,
        validator(max_items = 100, pattern = r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ._/-]{0,49}$")
    )]
    pub amends: Vec<Text>,
    #[oai(
        default,
        nullable,
        validator(max_items = 100, pattern = r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ._/-]{0,49}$")
    )]
    pub amended_by: Vec<Text>,
    /// Numbers of the documents it guides.
    #[oai(
        default,
        nullable,
        validator(max_items = 100, pattern = r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ._/-]{0,49}$")
    )]
    pub guides: Vec<Text>,
    /// The full text (Markdown).
    #[oai(nullable, validator(max_length = 500000))]
    pub full_text: Option<Text>,
    /// The year of issue: computed, ignored in requests.
    #[oai(nullable)]
    pub year: Option<String>,
}

/// A draft put to public consultation: its window (RFC 3339), its
/// drafting unit, its text and files, and the response published after
/// the window closes.
#[derive(Object)]
pub struct ConsultationFields {
    #[oai(validator(max_length = 500))]
    pub title: Line,
    #[oai(nullable, validator(max_length = 50000))]
    pub summary: Option<Text>,
    /// The draft's text (Markdown).
    #[oai(nullable, validator(max_length = 500000))]
    pub body: Option<Text>,
    pub drafting_unit_id: i32,
    pub opens_at: Moment,
    /// After `opens_at`.
    pub closes_at: Moment,
    #[oai(default, nullable, validator(max_items = 50, minimum(value = "1")))]
    pub files: Vec<i32>,
    /// Báo cáo tiếp thu, giải trình (Markdown).
    #[oai(nullable, validator(max_length = 50000))]
    pub response: Option<Text>,
    #[oai(default, nullable, validator(max_items = 50, minimum(value = "1")))]
    pub response_files: Vec<i32>,
    /// `upcoming`, `open` or `closed`: computed from the window, ignored
    /// in requests.
    #[oai(nullable)]
    pub status: Option<Keyword<WindowStatuses>>,
}

entries_api!(
    DocumentsApi, "Tag::Documents", LEGAL_DOCUMENT, DocumentFields, DocumentView, DocumentMoved, DocumentCreated,
    DocumentSave,
    list: "/documents", one: "/documents/:id", transitions: "/documents/:id/transitions",
    versions: "/documents/:id/versions", diff: "/documents/:id/diff", import: "/documents/import",
    filters: [form: Keyword<DocumentForms>, issuer: String, field: String]
);

entries_api!(
    ConsultationsApi, "Tag::Documents", CONSULTATION, ConsultationFields, ConsultationView, ConsultationMoved,
    ConsultationCreated, ConsultationSave,
    list: "/consultations", one: "/consultations/:id", transitions: "/consultations/:id/transitions",
    versions: "/consultations/:id/versions", diff: "/consultations/:id/diff", import: "/consultations/import",
    filters: []
);

/// A comment on a draft, as the public sends it.
#[derive(Object)]
struct DraftCommentInput {
    #[oai(validator(max_length = 200))]
    name: Line,
    #[oai(validator(
        pattern = r"^[^@\s\x00-\x1F\x7F-\x9F]+@[^@\s\x00-\x1F\x7F-\x9F]*\.[^@\s\x00-\x1F\x7F-\x9F]*$",
        max_length = 254
    ))]
    email: Text,
    #[oai(nullable, validator(max_length = 300))]
    organisation: Option<Text>,
    /// The article or clause commented on.
    #[oai(nullable, validator(max_length = 200))]
    clause: Option<Text>,
    #[oai(validator(max_length = 20000))]
    text: Text,
    /// Consent to the processing of personal data.
    consent: Agreed,
    /// Leave empty: a field people do not see, filled only by robots.
    #[oai(nullable, validator(max_length = 300))]
    website: Option<Text>,
}

/// A comment received (its moderation pending).
#[derive(Object)]
struct DraftCommentReceived {
    id: i32,
    state: String,
    created_at: String,
}

/// A comment as staff see it.
#[derive(Object)]
struct DraftCommentView {
    id: i32,
    name: String,
    email: String,
    #[oai(nullable)]
    organisation: Option<String>,
    #[oai(nullable)]
    clause: Option<String>,
    text: String,
    /// `pending`, `published` or `rejected`.
    state: String,
    #[oai(nullable)]
    moderator_id: Option<i32>,
    #[oai(nullable)]
    reason: Option<String>,
    #[oai(nullable)]
    moderated_at: Option<String>,
    created_at: String,
    /// The file sent with the comment (PDF, DOCX, DOC, ODT, JPEG or PNG),
    /// at `/consultation-files/{id}`: for staff until the comment is
    /// published.
    #[oai(nullable)]
    attachment_name: Option<String>,
    #[oai(nullable)]
    attachment_size: Option<i64>,
    #[oai(nullable)]
    attachment_url: Option<String>,
}

#[derive(poem_openapi::Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
enum ModerationDecision {
    Publish,
    Reject,
}

#[derive(Object)]
struct DraftModeration {
    decision: ModerationDecision,
    /// Why it is rejected (required to reject): against the law, insulting,
    /// personal data of others (Đ13).
    #[oai(nullable, validator(max_length = 1000))]
    reason: Option<Text>,
}

#[derive(poem_openapi::Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
enum DraftCommentState {
    Pending,
    Published,
    Rejected,
}

#[derive(ApiResponse)]
enum Received {
    /// Received, waiting for moderation.
    #[oai(status = 201)]
    Created(Json<DraftCommentReceived>),
}

fn draft_comment_view(c: content::entity::draft_comment::Model) -> DraftCommentView {
    DraftCommentView {
        id: c.id,
        name: c.name,
        email: c.email,
        organisation: c.organisation,
        clause: c.clause,
        text: c.text,
        state: c.state,
        moderator_id: c.moderator_id,
        reason: c.reason,
        moderated_at: c.moderated_at.map(content::time::rfc3339_vn),
        created_at: content::time::rfc3339_vn(c.created_at),
        attachment_url: c
            .attachment_name
            .as_ref()
            .map(|_| format!("/consultation-files/{}", c.id)),
        attachment_name: c.attachment_name,
        attachment_size: c.attachment_size,
    }
}

pub struct CommentsApi(pub AppState);

#[OpenApi(tag = "Tag::Documents")]
impl CommentsApi {
    /// Comment on a published draft (public) inside its window: outside
    /// it the answer is 409 with `opens_at` and `closes_at`, and nothing
    /// is stored. Rate-limited per client address with the other public
    /// forms; the comment shows once a moderator publishes it.
    #[oai(path = "/consultations/:id/comments", method = "post")]
    async fn comment(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<DraftCommentInput>,
    ) -> Result<Received, ApiError> {
        let st = &self.0;
        if let Some(ip) = crate::net::client_ip(req, &st.config.trusted_proxies)
            && !st.ask_limit.check(ip)
        {
            return Err(ApiError::too_many(
                "rate-limited",
                "too many comments from this address; try again later",
                3600,
            ));
        }
        body.consent.check("consent")?;
        let now = content::time::now();
        let b = body.0;
        if content::questions::intake::is_honeypot_filled(b.website.as_ref().map(|s| s.as_str())) {
            return Ok(Received::Created(Json(DraftCommentReceived {
                id: 0,
                state: CommentState::Pending.as_str().to_owned(),
                created_at: content::time::rfc3339_vn(now),
            })));
        }
        let c = NewComment {
            attachment: None,
            name: b.name.into(),
            email: b.email.into(),
            organisation: b.organisation.map(String::from),
            clause: b.clause.map(String::from),
            text: b.text.into(),
            consent: true,
        };
        let saved = comments::submit(&st.db, id.0, &c, now).await?;
        Ok(Received::Created(Json(DraftCommentReceived {
            id: saved.id,
            state: saved.state,
            created_at: content::time::rfc3339_vn(saved.created_at),
        })))
    }

    /// The comments on a draft, oldest first (the drafts' editors and the
    /// board).
    #[oai(path = "/consultations/:id/comments", method = "get")]
    async fn comments(
        &self,
        req: &Request,
        id: Path<i32>,
        state: Query<Option<DraftCommentState>>,
    ) -> Result<Json<Vec<DraftCommentView>>, ApiError> {
        let caller = require(&self.0, req).await?;
        let state = state.0.map(|s| match s {
            DraftCommentState::Pending => CommentState::Pending,
            DraftCommentState::Published => CommentState::Published,
            DraftCommentState::Rejected => CommentState::Rejected,
        });
        let all = comments::all(&self.0.db, &caller.account, id.0, state).await?;
        Ok(Json(all.into_iter().map(draft_comment_view).collect()))
    }

    /// Publish or reject a comment; a rejection says why (Đ13).
    #[oai(path = "/consultations/:id/comments/:comment_id/moderation", method = "post")]
    async fn moderate(
        &self,
        req: &Request,
        id: Path<i32>,
        comment_id: Path<i32>,
        body: Json<DraftModeration>,
    ) -> Result<Json<DraftCommentView>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let who = crate::auth::actor(st, req, Some(&caller));
        let c = comments::moderate(
            &st.db,
            &who,
            &caller.account,
            id.0,
            comment_id.0,
            body.decision == ModerationDecision::Publish,
            body.reason.as_ref().map(|r| r.as_str()),
        )
        .await?;
        st.public_changed().await;
        Ok(Json(draft_comment_view(c)))
    }

    /// Every comment of a draft as a spreadsheet (CSV or XLSX), for the
    /// drafting unit's response.
    #[oai(path = "/consultations/:id/comments/export", method = "get")]
    async fn export(
        &self,
        req: &Request,
        id: Path<i32>,
        format: Query<SpreadsheetFormat>,
    ) -> Result<Download, ApiError> {
        let caller = require(&self.0, req).await?;
        let all = comments::all(&self.0.db, &caller.account, id.0, None).await?;
        let table = crate::spreadsheet::comment_table(&all);
        let name = format!("gop-y-du-thao-{}", id.0);
        match format.0 {
            SpreadsheetFormat::Csv => Download::csv(&table, &name),
            SpreadsheetFormat::Xlsx => Download::xlsx(&table, &name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem_openapi::types::ParseFromJSON;

    #[test]
    fn stored_documents_read_back_with_their_derived_values() {
        let v = serde_json::json!({"number": "166/2016/NĐ-CP", "title": "T", "form": "decree", "issuer": "Chính phủ", "issued_on": "2016-12-30", "status": "in_force", "year": "2016"});
        if let Err(e) = DocumentFields::parse_from_json(Some(v)) {
            panic!("{}", e.message());
        }
        let v = serde_json::json!({"title": "T", "drafting_unit_id": 1, "opens_at": "2026-12-01T08:00:00+07:00", "closes_at": "2026-12-31T08:00:00+07:00", "status": "open"});
        if let Err(e) = ConsultationFields::parse_from_json(Some(v)) {
            panic!("{}", e.message());
        }
    }
}
