//! The API of structured content, one set of operations for every kind
//! (`/procedures`, `/online-services`, `/ivan-providers`…): the kind's
//! fields are an OpenAPI object of their own (so the description states
//! them), everything else is shared here and decided by
//! `content::entries`. [`entries_api!`] declares a kind's operations.

use content::accounts::Caller;
use content::entity::entry_version;
use content::entries::{self, Full, Kind};
use content::time::rfc3339_vn;
use content::workflow::Action;
use poem::Request;
use poem_openapi::Object;
use poem_openapi::types::{ParseFromJSON, ToJSON};
use serde_json::{Map, Value};

use super::types::Choice;
use crate::auth::require;
use crate::problem::ApiError;
use crate::state::AppState;

/// What every entry carries besides its fields.
#[derive(Object)]
pub struct EntryMeta {
    pub id: i32,
    /// The key (a procedure's code) or the slug.
    pub key: String,
    pub slug: String,
    /// A workflow state: draft, submitted, in_review, changes_requested,
    /// approved, published, unpublished, archived.
    pub state: String,
    /// The approval step awaited, when in review.
    #[oai(nullable)]
    pub step: Option<i32>,
    /// Steps of the section's chain.
    pub steps: i32,
    /// The working version's number.
    pub version: i32,
    /// The version the public sees.
    #[oai(nullable)]
    pub live_version: Option<i32>,
    /// Its public page, once published.
    #[oai(nullable)]
    pub public_url: Option<String>,
    pub allowed_actions: Vec<String>,
    pub creator_id: i32,
    pub created_at: String,
    pub updated_at: String,
    #[oai(nullable)]
    pub published_at: Option<String>,
}

/// An entry in a staff list.
#[derive(Object)]
pub struct EntrySummary {
    pub id: i32,
    pub key: String,
    pub title: String,
    pub state: String,
    pub version: i32,
    #[oai(nullable)]
    pub live_version: Option<i32>,
    pub updated_at: String,
}

/// A version in the history.
#[derive(Object)]
pub struct EntryVersionView {
    pub number: i32,
    pub title: String,
    pub created_by: i32,
    pub created_at: String,
}

#[derive(Object)]
pub struct EntryFieldDiff {
    pub field: String,
    /// Unified diff.
    pub diff: String,
}

#[derive(Object)]
pub struct EntryDiffView {
    pub from: i32,
    pub to: i32,
    pub changes: Vec<EntryFieldDiff>,
}

#[derive(Object)]
pub struct EntryTransitionInput {
    pub action: Choice<Action>,
    /// Required to request changes and to unpublish.
    #[oai(nullable, validator(max_length = 20000))]
    pub comment: Option<super::types::Text>,
}

/// An import: the file's text and its format.
#[derive(Object)]
pub struct EntryImport {
    pub format: EntryImportFormat,
    /// The file: JSON Lines (one object per line) or CSV with a header row
    /// of field names (list fields separated by `|`).
    #[oai(validator(max_length = 16000000))]
    pub text: super::types::Text,
    /// Publish what is new or changed at once (administrators).
    #[oai(default, nullable)]
    pub publish: bool,
}

#[derive(poem_openapi::Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
pub enum EntryImportFormat {
    Jsonl,
    Csv,
}

#[derive(Object)]
pub struct EntryImportError {
    pub line: u32,
    pub error: String,
}

#[derive(Object)]
pub struct EntryImportResult {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub published: u32,
    pub errors: Vec<EntryImportError>,
}

/// A kind's fields as stored (a JSON object without nulls), without the
/// values the kind computes (a draft's status), which requests may echo.
pub fn to_map<F: ToJSON>(kind: &Kind, fields: &F) -> Map<String, Value> {
    match fields.to_json() {
        Some(Value::Object(m)) => m
            .into_iter()
            .filter(|(k, v)| !v.is_null() && (kind.field(k).is_some() || kind.any_field(k).is_none()))
            .collect(),
        _ => Map::new(),
    }
}

/// The fields of `full` with its derived values now (a document's status,
/// a draft's window), as views show them.
pub async fn with_derived(st: &AppState, kind: &Kind, full: &Full) -> Result<Map<String, Value>, ApiError> {
    let mut data = full.data.clone();
    for (name, value) in entries::clock::derived_now(&st.db, kind, &full.entry.key, &full.data).await? {
        data.insert(name.to_owned(), Value::String(value));
    }
    Ok(data)
}

/// Stored fields as the kind's object.
pub fn from_map<F: ParseFromJSON>(data: &Map<String, Value>) -> Result<F, ApiError> {
    F::parse_from_json(Some(Value::Object(data.clone()))).map_err(|e| {
        tracing::error!(error = %e.message(), "a stored version does not match its kind");
        ApiError::internal()
    })
}

