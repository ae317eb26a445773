//! Where an obligation stands and who may touch it (Đ11.1). Pure.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::Calendar;
use crate::roles::{Role, RoleSet};

/// Where an obligation to publish stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Open, more than a working day left.
    Pending,
    /// Open, due today or on the next working day.
    DueSoon,
    /// Open past its due day.
    Overdue,
    /// Published by its due day.
    MetOnTime,
    /// Published after its due day.
    MetLate,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Pending,
        Status::DueSoon,
        Status::Overdue,
        Status::MetOnTime,
        Status::MetLate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::DueSoon => "due_soon",
            Status::Overdue => "overdue",
            Status::MetOnTime => "met_on_time",
            Status::MetLate => "met_late",
        }
    }

    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Status::Pending => lang.pick("Còn hạn", "Pending"),
            Status::DueSoon => lang.pick("Sắp đến hạn", "Due soon"),
            Status::Overdue => lang.pick("Quá hạn", "Overdue"),
            Status::MetOnTime => lang.pick("Đã đăng đúng hạn", "Met on time"),
            Status::MetLate => lang.pick("Đã đăng muộn", "Met late"),
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, Status::Pending | Status::DueSoon | Status::Overdue)
    }
}

impl std::str::FromStr for Status {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Status::ALL.into_iter().find(|x| x.as_str() == s).ok_or(())
    }
}

/// An obligation due on `due_on`, met (its item first published) on
/// `met_on`, seen on `today`.
pub fn status(cal: &Calendar, due_on: NaiveDate, met_on: Option<NaiveDate>, today: NaiveDate) -> Status {
    match met_on {
        Some(m) if m <= due_on => Status::MetOnTime,
        Some(_) => Status::MetLate,
        None if today > due_on => Status::Overdue,
        None if cal.working_days_between(today, due_on) <= 1 => Status::DueSoon,
        None => Status::Pending,
    }
}

/// Who follows every unit's obligations.
pub const FOLLOW_ALL: [Role; 6] = crate::roles::OVERSIGHT;

/// Whether someone with `roles` in `own_unit` may record, link or read the
/// obligations of `unit`: those who follow all, and any staff member of
/// the unit itself (Đ11.1: each unit supplies its own information).
pub fn may_act(roles: &RoleSet, own_unit: Option<i32>, unit: i32) -> bool {
    roles.any(&FOLLOW_ALL) || (own_unit == Some(unit) && roles.iter().next().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn status_follows_the_due_day_and_the_publication_day() {
        let cal = Calendar::new(Vec::new());
        let due = d(11, 25);
        assert_eq!(status(&cal, due, Some(d(11, 25)), d(12, 1)), Status::MetOnTime);
        assert_eq!(status(&cal, due, Some(d(11, 26)), d(12, 1)), Status::MetLate);
        assert_eq!(status(&cal, due, None, d(11, 26)), Status::Overdue);
        // Monday the 23rd: the next working day is the 25th (24 is off).
        assert_eq!(status(&cal, due, None, d(11, 23)), Status::DueSoon);
        assert_eq!(status(&cal, due, None, d(11, 25)), Status::DueSoon);
        assert_eq!(status(&cal, due, None, d(11, 20)), Status::Pending);
    }

    #[test]
    fn units_act_on_their_own_and_the_communication_centre_on_all() {
        let contributor = RoleSet::new(vec![Role::Contributor]);
        assert!(may_act(&contributor, Some(3), 3));
        assert!(!may_act(&contributor, Some(3), 4));
        assert!(!may_act(&RoleSet::default(), Some(3), 3));
        assert!(may_act(&RoleSet::new(vec![Role::Editor]), None, 4));
    }
}
