//! Information-provision deadlines (Đ11.1): each unit supplies each kind
//! of information within a set time. A unit records the event (a contact
//! change, an award, an approved plan…); its due day follows from the
//! kind's rule in force that day and the working-day calendar; the
//! obligation is met when a published post or catalogue entry is linked
//! to it, on the day that item was first published. The Communication
//! Centre follows every unit on a dashboard, units hear of what is due in
//! the daily reminder mail, and the annual report gives on-time rates.

pub mod kinds;
pub mod rules;
mod store;

pub use kinds::seed;
pub use rules::Status;
pub use store::{Event, Filter, Item, NewEvent, UnitTally, get, link, list, record, reminders, tally};
