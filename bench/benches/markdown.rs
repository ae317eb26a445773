//! Markdown to sanitised HTML for a 3,000-word Vietnamese article.
//! Target: under 1 ms. Run: `cargo bench -p portal-bench --bench markdown`.

use criterion::{Criterion, criterion_group, criterion_main};

fn markdown(c: &mut Criterion) {
    let mut article = portal_bench::vietnamese_article(3000);
    article.push_str("\n\n| Năm | Số người tham gia |\n|---|---|\n| 2025 | 20.500.000 |\n\nXem [Cổng dịch vụ công](https://dichvucong.gov.vn).[^1]\n\n[^1]: Nguồn: BHXH Việt Nam.\n");
    println!(
        "article: {} words, {} bytes",
        article.split_whitespace().count(),
        article.len()
    );
    c.bench_function("markdown_to_sanitised_html_3000_words", |b| {
        b.iter(|| content::markdown::to_html(std::hint::black_box(&article)))
    });
}

criterion_group!(benches, markdown);
criterion_main!(benches);
