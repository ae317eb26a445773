//! What every public page shares: the layout's context (menu, language
//! switch, breadcrumbs, metadata, footer; Thông tư 22/2023 on the layout of
//! state portals), the error pages, and the fingerprinted stylesheet.

use chrono::{DateTime, Utc};
use content::lang::Lang;
use content::sections::Node;
use minijinja::{Value, context};
use poem::http::StatusCode;
use serde::Serialize;

use super::cache::Page;
use super::i18n;
use super::tree::Tree;
use crate::config::Config;
use crate::state::AppState;

#[derive(Serialize)]
pub(super) struct Link {
    pub(super) href: String,
    pub(super) label: String,
    pub(super) current: bool,
}

#[derive(Serialize)]
pub(super) struct Crumb {
    pub(super) href: Option<String>,
    pub(super) label: String,
}

/// The trail of a page hanging from the home page: home, then the page
/// (text key `key`), not linked.
pub(super) fn home_and(ed: Lang, key: &str) -> Vec<Crumb> {
    vec![
        Crumb {
            href: Some(format!("/{ed}/")),
            label: i18n::text(ed, "home").into(),
        },
        Crumb {
            href: None,
            label: i18n::text(ed, key).into(),
        },
    ]
}

/// The trail of a page in a section: home, the parent section, the
/// section, then `last` (not linked). Without `last` the section itself
/// ends the trail, not linked.
pub(super) fn trail(ed: Lang, parent: Option<&Node>, node: &Node, last: Option<String>) -> Vec<Crumb> {
    // A page named like its section (the Q&A home) is that section's crumb.
    let last = last.filter(|l| l != node.section.name_in(ed));
    let mut crumbs = vec![Crumb {
        href: Some(format!("/{ed}/")),
        label: i18n::text(ed, "home").into(),
    }];
    if let Some(p) = parent {
        crumbs.push(Crumb {
            href: Some(Tree::path_of(ed, None, p)),
            label: p.section.name_in(ed).to_owned(),
        });
    }
    crumbs.push(Crumb {
        href: last.is_some().then(|| Tree::path_of(ed, parent, node)),
        label: node.section.name_in(ed).to_owned(),
    });
    if let Some(label) = last {
        crumbs.push(Crumb { href: None, label });
    }
    crumbs
}

/// schema.org structured data for a page, as one `<script
/// type="application/ld+json">` body: the items given, then the page's
/// breadcrumb trail as a `BreadcrumbList`. Escaped so no text in it can
/// close the script element.
pub(super) fn json_ld(base: &str, path: &str, crumbs: &[Crumb], mut items: Vec<serde_json::Value>) -> String {
    let elements: Vec<serde_json::Value> = crumbs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            serde_json::json!({
                "@type": "ListItem",
                "position": i + 1,
                "name": c.label,
                "item": format!("{base}{}", c.href.as_deref().unwrap_or(path)),
            })
        })
        .collect();
    if !elements.is_empty() {
        items.push(serde_json::json!({ "@type": "BreadcrumbList", "itemListElement": elements }));
    }
    let graph = serde_json::json!({ "@context": "https://schema.org", "@graph": items });
    graph
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[derive(Serialize)]
struct Alternate {
    lang: Lang,
    href: String,
}

/// What every page's layout needs.
pub(super) struct Layout<'a> {
    pub(super) ed: Lang,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) path: String,
    pub(super) other_edition_url: String,
    /// The slug of the menu entry to mark as current.
    pub(super) current: &'a str,
    pub(super) breadcrumbs: Vec<Crumb>,
    pub(super) dc_date: DateTime<Utc>,
    pub(super) dc_creator: Option<String>,
    pub(super) og_image: Option<String>,
    pub(super) og_type: &'a str,
    pub(super) print: bool,
}

impl Layout<'_> {
    /// A plain page at `path`, dated now, linking the other edition's home.
    pub(super) fn new(ed: Lang, title: String, path: String) -> Self {
        Layout {
            ed,
            description: title.clone(),
            title,
            path,
            other_edition_url: format!("/{}/", ed.other()),
            current: "",
            breadcrumbs: Vec::new(),
            dc_date: content::time::now(),
            dc_creator: None,
            og_image: None,
            og_type: "website",
            print: false,
        }
    }
}

/// One entry of the main menu: a top section with its items, as the board
/// orders them (the appendix's tree, Đ3.3–3.4).
#[derive(Serialize)]
pub(super) struct MenuEntry {
    href: String,
    label: String,
    current: bool,
    items: Vec<Link>,
}

/// The main menu: the edition's visible section tree, two levels, and the
/// online public services (a Vietnamese section both editions link to).
fn menu(ed: Lang, tree: &Tree, current: &str) -> Vec<MenuEntry> {
    let mut menu: Vec<MenuEntry> = tree
        .nodes
        .iter()
        .map(|top| MenuEntry {
            href: Tree::path_of(ed, None, top),
            label: top.section.name_in(ed).to_owned(),
            current: current == top.slug(),
            items: top
                .children
                .iter()
                .map(|item| Link {
                    href: Tree::path_of(ed, Some(top), item),
                    label: item.section.name_in(ed).to_owned(),
                    current: false,
                })
                .collect(),
        })
        .collect();
    if !menu.iter().any(|m| m.href == tree.services_href) {
        menu.push(MenuEntry {
            href: tree.services_href.clone(),
            label: i18n::text(ed, "online_services").to_owned(),
            current: false,
            items: Vec::new(),
        });
    }
    menu
}

