//! The annual operations report (Đ6.4b) as the server delivers it: the
//! domain's tables as a workbook (one sheet each) and as SVG charts for
//! the editor's page, drawn by `plotters` and labelled for screen readers
//! and print.

use content::lang::Lang;
use content::reports::annual::Report;
use content::reports::{Cell, Measure, Table};
use plotters::prelude::*;

use crate::problem::ApiError;
use crate::spreadsheet;

/// One sheet per table, Vietnamese headings, numbers kept numbers.
pub fn workbook(report: &Report) -> Result<Vec<u8>, ApiError> {
    let sheets: Vec<spreadsheet::Table> = report.tables.iter().map(|t| sheet(t, report.year)).collect();
    spreadsheet::xlsx_sheets(&sheets)
}

fn sheet(t: &Table, year: i32) -> spreadsheet::Table {
    spreadsheet::Table {
        sheet: t.key.replace('_', " "),
        title: Some(format!("{} — năm {year}", t.vi)),
        head: t.columns.iter().map(|c| c.vi.clone()).collect(),
        rows: t
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&t.columns)
                    .map(|(cell, col)| match (cell, col.measure) {
                        (Cell::Text(s), _) => spreadsheet::Cell::Text(s.clone()),
                        (Cell::Int(n), Measure::Money) => spreadsheet::Cell::Money(*n),
                        (Cell::Int(n), _) => spreadsheet::Cell::Number(*n),
                        (Cell::Float(f), Measure::Rate) => spreadsheet::Cell::Percent(*f),
                        (Cell::Float(f), _) => spreadsheet::Cell::Decimal(*f),
                        (Cell::Empty, _) => spreadsheet::Cell::Empty,
                    })
                    .collect()
            })
            .collect(),
    }
}

/// A chart and what it says in words (its text alternative).
#[derive(serde::Serialize)]
pub struct Chart {
    pub title: String,
    pub svg: String,
    pub summary: String,
}

/// The report's charts: publications and page views per month, and the
/// Q&A's on-time rate per stage.
pub fn charts(report: &Report, lang: Lang) -> Vec<Chart> {
    let months: Vec<String> = (1..=12).map(|m| format!("{m}")).collect();
    let mut out = Vec::new();
    let per_month = |key: &str, col: &str| -> Option<Vec<f64>> {
        let t = report.table(key)?;
        Some(t.column(col).iter().map(|c| c.number().unwrap_or(0.0)).collect())
    };
    if let Some(values) = per_month("publications_by_month", "posts") {
        out.push(bar_chart(
            lang.pick("Tin bài đăng theo tháng", "Publications per month"),
            lang.pick("Tháng", "Month"),
            &months,
            &values,
            false,
        ));
    }
    if let Some(values) = per_month("views_by_month", "views") {
        out.push(bar_chart(
            lang.pick("Lượt xem tin bài theo tháng", "Article views per month"),
            lang.pick("Tháng", "Month"),
            &months,
            &values,
            false,
        ));
    }
    if let Some(t) = report.table("qa_on_time") {
        // The domain names the all-units line in Vietnamese.
        let all = "Tất cả";
        let (labels, values): (Vec<String>, Vec<f64>) = t
            .rows
            .iter()
            .filter(|r| matches!(r.get(1), Some(Cell::Text(u)) if u == all))
            .filter_map(|r| match (r.first(), r.get(5).and_then(Cell::number)) {
                (Some(Cell::Text(stage)), Some(rate)) => Some((stage.clone(), rate * 100.0)),
                _ => None,
            })
            .unzip();
        if !labels.is_empty() {
            out.push(bar_chart(
                lang.pick(
                    "Hỏi đáp: tỷ lệ đúng hạn theo bước (%)",
                    "Q&A: on-time rate per stage (%)",
                ),
                lang.pick("Bước", "Stage"),
                &labels,
                &values,
                true,
            ));
        }
    }
    out
}

