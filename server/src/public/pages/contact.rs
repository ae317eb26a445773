//! The contact page: the owner details from the configuration's footer
//! keys (Đ3.1: the portal names the agency responsible for it).

use content::lang::Lang;

use crate::public::cache::Page;
use crate::public::i18n;
use crate::public::layout::{Layout, home_and, html, layout};
use crate::public::tree::Tree;
use crate::state::AppState;

pub(crate) fn page(state: &AppState, ed: Lang, tree: &Tree) -> poem::Result<Page> {
    let other = ed.other();
    let l = Layout {
        other_edition_url: format!("/{other}/{}", i18n::text(other, "contact_slug")),
        current: "contact",
        breadcrumbs: home_and(ed, "contact"),
        ..Layout::new(
            ed,
            i18n::text(ed, "contact").to_owned(),
            format!("/{ed}/{}", i18n::text(ed, "contact_slug")),
        )
    };
    let ctx = layout(&state.config, tree, l);
    html(state, "contact.html", 200, ctx, content::time::now())
}
