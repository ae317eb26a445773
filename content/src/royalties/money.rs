//! Whole-đồng arithmetic. Amounts are integers of đồng, rates integers of
//! hundredths (a coefficient of 7.5 is 750, 10 % is 1000), so that no
//! amount depends on floating point and the same inputs always give the
//! same đồng.

/// Hundredths in one unit: coefficients and percentages are stored ×100.
pub const HUNDREDTHS: i128 = 100;

/// `num / den` rounded half away from zero (half up for the positive
/// amounts of a payment; an adjustment that takes money back rounds the
/// same way in the other direction). `den` must be positive.
pub fn div_round(num: i128, den: i128) -> i64 {
    debug_assert!(den > 0);
    let q = num.abs() / den;
    let r = num.abs() % den;
    let q = if 2 * r >= den { q + 1 } else { q };
    let q = if num < 0 { -q } else { q };
    i64::try_from(q).unwrap_or(if num < 0 { i64::MIN } else { i64::MAX })
}

/// `amount × rate / 100 %`, with `rate` in hundredths of a percent
/// (1000 = 10 %), rounded half up to the đồng.
pub fn percent_of(amount: i64, rate: i64) -> i64 {
    div_round(i128::from(amount) * i128::from(rate), 100 * HUNDREDTHS)
}

/// Splits `total` across `weights` so that the parts add up to `total`
/// exactly: each part gets floor(total × weight / Σweights), and the đồng
/// left over go one each to the parts with the largest remainders, ties to
/// the part listed first. A negative total (an adjustment) is split as its
/// absolute value and negated. Weights of zero get nothing; when every
/// weight is zero the parts are all zero.
pub fn apportion(total: i64, weights: &[u64]) -> Vec<i64> {
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let abs = u128::from(total.unsigned_abs());
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let p = abs * u128::from(*w);
        parts.push(p / sum);
        remainders.push((p % sum, i));
    }
    let given: u128 = parts.iter().sum();
    let mut left = abs - given;
    // Largest remainder first; among equal remainders the earlier part.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (rem, i) in remainders {
        if left == 0 {
            break;
        }
        if rem > 0 {
            parts[i] += 1;
            left -= 1;
        }
    }
    parts
        .into_iter()
        .map(|p| {
            let p = i64::try_from(p).unwrap_or(i64::MAX);
            if total < 0 { -p } else { p }
        })
        .collect()
}

/// A number of đồng written the Vietnamese way: `2.530.000 đ`.
pub fn format_vnd(amount: i64) -> String {
    format!("{} đ", crate::text::group_digits(amount))
}

/// Hundredths written as a decimal number (`750` → `7,5` in Vietnamese,
/// `7.5` in English).
pub fn format_hundredths(v: i64, decimal_comma: bool) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let v = v.unsigned_abs();
    let (whole, frac) = (v / 100, v % 100);
    let sep = if decimal_comma { ',' } else { '.' };
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}{sep}{}", f / 10),
        f => format!("{sign}{whole}{sep}{f:02}"),
    }
}

/// A decimal number of the API (a coefficient, a percentage) as hundredths,
/// refusing more than two decimals or a value out of `i64`.
pub fn to_hundredths(v: f64) -> Option<i64> {
    if !v.is_finite() {
        return None;
    }
    let scaled = v * 100.0;
    let rounded = scaled.round();
    if (scaled - rounded).abs() > 1e-6 || rounded.abs() > 1e15 {
        return None;
    }
    Some(rounded as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_up_to_the_dong() {
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(div_round(15, 10), 2);
        assert_eq!(div_round(-15, 10), -2);
        assert_eq!(div_round(-14, 10), -1);
        assert_eq!(percent_of(2_530_000, 1000), 253_000);
        assert_eq!(percent_of(5, 5000), 3);
    }

    #[test]
    fn shares_that_do_not_divide_evenly_still_add_up() {
        let parts = apportion(1_000_000, &[1, 1, 1]);
        assert_eq!(parts, vec![333_334, 333_333, 333_333]);
        assert_eq!(parts.iter().sum::<i64>(), 1_000_000);
        // Largest remainder wins before the first listed.
        let parts = apportion(10, &[1, 2, 4]);
        assert_eq!(parts.iter().sum::<i64>(), 10);
        assert_eq!(parts, vec![1, 3, 6]);
        // Two left over, three equal remainders: the first two get them.
        let parts = apportion(2, &[1, 1, 1]);
        assert_eq!(parts, vec![1, 1, 0]);
        let parts = apportion(-1_000_000, &[1, 1, 1]);
        assert_eq!(parts, vec![-333_334, -333_333, -333_333]);
        assert_eq!(apportion(7, &[0, 0]), vec![0, 0]);
        assert_eq!(apportion(7, &[0, 3]), vec![0, 7]);
    }

    #[test]
    fn any_split_adds_up() {
        for total in [0_i64, 1, 2, 99, 253_000, 1_897_501, 12_650_003] {
            for weights in [
                vec![1_u64],
                vec![3, 7],
                vec![1, 1, 1, 1, 1, 1, 1],
                vec![5, 0, 2, 9],
            ] {
                let parts = apportion(total, &weights);
                assert_eq!(parts.iter().sum::<i64>(), total, "{total} {weights:?}");
                assert!(parts.iter().all(|p| *p >= 0));
            }
        }
    }

    #[test]
    fn amounts_read_the_vietnamese_way() {
        assert_eq!(format_vnd(2_530_000), "2.530.000 đ");
        assert_eq!(format_vnd(-1_000), "-1.000 đ");
        assert_eq!(format_vnd(999), "999 đ");
        assert_eq!(format_hundredths(750, true), "7,5");
        assert_eq!(format_hundredths(1000, false), "10");
        assert_eq!(format_hundredths(1025, false), "10.25");
    }

    #[test]
    fn api_decimals_become_hundredths() {
        assert_eq!(to_hundredths(7.5), Some(750));
        assert_eq!(to_hundredths(10.0), Some(1000));
        assert_eq!(to_hundredths(0.07), Some(7));
        assert_eq!(to_hundredths(7.555), None);
        assert_eq!(to_hundredths(f64::NAN), None);
    }
}