pub(super) fn layout(config: &Config, tree: &Tree, l: Layout) -> Value {
    let ed = l.ed;
    let other = ed.other();
    let base = &config.base_url;
    let menu = menu(ed, tree, l.current);
    let footer = &config.footer;
    context! {
        lang => ed,
        other_lang => other,
        t => i18n::strings(ed),
        page_title => l.title,
        description => l.description,
        canonical => format!("{base}{}", l.path),
        alternates => vec![
            Alternate { lang: ed, href: format!("{base}{}", l.path) },
            Alternate { lang: other, href: format!("{base}{}", l.other_edition_url) },
        ],
        other_edition_url => l.other_edition_url,
        base_url => base,
        stylesheet => &config.brand.stylesheet_url,
        menu => menu,
        current => l.current,
        breadcrumbs => l.breadcrumbs,
        dc_date => l.dc_date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        last_updated => content::time::date_vn(l.dc_date).format("%d/%m/%Y").to_string(),
        reading_back => form_urlencoded::byte_serialize(l.path.as_bytes()).collect::<String>(),
        brand => &config.brand,
        dc_creator => l.dc_creator,
        og_image => l.og_image,
        og_type => l.og_type,
        print => l.print,
        footer => footer,
        footer_unit => ed.pick(&footer.unit_vi, &footer.unit_en),
        footer_responsible => ed.pick(&footer.responsible_vi, &footer.responsible_en),
        footer_address => ed.pick(&footer.address_vi, &footer.address_en),
    }
}

/// Renders a page template into a cacheable page.
pub(super) fn html(
    state: &AppState,
    template: &str,
    status: u16,
    ctx: Value,
    modified: DateTime<Utc>,
) -> poem::Result<Page> {
    let body = state.public_views.render(template, ctx).map_err(|e| {
        tracing::error!(template, error = %e, "public template failed");
        poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR)
    })?;
    Ok(Page::new(status, "text/html; charset=utf-8", body, modified))
}

/// An error page in the edition's language (404, 410 …).
pub(super) async fn error_page(
    state: &AppState,
    ed: Lang,
    status: u16,
    title: &str,
    text_key: &str,
) -> poem::Result<Page> {
    let tree = Tree::load(state, ed);
    let l = Layout {
        description: i18n::text(ed, text_key).to_owned(),
        ..Layout::new(ed, i18n::text(ed, title).to_owned(), format!("/{ed}/"))
    };
    let ctx = context! { message => i18n::text(ed, text_key), ..layout(&state.config, &tree, l) };
    html(state, "error.html", status, ctx, content::time::now())
}

/// The 404 page.
pub(super) async fn not_found(state: &AppState, ed: Lang) -> poem::Result<Page> {
    error_page(state, ed, 404, "not_found", "not_found_text").await
}

/// What snapshot tests of pages render with: the built-in templates, a
/// configuration for `https://baohiemxahoi.gov.vn`, and a tree with the
/// news and Q&A sections.
#[cfg(test)]
pub(super) mod fixture {
    use super::*;
    use crate::templates::Templates;

    pub fn config() -> Config {
        let env = [(
            "PORTAL_BASE_URL".to_owned(),
            "https://baohiemxahoi.gov.vn".to_owned(),
        )]
        .into();
        Config::from_sources(None, &env).expect("configuration")
    }

    fn node(id: i32, code: &str, vi: &str, en: &str, slug_vi: &str, children: Vec<Node>) -> Node {
        let at = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        Node {
            section: content::entity::section::Model {
                id,
                code: code.into(),
                edition: "vi".into(),
                parent_id: None,
                position: id,
                slug_vi: slug_vi.into(),
                slug_en: content::text::slugify(en),
                name_vi: vi.into(),
                name_en: en.into(),
                owner_unit_id: None,
                visible: true,
                created_at: at,
                updated_at: at,
            },
            children,
        }
    }

    pub fn tree() -> Tree {
        Tree {
            nodes: vec![
                node(1, "vi-01", "Giới thiệu", "About", "gioi-thieu", Vec::new()),
                node(2, "vi-02", "Tin tức", "News", "tin-tuc", Vec::new()),
                node(
                    6,
                    "vi-06",
                    "Hỏi - đáp",
                    "Q&A",
                    "hoi-dap",
                    vec![node(
                        62,
                        "vi-06-02",
                        "Bảo hiểm xã hội",
                        "Social insurance",
                        "bao-hiem-xa-hoi",
                        Vec::new(),
                    )],
                ),
            ],
            services_href: "/vi/dich-vu-cong-truc-tuyen".into(),
        }
    }

    /// Renders a public template with `ctx` (which carries the layout);
    /// the stylesheet's fingerprint is masked, so a style change does not
    /// touch every page snapshot.
    pub fn render(template: &str, ctx: Value) -> String {
        Templates::new(super::super::views::TEMPLATES, None)
            .render(template, ctx)
            .expect("renders")
            .replace(
                &crate::brand::Brand::default().stylesheet_url,
                "/static/site.FINGERPRINT.css",
            )
    }

    pub fn at(s: &str) -> DateTime<Utc> {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }
}
