//! The section catalogue of each edition: create, rename, re-slug,
//! reorder, move and hide sections (Đ6.2a, Đ7.1a: the board approves the
//! list, the administrators keep it).

use content::lang::Lang;
use content::sections::{self, NewSection, SectionChanges};
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};
use serde::Serialize;

use super::session::{Page, admin, checked_form, parse_opt_id, say, status_of, unit_views};
use crate::auth::actor;
use crate::forms::Form;
use crate::state::AppState;

#[derive(Serialize)]
pub(super) struct SectionView {
    id: i32,
    parent_id: Option<i32>,
    position: i32,
    slug: String,
    slug_vi: String,
    slug_en: String,
    name_vi: String,
    name_en: String,
    owner_unit_id: Option<i32>,
    visible: bool,
    /// The approval chain's steps, then empty rows to add more.
    steps: Vec<StepView>,
    children: Vec<SectionView>,
}

/// One step of a chain as the form shows it.
#[derive(Serialize)]
struct StepView {
    /// 1-based.
    n: usize,
    role: Option<&'static str>,
    unit_id: Option<i32>,
    /// No active account holds the role (in the unit): the chain would
    /// stop at this step.
    unheld: bool,
}

/// Steps a chain may have in the form.
pub(super) const MAX_STEPS: usize = 5;

/// Whether an active account holds `step`'s role, in its unit when set.
fn held(step: &content::workflow::Step, accounts: &[content::accounts::Account]) -> bool {
    accounts.iter().any(|a| {
        !a.user.disabled && a.roles.has(step.role) && step.unit_id.is_none_or(|u| a.user.unit_id == Some(u))
    })
}

