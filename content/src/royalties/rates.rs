//! The rates royalties are computed from, as dated data (Decree
//! 18/2014/NĐ-CP art. 7–8; base salary by decree; Circular 111/2013/TT-BTC
//! for withholding). A rate is never a constant: each is a row with the
//! day it takes effect, and the one that applies to a work is the one in
//! force on the day the work was **published**, so a later change never
//! moves an amount already earned. Rows are never changed or deleted: a
//! correction is a newer row for the same day, and the history stays.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder, Set};

use super::money::{HUNDREDTHS, div_round};
use crate::audit::{self, Actor};
use crate::entity::royalty_rate;
use crate::error::{Error, Result};
use crate::posts::Genre;

/// What a rate's value counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Whole đồng.
    Dong,
    /// Hundredths of a percent (1000 = 10 %).
    Percent,
    /// Hundredths of a coefficient (1000 = 10).
    Coefficient,
    /// Whole days.
    Days,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Dong => "vnd",
            Measure::Percent => "percent",
            Measure::Coefficient => "coefficient",
            Measure::Days => "days",
        }
    }

    /// Whether values are stored as hundredths.
    pub fn hundredths(self) -> bool {
        matches!(self, Measure::Percent | Measure::Coefficient)
    }
}

/// One kind of rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateKey {
    /// The statutory base salary (mức lương cơ sở).
    BaseSalary,
    /// The unit value as a percentage of the base salary (art. 7.2).
    UnitValuePercent,
    /// The smallest coefficient of a genre.
    CoefficientMin(Genre),
    /// The largest coefficient of a genre (art. 7.1 table).
    CoefficientMax(Genre),
    /// A translation earns between these percentages of the original's
    /// royalty.
    TranslationMin,
    TranslationMax,
    /// The incentive (khuyến khích) on top of the royalty, at most.
    IncentiveMax,
    /// The fee for related work (collecting, editing), at most.
    RelatedFeeMax,
    /// A payment to one person outside the payroll from this amount up has
    /// tax withheld (Circular 111/2013/TT-BTC art. 25.1i).
    TaxThreshold,
    /// The share withheld.
    TaxPercent,
}

impl RateKey {
    /// Every key, in the order the rate table is shown.
    pub fn all() -> Vec<RateKey> {
        let mut keys = vec![RateKey::BaseSalary, RateKey::UnitValuePercent];
        for g in Genre::ALL {
            keys.push(RateKey::CoefficientMin(g));
            keys.push(RateKey::CoefficientMax(g));
        }
        keys.extend([
            RateKey::TranslationMin,
            RateKey::TranslationMax,
            RateKey::IncentiveMax,
            RateKey::RelatedFeeMax,
            RateKey::TaxThreshold,
            RateKey::TaxPercent,
        ]);
        keys
    }

    /// The key's stored and API name.
    pub fn name(self) -> String {
        match self {
            RateKey::BaseSalary => "base_salary".into(),
            RateKey::UnitValuePercent => "unit_value_percent".into(),
            RateKey::CoefficientMin(g) => format!("coefficient_min.{}", g.as_str()),
            RateKey::CoefficientMax(g) => format!("coefficient_max.{}", g.as_str()),
            RateKey::TranslationMin => "translation_min_percent".into(),
            RateKey::TranslationMax => "translation_max_percent".into(),
            RateKey::IncentiveMax => "incentive_max_percent".into(),
            RateKey::RelatedFeeMax => "related_fee_max_percent".into(),
            RateKey::TaxThreshold => "tax_threshold".into(),
            RateKey::TaxPercent => "tax_percent".into(),
        }
    }

    pub fn parse(s: &str) -> Option<RateKey> {
        RateKey::all().into_iter().find(|k| k.name() == s)
    }

    pub fn measure(self) -> Measure {
        match self {
            RateKey::BaseSalary | RateKey::TaxThreshold => Measure::Dong,
            RateKey::CoefficientMin(_) | RateKey::CoefficientMax(_) => Measure::Coefficient,
            _ => Measure::Percent,
        }
    }

