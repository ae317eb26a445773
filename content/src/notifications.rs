//! Telling people about posts: the people who can approve the next step
//! that a post waits for them, and a post's authors that changes were
//! asked or that it was approved, published or withdrawn. Notifications
//! are written in the transaction of the move, so none is lost or sent
//! for a move that did not happen; the server mails them (at once, or in
//! one daily digest, as each user chooses) and the editor lists them.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entity::{notification, post, user};
use crate::error::Result;
use crate::lang::Lang;
use crate::posts::{Author, Full};
use crate::workflow::{Outcome, State};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A post waits for a step the user can approve.
    Waiting,
    ChangesRequested,
    Approved,
    Published,
    Withdrawn,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Waiting,
        Kind::ChangesRequested,
        Kind::Approved,
        Kind::Published,
        Kind::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Waiting => "waiting",
            Kind::ChangesRequested => "changes_requested",
            Kind::Approved => "approved",
            Kind::Published => "published",
            Kind::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The sentence a screen or a mail says, before the post's title.
    pub fn sentence(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Kind::Waiting, Lang::Vi) => "Tin bài chờ bạn duyệt",
            (Kind::ChangesRequested, Lang::Vi) => "Tin bài của bạn được yêu cầu sửa",
            (Kind::Approved, Lang::Vi) => "Tin bài của bạn đã được duyệt",
            (Kind::Published, Lang::Vi) => "Tin bài của bạn đã được xuất bản",
            (Kind::Withdrawn, Lang::Vi) => "Tin bài của bạn đã bị gỡ khỏi Cổng",
            (Kind::Waiting, Lang::En) => "A post waits for your approval",
            (Kind::ChangesRequested, Lang::En) => "Changes were requested to your post",
            (Kind::Approved, Lang::En) => "Your post was approved",
            (Kind::Published, Lang::En) => "Your post was published",
            (Kind::Withdrawn, Lang::En) => "Your post was withdrawn from the portal",
        }
    }

    /// Who hears of a move, and as what: the next step's approvers when
    /// the post waits, its authors when their post changes fate.
    fn of(outcome: &Outcome) -> Option<Kind> {
        match outcome.to {
            State::Submitted | State::InReview => Some(Kind::Waiting),
            State::ChangesRequested => Some(Kind::ChangesRequested),
            _ if outcome.go_live => Some(Kind::Published),
            _ if outcome.take_down => Some(Kind::Withdrawn),
            State::Approved | State::Scheduled => Some(Kind::Approved),
            _ => None,
        }
    }
}

