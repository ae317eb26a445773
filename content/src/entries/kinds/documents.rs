//! Documents: legal documents (sections 3 and 4, English 5), drafts put
//! to public consultation (section 15, Đ11.1a "Dự thảo văn bản xin ý
//! kiến") and financial disclosure (section 14). Decree 42/2022/NĐ-CP art.
//! 4 (which replaced Decree 43/2011, Đ20.1) requires form, issuer, number
//! and symbol, issue date, effective date, abstract and a downloadable
//! file for each legal document.

use super::{Clock, EDITORIAL_KIND, Inverse, Kind, c, choice, field, filtered, line, markdown, required};
use crate::entries::fields::{Choice, Field, FieldType};

const FORMS: &[Choice] = &[
    c("law", "Luật", "Law"),
    c("ordinance", "Pháp lệnh", "Ordinance"),
    c("resolution", "Nghị quyết", "Resolution"),
    c("decree", "Nghị định", "Decree"),
    c("decision", "Quyết định", "Decision"),
    c("circular", "Thông tư", "Circular"),
    c("joint_circular", "Thông tư liên tịch", "Joint circular"),
    c("directive", "Chỉ thị", "Directive"),
    c("official_letter", "Công văn", "Official letter"),
    c("guidance", "Hướng dẫn", "Guidance"),
    c("plan", "Kế hoạch", "Plan"),
    c("other", "Văn bản khác", "Other"),
];

/// The status of a legal document. Editors may declare a document partly
/// expired or expired; the dates and the documents replacing it decide
/// the rest ([`crate::entries::clock`]).
pub(crate) const DOCUMENT_STATUSES: &[Choice] = &[
    c("not_yet_in_force", "Chưa có hiệu lực", "Not yet in force"),
    c("in_force", "Còn hiệu lực", "In force"),
    c("partly_expired", "Hết hiệu lực một phần", "Partly expired"),
    c("expired", "Hết hiệu lực", "Expired"),
];

const fn refs(name: &'static str, vi: &'static str, en: &'static str) -> Field {
    field(
        name,
        vi,
        en,
        FieldType::Refs {
            kind: "legal_document",
        },
    )
}

/// Legal documents (`văn bản`), keyed by their number and symbol.
pub static LEGAL_DOCUMENT: Kind = Kind {
    name: "legal_document",
    plural: "documents",
    vi: "Văn bản",
    en: "Legal document",
    sections: &["vi-03", "vi-03-01", "vi-03-02", "vi-04", "en-05"],
    key: Some("number"),
    title: "title",
    fields: &[
        field("section_id", "Chuyên mục", "Section", FieldType::Section),
        required(field("number", "Số ký hiệu", "Number", FieldType::Number)),
        line("title", "Tên văn bản", "Title", 500, true),
        choice("form", "Hình thức văn bản", "Form", FORMS, true),
        filtered(line("issuer", "Cơ quan ban hành", "Issuer", 200, true)),
        line("signer", "Người ký", "Signer", 200, false),
        required(field("issued_on", "Ngày ban hành", "Issued on", FieldType::Date)),
        field(
            "effective_from",
            "Ngày có hiệu lực",
            "Effective from",
            FieldType::Date,
        ),
        Field {
            filter: false,
            ..choice(
                "status",
                "Tình trạng hiệu lực",
                "Status",
                DOCUMENT_STATUSES,
                false,
            )
        },
        field("expired_on", "Ngày hết hiệu lực", "Expired on", FieldType::Date),
        filtered(line("field", "Lĩnh vực", "Field", 200, false)),
        markdown("summary", "Trích yếu", "Summary"),
        field("files", "Tệp văn bản", "Files", FieldType::Files),
        refs("replaces", "Thay thế văn bản", "Replaces"),
        refs("replaced_by", "Được thay thế bởi", "Replaced by"),
        refs("amends", "Sửa đổi, bổ sung văn bản", "Amends"),
        refs("amended_by", "Được sửa đổi, bổ sung bởi", "Amended by"),
        refs("guides", "Hướng dẫn văn bản", "Guides"),
        Field {
            ty: FieldType::Markdown { max: 500_000 },
            ..markdown("full_text", "Toàn văn", "Full text")
        },
    ],
    derived: &[
        choice(
            "status",
            "Tình trạng hiệu lực",
            "Status",
            DOCUMENT_STATUSES,
            false,
        ),
        filtered(line("year", "Năm ban hành", "Year", 4, false)),
    ],
    clock: Some(Clock::InForce),
    inverses: &[
        Inverse {
            of: "replaces",
            joins: Some("replaced_by"),
            vi: "Được thay thế bởi",
            en: "Replaced by",
        },
        Inverse {
            of: "replaced_by",
            joins: Some("replaces"),
            vi: "Thay thế văn bản",
            en: "Replaces",
        },
        Inverse {
            of: "amends",
            joins: Some("amended_by"),
            vi: "Được sửa đổi, bổ sung bởi",
            en: "Amended by",
        },
        Inverse {
            of: "amended_by",
            joins: Some("amends"),
            vi: "Sửa đổi, bổ sung văn bản",
            en: "Amends",
        },
        Inverse {
            of: "guides",
            joins: None,
            vi: "Được hướng dẫn bởi",
            en: "Guided by",
        },
    ],
    ..EDITORIAL_KIND
};

