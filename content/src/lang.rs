//! The portal's two languages. Each public edition is named by its
//! language (Vietnamese at baohiemxahoi.gov.vn, English at vss.gov.vn,
//! Đ3.3), and every screen shows one of them, so one type serves both:
//! the edition a section or post belongs to and the language a page is
//! written in.
//!
//! String tables of the editor and the public site follow one rule
//! ([`Strings`]): a key has a Vietnamese and an English text, a page gets
//! the table of its language, and a missing key shows the key itself so a
//! screen test catches it.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// Vietnamese or English.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// Vietnamese, the default (Đ5.2: the portal is first of all Vietnamese).
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// `vi` or `en`: the code in URLs, the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// Reads a code leniently, for preferences (a cookie, `?lang=`):
    /// anything but `en` is Vietnamese.
    pub fn from_code(code: Option<&str>) -> Lang {
        match code {
            Some("en") => Lang::En,
            _ => Lang::Vi,
        }
    }

    /// Picks the text of this language from a pair.
    pub fn pick<T>(self, vi: T, en: T) -> T {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Strict parsing, for input that names an edition.
impl FromStr for Lang {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            _ => Err(Error::invalid("edition", "must be `vi` or `en`")),
        }
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A table of (key, Vietnamese, English) texts, indexed once per language.
pub struct Strings {
    vi: BTreeMap<&'static str, &'static str>,
    en: BTreeMap<&'static str, &'static str>,
}

impl Strings {
    /// Indexes a table. An empty English text falls back to the
    /// Vietnamese one (never the reverse: Vietnamese screens are complete).
    pub fn new(table: &[(&'static str, &'static str, &'static str)]) -> Self {
        let vi = table.iter().map(|(k, vi, _)| (*k, *vi)).collect();
        let en = table
            .iter()
            .map(|(k, vi, en)| (*k, if en.is_empty() { *vi } else { *en }))
            .collect();
        Strings { vi, en }
    }

    /// The text of `key`; the key itself when the table lacks it.
    pub fn get<'a>(&self, lang: Lang, key: &'a str) -> &'a str {
        match self.all(lang).get(key) {
            Some(text) => text,
            None => key,
        }
    }

    /// Every text of one language, by key (the `t` of templates).
    pub fn all(&self, lang: Lang) -> &BTreeMap<&'static str, &'static str> {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// Keys whose Vietnamese text is empty: a table test asserts none.
    pub fn missing_vietnamese(&self) -> Vec<&'static str> {
        self.vi
            .iter()
            .filter(|(_, v)| v.is_empty())
            .map(|(k, _)| *k)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_parse_strictly() {
        for l in Lang::ALL {
            assert_eq!(l.as_str().parse::<Lang>().unwrap(), l);
            assert_eq!(Lang::from_code(Some(l.as_str())), l);
            assert_eq!(l.other().other(), l);
        }
        assert!("EN".parse::<Lang>().is_err());
        assert_eq!(Lang::from_code(Some("fr")), Lang::Vi);
        assert_eq!(Lang::from_code(None), Lang::Vi);
    }

    #[test]
    fn a_missing_key_shows_itself_and_english_falls_back() {
        let s = Strings::new(&[("home", "Trang chủ", "Home"), ("only_vi", "Chỉ tiếng Việt", "")]);
        assert_eq!(s.get(Lang::Vi, "home"), "Trang chủ");
        assert_eq!(s.get(Lang::En, "home"), "Home");
        assert_eq!(s.get(Lang::En, "only_vi"), "Chỉ tiếng Việt");
        assert_eq!(s.get(Lang::Vi, "nope"), "nope");
        assert!(s.missing_vietnamese().is_empty());
    }
}