/// The caller, if they may read the kind's working versions.
pub async fn staff(st: &AppState, req: &Request, kind: &Kind) -> Result<Caller, ApiError> {
    let caller = require(st, req).await?;
    if kind.may_read(&caller.account.roles) {
        Ok(caller)
    } else {
        Err(ApiError::forbidden(format!(
            "the {} catalogue is kept by the Office's procedures editors",
            kind.name
        )))
    }
}

/// What every view shows besides the fields.
pub async fn meta(st: &AppState, kind: &Kind, full: &Full, caller: &Caller) -> Result<EntryMeta, ApiError> {
    let steps = content::chains::chain(&st.db, full.entry.section_id).await?.len() as i32;
    let allowed = entries::allowed_actions(&st.db, kind, full, &caller.account).await?;
    let public_url = match full.entry.live_version {
        Some(_) => entries::public_path(&st.db, &full.entry).await?,
        None => None,
    };
    let e = &full.entry;
    Ok(EntryMeta {
        id: e.id,
        key: e.key.clone(),
        slug: e.slug.clone(),
        state: e.state.clone(),
        step: e.step,
        steps,
        version: e.working_version,
        live_version: e.live_version,
        public_url,
        allowed_actions: allowed.iter().map(|a| a.as_str().to_owned()).collect(),
        creator_id: e.creator_id,
        created_at: rfc3339_vn(e.created_at),
        updated_at: rfc3339_vn(e.updated_at),
        published_at: e.published_at.map(rfc3339_vn),
    })
}

pub fn summary(e: content::entity::entry::Model) -> EntrySummary {
    EntrySummary {
        id: e.id,
        key: e.key,
        title: e.title,
        state: e.state,
        version: e.working_version,
        live_version: e.live_version,
        updated_at: rfc3339_vn(e.updated_at),
    }
}

pub fn version_view(v: entry_version::Model) -> EntryVersionView {
    EntryVersionView {
        number: v.number,
        title: v.title,
        created_by: v.created_by,
        created_at: rfc3339_vn(v.created_at),
    }
}

pub async fn diff(
    st: &AppState,
    kind: &Kind,
    id: i32,
    from: i32,
    to: i32,
) -> Result<EntryDiffView, ApiError> {
    let (_, a) = entries::version(&st.db, kind, id, from).await?;
    let (_, b) = entries::version(&st.db, kind, id, to).await?;
    Ok(EntryDiffView {
        from,
        to,
        changes: entries::fields::diff(kind.fields, (&a, from), (&b, to))
            .into_iter()
            .map(|(field, diff)| EntryFieldDiff { field, diff })
            .collect(),
    })
}

pub async fn import(
    st: &AppState,
    req: &Request,
    kind: &Kind,
    caller: &Caller,
    body: EntryImport,
) -> Result<EntryImportResult, ApiError> {
    let lines = match body.format {
        EntryImportFormat::Jsonl => entries::json_lines(body.text.as_str()),
        EntryImportFormat::Csv => entries::csv(kind, body.text.as_str()),
    };
    let who = crate::auth::actor(st, req, Some(caller));
    let r = entries::import(&st.db, &who, &caller.account, kind, lines, body.publish).await?;
    if r.published > 0 {
        st.public_changed().await;
    }
    let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    Ok(EntryImportResult {
        created: n(r.created),
        updated: n(r.updated),
        unchanged: n(r.unchanged),
        published: n(r.published),
        errors: r
            .errors
            .into_iter()
            .map(|(line, error)| EntryImportError { line: n(line), error })
            .collect(),
    })
}

/// A filter value of a list: free text, or a word of a closed list.
pub trait FacetValue {
    fn value(&self, field: &str) -> Result<String, ApiError>;
}

impl FacetValue for String {
    fn value(&self, _: &str) -> Result<String, ApiError> {
        Ok(content::text::typed_words(self))
    }
}

impl<K: super::types::Keywords> FacetValue for super::types::Keyword<K> {
    fn value(&self, field: &str) -> Result<String, ApiError> {
        self.get(field).map(str::to_owned)
    }
}

/// The values of a closed-list field (or derived value) of a kind, as an
/// OpenAPI enum.
pub fn choices(kind: &Kind, field: &str) -> Vec<&'static str> {
    match kind.any_field(field).map(|f| f.ty) {
        Some(content::entries::fields::FieldType::Choice(list)) => list.iter().map(|c| c.value).collect(),
        _ => Vec::new(),
    }
}

/// Declares, for each closed-list field named, a marker type whose words
/// are the field's values (`Keyword<Marker>` in a kind's fields object).
macro_rules! choice_lists {
    ($($marker:ident => $name:literal, $kind:ident . $field:literal;)*) => {$(
        pub struct $marker;

        impl crate::api::types::Keywords for $marker {
            const TYPE: &'static str = $name;
            fn words() -> Vec<&'static str> {
                crate::api::entries::choices(&$kind, $field)
            }
        }
    )*};
}

