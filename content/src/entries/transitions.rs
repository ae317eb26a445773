//! Moving an entry through its section's approval chain with the rules of
//! [`crate::workflow`] and its kind's [`crate::workflow::Policy`]: the
//! decision is pure; this module applies it with a conditional update,
//! records the transition, keeps the live facets and files in step and,
//! when the public view changes, appends to the change log, in one
//! transaction.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::store::{get, may_read, set_facets};
use super::{Full, Kind, fields};
use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::changelog::{self, ChangeKind};
use crate::entity::{entry, entry_transition, entry_version};
use crate::error::{Error, Result};
use crate::text::nfc;
use crate::workflow::{self, Action, Facts, Outcome, Refusal, State, Who};

/// A transition's result.
#[derive(Clone, Debug)]
pub struct Moved {
    pub full: Full,
    pub transition: entry_transition::Model,
}

/// Who wrote a version since the last approval: every version of an
/// entry never published, a correction's versions since the live one.
async fn writer_ids(db: &impl ConnectionTrait, full: &Full) -> Result<Vec<i32>> {
    Ok(entry_version::Entity::find()
        .select_only()
        .column(entry_version::Column::CreatedBy)
        .distinct()
        .filter(entry_version::Column::EntryId.eq(full.entry.id))
        .filter(entry_version::Column::Number.gt(full.entry.live_version.unwrap_or(0)))
        .into_tuple::<i32>()
        .all(db)
        .await?)
}

struct Context {
    chain: Vec<workflow::Step>,
    lent: Vec<workflow::Lent>,
    writers: Vec<i32>,
}

impl Context {
    async fn load(db: &impl ConnectionTrait, full: &Full, who: &Account) -> Result<Self> {
        Ok(Context {
            chain: crate::chains::chain(db, full.entry.section_id).await?,
            lent: crate::delegations::lent_to(
                db,
                who.user.id,
                crate::time::today_vn(),
                full.entry.section_id,
            )
            .await?,
            writers: writer_ids(db, full).await?,
        })
    }

    fn facts<'a>(&'a self, kind: &'a Kind, full: &'a Full, comment: Option<&'a str>) -> Facts<'a> {
        Facts {
            policy: &kind.policy,
            state: full.state(),
            step: full.entry.step.map(|s| s as usize),
            chain: &self.chain,
            creator_id: full.entry.creator_id,
            author_ids: &[],
            writer_ids: &self.writers,
            live: full.live(),
            publish_at_future: false,
            citation_ok: true,
            comment,
        }
    }

    fn who<'a>(&'a self, who: &'a Account) -> Who<'a> {
        Who {
            user_id: who.user.id,
            roles: &who.roles,
            unit_id: who.user.unit_id,
            lent: &self.lent,
        }
    }
}

/// The actions `who` may take on the entry now.
pub async fn allowed_actions(
    db: &impl ConnectionTrait,
    kind: &Kind,
    full: &Full,
    who: &Account,
) -> Result<Vec<Action>> {
    if may_read(kind, who).is_err() {
        return Ok(Vec::new());
    }
    let ctx = Context::load(db, full, who).await?;
    Ok(workflow::allowed(&ctx.facts(kind, full, None), &ctx.who(who)))
}

fn refusal(r: Refusal) -> Error {
    match r {
        Refusal::Forbidden(m) => Error::Forbidden(m),
        Refusal::WrongState(m) => Error::Conflict(m),
        Refusal::Missing { field, message } => Error::invalid(field, message),
    }
}

