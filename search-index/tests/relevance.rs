//! Search that knows how people type: abbreviations and their
//! expansions, typos in short words, queries whose words are not all in
//! one text, and words typed in the order a text has them.

use chrono::{TimeZone, Utc};
use search_index::{Document, Query, Results, SearchIndex, Synonyms, fold};
use tempfile::TempDir;

/// Real published prose: passages of Vietnamese regulations on social
/// insurance (see the header of the file).
const PASSAGES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/regulation-passages.tsv"
));

fn doc(id: &str, title: &str, body: &str) -> Document {
    Document {
        id: id.into(),
        kind: "article".into(),
        edition: "vi".into(),
        section_path: vec!["vi-02".into()],
        title: title.into(),
        summary: String::new(),
        body: body.into(),
        tags: Vec::new(),
        published_at: Utc
            .with_ymd_and_hms(2024, 5, 1, 3, 0, 0)
            .single()
            .expect("valid date"),
        url: format!("/{id}"),
    }
}

fn index_with(docs: &[Document]) -> (TempDir, SearchIndex) {
    let dir = TempDir::new().expect("temp dir");
    let index = SearchIndex::open_or_create(dir.path()).expect("open index");
    for d in docs {
        index.upsert(d).expect("upsert");
    }
    index.commit().expect("commit");
    (dir, index)
}

fn search(index: &SearchIndex, text: &str) -> Results {
    index
        .search(&Query {
            edition: Some("vi".into()),
            per_page: 20,
            ..Query::new(text)
        })
        .expect("search")
}

fn ids(results: &Results) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

fn insurance_docs() -> Vec<Document> {
    vec![
        doc(
            "card",
            "Cấp lại thẻ bảo hiểm y tế bị mất",
            "Người tham gia bị mất thẻ bảo hiểm y tế được cấp lại thẻ tại cơ quan bảo hiểm xã hội.",
        ),
        doc(
            "abbreviated",
            "Giá trị sử dụng của thẻ BHYT",
            "Thẻ BHYT có giá trị sử dụng tương ứng với số tiền đóng BHYT.",
        ),
        doc(
            "scattered",
            "Bảo hiểm tài sản và an toàn y tế trường học",
            "Bảo hiểm tài sản của nhà trường; phòng y tế học đường.",
        ),
        doc(
            "visits",
            "Thủ tục khám bệnh, chữa bệnh tại tuyến xã",
            "Người bệnh xuất trình giấy tờ tùy thân có ảnh khi khám bệnh, chữa bệnh.",
        ),
        doc(
            "pension",
            "Lương hưu tháng 7 chi trả qua tài khoản",
            "Người hưởng lương hưu nhận tiền qua tài khoản ngân hàng.",
        ),
    ]
}

fn sector_index() -> (TempDir, SearchIndex) {
    let (dir, index) = index_with(&insurance_docs());
    index.set_synonyms(Synonyms::sector());
    (dir, index)
}

#[test]
fn an_abbreviation_finds_its_expansion() {
    let (_dir, index) = sector_index();
    for query in ["the bhyt", "thẻ BHYT", "cấp lại thẻ BHYT", "cap lai the bhyt"] {
        let results = search(&index, query);
        assert!(ids(&results).contains(&"card"), "{query}: {:?}", ids(&results));
        assert!(results.left_out.is_empty() && !results.fuzzy, "{query}");
    }
    let results = search(&index, "cấp lại thẻ BHYT");
    assert_eq!(ids(&results), ["card"]);
    assert!(
        results.hits[0].title_html.contains("thẻ bảo hiểm y tế</mark>"),
        "{}",
        results.hits[0].title_html
    );
    // A form with a comma matches the text with one.
    assert_eq!(ids(&search(&index, "KCB tuyến xã")), ["visits"]);
}

#[test]
fn an_expansion_finds_its_abbreviation() {
    let (_dir, index) = sector_index();
    for query in ["bảo hiểm y tế", "bao hiem y te", "BẢO HIỂM Y TẾ"] {
        let results = search(&index, query);
        let found = ids(&results);
        assert!(found.contains(&"abbreviated"), "{query}: {found:?}");
        assert!(found.contains(&"card"), "{query}: {found:?}");
    }
    // The text using the words typed comes first.
    assert_eq!(ids(&search(&index, "thẻ bảo hiểm y tế"))[0], "card");
    assert_eq!(
        ids(&search(&index, "khám chữa bệnh tuyến xã")),
        ["visits"],
        "two expansions of KCB are equivalent"
    );
}

