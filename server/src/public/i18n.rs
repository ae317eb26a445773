//! The public site's strings, Vietnamese and English.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use content::lang::{Lang, Strings};

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
    ("search_results", "Kết quả tìm kiếm", "Search results"),
    ("search_for", "Kết quả cho", "Results for"),
    ("search_found", "kết quả", "results"),
    ("search_refine", "Thu hẹp kết quả", "Refine the results"),
    ("search_kind", "Loại nội dung", "Type of content"),
    ("search_section", "Chuyên mục", "Section"),
    ("search_year", "Năm", "Year"),
    ("search_all", "Tất cả", "All"),
    ("search_from", "Từ ngày", "From"),
    ("search_to", "Đến ngày", "To"),
    ("search_sort", "Sắp xếp", "Sort by"),
    ("sort_relevance", "Phù hợp nhất", "Relevance"),
    ("sort_date", "Mới nhất", "Newest"),
    ("search_clear", "Bỏ bộ lọc", "Clear filters"),
    (
        "search_fuzzy",
        "Không tìm thấy kết quả khớp đúng từ đã nhập; dưới đây là các kết quả gần đúng (cho phép sai một ký tự).",
        "Nothing matched the words as typed; these results allow one typo.",
    ),
    ("search_none", "Không tìm thấy kết quả nào.", "No results found."),
    ("search_tips", "Gợi ý", "Suggestions"),
    (
        "search_tip_spelling",
        "Kiểm tra chính tả, hoặc gõ không dấu (ví dụ: bao hiem that nghiep).",
        "Check the spelling, or try other words.",
    ),
    (
        "search_tip_fewer",
        "Dùng ít từ hơn hoặc từ khái quát hơn; bỏ dấu ngoặc kép nếu đang tìm cụm từ.",
        "Use fewer or more general words; drop the quotes around a phrase.",
    ),
    (
        "search_tip_filters",
        "Bỏ các bộ lọc đang chọn.",
        "Remove the filters in use.",
    ),
    (
        "search_tip_ask",
        "Không tìm thấy câu trả lời? Gửi câu hỏi cho Bảo hiểm xã hội Việt Nam.",
        "Cannot find an answer? Ask Vietnam Social Security.",
    ),
    ("search_titles", "Tiêu đề gần giống", "Similar titles"),
    (
        "search_syntax",
        "Có thể gõ có dấu hoặc không dấu. Đặt cụm từ trong dấu ngoặc kép để tìm chính xác; thêm dấu trừ trước một từ để loại trừ (ví dụ: \"lương hưu\" -quân).",
        "Put a phrase in double quotes to find it exactly; put a minus sign before a word to exclude it (e.g. \"old-age pension\" -military).",
    ),
    (
        "search_unavailable",
        "Chức năng tìm kiếm đang được chuẩn bị, vui lòng thử lại sau ít phút.",
        "Search is being prepared; please try again in a few minutes.",
    ),
    ("search_bad", "Yêu cầu tìm kiếm không hợp lệ", "Invalid search"),
    ("kind_article", "Tin bài", "Articles"),
    ("kind_legal_document", "Văn bản", "Legal documents"),
    ("kind_qa", "Hỏi đáp", "Questions and answers"),
    (
        "kind_procedure",
        "Thủ tục hành chính",
        "Administrative procedures",
    ),
    (
        "kind_online_service",
        "Dịch vụ công trực tuyến",
        "Online public services",
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
    ("ask", "Đặt câu hỏi", "Ask a question"),
    ("ask_slug", "dat-cau-hoi", "ask"),
    ("track", "Tra cứu câu hỏi", "Track your question"),
    ("track_slug", "tra-cuu", "track"),
    (
        "question_slug",
        content::questions::published::PAGE_WORD.0,
        content::questions::published::PAGE_WORD.1,
    ),
    ("answered_questions", "Câu hỏi đã trả lời", "Answered questions"),
    (
        "no_questions",
        "Chưa có câu hỏi nào được trả lời.",
        "No answered questions yet.",
    ),
    ("received", "Ngày hỏi", "Asked on"),
    ("answered_on", "ngày trả lời", "answered on"),
    ("question", "Câu hỏi", "Question"),
    ("answer", "Trả lời", "Answer"),
    ("answering_unit", "Đơn vị trả lời", "Answered by"),
    (
        "asked_ok",
        "Bảo hiểm xã hội Việt Nam đã nhận câu hỏi của Quý vị. Thư xác nhận đã được gửi tới địa chỉ thư điện tử của Quý vị.",
        "Vietnam Social Security has received your question. A confirmation has been sent to your e-mail address.",
    ),
    ("tracking_code", "Mã tra cứu", "Tracking code"),
    ("expected_by", "Ngày dự kiến trả lời", "Expected answer by"),
    ("your_name", "Họ và tên", "Full name"),
    ("optional", "không bắt buộc", "optional"),
    ("province", "Tỉnh/thành phố, địa chỉ", "Province or address"),
    ("category", "Lĩnh vực", "Topic"),
    ("q_title", "Tiêu đề câu hỏi", "Subject"),
    ("q_content", "Nội dung câu hỏi", "Your question"),
    (
        "consent",
        "Tôi đồng ý để Bảo hiểm xã hội Việt Nam xử lý dữ liệu cá nhân của tôi để trả lời câu hỏi này. Họ tên, thư điện tử, điện thoại và địa chỉ không được công bố.",
        "I agree that Vietnam Social Security processes my personal data to answer this question. Name, e-mail, phone and address are never published.",
    ),
    ("send", "Gửi câu hỏi", "Send"),
    ("status", "Tình trạng", "Status"),
    (
        "not_tracked",
        "Không tìm thấy câu hỏi với mã tra cứu và thư điện tử này.",
        "No question matches this tracking code and e-mail.",
    ),
    ("cat_general", "Câu hỏi tổng hợp", "General"),
    ("cat_social_insurance", "Bảo hiểm xã hội", "Social insurance"),
    ("cat_health_insurance", "Bảo hiểm y tế", "Health insurance"),
    (
        "cat_unemployment_insurance",
        "Bảo hiểm thất nghiệp",
        "Unemployment insurance",
    ),
    ("st_received", "Đã tiếp nhận", "Received"),
    ("st_classified", "Đang xử lý", "Being handled"),
    (
        "st_forwarded",
        "Đã chuyển đơn vị trả lời",
        "Forwarded to the responsible unit",
    ),
    ("st_returned", "Đang xử lý", "Being handled"),
    ("st_answered", "Đang duyệt trả lời", "Answer under review"),
    ("st_approved", "Đã duyệt trả lời", "Answer approved"),
    ("st_published", "Đã trả lời", "Answered"),
    (
        "st_rejected_unclear",
        "Chưa rõ nội dung, đề nghị gửi lại",
        "Unclear; please send it again",
    ),
    (
        "st_rejected_out_of_scope",
        "Không thuộc phạm vi trả lời",
        "Outside our remit",
    ),
];

static TABLE: LazyLock<Strings> = LazyLock::new(|| Strings::new(STRINGS));

/// The strings of one edition, by key.
pub fn strings(lang: Lang) -> &'static BTreeMap<&'static str, &'static str> {
    TABLE.all(lang)
}

/// One string; the key itself when it is unknown.
pub fn text(lang: Lang, key: &str) -> &str {
    TABLE.get(lang, key)
}
