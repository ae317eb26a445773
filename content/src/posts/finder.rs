//! Finding any post for the editor's list: the filters, the sort, the
//! paging and the counts per state all run in SQL, so an old published
//! post is as easy to reach as today's draft (its correction or
//! withdrawal, Đ6.2a, starts from there).

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use super::Full;
use crate::entity::{post, revision};
use crate::error::Result;
use crate::lang::Lang;
use crate::workflow::State;

/// How the list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Last changed first.
    #[default]
    Updated,
    /// First published, newest first; unpublished posts last.
    Published,
    /// Created, oldest first.
    Oldest,
    /// By title, as read without diacritics.
    Title,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Updated, Sort::Published, Sort::Oldest, Sort::Title];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Updated => "updated",
            Sort::Published => "published",
            Sort::Oldest => "oldest",
            Sort::Title => "title",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// What the list shows. `from` and `to` (inclusive, Vietnam days) bound
/// the post's date: its first publication, or its creation when it was
/// never published.
#[derive(Clone, Debug, Default)]
pub struct Search {
    pub edition: Option<Lang>,
    pub section_id: Option<i32>,
    pub state: Option<State>,
    /// The account that created the post or is credited as its author.
    pub author_id: Option<i32>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Words of the title, with or without diacritics.
    pub q: Option<String>,
    pub sort: Sort,
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

/// One page of the list.
#[derive(Clone, Debug)]
pub struct Found {
    pub items: Vec<Full>,
    /// Posts matching every filter.
    pub total: u64,
    /// Posts matching every filter but the state, per state (states with
    /// none left out), in the workflow's order.
    pub per_state: Vec<(State, u64)>,
}

/// The largest page.
pub const MAX_PER_PAGE: u64 = 200;

fn filtered(s: &Search, with_state: bool) -> Select<post::Entity> {
    let mut q = post::Entity::find();
    if let Some(e) = s.edition {
        q = q.filter(post::Column::Edition.eq(e.as_str()));
    }
    if let Some(id) = s.section_id {
        q = q.filter(post::Column::SectionId.eq(id));
    }
    if let (Some(st), true) = (s.state, with_state) {
        q = q.filter(post::Column::State.eq(st.as_str()));
    }
    if let Some(user) = s.author_id {
        let credited = Query::select()
            .column(revision::Column::Id)
            .from(revision::Entity)
            .and_where(revision::Column::Authors.like(format!("%\"user_id\":{user}}}%")))
            .to_owned();
        q = q.filter(
            Condition::any()
                .add(post::Column::CreatorId.eq(user))
                .add(post::Column::RevisionId.in_subquery(credited)),
        );
    }
    if s.from.is_some() || s.to.is_some() {
        let start = s.from.map(crate::time::start_of_day_vn);
        let end = s.to.and_then(|d| d.succ_opt()).map(crate::time::start_of_day_vn);
        let within = |col: post::Column| {
            let mut c = Condition::all();
            if let Some(t) = start {
                c = c.add(col.gte(t));
            }
            if let Some(t) = end {
                c = c.add(col.lt(t));
            }
            c
        };
        q = q.filter(
            Condition::any().add(within(post::Column::PublishedAt)).add(
                Condition::all()
                    .add(post::Column::PublishedAt.is_null())
                    .add(within(post::Column::CreatedAt)),
            ),
        );
    }
    let words = s.q.as_deref().map(crate::text::typed_words).unwrap_or_default();
    if let Some(id) = words.trim().strip_prefix('#').and_then(|n| n.parse::<i32>().ok()) {
        return q.filter(post::Column::Id.eq(id));
    }
    for w in crate::text::slugify(&words)
        .split('-')
        .filter(|w| !w.is_empty())
        .take(10)
    {
        q = q.filter(post::Column::TitleKey.like(format!("%-{w}%")));
    }
    q
}

/// One page of the posts `s` describes, with the total and the counts per
/// state. A query `#123` finds post 123.
pub async fn find(db: &impl ConnectionTrait, s: &Search) -> Result<Found> {
    let q = filtered(s, true);
    let total = q.clone().count(db).await?;
    let per_page = s.per_page.clamp(1, MAX_PER_PAGE);
    let page = s.page.max(1);
    let ordered = match s.sort {
        Sort::Updated => q.order_by_desc(post::Column::UpdatedAt),
        Sort::Published => q
            .order_by(
                sea_orm::ExprTrait::is_null(Expr::col(post::Column::PublishedAt)),
                sea_orm::Order::Asc,
            )
            .order_by_desc(post::Column::PublishedAt),
        Sort::Oldest => q.order_by_asc(post::Column::CreatedAt),
        Sort::Title => q.order_by_asc(post::Column::TitleKey),
    };
    let posts = ordered
        .order_by_desc(post::Column::Id)
        .limit(per_page)
        .offset((page - 1).saturating_mul(per_page))
        .all(db)
        .await?;
    let ids: Vec<i32> = posts.iter().map(|p| p.revision_id).collect();
    let mut revs: std::collections::HashMap<i32, revision::Model> = revision::Entity::find()
        .filter(revision::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let items = posts
        .into_iter()
        .filter_map(|p| {
            let revision = revs.remove(&p.revision_id)?;
            Some(Full { post: p, revision })
        })
        .collect();
    let counts: Vec<(String, i64)> = filtered(s, false)
        .select_only()
        .column(post::Column::State)
        .column_as(post::Column::Id.count(), "n")
        .group_by(post::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    let per_state = State::ALL
        .into_iter()
        .filter_map(|st| {
            let n = counts.iter().find(|(name, _)| name == st.as_str())?.1;
            (n > 0).then_some((st, n as u64))
        })
        .collect();
    Ok(Found {
        items,
        total,
        per_state,
    })
}