    /// What the key is, in Vietnamese.
    pub fn label_vi(self) -> String {
        match self {
            RateKey::BaseSalary => "Mức lương cơ sở".into(),
            RateKey::UnitValuePercent => "Giá trị một đơn vị hệ số (% lương cơ sở)".into(),
            RateKey::CoefficientMin(g) => format!("Hệ số thấp nhất: {}", genre_label_vi(g)),
            RateKey::CoefficientMax(g) => format!("Hệ số cao nhất: {}", genre_label_vi(g)),
            RateKey::TranslationMin => "Tác phẩm dịch: tỷ lệ thấp nhất (%)".into(),
            RateKey::TranslationMax => "Tác phẩm dịch: tỷ lệ cao nhất (%)".into(),
            RateKey::IncentiveMax => "Nhuận bút khuyến khích tối đa (%)".into(),
            RateKey::RelatedFeeMax => "Thù lao công việc liên quan tối đa (%)".into(),
            RateKey::TaxThreshold => "Mức chi khấu trừ thuế thu nhập cá nhân".into(),
            RateKey::TaxPercent => "Tỷ lệ khấu trừ thuế thu nhập cá nhân (%)".into(),
        }
    }

    /// What the key is, in English.
    pub fn label_en(self) -> String {
        match self {
            RateKey::BaseSalary => "Base salary".into(),
            RateKey::UnitValuePercent => "Unit value (% of the base salary)".into(),
            RateKey::CoefficientMin(g) => format!("Lowest coefficient: {}", genre_label_en(g)),
            RateKey::CoefficientMax(g) => format!("Highest coefficient: {}", genre_label_en(g)),
            RateKey::TranslationMin => "Translation: lowest share (%)".into(),
            RateKey::TranslationMax => "Translation: highest share (%)".into(),
            RateKey::IncentiveMax => "Incentive, at most (%)".into(),
            RateKey::RelatedFeeMax => "Fee for related work, at most (%)".into(),
            RateKey::TaxThreshold => "Income tax withheld from a payment of".into(),
            RateKey::TaxPercent => "Income tax withheld (%)".into(),
        }
    }

    pub fn label(self, lang: crate::lang::Lang) -> String {
        match lang {
            crate::lang::Lang::Vi => self.label_vi(),
            crate::lang::Lang::En => self.label_en(),
        }
    }
}

/// A genre's name in Vietnamese (Decree 18/2014/NĐ-CP art. 7 table).
pub fn genre_label_vi(g: Genre) -> &'static str {
    match g {
        Genre::News => "Tin tức",
        Genre::Photo => "Ảnh",
        Genre::Drawing => "Tranh",
        Genre::Commentary => "Bình luận, chuyên luận",
        Genre::Reportage => "Phóng sự, ghi chép",
        Genre::Interview => "Phỏng vấn",
        Genre::Literature => "Tác phẩm văn học",
        Genre::Research => "Nghiên cứu",
        Genre::Media => "Tác phẩm đa phương tiện",
        Genre::AnswerToReaders => "Trả lời bạn đọc",
    }
}

pub fn genre_label_en(g: Genre) -> &'static str {
    match g {
        Genre::News => "News",
        Genre::Photo => "Photo",
        Genre::Drawing => "Drawing",
        Genre::Commentary => "Commentary",
        Genre::Reportage => "Reportage",
        Genre::Interview => "Interview",
        Genre::Literature => "Literature",
        Genre::Research => "Research",
        Genre::Media => "Online and media work",
        Genre::AnswerToReaders => "Answer to readers",
    }
}

pub fn genre_label(g: Genre, lang: crate::lang::Lang) -> &'static str {
    lang.pick(genre_label_vi(g), genre_label_en(g))
}

/// The seed: the rules in force when this was written (DESIGN.md
/// "Royalties"). `(key, from, value in the key's measure, basis)`.
fn seed_rows() -> Vec<(RateKey, NaiveDate, i64, &'static str)> {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
    let from = d(2023, 7, 1);
    let decree18 = "Nghị định 18/2014/NĐ-CP";
    let mut rows = vec![
        (RateKey::BaseSalary, from, 1_800_000, "Nghị định 24/2023/NĐ-CP"),
        (
            RateKey::BaseSalary,
            d(2024, 7, 1),
            2_340_000,
            "Nghị định 73/2024/NĐ-CP",
        ),
        (
            RateKey::BaseSalary,
            d(2026, 7, 1),
            2_530_000,
            "Nghị định 161/2026/NĐ-CP",
        ),
        (RateKey::UnitValuePercent, from, 1000, decree18),
    ];
    for g in Genre::ALL {
        let max = match g {
            Genre::News | Genre::AnswerToReaders | Genre::Photo | Genre::Drawing => 1000,
            Genre::Media => 5000,
            _ => 3000,
        };
        rows.push((RateKey::CoefficientMin(g), from, 100, decree18));
        rows.push((RateKey::CoefficientMax(g), from, max, decree18));
    }
    rows.extend([
        (RateKey::TranslationMin, from, 4000, decree18),
        (RateKey::TranslationMax, from, 6500, decree18),
        (RateKey::IncentiveMax, from, 3000, decree18),
        (RateKey::RelatedFeeMax, from, 5000, decree18),
        (RateKey::TaxThreshold, from, 2_000_000, "Thông tư 111/2013/TT-BTC"),
        (RateKey::TaxPercent, from, 1000, "Thông tư 111/2013/TT-BTC"),
    ]);
    rows
}

