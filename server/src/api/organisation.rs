//! The organisation's structured pages over the API: the directory of
//! units (section 8; Đ11.1a, Đ11.1h), the leadership (Đ11.1b), investment
//! projects (Đ11.1g), research topics (Đ11.1e), financial disclosure
//! (section 14) and links to other portals (Đ3.5). A field `x_en` is the
//! English version of `x` (Decree 42/2022/NĐ-CP art. 7). The operations
//! are [`entries_api!`]'s.

use content::entries::{
    DIRECTORY_UNIT, FINANCIAL_REPORT, GALLERY, INVESTMENT_PROJECT, LEADER, LINK, RESEARCH_TOPIC, VIDEO,
};
use poem_openapi::Object;

use super::Tag;
use super::entries::{choice_lists, entries_api};
use super::types::{Day, Keyword, Line, Text};
use crate::body_limit::allow_import;

choice_lists! {
    UnitGroups => "DirectoryUnitGroup", DIRECTORY_UNIT."group";
    ProjectStatuses => "InvestmentProjectStatus", INVESTMENT_PROJECT."status";
    ResearchLevels => "ResearchTopicLevel", RESEARCH_TOPIC."level";
    ReportTypes => "FinancialReportType", FINANCIAL_REPORT."report_type";
    LinkGroups => "LinkGroup", LINK."group";
}

/// A person to contact.
#[derive(Object)]
pub struct Contact {
    #[oai(validator(max_length = 200))]
    pub name: Line,
    #[oai(nullable, validator(max_length = 200))]
    pub title: Option<Text>,
    #[oai(nullable, validator(max_length = 200))]
    pub phone: Option<Text>,
    #[oai(nullable, validator(max_length = 200))]
    pub email: Option<Text>,
}

/// A unit of the phone directory and the organisation chart.
#[derive(Object)]
pub struct DirectoryUnitFields {
    #[oai(validator(max_length = 300))]
    pub name: Line,
    #[oai(nullable, validator(max_length = 300))]
    pub name_en: Option<Text>,
    pub group: Keyword<UnitGroups>,
    /// Its place in its group (`01`, `02`…).
    #[oai(nullable, validator(max_length = 10))]
    pub order: Option<Text>,
    #[oai(nullable, validator(max_length = 500))]
    pub address: Option<Text>,
    #[oai(nullable, validator(max_length = 500))]
    pub address_en: Option<Text>,
    #[oai(nullable, validator(max_length = 100))]
    pub phone: Option<Text>,
    #[oai(nullable, validator(max_length = 100))]
    pub fax: Option<Text>,
    #[oai(nullable, validator(max_length = 200))]
    pub email: Option<Text>,
    #[oai(
        nullable,
        validator(pattern = r"^https?://[^\s\x00-\x1F\x7F-\x9F]+$", max_length = 500)
    )]
    pub website: Option<Text>,
    /// Chức năng, nhiệm vụ (Markdown).
    #[oai(nullable, validator(max_length = 50000))]
    pub functions: Option<Text>,
    #[oai(nullable, validator(max_length = 50000))]
    pub functions_en: Option<Text>,
    #[oai(default, nullable, validator(max_items = 20))]
    pub leaders: Vec<Contact>,
    #[oai(default, nullable, validator(max_items = 60))]
    pub department_heads: Vec<Contact>,
}

/// A leader of Vietnam Social Security (Đ11.1b).
#[derive(Object)]
pub struct LeaderFields {
    #[oai(validator(max_length = 200))]
    pub name: Line,
    #[oai(validator(max_length = 300))]
    pub title: Line,
    #[oai(nullable, validator(max_length = 300))]
    pub title_en: Option<Text>,
    #[oai(nullable, validator(max_length = 10))]
    pub order: Option<Text>,
    /// The photo: a file of the media library.
    #[oai(default, nullable, validator(max_items = 50, minimum(value = "1")))]
    pub photo: Vec<i32>,
    #[oai(nullable)]
    pub appointed_on: Option<Day>,
    #[oai(nullable, validator(max_length = 50000))]
    pub portfolio: Option<Text>,
    #[oai(nullable, validator(max_length = 50000))]
    pub portfolio_en: Option<Text>,
    #[oai(nullable, validator(max_length = 50000))]
    pub biography: Option<Text>,
    #[oai(nullable, validator(max_length = 50000))]
    pub biography_en: Option<Text>,
}

