use chrono::NaiveDate;
use content::accounts::Caller;
use content::lang::Lang;
use content::questions::{self, Action, ActionKind, Asked};
use content::roles::Role;
use content::time::rfc3339_vn;
use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::Tag;
use super::types::{
    Agreed, AnyCategories, Categories, Choice, Day, Keyword, Line, Moment, PetitionCategories, Text,
};
use crate::auth::{actor, require, require_role};
use crate::problem::ApiError;
use crate::spreadsheet::Cell;
use crate::state::AppState;

pub struct QaApi(pub AppState);

#[derive(Object)]
struct AskInput {
    #[oai(validator(max_length = 200))]
    name: Line,
    #[oai(validator(
        pattern = r"^[^@\s\x00-\x1F\x7F-\x9F]+@[^@\s\x00-\x1F\x7F-\x9F]*\.[^@\s\x00-\x1F\x7F-\x9F]*$",
        max_length = 254
    ))]
    email: Text,
    #[oai(nullable, validator(max_length = 300))]
    phone: Option<Text>,
    /// Province or address.
    #[oai(nullable, validator(max_length = 300))]
    address: Option<Text>,
    category: Keyword<Categories>,
    #[oai(validator(max_length = 300))]
    title: Line,
    #[oai(validator(max_length = 10000))]
    content: Line,
    /// Consent to the processing of personal data.
    consent: Agreed,
    /// Leave empty: a field people do not see, filled only by robots.
    #[oai(nullable, validator(max_length = 300))]
    website: Option<Text>,
}

/// A proposal or petition (Đ4.1c), as a citizen or a business sends it.
#[derive(Object)]
struct PetitionInput {
    #[oai(validator(max_length = 200))]
    name: Line,
    #[oai(validator(
        pattern = r"^[^@\s\x00-\x1F\x7F-\x9F]+@[^@\s\x00-\x1F\x7F-\x9F]*\.[^@\s\x00-\x1F\x7F-\x9F]*$",
        max_length = 254
    ))]
    email: Text,
    #[oai(nullable, validator(max_length = 300))]
    phone: Option<Text>,
    /// Province or address, or the business's address.
    #[oai(nullable, validator(max_length = 300))]
    address: Option<Text>,
    category: Keyword<PetitionCategories>,
    #[oai(validator(max_length = 300))]
    title: Line,
    #[oai(validator(max_length = 10000))]
    content: Line,
    /// Consent to the processing of personal data.
    consent: Agreed,
    /// Leave empty: a field people do not see, filled only by robots.
    #[oai(nullable, validator(max_length = 300))]
    website: Option<Text>,
}

#[derive(Object)]
struct ImportInput {
    #[oai(validator(max_length = 200))]
    name: Line,
    #[oai(validator(
        pattern = r"^[^@\s\x00-\x1F\x7F-\x9F]+@[^@\s\x00-\x1F\x7F-\x9F]*\.[^@\s\x00-\x1F\x7F-\x9F]*$",
        max_length = 254
    ))]
    email: Text,
    #[oai(nullable, validator(max_length = 300))]
    phone: Option<Text>,
    /// Province or address.
    #[oai(nullable, validator(max_length = 300))]
    address: Option<Text>,
    category: Keyword<Categories>,
    #[oai(validator(max_length = 300))]
    title: Line,
    #[oai(validator(max_length = 10000))]
    content: Line,
    /// The original receipt time on the old portal.
    received_at: Moment,
}

#[derive(Object)]
struct AskResult {
    tracking_code: String,
    status: String,
    /// When the answer is due at the latest (working days, Đ11.1a).
    expected_answer_by: NaiveDate,
}

#[derive(Object)]
struct DeadlinesView {
    classify_by: NaiveDate,
    answer_by: NaiveDate,
    #[oai(nullable)]
    publish_by: Option<NaiveDate>,
}

/// Each open clock: on_track, due_soon (≤ 1 working day left), overdue, done.
#[derive(Object)]
struct ClocksView {
    classify: String,
    answer: String,
    publish: String,
    overall: String,
}

