//! The section catalogue of the regulation's appendix (Đ3.3–3.4, Đ7.1a):
//! 17 sections of the Vietnamese edition and 13 of the English one, with
//! their items. Each entry is (Vietnamese name, English name, owner unit,
//! items as (Vietnamese name, English name)).

use crate::units::codes::*;

pub type Item = (&'static str, &'static str);
pub type Section = (&'static str, &'static str, &'static str, &'static [Item]);

pub const VI: &[Section] = &[
    (
        "Giới thiệu Bảo hiểm xã hội Việt Nam",
        "About Vietnam Social Security",
        COMMUNICATION_CENTRE,
        &[
            ("Hội đồng quản lý", "Management Board"),
            (
                "Lãnh đạo Bảo hiểm xã hội Việt Nam",
                "Leadership of Vietnam Social Security",
            ),
            (
                "Nhiệm vụ, quyền hạn của Bảo hiểm xã hội Việt Nam",
                "Duties and powers of Vietnam Social Security",
            ),
            (
                "Tổ chức bộ máy của Bảo hiểm xã hội Việt Nam",
                "Organisational structure of Vietnam Social Security",
            ),
            ("Lịch sử hình thành, phát triển", "History and development"),
        ],
    ),
    ("Tin tức", "News", COMMUNICATION_CENTRE, &[]),
    (
        "Hệ thống văn bản",
        "Legal documents",
        COMMUNICATION_CENTRE,
        &[
            ("Văn bản pháp quy", "Legal normative documents"),
            (
                "Văn bản của Bảo hiểm xã hội Việt Nam",
                "Documents of Vietnam Social Security",
            ),
        ],
    ),
    (
        "Chỉ đạo, điều hành",
        "Direction and administration",
        COMMUNICATION_CENTRE,
        &[],
    ),
    (
        "PBGDPL (phổ biến, giáo dục pháp luật)",
        "Legal dissemination and education",
        COMMUNICATION_CENTRE,
        &[],
    ),
    (
        "Hỏi - đáp",
        "Questions and answers",
        SUPPORT_CENTRE,
        &[
            ("Câu hỏi tổng hợp", "General questions"),
            ("Bảo hiểm xã hội", "Social insurance"),
            ("Bảo hiểm y tế", "Health insurance"),
            ("Bảo hiểm thất nghiệp", "Unemployment insurance"),
        ],
    ),
    (
        "Diễn đàn nghiệp vụ",
        "Professional forum",
        COMMUNICATION_CENTRE,
        &[],
    ),
    ("Danh bạ điện thoại", "Phone directory", OFFICE, &[]),
    (
        "Các dự án đầu tư",
        "Investment projects",
        CONSTRUCTION_PROJECT_BOARD,
        &[],
    ),
    (
        "Hội nhập và hợp tác",
        "Integration and cooperation",
        INTERNATIONAL_COOPERATION,
        &[],
    ),
    (
        "Thủ tục hành chính Bảo hiểm xã hội",
        "Social security administrative procedures",
        OFFICE,
        &[],
    ),
    (
        "Dịch vụ công trực tuyến và Giao dịch điện tử",
        "Online public services and electronic transactions",
        OFFICE,
        &[],
    ),
    (
        "Công bố đề tài khoa học",
        "Scientific research topics",
        SOCIAL_SECURITY_INSTITUTE,
        &[],
    ),
    (
        "Công khai tài chính",
        "Financial disclosure",
        COMMUNICATION_CENTRE,
        &[],
    ),
    (
        "Đóng góp ý kiến dự thảo văn bản",
        "Comments on draft documents",
        COMMUNICATION_CENTRE,
        &[],
    ),
    (
        "Đề xuất, kiến nghị với Ngành Bảo hiểm xã hội Việt Nam",
        "Proposals and petitions to Vietnam Social Security",
        SUPPORT_CENTRE,
        &[],
    ),
    (
        "Số liệu thống kê Ngành Bảo hiểm xã hội Việt Nam",
        "Statistics of Vietnam Social Security",
        COMMUNICATION_CENTRE,
        &[],
    ),
];

/// The English edition. Since 2025 the Office owns its external information
/// (VSS Office functions 2025, item 2.11).
pub const EN: &[Section] = &[
    (
        "Giới thiệu về Bảo hiểm xã hội Việt Nam",
        "About us",
        OFFICE,
        &[
            ("Thông điệp của Tổng Giám đốc", "Director General's Message"),
            ("Tầm nhìn", "Vision"),
            ("Chức năng nhiệm vụ", "Duties and Responsibilities"),
            ("Lịch sử hình thành, phát triển", "History Development"),
            (
                "Tổ chức bộ máy của Bảo hiểm xã hội Việt Nam",
                "Organizational Structure",
            ),
        ],
    ),
    (
        "Tin tức",
        "News",
        OFFICE,
        &[
            (
                "Tin tức Bảo hiểm xã hội Việt Nam",
                "Viet Nam Social Security News",
            ),
            ("Tin ASXH quốc tế", "International Social Security News"),
            ("Tin tức đối ngoại", "External Information"),
            ("Tin ảnh, phóng sự", "Gallery"),
        ],
    ),
    (
        "Nghiên cứu và Thống kê",
        "Research and Statistics",
        OFFICE,
        &[
            ("Nghiên cứu chuyên sâu", "Research"),
            ("Các số liệu thống kê", "Statistics"),
            ("Các thông tin chuyên ngành khác liên quan", "Others"),
        ],
    ),
    (
        "Giới thiệu về các chế độ bảo hiểm",
        "Benefits",
        OFFICE,
        &[
            ("Giới thiệu chung về Chế độ ốm, đau", "Sickness"),
            ("Giới thiệu chung về Chế độ thai sản", "Maternity"),
            (
                "Giới thiệu chung về Chế độ tai nạn lao động và bệnh nghề nghiệp",
                "Work injury and Occupational diseases",
            ),
            ("Giới thiệu chung về Chế độ hưu trí", "Old-age"),
            ("Giới thiệu chung về Chế độ tử tuất", "Survivors"),
            ("Giới thiệu chung về Chế độ bảo hiểm thất nghiệp", "Unemployment"),
            (
                "Giới thiệu chung về Chế độ bảo hiểm y tế",
                "Medical benefit (Healthcare insurance)",
            ),
            ("Mẫu xác nhận chế độ", "Certificate of Coverage"),
        ],
    ),
    ("Văn bản quy phạm pháp luật", "Legal Documents", OFFICE, &[]),
    ("Các câu hỏi thường gặp", "FAQs", SUPPORT_CENTRE, &[]),
    ("Liên hệ", "Contact Us", OFFICE, &[]),
    (
        "Thông tin đối ngoại theo chuyên đề",
        "External Information by topics",
        OFFICE,
        &[],
    ),
    ("Các tổ chức liên quan", "Website links", OFFICE, &[]),
    (
        "Phim phóng sự giới thiệu Bảo hiểm xã hội Việt Nam",
        "VSS Introduction Video clip",
        OFFICE,
        &[],
    ),
    ("Tranh cổ động", "Posters", OFFICE, &[]),
    ("Dịch vụ khách hàng", "Call Center", SUPPORT_CENTRE, &[]),
    ("Thành viên đăng nhập", "Member login", IT_CENTRE, &[]),
];
