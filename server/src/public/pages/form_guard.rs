//! What guards the public forms (the Q&A ask form, comments on drafts):
//! a double-submit token in a strict same-site cookie against cross-site
//! posts, the hidden honeypot field, and one per-address hourly budget
//! shared by every public form.

use poem::Request;
use poem::web::cookie::{Cookie, SameSite};

use crate::forms::Form;
use crate::state::AppState;

const COOKIE: &str = "portal_ask_csrf";

/// The token of this visitor's forms (a new one on a first visit), set in
/// its cookie; pages that carry it are never cached.
pub(crate) fn token(req: &Request) -> String {
    let token = req
        .cookie()
        .get(COOKIE)
        .map(|c| c.value_str().to_owned())
        .filter(|v| v.len() == 32)
        .unwrap_or_else(|| content::accounts::random_token(16));
    let mut c = Cookie::new_with_str(COOKIE, token.clone());
    c.set_http_only(true);
    c.set_same_site(SameSite::Strict);
    c.set_path("/");
    req.cookie().add(c);
    token
}

/// Whether a posted form carries the visitor's token.
pub(crate) fn token_matches(req: &Request, form: &Form) -> bool {
    let cookie = req.cookie().get(COOKIE).map(|c| c.value_str().to_owned());
    cookie.is_some() && cookie.as_deref() == form.get("csrf")
}

/// Whether the sender's address may post one more form this hour.
pub(crate) fn within_budget(state: &AppState, req: &Request) -> bool {
    crate::net::client_ip(req, &state.config.trusted_proxies).is_none_or(|ip| state.ask_limit.check(ip))
}