/// An investment project (Đ11.1g).
#[derive(Object)]
pub struct InvestmentProjectFields {
    #[oai(validator(max_length = 500))]
    pub name: Line,
    pub status: Keyword<ProjectStatuses>,
    #[oai(nullable, validator(max_length = 200))]
    pub field: Option<Text>,
    #[oai(nullable, validator(max_length = 200))]
    pub project_type: Option<Text>,
    #[oai(nullable, validator(max_length = 50000))]
    pub objective: Option<Text>,
    #[oai(nullable, validator(max_length = 200))]
    pub duration: Option<Text>,
    #[oai(nullable, validator(max_length = 200))]
    pub budget: Option<Text>,
    #[oai(nullable, validator(max_length = 200))]
    pub funding_source: Option<Text>,
    #[oai(nullable, validator(max_length = 50000))]
    pub tenders: Option<Text>,
    #[oai(default, nullable, validator(max_items = 50, minimum(value = "1")))]
    pub files: Vec<i32>,
}

/// A research topic (Đ11.1e), with its results once accepted.
#[derive(Object)]
pub struct ResearchTopicFields {
    #[oai(validator(pattern = r"^[0-9A-Za-z][0-9A-Za-z._/-]{0,49}$"))]
    pub code: Text,
    #[oai(validator(max_length = 500))]
    pub name: Line,
    pub level: Keyword<ResearchLevels>,
    #[oai(nullable, validator(max_length = 200))]
    pub field: Option<Text>,
    #[oai(nullable, validator(max_length = 300))]
    pub lead_unit: Option<Text>,
    #[oai(nullable, validator(max_length = 200))]
    pub lead_researcher: Option<Text>,
    #[oai(nullable, validator(max_length = 200))]
    pub duration: Option<Text>,
    #[oai(nullable)]
    pub accepted_on: Option<Day>,
    #[oai(nullable, validator(max_length = 50000))]
    pub summary: Option<Text>,
    #[oai(nullable, validator(max_length = 50000))]
    pub results: Option<Text>,
    #[oai(default, nullable, validator(max_items = 50, minimum(value = "1")))]
    pub report_files: Vec<i32>,
}

/// A budget estimate, settlement or financial statement (section 14).
#[derive(Object)]
pub struct FinancialReportFields {
    #[oai(validator(max_length = 500))]
    pub title: Line,
    pub report_type: Keyword<ReportTypes>,
    /// The year it covers, e.g. `2026`.
    #[oai(validator(max_length = 4))]
    pub year: Line,
    #[oai(nullable, validator(max_length = 100))]
    pub period: Option<Text>,
    #[oai(nullable, validator(max_length = 200))]
    pub issuing_unit: Option<Text>,
    #[oai(nullable)]
    pub issued_on: Option<Day>,
    #[oai(nullable, validator(max_length = 50000))]
    pub summary: Option<Text>,
    #[oai(default, nullable, validator(max_items = 50, minimum(value = "1")))]
    pub files: Vec<i32>,
}

/// A link to another portal (Đ3.5, Đ12).
#[derive(Object)]
pub struct LinkFields {
    #[oai(validator(max_length = 300))]
    pub name: Line,
    #[oai(nullable, validator(max_length = 300))]
    pub name_en: Option<Text>,
    #[oai(validator(pattern = r"^https?://[^\s\x00-\x1F\x7F-\x9F]+$", max_length = 500))]
    pub url: Text,
    pub group: Keyword<LinkGroups>,
    #[oai(default, nullable, validator(max_items = 50, minimum(value = "1")))]
    pub logo: Vec<i32>,
    #[oai(nullable, validator(max_length = 500))]
    pub description: Option<Text>,
    #[oai(nullable, validator(max_length = 500))]
    pub description_en: Option<Text>,
}

/// A photo gallery or a set of posters: photos of the media library,
/// shown with their captions and credits.
#[derive(Object)]
pub struct GalleryFields {
    #[oai(validator(max_length = 300))]
    pub title: Line,
    #[oai(nullable, validator(max_length = 300))]
    pub title_en: Option<Text>,
    #[oai(nullable)]
    pub taken_on: Option<Day>,
    #[oai(nullable, validator(max_length = 50000))]
    pub description: Option<Text>,
    #[oai(nullable, validator(max_length = 50000))]
    pub description_en: Option<Text>,
    /// Files of the media library, in order; at least one.
    #[oai(validator(min_items = 1, max_items = 50, minimum(value = "1")))]
    pub photos: Vec<i32>,
}

