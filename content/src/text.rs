//! Text rules shared by every input path.
//!
//! The regulation requires Unicode text in TCVN 6909:2001 (Đ5.2); we store it
//! NFC-normalised so that the same word typed on different keyboards (NFC or
//! NFD) compares, sorts and indexes the same.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// Returns `s` in Unicode Normalisation Form C (Đ5.2, TCVN 6909:2001).
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// NFC-normalises and trims a user-supplied line of text.
pub fn clean_line(s: &str) -> String {
    nfc(s.trim())
}

/// Words typed into a search or filter box: one line, NFC, control
/// characters (which no stored text holds, and which PostgreSQL refuses)
/// turned into spaces.
pub fn typed_words(s: &str) -> String {
    let spaced: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    clean_line(&spaced)
}

/// The years the portal accepts in dates: the lunar calendar and the
/// holiday rules are checked over this range, and a date outside it (year
/// 0, 2999) is a typing error, not a plan.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// Limits shared by every entry point (API, editor, import); the OpenAPI
/// description declares the same numbers.
pub mod limits {
    /// A name: a person's, a unit's, a file's.
    pub const NAME: usize = 200;
    /// A title.
    pub const TITLE: usize = 300;
    /// A summary.
    pub const SUMMARY: usize = 2_000;
    /// Alternative text or a caption of an image.
    pub const ALT: usize = 500;
    /// Tags per post, and the length of one.
    pub const TAGS: usize = 30;
    pub const TAG: usize = 100;
    /// A post body or an answer (characters).
    pub const BODY: usize = 200_000;
}

/// Whether a character has no business in text a person typed: C0 and C1
/// control characters (NUL included) other than tab and line breaks.
fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{2028}' || c == '\u{2029}'
}

/// Refuses text holding control characters (NUL and the like).
pub fn check_text(field: &str, s: &str) -> crate::Result<()> {
    match s.chars().find(|c| is_forbidden_control(*c)) {
        Some(c) => Err(crate::Error::invalid_in(
            field,
            format!("contains a control character (U+{:04X})", c as u32),
            format!("Có ký tự điều khiển không được phép (U+{:04X}).", c as u32),
        )),
        None => Ok(()),
    }
}

/// A required line of text: NFC, trimmed, no control characters, at most
/// `max` characters.
pub fn line(field: &str, s: &str, max: usize) -> crate::Result<String> {
    let v = clean_line(s);
    check_text(field, &v)?;
    if v.is_empty() {
        return Err(crate::Error::invalid_in(
            field,
            "must not be empty",
            "Không được để trống",
        ));
    }
    if v.chars().count() > max {
        return Err(crate::Error::invalid_in(
            field,
            format!("must be at most {max} characters"),
            format!("Dài quá {max} ký tự"),
        ));
    }
    Ok(v)
}

/// An optional line: empty or absent is `None`, otherwise as [`line`].
pub fn optional_line(field: &str, s: Option<&str>, max: usize) -> crate::Result<Option<String>> {
    match s.map(clean_line) {
        Some(v) if !v.is_empty() => line(field, &v, max).map(Some),
        _ => Ok(None),
    }
}

/// An e-mail address, trimmed and lower-cased, or an error on `field`.
pub fn email(field: &str, s: &str) -> crate::Result<String> {
    let email = clean_line(s).to_lowercase();
    let at = email.find('@');
    if at.is_none_or(|i| i == 0 || i + 1 >= email.len() || !email[i + 1..].contains('.'))
        || email.chars().count() > 254
        || email.contains(char::is_whitespace)
    {
        return Err(crate::Error::invalid_in(
            field,
            "is not an e-mail address",
            "Địa chỉ thư điện tử không hợp lệ.",
        ));
    }
    Ok(email)
}

/// Refuses a date outside [`YEARS`].
pub fn check_date(field: &str, d: chrono::NaiveDate) -> crate::Result<()> {
    use chrono::Datelike;
    if YEARS.contains(&d.year()) {
        Ok(())
    } else {
        Err(crate::Error::invalid_in(
            field,
            format!("must be between {} and {}", YEARS.start(), YEARS.end()),
            format!("Năm phải từ {} đến {}.", YEARS.start(), YEARS.end()),
        ))
    }
}

/// Refuses an instant outside [`YEARS`] (in Vietnam time).
pub fn check_time(field: &str, t: chrono::DateTime<chrono::Utc>) -> crate::Result<()> {
    check_date(field, crate::time::date_vn(t))
}

/// A file name safe to show and to send back: no path separators, no
/// control characters, no bidirectional overrides (which make
/// `invoice` + U+202E + `fdp.exe` display as `invoiceexe.pdf`), at most
/// [`limits::NAME`] characters.
pub fn safe_file_name(s: &str) -> String {
    clean_line(s)
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '/' | '\\')
                && !matches!(*c as u32, 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069)
        })
        .take(limits::NAME)
        .collect()
}

