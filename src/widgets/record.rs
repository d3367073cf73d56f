//! A plotters backend that records what a drawing function draws, so the
//! same drawing can be replayed on the page's canvas and, for export, on an
//! SVG backend — without the drawing function knowing about either.
//!
//! [`super::surface::draw_on_canvas`] draws every figure through a
//! [`RecordingBackend`], replays it on the canvas and keeps the last
//! [`Recording`] of each canvas, so any figure can be exported as SVG
//! ([`svg_of`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontFamily,
    FontStyle, FontTransform,
};

use super::canvas_out::CanvasOut;
use crate::draw::{err, DrawResult};

/// A stroke or fill: colour and line width.
#[derive(Clone, Copy)]
struct Stroke {
    color: BackendColor,
    width: u32,
}

impl Stroke {
    fn of<S: BackendStyle>(s: &S) -> Self {
        Stroke {
            color: s.color(),
            width: s.stroke_width(),
        }
    }
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

/// A recorded text style (owned copy of what the drawing asked for).
#[derive(Clone)]
struct Font {
    family: String,
    size: f64,
    style: FontStyle,
    color: BackendColor,
    anchor: Pos,
    transform: FontTransform,
}

impl BackendTextStyle for Font {
    type FontError = std::convert::Infallible;

    fn color(&self) -> BackendColor {
        self.color
    }
    fn size(&self) -> f64 {
        self.size
    }
    fn transform(&self) -> FontTransform {
        self.transform.clone()
    }
    fn style(&self) -> FontStyle {
        self.style
    }
    fn anchor(&self) -> Pos {
        self.anchor
    }
    fn family(&self) -> FontFamily<'_> {
        FontFamily::from(self.family.as_str())
    }
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        // Only used by backends that rasterise text themselves (canvas and SVG
        // draw text natively): an average glyph is about 0.6 em wide.
        let w = (0.6 * self.size * text.chars().count() as f64).round() as i32;
        Ok(((0, 0), (w, self.size.round() as i32)))
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        Ok(Ok(()))
    }
}

/// One drawing command.
#[derive(Clone)]
enum Op {
    Pixel(BackendCoord, BackendColor),
    Line(BackendCoord, BackendCoord, Stroke),
    Rect(BackendCoord, BackendCoord, Stroke, bool),
    Path(Vec<BackendCoord>, Stroke),
    Circle(BackendCoord, u32, Stroke, bool),
    Polygon(Vec<BackendCoord>, Stroke),
    Text(String, Font, BackendCoord),
    Bitmap(BackendCoord, (u32, u32), Vec<u8>),
}

/// Commands per block of an [`Ops`] list.
const CHUNK: usize = 256;

// A full block is one the allocator keeps for reuse when it is freed.
const _: () = assert!(CHUNK * std::mem::size_of::<Op>() >= crate::heap::LARGE);

/// A list of commands kept in blocks of at most [`CHUNK`] (16 KiB on wasm32,
/// the size from which the allocator keeps freed blocks for reuse).
///
/// A heat map records a command per cell: as one `Vec` its list grew by
/// doubling to 1 MB, the largest block the app allocated, and the halves
/// freed on the way (and the list itself, freed at the next redraw) were
/// split by long-lived small blocks, so the next large list no longer fitted:
/// the wasm memory, which never shrinks, grew by 1.1 MiB after hundreds of
/// route changes with no more bytes live. Blocks of one size are reused as
/// they are freed.
#[derive(Clone, Default)]
struct Ops {
    /// Every block but the last holds exactly `CHUNK` commands.
    chunks: Vec<Vec<Op>>,
    len: usize,
}

