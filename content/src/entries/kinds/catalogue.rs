//! The Office's catalogue: procedures and online public services are kept
//! by the Office (Đ7.2d) and published in the Vietnamese edition as soon
//! as a change is approved (Đ14.1); Decree 42/2022/NĐ-CP (which replaced
//! Decree 43/2011, Đ20.1) requires them to follow the National Public
//! Service Portal and classes online services as fully (`toàn trình`) or
//! partly (`một phần`) online.

use super::{Kind, choice, field, line, markdown};
use crate::entries::fields::{Choice, Field, FieldType};
use crate::roles::Role;
use crate::workflow::Policy;

/// The Office keeps the catalogue; an administrator may too.
const OFFICE: &[Role] = &[Role::ProceduresEditor, Role::Admin];

const OFFICE_POLICY: Policy = Policy {
    stewards: OFFICE,
    publishers: OFFICE,
    approval_publishes: true,
};

const TIERS: &[Choice] = &[
    Choice {
        value: "central",
        vi: "Cấp trung ương",
        en: "Central",
    },
    Choice {
        value: "provincial",
        vi: "Cấp tỉnh",
        en: "Provincial",
    },
    Choice {
        value: "local",
        vi: "Cấp xã, huyện",
        en: "Local",
    },
];

const ONLINE_LEVELS: &[Choice] = &[
    Choice {
        value: "full",
        vi: "Toàn trình",
        en: "Fully online",
    },
    Choice {
        value: "partial",
        vi: "Một phần",
        en: "Partly online",
    },
    Choice {
        value: "none",
        vi: "Không trực tuyến",
        en: "Not online",
    },
];

const PROCEDURE_STATUSES: &[Choice] = &[
    Choice {
        value: "in_force",
        vi: "Đang áp dụng",
        en: "In force",
    },
    Choice {
        value: "suspended",
        vi: "Tạm dừng",
        en: "Suspended",
    },
    Choice {
        value: "abolished",
        vi: "Đã bãi bỏ",
        en: "Abolished",
    },
];

/// Administrative procedures (`thủ tục hành chính`): the twelve elements
/// every procedure shows, in the order of the public page.
pub static PROCEDURE: Kind = Kind {
    name: "procedure",
    plural: "procedures",
    vi: "Thủ tục hành chính",
    en: "Administrative procedure",
    sections: &["vi-11"],
    listed_in: &[],
    key: Some("code"),
    title: "name",
    fields: &[
        Field {
            required: true,
            ..field("code", "Mã thủ tục", "Code", FieldType::Code)
        },
        line("name", "Tên thủ tục", "Name", 500, true),
        Field {
            filter: true,
            ..line("field", "Lĩnh vực", "Field", 200, true)
        },
        choice("tier", "Cấp thực hiện", "Tier", TIERS, true),
        line(
            "decision",
            "Quyết định công bố",
            "Announcing decision",
            200,
            false,
        ),
        markdown("steps", "Trình tự thực hiện", "Steps"),
        markdown("methods", "Cách thức thực hiện", "Methods"),
        markdown("dossier", "Thành phần, số lượng hồ sơ", "Dossier"),
        markdown("processing_time", "Thời hạn giải quyết", "Processing time"),
        markdown("applicants", "Đối tượng thực hiện", "Applicants"),
        markdown("agency", "Cơ quan thực hiện", "Implementing agency"),
        markdown("result", "Kết quả thực hiện", "Result"),
        markdown("fees", "Phí, lệ phí", "Fees"),
        markdown("forms", "Tên mẫu đơn, mẫu tờ khai", "Forms"),
        field(
            "form_files",
            "Tệp mẫu đơn, tờ khai",
            "Form files",
            FieldType::Files,
        ),
        markdown("conditions", "Yêu cầu, điều kiện thực hiện", "Conditions"),
        markdown("legal_basis", "Căn cứ pháp lý", "Legal basis"),
        choice(
            "online_level",
            "Mức độ trực tuyến",
            "Online level",
            ONLINE_LEVELS,
            true,
        ),
        field(
            "online_url",
            "Địa chỉ nộp trực tuyến",
            "Online address",
            FieldType::Url,
        ),
        choice("status", "Tình trạng", "Status", PROCEDURE_STATUSES, true),
        field(
            "status_date",
            "Ngày áp dụng tình trạng",
            "Status since",
            FieldType::Date,
        ),
    ],
    derived: &[],
    clock: None,
    inverses: &[],
    editors: OFFICE,
    policy: OFFICE_POLICY,
};

