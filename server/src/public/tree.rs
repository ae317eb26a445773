//! An edition's section tree as the public site walks it: the menu, the
//! sitemap page, breadcrumbs and URL paths all come from here. Sections
//! are read from the catalogue, so a page costs no query for them.

use std::collections::HashMap;

use content::lang::Lang;
use content::sections::Node;

use crate::state::AppState;

/// The visible sections of an edition, as a tree.
pub(super) struct Tree {
    pub(super) nodes: Vec<Node>,
    /// The online public services section (Vietnamese section 12), which
    /// both editions' menus link to.
    pub(super) services_href: String,
}

impl Tree {
    pub(super) fn load(state: &AppState, ed: Lang) -> Tree {
        let nodes = content::sections::build_tree(state.catalog.sections(ed).as_ref().clone(), false);
        let vi = if ed == Lang::Vi {
            None
        } else {
            Some(content::sections::build_tree(
                state.catalog.sections(Lang::Vi).as_ref().clone(),
                false,
            ))
        };
        let services_href = vi
            .as_ref()
            .unwrap_or(&nodes)
            .iter()
            .find(|n| n.section.code == "vi-12")
            .map(|n| format!("/vi/{}", n.slug()))
            .unwrap_or_else(|| "/vi/".to_owned());
        Tree { nodes, services_href }
    }

    /// A top section by its slug.
    pub(super) fn top(&self, slug: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.slug() == slug)
    }

    /// An item of a top section, both by slug.
    pub(super) fn item(&self, top: &str, slug: &str) -> Option<&Node> {
        self.top(top)?.children.iter().find(|c| c.slug() == slug)
    }

    /// A top section by its stable code (`vi-06` is the Q&A).
    pub(super) fn by_code(&self, code: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.section.code == code)
    }

    /// (parent, node) of a section id.
    pub(super) fn find(&self, id: i32) -> Option<(Option<&Node>, &Node)> {
        for n in &self.nodes {
            if n.section.id == id {
                return Some((None, n));
            }
            if let Some(c) = n.children.iter().find(|c| c.section.id == id) {
                return Some((Some(n), c));
            }
        }
        None
    }

    /// The URL path of a section: `/vi/tin-tuc` or `/vi/hoi-dap/bao-hiem-y-te`.
    pub(super) fn path_of(ed: Lang, parent: Option<&Node>, node: &Node) -> String {
        match parent {
            Some(p) => format!("/{ed}/{}/{}", p.slug(), node.slug()),
            None => format!("/{ed}/{}", node.slug()),
        }
    }
}

/// Each section's own slug by id.
pub(super) fn section_slugs(state: &AppState, ed: Lang) -> HashMap<i32, String> {
    state
        .catalog
        .sections(ed)
        .iter()
        .map(|s| (s.id, s.own_slug().to_owned()))
        .collect()
}
