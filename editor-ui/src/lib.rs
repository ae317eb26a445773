//! The editorial web interface's views: templates, their strings in
//! Vietnamese and English, and static assets. Controllers live in the
//! server, which renders these with data from the `content` crate.
//!
//! Pages are plain server-rendered HTML: no build step, no JavaScript
//! needed to work.

mod i18n;

use minijinja::{Environment, Value};
use serde::Serialize;

pub use i18n::{Lang, text};

/// The editor's stylesheet, served at `/editor/assets/editor.css`.
pub const STYLESHEET: &str = include_str!("../assets/editor.css");

/// The editor's script (live preview only; pages work without it), served
/// at `/editor/assets/editor.js`.
pub const SCRIPT: &str = include_str!("../assets/editor.js");

const TEMPLATES: &[(&str, &str)] = &[
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
    ("audit.html", include_str!("../templates/audit.html")),
    (
        "search_queries.html",
        include_str!("../templates/search_queries.html"),
    ),
    ("delegations.html", include_str!("../templates/delegations.html")),
    ("qa_inbox.html", include_str!("../templates/qa_inbox.html")),
    ("qa_question.html", include_str!("../templates/qa_question.html")),
];

/// The compiled templates.
pub struct Views {
    env: Environment<'static>,
}

impl Default for Views {
    fn default() -> Self {
        Self::new()
    }
}

/// HTML-escapes `& < > " '` (minijinja's default also escapes `/`, which
/// bloats every URL) and prints nothing for `none`.
pub fn html_formatter(
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

impl Views {
    pub fn new() -> Self {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.set_formatter(html_formatter);
        for (name, source) in TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                panic!("built-in template {name} does not compile: {e}");
            }
        }
        Views { env }
    }

    /// Renders `template` with `ctx`, adding the language's strings as `t`
    /// and the language itself as `lang`.
    pub fn render<S: Serialize>(
        &self,
        template: &str,
        lang: Lang,
        ctx: S,
    ) -> Result<String, minijinja::Error> {
        let tmpl = self.env.get_template(template)?;
        let ctx = minijinja::context! {
            lang => lang.code(),
            other_lang => lang.other().code(),
            t => Value::from_serialize(i18n::strings(lang)),
            ..Value::from_serialize(&ctx)
        };
        tmpl.render(ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_render_and_escape() {
        let v = Views::new();
        let html = v
            .render(
                "message.html",
                Lang::Vi,
                minijinja::context! { title => "<b>x</b>", message => "m" },
            )
            .unwrap();
        assert!(html.contains("&lt;b&gt;x"));
        assert!(!html.contains("<b>x"));
        assert!(html.contains("lang=\"vi\""));
        let html = v
            .render("login.html", Lang::En, minijinja::context! { csrf_login => "t" })
            .unwrap();
        assert!(html.contains("lang=\"en\""));
        assert!(html.contains("Log in"));
    }
}