/// Builds a URL slug: lower case ASCII letters and digits joined by `-`.
///
/// Vietnamese letters lose their diacritics (`đ` becomes `d`), so
/// `Hỏi - đáp` gives `hoi-dap`: citizens type URLs without diacritics.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    out
}

/// The sort and match key of a title: its words without diacritics,
/// between dashes, so that a word typed with or without diacritics is
/// found with `LIKE '%-word-%'` and titles sort as citizens read them.
pub fn title_key(title: &str) -> String {
    let mut key: String = format!("-{}-", slugify(title));
    key.truncate(250);
    key
}

/// A slug made from a name, at most `max` bytes, cut at a word; `fallback`
/// when the name has no ASCII letter or digit to make one from (`"???"`,
/// Chinese text).
pub fn slug_from(name: &str, max: usize, fallback: &str) -> String {
    let mut slug = slugify(name);
    if slug.len() > max {
        slug.truncate(max);
        if let Some(cut) = slug.rfind('-') {
            slug.truncate(cut);
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        fallback.to_owned()
    } else {
        slug.to_owned()
    }
}

/// Whether `s` is a well-formed slug (what [`slugify`] produces).
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A whole number written the Vietnamese way, thousands grouped with
/// dots: `1.234.567`.
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn title_keys_hold_whole_words_without_diacritics() {
        assert_eq!(super::title_key("Cấp lại sổ BHXH"), "-cap-lai-so-bhxh-");
        assert!(super::title_key("Đăng ký").starts_with("-dang-ky"));
    }

    use super::*;

    #[test]
    fn slugs_from_names_stay_short_and_never_empty() {
        assert_eq!(slug_from("Hỏi - đáp", 120, "muc"), "hoi-dap");
        assert_eq!(slug_from("???", 120, "muc"), "muc");
        assert_eq!(slug_from("bảo hiểm xã hội", 10, "muc"), "bao-hiem");
        assert!(is_slug(&slug_from(&"tin ".repeat(100), 120, "muc")));
    }

    #[test]
    fn vietnamese_slugs_drop_diacritics() {
        assert_eq!(slugify("Hỏi - đáp"), "hoi-dap");
        assert_eq!(slugify("Đóng góp ý kiến"), "dong-gop-y-kien");
        assert_eq!(
            slugify("Đóng góp ý kiến dự thảo văn bản"),
            "dong-gop-y-kien-du-thao-van-ban"
        );
        assert_eq!(slugify("  Tin tức  "), "tin-tuc");
        assert_eq!(
            slugify("PBGDPL (phổ biến, giáo dục pháp luật)"),
            "pbgdpl-pho-bien-giao-duc-phap-luat"
        );
        assert_eq!(
            slugify("Work injury and Occupational diseases"),
            "work-injury-and-occupational-diseases"
        );
    }

    #[test]
    fn slugs_are_the_same_for_nfc_and_nfd_input() {
        let nfd: String = "Bảo hiểm thất nghiệp".nfd().collect();
        assert_eq!(slugify(&nfd), "bao-hiem-that-nghiep");
        assert!(is_slug(&slugify(&nfd)));
    }

    #[test]
    fn nfc_composes_decomposed_input() {
        let nfd: String = "Hòa".nfd().collect();
        assert_ne!(nfd, "Hòa");
        assert_eq!(nfc(&nfd), "Hòa");
        assert_eq!(clean_line("  Tin tức \n"), "Tin tức");
    }

    #[test]
    fn control_characters_are_refused_and_line_breaks_kept() {
        assert!(check_text("title", "Tin\u{0}tức").is_err());
        assert!(check_text("title", "a\u{1b}[31m").is_err());
        assert!(check_text("title", "a\u{85}b").is_err());
        assert!(check_text("body", "dòng 1\ndòng 2\tcột").is_ok());
    }

    #[test]
    fn dates_stay_in_the_supported_years() {
        let d = |y| chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        assert!(check_date("publish_at", d(0)).is_err());
        assert!(check_date("publish_at", d(2999)).is_err());
        assert!(check_date("publish_at", d(1900)).is_ok());
        assert!(check_date("publish_at", d(2199)).is_ok());
    }

    #[test]
    fn file_names_lose_bidi_overrides_and_paths() {
        assert_eq!(safe_file_name("hoa\u{202E}fdp.exe"), "hoafdp.exe");
        assert_eq!(safe_file_name("../../etc/passwd"), "....etcpasswd");
        assert_eq!(safe_file_name(&"a".repeat(500)).chars().count(), limits::NAME);
    }

    #[test]
    fn slug_shape_is_checked() {
        assert!(is_slug("hoi-dap"));
        assert!(!is_slug("Hoi-dap"));
        assert!(!is_slug("hoi--dap"));
        assert!(!is_slug("-hoi"));
        assert!(!is_slug(""));
        assert!(!is_slug("hỏi"));
    }
}