pub(crate) const WINDOW_STATUSES: &[Choice] = &[
    c("upcoming", "Sắp lấy ý kiến", "Upcoming"),
    c("open", "Đang lấy ý kiến", "Open for comments"),
    c("closed", "Đã hết hạn lấy ý kiến", "Closed"),
];

/// Drafts put to public consultation: open for comments between
/// `opens_at` and `closes_at`, set by the drafting unit as the leadership
/// decides; after closing the unit publishes its response (báo cáo tiếp
/// thu, giải trình).
pub static CONSULTATION: Kind = Kind {
    name: "consultation",
    plural: "consultations",
    vi: "Dự thảo lấy ý kiến",
    en: "Draft for comment",
    sections: &["vi-15"],
    title: "title",
    fields: &[
        line("title", "Tên dự thảo", "Title", 500, true),
        markdown("summary", "Tóm tắt", "Summary"),
        Field {
            ty: FieldType::Markdown { max: 500_000 },
            ..markdown("body", "Nội dung dự thảo", "Draft text")
        },
        required(field(
            "drafting_unit_id",
            "Đơn vị chủ trì soạn thảo",
            "Drafting unit",
            FieldType::Unit,
        )),
        required(field(
            "opens_at",
            "Bắt đầu lấy ý kiến",
            "Opens at",
            FieldType::Moment,
        )),
        required(field(
            "closes_at",
            "Kết thúc lấy ý kiến",
            "Closes at",
            FieldType::Moment,
        )),
        field("files", "Tệp dự thảo", "Files", FieldType::Files),
        markdown("response", "Báo cáo tiếp thu, giải trình", "Response to comments"),
        field(
            "response_files",
            "Tệp báo cáo tiếp thu, giải trình",
            "Response files",
            FieldType::Files,
        ),
    ],
    derived: &[choice(
        "status",
        "Tình trạng lấy ý kiến",
        "Consultation status",
        WINDOW_STATUSES,
        false,
    )],
    clock: Some(Clock::Window),
    inverses: &[],
    ..EDITORIAL_KIND
};

const REPORT_TYPES: &[Choice] = &[
    c("estimate", "Dự toán ngân sách", "Budget estimate"),
    c("settlement", "Quyết toán", "Settlement"),
    c("financial_statement", "Báo cáo tài chính", "Financial statement"),
    c("other", "Khác", "Other"),
];

/// Financial disclosure (section 14; Decree 42/2022 art. 4): estimates,
/// settlements and statements with their period, issuing unit and files,
/// listed by year.
pub static FINANCIAL_REPORT: Kind = Kind {
    name: "financial_report",
    plural: "financial-reports",
    vi: "Công khai tài chính",
    en: "Financial disclosure",
    sections: &["vi-14"],
    title: "title",
    fields: &[
        line("title", "Tên tài liệu", "Title", 500, true),
        choice("report_type", "Loại", "Type", REPORT_TYPES, true),
        filtered(line("year", "Năm", "Year", 4, true)),
        line("period", "Kỳ báo cáo", "Period", 100, false),
        line("issuing_unit", "Đơn vị công bố", "Issuing unit", 200, false),
        field("issued_on", "Ngày công bố", "Issued on", FieldType::Date),
        markdown("summary", "Tóm tắt", "Summary"),
        field("files", "Tệp", "Files", FieldType::Files),
    ],
    ..EDITORIAL_KIND
};
