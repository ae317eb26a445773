//! Information-provision deadlines (Đ11.1): the kinds and their rules,
//! events units record, linking the published item that meets them, and
//! the Communication Centre's dashboard per unit.

use chrono::NaiveDate;
use content::provisions::{self, Filter, Item, NewEvent, Status, kinds};
use content::roles::Role;
use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};

use super::Tag;
use super::types::{Day, Line, Text};
use crate::auth::{actor, require, require_role};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct ProvisionsApi(pub AppState);

/// A kind of information and its deadline, in force from `effective_from`.
#[derive(Object)]
struct ProvisionKind {
    id: i32,
    code: String,
    name_vi: String,
    name_en: String,
    /// 0 means the same day.
    days: i32,
    /// Working days (holidays and weekends skipped) or calendar days.
    working_days: bool,
    /// What starts the clock, in the regulation's words.
    starts_vi: String,
    source: String,
    effective_from: NaiveDate,
    /// Whether this row is the one in force today.
    in_force: bool,
}

#[derive(Object)]
struct ProvisionKindInput {
    #[oai(validator(pattern = r"^[a-z0-9_]{1,40}$"))]
    code: Text,
    #[oai(validator(max_length = 300))]
    name_vi: Line,
    #[oai(validator(max_length = 300))]
    name_en: Line,
    #[oai(validator(minimum(value = "0"), maximum(value = "365")))]
    days: i32,
    working_days: bool,
    #[oai(validator(max_length = 500))]
    starts_vi: Line,
    #[oai(validator(max_length = 300))]
    source: Line,
    effective_from: Day,
}

/// Where an obligation stands.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
enum ProvisionStatus {
    Pending,
    DueSoon,
    Overdue,
    MetOnTime,
    MetLate,
}

impl From<Status> for ProvisionStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Pending => ProvisionStatus::Pending,
            Status::DueSoon => ProvisionStatus::DueSoon,
            Status::Overdue => ProvisionStatus::Overdue,
            Status::MetOnTime => ProvisionStatus::MetOnTime,
            Status::MetLate => ProvisionStatus::MetLate,
        }
    }
}

impl From<ProvisionStatus> for Status {
    fn from(s: ProvisionStatus) -> Self {
        match s {
            ProvisionStatus::Pending => Status::Pending,
            ProvisionStatus::DueSoon => Status::DueSoon,
            ProvisionStatus::Overdue => Status::Overdue,
            ProvisionStatus::MetOnTime => Status::MetOnTime,
            ProvisionStatus::MetLate => Status::MetLate,
        }
    }
}

/// An event a unit must publish information about.
#[derive(Object)]
struct ProvisionEvent {
    id: i32,
    unit_id: i32,
    /// The kind's code.
    kind: String,
    kind_vi: String,
    kind_en: String,
    occurred_on: NaiveDate,
    what: String,
    /// From the kind's rule in force on `occurred_on` and the calendar.
    due_on: NaiveDate,
    status: ProvisionStatus,
    #[oai(nullable)]
    post_id: Option<i32>,
    #[oai(nullable)]
    entry_id: Option<i32>,
    /// The day the linked item was first published.
    #[oai(nullable)]
    met_on: Option<NaiveDate>,
}

impl From<provisions::Event> for ProvisionEvent {
    fn from(e: provisions::Event) -> Self {
        ProvisionEvent {
            id: e.row.id,
            unit_id: e.row.unit_id,
            kind: e.row.kind,
            kind_vi: e.kind_vi,
            kind_en: e.kind_en,
            occurred_on: e.row.occurred_on,
            what: e.row.what,
            due_on: e.row.due_on,
            status: e.status.into(),
            post_id: e.row.post_id,
            entry_id: e.row.entry_id,
            met_on: e.row.met_on,
        }
    }
}

#[derive(Object)]
struct ProvisionEventInput {
    unit_id: i32,
    #[oai(validator(pattern = r"^[a-z0-9_]{1,40}$"))]
    kind: Text,
    /// The day of the change, approval, appointment…
    occurred_on: Day,
    /// What happened, in a line.
    #[oai(validator(max_length = 500))]
    what: Line,
}

