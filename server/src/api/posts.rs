use chrono::Utc;
use content::accounts::Caller;
use content::lang::Lang;
use content::posts::{self, Author, Content, Full, Genre, ListFilter};
use content::time::rfc3339_vn;
use content::workflow::{Action, State};
use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Union};

use super::Tag;
use super::types::{Choice, Line, Moment, Text};
use crate::auth::{actor, require, require_role};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct PostsApi(pub AppState);

/// Roles that work on posts in the editorial system.
/// An author: an account (`user_id`) or an external name (`name`).
#[derive(Union, Clone)]
pub enum AuthorRef {
    User(UserAuthor),
    Name(NamedAuthor),
}

/// An author with an account.
#[derive(Object, Clone)]
pub struct UserAuthor {
    pub user_id: i32,
}

/// An author without an account: a contributor, a reader, an agency.
#[derive(Object, Clone)]
pub struct NamedAuthor {
    #[oai(validator(max_length = 200))]
    pub name: Line,
}

impl AuthorRef {
    fn to_domain(&self) -> Author {
        match self {
            AuthorRef::User(u) => Author::User { user_id: u.user_id },
            AuthorRef::Name(n) => Author::Name {
                name: n.name.0.clone(),
            },
        }
    }

    fn from_domain(a: Author) -> Self {
        match a {
            Author::User { user_id } => AuthorRef::User(UserAuthor { user_id }),
            Author::Name { name } => AuthorRef::Name(NamedAuthor { name: Line(name) }),
        }
    }
}

/// The content of a post, as created or saved.
#[derive(Object)]
struct PostInput {
    section_id: i32,
    #[oai(validator(max_length = 300))]
    title: Line,
    #[oai(default, validator(max_length = 2000))]
    summary: Text,
    /// Markdown (tables, footnotes, strikethrough). Rendered and sanitised.
    #[oai(default, validator(max_length = 200000))]
    body: Text,
    /// Generated from the title without diacritics when absent or empty.
    #[oai(
        nullable,
        validator(pattern = r"^([a-z0-9]+(-[a-z0-9]+)*)?$", max_length = 200)
    )]
    slug: Option<Text>,
    #[oai(default, validator(max_items = 50))]
    authors: Vec<AuthorRef>,
    #[oai(nullable, validator(max_length = 300))]
    source: Option<Text>,
    /// `http://` or `https://`, no spaces.
    #[oai(
        nullable,
        validator(pattern = r"^(https?://[^\s\x00-\x1F\x7F-\x9F]*)?$", max_length = 300)
    )]
    source_url: Option<Text>,
    /// The post reuses information: author and source are then required
    /// before the last approval (Đ8.3).
    #[oai(default)]
    reuses_information: bool,
    /// `news` when absent.
    #[oai(nullable)]
    genre: Option<Choice<Genre>>,
    /// At most 30, each at most 100 characters.
    #[oai(default, validator(max_items = 30, max_length = 100))]
    tags: Vec<Text>,
    #[oai(nullable)]
    cover_media_id: Option<i32>,
    #[oai(default, validator(max_items = 100))]
    attachments: Vec<i32>,
    #[oai(nullable)]
    publish_at: Option<Moment>,
    #[oai(nullable)]
    unpublish_at: Option<Moment>,
}

/// A new post: its edition and content.
#[derive(Object)]
struct NewPost {
    edition: Choice<Lang>,
    /// A post of the other edition this one translates.
    #[oai(nullable)]
    translation_of: Option<i32>,
    #[oai(flatten)]
    content: PostInput,
}

/// A save: the content and the revision it was based on.
#[derive(Object)]
struct SavedPost {
    /// The revision this save is based on; another save since answers 409.
    base_revision: i32,
    #[oai(flatten)]
    content: PostInput,
}

impl PostInput {
    fn content(&self) -> Result<Content, ApiError> {
        Ok(Content {
            section_id: self.section_id,
            title: self.title.0.clone(),
            summary: self.summary.0.clone(),
            body: self.body.0.clone(),
            slug: self.slug.clone().map(String::from),
            authors: self.authors.iter().map(AuthorRef::to_domain).collect(),
            source: self.source.clone().map(String::from),
            source_url: self.source_url.clone().map(String::from),
            reuses_information: self.reuses_information,
            genre: self.genre.as_ref().map(|g| g.get("genre")).transpose()?,
            tags: self.tags.iter().map(|t| t.0.clone()).collect(),
            cover_media_id: self.cover_media_id,
            attachments: self.attachments.clone(),
            publish_at: self.publish_at.map(|t| t.0),
            unpublish_at: self.unpublish_at.map(|t| t.0),
        })
    }
}

