//! Vietnamese text analysis for the portal's search.
//!
//! Citizens type on phones, often without diacritics, sometimes with the
//! tone mark on the other vowel ("hoà" / "hòa", "thuỷ" / "thủy"), sometimes
//! in decomposed Unicode. Every text, indexed or queried, first goes
//! through [`normalize`]; [`fold`] gives the diacritic-free view that
//! matches queries typed without marks.

use unicode_normalization::UnicodeNormalization;

/// Combining tone marks of Vietnamese (huyền, sắc, ngã, hỏi, nặng).
const TONES: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

/// NFC, lower case, and one canonical tone placement: in a syllable ending
/// in "oa", "oe" or "uy" the tone sits on the first vowel ("hòa", "khỏe",
/// "thủy"), so both spellings in use index and match the same.
pub fn normalize(text: &str) -> String {
    let lower: String = text.nfd().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(lower.len());
    let mut word: Vec<char> = Vec::new();
    for c in lower.chars() {
        if c.is_alphanumeric() || is_mark(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out.nfc().collect()
}

/// The diacritic-free view: every mark removed and `đ` read as `d`, so that
/// "bao hiem that nghiep" finds "bảo hiểm thất nghiệp".
pub fn fold(text: &str) -> String {
    normalize(text)
        .nfd()
        .filter(|c| !is_mark(*c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// Moves the tone of one decomposed, lower-case word where needed.
fn flush(word: &mut Vec<char>, out: &mut String) {
    if let Some(fixed) = canonical_tone(word) {
        *word = fixed;
    }
    out.extend(word.drain(..));
}

fn canonical_tone(word: &[char]) -> Option<Vec<char>> {
    let tone_at = word.iter().position(|c| TONES.contains(c))?;
    let tone = word[tone_at];
    let letters: Vec<(usize, char)> = word
        .iter()
        .enumerate()
        .filter(|(_, c)| !is_mark(**c))
        .map(|(i, c)| (i, *c))
        .collect();
    let n = letters.len();
    if n < 2 {
        return None;
    }
    let (first_i, first) = letters[n - 2];
    let (last_i, last) = letters[n - 1];
    let pair_ok = matches!((first, last), ('o', 'a') | ('o', 'e') | ('u', 'y'));
    let after_q = n >= 3 && letters[n - 3].1 == 'q';
    let tone_on_last = tone_at > last_i;
    let plain_pair = word[first_i + 1..last_i].iter().all(|c| TONES.contains(c))
        && word[last_i + 1..].iter().all(|c| TONES.contains(c));
    if !pair_ok || after_q || !tone_on_last || !plain_pair {
        return None;
    }
    let mut fixed: Vec<char> = word.iter().copied().filter(|c| *c != tone).collect();
    let insert_at = fixed.iter().position(|c| *c == first).map(|_| first_i + 1)?;
    fixed.insert(insert_at, tone);
    Some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_placement_is_canonical() {
        assert_eq!(normalize("hoà"), "hòa");
        assert_eq!(normalize("Hòa Bình"), "hòa bình");
        assert_eq!(normalize("thuỷ"), "thủy");
        assert_eq!(normalize("khoẻ mạnh"), "khỏe mạnh");
        assert_eq!(normalize("hoàng"), "hoàng");
        assert_eq!(normalize("quý"), "quý");
        assert_eq!(normalize("thuý"), "thúy");
    }

    #[test]
    fn decomposed_input_matches_composed() {
        let nfd: String = "Bảo hiểm thất nghiệp".nfd().collect();
        assert_eq!(normalize(&nfd), "bảo hiểm thất nghiệp");
        assert_eq!(normalize(&nfd), normalize("Bảo hiểm thất nghiệp"));
    }

    #[test]
    fn folding_removes_every_mark() {
        assert_eq!(fold("Bảo hiểm thất nghiệp"), "bao hiem that nghiep");
        assert_eq!(fold("Đóng góp ý kiến"), "dong gop y kien");
        assert_eq!(fold("hoà"), fold("hòa"));
        assert_eq!(fold("ĐƯỜNG"), "duong");
    }
}
