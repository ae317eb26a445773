//! The public bilingual site: Vietnamese at `/vi/…`, English at `/en/…`.
//! Pages are server-rendered, need no JavaScript, carry Dublin Core and
//! Open Graph metadata, and are cached in process with ETag validation.
//!
//! - [`router`]: from a URL to its page builder;
//! - [`pages`]: one builder per kind of page (home, section, article,
//!   feeds, sitemap, contact, Q&A, search);
//! - [`layout`], [`tree`]: what every page shares (menu, breadcrumbs,
//!   metadata, the section tree);
//! - [`delivery`], [`cache`]: conditional GET and the page cache;
//! - [`crate::catalog`]: the in-memory sections and live posts pages read;
//! - [`views`], [`i18n`], [`feeds`]: templates, strings and XML writers.

mod assets;
pub mod cache;
mod delivery;
mod feeds;
pub(crate) mod i18n;
mod layout;
mod pages;
mod reading_aids;
mod router;
mod tree;
pub mod views;

pub use assets::{brand_file, favicon, stylesheet};
pub(crate) use pages::qa::with_tracking_link;
pub use pages::sitemap::{sitemap_part, sitemap_xml};
pub use reading_aids::{stylesheet as reading_aids_css, switch as reading_aids_switch};
pub use router::{edition_home, open_data, preview, public_form, public_page, root};

fn err(e: content::Error) -> poem::Error {
    crate::problem::ApiError::from(e).into()
}
