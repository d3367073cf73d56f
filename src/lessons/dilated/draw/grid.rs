//! The 2-D side: one map with the cells that feed the chosen output, its
//! pixel layout, and the strip of every map of the stack.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::config::{self, sizes};
use crate::draw::{err, text_style, DrawResult, Style};

use super::{chosen_color, feed_color};

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

pub(super) fn rect_i(r: (f64, f64, f64, f64)) -> [(i32, i32); 2] {
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
