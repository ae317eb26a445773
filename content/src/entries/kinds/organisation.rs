//! The organisation and its work: the directory of units with their
//! leaders and contacts (section 8, section 1 items; Đ11.1a, Đ11.1h), the
//! leadership (Đ11.1b), investment projects (section 9, Đ11.1g), research
//! topics (section 13, Đ11.1e) and links to other portals (Đ3.5, Đ12).
//! Decree 42/2022/NĐ-CP art. 7 asks for English versions of the
//! organisation, its functions and contacts: a field `x_en` is the English
//! version of `x`, shown on the English edition's pages.

use super::{EDITORIAL_KIND, Kind, c, choice, field, filtered, line, markdown, required};
use crate::entries::fields::{Choice, FieldType};

const UNIT_GROUPS: &[Choice] = &[
    c("leadership", "Lãnh đạo Bảo hiểm xã hội Việt Nam", "Leadership"),
    c("department", "Đơn vị giúp việc", "Departments"),
    c("affiliated", "Đơn vị sự nghiệp trực thuộc", "Affiliated units"),
    c("regional", "Bảo hiểm xã hội khu vực", "Regional offices"),
    c(
        "provincial",
        "Bảo hiểm xã hội tỉnh, thành phố",
        "Provincial offices",
    ),
];

/// A unit of the phone directory and the organisation chart.
pub static DIRECTORY_UNIT: Kind = Kind {
    name: "directory_unit",
    plural: "directory",
    vi: "Danh bạ đơn vị",
    en: "Directory",
    sections: &["vi-08"],
    listed_in: &["vi-01-04", "en-01-05", "en-07"],
    title: "name",
    fields: &[
        line("name", "Tên đơn vị", "Name", 300, true),
        line("name_en", "Tên tiếng Anh", "Name in English", 300, false),
        choice("group", "Khối", "Group", UNIT_GROUPS, true),
        line("order", "Thứ tự", "Order", 10, false),
        line("address", "Địa chỉ", "Address", 500, false),
        line(
            "address_en",
            "Địa chỉ (tiếng Anh)",
            "Address in English",
            500,
            false,
        ),
        line("phone", "Điện thoại", "Phone", 100, false),
        line("fax", "Fax", "Fax", 100, false),
        line("email", "Thư điện tử", "E-mail", 200, false),
        field("website", "Trang thông tin", "Website", FieldType::Url),
        markdown("functions", "Chức năng, nhiệm vụ", "Functions"),
        markdown(
            "functions_en",
            "Chức năng, nhiệm vụ (tiếng Anh)",
            "Functions in English",
        ),
        field(
            "leaders",
            "Lãnh đạo đơn vị",
            "Leaders",
            FieldType::Contacts { max_items: 20 },
        ),
        field(
            "department_heads",
            "Trưởng các phòng",
            "Heads of departments",
            FieldType::Contacts { max_items: 60 },
        ),
    ],
    ..EDITORIAL_KIND
};

/// A leader of Vietnam Social Security (Đ11.1b): photo, title, portfolio,
/// biography; bilingual.
pub static LEADER: Kind = Kind {
    name: "leader",
    plural: "leaders",
    vi: "Lãnh đạo",
    en: "Leadership",
    sections: &["vi-01-02"],
    title: "name",
    fields: &[
        line("name", "Họ và tên", "Name", 200, true),
        line("title", "Chức vụ", "Title", 300, true),
        line("title_en", "Chức vụ (tiếng Anh)", "Title in English", 300, false),
        line("order", "Thứ tự", "Order", 10, false),
        field("photo", "Ảnh", "Photo", FieldType::Files),
        field("appointed_on", "Ngày bổ nhiệm", "Appointed on", FieldType::Date),
        markdown("portfolio", "Lĩnh vực phụ trách", "Portfolio"),
        markdown(
            "portfolio_en",
            "Lĩnh vực phụ trách (tiếng Anh)",
            "Portfolio in English",
        ),
        markdown("biography", "Tiểu sử", "Biography"),
        markdown("biography_en", "Tiểu sử (tiếng Anh)", "Biography in English"),
    ],
    ..EDITORIAL_KIND
};

const PROJECT_STATUSES: &[Choice] = &[
    c("preparing", "Chuẩn bị đầu tư", "Preparing"),
    c("in_progress", "Đang thực hiện", "In progress"),
    c("completed", "Đã hoàn thành", "Completed"),
];

/// Investment projects (section 9; Đ11.1g).
pub static INVESTMENT_PROJECT: Kind = Kind {
    name: "investment_project",
    plural: "projects",
    vi: "Dự án đầu tư",
    en: "Investment project",
    sections: &["vi-09"],
    title: "name",
    fields: &[
        line("name", "Tên dự án", "Name", 500, true),
        choice("status", "Tình trạng", "Status", PROJECT_STATUSES, true),
        filtered(line("field", "Lĩnh vực", "Field", 200, false)),
        filtered(line("project_type", "Loại dự án", "Type", 200, false)),
        markdown("objective", "Mục tiêu", "Objective"),
        line("duration", "Thời gian thực hiện", "Duration", 200, false),
        line("budget", "Tổng mức đầu tư", "Budget", 200, false),
        line("funding_source", "Nguồn vốn", "Funding source", 200, false),
        markdown("tenders", "Thông tin đấu thầu", "Tenders"),
        field("files", "Tệp", "Files", FieldType::Files),
    ],
    ..EDITORIAL_KIND
};

