//! Both template sets — the public site's and the editor's — are built
//! into the binary and overridable from `templates_dir` (the editor's from
//! its `editor/` subfolder), so an operator can re-theme without
//! recompiling. A missing or broken override falls back to the built-in
//! template, and the reason is logged.

use std::path::Path;

use minijinja::{Environment, Value};
use serde::Serialize;

/// Compiled templates: the active set (overrides where given) and the
/// built-in set to fall back on.
pub struct Templates {
    active: Environment<'static>,
    builtin: Environment<'static>,
}

/// HTML-escapes `& < > " '` (minijinja's default also escapes `/`, which
/// bloats every URL) and prints nothing for `none`.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(());
    }
    if value.is_safe() || !matches!(state.auto_escape(), minijinja::AutoEscape::Html) {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = value.to_string();
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    out.write_str(&escaped)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_formatter(html_formatter);
    env
}

impl Templates {
    /// Compiles `builtin` (name, source) pairs, each replaced by the file
    /// of the same name in `overrides` when there is one that compiles.
    ///
    /// # Panics
    /// When a built-in template does not compile: a defect of the build,
    /// caught by the unit tests.
    pub fn new(builtin: &'static [(&'static str, &'static str)], overrides: Option<&Path>) -> Self {
        let mut base = environment();
        for (name, source) in builtin {
            if let Err(e) = base.add_template(name, source) {
                panic!("built-in template {name} does not compile: {e}");
            }
        }
        let mut active = environment();
        for (name, source) in builtin {
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
            tracing::debug!(dir = %dir.display(), "no template overrides here; using the built-in templates");
        }
        Templates {
            active,
            builtin: base,
        }
    }

    /// Renders with the active templates, falling back to the built-in
    /// ones when an override fails at render time.
    pub fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String, minijinja::Error> {
        let ctx = Value::from_serialize(&ctx);
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

    const SET: &[(&str, &str)] = &[
        (
            "base.html",
            "<html lang=\"{{ lang }}\">{% block content %}{% endblock %}</html>",
        ),
        (
            "page.html",
            "{% extends \"base.html\" %}{% block content %}{{ x }}{% endblock %}",
        ),
        (
            "other.html",
            "{% extends \"base.html\" %}{% block content %}built-in{% endblock %}",
        ),
    ];

    #[test]
    fn broken_and_missing_overrides_fall_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("page.html"),
            "{% extends \"base.html\" %}{% block content %}CUSTOM {{ x }}{% endblock %}",
        )
        .unwrap();
        std::fs::write(dir.path().join("other.html"), "{% if %}").unwrap();
        let t = Templates::new(SET, Some(dir.path()));
        let ctx = minijinja::context! { lang => "vi", x => "<b>&'\"/" };
        assert_eq!(
            t.render("page.html", &ctx).unwrap(),
            "<html lang=\"vi\">CUSTOM &lt;b&gt;&amp;&#39;&quot;/</html>"
        );
        assert_eq!(
            t.render("other.html", &ctx).unwrap(),
            "<html lang=\"vi\">built-in</html>"
        );
        let none = Templates::new(SET, Some(&dir.path().join("missing")));
        assert!(!none.render("page.html", &ctx).unwrap().contains("CUSTOM"));
    }

    #[test]
    fn the_editor_templates_render_and_escape_in_both_languages() {
        use content::lang::Lang;
        let t = Templates::new(editor_ui::TEMPLATES, None);
        let ctx = |lang: Lang, extra: minijinja::Value| {
            minijinja::context! { lang => lang, other_lang => lang.other(), t => editor_ui::strings(lang), ..extra }
        };
        let html = t
            .render(
                "message.html",
                ctx(
                    Lang::Vi,
                    minijinja::context! { title => "<b>x</b>", message => "m" },
                ),
            )
            .unwrap();
        assert!(html.contains("&lt;b&gt;x"));
        assert!(!html.contains("<b>x"));
        assert!(html.contains("lang=\"vi\""));
        let html = t
            .render(
                "login.html",
                ctx(Lang::En, minijinja::context! { csrf_login => "t" }),
            )
            .unwrap();
        assert!(html.contains("lang=\"en\""));
        assert!(html.contains("Log in"));
        Templates::new(crate::public::views::TEMPLATES, None);
    }
}
