//! The citizens' Q&A clocks (Đ11.1a "Hỏi đáp", Đ7.2b, Đ4.1c): every stage of
//! a question has a deadline in working days, counted from the day after
//! receipt on the Vietnamese working-day calendar.
//!
//! - an unclear or out-of-scope question: the asker is told the same day;
//! - the Support Centre classifies and answers or forwards it within 5
//!   working days (a warning from the 2nd);
//! - the responsible unit answers, or sends a progress notice naming a new
//!   date, within 7 working days of receipt (10 when several units share it);
//! - once the answer is in, it is sent and published within 2 working days.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::Calendar;

/// Working days to classify or forward (Đ11.1a: "từ 02 đến 05 ngày làm việc").
pub const CLASSIFY_DAYS: u32 = 5;
/// From this many working days on, classification is due soon.
pub const CLASSIFY_WARNING_DAYS: u32 = 2;
/// Working days for the unit's answer or progress notice.
pub const ANSWER_DAYS: u32 = 7;
/// The same when the question needs several units.
pub const ANSWER_DAYS_COMPLEX: u32 = 10;
/// Working days to send and publish an answer once it is in.
pub const PUBLISH_DAYS: u32 = 2;

/// The working days of each stage: the Q&A's by default ([`QA_DAYS`]);
/// proposals and petitions have their own, configurable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Days {
    pub classify: u32,
    pub classify_warning: u32,
    pub answer: u32,
    pub answer_complex: u32,
    pub publish: u32,
}

/// The Q&A's days (Đ11.1a).
pub const QA_DAYS: Days = Days {
    classify: CLASSIFY_DAYS,
    classify_warning: CLASSIFY_WARNING_DAYS,
    answer: ANSWER_DAYS,
    answer_complex: ANSWER_DAYS_COMPLEX,
    publish: PUBLISH_DAYS,
};

impl Default for Days {
    fn default() -> Self {
        QA_DAYS
    }
}

/// Where a clock stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    OnTrack,
    /// One working day or less left.
    DueSoon,
    Overdue,
    /// The stage is done.
    Done,
}

/// The facts of a question that its clocks depend on.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    pub received: Option<NaiveDate>,
    pub complex: bool,
    pub classified: Option<NaiveDate>,
    /// The date a progress notice promised, which replaces the answer deadline.
    pub promised: Option<NaiveDate>,
    pub answered: Option<NaiveDate>,
    pub published: Option<NaiveDate>,
    pub sent: Option<NaiveDate>,
    /// Rejected as unclear or out of scope (the notice is due the same day).
    pub rejected: Option<NaiveDate>,
    /// The working days of its channel.
    pub days: Days,
}

/// The deadlines of a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    pub classify_by: NaiveDate,
    pub answer_by: NaiveDate,
    /// Known once the answer is in.
    pub publish_by: Option<NaiveDate>,
}

/// Computes the deadlines from the receipt date (not counted itself).
pub fn deadlines(cal: &Calendar, received: NaiveDate, t: &Timeline) -> Deadlines {
    let answer_days = if t.complex {
        t.days.answer_complex
    } else {
        t.days.answer
    };
    Deadlines {
        classify_by: cal.add_working_days(received, t.days.classify),
        answer_by: t
            .promised
            .unwrap_or_else(|| cal.add_working_days(received, answer_days)),
        publish_by: t.answered.map(|a| cal.add_working_days(a, t.days.publish)),
    }
}

/// Where one clock stands on `today`: overdue after its deadline, due soon
/// when at most one working day is left.
pub fn clock(cal: &Calendar, due: NaiveDate, done: Option<NaiveDate>, today: NaiveDate) -> ClockStatus {
    if done.is_some() {
        return ClockStatus::Done;
    }
    if today > due {
        return ClockStatus::Overdue;
    }
    if cal.working_days_between(today, due) <= 1 {
        ClockStatus::DueSoon
    } else {
        ClockStatus::OnTrack
    }
}

/// The classification clock, which warns from the 2nd working day after
/// receipt rather than one day before its deadline.
pub fn classify_clock(
    cal: &Calendar,
    received: NaiveDate,
    days: &Days,
    done: Option<NaiveDate>,
    today: NaiveDate,
) -> ClockStatus {
    let due = cal.add_working_days(received, days.classify);
    match clock(cal, due, done, today) {
        ClockStatus::OnTrack if today >= cal.add_working_days(received, days.classify_warning) => {
            ClockStatus::DueSoon
        }
        other => other,
    }
}

/// The status of every open clock of a question, and the worst of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Clocks {
    pub classify: ClockStatus,
    pub answer: ClockStatus,
    pub publish: ClockStatus,
    pub overall: ClockStatus,
}

