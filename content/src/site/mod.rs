//! What administrators set for the whole site, without a release: which
//! blocks the home page shows ([`home`]) and the search dictionary of
//! abbreviations and synonyms ([`synonyms`]), both kept by [`settings`].
//! A change is audited and logged in the change log, so every node's
//! public pages and search follow it within a poll interval.

pub mod home;
pub mod settings;
pub mod synonyms;
