//! The fields a kind of entry declares, and the check every entry point
//! (API, editor, import) passes a version's data through: text NFC and
//! free of control characters, lengths bounded, closed lists, dates in the
//! supported years, addresses that are web addresses. Pure.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::text::{check_date, check_text, clean_line, limits, nfc};

/// One value of a closed list, with its labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
}

/// What a field holds, and so how it is checked, stored and shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// One line of text.
    Line { max: usize },
    /// A code: letters, digits, `.`, `-`, `_`, `/` (a national procedure
    /// code such as `1.000123`), at most 50 characters.
    Code,
    /// Markdown, rendered and sanitised on the public page.
    Markdown { max: usize },
    /// One value of a closed list.
    Choice(&'static [Choice]),
    /// A day, `YYYY-MM-DD`.
    Date,
    /// A web address (`http://` or `https://`).
    Url,
    /// Files of the media library (their ids), offered for download.
    Files,
    /// An ordered list of lines (the stages of a processing flow).
    Lines { max_items: usize, max: usize },
    /// Keys of entries of a kind (the procedures a service serves, the
    /// documents a document replaces).
    Refs { kind: &'static str },
    /// A document's number and symbol (`số ký hiệu`, `166/2016/NĐ-CP`):
    /// letters with diacritics, digits, `.`, `-`, `_`, `/`.
    Number,
    /// An instant, RFC 3339 (a consultation's opening and closing).
    Moment,
    /// People to contact: name, title, phone, e-mail each.
    Contacts { max_items: usize },
    /// The section the entry is filed under, among its kind's sections
    /// (legal documents: "Văn bản pháp quy" or "Chỉ đạo, điều hành").
    Section,
    /// A unit of the organisation (the drafting unit of a draft).
    Unit,
}

/// One person of a [`FieldType::Contacts`] field.
pub const CONTACT_PARTS: [&str; 4] = ["name", "title", "phone", "email"];

/// A field of a kind.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// Its JSON name, as the API and the import use it.
    pub name: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
    pub ty: FieldType,
    pub required: bool,
    /// Lists filter on it (it is stored as a facet).
    pub filter: bool,
}

impl Field {
    /// The label of a value of a closed list, in `vi` or `en`.
    pub fn choice(&self, value: &str) -> Option<&'static Choice> {
        match self.ty {
            FieldType::Choice(list) => list.iter().find(|c| c.value == value),
            _ => None,
        }
    }
}

const CODE_MAX: usize = 50;
const URL_MAX: usize = 500;
const MAX_FILES: usize = 50;
const MAX_REFS: usize = 100;

fn invalid(field: &Field, message: impl Into<String>) -> Error {
    Error::invalid(field.name, message)
}

fn text_of<'a>(field: &Field, v: &'a Value) -> Result<&'a str> {
    v.as_str().ok_or_else(|| invalid(field, "must be text"))
}

fn bounded(field: &Field, s: String, max: usize) -> Result<String> {
    check_text(field.name, &s)?;
    if s.chars().count() > max {
        return Err(invalid(field, format!("must be at most {max} characters")));
    }
    Ok(s)
}

/// Whether `s` is a code ([`FieldType::Code`]).
pub fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= CODE_MAX
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'))
}

/// Whether `s` is a document number ([`FieldType::Number`]): a code that
/// may also hold `Đ`, the one letter with a diacritic that symbols use
/// (`NĐ-CP`, `QĐ-BHXH`). Codes are numbers too, so references accept
/// either.
pub fn is_number(s: &str) -> bool {
    let letter = |c: char| c.is_ascii_alphanumeric() || c == 'Đ' || c == 'đ';
    !s.is_empty()
        && s.chars().count() <= CODE_MAX
        && s.chars().next().is_some_and(letter)
        && s.chars().all(|c| letter(c) || matches!(c, '.' | '-' | '_' | '/'))
}

fn id_of(field: &Field, v: &Value) -> Result<i64> {
    v.as_i64()
        .filter(|n| (1..=i64::from(i32::MAX)).contains(n))
        .ok_or_else(|| invalid(field, "must be an id"))
}

