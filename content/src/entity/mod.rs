//! sea-orm entities: one module per table. Rules live in the domain
//! modules (`accounts`, `sections`, …), not here.

pub mod approval_step;
pub mod audit_entry;
pub mod calendar_override;
pub mod change;
pub mod delegation;
pub mod draft_comment;
pub mod entry;
pub mod entry_facet;
pub mod entry_media_use;
pub mod entry_transition;
pub mod entry_version;
pub mod holiday_rule;
pub mod link_check;
pub mod login_throttle;
pub mod media;
pub mod media_text;
pub mod media_use;
pub mod post;
pub mod post_comment;
pub mod question;
pub mod question_event;
pub mod recovery_code;
pub mod reminder_sent;
pub mod revision;
pub mod search_query;
pub mod section;
pub mod session;
pub mod transition;
pub mod unit;
pub mod user;
pub mod user_role;
