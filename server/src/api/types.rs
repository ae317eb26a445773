//! Value types of the API whose OpenAPI description says exactly what the
//! server accepts, so that a client (or schemathesis) never meets a rule
//! the description hides: text without control characters, lines that are
//! not blank, names from the domain's closed lists, and days and instants
//! within the years the portal supports.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type};
use serde_json::Value;

use crate::problem::ApiError;

/// Text as people type it: no C0/C1 control characters but tab and line
/// breaks, no Unicode line or paragraph separators (the rule of
/// `content::text::check_text`).
const TEXT_PATTERN: &str = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029]*$";

/// A JSON string, strictly: a number or a boolean sent where text is
/// expected is refused, not turned into text as poem-openapi's `String`
/// would (`42` → `"42"`). Every text field of a request uses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl Type for Text {
    const IS_REQUIRED: bool = true;
    type RawValueType = String;
    type RawElementValueType = String;

    fn name() -> Cow<'static, str> {
        "string(text)".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            pattern: Some(TEXT_PATTERN.into()),
            ..MetaSchema::new("string")
        }))
    }

    fn as_raw_value(&self) -> Option<&String> {
        Some(&self.0)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a String> + 'a> {
        Box::new(std::iter::once(&self.0))
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl ParseFromJSON for Text {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) => match content::text::check_text("text", &s) {
                Ok(()) => Ok(Text(s)),
                Err(_) => Err(ParseError::custom("contains a control character")),
            },
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl ToJSON for Text {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

impl std::ops::Deref for Text {
    type Target = String;

    fn deref(&self) -> &String {
        &self.0
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0
    }
}

/// Text with at least one character that is not a space: a name, a title,
/// a reason. The domain trims what it stores, so a blank one would be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line(pub String);

const LINE_PATTERN: &str = concat!(
    r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029]*",
    r"[^\s\x00-\x1F\x7F-\x9F\u2028\u2029]",
    r"[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029]*$"
);

impl Type for Line {
    const IS_REQUIRED: bool = true;
    type RawValueType = String;
    type RawElementValueType = String;

    fn name() -> Cow<'static, str> {
        "string(line)".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            pattern: Some(LINE_PATTERN.into()),
            ..MetaSchema::new("string")
        }))
    }

    fn as_raw_value(&self) -> Option<&String> {
        Some(&self.0)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a String> + 'a> {
        Box::new(std::iter::once(&self.0))
    }
}

impl ParseFromJSON for Line {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        let Text(s) = Text::parse_from_json(value).map_err(ParseError::propagate)?;
        if s.trim().is_empty() {
            return Err(ParseError::custom("must not be blank"));
        }
        Ok(Line(s))
    }
}

impl ToJSON for Line {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

impl AsRef<str> for Line {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Line {
    type Target = String;

    fn deref(&self) -> &String {
        &self.0
    }
}

impl From<Line> for String {
    fn from(t: Line) -> String {
        t.0
    }
}

/// A value from one of the domain's closed lists (roles, editions, states,
/// genres, actions), declared in the OpenAPI description as an `enum` of
/// the domain's own names, so the list is written once, in `content`.
pub trait Named: Copy + Send + Sync + 'static {
    /// The schema's name.
    const TYPE: &'static str;
    fn all() -> &'static [Self];
    fn name(self) -> &'static str;
}

macro_rules! named {
    ($($t:ty => $n:literal),* $(,)?) => {$(
        impl Named for $t {
            const TYPE: &'static str = $n;
            fn all() -> &'static [Self] {
                &<$t>::ALL
            }
            fn name(self) -> &'static str {
                self.as_str()
            }
        }
    )*};
}

named! {
    content::lang::Lang => "Edition",
    content::roles::Role => "Role",
    content::posts::Genre => "Genre",
    content::workflow::State => "PostState",
    content::workflow::Action => "PostAction",
    content::questions::rules::QuestionState => "QuestionState",
    content::questions::rules::ActionKind => "QuestionAction",
    content::royalties::amounts::Contribution => "RoyaltyContribution",
    content::royalties::rules::Status => "RoyaltyStatus",
    content::royalties::rules::Action => "RoyaltyAction",
    content::royalties::sheets::SheetStatus => "RoyaltySheetStatus",
    content::royalties::statements::Grouping => "StatementGrouping",
}

/// One value of a [`Named`] list. In a body, a string outside the list is
/// kept and refused by [`Choice::get`], so that the problem names the field
/// (poem-openapi's own parse errors do not); in a parameter it is refused
/// at once, and the parameter named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice<T>(Result<T, String>);

impl<T: Named> Choice<T> {
    pub fn of(value: T) -> Self {
        Choice(Ok(value))
    }

