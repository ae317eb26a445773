//! Behaviour of the search index on realistic Vietnamese (and English)
//! content of the social security portal.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use search_index::{Document, IndexError, Query, Results, SearchIndex, Sort};
use tempfile::TempDir;
use unicode_normalization::UnicodeNormalization;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 3, 0, 0)
        .single()
        .expect("valid date")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid day")
}

struct Doc<'a> {
    id: &'a str,
    kind: &'a str,
    edition: &'a str,
    section: &'a [&'a str],
    title: &'a str,
    summary: &'a str,
    body: &'a str,
    tags: &'a [&'a str],
    date: DateTime<Utc>,
}

impl Default for Doc<'_> {
    fn default() -> Self {
        Doc {
            id: "",
            kind: "article",
            edition: "vi",
            section: &[],
            title: "",
            summary: "",
            body: "",
            tags: &[],
            date: at(2024, 1, 1),
        }
    }
}

impl Doc<'_> {
    fn build(&self) -> Document {
        Document {
            id: self.id.into(),
            kind: self.kind.into(),
            edition: self.edition.into(),
            section_path: self.section.iter().map(|s| s.to_string()).collect(),
            title: self.title.into(),
            summary: self.summary.into(),
            body: self.body.into(),
            tags: self.tags.iter().map(|s| s.to_string()).collect(),
            published_at: self.date,
            url: format!("/{}", self.id.replace(':', "/")),
        }
    }
}

fn corpus() -> Vec<Document> {
    [
        Doc {
            id: "post:1",
            section: &["vi-06", "vi-06-02"],
            title: "Bảo hiểm thất nghiệp: điều kiện hưởng trợ cấp",
            summary: "Người lao động mất việc làm được hưởng trợ cấp thất nghiệp khi đủ điều kiện.",
            body: "Theo Luật Việc làm, người lao động đã đóng bảo hiểm thất nghiệp từ đủ 12 tháng trở lên \
                   trong thời gian 24 tháng trước khi chấm dứt hợp đồng lao động thì được hưởng trợ cấp \
                   thất nghiệp. Hồ sơ nộp tại Trung tâm Dịch vụ việc làm.",
            tags: &["bảo hiểm thất nghiệp", "trợ cấp"],
            date: at(2024, 3, 15),
            ..Doc::default()
        },
        Doc {
            id: "post:2",
            section: &["vi-06", "vi-06-03"],
            title: "Bão hiếm gặp đổ bộ vào miền Trung",
            summary: "Cơn bão hiếm gặp gây thiệt hại lớn cho các tỉnh ven biển.",
            body: "Ngành Bảo hiểm xã hội các tỉnh miền Trung hỗ trợ người dân vùng bão lũ ổn định cuộc sống.",
            date: at(2023, 10, 2),
            ..Doc::default()
        },
        Doc {
            id: "legal:3",
            kind: "legal_document",
            section: &["vi-02"],
            title: "Quyết định 595/QĐ-BHXH về thu bảo hiểm xã hội, bảo hiểm y tế",
            summary: "Quy trình thu bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp; quản lý sổ bảo hiểm.",
            body: "Ban hành kèm theo Quyết định này Quy trình thu bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm \
                   thất nghiệp, bảo hiểm tai nạn lao động, bệnh nghề nghiệp.",
            date: at(2017, 4, 14),
            ..Doc::default()
        },
        Doc {
            id: "qa:4",
            kind: "qa",
            section: &["vi-07"],
            title: "Đóng góp ý kiến dự thảo Luật Bảo hiểm xã hội (sửa đổi)",
            summary: "Mời nhân dân đóng góp ý kiến vào dự thảo Luật.",
            body: "Bảo hiểm xã hội Việt Nam đề nghị các cơ quan, đơn vị và người dân đóng góp ý kiến.",
            date: at(2022, 12, 1),
            ..Doc::default()
        },
        Doc {
            id: "proc:5",
            kind: "procedure",
            section: &["vi-06", "vi-06-02", "vi-06-02-01"],
            title: "Giải quyết hưởng chế độ thai sản",
            summary: "Thủ tục giải quyết hưởng chế độ thai sản tại tỉnh Hoà Bình.",
            body: "Lao động nữ sinh con được hưởng chế độ thai sản. Hồ sơ nộp cho cơ quan bảo hiểm xã hội.",
            date: at(2021, 6, 30),
            ..Doc::default()
        },
        Doc {
            id: "en:6",
            edition: "en",
            section: &["en-01"],
            title: "Unemployment insurance",
            summary: "Workers who lose their job may claim a monthly benefit.",
            body: "The unemployment benefit is paid by the employment service centre.",
            date: at(2024, 5, 1),
            ..Doc::default()
        },
    ]
    .iter()
    .map(Doc::build)
    .collect()
}

