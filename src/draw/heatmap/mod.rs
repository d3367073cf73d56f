//! A CHW tensor as per-channel heat-map tiles: the layout (pure, shared by
//! drawing and hit testing), the pointer → cell mapping, and the drawing.
//!
//! ```text
//!   ch 0          ch 1          ch 2
//!  ┌─┬─┬─┬─┐    ┌─┬─┬─┬─┐    ┌─┬─┬─┬─┐     one tile per channel, laid out
//!  ├─┼─┼─┼─┤    ├─┼─┼─┼─┤    ├─┼─┼─┼─┤     in the number of columns that
//!  └─┴─┴─┴─┘    └─┴─┴─┴─┘    └─┴─┴─┴─┘     gives the largest cells
//!  [■■■■■■■■■■■■■■ legend ■■■■■■■■■■■■■]
//! ```

use plotters::prelude::*;

use crate::config;

mod drawing;
mod layout;
#[cfg(test)]
mod tests;

pub use drawing::{draw_legend, draw_tensor, HeatmapOptions};
pub use layout::{step_cell, TensorLayout};

/// A real cell of a tensor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cell {
    /// Channel.
    pub c: usize,
    /// Row.
    pub y: usize,
    /// Column.
    pub x: usize,
}

impl Cell {
    /// The cell `(c, y, x)`.
    pub fn new(c: usize, y: usize, x: usize) -> Self {
        Cell { c, y, x }
    }
}

/// A cell to outline, possibly in the zero padding (negative or past the
/// edge), in the colour of `group`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Highlight {
    /// Channel.
    pub c: usize,
    /// Row (may lie in the padding).
    pub y: isize,
    /// Column (may lie in the padding).
    pub x: isize,
    /// Index into [`config::CATEGORICAL`].
    pub group: usize,
}

impl Highlight {
    /// The input cells read by a traced output cell, coloured by `group`.
    pub fn from_trace(trace: &convlab_core::Trace, group: usize) -> Vec<Highlight> {
        trace
            .terms
            .iter()
            .map(|t| Highlight {
                c: t.in_channel,
                y: t.y,
                x: t.x,
                group,
            })
            .collect()
    }
}

/// How values map to colours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Palette {
    /// Signed values on the blue–orange map, symmetric around zero; `None`
    /// takes the tensor's own largest magnitude.
    Diverging(Option<f32>),
    /// Magnitudes on viridis over `[lo, hi]`; `None` takes the tensor's range.
    Sequential(Option<(f32, f32)>),
}

impl Default for Palette {
    fn default() -> Self {
        Palette::Diverging(None)
    }
}

impl Palette {
    /// The colour of `v` for a tensor with value range `(min, max)`.
    pub fn color(&self, v: f32, min: f32, max: f32) -> RGBColor {
        match *self {
            Palette::Diverging(m) => {
                let m = m.unwrap_or(min.abs().max(max.abs()));
                config::diverging(v as f64, m as f64)
            }
            Palette::Sequential(r) => {
                let (lo, hi) = r.unwrap_or((min, max));
                let span = (hi - lo) as f64;
                let t = if span > 0.0 {
                    (v - lo) as f64 / span
                } else {
                    0.5
                };
                config::viridis(t)
            }
        }
    }

    /// The legend's end values for a tensor with range `(min, max)`.
    pub fn range(&self, min: f32, max: f32) -> (f32, f32) {
        match *self {
            Palette::Diverging(m) => {
                let m = m.unwrap_or(min.abs().max(max.abs()));
                (-m, m)
            }
            Palette::Sequential(r) => r.unwrap_or((min, max)),
        }
    }
}
