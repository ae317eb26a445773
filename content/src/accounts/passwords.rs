//! Passwords: hashed with Argon2id, never stored or logged in clear, and
//! checked before they are set.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;

use crate::error::{Error, Result};

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;

/// Hashes a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::invalid("password", e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::invalid("password", e.to_string()))
}

pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// An Argon2id hash of a random string, checked against when the user name
/// is unknown.
pub(crate) const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0b0rq9yoAHzK4Sm2Yy6RtZVJq6J3d3C2t5r7D8h9d1Y";

/// Checks a new password: at least [`MIN_PASSWORD_LEN`] characters, and
/// not guessable — not a common password, a keyboard walk or a repeat,
/// and not built from the user's own names (`own`: user name, display
/// name, e-mail), judged by zxcvbn. The reason is given in both
/// languages.
pub fn check_password(password: &str, own: &[&str]) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Error::invalid_in(
            "password",
            format!("must be at least {MIN_PASSWORD_LEN} characters"),
            format!("Mật khẩu phải có ít nhất {MIN_PASSWORD_LEN} ký tự."),
        ));
    }
    if password.len() > 1024 {
        return Err(Error::invalid_in(
            "password",
            "must be at most 1024 bytes",
            "Mật khẩu quá dài (tối đa 1024 byte).",
        ));
    }
    let folded = password.to_lowercase();
    let own: Vec<String> = own
        .iter()
        .flat_map(|o| {
            [
                o.to_lowercase(),
                o.split('@').next().unwrap_or_default().to_lowercase(),
            ]
        })
        .filter(|o| o.chars().count() >= 3)
        .collect();
    if own.iter().any(|o| folded.contains(o.as_str())) {
        return Err(Error::invalid_in(
            "password",
            "must not contain your user name, name or e-mail address",
            "Mật khẩu không được chứa tên đăng nhập, họ tên hoặc địa chỉ thư điện tử của bạn.",
        ));
    }
    let inputs: Vec<&str> = own.iter().map(String::as_str).chain(PORTAL_WORDS).collect();
    let entropy = zxcvbn::zxcvbn(password, &inputs);
    if entropy.score() < zxcvbn::Score::Three {
        let (en, vi) = weakness(entropy.feedback().and_then(|f| f.warning()));
        return Err(Error::invalid_in("password", en, vi));
    }
    Ok(())
}

/// Words anyone guessing a portal password tries first.
const PORTAL_WORDS: [&str; 8] = [
    "bhxh",
    "baohiemxahoi",
    "vss",
    "portal",
    "matkhau",
    "quantri",
    "admin",
    "congthongtin",
];

/// Why zxcvbn finds a password weak, in English and Vietnamese.
fn weakness(w: Option<zxcvbn::feedback::Warning>) -> (&'static str, &'static str) {
    use zxcvbn::feedback::Warning as W;
    match w {
        Some(W::ThisIsATop10Password | W::ThisIsATop100Password | W::ThisIsACommonPassword) => (
            "is one of the most common passwords",
            "Mật khẩu này nằm trong danh sách mật khẩu phổ biến nhất; hãy chọn mật khẩu khác.",
        ),
        Some(W::ThisIsSimilarToACommonlyUsedPassword) => (
            "is too similar to a common password",
            "Mật khẩu quá giống một mật khẩu phổ biến; hãy chọn mật khẩu khác.",
        ),
        Some(W::StraightRowsOfKeysAreEasyToGuess | W::ShortKeyboardPatternsAreEasyToGuess) => (
            "is a keyboard pattern, easy to guess",
            "Mật khẩu là một dãy phím liền nhau, rất dễ đoán.",
        ),
        Some(W::RepeatsLikeAaaAreEasyToGuess | W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess) => (
            "repeats characters or groups, easy to guess",
            "Mật khẩu lặp lại ký tự hoặc nhóm ký tự, rất dễ đoán.",
        ),
        Some(W::SequencesLikeAbcAreEasyToGuess) => (
            "is a sequence such as abc or 1234, easy to guess",
            "Mật khẩu là một dãy tuần tự (như abc hoặc 1234), rất dễ đoán.",
        ),
        Some(W::RecentYearsAreEasyToGuess | W::DatesAreOftenEasyToGuess) => (
            "relies on a date or year, easy to guess",
            "Mật khẩu dựa vào ngày tháng hoặc năm, rất dễ đoán.",
        ),
        Some(
            W::AWordByItselfIsEasyToGuess
            | W::NamesAndSurnamesByThemselvesAreEasyToGuess
            | W::CommonNamesAndSurnamesAreEasyToGuess,
        ) => (
            "is a single word or name, easy to guess",
            "Mật khẩu chỉ là một từ hoặc một tên, rất dễ đoán.",
        ),
        None => (
            "is too easy to guess; use a few unrelated words",
            "Mật khẩu quá dễ đoán; hãy dùng vài từ không liên quan đến nhau.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn dummy_hash_parses_so_timing_matches() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    fn refused(password: &str, own: &[&str]) -> String {
        match check_password(password, own) {
            Err(Error::Invalid { vi: Some(vi), .. }) => vi,
            other => panic!("{password}: {other:?}"),
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason_in_vietnamese() {
        assert!(refused("short", &[]).contains("ít nhất 10 ký tự"));
        assert!(
            refused("1234567890", &[]).contains("dễ đoán") || refused("1234567890", &[]).contains("phổ biến")
        );
        assert!(!refused("aaaaaaaaaa", &[]).is_empty());
        assert!(refused("nguyenvana", &["nguyenvana", "Nguyễn Văn A"]).contains("tên đăng nhập"));
        assert!(refused("password123", &[]).contains("phổ biến"));
        assert!(check_password("hoa sen nở trên đồi cát 2026", &["bientap"]).is_ok());
        assert_eq!(super::super::random_password().len(), 20);
        assert!(check_password(&super::super::random_password(), &["admin"]).is_ok());
    }
}
