//! Comments from the public on drafts put to consultation (section 15;
//! Đ11.1a): accepted only on a published draft inside its window, held
//! until a moderator publishes or rejects them with a reason (Đ13: nothing
//! against the law, no insults, no personal data of others), and exported
//! whole for the drafting unit once the window closes.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

use super::kinds::{CONSULTATION, Clock};
use super::{clock, public};
use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::entity::{draft_comment, entry};
use crate::error::{Error, Result};
use crate::text::{check_text, clean_line, nfc};

/// A comment as the public sends it.
#[derive(Clone, Debug, Default)]
pub struct NewComment {
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub clause: Option<String>,
    pub text: String,
    pub consent: bool,
    /// A file sent with the comment through the public form, already
    /// checked and kept ([`crate::media::Pipeline::keep`]).
    pub attachment: Option<crate::media::Kept>,
}

/// The largest file a comment may carry.
pub const ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// The files a comment may carry: documents (PDF, DOCX, DOC, ODT) and
/// photos of a page (JPEG, PNG).
pub fn attachment_accepted(mime: &str) -> bool {
    matches!(
        mime,
        "application/pdf"
            | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            | "application/msword"
            | "application/vnd.oasis.opendocument.text"
            | "image/jpeg"
            | "image/png"
    )
}

/// Checks a comment's fields without storing anything.
pub fn validate(c: &NewComment) -> Result<()> {
    check(c).map(|_| ())
}

/// Refuses a comment outside the window of the published draft `id`
/// before anything (a file) is kept for it.
pub async fn check_window(db: &impl ConnectionTrait, id: i32, now: DateTime<Utc>) -> Result<()> {
    let (opens_at, closes_at) = live_window(db, id).await?;
    if now < opens_at || now >= closes_at {
        return Err(Error::OutsideWindow { opens_at, closes_at });
    }
    Ok(())
}

/// One comment, whatever its state (callers check who may see what).
pub async fn comment(db: &impl ConnectionTrait, comment_id: i32) -> Result<Option<draft_comment::Model>> {
    Ok(draft_comment::Entity::find_by_id(comment_id).one(db).await?)
}

/// The published comment `comment_id` of draft `id` with a file, for the
/// public: nothing while it waits for moderation or was refused.
pub async fn published_attachment(
    db: &impl ConnectionTrait,
    id: i32,
    comment_id: i32,
) -> Result<draft_comment::Model> {
    live_window(db, id).await?;
    draft_comment::Entity::find_by_id(comment_id)
        .filter(draft_comment::Column::EntryId.eq(id))
        .filter(draft_comment::Column::State.eq(CommentState::Published.as_str()))
        .filter(draft_comment::Column::AttachmentSha256.is_not_null())
        .one(db)
        .await?
        .ok_or(Error::NotFound("attachment"))
}

/// A comment's file for staff who moderate the draft's comments.
pub async fn attachment_for_staff(
    db: &impl ConnectionTrait,
    who: &Account,
    id: i32,
    comment_id: i32,
) -> Result<draft_comment::Model> {
    may_moderate(who)?;
    draft_comment::Entity::find_by_id(comment_id)
        .filter(draft_comment::Column::EntryId.eq(id))
        .filter(draft_comment::Column::AttachmentSha256.is_not_null())
        .one(db)
        .await?
        .ok_or(Error::NotFound("attachment"))
}

/// A moderation state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentState {
    Pending,
    Published,
    Rejected,
}

impl CommentState {
    pub const ALL: [CommentState; 3] = [Self::Pending, Self::Published, Self::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Published => "published",
            Self::Rejected => "rejected",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Pending => "Chờ kiểm duyệt",
            Self::Published => "Đã đăng",
            Self::Rejected => "Không đăng",
        }
    }
}

impl std::str::FromStr for CommentState {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|c| c.as_str() == s).ok_or(())
    }
}