fn worst(a: ClockStatus, b: ClockStatus) -> ClockStatus {
    use ClockStatus::*;
    let rank = |s| match s {
        Overdue => 3,
        DueSoon => 2,
        OnTrack => 1,
        Done => 0,
    };
    if rank(a) >= rank(b) { a } else { b }
}

/// Every clock of a question on `today`.
pub fn clocks(cal: &Calendar, received: NaiveDate, t: &Timeline, today: NaiveDate) -> Clocks {
    let d = deadlines(cal, received, t);
    if let Some(r) = t.rejected {
        let s = if r <= received {
            ClockStatus::Done
        } else {
            ClockStatus::Overdue
        };
        return Clocks {
            classify: s,
            answer: ClockStatus::Done,
            publish: ClockStatus::Done,
            overall: s,
        };
    }
    let classify = classify_clock(cal, received, &t.days, t.classified.or(t.answered), today);
    let answer = clock(
        cal,
        d.answer_by,
        t.answered.or(t.promised.filter(|p| *p > today)),
        today,
    );
    let publish = match d.publish_by {
        Some(due) => clock(cal, due, t.published.and(t.sent), today),
        None => ClockStatus::Done,
    };
    let answer = if t.answered.is_some() {
        ClockStatus::Done
    } else {
        answer
    };
    let overall = worst(worst(classify, answer), publish);
    Clocks {
        classify,
        answer,
        publish,
        overall,
    }
}

/// The two dates that decide a question's overall clock (Đ11.1a deadlines,
/// warnings as in [`clock`] and [`classify_clock`]) whatever the day:
/// overdue after `due`, due soon from `warn` on. Stored with each question,
/// they let an inbox sort and count a whole backlog in SQL; only an action
/// or a change to the calendar moves them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub due: NaiveDate,
    pub warn: NaiveDate,
}

/// The [`Schedule`] of the clocks still running, or `None` when none is
/// (rejected, or answered, published and sent). Agrees with
/// [`clocks`]`.overall` on every day: overdue exactly when `today > due`,
/// due soon exactly when not overdue and `today >= warn`.
pub fn schedule(cal: &Calendar, received: NaiveDate, t: &Timeline) -> Option<Schedule> {
    if t.rejected.is_some() {
        return None;
    }
    let d = deadlines(cal, received, t);
    let mut running: Vec<Schedule> = Vec::new();
    if t.classified.or(t.answered).is_none() {
        running.push(Schedule {
            due: d.classify_by,
            warn: warn_from(cal, d.classify_by).min(cal.add_working_days(received, t.days.classify_warning)),
        });
    }
    if t.answered.is_none() {
        // A promised date counts only once reached: until then the clock
        // stands still (see `clocks`).
        let warn = match t.promised {
            Some(promised) => promised,
            None => warn_from(cal, d.answer_by),
        };
        running.push(Schedule {
            due: d.answer_by,
            warn,
        });
    }
    if let Some(due) = d.publish_by.filter(|_| t.published.and(t.sent).is_none()) {
        running.push(Schedule {
            due,
            warn: warn_from(cal, due),
        });
    }
    Some(Schedule {
        due: running.iter().map(|s| s.due).min()?,
        warn: running.iter().map(|s| s.warn).min()?,
    })
}

