//! What a proposal pays, computed from the rates in force on the work's
//! publication day (Decree 18/2014/NĐ-CP art. 7–8): royalty = coefficient ×
//! unit value (× the translation percentage for a translation), plus an
//! optional incentive, shared by the authors by weight; an optional fee for
//! related work shared by those who did it; and the tax withheld at
//! payment (Circular 111/2013/TT-BTC). Pure: no database here.

use super::money::{HUNDREDTHS, apportion, div_round, format_hundredths, percent_of};
use super::rates::{Rates, genre_label_en};
use crate::error::{Error, Result};
use crate::posts::Genre;

/// What a person on a sheet did for the work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Contribution {
    /// Wrote the work (or answered the question).
    Author,
    /// Credited on the work's images.
    Photographer,
    /// Translated the work.
    Translator,
    /// Collected or edited it (paid from the related-work fee).
    Related,
}

impl Contribution {
    pub const ALL: [Contribution; 4] = [
        Contribution::Author,
        Contribution::Photographer,
        Contribution::Translator,
        Contribution::Related,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Contribution::Author => "author",
            Contribution::Photographer => "photographer",
            Contribution::Translator => "translator",
            Contribution::Related => "related",
        }
    }

    pub fn parse(s: &str) -> Option<Contribution> {
        Contribution::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Contribution::Author => "Tác giả",
            Contribution::Photographer => "Tác giả ảnh",
            Contribution::Translator => "Người dịch",
            Contribution::Related => "Sưu tầm, biên tập",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Contribution::Author => "Author",
            Contribution::Photographer => "Photographer",
            Contribution::Translator => "Translator",
            Contribution::Related => "Related work",
        }
    }

    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        lang.pick(self.label_vi(), self.label_en())
    }
}

/// What the proposer chooses; rates in hundredths.
#[derive(Clone, Debug)]
pub struct Terms {
    pub genre: Genre,
    pub coefficient: i64,
    /// For a translation: the share of the original's royalty.
    pub translation_percent: Option<i64>,
    pub incentive_percent: Option<i64>,
    pub related_fee_percent: Option<i64>,
    /// Each person's weight and what they did, in the order listed.
    pub shares: Vec<(u64, Contribution)>,
}

/// The amounts of a proposal, in đồng.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amounts {
    pub unit_value: i64,
    /// Coefficient × unit value (× translation percentage).
    pub royalty: i64,
    pub incentive: i64,
    pub related_fee: i64,
    /// Royalty + incentive + related fee: what the lines add up to.
    pub total: i64,
    /// One amount per share, in the order of [`Terms::shares`].
    pub lines: Vec<i64>,
}

fn range_error(field: &str, lo: i64, hi: i64, what: &str, rates: &Rates) -> Error {
    let (lo_en, hi_en) = (format_hundredths(lo, false), format_hundredths(hi, false));
    let (lo_vi, hi_vi) = (format_hundredths(lo, true), format_hundredths(hi, true));
    Error::invalid_in(
        field,
        format!(
            "must be between {lo_en} and {hi_en}{what} (rates in force on {})",
            rates.on
        ),
        format!(
            "Phải từ {lo_vi} đến {hi_vi} (mức áp dụng ngày {})",
            rates.on.format("%d/%m/%Y")
        ),
    )
}

