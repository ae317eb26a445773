//! The editorial web interface's views: templates, their strings in
//! Vietnamese and English, and static assets. Controllers live in the
//! server, which compiles these templates (letting `templates_dir/editor`
//! override them) and renders them with data from the `content` crate.
//!
//! Pages are plain server-rendered HTML: no build step, no JavaScript
//! needed to work.

mod i18n;

pub use i18n::{strings, text};

/// The editor's stylesheet, served at `/editor/assets/editor.css`.
pub const STYLESHEET: &str = include_str!("../assets/editor.css");

/// The editor's script (live preview, lock renewal, upload progress;
/// pages work without it), served
/// at `/editor/assets/editor.js`.
pub const SCRIPT: &str = include_str!("../assets/editor.js");

/// The script giving signed-in staff an "edit" link on public article
/// pages, served at `/editor/assets/edit-link.js`.
pub const EDIT_LINK_SCRIPT: &str = include_str!("../assets/edit-link.js");

/// The built-in editor templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("dashboard.html", include_str!("../templates/dashboard.html")),
    ("users.html", include_str!("../templates/users.html")),
    ("user_edit.html", include_str!("../templates/user_edit.html")),
    ("sections.html", include_str!("../templates/sections.html")),
    ("password.html", include_str!("../templates/password.html")),
    ("message.html", include_str!("../templates/message.html")),
    ("post_edit.html", include_str!("../templates/post_edit.html")),
    ("diff.html", include_str!("../templates/diff.html")),
    ("posts_list.html", include_str!("../templates/posts_list.html")),
    (
        "media_library.html",
        include_str!("../templates/media_library.html"),
    ),
    ("media_item.html", include_str!("../templates/media_item.html")),
    (
        "notifications.html",
        include_str!("../templates/notifications.html"),
    ),
    ("units.html", include_str!("../templates/units.html")),
    ("site.html", include_str!("../templates/site.html")),
    ("calendar.html", include_str!("../templates/calendar.html")),
    ("audit.html", include_str!("../templates/audit.html")),
    (
        "search_queries.html",
        include_str!("../templates/search_queries.html"),
    ),
    ("delegations.html", include_str!("../templates/delegations.html")),
    ("qa_inbox.html", include_str!("../templates/qa_inbox.html")),
    ("royalties.html", include_str!("../templates/royalties.html")),
    ("backups.html", include_str!("../templates/backups.html")),
    ("provisions.html", include_str!("../templates/provisions.html")),
    (
        "annual_report.html",
        include_str!("../templates/annual_report.html"),
    ),
    (
        "royalty_sheet.html",
        include_str!("../templates/royalty_sheet.html"),
    ),
    (
        "royalty_proposal.html",
        include_str!("../templates/royalty_proposal.html"),
    ),
    (
        "royalty_statements.html",
        include_str!("../templates/royalty_statements.html"),
    ),
    (
        "royalty_rates.html",
        include_str!("../templates/royalty_rates.html"),
    ),
    ("qa_question.html", include_str!("../templates/qa_question.html")),
    ("two_factor.html", include_str!("../templates/two_factor.html")),
    (
        "catalogue_list.html",
        include_str!("../templates/catalogue_list.html"),
    ),
    (
        "catalogue_edit.html",
        include_str!("../templates/catalogue_edit.html"),
    ),
    (
        "catalogue_import.html",
        include_str!("../templates/catalogue_import.html"),
    ),
];