    /// The value, or a validation problem naming `field`.
    pub fn get(&self, field: &str) -> Result<T, ApiError> {
        self.0.clone().map_err(|given| {
            let names: Vec<&str> = T::all().iter().map(|v| v.name()).collect();
            ApiError::validation(field, format!("`{given}` is not one of {}", names.join(", ")))
        })
    }

    fn parse(s: &str) -> Self {
        Choice(
            T::all()
                .iter()
                .copied()
                .find(|v| v.name() == s)
                .ok_or_else(|| s.to_owned()),
        )
    }
}

impl<T: Named> Type for Choice<T> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        T::TYPE.into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            enum_items: T::all().iter().map(|v| Value::String(v.name().into())).collect(),
            ..MetaSchema::new("string")
        }))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(std::iter::once(self))
    }
}

impl<T: Named> ParseFromJSON for Choice<T> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) => Ok(Self::parse(&s)),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl<T: Named> ParseFromParameter for Choice<T> {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        let c = Self::parse(value);
        match &c.0 {
            Ok(_) => Ok(c),
            Err(_) => {
                let names: Vec<&str> = T::all().iter().map(|v| v.name()).collect();
                Err(ParseError::custom(format!("one of {}", names.join(", "))))
            }
        }
    }
}

impl<T: Named> ToJSON for Choice<T> {
    fn to_json(&self) -> Option<Value> {
        match &self.0 {
            Ok(v) => Some(Value::String(v.name().into())),
            Err(s) => Some(Value::String(s.clone())),
        }
    }
}

/// A closed list of words the domain keeps as text (`content::units::KINDS`,
/// `content::questions::CATEGORIES`), declared as an `enum` from that list.
pub trait Keywords: Send + Sync + 'static {
    const TYPE: &'static str;
    fn words() -> Vec<&'static str>;
}

/// Unit kinds.
pub struct UnitKinds;

impl Keywords for UnitKinds {
    const TYPE: &'static str = "UnitKind";
    fn words() -> Vec<&'static str> {
        content::units::KINDS.to_vec()
    }
}

/// Question categories.
pub struct Categories;

impl Keywords for Categories {
    const TYPE: &'static str = "QuestionCategory";
    fn words() -> Vec<&'static str> {
        content::questions::CATEGORIES.to_vec()
    }
}

/// Categories of proposals and petitions.
pub struct PetitionCategories;

impl Keywords for PetitionCategories {
    const TYPE: &'static str = "PetitionCategory";
    fn words() -> Vec<&'static str> {
        content::questions::PETITION_CATEGORIES.to_vec()
    }
}

/// The categories of either channel (a classification names one of its
/// item's channel; the domain checks which).
pub struct AnyCategories;

impl Keywords for AnyCategories {
    const TYPE: &'static str = "AnyQuestionCategory";
    fn words() -> Vec<&'static str> {
        content::questions::Channel::ALL
            .iter()
            .flat_map(|c| c.categories().iter().copied())
            .collect()
    }
}

/// One word of a [`Keywords`] list; like [`Choice`], a word outside the
/// list is refused by [`Keyword::get`] naming the field.
pub struct Keyword<K>(Result<&'static str, String>, std::marker::PhantomData<K>);

impl<K: Keywords> Keyword<K> {
    /// The word, or a validation problem naming `field`.
    pub fn get(&self, field: &str) -> Result<&'static str, ApiError> {
        self.0.clone().map_err(|given| {
            ApiError::validation(
                field,
                format!("`{given}` is not one of {}", K::words().join(", ")),
            )
        })
    }

    fn parse(s: &str) -> Self {
        Keyword(
            K::words()
                .iter()
                .copied()
                .find(|w| *w == s)
                .ok_or_else(|| s.to_owned()),
            std::marker::PhantomData,
        )
    }
}

impl<K: Keywords> Type for Keyword<K> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        K::TYPE.into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            enum_items: K::words().into_iter().map(|w| Value::String(w.into())).collect(),
            ..MetaSchema::new("string")
        }))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(std::iter::once(self))
    }
}

impl<K: Keywords> ParseFromJSON for Keyword<K> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) => Ok(Self::parse(&s)),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl<K: Keywords> ParseFromParameter for Keyword<K> {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        let k = Self::parse(value);
        match &k.0 {
            Ok(_) => Ok(k),
            Err(_) => Err(ParseError::custom(format!("one of {}", K::words().join(", ")))),
        }
    }
}

impl<K: Keywords> ToJSON for Keyword<K> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(match &self.0 {
            Ok(w) => (*w).to_owned(),
            Err(s) => s.clone(),
        }))
    }
}