/// The value as people read it: whole numbers grouped with dots in
/// Vietnamese, a percent with one decimal.
fn shown(v: f64, percent: bool) -> String {
    if percent {
        return format!("{v:.1}%");
    }
    content::text::group_digits(v.round() as i64)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar chart with a value above each bar.
fn bar_chart(title: &str, x_desc: &str, labels: &[String], values: &[f64], percent: bool) -> Chart {
    let summary = labels
        .iter()
        .zip(values)
        .map(|(l, v)| format!("{x_desc} {l}: {}", shown(*v, percent)))
        .collect::<Vec<_>>()
        .join("; ");
    let mut svg = String::new();
    let failed = draw(&mut svg, x_desc, labels, values, percent)
        .err()
        .map(|e| e.to_string());
    if let Some(e) = failed {
        tracing::warn!(error = %e, chart = title, "cannot draw a chart; the table below it holds the figures");
        svg.clear();
    }
    let svg = svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMinYMin meet\" class=\"chart\" ",
            escape(title)
        ),
        1,
    );
    let svg = match svg.find('>') {
        Some(i) => format!(
            "{}<title>{}</title><desc>{}</desc>{}",
            &svg[..=i],
            escape(title),
            escape(&summary),
            &svg[i + 1..]
        ),
        None => svg,
    };
    Chart {
        title: title.to_owned(),
        svg,
        summary,
    }
}

fn draw<'a>(
    svg: &'a mut String,
    x_desc: &str,
    labels: &[String],
    values: &[f64],
    percent: bool,
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let ink = RGBColor(0x1f, 0x3a, 0x5f);
    let root = SVGBackend::with_string(svg, (720, 300)).into_drawing_area();
    root.fill(&WHITE)?;
    let top = values.iter().copied().fold(0.0, f64::max);
    let top = if percent { 100.0 } else { (top * 1.15).max(1.0) };
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(64)
        .build_cartesian_2d((0..labels.len()).into_segmented(), 0f64..top)?;
    let label_of = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .x_labels(labels.len())
        .x_label_formatter(&label_of)
        // Counts are whole: a tick between two integers gets no label.
        .y_label_formatter(&|v| {
            if percent || v.fract() == 0.0 {
                shown(*v, percent)
            } else {
                String::new()
            }
        })
        .x_desc(x_desc)
        .label_style(("sans-serif", 14).into_font().color(&BLACK))
        .axis_desc_style(("sans-serif", 14).into_font().color(&BLACK))
        .draw()?;
    chart.draw_series(values.iter().enumerate().map(|(i, v)| {
        let mut bar = Rectangle::new(
            [(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), *v)],
            ink.filled(),
        );
        bar.set_margin(0, 0, 6, 6);
        bar
    }))?;
    chart.draw_series(values.iter().enumerate().map(|(i, v)| {
        Text::new(
            shown(*v, percent),
            (SegmentValue::CenterOf(i), *v + top * 0.02),
            ("sans-serif", 12)
                .into_font()
                .color(&BLACK)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Bottom,
                )),
        )
    }))?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_chart_is_labelled_svg() {
        let labels: Vec<String> = (1..=3).map(|m| m.to_string()).collect();
        let c = bar_chart("Tin bài theo tháng", "Tháng", &labels, &[3.0, 1500.0, 0.0], false);
        assert!(
            c.svg
                .starts_with("<svg role=\"img\" aria-label=\"Tin bài theo tháng\""),
            "{}",
            &c.svg[..80.min(c.svg.len())]
        );
        assert!(c.svg.contains("<title>Tin bài theo tháng</title>"));
        assert!(c.svg.contains("1.500"));
        assert_eq!(c.summary, "Tháng 1: 3; Tháng 2: 1.500; Tháng 3: 0");
        assert!(c.svg.contains("<rect"));
    }

    #[test]
    fn numbers_are_grouped_the_vietnamese_way() {
        assert_eq!(shown(1234567.0, false), "1.234.567");
        assert_eq!(shown(12.0, false), "12");
        assert_eq!(shown(87.46, true), "87.5%");
    }
}
