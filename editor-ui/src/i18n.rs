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
