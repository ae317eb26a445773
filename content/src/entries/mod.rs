//! Structured content: entries of a declared kind (a procedure, an online
//! service, an I-VAN provider; legal documents and the other catalogues
//! next), sharing one mechanism instead of a module per type.
//!
//! A kind declares its fields ([`kinds`]); every entry has immutable
//! versions with readable diffs, goes through the approval chain of the
//! kind's section with the rules of [`crate::workflow`] (no self-approval,
//! refusals change nothing, everything audited), appends to the change log
//! on every public change (so the page cache, the public lists and every
//! node's search index follow), and keeps its filterable fields and the
//! files it uses in step with its working and live versions.

pub mod clock;
pub mod comments;
pub mod fields;
mod import;
pub mod kinds;
pub mod link_checks;
mod public;
mod store;
mod transitions;

use serde_json::{Map, Value};

pub use import::{ImportReport, Line, csv, import, json_lines};
pub use kinds::{
    CONSULTATION, DIRECTORY_UNIT, FINANCIAL_REPORT, GALLERY, INVESTMENT_PROJECT, IVAN_PROVIDER, Kind, LEADER,
    LEGAL_DOCUMENT, LINK, ONLINE_SERVICE, PROCEDURE, RESEARCH_TOPIC, VIDEO,
};
pub use public::{
    Listing, PublicFilter, PublicPage, live, live_all, live_by_keys, live_page, live_recent, live_rows,
    live_values, referring,
};
pub use store::{ListFilter, Saved, create, get, list, save, version, versions};
pub use transitions::{Moved, allowed_actions, transition, transitions_of};

use crate::entity::{entry, entry_version};
use crate::workflow::State;

/// An entry with its working version and that version's fields.
#[derive(Clone, Debug)]
pub struct Full {
    pub entry: entry::Model,
    pub version: entry_version::Model,
    pub data: Map<String, Value>,
}

impl Full {
    pub fn state(&self) -> State {
        self.entry.state.parse().unwrap_or(State::Draft)
    }

    /// Whether the public sees a version of it now.
    pub fn live(&self) -> bool {
        self.entry.live_version.is_some()
    }
}

/// The fields stored in a version.
pub fn data_of(v: &entry_version::Model) -> Map<String, Value> {
    serde_json::from_str(&v.data).unwrap_or_default()
}

/// The public path of a live entry: under the top section of the section
/// it is listed in, in that section's edition.
pub async fn public_path(
    db: &impl sea_orm::ConnectionTrait,
    e: &entry::Model,
) -> crate::Result<Option<String>> {
    let Some(id) = e.live_section_id else {
        return Ok(None);
    };
    let mut s = crate::sections::get(db, id).await?;
    if let Some(parent) = s.parent_id {
        s = crate::sections::get(db, parent).await?;
    }
    Ok(Some(path_under(&s, &e.slug)))
}

/// The public path of the entry at `slug` under the top section `top`.
pub fn path_under(top: &crate::entity::section::Model, slug: &str) -> String {
    format!("/{}/{}/{slug}", top.edition, top.own_slug())
}
