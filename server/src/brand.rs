//! The agency's look on the public site: its colour, its logo and its icon,
//! from configuration (`brand_colour`, `logo_file`, `favicon_file`). An
//! operator puts the real logo on the server and names it; until then the
//! site shows a neutral wordmark, never a made-up emblem.
//!
//! Everything is read and checked once, at start-up: a wrong file or a
//! colour too pale for white text stops the portal with a message naming
//! the key, rather than a broken or unreadable header.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The built-in stylesheet, before the brand colour is added.
const STYLESHEET: &str = include_str!("../assets/site.css");
/// Largest logo or icon file accepted.
const MAX_FILE_BYTES: usize = 512 * 1024;
/// The default colour: the agency's blue.
pub const DEFAULT_COLOUR: &str = "#0b4f8a";
/// White text on the brand colour needs WCAG AA contrast for normal text.
const MIN_CONTRAST: f64 = 4.5;

/// An image served under a fingerprinted address.
#[derive(Clone, Debug, Serialize)]
pub struct Asset {
    /// `/brand/logo.<hash>.svg`: cacheable for a year.
    pub url: String,
    pub content_type: &'static str,
    #[serde(skip)]
    pub bytes: Arc<[u8]>,
}

/// The public site's look.
#[derive(Clone, Debug, Serialize)]
pub struct Brand {
    /// `#rrggbb`.
    pub colour: String,
    pub logo: Option<Asset>,
    pub favicon: Option<Asset>,
    /// The stylesheet with the colour applied, and its fingerprinted URL.
    #[serde(skip)]
    pub stylesheet: Arc<str>,
    pub stylesheet_url: String,
}

/// The look of a portal configured with nothing, for tests that render
/// pages without a configuration.
#[cfg(test)]
impl Default for Brand {
    fn default() -> Self {
        Brand::new(DEFAULT_COLOUR, None, None).expect("the default colour is valid")
    }
}

impl Brand {
    /// Checks the colour and files. Errors are sentences for the operator
    /// (the caller prefixes the key).
    pub fn new(
        colour: &str,
        logo: Option<&Path>,
        favicon: Option<&Path>,
    ) -> Result<Brand, (&'static str, String)> {
        let colour = colour.trim().to_ascii_lowercase();
        let rgb = parse_hex(&colour).ok_or(("brand_colour", format!("`{colour}` must look like #0b4f8a")))?;
        let contrast = contrast_with_white(rgb);
        if contrast < MIN_CONTRAST {
            return Err((
                "brand_colour",
                format!(
                    "`{colour}` is too light for white text ({contrast:.1}:1, at least {MIN_CONTRAST}:1 needed)"
                ),
            ));
        }
        let logo = logo
            .map(|p| read_asset(p, "logo"))
            .transpose()
            .map_err(|e| ("logo_file", e))?;
        let favicon = favicon
            .map(|p| read_asset(p, "favicon"))
            .transpose()
            .map_err(|e| ("favicon_file", e))?;
        let dark = darker(rgb);
        let stylesheet: Arc<str> = format!(
            "{STYLESHEET}:root {{ --brand: {colour}; --brand-dark: #{:02x}{:02x}{:02x}; }}\n",
            dark.0, dark.1, dark.2
        )
        .into();
        let hash = hex::encode(Sha256::digest(stylesheet.as_bytes()));
        Ok(Brand {
            colour,
            logo,
            favicon,
            stylesheet,
            stylesheet_url: format!("/static/site.{}.css", &hash[..12]),
        })
    }

    /// The image at a `/brand/…` address, if it is one of ours.
    pub fn asset(&self, path: &str) -> Option<&Asset> {
        [&self.logo, &self.favicon]
            .into_iter()
            .flatten()
            .find(|a| a.url == path)
    }
}

fn parse_hex(colour: &str) -> Option<(u8, u8, u8)> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// WCAG 2.1 contrast ratio of white on `rgb`.
fn contrast_with_white((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    1.05 / (luminance + 0.05)
}

/// The hover shade: a quarter darker.
fn darker((r, g, b): (u8, u8, u8)) -> (u8, u8, u8) {
    let d = |c: u8| (u16::from(c) * 3 / 4) as u8;
    (d(r), d(g), d(b))
}

/// Reads an image file, recognising its type by its first bytes (not its
/// name), within [`MAX_FILE_BYTES`].
fn read_asset(path: &Path, name: &str) -> Result<Asset, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{} is {} bytes; at most {MAX_FILE_BYTES} are accepted",
            path.display(),
            bytes.len()
        ));
    }
    let (content_type, ext) = sniff(&bytes)
        .ok_or_else(|| format!("{} is not an SVG, PNG, WebP, JPEG or ICO image", path.display()))?;
    let hash = hex::encode(Sha256::digest(&bytes));
    Ok(Asset {
        url: format!("/brand/{name}.{}.{ext}", &hash[..12]),
        content_type,
        bytes: bytes.into(),
    })
}

fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(("image/png", "png"));
    }
    if bytes.starts_with(b"\xff\xd8\xff") {
        return Some(("image/jpeg", "jpg"));
    }
    if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(("image/webp", "webp"));
    }
    if bytes.starts_with(&[0, 0, 1, 0]) {
        return Some(("image/x-icon", "ico"));
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let text = head.trim_start_matches('\u{feff}').trim_start();
    if (text.starts_with("<svg") || text.starts_with("<?xml")) && head.contains("<svg") {
        return Some(("image/svg+xml", "svg"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_blue_passes_and_pale_colours_do_not() {
        assert!(contrast_with_white(parse_hex(DEFAULT_COLOUR).unwrap()) > 7.0);
        let err = Brand::new("#f0e68c", None, None).unwrap_err();
        assert_eq!(err.0, "brand_colour");
        assert!(err.1.contains("too light"), "{}", err.1);
        assert!(Brand::new("blue", None, None).is_err());
        assert!(Brand::new("#12345g", None, None).is_err());
    }

    #[test]
    fn the_colour_reaches_the_stylesheet_and_its_fingerprint() {
        let a = Brand::new("#7a1f1f", None, None).unwrap();
        let b = Brand::default();
        assert!(
            a.stylesheet
                .ends_with("--brand: #7a1f1f; --brand-dark: #5b1717; }\n")
        );
        assert_ne!(a.stylesheet_url, b.stylesheet_url);
    }

    #[test]
    fn logos_are_recognised_by_content_not_name() {
        let dir = std::env::temp_dir().join(format!("brand-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let svg = dir.join("logo.png");
        std::fs::write(&svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
        let brand = Brand::new(DEFAULT_COLOUR, Some(&svg), None).unwrap();
        let logo = brand.logo.as_ref().unwrap();
        assert_eq!(logo.content_type, "image/svg+xml");
        assert!(logo.url.starts_with("/brand/logo.") && logo.url.ends_with(".svg"));
        assert!(brand.asset(&logo.url).is_some());
        let text = dir.join("notes.svg");
        std::fs::write(&text, "hello").unwrap();
        assert_eq!(
            Brand::new(DEFAULT_COLOUR, Some(&text), None).unwrap_err().0,
            "logo_file"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
