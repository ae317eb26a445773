//! Moving a post through its section's approval chain (Đ6.2a, Đ7.1b–c,
//! Đ8): the decisions are [`crate::workflow`]'s; this module applies them
//! with a conditional update, records the transition and, when the public
//! view changes, appends to the change log, in one transaction. Scheduled
//! publication and withdrawal run here too.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use super::{Author, Full, get};
use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::changelog::{self, ChangeKind};
use crate::entity::{post, revision, transition};
use crate::error::{Error, Result};
use crate::text::nfc;
use crate::workflow::{self, Action, Facts, Outcome, Refusal, State, Who};

/// Images used by a revision that lack alt text; they block publication
/// (accessibility, Thông tư 32/2017 Đ18).
pub(super) async fn images_without_alt(
    db: &impl ConnectionTrait,
    rev: &revision::Model,
) -> Result<Vec<String>> {
    let mut missing = Vec::new();
    if let Some(id) = rev.cover_media_id
        && let Ok(m) = crate::media::get(db, id).await
        && m.alt.as_deref().unwrap_or("").is_empty()
    {
        missing.push(format!("cover image {id}"));
    }
    let parser = pulldown_cmark::Parser::new(&rev.body);
    let mut in_image = false;
    let mut alt = String::new();
    let mut dest = String::new();
    for ev in parser {
        match ev {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { dest_url, .. }) => {
                in_image = true;
                alt.clear();
                dest = dest_url.to_string();
            }
            pulldown_cmark::Event::Text(t) if in_image => alt.push_str(&t),
            pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Image) => {
                in_image = false;
                if alt.trim().is_empty() {
                    missing.push(format!("image {dest}"));
                }
            }
            _ => {}
        }
    }
    let attached: Vec<i32> = serde_json::from_str(&rev.attachments).unwrap_or_default();
    for id in attached {
        if let Ok(m) = crate::media::get(db, id).await
            && m.kind == "image"
            && m.alt.as_deref().unwrap_or("").is_empty()
        {
            missing.push(format!("attached image {id}"));
        }
    }
    Ok(missing)
}

/// The transition's result as the API reports it.
#[derive(Clone, Debug)]
pub struct Moved {
    pub full: Full,
    pub transition: transition::Model,
}

pub(super) fn facts_for<'a>(
    full: &'a Full,
    chain: &'a [workflow::Step],
    author_ids: &'a [i32],
    writer_ids: &'a [i32],
    comment: Option<&'a str>,
    now: DateTime<Utc>,
) -> Facts<'a> {
    let authors = full.authors();
    let has_author = !authors.is_empty();
    let has_source = full.revision.source.as_deref().is_some_and(|s| !s.is_empty());
    Facts {
        policy: &crate::workflow::POSTS,
        state: full.state(),
        step: full.post.step.map(|s| s as usize),
        chain,
        creator_id: full.post.creator_id,
        author_ids,
        writer_ids,
        live: full.post.live_revision_id.is_some(),
        publish_at_future: full.post.publish_at.is_some_and(|t| t > now),
        citation_ok: !full.revision.reuses_information || (has_author && has_source),
        comment,
    }
}

pub(super) fn author_ids(full: &Full) -> Vec<i32> {
    full.authors()
        .into_iter()
        .filter_map(|a| match a {
            Author::User { user_id } => Some(user_id),
            Author::Name { .. } => None,
        })
        .collect()
}

/// Who wrote a revision since the last approval: every revision of a post
/// never published, a correction's revisions since the live one.
async fn writer_ids(db: &impl ConnectionTrait, full: &Full) -> Result<Vec<i32>> {
    let mut q = revision::Entity::find()
        .select_only()
        .column(revision::Column::CreatedBy)
        .distinct()
        .filter(revision::Column::PostId.eq(full.post.id));
    if let Some(live) = full.post.live_revision_id {
        q = q.filter(revision::Column::Id.gt(live));
    }
    Ok(q.into_tuple::<i32>().all(db).await?)
}

