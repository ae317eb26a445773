//! sea-orm entities: one module per table. Rules live in the domain
//! modules (`accounts`, `sections`, …), not here.

pub mod audit_entry;
pub mod section;
pub mod session;
pub mod unit;
pub mod user;
pub mod user_role;
