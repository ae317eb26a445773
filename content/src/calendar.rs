//! Vietnam's working-day calendar: solar and lunar dates, the public holidays
//! the law sets — as dated rules ([`HolidayRule`]), so that a change of law
//! is a new rule, not new code — and the days admins declare off or on.
//!
//! Answers to citizens' questions are due within a number of *working* days
//! (Đ11.1a Hỏi đáp), so a deadline has to skip weekends, public holidays and
//! the compensatory days that follow holidays falling on a weekend.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::f64::consts::PI;
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Vietnam's time zone (UTC+7), in hours. Lunar months begin on the day of
/// the new moon as seen in Vietnam, which is why the Vietnamese calendar
/// sometimes differs from the Chinese one (UTC+8), e.g. Tết 1985.
const TIME_ZONE: f64 = 7.0;

/// Julian day of the new moon of 1900-01-01 (lunation 0 of the algorithm).
const NEW_MOON_EPOCH: f64 = 2_415_021.076_998_695;

/// Mean length of a lunation, in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;

/// Difference between a Julian day number and chrono's days from the common era.
const JD_CE_OFFSET: i64 = 1_721_425;

/// Years cached per [`Calendar`]; deadlines touch only a handful of years, this
/// only bounds memory when a caller walks across centuries.
const MAX_CACHED_YEARS: usize = 512;

/// A date of the Vietnamese lunisolar calendar (âm lịch). `leap` marks the
/// intercalary month (tháng nhuận) that repeats the number of the month before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LunarDate {
    pub day: u32,
    pub month: u32,
    pub year: i32,
    pub leap: bool,
}

/// Converts a solar (Gregorian) date to the lunar calendar with Hồ Ngọc Đức's
/// astronomical algorithm for UTC+7, because Tết and Hùng Kings' day
/// (Labour Code 2019 art. 112) are fixed by the lunar calendar.
///
/// Valid for 1900–2199; outside that range the result is approximate but the
/// function never panics.
pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    let day_number = jd_from_date(date);
    let year = i64::from(date.year());
    let k = int((day_number as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH);
    // The true new moon can stray far enough from the mean one for `k` to be one
    // too high (e.g. 2054-05-07); the published code would then return day 0.
    let month_start = [k + 1, k, k - 1]
        .into_iter()
        .map(new_moon_day)
        .find(|&start| start <= day_number)
        .unwrap_or_else(|| new_moon_day(k - 1));
    let mut a11 = lunar_month_11(year);
    let mut b11 = a11;
    let mut lunar_year = year;
    if a11 >= month_start {
        a11 = lunar_month_11(year - 1);
    } else {
        lunar_year = year + 1;
        b11 = lunar_month_11(year + 1);
    }
    let lunar_day = day_number - month_start + 1;
    let diff = (month_start - a11).div_euclid(29);
    let mut leap = false;
    let mut lunar_month = diff + 11;
    if b11 - a11 > 365 {
        let leap_month_diff = leap_month_offset(a11);
        if diff >= leap_month_diff {
            lunar_month = diff + 10;
            leap = diff == leap_month_diff;
        }
    }
    if lunar_month > 12 {
        lunar_month -= 12;
    }
    if lunar_month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        day: clamp_u32(lunar_day, 1, 30),
        month: clamp_u32(lunar_month, 1, 12),
        year: i32::try_from(lunar_year).unwrap_or(date.year()),
        leap,
    }
}

/// Converts a lunar date back to the solar calendar (see [`solar_to_lunar`]).
///
/// `None` when the date does not exist: a leap month in a year without that
/// leap month, day 30 of a 29-day month, or a result outside chrono's range.
pub fn lunar_to_solar(lunar: LunarDate) -> Option<NaiveDate> {
    if !(1..=12).contains(&lunar.month) || !(1..=30).contains(&lunar.day) {
        return None;
    }
    let year = i64::from(lunar.year);
    let month = i64::from(lunar.month);
    let (a11, b11) = if month < 11 {
        (lunar_month_11(year - 1), lunar_month_11(year))
    } else {
        (lunar_month_11(year), lunar_month_11(year + 1))
    };
    let k = int(0.5 + (a11 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH);
    let mut off = (month - 11).rem_euclid(12);
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        // The leap month at offset `leap_off` repeats the month at `leap_off - 1`
        // (offset 0 is month 11), so it is numbered 1..=12, never 0.
        let leap_month = (leap_off + 9).rem_euclid(12) + 1;
        if lunar.leap && month != leap_month {
            return None;
        }
        if lunar.leap || off >= leap_off {
            off += 1;
        }
    } else if lunar.leap {
        return None;
    }
    let month_start = new_moon_day(k + off);
    let date = date_from_jd(month_start + i64::from(lunar.day) - 1)?;
    (solar_to_lunar(date) == lunar).then_some(date)
}