#[derive(Object)]
struct EventView {
    action: String,
    #[oai(nullable)]
    actor_id: Option<i32>,
    #[oai(nullable)]
    unit_id: Option<i32>,
    #[oai(nullable)]
    comment: Option<String>,
    at: String,
}

/// A question as staff see it. The asker's name, e-mail, phone and
/// address are shown to Q&A coordination only (Đ7.2b), and null for the
/// units and the board; every read of them is audited.
#[derive(Object)]
struct QuestionView {
    id: i32,
    tracking_code: String,
    #[oai(nullable)]
    name: Option<String>,
    #[oai(nullable)]
    email: Option<String>,
    #[oai(nullable)]
    phone: Option<String>,
    #[oai(nullable)]
    address: Option<String>,
    /// `question` (the Q&A) or `petition` (proposals and petitions).
    channel: String,
    category: String,
    title: String,
    content: String,
    status: String,
    complex: bool,
    units: Vec<i32>,
    #[oai(nullable)]
    answer: Option<String>,
    #[oai(nullable)]
    answer_unit_id: Option<i32>,
    #[oai(nullable)]
    reject_reason: Option<String>,
    received_at: String,
    deadlines: DeadlinesView,
    clocks: ClocksView,
    events: Vec<EventView>,
}

/// What the asker sees when tracking.
#[derive(Object)]
struct TrackView {
    tracking_code: String,
    title: String,
    status: String,
    received_at: String,
    deadlines: DeadlinesView,
    /// The answer, once sent or published.
    #[oai(nullable)]
    answer: Option<String>,
}

#[derive(Object)]
struct ActionInput {
    action: Choice<ActionKind>,
    #[oai(nullable)]
    category: Option<Keyword<AnyCategories>>,
    #[oai(nullable)]
    complex: Option<bool>,
    #[oai(nullable, validator(max_length = 200000))]
    answer: Option<Text>,
    #[oai(nullable, validator(max_items = 50))]
    unit_ids: Option<Vec<i32>>,
    #[oai(nullable, validator(max_length = 2000))]
    reason: Option<Text>,
    /// For progress_notice: the new answer date.
    #[oai(nullable)]
    answer_by: Option<Day>,
    #[oai(nullable, validator(max_length = 20000))]
    comment: Option<Text>,
    /// For publish: the title that goes public, when edited (the asker's
    /// own title is kept).
    #[oai(nullable, validator(max_length = 300))]
    public_title: Option<Text>,
    /// For publish: the text that goes public, personal details taken out.
    #[oai(nullable, validator(max_length = 20000))]
    public_content: Option<Text>,
    /// For publish: publish although personal details were flagged in the
    /// public wording (otherwise 422 naming them).
    #[oai(nullable)]
    confirm_personal_data: Option<bool>,
}

/// The report as JSON (default) or as a CSV file.
#[derive(poem_openapi::Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
enum ReportFormat {
    Json,
    Csv,
}

/// One line of the on-time report.
#[derive(Object)]
struct ReportLine {
    /// classify, answer or publish; `satisfaction` for the askers' ratings
    /// (overall, per category, per answering unit), whose on-time counts
    /// are 0.
    stage: String,
    /// The answering unit, for per-unit answer and satisfaction lines.
    #[oai(nullable)]
    unit_id: Option<i32>,
    /// The category, for per-category satisfaction lines.
    #[oai(nullable)]
    category: Option<String>,
    on_time: u32,
    late: u32,
    pending: u32,
    /// Percent of decided stages done on time.
    #[oai(nullable)]
    on_time_rate: Option<f64>,
    /// Askers who rated the answer satisfying (satisfaction lines).
    #[oai(nullable)]
    satisfied: Option<u32>,
    /// Askers who rated it not satisfying (satisfaction lines).
    #[oai(nullable)]
    unsatisfied: Option<u32>,
    /// Percent of ratings that were satisfied.
    #[oai(nullable)]
    satisfaction_rate: Option<f64>,
}

