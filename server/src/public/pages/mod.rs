//! The public page builders, one module per kind of page. Each builds the
//! page's context and renders its template; routing, caching and the
//! shared layout live beside this folder.

pub(super) mod accessibility;
pub(super) mod article;
pub(super) mod catalogue;
pub(super) mod consultation;
pub(super) mod contact;
pub(super) mod feed;
mod form_guard;
pub(super) mod home;
pub(super) mod listing;
pub(super) mod qa;
pub(super) mod search;
pub(super) mod section;
pub(super) mod sitemap;