/// `INT(x)` of the algorithm: the floor, saturating for absurd inputs.
fn int(x: f64) -> i64 {
    x.floor() as i64
}

fn clamp_u32(value: i64, min: u32, max: u32) -> u32 {
    u32::try_from(value.clamp(i64::from(min), i64::from(max))).unwrap_or(min)
}

/// `jdFromDate`: the Julian day number of a proleptic Gregorian date.
fn jd_from_ymd(day: i64, month: i64, year: i64) -> i64 {
    let a = (14 - month).div_euclid(12);
    let y = year + 4800 - a;
    let m = month + 12 * a - 3;
    day + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)
        - 32045
}

fn jd_from_date(date: NaiveDate) -> i64 {
    jd_from_ymd(
        i64::from(date.day()),
        i64::from(date.month()),
        i64::from(date.year()),
    )
}

/// `jdToDate`, via chrono, which is proleptic Gregorian like [`jd_from_ymd`].
fn date_from_jd(jd: i64) -> Option<NaiveDate> {
    i32::try_from(jd - JD_CE_OFFSET)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// `NewMoon(k)`: Julian day (UTC, fractional) of the k-th new moon after 1900-01-01.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// `SunLongitude(jdn)`: the sun's apparent longitude in radians, in [0, 2π).
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2_451_545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl = dl + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - PI * 2.0 * (l / (PI * 2.0)).floor()
}

/// `getSunLongitude`: the major solar term (0..=11) at the start of a local day.
fn sun_longitude_sector(day_number: i64) -> i64 {
    int(sun_longitude(day_number as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0)
}

/// `getNewMoonDay`: the local day number on which the k-th new moon falls.
fn new_moon_day(k: i64) -> i64 {
    int(new_moon(k) + 0.5 + TIME_ZONE / 24.0)
}

/// `getLunarMonth11`: the start of the 11th lunar month, the one holding the
/// winter solstice, of the given solar year.
fn lunar_month_11(year: i64) -> i64 {
    let off = jd_from_ymd(31, 12, year) - 2_415_021;
    let k = int(off as f64 / SYNODIC_MONTH);
    let new_moon = new_moon_day(k);
    if sun_longitude_sector(new_moon) >= 9 {
        new_moon_day(k - 1)
    } else {
        new_moon
    }
}

/// `getLeapMonthOffset`: months after month 11 (at `a11`) to the first month
/// without a major solar term, which is the leap month.
fn leap_month_offset(a11: i64) -> i64 {
    let k = int((a11 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5);
    let mut i = 1;
    let mut arc = sun_longitude_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_longitude_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// Whether an admin declares a date off or declares it a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideKind {
    DayOff,
    WorkingDay,
}

/// A day set by an admin. The government announces each year how the Tết and
/// National Day breaks are arranged, with extra days off and make-up working
/// Saturdays, and only admins can know those; they win over the computed rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub date: NaiveDate,
    pub kind: OverrideKind,
    pub reason: String,
}

/// Why a weekday is not a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DayOffKind {
    /// A public holiday of Labour Code 2019 art. 112.
    Holiday,
    /// A day off in place of a holiday that fell on a weekend (art. 111.3).
    Compensatory,
    /// A day declared off by an admin.
    Override,
}

/// A weekday on which no work is done, for the calendar admins and readers see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayOff {
    pub date: NaiveDate,
    pub name: String,
    pub kind: DayOffKind,
}