/// The on-time report: JSON, or a CSV file with `format=csv`. One 200
/// response with two media types (a derived response would keep only the
/// last variant of a status).
enum Report {
    Json(Vec<ReportLine>),
    Csv { text: String, file_name: String },
}

impl poem::IntoResponse for Report {
    fn into_response(self) -> poem::Response {
        match self {
            Report::Json(lines) => Json(lines).into_response(),
            Report::Csv { text, file_name } => poem::Response::builder()
                .content_type("text/csv; charset=utf-8")
                .header(
                    poem::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                )
                .body(text),
        }
    }
}

impl ApiResponse for Report {
    fn meta() -> poem_openapi::registry::MetaResponses {
        use poem_openapi::registry::{
            MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef,
        };
        use poem_openapi::types::Type;
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The report: JSON lines, or a CSV file (`format=csv`, sent as an attachment)",
                status: Some(200),
                status_range: None,
                content: vec![
                    MetaMediaType {
                        content_type: "application/json; charset=utf-8",
                        schema: <Vec<ReportLine> as Type>::schema_ref(),
                    },
                    MetaMediaType {
                        content_type: "text/csv; charset=utf-8",
                        schema: MetaSchemaRef::Inline(Box::new(MetaSchema::new("string"))),
                    },
                ],
                headers: vec![MetaHeader {
                    name: "Content-Disposition".into(),
                    description: Some("For the CSV file.".into()),
                    required: false,
                    deprecated: false,
                    schema: <String as Type>::schema_ref(),
                }],
            }],
        }
    }

    fn register(registry: &mut poem_openapi::registry::Registry) {
        <Vec<ReportLine> as poem_openapi::types::Type>::register(registry);
    }
}

/// The staff view of a question: deadlines and clocks on `cal`, history.
fn view_of(
    cal: &content::calendar::Calendar,
    seen: questions::Seen,
    events: Vec<content::entity::question_event::Model>,
) -> QuestionView {
    let personal = seen.with_asker;
    let q = seen.question;
    let channel = q.channel().as_str().to_owned();
    let (d, c) = questions::clocks_of(cal, &q, content::time::today_vn());
    QuestionView {
        deadlines: DeadlinesView {
            classify_by: d.classify_by,
            answer_by: d.answer_by,
            publish_by: d.publish_by,
        },
        clocks: ClocksView {
            classify: clock_name(c.classify),
            answer: clock_name(c.answer),
            publish: clock_name(c.publish),
            overall: clock_name(c.overall),
        },
        events: events
            .into_iter()
            .map(|e| EventView {
                action: e.action,
                actor_id: e.actor_id,
                unit_id: e.unit_id,
                comment: e.comment,
                at: rfc3339_vn(e.at),
            })
            .collect(),
        units: q.units(),
        received_at: rfc3339_vn(q.received_at),
        id: q.id,
        tracking_code: q.tracking_code,
        name: personal.then_some(q.name),
        email: personal.then_some(q.email),
        phone: q.phone.filter(|_| personal),
        address: q.address.filter(|_| personal),
        channel,
        category: q.category,
        title: q.title,
        content: q.content,
        status: q.status,
        complex: q.complex,
        answer: q.answer,
        answer_unit_id: q.answer_unit_id,
        reject_reason: q.reject_reason,
    }
}

#[derive(ApiResponse)]
enum Asked201 {
    /// Received; the tracking code is also mailed to the asker.
    #[oai(status = 201)]
    Created(Json<AskResult>),
}

#[derive(ApiResponse)]
enum Imported {
    /// Imported with its original receipt date.
    #[oai(status = 201)]
    Created(Json<QuestionView>),
}

