//! Tables for download: CSV (UTF-8 with a byte order mark, which Excel
//! needs to read Vietnamese) and XLSX through `rust_xlsxwriter`, with
//! typed cells so amounts stay numbers in đồng format and dates stay dates.
//! Worksheets are written in constant-memory mode: a year's statement of
//! 50,000 lines streams row by row instead of being held whole.

use chrono::{Datelike, NaiveDate};
use content::entity::draft_comment;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

use crate::problem::ApiError;

/// The media type of an XLSX workbook.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The media type of the CSV tables.
pub const CSV_TYPE: &str = "text/csv; charset=utf-8";

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// Whole đồng.
    Money(i64),
    /// A count or an id.
    Number(i64),
    /// A measure with one decimal (hours).
    Decimal(f64),
    /// A share, 0–1, shown as a percentage.
    Percent(f64),
    Date(NaiveDate),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<Option<NaiveDate>> for Cell {
    fn from(d: Option<NaiveDate>) -> Self {
        d.map(Cell::Date).unwrap_or(Cell::Empty)
    }
}

/// A table: the sheet's name, its header row, its rows, and an optional
/// title line above them.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub sheet: String,
    pub title: Option<String>,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The comments of a draft, one row each, with the header in Vietnamese.
pub fn comment_table(all: &[draft_comment::Model]) -> Table {
    let head = [
        "Số thứ tự",
        "Họ và tên",
        "Thư điện tử",
        "Cơ quan, tổ chức",
        "Điều, khoản",
        "Nội dung góp ý",
        "Thời gian gửi",
        "Tình trạng",
        "Lý do không đăng",
        "Tệp đính kèm",
    ]
    .map(str::to_owned)
    .to_vec();
    let rows = all
        .iter()
        .map(|c| {
            let state = c
                .state
                .parse::<content::entries::comments::CommentState>()
                .map(|s| s.label_vi().to_owned())
                .unwrap_or_else(|_| c.state.clone());
            vec![
                Cell::Number(i64::from(c.id)),
                c.name.clone().into(),
                c.email.clone().into(),
                c.organisation.clone().unwrap_or_default().into(),
                c.clause.clone().unwrap_or_default().into(),
                c.text.clone().into(),
                content::time::format_vn(c.created_at).into(),
                state.into(),
                c.reason.clone().unwrap_or_default().into(),
                c.attachment_name.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    Table {
        sheet: "Góp ý".into(),
        title: None,
        head,
        rows,
    }
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "cannot write the spreadsheet");
    ApiError::internal()
}

/// The table as CSV: amounts as plain whole numbers, dates `dd/mm/yyyy`.
pub fn csv(t: &Table) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    if let Some(title) = &t.title {
        w.write_record([title.as_str()]).map_err(internal)?;
    }
    w.write_record(&t.head).map_err(internal)?;
    let mut record: Vec<String> = Vec::new();
    for row in &t.rows {
        record.clear();
        record.extend(row.iter().map(|c| match c {
            Cell::Text(s) => s.clone(),
            Cell::Money(v) | Cell::Number(v) => v.to_string(),
            Cell::Decimal(v) => format!("{v:.1}"),
            Cell::Percent(v) => format!("{:.1}", v * 100.0),
            Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
            Cell::Empty => String::new(),
        }));
        w.write_record(&record).map_err(internal)?;
    }
    w.into_inner().map_err(internal)
}

/// Text a cell may hold: XML forbids most control characters.
fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        s.chars()
            .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

fn workbook(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let mut names: Vec<String> = Vec::new();
    for t in tables {
        sheet(&mut wb, t, &mut names)?;
    }
    wb.save_to_buffer()
}

/// Writes `t` as the next sheet, under a name no other sheet has.
fn sheet(wb: &mut Workbook, t: &Table, names: &mut Vec<String>) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let money = Format::new().set_num_format("#,##0");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let decimal = Format::new().set_num_format("0.0");
    let percent = Format::new().set_num_format("0.0%");
    let ws = wb.add_worksheet_with_constant_memory()?;
    let clean: String = t
        .sheet
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(28)
        .collect();
    let base = if clean.trim().is_empty() {
        format!("Sheet{}", names.len() + 1)
    } else {
        clean
    };
    let mut name = base.clone();
    let mut n = 1;
    while names.iter().any(|x| x.eq_ignore_ascii_case(&name)) {
        n += 1;
        name = format!("{base} {n}");
    }
    ws.set_name(&name)?;
    names.push(name);
    let mut r: u32 = 0;
    if let Some(title) = &t.title {
        ws.write_string_with_format(r, 0, cell_text(title), &bold)?;
        r += 1;
    }
    for (c, h) in t.head.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(r, c, cell_text(h), &head)?;
        let width = t
            .rows
            .iter()
            .take(200)
            .filter_map(|row| match row.get(c as usize) {
                Some(Cell::Text(s)) => Some(s.chars().count()),
                Some(Cell::Money(_)) => Some(14),
                Some(Cell::Date(_)) => Some(11),
                _ => None,
            })
            .chain([h.chars().count().min(24)])
            .max()
            .unwrap_or(10)
            .clamp(8, 60);
        ws.set_column_width(c, width as f64 + 2.0)?;
    }
    ws.set_freeze_panes(r + 1, 0)?;
    for row in &t.rows {
        r += 1;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, cell_text(s))?;
                }
                Cell::Money(v) => {
                    ws.write_number_with_format(r, c, *v as f64, &money)?;
                }
                Cell::Number(v) => {
                    ws.write_number(r, c, *v as f64)?;
                }
                Cell::Decimal(v) => {
                    ws.write_number_with_format(r, c, *v, &decimal)?;
                }
                Cell::Percent(v) => {
                    ws.write_number_with_format(r, c, *v, &percent)?;
                }
                Cell::Date(d) => {
                    let dt = ExcelDateTime::from_ymd(
                        u16::try_from(d.year()).unwrap_or(1900),
                        u8::try_from(d.month()).unwrap_or(1),
                        u8::try_from(d.day()).unwrap_or(1),
                    )?;
                    ws.write_datetime_with_format(r, c, &dt, &date)?;
                }
                Cell::Empty => {}
            }
        }
    }
    Ok(())
}

/// The table as an XLSX workbook of one sheet.
pub fn xlsx(t: &Table) -> Result<Vec<u8>, ApiError> {
    workbook(std::slice::from_ref(t)).map_err(internal)
}

/// Several tables as one workbook, a sheet each.
pub fn xlsx_sheets(tables: &[Table]) -> Result<Vec<u8>, ApiError> {
    workbook(tables).map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            sheet: "Bảng kê [2026]".into(),
            title: Some("Bảng kê nhuận bút".into()),
            head: vec!["Họ và tên".into(), "Số tiền (đồng)".into(), "Ngày chi".into()],
            rows: vec![vec![
                "Nguyễn Văn A\u{1}".into(),
                Cell::Money(2_530_000),
                Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()),
            ]],
        }
    }

    #[test]
    fn csv_keeps_amounts_as_numbers_and_days_vietnamese() {
        let out = String::from_utf8(csv(&table()).unwrap()).unwrap();
        assert!(out.starts_with('\u{feff}'));
        assert!(out.contains("Nguyễn Văn A\u{1},2530000,02/11/2026"), "{out}");
    }

    #[test]
    fn a_workbook_is_a_zip_even_with_control_characters() {
        let mut t = table();
        t.rows.push(vec![Cell::Empty, Cell::Money(-5), Cell::Number(3)]);
        let x = workbook(std::slice::from_ref(&t)).unwrap();
        assert_eq!(&x[..4], b"PK\x03\x04");
    }
}