/// The actions `who` may take on the post now.
pub async fn allowed_actions(db: &impl ConnectionTrait, full: &Full, who: &Account) -> Result<Vec<Action>> {
    let chain = crate::chains::chain(db, full.post.section_id).await?;
    let lent =
        crate::delegations::lent_to(db, who.user.id, crate::time::today_vn(), full.post.section_id).await?;
    let ids = author_ids(full);
    let writers = writer_ids(db, full).await?;
    let facts = facts_for(full, &chain, &ids, &writers, None, crate::time::now());
    let w = Who {
        user_id: who.user.id,
        roles: &who.roles,
        unit_id: who.user.unit_id,
        lent: &lent,
    };
    Ok(workflow::allowed(&facts, &w))
}

/// The step a post in review waits at, and who may decide it now.
#[derive(Clone, Debug)]
pub struct Waiting {
    /// 1-based.
    pub step: usize,
    pub steps: usize,
    /// What the step needs: a role, and a unit when the chain names one.
    pub needs: workflow::Step,
    /// The accounts that may approve now, each with the holder of the role
    /// when they act by delegation (Đ6.3b).
    pub can_act: Vec<(Account, Option<i32>)>,
    /// Whether any active account holds the step's role (in its unit, when
    /// set) at all, lent or not: when none does, the chain is stuck.
    pub anyone_holds: bool,
}

/// Who acts next on a post waiting for approval (`None` when it waits for
/// nobody): the step, its role and unit, and every active account the
/// workflow would let approve it now, delegations included. Computed with
/// the same rule as [`allowed_actions`], so the screen and the refusal
/// never disagree.
pub async fn waiting_for(db: &impl ConnectionTrait, full: &Full) -> Result<Option<Waiting>> {
    let (Some(step), true) = (full.post.step, full.state().awaiting_approval()) else {
        return Ok(None);
    };
    let chain = crate::chains::chain(db, full.post.section_id).await?;
    let Some(needs) = chain.get((step as usize).saturating_sub(1)).cloned() else {
        return Ok(None);
    };
    let ids = author_ids(full);
    let writers = writer_ids(db, full).await?;
    let facts = facts_for(full, &chain, &ids, &writers, None, crate::time::now());
    let today = crate::time::today_vn();
    let mut can_act = Vec::new();
    let mut anyone_holds = false;
    for account in crate::accounts::list(db).await? {
        if account.user.disabled {
            continue;
        }
        if account.roles.has(needs.role) && needs.unit_id.is_none_or(|u| account.user.unit_id == Some(u)) {
            anyone_holds = true;
        }
        let lent = crate::delegations::lent_to(db, account.user.id, today, full.post.section_id).await?;
        let w = Who {
            user_id: account.user.id,
            roles: &account.roles,
            unit_id: account.user.unit_id,
            lent: &lent,
        };
        if workflow::allowed(&facts, &w).contains(&Action::Approve) {
            let direct = account.roles.has(needs.role)
                && needs.unit_id.is_none_or(|u| account.user.unit_id == Some(u));
            let on_behalf = if direct {
                None
            } else {
                lent.iter()
                    .find(|l| l.role == needs.role && needs.unit_id.is_none_or(|u| l.from_unit_id == Some(u)))
                    .map(|l| l.from_user_id)
            };
            can_act.push((account, on_behalf));
        }
    }
    Ok(Some(Waiting {
        step: step as usize,
        steps: chain.len(),
        needs,
        can_act,
        anyone_holds,
    }))
}