fn clock_name(c: content::qa::ClockStatus) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl QaApi {
    /// The question as the caller may read it (404 when not theirs).
    async fn view(&self, req: &Request, caller: &Caller, id: i32) -> Result<QuestionView, ApiError> {
        let seen = questions::read(
            &self.0.db,
            &actor(&self.0, req, Some(caller)),
            &caller.account,
            id,
        )
        .await?;
        let cal = content::holidays::calendar(&self.0.db).await?;
        let events = questions::events(&self.0.db, id).await?;
        Ok(view_of(&cal, seen, events))
    }

    /// Writes a mail to an asker, with the tracking page's address.
    fn mail(&self, q: &content::entity::question::Model, mail: content::questions::Mail) {
        let mail = crate::public::with_tracking_link(&self.0, q, mail);
        if let Err(e) = self.0.outbox.send(&mail) {
            tracing::error!(error = %e, to = %mail.to, "cannot write mail to the outbox");
        }
    }

    /// Refuses a sender over the public forms' hourly budget; every
    /// attempt counts, a refused one too.
    fn within_budget(&self, req: &Request) -> Result<(), ApiError> {
        let st = &self.0;
        match crate::net::client_ip(req, &st.config.trusted_proxies) {
            Some(ip) if !st.ask_limit.check(ip) => Err(ApiError::too_many(
                "rate-limited",
                "too many messages from this address; try again later",
                3600,
            )),
            _ => Ok(()),
        }
    }

    /// Records what came through a public form (or tells a robot the
    /// same as a person, storing nothing), and mails the acknowledgement.
    async fn receive(&self, asked: Asked, honeypot: bool) -> Result<Asked201, ApiError> {
        let st = &self.0;
        let cal = content::holidays::calendar(&st.db)
            .await
            .map_err(ApiError::from)?;
        if honeypot {
            let (tracking_code, expected_answer_by) =
                questions::intake::decoy(&cal, &asked).map_err(ApiError::from)?;
            return Ok(Asked201::Created(Json(AskResult {
                tracking_code,
                status: questions::QuestionState::Received.as_str().to_owned(),
                expected_answer_by,
            })));
        }
        let (q, mail) = questions::ask(&st.db, &cal, &asked, None)
            .await
            .map_err(ApiError::from)?;
        self.mail(&q, mail);
        let (d, _) = questions::clocks_of(&cal, &q, content::time::today_vn());
        Ok(Asked201::Created(Json(AskResult {
            tracking_code: q.tracking_code,
            status: q.status,
            expected_answer_by: d.answer_by,
        })))
    }

    async fn staff(&self, req: &Request) -> Result<Caller, ApiError> {
        let caller = require(&self.0, req).await?;
        require_role(&caller, &content::roles::QA_STAFF)?;
        Ok(caller)
    }
}

#[OpenApi(tag = "Tag::Qa")]
impl QaApi {
    /// Ask a question (public). Rate-limited per client address; the asker
    /// receives an acknowledgement with the tracking code and the expected
    /// answer date.
    #[oai(path = "/qa/questions", method = "post")]
    async fn ask(&self, req: &Request, body: Json<AskInput>) -> Result<Asked201, ApiError> {
        self.within_budget(req)?;
        body.consent.check("consent")?;
        let honeypot = questions::intake::is_honeypot_filled(body.website.as_ref().map(|s| s.as_str()));
        let b = body.0;
        let asked = Asked {
            name: b.name.into(),
            email: b.email.into(),
            phone: b.phone.map(String::from),
            address: b.address.map(String::from),
            category: b.category.get("category")?.to_owned(),
            title: b.title.into(),
            content: b.content.into(),
            consent: true,
            channel: questions::Channel::Question,
            edition: content::lang::Lang::Vi,
        };
        self.receive(asked, honeypot).await
    }

    /// Send a proposal or petition (public; Đ4.1c). It follows the Q&A's
    /// pipeline (tracking code, classification, forwarding, working-day
    /// clocks, answer, approval, publication in section 16 without personal
    /// data) with its own categories; rate-limited with the other public
    /// forms. Follow it with `GET /qa/track/{code}`.
    #[oai(path = "/petitions", method = "post")]
    async fn petition(&self, req: &Request, body: Json<PetitionInput>) -> Result<Asked201, ApiError> {
        self.within_budget(req)?;
        body.consent.check("consent")?;
        let honeypot = questions::intake::is_honeypot_filled(body.website.as_ref().map(|s| s.as_str()));
        let b = body.0;
        let asked = Asked {
            name: b.name.into(),
            email: b.email.into(),
            phone: b.phone.map(String::from),
            address: b.address.map(String::from),
            category: b.category.get("category")?.to_owned(),
            title: b.title.into(),
            content: b.content.into(),
            consent: true,
            channel: questions::Channel::Petition,
            edition: content::lang::Lang::Vi,
        };
        self.receive(asked, honeypot).await
    }

