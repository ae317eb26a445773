//! `/editor/notifications`: what the editor told the user (a post waits
//! for them, theirs was sent back, approved, published or withdrawn), and
//! their choice of mail at once or one daily digest.

use content::notifications::{self, Kind};
use minijinja::context;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Body, Request, Response, handler};

use super::session::{checked_form, db_err, redirect, staff_or_return};
use crate::forms::query;
use crate::state::AppState;

#[handler]
pub async fn list(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let lang = p.lang;
    let names: std::collections::HashMap<i32, String> = content::accounts::list(&state.db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| (a.user.id, a.user.display_name))
        .collect();
    let mut items = Vec::new();
    for n in notifications::of_user(&state.db, caller.account.user.id, 200)
        .await
        .map_err(db_err)?
    {
        let Some(kind) = Kind::parse(&n.kind) else {
            continue;
        };
        let title = match content::posts::get(&state.db, n.post_id).await {
            Ok(f) => f.revision.title,
            Err(_) => continue,
        };
        items.push(context! {
            post_id => n.post_id, title => title, what => kind.sentence(lang),
            by => n.actor_id.and_then(|a| names.get(&a).cloned()),
            at => content::time::format_vn(n.created_at), unread => n.read_at.is_none(),
        });
    }
    p.render(
        &state,
        req,
        StatusCode::OK,
        "notifications.html",
        context! {
            items => items, digest => caller.account.user.notify_digest,
            has_email => caller.account.user.email.is_some(),
            flash => query(req, "saved").map(|_| editor_ui::text(lang, "saved").to_owned()),
        },
    )
    .await
}

/// `POST /editor/notifications`: `delivery` = `immediate` or `digest`, or
/// `read_all`.
#[handler]
pub async fn update(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    let me = caller.account.user.id;
    if form.get("read_all").is_some() {
        notifications::mark_read(&state.db, me, None)
            .await
            .map_err(db_err)?;
    }
    if let Some(d) = form.get("delivery") {
        notifications::set_digest(&state.db, me, d == "digest")
            .await
            .map_err(db_err)?;
    }
    Ok(redirect("/editor/notifications?saved=1"))
}
