//! Several large images uploaded at once cannot exhaust memory: each
//! image's area is checked from its header before decoding, and images are
//! decoded a bounded number at a time. Alone in its test binary, so the
//! process's peak memory is this test's.

use portal_tests::{Backend, TestPortal, desk};

/// The process's peak resident memory, in MiB (Linux).
fn peak_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

fn png(side: u32) -> Vec<u8> {
    let img = image::GrayImage::from_fn(side, side, |x, y| image::Luma([((x ^ y) % 7) as u8]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageLuma8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// The stated figure: four 36-megapixel images at once stay under this.
const PEAK_LIMIT_MIB: u64 = 900;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_large_uploads_at_once_stay_within_memory() {
    let p = TestPortal::start(Backend::Sqlite).await;
    let d = desk(&p).await;
    let big = png(6000);
    // 11,000 × 11,000 is over the area budget: refused before decoding.
    let huge = png(11_000);
    let before = peak_mib();
    let upload = |bytes: Vec<u8>, name: String| {
        let (http, url, token) = (p.http.clone(), p.url("/api/v1/media"), d.editor.clone());
        tokio::spawn(async move {
            let form = reqwest::multipart::Form::new()
                .text("alt", "Ảnh lớn")
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
            http.post(url)
                .bearer_auth(token)
                .multipart(form)
                .send()
                .await
                .unwrap()
                .status()
        })
    };
    let started = std::time::Instant::now();
    let mut tasks: Vec<_> = (0..4)
        .map(|i| {
            let mut bytes = big.clone();
            // A different file each time (the library stores a file once).
            bytes.extend_from_slice(format!("variant {i}").as_bytes());
            upload(bytes, format!("lon-{i}.png"))
        })
        .collect();
    tasks.push(upload(huge, "qua-lon.png".into()));
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap().as_u16());
    }
    let peak = peak_mib();
    eprintln!(
        "4 × 36 MP + 1 × 121 MP uploads: statuses {statuses:?}, {:.1} s, peak {peak} MiB (before the uploads {before} MiB)",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(&statuses[..4], &[201, 201, 201, 201]);
    assert_eq!(statuses[4], 422, "over the pixel budget");
    assert!(peak < PEAK_LIMIT_MIB, "peak {peak} MiB");
    p.finish().await;
}
