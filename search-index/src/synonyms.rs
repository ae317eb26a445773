//! The synonym and abbreviation dictionary, applied at query time.
//!
//! Citizens and officials write "BHYT" as often as "bảo hiểm y tế", "thẻ
//! KCB" as often as "thẻ khám chữa bệnh". Each entry of the dictionary
//! makes a term and its expansions equivalent, both ways: a query saying
//! "the bhyt" finds texts saying "thẻ bảo hiểm y tế", and a query saying
//! "bao hiem y te" finds texts saying only "BHYT". Entries sharing a form
//! join into one group ("KCB" = "khám chữa bệnh" and "KCB" = "khám bệnh,
//! chữa bệnh" make three equivalent forms).
//!
//! Nothing is indexed differently: the query is expanded when it is run,
//! so an edited dictionary takes effect at the next search
//! ([`crate::SearchIndex::set_synonyms`]) without re-indexing. A form of
//! several words must match word after word: each word next to the
//! following one, as the indexed syllable pairs show (the parts of a form
//! that a comma splits, such as "khám bệnh, chữa bệnh", each so). Forms
//! are recognised in the query on their folded words, so with or without
//! diacritics.

use std::collections::HashMap;

use crate::query::QueryWord;
use crate::text::{fold_normalized, normalize, split_words};

/// Most entries a dictionary may hold: an admin form edits it by hand, and
/// every query looks its words up in it.
pub const MAX_ENTRIES: usize = 2_000;
/// Most words in a term or an expansion ("lao động - thương binh và xã
/// hội" has seven).
pub const MAX_WORDS: usize = 8;
/// Most characters in a term or an expansion.
const MAX_CHARS: usize = 100;
/// Most expansions of one entry.
const MAX_EXPANSIONS: usize = 10;
/// Most equivalent forms in one group once entries sharing a form are
/// joined, so that no chain of entries can make a query explode.
const MAX_GROUP: usize = 20;

/// The abbreviations of the social-insurance sector and their expansions,
/// one pair per expansion: the seed of the portal's dictionary. Left out on
/// purpose are abbreviations that are also common words or stand for
/// several things ("CP": "Chính phủ" or "cổ phần"; "BTC": "Bộ Tài chính"
/// or "ban tổ chức").
pub const SECTOR_ABBREVIATIONS: &[(&str, &str)] = &[
    ("BHXH", "bảo hiểm xã hội"),
    ("BHYT", "bảo hiểm y tế"),
    ("BHTN", "bảo hiểm thất nghiệp"),
    ("BHXHVN", "bảo hiểm xã hội Việt Nam"),
    ("BHXHVN", "BHXH VN"),
    ("BHXHVN", "BHXH Việt Nam"),
    ("TNLĐ", "tai nạn lao động"),
    ("BNN", "bệnh nghề nghiệp"),
    ("BHTNLĐ", "bảo hiểm tai nạn lao động"),
    ("NLĐ", "người lao động"),
    ("NSDLĐ", "người sử dụng lao động"),
    ("ĐVSDLĐ", "đơn vị sử dụng lao động"),
    ("HĐLĐ", "hợp đồng lao động"),
    ("ATVSLĐ", "an toàn, vệ sinh lao động"),
    ("KCB", "khám chữa bệnh"),
    ("KCB", "khám bệnh, chữa bệnh"),
    ("CSYT", "cơ sở y tế"),
    ("DVC", "dịch vụ công"),
    ("DVCTT", "dịch vụ công trực tuyến"),
    ("TTHC", "thủ tục hành chính"),
    ("CCCD", "căn cước công dân"),
    ("CMND", "chứng minh nhân dân"),
    ("HGĐ", "hộ gia đình"),
    ("HSSV", "học sinh, sinh viên"),
    ("MST", "mã số thuế"),
    ("UBND", "ủy ban nhân dân"),
    ("HĐND", "hội đồng nhân dân"),
    ("LĐTBXH", "lao động - thương binh và xã hội"),
    ("BLĐTBXH", "Bộ Lao động - Thương binh và Xã hội"),
    ("BYT", "Bộ Y tế"),
    ("NSNN", "ngân sách nhà nước"),
    ("VBQPPL", "văn bản quy phạm pháp luật"),
    ("NĐ", "nghị định"),
    ("TT", "thông tư"),
    ("QĐ", "quyết định"),
    ("CNTT", "công nghệ thông tin"),
];