/// The published item that meets the obligation: exactly one of the two.
#[derive(Object)]
struct ProvisionLink {
    #[oai(nullable)]
    post_id: Option<i32>,
    #[oai(nullable)]
    entry_id: Option<i32>,
}

/// A unit's obligations due in the year, by status.
#[derive(Object)]
struct ProvisionTally {
    unit_id: i32,
    unit_name: String,
    pending: u32,
    due_soon: u32,
    overdue: u32,
    met_on_time: u32,
    met_late: u32,
    /// Met on time among those due so far; null when none was due.
    #[oai(nullable)]
    on_time_rate: Option<f64>,
}

#[derive(ApiResponse)]
enum ProvisionKindCreated {
    /// The rule was added.
    #[oai(status = 201)]
    Created(Json<ProvisionKind>),
}

#[derive(ApiResponse)]
enum ProvisionEventCreated {
    /// The event was recorded with its due day.
    #[oai(status = 201)]
    Created(Json<ProvisionEvent>),
}

fn kind_view(rows: &[content::entity::provision_kind::Model], today: NaiveDate) -> Vec<ProvisionKind> {
    rows.iter()
        .map(|r| ProvisionKind {
            id: r.id,
            code: r.code.clone(),
            name_vi: r.name_vi.clone(),
            name_en: r.name_en.clone(),
            days: r.days,
            working_days: r.working_days,
            starts_vi: r.starts_vi.clone(),
            source: r.source.clone(),
            effective_from: r.effective_from,
            in_force: kinds::in_force(rows, &r.code, today).is_some_and(|f| f.id == r.id),
        })
        .collect()
}

#[OpenApi(tag = "Tag::Provisions")]
impl ProvisionsApi {
    /// The kinds of information units supply and their deadlines, every
    /// dated rule with the one in force today marked.
    #[oai(path = "/provisions/kinds", method = "get")]
    async fn kinds(&self, req: &Request) -> Result<Json<Vec<ProvisionKind>>, ApiError> {
        require(&self.0, req).await?;
        let rows = kinds::all(&self.0.db).await.map_err(ApiError::from)?;
        Ok(Json(kind_view(&rows, content::time::today_vn())))
    }

