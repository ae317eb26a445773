//! An article: its live revision with cover, attachments, authors and
//! source (Đ8.3), dates in Vietnam time, related posts and the link to its
//! translation; `?print=1` for the print view.

use content::lang::Lang;
use content::posts::Author;
use content::time::format_vn;
use minijinja::{Value, context};
use poem::Request;
use sea_orm::EntityTrait;
use serde::Serialize;

use super::listing::{CoverView, PostItem, cover_view, items};
use crate::catalog::Lookup;
use crate::forms::query;
use crate::public::delivery::Rendered;
use crate::public::err;
use crate::public::layout::{Layout, error_page, html, json_ld, layout, not_found, trail};
use crate::public::tree::{Tree, section_slugs};
use crate::state::AppState;

/// A file attached to an article.
#[derive(Serialize)]
pub(crate) struct AttachmentView {
    url: String,
    name: String,
    /// The file type as readers know it (`PDF`, `DOCX`).
    kind: String,
    size: String,
}

/// What the article template shows besides the layout.
#[derive(Serialize)]
pub(crate) struct ArticleView {
    /// For staff's "edit" link.
    post_id: i32,
    title: String,
    summary: String,
    body_html: String,
    cover: Option<CoverView>,
    attachments: Vec<AttachmentView>,
    /// Đ8.3: the author and source of reused information are named.
    authors: String,
    source: Option<String>,
    source_url: Option<String>,
    tags: Vec<String>,
    published: String,
    published_iso: String,
    /// Shown when the article changed after publication.
    updated: Option<String>,
    updated_iso: String,
    related: Vec<PostItem>,
    /// A draft seen through a preview link.
    preview: bool,
    /// schema.org `NewsArticle` and `BreadcrumbList`, for search engines (not on previews).
    json_ld: Option<String>,
}

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
    let related = state.catalog.related(&listing, 5);
    let related = items(state, ed, &related, false).await?;
    let shown = Shown {
        parent,
        node,
        path,
        other_url,
        published_at: listing.published_at,
        updated_at: listing.updated_at,
        related,
        preview: false,
    };
    let page = article(state, req, ed, tree, &revision, shown).await?;
    Ok(Rendered::Page(
        page.viewing(content::views::Viewed::Post, listing.id),
    ))
}

/// Where and how an article revision is shown.
pub(crate) struct Shown<'a> {
    pub(crate) parent: Option<&'a content::sections::Node>,
    pub(crate) node: &'a content::sections::Node,
    pub(crate) path: String,
    pub(crate) other_url: String,
    pub(crate) published_at: chrono::DateTime<chrono::Utc>,
    pub(crate) updated_at: chrono::DateTime<chrono::Utc>,
    pub(crate) related: Vec<PostItem>,
    /// A draft seen through a preview link: marked so, never indexed.
    pub(crate) preview: bool,
}

