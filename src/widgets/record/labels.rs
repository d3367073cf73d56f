//! The boxes of a recording's text labels, for the layout checks, and
//! their export to the page's scripts.

use plotters_backend::{FontStyle, FontTransform};

use super::{measure, recording_of, Op, Recording};

impl Recording {
    /// Every visible text label's box, `(x, y, w, h, text)` in backend pixels,
    /// placed as the canvas draws it (anchor, rotation about the anchor) with
    /// the size `size_of(text, family, style, size)` gives (`None`: skipped).
    /// The layout checks compare these boxes for overlaps and clipping.
    pub fn label_boxes(
        &self,
        size_of: impl Fn(&str, &str, FontStyle, f64) -> Option<(u32, u32)>,
    ) -> Vec<(f64, f64, f64, f64, String)> {
        use plotters::style::text_anchor::{HPos, VPos};
        let mut boxes = Vec::new();
        for op in self.ops.iter() {
            let Op::Text(text, font, pos) = op else {
                continue;
            };
            if font.color.alpha == 0.0 || text.trim().is_empty() {
                continue;
            }
            let Some((w, h)) = size_of(text, &font.family, font.style, font.size) else {
                continue;
            };
            let (w, h) = (f64::from(w), f64::from(h));
            let x0 = match font.anchor.h_pos {
                HPos::Left => 0.0,
                HPos::Center => -w / 2.0,
                HPos::Right => -w,
            };
            let y0 = match font.anchor.v_pos {
                VPos::Top => 0.0,
                VPos::Center => -h / 2.0,
                VPos::Bottom => -h,
            };
            // Corners rotated about the anchor (clockwise, as the canvas rotates).
            let rot = |x: f64, y: f64| match font.transform {
                FontTransform::None => (x, y),
                FontTransform::Rotate90 => (-y, x),
                FontTransform::Rotate180 => (-x, -y),
                FontTransform::Rotate270 => (y, -x),
            };
            let (a, b) = (rot(x0, y0), rot(x0 + w, y0 + h));
            let (px, py) = (f64::from(pos.0), f64::from(pos.1));
            boxes.push((
                px + a.0.min(b.0),
                py + a.1.min(b.1),
                (a.0 - b.0).abs(),
                (a.1 - b.1).abs(),
                text.clone(),
            ));
        }
        boxes
    }
}

/// The text labels of the figure on `canvas`, for the layout checks: a flat
/// array `[x, y, w, h, text, …]` in backend pixels (the canvas' own width and
/// height; divide by its CSS size's ratio), empty for a canvas no widget drew.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = convlabCanvasLabels)]
pub fn canvas_labels(canvas: &web_sys::Element) -> js_sys::Array {
    let out = js_sys::Array::new();
    if let Some(rec) = recording_of(canvas) {
        for (x, y, w, h, text) in rec.label_boxes(measure::text) {
            for n in [x, y, w, h] {
                out.push(&n.into());
            }
            out.push(&text.into());
        }
    }
    out
}
