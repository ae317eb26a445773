//! The audit log: who did what, when, from where. Every account action is
//! recorded (Đ7.2c: the IT Centre answers for the portal's security).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::audit_entry;
use crate::error::Result;

/// Who acted and from which address.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub username: Option<String>,
    pub ip: Option<String>,
}

impl Actor {
    /// The command line or the server itself, not a logged-in user.
    pub fn system(name: &str) -> Self {
        Actor {
            user_id: None,
            username: Some(name.to_owned()),
            ip: None,
        }
    }
}

/// Appends one entry. Call it inside the transaction that makes the change,
/// so the change and its record land together or not at all.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    target: Option<(&str, String)>,
    detail: serde_json::Value,
) -> Result<()> {
    let (target_type, target_id) = match target {
        Some((t, id)) => (Some(t.to_owned()), Some(id)),
        None => (None, None),
    };
    audit_entry::ActiveModel {
        at: Set(crate::time::now()),
        actor_id: Set(actor.user_id),
        actor: Set(actor.username.clone()),
        action: Set(action.to_owned()),
        target_type: Set(target_type),
        target_id: Set(target_id),
        detail: Set((!detail.is_null()).then(|| detail.to_string())),
        ip: Set(actor.ip.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Filters for browsing the log, newest first.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub action: Option<String>,
    pub actor: Option<String>,
    pub limit: u64,
}

pub async fn list(db: &impl ConnectionTrait, filter: &Filter) -> Result<Vec<audit_entry::Model>> {
    let mut q = audit_entry::Entity::find().order_by_desc(audit_entry::Column::Id);
    if let Some(a) = &filter.action {
        q = q.filter(audit_entry::Column::Action.eq(a.as_str()));
    }
    if let Some(a) = &filter.actor {
        q = q.filter(audit_entry::Column::Actor.eq(a.as_str()));
    }
    Ok(q.limit(filter.limit.clamp(1, 1000)).all(db).await?)
}
