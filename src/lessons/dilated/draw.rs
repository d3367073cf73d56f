//! Drawing for the dilated lesson: one map with the cells that feed the
//! chosen output, the strip of every map of the stack, and the WaveNet 1-D
//! tree with its zoomable viewport. Everything drawn comes in through the
//! view models; nothing here decides which cell feeds which.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::config::{self, sizes};
use crate::draw::{err, text_style, DrawResult, Style};

/// The colour of a cell that feeds the chosen output (animation view).
pub fn feed_color() -> RGBColor {
    config::group_color(0)
}

/// The colour of the chosen output cell and of the current level's frame.
pub fn chosen_color() -> RGBColor {
    config::group_color(4)
}

/// One map of a stack: which cells feed the chosen output cell, and by how many paths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapView {
    /// Caption, e.g. `input`, `after layer 2 (3×3, d = 2)`.
    pub label: String,
    /// Rows.
    pub h: usize,
    /// Columns.
    pub w: usize,
    /// Row-major number of paths from each cell to the chosen output (0: does not feed it).
    pub paths: Vec<u64>,
    /// The receptive field from the recurrence on this map: `(row0, col0, rows, cols)`,
    /// which may reach past the border (then it is clipped there).
    pub extent: Option<(isize, isize, usize, usize)>,
}

impl MapView {
    /// Paths at `(r, c)` (0 outside).
    pub fn at(&self, r: usize, c: usize) -> u64 {
        if r < self.h && c < self.w {
            self.paths.get(r * self.w + c).copied().unwrap_or(0)
        } else {
            0
        }
    }

    /// Number of cells that feed the output.
    pub fn fed(&self) -> usize {
        self.paths.iter().filter(|&&p| p > 0).count()
    }

    /// Bounding box `(row0, col0, rows, cols)` of the feeding cells.
    pub fn bbox(&self) -> Option<(usize, usize, usize, usize)> {
        let mut b: Option<(usize, usize, usize, usize)> = None;
        for r in 0..self.h {
            for c in 0..self.w {
                if self.at(r, c) > 0 {
                    b = Some(match b {
                        None => (r, c, r, c),
                        Some((r0, c0, r1, c1)) => (r0.min(r), c0.min(c), r1.max(r), c1.max(c)),
                    });
                }
            }
        }
        b.map(|(r0, c0, r1, c1)| (r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    }

    /// Smallest and largest non-zero path count.
    pub fn path_range(&self) -> Option<(u64, u64)> {
        let mut it = self.paths.iter().copied().filter(|&p| p > 0);
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), p| (lo.min(p), hi.max(p))))
    }

    /// The largest number of paths and the cells `(row, col)` that have it (`None` when no
    /// cell feeds the output).
    pub fn maxima(&self) -> Option<(u64, Vec<(usize, usize)>)> {
        let (_, hi) = self.path_range()?;
        let cells = (0..self.h)
            .flat_map(|r| (0..self.w).map(move |c| (r, c)))
            .filter(|&(r, c)| self.at(r, c) == hi)
            .collect();
        Some((hi, cells))
    }

    /// The centre cell of the receptive field (`extent`), when the field has an odd side and
    /// its centre lies on the map.
    pub fn centre(&self) -> Option<(usize, usize)> {
        let (r0, c0, h, w) = self.extent?;
        if h % 2 == 0 || w % 2 == 0 {
            return None;
        }
        let r = usize::try_from(r0 + (h / 2) as isize).ok()?;
        let c = usize::try_from(c0 + (w / 2) as isize).ok()?;
        (r < self.h && c < self.w).then_some((r, c))
    }
}

/// Where a map's cells go in an area, in backend pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridLayout {
    /// Top-left corner of cell (0, 0).
    pub origin: (f64, f64),
    /// Side of one cell.
    pub cell: f64,
    /// Rows.
    pub h: usize,
    /// Columns.
    pub w: usize,
}

impl GridLayout {
    /// The largest square cells that fit `h × w` into `width × height`
    /// below a caption of `caption` pixels, centred horizontally.
    pub fn fit(h: usize, w: usize, width: f64, height: f64, caption: f64, max_cell: f64) -> Self {
        let (hh, ww) = (h.max(1) as f64, w.max(1) as f64);
        let cell = ((width / ww).min((height - caption).max(0.0) / hh))
            .min(max_cell)
            .max(0.0)
            .floor()
            .max(1.0);
        GridLayout {
            origin: (((width - cell * ww) / 2.0).max(0.0).floor(), caption),
            cell,
            h,
            w,
        }
    }

