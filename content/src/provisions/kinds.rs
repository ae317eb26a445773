//! The kinds of information units supply and their deadlines (Đ11.1), as
//! dated data: the row in force on the day of the event applies, so a
//! change of the rules never moves a deadline already running. Rows are
//! never changed: a new rule is a new row from its first day.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::audit::{self, Actor};
use crate::calendar::Calendar;
use crate::entity::provision_kind;
use crate::error::{Error, Result};

/// The day the regulation's deadlines apply from (Decision 1082/QĐ-BHXH
/// of 2018 issuing the portal's operating regulation).
pub const REGULATION_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2018, 1, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// A kind as the regulation sets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    pub days: u32,
    pub working_days: bool,
    pub starts_vi: &'static str,
    pub source: &'static str,
}

/// Đ11.1 a–g, in the regulation's order.
pub const LAW: [Rule; 10] = [
    Rule {
        code: "contact",
        name_vi: "Thông tin liên hệ",
        name_en: "Contact information",
        days: 1,
        working_days: true,
        starts_vi: "kể từ khi có sự thay đổi thông tin và được phép công bố",
        source: "Đ11.1a",
    },
    Rule {
        code: "unit_activity",
        name_vi: "Thông tin về hoạt động của đơn vị",
        name_en: "Unit activities",
        days: 1,
        working_days: true,
        starts_vi: "kể từ khi có thông tin mới",
        source: "Đ11.1a",
    },
    Rule {
        code: "legal_document",
        name_vi: "Văn bản quy phạm pháp luật, văn bản chỉ đạo điều hành",
        name_en: "Legal and direction documents",
        days: 1,
        working_days: true,
        starts_vi: "kể từ khi hoàn thiện xong thông tin và được phép công bố",
        source: "Đ11.1a",
    },
    Rule {
        code: "policy_guidance",
        name_vi: "Hướng dẫn thực hiện chính sách",
        name_en: "Policy guidance",
        days: 10,
        working_days: true,
        starts_vi: "kể từ khi văn bản pháp luật, chính sách, chế độ chính thức được ban hành",
        source: "Đ11.1a",
    },
    Rule {
        code: "leader_biography",
        name_vi: "Tiểu sử tóm tắt và nhiệm vụ của Lãnh đạo",
        name_en: "Leadership biographies",
        days: 0,
        working_days: true,
        starts_vi: "trong ngày Lãnh đạo được bổ nhiệm và phân công nhiệm vụ",
        source: "Đ11.1b",
    },
    Rule {
        code: "statistics",
        name_vi: "Số liệu thống kê không định kỳ",
        name_en: "Non-periodic statistics",
        days: 10,
        working_days: true,
        starts_vi: "kể từ khi thông tin thống kê được lãnh đạo đồng ý công bố",
        source: "Đ11.1c",
    },
    Rule {
        code: "strategy_plan",
        name_vi: "Chiến lược, định hướng, quy hoạch, kế hoạch phát triển",
        name_en: "Strategies and plans",
        days: 10,
        working_days: false,
        starts_vi: "kể từ khi được lãnh đạo đồng ý công bố",
        source: "Đ11.1d",
    },
    Rule {
        code: "award",
        name_vi: "Thông tin khen thưởng",
        name_en: "Awards",
        days: 5,
        working_days: true,
        starts_vi: "kể từ khi hoàn thiện xong thông tin và được phép công bố",
        source: "Đ11.1đ",
    },
    Rule {
        code: "research_topic",
        name_vi: "Chương trình, đề tài khoa học",
        name_en: "Research programmes and topics",
        days: 20,
        working_days: true,
        starts_vi: "kể từ khi chương trình, đề tài được phê duyệt hoặc được nghiệm thu",
        source: "Đ11.1e",
    },
    Rule {
        code: "investment_project",
        name_vi: "Dự án, hạng mục đầu tư, đấu thầu",
        name_en: "Investment projects and tenders",
        days: 10,
        working_days: true,
        starts_vi: "kể từ khi dự án, hạng mục đầu tư, đấu thầu được phê duyệt",
        source: "Đ11.1g",
    },
];

/// The day information about an event of `occurred_on` is due: `days`
/// working days later (the calendar's holidays and overrides skipped), or
/// calendar days; 0 means the same day.
pub fn due_on(cal: &Calendar, kind: &provision_kind::Model, occurred_on: NaiveDate) -> NaiveDate {
    let days = u32::try_from(kind.days).unwrap_or(0);
    if kind.working_days {
        cal.add_working_days(occurred_on, days)
    } else {
        occurred_on + chrono::Duration::days(i64::from(days))
    }
}

/// Every row, oldest rule first per code.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<provision_kind::Model>> {
    Ok(provision_kind::Entity::find()
        .order_by_asc(provision_kind::Column::Id)
        .all(db)
        .await?)
}

/// The row of `code` in force on `day`: the latest effective day not after
/// it, the newest row of that day.
pub fn in_force<'a>(
    rows: &'a [provision_kind::Model],
    code: &str,
    day: NaiveDate,
) -> Option<&'a provision_kind::Model> {
    rows.iter()
        .filter(|r| r.code == code && r.effective_from <= day)
        .max_by_key(|r| (r.effective_from, r.id))
}

/// The kinds in force on `day`, in the order first introduced.
pub fn current(rows: &[provision_kind::Model], day: NaiveDate) -> Vec<&provision_kind::Model> {
    let mut codes: Vec<&str> = Vec::new();
    for r in rows {
        if !codes.contains(&r.code.as_str()) {
            codes.push(&r.code);
        }
    }
    codes.into_iter().filter_map(|c| in_force(rows, c, day)).collect()
}