/// The rates in force on one day, every key resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rates {
    pub on: NaiveDate,
    pub base_salary: i64,
    pub unit_value_percent: i64,
    /// Per genre (in [`Genre::ALL`] order): lowest and highest coefficient.
    pub coefficients: Vec<(Genre, i64, i64)>,
    pub translation: (i64, i64),
    pub incentive_max: i64,
    pub related_fee_max: i64,
    pub tax_threshold: i64,
    pub tax_percent: i64,
}

impl Rates {
    /// Resolves every key on `on` from the stored rows: per key, the row
    /// with the latest effective day not after `on`, and among rows of the
    /// same day the newest.
    pub fn resolve(rows: &[royalty_rate::Model], on: NaiveDate) -> Result<Rates> {
        let value = |key: RateKey| -> Result<i64> {
            let name = key.name();
            rows.iter()
                .filter(|r| r.key == name && r.effective_from <= on)
                .max_by_key(|r| (r.effective_from, r.id))
                .map(|r| r.value)
                .ok_or_else(|| {
                    Error::invalid_in(
                        "rates",
                        format!("no rate `{name}` is in force on {on}"),
                        format!(
                            "Chưa có mức \"{}\" áp dụng ngày {}",
                            key.label_vi(),
                            on.format("%d/%m/%Y")
                        ),
                    )
                })
        };
        let base_salary = value(RateKey::BaseSalary)?;
        let unit_value_percent = value(RateKey::UnitValuePercent)?;
        let mut coefficients = Vec::with_capacity(Genre::ALL.len());
        for g in Genre::ALL {
            coefficients.push((
                g,
                value(RateKey::CoefficientMin(g))?,
                value(RateKey::CoefficientMax(g))?,
            ));
        }
        Ok(Rates {
            on,
            base_salary,
            unit_value_percent,
            coefficients,
            translation: (value(RateKey::TranslationMin)?, value(RateKey::TranslationMax)?),
            incentive_max: value(RateKey::IncentiveMax)?,
            related_fee_max: value(RateKey::RelatedFeeMax)?,
            tax_threshold: value(RateKey::TaxThreshold)?,
            tax_percent: value(RateKey::TaxPercent)?,
        })
    }

    /// One coefficient unit in đồng: the base salary × the unit-value
    /// percentage, rounded half up (art. 7.2).
    pub fn unit_value(&self) -> i64 {
        div_round(
            i128::from(self.base_salary) * i128::from(self.unit_value_percent),
            100 * HUNDREDTHS,
        )
    }

    /// A genre's coefficient range.
    pub fn coefficient_range(&self, genre: Genre) -> (i64, i64) {
        self.coefficients
            .iter()
            .find(|(g, _, _)| *g == genre)
            .map(|(_, lo, hi)| (*lo, *hi))
            .unwrap_or((0, 0))
    }
}

/// Every stored rate row, oldest first (the history).
pub async fn history(db: &impl ConnectionTrait) -> Result<Vec<royalty_rate::Model>> {
    Ok(royalty_rate::Entity::find()
        .order_by_asc(royalty_rate::Column::Key)
        .order_by_asc(royalty_rate::Column::EffectiveFrom)
        .order_by_asc(royalty_rate::Column::Id)
        .all(db)
        .await?)
}

/// The rates in force on `on`.
pub async fn in_force(db: &impl ConnectionTrait, on: NaiveDate) -> Result<Rates> {
    Rates::resolve(&history(db).await?, on)
}

/// A new rate row.
#[derive(Clone, Debug)]
pub struct NewRate {
    pub key: String,
    pub effective_from: NaiveDate,
    /// In the key's measure (đồng, or hundredths).
    pub value: i64,
    /// The legal basis (a decree's number), shown beside the rate.
    pub basis: Option<String>,
}

