//! Delegation of approval rights (Đ6.3b): the head of the board (or a
//! deputy) lends their approval right to another board member for a period.
//! Approvals made under a delegation record both names.

use chrono::NaiveDate;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::entity::delegation;
use crate::error::{Error, Result};
use crate::roles::Role;
use crate::workflow::Lent;

/// Roles whose approval right can be lent (Đ6.3b).
pub const DELEGABLE: [Role; 3] = [Role::BoardHead, Role::BoardDeputyStanding, Role::BoardDeputy];

/// A delegation to create.
#[derive(Clone, Debug)]
pub struct NewDelegation {
    pub to_user_id: i32,
    /// Defaults to the delegator's highest delegable role.
    pub role: Option<Role>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub reason: Option<String>,
    /// Only this section's approvals; `None` for every section.
    pub section_id: Option<i32>,
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    from: &Account,
    new: &NewDelegation,
) -> Result<delegation::Model> {
    let role = match new.role {
        Some(r) => r,
        None => DELEGABLE
            .into_iter()
            .find(|r| from.roles.has(*r))
            .ok_or_else(|| {
                Error::Forbidden("only the head or a deputy head of the board can delegate".into())
            })?,
    };
    if !DELEGABLE.contains(&role) || !from.roles.has(role) {
        return Err(Error::Forbidden(format!(
            "you cannot delegate the `{role}` role: you do not hold it"
        )));
    }
    if new.ends_on < new.starts_on {
        return Err(Error::invalid("ends_on", "must not be before starts_on"));
    }
    if let Some(s) = new.section_id {
        crate::sections::get(db, s)
            .await
            .map_err(|_| Error::unknown("section_id", "no such section"))?;
    }
    if new.to_user_id == from.user.id {
        return Err(Error::invalid("to_user_id", "cannot delegate to yourself"));
    }
    let to = crate::accounts::get(db, new.to_user_id)
        .await
        .map_err(|_| Error::unknown("to_user_id", "no such user"))?;
    if !to.roles.iter().any(Role::is_board) || to.user.disabled {
        return Err(Error::invalid(
            "to_user_id",
            "approval rights can be delegated only to an active board member",
        ));
    }
    let created = delegation::ActiveModel {
        from_user_id: Set(from.user.id),
        to_user_id: Set(to.user.id),
        role: Set(role.as_str().to_owned()),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        reason: Set(new
            .reason
            .as_deref()
            .map(crate::text::clean_line)
            .filter(|r| !r.is_empty())),
        created_at: Set(crate::time::now()),
        revoked_at: Set(None),
        section_id: Set(new.section_id),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "delegation.create",
        Some(("delegation", created.id.to_string())),
        serde_json::json!({"from": from.user.username, "to": to.user.username, "role": role.as_str(), "starts_on": new.starts_on, "ends_on": new.ends_on, "section_id": new.section_id}),
    )
    .await?;
    Ok(created)
}

/// Ends a delegation now. Its creator or an admin may revoke it.
pub async fn revoke(
    db: &DatabaseConnection,
    actor: &Actor,
    by: &Account,
    id: i32,
) -> Result<delegation::Model> {
    let d = delegation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("delegation"))?;
    if d.from_user_id != by.user.id && !by.roles.is_admin() {
        return Err(Error::Forbidden(
            "only the delegating board member or an admin can revoke it".into(),
        ));
    }
    if d.revoked_at.is_some() {
        return Ok(d);
    }
    let mut am: delegation::ActiveModel = d.into();
    am.revoked_at = Set(Some(crate::time::now()));
    let revoked = am.update(db).await?;
    audit::record(
        db,
        actor,
        "delegation.revoke",
        Some(("delegation", id.to_string())),
        serde_json::Value::Null,
    )
    .await?;
    Ok(revoked)
}

/// Delegations given or received by a user (all of them for admins when
/// `user_id` is `None`), newest first.
pub async fn list(db: &impl ConnectionTrait, user_id: Option<i32>) -> Result<Vec<delegation::Model>> {
    let mut q = delegation::Entity::find().order_by_desc(delegation::Column::Id);
    if let Some(u) = user_id {
        q = q.filter(
            delegation::Column::FromUserId
                .eq(u)
                .or(delegation::Column::ToUserId.eq(u)),
        );
    }
    Ok(q.all(db).await?)
}

/// The approval rights lent to `user_id` on `day` for work in section
/// `section_id` (delegations of every section, and of that one).
pub async fn lent_to(
    db: &impl ConnectionTrait,
    user_id: i32,
    day: NaiveDate,
    section_id: i32,
) -> Result<Vec<Lent>> {
    let rows = delegation::Entity::find()
        .filter(delegation::Column::ToUserId.eq(user_id))
        .filter(
            sea_orm::Condition::any()
                .add(delegation::Column::SectionId.is_null())
                .add(delegation::Column::SectionId.eq(section_id)),
        )
        .filter(delegation::Column::RevokedAt.is_null())
        .filter(delegation::Column::StartsOn.lte(day))
        .filter(delegation::Column::EndsOn.gte(day))
        .all(db)
        .await?;
    let mut lent = Vec::new();
    for r in rows {
        let Ok(role) = r.role.parse::<Role>() else {
            continue;
        };
        let from = crate::accounts::get(db, r.from_user_id).await?;
        if from.user.disabled || !from.roles.has(role) {
            continue;
        }
        lent.push(Lent {
            from_user_id: from.user.id,
            role,
            from_unit_id: from.user.unit_id,
        });
    }
    Ok(lent)
}
