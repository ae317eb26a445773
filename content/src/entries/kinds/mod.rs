//! The kinds of structured content and their fields. A new kind is a new
//! declaration in one of these files, not a new module: the mechanism in
//! [`super`] stores, versions, approves, publishes, indexes and shows every
//! kind the same way.

mod catalogue;
mod documents;
mod organisation;

pub use catalogue::{IVAN_PROVIDER, ONLINE_SERVICE, PROCEDURE};
pub use documents::{CONSULTATION, FINANCIAL_REPORT, LEGAL_DOCUMENT};
pub use organisation::{DIRECTORY_UNIT, GALLERY, INVESTMENT_PROJECT, LEADER, LINK, RESEARCH_TOPIC, VIDEO};

use super::fields::{Choice, Field, FieldType};
use crate::roles::Role;
use crate::workflow::Policy;

/// A kind of structured content.
#[derive(Debug)]
pub struct Kind {
    /// Its name in the change log, the search index and the API (`procedure`).
    pub name: &'static str,
    /// Its name in URLs (`procedures`): the API's and the open data's.
    pub plural: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
    /// The sections (by code) an entry may be filed under, the first by
    /// default; the section's chain approves it and its page lists it.
    pub sections: &'static [&'static str],
    /// Other sections whose page lists every entry of the kind (the
    /// organisation chart lists the directory's units).
    pub listed_in: &'static [&'static str],
    /// The field that identifies an entry (unique, the import matches on
    /// it); `None`: entries are told apart by their slug.
    pub key: Option<&'static str>,
    /// The field that names an entry.
    pub title: &'static str,
    pub fields: &'static [Field],
    /// Values computed from the fields and the date, never typed: shown,
    /// filtered on and returned by the API like fields ([`Clock`]).
    pub derived: &'static [Field],
    /// What changes with time alone.
    pub clock: Option<Clock>,
    /// How the entries that refer to an entry show on its page.
    pub inverses: &'static [Inverse],
    /// Who creates and edits entries.
    pub editors: &'static [Role],
    pub policy: Policy,
}

/// What changes with time alone, without anyone editing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// A legal document: in force from `effective_from` until `expired_on`
    /// or until a document replacing it takes effect (derived `status` and
    /// `year` of `issued_on`).
    InForce,
    /// A draft for comment: open between `opens_at` and `closes_at`
    /// (derived `status`).
    Window,
}

/// A reference seen from the entry it points at: the documents that
/// replace this one show on its page as "replaced by".
#[derive(Clone, Copy, Debug)]
pub struct Inverse {
    /// The referring field (`replaces`).
    pub of: &'static str,
    /// The field of this kind the referring entries join on the page
    /// (`replaced_by`), or a row of its own when `None`.
    pub joins: Option<&'static str>,
    pub vi: &'static str,
    pub en: &'static str,
}

impl Kind {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// A field or a derived value.
    pub fn any_field(&self, name: &str) -> Option<&'static Field> {
        self.field(name)
            .or_else(|| self.derived.iter().find(|f| f.name == name))
    }

    /// The section a new entry is filed under.
    pub fn home(&self) -> &'static str {
        self.sections[0]
    }

    /// Whether the page of section `code` lists entries of this kind.
    pub fn listed_on(&self, code: &str) -> bool {
        self.sections.contains(&code) || self.listed_in.contains(&code)
    }

    /// Who reads the working versions: the editors and the board.
    pub fn may_read(&self, roles: &crate::roles::RoleSet) -> bool {
        roles.any(self.editors) || roles.iter().any(|r| r.is_board())
    }
}

/// One value of a closed list.
pub(super) const fn c(value: &'static str, vi: &'static str, en: &'static str) -> Choice {
    Choice { value, vi, en }
}

/// A field the lists filter on.
pub(super) const fn filtered(f: Field) -> Field {
    Field { filter: true, ..f }
}

/// A field that must be filled.
pub(super) const fn required(f: Field) -> Field {
    Field { required: true, ..f }
}

/// Who files documents and the other pages of the editorial sections: the
/// units that supply them (Đ7.1b, Đ11.1), the Communication Centre's
/// editors (Đ7.2a) and the administrators; the board reads and approves.
pub(super) const EDITORIAL: &[Role] = &[Role::Contributor, Role::Editor, Role::Admin];

/// What most kinds share, for `..EDITORIAL_KIND`: filed by the editorial
/// staff and approved like posts (Đ6.2a, Đ7.1b–c), listed only where they
/// are filed, told apart by their slug, nothing computed.
pub(super) const EDITORIAL_KIND: Kind = Kind {
    name: "",
    plural: "",
    vi: "",
    en: "",
    sections: &[],
    listed_in: &[],
    key: None,
    title: "title",
    fields: &[],
    derived: &[],
    clock: None,
    inverses: &[],
    editors: EDITORIAL,
    policy: crate::workflow::POSTS,
};

pub(super) const fn line(
    name: &'static str,
    vi: &'static str,
    en: &'static str,
    max: usize,
    required: bool,
) -> Field {
    Field {
        name,
        vi,
        en,
        ty: FieldType::Line { max },
        required,
        filter: false,
    }
}

pub(super) const fn markdown(name: &'static str, vi: &'static str, en: &'static str) -> Field {
    Field {
        name,
        vi,
        en,
        ty: FieldType::Markdown { max: 50_000 },
        required: false,
        filter: false,
    }
}

pub(super) const fn choice(
    name: &'static str,
    vi: &'static str,
    en: &'static str,
    list: &'static [Choice],
    required: bool,
) -> Field {
    Field {
        name,
        vi,
        en,
        ty: FieldType::Choice(list),
        required,
        filter: true,
    }
}

pub(super) const fn field(name: &'static str, vi: &'static str, en: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        vi,
        en,
        ty,
        required: false,
        filter: false,
    }
}

/// Every kind.
pub static ALL: [&Kind; 13] = [
    &PROCEDURE,
    &ONLINE_SERVICE,
    &IVAN_PROVIDER,
    &LEGAL_DOCUMENT,
    &CONSULTATION,
    &FINANCIAL_REPORT,
    &DIRECTORY_UNIT,
    &LEADER,
    &INVESTMENT_PROJECT,
    &RESEARCH_TOPIC,
    &LINK,
    &GALLERY,
    &VIDEO,
];

/// The kind named `name`.
pub fn by_name(name: &str) -> Option<&'static Kind> {
    ALL.iter().copied().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_well_formed() {
        for k in ALL {
            assert!(k.field(k.title).is_some_and(|f| f.required), "{}: title", k.name);
            if let Some(key) = k.key {
                assert!(
                    matches!(
                        k.field(key).map(|f| f.ty),
                        Some(FieldType::Code | FieldType::Number)
                    ),
                    "{}: key",
                    k.name
                );
            }
            assert!(!k.sections.is_empty(), "{}: sections", k.name);
            for i in k.inverses {
                assert!(
                    matches!(k.field(i.of).map(|f| f.ty), Some(FieldType::Refs { kind }) if kind == k.name),
                    "{}: inverse of {}",
                    k.name,
                    i.of
                );
            }
            let mut names: Vec<&str> = k.fields.iter().map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), k.fields.len(), "{}: field names unique", k.name);
            for f in k.fields {
                if let FieldType::Refs { kind } = f.ty {
                    assert!(
                        by_name(kind).is_some_and(|r| r.key.is_some()),
                        "{}.{} refers to a keyed kind",
                        k.name,
                        f.name
                    );
                }
            }
        }
    }
}
