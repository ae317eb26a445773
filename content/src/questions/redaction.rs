//! Personal details a citizen may type into the text of a question, which
//! must not go public with it (Decree 13/2023/NĐ-CP; Đ11.1a: the Q&A
//! staff edit what is published). Found by shape, not by meaning, so a
//! flag is a prompt for a person: the publish form shows them, and
//! publishing with one left needs an explicit confirmation.

/// What kind of detail was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// 9 digits (old identity card) or 12 (citizen identity card, CCCD),
    /// or a 10-character social insurance number.
    IdNumber,
    /// A Vietnamese phone number (0 or +84, 9 to 10 more digits).
    Phone,
    Email,
    /// A house number with its street, lane or alley, or a hamlet.
    Address,
}

impl Detail {
    pub fn as_str(self) -> &'static str {
        match self {
            Detail::IdNumber => "id_number",
            Detail::Phone => "phone",
            Detail::Email => "email",
            Detail::Address => "address",
        }
    }

    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match (self, lang) {
            (Detail::IdNumber, crate::lang::Lang::Vi) => "số giấy tờ tùy thân / số sổ BHXH",
            (Detail::Phone, crate::lang::Lang::Vi) => "số điện thoại",
            (Detail::Email, crate::lang::Lang::Vi) => "địa chỉ thư điện tử",
            (Detail::Address, crate::lang::Lang::Vi) => "địa chỉ nhà",
            (Detail::IdNumber, crate::lang::Lang::En) => "identity or social insurance number",
            (Detail::Phone, crate::lang::Lang::En) => "phone number",
            (Detail::Email, crate::lang::Lang::En) => "e-mail address",
            (Detail::Address, crate::lang::Lang::En) => "home address",
        }
    }
}

/// One detail found: its kind and the text as typed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Flag {
    pub detail: Detail,
    pub found: String,
}

/// Words that start an address when a number or a name follows.
const ADDRESS_WORDS: [&str; 9] = [
    "số nhà",
    "ngõ",
    "ngách",
    "hẻm",
    "kiệt",
    "đường",
    "thôn",
    "tổ dân phố",
    "khu phố",
];

/// The personal details `text` seems to hold, in order of appearance.
pub fn flags(text: &str) -> Vec<Flag> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // Runs of digits (spaces, dots and dashes inside a number allowed).
        if chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let before = i.checked_sub(1).map(|k| chars[k]);
            let start = i;
            let mut digits = String::new();
            let mut j = i;
            while j < chars.len() {
                let c = chars[j];
                if c.is_ascii_digit() || (c == '+' && j == start) {
                    digits.push(c);
                } else if matches!(c, ' ' | '.' | '-')
                    && chars.get(j + 1).is_some_and(char::is_ascii_digit)
                    && !digits.is_empty()
                {
                } else {
                    break;
                }
                j += 1;
            }
            let found: String = chars[start..j].iter().collect::<String>().trim().to_owned();
            let bare = digits.trim_start_matches('+');
            let letter_before = before.is_some_and(char::is_alphanumeric);
            let detail = if letter_before {
                None
            } else if (digits.starts_with("+84") && (11..=12).contains(&digits.len()))
                || (digits.starts_with('0') && (10..=11).contains(&digits.len()) && !found.contains('.'))
            {
                Some(Detail::Phone)
            } else if bare.len() == 9 || bare.len() == 12 || bare.len() == 10 {
                Some(Detail::IdNumber)
            } else {
                None
            };
            if let Some(detail) = detail {
                out.push(Flag { detail, found });
            }
            i = j.max(i + 1);
            continue;
        }
        // E-mail addresses: a word holding `@` and a dot after it.
        if chars[i] == '@' {
            let is_part = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
            let mut s = i;
            while s > 0 && is_part(chars[s - 1]) {
                s -= 1;
            }
            let mut e = i + 1;
            while e < chars.len() && is_part(chars[e]) {
                e += 1;
            }
            let found: String = chars[s..e]
                .iter()
                .collect::<String>()
                .trim_end_matches('.')
                .to_owned();
            if s < i && found.split('@').nth(1).is_some_and(|d| d.contains('.')) {
                out.push(Flag {
                    detail: Detail::Email,
                    found,
                });
            }
            i = e;
            continue;
        }
        i += 1;
    }
    let lower = text.to_lowercase();
    for word in ADDRESS_WORDS {
        let mut from = 0;
        while let Some(at) = lower[from..].find(word) {
            let at = from + at;
            from = at + word.len();
            let starts_word = lower[..at].chars().last().is_none_or(|c| !c.is_alphanumeric());
            // Lower-casing keeps Vietnamese letters' lengths; anything
            // else that shifts the offsets is passed over, not misread.
            let Some(rest) = text.get(at + word.len()..) else {
                continue;
            };
            let next = rest.trim_start().chars().next();
            // A number, or a capitalised name ("đường Láng", "thôn Đông").
            if starts_word
                && rest.starts_with(' ')
                && next.is_some_and(|c| c.is_ascii_digit() || c.is_uppercase())
            {
                let end = rest
                    .char_indices()
                    .find(|(_, c)| matches!(c, ',' | '.' | ';' | '\n' | '?'))
                    .map(|(k, _)| k)
                    .unwrap_or(rest.len());
                if let Some(found) = text.get(at..at + word.len() + end) {
                    out.push(Flag {
                        detail: Detail::Address,
                        found: found.trim().to_owned(),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Detail> {
        flags(text).into_iter().map(|f| f.detail).collect()
    }

    #[test]
    fn the_details_citizens_type_are_flagged() {
        let f = flags("Tôi tên Lan, CCCD 001203004567, điện thoại 0912 345 678, thư lan.nguyen@gmail.com.");
        assert_eq!(
            f.iter().map(|f| (f.detail, f.found.as_str())).collect::<Vec<_>>(),
            vec![
                (Detail::IdNumber, "001203004567"),
                (Detail::Phone, "0912 345 678"),
                (Detail::Email, "lan.nguyen@gmail.com"),
            ]
        );
        assert_eq!(kinds("Gọi +84 912 345 678 giúp tôi"), vec![Detail::Phone]);
        assert_eq!(kinds("Mã số BHXH 0123456789 của tôi"), vec![Detail::Phone]);
        assert_eq!(kinds("Số sổ 7912345678"), vec![Detail::IdNumber]);
        let addr = flags("Tôi ở số nhà 12 ngõ 34 phố Huế, Hà Nội.");
        assert_eq!(addr.iter().filter(|f| f.detail == Detail::Address).count(), 2);
        assert_eq!(addr[0].found, "số nhà 12 ngõ 34 phố Huế");
        assert_eq!(kinds("Nhà tôi ở thôn Đông, xã Yên Sở"), vec![Detail::Address]);
    }

    #[test]
    fn ordinary_numbers_and_words_are_not_flagged() {
        assert!(
            flags("Mức lương cơ sở 2.340.000 đồng từ 01/7/2024, theo Nghị định 161/2026/NĐ-CP.").is_empty()
        );
        assert!(flags("Đóng BHXH 20 năm, hưởng 75% từ năm 2025; bảo hiểm xã hội tự nguyện.").is_empty());
        assert!(flags("Đường lối của Đảng về an sinh xã hội").is_empty());
        assert!(flags("Luật số 41/2024/QH15").is_empty());
    }
}