    /// Follow one's question: needs the tracking code and the e-mail it was
    /// asked with (a wrong e-mail answers 404; repeated misses are limited).
    #[oai(path = "/qa/track/:code", method = "get")]
    async fn track(
        &self,
        req: &Request,
        #[oai(validator(max_length = 32))] code: Path<String>,
        #[oai(validator(max_length = 254))] email: Query<String>,
    ) -> Result<Json<TrackView>, ApiError> {
        let st = &self.0;
        let found = questions::track(&st.db, &code.0, &email.0)
            .await
            .map_err(ApiError::from)?;
        let Some(q) = found else {
            let ip = crate::net::client_ip(req, &st.config.trusted_proxies);
            if let Some(ip) = ip
                && !st.track_limit.check(ip)
            {
                return Err(ApiError::too_many(
                    "rate-limited",
                    "too many wrong tracking attempts; try again later",
                    3600,
                ));
            }
            return Err(ApiError::not_found(
                "no question with this tracking code and e-mail",
            ));
        };
        let cal = content::holidays::calendar(&st.db)
            .await
            .map_err(ApiError::from)?;
        let (d, _) = questions::clocks_of(&cal, &q, content::time::today_vn());
        let answer = (q.sent_at.is_some() || q.published_at.is_some())
            .then(|| q.answer.clone())
            .flatten();
        Ok(Json(TrackView {
            tracking_code: q.tracking_code,
            title: q.title,
            status: q.status,
            received_at: rfc3339_vn(q.received_at),
            deadlines: DeadlinesView {
                classify_by: d.classify_by,
                answer_by: d.answer_by,
                publish_by: d.publish_by,
            },
            answer,
        }))
    }

    /// Open questions for the inboxes, overdue first. Responders see the
    /// questions forwarded to their unit.
    #[oai(path = "/qa/questions", method = "get")]
    async fn inbox(
        &self,
        req: &Request,
        /// 1 to 1000 (default 200).
        #[oai(validator(minimum(value = "1"), maximum(value = "1000")))]
        limit: Query<Option<u64>>,
    ) -> Result<Json<Vec<QuestionView>>, ApiError> {
        let caller = self.staff(req).await?;
        let inbox = match questions::Inbox::of(&caller.account) {
            questions::Inbox::Approval => questions::Inbox::All,
            mine => mine,
        };
        let rows = questions::open(&self.0.db, inbox, 0, limit.0.unwrap_or(200))
            .await
            .map_err(ApiError::from)?;
        let cal = content::holidays::calendar(&self.0.db)
            .await
            .map_err(ApiError::from)?;
        let seen = questions::read_all(
            &self.0.db,
            &actor(&self.0, req, Some(&caller)),
            &caller.account,
            rows,
        )
        .await
        .map_err(ApiError::from)?;
        let ids: Vec<i32> = seen.iter().map(|s| s.question.id).collect();
        let mut events = questions::events_of(&self.0.db, &ids)
            .await
            .map_err(ApiError::from)?;
        let mut views: Vec<QuestionView> = seen
            .into_iter()
            .map(|s| {
                let history = events.remove(&s.question.id).unwrap_or_default();
                view_of(&cal, s, history)
            })
            .collect();
        let rank = |v: &QuestionView| match v.clocks.overall.as_str() {
            "overdue" => 0,
            "due_soon" => 1,
            _ => 2,
        };
        views.sort_by_key(rank);
        Ok(Json(views))
    }

    /// One question with its deadlines, clocks and history (staff).
    #[oai(path = "/qa/questions/:id", method = "get")]
    async fn get(&self, req: &Request, id: Path<i32>) -> Result<Json<QuestionView>, ApiError> {
        let caller = self.staff(req).await?;
        Ok(Json(self.view(req, &caller, id.0).await?))
    }