impl Ops {
    fn push(&mut self, op: Op) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(op),
            _ => {
                let mut chunk = Vec::with_capacity(if self.len == 0 { 8 } else { CHUNK });
                chunk.push(op);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    fn len(&self) -> usize {
        self.len
    }

    /// Command `i` (`i < len`).
    fn get(&self, i: usize) -> &Op {
        &self.chunks[i / CHUNK][i % CHUNK]
    }

    /// Commands `from..` in order.
    fn iter_from(&self, from: usize) -> impl Iterator<Item = &Op> {
        self.chunks
            .get(from / CHUNK..)
            .unwrap_or_default()
            .iter()
            .flatten()
            .skip(from % CHUNK)
    }

    fn iter(&self) -> impl Iterator<Item = &Op> {
        self.iter_from(0)
    }
}

/// What a drawing function drew, in order, at a size in backend pixels.
#[derive(Clone, Default)]
pub struct Recording {
    size: (u32, u32),
    ops: Ops,
}

impl Recording {
    /// Width and height in backend pixels.
    pub fn size(&self) -> (u32, u32) {
        self.size
    }

    /// Number of recorded commands.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether nothing was drawn.
    pub fn is_empty(&self) -> bool {
        self.ops.len() == 0
    }

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

    /// Draws the recording on `backend`.
    ///
    /// # Errors
    /// The backend's first error.
    pub fn replay<DB: DrawingBackend>(&self, backend: &mut DB) -> DrawResult {
        for op in self.ops.iter() {
            replay_op(backend, op)?;
        }
        Ok(())
    }

    /// Draws the recording on a page canvas, pixel for pixel as [`Recording::replay`]
    /// does, but paints each run of at least [`MIN_RUN`] opaque filled rectangles
    /// that touch one another and cover their bounding box (a heat map's cells,
    /// a colour bar) as one bitmap: one `putImageData` instead of a `fillStyle`
    /// and a `fillRect` per cell, which were most of a heat-map lesson's redraw.
    ///
    /// # Errors
    /// The canvas' first error.
    pub fn replay_on_canvas(&self, out: &mut CanvasOut) -> DrawResult {
        let mut scratch = SCRATCH.take();
        let done = self.replay_runs(out, &mut scratch);
        SCRATCH.set(scratch);
        done
    }

