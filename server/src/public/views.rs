//! The public site's built-in templates and stylesheet. They are compiled
//! by [`crate::templates`], which lets `templates_dir` override them.

/// The built-in public templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/public/base.html")),
    ("home.html", include_str!("../../templates/public/home.html")),
    ("card.html", include_str!("../../templates/public/card.html")),
    ("item.html", include_str!("../../templates/public/item.html")),
    (
        "section.html",
        include_str!("../../templates/public/section.html"),
    ),
    (
        "article.html",
        include_str!("../../templates/public/article.html"),
    ),
    (
        "sitemap.html",
        include_str!("../../templates/public/sitemap.html"),
    ),
    (
        "contact.html",
        include_str!("../../templates/public/contact.html"),
    ),
    ("error.html", include_str!("../../templates/public/error.html")),
    (
        "accessibility.html",
        include_str!("../../templates/public/accessibility.html"),
    ),
    (
        "catalogue_list.html",
        include_str!("../../templates/public/catalogue_list.html"),
    ),
    (
        "catalogue_entry.html",
        include_str!("../../templates/public/catalogue_entry.html"),
    ),
    (
        "consultation_comment.html",
        include_str!("../../templates/public/consultation_comment.html"),
    ),
    (
        "qa_list.html",
        include_str!("../../templates/public/qa_list.html"),
    ),
    (
        "qa_detail.html",
        include_str!("../../templates/public/qa_detail.html"),
    ),
    ("qa_ask.html", include_str!("../../templates/public/qa_ask.html")),
    ("search.html", include_str!("../../templates/public/search.html")),
    (
        "qa_track.html",
        include_str!("../../templates/public/qa_track.html"),
    ),
];
