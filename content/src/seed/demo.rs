//! Demo data for a new installation, loaded only by `portal demo-data`:
//! five VSS administrative procedures and three online public services,
//! so that the catalogue pages show what they look like, and a few sample
//! articles in both editions (`demo/posts.jsonl`, in the import format of
//! [`crate::import`]) so that neither home page starts empty.
//!
//! The procedures are real VSS procedures (names, fields, dossiers, time
//! limits and legal basis as announced by VSS decisions); their codes are
//! placeholders in the national format (`1.00000N`): the Office replaces
//! the demo with the National Public Service Portal's export through
//! `portal import procedures`, which matches on the code. Files:
//! `demo/procedures.jsonl`, `demo/online_services.jsonl`, one JSON object
//! per line with the fields of `content::entries::kinds`.

/// The demo procedures (JSON Lines).
pub const PROCEDURES: &str = include_str!("demo/procedures.jsonl");
/// The demo online services (JSON Lines), referring to the procedures.
pub const ONLINE_SERVICES: &str = include_str!("demo/online_services.jsonl");
/// Sample articles, English and Vietnamese, marked "sample content" in
/// their source line.
pub const POSTS: &str = include_str!("demo/posts.jsonl");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entries::{ONLINE_SERVICE, PROCEDURE, fields, json_lines};

    #[test]
    fn the_demo_data_passes_the_checks_of_its_kinds() {
        for (kind, text) in [(&PROCEDURE, PROCEDURES), (&ONLINE_SERVICE, ONLINE_SERVICES)] {
            for line in json_lines(text) {
                let record = line.record.expect("JSON object");
                fields::check(kind.fields, &record)
                    .unwrap_or_else(|e| panic!("{} line {}: {e}", kind.name, line.number));
            }
        }
    }
}
