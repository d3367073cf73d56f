//! Drawing for the dilated lesson: one map with the cells that feed the
//! chosen output, the strip of every map of the stack, and the WaveNet 1-D
//! tree with its zoomable viewport. Everything drawn comes in through the
//! view models; nothing here decides which cell feeds which.

mod grid;
#[cfg(test)]
mod tests;
mod wavenet;

use plotters::prelude::*;

use crate::config;

pub use self::grid::{
    draw_map, draw_strip, fit_label, map_layout, strip_slot, GridLayout, MapOptions, MapView,
};
pub use self::wavenet::{clip_x, draw_tree, TreeLayout, TreeLevel, TreeView};
pub use super::viewport::{Viewport, MIN_SPAN};

/// The colour of a cell that feeds the chosen output (animation view).
pub fn feed_color() -> RGBColor {
    config::group_color(0)
}

/// The colour of the chosen output cell and of the current level's frame.
pub fn chosen_color() -> RGBColor {
    config::group_color(4)
}