    /// The rectangle of cell `(r, c)` (may be outside the map).
    pub fn rect(&self, r: isize, c: isize) -> (f64, f64, f64, f64) {
        let x = self.origin.0 + c as f64 * self.cell;
        let y = self.origin.1 + r as f64 * self.cell;
        (x, y, x + self.cell, y + self.cell)
    }

    /// The cell under the point `(px, py)`.
    pub fn hit(&self, px: f64, py: f64) -> Option<(usize, usize)> {
        let c = ((px - self.origin.0) / self.cell).floor();
        let r = ((py - self.origin.1) / self.cell).floor();
        (c >= 0.0 && r >= 0.0 && (c as usize) < self.w && (r as usize) < self.h)
            .then_some((r as usize, c as usize))
    }
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
    let i = w / 2.0;
    area.draw(&Rectangle::new(
        rect_i((r.0 + i, r.1 + i, r.2 - i, r.3 - i)),
        ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: w.round() as u32,
        },
    ))
    .map_err(err)
}

/// How a map is painted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapOptions {
    /// Colour feeding cells by path count (viridis) instead of one colour.
    pub heat: bool,
    /// Outline this cell (the chosen output, on the output map).
    pub chosen: Option<(usize, usize)>,
    /// Draw the recurrence's extent as a frame.
    pub extent: bool,
    /// Print path counts in cells that are large enough.
    pub numbers: bool,
    /// Caption height in CSS px (0: no caption).
    pub caption: f64,
    /// Largest cell side in CSS px.
    pub max_cell: f64,
    /// Frame the whole map (the current level in the strip).
    pub current: bool,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            heat: false,
            chosen: None,
            extent: true,
            numbers: false,
            caption: 22.0,
            max_cell: sizes::MAX_CELL,
            current: false,
        }
    }
}

/// The layout [`draw_map`] uses for `map` in a `width × height` area.
pub fn map_layout(
    map: &MapView,
    width: f64,
    height: f64,
    opts: &MapOptions,
    style: &Style,
) -> GridLayout {
    GridLayout::fit(
        map.h,
        map.w,
        width,
        height,
        style.px(opts.caption),
        style.px(opts.max_cell),
    )
}

