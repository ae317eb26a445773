//! Reading aids, as Vietnamese state portals offer them: a larger text and
//! a high-contrast theme (Thông tư 22/2023/TT-BTTTT on accessibility).
//!
//! They work without JavaScript and without making pages personal: the
//! switch is a link that sets a cookie and comes back, and every page links
//! one small stylesheet, `/reading-aids.css`, written from that cookie. The
//! pages themselves stay the same for everyone, so the page cache and
//! shared caches keep serving them; only the tiny stylesheet is private.

use poem::http::{StatusCode, header};
use poem::web::Query;
use poem::{Request, Response, handler};
use serde::Deserialize;

/// The cookie holding the choice, `<size>-<contrast>` (`2-high`).
const COOKIE: &str = "portal_reading";
/// Text sizes, as percentages of the browser's own size.
const SIZES: [u16; 4] = [100, 115, 130, 150];
const YEAR_SECS: u32 = 365 * 24 * 3600;

/// A reader's choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Choice {
    /// Index into [`SIZES`].
    size: usize,
    high_contrast: bool,
}

impl Choice {
    fn from_request(req: &Request) -> Choice {
        req.headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
            .find_map(Choice::parse)
            .unwrap_or_default()
    }

    fn parse(value: &str) -> Option<Choice> {
        let (size, contrast) = value.split_once('-')?;
        let size: usize = size.parse().ok()?;
        (size < SIZES.len()).then_some(Choice {
            size,
            high_contrast: contrast == "high",
        })
    }

    fn value(self) -> String {
        format!(
            "{}-{}",
            self.size,
            if self.high_contrast { "high" } else { "normal" }
        )
    }

    /// The choice after following a switch link.
    fn with(self, change: &Change) -> Choice {
        let size = match change.size.as_deref() {
            Some("larger") => (self.size + 1).min(SIZES.len() - 1),
            Some("smaller") => self.size.saturating_sub(1),
            Some("normal") => 0,
            _ => self.size,
        };
        let high_contrast = match change.contrast.as_deref() {
            Some("high") => true,
            Some("normal") => false,
            Some("toggle") => !self.high_contrast,
            _ => self.high_contrast,
        };
        Choice { size, high_contrast }
    }

    /// The stylesheet for this choice: empty for the defaults.
    fn css(self) -> String {
        let mut css = String::new();
        if self.size > 0 {
            css.push_str(&format!("html {{ font-size: {}%; }}\n", SIZES[self.size]));
        }
        if self.high_contrast {
            css.push_str(HIGH_CONTRAST);
        }
        css
    }
}

/// Yellow and white on black: the usual high-contrast scheme, well above
/// WCAG's 7:1.
const HIGH_CONTRAST: &str = "\
:root { --fg: #fff; --muted: #fff; --brand: #000; --brand-dark: #000; --line: #fff; --focus: #0ff; --bg: #000; }
body, header.site, main, footer.site, .card, .notice, .notice.error, .error, .preview-banner, .nav-wide .sub, details.nav-narrow > nav { background: #000; color: #fff; }
a, a:hover, header.site a, .quick a, a.button { color: #ff0; background: #000; }
header.site { border-bottom: 2px solid #fff; }
input, select, textarea, button, form.search button, .card button, form.ask button, form.filters button { background: #000; color: #fff; border: 2px solid #fff; }
mark { background: #ff0; color: #000; }
.card, .badge, .block, table.people th, table.people td { border-color: #fff; }
";

/// What a switch link asks for, and where to go back to.
#[derive(Deserialize)]
pub(crate) struct Change {
    size: Option<String>,
    contrast: Option<String>,
    back: Option<String>,
}

/// `GET /reading-aids?size=larger|smaller|normal&contrast=high|normal|toggle&back=/vi/…`:
/// records the choice for a year and returns to the page.
#[handler]
pub fn switch(req: &Request, Query(change): Query<Change>) -> Response {
    let choice = Choice::from_request(req).with(&change);
    let back = change
        .back
        .as_deref()
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or("/");
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, back)
        .header(header::CACHE_CONTROL, "no-store")
        .header(
            header::SET_COOKIE,
            format!(
                "{COOKIE}={}; Path=/; Max-Age={YEAR_SECS}; SameSite=Lax; HttpOnly",
                choice.value()
            ),
        )
        .finish()
}

/// `GET /reading-aids.css`: the reader's overrides, revalidated on every
/// page (a few bytes, or a 304).
#[handler]
pub fn stylesheet(req: &Request) -> Response {
    let choice = Choice::from_request(req);
    let etag = format!("\"ra-{}\"", choice.value());
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag);
    let builder = Response::builder()
        .header(header::CACHE_CONTROL, "private, no-cache")
        .header(header::VARY, "Cookie")
        .header(header::ETAG, etag);
    if fresh {
        return builder.status(StatusCode::NOT_MODIFIED).finish();
    }
    builder.content_type("text/css; charset=utf-8").body(choice.css())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(size: Option<&str>, contrast: Option<&str>) -> Change {
        Change {
            size: size.map(str::to_owned),
            contrast: contrast.map(str::to_owned),
            back: None,
        }
    }

    #[test]
    fn sizes_step_within_bounds_and_contrast_toggles() {
        let mut c = Choice::default();
        for _ in 0..10 {
            c = c.with(&change(Some("larger"), None));
        }
        assert_eq!(c.size, SIZES.len() - 1);
        c = c.with(&change(Some("smaller"), Some("toggle")));
        assert_eq!((c.size, c.high_contrast), (SIZES.len() - 2, true));
        assert_eq!(Choice::parse(&c.value()), Some(c));
        assert_eq!(c.with(&change(Some("normal"), Some("normal"))), Choice::default());
    }

    #[test]
    fn odd_cookies_mean_the_defaults() {
        for v in ["", "9-high", "x-y", "2", "-1-high"] {
            assert_eq!(
                Choice::parse(v).unwrap_or_default().css(),
                Choice::default().css()
            );
        }
        assert!(Choice::default().css().is_empty());
        let big = Choice::parse("3-high").unwrap().css();
        assert!(big.contains("font-size: 150%") && big.contains("#ff0"));
    }
}
