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

use convlab_core::Tensor;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{err, short_value, text_style, DrawResult, Style};
use crate::config::{self, sizes};

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

    fn tile_size(&self) -> (f64, f64) {
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

/// Everything drawn on top of the values.
#[derive(Clone, Debug, Default)]
pub struct HeatmapOptions<'a> {
    /// Colour map.
    pub palette: Palette,
    /// Label of each channel (default `ch 0`, `ch 1`, …).
    pub channel_labels: Option<&'a [String]>,
    /// Channels per group: each tile's label gets its group's colour bar (0 = no groups).
    pub group_size: usize,
    /// Cells to outline in their group colour.
    pub highlights: &'a [Highlight],
    /// The cell under the cursor (thin outline).
    pub hover: Option<Cell>,
    /// The pinned / keyboard cell (thick outline).
    pub pinned: Option<Cell>,
    /// Whether to draw the legend (must match the layout).
    pub legend: bool,
    /// Whether to draw channel labels (must match the layout).
    pub labels: bool,
}

fn rect_i(r: (f64, f64, f64, f64)) -> [(i32, i32); 2] {
    [
        (r.0.round() as i32, r.1.round() as i32),
        (r.2.round() as i32, r.3.round() as i32),
    ]
}

fn outline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: (f64, f64, f64, f64),
    color: RGBColor,
    width: f64,
) -> DrawResult {
    let w = width.max(1.0);
    let inset = w / 2.0;
    let r = (r.0 + inset, r.1 + inset, r.2 - inset, r.3 - inset);
    area.draw(&Rectangle::new(
        rect_i(r),
        ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: w.round() as u32,
        },
    ))
    .map_err(err)
}

