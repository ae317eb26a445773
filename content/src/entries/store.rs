//! Creating and saving entries, and reading them for staff: every save is
//! a new immutable version, checked against the kind's fields; saving an
//! approved or published entry starts a new round of approval while the
//! published version stays live (Đ6.2a).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Map, Value};

use super::fields::{self, FieldType};
use super::{Full, Kind, data_of};
use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::entity::{entry, entry_facet, entry_version};
use crate::error::{Error, Result};
use crate::workflow::State;

/// Refuses who may not change entries of `kind`.
pub(super) fn may_edit(kind: &Kind, who: &Account) -> Result<()> {
    if who.roles.any(kind.editors) {
        Ok(())
    } else {
        let roles: Vec<&str> = kind.editors.iter().map(|r| r.as_str()).collect();
        Err(Error::Forbidden(format!(
            "only {} may change entries of the kind {}",
            roles.join(", "),
            kind.name
        )))
    }
}

/// Refuses who may not read working versions of `kind`.
pub(super) fn may_read(kind: &Kind, who: &Account) -> Result<()> {
    if kind.may_read(&who.roles) {
        Ok(())
    } else {
        Err(Error::Forbidden(format!(
            "you may not read the {} catalogue's drafts",
            kind.name
        )))
    }
}

/// An entry of `kind` with its working version.
pub async fn get(db: &impl ConnectionTrait, kind: &Kind, id: i32) -> Result<Full> {
    let e = entry::Entity::find_by_id(id)
        .filter(entry::Column::Kind.eq(kind.name))
        .one(db)
        .await?
        .ok_or(Error::NotFound("entry"))?;
    let (version, data) = version(db, kind, id, e.working_version).await?;
    Ok(Full {
        entry: e,
        version,
        data,
    })
}

/// Version `number` of an entry, with its fields.
pub async fn version(
    db: &impl ConnectionTrait,
    kind: &Kind,
    id: i32,
    number: i32,
) -> Result<(entry_version::Model, Map<String, Value>)> {
    let owner = entry::Entity::find_by_id(id)
        .filter(entry::Column::Kind.eq(kind.name))
        .count(db)
        .await?;
    if owner == 0 {
        return Err(Error::NotFound("entry"));
    }
    let v = entry_version::Entity::find()
        .filter(entry_version::Column::EntryId.eq(id))
        .filter(entry_version::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or(Error::NotFound("version"))?;
    let data = data_of(&v);
    Ok((v, data))
}

/// Every version of an entry, oldest first.
pub async fn versions(db: &impl ConnectionTrait, kind: &Kind, id: i32) -> Result<Vec<entry_version::Model>> {
    get(db, kind, id).await?;
    Ok(entry_version::Entity::find()
        .filter(entry_version::Column::EntryId.eq(id))
        .order_by_asc(entry_version::Column::Number)
        .all(db)
        .await?)
}

/// What staff lists filter on.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Field values of the working version (`tier = central`).
    pub facets: Vec<(String, String)>,
    /// Words of the title, or the key.
    pub q: Option<String>,
    pub state: Option<State>,
    pub limit: u64,
    pub offset: u64,
}

/// Entries of `kind` for staff, most recently changed first.
pub async fn list(db: &impl ConnectionTrait, kind: &Kind, f: &ListFilter) -> Result<Vec<entry::Model>> {
    let mut q = entry::Entity::find().filter(entry::Column::Kind.eq(kind.name));
    for (name, value) in &f.facets {
        q = q.filter(
            entry::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(entry_facet::Column::EntryId)
                    .from(entry_facet::Entity)
                    .and_where(entry_facet::Column::Live.eq(false))
                    .and_where(entry_facet::Column::Kind.eq(kind.name))
                    .and_where(entry_facet::Column::Name.eq(name.as_str()))
                    .and_where(entry_facet::Column::Value.eq(value.as_str()))
                    .to_owned(),
            ),
        );
    }
    if let Some(s) = f.state {
        q = q.filter(entry::Column::State.eq(s.as_str()));
    }
    let words = f.q.as_deref().map(crate::text::typed_words).unwrap_or_default();
    if !words.is_empty() {
        let like = format!("%{}%", words.replace(['%', '_'], ""));
        q = q.filter(
            sea_orm::Condition::any()
                .add(entry::Column::Key.eq(words.as_str()))
                .add(entry::Column::Title.like(like)),
        );
    }
    Ok(q.order_by_desc(entry::Column::UpdatedAt)
        .order_by_desc(entry::Column::Id)
        .limit(f.limit.clamp(1, 500))
        .offset(f.offset)
        .all(db)
        .await?)
}

