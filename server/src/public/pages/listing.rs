//! Posts as lists show them (home, sections, related posts, feeds), with
//! responsive covers.

use std::sync::Arc;

use content::entity::media;
use content::lang::Lang;
use content::time::format_vn;
use serde::Serialize;

use crate::catalog::Listing;
use crate::public::tree::section_slugs;
use crate::state::AppState;

/// A cover image as `<picture>` needs it: WebP and original-format
/// `srcset`s, the largest derivative as `src`.
#[derive(Serialize)]
pub(crate) struct CoverView {
    pub(crate) src: String,
    pub(crate) srcset: String,
    pub(crate) srcset_webp: String,
    pub(crate) alt: String,
    pub(crate) width: i32,
    pub(crate) height: i32,
    pub(crate) caption: Option<String>,
    pub(crate) credit: Option<String>,
}

pub(crate) fn cover_view(m: &media::Model) -> Option<CoverView> {
    let (w, h) = (m.width?, m.height?);
    let plan = m.derivatives();
    let own: Vec<_> = plan.iter().filter(|d| d.ext != "webp").collect();
    let webp: Vec<_> = plan.iter().filter(|d| d.ext == "webp").collect();
    let largest = own.last()?;
    let set = |ds: &[&content::media::Derivative]| {
        ds.iter()
            .map(|d| format!("{} {}w", m.derivative_url(d), d.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(CoverView {
        src: m.derivative_url(largest),
        srcset: set(&own),
        srcset_webp: set(&webp),
        alt: m.alt.clone().unwrap_or_default(),
        width: largest.width as i32,
        height: (h as i64 * largest.width as i64 / w.max(1) as i64) as i32,
        caption: m.caption.clone(),
        credit: m.credit.clone(),
    })
}

#[derive(Serialize)]
pub(crate) struct PostItem {
    pub(crate) url: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) date: String,
    pub(crate) iso: String,
    pub(crate) cover: Option<CoverView>,
}

/// List entries of live posts, with their covers when `with_covers`.
pub(crate) async fn items(
    state: &AppState,
    ed: Lang,
    posts: &[Arc<Listing>],
    with_covers: bool,
) -> poem::Result<Vec<PostItem>> {
    let slugs = section_slugs(state, ed);
    let mut out = Vec::new();
    for p in posts {
        let cover = match (with_covers, p.cover_media_id) {
            (true, Some(id)) => content::media::get(&state.db, id)
                .await
                .ok()
                .and_then(|m| cover_view(&m)),
            _ => None,
        };
        out.push(PostItem {
            url: format!(
                "/{ed}/{}/{}",
                slugs.get(&p.section_id).map(String::as_str).unwrap_or_default(),
                p.slug
            ),
            title: p.title.clone(),
            summary: p.summary.clone(),
            date: format_vn(p.published_at),
            iso: p.published_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            cover,
        });
    }
    Ok(out)
}
