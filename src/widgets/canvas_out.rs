//! The canvas a recording is replayed on. It draws what plotters-canvas's
//! [`CanvasBackend`] draws, command for command and pixel for pixel, but
//! remembers the context's state: a run of cells of one colour sets
//! `fillStyle` once instead of formatting, passing and parsing a colour string
//! per cell; labels in one font set `font` (a slow setter: the browser parses
//! the CSS font each time) once; grid lines in one colour set `strokeStyle`
//! and `lineWidth` once. Colour strings are made once and kept in JavaScript.
//!
//! Bitmaps go to [`CanvasBackend`]; the remembered state is forgotten after
//! each of those.

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

/// The CSS colour for `c`: the colour plotters-canvas writes, and for an
/// opaque colour in hex, which the browser parses about twice as fast as
/// `rgba(…)` (20 000 `fillStyle` sets + `fillRect`: 99 ms with `rgba(r,g,b,1)`
/// strings, 41 ms with `#rrggbb`, 40 ms with no style change at all).
pub fn css_color(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    if c.alpha >= 1.0 {
        format!("#{r:02x}{g:02x}{b:02x}")
    } else {
        format!("rgba({r},{g},{b},{})", c.alpha)
    }
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

/// Calls `set` with `value` unless the context is `known` to have it already.
fn set_once(known: &mut Option<&'static str>, value: &'static str, set: impl FnOnce(&str)) {
    if *known != Some(value) {
        set(value);
        *known = Some(value);
    }
}

/// The context state this backend has set and not seen changed since.
#[derive(Clone, Default)]
struct Known {
    fill: Option<ColorKey>,
    stroke: Option<ColorKey>,
    line_width: Option<u32>,
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

    /// Puts `rgba` (`w × h` pixels, rows top to bottom) at `(x, y)`, as it is:
    /// what opaque `fillRect`s of those colours there would paint.
    pub fn put_rgba(
        &mut self,
        x: i32,
        y: i32,
        w: u32,
        h: u32,
        rgba: &[u8],
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let img =
            web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(rgba), w, h)
                .map_err(js_err)?;
        self.context
            .put_image_data(&img, f64::from(x), f64::from(y))
            .map_err(js_err)
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

    fn set_line<S: BackendStyle>(&mut self, style: &S) {
        let c = style.color();
        if self.known.stroke != Some(key(c)) {
            // As in `set_fill`: the cached string, as is.
            #[allow(deprecated)]
            self.context.set_stroke_style(&js_color(c));
            self.known.stroke = Some(key(c));
        }
        let w = style.stroke_width();
        if self.known.line_width != Some(w) {
            self.context.set_line_width(f64::from(w));
            self.known.line_width = Some(w);
        }
    }

    /// Upright text at `(x, y)` in the current transform.
    fn text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        x: f64,
        y: f64,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let anchor = style.anchor();
        let baseline = match anchor.v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        set_once(&mut self.known.baseline, baseline, |v| {
            self.context.set_text_baseline(v)
        });
        let align = match anchor.h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        set_once(&mut self.known.align, align, |v| {
            self.context.set_text_align(v)
        });
        self.set_fill(style.color());
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
        self.context.fill_text(text, x, y).map_err(js_err)
    }

    /// Starts a path through `points` (a polyline); false if there were none.
    fn trace(&self, points: impl IntoIterator<Item = BackendCoord>) -> bool {
        let mut points = points.into_iter();
        self.context.begin_path();
        let Some(start) = points.next() else {
            return false;
        };
        self.context.move_to(f64::from(start.0), f64::from(start.1));
        for p in points {
            self.context.line_to(f64::from(p.0), f64::from(p.1));
        }
        true
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

    // A canvas draws as it is told: nothing to prepare or present (plotters-canvas
    // does nothing here either). plotters calls `ensure_prepared` before every
    // command, so it must not forget the known state.
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        Ok(())
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
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        // Horizontal and vertical lines sit on pixel centres, as plotters-canvas draws them.
        let (mut a, mut b) = (
            (f64::from(from.0), f64::from(from.1)),
            (f64::from(to.0), f64::from(to.1)),
        );
        if a.0 == b.0 {
            a.0 -= 0.5;
            b.0 -= 0.5;
        }
        if a.1 == b.1 {
            a.1 -= 0.5;
            b.1 -= 0.5;
        }
        self.set_line(style);
        self.context.begin_path();
        self.context.move_to(a.0, a.1);
        self.context.line_to(b.0, b.1);
        self.context.stroke();
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let c = style.color();
        if c.alpha == 0.0 {
            return Ok(());
        }
        let (x, y) = (f64::from(a.0), f64::from(a.1));
        let (w, h) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        if fill {
            self.set_fill(c);
            self.context.fill_rect(x, y, w, h);
        } else {
            self.set_line(style);
            self.context.stroke_rect(x, y, w, h);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.set_line(style);
        self.trace(path);
        self.context.stroke();
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        if fill {
            self.set_fill(style.color());
        } else {
            self.set_line(style);
        }
        self.context.begin_path();
        self.context
            .arc(
                f64::from(center.0),
                f64::from(center.1),
                f64::from(radius),
                0.0,
                std::f64::consts::PI * 2.0,
            )
            .map_err(js_err)?;
        if fill {
            self.context.fill();
        } else {
            self.context.stroke();
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.set_fill(style.color());
        if self.trace(vert) {
            self.context.close_path();
        }
        self.context.fill();
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let degrees: f64 = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 90.0,
            FontTransform::Rotate180 => 180.0,
            FontTransform::Rotate270 => 270.0,
        };
        if degrees == 0.0 {
            return self.text(text, style, f64::from(pos.0), f64::from(pos.1));
        }
        // Rotated about its anchor; `restore` puts back the state from before
        // `save`, so that is what is known afterwards.
        let before = self.known.clone();
        self.context.save();
        let drawn = self
            .context
            .translate(f64::from(pos.0), f64::from(pos.1))
            .and_then(|_| self.context.rotate(degrees / 180.0 * std::f64::consts::PI))
            .map_err(js_err)
            .and_then(|_| self.text(text, style, 0.0, 0.0));
        self.context.restore();
        self.known = before;
        drawn
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
    fn colour_text_is_hex_when_opaque_else_rgba() {
        let c = BackendColor {
            alpha: 0.18,
            rgb: (10, 200, 3),
        };
        assert_eq!(css_color(c), "rgba(10,200,3,0.18)");
        let opaque = BackendColor {
            alpha: 1.0,
            rgb: (0, 0, 0),
        };
        assert_eq!(css_color(opaque), "#000000");
        let teal = BackendColor {
            alpha: 1.0,
            rgb: (0, 128, 255),
        };
        assert_eq!(css_color(teal), "#0080ff");
        assert_ne!(key(c), key(opaque));
    }
}