/// Runs a workflow action. Refused actions change nothing.
pub async fn transition(
    db: &DatabaseConnection,
    actor: &Actor,
    who: &Account,
    kind: &Kind,
    id: i32,
    action: Action,
    comment: Option<&str>,
) -> Result<Moved> {
    may_read(kind, who)?;
    let comment = comment.map(|c| nfc(c.trim())).filter(|c| !c.is_empty());
    let full = get(db, kind, id).await?;
    let ctx = Context::load(db, &full, who).await?;
    let outcome = workflow::decide(action, &ctx.facts(kind, &full, comment.as_deref()), &ctx.who(who))
        .map_err(refusal)?;
    let txn = crate::db::begin_write(db).await?;
    let moved = apply(&txn, kind, &full, action, &outcome, Some(who.user.id), comment).await?;
    audit::record(
        &txn,
        actor,
        &format!("{}.{}", kind.name, action.as_str()),
        Some((kind.name, id.to_string())),
        serde_json::json!({
            "from": full.state().as_str(), "to": outcome.to.as_str(),
            "step": outcome.step, "on_behalf_of": outcome.on_behalf_of,
            "version": full.entry.working_version,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(Moved {
        full: get(db, kind, id).await?,
        transition: moved,
    })
}

/// Applies an outcome with a conditional update, so that two concurrent
/// actions cannot both succeed.
pub(super) async fn apply(
    txn: &impl ConnectionTrait,
    kind: &Kind,
    full: &Full,
    action: Action,
    outcome: &Outcome,
    actor_id: Option<i32>,
    comment: Option<String>,
) -> Result<entry_transition::Model> {
    let e = &full.entry;
    let now = crate::time::now();
    let mut update = entry::Entity::update_many()
        .col_expr(entry::Column::State, Expr::value(outcome.to.as_str()))
        .col_expr(entry::Column::Step, Expr::value(outcome.step.map(|s| s as i32)))
        .col_expr(entry::Column::UpdatedAt, Expr::value(now));
    if outcome.go_live {
        update = update
            .col_expr(entry::Column::LiveVersion, Expr::value(Some(e.working_version)))
            .col_expr(entry::Column::LiveTitle, Expr::value(Some(e.title.clone())))
            .col_expr(entry::Column::LiveSectionId, Expr::value(Some(e.section_id)))
            .col_expr(
                entry::Column::LiveSort,
                Expr::value(Some(crate::text::title_key(&e.title))),
            )
            .col_expr(entry::Column::PublicUpdatedAt, Expr::value(Some(now)));
        if e.published_at.is_none() {
            update = update.col_expr(entry::Column::PublishedAt, Expr::value(Some(now)));
        }
    }
    if outcome.take_down {
        update = update
            .col_expr(entry::Column::LiveVersion, Expr::value(Option::<i32>::None))
            .col_expr(entry::Column::LiveTitle, Expr::value(Option::<String>::None))
            .col_expr(entry::Column::LiveSectionId, Expr::value(Option::<i32>::None))
            .col_expr(entry::Column::LiveSort, Expr::value(Option::<String>::None))
            .col_expr(entry::Column::PublicUpdatedAt, Expr::value(Some(now)));
    }
    let res = update
        .filter(entry::Column::Id.eq(e.id))
        .filter(entry::Column::State.eq(e.state.as_str()))
        .filter(entry::Column::WorkingVersion.eq(e.working_version))
        .exec(txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(Error::Conflict(
            "the entry changed meanwhile; reload and try again".into(),
        ));
    }
    let lang = crate::sections::get(txn, e.section_id).await?.lang();
    if outcome.go_live {
        set_facets(txn, kind, e.id, &e.key, true, Some(&full.data)).await?;
        crate::media::uses::set_for_entry(txn, e.id, true, &fields::files(kind.fields, &full.data)).await?;
        let change = if e.live_version.is_some() {
            ChangeKind::Update
        } else {
            ChangeKind::Publish
        };
        changelog::append(txn, kind.name, e.id, change, lang).await?;
    }
    if outcome.take_down {
        set_facets(txn, kind, e.id, &e.key, true, None).await?;
        crate::media::uses::set_for_entry(txn, e.id, true, &Default::default()).await?;
        let was = e.live_section_id.unwrap_or(e.section_id);
        let lang = crate::sections::get(txn, was).await?.lang();
        changelog::append(txn, kind.name, e.id, ChangeKind::Unpublish, lang).await?;
    }
    if outcome.go_live || outcome.take_down {
        let referred = fields::references(kind, &full.data);
        if !referred.is_empty() {
            super::clock::refresh(txn, Some((kind, &referred))).await?;
        }
    }
    Ok(entry_transition::ActiveModel {
        entry_id: Set(e.id),
        version: Set(e.working_version),
        action: Set(action.as_str().to_owned()),
        from_state: Set(e.state.clone()),
        to_state: Set(outcome.to.as_str().to_owned()),
        from_step: Set(e.step),
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

/// Publishes the working version at once, outside the chain: an import
/// with `--publish` by an administrator (audited by the caller).
pub(super) async fn publish_now(
    txn: &impl ConnectionTrait,
    kind: &Kind,
    full: &Full,
    actor_id: i32,
) -> Result<()> {
    let outcome = Outcome {
        to: State::Published,
        step: None,
        on_behalf_of: None,
        go_live: true,
        take_down: false,
    };
    apply(
        txn,
        kind,
        full,
        Action::Publish,
        &outcome,
        Some(actor_id),
        Some("imported and published by an administrator".into()),
    )
    .await
    .map(|_| ())
}

/// The workflow record of an entry, oldest first.
pub async fn transitions_of(
    db: &impl ConnectionTrait,
    kind: &Kind,
    id: i32,
) -> Result<Vec<entry_transition::Model>> {
    get(db, kind, id).await?;
    Ok(entry_transition::Entity::find()
        .filter(entry_transition::Column::EntryId.eq(id))
        .order_by_asc(entry_transition::Column::Id)
        .all(db)
        .await?)
}
