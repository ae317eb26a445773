//! Commenting on a draft put to consultation (section 15; Đ11.1a): the
//! form at `<draft's page>/gop-y`, open only inside the draft's window,
//! guarded like the Q&A ask form; a comment waits for moderation (Đ13)
//! before the draft's page shows it.

use content::entries::comments::{self, NewComment};
use content::entries::kinds::CONSULTATION;
use content::lang::Lang;
use content::sections::Node;
use minijinja::context;
use poem::Request;

use super::catalogue::find_live;
use super::form_guard;
use crate::forms::Form;
use crate::public::delivery::Rendered;
use crate::public::layout::{Layout, html, layout, trail};
use crate::public::tree::Tree;
use crate::public::{err, i18n};
use crate::state::AppState;

/// The label of a field of the form, for a message about it.
fn field_label(ed: Lang, field: &str) -> &str {
    let key = match field {
        "name" => "your_name",
        "email" => "email",
        "organisation" => "organisation",
        "clause" => "clause_hint",
        "text" => "your_comment",
        "file" => "attachment",
        _ => "consent",
    };
    i18n::text(ed, key)
}

/// `GET` (no form) or `POST` (a form) of the comment page of the draft at
/// `slug` under the top section `node`; `None` when there is no such
/// live draft.
pub(crate) async fn page(
    state: &AppState,
    req: &Request,
    ed: Lang,
    tree: &Tree,
    node: &Node,
    slug: &str,
    posted: Option<poem::Body>,
) -> poem::Result<Option<Rendered>> {
    let Some((_, e, data)) = find_live(state, node, &[&CONSULTATION], slug).await? else {
        return Ok(None);
    };
    let draft_path = format!("{}/{}", Tree::path_of(ed, None, node), e.slug);
    let path = format!("{draft_path}/{}", i18n::text(ed, "comment_slug"));
    let now = content::time::now();
    let open = content::entries::clock::window_status(&data, now) == "open";
    let mut form = None;
    let mut outcome: Option<Result<(), String>> = None;
    if let Some(body) = posted {
        crate::body_limit::allow_at_most(req, comments::ATTACHMENT_MAX_BYTES + 256 * 1024);
        let (f, file) = Form::read_with_file(req, body).await?;
        outcome = Some(if !form_guard::token_matches(req, &f) {
            Err(i18n::text(ed, "form_expired").to_owned())
        } else if !form_guard::within_budget(state, req) {
            Err(i18n::text(ed, "comments_limited").to_owned())
        } else if content::questions::intake::is_honeypot_filled(f.get("website")) {
            Ok(())
        } else {
            let mut c = NewComment {
                name: f.get("name").unwrap_or_default().to_owned(),
                email: f.get("email").unwrap_or_default().to_owned(),
                organisation: f.get("organisation").map(str::to_owned),
                clause: f.get("clause").map(str::to_owned),
                text: f.get("text").unwrap_or_default().to_owned(),
                consent: f.get("consent") == Some("true"),
                attachment: None,
            };
            // The file is kept only for a comment that will be stored: the
            // form is checked and the window open first.
            let stored = async {
                comments::validate(&c)?;
                comments::check_window(&state.db, e.id, now).await?;
                if let Some((file_name, bytes)) = file {
                    let upload = content::media::Upload {
                        file_name,
                        bytes,
                        alt: None,
                        caption: None,
                        credit: None,
                    };
                    c.attachment = Some(
                        state
                            .media
                            .keep(
                                upload,
                                comments::ATTACHMENT_MAX_BYTES,
                                comments::attachment_accepted,
                            )
                            .await?,
                    );
                }
                comments::submit(&state.db, e.id, &c, now).await
            }
            .await;
            match stored {
                Ok(_) => Ok(()),
                Err(content::Error::Invalid { field, vi: None, .. }) if ed == Lang::Vi => Err(format!(
                    "{} {}.",
                    i18n::text(ed, "check_field"),
                    field_label(ed, &field)
                )),
                Err(e @ (content::Error::Invalid { .. } | content::Error::OutsideWindow { .. })) => {
                    Err(e.message_in(ed))
                }
                Err(other) => return Err(err(other)),
            }
        });
        form = Some(f);
    }
    let token = form_guard::token(req);
    let title = content::entries::fields::text(&data, CONSULTATION.title).to_owned();
    let heading = i18n::text(ed, "comment_on").to_owned();
    let l = Layout {
        description: format!("{heading}: {title}"),
        current: node.slug(),
        breadcrumbs: trail(ed, None, node, Some(title.clone())),
        ..Layout::new(ed, heading.clone(), path.clone())
    };
    let failed = matches!(outcome, Some(Err(_)));
    let keep = |k: &str| {
        form.as_ref()
            .filter(|_| failed)
            .and_then(|f| f.get(k))
            .unwrap_or_default()
            .to_owned()
    };
    let ctx = context! {
        heading => heading, draft_title => title, draft_href => draft_path, action => path, csrf => token,
        open => open, done => matches!(outcome, Some(Ok(()))), error => outcome.and_then(Result::err),
        form => context! { name => keep("name"), email => keep("email"), organisation => keep("organisation"),
                           clause => keep("clause"), text => keep("text") },
        ..layout(&state.config, tree, l)
    };
    let status = if failed { 422 } else { 200 };
    Ok(Some(Rendered::Private(html(
        state,
        "consultation_comment.html",
        status,
        ctx,
        now,
    )?)))
}
