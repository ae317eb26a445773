//! The section catalogue: one tree per edition (Đ3.3–3.4). The board
//! approves the list and may change it (Đ6.2a, Đ7.1a), so sections are
//! data that admins create, rename, reorder, move and hide.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};

use crate::entity::section;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::seed::sections::{EN, VI};
use crate::text::{clean_line, is_slug, slugify};

/// A section with its children, in display order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub section: section::Model,
    pub children: Vec<Node>,
}

impl Node {
    /// The slug in the edition's own language.
    pub fn slug(&self) -> &str {
        self.section.own_slug()
    }
}

impl section::Model {
    /// The edition the section belongs to.
    pub fn lang(&self) -> Lang {
        Lang::from_code(Some(&self.edition))
    }

    /// The slug in the edition's own language (the one its URLs use).
    pub fn own_slug(&self) -> &str {
        self.lang().pick(&self.slug_vi, &self.slug_en)
    }

    /// The name in `lang` (every section has both, for the English admin UI).
    pub fn name_in(&self, lang: Lang) -> &str {
        lang.pick(&self.name_vi, &self.name_en)
    }
}

/// Inserts the appendix sections that are missing (matched by code).
pub async fn seed(db: &impl ConnectionTrait) -> Result<usize> {
    let existing: HashMap<String, i32> = section::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code, s.id))
        .collect();
    let units: HashMap<String, i32> = crate::units::list(db)
        .await?
        .into_iter()
        .map(|u| (u.code, u.id))
        .collect();
    let mut added = 0;
    for (edition, list) in [(Lang::Vi, VI), (Lang::En, EN)] {
        for (i, (vi, en, owner, items)) in list.iter().enumerate() {
            let code = format!("{edition}-{:02}", i + 1);
            let owner = units.get(*owner).copied();
            let parent_id = match existing.get(&code) {
                Some(id) => *id,
                None => {
                    added += 1;
                    insert_seeded(db, &code, edition, None, i, vi, en, owner)
                        .await?
                        .id
                }
            };
            for (j, (item_vi, item_en)) in items.iter().enumerate() {
                let item_code = format!("{code}-{:02}", j + 1);
                if !existing.contains_key(&item_code) {
                    added += 1;
                    insert_seeded(
                        db,
                        &item_code,
                        edition,
                        Some(parent_id),
                        j,
                        item_vi,
                        item_en,
                        owner,
                    )
                    .await?;
                }
            }
        }
    }
    Ok(added)
}