/// One value, checked and normalised; `None` when it is empty.
fn check_value(field: &Field, v: &Value) -> Result<Option<Value>> {
    let out = match field.ty {
        FieldType::Line { max } => {
            let s = bounded(field, clean_line(text_of(field, v)?), max)?;
            (!s.is_empty()).then_some(Value::String(s))
        }
        FieldType::Markdown { max } => {
            let s = bounded(field, nfc(text_of(field, v)?.trim()), max)?;
            (!s.is_empty()).then_some(Value::String(s))
        }
        FieldType::Code => {
            let s = text_of(field, v)?.trim().to_owned();
            if s.is_empty() {
                None
            } else if is_code(&s) {
                Some(Value::String(s))
            } else {
                return Err(invalid(
                    field,
                    "letters, digits, `.`, `-`, `_` or `/`, at most 50 characters",
                ));
            }
        }
        FieldType::Choice(list) => {
            let s = text_of(field, v)?.trim();
            if s.is_empty() {
                None
            } else if list.iter().any(|c| c.value == s) {
                Some(Value::String(s.to_owned()))
            } else {
                let names: Vec<&str> = list.iter().map(|c| c.value).collect();
                return Err(invalid(field, format!("one of {}", names.join(", "))));
            }
        }
        FieldType::Date => {
            let s = text_of(field, v)?.trim();
            if s.is_empty() {
                None
            } else {
                let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|_| invalid(field, "must be a date YYYY-MM-DD"))?;
                check_date(field.name, d)?;
                Some(Value::String(d.to_string()))
            }
        }
        FieldType::Url => {
            let s = bounded(field, clean_line(text_of(field, v)?), URL_MAX)?;
            if s.is_empty() {
                None
            } else if (s.starts_with("https://") || s.starts_with("http://"))
                && !s.contains(char::is_whitespace)
            {
                Some(Value::String(s))
            } else {
                return Err(invalid(field, "must be an http:// or https:// address"));
            }
        }
        FieldType::Files => {
            let list = v
                .as_array()
                .ok_or_else(|| invalid(field, "must be a list of file ids"))?;
            if list.len() > MAX_FILES {
                return Err(invalid(field, format!("at most {MAX_FILES} files")));
            }
            let mut ids: Vec<i64> = Vec::new();
            for x in list {
                let id = id_of(field, x).map_err(|_| invalid(field, "must be a list of file ids"))?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            (!ids.is_empty()).then(|| Value::Array(ids.into_iter().map(Value::from).collect()))
        }
        FieldType::Lines { max_items, max } => {
            let list = v
                .as_array()
                .ok_or_else(|| invalid(field, "must be a list of lines"))?;
            if list.len() > max_items {
                return Err(invalid(field, format!("at most {max_items} lines")));
            }
            let mut lines = Vec::new();
            for x in list {
                let s = bounded(field, clean_line(text_of(field, x)?), max)?;
                if !s.is_empty() {
                    lines.push(Value::String(s));
                }
            }
            (!lines.is_empty()).then_some(Value::Array(lines))
        }
        FieldType::Number => {
            let s = nfc(text_of(field, v)?.trim());
            if s.is_empty() {
                None
            } else if is_number(&s) {
                Some(Value::String(s))
            } else {
                return Err(invalid(
                    field,
                    "letters, digits, `.`, `-`, `_` or `/`, at most 50 characters",
                ));
            }
        }
        FieldType::Moment => {
            let s = text_of(field, v)?.trim();
            if s.is_empty() {
                None
            } else {
                let t = chrono::DateTime::parse_from_rfc3339(s)
                    .map_err(|_| invalid(field, "must be a date and time, RFC 3339"))?;
                check_date(field.name, t.date_naive())?;
                Some(Value::String(crate::time::rfc3339_vn(
                    t.with_timezone(&chrono::Utc),
                )))
            }
        }
        FieldType::Contacts { max_items } => {
            let list = v
                .as_array()
                .ok_or_else(|| invalid(field, "must be a list of people"))?;
            if list.len() > max_items {
                return Err(invalid(field, format!("at most {max_items} people")));
            }
            let mut people = Vec::new();
            for x in list {
                let o = x
                    .as_object()
                    .ok_or_else(|| invalid(field, "each person is an object"))?;
                if let Some(k) = o.keys().find(|k| !CONTACT_PARTS.contains(&k.as_str())) {
                    return Err(invalid(field, format!("{k} is not a part of a contact")));
                }
                let mut person = Map::new();
                for part in CONTACT_PARTS {
                    let s = match o.get(part) {
                        None | Some(Value::Null) => String::new(),
                        Some(v) => bounded(field, clean_line(text_of(field, v)?), limits::NAME)?,
                    };
                    if !s.is_empty() {
                        person.insert(part.to_owned(), Value::String(s));
                    }
                }
                if !person.contains_key("name") {
                    if person.is_empty() {
                        continue;
                    }
                    return Err(invalid(field, "each person has a name"));
                }
                people.push(Value::Object(person));
            }
            (!people.is_empty()).then_some(Value::Array(people))
        }
        FieldType::Section | FieldType::Unit => match v {
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(Value::from(
                s.trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| invalid(field, "must be an id"))?,
            )),
            v => Some(Value::from(id_of(field, v)?)),
        },
        FieldType::Refs { .. } => {
            let list = v
                .as_array()
                .ok_or_else(|| invalid(field, "must be a list of codes"))?;
            if list.len() > MAX_REFS {
                return Err(invalid(field, format!("at most {MAX_REFS} references")));
            }
            let mut keys: Vec<Value> = Vec::new();
            for x in list {
                let s = nfc(text_of(field, x)?.trim());
                if !is_number(&s) {
                    return Err(invalid(field, "each reference is a code"));
                }
                if !keys.iter().any(|k| k == &Value::String(s.clone())) {
                    keys.push(Value::String(s));
                }
            }
            (!keys.is_empty()).then_some(Value::Array(keys))
        }
    };
    Ok(out)
}