fn line(field: &str, s: &str, max: usize, required: bool) -> Result<Option<String>> {
    let s = clean_line(s);
    if s.is_empty() {
        return if required {
            Err(Error::invalid(field, "is required"))
        } else {
            Ok(None)
        };
    }
    if s.chars().count() > max {
        return Err(Error::invalid(field, format!("must be at most {max} characters")));
    }
    check_text(field, &s)?;
    Ok(Some(s))
}

/// Checks a comment field by field. Pure.
pub fn check(c: &NewComment) -> Result<NewComment> {
    let name = line("name", &c.name, 200, true)?.unwrap_or_default();
    let email = crate::text::email("email", &c.email)?;
    let organisation = line(
        "organisation",
        c.organisation.as_deref().unwrap_or(""),
        300,
        false,
    )?;
    let clause = line("clause", c.clause.as_deref().unwrap_or(""), 200, false)?;
    let text = nfc(c.text.trim());
    if text.is_empty() || text.chars().count() > 20_000 {
        return Err(Error::invalid("text", "must be 1 to 20000 characters"));
    }
    check_text("text", &text)?;
    if !c.consent {
        return Err(Error::invalid(
            "consent",
            "the processing of personal data needs your consent",
        ));
    }
    Ok(NewComment {
        name,
        email,
        organisation,
        clause,
        text,
        consent: true,
        attachment: c.attachment.clone(),
    })
}

/// The live draft `id` and its window, or not found.
async fn live_window(db: &impl ConnectionTrait, id: i32) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let found = public::live_all(db, &CONSULTATION, Some(&[id])).await?;
    let (_, data) = found.first().ok_or(Error::NotFound("draft"))?;
    debug_assert_eq!(CONSULTATION.clock, Some(Clock::Window));
    clock::window(data).ok_or(Error::NotFound("draft"))
}

/// Records a comment on the published draft `id` at `now`, pending
/// moderation; outside the window nothing is stored.
pub async fn submit(
    db: &impl ConnectionTrait,
    id: i32,
    c: &NewComment,
    now: DateTime<Utc>,
) -> Result<draft_comment::Model> {
    let c = check(c)?;
    check_window(db, id, now).await?;
    let file = c.attachment.clone();
    Ok(draft_comment::ActiveModel {
        entry_id: Set(id),
        name: Set(c.name),
        email: Set(c.email),
        organisation: Set(c.organisation),
        clause: Set(c.clause),
        text: Set(c.text),
        state: Set(CommentState::Pending.as_str().to_owned()),
        moderator_id: Set(None),
        reason: Set(None),
        moderated_at: Set(None),
        created_at: Set(now),
        attachment_sha256: Set(file.as_ref().map(|f| f.sha256.clone())),
        attachment_name: Set(file.as_ref().map(|f| f.file_name.clone())),
        attachment_mime: Set(file.as_ref().map(|f| f.mime.to_owned())),
        attachment_size: Set(file.as_ref().map(|f| f.size)),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Who moderates and exports a draft's comments: who may edit drafts,
/// and the board.
pub fn may_moderate(who: &Account) -> Result<()> {
    if CONSULTATION.may_read(&who.roles) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the drafts' editors and the board moderate comments".into(),
        ))
    }
}

/// The comments on draft `id`, oldest first, for staff.
pub async fn all(
    db: &impl ConnectionTrait,
    who: &Account,
    id: i32,
    state: Option<CommentState>,
) -> Result<Vec<draft_comment::Model>> {
    may_moderate(who)?;
    exists(db, id).await?;
    let mut q = draft_comment::Entity::find().filter(draft_comment::Column::EntryId.eq(id));
    if let Some(s) = state {
        q = q.filter(draft_comment::Column::State.eq(s.as_str()));
    }
    Ok(q.order_by_asc(draft_comment::Column::Id).all(db).await?)
}

async fn exists(db: &impl ConnectionTrait, id: i32) -> Result<()> {
    let n = entry::Entity::find_by_id(id)
        .filter(entry::Column::Kind.eq(CONSULTATION.name))
        .count(db)
        .await?;
    if n == 0 {
        return Err(Error::NotFound("draft"));
    }
    Ok(())
}