/// Runs a workflow action. Refused actions change nothing; allowed ones
/// update the post, record the transition and, when the public view
/// changes, append to the change log, all in one transaction.
pub async fn transition(
    db: &DatabaseConnection,
    actor: &Actor,
    who: &Account,
    id: i32,
    action: Action,
    comment: Option<&str>,
) -> Result<Moved> {
    let comment = comment.map(|c| nfc(c.trim())).filter(|c| !c.is_empty());
    let full = get(db, id).await?;
    let chain = crate::chains::chain(db, full.post.section_id).await?;
    let lent =
        crate::delegations::lent_to(db, who.user.id, crate::time::today_vn(), full.post.section_id).await?;
    let ids = author_ids(&full);
    let writers = writer_ids(db, &full).await?;
    let now = crate::time::now();
    let facts = facts_for(&full, &chain, &ids, &writers, comment.as_deref(), now);
    let w = Who {
        user_id: who.user.id,
        roles: &who.roles,
        unit_id: who.user.unit_id,
        lent: &lent,
    };
    let outcome = workflow::decide(action, &facts, &w).map_err(refusal)?;
    let approving_last =
        action == Action::Approve && matches!(outcome.to, State::Approved | State::Published);
    if approving_last || outcome.go_live || outcome.to == State::Scheduled {
        let missing = images_without_alt(db, &full.revision).await?;
        if !missing.is_empty() {
            return Err(Error::invalid_in(
                "alt",
                format!(
                    "every image needs alt text before publication; missing for: {}",
                    missing.join(", ")
                ),
                format!(
                    "Mọi ảnh cần có mô tả (văn bản thay thế) trước khi xuất bản; còn thiếu: {}. Sửa mô tả trong thư viện ảnh.",
                    missing
                        .iter()
                        .map(|m| m
                            .replace("attached image", "ảnh đính kèm")
                            .replace("cover image", "ảnh đại diện")
                            .replace("image", "ảnh"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let txn = crate::db::begin_write(db).await?;
    let moved = apply(&txn, &full, action, &outcome, Some(who.user.id), comment, now).await?;
    super::locking::release_own(&txn, who.user.id, id).await?;
    audit::record(
        &txn,
        actor,
        &format!("post.{}", action.as_str()),
        Some(("post", id.to_string())),
        serde_json::json!({
            "from": full.state().as_str(), "to": outcome.to.as_str(),
            "step": outcome.step, "on_behalf_of": outcome.on_behalf_of,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(Moved {
        full: get(db, id).await?,
        transition: moved,
    })
}

/// Applies an outcome with a conditional update, so that two concurrent
/// actions (or two nodes' schedulers) cannot both succeed.
pub(super) async fn apply(
    txn: &impl ConnectionTrait,
    full: &Full,
    action: Action,
    outcome: &Outcome,
    actor_id: Option<i32>,
    comment: Option<String>,
    now: DateTime<Utc>,
) -> Result<transition::Model> {
    let p = &full.post;
    let mut update = post::Entity::update_many()
        .col_expr(post::Column::State, Expr::value(outcome.to.as_str()))
        .col_expr(post::Column::Step, Expr::value(outcome.step.map(|s| s as i32)))
        .col_expr(post::Column::UpdatedAt, Expr::value(now));
    if outcome.go_live {
        update = update
            .col_expr(post::Column::LiveRevisionId, Expr::value(Some(p.revision_id)))
            .col_expr(post::Column::PublicUpdatedAt, Expr::value(Some(now)));
        if p.published_at.is_none() {
            update = update.col_expr(post::Column::PublishedAt, Expr::value(Some(now)));
        }
    }
    if action == Action::Submit {
        // Submitting hands the post to the reviewers: the author's lock ends.
        update = update
            .col_expr(post::Column::LockUserId, Expr::value(Option::<i32>::None))
            .col_expr(
                post::Column::LockExpiresAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            );
    }
    if outcome.take_down {
        update = update
            .col_expr(post::Column::LiveRevisionId, Expr::value(Option::<i32>::None))
            .col_expr(post::Column::PublicUpdatedAt, Expr::value(Some(now)));
    }
    let res = update
        .filter(post::Column::Id.eq(p.id))
        .filter(post::Column::State.eq(p.state.as_str()))
        .filter(post::Column::RevisionNumber.eq(p.revision_number))
        .exec(txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(Error::Conflict(
            "the post changed meanwhile; reload and try again".into(),
        ));
    }
    if outcome.go_live {
        let live = revision::Entity::find_by_id(p.revision_id).one(txn).await?;
        crate::media::uses::set(txn, p.id, true, live.as_ref()).await?;
        // First publication opens the work's royalty sheet (Đ7.2a).
        if p.published_at.is_none()
            && let Some(rev) = &live
        {
            crate::royalties::sheets::open_for_post(txn, p, rev, now, actor_id).await?;
        }
        let kind = if p.live_revision_id.is_some() {
            ChangeKind::Update
        } else {
            ChangeKind::Publish
        };
        changelog::append(txn, "post", p.id, kind, p.lang()).await?;
    }
    if outcome.take_down {
        crate::media::uses::set(txn, p.id, true, None).await?;
        changelog::append(txn, "post", p.id, ChangeKind::Unpublish, p.lang()).await?;
    }
    crate::notifications::record_move(txn, full, outcome, actor_id, now).await?;
    Ok(transition::ActiveModel {
        post_id: Set(p.id),
        revision_id: Set(p.revision_id),
        action: Set(action.as_str().to_owned()),
        from_state: Set(p.state.clone()),
        to_state: Set(outcome.to.as_str().to_owned()),
        from_step: Set(p.step),
        to_step: Set(outcome.step.map(|s| s as i32)),
        actor_id: Set(actor_id),
        on_behalf_of_id: Set(outcome.on_behalf_of),
        comment: Set(comment),
        at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// Publishes scheduled posts whose time has come and takes down live posts
/// past their `unpublish_at`. Safe to run on every node at once: each post
/// changes exactly once. Returns how many posts changed.
pub async fn run_schedule(db: &DatabaseConnection) -> Result<usize> {
    let now = crate::time::now();
    let mut changed = 0;
    let due = post::Entity::find()
        .filter(post::Column::State.eq(State::Scheduled.as_str()))
        .filter(post::Column::PublishAt.lte(now))
        .limit(100)
        .all(db)
        .await?;
    for p in due {
        let full = get(db, p.id).await?;
        let outcome = Outcome {
            to: State::Published,
            step: None,
            on_behalf_of: None,
            go_live: true,
            take_down: false,
        };
        changed +=
            apply_scheduled(db, &full, Action::Publish, &outcome, "scheduled publication", now).await?;
    }
    let expired = post::Entity::find()
        .filter(post::Column::LiveRevisionId.is_not_null())
        .filter(post::Column::UnpublishAt.lte(now))
        .limit(100)
        .all(db)
        .await?;
    for p in expired {
        let full = get(db, p.id).await?;
        let to = if full.state() == State::Published {
            State::Unpublished
        } else {
            full.state()
        };
        let step = p.step.map(|s| s as usize);
        let outcome = Outcome {
            to,
            step,
            on_behalf_of: None,
            go_live: false,
            take_down: true,
        };
        changed += apply_scheduled(
            db,
            &full,
            Action::Unpublish,
            &outcome,
            "scheduled unpublication",
            now,
        )
        .await?;
    }
    Ok(changed)
}

/// Applies one scheduled change in its own transaction. Another node that
/// got there first makes the conditional update miss: that is not an
/// error, the post simply changed once. Returns 1 when this call changed it.
pub(super) async fn apply_scheduled(
    db: &DatabaseConnection,
    full: &Full,
    action: Action,
    outcome: &Outcome,
    note: &str,
    now: DateTime<Utc>,
) -> Result<usize> {
    let txn = crate::db::begin_write(db).await?;
    match apply(&txn, full, action, outcome, None, Some(note.to_owned()), now).await {
        Ok(_) => {
            txn.commit().await?;
            Ok(1)
        }
        Err(Error::Conflict(_)) => {
            txn.rollback().await?;
            Ok(0)
        }
        Err(e) => Err(e),
    }
}

fn refusal(r: Refusal) -> Error {
    match r {
        Refusal::Forbidden(m) => Error::Forbidden(m),
        Refusal::WrongState(m) => Error::Conflict(m),
        Refusal::Missing { field, message } => {
            let vi = match field {
                "source" => {
                    "Tin bài dùng lại thông tin: ghi tên tác giả và nguồn trước bước duyệt cuối (Đ8.3)."
                }
                _ => "Cần ghi ý kiến nêu lý do.",
            };
            Error::invalid_in(field, message, vi)
        }
    }
}
