//! The search dictionary as administrators edit it: one group per line,
//! `BHYT = bảo hiểm y tế`, alternatives after the `=` separated by `|`
//! (`KCB = khám chữa bệnh | khám bệnh, chữa bệnh`), `#` starting a
//! comment. The search engine applies it at query time, so a change takes
//! effect without re-indexing.

use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::roles::RoleSet;
use crate::text::nfc;

use super::settings::{self, Setting};

/// Most groups a dictionary holds; each query looks its words up, so the
/// dictionary stays a list people can read.
pub const MAX_GROUPS: usize = 2_000;
/// Most words on either side of a group.
pub const MAX_WORDS: usize = 8;

/// A group: the term and what it stands for, every form matching the
/// others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub term: String,
    pub alternatives: Vec<String>,
    /// The line it was read from (1-based), for errors found later.
    pub line: usize,
}

/// Reads the dictionary's text; an error names the line.
pub fn parse(text: &str) -> Result<Vec<Group>> {
    let text = nfc(text);
    let mut groups = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let n = n + 1;
        let bad = |en: &str, vi: &str| {
            Error::invalid_in(
                "synonyms",
                format!("line {n}: {en}: {line}"),
                format!("Dòng {n}: {vi}: {line}"),
            )
        };
        let Some((term, rest)) = line.split_once('=') else {
            return Err(bad(
                "write it as `term = expansion`",
                "cần viết dạng “viết tắt = từ đầy đủ”",
            ));
        };
        let term = squeeze(term);
        let alternatives: Vec<String> = rest.split('|').map(squeeze).filter(|a| !a.is_empty()).collect();
        if term.is_empty() || alternatives.is_empty() {
            return Err(bad(
                "a term and at least one expansion are needed",
                "cần có từ viết tắt và ít nhất một cách viết đầy đủ",
            ));
        }
        if std::iter::once(&term)
            .chain(&alternatives)
            .any(|w| w.split(' ').count() > MAX_WORDS)
        {
            return Err(bad(
                &format!("at most {MAX_WORDS} words on each side"),
                &format!("mỗi vế tối đa {MAX_WORDS} từ"),
            ));
        }
        groups.push(Group {
            term,
            alternatives,
            line: n,
        });
        if groups.len() > MAX_GROUPS {
            return Err(bad(
                &format!("at most {MAX_GROUPS} lines"),
                &format!("tối đa {MAX_GROUPS} dòng"),
            ));
        }
    }
    Ok(groups)
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes groups back as the text administrators edit.
pub fn to_text(groups: &[Group]) -> String {
    groups
        .iter()
        .map(|g| format!("{} = {}\n", g.term, g.alternatives.join(" | ")))
        .collect()
}

/// The stored dictionary's text, if an administrator ever saved one.
pub async fn stored(db: &impl sea_orm::ConnectionTrait) -> Result<Option<String>> {
    settings::get(db, Setting::SearchSynonyms).await
}

/// Saves the dictionary, checked; administrators only.
pub async fn save(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    roles: &RoleSet,
    text: &str,
) -> Result<Vec<Group>> {
    let groups = parse(text)?;
    settings::put(db, actor, roles, Setting::SearchSynonyms, to_text(&groups)).await?;
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_comments_and_alternatives() {
        let groups = parse(
            "# viết tắt\nBHYT = bảo hiểm y tế\n\n KCB =  khám chữa bệnh | khám bệnh, chữa bệnh # hai cách\n",
        )
        .unwrap();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[1].term, "KCB");
        assert_eq!(groups[1].alternatives, ["khám chữa bệnh", "khám bệnh, chữa bệnh"]);
        assert_eq!(groups[1].line, 4);
        let again = parse(&to_text(&groups)).unwrap();
        assert_eq!(again[1].alternatives, groups[1].alternatives);
    }

    #[test]
    fn a_bad_line_is_named_in_vietnamese() {
        let err = parse("BHYT = bảo hiểm y tế\nBHXH bảo hiểm xã hội").unwrap_err();
        let Error::Invalid { message, vi, .. } = err else {
            panic!()
        };
        assert!(message.starts_with("line 2"));
        assert!(vi.unwrap().starts_with("Dòng 2"));
        assert!(parse("= bảo hiểm").is_err());
        assert!(parse("BHYT = | ").is_err());
        assert!(parse(&format!("x = {}", "từ ".repeat(20))).is_err());
    }

    #[test]
    fn text_is_composed_to_nfc() {
        let decomposed = "BHYT = ba\u{309}o hiê\u{309}m y tê\u{301}";
        assert_eq!(parse(decomposed).unwrap()[0].alternatives[0], "bảo hiểm y tế");
    }
}
