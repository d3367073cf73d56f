//! A recording written as an SVG document with a title, and the SVG of a
//! canvas's last recording.

use plotters::prelude::*;

use super::{recording_of, Recording};
use crate::draw::err;

impl Recording {
    /// The recording as an SVG document of its size (the canvas' backing
    /// store, so HiDPI drawings keep their detail), with a `<title>`.
    ///
    /// # Errors
    /// A backend error.
    pub fn to_svg(&self, title: &str) -> Result<String, String> {
        let (w, h) = self.size;
        let mut out = String::new();
        {
            let mut backend = SVGBackend::with_string(&mut out, (w.max(1), h.max(1)));
            self.replay(&mut backend)?;
            backend.present().map_err(err)?;
        }
        Ok(add_svg_title(&out, title))
    }
}

/// `svg` with a `<title>` (escaped) right after its opening tag.
fn add_svg_title(svg: &str, title: &str) -> String {
    let esc = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    match svg
        .find("<svg")
        .and_then(|s| svg[s..].find('>').map(|e| s + e + 1))
    {
        Some(at) if !title.is_empty() => {
            format!("{}\n<title>{esc}</title>{}", &svg[..at], &svg[at..])
        }
        _ => svg.to_string(),
    }
}

/// The figure on `canvas` as an SVG document titled `title`.
///
/// # Errors
/// The canvas was not drawn by a widget, or a backend error.
pub fn svg_of(canvas: &web_sys::Element, title: &str) -> Result<String, String> {
    recording_of(canvas)
        .ok_or_else(|| "this figure has no vector drawing".to_string())?
        .to_svg(title)
}