/// Draws one map: empty cells faint, feeding cells coloured, the extent from
/// the recurrence framed, the chosen cell outlined.
///
/// # Errors
/// A map whose `paths` do not match `h × w`, or a backend error.
pub fn draw_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    map: &MapView,
    opts: &MapOptions,
    style: &Style,
) -> DrawResult {
    if map.paths.len() != map.h * map.w {
        return Err(format!(
            "map {}×{} has {} path counts",
            map.h,
            map.w,
            map.paths.len()
        ));
    }
    let (aw, ah) = area.dim_in_pixel();
    let l = map_layout(map, aw as f64, ah as f64, opts, style);
    if opts.caption > 0.0 {
        area.draw_text(
            &fit_label(&map.label, aw as f64, style.font_px()),
            &text_style(
                style.font_px(),
                if opts.current {
                    chosen_color()
                } else {
                    style.ink.text
                },
                Pos::new(HPos::Center, VPos::Center),
            ),
            (
                (aw as f64 / 2.0).round() as i32,
                (style.px(opts.caption) / 2.0).round() as i32,
            ),
        )
        .map_err(err)?;
    }
    let gap = if l.cell >= 5.0 {
        (l.cell * 0.08).min(style.px(2.0)).max(1.0)
    } else {
        0.0
    };
    let empty = style.ink.muted.mix(0.18);
    let max = map.path_range().map_or(1, |r| r.1).max(1) as f64;
    let feed = feed_color();
    let show_numbers =
        opts.numbers && opts.heat && l.cell >= style.px(sizes::MIN_CELL_FOR_NUMBERS * 0.8);
    let color_at = |p: u64| -> RGBAColor {
        if p == 0 {
            empty
        } else if opts.heat {
            config::viridis(0.15 + 0.85 * p as f64 / max).to_rgba()
        } else {
            feed.to_rgba()
        }
    };
    // Neighbouring cells of one colour in a row are drawn as one rectangle and
    // the gaps between columns are painted back in the background: a 49×49 map
    // is a few rectangles per row instead of 2401, which keeps a frame of the
    // six-layer strip (seven maps) well under a long task. The map must lie on
    // the figure's background, as every caller fills it first.
    for r in 0..map.h {
        let mut c = 0;
        while c < map.w {
            let color = color_at(map.at(r, c));
            let mut end = c + 1;
            while end < map.w && color_at(map.at(r, end)) == color {
                end += 1;
            }
            let (x0, y0, _, y1) = l.rect(r as isize, c as isize);
            let (_, _, x1, _) = l.rect(r as isize, end as isize - 1);
            area.draw(&Rectangle::new(
                rect_i((x0 + gap, y0 + gap, x1, y1)),
                color.filled(),
            ))
            .map_err(err)?;
            c = end;
        }
    }
    if gap > 0.0 && map.h > 0 {
        let top = l.rect(0, 0).1;
        let bottom = l.rect(map.h as isize - 1, 0).3;
        for c in 1..map.w {
            let (x0, _, _, _) = l.rect(0, c as isize);
            let right_of_prev = l.rect(0, c as isize - 1).2;
            area.draw(&Rectangle::new(
                rect_i((right_of_prev, top, x0 + gap, bottom)),
                style.ink.background.filled(),
            ))
            .map_err(err)?;
        }
    }
    if show_numbers {
        for r in 0..map.h {
            for c in 0..map.w {
                let p = map.at(r, c);
                if p == 0 {
                    continue;
                }
                let (x0, y0, x1, y1) = l.rect(r as isize, c as isize);
                let color = config::viridis(0.15 + 0.85 * p as f64 / max);
                area.draw_text(
                    &p.to_string(),
                    &text_style(
                        (l.cell * 0.45).min(style.font_px()),
                        config::text_on(color),
                        Pos::new(HPos::Center, VPos::Center),
                    ),
                    (
                        ((x0 + x1 + gap) / 2.0).round() as i32,
                        ((y0 + y1 + gap) / 2.0).round() as i32,
                    ),
                )
                .map_err(err)?;
            }
        }
    }
    if opts.extent {
        if let Some((r0, c0, rows, cols)) = map.extent {
            // Clip the frame to the map, so a field reaching past the border shows where it is cut.
            let r1 = (r0 + rows as isize).min(map.h as isize);
            let c1 = (c0 + cols as isize).min(map.w as isize);
            let (r0, c0) = (r0.max(0), c0.max(0));
            if r1 > r0 && c1 > c0 {
                let a = l.rect(r0, c0);
                let b = l.rect(r1 - 1, c1 - 1);
                outline(area, (a.0, a.1, b.2, b.3), style.ink.text, style.px(2.0))?;
            }
        }
    }
    if let Some((r, c)) = opts.chosen {
        if r < map.h && c < map.w {
            outline(
                area,
                l.rect(r as isize, c as isize),
                style.ink.focus,
                style.px(2.5).max(1.0),
            )?;
        }
    }
    if opts.current {
        let a = l.rect(0, 0);
        let b = l.rect(map.h as isize - 1, map.w as isize - 1);
        let m = style.px(3.0);
        outline(
            area,
            (a.0 - m, a.1 - m, b.2 + m, b.3 + m),
            chosen_color(),
            style.px(3.0),
        )?;
    }
    Ok(())
}

/// `label` shortened to fit `width` pixels at font size `font`: first without
/// its size or layer details ("after layer 2 35×35" → "after layer 2"), then
/// abbreviated ("layer 2" → "L2", "output" → "out", "input" → "in").
pub fn fit_label(label: &str, width: f64, font: f64) -> String {
    let fits = |t: &str| t.chars().count() as f64 * font * 0.58 <= width;
    if fits(label) {
        return label.to_string();
    }
    let base = label
        .split([' ', '('])
        .take_while(|w| !w.contains('\u{d7}') && !w.starts_with('d'))
        .collect::<Vec<_>>()
        .join(" ");
    let base = match base.trim() {
        "" => label.to_string(),
        b => b.to_string(),
    };
    if fits(&base) {
        return base;
    }
    let short = base
        .replace("after layer ", "L")
        .replace("layer ", "L")
        .replace("output", "out")
        .replace("input", "in");
    if fits(&short) {
        short
    } else {
        let n = ((width / (font * 0.58)).floor() as usize).max(1);
        short.chars().take(n).collect()
    }
}

/// Draws every map side by side (output on the left, input on the right),
/// framing `current`. Returns nothing; see [`strip_slot`] for hit testing.
///
/// # Errors
/// As [`draw_map`].
pub fn draw_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    maps: &[MapView],
    current: usize,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    let n = maps.len().max(1);
    let (aw, _) = area.dim_in_pixel();
    let slot = aw as f64 / n as f64;
    for (i, m) in maps.iter().enumerate() {
        let x0 = (i as f64 * slot).round() as i32;
        let x1 = ((i + 1) as f64 * slot).round() as i32;
        let sub = area
            .clone()
            .shrink((x0, 0), ((x1 - x0).max(1) as u32, area.dim_in_pixel().1));
        let pad = style.px(4.0).round() as i32;
        let sub = sub.margin(0, 0, pad, pad);
        let opts = MapOptions {
            caption: 20.0,
            current: i == current,
            max_cell: 12.0,
            ..MapOptions::default()
        };
        draw_map(&sub, m, &opts, style)?;
    }
    Ok(())
}