#[test]
fn a_form_of_several_words_matches_only_in_sequence() {
    let (_dir, index) = sector_index();
    // "bảo hiểm", "y tế" apart in "scattered": not BHYT.
    let found = search(&index, "bhyt");
    assert!(!ids(&found).contains(&"scattered"), "{:?}", ids(&found));
    assert!(ids(&found).contains(&"card"));
}

#[test]
fn a_new_dictionary_applies_at_the_next_search() {
    let (_dir, index) = index_with(&insurance_docs());
    assert!(index.synonyms().is_empty());
    // No dictionary: only "thẻ BHYT" as such, with the rarest words left
    // out.
    let before = search(&index, "cấp lại thẻ BHYT");
    assert_eq!(ids(&before), ["abbreviated"]);
    assert_eq!(before.left_out, ["cấp", "lại"]);

    index.set_synonyms(Synonyms::sector());
    let after = search(&index, "cấp lại thẻ BHYT");
    assert_eq!(ids(&after), ["card"]);
    assert!(after.left_out.is_empty());

    let admin = Synonyms::parse([("hưu trí", ["lương hưu"])]).expect("valid");
    index.set_synonyms(admin);
    assert_eq!(ids(&search(&index, "huu tri")), ["pension"]);
    assert_eq!(search(&index, "cấp lại thẻ BHYT").left_out, ["cấp", "lại"]);

    index.set_synonyms(Synonyms::default());
    assert!(!search(&index, "huu tri").left_out.is_empty());
}

#[test]
fn bad_dictionary_entries_are_reported_by_line() {
    let error = Synonyms::parse([("BHYT", vec!["bảo hiểm y tế"]), ("", vec!["x"])])
        .map(|_| ())
        .expect_err("an empty term");
    assert_eq!(error.line, 2);
    assert!(error.to_string().starts_with("line 2: "), "{error}");
    let error = Synonyms::parse([("KCB", vec!["khám chữa bệnh"]), ("BHYT", vec![""])])
        .map(|_| ())
        .expect_err("no expansion");
    assert_eq!(error.line, 2);
    let long = "một hai ba bốn năm sáu bảy tám chín mười";
    let error = Synonyms::parse([(long, ["x"])])
        .map(|_| ())
        .expect_err("too long");
    assert!(error.message.contains("10 words"), "{error}");
}

#[test]
fn typos_in_short_words_are_rescued() {
    let (_dir, index) = sector_index();
    for (typed, corrected) in [
        ("luong huuu", "luong huu"),
        ("lươg hưu", "lương hưu"),
        ("Lương hưuu tháng 7", "Lương hưu tháng 7"),
    ] {
        let results = search(&index, typed);
        assert!(results.fuzzy, "{typed}");
        assert_eq!(results.corrected.as_deref(), Some(corrected), "{typed}");
        assert_eq!(ids(&results).first(), Some(&"pension"), "{typed}");
        assert!(results.left_out.is_empty());
    }
    let results = search(&index, "luong huuu");
    assert!(
        results.hits[0].title_html.contains("<mark>Lương hưu</mark>"),
        "{}",
        results.hits[0].title_html
    );
    // Spelled right: no rescue.
    let results = search(&index, "lương hưu");
    assert!(!results.fuzzy);
    assert_eq!(results.corrected, None);
    // Three letters are too few to guess from.
    assert_eq!(search(&index, "huuu").corrected.as_deref(), Some("huu"));
    assert!(!search(&index, "hưx").fuzzy);
}

#[test]
fn words_as_typed_rank_above_corrections() {
    let mut docs: Vec<Document> = (0..12)
        .map(|i| {
            doc(
                &format!("right:{i}"),
                "Lương hưu tháng 7",
                "Chi trả lương hưu đúng hạn.",
            )
        })
        .collect();
    // A published text with the typo in it: the word as typed counts
    // more than its correction.
    docs.push(doc(
        "typo",
        "Điều chỉnh luongg hưu",
        "Mức điều chỉnh luongg hưu năm nay.",
    ));
    let (_dir, index) = index_with(&docs);
    let results = search(&index, "luongg huuu");
    assert!(results.fuzzy);
    assert_eq!(results.corrected.as_deref(), Some("luong huu"));
    assert_eq!(results.total, 13);
    assert_eq!(ids(&results)[0], "typo");
    assert!(results.hits[0].score > results.hits[1].score);
}

