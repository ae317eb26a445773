//! What the public sees of a kind: its live entries, listed with filters
//! (the section page), one by one (the entry page), and all at once (open
//! data, the search index). Only live versions leave here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Map, Value};

use super::{Kind, data_of};
use crate::entity::{entry, entry_facet, entry_version};
use crate::error::Result;
use crate::text::slugify;

/// A live entry as lists show it.
#[derive(Clone, Debug)]
pub struct Listing {
    pub id: i32,
    /// The section its live version is filed under.
    pub section_id: Option<i32>,
    pub key: String,
    pub slug: String,
    pub title: String,
    /// The live version's filterable fields.
    pub facets: Vec<(String, String)>,
    pub updated_at: DateTime<Utc>,
}

impl Listing {
    /// The value of a filterable field.
    pub fn facet(&self, name: &str) -> Option<&str> {
        self.facets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a public list filters on.
#[derive(Clone, Debug, Default)]
pub struct PublicFilter {
    /// The sections listed (a section and its items); all when empty.
    pub sections: Vec<i32>,
    pub facets: Vec<(String, String)>,
    /// Words of the title, with or without diacritics, or the code.
    pub words: Option<String>,
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

/// One page of a public list.
#[derive(Clone, Debug)]
pub struct PublicPage {
    pub items: Vec<Listing>,
    pub total: u64,
}

/// Id, live section, key, slug, live title, public update, last update.
type Row = (
    i32,
    Option<i32>,
    String,
    String,
    Option<String>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
);

/// A page of the live entries of `kind`, in title order: the filters,
/// the words (each a whole word of the title, diacritics ignored, or the
/// code) and the paging all run in SQL.
pub async fn live_page(db: &impl ConnectionTrait, kind: &Kind, f: &PublicFilter) -> Result<PublicPage> {
    let mut q = entry::Entity::find().filter(entry::Column::LiveVersion.is_not_null());
    // A facet names its kind: without the kind's index in the way, the
    // database starts from the (few) ids the facets give.
    if f.facets.is_empty() {
        q = q.filter(entry::Column::Kind.eq(kind.name));
    }
    for (name, value) in &f.facets {
        q = q.filter(
            entry::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(entry_facet::Column::EntryId)
                    .from(entry_facet::Entity)
                    .and_where(entry_facet::Column::Live.eq(true))
                    .and_where(entry_facet::Column::Kind.eq(kind.name))
                    .and_where(entry_facet::Column::Name.eq(name.as_str()))
                    .and_where(entry_facet::Column::Value.eq(value.as_str()))
                    .to_owned(),
            ),
        );
    }
    if !f.sections.is_empty() {
        q = q.filter(entry::Column::LiveSectionId.is_in(f.sections.clone()));
    }
    let words = f
        .words
        .as_deref()
        .map(crate::text::typed_words)
        .unwrap_or_default();
    if !words.is_empty() {
        let words = words.as_str();
        let mut all = sea_orm::Condition::all();
        for w in slugify(words).split('-').filter(|w| !w.is_empty()).take(10) {
            all = all.add(entry::Column::LiveSort.like(format!("%-{w}-%")));
        }
        q = q.filter(
            sea_orm::Condition::any()
                .add(entry::Column::Key.eq(words))
                .add(all),
        );
    }
    let total = q.clone().count(db).await?;
    let per_page = f.per_page.clamp(1, 200);
    let rows: Vec<Row> = q
        .select_only()
        .columns([
            entry::Column::Id,
            entry::Column::LiveSectionId,
            entry::Column::Key,
            entry::Column::Slug,
            entry::Column::LiveTitle,
        ])
        .column(entry::Column::PublicUpdatedAt)
        .column(entry::Column::UpdatedAt)
        .order_by_asc(entry::Column::LiveSort)
        .order_by_asc(entry::Column::Id)
        .limit(per_page)
        .offset((f.page.max(1) - 1).saturating_mul(per_page))
        .into_tuple()
        .all(db)
        .await?;
    let mut items: Vec<Listing> = rows
        .into_iter()
        .map(
            |(id, section_id, key, slug, title, public_at, updated_at)| Listing {
                id,
                section_id,
                key,
                slug,
                title: title.unwrap_or_default(),
                facets: Vec::new(),
                updated_at: public_at.unwrap_or(updated_at),
            },
        )
        .collect();
    let ids: Vec<i32> = items.iter().map(|l| l.id).collect();
    let mut facets: HashMap<i32, Vec<(String, String)>> = HashMap::new();
    if !ids.is_empty() {
        for f in entry_facet::Entity::find()
            .filter(entry_facet::Column::Live.eq(true))
            .filter(entry_facet::Column::EntryId.is_in(ids))
            .all(db)
            .await?
        {
            facets.entry(f.entry_id).or_default().push((f.name, f.value));
        }
    }
    for l in &mut items {
        l.facets = facets.remove(&l.id).unwrap_or_default();
    }
    Ok(PublicPage { items, total })
}

/// The values a filterable field takes among live entries, for the
/// filter's choices (the fields of procedures).
pub async fn live_values(db: &impl ConnectionTrait, kind: &Kind, name: &str) -> Result<Vec<String>> {
    let mut values: Vec<String> = entry_facet::Entity::find()
        .select_only()
        .column(entry_facet::Column::Value)
        .distinct()
        .filter(entry_facet::Column::Live.eq(true))
        .filter(entry_facet::Column::Kind.eq(kind.name))
        .filter(entry_facet::Column::Name.eq(name))
        .into_tuple()
        .all(db)
        .await?;
    values.sort_by_key(|v| slugify(v));
    Ok(values)
}

async fn live_version(
    db: &impl ConnectionTrait,
    e: &entry::Model,
) -> Result<Option<(entry_version::Model, Map<String, Value>)>> {
    let Some(n) = e.live_version else {
        return Ok(None);
    };
    Ok(entry_version::Entity::find()
        .filter(entry_version::Column::EntryId.eq(e.id))
        .filter(entry_version::Column::Number.eq(n))
        .one(db)
        .await?
        .map(|v| {
            let data = data_of(&v);
            (v, data)
        }))
}

/// The live version of the entry of `kind` at `slug`, if the public sees it.
pub async fn live(
    db: &impl ConnectionTrait,
    kind: &Kind,
    slug: &str,
) -> Result<Option<(entry::Model, Map<String, Value>)>> {
    let Some(e) = entry::Entity::find()
        .filter(entry::Column::Kind.eq(kind.name))
        .filter(entry::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(live_version(db, &e).await?.map(|(_, data)| (e, data)))
}

/// The newest live entries filed under `sections`, newest first (the
/// sections' feeds).
pub async fn live_recent(
    db: &impl ConnectionTrait,
    sections: &[i32],
    limit: u64,
) -> Result<Vec<entry::Model>> {
    Ok(entry::Entity::find()
        .filter(entry::Column::LiveVersion.is_not_null())
        .filter(entry::Column::LiveSectionId.is_in(sections.to_vec()))
        .order_by_desc(entry::Column::PublishedAt)
        .order_by_desc(entry::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Every live entry of every kind, lightly: its row without its fields
/// (the sitemap lists them all).
pub async fn live_rows(db: &impl ConnectionTrait) -> Result<Vec<entry::Model>> {
    Ok(entry::Entity::find()
        .filter(entry::Column::LiveVersion.is_not_null())
        .order_by_asc(entry::Column::Id)
        .all(db)
        .await?)
}

/// The live entries of `kind` keyed `keys`, in the order of `keys`.
pub async fn live_by_keys(
    db: &impl ConnectionTrait,
    kind: &Kind,
    keys: &[String],
) -> Result<Vec<entry::Model>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = entry::Entity::find()
        .filter(entry::Column::Kind.eq(kind.name))
        .filter(entry::Column::LiveVersion.is_not_null())
        .filter(entry::Column::Key.is_in(keys.to_vec()))
        .all(db)
        .await?;
    found.sort_by_key(|e| keys.iter().position(|k| *k == e.key));
    Ok(found)
}

/// The live entries of `kind` whose field `field` refers to `key` (the
/// documents that replace a document), by title.
pub async fn referring(
    db: &impl ConnectionTrait,
    kind: &Kind,
    field: &str,
    key: &str,
) -> Result<Vec<entry::Model>> {
    let ids: Vec<i32> = entry_facet::Entity::find()
        .filter(entry_facet::Column::Live.eq(true))
        .filter(entry_facet::Column::Kind.eq(kind.name))
        .filter(entry_facet::Column::Name.eq(field))
        .filter(entry_facet::Column::Value.eq(key))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.entry_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(entry::Entity::find()
        .filter(entry::Column::Id.is_in(ids))
        .filter(entry::Column::LiveVersion.is_not_null())
        .order_by_asc(entry::Column::LiveSort)
        .all(db)
        .await?)
}

/// Live entries of `kind` with ids in `ids` (all of them when `None`),
/// with their live fields, by id.
pub async fn live_all(
    db: &impl ConnectionTrait,
    kind: &Kind,
    ids: Option<&[i32]>,
) -> Result<Vec<(entry::Model, Map<String, Value>)>> {
    let mut q = entry::Entity::find()
        .filter(entry::Column::Kind.eq(kind.name))
        .filter(entry::Column::LiveVersion.is_not_null());
    if let Some(ids) = ids {
        q = q.filter(entry::Column::Id.is_in(ids.to_vec()));
    }
    let entries = q.order_by_asc(entry::Column::Id).all(db).await?;
    let mut versions: HashMap<(i32, i32), entry_version::Model> = HashMap::new();
    for chunk in entries.chunks(300) {
        let mut cond = sea_orm::Condition::any();
        for e in chunk {
            cond = cond.add(
                sea_orm::Condition::all()
                    .add(entry_version::Column::EntryId.eq(e.id))
                    .add(entry_version::Column::Number.eq(e.live_version.unwrap_or(0))),
            );
        }
        for v in entry_version::Entity::find().filter(cond).all(db).await? {
            versions.insert((v.entry_id, v.number), v);
        }
    }
    Ok(entries
        .into_iter()
        .filter_map(|e| {
            let v = versions.remove(&(e.id, e.live_version?))?;
            Some((e, data_of(&v)))
        })
        .collect())
}
