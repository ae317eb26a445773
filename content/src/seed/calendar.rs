//! The government's announced holiday arrangements for recent years: which
//! weekdays the civil service takes off (the chosen Tết days, the day next
//! to National Day, swapped days) and which Saturdays are worked instead.
//! The law's rules ([`crate::calendar::law`]) give a default; these are
//! turned into admin overrides at seeding, each citing its source, so the
//! calendar matches what offices actually did. Later years are entered by
//! admins as the government announces them.

use chrono::NaiveDate;

use crate::calendar::{Calendar, Override, OverrideKind};

/// One year's arrangement for civil servants.
pub struct Arrangement {
    pub year: i32,
    /// Every weekday off that year (holidays included), as (month, day).
    pub days_off: &'static [(u32, u32)],
    /// Saturdays worked to make up a swapped day.
    pub make_up: &'static [(u32, u32)],
    /// The announcements it comes from.
    pub source: &'static str,
}

/// The arrangements verified against the announcements (government and
/// ministry notices as reported by the press).
pub const ARRANGEMENTS: &[Arrangement] = &[
    Arrangement {
        year: 2023,
        days_off: &[
            (1, 2),
            (1, 20),
            (1, 23),
            (1, 24),
            (1, 25),
            (1, 26),
            (5, 1),
            (5, 2),
            (5, 3),
            (9, 1),
            (9, 4),
        ],
        make_up: &[],
        source: "Công văn 8056/VPCP-KGVX ngày 01/12/2022; Thông báo 5034/TB-LĐTBXH",
    },
    Arrangement {
        year: 2024,
        days_off: &[
            (1, 1),
            (2, 8),
            (2, 9),
            (2, 12),
            (2, 13),
            (2, 14),
            (4, 18),
            (4, 29),
            (4, 30),
            (5, 1),
            (9, 2),
            (9, 3),
        ],
        make_up: &[(5, 4)],
        source: "Thông báo 5015/TB-LĐTBXH ngày 22/11/2023; Công văn 2450/VPCP-KGVX ngày 12/4/2024",
    },
    Arrangement {
        year: 2025,
        days_off: &[
            (1, 1),
            (1, 27),
            (1, 28),
            (1, 29),
            (1, 30),
            (1, 31),
            (4, 7),
            (4, 30),
            (5, 1),
            (5, 2),
            (9, 1),
            (9, 2),
        ],
        make_up: &[(4, 26)],
        source: "Công văn 8726/VPCP-KGVX ngày 26/11/2024; Thông báo 6150/TB-LĐTBXH",
    },
    Arrangement {
        year: 2026,
        days_off: &[
            (1, 1),
            (1, 2),
            (2, 16),
            (2, 17),
            (2, 18),
            (2, 19),
            (2, 20),
            (4, 27),
            (4, 30),
            (5, 1),
            (8, 31),
            (9, 1),
            (9, 2),
            (11, 24),
        ],
        make_up: &[(1, 10), (8, 22)],
        source: "Công văn 12729/VPCP-KGVX ngày 25/12/2025; Thông báo 9441/TB-BNV ngày 16/10/2025",
    },
];

fn date(year: i32, (month, day): (u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

impl Arrangement {
    /// The overrides that turn the law's default for the year into this
    /// arrangement: days off the default lacks, default days off the
    /// government kept as working days, and the make-up Saturdays.
    pub fn overrides(&self, law: &Calendar) -> Vec<Override> {
        let official: Vec<NaiveDate> = self.days_off.iter().filter_map(|d| date(self.year, *d)).collect();
        let default: Vec<NaiveDate> = law.days_off(self.year).into_iter().map(|d| d.date).collect();
        let mut out = Vec::new();
        for d in official.iter().filter(|d| !default.contains(d)) {
            out.push(Override {
                date: *d,
                kind: OverrideKind::DayOff,
                reason: format!("Nghỉ theo {}", self.source),
            });
        }
        for d in default.iter().filter(|d| !official.contains(d)) {
            out.push(Override {
                date: *d,
                kind: OverrideKind::WorkingDay,
                reason: format!("Làm việc theo {}", self.source),
            });
        }
        for d in self.make_up.iter().filter_map(|d| date(self.year, *d)) {
            out.push(Override {
                date: d,
                kind: OverrideKind::WorkingDay,
                reason: format!("Làm bù theo {}", self.source),
            });
        }
        out.sort_by_key(|o| o.date);
        out
    }
}

/// Every seed override, all years.
pub fn overrides() -> Vec<Override> {
    let law = Calendar::default();
    ARRANGEMENTS.iter().flat_map(|a| a.overrides(&law)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    /// With the seed overrides, each year's weekdays off are exactly the
    /// announced ones, and the make-up Saturdays are working days.
    #[test]
    fn seeded_years_match_the_announcements() {
        let cal = Calendar::new(overrides());
        for a in ARRANGEMENTS {
            let got: Vec<NaiveDate> = cal.days_off(a.year).into_iter().map(|d| d.date).collect();
            let want: Vec<NaiveDate> = a.days_off.iter().filter_map(|d| date(a.year, *d)).collect();
            assert_eq!(got, want, "{}", a.year);
            for d in a.make_up.iter().filter_map(|d| date(a.year, *d)) {
                assert_eq!(d.weekday(), chrono::Weekday::Sat);
                assert!(cal.is_working_day(d), "{d}");
            }
        }
    }

    /// Resolution 28/2026/QH16: 24 November is a day off from 2026 on, so
    /// a deadline across it is one working day later; not before 2026-07-01.
    #[test]
    fn culture_day_moves_deadlines_from_2026() {
        let cal = Calendar::default();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(!cal.is_working_day(d(2026, 11, 24)));
        assert!(!cal.is_working_day(d(2027, 11, 24)));
        assert!(
            cal.is_working_day(d(2025, 11, 24)),
            "not a holiday before 2026-07-01"
        );
        // Monday 23/11/2026 + 1 working day skips Tuesday 24/11.
        assert_eq!(cal.add_working_days(d(2026, 11, 23), 1), d(2026, 11, 25));
        // Tuesday 23/11/2027 + 1 skips Wednesday 24/11.
        assert_eq!(cal.add_working_days(d(2027, 11, 23), 1), d(2027, 11, 25));
        // On a Saturday (2029) it is compensated on Monday (art. 111.3).
        assert!(!cal.is_working_day(d(2029, 11, 26)));
    }
}