/// A new rule for a kind from a day on (admins; audited).
#[derive(Clone, Debug)]
pub struct NewRule {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub days: i32,
    pub working_days: bool,
    pub starts_vi: String,
    pub source: String,
    pub effective_from: NaiveDate,
}

pub async fn add(db: &impl ConnectionTrait, actor: &Actor, rule: NewRule) -> Result<provision_kind::Model> {
    let code_ok = !rule.code.is_empty()
        && rule.code.len() <= 40
        && rule
            .code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit());
    if !code_ok {
        return Err(Error::invalid_in(
            "code",
            "use lower-case letters, digits and _ (at most 40)",
            "mã chỉ gồm chữ thường không dấu, chữ số và dấu _ (tối đa 40 ký tự)",
        ));
    }
    if !(0..=365).contains(&rule.days) {
        return Err(Error::invalid_in(
            "days",
            "must be between 0 and 365",
            "số ngày phải từ 0 đến 365",
        ));
    }
    let row = provision_kind::ActiveModel {
        code: Set(rule.code),
        name_vi: Set(crate::text::line("name_vi", &rule.name_vi, 300)?),
        name_en: Set(crate::text::line("name_en", &rule.name_en, 300)?),
        days: Set(rule.days),
        working_days: Set(rule.working_days),
        starts_vi: Set(crate::text::line("starts_vi", &rule.starts_vi, 500)?),
        source: Set(crate::text::line("source", &rule.source, 300)?),
        effective_from: Set(rule.effective_from),
        created_by: Set(actor.user_id),
        created_at: Set(crate::time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "provision.kind_add",
        Some(("provision_kind", row.id.to_string())),
        serde_json::json!({"code": row.code, "days": row.days, "working_days": row.working_days,
            "effective_from": row.effective_from}),
    )
    .await?;
    Ok(row)
}

/// Inserts the regulation's kinds that are missing (matched by code).
pub async fn seed(db: &impl ConnectionTrait) -> Result<usize> {
    let mut added = 0;
    for r in LAW {
        let exists = provision_kind::Entity::find()
            .filter(provision_kind::Column::Code.eq(r.code))
            .one(db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        provision_kind::ActiveModel {
            code: Set(r.code.to_owned()),
            name_vi: Set(r.name_vi.to_owned()),
            name_en: Set(r.name_en.to_owned()),
            days: Set(r.days as i32),
            working_days: Set(r.working_days),
            starts_vi: Set(r.starts_vi.to_owned()),
            source: Set(r.source.to_owned()),
            effective_from: Set(REGULATION_FROM),
            created_by: Set(None),
            created_at: Set(crate::time::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        added += 1;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(code: &str, days: i32, working_days: bool) -> provision_kind::Model {
        provision_kind::Model {
            id: 1,
            code: code.into(),
            name_vi: String::new(),
            name_en: String::new(),
            days,
            working_days,
            starts_vi: String::new(),
            source: String::new(),
            effective_from: REGULATION_FROM,
            created_by: None,
            created_at: crate::time::now(),
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn working_day_deadlines_skip_weekends_and_holidays() {
        let cal = Calendar::new(Vec::new());
        // Friday 2026-11-20 + 1 working day: Monday the 23rd.
        assert_eq!(
            due_on(&cal, &kind("contact", 1, true), d(2026, 11, 20)),
            d(2026, 11, 23)
        );
        // Monday 2026-11-23 + 1: the 24th is a day off from 2026
        // (Resolution 28/2026/QH16), so Wednesday the 25th.
        assert_eq!(
            due_on(&cal, &kind("contact", 1, true), d(2026, 11, 23)),
            d(2026, 11, 25)
        );
        // Awards: 5 working days from Friday 2026-11-20: 23, 25, 26, 27, 30.
        assert_eq!(
            due_on(&cal, &kind("award", 5, true), d(2026, 11, 20)),
            d(2026, 11, 30)
        );
        // Leadership biographies: the day of appointment (a Thursday), or
        // the next working day when appointed on a day off.
        assert_eq!(
            due_on(&cal, &kind("leader_biography", 0, true), d(2026, 11, 19)),
            d(2026, 11, 19)
        );
        assert_eq!(
            due_on(&cal, &kind("leader_biography", 0, true), d(2026, 11, 21)),
            d(2026, 11, 23)
        );
    }

    #[test]
    fn calendar_day_deadlines_count_every_day() {
        let cal = Calendar::new(Vec::new());
        assert_eq!(
            due_on(&cal, &kind("strategy_plan", 10, false), d(2026, 4, 25)),
            d(2026, 5, 5)
        );
    }

    #[test]
    fn the_rule_of_the_events_day_applies() {
        let mut old = kind("award", 5, true);
        old.id = 1;
        let mut new = kind("award", 3, true);
        new.id = 2;
        new.effective_from = d(2027, 1, 1);
        let rows = vec![old, new];
        assert_eq!(in_force(&rows, "award", d(2026, 12, 31)).unwrap().days, 5);
        assert_eq!(in_force(&rows, "award", d(2027, 1, 1)).unwrap().days, 3);
        assert_eq!(current(&rows, d(2027, 2, 1)).len(), 1);
        assert!(in_force(&rows, "award", d(2017, 1, 1)).is_none());
    }

    #[test]
    fn the_law_has_the_ten_kinds_of_the_issue() {
        assert_eq!(LAW.len(), 10);
        let mut codes: Vec<&str> = LAW.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 10);
    }
}