fn index_with(docs: &[Document]) -> (TempDir, SearchIndex) {
    let dir = TempDir::new().expect("temp dir");
    let index = SearchIndex::open_or_create(dir.path()).expect("open index");
    for doc in docs {
        index.upsert(doc).expect("upsert");
    }
    index.commit().expect("commit");
    (dir, index)
}

fn search(index: &SearchIndex, query: Query) -> Results {
    index.search(&query).expect("search")
}

fn ids(results: &Results) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

fn find(index: &SearchIndex, text: &str) -> Vec<String> {
    search(index, Query::new(text))
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn query_without_diacritics_finds_text_with_them() {
    let (_dir, index) = index_with(&corpus());
    let results = search(&index, Query::new("bao hiem that nghiep"));
    assert_eq!(results.hits.first().map(|h| h.id.as_str()), Some("post:1"));
    assert!(ids(&results).contains(&"legal:3"));
    assert!(!results.fuzzy);
}

#[test]
fn typed_diacritics_rank_the_exact_spelling_first() {
    let docs: Vec<Document> = [
        Doc {
            id: "a",
            title: "Bão hiếm gặp",
            body: "Tin thời tiết.",
            ..Doc::default()
        },
        Doc {
            id: "b",
            title: "Bảo hiểm thất nghiệp",
            body: "Tin chính sách.",
            ..Doc::default()
        },
        Doc {
            id: "c",
            title: "Bao hiem that nghiep (go khong dau)",
            body: "Tin chính sách.",
            ..Doc::default()
        },
    ]
    .iter()
    .map(Doc::build)
    .collect();
    let (_dir, index) = index_with(&docs);
    let results = find(&index, "bảo hiểm");
    assert_eq!(results.len(), 3, "folded matches are still found: {results:?}");
    assert_eq!(results[0], "b");
    assert_eq!(find(&index, "bão hiếm")[0], "a");
    // Without marks every spelling matches.
    assert_eq!(find(&index, "bao hiem").len(), 3);
}

#[test]
fn tone_placement_variants_are_the_same_word() {
    let (_dir, index) = index_with(&corpus());
    assert_eq!(find(&index, "Hòa Bình"), ["proc:5"]);
    assert_eq!(find(&index, "hoà bình"), ["proc:5"]);
    let a = search(&index, Query::new("hòa bình"));
    let b = search(&index, Query::new("hoà bình"));
    assert_eq!(a.hits[0].score, b.hits[0].score);
}

#[test]
fn decomposed_input_indexes_and_queries_like_composed() {
    let nfd = |s: &str| s.nfd().collect::<String>();
    let title = nfd("Thủ tục cấp lại sổ bảo hiểm xã hội");
    let docs = vec![
        Doc {
            id: "nfd",
            title: &title,
            ..Doc::default()
        }
        .build(),
    ];
    let (_dir, index) = index_with(&docs);
    assert_eq!(find(&index, "cấp lại sổ"), ["nfd"]);
    assert_eq!(find(&index, &nfd("cấp lại sổ")), ["nfd"]);
    let composed = search(&index, Query::new("sổ bảo hiểm"));
    let decomposed = search(&index, Query::new(nfd("sổ bảo hiểm")));
    assert_eq!(composed.hits[0].score, decomposed.hits[0].score);
    // The exact view matched too, not only the folded one: "sô" (no hook) scores lower.
    let other_tone = search(&index, Query::new("sô bảo hiểm"));
    assert!(other_tone.hits[0].score < composed.hits[0].score);
}

#[test]
fn plain_d_finds_d_with_stroke() {
    let (_dir, index) = index_with(&corpus());
    assert_eq!(find(&index, "dong gop y kien"), ["qa:4"]);
    assert_eq!(find(&index, "ĐÓNG GÓP Ý KIẾN"), ["qa:4"]);
}

#[test]
fn phrases_do_not_cross_commas_or_full_stops() {
    let docs: Vec<Document> = [
        Doc {
            id: "across",
            body: "Người lao động đóng bảo hiểm. Thất nghiệp thì được hưởng trợ cấp, nghiệp vụ do trung tâm làm.",
            ..Doc::default()
        },
        Doc {
            id: "adjacent",
            body: "Người lao động đóng bảo hiểm thất nghiệp thì được hưởng trợ cấp khi mất việc làm.",
            ..Doc::default()
        },
    ]
    .iter()
    .map(Doc::build)
    .collect();
    let (_dir, index) = index_with(&docs);
    assert_eq!(find(&index, "\"bảo hiểm thất nghiệp\""), ["adjacent"]);
    assert_eq!(find(&index, "\"bao hiem that nghiep\""), ["adjacent"]);
    assert_eq!(find(&index, "\"trợ cấp nghiệp vụ\""), Vec::<String>::new());
    // Without quotes both match, the adjacent wording first.
    assert_eq!(find(&index, "bảo hiểm thất nghiệp"), ["adjacent", "across"]);
}

#[test]
fn adjacent_syllables_rank_above_scattered_ones() {
    let docs: Vec<Document> = [
        Doc {
            id: "scattered",
            body: "Nghiệp vụ bảo vệ người lao động thất thường trước hiểm họa khi làm việc trên công trường.",
            ..Doc::default()
        },
        Doc {
            id: "adjacent",
            body: "Người lao động khi làm việc trên công trường cần tham gia bảo hiểm thất nghiệp đầy đủ.",
            ..Doc::default()
        },
    ]
    .iter()
    .map(Doc::build)
    .collect();
    let (_dir, index) = index_with(&docs);
    assert_eq!(find(&index, "bảo hiểm thất nghiệp"), ["adjacent", "scattered"]);
    assert_eq!(find(&index, "bao hiem that nghiep"), ["adjacent", "scattered"]);
}

#[test]
fn minus_excludes_words_and_phrases() {
    let (_dir, index) = index_with(&corpus());
    let all = find(&index, "bảo hiểm");
    assert!(all.contains(&"legal:3".to_string()) && all.contains(&"post:1".to_string()));
    let without = find(&index, "bảo hiểm -\"y tế\"");
    assert!(!without.contains(&"legal:3".to_string()), "{without:?}");
    assert!(without.contains(&"post:1".to_string()));
    // Excluding without diacritics excludes every spelling.
    let without = find(&index, "bao hiem -xa");
    assert_eq!(without, ["post:1"]);
    // Only exclusions: everything else, newest first.
    let results = search(&index, Query::new("-bão"));
    assert!(!ids(&results).contains(&"post:2"));
    assert_eq!(results.total, 5);
    assert_eq!(ids(&results)[0], "en:6");
}

#[test]
fn filters_by_edition_kind_section_and_dates() {
    let (_dir, index) = index_with(&corpus());
    let q = |f: &dyn Fn(&mut Query)| {
        let mut query = Query::default();
        f(&mut query);
        let mut found: Vec<String> = search(&index, query).hits.into_iter().map(|h| h.id).collect();
        found.sort();
        found
    };
    assert_eq!(q(&|q| q.edition = Some("en".into())), ["en:6"]);
    assert_eq!(q(&|q| q.edition = Some("vi".into())).len(), 5);
    assert_eq!(q(&|q| q.kind = Some("legal_document".into())), ["legal:3"]);
    // A section includes its sub-sections at any depth.
    assert_eq!(
        q(&|q| q.section = Some("vi-06".into())),
        ["post:1", "post:2", "proc:5"]
    );
    assert_eq!(q(&|q| q.section = Some("vi-06-02".into())), ["post:1", "proc:5"]);
    assert_eq!(q(&|q| q.section = Some("vi-06-02-01".into())), ["proc:5"]);
    assert_eq!(q(&|q| q.section = Some("nowhere".into())), Vec::<String>::new());
    // Date bounds are whole days, both included.
    assert_eq!(q(&|q| q.from = Some(day(2024, 3, 15))), ["en:6", "post:1"]);
    assert_eq!(q(&|q| q.to = Some(day(2017, 4, 14))), ["legal:3"]);
    assert_eq!(
        q(&|q| {
            q.from = Some(day(2021, 1, 1));
            q.to = Some(day(2023, 12, 31));
        }),
        ["post:2", "proc:5", "qa:4"]
    );
    // Filters combine with words.
    let mut query = Query::new("bảo hiểm");
    query.section = Some("vi-06-02".into());
    query.kind = Some("article".into());
    assert_eq!(ids(&search(&index, query)), ["post:1"]);
}

#[test]
fn a_day_is_a_day_in_vietnam() {
    // 20:00 UTC on 31 December is already the next year in Hà Nội.
    let late = Utc
        .with_ymd_and_hms(2023, 12, 31, 20, 0, 0)
        .single()
        .expect("valid");
    let docs = vec![
        Doc {
            id: "late",
            title: "Chúc mừng năm mới",
            date: late,
            ..Doc::default()
        }
        .build(),
    ];
    let (_dir, index) = index_with(&docs);
    let query = Query {
        from: Some(day(2024, 1, 1)),
        to: Some(day(2024, 1, 1)),
        ..Query::default()
    };
    let results = search(&index, query);
    assert_eq!(ids(&results), ["late"]);
    assert_eq!(results.facets.year, [(2024, 1)]);
}

#[test]
fn sorts_by_date_newest_first() {
    let (_dir, index) = index_with(&corpus());
    let mut query = Query::new("bảo hiểm");
    query.sort = Sort::Date;
    let results = search(&index, query);
    let dates: Vec<_> = results.hits.iter().map(|h| h.published_at).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(ids(&results)[0], "post:1");
    assert!(results.hits.iter().all(|h| h.score == 0.0));
    // An empty query lists everything newest first whatever the sort asked.
    let results = search(&index, Query::default());
    assert_eq!(
        ids(&results),
        ["en:6", "post:1", "post:2", "qa:4", "proc:5", "legal:3"]
    );
}

#[test]
fn pages_through_results() {
    let docs: Vec<Document> = (1..=25)
        .map(|i| {
            Doc {
                id: &format!("tin:{i}"),
                title: &format!("Thông báo số {i} về chi trả lương hưu"),
                date: at(2020, 1, i as u32),
                ..Doc::default()
            }
            .build()
        })
        .collect();
    let (_dir, index) = index_with(&docs);
    let page = |page: usize, per_page: usize| {
        let mut query = Query::new("lương hưu");
        query.sort = Sort::Date;
        query.page = page;
        query.per_page = per_page;
        search(&index, query)
    };
    let first = page(1, 10);
    assert_eq!(first.total, 25);
    assert_eq!(first.hits.len(), 10);
    assert_eq!(first.hits[0].id, "tin:25");
    let third = page(3, 10);
    assert_eq!(ids(&third), ["tin:5", "tin:4", "tin:3", "tin:2", "tin:1"]);
    assert!(page(4, 10).hits.is_empty());
    assert_eq!(page(0, 10).hits[0].id, "tin:25", "page 0 reads as page 1");
    assert_eq!(page(1, 0).hits.len(), 1, "per_page is at least 1");
    assert_eq!(page(1, 1000).hits.len(), 25, "per_page is capped, not refused");
    assert!(
        page(usize::MAX, 100).hits.is_empty(),
        "a huge page is merely empty"
    );
    // Pages are disjoint and cover everything.
    let mut seen: Vec<String> = (1..=3)
        .flat_map(|p| page(p, 10).hits.into_iter().map(|h| h.id))
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 25);
}

