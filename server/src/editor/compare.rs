//! The comparison screen's data, shared by posts and the catalogue: each
//! changed field with its label and its rows ([`content::diff`]).

use serde::Serialize;

#[derive(Serialize)]
pub(super) struct FieldDiff {
    label: String,
    rows: Vec<content::diff::Row>,
}

/// The fields that differ, in the order given: (label, old, new).
pub(super) fn fields(fields: Vec<(String, String, String)>) -> Vec<FieldDiff> {
    fields
        .into_iter()
        .filter_map(|(label, old, new)| {
            let rows = content::diff::compare(&old, &new);
            (!rows.is_empty()).then_some(FieldDiff { label, rows })
        })
        .collect()
}