/// The first day from which at most one working day is left before `due`.
fn warn_from(cal: &Calendar, due: NaiveDate) -> NaiveDate {
    let mut day = due;
    while let Some(before) = day.pred_opt() {
        if cal.working_days_between(before, due) > 1 {
            break;
        }
        day = before;
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_agrees_with_the_clocks_every_day() {
        let cal = Calendar::default();
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Around weekends, 30/4–1/5 and Tết 2027 (6/2).
        for received in [
            "2025-04-25",
            "2025-04-29",
            "2025-05-02",
            "2027-02-03",
            "2027-02-05",
        ] {
            let received = day(received);
            let after = |n: i64| Some(received + chrono::Duration::days(n));
            let timelines = [
                Timeline::default(),
                Timeline {
                    complex: true,
                    ..Timeline::default()
                },
                Timeline {
                    classified: after(1),
                    ..Timeline::default()
                },
                Timeline {
                    classified: after(1),
                    promised: after(20),
                    ..Timeline::default()
                },
                Timeline {
                    classified: after(2),
                    answered: after(6),
                    ..Timeline::default()
                },
                Timeline {
                    classified: after(2),
                    answered: after(6),
                    published: after(7),
                    ..Timeline::default()
                },
                Timeline {
                    answered: after(3),
                    published: after(4),
                    sent: after(4),
                    ..Timeline::default()
                },
                Timeline {
                    rejected: after(0),
                    ..Timeline::default()
                },
            ];
            for t in timelines {
                let s = schedule(&cal, received, &t);
                for n in -1..45 {
                    let today = received + chrono::Duration::days(n);
                    let expected = clocks(&cal, received, &t, today).overall;
                    let derived = match s {
                        None => None,
                        Some(s) if today > s.due => Some(ClockStatus::Overdue),
                        Some(s) if today >= s.warn => Some(ClockStatus::DueSoon),
                        Some(_) => Some(ClockStatus::OnTrack),
                    };
                    let agrees = match (expected, derived) {
                        (ClockStatus::Overdue | ClockStatus::DueSoon, d) => d == Some(expected),
                        (_, d) => !matches!(d, Some(ClockStatus::Overdue | ClockStatus::DueSoon)),
                    };
                    assert!(
                        agrees,
                        "{t:?} received {received}, on {today}: {expected:?} vs {derived:?}"
                    );
                }
            }
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn deadlines_count_working_days_after_receipt() {
        let cal = Calendar::default();
        // Received Tuesday 2025-04-29: 30/4 and 1/5 are holidays, so the
        // first working day counted is Friday 2/5.
        let t = Timeline::default();
        let dl = deadlines(&cal, d("2025-04-29"), &t);
        assert_eq!(dl.classify_by, d("2025-05-08"));
        assert_eq!(dl.answer_by, d("2025-05-12"));
        assert_eq!(dl.publish_by, None);
        let complex = Timeline {
            complex: true,
            ..Timeline::default()
        };
        assert_eq!(
            deadlines(&cal, d("2025-04-29"), &complex).answer_by,
            d("2025-05-15")
        );
        let answered = Timeline {
            answered: Some(d("2025-05-09")),
            ..Timeline::default()
        };
        assert_eq!(
            deadlines(&cal, d("2025-04-29"), &answered).publish_by,
            Some(d("2025-05-13"))
        );
    }

    #[test]
    fn a_progress_notice_moves_the_answer_deadline() {
        let cal = Calendar::default();
        let t = Timeline {
            promised: Some(d("2025-06-20")),
            ..Timeline::default()
        };
        assert_eq!(deadlines(&cal, d("2025-05-05"), &t).answer_by, d("2025-06-20"));
    }

    #[test]
    fn clocks_go_from_on_track_to_due_soon_to_overdue() {
        let cal = Calendar::default();
        let due = d("2025-05-16");
        assert_eq!(clock(&cal, due, None, d("2025-05-13")), ClockStatus::OnTrack);
        assert_eq!(clock(&cal, due, None, d("2025-05-15")), ClockStatus::DueSoon);
        assert_eq!(clock(&cal, due, None, d("2025-05-16")), ClockStatus::DueSoon);
        assert_eq!(clock(&cal, due, None, d("2025-05-17")), ClockStatus::Overdue);
        assert_eq!(
            clock(&cal, due, Some(d("2025-05-14")), d("2025-06-01")),
            ClockStatus::Done
        );
        // Over a weekend, Friday → Monday is one working day.
        assert_eq!(
            clock(&cal, d("2025-05-19"), None, d("2025-05-16")),
            ClockStatus::DueSoon
        );
    }

    #[test]
    fn classification_warns_from_the_second_working_day() {
        let cal = Calendar::default();
        let received = d("2025-05-05");
        assert_eq!(
            classify_clock(&cal, received, &QA_DAYS, None, d("2025-05-06")),
            ClockStatus::OnTrack
        );
        assert_eq!(
            classify_clock(&cal, received, &QA_DAYS, None, d("2025-05-07")),
            ClockStatus::DueSoon
        );
        assert_eq!(
            classify_clock(&cal, received, &QA_DAYS, None, d("2025-05-13")),
            ClockStatus::Overdue
        );
    }

    #[test]
    fn an_old_unanswered_question_is_overdue() {
        let cal = Calendar::default();
        let c = clocks(&cal, d("2024-01-02"), &Timeline::default(), d("2025-01-02"));
        assert_eq!(
            (c.classify, c.answer, c.overall),
            (ClockStatus::Overdue, ClockStatus::Overdue, ClockStatus::Overdue)
        );
        let rejected = Timeline {
            rejected: Some(d("2024-01-02")),
            ..Timeline::default()
        };
        assert_eq!(
            clocks(&cal, d("2024-01-02"), &rejected, d("2025-01-02")).overall,
            ClockStatus::Done
        );
        let late = Timeline {
            rejected: Some(d("2024-01-03")),
            ..Timeline::default()
        };
        assert_eq!(
            clocks(&cal, d("2024-01-02"), &late, d("2025-01-02")).overall,
            ClockStatus::Overdue
        );
    }
}
