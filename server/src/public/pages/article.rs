//! An article: its live revision with cover, attachments, authors and
//! source (Đ8.3), dates in Vietnam time, related posts and the link to its
//! translation; `?print=1` for the print view.

use content::lang::Lang;
use content::posts::Author;
use content::time::format_vn;
use minijinja::{Value, context};
use poem::Request;
use sea_orm::EntityTrait;

use super::listing::{cover_view, items};
use crate::catalog::Lookup;
use crate::public::delivery::Rendered;
use crate::public::err;
use crate::public::layout::{Layout, error_page, html, layout, not_found, trail};
use crate::public::router::query_param;
use crate::public::tree::{Tree, section_slugs};
use crate::state::AppState;

fn human_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} B"),
    }
}

pub(crate) async fn page(
    state: &AppState,
    req: &Request,
    ed: Lang,
    tree: &Tree,
    section_slug: &str,
    slug: &str,
) -> poem::Result<Rendered> {
    let listing = match state.catalog.by_slug(ed, slug) {
        Lookup::Live(l) => l,
        Lookup::Gone => {
            return Ok(Rendered::Page(
                error_page(state, ed, 410, "gone", "gone_text").await?,
            ));
        }
        Lookup::Missing => return Ok(Rendered::Page(not_found(state, ed).await?)),
    };
    let Some((parent, node)) = tree.find(listing.section_id) else {
        return Ok(Rendered::Page(not_found(state, ed).await?));
    };
    if node.slug() != section_slug {
        return Ok(Rendered::Redirect(format!(
            "/{ed}/{}/{}",
            node.slug(),
            listing.slug
        )));
    }
    let Some(revision) = content::entity::revision::Entity::find_by_id(listing.live_revision_id)
        .one(&state.db)
        .await
        .map_err(|e| err(e.into()))?
    else {
        return Ok(Rendered::Page(not_found(state, ed).await?));
    };
    let path = format!("/{ed}/{}/{}", node.slug(), listing.slug);
    let other = ed.other();
    let other_url = match state.catalog.translation(&listing) {
        Some(t) => {
            let slugs = section_slugs(state, other);
            format!(
                "/{other}/{}/{}",
                slugs.get(&t.section_id).map(String::as_str).unwrap_or_default(),
                t.slug
            )
        }
        None => format!("/{other}/"),
    };
    let attached: Vec<i32> = serde_json::from_str(&revision.attachments).unwrap_or_default();
    let media = if attached.is_empty() && revision.cover_media_id.is_none() {
        Vec::new()
    } else {
        content::posts::media_of(&state.db, &revision)
            .await
            .map_err(err)?
    };
    let cover = revision
        .cover_media_id
        .and_then(|c| media.iter().find(|m| m.id == c))
        .and_then(cover_view);
    let attachments: Vec<Value> = attached
        .into_iter()
        .filter_map(|a| media.iter().find(|m| m.id == a))
        .map(|m| {
            let kind = m.file_name.rsplit('.').next().unwrap_or("").to_ascii_uppercase();
            context! { url => m.url(), name => m.file_name.clone(), kind => kind, size => human_size(m.size) }
        })
        .collect();
    let post_authors: Vec<Author> = serde_json::from_str(&revision.authors).unwrap_or_default();
    let tags: Vec<String> = serde_json::from_str(&revision.tags).unwrap_or_default();
    let mut authors = Vec::new();
    for a in post_authors {
        match a {
            Author::Name { name } => authors.push(name),
            Author::User { user_id } => {
                if let Ok(acc) = content::accounts::get(&state.db, user_id).await {
                    authors.push(acc.user.display_name);
                }
            }
        }
    }
    let related = state.catalog.related(&listing, 5);
    let related = items(state, ed, &related, false).await?;
    let published_at = listing.published_at;
    let updated_at = listing.updated_at;
    let top_slug = parent.map(|p| p.slug()).unwrap_or(node.slug()).to_owned();
    let description = if revision.summary.is_empty() {
        revision.title.clone()
    } else {
        revision.summary.clone()
    };
    let l = Layout {
        description,
        other_edition_url: other_url,
        current: &top_slug,
        breadcrumbs: trail(ed, parent, node, Some(revision.title.clone())),
        dc_date: published_at,
        dc_creator: (!authors.is_empty()).then(|| authors.join(", ")),
        og_image: cover
            .as_ref()
            .map(|c| format!("{}{}", state.config.base_url, c.src)),
        og_type: "article",
        print: query_param(req, "print").is_some(),
        ..Layout::new(ed, revision.title.clone(), path)
    };
    let updated = (updated_at - published_at).num_minutes() > 0;
    let ctx = context! {
        title => revision.title.clone(),
        summary => revision.summary.clone(),
        body_html => content::markdown::to_html(&revision.body),
        cover => cover,
        attachments => attachments,
        authors => authors.join(", "),
        source => revision.source.clone(),
        source_url => revision.source_url.clone(),
        tags => tags,
        published => format_vn(published_at),
        published_iso => published_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        updated => updated.then(|| format_vn(updated_at)),
        updated_iso => updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        related => related,
        ..layout(state, tree, l)
    };
    html(state, "article.html", 200, ctx, updated_at).map(Rendered::Page)
}