/// `true`, the only answer a consent box accepts (the decree on personal
/// data: processing needs the person's consent); `false` is refused by
/// [`Agreed::check`] naming the field.
pub struct Agreed(bool);

impl Agreed {
    pub fn check(&self, field: &str) -> Result<(), ApiError> {
        if self.0 {
            Ok(())
        } else {
            Err(ApiError::validation(
                field,
                "the processing of personal data needs your consent",
            ))
        }
    }
}

impl Type for Agreed {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "boolean(true)".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            enum_items: vec![Value::Bool(true)],
            ..MetaSchema::new("boolean")
        }))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(std::iter::once(self))
    }
}

impl ParseFromJSON for Agreed {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::Bool(b)) => Ok(Agreed(b)),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ToJSON for Agreed {
    fn to_json(&self) -> Option<Value> {
        Some(Value::Bool(self.0))
    }
}

/// A calendar day `YYYY-MM-DD` in the years the portal supports
/// (`content::text::YEARS`, 1900–2199): the lunar calendar and the holiday
/// rules are checked over that range, and a date outside it is a typing
/// error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

const DAY_PATTERN: &str = r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

impl Day {
    fn parse(s: &str) -> Option<Day> {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        content::text::check_date("date", d).ok()?;
        Some(Day(d))
    }
}

impl Type for Day {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "string(day)".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            format: Some("date"),
            pattern: Some(DAY_PATTERN.into()),
            ..MetaSchema::new("string")
        }))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(std::iter::once(self))
    }
}

impl ParseFromJSON for Day {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) => {
                Day::parse(&s).ok_or_else(|| ParseError::custom("a day YYYY-MM-DD between 1900 and 2199"))
            }
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ParseFromParameter for Day {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        Day::parse(value).ok_or_else(|| ParseError::custom("a day YYYY-MM-DD between 1900 and 2199"))
    }
}

impl ToJSON for Day {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.to_string()))
    }
}

/// An instant, RFC 3339 with its offset, written in the years 1901–2198: in
/// any offset, and in Vietnam time where the domain checks it, it then
/// falls within the supported 1900–2199.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment(pub DateTime<Utc>);

const MOMENT_PATTERN: &str = concat!(
    r"^(190[1-9]|19[1-9][0-9]|20[0-9]{2}|21[0-8][0-9]|219[0-8])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])",
    r"[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?",
    r"([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
);

impl Moment {
    fn parse(s: &str) -> Option<Moment> {
        let t = DateTime::parse_from_rfc3339(s).ok()?;
        (1901..=2198)
            .contains(&t.year())
            .then(|| Moment(t.with_timezone(&Utc)))
    }
}

impl Type for Moment {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "string(moment)".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            format: Some("date-time"),
            pattern: Some(MOMENT_PATTERN.into()),
            ..MetaSchema::new("string")
        }))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(std::iter::once(self))
    }
}

impl ParseFromJSON for Moment {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) => {
                Moment::parse(&s).ok_or_else(|| ParseError::custom("an RFC 3339 time between 1900 and 2199"))
            }
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ToJSON for Moment {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(content::time::rfc3339_vn(self.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use content::lang::Lang;

    #[test]
    fn a_word_outside_the_list_is_refused_naming_the_field() {
        let c = Choice::<Lang>::parse_from_json(Some(serde_json::json!("fr"))).unwrap();
        let problem = c.get("edition").unwrap_err();
        assert_eq!(problem.field.as_deref(), Some("edition"));
        assert!(Choice::<Lang>::parse_from_parameter("fr").is_err());
        assert_eq!(
            Choice::<Lang>::parse_from_parameter("en")
                .unwrap()
                .get("edition")
                .unwrap(),
            Lang::En
        );
        let k = Keyword::<Categories>::parse_from_json(Some(serde_json::json!("taxes")));
        assert!(k.is_ok_and(|k| k.get("category").is_err()));
    }

    #[test]
    fn text_refuses_numbers_and_days_stay_in_range() {
        assert!(Text::parse_from_json(Some(serde_json::json!(42))).is_err());
        assert!(Text::parse_from_json(Some(serde_json::json!("Hà Nội"))).is_ok());
        assert_eq!(
            Day::parse_from_parameter("2026-11-24").unwrap().0.to_string(),
            "2026-11-24"
        );
        assert!(Day::parse_from_parameter("0000-01-01").is_err());
        assert!(Day::parse_from_parameter("2026-02-30").is_err());
        let MetaSchemaRef::Inline(schema) = Day::schema_ref() else {
            panic!()
        };
        assert_eq!(
            (schema.format, schema.pattern.as_deref()),
            (Some("date"), Some(DAY_PATTERN))
        );
    }
}