/// A dictionary entry that cannot be accepted, with the line of the admin
/// form (or the 1-based position of the entry) it comes from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SynonymError {
    pub line: usize,
    pub message: String,
}

/// One form of a group: its words as a query's words would be, with the
/// positions of the clause gaps ("khám bệnh, chữa bệnh" skips one after
/// the comma, like the indexed text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Form {
    pub words: Vec<QueryWord>,
}

impl Form {
    fn folded(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|w| w.folded.as_str())
    }
}

/// The synonym and abbreviation dictionary: groups of equivalent terms.
///
/// Build it with [`Synonyms::parse`] (entries from a form or a database),
/// or [`Synonyms::sector`] (the server reads the administrators' text
/// into entries);
/// the default is empty.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// The entries as given, for showing them back.
    entries: Vec<(String, Vec<String>)>,
    /// Equivalent forms, each group in the order the forms were given.
    groups: Vec<Vec<Form>>,
    /// Folded first word of a form → (group, form), longest forms first,
    /// so that the query's longest known sequence wins.
    by_first: HashMap<String, Vec<(usize, usize)>>,
}

/// Where a form of the dictionary stands in a run of query words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    /// Number of query words it covers.
    pub len: usize,
    pub group: usize,
    pub form: usize,
}

impl Synonyms {
    /// A dictionary from `(term, expansions)` entries, such as
    /// `("BHYT", ["bảo hiểm y tế"])`, checked: the error names the first
    /// bad entry by its 1-based position (the line of an admin form). A
    /// term or expansion must have a word and at most [`MAX_WORDS`];
    /// blank expansions are skipped but an entry needs one; at most
    /// [`MAX_ENTRIES`] entries.
    pub fn parse<I, T, E, S>(entries: I) -> Result<Self, SynonymError>
    where
        I: IntoIterator<Item = (T, E)>,
        T: AsRef<str>,
        E: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut builder = Builder::default();
        for (i, (term, expansions)) in entries.into_iter().enumerate() {
            let expansions: Vec<String> = expansions.into_iter().map(|e| e.as_ref().to_owned()).collect();
            builder.add(i + 1, term.as_ref(), &expansions)?;
        }
        Ok(builder.finish())
    }

    /// The dictionary of [`SECTOR_ABBREVIATIONS`].
    pub fn sector() -> Self {
        let mut builder = Builder::default();
        for (i, (term, expansion)) in SECTOR_ABBREVIATIONS.iter().enumerate() {
            // The list is checked by a test; a bad entry is skipped rather
            // than failing a server at start-up.
            let _ = builder.add(i + 1, term, &[expansion.to_string()]);
        }
        builder.finish()
    }

    /// The entries as given (terms and expansions trimmed, blank
    /// expansions dropped).
    pub fn entries(&self) -> &[(String, Vec<String>)] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The longest form of the dictionary that the folded `words` start
    /// with, if any.
    pub(crate) fn find(&self, words: &[&str]) -> Option<Found> {
        let first = words.first()?;
        self.by_first.get(*first)?.iter().find_map(|&(group, form)| {
            let f = &self.groups[group][form];
            let len = f.words.len();
            (len <= words.len() && f.folded().eq(words[..len].iter().copied())).then_some(Found {
                len,
                group,
                form,
            })
        })
    }

    /// The forms of a group.
    pub(crate) fn group(&self, group: usize) -> &[Form] {
        self.groups.get(group).map_or(&[], Vec::as_slice)
    }
}

