//! Administering accounts (Đ7.2: accounts are issued and managed per
//! role): creating them, changing profile, roles and status, resetting a
//! password. Every change is audited.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::entity::{session, user, user_role};
use crate::error::{Error, Result};
use crate::roles::{Role, RoleSet};
use crate::text::clean_line;

use super::passwords::{check_password, hash_password};
use super::{Account, check_username, find_by_username, get};

/// A user to create.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub display_name: String,
    pub email: Option<String>,
    pub unit_id: Option<i32>,
    pub roles: Vec<Role>,
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, new: &NewUser) -> Result<Account> {
    let username = check_username(&new.username)?;
    check_password(
        &new.password,
        &[
            &new.username,
            &new.display_name,
            new.email.as_deref().unwrap_or_default(),
        ],
    )?;
    let display_name = clean_line(&new.display_name);
    if display_name.is_empty() || display_name.chars().count() > 200 {
        return Err(Error::invalid("display_name", "must be 1 to 200 characters"));
    }
    let email = new.email.as_deref().map(clean_line).filter(|e| !e.is_empty());
    if email
        .as_deref()
        .is_some_and(|e| !e.contains('@') || e.len() > 254)
    {
        return Err(Error::invalid("email", "is not an e-mail address"));
    }
    let hash = hash_password(&new.password)?;
    let txn = db.begin().await?;
    if let Some(unit) = new.unit_id {
        crate::units::get(&txn, unit)
            .await
            .map_err(|_| Error::unknown("unit_id", "no such unit"))?;
    }
    if find_by_username(&txn, &username).await?.is_some() {
        return Err(Error::Conflict(format!("user name `{username}` is taken")));
    }
    let now = crate::time::now();
    let created = user::ActiveModel {
        username: Set(username.clone()),
        display_name: Set(display_name),
        email: Set(email),
        password_hash: Set(hash),
        unit_id: Set(new.unit_id),
        disabled: Set(false),
        failed_logins: Set(0),
        failed_window_start: Set(None),
        locked_until: Set(None),
        password_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let roles = RoleSet::new(new.roles.clone());
    for role in roles.iter() {
        insert_role(&txn, created.id, role).await?;
    }
    audit::record(
        &txn,
        actor,
        "user.create",
        Some(("user", created.id.to_string())),
        serde_json::json!({"username": username, "roles": roles.names(), "unit_id": new.unit_id}),
    )
    .await?;
    txn.commit().await?;
    get(db, created.id).await
}

/// Refuses a change that would leave no active administrator: someone
/// must always be able to administer the portal (Đ7.2c).
async fn keep_an_admin(
    db: &impl ConnectionTrait,
    current: &Account,
    stays_admin: bool,
    stays_active: bool,
) -> Result<()> {
    let is_active_admin = current.roles.is_admin() && !current.user.disabled;
    if !is_active_admin || (stays_admin && stays_active) {
        return Ok(());
    }
    let others = user_role::Entity::find()
        .filter(user_role::Column::Role.eq(Role::Admin.as_str()))
        .filter(user_role::Column::UserId.ne(current.user.id))
        .all(db)
        .await?;
    for r in others {
        if user::Entity::find_by_id(r.user_id)
            .one(db)
            .await?
            .is_some_and(|u| !u.disabled)
        {
            return Ok(());
        }
    }
    Err(Error::invalid_in(
        if stays_admin { "disabled" } else { "roles" },
        "this is the last active administrator: give another account the admin role first",
        "Đây là tài khoản quản trị cuối cùng còn hoạt động: hãy cấp quyền quản trị cho tài khoản khác trước.",
    ))
}

pub(crate) async fn insert_role(db: &impl ConnectionTrait, user_id: i32, role: Role) -> Result<()> {
    user_role::ActiveModel {
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        granted_at: Set(crate::time::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Changes to a user's profile; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub email: Option<Option<String>>,
    pub unit_id: Option<Option<i32>>,
    /// Replaces the whole role set.
    pub roles: Option<Vec<Role>>,
    pub disabled: Option<bool>,
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    changes: &UserChanges,
) -> Result<Account> {
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    keep_an_admin(
        &txn,
        &current,
        changes.roles.as_ref().is_none_or(|r| r.contains(&Role::Admin)),
        !changes.disabled.unwrap_or(current.user.disabled),
    )
    .await?;
    let mut am: user::ActiveModel = current.user.clone().into();
    if let Some(name) = &changes.display_name {
        let name = clean_line(name);
        if name.is_empty() || name.chars().count() > 200 {
            return Err(Error::invalid("display_name", "must be 1 to 200 characters"));
        }
        am.display_name = Set(name);
    }
    if let Some(email) = &changes.email {
        let email = email.as_deref().map(clean_line).filter(|e| !e.is_empty());
        if email.as_deref().is_some_and(|e| !e.contains('@')) {
            return Err(Error::invalid("email", "is not an e-mail address"));
        }
        am.email = Set(email);
    }
    if let Some(unit) = changes.unit_id {
        if let Some(u) = unit {
            crate::units::get(&txn, u)
                .await
                .map_err(|_| Error::unknown("unit_id", "no such unit"))?;
        }
        am.unit_id = Set(unit);
    }
    if let Some(disabled) = changes.disabled {
        am.disabled = Set(disabled);
        if disabled {
            end_sessions(&txn, id).await?;
        }
    }
    am.updated_at = Set(crate::time::now());
    am.update(&txn).await?;
    if let Some(roles) = &changes.roles {
        let roles = RoleSet::new(roles.clone());
        user_role::Entity::delete_many()
            .filter(user_role::Column::UserId.eq(id))
            .exec(&txn)
            .await?;
        for role in roles.iter() {
            insert_role(&txn, id, role).await?;
        }
    }
    audit::record(
        &txn,
        actor,
        "user.update",
        Some(("user", id.to_string())),
        serde_json::json!({
            "username": current.user.username,
            "display_name": changes.display_name,
            "unit_id": changes.unit_id,
            "roles": changes.roles.as_ref().map(|r| r.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
            "disabled": changes.disabled,
        }),
    )
    .await?;
    txn.commit().await?;
    get(db, id).await
}

/// Disables (or re-enables) an account. Disabling ends its sessions at once.
pub async fn set_disabled(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    disabled: bool,
) -> Result<Account> {
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    keep_an_admin(&txn, &current, true, !disabled).await?;
    let mut am: user::ActiveModel = current.user.clone().into();
    am.disabled = Set(disabled);
    am.updated_at = Set(crate::time::now());
    am.update(&txn).await?;
    if disabled {
        end_sessions(&txn, id).await?;
    }
    let action = if disabled { "user.disable" } else { "user.enable" };
    audit::record(
        &txn,
        actor,
        action,
        Some(("user", id.to_string())),
        serde_json::json!({"username": current.user.username}),
    )
    .await?;
    txn.commit().await?;
    get(db, id).await
}

/// Adds or removes one role.
pub async fn set_role(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    role: Role,
    granted: bool,
) -> Result<Account> {
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    if !granted && role == Role::Admin {
        keep_an_admin(&txn, &current, false, true).await?;
    }
    if granted && !current.roles.has(role) {
        insert_role(&txn, id, role).await?;
    }
    if !granted {
        user_role::Entity::delete_many()
            .filter(user_role::Column::UserId.eq(id))
            .filter(user_role::Column::Role.eq(role.as_str()))
            .exec(&txn)
            .await?;
    }
    let action = if granted { "user.grant" } else { "user.revoke" };
    audit::record(
        &txn,
        actor,
        action,
        Some(("user", id.to_string())),
        serde_json::json!({"username": current.user.username, "role": role.as_str()}),
    )
    .await?;
    txn.commit().await?;
    get(db, id).await
}

/// Sets a new password chosen by an admin, ends the user's sessions and
/// lifts a lockout.
pub async fn reset_password(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    new_password: &str,
) -> Result<()> {
    let current = get(db, id).await?;
    let u = &current.user;
    check_password(
        new_password,
        &[
            &u.username,
            &u.display_name,
            u.email.as_deref().unwrap_or_default(),
        ],
    )?;
    let hash = hash_password(new_password)?;
    let txn = db.begin().await?;
    store_password(&txn, current.user.clone(), hash).await?;
    end_sessions(&txn, id).await?;
    audit::record(
        &txn,
        actor,
        "user.reset_password",
        Some(("user", id.to_string())),
        serde_json::json!({"username": current.user.username}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub(crate) async fn store_password(db: &impl ConnectionTrait, user: user::Model, hash: String) -> Result<()> {
    let now = crate::time::now();
    let mut am: user::ActiveModel = user.into();
    am.password_hash = Set(hash);
    am.password_changed_at = Set(now);
    am.failed_logins = Set(0);
    am.failed_window_start = Set(None);
    am.locked_until = Set(None);
    am.updated_at = Set(now);
    am.update(db).await?;
    Ok(())
}

pub(crate) async fn end_sessions(db: &impl ConnectionTrait, user_id: i32) -> Result<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
