//! In-process search benchmark (issue 5): builds an index of N documents
//! made from the shared bench corpus (repeated with varied ids and dates),
//! then runs every query of `queries.txt` `rounds` times through the
//! engine (each round with another page size) and once more from the
//! result cache, and prints
//! indexing throughput, index size, memory and query latency. The queries
//! run with the sector's synonym dictionary (as the portal seeds it), then
//! again without, and the answers from the fallbacks (typo rescue, words
//! left out) are counted.
//!
//! Usage: search [documents (100000)] [corpus.jsonl] [queries.txt] [rounds (5)]

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use search_index::{Document, Query, SearchIndex, Synonyms};

const CORPUS: &str = "../shared/bench/corpus/articles-10k.jsonl";
const QUERIES: &str = "../shared/bench/corpus/queries.txt";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let count: usize = args.get(1).map_or(Ok(100_000), |s| s.parse())?;
    let corpus = std::fs::read_to_string(args.get(2).map_or(CORPUS, String::as_str))?;
    let queries: Vec<String> = std::fs::read_to_string(args.get(3).map_or(QUERIES, String::as_str))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let rounds: usize = args.get(4).map_or(Ok(5), |s| s.parse::<usize>())?.max(1);

    let base: Vec<serde_json::Value> = corpus
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let docs: Vec<Document> = (0..count)
        .map(|i| document(&base[i % base.len()], i, i / base.len()))
        .collect();
    let text_bytes: usize = docs
        .iter()
        .map(|d| d.title.len() + d.summary.len() + d.body.len())
        .sum();

    let dir = tempfile::TempDir::new()?;
    let index = SearchIndex::create_in(dir.path())?;
    let start = Instant::now();
    for doc in &docs {
        index.upsert(doc)?;
    }
    index.commit_at(count as i64)?;
    let build = start.elapsed().as_secs_f64();
    drop(docs);
    println!(
        "indexed {count} documents ({:.0} MB of text) in {build:.1} s: {:.0} documents/s",
        text_bytes as f64 / 1e6,
        count as f64 / build
    );
    let segments = std::fs::read_dir(dir.path())?
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "idx"))
        .count();
    println!(
        "index size on disk: {:.0} MB in {segments} segments",
        dir_size(dir.path()) as f64 / 1e6
    );

    for (label, synonyms) in [
        ("with the sector dictionary", Synonyms::sector()),
        ("without dictionary", Synonyms::default()),
    ] {
        println!("-- {label}");
        index.set_synonyms(synonyms);
        run_queries(&index, &queries, rounds)?;
    }
    let t = Instant::now();
    let mut suggestions = 0;
    for q in &queries {
        let prefix: String = q.chars().take(6).collect();
        suggestions += index.suggest(&prefix, Some("vi"), 8)?.len();
    }
    println!(
        "{} suggestions for {} prefixes: {:.2} ms each on average",
        suggestions,
        queries.len(),
        t.elapsed().as_secs_f64() * 1000.0 / queries.len() as f64
    );
    println!("peak resident memory: {} MB", peak_rss_kb() / 1024);
    Ok(())
}

/// Runs the queries `rounds` times through the engine and once more from
/// the result cache, and prints their latency.
fn run_queries(
    index: &SearchIndex,
    queries: &[String],
    rounds: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    // Each engine round asks for another page size, so that no answer
    // comes from the result cache; the last round repeats the first.
    let mut engine = Vec::new();
    let mut cached = Vec::new();
    let (mut found, mut rescued, mut partial) = (0usize, 0usize, 0usize);
    for round in 0..=rounds {
        for q in queries {
            let query = Query {
                edition: Some("vi".into()),
                per_page: 10 + round % rounds,
                ..Query::new(q.clone())
            };
            let t = Instant::now();
            let results = index.search(&query)?;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if round < rounds {
                engine.push(ms)
            } else {
                cached.push(ms)
            }
            found += usize::from(results.total > 0);
            if round == 0 {
                rescued += usize::from(results.fuzzy);
                partial += usize::from(!results.left_out.is_empty());
            }
        }
    }
    report("queries run by the engine", &mut engine);
    report("repeated queries (result cache)", &mut cached);
    println!(
        "{:.0}% of queries found something ({rescued} by the typo rescue, {partial} with words left out)",
        found as f64 * 100.0 / (queries.len() * (rounds + 1)) as f64
    );
    Ok(())
}

/// A corpus article as the `n`-th document, its date moved back by whole
/// weeks per repetition so that dates and years vary.
fn document(v: &serde_json::Value, n: usize, repetition: usize) -> Document {
    let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
    let published: DateTime<Utc> = v["published_at"]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map_or_else(Utc::now, |d| d.with_timezone(&Utc))
        - Duration::weeks(repetition as i64 * 9);
    Document {
        id: format!("post:{n}"),
        kind: if n.is_multiple_of(7) {
            "legal_document"
        } else {
            "article"
        }
        .into(),
        edition: text("edition"),
        section_path: vec!["vi-02".into()],
        title: text("title"),
        summary: text("summary"),
        body: text("body"),
        tags: v["tags"]
            .as_array()
            .map(|t| t.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
            .unwrap_or_default(),
        published_at: published,
        url: format!("/vi/tin-tuc/bai-{n}"),
    }
}

fn report(label: &str, times: &mut [f64]) {
    if times.is_empty() {
        return;
    }
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "{label}: {} queries, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        at(0.50),
        at(0.90),
        at(0.99),
        at(1.0)
    );
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}