#[test]
fn the_rarest_words_are_left_out_when_all_together_match_nothing() {
    let (_dir, index) = sector_index();
    let results = search(&index, "lương hưu Đắk Lắk");
    assert_eq!(results.left_out, ["Đắk", "Lắk"]);
    assert_eq!(ids(&results), ["pension"]);
    assert!(!results.fuzzy);
    // One word out of three: the one in no document.
    let results = search(&index, "tài khoản ngân hàng Vietcombank");
    assert_eq!(results.left_out, ["Vietcombank"]);
    assert_eq!(ids(&results), ["pension"]);
    // Quoted phrases stay.
    let results = search(&index, "\"lương hưu\" \"tài khoản\" \"ngân hàng\" Vietcombank");
    assert_eq!(results.left_out, ["Vietcombank"]);
    assert_eq!(ids(&results), ["pension"]);
    // Never more than half of the words.
    let results = search(&index, "hưu Xyzw Qwerty Zzyzx");
    assert_eq!(results.total, 0);
    assert!(results.left_out.is_empty());
    // Nor the only word.
    assert_eq!(search(&index, "Vietcombank").total, 0);
    // Not when everything matches.
    assert!(search(&index, "lương hưu").left_out.is_empty());
}

/// Each query is words that stand in sequence in one passage of the
/// fixture only, each word also elsewhere; the passage must come in the
/// first three, typed with or without diacritics, even though 110 shorter
/// passages per query hold the same words apart (more than the 100 best
/// that a plain-words query ranks by its folded words alone).
#[test]
fn words_in_sequence_rank_first_in_real_prose() {
    const QUERIES: &[&[&str]] = &[
        &["kiểm tra", "liên ngành"],
        &["hướng dẫn", "chuyển tuyến"],
        &["báo cáo", "quyết toán", "kinh phí"],
        &["hành chính", "nhà nước"],
        &["tuyên truyền", "phổ biến"],
        &["quản lý", "dữ liệu"],
        &["kế hoạch", "truyền thông"],
        &["quá trình", "tham gia", "bảo hiểm"],
        &["vận động", "phát triển"],
        &["công bố", "công khai"],
        &["chương trình", "công nghệ"],
        &["tổng hợp", "chi phí"],
        &["hoạt động", "kiểm tra"],
        &["tham mưu", "phân cấp"],
    ];
    let passages: Vec<(&str, &str, &str)> = PASSAGES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            Some((parts.next()?, parts.next()?, parts.next()?))
        })
        .collect();
    assert!(passages.len() > 300);
    let mut docs: Vec<Document> = passages
        .iter()
        .map(|(id, title, body)| doc(id, title, body))
        .collect();
    // The padding: a passage's first 27 words with the query's words
    // inserted apart, in reverse order, each as a clause of its own (so
    // that the passage's own words never join them into the sequence).
    // Passages holding none of the sequences, to pad from.
    let sequences: Vec<String> = QUERIES.iter().map(|w| fold(&w.join(" "))).collect();
    let plain: Vec<&(&str, &str, &str)> = passages
        .iter()
        .filter(|(_, _, body)| {
            let body = fold(body);
            sequences.iter().all(|s| !body.contains(s.as_str()))
        })
        .collect();
    for (q, words) in QUERIES.iter().enumerate() {
        for n in 0..110 {
            let (_, title, body) = plain[(q * 37 + n * 3) % plain.len()];
            let text: Vec<&str> = body.split_whitespace().take(27).collect();
            let mut padded: Vec<&str> = Vec::new();
            let step = text.len() / (words.len() + 1);
            for (i, chunk) in text.chunks(step.max(1)).enumerate() {
                padded.extend(chunk);
                if let Some(word) = words.iter().rev().nth(i) {
                    padded.extend([",", word, ","]);
                }
            }
            docs.push(doc(&format!("padding:{q}:{n}"), title, &padded.join(" ")));
        }
    }
    let (_dir, index) = index_with(&docs);
    let mut misses = Vec::new();
    for words in QUERIES {
        let typed = words.join(" ");
        let phrase = search(&index, &format!("\"{typed}\""));
        assert_eq!(
            phrase.total,
            1,
            "{typed:?} stands in sequence in one passage: {:?}",
            ids(&phrase)
        );
        let target = phrase.hits[0].id.clone();
        for text in [typed.clone(), fold(&typed)] {
            let results = search(&index, &text);
            assert!(results.total > 110, "{text}: {}", results.total);
            let rank = results.hits.iter().position(|h| h.id == target);
            if rank.is_none_or(|r| r >= 3) {
                misses.push(format!("{text:?}: {target} at {rank:?}"));
            }
        }
    }
    assert!(misses.is_empty(), "not in the first three: {misses:#?}");
}
