//! JSON shapes shared by several routes.

use content::accounts::Account;
use content::entity::{section, unit};
use content::sections::Node;
use content::time::rfc3339_vn;
use poem_openapi::Object;

/// A user account as the API shows it (never its password hash).
#[derive(Object)]
pub struct User {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    #[oai(nullable)]
    pub email: Option<String>,
    #[oai(nullable)]
    pub unit_id: Option<i32>,
    /// Role API names, e.g. `editor`, `board_head`.
    pub roles: Vec<String>,
    pub disabled: bool,
    /// When a lockout after failed logins ends, if one is in force.
    #[oai(nullable)]
    pub locked_until: Option<String>,
    pub created_at: String,
}

impl From<Account> for User {
    fn from(a: Account) -> Self {
        let now = content::time::now();
        User {
            id: a.user.id,
            username: a.user.username,
            display_name: a.user.display_name,
            email: a.user.email,
            unit_id: a.user.unit_id,
            roles: a.roles.names(),
            disabled: a.user.disabled,
            locked_until: a.user.locked_until.filter(|t| *t > now).map(rfc3339_vn),
            created_at: rfc3339_vn(a.user.created_at),
        }
    }
}

/// An organisational unit.
#[derive(Object)]
pub struct Unit {
    pub id: i32,
    pub code: String,
    /// `central`, `provincial` or `project_board`.
    pub kind: String,
    pub name_vi: String,
    pub name_en: String,
    pub active: bool,
    #[oai(nullable)]
    pub address: Option<String>,
    #[oai(nullable)]
    pub phone: Option<String>,
    #[oai(nullable)]
    pub email: Option<String>,
}

impl From<unit::Model> for Unit {
    fn from(u: unit::Model) -> Self {
        Unit {
            id: u.id,
            code: u.code,
            kind: u.kind,
            name_vi: u.name_vi,
            name_en: u.name_en,
            active: u.active,
            address: u.address,
            phone: u.phone,
            email: u.email,
        }
    }
}

/// A section with its children (items).
#[derive(Object)]
pub struct SectionNode {
    pub id: i32,
    /// Stable key, e.g. `vi-06` for the Vietnamese edition's sixth section.
    pub code: String,
    pub edition: String,
    /// The slug in the edition's language.
    pub slug: String,
    pub slug_vi: String,
    pub slug_en: String,
    pub name_vi: String,
    pub name_en: String,
    pub position: i32,
    #[oai(nullable)]
    pub parent_id: Option<i32>,
    #[oai(nullable)]
    pub owner_unit_id: Option<i32>,
    pub visible: bool,
    pub children: Vec<SectionNode>,
}

impl From<Node> for SectionNode {
    fn from(n: Node) -> Self {
        let slug = n.slug().to_owned();
        let mut s = SectionNode::from(n.section);
        s.slug = slug;
        s.children = n.children.into_iter().map(SectionNode::from).collect();
        s
    }
}

impl From<section::Model> for SectionNode {
    fn from(s: section::Model) -> Self {
        let slug = s.own_slug().to_owned();
        SectionNode {
            id: s.id,
            code: s.code,
            edition: s.edition,
            slug,
            slug_vi: s.slug_vi,
            slug_en: s.slug_en,
            name_vi: s.name_vi,
            name_en: s.name_en,
            position: s.position,
            parent_id: s.parent_id,
            owner_unit_id: s.owner_unit_id,
            visible: s.visible,
            children: Vec::new(),
        }
    }
}