/// Who holds the editing lock and until when.
#[derive(Object)]
struct LockView {
    user_id: i32,
    until: String,
}

/// A post with its working revision.
#[derive(Object)]
pub struct PostView {
    id: i32,
    edition: String,
    section_id: i32,
    slug: String,
    /// draft, submitted, in_review, changes_requested, approved, scheduled,
    /// published, unpublished, archived.
    state: String,
    /// The approval step awaited (1-based), while submitted or in review.
    #[oai(nullable)]
    step: Option<i32>,
    /// Number of steps in the section's chain.
    steps: i32,
    /// The working revision's number; send it as `base_revision` to save.
    revision: i32,
    /// The number of the revision the public sees, if any.
    #[oai(nullable)]
    live_revision: Option<i32>,
    /// Where the public reads it, while live.
    #[oai(nullable)]
    public_url: Option<String>,
    title: String,
    summary: String,
    body: Text,
    /// The body rendered to sanitised HTML.
    body_html: String,
    authors: Vec<AuthorRef>,
    #[oai(nullable)]
    source: Option<String>,
    #[oai(nullable)]
    source_url: Option<String>,
    reuses_information: bool,
    genre: String,
    tags: Vec<String>,
    #[oai(nullable)]
    cover_media_id: Option<i32>,
    attachments: Vec<i32>,
    #[oai(nullable)]
    publish_at: Option<String>,
    #[oai(nullable)]
    unpublish_at: Option<String>,
    #[oai(nullable)]
    published_at: Option<String>,
    #[oai(nullable)]
    translation_group: Option<i32>,
    creator_id: i32,
    #[oai(nullable)]
    lock: Option<LockView>,
    /// The actions the caller may take now.
    allowed_actions: Vec<String>,
    created_at: String,
    updated_at: String,
}

#[derive(Object)]
struct TransitionInput {
    action: Choice<Action>,
    /// Required to request changes.
    #[oai(nullable, validator(max_length = 20000))]
    comment: Option<Text>,
}

#[derive(Object)]
struct TransitionResult {
    state: String,
    #[oai(nullable)]
    step: Option<i32>,
    /// The delegating board member when approved under delegation.
    #[oai(nullable)]
    on_behalf_of: Option<i32>,
    post: PostView,
}

#[derive(Object)]
struct RevisionView {
    number: i32,
    title: String,
    summary: String,
    body: String,
    slug: String,
    section_id: i32,
    genre: String,
    #[oai(nullable)]
    source: Option<String>,
    created_by: i32,
    created_at: String,
}

#[derive(Object)]
struct FieldDiff {
    field: String,
    /// Unified diff.
    diff: String,
}

#[derive(Object)]
struct DiffView {
    from: i32,
    to: i32,
    changes: Vec<FieldDiff>,
}

#[derive(Object)]
struct HistoryEntry {
    /// `revision`, `transition` or `comment`.
    kind: String,
    at: String,
    #[oai(nullable)]
    user_id: Option<i32>,
    /// For approvals under delegation (Đ6.3b).
    #[oai(nullable)]
    on_behalf_of: Option<i32>,
    #[oai(nullable)]
    revision: Option<i32>,
    #[oai(nullable)]
    action: Option<String>,
    #[oai(nullable)]
    from_state: Option<String>,
    #[oai(nullable)]
    to_state: Option<String>,
    #[oai(nullable)]
    step: Option<i32>,
    #[oai(nullable)]
    text: Option<String>,
}

#[derive(Object)]
struct CommentInput {
    #[oai(validator(max_length = 20000))]
    body: Line,
}

#[derive(Object)]
struct PreviewInput {
    #[oai(validator(max_length = 200000))]
    body: Text,
}

#[derive(Object)]
struct PreviewResult {
    html: String,
}

#[derive(Object)]
struct AwaitingView {
    post: PostView,
    /// Since when it waits for this step.
    waiting_since: String,
    waiting_hours: i64,
}

#[derive(ApiResponse)]
enum Created {
    /// The post was created as a draft.
    #[oai(status = 201)]
    Created(Json<PostView>),
}

