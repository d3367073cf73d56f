//! [`RecordingBackend`]: the plotters backend that keeps every command a
//! drawing function gives it, and [`record`], which runs a drawing on one.

use std::cell::RefCell;
use std::rc::Rc;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

use super::{measure, Font, Op, Ops, Recording, Stroke};
use crate::draw::{err, DrawResult};

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