#[test]
fn facet_counts_follow_the_query() {
    let (_dir, index) = index_with(&corpus());
    let mut query = Query::new("bảo hiểm");
    query.edition = Some("vi".into());
    let results = search(&index, query);
    assert_eq!(results.total, 5);
    let facets = &results.facets;
    assert_eq!(
        facets.kind,
        [
            ("article".to_string(), 2),
            ("legal_document".to_string(), 1),
            ("procedure".to_string(), 1),
            ("qa".to_string(), 1)
        ]
    );
    assert_eq!(
        facets.section,
        [
            ("vi-06".to_string(), 3),
            ("vi-02".to_string(), 1),
            ("vi-07".to_string(), 1)
        ]
    );
    assert_eq!(
        facets.year,
        [(2024, 1), (2023, 1), (2022, 1), (2021, 1), (2017, 1)]
    );
    // Filtering on a section counts its direct sub-sections.
    let mut query = Query::new("bảo hiểm");
    query.section = Some("vi-06".into());
    let results = search(&index, query);
    assert_eq!(
        results.facets.section,
        [("vi-06-02".to_string(), 2), ("vi-06-03".to_string(), 1)]
    );
    assert_eq!(
        results
            .hits
            .iter()
            .find(|h| h.id == "proc:5")
            .map(|h| h.section.as_str()),
        Some("vi-06-02-01")
    );
}