    /// [`Recording::replay_on_canvas`], with `scratch` holding each run's
    /// rectangles and each bitmap's pixels.
    fn replay_runs(&self, out: &mut CanvasOut, scratch: &mut Scratch) -> DrawResult {
        let (w, h) = out.get_size();
        let Scratch { rects, rgba } = scratch;
        let mut i = 0;
        while i < self.ops.len() {
            rects.clear();
            rects.extend(self.ops.iter_from(i).map_while(solid));
            let end = i + rects.len();
            if end - i < MIN_RUN {
                // Too short to paint at once, or no rectangle at all.
                for k in i..end.max(i + 1) {
                    replay_op(out, self.ops.get(k))?;
                }
                i = end.max(i + 1);
                continue;
            }
            for (from, to) in touching_groups(rects) {
                let group = &rects[from..to];
                let painted = if group.len() >= MIN_RUN {
                    paint_solids(group, (w, h), rgba)
                } else {
                    None
                };
                match painted {
                    Some(Painted::Bitmap { x, y, w, h }) => {
                        out.put_rgba(x, y, w, h, rgba).map_err(err)?
                    }
                    Some(Painted::Nothing) => {}
                    None => {
                        for k in i + from..i + to {
                            replay_op(out, self.ops.get(k))?;
                        }
                    }
                }
            }
            i = end;
        }
        Ok(())
    }

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

fn replay_op<DB: DrawingBackend>(backend: &mut DB, op: &Op) -> DrawResult {
    match op {
        Op::Pixel(p, c) => backend.draw_pixel(*p, *c),
        Op::Line(a, b, s) => backend.draw_line(*a, *b, s),
        Op::Rect(a, b, s, f) => backend.draw_rect(*a, *b, s, *f),
        Op::Path(p, s) => backend.draw_path(p.iter().copied(), s),
        Op::Circle(c, r, s, f) => backend.draw_circle(*c, *r, s, *f),
        Op::Polygon(p, s) => backend.fill_polygon(p.iter().copied(), s),
        Op::Text(t, f, p) => backend.draw_text(t, f, *p),
        Op::Bitmap(p, wh, src) => backend.blit_bitmap(*p, *wh, src),
    }
    .map_err(err)
}

/// Fewest opaque filled rectangles in a row painted as one bitmap.
pub const MIN_RUN: usize = 16;
/// Largest bitmap (in pixels) a run is painted as.
const MAX_RUN_PIXELS: i64 = 4 << 20;

/// What [`Recording::replay_on_canvas`] works in, kept from one draw to the
/// next: a heat map's bitmap (0.5–1.3 MB at 1000 px wide) and its run of
/// rectangles are the largest short-lived blocks the app needs. Allocated
/// anew per draw, they fragmented the heap as [`Ops`] describes; kept, they
/// grow to the largest figure's size once and are reused.
#[derive(Default)]
struct Scratch {
    /// The opaque rectangles of the current run.
    rects: Vec<Solid>,
    /// The pixels of the bitmap being painted.
    rgba: Vec<u8>,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// An opaque filled rectangle: pixels `[x0, x1) × [y0, y1)`, as `fillRect` paints it.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Solid {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
    rgb: (u8, u8, u8),
}

fn solid(op: &Op) -> Option<Solid> {
    match op {
        Op::Rect(a, b, s, true) if s.color.alpha >= 1.0 => Some(Solid {
            x0: a.0.min(b.0),
            y0: a.1.min(b.1),
            x1: a.0.max(b.0),
            y1: a.1.max(b.1),
            rgb: s.color.rgb,
        }),
        _ => None,
    }
}

/// Splits `rects` into consecutive groups, each rectangle touching (overlapping or
/// abutting) the bounding box of those before it in its group: one group per heat-map
/// tile, since tiles are apart.
fn touching_groups(rects: &[Solid]) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    let mut start = 0;
    let mut bb: Option<(i32, i32, i32, i32)> = None;
    for (i, r) in rects.iter().enumerate() {
        bb = match bb {
            Some((x0, y0, x1, y1)) if r.x0 <= x1 && r.x1 >= x0 && r.y0 <= y1 && r.y1 >= y0 => {
                Some((x0.min(r.x0), y0.min(r.y0), x1.max(r.x1), y1.max(r.y1)))
            }
            Some(_) => {
                groups.push((start, i));
                start = i;
                Some((r.x0, r.y0, r.x1, r.y1))
            }
            None => Some((r.x0, r.y0, r.x1, r.y1)),
        };
    }
    if start < rects.len() {
        groups.push((start, rects.len()));
    }
    groups
}

/// What a group of rectangles paints on a canvas of `size`.
#[derive(Debug, PartialEq)]
enum Painted {
    /// Nothing (all of it off the canvas).
    Nothing,
    /// Every pixel of the box at `(x, y)`, `w × h`: the scratch buffer holds
    /// them as RGBA rows.
    Bitmap { x: i32, y: i32, w: u32, h: u32 },
}

/// The pixels `rects` paint in order (later over earlier), clipped to a canvas of
/// `size`, if they cover every pixel of their clipped bounding box; `None` if they
/// leave a hole (the canvas' own pixels would show there) or the box is too large.
/// The pixels are written to `rgba` (its old content dropped, its memory reused).
fn paint_solids(rects: &[Solid], size: (u32, u32), rgba: &mut Vec<u8>) -> Option<Painted> {
    let cw = i32::try_from(size.0).unwrap_or(i32::MAX);
    let ch = i32::try_from(size.1).unwrap_or(i32::MAX);
    let clip = |r: &Solid| (r.x0.max(0), r.y0.max(0), r.x1.min(cw), r.y1.min(ch));
    let mut bb: Option<(i32, i32, i32, i32)> = None;
    for r in rects {
        let (x0, y0, x1, y1) = clip(r);
        if x0 >= x1 || y0 >= y1 {
            continue;
        }
        bb = Some(match bb {
            None => (x0, y0, x1, y1),
            Some(b) => (b.0.min(x0), b.1.min(y0), b.2.max(x1), b.3.max(y1)),
        });
    }
    let Some((bx0, by0, bx1, by1)) = bb else {
        return Some(Painted::Nothing);
    };
    let (w, h) = (i64::from(bx1 - bx0), i64::from(by1 - by0));
    if w * h > MAX_RUN_PIXELS {
        return None;
    }
    let stride = (w * 4) as usize;
    rgba.clear();
    rgba.resize(stride * h as usize, 0);
    for r in rects {
        let (x0, y0, x1, y1) = clip(r);
        if x0 >= x1 || y0 >= y1 {
            continue;
        }
        // The first row pixel by doubling copies, the others copies of it (the
        // module is built for size: copies are its fast loops).
        let (cr, cg, cb) = r.rgb;
        let first = (y0 - by0) as usize * stride + (x0 - bx0) as usize * 4;
        let len = (x1 - x0) as usize * 4;
        rgba[first..first + 4].copy_from_slice(&[cr, cg, cb, 255]);
        let mut done = 4;
        while done < len {
            let n = done.min(len - done);
            rgba.copy_within(first..first + n, first + done);
            done += n;
        }
        for y in 1..(y1 - y0) as usize {
            rgba.copy_within(first..first + len, first + y * stride);
        }
    }
    // Every pixel painted (each sets its alpha to 255)?
    let covered = rgba.iter().skip(3).step_by(4).all(|&a| a == 255);
    covered.then_some(Painted::Bitmap {
        x: bx0,
        y: by0,
        w: w as u32,
        h: h as u32,
    })
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

/// The error of a [`RecordingBackend`] (it never fails).
#[derive(Debug)]
pub struct NoError;

impl std::fmt::Display for NoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no error")
    }
}