const NEW_YEAR: &str = "Tết Dương lịch (New Year's Day)";
const LUNAR_NEW_YEAR: &str = "Tết Nguyên đán (Lunar New Year)";
const HUNG_KINGS: &str = "Giỗ Tổ Hùng Vương (Hùng Kings' Commemoration)";
const REUNIFICATION: &str = "Ngày Chiến thắng (Reunification Day)";
const LABOUR_DAY: &str = "Ngày Quốc tế Lao động (International Labour Day)";
const NATIONAL_DAY: &str = "Quốc khánh (National Day)";
const CULTURE_DAY: &str = "Ngày Văn hóa Việt Nam (Vietnam Culture Day)";

/// Where a holiday falls each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "calendar", rename_all = "snake_case")]
pub enum RuleDate {
    /// A solar date.
    Solar { month: u32, day: u32 },
    /// A lunar date (of the non-leap month).
    Lunar { month: u32, day: u32 },
    /// The last day of the lunar year: Tết's first day off.
    LunarYearEnd,
}

/// A public holiday as the law sets it: a date, a number of consecutive
/// days, and the period the law is in force. The Labour Code's list
/// (art. 112 of the 2019 Code, art. 115 of the 2012 one) is a handful of
/// these; the next change is one more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRule {
    pub name: String,
    pub date: RuleDate,
    /// Consecutive days off from the date (Tết: 5).
    pub days: u32,
    /// The first day the rule applies.
    pub from: NaiveDate,
    /// The last day it applies, once repealed or replaced.
    pub until: Option<NaiveDate>,
    /// The law that sets it.
    pub source: String,
}

impl HolidayRule {
    /// The days this rule gives in solar and lunar year `year`, within the
    /// period it is in force.
    fn days_in(&self, year: i32) -> Vec<NaiveDate> {
        let lunar = |month, day| {
            lunar_to_solar(LunarDate {
                day,
                month,
                year,
                leap: false,
            })
        };
        let first = match self.date {
            RuleDate::Solar { month, day } => NaiveDate::from_ymd_opt(year, month, day),
            RuleDate::Lunar { month, day } => lunar(month, day),
            RuleDate::LunarYearEnd => lunar(1, 1).and_then(|tet| tet.pred_opt()),
        };
        first
            .into_iter()
            .flat_map(|d| d.iter_days())
            .take(self.days as usize)
            .filter(|d| *d >= self.from && self.until.is_none_or(|u| *d <= u))
            .collect()
    }
}

/// The public holidays as the law has set them, oldest first:
/// - Labour Code 1994 art. 73 as amended in 2007 (Hùng Kings' day added),
///   applied to every year before 2013;
/// - Labour Code 2012 art. 115, from 2013-05-01 (Tết 5 days);
/// - Labour Code 2019 art. 112, from 2021-01-01 (National Day 2 days: 2/9
///   and an adjacent day, 3/9 unless the government chooses 1/9);
/// - Resolution 28/2026/QH16: Vietnam Culture Day, 24/11, from 2026-07-01.
///
/// Seeded into the database, where admins add the next ones.
pub fn law() -> Vec<HolidayRule> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
    let rule = |name: &str, at: RuleDate, days, from, until, source: &str| HolidayRule {
        name: name.to_owned(),
        date: at,
        days,
        from,
        until,
        source: source.to_owned(),
    };
    let solar = |month, day| RuleDate::Solar { month, day };
    let hung = RuleDate::Lunar { month: 3, day: 10 };
    let mut rules = Vec::new();
    let periods = [
        (
            "Bộ luật Lao động 1994 (sửa đổi 2007), Điều 73",
            date(1900, 1, 1),
            Some(date(2013, 4, 30)),
            4,
            1,
        ),
        (
            "Bộ luật Lao động 2012, Điều 115",
            date(2013, 5, 1),
            Some(date(2020, 12, 31)),
            5,
            1,
        ),
        ("Bộ luật Lao động 2019, Điều 112", date(2021, 1, 1), None, 5, 2),
    ];
    for (source, from, until, tet_days, national_days) in periods {
        rules.push(rule(NEW_YEAR, solar(1, 1), 1, from, until, source));
        rules.push(rule(
            LUNAR_NEW_YEAR,
            RuleDate::LunarYearEnd,
            tet_days,
            from,
            until,
            source,
        ));
        rules.push(rule(HUNG_KINGS, hung, 1, from, until, source));
        rules.push(rule(REUNIFICATION, solar(4, 30), 1, from, until, source));
        rules.push(rule(LABOUR_DAY, solar(5, 1), 1, from, until, source));
        rules.push(rule(
            NATIONAL_DAY,
            solar(9, 2),
            national_days,
            from,
            until,
            source,
        ));
    }
    rules.push(rule(
        CULTURE_DAY,
        solar(11, 24),
        1,
        date(2026, 7, 1),
        None,
        "Nghị quyết 28/2026/QH16",
    ));
    rules
}

