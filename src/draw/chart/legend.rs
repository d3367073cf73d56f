//! Chart legends: the corner that hides the least data, the share of the
//! plot kept free for it, and the legend box itself.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::draw::{err, text_style, DrawResult, Style};

/// The corner of the plotting area where the legend hides the least data:
/// the one whose box (45% × 45% of the plot) holds the fewest of `points`
/// (pixel positions sampled along the drawn lines or bars). Upper corners win
/// ties, so an empty chart keeps its legend at the top left.
pub(crate) fn legend_corner(
    points: impl Iterator<Item = (i32, i32)>,
    xs: std::ops::Range<i32>,
    ys: std::ops::Range<i32>,
) -> SeriesLabelPosition {
    let w = f64::from(xs.end - xs.start).max(1.0);
    let h = f64::from(ys.end - ys.start).max(1.0);
    // [upper left, upper right, lower right, lower left]
    let mut count = [0usize; 4];
    for (x, y) in points {
        let fx = f64::from(x - xs.start) / w;
        let fy = f64::from(y - ys.start) / h;
        let left = fx < 0.45;
        let right = fx > 0.55;
        let upper = fy < 0.45;
        let lower = fy > 0.55;
        if upper && left {
            count[0] += 1;
        }
        if upper && right {
            count[1] += 1;
        }
        if lower && right {
            count[2] += 1;
        }
        if lower && left {
            count[3] += 1;
        }
    }
    let best = (0..4).min_by_key(|&i| (count[i], i)).unwrap_or(0);
    match best {
        1 => SeriesLabelPosition::UpperRight,
        2 => SeriesLabelPosition::LowerRight,
        3 => SeriesLabelPosition::LowerLeft,
        _ => SeriesLabelPosition::UpperLeft,
    }
}

/// How a legend row shows its series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LegendKey {
    /// A short line (line charts).
    Line,
    /// A small filled box (bars).
    Box,
}

/// The share of a plot `plot_h` backend px high that a legend of `rows` rows,
/// with its margin, takes from the top (at most 0.6): a chart keeps that much
/// above its tallest bar, so the legend never covers one.
pub(crate) fn legend_share(rows: usize, plot_h: f64, style: &Style) -> f64 {
    let (pad, margin) = (style.px(6.0).round(), style.px(8.0).round());
    let row_h = (style.font_px() * 1.3).round();
    let need = 2.0 * pad + row_h * rows as f64 + 2.0 * margin;
    if plot_h > 0.0 {
        (need / plot_h).min(0.6)
    } else {
        0.6
    }
}

/// Draws a legend box in `corner` of `plot` (the plotting area in backend
/// pixels, as `ChartContext::plotting_area().strip_coord_spec()` gives it):
/// one row per `(name, colour)`. Labels are measured through the backend (the
/// canvas's measureText, cached), where plotters' own series labels measure
/// each one by laying out a `<span>` in the page.
///
/// # Errors
/// A backend error.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    rows: &[(&str, RGBColor)],
    key: LegendKey,
    corner: SeriesLabelPosition,
    style: &Style,
) -> DrawResult {
    if rows.is_empty() {
        return Ok(());
    }
    let font_px = style.font_px();
    let font = text_style(font_px, style.ink.text, Pos::new(HPos::Left, VPos::Center));
    let px = |v: f64| style.px(v).round() as i32;
    let (pad, gap, key_w, margin) = (px(6.0), px(6.0), px(18.0), px(8.0));
    let mut widest = 0i32;
    for (name, _) in rows {
        let (w, _) = plot.estimate_text_size(name, &font).map_err(err)?;
        widest = widest.max(w as i32);
    }
    let row_h = (font_px * 1.3).round() as i32;
    let box_w = 2 * pad + key_w + gap + widest;
    let box_h = 2 * pad + row_h * rows.len() as i32;
    let (w, h) = plot.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let left = margin;
    let right = (w - margin - box_w).max(0);
    let top = margin;
    let bottom = (h - margin - box_h).max(0);
    let (x0, y0) = match corner {
        SeriesLabelPosition::UpperRight => (right, top),
        SeriesLabelPosition::LowerRight => (right, bottom),
        SeriesLabelPosition::LowerLeft => (left, bottom),
        _ => (left, top),
    };
    plot.draw(&Rectangle::new(
        [(x0, y0), (x0 + box_w, y0 + box_h)],
        style.ink.background.mix(0.85).filled(),
    ))
    .map_err(err)?;
    plot.draw(&Rectangle::new(
        [(x0, y0), (x0 + box_w, y0 + box_h)],
        style.ink.muted.stroke_width(1),
    ))
    .map_err(err)?;
    for (i, (name, color)) in rows.iter().enumerate() {
        let y = y0 + pad + row_h * i as i32 + row_h / 2;
        let kx = x0 + pad;
        match key {
            LegendKey::Line => plot
                .draw(&PathElement::new(
                    vec![(kx, y), (kx + key_w, y)],
                    color.stroke_width(px(3.0).max(1) as u32),
                ))
                .map_err(err)?,
            LegendKey::Box => plot
                .draw(&Rectangle::new(
                    [
                        (kx + key_w / 6, y - px(5.0)),
                        (kx + key_w * 5 / 6, y + px(5.0)),
                    ],
                    color.filled(),
                ))
                .map_err(err)?,
        }
        plot.draw_text(name, &font, (kx + key_w + gap, y))
            .map_err(err)?;
    }
    Ok(())
}