#[test]
fn snippets_show_original_diacritics_and_escape_html() {
    let docs = vec![
        Doc {
            id: "html",
            title: "Mức hưởng <trợ cấp> thất nghiệp",
            summary: "",
            body: "Mức hưởng hằng tháng bằng 60% mức bình quân tiền lương tháng đóng bảo hiểm thất nghiệp \
                   của 6 tháng liền kề trước khi thất nghiệp & không quá 5 lần mức lương cơ sở <script>x</script>.",
            ..Doc::default()
        }
        .build(),
    ];
    let (_dir, index) = index_with(&docs);
    let results = search(&index, Query::new("bao hiem that nghiep"));
    let hit = &results.hits[0];
    assert!(
        hit.snippet.contains("<mark>bảo hiểm thất nghiệp</mark>"),
        "{}",
        hit.snippet
    );
    assert!(
        hit.snippet.contains("<mark>thất nghiệp</mark> &amp;"),
        "{}",
        hit.snippet
    );
    assert!(hit.snippet.contains("&lt;script&gt;"), "{}", hit.snippet);
    assert!(!hit.snippet.contains("<script>"));
    assert_eq!(hit.title, "Mức hưởng <trợ cấp> thất nghiệp");
    assert_eq!(
        hit.title_html,
        "Mức hưởng &lt;trợ cấp&gt; <mark>thất nghiệp</mark>"
    );
}

