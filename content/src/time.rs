//! Time: stored in UTC, shown in Vietnam time (Asia/Ho_Chi_Minh, UTC+7).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

/// The current instant, truncated to whole microseconds so that it survives
/// a round trip through either database unchanged.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

/// Today in Vietnam: the day deadlines, delegation periods and reports
/// count in, whatever the server's own time zone.
pub fn today_vn() -> NaiveDate {
    date_vn(now())
}

/// The Vietnam calendar day of an instant.
pub fn date_vn(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Ho_Chi_Minh).date_naive()
}

/// The instant a Vietnam calendar day starts (Vietnam keeps no daylight
/// saving, so every day has a midnight).
pub fn start_of_day_vn(d: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    Ho_Chi_Minh
        .from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| d.and_time(chrono::NaiveTime::MIN).and_utc())
}

/// `dd/mm/yyyy HH:MM` in Vietnam time, as Vietnamese readers expect.
pub fn format_vn(t: DateTime<Utc>) -> String {
    t.with_timezone(&Ho_Chi_Minh).format("%d/%m/%Y %H:%M").to_string()
}

/// `yyyy-mm-ddTHH:MM` in Vietnam time, the value of a `datetime-local`
/// input.
pub fn local_input_vn(t: DateTime<Utc>) -> String {
    t.with_timezone(&Ho_Chi_Minh).format("%Y-%m-%dT%H:%M").to_string()
}

/// RFC 3339 in Vietnam time (`+07:00`), for API clients.
pub fn rfc3339_vn(t: DateTime<Utc>) -> String {
    t.with_timezone(&Ho_Chi_Minh)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_time_is_utc_plus_seven() {
        let t = DateTime::parse_from_rfc3339("2026-01-31T20:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(format_vn(t), "01/02/2026 03:30");
        assert_eq!(rfc3339_vn(t), "2026-02-01T03:30:00+07:00");
    }
}
