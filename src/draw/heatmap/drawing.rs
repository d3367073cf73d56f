//! Drawing a heat map: the values, grid, padding, labels, highlights and
//! legend of a [`TensorLayout`], on any plotters backend.

use convlab_core::Tensor;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Cell, Highlight, Palette, TensorLayout};
use crate::config;
use crate::draw::{err, short_value, text_style, DrawResult, Style};

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