/// Checks `data` against `fields`: every declared field valid, required
/// ones present, no undeclared field. Returns the normalised data, empty
/// values left out, in declaration order.
pub fn check(fields: &[Field], data: &Map<String, Value>) -> Result<Map<String, Value>> {
    if let Some(unknown) = data.keys().find(|k| !fields.iter().any(|f| f.name == k.as_str())) {
        return Err(Error::invalid(unknown.clone(), "is not a field of this kind"));
    }
    let mut out = Map::new();
    for f in fields {
        let value = match data.get(f.name) {
            None | Some(Value::Null) => None,
            Some(v) => check_value(f, v)?,
        };
        match value {
            Some(v) => {
                out.insert(f.name.to_owned(), v);
            }
            None if f.required => return Err(invalid(f, "is required")),
            None => {}
        }
    }
    Ok(out)
}

/// The text of a field (empty when absent or not text).
pub fn text<'a>(data: &'a Map<String, Value>, name: &str) -> &'a str {
    data.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// The filterable values of `data`, as (field, value) pairs, and its
/// references (so an entry finds what refers to it).
pub fn facets(fields: &[Field], data: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in fields
        .iter()
        .filter(|f| f.filter || matches!(f.ty, FieldType::Refs { .. }))
    {
        match data.get(f.name) {
            Some(Value::String(s)) => out.push((f.name.to_owned(), facet_value(s))),
            Some(Value::Number(n)) => out.push((f.name.to_owned(), n.to_string())),
            Some(Value::Array(list)) => {
                for v in list.iter().filter_map(Value::as_str) {
                    out.push((f.name.to_owned(), facet_value(v)));
                }
            }
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The keys `data` refers to among entries of its own kind (the documents
/// a document replaces, amends or guides), whose status may follow it.
pub fn references(kind: &super::Kind, data: &Map<String, Value>) -> Vec<String> {
    let mut keys: Vec<String> = kind
        .fields
        .iter()
        .filter(|f| matches!(f.ty, FieldType::Refs { kind: k } if k == kind.name))
        .filter_map(|f| data.get(f.name).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// A facet value fits its column: the first 200 characters.
fn facet_value(s: &str) -> String {
    s.chars().take(limits::NAME).collect()
}

/// The library files `data` refers to: its file fields and the images of
/// its Markdown fields (`/media/<id>/…`).
pub fn files(fields: &[Field], data: &Map<String, Value>) -> std::collections::BTreeSet<i32> {
    let mut ids = std::collections::BTreeSet::new();
    for f in fields {
        match (f.ty, data.get(f.name)) {
            (FieldType::Files, Some(Value::Array(list))) => {
                ids.extend(
                    list.iter()
                        .filter_map(Value::as_i64)
                        .filter_map(|n| i32::try_from(n).ok()),
                );
            }
            (FieldType::Markdown { .. }, Some(Value::String(s))) => {
                ids.extend(crate::media::uses::media_refs(s));
            }
            _ => {}
        }
    }
    ids
}

/// A readable unified diff per changed field, in declaration order.
pub fn diff(
    fields: &[Field],
    a: (&Map<String, Value>, i32),
    b: (&Map<String, Value>, i32),
) -> Vec<(String, String)> {
    fields
        .iter()
        .filter_map(|f| {
            let x = shown(a.0.get(f.name));
            let y = shown(b.0.get(f.name));
            (x != y).then(|| {
                let text = similar::TextDiff::from_lines(&x, &y)
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("{} (version {})", f.name, a.1),
                        &format!("{} (version {})", f.name, b.1),
                    )
                    .to_string();
                (f.name.to_owned(), text)
            })
        })
        .collect()
}

/// A value as lines of text, for diffs and plain-text views.
pub fn shown(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|x| match x {
                Value::String(s) => s.clone(),
                Value::Object(o) => CONTACT_PARTS
                    .iter()
                    .filter_map(|p| o.get(*p).and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join(" | "),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TIERS: &[Choice] = &[
        Choice {
            value: "central",
            vi: "Trung ương",
            en: "Central",
        },
        Choice {
            value: "local",
            vi: "Cấp xã",
            en: "Local",
        },
    ];
    const FIELDS: &[Field] = &[
        Field {
            name: "code",
            vi: "Mã",
            en: "Code",
            ty: FieldType::Code,
            required: true,
            filter: false,
        },
        Field {
            name: "name",
            vi: "Tên",
            en: "Name",
            ty: FieldType::Line { max: 20 },
            required: true,
            filter: false,
        },
        Field {
            name: "tier",
            vi: "Cấp",
            en: "Tier",
            ty: FieldType::Choice(TIERS),
            required: false,
            filter: true,
        },
        Field {
            name: "steps",
            vi: "Trình tự",
            en: "Steps",
            ty: FieldType::Markdown { max: 1000 },
            required: false,
            filter: false,
        },
        Field {
            name: "forms",
            vi: "Mẫu",
            en: "Forms",
            ty: FieldType::Files,
            required: false,
            filter: false,
        },
        Field {
            name: "flow",
            vi: "Quy trình",
            en: "Flow",
            ty: FieldType::Lines {
                max_items: 3,
                max: 50,
            },
            required: false,
            filter: false,
        },
        Field {
            name: "since",
            vi: "Từ ngày",
            en: "Since",
            ty: FieldType::Date,
            required: false,
            filter: false,
        },
        Field {
            name: "url",
            vi: "Địa chỉ",
            en: "Address",
            ty: FieldType::Url,
            required: false,
            filter: false,
        },
    ];

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn data_is_normalised_and_empty_values_dropped() {
        let out = check(
            FIELDS,
            &map(json!({"code": " 1.000123 ", "name": "  Cấp lại sổ\u{0300} ", "tier": "central", "steps": "", "forms": [3, 3, 4], "flow": ["Tiếp nhận", " "], "since": "2026-07-01"})),
        )
        .unwrap();
        assert_eq!(out["code"], "1.000123");
        assert_eq!(out["name"], nfc("Cấp lại sổ\u{0300}"));
        assert!(!out.contains_key("steps"));
        assert_eq!(out["forms"], json!([3, 4]));
        assert_eq!(out["flow"], json!(["Tiếp nhận"]));
        assert_eq!(
            facets(FIELDS, &out),
            vec![("tier".to_owned(), "central".to_owned())]
        );
    }

    #[test]
    fn bad_values_name_their_field() {
        let field = |v: Value| match check(FIELDS, &map(v)) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(json!({"name": "x"})), "code");
        assert_eq!(field(json!({"code": "1 2", "name": "x"})), "code");
        assert_eq!(field(json!({"code": "1", "name": "x".repeat(21)})), "name");
        assert_eq!(field(json!({"code": "1", "name": "x", "tier": "global"})), "tier");
        assert_eq!(field(json!({"code": "1", "name": "x\u{0}"})), "name");
        assert_eq!(
            field(json!({"code": "1", "name": "x", "since": "0000-01-01"})),
            "since"
        );
        assert_eq!(
            field(json!({"code": "1", "name": "x", "url": "javascript:alert(1)"})),
            "url"
        );
        assert_eq!(
            field(json!({"code": "1", "name": "x", "flow": ["a", "b", "c", "d"]})),
            "flow"
        );
        assert_eq!(
            field(json!({"code": "1", "name": "x", "colour": "red"})),
            "colour"
        );
    }

    #[test]
    fn numbers_hold_the_letter_d_with_stroke() {
        assert!(is_number("166/2016/NĐ-CP"));
        assert!(is_number("1.000123"));
        assert!(!is_number("166/2016 NĐ-CP"));
        assert!(!is_number("/2016"));
        assert!(!is_number("Nghị-định"));
    }

    #[test]
    fn contacts_are_people_with_names() {
        let f = Field {
            name: "leaders",
            vi: "Lãnh đạo",
            en: "Leaders",
            ty: FieldType::Contacts { max_items: 2 },
            required: false,
            filter: false,
        };
        let ok = check(
            &[f],
            &map(json!({"leaders": [{"name": " Nguyễn Văn A ", "title": "Giám đốc", "phone": "024 1234"}, {}]})),
        )
        .unwrap();
        assert_eq!(
            ok["leaders"],
            json!([{"name": "Nguyễn Văn A", "title": "Giám đốc", "phone": "024 1234"}])
        );
        assert!(check(&[f], &map(json!({"leaders": [{"title": "Giám đốc"}]}))).is_err());
        assert!(check(&[f], &map(json!({"leaders": [{"name": "A", "age": "40"}]}))).is_err());
    }

    #[test]
    fn diffs_show_changed_fields_only() {
        let a = map(json!({"code": "1", "name": "Cấp sổ", "flow": ["A"]}));
        let b = map(json!({"code": "1", "name": "Cấp lại sổ", "flow": ["A"]}));
        let d = diff(FIELDS, (&a, 1), (&b, 2));
        assert_eq!(d.len(), 1);
        assert!(d[0].1.contains("+Cấp lại sổ"));
    }
}
