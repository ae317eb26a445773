//! The Office's catalogue over the API (Đ7.2d, Đ14): administrative
//! procedures, online public services and I-VAN providers. Each kind's
//! fields are an object here, with the limits of its declaration in
//! `content::entries::kinds`; the operations are [`entries_api!`]'s.

use content::entries::{IVAN_PROVIDER, ONLINE_SERVICE, PROCEDURE};
use poem_openapi::Object;

use super::Tag;
use super::entries::{choice_lists, entries_api};
use super::types::{Day, Keyword, Line, Text};
use crate::body_limit::allow_import;

choice_lists! {
    Tiers => "ProcedureTier", PROCEDURE."tier";
    OnlineLevels => "ProcedureOnlineLevel", PROCEDURE."online_level";
    ProcedureStatuses => "ProcedureStatus", PROCEDURE."status";
    ServiceLevels => "OnlineServiceLevel", ONLINE_SERVICE."level";
    ServiceStatuses => "OnlineServiceStatus", ONLINE_SERVICE."status";
    ContractStatuses => "IvanContractStatus", IVAN_PROVIDER."contract_status";
}

/// An administrative procedure: the national code, its name, field and
/// tier, the announcing decision, the twelve elements (Markdown), the
/// forms to download, how far it is online, and its status.
#[derive(Object)]
pub struct ProcedureFields {
    /// The national database code, e.g. `1.000123`; unique.
    #[oai(validator(pattern = r"^[0-9A-Za-z][0-9A-Za-z._/-]{0,49}$"))]
    pub code: Text,
    #[oai(validator(max_length = 500))]
    pub name: Line,
    /// The field (lĩnh vực), e.g. `Thu bảo hiểm xã hội`.
    #[oai(validator(max_length = 200))]
    pub field: Line,
    pub tier: Keyword<Tiers>,
    /// The decision that announced it, e.g. `123/QĐ-BHXH`.
    #[oai(nullable, validator(max_length = 200))]
    pub decision: Option<Text>,
    /// Trình tự thực hiện.
    #[oai(nullable, validator(max_length = 50000))]
    pub steps: Option<Text>,
    /// Cách thức thực hiện: channels, with time and fee per channel.
    #[oai(nullable, validator(max_length = 50000))]
    pub methods: Option<Text>,
    /// Thành phần, số lượng hồ sơ.
    #[oai(nullable, validator(max_length = 50000))]
    pub dossier: Option<Text>,
    /// Thời hạn giải quyết.
    #[oai(nullable, validator(max_length = 50000))]
    pub processing_time: Option<Text>,
    /// Đối tượng thực hiện.
    #[oai(nullable, validator(max_length = 50000))]
    pub applicants: Option<Text>,
    /// Cơ quan thực hiện.
    #[oai(nullable, validator(max_length = 50000))]
    pub agency: Option<Text>,
    /// Kết quả thực hiện.
    #[oai(nullable, validator(max_length = 50000))]
    pub result: Option<Text>,
    /// Phí, lệ phí.
    #[oai(nullable, validator(max_length = 50000))]
    pub fees: Option<Text>,
    /// Tên mẫu đơn, mẫu tờ khai.
    #[oai(nullable, validator(max_length = 50000))]
    pub forms: Option<Text>,
    /// The forms themselves: files of the media library, for download.
    #[oai(default, nullable, validator(max_items = 50, minimum(value = "1")))]
    pub form_files: Vec<i32>,
    /// Yêu cầu, điều kiện thực hiện.
    #[oai(nullable, validator(max_length = 50000))]
    pub conditions: Option<Text>,
    /// Căn cứ pháp lý.
    #[oai(nullable, validator(max_length = 50000))]
    pub legal_basis: Option<Text>,
    pub online_level: Keyword<OnlineLevels>,
    /// Its page on the National Public Service Portal or VSS's
    /// e-transaction portal.
    #[oai(
        nullable,
        validator(pattern = r"^https?://[^\s\x00-\x1F\x7F-\x9F]+$", max_length = 500)
    )]
    pub online_url: Option<Text>,
    pub status: Keyword<ProcedureStatuses>,
    /// Since when the status applies.
    #[oai(nullable)]
    pub status_date: Option<Day>,
}

/// An online public service: its level, the procedures it serves, its
/// function, usage guide and processing flow (Đ14.1).
#[derive(Object)]
pub struct OnlineServiceFields {
    #[oai(validator(max_length = 500))]
    pub name: Line,
    pub level: Keyword<ServiceLevels>,
    /// Codes of the procedures it serves.
    #[oai(
        default,
        nullable,
        validator(max_items = 100, pattern = r"^[0-9A-Za-z][0-9A-Za-z._/-]{0,49}$")
    )]
    pub procedures: Vec<Text>,
    /// Chức năng (Markdown).
    #[oai(nullable, validator(max_length = 50000))]
    pub function: Option<Text>,
    /// Hướng dẫn sử dụng (Markdown, with screenshots from the library).
    #[oai(nullable, validator(max_length = 50000))]
    pub guide: Option<Text>,
    /// Quá trình xử lý: the stages, in order.
    #[oai(default, nullable, validator(max_items = 30, max_length = 500))]
    pub flow: Vec<Text>,
    #[oai(
        nullable,
        validator(pattern = r"^https?://[^\s\x00-\x1F\x7F-\x9F]+$", max_length = 500)
    )]
    pub url: Option<Text>,
    pub status: Keyword<ServiceStatuses>,
}

/// A provider of I-VAN services connected to VSS's e-transaction gateway
/// (Đ3.6, Đ7.2c).
#[derive(Object)]
pub struct IvanProviderFields {
    #[oai(validator(max_length = 300))]
    pub name: Line,
    pub contract_status: Keyword<ContractStatuses>,
    #[oai(nullable, validator(max_length = 500))]
    pub contact: Option<Text>,
    #[oai(
        nullable,
        validator(pattern = r"^https?://[^\s\x00-\x1F\x7F-\x9F]+$", max_length = 500)
    )]
    pub service_url: Option<Text>,
}

entries_api!(
    ProceduresApi, "Tag::Catalogue", PROCEDURE, ProcedureFields, ProcedureView, ProcedureMoved, ProcedureCreated,
    ProcedureSave,
    list: "/procedures", one: "/procedures/:id", transitions: "/procedures/:id/transitions",
    versions: "/procedures/:id/versions", diff: "/procedures/:id/diff", import: "/procedures/import",
    filters: [field: String, tier: Keyword<Tiers>, online_level: Keyword<OnlineLevels>, status: Keyword<ProcedureStatuses>]
);

entries_api!(
    OnlineServicesApi, "Tag::Catalogue", ONLINE_SERVICE, OnlineServiceFields, OnlineServiceView, OnlineServiceMoved,
    OnlineServiceCreated, OnlineServiceSave,
    list: "/online-services", one: "/online-services/:id", transitions: "/online-services/:id/transitions",
    versions: "/online-services/:id/versions", diff: "/online-services/:id/diff", import: "/online-services/import",
    filters: [level: Keyword<ServiceLevels>, status: Keyword<ServiceStatuses>]
);

entries_api!(
    IvanProvidersApi, "Tag::Catalogue", IVAN_PROVIDER, IvanProviderFields, IvanProviderView, IvanProviderMoved,
    IvanProviderCreated, IvanProviderSave,
    list: "/ivan-providers", one: "/ivan-providers/:id", transitions: "/ivan-providers/:id/transitions",
    versions: "/ivan-providers/:id/versions", diff: "/ivan-providers/:id/diff", import: "/ivan-providers/import",
    filters: [contract_status: Keyword<ContractStatuses>]
);
