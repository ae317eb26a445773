//! Shared helpers for the benchmarks: the corpus of generated Vietnamese
//! articles in `../shared/bench/corpus`.

use std::path::PathBuf;

/// The corpus directory (`PORTAL_BENCH_CORPUS` overrides it).
pub fn corpus_dir() -> PathBuf {
    std::env::var_os("PORTAL_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/corpus"))
}

/// A Vietnamese article body of about `words` words, stitched from the
/// corpus so that the text is realistic (diacritics, punctuation).
pub fn vietnamese_article(words: usize) -> String {
    let path = corpus_dir().join("articles-10k.jsonl");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = String::new();
    let mut count = 0;
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(body) = v["body"].as_str() else { continue };
        out.push_str(body);
        out.push_str("\n\n");
        count += body.split_whitespace().count();
        if count >= words {
            break;
        }
    }
    out.split_whitespace()
        .take(words)
        .collect::<Vec<_>>()
        .join(" ")
        .replace(". ", ".\n\n")
}
