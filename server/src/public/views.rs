//! The public templates: built into the binary, overridable from
//! `templates_dir` so an operator can re-theme without recompiling. A
//! missing or broken override falls back to the built-in template, and the
//! reason is logged.

use std::path::Path;

use minijinja::Environment;
use serde::Serialize;

const TEMPLATES: &[(&str, &str)] = &[
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

/// The site's stylesheet, served under a fingerprinted name.
pub const STYLESHEET: &str = include_str!("../../assets/site.css");

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_formatter(editor_ui::html_formatter);
    env
}

/// Compiled public templates.
pub struct PublicViews {
    active: Environment<'static>,
    builtin: Environment<'static>,
}

impl PublicViews {
    pub fn new(overrides: Option<&Path>) -> Self {
        let mut builtin = environment();
        for (name, source) in TEMPLATES {
            if let Err(e) = builtin.add_template(name, source) {
                panic!("built-in template {name} does not compile: {e}");
            }
        }
        let mut active = environment();
        for (name, source) in TEMPLATES {
            let custom = overrides.map(|dir| dir.join(name)).and_then(|path| match std::fs::read_to_string(&path) {
                Ok(s) => Some(s),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    tracing::warn!(template = name, path = %path.display(), error = %e, "cannot read template override; using the built-in one");
                    None
                }
            });
            if let Some(src) = custom {
                match active.add_template_owned(name.to_string(), src) {
                    Ok(()) => {
                        tracing::info!(template = name, "using template override");
                        continue;
                    }
                    Err(e) => {
                        tracing::warn!(template = name, error = %e, "template override is broken; using the built-in one")
                    }
                }
            }
            if let Err(e) = active.add_template(name, source) {
                panic!("built-in template {name} does not compile: {e}");
            }
        }
        if let Some(dir) = overrides
            && !dir.is_dir()
        {
            tracing::warn!(dir = %dir.display(), "templates_dir does not exist; using the built-in templates");
        }
        PublicViews { active, builtin }
    }

    /// Renders with the active templates, falling back to the built-in
    /// ones when an override fails at render time.
    pub fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String, minijinja::Error> {
        let ctx = minijinja::Value::from_serialize(&ctx);
        match self.active.get_template(name).and_then(|t| t.render(&ctx)) {
            Ok(html) => Ok(html),
            Err(e) => {
                tracing::warn!(template = name, error = %e, "template failed; using the built-in one");
                self.builtin.get_template(name)?.render(&ctx)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_and_missing_overrides_fall_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("contact.html"),
            "{% extends \"base.html\" %}{% block content %}CUSTOM{% endblock %}",
        )
        .unwrap();
        std::fs::write(dir.path().join("error.html"), "{% if %}").unwrap();
        let v = PublicViews::new(Some(dir.path()));
        let ctx = minijinja::context! { lang => "vi", t => super::super::i18n::strings("vi"), footer => minijinja::context!{ phone => "1", email => "a@b" } };
        assert!(v.render("contact.html", &ctx).unwrap().contains("CUSTOM"));
        assert!(
            v.render("error.html", &ctx)
                .unwrap()
                .contains("<html lang=\"vi\">")
        );
        let none = PublicViews::new(Some(&dir.path().join("missing")));
        assert!(!none.render("contact.html", &ctx).unwrap().contains("CUSTOM"));
    }
}
