//! Comparisons people can read (Đ6.2a: a correction is approved like new
//! content, so the approver must see what changed): two versions of a
//! field as side-by-side rows, the words that changed inside a changed
//! line marked, unchanged stretches shortened to a little context. No
//! patch syntax; screens render the rows.

use similar::{ChangeTag, DiffOp, TextDiff};

/// A piece of a line, `changed` when it differs from the other side.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    pub text: String,
    pub changed: bool,
}

/// How a row compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Same,
    Changed,
    Removed,
    Added,
    /// Unchanged lines left out; `old` holds how many, as text.
    Skipped,
}

/// One row: the line before (`old`) and after (`new`); an empty side is
/// a line that is not there.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub kind: Kind,
    pub old: Vec<Span>,
    pub new: Vec<Span>,
}

/// Unchanged lines kept around a change.
const CONTEXT: usize = 2;

fn whole(text: &str) -> Vec<Span> {
    vec![Span {
        text: text.trim_end_matches('\n').to_owned(),
        changed: false,
    }]
}

/// The two lines with the words that differ marked.
fn words(old: &str, new: &str) -> (Vec<Span>, Vec<Span>) {
    let (old, new) = (old.trim_end_matches('\n'), new.trim_end_matches('\n'));
    let d = TextDiff::from_words(old, new);
    let (mut a, mut b): (Vec<Span>, Vec<Span>) = (Vec::new(), Vec::new());
    // A space between two changed words belongs to the change.
    let push = |side: &mut Vec<Span>, text: &str, changed: bool| match side.last_mut() {
        Some(last) if last.changed == changed || (last.changed && text.trim().is_empty()) => {
            last.text.push_str(text)
        }
        _ => side.push(Span {
            text: text.to_owned(),
            changed,
        }),
    };
    for c in d.iter_all_changes() {
        let text = c.value();
        match c.tag() {
            ChangeTag::Equal => {
                push(&mut a, text, false);
                push(&mut b, text, false);
            }
            ChangeTag::Delete => push(&mut a, text, true),
            ChangeTag::Insert => push(&mut b, text, true),
        }
    }
    (a, b)
}

/// `old` against `new`, line by line; empty when they are equal.
pub fn compare(old: &str, new: &str) -> Vec<Row> {
    if old == new {
        return Vec::new();
    }
    let d = TextDiff::from_lines(old, new);
    let (a, b): (Vec<&str>, Vec<&str>) = (d.old_slices().to_vec(), d.new_slices().to_vec());
    let ops = d.ops();
    let mut rows = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        match *op {
            DiffOp::Equal { old_index, len, .. } => {
                let lines = &a[old_index..old_index + len];
                let head = if i == 0 { 0 } else { CONTEXT.min(len) };
                let tail = if i + 1 == ops.len() {
                    0
                } else {
                    CONTEXT.min(len - head)
                };
                for l in &lines[..head] {
                    rows.push(Row {
                        kind: Kind::Same,
                        old: whole(l),
                        new: whole(l),
                    });
                }
                let skipped = len - head - tail;
                if skipped > 0 {
                    rows.push(Row {
                        kind: Kind::Skipped,
                        old: whole(&skipped.to_string()),
                        new: Vec::new(),
                    });
                }
                for l in &lines[len - tail..] {
                    rows.push(Row {
                        kind: Kind::Same,
                        old: whole(l),
                        new: whole(l),
                    });
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for l in &a[old_index..old_index + old_len] {
                    rows.push(Row {
                        kind: Kind::Removed,
                        old: whole(l),
                        new: Vec::new(),
                    });
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for l in &b[new_index..new_index + new_len] {
                    rows.push(Row {
                        kind: Kind::Added,
                        old: Vec::new(),
                        new: whole(l),
                    });
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for k in 0..old_len.max(new_len) {
                    let row = match (
                        a.get(old_index + k).filter(|_| k < old_len),
                        b.get(new_index + k).filter(|_| k < new_len),
                    ) {
                        (Some(x), Some(y)) => {
                            let (old, new) = words(x, y);
                            Row {
                                kind: Kind::Changed,
                                old,
                                new,
                            }
                        }
                        (Some(x), None) => Row {
                            kind: Kind::Removed,
                            old: whole(x),
                            new: Vec::new(),
                        },
                        (None, Some(y)) => Row {
                            kind: Kind::Added,
                            old: Vec::new(),
                            new: whole(y),
                        },
                        (None, None) => continue,
                    };
                    rows.push(row);
                }
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans
            .iter()
            .map(|s| {
                if s.changed {
                    format!("[{}]", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn a_changed_line_marks_its_changed_words() {
        let rows = compare("Mức hưởng chế độ thai sản\n", "Mức hưởng chế độ ốm đau\n");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].kind, Kind::Changed);
        assert_eq!(text(&rows[0].old), "Mức hưởng chế độ [thai sản]");
        assert_eq!(text(&rows[0].new), "Mức hưởng chế độ [ốm đau]");
    }

    #[test]
    fn added_and_removed_lines_stand_alone_and_long_stretches_shorten() {
        let old: String = (1..=10).map(|i| format!("dòng {i}\n")).collect();
        let new = old.replace("dòng 5\n", "") + "dòng mới\n";
        let rows = compare(&old, &new);
        let kinds: Vec<Kind> = rows.iter().map(|r| r.kind).collect();
        use Kind::*;
        assert_eq!(
            kinds,
            vec![
                Skipped, Same, Same, Removed, Same, Same, Skipped, Same, Same, Added
            ]
        );
        assert!(
            rows.iter()
                .any(|r| r.kind == Kind::Removed && text(&r.old) == "dòng 5")
        );
        assert!(
            rows.iter()
                .any(|r| r.kind == Kind::Added && text(&r.new) == "dòng mới")
        );
        assert!(rows.iter().any(|r| r.kind == Kind::Skipped));
    }

    #[test]
    fn equal_texts_have_no_rows() {
        assert!(compare("giống nhau", "giống nhau").is_empty());
    }
}
