//! Replaying a recording on the page canvas with each run of opaque filled
//! rectangles (a heat map's cells, a colour bar) painted as one bitmap.

use plotters::prelude::*;

use super::{replay_op, Op, Recording};
use crate::draw::{err, DrawResult};
use crate::widgets::canvas_out::CanvasOut;

impl Recording {
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
}

/// Fewest opaque filled rectangles in a row painted as one bitmap.
pub const MIN_RUN: usize = 16;
/// Largest bitmap (in pixels) a run is painted as.
const MAX_RUN_PIXELS: i64 = 4 << 20;

/// What [`Recording::replay_on_canvas`] works in, kept from one draw to the
/// next: a heat map's bitmap (0.5–1.3 MB at 1000 px wide) and its run of
/// rectangles are the largest short-lived blocks the app needs. Allocated
/// anew per draw, they fragmented the heap as [`Ops`](super::Ops) describes; kept, they
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
pub(super) struct Solid {
    pub(super) x0: i32,
    pub(super) y0: i32,
    pub(super) x1: i32,
    pub(super) y1: i32,
    pub(super) rgb: (u8, u8, u8),
}

pub(super) fn solid(op: &Op) -> Option<Solid> {
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
pub(super) fn touching_groups(rects: &[Solid]) -> Vec<(usize, usize)> {
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
pub(super) enum Painted {
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
pub(super) fn paint_solids(
    rects: &[Solid],
    size: (u32, u32),
    rgba: &mut Vec<u8>,
) -> Option<Painted> {
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