/// Collects checked entries and joins them into groups.
#[derive(Default)]
struct Builder {
    entries: Vec<(String, Vec<String>)>,
    /// Forms in the order met, with the group each belongs to (groups are
    /// joined by relabelling, there are few).
    forms: Vec<(Form, usize)>,
    /// Folded words of a form → its index in `forms`.
    known: HashMap<Vec<String>, usize>,
    next_group: usize,
}

impl Builder {
    fn add(&mut self, line: usize, term: &str, expansions: &[String]) -> Result<(), SynonymError> {
        let error = |message: String| SynonymError { line, message };
        if self.entries.len() >= MAX_ENTRIES {
            return Err(error(format!("more than {MAX_ENTRIES} entries")));
        }
        let term = term.trim();
        let expansions: Vec<String> = expansions
            .iter()
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty())
            .collect();
        let term_form = form(term).map_err(|m| error(format!("the term {m}")))?;
        if expansions.is_empty() {
            return Err(error(format!("the term {term:?} has no expansion")));
        }
        if expansions.len() > MAX_EXPANSIONS {
            return Err(error(format!(
                "the term {term:?} has {} expansions; at most {MAX_EXPANSIONS}",
                expansions.len()
            )));
        }
        let mut forms = vec![term_form];
        for expansion in &expansions {
            forms.push(form(expansion).map_err(|m| error(format!("the expansion {m}")))?);
        }
        // The groups of the forms already known join this entry's group.
        let mut joined: Vec<usize> = Vec::new();
        for f in &forms {
            if let Some(&at) = self.known.get(&key(f)) {
                let group = self.forms[at].1;
                if !joined.contains(&group) {
                    joined.push(group);
                }
            }
        }
        let group = joined.first().copied().unwrap_or_else(|| {
            self.next_group += 1;
            self.next_group - 1
        });
        let new_forms: Vec<Form> = {
            let mut seen: Vec<Vec<String>> = Vec::new();
            forms
                .into_iter()
                .filter(|f| {
                    let k = key(f);
                    let fresh = !self.known.contains_key(&k) && !seen.contains(&k);
                    seen.push(k);
                    fresh
                })
                .collect()
        };
        let size = self.forms.iter().filter(|(_, g)| joined.contains(g)).count() + new_forms.len();
        if size > MAX_GROUP {
            return Err(error(format!(
                "{term:?} joins a group of more than {MAX_GROUP} equivalent terms"
            )));
        }
        for (_, g) in &mut self.forms {
            if joined.contains(g) {
                *g = group;
            }
        }
        for f in new_forms {
            self.known.insert(key(&f), self.forms.len());
            self.forms.push((f, group));
        }
        self.entries.push((term.to_owned(), expansions));
        Ok(())
    }

    fn finish(self) -> Synonyms {
        let mut numbering: HashMap<usize, usize> = HashMap::new();
        let mut groups: Vec<Vec<Form>> = Vec::new();
        for (f, g) in self.forms {
            let at = *numbering.entry(g).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[at].push(f);
        }
        // A group of one form (an entry whose expansions all repeat its
        // term) expands to nothing.
        groups.retain(|g| g.len() > 1);
        let mut by_first: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (g, forms) in groups.iter().enumerate() {
            for (i, f) in forms.iter().enumerate() {
                if let Some(first) = f.words.first() {
                    by_first.entry(first.folded.clone()).or_default().push((g, i));
                }
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|&(g, i)| std::cmp::Reverse(groups[g][i].words.len()));
        }
        Synonyms {
            entries: self.entries,
            groups,
            by_first,
        }
    }
}

fn key(form: &Form) -> Vec<String> {
    form.folded().map(str::to_owned).collect()
}

