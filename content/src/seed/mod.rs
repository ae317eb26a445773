//! Seed data and idempotent seeding: a second run changes nothing.

pub mod calendar;
pub mod demo;
pub mod sections;

use sea_orm::ConnectionTrait;

use crate::error::Result;

/// What one seeding run added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    pub units: usize,
    pub sections: usize,
    pub chains: usize,
    pub holiday_rules: usize,
    pub calendar_overrides: usize,
    pub royalty_holders: usize,
    pub royalty_rates: usize,
    pub provision_kinds: usize,
}

/// Inserts whatever seeded data is missing, matched by stable codes, so
/// that renamed or hidden rows are left as the admins made them.
pub async fn run(db: &impl ConnectionTrait) -> Result<Seeded> {
    let units = crate::units::seed(db).await?;
    let sections = crate::sections::seed(db).await?;
    let chains = crate::chains::seed(db).await?;
    let (holiday_rules, calendar_overrides) = crate::holidays::seed(db).await?;
    let (royalty_holders, royalty_rates) = crate::royalties::seed(db).await?;
    let provision_kinds = crate::provisions::seed(db).await?;
    Ok(Seeded {
        units,
        sections,
        chains,
        holiday_rules,
        calendar_overrides,
        royalty_holders,
        royalty_rates,
        provision_kinds,
    })
}