    /// Run a handling action; each is permission-checked and audited.
    #[oai(path = "/qa/questions/:id/actions", method = "post")]
    async fn act(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<ActionInput>,
    ) -> Result<Json<QuestionView>, ApiError> {
        let st = &self.0;
        let caller = self.staff(req).await?;
        let b = body.0;
        let kind = b.action.get("action")?;
        let action = Action::from_input(
            kind,
            questions::actions::ActionInput {
                category: b
                    .category
                    .map(|c| c.get("category").map(str::to_owned))
                    .transpose()?,
                complex: b.complex,
                answer: b.answer.map(String::from),
                unit_ids: b.unit_ids.unwrap_or_default(),
                reason: b.reason.map(String::from),
                comment: b.comment.map(String::from),
                answer_by: b.answer_by.map(|d| d.0),
                public_title: b.public_title.map(String::from),
                public_content: b.public_content.map(String::from),
                confirm_personal_data: b.confirm_personal_data,
            },
        )
        .map_err(ApiError::from)?;
        let who = actor(st, req, Some(&caller));
        let (q, mail) = questions::act(
            &st.db,
            &who,
            &caller.account,
            id.0,
            action,
            content::time::today_vn(),
        )
        .await
        .map_err(ApiError::from)?;
        if let Some(m) = mail {
            self.mail(&q, m);
        }
        Ok(Json(self.view(req, &caller, q.id).await?))
    }

