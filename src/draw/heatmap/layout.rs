//! [`TensorLayout`]: where every tile and cell of a heat map goes (pure,
//! shared by drawing and hit testing), and keyboard steps between cells.

use super::Cell;
use crate::config::sizes;

/// Where every tile and cell of a heat map goes, in backend pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TensorLayout {
    /// Channels, rows and columns of the tensor.
    pub shape: [usize; 3],
    /// Rings of padding cells drawn around each tile.
    pub pad: usize,
    /// Tiles per row.
    pub cols: usize,
    /// Side of one cell.
    pub cell: f64,
    /// Gap between tiles.
    pub gap: f64,
    /// Height of the label strip above each tile (0 without labels).
    pub label: f64,
    /// Top-left corner of the tile grid.
    pub origin: (f64, f64),
    /// Top of the legend strip (`None` without a legend).
    pub legend_top: Option<f64>,
    /// Height of the legend strip.
    pub legend_h: f64,
    /// Total width of the area laid out.
    pub width: f64,
}

impl TensorLayout {
    /// Lays out a `[c, h, w]` tensor with `pad` rings of padding in an area
    /// of `width × height` backend pixels at `scale` backend px per CSS px,
    /// choosing the column count that gives the largest cells.
    pub fn new(
        shape: [usize; 3],
        pad: usize,
        width: f64,
        height: f64,
        scale: f64,
        labels: bool,
        legend: bool,
    ) -> Self {
        let [c, h, w] = shape;
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        let width = width.max(0.0);
        let height = height.max(0.0);
        let gap = sizes::TILE_GAP_MIN * scale;
        let label = if labels {
            sizes::TILE_LABEL * scale
        } else {
            0.0
        };
        let legend_h = if legend { sizes::LEGEND * scale } else { 0.0 };
        let tw = (w + 2 * pad).max(1) as f64;
        let th = (h + 2 * pad).max(1) as f64;
        let n = c.max(1);
        let mut best = (1usize, 0.0f64);
        for cols in 1..=n {
            let rows = n.div_ceil(cols);
            let sw = (width - gap * (cols - 1) as f64) / (cols as f64 * tw);
            // The legend sits one gap below the grid (see `legend_top`).
            let below = if legend { gap + legend_h } else { 0.0 };
            let sh = (height - below - rows as f64 * label - gap * (rows - 1) as f64)
                / (rows as f64 * th);
            let s = sw.min(sh);
            if s > best.1 + 1e-9 {
                best = (cols, s);
            }
        }
        let (cols, mut cell) = best;
        cell = cell.clamp(0.0, sizes::MAX_CELL * scale);
        if cell >= 4.0 {
            cell = cell.floor();
        }
        let rows = n.div_ceil(cols);
        let grid_w = cols as f64 * tw * cell + gap * (cols - 1) as f64;
        let grid_h = rows as f64 * (th * cell + label) + gap * (rows - 1) as f64;
        let origin = (((width - grid_w) / 2.0).max(0.0).floor(), 0.0);
        let legend_top = legend.then_some(grid_h + gap);
        TensorLayout {
            shape,
            pad,
            cols,
            cell,
            gap,
            label,
            origin,
            legend_top,
            legend_h,
            width,
        }
    }

    pub(super) fn tile_size(&self) -> (f64, f64) {
        let [_, h, w] = self.shape;
        (
            (w + 2 * self.pad) as f64 * self.cell,
            (h + 2 * self.pad) as f64 * self.cell,
        )
    }

    /// Top-left corner of channel `c`'s tile (its padding ring included),
    /// below its label strip.
    pub fn tile_origin(&self, c: usize) -> (f64, f64) {
        let (tw, th) = self.tile_size();
        let col = c % self.cols.max(1);
        let row = c / self.cols.max(1);
        (
            self.origin.0 + col as f64 * (tw + self.gap),
            self.origin.1 + row as f64 * (th + self.label + self.gap) + self.label,
        )
    }

    /// The rectangle `(x0, y0, x1, y1)` of cell `(c, y, x)`; `y`, `x` may lie in
    /// the padding ring.
    pub fn cell_rect(&self, c: usize, y: isize, x: isize) -> (f64, f64, f64, f64) {
        let (ox, oy) = self.tile_origin(c);
        let p = self.pad as f64;
        let x0 = ox + (x as f64 + p) * self.cell;
        let y0 = oy + (y as f64 + p) * self.cell;
        (x0, y0, x0 + self.cell, y0 + self.cell)
    }

    /// The real cell under the point `(px, py)` (backend pixels), if any.
    /// Points on padding, gaps, labels or the legend map to `None`.
    pub fn hit(&self, px: f64, py: f64) -> Option<Cell> {
        let [c, h, w] = self.shape;
        if self.cell <= 0.0 || !px.is_finite() || !py.is_finite() || c == 0 {
            return None;
        }
        let (tw, th) = self.tile_size();
        let rx = px - self.origin.0;
        let ry = py - self.origin.1;
        if rx < 0.0 || ry < 0.0 {
            return None;
        }
        let col = (rx / (tw + self.gap)).floor() as usize;
        let row = (ry / (th + self.label + self.gap)).floor() as usize;
        if col >= self.cols {
            return None;
        }
        let ch = row * self.cols + col;
        if ch >= c {
            return None;
        }
        let (ox, oy) = self.tile_origin(ch);
        let fx = ((px - ox) / self.cell).floor() - self.pad as f64;
        let fy = ((py - oy) / self.cell).floor() - self.pad as f64;
        if fx < 0.0 || fy < 0.0 || fx >= w as f64 || fy >= h as f64 {
            return None;
        }
        Some(Cell::new(ch, fy as usize, fx as usize))
    }

    /// Whether cells are large enough (at `scale`) to print their values.
    pub fn shows_numbers(&self, scale: f64) -> bool {
        self.cell >= sizes::MIN_CELL_FOR_NUMBERS * scale.max(0.01)
    }

    /// The total height used (tiles, labels and legend).
    pub fn used_height(&self) -> f64 {
        match self.legend_top {
            Some(t) => t + self.legend_h,
            None => {
                let (_, th) = self.tile_size();
                let rows = self.shape[0].max(1).div_ceil(self.cols.max(1));
                rows as f64 * (th + self.label) + self.gap * (rows.saturating_sub(1)) as f64
            }
        }
    }
}

/// Moves `cell` by `(dy, dx)` within a `[c, h, w]` shape; crossing the left
/// or right edge of a row stays put, PageUp/PageDown-like channel moves use `dc`.
pub fn step_cell(cell: Cell, shape: [usize; 3], dc: isize, dy: isize, dx: isize) -> Cell {
    let clamp = |v: usize, d: isize, n: usize| -> usize {
        let n = n.max(1) as isize;
        (v as isize + d).clamp(0, n - 1) as usize
    };
    Cell {
        c: clamp(cell.c, dc, shape[0]),
        y: clamp(cell.y, dy, shape[1]),
        x: clamp(cell.x, dx, shape[2]),
    }
}