impl std::error::Error for NoError {}

/// A backend of a given size that keeps every command it is given.
pub struct RecordingBackend {
    size: (u32, u32),
    ops: Rc<RefCell<Ops>>,
}

type Res = Result<(), DrawingErrorKind<NoError>>;

impl RecordingBackend {
    fn push(&mut self, op: Op) -> Res {
        self.ops.borrow_mut().push(op);
        Ok(())
    }
}

impl DrawingBackend for RecordingBackend {
    type ErrorType = NoError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> Res {
        Ok(())
    }
    fn present(&mut self) -> Res {
        Ok(())
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res {
        self.push(Op::Pixel(point, color))
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> Res {
        self.push(Op::Line(from, to, Stroke::of(s)))
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Res {
        self.push(Op::Rect(ul, br, Stroke::of(s), fill))
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Res {
        self.push(Op::Path(path.into_iter().collect(), Stroke::of(s)))
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        s: &S,
        fill: bool,
    ) -> Res {
        self.push(Op::Circle(center, radius, Stroke::of(s), fill))
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Res {
        self.push(Op::Polygon(vert.into_iter().collect(), Stroke::of(s)))
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, s: &T, pos: BackendCoord) -> Res {
        let font = Font {
            family: s.family().as_str().to_string(),
            size: s.size(),
            style: s.style(),
            color: s.color(),
            anchor: s.anchor(),
            transform: s.transform(),
        };
        self.push(Op::Text(text.to_string(), font, pos))
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, wh: (u32, u32), src: &[u8]) -> Res {
        self.push(Op::Bitmap(pos, wh, src.to_vec()))
    }
    /// Text size from a detached canvas's `measureText` (cached). plotters'
    /// own browser estimate appends a `<span>` to the page and reads its
    /// size, forcing a layout of the whole page for every label: measured at
    /// about a third of a slider move's time in lesson 1.
    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        if let Some(size) =
            measure::text(text, style.family().as_str(), style.style(), style.size())
        {
            return Ok(size);
        }
        let layout = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        Ok((
            (layout.1 .0 - layout.0 .0) as u32,
            (layout.1 .1 - layout.0 .1) as u32,
        ))
    }
}

/// Text measurement on one detached 2-D canvas context, with a cache.
mod measure {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use plotters_backend::FontStyle;
    use wasm_bindgen::JsCast;

    /// Cached sizes are dropped wholesale past this many entries.
    const CACHE_LIMIT: usize = 2048;

    thread_local! {
        static CONTEXT: Option<web_sys::CanvasRenderingContext2d> = context();
        /// Keyed by a 64-bit hash of (font, text) and allocated once at its full size: an
        /// entry allocates nothing and the table never grows, so a cache filling up over a
        /// lecture (every frame's and every slider value's labels are new text) neither adds
        /// live heap blocks nor moves the wasm memory's high-water mark.
        static CACHE: RefCell<HashMap<u64, (u32, u32)>> =
            RefCell::new(HashMap::with_capacity(CACHE_LIMIT));
    }

    fn key(text: &str, family: &str, style: FontStyle, size: f64) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        (style.as_str(), size.to_bits(), family, text).hash(&mut h);
        h.finish()
    }

    fn context() -> Option<web_sys::CanvasRenderingContext2d> {
        if !cfg!(target_arch = "wasm32") {
            return None;
        }
        let canvas = web_sys::window()?
            .document()?
            .create_element("canvas")
            .ok()?;
        let canvas: web_sys::HtmlCanvasElement = canvas.dyn_into().ok()?;
        canvas.get_context("2d").ok()??.dyn_into().ok()
    }

    /// `(width, height)` in pixels of `text` in the CSS font built from
    /// `family`, `style` and `size`; `None` where there is no canvas (native
    /// tests) or the browser cannot measure.
    pub fn text(text: &str, family: &str, style: FontStyle, size: f64) -> Option<(u32, u32)> {
        let key = key(text, family, style, size);
        if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).copied()) {
            return Some(hit);
        }
        let measured = CONTEXT.with(|ctx| {
            let ctx = ctx.as_ref()?;
            ctx.set_font(&format!("{} {}px {}", style.as_str(), size, family));
            let m = ctx.measure_text(text).ok()?;
            let h = m.font_bounding_box_ascent() + m.font_bounding_box_descent();
            let h = if h.is_finite() && h > 0.0 {
                h
            } else {
                size * 1.2
            };
            Some((m.width().max(0.0).round() as u32, h.round() as u32))
        })?;
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() >= CACHE_LIMIT {
                c.clear();
            }
            c.insert(key, measured);
        });
        Some(measured)
    }
}