    /// On-time rate per stage and per answering unit, and the askers' satisfaction
    /// (overall, per category, per answering unit), for the questions
    /// received from `from` to `to` (inclusive); `format=csv` for a file.
    #[oai(path = "/qa/report", method = "get")]
    async fn report(
        &self,
        req: &Request,
        from: Query<Day>,
        to: Query<Day>,
        format: Query<Option<ReportFormat>>,
        /// The language of the CSV's headings and names (default `vi`).
        lang: Query<Option<Choice<Lang>>>,
    ) -> Result<Report, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &content::roles::QA_REPORT_READERS)?;
        let (from, to) = (from.0.0, to.0.0);
        if to < from {
            return Err(ApiError::validation("to", "must not be before from"));
        }
        let cal = content::holidays::calendar(&st.db)
            .await
            .map_err(ApiError::from)?;
        let rows = questions::report(&st.db, &cal, from, to, content::time::today_vn())
            .await
            .map_err(ApiError::from)?;
        let ratings = questions::satisfaction(&st.db, from, to)
            .await
            .map_err(ApiError::from)?;
        if format.0 == Some(ReportFormat::Csv) {
            let lang = lang.0.map(|l| l.get("lang")).transpose()?.unwrap_or(Lang::Vi);
            let units = content::units::list(&st.db).await.map_err(ApiError::from)?;
            let table = crate::spreadsheet::Table {
                sheet: lang.pick("Hỏi đáp đúng hạn", "Q&A on time").to_owned(),
                title: None,
                head: [
                    ("Giai đoạn", "Stage"),
                    ("Đơn vị", "Unit"),
                    ("Đúng hạn", "On time"),
                    ("Trễ hạn", "Late"),
                    ("Đang chờ", "Pending"),
                    ("Tỷ lệ đúng hạn", "On-time rate"),
                    ("Lĩnh vực", "Topic"),
                    ("Hài lòng", "Satisfied"),
                    ("Chưa hài lòng", "Not satisfied"),
                    ("Tỷ lệ hài lòng", "Satisfaction rate"),
                ]
                .into_iter()
                .map(|(vi, en)| String::from(lang.pick(vi, en)))
                .collect(),
                rows: rows
                    .iter()
                    .map(|r| {
                        let stage = match r.stage {
                            "classify" => lang.pick("Phân loại", "Classification"),
                            "answer" => lang.pick("Trả lời", "Answer"),
                            "publish" => lang.pick("Đăng", "Publication"),
                            other => other,
                        };
                        let unit = r
                            .unit_id
                            .and_then(|u| units.iter().find(|x| x.id == u))
                            .map(|u| u.name_in(lang).to_owned())
                            .unwrap_or_default();
                        vec![
                            Cell::from(stage),
                            Cell::from(unit),
                            Cell::Number(i64::from(r.on_time)),
                            Cell::Number(i64::from(r.late)),
                            Cell::Number(i64::from(r.pending)),
                            r.on_time_rate()
                                .map(|v| Cell::Percent(v / 100.0))
                                .unwrap_or(Cell::Empty),
                            Cell::Empty,
                            Cell::Empty,
                            Cell::Empty,
                            Cell::Empty,
                        ]
                    })
                    .chain(ratings.iter().map(|r| {
                        let unit = r
                            .unit_id
                            .and_then(|u| units.iter().find(|x| x.id == u))
                            .map(|u| u.name_in(lang).to_owned())
                            .unwrap_or_default();
                        let category = r
                            .category
                            .as_deref()
                            .map(|c| crate::public::i18n::text(lang, &format!("cat_{c}")).to_owned())
                            .unwrap_or_default();
                        vec![
                            Cell::from(lang.pick("Mức độ hài lòng", "Satisfaction")),
                            Cell::from(unit),
                            Cell::Empty,
                            Cell::Empty,
                            Cell::Empty,
                            Cell::Empty,
                            Cell::from(category),
                            Cell::Number(i64::from(r.satisfied)),
                            Cell::Number(i64::from(r.unsatisfied)),
                            r.rate().map(|v| Cell::Percent(v / 100.0)).unwrap_or(Cell::Empty),
                        ]
                    }))
                    .collect(),
            };
            let bytes = crate::spreadsheet::csv(&table)?;
            let text = String::from_utf8(bytes).map_err(|_| ApiError::internal())?;
            return Ok(Report::Csv {
                text,
                file_name: format!("hoi-dap-{from}-{to}.csv"),
            });
        }
        Ok(Report::Json(
            rows.into_iter()
                .map(|r| ReportLine {
                    on_time_rate: r.on_time_rate(),
                    stage: r.stage.to_owned(),
                    unit_id: r.unit_id,
                    category: None,
                    on_time: r.on_time,
                    late: r.late,
                    pending: r.pending,
                    satisfied: None,
                    unsatisfied: None,
                    satisfaction_rate: None,
                })
                .chain(ratings.into_iter().map(|r| ReportLine {
                    satisfaction_rate: r.rate(),
                    stage: "satisfaction".to_owned(),
                    unit_id: r.unit_id,
                    category: r.category,
                    on_time: 0,
                    late: 0,
                    pending: 0,
                    on_time_rate: None,
                    satisfied: Some(r.satisfied),
                    unsatisfied: Some(r.unsatisfied),
                }))
                .collect(),
        ))
    }

    /// Import a question from the old portal with its original receipt time
    /// (admins); its clocks run from that date.
    #[oai(path = "/qa/questions/import", method = "post")]
    async fn import(&self, req: &Request, body: Json<ImportInput>) -> Result<Imported, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let b = body.0;
        let asked = Asked {
            name: b.name.into(),
            email: b.email.into(),
            phone: b.phone.map(String::from),
            address: b.address.map(String::from),
            category: b.category.get("category")?.to_owned(),
            title: b.title.into(),
            content: b.content.into(),
            consent: true,
            channel: questions::Channel::Question,
            edition: content::lang::Lang::Vi,
        };
        let cal = content::holidays::calendar(&st.db)
            .await
            .map_err(ApiError::from)?;
        let (q, _) = questions::ask(&st.db, &cal, &asked, Some(b.received_at.0))
            .await
            .map_err(ApiError::from)?;
        content::audit::record(
            &st.db,
            &actor(st, req, Some(&caller)),
            "qa.import",
            Some(("question", q.id.to_string())),
            serde_json::Value::Null,
        )
        .await
        .map_err(ApiError::from)?;
        Ok(Imported::Created(Json(self.view(req, &caller, q.id).await?)))
    }
}