/// A term or expansion as a form, or why it cannot be one (the message
/// completes "the term …").
fn form(text: &str) -> Result<Form, String> {
    if text.chars().count() > MAX_CHARS {
        return Err(format!("{text:?} is longer than {MAX_CHARS} characters"));
    }
    let normalized = normalize(text);
    let spans = split_words(&normalized);
    if spans.is_empty() {
        return Err(if text.is_empty() {
            "is empty".to_owned()
        } else {
            format!("{text:?} has no word")
        });
    }
    if spans.len() > MAX_WORDS {
        return Err(format!("{text:?} has {} words; at most {MAX_WORDS}", spans.len()));
    }
    let first = spans[0].position;
    let words = spans
        .iter()
        .map(|s| {
            let exact = normalized[s.from..s.to].to_owned();
            QueryWord {
                folded: fold_normalized(&exact),
                typed: exact.clone(),
                exact,
                position: s.position - first,
                at: None,
                correction: None,
            }
        })
        .collect();
    Ok(Form { words })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn the_sector_list_is_valid() {
        let entries = SECTOR_ABBREVIATIONS.iter().map(|(t, e)| (*t, [*e]));
        let dictionary = Synonyms::parse(entries).expect("valid");
        assert_eq!(dictionary.entries().len(), SECTOR_ABBREVIATIONS.len());
        assert_eq!(Synonyms::sector().groups.len(), dictionary.groups.len());
    }

    #[test]
    fn finds_the_longest_form() {
        let s = Synonyms::sector();
        let words = ["bao", "hiem", "xa", "hoi", "viet", "nam", "tinh"];
        let found = s.find(&words).expect("found");
        assert_eq!(found.len, 6);
        assert_eq!(s.find(&words[..5]).map(|f| f.len), Some(4));
        assert_eq!(s.find(&["kcb"]).map(|f| s.group(f.group).len()), Some(3));
        assert_eq!(s.find(&["bao", "hiem"]), None);
    }

    #[test]
    fn gaps_after_commas_are_kept() {
        let s = Synonyms::sector();
        let found = s.find(&["kham", "benh", "chua", "benh"]).expect("found");
        let f = &s.group(found.group)[found.form];
        let positions: Vec<usize> = f.words.iter().map(|w| w.position).collect();
        assert_eq!(positions, [0, 1, 3, 4]);
        assert_eq!(key(f), folded(&["kham", "benh", "chua", "benh"]));
    }

    #[test]
    fn bad_entries_name_their_line() {
        let error = |entries: &[(&str, &str)]| {
            Synonyms::parse(entries.iter().map(|(t, e)| (*t, [*e])))
                .map(|_| ())
                .unwrap_err()
        };
        assert_eq!(error(&[("a", "b"), ("c", "d"), ("", "bảo hiểm")]).line, 3);
        assert!(error(&[("bhyt", " ")]).message.contains("no expansion"));
        assert!(
            error(&[("x", "một hai ba bốn năm sáu bảy tám chín")])
                .message
                .contains("9 words")
        );
        assert!(error(&[("--", "bảo")]).message.contains("no word"));
        let many = vec![("a", "b"); MAX_ENTRIES + 1];
        assert_eq!(error(&many).line, MAX_ENTRIES + 1);
        let ok = Synonyms::parse([("KCB", ["khám chữa bệnh", "khám bệnh, chữa bệnh"])]).expect("valid");
        assert_eq!(ok.entries()[0].1, ["khám chữa bệnh", "khám bệnh, chữa bệnh"]);
    }

    #[test]
    fn entries_sharing_a_form_join() {
        let s = Synonyms::parse([("a", ["b"]), ("c", ["d"]), ("b", ["c"])]).expect("valid");
        assert_eq!(s.groups.len(), 1);
        assert_eq!(s.group(0).len(), 4);
        let chain: Vec<(String, Vec<String>)> = (0..MAX_GROUP)
            .map(|i| (format!("w{i}"), vec![format!("w{}", i + 1)]))
            .collect();
        let error = Synonyms::parse(chain).map(|_| ()).unwrap_err();
        assert_eq!(error.line, MAX_GROUP);
    }
}
