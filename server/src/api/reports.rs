//! The annual operations report (Đ6.4b) as JSON or a workbook.

use chrono::NaiveDate;
use content::reports::{Cell, Measure};
use poem::Request;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi};

use super::Tag;
use super::download::{Download, JsonOrFile};
use crate::auth::{require, require_role};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct ReportsApi(pub AppState);

/// `json` (default) or `xlsx` (one sheet per table).
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
enum AnnualReportFormat {
    Json,
    Xlsx,
}

/// What a column holds.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
enum ReportMeasure {
    Text,
    Count,
    /// A share between 0 and 1.
    Rate,
    Hours,
    /// Whole đồng.
    Money,
}

#[derive(Object)]
struct ReportColumn {
    key: String,
    vi: String,
    en: String,
    measure: ReportMeasure,
}

#[derive(Object)]
struct ReportTable {
    /// Stable name: `publications_by_section`, `time_to_publish`,
    /// `qa_on_time`, `search_top`, `views_by_section`, `most_read`,
    /// `royalties_by_holder`, `provisions_by_unit`…
    key: String,
    title_vi: String,
    title_en: String,
    columns: Vec<ReportColumn>,
    /// One array per row, a value per column: a string, a number, or
    /// null where there is no figure.
    rows: Vec<Vec<serde_json::Value>>,
}

#[derive(Object)]
struct AnnualReport {
    year: i32,
    /// The day the figures stand on: the year's last day, or today.
    as_of: NaiveDate,
    tables: Vec<ReportTable>,
}

fn cell(c: &Cell) -> serde_json::Value {
    match c {
        Cell::Text(s) => serde_json::Value::from(s.clone()),
        Cell::Int(n) => serde_json::Value::from(*n),
        Cell::Float(f) => serde_json::Value::from(*f),
        Cell::Empty => serde_json::Value::Null,
    }
}

#[OpenApi(tag = "Tag::Reports")]
impl ReportsApi {
    /// The year's operations report for the Director General (Đ6.4b):
    /// publications per section, month, unit and edition, time to publish,
    /// corrections and withdrawals, the Q&A on time per stage and unit,
    /// consultations, searches, page views and the most read articles,
    /// royalties per budget holder and information deadlines per unit
    /// (the board, the Communication Centre and admins).
    #[oai(path = "/reports/annual", method = "get")]
    async fn annual(
        &self,
        req: &Request,
        #[oai(validator(minimum(value = "1900"), maximum(value = "2199")))] year: Query<i32>,
        format: Query<Option<AnnualReportFormat>>,
    ) -> Result<JsonOrFile<AnnualReport>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &content::roles::OVERSIGHT)?;
        let report = build(st, year.0).await?;
        if format.0 == Some(AnnualReportFormat::Xlsx) {
            let bytes = crate::annual_report::workbook(&report)?;
            return Ok(JsonOrFile::File(Download::from_bytes(
                bytes,
                crate::spreadsheet::XLSX_TYPE,
                format!("bao-cao-nam-{}.xlsx", year.0),
            )));
        }
        Ok(JsonOrFile::Json(Json(AnnualReport {
            year: report.year,
            as_of: report.as_of,
            tables: report
                .tables
                .iter()
                .map(|t| ReportTable {
                    key: t.key.to_owned(),
                    title_vi: t.vi.to_owned(),
                    title_en: t.en.to_owned(),
                    columns: t
                        .columns
                        .iter()
                        .map(|c| ReportColumn {
                            key: c.key.to_owned(),
                            vi: c.vi.clone(),
                            en: c.en.clone(),
                            measure: match c.measure {
                                Measure::Text => ReportMeasure::Text,
                                Measure::Count => ReportMeasure::Count,
                                Measure::Rate => ReportMeasure::Rate,
                                Measure::Hours => ReportMeasure::Hours,
                                Measure::Money => ReportMeasure::Money,
                            },
                        })
                        .collect(),
                    rows: t.rows.iter().map(|r| r.iter().map(cell).collect()).collect(),
                })
                .collect(),
        })))
    }
}

/// The report for `year` as it stands today.
pub(crate) async fn build(st: &AppState, year: i32) -> Result<content::reports::annual::Report, ApiError> {
    let cal = content::holidays::calendar(&st.db)
        .await
        .map_err(ApiError::from)?;
    content::reports::annual::build(&st.db, &cal, year, content::time::today_vn())
        .await
        .map_err(ApiError::from)
}
