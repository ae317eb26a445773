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

/// Whether `s` is a well-formed slug (what [`slugify`] produces).
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn slug_shape_is_checked() {
        assert!(is_slug("hoi-dap"));
        assert!(!is_slug("Hoi-dap"));
        assert!(!is_slug("hoi--dap"));
        assert!(!is_slug("-hoi"));
        assert!(!is_slug(""));
        assert!(!is_slug("hỏi"));
    }
}