/// The working-day calendar used for every deadline of the portal, since
/// answers are due within working days (Đ11.1a Hỏi đáp).
///
/// Non-working days are weekends, the public holidays of Labour Code 2019
/// art. 112, their compensatory days (art. 111.3) and admins' days off; an
/// admin's working day overrides all of them. Years are computed once and
/// cached, so the calendar is cheap to query and can be shared across threads.
#[derive(Debug)]
pub struct Calendar {
    rules: Vec<HolidayRule>,
    overrides: BTreeMap<NaiveDate, Override>,
    cache: RwLock<HashMap<i32, Arc<YearInfo>>>,
}

impl Default for Calendar {
    /// The law's holidays ([`law`]), no overrides.
    fn default() -> Self {
        Calendar::with_rules(law(), Vec::new())
    }
}

impl Calendar {
    /// The law's holidays with the admins' overrides.
    pub fn new(overrides: Vec<Override>) -> Self {
        Calendar::with_rules(law(), overrides)
    }

    /// A calendar of `rules` and the admins' overrides. Where one date has
    /// several overrides, a working day wins over a day off (so a deadline
    /// is never lengthened by a contradiction), and otherwise the first one
    /// given is kept.
    pub fn with_rules(rules: Vec<HolidayRule>, overrides: Vec<Override>) -> Self {
        let mut by_date = BTreeMap::new();
        for o in overrides {
            match by_date.entry(o.date) {
                Entry::Vacant(e) => {
                    e.insert(o);
                }
                Entry::Occupied(mut e) => {
                    if o.kind == OverrideKind::WorkingDay && e.get().kind == OverrideKind::DayOff {
                        e.insert(o);
                    }
                }
            }
        }
        Self {
            rules,
            overrides: by_date,
            cache: RwLock::default(),
        }
    }

    /// Whether work is done on `date`, so whether it counts toward a deadline.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.year_info(date.year()).is_working(date)
    }

    /// Every weekday of `year` on which no work is done, by date: holidays,
    /// compensatory days and admins' days off. Weekends are left out, and so
    /// are holidays falling on them (their compensatory days are listed).
    pub fn days_off(&self, year: i32) -> Vec<DayOff> {
        self.year_info(year).days_off.clone()
    }

    /// The deadline `days` working days after `from`, not counting `from`.
    /// With `days == 0` it is `from` itself if that is a working day, else the
    /// next working day: a deadline never ends on a day off. Saturates at
    /// chrono's last date.
    pub fn add_working_days(&self, from: NaiveDate, days: u32) -> NaiveDate {
        let deadline = match days.checked_sub(1) {
            None => self.working_days_from(from).next(),
            Some(skip) => from.succ_opt().and_then(|start| {
                self.working_days_from(start)
                    .nth(usize::try_from(skip).unwrap_or(usize::MAX))
            }),
        };
        deadline.unwrap_or(NaiveDate::MAX)
    }

    /// Working days in `(from, to]`, 0 when `to <= from`: how much time is left
    /// before a deadline, or how late an answer is.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to <= from {
            return 0;
        }
        (from.year()..=to.year())
            .map(|year| {
                let info = self.year_info(year);
                let start = if year == from.year() {
                    from.ordinal0() as usize + 1
                } else {
                    0
                };
                let end = if year == to.year() {
                    to.ordinal0() as usize + 1
                } else {
                    info.working.len()
                };
                info.working[start..end].iter().filter(|&&w| w).count() as i64
            })
            .sum()
    }

    /// Working days on or after `start`, in order.
    fn working_days_from(&self, start: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        let mut info: Option<Arc<YearInfo>> = None;
        start.iter_days().filter(move |date| {
            if info.as_ref().is_none_or(|i| i.year != date.year()) {
                info = Some(self.year_info(date.year()));
            }
            info.as_ref().is_some_and(|i| i.is_working(*date))
        })
    }

    fn year_info(&self, year: i32) -> Arc<YearInfo> {
        if let Some(info) = self
            .cache
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&year)
        {
            return Arc::clone(info);
        }
        let info = Arc::new(YearInfo::compute(year, &self.rules, &self.overrides));
        let mut cache = self.cache.write().unwrap_or_else(PoisonError::into_inner);
        if cache.len() < MAX_CACHED_YEARS {
            cache.entry(year).or_insert_with(|| Arc::clone(&info));
        }
        info
    }
}