const SERVICE_LEVELS: &[Choice] = &[
    Choice {
        value: "full",
        vi: "Toàn trình",
        en: "Fully online",
    },
    Choice {
        value: "partial",
        vi: "Một phần",
        en: "Partly online",
    },
];

const SERVICE_STATUSES: &[Choice] = &[
    Choice {
        value: "operating",
        vi: "Đang cung cấp",
        en: "Operating",
    },
    Choice {
        value: "suspended",
        vi: "Tạm dừng",
        en: "Suspended",
    },
];

/// Online public services (`dịch vụ công trực tuyến`, Đ14): for each, its
/// function, usage guide and processing flow.
pub static ONLINE_SERVICE: Kind = Kind {
    name: "online_service",
    plural: "online-services",
    vi: "Dịch vụ công trực tuyến",
    en: "Online public service",
    sections: &["vi-12"],
    listed_in: &[],
    key: None,
    title: "name",
    fields: &[
        line("name", "Tên dịch vụ", "Name", 500, true),
        choice("level", "Mức độ", "Level", SERVICE_LEVELS, true),
        field(
            "procedures",
            "Thủ tục hành chính",
            "Procedures",
            FieldType::Refs { kind: "procedure" },
        ),
        markdown("function", "Chức năng", "Function"),
        markdown("guide", "Hướng dẫn sử dụng", "Usage guide"),
        field(
            "flow",
            "Quá trình xử lý",
            "Processing flow",
            FieldType::Lines {
                max_items: 30,
                max: 500,
            },
        ),
        field("url", "Địa chỉ dịch vụ", "Address", FieldType::Url),
        choice("status", "Tình trạng", "Status", SERVICE_STATUSES, true),
    ],
    derived: &[],
    clock: None,
    inverses: &[],
    editors: OFFICE,
    policy: OFFICE_POLICY,
};

const CONTRACT_STATUSES: &[Choice] = &[
    Choice {
        value: "active",
        vi: "Đang hiệu lực",
        en: "Active",
    },
    Choice {
        value: "suspended",
        vi: "Tạm dừng",
        en: "Suspended",
    },
    Choice {
        value: "ended",
        vi: "Đã chấm dứt",
        en: "Ended",
    },
];

/// Providers of I-VAN services connected to VSS's e-transaction gateway
/// (Đ3.6, Đ7.2c, Đ11.2).
pub static IVAN_PROVIDER: Kind = Kind {
    name: "ivan_provider",
    plural: "ivan-providers",
    vi: "Nhà cung cấp dịch vụ I-VAN",
    en: "I-VAN provider",
    sections: &["vi-12"],
    listed_in: &[],
    key: None,
    title: "name",
    fields: &[
        line("name", "Tên nhà cung cấp", "Name", 300, true),
        choice(
            "contract_status",
            "Tình trạng hợp đồng",
            "Contract status",
            CONTRACT_STATUSES,
            true,
        ),
        line("contact", "Liên hệ", "Contact", 500, false),
        field(
            "service_url",
            "Địa chỉ dịch vụ",
            "Service address",
            FieldType::Url,
        ),
    ],
    derived: &[],
    clock: None,
    inverses: &[],
    editors: OFFICE,
    policy: OFFICE_POLICY,
};