/// Draws `t` as heat-map tiles laid out by `layout` (which must be the
/// layout of `t.shape()`).
///
/// # Errors
/// A layout for another shape, or a backend error.
pub fn draw_tensor<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Tensor,
    layout: &TensorLayout,
    opts: &HeatmapOptions<'_>,
    style: &Style,
) -> DrawResult {
    if layout.shape != t.shape() {
        return Err(format!(
            "heat map layout is for {:?} but the tensor is {:?}",
            layout.shape,
            t.shape()
        ));
    }
    let ink = style.ink;
    area.fill(&ink.background).map_err(err)?;
    if layout.cell <= 0.0 {
        return Ok(());
    }
    let [c, h, w] = t.shape();
    let (min, max) = t.min_max();
    let numbers = layout.shows_numbers(style.scale);
    let border = layout.cell >= 6.0 * style.scale;
    let num_font = (layout.cell * 0.34).min(style.font_px());
    let pad = layout.pad as isize;
    for ch in 0..c {
        // Channel label.
        if opts.labels {
            let (ox, oy) = layout.tile_origin(ch);
            let text = opts
                .channel_labels
                .and_then(|l| l.get(ch).cloned())
                .unwrap_or_else(|| format!("ch {ch}"));
            let mut tx = ox;
            if let Some(g) = ch.checked_div(opts.group_size) {
                let bar = style.px(10.0);
                area.draw(&Rectangle::new(
                    rect_i((
                        ox,
                        oy - layout.label + style.px(3.0),
                        ox + bar,
                        oy - style.px(4.0),
                    )),
                    config::group_color(g).filled(),
                ))
                .map_err(err)?;
                tx += bar + style.px(4.0);
            }
            let label_style = text_style(
                (layout.label * 0.7).min(style.font_px()),
                ink.text,
                Pos::new(HPos::Left, VPos::Center),
            );
            // The label keeps to its tile's column (and the area): "ch 10", else
            // just "10", else none, so neighbours never run into each other.
            let room =
                (ox + layout.tile_size().0 + layout.gap - style.px(3.0)).min(layout.width) - tx;
            let fits = |s: &str| {
                area.estimate_text_size(s, &label_style)
                    .map(|(w, _)| f64::from(w) <= room)
                    .unwrap_or(false)
            };
            let number = ch.to_string();
            let shown = [text.as_str(), number.as_str()]
                .into_iter()
                .find(|s| fits(s));
            if let Some(shown) = shown {
                area.draw_text(
                    shown,
                    &label_style,
                    (tx.round() as i32, (oy - layout.label / 2.0).round() as i32),
                )
                .map_err(err)?;
            }
        }
        // The values first, then the grid between them, as one run of opaque
        // cells (the page canvas paints such a run as a single bitmap).
        for y in 0..h {
            for x in 0..w {
                let v = t.get(ch, y, x).unwrap_or(0.0);
                let r = layout.cell_rect(ch, y as isize, x as isize);
                area.draw(&Rectangle::new(
                    rect_i(r),
                    opts.palette.color(v, min, max).filled(),
                ))
                .map_err(err)?;
            }
        }
        if border && h > 0 && w > 0 {
            // A line of the background on the left and top edge of every cell
            // and along the tile's right and bottom edge.
            let line = style.px(0.5).max(1.0).round();
            let (x0, y0, _, _) = layout.cell_rect(ch, 0, 0);
            let (_, _, x1, y1) = layout.cell_rect(ch, h as isize - 1, w as isize - 1);
            let bg = ink.background.filled();
            for x in 0..=w {
                let lx = if x == w {
                    x1 - line
                } else {
                    layout.cell_rect(ch, 0, x as isize).0
                };
                area.draw(&Rectangle::new(rect_i((lx, y0, lx + line, y1)), bg))
                    .map_err(err)?;
            }
            for y in 0..=h {
                let ly = if y == h {
                    y1 - line
                } else {
                    layout.cell_rect(ch, y as isize, 0).1
                };
                area.draw(&Rectangle::new(rect_i((x0, ly, x1, ly + line)), bg))
                    .map_err(err)?;
            }
        }
        // Zero padding: background with a muted border (and its zeros).
        for y in -pad..(h as isize + pad) {
            for x in -pad..(w as isize + pad) {
                let inside = y >= 0 && x >= 0 && (y as usize) < h && (x as usize) < w;
                if inside {
                    continue;
                }
                let r = layout.cell_rect(ch, y, x);
                outline(area, r, ink.muted, style.px(1.0))?;
                if numbers {
                    area.draw_text(
                        "0",
                        &text_style(num_font, ink.muted, Pos::new(HPos::Center, VPos::Center)),
                        (
                            ((r.0 + r.2) / 2.0).round() as i32,
                            ((r.1 + r.3) / 2.0).round() as i32,
                        ),
                    )
                    .map_err(err)?;
                }
            }
        }
        if numbers {
            for y in 0..h {
                for x in 0..w {
                    let v = t.get(ch, y, x).unwrap_or(0.0);
                    let r = layout.cell_rect(ch, y as isize, x as isize);
                    area.draw_text(
                        &short_value(v),
                        &text_style(
                            num_font,
                            config::text_on(opts.palette.color(v, min, max)),
                            Pos::new(HPos::Center, VPos::Center),
                        ),
                        (
                            ((r.0 + r.2) / 2.0).round() as i32,
                            ((r.1 + r.3) / 2.0).round() as i32,
                        ),
                    )
                    .map_err(err)?;
                }
            }
        }
    }
    // Highlights, then hover, then pinned on top.
    let hl_w = (layout.cell * 0.15).clamp(style.px(1.5), style.px(4.0));
    for hl in opts.highlights {
        if hl.c >= c
            || hl.y < -pad
            || hl.x < -pad
            || hl.y >= h as isize + pad
            || hl.x >= w as isize + pad
        {
            continue;
        }
        outline(
            area,
            layout.cell_rect(hl.c, hl.y, hl.x),
            config::group_color(hl.group),
            hl_w,
        )?;
    }
    if let Some(cell) = opts.hover {
        if cell.c < c && cell.y < h && cell.x < w {
            outline(
                area,
                layout.cell_rect(cell.c, cell.y as isize, cell.x as isize),
                ink.focus,
                style.px(1.5),
            )?;
        }
    }
    if let Some(cell) = opts.pinned {
        if cell.c < c && cell.y < h && cell.x < w {
            outline(
                area,
                layout.cell_rect(cell.c, cell.y as isize, cell.x as isize),
                ink.focus,
                style.px(3.0),
            )?;
        }
    }
    if let (true, Some(top)) = (opts.legend, layout.legend_top) {
        let (lo, hi) = opts.palette.range(min, max);
        draw_legend(
            area,
            opts.palette,
            lo,
            hi,
            top,
            layout.legend_h,
            layout.width,
            style,
        )?;
    }
    Ok(())
}