#[test]
fn snippet_falls_back_to_summary_start_when_only_the_title_matches() {
    let docs = vec![
        Doc {
            id: "t",
            title: "Lương hưu tháng 7",
            summary: "Thông tin chi trả cho người hưởng.",
            body: "Nội dung chi tiết.",
            ..Doc::default()
        }
        .build(),
    ];
    let (_dir, index) = index_with(&docs);
    let hit = &search(&index, Query::new("luong huu")).hits[0];
    assert_eq!(hit.snippet, "Thông tin chi trả cho người hưởng.");
    assert_eq!(hit.title_html, "<mark>Lương hưu</mark> tháng 7");
}

#[test]
fn fuzzy_fallback_only_when_nothing_matches() {
    let (_dir, index) = index_with(&corpus());
    // A typo ("ngiep"): nothing as typed, so one typo is tolerated.
    let results = search(&index, Query::new("bao hiem that ngiep"));
    assert!(results.fuzzy);
    assert_eq!(results.hits.first().map(|h| h.id.as_str()), Some("post:1"));
    assert!(
        results.hits[0].snippet.contains("<mark>"),
        "{}",
        results.hits[0].snippet
    );
    // Spelled right: no fallback, even though fuzzy would find more.
    let results = search(&index, Query::new("bao hiem that nghiep"));
    assert!(!results.fuzzy);
    // Short words are never fuzzy: "bao" does not become "bão"-like "bac".
    let results = search(&index, Query::new("bac"));
    assert_eq!(results.total, 0);
    assert!(!results.fuzzy);
    // Nothing close either: empty, not flagged.
    let results = search(&index, Query::new("xyzxyzxyz"));
    assert_eq!(results.total, 0);
    assert!(!results.fuzzy);
}