async fn view(st: &AppState, full: Full, caller: &Caller) -> Result<PostView, ApiError> {
    let chain = content::chains::chain(&st.db, full.post.section_id).await?;
    let allowed = posts::allowed_actions(&st.db, &full, &caller.account).await?;
    let live_number = match full.post.live_revision_id {
        Some(id) if id == full.revision.id => Some(full.revision.number),
        Some(_) => posts::live(&st.db, full.post.id)
            .await?
            .map(|l| l.revision.number),
        None => None,
    };
    let public = match live_number {
        Some(_) => {
            let s = content::sections::get(&st.db, full.post.section_id).await?;
            Some(posts::public_path(&full.post, &s))
        }
        None => None,
    };
    let now = content::time::now();
    let lock = match (full.post.lock_user_id, full.post.lock_expires_at) {
        (Some(u), Some(until)) if until > now => Some(LockView {
            user_id: u,
            until: rfc3339_vn(until),
        }),
        _ => None,
    };
    Ok(PostView {
        id: full.post.id,
        edition: full.post.edition.clone(),
        section_id: full.post.section_id,
        slug: full.post.slug.clone(),
        state: full.post.state.clone(),
        step: full.post.step,
        steps: chain.len() as i32,
        revision: full.revision.number,
        live_revision: live_number,
        public_url: public,
        body_html: content::markdown::to_html(&full.revision.body),
        authors: full.authors().into_iter().map(AuthorRef::from_domain).collect(),
        tags: full.tags(),
        attachments: full.attachments(),
        title: full.revision.title,
        summary: full.revision.summary,
        body: Text(full.revision.body),
        source: full.revision.source,
        source_url: full.revision.source_url,
        reuses_information: full.revision.reuses_information,
        genre: full.revision.genre,
        cover_media_id: full.revision.cover_media_id,
        publish_at: full.post.publish_at.map(rfc3339_vn),
        unpublish_at: full.post.unpublish_at.map(rfc3339_vn),
        published_at: full.post.published_at.map(rfc3339_vn),
        translation_group: full.post.translation_group,
        creator_id: full.post.creator_id,
        lock,
        allowed_actions: allowed.iter().map(|a| a.as_str().to_owned()).collect(),
        created_at: rfc3339_vn(full.post.created_at),
        updated_at: rfc3339_vn(full.post.updated_at),
    })
}

impl PostsApi {
    async fn staff(&self, req: &Request) -> Result<Caller, ApiError> {
        let caller = require(&self.0, req).await?;
        require_role(&caller, &content::roles::EDITORIAL_STAFF)?;
        Ok(caller)
    }
}

#[OpenApi(tag = "Tag::Posts")]
impl PostsApi {
    /// Create a post (a draft with its first revision).
    #[oai(path = "/posts", method = "post")]
    async fn create(&self, req: &Request, body: Json<NewPost>) -> Result<Created, ApiError> {
        let st = &self.0;
        let caller = self.staff(req).await?;
        let edition = body.edition.get("edition")?;
        let content = body.content.content()?;
        let who = actor(st, req, Some(&caller));
        let full = posts::create(
            &st.db,
            &who,
            &caller.account,
            edition,
            &content,
            body.translation_of,
        )
        .await
        .map_err(ApiError::from)?;
        Ok(Created::Created(Json(view(st, full, &caller).await?)))
    }

    /// Posts for the editorial lists, newest change first.
    #[oai(path = "/posts", method = "get")]
    #[allow(clippy::too_many_arguments)] // one argument per query parameter
    async fn list(
        &self,
        req: &Request,
        edition: Query<Option<Choice<Lang>>>,
        state: Query<Option<Choice<State>>>,
        section_id: Query<Option<i32>>,
        /// Only posts created by the caller.
        mine: Query<Option<bool>>,
        /// Only posts the public sees (`true`) or does not see (`false`).
        live: Query<Option<bool>>,
        /// 1 to 200 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
    ) -> Result<Json<Vec<PostView>>, ApiError> {
        let st = &self.0;
        let caller = self.staff(req).await?;
        let filter = ListFilter {
            edition: edition.0.map(|e| e.get("edition")).transpose()?,
            state: state.0.map(|s| s.get("state")).transpose()?,
            creator_id: mine.0.filter(|m| *m).map(|_| caller.account.user.id),
            section_id: section_id.0,
            live: live.0,
            limit: limit.0.unwrap_or(50),
        };
        let mut out = Vec::new();
        for full in posts::list(&st.db, &filter).await.map_err(ApiError::from)? {
            out.push(view(st, full, &caller).await?);
        }
        Ok(Json(out))
    }

