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

use plotters::prelude::*;
use plotters::style::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, FontFamily, FontStyle,
    FontTransform,
};

use crate::draw::{err, DrawResult};

mod backend;
mod labels;
mod measure;
mod runs;
mod svg;
#[cfg(test)]
mod tests;

pub use backend::{record, NoError, RecordArea, RecordingBackend};
pub use labels::canvas_labels;
pub use runs::MIN_RUN;
pub use svg::svg_of;

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