/// A horizontal colour bar from `lo` to `hi` with its end values (and zero
/// for a diverging palette), centred in `width`, at `top`.
#[allow(clippy::too_many_arguments)]
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    palette: Palette,
    lo: f32,
    hi: f32,
    top: f64,
    height: f64,
    width: f64,
    style: &Style,
) -> DrawResult {
    let bar_w = (width * 0.6).min(style.px(360.0));
    let x0 = (width - bar_w) / 2.0;
    let bar_h = (height * 0.35).max(style.px(6.0));
    let steps = 48;
    for i in 0..steps {
        let t0 = i as f64 / steps as f64;
        let t1 = (i + 1) as f64 / steps as f64;
        let v = lo as f64 + (hi as f64 - lo as f64) * (t0 + t1) / 2.0;
        let col = palette.color(v as f32, lo, hi);
        area.draw(&Rectangle::new(
            rect_i((x0 + t0 * bar_w, top, x0 + t1 * bar_w + 1.0, top + bar_h)),
            col.filled(),
        ))
        .map_err(err)?;
    }
    let font = style.font_px() * 0.9;
    let ty = (top + bar_h + style.px(2.0)).round() as i32;
    let mut marks = vec![(x0, lo, HPos::Left), (x0 + bar_w, hi, HPos::Right)];
    if matches!(palette, Palette::Diverging(_)) {
        marks.push((x0 + bar_w / 2.0, 0.0, HPos::Center));
    }
    for (x, v, hp) in marks {
        area.draw_text(
            &short_value(v),
            &text_style(font, style.ink.text, Pos::new(hp, VPos::Top)),
            (x.round() as i32, ty),
        )
        .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::to_svg;

    fn layout(shape: [usize; 3], pad: usize) -> TensorLayout {
        TensorLayout::new(shape, pad, 400.0, 300.0, 1.0, true, true)
    }

    #[test]
    fn layout_fits_and_prefers_large_cells() {
        let l = layout([4, 5, 5], 0);
        assert!(l.used_height() <= 300.0 + 1e-9, "{}", l.used_height());
        let (_, _, x1, _) = l.cell_rect(3, 4, 4);
        assert!(x1 <= 400.0 + 1e-9);
        // Four 5×5 tiles in 400×300: two columns beat one or four.
        assert_eq!(l.cols, 2);
        // A single 3×3 tensor is capped at the maximum cell size.
        assert_eq!(layout([1, 3, 3], 0).cell, sizes::MAX_CELL);
    }

    #[test]
    fn hit_maps_every_cell_centre_back() {
        for pad in [0, 1, 2] {
            let shape = [3, 4, 6];
            let l = layout(shape, pad);
            for c in 0..3 {
                for y in 0..4 {
                    for x in 0..6 {
                        let r = l.cell_rect(c, y as isize, x as isize);
                        let got = l.hit((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0);
                        assert_eq!(got, Some(Cell::new(c, y, x)), "pad {pad}");
                        // Corners just inside still hit the same cell.
                        assert_eq!(l.hit(r.0 + 0.01, r.1 + 0.01), Some(Cell::new(c, y, x)));
                    }
                }
            }
        }
    }

    #[test]
    fn hit_misses_padding_gaps_labels_and_outside() {
        let l = layout([2, 3, 3], 1);
        let r = l.cell_rect(0, -1, -1);
        assert_eq!(l.hit((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0), None, "padding");
        let (ox, oy) = l.tile_origin(0);
        assert_eq!(l.hit(ox + 2.0, oy - l.label / 2.0), None, "label");
        assert_eq!(l.hit(-1.0, 10.0), None);
        assert_eq!(l.hit(10_000.0, 10.0), None);
        assert_eq!(l.hit(f64::NAN, 10.0), None);
        if let Some(top) = l.legend_top {
            assert_eq!(l.hit(200.0, top + 2.0), None, "legend");
        }
        // Gap between tiles 0 and 1 (if side by side).
        if l.cols > 1 {
            let a = l.cell_rect(0, 0, 3); // padding column right of tile 0
            assert_eq!(l.hit(a.2 + l.gap / 2.0, (a.1 + a.3) / 2.0), None);
        }
    }

    #[test]
    fn hidpi_layout_scales_exactly() {
        let a = TensorLayout::new([2, 5, 5], 0, 300.0, 200.0, 1.0, true, true);
        let b = TensorLayout::new([2, 5, 5], 0, 600.0, 400.0, 2.0, true, true);
        assert_eq!(a.cols, b.cols);
        assert!((b.cell - 2.0 * a.cell).abs() <= 2.0);
        // A CSS point maps to the same cell at both ratios.
        let r = a.cell_rect(1, 2, 3);
        let (cx, cy) = ((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0);
        assert_eq!(a.hit(cx, cy), b.hit(cx * 2.0, cy * 2.0));
    }

    #[test]
    fn empty_area_hits_nothing() {
        let l = TensorLayout::new([1, 3, 3], 0, 0.0, 0.0, 1.0, true, true);
        assert_eq!(l.cell, 0.0);
        assert_eq!(l.hit(0.0, 0.0), None);
    }

    #[test]
    fn step_cell_clamps() {
        let s = [2, 3, 4];
        let c = Cell::new(0, 0, 0);
        assert_eq!(step_cell(c, s, 0, -1, -1), c);
        assert_eq!(step_cell(c, s, 5, 5, 5), Cell::new(1, 2, 3));
        assert_eq!(
            step_cell(Cell::new(1, 1, 1), s, 0, 1, 0),
            Cell::new(1, 2, 1)
        );
    }

    #[test]
    fn svg_has_cells_numbers_labels_legend_and_highlights() {
        let t = Tensor::new(1, 2, 2, vec![-1.0, 0.5, 0.0, 1.0]).unwrap();
        let l = TensorLayout::new(t.shape(), 1, 300.0, 300.0, 1.0, true, true);
        let hl = [Highlight {
            c: 0,
            y: -1,
            x: 0,
            group: 2,
        }];
        let labels = vec!["input".to_string()];
        let opts = HeatmapOptions {
            highlights: &hl,
            pinned: Some(Cell::new(0, 1, 1)),
            channel_labels: Some(&labels),
            legend: true,
            labels: true,
            ..Default::default()
        };
        let svg = to_svg(300, 300, |a| {
            draw_tensor(a, &t, &l, &opts, &Style::default())
        })
        .unwrap();
        let texts = crate::draw::svg_texts(&svg);
        let has = |t: &str| texts.iter().any(|x| x == t);
        assert!(has("input"), "label: {texts:?}");
        assert!(has("0.5") && has("-1"), "numbers: {texts:?}");
        // Negative = strong blue end, positive = strong orange end of the map.
        assert!(svg.contains("#2166AC") || svg.contains("#2166ac"), "{svg}");
        assert!(svg.to_lowercase().contains("#b35806"));
        // Group 2's colour outlines the highlighted padding cell.
        assert!(svg
            .to_lowercase()
            .contains(&config::css(config::group_color(2))));
    }

    #[test]
    fn wrong_layout_is_an_error() {
        let t = Tensor::zeros(1, 2, 2).unwrap();
        let l = TensorLayout::new([1, 3, 3], 0, 100.0, 100.0, 1.0, false, false);
        let r = to_svg(100, 100, |a| {
            draw_tensor(a, &t, &l, &HeatmapOptions::default(), &Style::default())
        });
        assert!(r.is_err());
    }

    #[test]
    fn sequential_palette_uses_range() {
        let p = Palette::Sequential(Some((0.0, 1.0)));
        assert_eq!(p.color(0.0, 5.0, 9.0), config::viridis(0.0));
        assert_eq!(p.color(1.0, 5.0, 9.0), config::viridis(1.0));
        assert_eq!(Palette::Diverging(None).range(-2.0, 1.0), (-2.0, 2.0));
    }
}