/// Records what `outcome` tells whom, in the move's transaction: `full`
/// is the post before the move; `actor_id` is not told of their own act.
pub async fn record_move(
    db: &impl ConnectionTrait,
    full: &Full,
    outcome: &Outcome,
    actor_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(kind) = Kind::of(outcome) else {
        return Ok(());
    };
    let mut to: BTreeSet<i32> = BTreeSet::new();
    if kind == Kind::Waiting {
        let moved = crate::posts::get(db, full.post.id).await?;
        if let Some(w) = crate::posts::waiting_for(db, &moved).await? {
            to.extend(w.can_act.iter().map(|(a, _)| a.user.id));
        }
    } else {
        to.insert(full.post.creator_id);
        to.extend(full.authors().into_iter().filter_map(|a| match a {
            Author::User { user_id } => Some(user_id),
            Author::Name { .. } => None,
        }));
    }
    if let Some(a) = actor_id {
        to.remove(&a);
    }
    for user_id in to {
        notification::ActiveModel {
            user_id: Set(user_id),
            post_id: Set(full.post.id),
            kind: Set(kind.as_str().to_owned()),
            actor_id: Set(actor_id),
            created_at: Set(now),
            read_at: Set(None),
            mailed_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A user's newest notifications, unread first.
pub async fn of_user(
    db: &impl ConnectionTrait,
    user_id: i32,
    limit: u64,
) -> Result<Vec<notification::Model>> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .order_by(
            sea_orm::ExprTrait::is_null(Expr::col(notification::Column::ReadAt)),
            sea_orm::Order::Desc,
        )
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

pub async fn unread_count(db: &impl ConnectionTrait, user_id: i32) -> Result<u64> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// Marks read what `user_id` was told (about `post_id`, or everything).
pub async fn mark_read(db: &impl ConnectionTrait, user_id: i32, post_id: Option<i32>) -> Result<()> {
    let mut q = notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            Expr::value(Some(crate::time::now())),
        )
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(p) = post_id {
        q = q.filter(notification::Column::PostId.eq(p));
    }
    q.exec(db).await?;
    Ok(())
}

/// Chooses mail at once (`false`) or one daily digest (`true`).
pub async fn set_digest(db: &impl ConnectionTrait, user_id: i32, digest: bool) -> Result<()> {
    user::Entity::update_many()
        .col_expr(user::Column::NotifyDigest, Expr::value(digest))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A mail to write: to whom, and the notifications it carries (with the
/// posts' titles).
#[derive(Clone, Debug)]
pub struct Letter {
    pub to: String,
    pub digest: bool,
    /// (kind, post id, title)
    pub lines: Vec<(Kind, i32, String)>,
}

/// Claims the notifications due by mail now and groups them per person:
/// those of users who chose immediate mail, and, when `digest_day` is
/// set, those of digest users too. Each is claimed by a conditional
/// update, so two nodes never mail the same one; users without an e-mail
/// address are marked without mail (the editor still lists them).
pub async fn claim_mail(db: &impl ConnectionTrait, digest_day: bool) -> Result<Vec<Letter>> {
    let pending = notification::Entity::find()
        .filter(notification::Column::MailedAt.is_null())
        .order_by_asc(notification::Column::Id)
        .limit(5000)
        .all(db)
        .await?;
    let mut letters: Vec<(i32, Letter)> = Vec::new();
    let now = crate::time::now();
    for n in pending {
        let Some(u) = user::Entity::find_by_id(n.user_id).one(db).await? else {
            continue;
        };
        if u.notify_digest && !digest_day {
            continue;
        }
        let claimed = notification::Entity::update_many()
            .col_expr(notification::Column::MailedAt, Expr::value(Some(now)))
            .filter(notification::Column::Id.eq(n.id))
            .filter(notification::Column::MailedAt.is_null())
            .exec(db)
            .await?;
        let (true, Some(email), false) = (claimed.rows_affected == 1, u.email.clone(), u.disabled) else {
            continue;
        };
        let Some(kind) = Kind::parse(&n.kind) else {
            continue;
        };
        let title = match post::Entity::find_by_id(n.post_id).one(db).await? {
            Some(p) => crate::entity::revision::Entity::find_by_id(p.revision_id)
                .one(db)
                .await?
                .map(|r| r.title)
                .unwrap_or_default(),
            None => continue,
        };
        match letters.iter_mut().find(|(id, _)| *id == u.id) {
            Some((_, l)) => l.lines.push((kind, n.post_id, title)),
            None => letters.push((
                u.id,
                Letter {
                    to: email,
                    digest: u.notify_digest,
                    lines: vec![(kind, n.post_id, title)],
                },
            )),
        }
    }
    Ok(letters.into_iter().map(|(_, l)| l).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(to: State, go_live: bool, take_down: bool) -> Outcome {
        Outcome {
            to,
            step: None,
            on_behalf_of: None,
            go_live,
            take_down,
        }
    }

    #[test]
    fn each_move_tells_what_its_readers_need() {
        assert_eq!(
            Kind::of(&outcome(State::Submitted, false, false)),
            Some(Kind::Waiting)
        );
        assert_eq!(
            Kind::of(&outcome(State::InReview, false, false)),
            Some(Kind::Waiting)
        );
        assert_eq!(
            Kind::of(&outcome(State::ChangesRequested, false, false)),
            Some(Kind::ChangesRequested)
        );
        assert_eq!(
            Kind::of(&outcome(State::Approved, false, false)),
            Some(Kind::Approved)
        );
        assert_eq!(
            Kind::of(&outcome(State::Published, true, false)),
            Some(Kind::Published)
        );
        assert_eq!(
            Kind::of(&outcome(State::Unpublished, false, true)),
            Some(Kind::Withdrawn)
        );
        assert_eq!(Kind::of(&outcome(State::Draft, false, false)), None);
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
    }
}