/// The article page of one revision: the live one, or a draft's working
/// one through a preview link.
pub(crate) async fn article(
    state: &AppState,
    req: &Request,
    ed: Lang,
    tree: &Tree,
    revision: &content::entity::revision::Model,
    shown: Shown<'_>,
) -> poem::Result<crate::public::cache::Page> {
    let Shown {
        parent,
        node,
        path,
        other_url,
        published_at,
        updated_at,
        related,
        preview,
    } = shown;
    let attached: Vec<i32> = serde_json::from_str(&revision.attachments).unwrap_or_default();
    let media = if attached.is_empty() && revision.cover_media_id.is_none() {
        Vec::new()
    } else {
        content::posts::media_of(&state.db, revision).await.map_err(err)?
    };
    let cover = revision
        .cover_media_id
        .and_then(|c| media.iter().find(|m| m.id == c))
        .and_then(cover_view);
    let attachments: Vec<AttachmentView> = attached
        .into_iter()
        .filter_map(|a| media.iter().find(|m| m.id == a))
        .map(|m| AttachmentView {
            url: m.url(),
            name: m.file_name.clone(),
            kind: m.file_name.rsplit('.').next().unwrap_or("").to_ascii_uppercase(),
            size: human_size(m.size),
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
    let top_slug = parent.map(|p| p.slug()).unwrap_or(node.slug()).to_owned();
    let description = if revision.summary.is_empty() {
        revision.title.clone()
    } else {
        revision.summary.clone()
    };
    let base = &state.config.base_url;
    let crumbs = trail(ed, parent, node, Some(revision.title.clone()));
    let article_ld = serde_json::json!({
        "@type": "NewsArticle",
        "headline": revision.title,
        "description": description,
        "inLanguage": ed.to_string(),
        "datePublished": published_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "dateModified": updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "mainEntityOfPage": format!("{base}{path}"),
        "image": cover.as_ref().map(|c| vec![format!("{base}{}", c.src)]),
        "author": authors.iter().map(|a| serde_json::json!({ "@type": "Person", "name": a })).collect::<Vec<_>>(),
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": ed.pick(&state.config.footer.unit_vi, &state.config.footer.unit_en),
            "url": base,
        },
    });
    let ld = (!preview).then(|| json_ld(base, &path, &crumbs, vec![article_ld]));
    let l = Layout {
        description,
        other_edition_url: other_url,
        current: &top_slug,
        breadcrumbs: crumbs,
        dc_date: published_at,
        dc_creator: (!authors.is_empty()).then(|| authors.join(", ")),
        og_image: cover
            .as_ref()
            .map(|c| format!("{}{}", state.config.base_url, c.src)),
        og_type: "article",
        print: query(req, "print").is_some(),
        ..Layout::new(ed, revision.title.clone(), path)
    };
    let updated = (updated_at - published_at).num_minutes() > 0;
    let view = ArticleView {
        post_id: revision.post_id,
        title: revision.title.clone(),
        summary: revision.summary.clone(),
        body_html: content::markdown::to_html(&revision.body),
        cover,
        attachments,
        authors: authors.join(", "),
        source: revision.source.clone(),
        source_url: revision.source_url.clone(),
        tags,
        published: format_vn(published_at),
        published_iso: published_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        updated: updated.then(|| format_vn(updated_at)),
        updated_iso: updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        related,
        preview,
        json_ld: ld,
    };
    let ctx = context! { ..Value::from_serialize(&view), ..layout(&state.config, tree, l) };
    html(state, "article.html", 200, ctx, updated_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::public::layout::fixture;

    #[test]
    fn an_article_as_readers_see_it() {
        let (config, tree) = (fixture::config(), fixture::tree());
        let (published, updated) = (
            fixture::at("2026-11-30T01:00:00Z"),
            fixture::at("2026-11-30T08:30:00Z"),
        );
        let (_, news) = tree.find(2).unwrap();
        let l = Layout {
            description: "Mức điều chỉnh mới".into(),
            current: "tin-tuc",
            breadcrumbs: trail(
                Lang::Vi,
                None,
                news,
                Some("Điều chỉnh lương hưu từ 1/7/2026".into()),
            ),
            dc_date: published,
            dc_creator: Some("Minh Anh".into()),
            og_type: "article",
            ..Layout::new(
                Lang::Vi,
                "Điều chỉnh lương hưu từ 1/7/2026".into(),
                "/vi/tin-tuc/dieu-chinh-luong-huu".into(),
            )
        };
        let view = ArticleView {
            post_id: 1,
            title: "Điều chỉnh lương hưu từ 1/7/2026".into(),
            summary: "Mức điều chỉnh mới".into(),
            body_html: content::markdown::to_html("Nội dung **chi tiết** <script>x</script>."),
            cover: None,
            attachments: vec![AttachmentView {
                url: "/media/7/original".into(),
                name: "nghi-dinh.pdf".into(),
                kind: "PDF".into(),
                size: human_size(250_000),
            }],
            authors: "Minh Anh".into(),
            source: Some("BHXH Việt Nam".into()),
            source_url: None,
            tags: vec!["lương hưu".into()],
            published: format_vn(published),
            published_iso: published.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            updated: Some(format_vn(updated)),
            updated_iso: updated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            related: Vec::new(),
            preview: false,
            json_ld: None,
        };
        let ctx = context! { ..Value::from_serialize(&view), ..layout(&config, &tree, l) };
        insta::assert_snapshot!(fixture::render("article.html", ctx));
    }
}