/// The drawing area a figure's draw function receives.
pub type RecordArea = DrawingArea<RecordingBackend, Shift>;

/// Runs `draw` on a recording area of `size` backend pixels.
///
/// # Errors
/// What `draw` returns.
pub fn record(
    size: (u32, u32),
    draw: impl FnOnce(&RecordArea) -> DrawResult,
) -> Result<Recording, String> {
    let ops = Rc::new(RefCell::new(Ops::default()));
    {
        let backend = RecordingBackend {
            size,
            ops: ops.clone(),
        };
        let area = backend.into_drawing_area();
        draw(&area)?;
        area.present().map_err(err)?;
    }
    let ops = ops.take();
    Ok(Recording { size, ops })
}

/// The attribute that links a canvas to its last recording.
pub const RECORDING_ATTR: &str = "data-recording";

thread_local! {
    static STORE: RefCell<(u32, HashMap<u32, Rc<Recording>>)> = RefCell::new((0, HashMap::new()));
}

/// Keeps `rec` as the last drawing of `canvas` (for export); recordings of
/// canvases no longer in the document are dropped.
pub fn keep(canvas: &web_sys::HtmlCanvasElement, rec: Recording) {
    STORE.with(|s| {
        let mut s = s.borrow_mut();
        let id = match canvas
            .get_attribute(RECORDING_ATTR)
            .and_then(|v| v.parse::<u32>().ok())
        {
            Some(id) => id,
            None => {
                s.0 = s.0.wrapping_add(1);
                let id = s.0;
                let _ = canvas.set_attribute(RECORDING_ATTR, &id.to_string());
                // A new canvas: forget those that left the page.
                if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                    s.1.retain(|k, _| {
                        doc.query_selector(&format!("canvas[{RECORDING_ATTR}=\"{k}\"]"))
                            .ok()
                            .flatten()
                            .is_some()
                    });
                }
                id
            }
        };
        s.1.insert(id, Rc::new(rec));
    });
}

