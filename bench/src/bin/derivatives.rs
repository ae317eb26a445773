//! Derivative generation for a 12-megapixel JPEG: checks the upload
//! (decode under limits, strip metadata, hash) and makes the 320/800/1600
//! px WebP and JPEG derivatives. Prints the time and the peak memory.
//! Run: `cargo run --release -p portal-bench --bin derivatives`.

use std::io::Cursor;
use std::time::Instant;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() {
    let (w, h) = (4000u32, 3000u32);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let v = (x ^ y).wrapping_mul(2654435761) >> 24;
        image::Rgb([(x % 256) as u8, (y % 256) as u8, v as u8])
    });
    let mut jpeg = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .expect("encode");
    let jpeg = jpeg.into_inner();
    let before = peak_rss_kib();
    let dir = std::env::temp_dir().join(format!("portal-bench-{}", std::process::id()));
    let store = content::media::Store::new(&dir);
    let upload = content::media::Upload {
        file_name: "anh-12mp.jpg".into(),
        bytes: jpeg.clone(),
        alt: Some("Ảnh thử".into()),
        caption: None,
        credit: None,
    };
    let limits = content::media::Limits::default();
    let start = Instant::now();
    let checked = content::media::check(&upload, &limits).expect("check");
    let checked_at = start.elapsed();
    let img = checked.image.as_ref().expect("an image");
    let made = content::media::make_derivatives(&store, &checked.sha256, img, image::ImageFormat::Jpeg)
        .expect("derive");
    let total = start.elapsed();
    let peak = peak_rss_kib();
    std::fs::remove_dir_all(&dir).ok();
    println!(
        "12 MP JPEG ({w}x{h}, {:.1} MB): check+decode {:.0} ms, {} derivatives, total {:.0} ms, peak RSS {:.0} MiB (before: {:.0} MiB)",
        jpeg.len() as f64 / 1e6,
        checked_at.as_secs_f64() * 1000.0,
        made.len(),
        total.as_secs_f64() * 1000.0,
        peak as f64 / 1024.0,
        before as f64 / 1024.0
    );
}
