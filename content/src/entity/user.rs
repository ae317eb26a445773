use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// Argon2id PHC string; never leaves the `accounts` module.
    pub password_hash: String,
    pub unit_id: Option<i32>,
    pub disabled: bool,
    /// Failed logins in the current window (see `accounts::LOCKOUT_*`).
    pub failed_logins: i32,
    pub failed_window_start: Option<DateTimeUtc>,
    pub locked_until: Option<DateTimeUtc>,
    pub password_changed_at: DateTimeUtc,
    /// The base32 TOTP secret; set at enrolment, in use once confirmed.
    pub totp_secret: Option<String>,
    /// When two-factor sign-in was confirmed; `None` while not in use.
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The last time step accepted, so a code is never accepted twice.
    pub totp_last_step: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Notifications by one daily digest rather than a mail each.
    #[serde(default)]
    pub notify_digest: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
