//! Who may call each operation, written into the OpenAPI description
//! (`x-roles` and a line of the description), so a client knows before
//! trying. The handlers and the domain enforce it; this table says it, and
//! a test checks that every operation of the API has its line.
//!
//! Words besides role names: `public` (no login), `signed_in` (any
//! account), `self` (the account itself).

use content::entries::kinds;
use content::roles::{self, Role};

fn names(list: &[Role]) -> Vec<String> {
    list.iter().map(|r| r.as_str().to_owned()).collect()
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| (*w).to_owned()).collect()
}

fn board_and(list: &[Role]) -> Vec<String> {
    let mut out = names(list);
    for r in roles::BOARD {
        if !out.iter().any(|n| n == r.as_str()) {
            out.push(r.as_str().to_owned());
        }
    }
    out
}

/// The callers of `method` on `path` (as the description writes it,
/// without `/api/v1`); `None` for an operation the table does not know.
pub fn of(method: &str, path: &str) -> Option<Vec<String>> {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let get = method.eq_ignore_ascii_case("get");
    let admin = || names(&[Role::Admin]);
    Some(match segs.as_slice() {
        ["auth", "login"] => words(&["public"]),
        ["auth", ..] | ["me", ..] => words(&["signed_in"]),
        ["audit"] | ["search", "queries"] => admin(),
        ["calendar", ..] if get => words(&["public"]),
        ["calendar", ..] => admin(),
        ["delegations", ..] => board_and(&[Role::Admin]),
        ["link-checks"] if get => names(&[Role::Admin, Role::Editor, Role::ProceduresEditor]),
        ["link-checks"] => admin(),
        ["media", ..] | ["posts", ..] | ["preview"] => names(&roles::EDITORIAL_STAFF),
        ["petitions"] | ["qa", "track", _] => words(&["public"]),
        ["qa", "questions"] if !get => words(&["public"]),
        ["qa", "questions", "import"] => names(&roles::QA_COORDINATION),
        ["qa", "report"] => names(&roles::QA_REPORT_READERS),
        ["qa", ..] => names(&roles::QA_STAFF),
        ["provisions", "kinds"] if get => words(&["signed_in"]),
        ["provisions", "kinds"] => admin(),
        ["provisions", "dashboard"] | ["reports", ..] => names(&roles::OVERSIGHT),
        ["provisions", ..] => {
            let mut out = names(&roles::OVERSIGHT);
            out.push("staff of the event's unit".to_owned());
            out
        }
        ["royalties", "rates"] if get => words(&["signed_in"]),
        ["royalties", "rates"] | ["royalties", "holders", ..] if !get => names(&[Role::Finance]),
        ["royalties", ..] => {
            let mut out = names(&[Role::Finance]);
            out.push("the proposers, approvers and readers each budget holder names".to_owned());
            out
        }
        ["search"] | ["search", "suggest"] => words(&["public"]),
        ["sections", ..] | ["units", ..] if get => words(&["public"]),
        ["sections", ..] | ["units", ..] => admin(),
        ["users", _] if get => {
            let mut out = names(&[Role::Admin, Role::AccountManager]);
            out.push("self".to_owned());
            out
        }
        ["users", ..] => names(&[Role::Admin, Role::AccountManager]),
        [plural, rest @ ..] => {
            let kind = kinds::ALL.iter().find(|k| k.plural == *plural)?;
            match rest {
                [_, "comments"] if !get => words(&["public"]),
                [_, "transitions"] => board_and(kind.editors),
                _ if get => board_and(kind.editors),
                _ => names(kind.editors),
            }
        }
        [] => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_name_their_callers() {
        assert_eq!(of("post", "/auth/login").unwrap(), vec!["public"]);
        assert_eq!(of("get", "/audit").unwrap(), vec!["admin"]);
        assert!(of("post", "/posts").unwrap().contains(&"contributor".to_owned()));
        assert!(
            of("put", "/procedures/{id}")
                .unwrap()
                .contains(&"procedures_editor".to_owned())
        );
        assert!(
            !of("put", "/procedures/{id}")
                .unwrap()
                .contains(&"editor".to_owned())
        );
        assert_eq!(
            of("post", "/consultations/{id}/comments").unwrap(),
            vec!["public"]
        );
        assert!(of("get", "/nonsense").is_none());
    }
}
