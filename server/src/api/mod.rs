//! The JSON API under `/api/v1`, described by OpenAPI 3 at
//! `/api/openapi.json` and browsable at `/api/docs`.

mod allow;
mod audit;
mod auth;
mod calendar;
mod callers;
mod catalogue;
mod chains;
mod delegations;
mod description;
mod documents;
mod download;
mod entries;
mod link_checks;
mod media;
mod models;
mod organisation;
mod posts;
mod provisions;
mod qa;
mod reports;
mod royalties;
mod search;
mod sections;
mod types;
mod units;
mod users;

use poem_openapi::{OpenApiService, Tags};

pub use allow::Allow;
pub use description::served as description;
pub(crate) use reports::build as annual_report;

use crate::state::AppState;

#[derive(Tags)]
enum Tag {
    /// Logging in and out, the current user.
    Auth,
    /// Accounts and roles (admins).
    Users,
    /// Organisational units.
    Units,
    /// The section catalogue of both editions.
    Sections,
    /// The audit log (admins).
    Audit,
    /// Posts, revisions and the approval workflow.
    Posts,
    /// The media library.
    Media,
    /// Delegated approval rights (Đ6.3b).
    Delegations,
    /// The working-day calendar (Labour Code 2019 art. 111–112).
    Calendar,
    /// Citizens' questions and their working-day clocks (Đ11.1a).
    Qa,
    /// Full-text search of the public portal, and its query log.
    Search,
    /// The Office's catalogue: administrative procedures, online public
    /// services, I-VAN providers (Đ7.2d, Đ14).
    Catalogue,
    /// Legal documents, drafts for public consultation and their comments
    /// (Đ11.1a).
    Documents,
    /// The directory, leadership, projects, research topics, financial
    /// disclosure and links (Đ11.1a–h).
    Organisation,
    /// Royalties: dated rates, budget holders, sheets of published works,
    /// proposals, approval, payment and statements (Đ7.2a–b, Đ7.2e, Đ17).
    Royalties,
    /// Information-provision deadlines per unit (Đ11.1).
    Provisions,
    /// The annual operations report (Đ6.4b).
    Reports,
}

pub type Api = (
    auth::AuthApi,
    users::UsersApi,
    units::UnitsApi,
    sections::SectionsApi,
    chains::ChainsApi,
    posts::PostsApi,
    media::MediaApi,
    delegations::DelegationsApi,
    calendar::CalendarApi,
    qa::QaApi,
    search::SearchApi,
    audit::AuditApi,
    (
        catalogue::ProceduresApi,
        catalogue::OnlineServicesApi,
        catalogue::IvanProvidersApi,
        documents::DocumentsApi,
        documents::ConsultationsApi,
        documents::CommentsApi,
    ),
    (
        organisation::DirectoryApi,
        organisation::LeadersApi,
        organisation::ProjectsApi,
        organisation::ResearchTopicsApi,
        organisation::FinancialReportsApi,
        organisation::LinksApi,
        organisation::GalleriesApi,
        organisation::VideosApi,
        link_checks::LinkChecksApi,
    ),
    (
        royalties::RoyaltiesApi,
        provisions::ProvisionsApi,
        reports::ReportsApi,
    ),
);

/// The OpenAPI service, to be nested at `/api/v1`.
pub fn service(state: &AppState) -> OpenApiService<Api, ()> {
    OpenApiService::new(
        (
            auth::AuthApi(state.clone()),
            users::UsersApi(state.clone()),
            units::UnitsApi(state.clone()),
            sections::SectionsApi(state.clone()),
            chains::ChainsApi(state.clone()),
            posts::PostsApi(state.clone()),
            media::MediaApi(state.clone()),
            delegations::DelegationsApi(state.clone()),
            calendar::CalendarApi(state.clone()),
            qa::QaApi(state.clone()),
            search::SearchApi(state.clone()),
            audit::AuditApi(state.clone()),
            (
                catalogue::ProceduresApi(state.clone()),
                catalogue::OnlineServicesApi(state.clone()),
                catalogue::IvanProvidersApi(state.clone()),
                documents::DocumentsApi(state.clone()),
                documents::ConsultationsApi(state.clone()),
                documents::CommentsApi(state.clone()),
            ),
            (
                organisation::DirectoryApi(state.clone()),
                organisation::LeadersApi(state.clone()),
                organisation::ProjectsApi(state.clone()),
                organisation::ResearchTopicsApi(state.clone()),
                organisation::FinancialReportsApi(state.clone()),
                organisation::LinksApi(state.clone()),
                organisation::GalleriesApi(state.clone()),
                organisation::VideosApi(state.clone()),
                link_checks::LinkChecksApi(state.clone()),
            ),
            (
                royalties::RoyaltiesApi(state.clone()),
                provisions::ProvisionsApi(state.clone()),
                reports::ReportsApi(state.clone()),
            ),
        ),
        "VSS Portal API",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "API of the Vietnam Social Security e-portal CMS. Authenticate with \
         `POST /api/v1/auth/login` and send the returned token as \
         `Authorization: Bearer <token>`. Errors are RFC 9457 \
         `application/problem+json` with a stable `type`. Times are RFC 3339 \
         in Vietnam time (+07:00).",
    )
    .server("/api/v1")
}