/// Which strip slot (0 = leftmost) the x coordinate `px` falls in.
pub fn strip_slot(px: f64, width: f64, maps: usize) -> Option<usize> {
    if maps == 0 || width <= 0.0 || px < 0.0 || px >= width {
        return None;
    }
    Some(((px / width * maps as f64).floor() as usize).min(maps - 1))
}

// ---------------------------------------------------------------------------
// The WaveNet 1-D tree
// ---------------------------------------------------------------------------

/// One level of the 1-D tree: the positions feeding the chosen output and their path counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeLevel {
    /// Row caption, e.g. `input`, `d = 512`.
    pub label: String,
    /// `(position, paths)` of the nodes that feed the output, in position order.
    pub nodes: Vec<(usize, u64)>,
}

/// The 1-D tree: levels from the input (0) to the output (last), and the
/// edges between consecutive levels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeView {
    /// Sequence length (positions `0..len` on every level).
    pub len: usize,
    /// Levels, input first.
    pub levels: Vec<TreeLevel>,
    /// `(level, from, to)`: node `from` on `level − 1` feeds node `to` on `level`.
    pub edges: Vec<(usize, usize, usize)>,
}

/// The visible range of positions, `[t0, t1)` in continuous units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Left edge.
    pub t0: f64,
    /// Right edge.
    pub t1: f64,
}

/// Narrowest view, in positions.
pub const MIN_SPAN: f64 = 8.0;

impl Viewport {
    /// The whole sequence of `len` positions.
    pub fn all(len: usize) -> Self {
        Viewport {
            t0: 0.0,
            t1: len.max(1) as f64,
        }
    }

    /// Width in positions.
    pub fn span(&self) -> f64 {
        self.t1 - self.t0
    }

    /// Kept inside `[0, len]` and at least [`MIN_SPAN`] wide (or the whole sequence if shorter).
    pub fn clamped(self, len: usize) -> Self {
        let full = len.max(1) as f64;
        let min = MIN_SPAN.min(full);
        let span = if self.span().is_finite() {
            self.span().clamp(min, full)
        } else {
            full
        };
        let t0 = if self.t0.is_finite() { self.t0 } else { 0.0 };
        let t0 = t0.clamp(0.0, full - span);
        Viewport { t0, t1: t0 + span }
    }

    /// Zoomed by `factor` (> 1 zooms in) keeping position `at` fixed on screen.
    pub fn zoom(self, at: f64, factor: f64, len: usize) -> Self {
        let f = if factor.is_finite() && factor > 0.0 {
            factor
        } else {
            1.0
        };
        let at = if at.is_finite() {
            at.max(self.t0).min(self.t1)
        } else {
            (self.t0 + self.t1) / 2.0
        };
        Viewport {
            t0: at - (at - self.t0) / f,
            t1: at + (self.t1 - at) / f,
        }
        .clamped(len)
    }

    /// Moved by `dt` positions.
    pub fn pan(self, dt: f64, len: usize) -> Self {
        let dt = if dt.is_finite() { dt } else { 0.0 };
        Viewport {
            t0: self.t0 + dt,
            t1: self.t1 + dt,
        }
        .clamped(len)
    }
}

/// Where the tree goes in an area, in backend pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TreeLayout {
    /// Left of the plot (after the level captions).
    pub left: f64,
    /// Plot width.
    pub width: f64,
    /// Top of the top (output) row.
    pub top: f64,
    /// Distance between rows.
    pub row: f64,
    /// The view.
    pub view: Viewport,
    /// Rows (levels).
    pub levels: usize,
}

impl TreeLayout {
    /// The layout of `levels` rows in a `width × height` area.
    pub fn new(levels: usize, width: f64, height: f64, view: Viewport, style: &Style) -> Self {
        let left = style.px(64.0).min(width * 0.25);
        let top = style.px(14.0);
        let rows = levels.max(2) as f64 - 1.0;
        TreeLayout {
            left,
            width: (width - left - style.px(10.0)).max(1.0),
            top,
            row: ((height - top - style.px(22.0)) / rows).max(1.0),
            view,
            levels,
        }
    }

    /// Pixels per position.
    pub fn unit(&self) -> f64 {
        self.width / self.view.span().max(1e-9)
    }

    /// x of the centre of position `t`.
    pub fn x(&self, t: f64) -> f64 {
        self.left + (t + 0.5 - self.view.t0) * self.unit()
    }

    /// y of level `level` (0 = input, at the bottom).
    pub fn y(&self, level: usize) -> f64 {
        self.top + (self.levels.saturating_sub(1).saturating_sub(level)) as f64 * self.row
    }

