//! Question intake load generator (issue 6): `connections` clients post
//! citizens' questions to `POST /api/v1/qa/questions` for `seconds`, each
//! waiting for its answer before sending the next, and none abandoning a
//! request at the deadline — so the 201 answers counted here are exactly
//! the acknowledged questions, to compare with the rows stored.
//!
//! Usage: intake <base-url> [seconds (15)] [connections (32)]

use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let base = args
        .get(1)
        .ok_or("usage: intake <base-url> [seconds] [connections]")?
        .clone();
    let seconds: u64 = args.get(2).map_or(Ok(15), |s| s.parse())?;
    let connections: usize = args.get(3).map_or(Ok(32), |s| s.parse())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run(base, Duration::from_secs(seconds), connections))
}

async fn run(base: String, duration: Duration, connections: usize) -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()?;
    let url = format!("{base}/api/v1/qa/questions");
    let deadline = Instant::now() + duration;
    let start = Instant::now();
    let mut workers = Vec::new();
    for w in 0..connections {
        let (client, url) = (client.clone(), url.clone());
        workers.push(tokio::spawn(async move {
            let (mut acknowledged, mut refused, mut latencies) = (0u64, 0u64, Vec::new());
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                let body = serde_json::json!({
                    "name": "Nguyễn Văn Tải", "email": format!("tai{w}-{n}@example.vn"),
                    "category": "social_insurance", "title": "Cách tính lương hưu",
                    "content": "Tôi đóng bảo hiểm xã hội 20 năm thì lương hưu được tính thế nào?", "consent": true
                });
                let t = Instant::now();
                match client.post(&url).json(&body).send().await {
                    Ok(resp) if resp.status().as_u16() == 201 => {
                        let _ = resp.bytes().await;
                        acknowledged += 1;
                    }
                    _ => refused += 1,
                }
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            (acknowledged, refused, latencies)
        }));
    }
    let (mut acknowledged, mut refused, mut latencies) = (0, 0, Vec::new());
    for w in workers {
        let (a, r, l) = w.await?;
        acknowledged += a;
        refused += r;
        latencies.extend(l);
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let at = |p: f64| {
        latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
    };
    println!(
        "{:.0} req/s  p50 {:.1} ms  p99 {:.1} ms  acknowledged {acknowledged}  refused or failed {refused}",
        latencies.len() as f64 / elapsed,
        at(0.5).copied().unwrap_or(0.0),
        at(0.99).copied().unwrap_or(0.0)
    );
    Ok(())
}