impl SectionView {
    fn new(
        n: sections::Node,
        chains: &std::collections::HashMap<i32, Vec<content::workflow::Step>>,
        accounts: &[content::accounts::Account],
    ) -> Self {
        let slug = n.slug().to_owned();
        let s = n.section;
        let chain = chains.get(&s.id).cloned().unwrap_or_default();
        let steps = (0..MAX_STEPS)
            .map(|i| match chain.get(i) {
                Some(st) => StepView {
                    n: i + 1,
                    role: Some(st.role.as_str()),
                    unit_id: st.unit_id,
                    unheld: !held(st, accounts),
                },
                None => StepView {
                    n: i + 1,
                    role: None,
                    unit_id: None,
                    unheld: false,
                },
            })
            .collect();
        SectionView {
            id: s.id,
            parent_id: s.parent_id,
            position: s.position,
            slug,
            slug_vi: s.slug_vi,
            slug_en: s.slug_en,
            name_vi: s.name_vi,
            name_en: s.name_en,
            owner_unit_id: s.owner_unit_id,
            visible: s.visible,
            steps,
            children: n
                .children
                .into_iter()
                .map(|c| SectionView::new(c, chains, accounts))
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct ParentOption {
    id: i32,
    label: String,
}

pub(super) fn parent_options(
    nodes: &[SectionView],
    prefix: &str,
    edition: Lang,
    out: &mut Vec<ParentOption>,
) {
    for n in nodes {
        let name = edition.pick(&n.name_vi, &n.name_en);
        let label = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix} › {name}")
        };
        out.push(ParentOption {
            id: n.id,
            label: label.clone(),
        });
        parent_options(&n.children, &label, edition, out);
    }
}

pub(crate) fn edition_of(req: &Request, form: Option<&Form>) -> Lang {
    let from_form = form.and_then(|f| f.get("edition")).map(str::to_owned);
    let from_query = crate::forms::query(req, "edition");
    from_form
        .or(from_query)
        .and_then(|e| e.parse().ok())
        .unwrap_or(Lang::Vi)
}

pub(crate) async fn render_sections(
    state: &AppState,
    req: &Request,
    p: &Page,
    edition: Lang,
    status: StatusCode,
    flash: Option<String>,
    error: Option<String>,
) -> poem::Result<Response> {
    let chains = content::chains::all(&state.db)
        .await
        .map_err(crate::problem::ApiError::from)?;
    let accounts = content::accounts::list(&state.db)
        .await
        .map_err(crate::problem::ApiError::from)?;
    let tree: Vec<SectionView> = sections::tree(&state.db, edition, true)
        .await
        .map_err(crate::problem::ApiError::from)?
        .into_iter()
        .map(|n| SectionView::new(n, &chains, &accounts))
        .collect();
    let roles: Vec<_> = content::roles::Role::ALL
        .iter()
        .filter(|r| {
            !matches!(
                r,
                content::roles::Role::Finance | content::roles::Role::AccountManager
            )
        })
        .map(|r| context! { value => r.as_str(), label => r.label(p.lang) })
        .collect();
    let mut parents = Vec::new();
    parent_options(&tree, "", edition, &mut parents);
    let units = unit_views(state, p.lang).await?;
    p.render(
        state,
        req,
        status,
        "sections.html",
        context! {
            tree => tree, parents => parents, units => units, roles => roles,
            edition => edition.as_str(), flash => flash, error => error,
        },
    )
    .await
}

#[handler]
pub(super) async fn sections_page(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    render_sections(&state, req, &p, edition_of(req, None), StatusCode::OK, None, None).await
}

/// Runs a section change submitted from a form and re-renders the tree.
pub(super) async fn section_action<F, Fut>(
    state: &AppState,
    req: &Request,
    body: Body,
    action: &str,
    id: Option<i32>,
    f: F,
) -> poem::Result<Response>
where
    F: FnOnce(Form) -> Fut,
    Fut: std::future::Future<Output = Result<content::entity::section::Model, content::Error>>,
{
    let (p, caller) = match admin(state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(state, req, p, &caller, body);
    let edition = edition_of(req, Some(&form));
    match f(form).await {
        Ok(s) => {
            content::audit::record(
                &state.db,
                &actor(state, req, Some(&caller)),
                action,
                Some(("section", id.unwrap_or(s.id).to_string())),
                serde_json::json!({"name_vi": s.name_vi, "parent_id": s.parent_id, "position": s.position, "visible": s.visible}),
            )
            .await
            .map_err(crate::problem::ApiError::from)?;
            let flash = editor_ui::text(p.lang, "saved").to_owned();
            render_sections(state, req, &p, edition, StatusCode::OK, Some(flash), None).await
        }
        Err(e) => {
            render_sections(
                state,
                req,
                &p,
                edition,
                status_of(&e),
                None,
                Some(say(&e, p.lang, "error", "not_found")),
            )
            .await
        }
    }
}

#[handler]
pub(super) async fn sections_create(
    state: Data<&AppState>,
    req: &Request,
    body: Body,
) -> poem::Result<Response> {
    let db = state.db.clone();
    section_action(&state, req, body, "section.create", None, |form| async move {
        let new = NewSection {
            edition: form.get("edition").unwrap_or("vi").parse()?,
            parent_id: parse_opt_id(&form, "parent_id")?,
            name_vi: form.get("name_vi").unwrap_or_default().to_owned(),
            name_en: form.get("name_en").unwrap_or_default().to_owned(),
            slug_vi: None,
            slug_en: None,
            owner_unit_id: parse_opt_id(&form, "owner_unit_id")?,
            position: None,
            visible: true,
        };
        sections::create(&db, &new).await
    })
    .await
}

#[handler]
pub(super) async fn section_update(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let db = state.db.clone();
    section_action(&state, req, body, "section.update", Some(id), |form| async move {
        let changes = SectionChanges {
            name_vi: form.get("name_vi").map(str::to_owned),
            name_en: form.get("name_en").map(str::to_owned),
            slug_vi: form.get("slug_vi").map(str::to_owned),
            slug_en: form.get("slug_en").map(str::to_owned),
            owner_unit_id: Some(parse_opt_id(&form, "owner_unit_id")?),
            visible: Some(form.get("visible") == Some("true")),
        };
        sections::update(&db, id, &changes).await
    })
    .await
}

#[handler]
pub(super) async fn section_move(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let db = state.db.clone();
    section_action(&state, req, body, "section.move", Some(id), |form| async move {
        let parent = parse_opt_id(&form, "parent_id")?;
        let position = parse_opt_id(&form, "position")?;
        sections::move_to(&db, id, parent, position).await
    })
    .await
}