#[allow(clippy::too_many_arguments)]
async fn insert_seeded(
    db: &impl ConnectionTrait,
    code: &str,
    edition: Lang,
    parent_id: Option<i32>,
    index: usize,
    name_vi: &str,
    name_en: &str,
    owner_unit_id: Option<i32>,
) -> Result<section::Model> {
    let now = crate::time::now();
    Ok(section::ActiveModel {
        code: Set(code.to_owned()),
        edition: Set(edition.as_str().to_owned()),
        parent_id: Set(parent_id),
        position: Set(index as i32 + 1),
        slug_vi: Set(slugify(name_vi)),
        slug_en: Set(slugify(name_en)),
        name_vi: Set(name_vi.to_owned()),
        name_en: Set(name_en.to_owned()),
        owner_unit_id: Set(owner_unit_id),
        visible: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// All sections of an edition, flat, in tree order of positions.
pub async fn list(db: &impl ConnectionTrait, edition: Lang) -> Result<Vec<section::Model>> {
    Ok(section::Entity::find()
        .filter(section::Column::Edition.eq(edition.as_str()))
        .order_by_asc(section::Column::Position)
        .order_by_asc(section::Column::Id)
        .all(db)
        .await?)
}

/// The edition's tree. Hidden sections (and everything under them) are
/// left out unless `include_hidden`.
pub async fn tree(db: &impl ConnectionTrait, edition: Lang, include_hidden: bool) -> Result<Vec<Node>> {
    Ok(build_tree(list(db, edition).await?, include_hidden))
}

/// Builds an edition's tree from its sections (as [`list`] returns them),
/// for callers that keep the list in memory.
pub fn build_tree(all: Vec<section::Model>, include_hidden: bool) -> Vec<Node> {
    let mut by_parent: HashMap<Option<i32>, Vec<section::Model>> = HashMap::new();
    for s in all {
        if include_hidden || s.visible {
            by_parent.entry(s.parent_id).or_default().push(s);
        }
    }
    fn attach(parent: Option<i32>, by_parent: &mut HashMap<Option<i32>, Vec<section::Model>>) -> Vec<Node> {
        let kids = by_parent.remove(&parent).unwrap_or_default();
        kids.into_iter()
            .map(|s| {
                let children = attach(Some(s.id), by_parent);
                Node { section: s, children }
            })
            .collect()
    }
    attach(None, &mut by_parent)
}

/// The section with the stable code `code` (`vi-11`), if it exists.
pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<section::Model>> {
    Ok(section::Entity::find()
        .filter(section::Column::Code.eq(code))
        .one(db)
        .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<section::Model> {
    section::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("section"))
}

/// A section to create.
#[derive(Clone, Debug)]
pub struct NewSection {
    pub edition: Lang,
    pub parent_id: Option<i32>,
    pub name_vi: String,
    pub name_en: String,
    /// Generated from the name when absent.
    pub slug_vi: Option<String>,
    pub slug_en: Option<String>,
    pub owner_unit_id: Option<i32>,
    /// 1-based place among its siblings; last when absent.
    pub position: Option<i32>,
    pub visible: bool,
}

/// Changes to a section; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct SectionChanges {
    pub name_vi: Option<String>,
    pub name_en: Option<String>,
    pub slug_vi: Option<String>,
    pub slug_en: Option<String>,
    pub owner_unit_id: Option<Option<i32>>,
    pub visible: Option<bool>,
}

fn check_name(field: &str, value: &str) -> Result<String> {
    let v = clean_line(value);
    if v.is_empty() || v.chars().count() > 200 {
        return Err(Error::invalid(field, "must be 1 to 200 characters"));
    }
    Ok(v)
}

fn check_slug(field: &str, value: Option<&str>, name: &str) -> Result<String> {
    let slug = match value {
        Some(s) => s.trim().to_owned(),
        None => crate::text::slug_from(name, 120, "muc"),
    };
    if !is_slug(&slug) || slug.len() > 120 {
        return Err(Error::invalid(
            field,
            "use lower-case ASCII letters, digits and single dashes",
        ));
    }
    Ok(slug)
}

async fn siblings(
    db: &impl ConnectionTrait,
    edition: &str,
    parent_id: Option<i32>,
) -> Result<Vec<section::Model>> {
    let q = section::Entity::find().filter(section::Column::Edition.eq(edition));
    let q = match parent_id {
        Some(p) => q.filter(section::Column::ParentId.eq(p)),
        None => q.filter(section::Column::ParentId.is_null()),
    };
    Ok(q.order_by_asc(section::Column::Position)
        .order_by_asc(section::Column::Id)
        .all(db)
        .await?)
}

/// Refuses a slug already used by a sibling (URLs must stay unambiguous).
fn check_unique_slugs(
    siblings: &[section::Model],
    me: Option<i32>,
    slug_vi: &str,
    slug_en: &str,
) -> Result<()> {
    for s in siblings.iter().filter(|s| Some(s.id) != me) {
        if s.slug_vi == slug_vi {
            return Err(Error::Conflict(format!(
                "slug_vi `{slug_vi}` is already used by section {}",
                s.id
            )));
        }
        if s.slug_en == slug_en {
            return Err(Error::Conflict(format!(
                "slug_en `{slug_en}` is already used by section {}",
                s.id
            )));
        }
    }
    Ok(())
}

async fn check_parent(db: &impl ConnectionTrait, edition: &str, parent_id: Option<i32>) -> Result<()> {
    if let Some(p) = parent_id {
        let parent = section::Entity::find_by_id(p)
            .one(db)
            .await?
            .ok_or_else(|| Error::unknown("parent_id", "no such section"))?;
        if parent.edition != edition {
            return Err(Error::invalid(
                "parent_id",
                "the parent belongs to the other edition",
            ));
        }
    }
    Ok(())
}

/// Rewrites positions 1..n in the given order.
async fn renumber(db: &impl ConnectionTrait, ordered: &[section::Model]) -> Result<()> {
    for (i, s) in ordered.iter().enumerate() {
        let pos = i as i32 + 1;
        if s.position != pos {
            let mut am: section::ActiveModel = s.clone().into();
            am.position = Set(pos);
            am.update(db).await?;
        }
    }
    Ok(())
}

fn insertion_index(position: Option<i32>, len: usize) -> usize {
    match position {
        Some(p) if p >= 1 => (p as usize - 1).min(len),
        _ => len,
    }
}

/// Sections make the public menu, sitemap and URLs: a change to one is a
/// public change, logged for every node's readers like a publication.
async fn menu_changed(txn: &impl ConnectionTrait, s: &section::Model) -> Result<()> {
    crate::changelog::append(
        txn,
        "section",
        s.id,
        crate::changelog::ChangeKind::Update,
        s.lang(),
    )
    .await?;
    Ok(())
}

pub async fn create(db: &DatabaseConnection, new: &NewSection) -> Result<section::Model> {
    let name_vi = check_name("name_vi", &new.name_vi)?;
    let name_en = check_name("name_en", &new.name_en)?;
    let slug_vi = check_slug("slug_vi", new.slug_vi.as_deref(), &name_vi)?;
    let slug_en = check_slug("slug_en", new.slug_en.as_deref(), &name_en)?;
    if let Some(u) = new.owner_unit_id {
        crate::units::get(db, u)
            .await
            .map_err(|_| Error::unknown("owner_unit_id", "no such unit"))?;
    }
    let edition = new.edition.as_str();
    let txn = db.begin().await?;
    check_parent(&txn, edition, new.parent_id).await?;
    let mut sibs = siblings(&txn, edition, new.parent_id).await?;
    check_unique_slugs(&sibs, None, &slug_vi, &slug_en)?;
    let now = crate::time::now();
    let created = section::ActiveModel {
        code: Set(format!("{edition}-{}", crate::accounts::random_token(6))),
        edition: Set(edition.to_owned()),
        parent_id: Set(new.parent_id),
        position: Set(sibs.len() as i32 + 1),
        slug_vi: Set(slug_vi),
        slug_en: Set(slug_en),
        name_vi: Set(name_vi),
        name_en: Set(name_en),
        owner_unit_id: Set(new.owner_unit_id),
        visible: Set(new.visible),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let at = insertion_index(new.position, sibs.len());
    sibs.insert(at, created.clone());
    renumber(&txn, &sibs).await?;
    crate::chains::init_for_new_section(&txn, &created).await?;
    menu_changed(&txn, &created).await?;
    txn.commit().await?;
    get(db, created.id).await
}

pub async fn update(db: &DatabaseConnection, id: i32, changes: &SectionChanges) -> Result<section::Model> {
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    let mut am: section::ActiveModel = current.clone().into();
    let name_vi = match &changes.name_vi {
        Some(v) => check_name("name_vi", v)?,
        None => current.name_vi.clone(),
    };
    let name_en = match &changes.name_en {
        Some(v) => check_name("name_en", v)?,
        None => current.name_en.clone(),
    };
    let slug_vi = match &changes.slug_vi {
        Some(v) => check_slug("slug_vi", Some(v), &name_vi)?,
        None => current.slug_vi.clone(),
    };
    let slug_en = match &changes.slug_en {
        Some(v) => check_slug("slug_en", Some(v), &name_en)?,
        None => current.slug_en.clone(),
    };
    let sibs = siblings(&txn, &current.edition, current.parent_id).await?;
    check_unique_slugs(&sibs, Some(id), &slug_vi, &slug_en)?;
    if let Some(owner) = changes.owner_unit_id {
        if let Some(u) = owner {
            crate::units::get(&txn, u)
                .await
                .map_err(|_| Error::unknown("owner_unit_id", "no such unit"))?;
        }
        am.owner_unit_id = Set(owner);
    }
    if let Some(v) = changes.visible {
        am.visible = Set(v);
    }
    am.name_vi = Set(name_vi);
    am.name_en = Set(name_en);
    am.slug_vi = Set(slug_vi);
    am.slug_en = Set(slug_en);
    am.updated_at = Set(crate::time::now());
    let updated = am.update(&txn).await?;
    menu_changed(&txn, &updated).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Moves a section under `parent_id` (or to the top level) at `position`
/// (1-based; last when absent). Also used to reorder among siblings.
pub async fn move_to(
    db: &DatabaseConnection,
    id: i32,
    parent_id: Option<i32>,
    position: Option<i32>,
) -> Result<section::Model> {
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    check_parent(&txn, &current.edition, parent_id).await?;
    let mut ancestor = parent_id;
    while let Some(a) = ancestor {
        if a == id {
            return Err(Error::invalid("parent_id", "a section cannot move under itself"));
        }
        ancestor = get(&txn, a).await?.parent_id;
    }
    let mut old_sibs = siblings(&txn, &current.edition, current.parent_id).await?;
    old_sibs.retain(|s| s.id != id);
    let mut new_sibs = if parent_id == current.parent_id {
        old_sibs.clone()
    } else {
        renumber(&txn, &old_sibs).await?;
        siblings(&txn, &current.edition, parent_id).await?
    };
    check_unique_slugs(&new_sibs, Some(id), &current.slug_vi, &current.slug_en)?;
    let mut am: section::ActiveModel = current.clone().into();
    am.parent_id = Set(parent_id);
    am.updated_at = Set(crate::time::now());
    let moved = am.update(&txn).await?;
    let at = insertion_index(position, new_sibs.len());
    new_sibs.insert(at, moved);
    renumber(&txn, &new_sibs).await?;
    menu_changed(&txn, &current).await?;
    txn.commit().await?;
    get(db, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_appendix_has_17_and_13_sections() {
        assert_eq!(VI.len(), 17);
        assert_eq!(EN.len(), 13);
        let vi_items: usize = VI.iter().map(|s| s.3.len()).sum();
        let en_items: usize = EN.iter().map(|s| s.3.len()).sum();
        assert_eq!(vi_items, 5 + 2 + 4);
        assert_eq!(en_items, 5 + 4 + 3 + 8);
    }

    #[test]
    fn seeded_slugs_are_valid_and_unique_among_siblings() {
        for list in [VI, EN] {
            let mut top = std::collections::HashSet::new();
            for (vi, en, _, items) in list {
                assert!(top.insert((slugify(vi), slugify(en))), "duplicate slug for {vi}");
                assert!(is_slug(&slugify(vi)) && is_slug(&slugify(en)));
                let mut kids = std::collections::HashSet::new();
                for (ivi, ien) in *items {
                    assert!(kids.insert(slugify(ivi)), "duplicate item slug {ivi}");
                    assert!(
                        kids.insert(format!("en:{}", slugify(ien))),
                        "duplicate item slug {ien}"
                    );
                }
            }
        }
        assert_eq!(slugify(VI[5].0), "hoi-dap");
    }

    #[test]
    fn insertion_clamps_to_the_list() {
        assert_eq!(insertion_index(None, 3), 3);
        assert_eq!(insertion_index(Some(1), 3), 0);
        assert_eq!(insertion_index(Some(0), 3), 3);
        assert_eq!(insertion_index(Some(99), 3), 3);
    }

    #[test]
    fn editions_parse() {
        assert_eq!("vi".parse::<Lang>().unwrap(), Lang::Vi);
        assert!("fr".parse::<Lang>().is_err());
    }
}
