//! Pure drawing functions over a plotters [`DrawingArea`], generic over the
//! backend: `CanvasBackend` in the browser, `SVGBackend` in native tests and
//! for export. A drawing function never decides what to compute; it draws
//! what it is given and returns `Result`.
//!
//! Coordinates are backend pixels. In the browser the canvas backing store is
//! CSS size × devicePixelRatio, and [`Style::scale`] carries that ratio so
//! fonts and strokes keep their CSS size.

pub mod chart;
pub mod heatmap;
pub mod kernel;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::Pos;

use crate::config::{self, Ink, Theme};

/// Error of a drawing function, as text (backends have different error types).
pub type DrawResult = Result<(), String>;

/// Converts a backend error into the text of a [`DrawResult`].
pub fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing failed: {e:?}")
}

/// What every drawing function needs besides its data: inks and scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// Backend pixels per CSS pixel (devicePixelRatio in the browser, 1 in SVG).
    pub scale: f64,
    /// Theme colours.
    pub ink: Ink,
    /// Base font size in CSS px (before `scale`).
    pub font: f64,
}

impl Style {
    /// The style of `theme` at devicePixelRatio `dpr` (non-finite or
    /// non-positive ratios count as 1).
    pub fn new(theme: Theme, dpr: f64) -> Self {
        let scale = if dpr.is_finite() && dpr > 0.0 {
            dpr.min(8.0)
        } else {
            1.0
        };
        Style {
            scale,
            ink: config::ink(theme),
            font: config::sizes::FONT * theme.font_scale(),
        }
    }

    /// `css` CSS pixels in backend pixels.
    pub fn px(&self, css: f64) -> f64 {
        css * self.scale
    }

    /// Base font size in backend pixels.
    pub fn font_px(&self) -> f64 {
        (self.font * self.scale).max(1.0)
    }
}

impl Default for Style {
    fn default() -> Self {
        Style::new(Theme::Light, 1.0)
    }
}

/// A text style of `size` backend pixels and colour `color`, anchored by `pos`.
pub(crate) fn text_style(size: f64, color: RGBColor, pos: Pos) -> TextStyle<'static> {
    ("sans-serif", size.max(1.0))
        .into_font()
        .color(&color)
        .pos(pos)
}

/// Short form of a value for a heat-map cell or a label: at most about
/// five characters ("0.12", "-1.3", "12", "1.2k", "3e-4").
pub fn short_value(v: f32) -> String {
    if !v.is_finite() {
        return "?".into();
    }
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 9999.5 {
        format!("{:.0e}", v)
    } else if a >= 999.5 {
        format!("{:.1}k", round_half_away(v as f64 / 1000.0, 1))
    } else if a >= 99.5 {
        format!("{:.0}", round_half_away(v as f64, 0))
    } else if a >= 9.95 {
        format!("{:.1}", round_half_away(v as f64, 1))
            .trim_end_matches(".0")
            .to_string()
    } else if a >= 0.005 {
        let s = format!("{:.2}", round_half_away(v as f64, 2));
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" || s.is_empty() {
            "0".into()
        } else {
            s.to_string()
        }
    } else {
        format!("{:.0e}", v)
    }
}

/// `v` rounded to `digits` decimals with ties away from zero (-0.125 → -0.13),
/// as printed numbers are read; the formatter alone rounds exact ties to even.
fn round_half_away(v: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    (v * m).round() / m
}

/// Renders `draw` into an SVG string of `width × height` (tests, export).
///
/// # Errors
/// Whatever `draw` returns, or a backend error.
pub fn to_svg(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> DrawResult,
) -> Result<String, String> {
    let mut out = String::new();
    {
        let area =
            SVGBackend::with_string(&mut out, (width.max(1), height.max(1))).into_drawing_area();
        draw(&area)?;
        area.present().map_err(err)?;
    }
    Ok(out)
}

/// The text content of every `<text>` element of an SVG written by plotters'
/// SVG backend, in drawing order: the backend puts each text on its own line
/// between the tags and escapes `< > & " '`, so the content is trimmed and
/// unescaped here.
#[cfg(test)]
pub(crate) fn svg_texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let body = &rest[open_end + 1..];
        let Some(close) = body.find("</text>") else {
            break;
        };
        out.push(
            body[..close]
                .trim()
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
        rest = &body[close..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::style::text_anchor::{HPos, VPos};

    #[test]
    fn short_values() {
        assert_eq!(short_value(0.0), "0");
        assert_eq!(short_value(0.5), "0.5");
        assert_eq!(short_value(-0.125), "-0.13");
        assert_eq!(short_value(0.125), "0.13");
        assert_eq!(short_value(0.375), "0.38");
        assert_eq!(short_value(12.25), "12.3");
        assert_eq!(short_value(100.5), "101");
        assert_eq!(short_value(2250.0), "2.3k");
        assert_eq!(short_value(0.124), "0.12");
        assert_eq!(short_value(1.0), "1");
        assert_eq!(short_value(12.0), "12");
        assert_eq!(short_value(12.34), "12.3");
        assert_eq!(short_value(123.4), "123");
        assert_eq!(short_value(1234.0), "1.2k");
        assert_eq!(short_value(0.0001), "1e-4");
        assert_eq!(short_value(f32::NAN), "?");
        for v in [-9999.0f32, -0.001, 0.004, 3.3, 77.7, 5e7] {
            assert!(
                short_value(v).chars().count() <= 6,
                "{v} -> {}",
                short_value(v)
            );
        }
    }

    #[test]
    fn style_scale_is_sane() {
        assert_eq!(Style::new(Theme::Light, f64::NAN).scale, 1.0);
        assert_eq!(Style::new(Theme::Light, 2.0).px(10.0), 20.0);
        assert!(Style::new(Theme::Projector, 1.0).font_px() > Style::default().font_px());
    }

    #[test]
    fn svg_texts_reads_contents_of_text_elements() {
        let svg = to_svg(120, 40, |a| {
            let st = text_style(10.0, BLACK, Pos::new(HPos::Left, VPos::Top));
            a.draw_text("a<b & c", &st, (1, 1)).map_err(err)?;
            a.draw_text("o3", &st, (1, 20)).map_err(err)
        })
        .unwrap();
        assert_eq!(
            svg_texts(&svg),
            vec!["a<b & c".to_string(), "o3".to_string()]
        );
        assert!(svg_texts("<svg></svg>").is_empty());
    }

    #[test]
    fn svg_export_produces_svg() {
        let svg = to_svg(40, 20, |a| a.fill(&WHITE).map_err(err)).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("width=\"40\""));
    }
}