pub(crate) use choice_lists;

/// Declares the operations of one kind of entry under `$path`, with
/// `$fields` (an `Object` of the kind's fields) and the list's filters.
macro_rules! entries_api {
    (
        $api:ident, $tag:literal, $kind:path, $fields:ty, $view:ident, $moved:ident, $created:ident, $saved:ident,
        list: $list:literal, one: $one:literal, transitions: $transitions:literal,
        versions: $versions:literal, diff: $diff:literal, import: $import:literal,
        filters: [$($filter:ident: $fty:ty),* $(,)?]
    ) => {
        pub struct $api(pub crate::state::AppState);

        /// An entry with its fields.
        #[derive(poem_openapi::Object)]
        pub struct $view {
            #[oai(flatten)]
            pub meta: crate::api::entries::EntryMeta,
            #[oai(flatten)]
            pub fields: $fields,
        }

        /// A saved version: its fields and the version it was based on.
        #[derive(poem_openapi::Object)]
        pub struct $saved {
            /// The version this save is based on; another save since answers 409.
            pub base_version: i32,
            #[oai(flatten)]
            pub fields: $fields,
        }

        /// The result of a workflow action.
        #[derive(poem_openapi::Object)]
        pub struct $moved {
            pub state: String,
            #[oai(nullable)]
            pub step: Option<i32>,
            /// The delegating board member when approved under delegation.
            #[oai(nullable)]
            pub on_behalf_of: Option<i32>,
            pub entry: $view,
        }

        #[derive(poem_openapi::ApiResponse)]
        pub enum $created {
            /// Created as a draft.
            #[oai(status = 201)]
            Created(poem_openapi::payload::Json<$view>),
        }

        impl $api {
            async fn view(
                &self,
                full: content::entries::Full,
                caller: &content::accounts::Caller,
            ) -> Result<$view, crate::problem::ApiError> {
                Ok($view {
                    meta: crate::api::entries::meta(&self.0, &$kind, &full, caller).await?,
                    fields: crate::api::entries::from_map(&crate::api::entries::with_derived(&self.0, &$kind, &full).await?)?,
                })
            }
        }

        #[poem_openapi::OpenApi(tag = $tag)]
        impl $api {
            /// Create an entry (a draft with its first version).
            #[oai(path = $list, method = "post")]
            async fn create(
                &self,
                req: &poem::Request,
                body: poem_openapi::payload::Json<$fields>,
            ) -> Result<$created, crate::problem::ApiError> {
                let st = &self.0;
                let caller = crate::api::entries::staff(st, req, &$kind).await?;
                let who = crate::auth::actor(st, req, Some(&caller));
                let data = crate::api::entries::to_map(&$kind, &body.0);
                let full = content::entries::create(&st.db, &who, &caller.account, &$kind, &data).await?;
                Ok($created::Created(poem_openapi::payload::Json(self.view(full, &caller).await?)))
            }

            /// Entries for the staff lists, most recently changed first.
            #[oai(path = $list, method = "get")]
            #[allow(clippy::too_many_arguments)]
            async fn list(
                &self,
                req: &poem::Request,
                $($filter: poem_openapi::param::Query<Option<$fty>>,)*
                /// Words of the name, or the exact key.
                #[oai(validator(max_length = 200))] q: poem_openapi::param::Query<Option<String>>,
                state: poem_openapi::param::Query<Option<crate::api::types::Choice<content::workflow::State>>>,
                /// 1 to 500 (default 100).
                #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
                limit: poem_openapi::param::Query<Option<u64>>,
                #[oai(validator(minimum(value = "0"), maximum(value = "1000000")))]
                offset: poem_openapi::param::Query<Option<u64>>,
            ) -> Result<poem_openapi::payload::Json<Vec<crate::api::entries::EntrySummary>>, crate::problem::ApiError> {
                #[allow(unused_imports)]
                use crate::api::entries::FacetValue;
                let st = &self.0;
                crate::api::entries::staff(st, req, &$kind).await?;
                #[allow(unused_mut)]
                let mut facets = Vec::new();
                $(
                    if let Some(v) = &$filter.0 {
                        facets.push((stringify!($filter).to_owned(), v.value(stringify!($filter))?));
                    }
                )*
                let filter = content::entries::ListFilter {
                    facets,
                    q: q.0,
                    state: state.0.map(|s| s.get("state")).transpose()?,
                    limit: limit.0.unwrap_or(100),
                    offset: offset.0.unwrap_or(0),
                };
                let rows = content::entries::list(&st.db, &$kind, &filter).await?;
                Ok(poem_openapi::payload::Json(rows.into_iter().map(crate::api::entries::summary).collect()))
            }

            /// One entry with its working version and the caller's allowed actions.
            #[oai(path = $one, method = "get")]
            async fn get(
                &self,
                req: &poem::Request,
                id: poem_openapi::param::Path<i32>,
            ) -> Result<poem_openapi::payload::Json<$view>, crate::problem::ApiError> {
                let caller = crate::api::entries::staff(&self.0, req, &$kind).await?;
                let full = content::entries::get(&self.0.db, &$kind, id.0).await?;
                Ok(poem_openapi::payload::Json(self.view(full, &caller).await?))
            }

            /// Save a new version. `base_version` must be the current version,
            /// else 409 and nothing changes. Saving a published entry starts a
            /// new round of approval while the published version stays live;
            /// saving the same fields again adds no version.
            #[oai(path = $one, method = "put")]
            async fn save(
                &self,
                req: &poem::Request,
                id: poem_openapi::param::Path<i32>,
                body: poem_openapi::payload::Json<$saved>,
            ) -> Result<poem_openapi::payload::Json<$view>, crate::problem::ApiError> {
                let st = &self.0;
                let caller = crate::api::entries::staff(st, req, &$kind).await?;
                let who = crate::auth::actor(st, req, Some(&caller));
                let data = crate::api::entries::to_map(&$kind, &body.0.fields);
                let saved = content::entries::save(&st.db, &who, &caller.account, &$kind, id.0, body.0.base_version, &data).await?;
                Ok(poem_openapi::payload::Json(self.view(saved.full, &caller).await?))
            }

            /// Run a workflow action (the actions of posts). A refused action
            /// answers 403 (role, own entry) or 409 (wrong state) and changes
            /// nothing.
            #[oai(path = $transitions, method = "post")]
            async fn transition(
                &self,
                req: &poem::Request,
                id: poem_openapi::param::Path<i32>,
                body: poem_openapi::payload::Json<crate::api::entries::EntryTransitionInput>,
            ) -> Result<poem_openapi::payload::Json<$moved>, crate::problem::ApiError> {
                let st = &self.0;
                let caller = crate::api::entries::staff(st, req, &$kind).await?;
                let who = crate::auth::actor(st, req, Some(&caller));
                let action = body.action.get("action")?;
                let moved = content::entries::transition(
                    &st.db,
                    &who,
                    &caller.account,
                    &$kind,
                    id.0,
                    action,
                    body.comment.as_ref().map(|c| c.as_str()),
                )
                .await?;
                st.public_changed().await;
                Ok(poem_openapi::payload::Json($moved {
                    state: moved.transition.to_state.clone(),
                    step: moved.transition.to_step,
                    on_behalf_of: moved.transition.on_behalf_of_id,
                    entry: self.view(moved.full, &caller).await?,
                }))
            }

            /// Every version, oldest first.
            #[oai(path = $versions, method = "get")]
            async fn versions(
                &self,
                req: &poem::Request,
                id: poem_openapi::param::Path<i32>,
            ) -> Result<poem_openapi::payload::Json<Vec<crate::api::entries::EntryVersionView>>, crate::problem::ApiError> {
                crate::api::entries::staff(&self.0, req, &$kind).await?;
                let all = content::entries::versions(&self.0.db, &$kind, id.0).await?;
                Ok(poem_openapi::payload::Json(all.into_iter().map(crate::api::entries::version_view).collect()))
            }

            /// A readable diff between two versions, field by field.
            #[oai(path = $diff, method = "get")]
            async fn diff(
                &self,
                req: &poem::Request,
                id: poem_openapi::param::Path<i32>,
                #[oai(validator(minimum(value = "1")))] from: poem_openapi::param::Query<i32>,
                #[oai(validator(minimum(value = "1")))] to: poem_openapi::param::Query<i32>,
            ) -> Result<poem_openapi::payload::Json<crate::api::entries::EntryDiffView>, crate::problem::ApiError> {
                crate::api::entries::staff(&self.0, req, &$kind).await?;
                Ok(poem_openapi::payload::Json(crate::api::entries::diff(&self.0, &$kind, id.0, from.0, to.0).await?))
            }

            /// Import a file of entries, matched on their key: an unchanged
            /// record adds nothing, a changed one adds a version (published at
            /// once with `publish`, administrators only); bad lines are
            /// reported with their number.
            #[oai(path = $import, method = "post", transform = "allow_import")]
            async fn import(
                &self,
                req: &poem::Request,
                body: poem_openapi::payload::Json<crate::api::entries::EntryImport>,
            ) -> Result<poem_openapi::payload::Json<crate::api::entries::EntryImportResult>, crate::problem::ApiError> {
                let caller = crate::api::entries::staff(&self.0, req, &$kind).await?;
                Ok(poem_openapi::payload::Json(
                    crate::api::entries::import(&self.0, req, &$kind, &caller, body.0).await?,
                ))
            }
        }
    };
}

pub(crate) use entries_api;