/// Adds a rate row (Finance), audited. A row of the same key and day as an
/// existing one supersedes it; the earlier row stays in the history.
pub async fn add(db: &impl ConnectionTrait, actor: &Actor, new: NewRate) -> Result<royalty_rate::Model> {
    let key = RateKey::parse(&new.key).ok_or_else(|| {
        Error::invalid_in(
            "key",
            "not a rate key; GET /royalties/rates lists them",
            "Loại định mức không có trong danh mục",
        )
    })?;
    let max = match key.measure() {
        Measure::Dong => 1_000_000_000_000,
        Measure::Percent => 100 * 100,
        Measure::Coefficient => 1000 * 100,
        Measure::Days => 3650,
    };
    if new.value < 0 || new.value > max {
        return Err(Error::invalid_in(
            "value",
            format!(
                "must be between 0 and {}",
                if key.measure().hundredths() {
                    max / 100
                } else {
                    max
                }
            ),
            "Giá trị nằm ngoài khoảng cho phép",
        ));
    }
    let basis = crate::text::optional_line("basis", new.basis.as_deref(), 300)?;
    let row = royalty_rate::ActiveModel {
        key: Set(key.name()),
        effective_from: Set(new.effective_from),
        value: Set(new.value),
        basis: Set(basis),
        created_by: Set(actor.user_id),
        created_at: Set(crate::time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "royalty.rate",
        Some(("royalty_rate", row.id.to_string())),
        serde_json::json!({"key": row.key, "effective_from": row.effective_from, "value": row.value}),
    )
    .await?;
    Ok(row)
}

/// Seeds the rates into an empty table. Returns how many rows it added.
pub async fn seed(db: &impl ConnectionTrait) -> Result<usize> {
    if royalty_rate::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let rows = seed_rows();
    for (key, from, value, basis) in &rows {
        royalty_rate::ActiveModel {
            key: Set(key.name()),
            effective_from: Set(*from),
            value: Set(*value),
            basis: Set(Some((*basis).to_owned())),
            created_by: Set(None),
            created_at: Set(crate::time::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(rows.len())
}

#[cfg(test)]
pub(crate) fn seeded() -> Vec<royalty_rate::Model> {
    seed_rows()
        .into_iter()
        .enumerate()
        .map(|(i, (key, from, value, basis))| royalty_rate::Model {
            id: i as i32 + 1,
            key: key.name(),
            effective_from: from,
            value,
            basis: Some(basis.to_owned()),
            created_by: None,
            created_at: chrono::DateTime::default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_base_salary_in_force_is_the_one_of_the_day() {
        let rows = seeded();
        let before = Rates::resolve(&rows, day(2026, 6, 30)).unwrap();
        let after = Rates::resolve(&rows, day(2026, 7, 1)).unwrap();
        assert_eq!(before.base_salary, 2_340_000);
        assert_eq!(before.unit_value(), 234_000);
        assert_eq!(after.base_salary, 2_530_000);
        assert_eq!(after.unit_value(), 253_000);
        assert_eq!(
            Rates::resolve(&rows, day(2024, 1, 1)).unwrap().unit_value(),
            180_000
        );
    }

    #[test]
    fn nothing_is_in_force_before_the_first_row() {
        let err = Rates::resolve(&seeded(), day(2020, 1, 1)).unwrap_err();
        assert!(err.to_string().contains("base_salary"), "{err}");
    }

    #[test]
    fn a_correction_of_the_same_day_supersedes_and_keeps_history() {
        let mut rows = seeded();
        let n = rows.len() as i32;
        rows.push(royalty_rate::Model {
            id: n + 1,
            key: "base_salary".into(),
            effective_from: day(2026, 7, 1),
            value: 2_600_000,
            basis: None,
            created_by: Some(1),
            created_at: chrono::DateTime::default(),
        });
        assert_eq!(
            Rates::resolve(&rows, day(2026, 8, 1)).unwrap().base_salary,
            2_600_000
        );
        assert_eq!(
            Rates::resolve(&rows, day(2026, 6, 1)).unwrap().base_salary,
            2_340_000
        );
    }

    #[test]
    fn genre_ranges_follow_the_decree() {
        let r = Rates::resolve(&seeded(), day(2026, 8, 1)).unwrap();
        assert_eq!(r.coefficient_range(Genre::News), (100, 1000));
        assert_eq!(r.coefficient_range(Genre::AnswerToReaders), (100, 1000));
        assert_eq!(r.coefficient_range(Genre::Photo), (100, 1000));
        assert_eq!(r.coefficient_range(Genre::Commentary), (100, 3000));
        assert_eq!(r.coefficient_range(Genre::Media), (100, 5000));
        assert_eq!(r.translation, (4000, 6500));
    }

    #[test]
    fn keys_round_trip() {
        for k in RateKey::all() {
            assert_eq!(RateKey::parse(&k.name()), Some(k));
        }
        assert_eq!(RateKey::parse("salary"), None);
    }
}