const RESEARCH_LEVELS: &[Choice] = &[
    c("state", "Cấp Nhà nước", "National"),
    c("ministry", "Cấp Bộ", "Ministerial"),
    c("sector", "Cấp ngành", "Sectoral"),
    c("grassroots", "Cấp cơ sở", "Grassroots"),
];

/// Research topics (section 13; Đ11.1e), with their results once accepted.
pub static RESEARCH_TOPIC: Kind = Kind {
    name: "research_topic",
    plural: "research-topics",
    vi: "Đề tài khoa học",
    en: "Research topic",
    sections: &["vi-13"],
    key: Some("code"),
    title: "name",
    fields: &[
        required(field("code", "Mã số", "Code", FieldType::Code)),
        line("name", "Tên đề tài", "Name", 500, true),
        choice("level", "Cấp quản lý", "Management level", RESEARCH_LEVELS, true),
        filtered(line("field", "Lĩnh vực", "Field", 200, false)),
        line("lead_unit", "Đơn vị chủ trì", "Lead unit", 300, false),
        line(
            "lead_researcher",
            "Chủ nhiệm đề tài",
            "Lead researcher",
            200,
            false,
        ),
        line("duration", "Thời gian thực hiện", "Duration", 200, false),
        field("accepted_on", "Ngày nghiệm thu", "Accepted on", FieldType::Date),
        markdown("summary", "Tóm tắt", "Summary"),
        markdown("results", "Kết quả nghiên cứu", "Results"),
        field("report_files", "Báo cáo kết quả", "Reports", FieldType::Files),
    ],
    ..EDITORIAL_KIND
};

const LINK_GROUPS: &[Choice] = &[
    c("government", "Chính phủ", "Government"),
    c("public_services", "Dịch vụ công", "Public services"),
    c("ministries", "Bộ, ngành", "Ministries"),
    c(
        "provincial",
        "Bảo hiểm xã hội các tỉnh",
        "Provincial social security",
    ),
    c("international", "Tổ chức quốc tế", "International organisations"),
    c("other", "Khác", "Other"),
];

/// Links to other portals (Đ3.5, Đ12), checked every week.
pub static LINK: Kind = Kind {
    name: "link",
    plural: "links",
    vi: "Liên kết",
    en: "Website link",
    sections: &["en-09"],
    title: "name",
    fields: &[
        line("name", "Tên", "Name", 300, true),
        line("name_en", "Tên tiếng Anh", "Name in English", 300, false),
        required(field("url", "Địa chỉ", "Address", FieldType::Url)),
        choice("group", "Nhóm", "Group", LINK_GROUPS, true),
        field("logo", "Biểu trưng", "Logo", FieldType::Files),
        line("description", "Mô tả", "Description", 500, false),
        line(
            "description_en",
            "Mô tả (tiếng Anh)",
            "Description in English",
            500,
            false,
        ),
    ],
    ..EDITORIAL_KIND
};

/// A photo gallery or a set of posters (English sections "Gallery" and
/// "Posters"): photos of the media library, each shown with its caption
/// and credit (the credit names the photographer whose royalty follows).
pub static GALLERY: Kind = Kind {
    name: "gallery",
    plural: "galleries",
    vi: "Tin ảnh",
    en: "Gallery",
    sections: &["en-02-04", "en-11"],
    title: "title",
    fields: &[
        line("title", "Tiêu đề", "Title", 300, true),
        line("title_en", "Tiêu đề (tiếng Anh)", "Title in English", 300, false),
        field("taken_on", "Ngày chụp", "Date", FieldType::Date),
        markdown("description", "Mô tả", "Description"),
        markdown("description_en", "Mô tả (tiếng Anh)", "Description in English"),
        required(field("photos", "Ảnh", "Photos", FieldType::Files)),
    ],
    ..EDITORIAL_KIND
};

/// A video (English section "VSS Introduction Video clip"): an MP4 or
/// WebM file of the library played by the browser's own player, with a
/// poster image and WebVTT captions; no third-party player or tracker.
pub static VIDEO: Kind = Kind {
    name: "video",
    plural: "videos",
    vi: "Phim phóng sự",
    en: "Video",
    sections: &["en-10"],
    title: "title",
    fields: &[
        line("title", "Tiêu đề", "Title", 300, true),
        line("title_en", "Tiêu đề (tiếng Anh)", "Title in English", 300, false),
        markdown("description", "Mô tả", "Description"),
        markdown("description_en", "Mô tả (tiếng Anh)", "Description in English"),
        required(field(
            "video",
            "Tệp video (MP4, WebM)",
            "Video file (MP4, WebM)",
            FieldType::Files,
        )),
        field("poster", "Ảnh đại diện", "Poster image", FieldType::Files),
        field(
            "captions",
            "Phụ đề (WebVTT)",
            "Captions (WebVTT)",
            FieldType::Files,
        ),
    ],
    ..EDITORIAL_KIND
};
