//! QR codes for enrolling an authenticator app, drawn as SVG (no image
//! stack), safe to place inline in a page.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// `data` as an SVG QR code, without the XML prolog.
pub fn svg(data: &str) -> String {
    match QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M) {
        Ok(code) => {
            let xml = code
                .render::<svg::Color>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .dark_color(svg::Color("#000000"))
                .light_color(svg::Color("#ffffff"))
                .build();
            match xml.find("<svg") {
                Some(start) => xml[start..].to_owned(),
                None => xml,
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot draw a QR code");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_otpauth_address_draws() {
        let s = super::svg("otpauth://totp/BHXH:admin?secret=JBSWY3DPEHPK3PXP&issuer=BHXH");
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"), "{s}");
    }
}