entries_api!(
    GalleriesApi, "Tag::Organisation", GALLERY, GalleryFields, GalleryView, GalleryMoved, GalleryCreated, GallerySave,
    list: "/galleries", one: "/galleries/:id", transitions: "/galleries/:id/transitions",
    versions: "/galleries/:id/versions", diff: "/galleries/:id/diff", import: "/galleries/import",
    filters: []
);

/// A video: an MP4 or WebM file of the library, its poster image and its
/// WebVTT captions, played by the browser's own player.
#[derive(Object)]
pub struct VideoFields {
    #[oai(validator(max_length = 300))]
    pub title: Line,
    #[oai(nullable, validator(max_length = 300))]
    pub title_en: Option<Text>,
    #[oai(nullable, validator(max_length = 50000))]
    pub description: Option<Text>,
    #[oai(nullable, validator(max_length = 50000))]
    pub description_en: Option<Text>,
    /// The video file(s): MP4 and/or WebM of the same film.
    #[oai(validator(min_items = 1, max_items = 50, minimum(value = "1")))]
    pub video: Vec<i32>,
    #[oai(default, nullable, validator(max_items = 50, minimum(value = "1")))]
    pub poster: Vec<i32>,
    /// WebVTT files; a name with `.en.` is English, otherwise Vietnamese.
    #[oai(default, nullable, validator(max_items = 50, minimum(value = "1")))]
    pub captions: Vec<i32>,
}

entries_api!(
    VideosApi, "Tag::Organisation", VIDEO, VideoFields, VideoView, VideoMoved, VideoCreated, VideoSave,
    list: "/videos", one: "/videos/:id", transitions: "/videos/:id/transitions",
    versions: "/videos/:id/versions", diff: "/videos/:id/diff", import: "/videos/import",
    filters: []
);

entries_api!(
    DirectoryApi, "Tag::Organisation", DIRECTORY_UNIT, DirectoryUnitFields, DirectoryUnitView, DirectoryUnitMoved,
    DirectoryUnitCreated, DirectoryUnitSave,
    list: "/directory", one: "/directory/:id", transitions: "/directory/:id/transitions",
    versions: "/directory/:id/versions", diff: "/directory/:id/diff", import: "/directory/import",
    filters: [group: Keyword<UnitGroups>]
);

entries_api!(
    LeadersApi, "Tag::Organisation", LEADER, LeaderFields, LeaderView, LeaderMoved, LeaderCreated, LeaderSave,
    list: "/leaders", one: "/leaders/:id", transitions: "/leaders/:id/transitions",
    versions: "/leaders/:id/versions", diff: "/leaders/:id/diff", import: "/leaders/import",
    filters: []
);

entries_api!(
    ProjectsApi, "Tag::Organisation", INVESTMENT_PROJECT, InvestmentProjectFields, InvestmentProjectView,
    InvestmentProjectMoved, InvestmentProjectCreated, InvestmentProjectSave,
    list: "/projects", one: "/projects/:id", transitions: "/projects/:id/transitions",
    versions: "/projects/:id/versions", diff: "/projects/:id/diff", import: "/projects/import",
    filters: [status: Keyword<ProjectStatuses>, field: String]
);

entries_api!(
    ResearchTopicsApi, "Tag::Organisation", RESEARCH_TOPIC, ResearchTopicFields, ResearchTopicView, ResearchTopicMoved,
    ResearchTopicCreated, ResearchTopicSave,
    list: "/research-topics", one: "/research-topics/:id", transitions: "/research-topics/:id/transitions",
    versions: "/research-topics/:id/versions", diff: "/research-topics/:id/diff", import: "/research-topics/import",
    filters: [level: Keyword<ResearchLevels>, field: String]
);

entries_api!(
    FinancialReportsApi, "Tag::Organisation", FINANCIAL_REPORT, FinancialReportFields, FinancialReportView,
    FinancialReportMoved, FinancialReportCreated, FinancialReportSave,
    list: "/financial-reports", one: "/financial-reports/:id", transitions: "/financial-reports/:id/transitions",
    versions: "/financial-reports/:id/versions", diff: "/financial-reports/:id/diff", import: "/financial-reports/import",
    filters: [report_type: Keyword<ReportTypes>, year: String]
);

entries_api!(
    LinksApi, "Tag::Organisation", LINK, LinkFields, LinkView, LinkMoved, LinkCreated, LinkSave,
    list: "/links", one: "/links/:id", transitions: "/links/:id/transitions",
    versions: "/links/:id/versions", diff: "/links/:id/diff", import: "/links/import",
    filters: [group: Keyword<LinkGroups>]
);