    /// Posts waiting for a step the caller may approve, oldest first.
    #[oai(path = "/posts/awaiting-me", method = "get")]
    async fn awaiting(&self, req: &Request) -> Result<Json<Vec<AwaitingView>>, ApiError> {
        let st = &self.0;
        let caller = self.staff(req).await?;
        let now = content::time::now();
        let mut out = Vec::new();
        for (full, since) in posts::awaiting(&st.db, &caller.account)
            .await
            .map_err(ApiError::from)?
        {
            out.push(AwaitingView {
                post: view(st, full, &caller).await?,
                waiting_since: rfc3339_vn(since),
                waiting_hours: (now - since).num_hours(),
            });
        }
        Ok(Json(out))
    }

    /// One post with its working revision and the caller's allowed actions.
    #[oai(path = "/posts/:id", method = "get")]
    async fn get(&self, req: &Request, id: Path<i32>) -> Result<Json<PostView>, ApiError> {
        let caller = self.staff(req).await?;
        let full = posts::get(&self.0.db, id.0).await.map_err(ApiError::from)?;
        Ok(Json(view(&self.0, full, &caller).await?))
    }

    /// Save a new revision. `base_revision` must be the current revision
    /// number, else 409 and nothing changes; another user's editing lock
    /// answers 423. Saving a published post starts a correction that goes
    /// through the chain again while the published revision stays live.
    #[oai(path = "/posts/:id", method = "put")]
    async fn save(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<SavedPost>,
    ) -> Result<Json<PostView>, ApiError> {
        let st = &self.0;
        let caller = self.staff(req).await?;
        let base = body.base_revision;
        let content = body.content.content()?;
        let who = actor(st, req, Some(&caller));
        let full = posts::save(&st.db, &who, &caller.account, id.0, base, &content)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(view(st, full, &caller).await?))
    }

    /// Run a workflow action. A refused action answers 403 (role, unit,
    /// step, own post), 409 (wrong state) or 422 (missing comment, citation
    /// or alt text) and changes nothing.
    #[oai(path = "/posts/:id/transitions", method = "post")]
    async fn transition(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<TransitionInput>,
    ) -> Result<Json<TransitionResult>, ApiError> {
        let st = &self.0;
        let caller = self.staff(req).await?;
        let action = body.action.get("action")?;
        let who = actor(st, req, Some(&caller));
        let moved = posts::transition(
            &st.db,
            &who,
            &caller.account,
            id.0,
            action,
            body.comment.as_ref().map(|s| s.as_str()),
        )
        .await
        .map_err(ApiError::from)?;
        st.public_changed().await;
        Ok(Json(TransitionResult {
            state: moved.transition.to_state.clone(),
            step: moved.transition.to_step,
            on_behalf_of: moved.transition.on_behalf_of_id,
            post: view(st, moved.full, &caller).await?,
        }))
    }

    /// Every revision of a post, oldest first.
    #[oai(path = "/posts/:id/revisions", method = "get")]
    async fn revisions(&self, req: &Request, id: Path<i32>) -> Result<Json<Vec<RevisionView>>, ApiError> {
        self.staff(req).await?;
        let revs = posts::revisions(&self.0.db, id.0).await.map_err(ApiError::from)?;
        Ok(Json(
            revs.into_iter()
                .map(|r| RevisionView {
                    number: r.number,
                    title: r.title,
                    summary: r.summary,
                    body: r.body,
                    slug: r.slug,
                    section_id: r.section_id,
                    genre: r.genre,
                    source: r.source,
                    created_by: r.created_by,
                    created_at: rfc3339_vn(r.created_at),
                })
                .collect(),
        ))
    }

    /// A readable diff between two revisions (by number).
    #[oai(path = "/posts/:id/diff", method = "get")]
    async fn diff(
        &self,
        req: &Request,
        id: Path<i32>,
        from: Query<i32>,
        to: Query<i32>,
    ) -> Result<Json<DiffView>, ApiError> {
        self.staff(req).await?;
        let a = posts::revision(&self.0.db, id.0, from.0)
            .await
            .map_err(ApiError::from)?;
        let b = posts::revision(&self.0.db, id.0, to.0)
            .await
            .map_err(ApiError::from)?;
        let changes = posts::diff(&a, &b)
            .into_iter()
            .map(|(field, diff)| FieldDiff { field, diff })
            .collect();
        Ok(Json(DiffView {
            from: from.0,
            to: to.0,
            changes,
        }))
    }

    /// The post's history: revisions, transitions and comments in order.
    #[oai(path = "/posts/:id/history", method = "get")]
    async fn history(&self, req: &Request, id: Path<i32>) -> Result<Json<Vec<HistoryEntry>>, ApiError> {
        self.staff(req).await?;
        let db = &self.0.db;
        let mut entries: Vec<(chrono::DateTime<Utc>, HistoryEntry)> = Vec::new();
        let blank = |kind: &str, at| HistoryEntry {
            kind: kind.to_owned(),
            at: rfc3339_vn(at),
            user_id: None,
            on_behalf_of: None,
            revision: None,
            action: None,
            from_state: None,
            to_state: None,
            step: None,
            text: None,
        };
        for r in posts::revisions(db, id.0).await.map_err(ApiError::from)? {
            entries.push((
                r.created_at,
                HistoryEntry {
                    user_id: Some(r.created_by),
                    revision: Some(r.number),
                    ..blank("revision", r.created_at)
                },
            ));
        }
        for t in posts::transitions(db, id.0).await.map_err(ApiError::from)? {
            entries.push((
                t.at,
                HistoryEntry {
                    user_id: t.actor_id,
                    on_behalf_of: t.on_behalf_of_id,
                    action: Some(t.action),
                    from_state: Some(t.from_state),
                    to_state: Some(t.to_state),
                    step: t.to_step,
                    text: t.comment,
                    ..blank("transition", t.at)
                },
            ));
        }
        for c in posts::comments(db, id.0).await.map_err(ApiError::from)? {
            entries.push((
                c.created_at,
                HistoryEntry {
                    user_id: Some(c.user_id),
                    text: Some(c.body),
                    ..blank("comment", c.created_at)
                },
            ));
        }
        entries.sort_by_key(|(at, _)| *at);
        Ok(Json(entries.into_iter().map(|(_, e)| e).collect()))
    }

    /// Add an internal editorial comment (never public).
    #[oai(path = "/posts/:id/comments", method = "post")]
    async fn comment(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<CommentInput>,
    ) -> Result<Json<HistoryEntry>, ApiError> {
        let caller = self.staff(req).await?;
        let c = posts::add_comment(&self.0.db, &caller.account, id.0, &body.body.0)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(HistoryEntry {
            kind: "comment".into(),
            at: rfc3339_vn(c.created_at),
            user_id: Some(c.user_id),
            on_behalf_of: None,
            revision: None,
            action: None,
            from_state: None,
            to_state: None,
            step: None,
            text: Some(c.body),
        }))
    }

    /// Take or renew the editing lock (15 minutes without activity).
    #[oai(path = "/posts/:id/lock", method = "post")]
    async fn lock(&self, req: &Request, id: Path<i32>) -> Result<Json<PostView>, ApiError> {
        let caller = self.staff(req).await?;
        posts::lock(&self.0.db, &caller.account, id.0)
            .await
            .map_err(ApiError::from)?;
        let full = posts::get(&self.0.db, id.0).await.map_err(ApiError::from)?;
        Ok(Json(view(&self.0, full, &caller).await?))
    }

    /// Release the editing lock; admins may break another user's lock.
    #[oai(path = "/posts/:id/lock", method = "delete")]
    async fn unlock(&self, req: &Request, id: Path<i32>) -> Result<Json<PostView>, ApiError> {
        let st = &self.0;
        let caller = self.staff(req).await?;
        let who = actor(st, req, Some(&caller));
        posts::unlock(&st.db, &who, &caller.account, id.0)
            .await
            .map_err(ApiError::from)?;
        let full = posts::get(&st.db, id.0).await.map_err(ApiError::from)?;
        Ok(Json(view(st, full, &caller).await?))
    }

    /// Render Markdown as the public will see it (sanitised), for previews.
    #[oai(path = "/preview", method = "post")]
    async fn preview(
        &self,
        req: &Request,
        body: Json<PreviewInput>,
    ) -> Result<Json<PreviewResult>, ApiError> {
        self.staff(req).await?;
        Ok(Json(PreviewResult {
            html: content::markdown::to_html(&content::text::nfc(&body.body.0)),
        }))
    }
}