#[test]
fn suggests_titles_by_folded_prefix() {
    let (_dir, index) = index_with(&corpus());
    let titles = |prefix: &str, edition: Option<&str>| -> Vec<String> {
        index
            .suggest(prefix, edition, 5)
            .expect("suggest")
            .into_iter()
            .map(|s| s.title)
            .collect()
    };
    let found = titles("bao hi", Some("vi"));
    assert_eq!(found[0], "Bảo hiểm thất nghiệp: điều kiện hưởng trợ cấp");
    // Titles containing the words further in come after those starting with them.
    assert!(found.contains(&"Quyết định 595/QĐ-BHXH về thu bảo hiểm xã hội, bảo hiểm y tế".to_string()));
    assert_eq!(
        titles("Bảo hiểm thất ng", Some("vi")),
        ["Bảo hiểm thất nghiệp: điều kiện hưởng trợ cấp"]
    );
    assert_eq!(
        titles("dong gop", None),
        ["Đóng góp ý kiến dự thảo Luật Bảo hiểm xã hội (sửa đổi)"]
    );
    assert_eq!(titles("unemp", Some("en")), ["Unemployment insurance"]);
    assert!(titles("unemp", Some("vi")).is_empty());
    assert!(titles("   ", None).is_empty());
    let first = index.suggest("bao", None, 1).expect("suggest");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].url, "/post/1");
}

#[test]
fn reindexing_replaces_and_delete_removes() {
    let (_dir, index) = index_with(&corpus());
    assert_eq!(index.doc_count(), 6);
    let mut changed = corpus().remove(0);
    changed.title = "Trợ cấp thất nghiệp năm 2025".into();
    index.upsert(&changed).expect("upsert");
    // Not visible before commit: only the words without the year match.
    let before = search(&index, Query::new("trợ cấp 2025"));
    assert_eq!(before.left_out, ["2025"]);
    assert!(before.hits.iter().all(|h| !h.title.contains("2025")));
    index.commit().expect("commit");
    assert_eq!(index.doc_count(), 6);
    assert_eq!(find(&index, "trợ cấp 2025"), ["post:1"]);
    assert!(!find(&index, "\"điều kiện hưởng\"").contains(&"post:1".to_string()));
    index.delete("post:1").expect("delete");
    index.commit().expect("commit");
    assert_eq!(index.doc_count(), 5);
    assert!(find(&index, "thất nghiệp").iter().all(|id| id != "post:1"));
    index.delete_all().expect("delete all");
    index.commit().expect("commit");
    assert_eq!(index.doc_count(), 0);
}

#[test]
fn english_edition_is_stemmed() {
    let (_dir, index) = index_with(&corpus());
    let mut query = Query::new("benefits");
    query.edition = Some("en".into());
    let results = search(&index, query);
    assert_eq!(ids(&results), ["en:6"]);
    assert!(
        results.hits[0].snippet.contains("<mark>benefit</mark>"),
        "{}",
        results.hits[0].snippet
    );
    assert_eq!(find(&index, "\"claims a monthly benefits\""), ["en:6"]);
    assert_eq!(find(&index, "workers losing jobs"), ["en:6"]);
    // Vietnamese documents are not stemmed: only the spelling-tolerant
    // fallback finds them.
    assert!(search(&index, Query::new("bảo hiểms")).fuzzy);
}

