//! Days as Vietnamese screens show and take them: `dd/mm/yyyy`, and the
//! browser's date picker (`yyyy-mm-dd`) accepted too.

use chrono::NaiveDate;

pub(crate) fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A date typed as `2026-11-30` (the date picker) or `30/11/2026`.
pub(crate) fn parse_day(field: &str, s: &str) -> Result<NaiveDate, content::Error> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| {
            content::Error::invalid_in(
                field,
                "is not a date (dd/mm/yyyy)",
                "Ngày không hợp lệ (dd/mm/yyyy)",
            )
        })
        .and_then(|d| content::text::check_date(field, d).map(|_| d))
}

/// A day typed into a list's filter (`key` of the query): what to show
/// back in the box (the day as dd/mm/yyyy, or what was typed when it is
/// not a day) and the day. A wrong one adds its refusal, in `lang` and
/// named by the label `label_key`, to `errors`.
pub(crate) fn filter_day(
    req: &poem::Request,
    key: &str,
    label_key: &str,
    lang: content::lang::Lang,
    errors: &mut Vec<String>,
) -> (String, Option<NaiveDate>) {
    let typed = crate::forms::query(req, key).unwrap_or_default();
    if typed.trim().is_empty() {
        return (typed, None);
    }
    match parse_day(key, &typed) {
        Ok(d) => (dmy(d), Some(d)),
        Err(e) => {
            errors.push(format!(
                "{}: {}",
                editor_ui::text(lang, label_key),
                e.message_in(lang)
            ));
            (typed, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_both_ways_and_refuse_impossible_ones() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(parse_day("d", "30/11/2026").unwrap(), d);
        assert_eq!(parse_day("d", "2026-11-30").unwrap(), d);
        assert_eq!(dmy(d), "30/11/2026");
        assert!(parse_day("d", "31/02/2026").is_err());
    }
}