/// The published comments on draft `id`, oldest first, and how many were
/// received in all.
pub async fn published(db: &impl ConnectionTrait, id: i32) -> Result<(Vec<draft_comment::Model>, u64)> {
    let received = draft_comment::Entity::find()
        .filter(draft_comment::Column::EntryId.eq(id))
        .count(db)
        .await?;
    let shown = draft_comment::Entity::find()
        .filter(draft_comment::Column::EntryId.eq(id))
        .filter(draft_comment::Column::State.eq(CommentState::Published.as_str()))
        .order_by_asc(draft_comment::Column::Id)
        .all(db)
        .await?;
    Ok((shown, received))
}

/// Publishes or rejects comment `comment` of draft `id`; a rejection says
/// why. Audited; the draft's page follows through the change log.
pub async fn moderate(
    db: &DatabaseConnection,
    actor: &Actor,
    who: &Account,
    id: i32,
    comment: i32,
    publish: bool,
    reason: Option<&str>,
) -> Result<draft_comment::Model> {
    may_moderate(who)?;
    let c = draft_comment::Entity::find_by_id(comment)
        .filter(draft_comment::Column::EntryId.eq(id))
        .one(db)
        .await?
        .ok_or(Error::NotFound("comment"))?;
    let reason = line("reason", reason.unwrap_or(""), 1000, !publish)?;
    let to = if publish {
        CommentState::Published
    } else {
        CommentState::Rejected
    };
    let now = crate::time::now();
    let txn = sea_orm::TransactionTrait::begin(db).await?;
    draft_comment::Entity::update_many()
        .col_expr(draft_comment::Column::State, Expr::value(to.as_str()))
        .col_expr(draft_comment::Column::ModeratorId, Expr::value(Some(who.user.id)))
        .col_expr(draft_comment::Column::Reason, Expr::value(reason.clone()))
        .col_expr(draft_comment::Column::ModeratedAt, Expr::value(Some(now)))
        .filter(draft_comment::Column::Id.eq(c.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        "consultation.comment.moderate",
        Some(("draft_comment", c.id.to_string())),
        serde_json::json!({"draft": id, "state": to.as_str(), "reason": reason}),
    )
    .await?;
    if let Some(e) = entry::Entity::find_by_id(id).one(&txn).await?
        && let Some(section) = e.live_section_id
    {
        let lang = crate::sections::get(&txn, section).await?.lang();
        crate::changelog::append(
            &txn,
            CONSULTATION.name,
            id,
            crate::changelog::ChangeKind::Update,
            lang,
        )
        .await?;
    }
    txn.commit().await?;
    draft_comment::Entity::find_by_id(c.id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("comment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> NewComment {
        NewComment {
            name: " Nguyễn Văn A ".into(),
            email: "A@Example.vn".into(),
            organisation: Some(" ".into()),
            clause: Some("Điều 5, khoản 2".into()),
            text: "Đề nghị làm rõ.".into(),
            consent: true,
            attachment: None,
        }
    }

    #[test]
    fn a_comment_is_normalised() {
        let c = check(&ok()).unwrap();
        assert_eq!(c.name, "Nguyễn Văn A");
        assert_eq!(c.email, "a@example.vn");
        assert_eq!(c.organisation, None);
    }

    #[test]
    fn a_comment_needs_consent_a_name_an_address_and_text() {
        let field = |c: NewComment| match check(&c) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(NewComment {
                consent: false,
                ..ok()
            }),
            "consent"
        );
        assert_eq!(
            field(NewComment {
                name: " ".into(),
                ..ok()
            }),
            "name"
        );
        assert_eq!(
            field(NewComment {
                email: "a@b".into(),
                ..ok()
            }),
            "email"
        );
        assert_eq!(
            field(NewComment {
                text: "".into(),
                ..ok()
            }),
            "text"
        );
    }
}
