//! The editor's strings. Vietnamese is the default; English is one click
//! away for the English edition's team.

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// Parses `vi` or `en`; anything else is Vietnamese.
    pub fn from_code(code: Option<&str>) -> Lang {
        match code {
            Some("en") => Lang::En,
            _ => Lang::Vi,
        }
    }
}

/// (key, Vietnamese, English).
const STRINGS: &[(&str, &str, &str)] = &[
    (
        "app_name",
        "Cổng TTĐT Bảo hiểm xã hội Việt Nam — Quản trị nội dung",
        "VSS e-portal — content management",
    ),
    ("agency", "Bảo hiểm xã hội Việt Nam", "Vietnam Social Security"),
    ("skip", "Bỏ qua, đến nội dung chính", "Skip to main content"),
    ("switch_lang", "English", "Tiếng Việt"),
    ("login_title", "Đăng nhập", "Log in"),
    ("username", "Tên đăng nhập", "User name"),
    ("password", "Mật khẩu", "Password"),
    ("login", "Đăng nhập", "Log in"),
    ("logout", "Đăng xuất", "Log out"),
    ("dashboard", "Trang làm việc", "Dashboard"),
    ("welcome", "Xin chào", "Welcome"),
    ("your_roles", "Vai trò", "Roles"),
    ("your_unit", "Đơn vị", "Unit"),
    ("no_unit", "(chưa gán đơn vị)", "(no unit)"),
    ("users", "Tài khoản", "Accounts"),
    ("sections", "Chuyên mục", "Sections"),
    ("change_password", "Đổi mật khẩu", "Change password"),
    ("current_password", "Mật khẩu hiện tại", "Current password"),
    ("new_password", "Mật khẩu mới", "New password"),
    ("save", "Lưu", "Save"),
    ("create", "Tạo mới", "Create"),
    ("new_user", "Tạo tài khoản", "New account"),
    ("display_name", "Họ tên", "Full name"),
    ("email", "Thư điện tử", "E-mail"),
    ("roles", "Vai trò", "Roles"),
    ("unit", "Đơn vị", "Unit"),
    ("status", "Trạng thái", "Status"),
    ("active", "Đang hoạt động", "Active"),
    ("disabled", "Đã khóa", "Disabled"),
    ("disable", "Khóa tài khoản", "Disable"),
    ("enable", "Mở khóa tài khoản", "Enable"),
    ("edit", "Sửa", "Edit"),
    ("reset_password", "Đặt lại mật khẩu", "Reset password"),
    (
        "reset_password_help",
        "Để trống để tạo mật khẩu ngẫu nhiên.",
        "Leave empty to generate a random password.",
    ),
    ("edition_vi", "Phiên bản tiếng Việt", "Vietnamese edition"),
    ("edition_en", "Phiên bản tiếng Anh", "English edition"),
    ("name_vi", "Tên tiếng Việt", "Vietnamese name"),
    ("name_en", "Tên tiếng Anh", "English name"),
    ("slug_vi", "Đường dẫn (tiếng Việt)", "Slug (Vietnamese)"),
    ("slug_en", "Đường dẫn (tiếng Anh)", "Slug (English)"),
    ("parent", "Chuyên mục cha", "Parent section"),
    ("top_level", "(cấp cao nhất)", "(top level)"),
    ("position", "Thứ tự", "Position"),
    ("visible", "Hiển thị", "Visible"),
    ("hidden", "Đang ẩn", "Hidden"),
    ("hide", "Ẩn", "Hide"),
    ("show", "Hiện", "Show"),
    ("move", "Chuyển", "Move"),
    ("new_section", "Thêm chuyên mục", "New section"),
    ("owner_unit", "Đơn vị phụ trách", "Owner unit"),
    ("back", "Quay lại", "Back"),
    ("saved", "Đã lưu.", "Saved."),
    ("error", "Lỗi", "Error"),
    (
        "forbidden",
        "Bạn không có quyền thực hiện thao tác này.",
        "You are not allowed to do this.",
    ),
    ("not_found", "Không tìm thấy trang.", "Page not found."),
    (
        "bad_login",
        "Sai tên đăng nhập hoặc mật khẩu.",
        "Wrong user name or password.",
    ),
    (
        "locked",
        "Đăng nhập sai quá nhiều lần. Tài khoản tạm khóa đến",
        "Too many failed logins. The account is locked until",
    ),
    (
        "account_disabled",
        "Tài khoản này đã bị khóa.",
        "This account is disabled.",
    ),
    (
        "csrf_failed",
        "Phiên làm việc của biểu mẫu đã hết hạn, vui lòng thử lại.",
        "The form has expired; please try again.",
    ),
    (
        "new_password_is",
        "Mật khẩu mới (chỉ hiển thị một lần):",
        "New password (shown once):",
    ),
    ("api_docs", "Tài liệu API", "API documentation"),
    ("admin_tools", "Quản trị", "Administration"),
    ("password_changed", "Đã đổi mật khẩu.", "Password changed."),
    ("posts", "Bài viết", "Posts"),
    ("new_post", "Viết bài mới", "New post"),
    ("my_drafts", "Bài nháp của tôi", "My drafts"),
    ("awaiting_me", "Chờ tôi duyệt", "Waiting for my approval"),
    ("recently_published", "Mới xuất bản", "Recently published"),
    ("waited", "Đã chờ", "Waiting for"),
    ("hours", "giờ", "hours"),
    ("nothing", "Không có mục nào.", "Nothing here."),
    ("title", "Tiêu đề", "Title"),
    ("summary", "Sapo (tóm tắt)", "Summary"),
    ("body", "Nội dung (Markdown)", "Body (Markdown)"),
    ("preview", "Xem trước", "Preview"),
    ("section", "Chuyên mục", "Section"),
    ("genre", "Thể loại", "Genre"),
    (
        "authors",
        "Tác giả (mỗi dòng một người)",
        "Authors (one per line)",
    ),
    ("source", "Nguồn tin", "Source"),
    ("source_url", "Đường dẫn bài gốc", "Original link"),
    (
        "reuses_information",
        "Bài có sử dụng lại thông tin (phải ghi tác giả và nguồn, Điều 8.3)",
        "Reuses information (author and source required, art. 8.3)",
    ),
    (
        "tags",
        "Từ khóa (cách nhau bởi dấu phẩy)",
        "Tags (comma-separated)",
    ),
    ("publish_at", "Hẹn giờ xuất bản", "Publish at"),
    ("unpublish_at", "Hẹn giờ gỡ bài", "Unpublish at"),
    ("edition", "Phiên bản", "Edition"),
    ("state", "Trạng thái", "State"),
    ("step", "Bước duyệt", "Approval step"),
    ("revision", "Phiên bản lưu", "Revision"),
    ("actions", "Thao tác", "Actions"),
    ("comment", "Ý kiến", "Comment"),
    (
        "comment_help",
        "Bắt buộc khi yêu cầu sửa hoặc gỡ bài.",
        "Required to request changes or unpublish.",
    ),
    ("history", "Lịch sử", "History"),
    ("comments", "Trao đổi nội bộ", "Internal notes"),
    ("add_comment", "Thêm ý kiến", "Add note"),
    ("upload_image", "Tải ảnh lên", "Upload an image"),
    (
        "upload_file",
        "Tệp (ảnh tối đa 20 MB, tài liệu tối đa 50 MB)",
        "File (images up to 20 MB, documents up to 50 MB)",
    ),
    ("alt_text", "Mô tả ảnh (văn bản thay thế)", "Alt text"),
    ("caption", "Chú thích", "Caption"),
    ("credit", "Tác giả ảnh", "Photo credit"),
    ("use_as", "Dùng làm", "Use as"),
    ("use_cover", "Ảnh đại diện", "Cover image"),
    ("use_inline", "Chèn vào nội dung", "Insert in the body"),
    ("use_attachment", "Tệp đính kèm", "Attachment"),
    ("upload", "Tải lên", "Upload"),
    ("attachments", "Tệp đính kèm", "Attachments"),
    ("cover", "Ảnh đại diện", "Cover image"),
    ("locked_by", "Đang được sửa bởi", "Being edited by"),
    ("until", "đến", "until"),
    ("break_lock", "Mở khóa chỉnh sửa", "Break the lock"),
    ("compare", "So sánh", "Compare"),
    ("diff", "So sánh phiên bản", "Compare revisions"),
    ("audit_log", "Nhật ký hệ thống", "Audit log"),
    ("search_queries", "Thống kê tìm kiếm", "Search statistics"),
    (
        "search_queries_intro",
        "Các từ khóa người dân tìm trên Cổng, phục vụ báo cáo năm. Không lưu thông tin cá nhân (không lưu địa chỉ IP).",
        "What citizens search for on the portal, for the annual report. No personal data is kept (no IP addresses).",
    ),
    ("period_from", "Từ ngày", "From"),
    ("period_to", "Đến ngày", "To"),
    ("searches", "Số lượt tìm", "Searches"),
    (
        "zero_result_searches",
        "Lượt không có kết quả",
        "Searches without results",
    ),
    ("top_queries", "Từ khóa được tìm nhiều nhất", "Top queries"),
    (
        "top_zero_queries",
        "Từ khóa không có kết quả",
        "Top queries without results",
    ),
    ("query", "Từ khóa", "Query"),
    ("times_searched", "Số lần", "Times searched"),
    ("results_found", "Số kết quả", "Results"),
    ("none", "Không có.", "None."),
    ("action", "Hành động", "Action"),
    ("actor", "Người thực hiện", "Actor"),
    ("at", "Thời gian", "Time"),
    ("target", "Đối tượng", "Target"),
    ("details", "Chi tiết", "Details"),
    ("address", "Địa chỉ IP", "IP address"),
    ("filter", "Lọc", "Filter"),
    ("delegations", "Ủy quyền duyệt", "Delegations"),
    ("delegate_to", "Ủy quyền cho", "Delegate to"),
    ("starts_on", "Từ ngày", "From"),
    ("ends_on", "Đến ngày", "To"),
    ("reason", "Lý do", "Reason"),
    ("revoke", "Thu hồi", "Revoke"),
    ("revoked", "Đã thu hồi", "Revoked"),
    ("in_force", "Đang hiệu lực", "In force"),
    ("chain", "Quy trình duyệt", "Approval chain"),
    (
        "chain_help",
        "Các vai trò theo thứ tự, cách nhau bởi dấu phẩy, ví dụ: editor, board_deputy_standing, board_head",
        "Roles in order, comma-separated, e.g. editor, board_deputy_standing, board_head",
    ),
    ("on_behalf_of", "thay mặt", "on behalf of"),
    ("public_link", "Xem trên cổng", "View on the portal"),
    ("state_draft", "Bản nháp", "Draft"),
    ("state_submitted", "Đã gửi duyệt", "Submitted"),
    ("state_in_review", "Đang duyệt", "In review"),
    ("state_changes_requested", "Yêu cầu sửa", "Changes requested"),
    ("state_approved", "Đã duyệt", "Approved"),
    ("state_scheduled", "Hẹn giờ đăng", "Scheduled"),
    ("state_published", "Đã xuất bản", "Published"),
    ("state_unpublished", "Đã gỡ", "Unpublished"),
    ("state_archived", "Lưu trữ", "Archived"),
    ("action_submit", "Gửi duyệt", "Submit"),
    ("action_approve", "Duyệt", "Approve"),
    ("action_request_changes", "Yêu cầu sửa", "Request changes"),
    ("action_withdraw", "Rút lại", "Withdraw"),
    ("action_publish", "Xuất bản", "Publish"),
    ("action_unpublish", "Gỡ bài", "Unpublish"),
    ("action_archive", "Lưu trữ", "Archive"),
    ("genre_news", "Tin", "News"),
    ("genre_photo", "Ảnh", "Photo"),
    ("genre_drawing", "Tranh vẽ", "Drawing"),
    ("genre_commentary", "Bình luận", "Commentary"),
    ("genre_reportage", "Phóng sự", "Reportage"),
    ("genre_interview", "Phỏng vấn", "Interview"),
    ("genre_literature", "Văn học", "Literature"),
    ("genre_research", "Nghiên cứu", "Research"),
    ("genre_media", "Đa phương tiện", "Media"),
    ("genre_answer_to_readers", "Trả lời bạn đọc", "Answer to readers"),
    ("qa_inbox", "Hỏi đáp", "Q&A"),
    (
        "qa_report",
        "Báo cáo đúng hạn theo khâu và đơn vị",
        "On-time report by stage and unit",
    ),
    ("download_csv", "Tải CSV", "Download CSV"),
    ("qa_to_handle", "Câu hỏi cần xử lý", "Questions to handle"),
    ("pages", "Các trang", "Pages"),
    ("page", "Trang", "Page"),
    ("previous_page", "← Trang trước", "← Previous page"),
    ("next_page", "Trang sau →", "Next page →"),
    (
        "qa_approval_queue",
        "Câu trả lời chờ duyệt",
        "Answers awaiting approval",
    ),
    ("due_soon", "Sắp đến hạn", "Due soon"),
    ("overdue", "Quá hạn", "Overdue"),
    ("on_track", "Trong hạn", "On track"),
    ("done", "Xong", "Done"),
    ("received_at", "Ngày nhận", "Received"),
    ("classify_by", "Hạn phân loại", "Classify by"),
    ("answer_by", "Hạn trả lời", "Answer by"),
    ("publish_by", "Hạn đăng tải", "Publish by"),
    ("asker", "Người hỏi", "Asker"),
    ("question_text", "Nội dung câu hỏi", "Question"),
    ("answer_text", "Câu trả lời", "Answer"),
    ("units_forwarded", "Đơn vị được chuyển", "Forwarded to"),
    ("complex", "Phức tạp (nhiều đơn vị)", "Complex (several units)"),
    ("qa_classify", "Phân loại", "Classify"),
    ("qa_answer_directly", "Trả lời trực tiếp", "Answer directly"),
    ("qa_forward", "Chuyển đơn vị", "Forward"),
    ("qa_reject_unclear", "Báo chưa rõ nội dung", "Reject as unclear"),
    (
        "qa_reject_out_of_scope",
        "Báo ngoài phạm vi",
        "Reject as out of scope",
    ),
    ("qa_draft_answer", "Gửi câu trả lời", "Submit the answer"),
    ("qa_progress_notice", "Thông báo tiến độ", "Progress notice"),
    ("qa_return_to_unit", "Trả lại đơn vị", "Return to the unit"),
    ("qa_approve_answer", "Duyệt câu trả lời", "Approve the answer"),
    ("qa_publish", "Đăng lên Cổng", "Publish"),
    ("qa_send", "Gửi trả lời cho người hỏi", "Send to the asker"),
    ("new_answer_date", "Ngày trả lời mới", "New answer date"),
    ("reason_or_comment", "Lý do / ý kiến", "Reason / comment"),
    ("kind_revision", "Lưu phiên bản", "Saved revision"),
    ("kind_transition", "Chuyển trạng thái", "Transition"),
    ("kind_comment", "Ý kiến", "Note"),
];

/// One string; the key itself when it is unknown.
pub fn text(lang: Lang, key: &str) -> &str {
    STRINGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, vi, en)| if lang == Lang::En { *en } else { *vi })
        .unwrap_or(key)
}

/// The strings of one language, by key.
pub fn strings(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    STRINGS
        .iter()
        .map(|(k, vi, en)| (*k, if lang == Lang::En { *en } else { *vi }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_translated() {
        let mut seen = std::collections::HashSet::new();
        for (k, vi, en) in STRINGS {
            assert!(seen.insert(k), "duplicate key {k}");
            assert!(!vi.is_empty() && !en.is_empty(), "{k} lacks a translation");
        }
        assert_eq!(Lang::from_code(Some("en")), Lang::En);
        assert_eq!(Lang::from_code(Some("fr")), Lang::Vi);
        assert_eq!(Lang::from_code(None), Lang::Vi);
    }
}