/// Forgets every kept recording: called when the page changes, as the old
/// page's canvases leave the document. Pruning only when a new canvas is
/// drawn kept the last page's recordings (thousands of small blocks: a
/// label's text and font) alive until the next page drew, which a deferred
/// figure may not do for a while.
pub fn forget_all() {
    STORE.with(|s| s.borrow_mut().1.clear());
}

/// The last recording of `canvas`, if it was drawn through
/// [`super::surface::draw_on_canvas`].
pub fn recording_of(canvas: &web_sys::Element) -> Option<Rc<Recording>> {
    let id = canvas.get_attribute(RECORDING_ATTR)?.parse::<u32>().ok()?;
    STORE.with(|s| s.borrow().1.get(&id).cloned())
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

/// The figure on `canvas` as an SVG document titled `title`.
///
/// # Errors
/// The canvas was not drawn by a widget, or a backend error.
pub fn svg_of(canvas: &web_sys::Element, title: &str) -> Result<String, String> {
    recording_of(canvas)
        .ok_or_else(|| "this figure has no vector drawing".to_string())?
        .to_svg(title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::text_style;
    use plotters::style::text_anchor::{HPos, VPos};

    fn sq(x0: i32, y0: i32, x1: i32, y1: i32, v: u8) -> Solid {
        Solid {
            x0,
            y0,
            x1,
            y1,
            rgb: (v, 0, 255 - v),
        }
    }

    /// The pixels a list of `fillRect`s paints, one rectangle at a time (the reference).
    fn naive(rects: &[Solid], w: i32, h: i32) -> Vec<Option<(u8, u8, u8)>> {
        let mut px = vec![None; (w * h) as usize];
        for r in rects {
            for y in r.y0.max(0)..r.y1.min(h) {
                for x in r.x0.max(0)..r.x1.min(w) {
                    px[(y * w + x) as usize] = Some(r.rgb);
                }
            }
        }
        px
    }

    #[test]
    fn a_covering_run_paints_what_its_rectangles_paint() {
        // A 7×5 grid of 3-px cells at (4, 2), a 1-px grid line over it, a cell
        // hanging off the canvas' right edge: every pixel as the rectangles leave it.
        let mut rects = Vec::new();
        for y in 0..5 {
            for x in 0..7 {
                rects.push(sq(
                    4 + 3 * x,
                    2 + 3 * y,
                    7 + 3 * x,
                    5 + 3 * y,
                    (x * 30 + y) as u8,
                ));
            }
        }
        rects.push(sq(10, 2, 11, 17, 9));
        rects.push(sq(22, 2, 40, 17, 200));
        let (w, h) = (30, 20);
        // A used buffer: what it held must not show through.
        let mut rgba = vec![7u8; 9000];
        let Some(Painted::Bitmap { x, y, w: bw, h: bh }) = paint_solids(&rects, (w, h), &mut rgba)
        else {
            panic!("a covered box is one bitmap");
        };
        assert_eq!((x, y, bw, bh), (4, 2, 26, 15), "clipped to the canvas");
        let want = naive(&rects, w as i32, h as i32);
        for py in 0..bh as i32 {
            for px in 0..bw as i32 {
                let i = ((py * bw as i32 + px) * 4) as usize;
                let got = (rgba[i], rgba[i + 1], rgba[i + 2]);
                assert_eq!(rgba[i + 3], 255);
                assert_eq!(
                    Some(got),
                    want[((py + y) * w as i32 + px + x) as usize],
                    "({px}, {py})"
                );
            }
        }
    }

    #[test]
    fn the_command_list_keeps_order_across_its_blocks() {
        let px = |i: usize| {
            Op::Pixel(
                (i as i32, 0),
                BackendColor {
                    alpha: 1.0,
                    rgb: (0, 0, 0),
                },
            )
        };
        let at = |op: &Op| match op {
            Op::Pixel((x, _), _) => *x as usize,
            _ => usize::MAX,
        };
        for n in [0, 1, 7, 8, 9, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5] {
            let mut ops = Ops::default();
            for i in 0..n {
                ops.push(px(i));
            }
            assert_eq!(ops.len(), n);
            assert_eq!(
                ops.iter().map(at).collect::<Vec<_>>(),
                (0..n).collect::<Vec<_>>()
            );
            for from in [0, 1, CHUNK - 1, CHUNK, CHUNK + 3, n.saturating_sub(1), n] {
                let from = from.min(n);
                let want: Vec<usize> = (from..n).collect();
                assert_eq!(
                    ops.iter_from(from).map(at).collect::<Vec<_>>(),
                    want,
                    "n {n} from {from}"
                );
            }
            for i in 0..n {
                assert_eq!(at(ops.get(i)), i);
            }
            // No block larger than CHUNK commands.
            assert!(ops.chunks.iter().all(|c| c.capacity() <= CHUNK));
        }
    }

    #[test]
    fn a_run_with_a_hole_or_off_the_canvas_is_left_to_the_canvas() {
        // One cell missing: the canvas' own pixel must show there.
        let mut rects: Vec<Solid> = (0..20).map(|i| sq(i * 2, 0, i * 2 + 2, 2, 1)).collect();
        rects.remove(7);
        let mut rgba = Vec::new();
        assert_eq!(paint_solids(&rects, (100, 100), &mut rgba), None);
        // Entirely off the canvas: nothing to paint.
        let off: Vec<Solid> = (0..20).map(|i| sq(-50 + i, -9, -49 + i, -1, 1)).collect();
        assert_eq!(
            paint_solids(&off, (100, 100), &mut rgba),
            Some(Painted::Nothing)
        );
        // Too large for one bitmap.
        let huge = [sq(0, 0, 4000, 4000, 1)];
        assert_eq!(paint_solids(&huge, (5000, 5000), &mut rgba), None);
    }

    #[test]
    fn runs_split_where_tiles_are_apart() {
        // Two 4×4-cell tiles with a 3 px gap, then a legend bar that abuts nothing.
        let mut rects = Vec::new();
        for t in 0..2 {
            for y in 0..4 {
                for x in 0..4 {
                    let ox = t * (16 + 3);
                    rects.push(sq(ox + 4 * x, 4 * y, ox + 4 * x + 4, 4 * y + 4, 1));
                }
            }
        }
        rects.push(sq(0, 30, 10, 34, 2));
        rects.push(sq(10, 30, 20, 34, 3));
        assert_eq!(touching_groups(&rects), vec![(0, 16), (16, 32), (32, 34)]);
    }

    #[test]
    fn a_heat_map_is_recorded_as_runs_the_canvas_paints_at_once() {
        use crate::draw::heatmap::{draw_tensor, HeatmapOptions, TensorLayout};
        let t =
            convlab_core::Tensor::from_fn(3, 9, 9, |c, y, x| (c * 81 + y * 9 + x) as f32).unwrap();
        let style = crate::draw::Style::new(crate::config::Theme::Light, 1.0);
        let layout = TensorLayout::new(t.shape(), 0, 600.0, 300.0, 1.0, true, true);
        assert!(
            layout.cell >= 6.0,
            "cells large enough for their grid lines"
        );
        let rec = record((600, 300), |a| {
            draw_tensor(
                a,
                &t,
                &layout,
                &HeatmapOptions {
                    legend: true,
                    labels: true,
                    ..Default::default()
                },
                &style,
            )
        })
        .unwrap();
        // As `replay_on_canvas` walks it: runs of consecutive opaque fills, split
        // into touching groups.
        let (mut painted, mut cells_left) = (0, 0);
        let ops: Vec<&Op> = rec.ops.iter().collect();
        for run in ops.split(|op| solid(op).is_none()) {
            let rects: Vec<Solid> = run.iter().copied().filter_map(solid).collect();
            for (a, b) in touching_groups(&rects) {
                match paint_solids(&rects[a..b], rec.size, &mut Vec::new()) {
                    Some(Painted::Bitmap { .. }) if b - a >= MIN_RUN => painted += 1,
                    _ => cells_left += b - a,
                }
            }
        }
        // Each channel's cells with their grid lines, and the colour bar.
        assert_eq!(painted, 4, "{cells_left} rectangles drawn one by one");
        assert!(cells_left < 10, "{cells_left} rectangles drawn one by one");
    }

    fn sample<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> DrawResult {
        area.fill(&WHITE).map_err(err)?;
        area.draw(&Rectangle::new([(2, 2), (20, 10)], BLUE.filled()))
            .map_err(err)?;
        area.draw(&PathElement::new(
            vec![(0, 0), (30, 30), (40, 0)],
            plotters::style::Color::stroke_width(&RED, 3),
        ))
        .map_err(err)?;
        area.draw(&Circle::new((25, 25), 4, GREEN.filled()))
            .map_err(err)?;
        let st = text_style(12.0, BLACK, Pos::new(HPos::Center, VPos::Top));
        area.draw_text("a < b", &st, (30, 5)).map_err(err)
    }

    #[test]
    fn replayed_svg_equals_direct_svg() {
        let rec = record((60, 40), sample).unwrap();
        assert!(!rec.is_empty());
        assert_eq!(rec.size(), (60, 40));
        // A closure, not the fn item: `to_svg` needs one callable for every SVG lifetime.
        #[allow(clippy::redundant_closure)]
        let direct = crate::draw::to_svg(60, 40, |a| sample(a)).unwrap();
        let replayed = rec.to_svg("").unwrap();
        assert_eq!(direct, replayed);
    }

    #[test]
    fn svg_gets_an_escaped_title() {
        let rec = record((10, 10), |a| a.fill(&WHITE).map_err(err)).unwrap();
        let svg = rec.to_svg("x < y & z").unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("<title>x &lt; y &amp; z</title>"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(crate::draw::svg_texts(&svg).len(), 0);
    }

    #[test]
    fn errors_of_the_drawing_are_returned() {
        let r = record((10, 10), |_| Err("bad".to_string()));
        assert_eq!(r.err().as_deref(), Some("bad"));
    }

    #[test]
    fn label_boxes_sit_where_their_anchor_and_rotation_put_them() {
        let rec = record((100, 100), |area| {
            let st = |h, v| text_style(10.0, BLACK, Pos::new(h, v));
            area.draw_text("left-top", &st(HPos::Left, VPos::Top), (10, 20))
                .map_err(err)?;
            area.draw_text("centre", &st(HPos::Center, VPos::Center), (50, 50))
                .map_err(err)?;
            area.draw_text("right-bottom", &st(HPos::Right, VPos::Bottom), (90, 90))
                .map_err(err)?;
            area.draw_text("  ", &st(HPos::Left, VPos::Top), (0, 0))
                .map_err(err)?;
            let up = st(HPos::Center, VPos::Center).transform(FontTransform::Rotate270);
            area.draw_text("axis", &up, (5, 50)).map_err(err)
        })
        .unwrap();
        // Every label 20 px wide and 8 px high.
        let boxes = rec.label_boxes(|_, _, _, _| Some((20, 8)));
        let got: Vec<_> = boxes
            .iter()
            .map(|b| (b.0, b.1, b.2, b.3, b.4.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (10.0, 20.0, 20.0, 8.0, "left-top"),
                (40.0, 46.0, 20.0, 8.0, "centre"),
                (70.0, 82.0, 20.0, 8.0, "right-bottom"),
                // Turned a quarter anticlockwise about (5, 50): 8 wide, 20 high.
                (1.0, 40.0, 8.0, 20.0, "axis"),
            ]
        );
    }
}
