//! Facet counts (kind, year, sub-sections) for every match of a query.
//!
//! Read from columnar fast fields rather than with tantivy's
//! `FacetCollector`: a common query ("hồ sơ", "bảo hiểm") matches nearly
//! the whole portal, and counting three single-valued columns per match
//! costs a fraction of walking hierarchical facet ordinals.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::model::Facets;

/// Fast field holding the document's kind (the indexed `kind` field).
pub(crate) const KIND: &str = "kind";
/// Fast field holding the year of publication in Vietnam.
pub(crate) const YEAR: &str = "year";
/// Fast field holding the section codes from the root, joined by
/// [`PATH_SEPARATOR`].
pub(crate) const SECTION_PATH: &str = "section_path";
pub(crate) const PATH_SEPARATOR: char = '\u{1f}';

/// Counts matches per kind, per year and per child of a section.
pub(crate) struct FacetCounter {
    /// Section codes of the section whose direct children are counted;
    /// empty for the top-level sections.
    pub section_root: Vec<String>,
}

pub(crate) struct SegmentFacetCounter {
    kind: Option<StrColumn>,
    year: Option<Column<u64>>,
    section: Option<StrColumn>,
    kinds: Vec<u64>,
    sections: Vec<u64>,
    /// By year since [`FIRST_YEAR`].
    years: Vec<u64>,
    section_root: Vec<String>,
    /// Column values of a block of matches.
    buffer: Vec<Option<u64>>,
}

/// Years counted; a date outside is not counted by year.
const FIRST_YEAR: u64 = 1900;
const YEARS: usize = 400;

/// Counts of one segment, by value.
#[derive(Default)]
pub(crate) struct Counts {
    kind: HashMap<String, u64>,
    section: HashMap<String, u64>,
    year: HashMap<u64, u64>,
}

impl Collector for FacetCounter {
    type Fruit = Facets;
    type Child = SegmentFacetCounter;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let fast = reader.fast_fields();
        let kind = fast.str(KIND)?;
        let section = fast.str(SECTION_PATH)?;
        Ok(SegmentFacetCounter {
            kinds: vec![0; kind.as_ref().map_or(0, |c| c.num_terms())],
            sections: vec![0; section.as_ref().map_or(0, |c| c.num_terms())],
            kind,
            section,
            year: fast.u64(YEAR).ok(),
            years: vec![0; YEARS],
            section_root: self.section_root.clone(),
            buffer: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counts>) -> tantivy::Result<Facets> {
        let mut all = Counts::default();
        for counts in segments {
            for (k, n) in counts.kind {
                *all.kind.entry(k).or_default() += n;
            }
            for (s, n) in counts.section {
                *all.section.entry(s).or_default() += n;
            }
            for (y, n) in counts.year {
                *all.year.entry(y).or_default() += n;
            }
        }
        let by_count = |map: HashMap<String, u64>| {
            let mut v: Vec<(String, u64)> = map.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        let mut year: Vec<(i32, u64)> = all
            .year
            .into_iter()
            .filter_map(|(y, n)| i32::try_from(y).ok().map(|y| (y, n)))
            .collect();
        year.sort_by_key(|y| std::cmp::Reverse(y.0));
        Ok(Facets {
            kind: by_count(all.kind),
            section: by_count(all.section),
            year,
        })
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.buffer.resize(docs.len(), None);
        let buffer = &mut self.buffer;
        if let Some(column) = &self.kind {
            count_values(column.ords(), docs, buffer, &mut self.kinds, 0);
        }
        if let Some(column) = &self.section {
            count_values(column.ords(), docs, buffer, &mut self.sections, 0);
        }
        if let Some(column) = &self.year {
            count_values(column, docs, buffer, &mut self.years, FIRST_YEAR);
        }
    }

    fn harvest(self) -> Counts {
        let mut counts = Counts {
            year: (FIRST_YEAR..).zip(self.years).filter(|(_, n)| *n > 0).collect(),
            ..Counts::default()
        };
        let mut text = String::new();
        if let Some(column) = &self.kind {
            for (ord, n) in self.kinds.iter().enumerate().filter(|(_, n)| **n > 0) {
                if column.ord_to_str(ord as u64, &mut text).unwrap_or(false) && !text.is_empty() {
                    *counts.kind.entry(text.clone()).or_default() += n;
                }
            }
        }
        if let Some(column) = &self.section {
            for (ord, n) in self.sections.iter().enumerate().filter(|(_, n)| **n > 0) {
                if !column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                    continue;
                }
                if let Some(child) = child_of(&self.section_root, &text) {
                    *counts.section.entry(child.to_owned()).or_default() += n;
                }
            }
        }
        counts
    }
}

/// Adds the values of `docs` in `column` to `counts`, indexed by value
/// minus `base`; values out of range are not counted.
fn count_values(
    column: &Column<u64>,
    docs: &[DocId],
    buffer: &mut [Option<u64>],
    counts: &mut [u64],
    base: u64,
) {
    column.first_vals(docs, buffer);
    for value in buffer.iter().flatten() {
        if let Some(n) = value.checked_sub(base).and_then(|i| counts.get_mut(i as usize)) {
            *n += 1;
        }
    }
}

/// The code right below `root` on `path`, if `path` goes below it.
fn child_of<'a>(root: &[String], path: &'a str) -> Option<&'a str> {
    let mut steps = path.split(PATH_SEPARATOR);
    for code in root {
        if steps.next() != Some(code.as_str()) {
            return None;
        }
    }
    steps.next().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_are_the_next_step_below_the_root() {
        let path = ["vi-06", "vi-06-02", "vi-06-02-01"].join(&PATH_SEPARATOR.to_string());
        let root = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(child_of(&root(&[]), &path), Some("vi-06"));
        assert_eq!(child_of(&root(&["vi-06"]), &path), Some("vi-06-02"));
        assert_eq!(
            child_of(&root(&["vi-06", "vi-06-02"]), &path),
            Some("vi-06-02-01")
        );
        assert_eq!(
            child_of(&root(&["vi-06", "vi-06-02", "vi-06-02-01"]), &path),
            None
        );
        assert_eq!(child_of(&root(&["vi-02"]), &path), None);
        assert_eq!(child_of(&root(&[]), ""), None);
    }
}
