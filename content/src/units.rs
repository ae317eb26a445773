//! Organisational units: who supplies, edits, answers and pays (Đ7.2).
//! Units are data; the central ones are seeded, offices are added by admins.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entity::unit;
use crate::error::{Error, Result};
use crate::text::clean_line;

impl unit::Model {
    /// The unit's name in `lang`.
    pub fn name_in(&self, lang: crate::lang::Lang) -> &str {
        lang.pick(&self.name_vi, &self.name_en)
    }
}

/// Kinds of unit. Provincial and regional offices are one kind so that any
/// number of them can be added.
pub const KINDS: [&str; 3] = ["central", "provincial", "project_board"];

/// Stable codes of the seeded units that the rules refer to.
pub mod codes {
    pub const COMMUNICATION_CENTRE: &str = "communication_centre";
    pub const SUPPORT_CENTRE: &str = "support_centre";
    pub const IT_CENTRE: &str = "it_centre";
    pub const OFFICE: &str = "office";
    pub const INTERNATIONAL_COOPERATION: &str = "international_cooperation";
    pub const ORGANISATION_PERSONNEL: &str = "organisation_personnel";
    pub const EMULATION_REWARDS: &str = "emulation_rewards";
    pub const SOCIAL_SECURITY_INSTITUTE: &str = "social_security_institute";
    pub const CONSTRUCTION_PROJECT_BOARD: &str = "construction_project_board";
    pub const IT_PROJECT_BOARD: &str = "it_project_board";
}

/// The central units the regulation names (Đ7.2, Đ11.2), with their kind.
pub const SEED: &[(&str, &str, &str, &str)] = &[
    (
        codes::COMMUNICATION_CENTRE,
        "central",
        "Trung tâm Truyền thông",
        "Communication Centre",
    ),
    (
        codes::SUPPORT_CENTRE,
        "central",
        "Trung tâm Dịch vụ hỗ trợ, chăm sóc khách hàng",
        "Customer Support Centre",
    ),
    (
        codes::IT_CENTRE,
        "central",
        "Trung tâm Công nghệ thông tin",
        "IT Centre",
    ),
    (codes::OFFICE, "central", "Văn phòng", "Office"),
    (
        codes::INTERNATIONAL_COOPERATION,
        "central",
        "Vụ Hợp tác quốc tế",
        "International Cooperation Department",
    ),
    (
        codes::ORGANISATION_PERSONNEL,
        "central",
        "Vụ Tổ chức cán bộ",
        "Organisation and Personnel Department",
    ),
    (
        codes::EMULATION_REWARDS,
        "central",
        "Vụ Thi đua - Khen thưởng",
        "Emulation and Rewards Department",
    ),
    (
        codes::SOCIAL_SECURITY_INSTITUTE,
        "central",
        "Viện Khoa học Bảo hiểm xã hội",
        "Institute of Social Security Science",
    ),
    (
        codes::CONSTRUCTION_PROJECT_BOARD,
        "project_board",
        "Ban Quản lý Dự án Đầu tư và Xây dựng Ngành Bảo hiểm xã hội",
        "Construction Investment Project Management Board",
    ),
    (
        codes::IT_PROJECT_BOARD,
        "project_board",
        "Ban Quản lý các dự án Công nghệ thông tin",
        "IT Project Management Board",
    ),
];