/// One solar year of the calendar, computed once.
#[derive(Debug)]
struct YearInfo {
    year: i32,
    /// Indexed by `ordinal0`.
    working: Vec<bool>,
    days_off: Vec<DayOff>,
}

impl YearInfo {
    fn compute(year: i32, rules: &[HolidayRule], overrides: &BTreeMap<NaiveDate, Override>) -> Self {
        // Neighbouring years too: a compensatory day may cross New Year.
        let mut holidays: BTreeMap<NaiveDate, &str> = BTreeMap::new();
        for y in [year.saturating_sub(1), year, year.saturating_add(1)] {
            for rule in rules {
                for date in rule.days_in(y) {
                    holidays.entry(date).or_insert(&rule.name);
                }
            }
        }
        let compensatory = compensatory_days(&holidays);

        let mut working = Vec::with_capacity(366);
        let mut days_off = Vec::new();
        let first = NaiveDate::from_ymd_opt(year, 1, 1);
        for date in first
            .into_iter()
            .flat_map(|d| d.iter_days())
            .take_while(|d| d.year() == year)
        {
            let off = match overrides.get(&date) {
                Some(o) if o.kind == OverrideKind::WorkingDay => {
                    working.push(true);
                    continue;
                }
                Some(o) => Some((o.reason.clone(), DayOffKind::Override)),
                None => holidays
                    .get(&date)
                    .map(|name| (name.to_string(), DayOffKind::Holiday))
                    .or_else(|| {
                        compensatory
                            .get(&date)
                            .map(|name| (name.clone(), DayOffKind::Compensatory))
                    }),
            };
            let weekend = is_weekend(date);
            working.push(!weekend && off.is_none());
            if let (false, Some((name, kind))) = (weekend, off) {
                days_off.push(DayOff { date, name, kind });
            }
        }
        Self {
            year,
            working,
            days_off,
        }
    }