/// The section `data` files the entry under: its section field, else the
/// kind's first section.
async fn section_of(db: &impl ConnectionTrait, kind: &Kind, data: &Map<String, Value>) -> Result<i32> {
    if let Some(id) = kind
        .fields
        .iter()
        .find(|f| f.ty == FieldType::Section)
        .and_then(|f| data.get(f.name))
        .and_then(Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
    {
        return Ok(id);
    }
    Ok(crate::sections::by_code(db, kind.home())
        .await?
        .ok_or(Error::NotFound("section"))?
        .id)
}

/// The key of checked `data`: its key field, else the slug.
fn key_of(kind: &Kind, data: &Map<String, Value>) -> Option<String> {
    kind.key.map(|k| fields::text(data, k).to_owned())
}

/// Checks `data` and the records it refers to (files, other entries).
pub(super) async fn checked(
    db: &impl ConnectionTrait,
    kind: &Kind,
    data: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    let data = fields::check(kind.fields, data)?;
    super::clock::check(kind, &data)?;
    for f in kind.fields {
        match (f.ty, data.get(f.name)) {
            (FieldType::Section, Some(v)) => {
                let id = v.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or(0);
                let ok = match crate::sections::get(db, id).await {
                    Ok(s) => kind.sections.contains(&s.code.as_str()),
                    Err(Error::NotFound(_)) => false,
                    Err(e) => return Err(e),
                };
                if !ok {
                    return Err(Error::unknown(
                        f.name,
                        format!("section {id} is not one where a {} is filed", kind.name),
                    ));
                }
            }
            (FieldType::Unit, Some(v)) => {
                let id = v.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or(0);
                if crate::units::get(db, id).await.is_err() {
                    return Err(Error::unknown(f.name, format!("no unit {id}")));
                }
            }
            (FieldType::Files, Some(Value::Array(ids))) => {
                for id in ids.iter().filter_map(Value::as_i64) {
                    let id = i32::try_from(id).unwrap_or(i32::MAX);
                    crate::media::get(db, id)
                        .await
                        .map_err(|_| Error::unknown(f.name, format!("no file {id} in the library")))?;
                }
            }
            (FieldType::Refs { kind: other }, Some(Value::Array(keys))) => {
                for key in keys.iter().filter_map(Value::as_str) {
                    let found = entry::Entity::find()
                        .filter(entry::Column::Kind.eq(other))
                        .filter(entry::Column::Key.eq(key))
                        .count(db)
                        .await?;
                    if found == 0 {
                        return Err(Error::unknown(f.name, format!("no {other} with the code {key}")));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(data)
}

/// A slug free within the kind, made from the title.
async fn free_slug(db: &impl ConnectionTrait, kind: &Kind, title: &str) -> Result<String> {
    let base = crate::text::slug_from(title, 120, &kind.name.replace('_', "-"));
    let mut candidate = base.clone();
    let mut n = 2;
    while entry::Entity::find()
        .filter(entry::Column::Kind.eq(kind.name))
        .filter(entry::Column::Slug.eq(candidate.as_str()))
        .count(db)
        .await?
        > 0
    {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

async fn key_taken(db: &impl ConnectionTrait, kind: &Kind, key: &str, me: Option<i32>) -> Result<bool> {
    let mut q = entry::Entity::find()
        .filter(entry::Column::Kind.eq(kind.name))
        .filter(entry::Column::Key.eq(key));
    if let Some(id) = me {
        q = q.filter(entry::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

/// Rewrites the facets of an entry's working or live version: its
/// filterable fields and references, and its derived values now (which
/// replace a declared value of the same name).
pub(super) async fn set_facets(
    db: &impl ConnectionTrait,
    kind: &Kind,
    id: i32,
    key: &str,
    live: bool,
    data: Option<&Map<String, Value>>,
) -> Result<()> {
    entry_facet::Entity::delete_many()
        .filter(entry_facet::Column::EntryId.eq(id))
        .filter(entry_facet::Column::Live.eq(live))
        .exec(db)
        .await?;
    let mut pairs = Vec::new();
    if let Some(d) = data {
        let derived = super::clock::derived_now(db, kind, key, d).await?;
        pairs = fields::facets(kind.fields, d);
        pairs.retain(|(n, _)| !derived.iter().any(|(dn, _)| dn == n));
        pairs.extend(derived.into_iter().map(|(n, v)| (n.to_owned(), v)));
    }
    let rows: Vec<entry_facet::ActiveModel> = pairs
        .into_iter()
        .map(|(name, value)| entry_facet::ActiveModel {
            entry_id: Set(id),
            live: Set(live),
            kind: Set(kind.name.to_owned()),
            name: Set(name),
            value: Set(value),
        })
        .collect();
    if !rows.is_empty() {
        entry_facet::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

async fn insert_version(
    db: &impl ConnectionTrait,
    kind: &Kind,
    id: i32,
    number: i32,
    data: &Map<String, Value>,
    by: i32,
) -> Result<entry_version::Model> {
    Ok(entry_version::ActiveModel {
        entry_id: Set(id),
        number: Set(number),
        title: Set(fields::text(data, kind.title).to_owned()),
        data: Set(Value::Object(data.clone()).to_string()),
        created_by: Set(by),
        created_at: Set(crate::time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Creates an entry as a draft with its first version.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    who: &Account,
    kind: &Kind,
    data: &Map<String, Value>,
) -> Result<Full> {
    may_edit(kind, who)?;
    let txn = crate::db::begin_write(db).await?;
    let data = checked(&txn, kind, data).await?;
    let section_id = section_of(&txn, kind, &data).await?;
    let title = fields::text(&data, kind.title).to_owned();
    let slug = free_slug(&txn, kind, &title).await?;
    let key = key_of(kind, &data).unwrap_or_else(|| slug.clone());
    if key_taken(&txn, kind, &key, None).await? {
        return Err(Error::Conflict(format!(
            "a {} with the code {key} exists already",
            kind.name
        )));
    }
    let now = crate::time::now();
    let e = entry::ActiveModel {
        kind: Set(kind.name.to_owned()),
        section_id: Set(section_id),
        live_section_id: Set(None),
        key: Set(key),
        slug: Set(slug),
        title: Set(title),
        live_title: Set(None),
        live_sort: Set(None),
        state: Set(State::Draft.as_str().to_owned()),
        step: Set(None),
        creator_id: Set(who.user.id),
        working_version: Set(1),
        live_version: Set(None),
        published_at: Set(None),
        public_updated_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_version(&txn, kind, e.id, 1, &data, who.user.id).await?;
    set_facets(&txn, kind, e.id, &e.key, false, Some(&data)).await?;
    crate::media::uses::set_for_entry(&txn, e.id, false, &fields::files(kind.fields, &data)).await?;
    audit::record(
        &txn,
        actor,
        &format!("{}.create", kind.name),
        Some((kind.name, e.id.to_string())),
        serde_json::json!({"key": e.key, "title": e.title}),
    )
    .await?;
    txn.commit().await?;
    get(db, kind, e.id).await
}

/// A save's result: the entry, and whether a version was added (saving
/// what is already there adds none).
#[derive(Clone, Debug)]
pub struct Saved {
    pub full: Full,
    pub changed: bool,
}

/// Saves a new version based on version `base`; another save since
/// answers 409 and changes nothing.
pub async fn save(
    db: &DatabaseConnection,
    actor: &Actor,
    who: &Account,
    kind: &Kind,
    id: i32,
    base: i32,
    data: &Map<String, Value>,
) -> Result<Saved> {
    may_edit(kind, who)?;
    let current = get(db, kind, id).await?;
    if base != current.entry.working_version {
        return Err(Error::Conflict(format!(
            "version {base} is not the latest ({}); reload and try again",
            current.entry.working_version
        )));
    }
    let state = current.state();
    if !state.editable() {
        return Err(Error::Conflict("an archived entry cannot be edited".into()));
    }
    let txn = crate::db::begin_write(db).await?;
    let data = checked(&txn, kind, data).await?;
    if data == current.data {
        return Ok(Saved {
            full: current,
            changed: false,
        });
    }
    let key = key_of(kind, &data).unwrap_or_else(|| current.entry.key.clone());
    if key_taken(&txn, kind, &key, Some(id)).await? {
        return Err(Error::Conflict(format!(
            "a {} with the code {key} exists already",
            kind.name
        )));
    }
    let section_id = section_of(&txn, kind, &data).await?;
    let number = current.entry.working_version + 1;
    insert_version(&txn, kind, id, number, &data, who.user.id).await?;
    let (new_state, new_step) = match state {
        State::Approved | State::Scheduled | State::Published | State::Unpublished => (State::Draft, None),
        s => (s, current.entry.step),
    };
    let res = entry::Entity::update_many()
        .col_expr(entry::Column::WorkingVersion, Expr::value(number))
        .col_expr(entry::Column::Key, Expr::value(key.clone()))
        .col_expr(entry::Column::SectionId, Expr::value(section_id))
        .col_expr(entry::Column::Title, Expr::value(fields::text(&data, kind.title)))
        .col_expr(entry::Column::State, Expr::value(new_state.as_str()))
        .col_expr(entry::Column::Step, Expr::value(new_step))
        .col_expr(entry::Column::UpdatedAt, Expr::value(crate::time::now()))
        .filter(entry::Column::Id.eq(id))
        .filter(entry::Column::WorkingVersion.eq(base))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(Error::Conflict(
            "the entry changed meanwhile; reload and try again".into(),
        ));
    }
    set_facets(&txn, kind, id, &key, false, Some(&data)).await?;
    crate::media::uses::set_for_entry(&txn, id, false, &fields::files(kind.fields, &data)).await?;
    audit::record(
        &txn,
        actor,
        &format!("{}.save", kind.name),
        Some((kind.name, id.to_string())),
        serde_json::json!({"version": number}),
    )
    .await?;
    txn.commit().await?;
    Ok(Saved {
        full: get(db, kind, id).await?,
        changed: true,
    })
}
