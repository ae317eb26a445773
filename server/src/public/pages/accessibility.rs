//! The accessibility statement, as government portals publish one: what
//! the portal meets (WCAG 2.1 AA, the level Thông tư 22/2023/TT-BTTTT asks
//! of state portals, replacing Thông tư 32/2017), how it is checked, the
//! reading aids, what is known to fall short and whom to tell.

use chrono::{DateTime, NaiveDate, Utc};
use content::lang::Lang;
use minijinja::context;

use crate::public::cache::Page;
use crate::public::i18n;
use crate::public::layout::{Layout, home_and, html, layout};
use crate::public::tree::Tree;
use crate::state::AppState;

/// The day the statement was last reviewed against the site; change it
/// with the text.
const REVIEWED: (i32, u32, u32) = (2026, 11, 30);

fn reviewed() -> DateTime<Utc> {
    let (y, m, d) = REVIEWED;
    NaiveDate::from_ymd_opt(y, m, d).map_or_else(content::time::now, content::time::start_of_day_vn)
}

pub(crate) fn page(state: &AppState, ed: Lang, tree: &Tree) -> poem::Result<Page> {
    let other = ed.other();
    let at = reviewed();
    let l = Layout {
        other_edition_url: format!("/{other}/{}", i18n::text(other, "accessibility_slug")),
        breadcrumbs: home_and(ed, "accessibility"),
        dc_date: at,
        ..Layout::new(
            ed,
            i18n::text(ed, "accessibility").to_owned(),
            format!("/{ed}/{}", i18n::text(ed, "accessibility_slug")),
        )
    };
    let ctx = context! {
        reviewed => content::time::date_vn(at).format("%d/%m/%Y").to_string(),
        ..layout(&state.config, tree, l)
    };
    html(state, "accessibility.html", 200, ctx, at)
}
