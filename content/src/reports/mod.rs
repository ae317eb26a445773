//! Reports the board owes (Đ6.4b: each year, to the Director General, on
//! how the portal ran). A report is a list of [`Table`]s, so the JSON of
//! the API, the editor's page with its charts and the spreadsheet (one
//! sheet per table) are the same figures.

pub mod annual;

use serde::Serialize;

use crate::lang::Lang;

/// What a column holds, for formatting and charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Text,
    Count,
    /// A share, 0–1.
    Rate,
    Hours,
    /// Whole đồng.
    Money,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Column {
    pub key: &'static str,
    pub vi: String,
    pub en: String,
    pub measure: Measure,
}

impl Column {
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.vi, &self.en)
    }
}

/// A cell: text, a whole number, a decimal, or nothing (no data).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    Int(i64),
    Float(f64),
    Empty,
}

impl Cell {
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Float(f) => Some(*f),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    /// Stable name (`publications_by_month`…), the sheet's and the API's key.
    pub key: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn title(&self, lang: Lang) -> &'static str {
        lang.pick(self.vi, self.en)
    }

    /// The values of column `key`, row by row.
    pub fn column(&self, key: &str) -> Vec<&Cell> {
        match self.columns.iter().position(|c| c.key == key) {
            Some(i) => self.rows.iter().filter_map(|r| r.get(i)).collect(),
            None => Vec::new(),
        }
    }
}

pub(crate) fn col(key: &'static str, vi: &str, en: &str, measure: Measure) -> Column {
    Column {
        key,
        vi: vi.to_owned(),
        en: en.to_owned(),
        measure,
    }
}

/// The twelve month columns (`m01`…`m12`).
pub(crate) fn month_columns() -> Vec<Column> {
    const KEYS: [&str; 12] = [
        "m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "m09", "m10", "m11", "m12",
    ];
    KEYS.iter()
        .enumerate()
        .map(|(i, k)| {
            col(
                k,
                &format!("Tháng {}", i + 1),
                &format!("M{}", i + 1),
                Measure::Count,
            )
        })
        .collect()
}