/// Checks the terms against the rates and computes every amount. Every
/// refusal names its field and the allowed range; nothing is rounded
/// twice.
pub fn compute(rates: &Rates, t: &Terms) -> Result<Amounts> {
    let (lo, hi) = rates.coefficient_range(t.genre);
    if t.coefficient < lo || t.coefficient > hi {
        let what = format!(" for {}", genre_label_en(t.genre).to_lowercase());
        return Err(range_error("coefficient", lo, hi, &what, rates));
    }
    if let Some(p) = t.translation_percent {
        let (lo, hi) = rates.translation;
        if p < lo || p > hi {
            return Err(range_error("translation_percent", lo, hi, " percent", rates));
        }
    }
    if let Some(p) = t.incentive_percent
        && (p < 0 || p > rates.incentive_max)
    {
        return Err(range_error(
            "incentive_percent",
            0,
            rates.incentive_max,
            " percent",
            rates,
        ));
    }
    if let Some(p) = t.related_fee_percent
        && (p < 0 || p > rates.related_fee_max)
    {
        return Err(range_error(
            "related_fee_percent",
            0,
            rates.related_fee_max,
            " percent",
            rates,
        ));
    }
    if t.shares.is_empty() {
        return Err(Error::invalid_in(
            "shares",
            "name at least one person",
            "Cần ít nhất một người hưởng",
        ));
    }
    if let Some(i) = t.shares.iter().position(|(w, _)| *w == 0) {
        return Err(Error::invalid_in(
            format!("shares[{i}].share"),
            "must be a positive whole number",
            "Tỷ lệ hưởng phải là số nguyên dương",
        ));
    }
    let related = |c: &Contribution| *c == Contribution::Related;
    let has_related = t.shares.iter().any(|(_, c)| related(c));
    let fee_percent = t.related_fee_percent.unwrap_or(0);
    if has_related && fee_percent == 0 {
        return Err(Error::invalid_in(
            "related_fee_percent",
            "people paid for related work need a related-work fee",
            "Người sưu tầm, biên tập cần có mức thù lao công việc liên quan",
        ));
    }
    if fee_percent > 0 && !has_related {
        return Err(Error::invalid_in(
            "shares",
            "a related-work fee needs someone with the contribution `related`",
            "Thù lao công việc liên quan cần có người sưu tầm, biên tập",
        ));
    }
    if t.shares.iter().all(|(_, c)| related(c)) {
        return Err(Error::invalid_in(
            "shares",
            "name at least one author",
            "Cần ít nhất một tác giả",
        ));
    }

    let unit_value = rates.unit_value();
    let translation = t.translation_percent.unwrap_or(100 * HUNDREDTHS as i64);
    let royalty = div_round(
        i128::from(t.coefficient) * i128::from(unit_value) * i128::from(translation),
        HUNDREDTHS * 100 * HUNDREDTHS,
    );
    let incentive = percent_of(royalty, t.incentive_percent.unwrap_or(0));
    let related_fee = percent_of(royalty, fee_percent);

    let weights = |want_related: bool| -> Vec<u64> {
        t.shares
            .iter()
            .map(|(w, c)| if related(c) == want_related { *w } else { 0 })
            .collect()
    };
    let authors = apportion(royalty + incentive, &weights(false));
    let others = apportion(related_fee, &weights(true));
    let lines = authors.iter().zip(&others).map(|(a, b)| a + b).collect();
    Ok(Amounts {
        unit_value,
        royalty,
        incentive,
        related_fee,
        total: royalty + incentive + related_fee,
        lines,
    })
}

/// The tax withheld from one payment to one person (Circular
/// 111/2013/TT-BTC art. 25.1i): a share of the payment's total for them
/// when it reaches the threshold and they are not paid through the
/// payroll (whose tax is settled with their salary); nothing otherwise.
pub fn withholding(rates: &Rates, total_for_person: i64, payroll: bool) -> i64 {
    if payroll || total_for_person < rates.tax_threshold {
        0
    } else {
        percent_of(total_for_person, rates.tax_percent)
    }
}

