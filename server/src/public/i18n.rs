//! The public site's strings, Vietnamese and English.

use std::collections::BTreeMap;

/// (key, Vietnamese, English).
const STRINGS: &[(&str, &str, &str)] = &[
    (
        "portal",
        "Cổng Thông tin điện tử Bảo hiểm xã hội Việt Nam",
        "Vietnam Social Security e-portal",
    ),
    ("agency", "Bảo hiểm xã hội Việt Nam", "Vietnam Social Security"),
    (
        "agency_full",
        "Bảo hiểm xã hội Việt Nam",
        "Vietnam Social Security",
    ),
    (
        "logo",
        "Biểu trưng Bảo hiểm xã hội Việt Nam",
        "Logo of Vietnam Social Security",
    ),
    ("skip", "Bỏ qua, đến nội dung chính", "Skip to main content"),
    ("other_edition", "English", "Tiếng Việt"),
    ("main_menu", "Trình đơn chính", "Main menu"),
    ("home", "Trang chủ", "Home"),
    ("sitemap", "Sơ đồ cổng thông tin", "Sitemap"),
    ("sitemap_slug", "so-do-cong-thong-tin", "sitemap"),
    ("search", "Tìm kiếm", "Search"),
    ("search_slug", "tim-kiem", "search"),
    ("search_label", "Tìm kiếm trên Cổng", "Search the portal"),
    (
        "search_placeholder",
        "Ví dụ: bảo hiểm thất nghiệp",
        "e.g. unemployment insurance",
    ),
    ("breadcrumbs", "Vị trí trang", "Breadcrumbs"),
    ("responsible", "Chịu trách nhiệm chính", "Responsible"),
    ("address", "Địa chỉ", "Address"),
    ("phone", "Điện thoại", "Telephone"),
    ("email", "Thư điện tử", "E-mail"),
    ("contact", "Liên hệ", "Contact"),
    ("contact_slug", "lien-he", "contact"),
    ("quick_links", "Truy cập nhanh", "Quick links"),
    ("featured", "Tin nổi bật", "Featured"),
    ("latest", "Tin mới nhất", "Latest news"),
    ("no_posts", "Chưa có bài viết.", "No posts yet."),
    ("items", "Các mục", "Items"),
    ("posts", "Bài viết", "Posts"),
    ("pagination", "Phân trang", "Pagination"),
    ("previous", "Trang trước", "Previous page"),
    ("next", "Trang sau", "Next page"),
    ("page", "Trang", "Page"),
    ("published", "Đăng ngày", "Published"),
    ("updated", "cập nhật", "updated"),
    ("photo", "Ảnh", "Photo"),
    ("attachments", "Tệp đính kèm", "Attachments"),
    ("author", "Tác giả", "Author"),
    ("source", "Nguồn", "Source"),
    ("tags", "Từ khóa", "Tags"),
    ("print", "Bản in", "Print view"),
    ("related", "Tin cùng chuyên mục", "More in this section"),
    ("back_home", "Về trang chủ", "Back to the home page"),
    ("not_found", "Không tìm thấy trang", "Page not found"),
    (
        "not_found_text",
        "Trang bạn tìm không có hoặc đã được chuyển đi.",
        "The page you asked for does not exist or has moved.",
    ),
    ("gone", "Bài viết đã được gỡ", "This article was withdrawn"),
    (
        "gone_text",
        "Bài viết này đã được gỡ khỏi Cổng Thông tin điện tử.",
        "This article has been withdrawn from the portal.",
    ),
    ("introduction", "Giới thiệu", "About us"),
    (
        "online_services",
        "Dịch vụ công trực tuyến",
        "Online public services",
    ),
    ("qa", "Hỏi - đáp", "FAQs"),
    ("legal_docs", "Văn bản", "Legal documents"),
];

/// The strings of one edition, by key.
pub fn strings(lang: &str) -> BTreeMap<&'static str, &'static str> {
    STRINGS
        .iter()
        .map(|(k, vi, en)| (*k, if lang == "en" { *en } else { *vi }))
        .collect()
}

/// One string.
pub fn text(lang: &str, key: &str) -> &'static str {
    STRINGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, vi, en)| if lang == "en" { *en } else { *vi })
        .unwrap_or("")
}