#[test]
fn index_survives_reopening() {
    let dir = TempDir::new().expect("temp dir");
    {
        let index = SearchIndex::open_or_create(dir.path()).expect("create");
        for doc in corpus() {
            index.upsert(&doc).expect("upsert");
        }
        index.commit().expect("commit");
    }
    let index = SearchIndex::open_or_create(dir.path()).expect("reopen");
    assert_eq!(index.doc_count(), 6);
    assert_eq!(find(&index, "dong gop y kien"), ["qa:4"]);
    index.verify().expect("checksums");
}

#[test]
fn a_second_writer_is_refused() {
    let dir = TempDir::new().expect("temp dir");
    let _first = SearchIndex::open_or_create(dir.path()).expect("create");
    let second = SearchIndex::open_or_create(dir.path());
    assert!(matches!(second, Err(IndexError::Locked { .. })), "{second:?}");
    assert!(matches!(
        SearchIndex::create_in(dir.path()),
        Err(IndexError::Locked { .. })
    ));
}

#[test]
fn garbage_is_reported_as_corrupt_and_can_be_rebuilt() {
    // Garbage where the index metadata should be.
    let dir = TempDir::new().expect("temp dir");
    std::fs::write(dir.path().join("meta.json"), "{ not json").expect("write");
    std::fs::write(
        dir.path().join("0123456789abcdef0123456789abcdef.idx"),
        [0u8, 1, 2],
    )
    .expect("write");
    let error = SearchIndex::open_or_create(dir.path()).expect_err("garbage must not open");
    assert!(matches!(error, IndexError::Corrupt { .. }), "{error:?}");
    assert!(error.needs_rebuild());
    // Rebuilding discards the garbage and yields a working index.
    let index = SearchIndex::create_in(dir.path()).expect("rebuild");
    index.upsert(&corpus()[0]).expect("upsert");
    index.commit().expect("commit");
    assert_eq!(find(&index, "that nghiep"), ["post:1"]);
    drop(index);
    assert_eq!(
        SearchIndex::open_or_create(dir.path())
            .expect("reopen")
            .doc_count(),
        1
    );

    // Files that are not an index at all: refused, not overwritten.
    let dir = TempDir::new().expect("temp dir");
    std::fs::write(dir.path().join("notes.txt"), "hello").expect("write");
    let error = SearchIndex::open_or_create(dir.path()).expect_err("foreign files");
    assert!(matches!(error, IndexError::Corrupt { .. }), "{error:?}");
    assert!(dir.path().join("notes.txt").exists());

    // A segment file damaged after a clean commit.
    let dir = TempDir::new().expect("temp dir");
    {
        let index = SearchIndex::open_or_create(dir.path()).expect("create");
        index.upsert(&corpus()[0]).expect("upsert");
        index.commit().expect("commit");
    }
    for entry in std::fs::read_dir(dir.path()).expect("list") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "term" || e == "idx") {
            std::fs::write(&path, b"garbage").expect("overwrite");
        }
    }
    let error = SearchIndex::open_or_create(dir.path()).expect_err("damaged segment");
    assert!(error.needs_rebuild(), "{error:?}");
}

#[test]
fn missing_directory_is_created() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("nested").join("search");
    let index = SearchIndex::open_or_create(&path).expect("create");
    assert_eq!(index.doc_count(), 0);
    assert_eq!(search(&index, Query::new("bảo hiểm")).total, 0);
}

#[test]
fn documents_need_an_id() {
    let (_dir, index) = index_with(&[]);
    let mut doc = corpus().remove(0);
    doc.id = "  ".into();
    assert!(matches!(index.upsert(&doc), Err(IndexError::InvalidDocument(_))));
}