/// Spreads the tax withheld from a person over their lines of one payment,
/// in proportion to the lines, so each line shows gross, withheld and net
/// that add up.
pub fn spread_withholding(withheld: i64, amounts: &[i64]) -> Vec<i64> {
    let weights: Vec<u64> = amounts.iter().map(|a| u64::try_from(*a).unwrap_or(0)).collect();
    apportion(withheld, &weights)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::royalties::rates::seeded;
    use chrono::NaiveDate;

    fn rates_on(y: i32, m: u32, d: u32) -> Rates {
        Rates::resolve(&seeded(), NaiveDate::from_ymd_opt(y, m, d).unwrap()).unwrap()
    }

    fn terms(genre: Genre, coefficient: i64, shares: &[u64]) -> Terms {
        Terms {
            genre,
            coefficient,
            translation_percent: None,
            incentive_percent: None,
            related_fee_percent: None,
            shares: shares.iter().map(|w| (*w, Contribution::Author)).collect(),
        }
    }

    #[test]
    fn the_rate_of_the_publication_day_applies_on_both_sides_of_july_2026() {
        let t = terms(Genre::News, 1000, &[1]);
        let june = compute(&rates_on(2026, 6, 30), &t).unwrap();
        let july = compute(&rates_on(2026, 7, 1), &t).unwrap();
        assert_eq!((june.unit_value, june.total), (234_000, 2_340_000));
        assert_eq!((july.unit_value, july.total), (253_000, 2_530_000));
    }

    #[test]
    fn shares_that_do_not_divide_evenly_add_up_to_the_total() {
        let a = compute(&rates_on(2026, 8, 1), &terms(Genre::Commentary, 1250, &[1, 1, 1])).unwrap();
        // 12.5 × 253,000 = 3,162,500 over three: 1,054,167 + 1,054,167 + 1,054,166.
        assert_eq!(a.total, 3_162_500);
        assert_eq!(a.lines, vec![1_054_167, 1_054_167, 1_054_166]);
        let b = compute(&rates_on(2026, 8, 1), &terms(Genre::News, 333, &[2, 1])).unwrap();
        assert_eq!(b.lines.iter().sum::<i64>(), b.total);
        // 3.33 × 253,000 = 842,490, 2:1 → 561,660 + 280,830.
        assert_eq!(b.lines, vec![561_660, 280_830]);
    }

    #[test]
    fn a_translation_earns_its_percentage_rounded_half_up() {
        let mut t = terms(Genre::News, 700, &[1]);
        t.translation_percent = Some(4550);
        let a = compute(&rates_on(2026, 8, 1), &t).unwrap();
        // 7 × 253,000 × 45.5 % = 805,805.
        assert_eq!(a.royalty, 805_805);
        t.translation_percent = Some(3999);
        let err = compute(&rates_on(2026, 8, 1), &t).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("translation_percent: must be between 40 and 65"),
            "{err}"
        );
        t.translation_percent = Some(6501);
        assert!(compute(&rates_on(2026, 8, 1), &t).is_err());
    }

    #[test]
    fn incentive_and_related_fee_are_capped_and_paid_to_the_right_people() {
        let mut t = terms(Genre::Reportage, 2000, &[3, 1]);
        t.shares.push((1, Contribution::Related));
        t.incentive_percent = Some(3000);
        t.related_fee_percent = Some(5000);
        let a = compute(&rates_on(2026, 8, 1), &t).unwrap();
        assert_eq!(a.royalty, 5_060_000);
        assert_eq!(a.incentive, 1_518_000);
        assert_eq!(a.related_fee, 2_530_000);
        assert_eq!(a.total, 9_108_000);
        assert_eq!(a.lines, vec![4_933_500, 1_644_500, 2_530_000]);
        t.incentive_percent = Some(3001);
        let err = compute(&rates_on(2026, 8, 1), &t).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("incentive_percent: must be between 0 and 30"),
            "{err}"
        );
        t.incentive_percent = None;
        t.related_fee_percent = Some(5001);
        let err = compute(&rates_on(2026, 8, 1), &t).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("related_fee_percent: must be between 0 and 50"),
            "{err}"
        );
        t.related_fee_percent = None;
        assert!(
            compute(&rates_on(2026, 8, 1), &t).is_err(),
            "related people need a fee"
        );
    }

    #[test]
    fn a_coefficient_outside_the_genre_range_is_refused_naming_it() {
        let err = compute(&rates_on(2026, 8, 1), &terms(Genre::News, 1050, &[1])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "coefficient: must be between 1 and 10 for news (rates in force on 2026-08-01)"
        );
        assert!(compute(&rates_on(2026, 8, 1), &terms(Genre::Media, 5000, &[1])).is_ok());
        assert!(compute(&rates_on(2026, 8, 1), &terms(Genre::News, 99, &[1])).is_err());
    }

    #[test]
    fn weights_must_be_positive() {
        let err = compute(&rates_on(2026, 8, 1), &terms(Genre::News, 500, &[2, 0])).unwrap_err();
        assert!(err.to_string().starts_with("shares[1].share:"), "{err}");
        assert!(compute(&rates_on(2026, 8, 1), &terms(Genre::News, 500, &[])).is_err());
    }

    #[test]
    fn withholding_starts_at_the_threshold_for_people_off_the_payroll() {
        let r = rates_on(2026, 8, 1);
        assert_eq!(withholding(&r, 2_000_000, false), 200_000);
        assert_eq!(withholding(&r, 1_999_999, false), 0);
        assert_eq!(withholding(&r, 2_530_000, true), 0);
        assert_eq!(withholding(&r, 2_530_005, false), 253_001);
        let spread = spread_withholding(253_001, &[1_265_003, 1_265_002]);
        assert_eq!(spread.iter().sum::<i64>(), 253_001);
    }

    #[test]
    fn a_rate_change_after_publication_does_not_move_the_amount() {
        let mut rows = seeded();
        let n = rows.len() as i32;
        rows.push(crate::entity::royalty_rate::Model {
            id: n + 1,
            key: "base_salary".into(),
            effective_from: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            value: 3_000_000,
            basis: None,
            created_by: None,
            created_at: chrono::DateTime::default(),
        });
        let published = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let a = compute(
            &Rates::resolve(&rows, published).unwrap(),
            &terms(Genre::News, 1000, &[1]),
        )
        .unwrap();
        assert_eq!(a.total, 2_530_000);
    }
}