    fn is_working(&self, date: NaiveDate) -> bool {
        self.working
            .get(date.ordinal0() as usize)
            .copied()
            .unwrap_or(false)
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Compensatory days (Labour Code 2019 art. 111.3): each holiday on a weekend
/// gets the first later day that is neither a weekend, a holiday nor already
/// another holiday's compensatory day, taken in date order.
fn compensatory_days(holidays: &BTreeMap<NaiveDate, &str>) -> BTreeMap<NaiveDate, String> {
    let mut compensatory = BTreeMap::new();
    for (&date, name) in holidays.iter().filter(|(date, _)| is_weekend(**date)) {
        let free = date
            .iter_days()
            .skip(1)
            .find(|d| !is_weekend(*d) && !holidays.contains_key(d) && !compensatory.contains_key(d));
        if let Some(day) = free {
            compensatory.insert(day, format!("Nghỉ bù {name}"));
        }
    }
    compensatory
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
    }

    fn lunar(day: u32, month: u32, year: i32, leap: bool) -> LunarDate {
        LunarDate {
            day,
            month,
            year,
            leap,
        }
    }

    fn off(date: NaiveDate, reason: &str) -> Override {
        Override {
            date,
            kind: OverrideKind::DayOff,
            reason: reason.to_string(),
        }
    }

    fn on(date: NaiveDate, reason: &str) -> Override {
        Override {
            date,
            kind: OverrideKind::WorkingDay,
            reason: reason.to_string(),
        }
    }

    fn find(list: &[DayOff], date: NaiveDate) -> Option<&DayOff> {
        list.iter().find(|o| o.date == date)
    }

    #[test]
    fn tet_dates() {
        for (year, date) in [
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
            (2027, d(2027, 2, 6)),
        ] {
            assert_eq!(lunar_to_solar(lunar(1, 1, year, false)), Some(date));
            assert_eq!(solar_to_lunar(date), lunar(1, 1, year, false));
        }
    }

    #[test]
    fn vietnamese_tet_differs_from_chinese_in_1985() {
        assert_eq!(solar_to_lunar(d(1985, 1, 21)), lunar(1, 1, 1985, false));
    }

    #[test]
    fn hung_kings_dates() {
        for (year, date) in [
            (2024, d(2024, 4, 18)),
            (2025, d(2025, 4, 7)),
            (2026, d(2026, 4, 26)),
            (2027, d(2027, 4, 16)),
        ] {
            assert_eq!(lunar_to_solar(lunar(10, 3, year, false)), Some(date));
            assert_eq!(solar_to_lunar(date), lunar(10, 3, year, false));
        }
    }

    #[test]
    fn leap_months() {
        for (date, month, year) in [
            (d(2023, 3, 22), 2, 2023),
            (d(2020, 5, 23), 4, 2020),
            (d(2025, 7, 25), 6, 2025),
        ] {
            let leap = lunar(1, month, year, true);
            assert_eq!(solar_to_lunar(date), leap);
            assert_eq!(lunar_to_solar(leap), Some(date));
            let regular = lunar_to_solar(lunar(1, month, year, false)).expect("regular month exists");
            assert!(regular < date);
            assert_eq!(solar_to_lunar(date.pred_opt().expect("in range")).month, month);
            assert!(!solar_to_lunar(date.pred_opt().expect("in range")).leap);
        }
    }

    #[test]
    fn rare_cases() {
        assert_eq!(solar_to_lunar(d(2054, 5, 7)), lunar(30, 3, 2054, false));
        assert_eq!(solar_to_lunar(d(2054, 5, 8)), lunar(1, 4, 2054, false));
        assert_eq!(solar_to_lunar(d(2062, 4, 9)).day, 30);
        assert_eq!(solar_to_lunar(d(2033, 12, 22)), lunar(1, 11, 2033, true));
        assert_eq!(lunar_to_solar(lunar(1, 11, 2033, true)), Some(d(2033, 12, 22)));
        assert_eq!(solar_to_lunar(d(1968, 1, 29)), lunar(1, 1, 1968, false));
    }

    #[test]
    fn nonexistent_lunar_dates() {
        assert_eq!(lunar_to_solar(lunar(1, 3, 2024, true)), None);
        assert_eq!(lunar_to_solar(lunar(1, 2, 2025, true)), None);
        assert_eq!(lunar_to_solar(lunar(0, 1, 2025, false)), None);
        assert_eq!(lunar_to_solar(lunar(31, 1, 2025, false)), None);
        assert_eq!(lunar_to_solar(lunar(1, 13, 2025, false)), None);
        let short_month = (1..=12)
            .find(|&m| lunar_to_solar(lunar(30, m, 2025, false)).is_none())
            .expect("some month of 2025 has 29 days");
        assert!(lunar_to_solar(lunar(29, short_month, 2025, false)).is_some());
    }

    #[test]
    fn round_trip_1900_to_2199() {
        let mut date = d(1900, 1, 31);
        let mut previous = solar_to_lunar(date);
        assert_eq!(previous, lunar(1, 1, 1900, false));
        while date <= d(2199, 12, 31) {
            let l = solar_to_lunar(date);
            assert_eq!(lunar_to_solar(l), Some(date), "{date} -> {l:?}");
            assert!(
                l == previous || l.day == previous.day + 1 || l.day == 1,
                "{date}: {previous:?} -> {l:?}"
            );
            assert!(l.day <= 30);
            previous = l;
            date = date.succ_opt().expect("in range");
        }
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        for date in [NaiveDate::MIN, NaiveDate::MAX, d(1, 1, 1), d(9999, 12, 31)] {
            let l = solar_to_lunar(date);
            let _ = lunar_to_solar(l);
        }
        let calendar = Calendar::default();
        assert_eq!(calendar.add_working_days(NaiveDate::MAX, 3), NaiveDate::MAX);
        let _ = calendar.days_off(NaiveDate::MAX.year());
        let _ = calendar.is_working_day(NaiveDate::MIN);
    }

    #[test]
    fn hung_kings_2026_sunday_is_compensated_on_monday() {
        let days = Calendar::default().days_off(2026);
        assert_eq!(d(2026, 4, 26).weekday(), Weekday::Sun);
        assert!(find(&days, d(2026, 4, 26)).is_none());
        let compensatory = find(&days, d(2026, 4, 27)).expect("compensatory day listed");
        assert_eq!(compensatory.kind, DayOffKind::Compensatory);
        assert_eq!(compensatory.name, format!("Nghỉ bù {HUNG_KINGS}"));
    }

    #[test]
    fn tet_2027_compensation() {
        let days = Calendar::default().days_off(2027);
        for date in [d(2027, 2, 5), d(2027, 2, 8), d(2027, 2, 9)] {
            let day = find(&days, date).expect("holiday listed");
            assert_eq!(
                (day.kind, day.name.as_str()),
                (DayOffKind::Holiday, LUNAR_NEW_YEAR)
            );
        }
        for date in [d(2027, 2, 10), d(2027, 2, 11)] {
            assert_eq!(find(&days, date).map(|o| o.kind), Some(DayOffKind::Compensatory));
        }
        assert!(find(&days, d(2027, 2, 6)).is_none());
        assert!(find(&days, d(2027, 2, 7)).is_none());
        assert!(find(&days, d(2027, 2, 12)).is_none());
        assert!(Calendar::default().is_working_day(d(2027, 2, 12)));
    }

    #[test]
    fn days_off_are_sorted_weekdays() {
        let calendar = Calendar::default();
        for year in 2020..=2035 {
            let days = calendar.days_off(year);
            assert!(days.windows(2).all(|w| w[0].date < w[1].date), "{year}");
            assert!(
                days.iter().all(|o| !is_weekend(o.date) && o.date.year() == year),
                "{year}"
            );
            assert!(days.iter().all(|o| !calendar.is_working_day(o.date)), "{year}");
        }
    }

    #[test]
    fn national_day() {
        let calendar = Calendar::default();
        let days = calendar.days_off(2025);
        assert_eq!(d(2025, 9, 2).weekday(), Weekday::Tue);
        assert_eq!(d(2025, 9, 3).weekday(), Weekday::Wed);
        for date in [d(2025, 9, 2), d(2025, 9, 3)] {
            let day = find(&days, date).expect("National Day listed");
            assert_eq!((day.kind, day.name.as_str()), (DayOffKind::Holiday, NATIONAL_DAY));
        }
        assert!(find(&days, d(2025, 9, 4)).is_none());

        let days = calendar.days_off(2029);
        assert_eq!(d(2029, 9, 2).weekday(), Weekday::Sun);
        assert_eq!(
            find(&days, d(2029, 9, 3)).map(|o| o.kind),
            Some(DayOffKind::Holiday)
        );
        let compensatory = find(&days, d(2029, 9, 4)).expect("compensatory day listed");
        assert_eq!(compensatory.kind, DayOffKind::Compensatory);
        assert_eq!(compensatory.name, format!("Nghỉ bù {NATIONAL_DAY}"));
        assert!(calendar.is_working_day(d(2029, 9, 5)));
    }

    #[test]
    fn add_working_days_across_weekend() {
        let calendar = Calendar::default();
        assert_eq!(calendar.add_working_days(d(2025, 1, 3), 1), d(2025, 1, 6));
        assert_eq!(calendar.add_working_days(d(2025, 1, 3), 5), d(2025, 1, 10));
        assert_eq!(calendar.add_working_days(d(2025, 1, 4), 1), d(2025, 1, 6));
    }

    #[test]
    fn add_working_days_across_reunification_and_labour_day() {
        let calendar = Calendar::default();
        assert!(!calendar.is_working_day(d(2025, 4, 30)));
        assert!(!calendar.is_working_day(d(2025, 5, 1)));
        assert!(calendar.is_working_day(d(2025, 5, 2)));
        assert_eq!(calendar.add_working_days(d(2025, 4, 29), 1), d(2025, 5, 2));
    }

    #[test]
    fn add_working_days_across_tet_2026() {
        let calendar = Calendar::default();
        for date in d(2026, 2, 16)
            .iter_days()
            .take_while(|&date| date <= d(2026, 2, 22))
        {
            assert!(!calendar.is_working_day(date), "{date}");
        }
        assert_eq!(calendar.add_working_days(d(2026, 2, 13), 1), d(2026, 2, 23));

        let calendar = Calendar::new(vec![off(d(2026, 2, 23), "Nghỉ thêm")]);
        assert_eq!(calendar.add_working_days(d(2026, 2, 13), 1), d(2026, 2, 24));
        let listed = find(&calendar.days_off(2026), d(2026, 2, 23)).cloned();
        assert_eq!(
            listed,
            Some(DayOff {
                date: d(2026, 2, 23),
                name: "Nghỉ thêm".to_string(),
                kind: DayOffKind::Override
            })
        );

        let calendar = Calendar::new(vec![on(d(2026, 2, 14), "Làm bù")]);
        assert_eq!(d(2026, 2, 14).weekday(), Weekday::Sat);
        assert_eq!(calendar.add_working_days(d(2026, 2, 13), 1), d(2026, 2, 14));
        assert_eq!(calendar.add_working_days(d(2026, 2, 13), 2), d(2026, 2, 23));
    }

    #[test]
    fn working_day_override_beats_holiday_and_day_off() {
        let calendar = Calendar::new(vec![
            off(d(2025, 9, 3), "first"),
            on(d(2025, 9, 3), "Làm việc"),
            off(d(2025, 9, 3), "later"),
            off(d(2025, 9, 1), "Nghỉ liền kề"),
            off(d(2025, 9, 1), "duplicate"),
        ]);
        assert!(calendar.is_working_day(d(2025, 9, 3)));
        let days = calendar.days_off(2025);
        assert!(find(&days, d(2025, 9, 3)).is_none());
        assert_eq!(
            find(&days, d(2025, 9, 1)).map(|o| o.name.as_str()),
            Some("Nghỉ liền kề")
        );
        assert_eq!(calendar.add_working_days(d(2025, 8, 29), 1), d(2025, 9, 3));
    }

    #[test]
    fn zero_days() {
        let calendar = Calendar::default();
        assert_eq!(calendar.add_working_days(d(2025, 1, 6), 0), d(2025, 1, 6));
        assert_eq!(calendar.add_working_days(d(2025, 1, 4), 0), d(2025, 1, 6));
        assert_eq!(calendar.add_working_days(d(2026, 2, 16), 0), d(2026, 2, 23));
    }

    #[test]
    fn working_days_between_counts_half_open_interval() {
        let calendar = Calendar::default();
        assert_eq!(calendar.working_days_between(d(2025, 1, 3), d(2025, 1, 6)), 1);
        assert_eq!(calendar.working_days_between(d(2025, 4, 29), d(2025, 5, 2)), 1);
        assert_eq!(calendar.working_days_between(d(2024, 12, 31), d(2025, 1, 2)), 1);
        assert_eq!(calendar.working_days_between(d(2025, 1, 6), d(2025, 1, 6)), 0);
        assert_eq!(calendar.working_days_between(d(2025, 1, 10), d(2025, 1, 6)), 0);
        assert_eq!(calendar.working_days_between(d(2025, 1, 5), d(2025, 1, 12)), 5);
    }

    #[test]
    fn between_inverts_add() {
        let calendar = Calendar::new(vec![on(d(2026, 2, 28), "Làm bù"), off(d(2026, 3, 2), "Nghỉ")]);
        let start = d(2025, 12, 20);
        for from in start.iter_days().take(120) {
            for n in 1..=15 {
                let due = calendar.add_working_days(from, n);
                assert!(calendar.is_working_day(due));
                assert_eq!(
                    calendar.working_days_between(from, due),
                    i64::from(n),
                    "{from} + {n}"
                );
            }
        }
    }

    #[test]
    fn kinds_serialize_lowercase() {
        let json = |kind| serde_json::to_string(&kind).expect("serializable");
        assert_eq!(json(DayOffKind::Holiday), "\"holiday\"");
        assert_eq!(json(DayOffKind::Compensatory), "\"compensatory\"");
        assert_eq!(json(DayOffKind::Override), "\"override\"");
    }

    #[test]
    fn calendar_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Calendar>();
    }
}