    /// A new rule for a kind from a day on, when the regulation changes
    /// (admins). Events already recorded keep their due days.
    #[oai(path = "/provisions/kinds", method = "post")]
    async fn add_kind(
        &self,
        req: &Request,
        body: Json<ProvisionKindInput>,
    ) -> Result<ProvisionKindCreated, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let b = body.0;
        let row = kinds::add(
            &st.db,
            &actor(st, req, Some(&caller)),
            kinds::NewRule {
                code: b.code.into(),
                name_vi: b.name_vi.into(),
                name_en: b.name_en.into(),
                days: b.days,
                working_days: b.working_days,
                starts_vi: b.starts_vi.into(),
                source: b.source.into(),
                effective_from: b.effective_from.0,
            },
        )
        .await
        .map_err(ApiError::from)?;
        let rows = kinds::all(&st.db).await.map_err(ApiError::from)?;
        let view = kind_view(&rows, content::time::today_vn())
            .into_iter()
            .find(|k| k.id == row.id)
            .ok_or_else(|| ApiError::from(content::Error::NotFound("information kind")))?;
        Ok(ProvisionKindCreated::Created(Json(view)))
    }

    /// Events of the units the caller may see (their own unit; every unit
    /// for the Communication Centre, the board and admins), due day first.
    #[oai(path = "/provisions", method = "get")]
    async fn list(
        &self,
        req: &Request,
        unit_id: Query<Option<i32>>,
        #[oai(validator(minimum(value = "1900"), maximum(value = "2199")))] year: Query<Option<i32>>,
        status: Query<Option<ProvisionStatus>>,
    ) -> Result<Json<Vec<ProvisionEvent>>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let cal = content::holidays::calendar(&st.db)
            .await
            .map_err(ApiError::from)?;
        let f = Filter {
            unit_id: unit_id.0,
            year: year.0,
            status: status.0.map(Status::from),
        };
        let all = provisions::list(&st.db, &cal, &caller.account, &f)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(all.into_iter().map(ProvisionEvent::from).collect()))
    }

    /// Record an event the unit must publish information about; the due
    /// day follows from the kind's rule and the working-day calendar.
    #[oai(path = "/provisions", method = "post")]
    async fn record(
        &self,
        req: &Request,
        body: Json<ProvisionEventInput>,
    ) -> Result<ProvisionEventCreated, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let cal = content::holidays::calendar(&st.db)
            .await
            .map_err(ApiError::from)?;
        let b = body.0;
        let e = provisions::record(
            &st.db,
            &cal,
            &actor(st, req, Some(&caller)),
            &caller.account,
            NewEvent {
                unit_id: b.unit_id,
                kind: b.kind.into(),
                occurred_on: b.occurred_on.0,
                what: b.what.into(),
            },
        )
        .await
        .map_err(ApiError::from)?;
        Ok(ProvisionEventCreated::Created(Json(e.into())))
    }

    /// One event.
    #[oai(path = "/provisions/:id", method = "get")]
    async fn get(&self, req: &Request, id: Path<i32>) -> Result<Json<ProvisionEvent>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let cal = content::holidays::calendar(&st.db)
            .await
            .map_err(ApiError::from)?;
        let e = provisions::get(&st.db, &cal, &caller.account, id.0)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(e.into()))
    }

    /// Meet the obligation with a published post or catalogue entry; it
    /// counts on the day that item was first published.
    #[oai(path = "/provisions/:id/link", method = "post")]
    async fn link(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<ProvisionLink>,
    ) -> Result<Json<ProvisionEvent>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let item = match (body.0.post_id, body.0.entry_id) {
            (Some(p), None) => Item::Post(p),
            (None, Some(e)) => Item::Entry(e),
            _ => {
                return Err(ApiError::validation(
                    "post_id",
                    "give exactly one of post_id and entry_id",
                ));
            }
        };
        let cal = content::holidays::calendar(&st.db)
            .await
            .map_err(ApiError::from)?;
        let e = provisions::link(
            &st.db,
            &cal,
            &actor(st, req, Some(&caller)),
            &caller.account,
            id.0,
            item,
        )
        .await
        .map_err(ApiError::from)?;
        Ok(Json(e.into()))
    }

    /// Every unit's obligations due in a year, by status, with the on-time
    /// rate (the Communication Centre, the board and admins).
    #[oai(path = "/provisions/dashboard", method = "get")]
    async fn dashboard(
        &self,
        req: &Request,
        #[oai(validator(minimum(value = "1900"), maximum(value = "2199")))] year: Query<i32>,
    ) -> Result<Json<Vec<ProvisionTally>>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &content::provisions::rules::FOLLOW_ALL)?;
        Ok(Json(dashboard(st, year.0).await?))
    }
}

async fn dashboard(st: &AppState, year: i32) -> Result<Vec<ProvisionTally>, ApiError> {
    let cal = content::holidays::calendar(&st.db)
        .await
        .map_err(ApiError::from)?;
    let today = content::time::today_vn();
    let as_of = NaiveDate::from_ymd_opt(year, 12, 31).map_or(today, |end| end.min(today));
    let tallies = provisions::tally(&st.db, &cal, year, as_of)
        .await
        .map_err(ApiError::from)?;
    let units = content::units::list(&st.db).await.map_err(ApiError::from)?;
    Ok(tallies
        .into_iter()
        .map(|t| ProvisionTally {
            unit_name: units
                .iter()
                .find(|u| u.id == t.unit_id)
                .map(|u| u.name_vi.clone())
                .unwrap_or_default(),
            unit_id: t.unit_id,
            pending: t.pending,
            due_soon: t.due_soon,
            overdue: t.overdue,
            met_on_time: t.met_on_time,
            met_late: t.met_late,
            on_time_rate: t.on_time_rate,
        })
        .collect())
}