    /// The position under screen x (continuous).
    pub fn t_at(&self, px: f64) -> f64 {
        self.view.t0 + (px - self.left) / self.unit()
    }
}

/// The part of segment `a–b` with `lo ≤ x ≤ hi`, if any.
pub fn clip_x(a: (f64, f64), b: (f64, f64), lo: f64, hi: f64) -> Option<((f64, f64), (f64, f64))> {
    let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
    if b.0 < lo || a.0 > hi {
        return None;
    }
    let at = |x: f64| {
        if (b.0 - a.0).abs() < 1e-12 {
            (x, a.1)
        } else {
            (x, a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0))
        }
    };
    let a2 = if a.0 < lo { at(lo) } else { a };
    let b2 = if b.0 > hi { at(hi) } else { b };
    Some((a2, b2))
}

/// Draws the tree in `view`: edges of the tree, its nodes (input nodes coloured
/// by path count), faint dots for the other positions when there is room, and
/// the level captions.
///
/// # Errors
/// A backend error.
pub fn draw_tree<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tree: &TreeView,
    view: Viewport,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    let (aw, ah) = area.dim_in_pixel();
    let l = TreeLayout::new(tree.levels.len(), aw as f64, ah as f64, view, style);
    let unit = l.unit();
    let (lo, hi) = (view.t0 - 1.0, view.t1 + 1.0);
    let visible = |t: usize| (t as f64) >= lo && (t as f64) <= hi;
    let plot = area.clone().shrink(
        (l.left.floor() as i32, 0),
        ((aw as f64 - l.left).max(1.0) as u32, ah),
    );
    let dx = l.left.floor();
    // Faint dots for every position when they are at least 5 css px apart.
    if unit >= style.px(5.0) {
        let r = (unit * 0.12).min(style.px(3.0)).max(1.0) as i32;
        let t_lo = lo.max(0.0) as usize;
        let t_hi = (hi.max(0.0) as usize).min(tree.len);
        for lev in 0..tree.levels.len() {
            for t in t_lo..t_hi {
                plot.draw(&Circle::new(
                    ((l.x(t as f64) - dx).round() as i32, l.y(lev).round() as i32),
                    r,
                    style.ink.muted.mix(0.5).filled(),
                ))
                .map_err(err)?;
            }
        }
    }
    // Edges of the tree.
    let edge_w = if unit >= style.px(3.0) {
        style.px(1.5)
    } else {
        style.px(1.0)
    };
    let edge = ShapeStyle {
        color: feed_color().mix(if unit >= style.px(2.0) { 0.9 } else { 0.45 }),
        filled: false,
        stroke_width: edge_w.round().max(1.0) as u32,
    };
    for &(lev, from, to) in &tree.edges {
        if lev == 0 || !(visible(from) || visible(to)) {
            continue;
        }
        let a = (l.x(from as f64) - dx, l.y(lev - 1));
        let b = (l.x(to as f64) - dx, l.y(lev));
        let Some((a, b)) = clip_x(a, b, 0.0, l.width + style.px(8.0)) else {
            continue;
        };
        plot.draw(&PathElement::new(
            vec![
                (a.0.round() as i32, a.1.round() as i32),
                (b.0.round() as i32, b.1.round() as i32),
            ],
            edge,
        ))
        .map_err(err)?;
    }
    // Nodes of the tree; input nodes by path count.
    let max = tree
        .levels
        .first()
        .and_then(|f| f.nodes.iter().map(|n| n.1).max())
        .unwrap_or(1)
        .max(1) as f64;
    let r = (unit * 0.32).min(style.px(9.0)).max(style.px(1.5)).max(1.0) as i32;
    for (lev, level) in tree.levels.iter().enumerate() {
        for &(t, p) in &level.nodes {
            if !visible(t) {
                continue;
            }
            let color = if lev == 0 {
                config::viridis(0.15 + 0.85 * p as f64 / max)
            } else if lev + 1 == tree.levels.len() {
                chosen_color()
            } else {
                feed_color()
            };
            plot.draw(&Circle::new(
                ((l.x(t as f64) - dx).round() as i32, l.y(lev).round() as i32),
                r,
                color.filled(),
            ))
            .map_err(err)?;
        }
    }
    // Captions.
    let font = style.font_px() * 0.85;
    for (lev, level) in tree.levels.iter().enumerate() {
        area.draw_text(
            &level.label,
            &text_style(font, style.ink.text, Pos::new(HPos::Right, VPos::Center)),
            (
                (l.left - style.px(8.0)).round() as i32,
                l.y(lev).round() as i32,
            ),
        )
        .map_err(err)?;
    }
    // Position ticks at the bottom.
    let bottom = (ah as f64 - style.px(4.0)).round() as i32;
    // The first and last ticks align to their end of the axis, so neither runs
    // off the figure (a centred "t = 1023" under the last input did).
    let ends = [
        (view.t0, HPos::Left),
        ((view.t0 + view.t1) / 2.0, HPos::Center),
        (view.t1 - 1.0, HPos::Right),
    ];
    for (t, h) in ends {
        let t = t.max(0.0).floor();
        area.draw_text(
            &format!("t = {t}"),
            &text_style(font, style.ink.muted, Pos::new(h, VPos::Bottom)),
            (l.x(t).round() as i32, bottom),
        )
        .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_shorten_to_their_slot() {
        assert_eq!(
            fit_label("after layer 3 35\u{d7}35", 500.0, 10.0),
            "after layer 3 35\u{d7}35"
        );
        assert_eq!(
            fit_label("after layer 3 35\u{d7}35", 80.0, 10.0),
            "after layer 3"
        );
        assert_eq!(fit_label("after layer 3 35\u{d7}35", 40.0, 10.0), "L3");
        assert_eq!(fit_label("output 35\u{d7}35", 40.0, 10.0), "output");
        assert_eq!(fit_label("output 35\u{d7}35", 20.0, 10.0), "out");
        assert_eq!(fit_label("input 35\u{d7}35", 15.0, 10.0), "in");
        assert_eq!(
            fit_label("after layer 2 (3\u{d7}3, d = 2)", 80.0, 10.0),
            "after layer 2"
        );
    }

    use super::*;
    use crate::draw::to_svg;

    fn map() -> MapView {
        let mut paths = vec![0; 25];
        for (r, c, p) in [(1, 1, 1), (1, 3, 2), (3, 1, 1), (3, 3, 4)] {
            paths[r * 5 + c] = p;
        }
        MapView {
            label: "input".into(),
            h: 5,
            w: 5,
            paths,
            extent: Some((1, 1, 3, 3)),
        }
    }

    #[test]
    fn map_counts_and_bbox() {
        let m = map();
        assert_eq!(m.fed(), 4);
        assert_eq!(m.bbox(), Some((1, 1, 3, 3)));
        assert_eq!(m.path_range(), Some((1, 4)));
        assert_eq!(m.at(9, 9), 0);
    }

    #[test]
    fn grid_layout_hits_its_own_cells() {
        let l = GridLayout::fit(7, 9, 300.0, 200.0, 20.0, 64.0);
        assert!(l.origin.0 + l.cell * 9.0 <= 300.0);
        assert!(l.origin.1 + l.cell * 7.0 <= 200.0);
        for r in 0..7 {
            for c in 0..9 {
                let (x0, y0, x1, y1) = l.rect(r, c);
                assert_eq!(
                    l.hit((x0 + x1) / 2.0, (y0 + y1) / 2.0),
                    Some((r as usize, c as usize))
                );
            }
        }
        assert_eq!(l.hit(-1.0, 50.0), None);
        assert_eq!(l.hit(l.origin.0 + 1.0, 5.0), None);
    }

    /// A raster that fills rectangles as the canvas and SVG do: from the upper
    /// left corner up to, not including, the lower right one.
    type Rgba = (u8, u8, u8, u8);

    struct Pixels {
        w: u32,
        h: u32,
        px: std::rc::Rc<std::cell::RefCell<Vec<Rgba>>>,
    }

    impl Pixels {
        /// Paints with `paint` on a `w × h` raster and returns its pixels.
        fn paint(
            w: u32,
            h: u32,
            paint: impl FnOnce(&DrawingArea<Pixels, Shift>),
        ) -> Vec<(u8, u8, u8, u8)> {
            let px = std::rc::Rc::new(std::cell::RefCell::new(vec![
                (0, 0, 0, 0);
                (w * h) as usize
            ]));
            paint(
                &Pixels {
                    w,
                    h,
                    px: px.clone(),
                }
                .into_drawing_area(),
            );
            px.take()
        }
    }

    impl DrawingBackend for Pixels {
        type ErrorType = std::convert::Infallible;
        fn get_size(&self) -> (u32, u32) {
            (self.w, self.h)
        }
        fn ensure_prepared(
            &mut self,
        ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
            Ok(())
        }
        fn present(&mut self) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
            Ok(())
        }
        fn draw_pixel(
            &mut self,
            (x, y): plotters_backend::BackendCoord,
            c: plotters_backend::BackendColor,
        ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
            if x >= 0 && y >= 0 && (x as u32) < self.w && (y as u32) < self.h {
                let (r, g, b) = c.rgb;
                self.px.borrow_mut()[(y as u32 * self.w + x as u32) as usize] =
                    (r, g, b, (c.alpha * 255.0).round() as u8);
            }
            Ok(())
        }
        fn draw_rect<S: plotters_backend::BackendStyle>(
            &mut self,
            a: plotters_backend::BackendCoord,
            b: plotters_backend::BackendCoord,
            style: &S,
            fill: bool,
        ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
            assert!(fill, "only filled rectangles are compared");
            for y in a.1..b.1 {
                for x in a.0..b.0 {
                    self.draw_pixel((x, y), style.color())?;
                }
            }
            Ok(())
        }
    }

    /// The reference painter: one rectangle per cell, as the cells are defined.
    fn paint_cells_one_by_one(
        area: &DrawingArea<Pixels, Shift>,
        map: &MapView,
        opts: &MapOptions,
        style: &Style,
    ) {
        let (aw, ah) = area.dim_in_pixel();
        let l = map_layout(map, aw as f64, ah as f64, opts, style);
        let gap = if l.cell >= 5.0 {
            (l.cell * 0.08).min(style.px(2.0)).max(1.0)
        } else {
            0.0
        };
        let max = map.path_range().map_or(1, |r| r.1).max(1) as f64;
        for r in 0..map.h {
            for c in 0..map.w {
                let (x0, y0, x1, y1) = l.rect(r as isize, c as isize);
                let p = map.at(r, c);
                let color = match p {
                    0 => style.ink.muted.mix(0.18),
                    _ if opts.heat => config::viridis(0.15 + 0.85 * p as f64 / max).to_rgba(),
                    _ => feed_color().to_rgba(),
                };
                area.draw(&Rectangle::new(
                    rect_i((x0 + gap, y0 + gap, x1, y1)),
                    color.filled(),
                ))
                .unwrap();
            }
        }
    }

    #[test]
    fn merged_rows_paint_the_same_pixels_as_one_rectangle_per_cell() {
        let mut big = MapView {
            label: "input".into(),
            h: 13,
            w: 17,
            paths: (0..13 * 17)
                .map(|i: u64| if i % 7 < 3 { 0 } else { 1 + i % 5 })
                .collect(),
            extent: None,
        };
        let plain = MapOptions {
            caption: 0.0,
            extent: false,
            ..MapOptions::default()
        };
        let heat = MapOptions {
            heat: true,
            ..plain
        };
        // Cells from 2 px (no gaps) to 40 px (2 px gaps), at two pixel ratios.
        for (w, h) in [(40, 30), (90, 70), (200, 150), (333, 251), (700, 520)] {
            for dpr in [1.0, 2.0] {
                for opts in [plain, heat] {
                    for m in [map(), big.clone()] {
                        let style = Style::new(crate::config::Theme::Light, dpr);
                        let merged = Pixels::paint(w, h, |area| {
                            area.fill(&style.ink.background).unwrap();
                            draw_map(area, &m, &opts, &style).unwrap();
                        });
                        let cells = Pixels::paint(w, h, |area| {
                            area.fill(&style.ink.background).unwrap();
                            paint_cells_one_by_one(area, &m, &opts, &style);
                        });
                        assert!(merged == cells, "{w}x{h} at {dpr}x, {}x{}", m.h, m.w);
                    }
                }
            }
        }
        // Long runs collapse: one colour per row is one rectangle per row, plus
        // the column gaps painted back.
        big.paths = vec![1; 13 * 17];
        let svg = to_svg(400, 300, |a| draw_map(a, &big, &plain, &Style::default())).unwrap();
        assert_eq!(svg.matches("<rect").count(), 13 + 16, "{svg}");
    }

    #[test]
    fn map_svg_draws_rows_runs_and_frames() {
        let svg = to_svg(200, 220, |a| {
            draw_map(a, &map(), &MapOptions::default(), &Style::default())
        })
        .unwrap();
        // Rows 0, 2, 4 are one empty run each; rows 1 and 3 alternate in five
        // runs; 4 column gaps painted back; the extent frame.
        assert_eq!(svg.matches("<rect").count(), 3 + 2 * 5 + 4 + 1, "{svg}");
        assert!(svg.contains("input"));
        let bad = MapView {
            paths: vec![1; 3],
            ..map()
        };
        assert!(to_svg(50, 50, |a| draw_map(
            a,
            &bad,
            &MapOptions::default(),
            &Style::default()
        ))
        .is_err());
    }

    #[test]
    fn heat_numbers_are_printed_when_cells_are_large() {
        let opts = MapOptions {
            heat: true,
            numbers: true,
            ..MapOptions::default()
        };
        // Plotters' SVG backend writes each text on its own line between the tags
        // (`<text ...>\n4\n</text>`), so compare the texts' contents, not raw markup.
        let texts = |w: u32, h: u32, opts: &MapOptions| {
            let svg = to_svg(w, h, |a| draw_map(a, &map(), opts, &Style::default())).unwrap();
            text_contents(&svg)
        };
        // 64 px cells: the caption, then each feeding cell's path count in row order.
        assert_eq!(texts(400, 420, &opts), ["input", "1", "2", "1", "4"]);
        // 20 px cells are too small for numbers; so is a map without `numbers`.
        assert_eq!(texts(100, 122, &opts), ["input"]);
        let plain = MapOptions {
            numbers: false,
            ..opts
        };
        assert_eq!(texts(400, 420, &plain), ["input"]);
    }

    /// The trimmed contents of every `<text>` element, in drawing order.
    fn text_contents(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let body = &t[t.find('>')? + 1..];
                Some(body[..body.find("</text>")?].trim().to_string())
            })
            .collect()
    }

    #[test]
    fn strip_slots() {
        assert_eq!(strip_slot(0.0, 100.0, 4), Some(0));
        assert_eq!(strip_slot(99.9, 100.0, 4), Some(3));
        assert_eq!(strip_slot(100.0, 100.0, 4), None);
        assert_eq!(strip_slot(10.0, 100.0, 0), None);
        let svg = to_svg(600, 120, |a| {
            draw_strip(a, &[map(), map(), map()], 1, &Style::default())
        })
        .unwrap();
        // Background, each map's 17 row runs and column gaps and its extent,
        // the frame of the current map.
        assert_eq!(svg.matches("<rect").count(), 1 + 3 * 18 + 1, "{svg}");
    }

    #[test]
    fn viewport_zoom_and_pan_stay_inside() {
        let v = Viewport::all(1024);
        let z = v.zoom(1000.0, 4.0, 1024);
        assert!((z.span() - 256.0).abs() < 1e-9);
        assert!(z.t1 <= 1024.0 && z.t0 >= 0.0);
        let deep = (0..40).fold(v, |v, _| v.zoom(10.0, 2.0, 1024));
        assert_eq!(deep.span(), MIN_SPAN);
        let back = (0..40).fold(deep, |v, _| v.zoom(10.0, 0.5, 1024));
        assert_eq!(back, v);
        assert_eq!(z.pan(-5000.0, 1024).t0, 0.0);
        assert_eq!(z.pan(5000.0, 1024).t1, 1024.0);
        assert_eq!(v.zoom(f64::NAN, f64::INFINITY, 1024), v);
        assert_eq!(Viewport::all(4).clamped(4).span(), 4.0);
    }

    #[test]
    fn clipping_keeps_the_visible_part() {
        assert_eq!(
            clip_x((-10.0, 0.0), (10.0, 20.0), 0.0, 100.0),
            Some(((0.0, 10.0), (10.0, 20.0)))
        );
        assert_eq!(clip_x((110.0, 0.0), (200.0, 20.0), 0.0, 100.0), None);
        assert_eq!(
            clip_x((50.0, 0.0), (150.0, 10.0), 0.0, 100.0),
            Some(((50.0, 0.0), (100.0, 5.0)))
        );
    }

    #[test]
    fn tree_layout_maps_positions() {
        let l = TreeLayout::new(11, 800.0, 400.0, Viewport::all(1024), &Style::default());
        assert!(l.y(10) < l.y(0));
        assert!((l.t_at(l.x(100.0)) - 100.5).abs() < 1e-9);
    }

    #[test]
    fn tree_svg_draws_nodes_edges_and_captions() {
        let tree = TreeView {
            len: 4,
            levels: vec![
                TreeLevel {
                    label: "input".into(),
                    nodes: vec![(0, 1), (1, 1), (2, 1), (3, 1)],
                },
                TreeLevel {
                    label: "d = 1".into(),
                    nodes: vec![(1, 1), (3, 1)],
                },
                TreeLevel {
                    label: "d = 2".into(),
                    nodes: vec![(3, 1)],
                },
            ],
            edges: vec![
                (1, 0, 1),
                (1, 1, 1),
                (1, 2, 3),
                (1, 3, 3),
                (2, 1, 3),
                (2, 3, 3),
            ],
        };
        let svg = to_svg(400, 200, |a| {
            draw_tree(a, &tree, Viewport::all(4), &Style::default())
        })
        .unwrap();
        assert_eq!(svg.matches("<polyline").count(), 6, "{svg}");
        assert!(svg.contains("d = 2"));
        // 7 tree nodes + 12 faint dots.
        assert_eq!(svg.matches("<circle").count(), 19);
    }
}
