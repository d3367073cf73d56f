//! The canvas a recording is replayed on: plotters-canvas's backend, with the
//! two commands a figure issues by the thousand — filled rectangles (cells,
//! bars) and upright text (cell numbers, tick labels) — drawn directly with
//! the context's state remembered, so a run of cells of one colour sets
//! `fillStyle` once instead of formatting, passing and parsing a colour string
//! per cell, and labels in one font set `font`, `textAlign` and
//! `textBaseline` once.
//!
//! Everything else (lines, paths, circles, polygons, rotated text) goes to
//! [`CanvasBackend`] unchanged; those calls set the context's styles
//! themselves, so the remembered state is forgotten after each of them.

use std::cell::RefCell;
use std::collections::HashMap;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// An error of the canvas (its text).
#[derive(Debug)]
pub struct CanvasError(String);

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CanvasError {}

fn js_err(e: JsValue) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(
        e.as_string().unwrap_or_else(|| format!("{e:?}")),
    ))
}

fn from_plotters<E: std::error::Error + Send + Sync>(
    e: DrawingErrorKind<E>,
) -> DrawingErrorKind<CanvasError> {
    match e {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(CanvasError(e.to_string()))
        }
        DrawingErrorKind::FontError(f) => DrawingErrorKind::FontError(f),
    }
}

/// The CSS colour plotters-canvas writes for `c` (same text, so both paths
/// paint identical pixels).
pub fn css_color(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    format!("rgba({r},{g},{b},{})", c.alpha)
}

/// Colour key: the channels and the alpha's bits.
type ColorKey = (u8, u8, u8, u64);

fn key(c: BackendColor) -> ColorKey {
    (c.rgb.0, c.rgb.1, c.rgb.2, c.alpha.to_bits())
}

/// Most colour strings kept (a heat map has at most a few hundred shades).
const COLOR_CACHE_LIMIT: usize = 1024;

thread_local! {
    /// Colour strings already passed to JavaScript, reused across drawings.
    static COLORS: RefCell<HashMap<ColorKey, JsValue>> = RefCell::new(HashMap::new());
}

fn js_color(c: BackendColor) -> JsValue {
    COLORS.with(|m| {
        let mut m = m.borrow_mut();
        if let Some(v) = m.get(&key(c)) {
            return v.clone();
        }
        if m.len() >= COLOR_CACHE_LIMIT {
            m.clear();
        }
        let v = JsValue::from_str(&css_color(c));
        m.insert(key(c), v.clone());
        v
    })
}

/// The context state this backend has set and not seen changed since.
#[derive(Default)]
struct Known {
    fill: Option<ColorKey>,
    font: Option<String>,
    align: Option<&'static str>,
    baseline: Option<&'static str>,
}

/// A canvas backend that draws filled rectangles and upright text itself,
/// with the context state cached; see the module notes.
pub struct CanvasOut {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
    known: Known,
}

impl CanvasOut {
    /// The backend of `canvas`, or `None` if it gives no 2-D context.
    pub fn new(canvas: &HtmlCanvasElement) -> Option<Self> {
        let inner = CanvasBackend::with_canvas_object(canvas.clone())?;
        let context = canvas
            .get_context("2d")
            .ok()??
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        Some(CanvasOut {
            inner,
            context,
            known: Known::default(),
        })
    }

    fn set_fill(&mut self, c: BackendColor) {
        if self.known.fill != Some(key(c)) {
            // The `JsValue` form (deprecated in favour of `&str`) takes the
            // cached string as is; the `&str` form decodes a new one per call.
            #[allow(deprecated)]
            self.context.set_fill_style(&js_color(c));
            self.known.fill = Some(key(c));
        }
    }

    /// Hands a command to plotters-canvas, which sets styles of its own.
    fn delegate<T, E: std::error::Error + Send + Sync>(
        &mut self,
        f: impl FnOnce(&mut CanvasBackend) -> Result<T, DrawingErrorKind<E>>,
    ) -> Result<T, DrawingErrorKind<CanvasError>> {
        self.known = Known::default();
        f(&mut self.inner).map_err(from_plotters)
    }
}

impl DrawingBackend for CanvasOut {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.delegate(|b| b.ensure_prepared())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.delegate(|b| b.present())
    }

    fn draw_pixel(
        &mut self,
        p: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.set_fill(color);
        self.context
            .fill_rect(f64::from(p.0), f64::from(p.1), 1.0, 1.0);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.delegate(|b| b.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if !fill {
            return self.delegate(|inner| inner.draw_rect(a, b, style, false));
        }
        let c = style.color();
        if c.alpha == 0.0 {
            return Ok(());
        }
        self.set_fill(c);
        self.context.fill_rect(
            f64::from(a.0),
            f64::from(a.1),
            f64::from(b.0 - a.0),
            f64::from(b.1 - a.1),
        );
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.delegate(|b| b.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.delegate(|b| b.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.delegate(|b| b.fill_polygon(vert, style))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if !matches!(style.transform(), FontTransform::None) {
            return self.delegate(|b| b.draw_text(text, style, pos));
        }
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let anchor = style.anchor();
        let baseline = match anchor.v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        if self.known.baseline != Some(baseline) {
            self.context.set_text_baseline(baseline);
            self.known.baseline = Some(baseline);
        }
        let align = match anchor.h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        if self.known.align != Some(align) {
            self.context.set_text_align(align);
            self.known.align = Some(align);
        }
        self.set_fill(color);
        let font = format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        );
        if self.known.font.as_deref() != Some(font.as_str()) {
            self.context.set_font(&font);
            self.known.font = Some(font);
        }
        self.context
            .fill_text(text, f64::from(pos.0), f64::from(pos.1))
            .map_err(js_err)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.delegate(|b| b.blit_bitmap(pos, (iw, ih), src))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_text_matches_plotters_canvas() {
        let c = BackendColor {
            alpha: 0.18,
            rgb: (10, 200, 3),
        };
        assert_eq!(css_color(c), "rgba(10,200,3,0.18)");
        let opaque = BackendColor {
            alpha: 1.0,
            rgb: (0, 0, 0),
        };
        assert_eq!(css_color(opaque), "rgba(0,0,0,1)");
        assert_ne!(key(c), key(opaque));
    }
}