#[test]
fn the_cursor_is_committed_with_the_documents() {
    let dir = TempDir::new().expect("temp dir");
    {
        let index = SearchIndex::open_or_create(dir.path()).expect("open");
        assert_eq!(index.cursor().expect("cursor"), None);
        index.upsert(&corpus()[0]).expect("upsert");
        index.commit_at(41).expect("commit");
        index.upsert(&corpus()[1]).expect("upsert");
        // Not committed: lost with the process, and so is its cursor.
    }
    let index = SearchIndex::open_or_create(dir.path()).expect("reopen");
    assert_eq!(index.cursor().expect("cursor"), Some(41));
    assert_eq!(index.doc_count(), 1);
}

/// Plain-words searches in one edition find their page through a cheap
/// candidate query and rank it again with the full scoring; other searches
/// (here, a date range that excludes nothing) score every match. Both
/// must give the same total, facets, order and scores (summed in another
/// order, so equal up to rounding).
#[test]
fn ranking_candidates_agrees_with_scoring_every_match() {
    let mut docs = corpus();
    let extra: Vec<Document> = (1..=150)
        .map(|i: u32| {
            Doc {
                id: &format!("tin:{i}"),
                kind: if i.is_multiple_of(3) {
                    "legal_document"
                } else {
                    "article"
                },
                section: &["vi-02"],
                title: &format!("Thông báo số {i} về chi trả lương hưu và trợ cấp"),
                summary: if i.is_multiple_of(2) {
                    "Bảo hiểm xã hội chi trả lương hưu đúng hạn."
                } else {
                    "Bao hiem, that nghiep: ho so tro cap."
                },
                body: &"Người hưởng lương hưu nhận tại điểm chi trả. ".repeat((i % 7 + 1) as usize),
                date: at(2018 + (i % 6) as i32, 1 + i % 12, 1 + i % 28),
                ..Doc::default()
            }
            .build()
        })
        .collect();
    docs.extend(extra);
    let (_dir, index) = index_with(&docs);
    let queries = [
        ("vi", "bảo hiểm"),
        ("vi", "bao hiem that nghiep"),
        ("vi", "lương hưu"),
        ("vi", "luong huu tro cap"),
        ("vi", "hưu"),
        ("en", "benefits"),
        ("en", "unemployment insurance"),
    ];
    for (edition, text) in queries {
        for kind in [None, Some("article")] {
            for section in [None, Some("vi-02")] {
                let quick = Query {
                    edition: Some(edition.into()),
                    kind: kind.map(str::to_owned),
                    section: section.map(str::to_owned),
                    per_page: 20,
                    ..Query::new(text)
                };
                let full = Query {
                    from: Some(day(1900, 1, 1)),
                    ..quick.clone()
                };
                let (a, b) = (search(&index, quick), search(&index, full));
                let case = format!("{text:?} in {edition}, kind {kind:?}, section {section:?}");
                if kind.is_none() && section.is_none() {
                    assert!(a.total > 0, "{case} finds something");
                }
                assert_eq!((a.total, &a.facets), (b.total, &b.facets), "{case}");
                assert_eq!(ids(&a), ids(&b), "{case}");
                for (x, y) in a.hits.iter().zip(&b.hits) {
                    assert!(
                        (x.score - y.score).abs() <= 1e-4 * y.score.abs(),
                        "{case}: {x:?} {y:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_hit_inside_an_attached_file_names_the_file() {
    let body = format!(
        "Quyết định ban hành quy trình.\n{}quy-trinh.pdf\nĐiều 5. Hồ sơ đề nghị cấp lại sổ bảo hiểm xã hội.",
        search_index::ATTACHMENT
    );
    let docs = [Doc {
        id: "legal:1",
        title: "Quyết định 595",
        body: &body,
        ..Doc::default()
    }
    .build()];
    let (_dir, index) = index_with(&docs);
    let in_file = search(&index, Query::new("cấp lại sổ"));
    assert_eq!(in_file.hits[0].attachment.as_deref(), Some("quy-trinh.pdf"));
    assert!(
        in_file.hits[0].snippet.contains("cấp lại sổ</mark>"),
        "{}",
        in_file.hits[0].snippet
    );
    let in_body = search(&index, Query::new("ban hành quy trình"));
    assert_eq!(in_body.hits[0].attachment, None);
}