/// Inserts the seeded units that are missing. Returns how many it added.
pub async fn seed(db: &impl ConnectionTrait) -> Result<usize> {
    let mut added = 0;
    for (code, kind, vi, en) in SEED {
        if find_by_code(db, code).await?.is_none() {
            insert(
                db,
                &NewUnit {
                    code: (*code).to_owned(),
                    kind: (*kind).to_owned(),
                    name_vi: (*vi).to_owned(),
                    name_en: (*en).to_owned(),
                    contacts: Contacts::default(),
                },
            )
            .await?;
            added += 1;
        }
    }
    Ok(added)
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<unit::Model>> {
    Ok(unit::Entity::find()
        .order_by_asc(unit::Column::Id)
        .all(db)
        .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<unit::Model> {
    unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("unit"))
}

pub async fn find_by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<unit::Model>> {
    Ok(unit::Entity::find()
        .filter(unit::Column::Code.eq(code))
        .one(db)
        .await?)
}

/// A unit to create.
#[derive(Clone, Debug)]
pub struct NewUnit {
    pub code: String,
    pub kind: String,
    pub name_vi: String,
    pub name_en: String,
    pub contacts: Contacts,
}

/// How to reach a unit; empty text clears a field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contacts {
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl Contacts {
    /// The checked values: trimmed, NFC; an e-mail address that looks like
    /// one, a phone number of digits and `+ ( ) - .` and spaces.
    fn checked(&self) -> Result<(Option<String>, Option<String>, Option<String>)> {
        let address = crate::text::optional_line("address", self.address.as_deref(), 300)?;
        let phone = crate::text::optional_line("phone", self.phone.as_deref(), 40)?;
        if let Some(p) = &phone
            && !p.chars().all(|c| c.is_ascii_digit() || " +()-.".contains(c))
        {
            return Err(Error::invalid_in(
                "phone",
                "use digits, spaces and + ( ) - .",
                "Số điện thoại chỉ gồm chữ số, dấu cách và + ( ) - .",
            ));
        }
        let email = match crate::text::optional_line("email", self.email.as_deref(), 254)? {
            Some(e) => Some(crate::text::email("email", &e)?),
            None => None,
        };
        Ok((address, phone, email))
    }
}

/// Changes to a unit; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct UnitChanges {
    pub name_vi: Option<String>,
    pub name_en: Option<String>,
    pub active: Option<bool>,
    /// Replaces all three contact fields when given.
    pub contacts: Option<Contacts>,
}

fn check_name(field: &str, value: &str) -> Result<String> {
    let v = clean_line(value);
    if v.is_empty() || v.chars().count() > 200 {
        return Err(Error::invalid_in(
            field,
            "must be 1 to 200 characters",
            "Tên cần từ 1 đến 200 ký tự.",
        ));
    }
    Ok(v)
}

pub async fn insert(db: &impl ConnectionTrait, new: &NewUnit) -> Result<unit::Model> {
    let code = new.code.trim().to_owned();
    if code.is_empty()
        || !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    {
        return Err(Error::invalid(
            "code",
            "use lower-case letters, digits, `_` or `-`",
        ));
    }
    if !KINDS.contains(&new.kind.as_str()) {
        return Err(Error::invalid(
            "kind",
            "must be one of central, provincial, project_board",
        ));
    }
    if find_by_code(db, &code).await?.is_some() {
        return Err(Error::Conflict(format!(
            "a unit with code `{code}` already exists"
        )));
    }
    let (address, phone, email) = new.contacts.checked()?;
    let now = crate::time::now();
    Ok(unit::ActiveModel {
        address: Set(address),
        phone: Set(phone),
        email: Set(email),
        code: Set(code),
        kind: Set(new.kind.clone()),
        name_vi: Set(check_name("name_vi", &new.name_vi)?),
        name_en: Set(check_name("name_en", &new.name_en)?),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn update(db: &impl ConnectionTrait, id: i32, changes: &UnitChanges) -> Result<unit::Model> {
    let mut am: unit::ActiveModel = get(db, id).await?.into();
    if let Some(v) = &changes.name_vi {
        am.name_vi = Set(check_name("name_vi", v)?);
    }
    if let Some(v) = &changes.name_en {
        am.name_en = Set(check_name("name_en", v)?);
    }
    if let Some(v) = changes.active {
        am.active = Set(v);
    }
    if let Some(c) = &changes.contacts {
        let (address, phone, email) = c.checked()?;
        am.address = Set(address);
        am.phone = Set(phone);
        am.email = Set(email);
    }
    am.updated_at = Set(crate::time::now());
    Ok(am.update(db).await?)
}

/// Creates a unit, audited (`unit.create`).
pub async fn add(
    db: &impl ConnectionTrait,
    actor: &crate::audit::Actor,
    new: &NewUnit,
) -> Result<unit::Model> {
    let created = insert(db, new).await?;
    crate::audit::record(
        db,
        actor,
        "unit.create",
        Some(("unit", created.id.to_string())),
        serde_json::json!({"code": created.code}),
    )
    .await?;
    Ok(created)
}

/// Changes a unit, audited (`unit.update`).
pub async fn change(
    db: &impl ConnectionTrait,
    actor: &crate::audit::Actor,
    id: i32,
    changes: &UnitChanges,
) -> Result<unit::Model> {
    let updated = update(db, id, changes).await?;
    crate::audit::record(
        db,
        actor,
        "unit.update",
        Some(("unit", id.to_string())),
        serde_json::json!({
            "name_vi": changes.name_vi, "name_en": changes.name_en, "active": changes.active,
            "contacts": changes.contacts.as_ref().map(|c| serde_json::json!({"address": c.address, "phone": c.phone, "email": c.email})),
        }),
    )
    .await?;
    Ok(updated)
}
