//! The asker's rating of the answer: satisfied or not, with an optional
//! comment, given once on the tracking page. The provincial offices survey
//! citizens' satisfaction with the answers they give
//! (provincial-departments-functions); the on-time report sums the ratings
//! per category and per answering unit.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::entity::question;
use crate::error::{Error, Result};
use crate::text::nfc;

/// Longest comment kept, in characters.
pub const MAX_COMMENT_CHARS: usize = 2_000;

/// Whether the asker may rate now: the answer has reached them (sent or
/// published) and they have not rated it yet.
pub fn may_rate(q: &question::Model) -> bool {
    q.answer.is_some() && (q.sent_at.is_some() || q.published_at.is_some()) && q.rated_at.is_none()
}

/// Records the rating of a question the caller found with its tracking
/// code and e-mail address ([`super::track`]). Once only: a second rating,
/// even sent at the same moment, is refused.
pub async fn rate(
    db: &impl ConnectionTrait,
    q: &question::Model,
    satisfied: bool,
    comment: Option<&str>,
) -> Result<question::Model> {
    if !(q.answer.is_some() && (q.sent_at.is_some() || q.published_at.is_some())) {
        return Err(Error::invalid_in(
            "rating",
            "the question has no answer to rate yet",
            "Câu hỏi chưa có câu trả lời để đánh giá.",
        ));
    }
    let comment = comment.map(|c| nfc(c.trim())).filter(|c| !c.is_empty());
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS)
    {
        return Err(Error::invalid_in(
            "rating_comment",
            format!("at most {MAX_COMMENT_CHARS} characters"),
            format!("Nhận xét tối đa {MAX_COMMENT_CHARS} ký tự."),
        ));
    }
    let now = crate::time::now();
    let done = question::Entity::update_many()
        .col_expr(question::Column::Satisfied, Expr::value(satisfied))
        .col_expr(question::Column::RatingComment, Expr::value(comment))
        .col_expr(question::Column::RatedAt, Expr::value(now))
        .filter(question::Column::Id.eq(q.id))
        .filter(question::Column::RatedAt.is_null())
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(Error::Conflict("the answer was already rated".into()));
    }
    super::get(db, q.id).await
}
