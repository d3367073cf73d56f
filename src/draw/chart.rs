//! The common charts: a line chart with several series and a marked current
//! point, and grouped or stacked bars.

use plotters::coord::Shift;
use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{err, text_style, DrawResult, Style};

/// One named series of `(x, y)` points in one colour.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Line colour (take it from `config`).
    pub color: RGBColor,
    /// Points, in x order.
    pub points: Vec<(f64, f64)>,
    /// Draw each point as a dot, with no line between them: for a quantity that
    /// exists only at these x (e.g. the group counts that divide C and N).
    pub dots: bool,
}

/// A line chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineChart {
    /// Caption above the chart (empty for none).
    pub title: String,
    /// X axis description.
    pub x_label: String,
    /// Y axis description.
    pub y_label: String,
    /// The series.
    pub series: Vec<Series>,
    /// Points to mark (the current setting): `(x, y, colour)`.
    pub marks: Vec<(f64, f64, RGBColor)>,
    /// Logarithmic y axis (non-positive values are dropped).
    pub log_y: bool,
}

fn bounds(it: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in it.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    (lo <= hi).then_some((lo, hi))
}

fn widen(lo: f64, hi: f64, log: bool) -> (f64, f64) {
    if log {
        if hi <= lo {
            (lo / 2.0, hi * 2.0)
        } else {
            (lo / 1.3, hi * 1.3)
        }
    } else if hi <= lo {
        (lo - 1.0, hi + 1.0)
    } else {
        let m = (hi - lo) * 0.05;
        (
            if lo >= 0.0 && lo - m < 0.0 {
                0.0
            } else {
                lo - m
            },
            hi + m,
        )
    }
}

/// Formats an axis number compactly ("1.2M", "35k", "0.5").
pub fn axis_number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.3}", v / 1e9)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
            + "G"
    } else if a >= 1e6 {
        format!("{:.3}", v / 1e6)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
            + "M"
    } else if a >= 1e4 {
        format!("{:.2}", v / 1e3)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
            + "k"
    } else if a >= 1.0 || a == 0.0 {
        format!("{:.2}", v)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        format!("{:.3}", v)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

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

/// The top of a linear axis from 0 for bars up to `tallest`: 8% above it, or
/// more so the top `share` of the plot stays free for the legend.
pub(crate) fn linear_top(tallest: f64, share: f64) -> f64 {
    if tallest > 0.0 && tallest.is_finite() {
        (tallest * 1.08).max(tallest / (1.0 - share.clamp(0.0, 0.9)))
    } else {
        1.0
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

/// Category names that fit under bars `slot_px` wide, `width(text)` being a
/// label's drawn width: the names themselves, on two lines ("a\nb", broken at
/// a space or hyphen) or shortened with "…" when they are too long (keeping
/// at least 60% of each name), or, when that does not fit, the
/// categories' numbers (1, 2, …), every k-th one so that no two overlap. An
/// empty string draws nothing. Labels keep a 4 px gap to their neighbours.
pub(crate) fn fit_categories(
    names: &[String],
    slot_px: f64,
    width: impl Fn(&str) -> f64,
) -> Vec<String> {
    let room = slot_px - 4.0;
    let shorten = |n: &String| -> Option<String> {
        if width(n) <= room {
            return Some(n.clone());
        }
        // Two lines, broken at a space or after a hyphen, when both fit.
        let two = n
            .char_indices()
            .filter_map(|(i, c)| match c {
                ' ' => Some((n[..i].to_string(), n[i + 1..].to_string())),
                '-' => Some((n[..=i].to_string(), n[i + 1..].to_string())),
                _ => None,
            })
            .filter(|(a, b)| !a.is_empty() && !b.is_empty() && width(a) <= room && width(b) <= room)
            .min_by(|x, y| {
                width(&x.0)
                    .max(width(&x.1))
                    .total_cmp(&width(&y.0).max(width(&y.1)))
            });
        if let Some((a, b)) = two {
            return Some(format!("{a}\n{b}"));
        }
        let chars: Vec<char> = n.chars().collect();
        // Cut, but keeping at least 60% of the name (and 3 characters).
        let least = (chars.len() * 3).div_ceil(5).max(3);
        (least..chars.len()).rev().find_map(|k| {
            let mut t: String = chars[..k].iter().collect();
            t.push('\u{2026}');
            (width(&t) <= room).then_some(t)
        })
    };
    if let Some(all) = names.iter().map(shorten).collect::<Option<Vec<_>>>() {
        return all;
    }
    let need = width(&names.len().to_string()) + 4.0;
    let every = (need / slot_px.max(1e-6)).ceil().max(1.0) as usize;
    (0..names.len())
        .map(|i| {
            if i % every == 0 {
                (i + 1).to_string()
            } else {
                String::new()
            }
        })
        .collect()
}

/// Draws category names centred under bars: `centre(i)` is the backend
/// pixel of bar `i`'s centre on the x axis. Names are fitted to the bar width
/// by [`fit_categories`] so they never run into each other.
pub(crate) fn draw_categories<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    names: &[String],
    font: f64,
    style: &Style,
    centre: impl Fn(usize) -> (i32, i32),
) -> DrawResult {
    if names.is_empty() {
        return Ok(());
    }
    let slot = if names.len() > 1 {
        f64::from(centre(1).0 - centre(0).0).abs()
    } else {
        f64::from(area.dim_in_pixel().0)
    };
    let base = area.get_base_pixel();
    let below_axis = style.px(4.0).round() as i32;
    let cat_style = text_style(font, style.ink.text, Pos::new(HPos::Center, VPos::Top));
    let width = |t: &str| {
        area.estimate_text_size(t, &cat_style)
            .map(|(w, _)| f64::from(w))
            .unwrap_or(t.chars().count() as f64 * font * 0.6)
    };
    for (i, name) in fit_categories(names, slot, width)
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.is_empty())
    {
        let (px, py) = centre(i);
        for (line, text) in name.split('\n').enumerate() {
            let dy = (line as f64 * font * 1.15).round() as i32;
            area.draw_text(
                text,
                &cat_style,
                (px - base.0, py - base.1 + below_axis + dy),
            )
            .map_err(err)?;
        }
    }
    Ok(())
}

/// The largest font size from `size` down to `min` at which `text` fits in
/// `room` pixels across (measured on `area`'s backend); `min` where none does.
pub fn fit_font_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    min: f64,
    room: f64,
) -> f64 {
    let style = TextStyle::from(("sans-serif", size).into_font());
    match area.estimate_text_size(text, &style) {
        Ok((w, _)) if f64::from(w) > room && w > 0 => (size * room / f64::from(w)).max(min),
        _ => size,
    }
}

/// Height of the x-axis label area in font sizes: the tick labels (one line
/// under a tick mark) and, below them with a gap, the axis description.
const X_LABEL_AREA: f64 = 3.4;
/// Width of the y-axis label area in font sizes: tick labels up to "100k" and
/// the turned axis description beside them.
const Y_LABEL_AREA: f64 = 5.2;

/// Most tick labels the axes of a `(w, h)`-pixel chart hold without touching:
/// one per 5.5 font sizes across (a label like "0.25" is about 2.2 wide), one
/// per 2.6 down; between 2 and 10.
pub fn tick_counts((w, h): (u32, u32), font: f64) -> (usize, usize) {
    let fit =
        |len: u32, per: f64| (f64::from(len) / (font.max(1.0) * per)).clamp(2.0, 10.0) as usize;
    (fit(w, 5.5), fit(h, 2.6))
}

macro_rules! line_body {
    ($area:expr, $chart:expr, $style:expr, $x:expr, $y:expr, $keep:expr) => {{
        let style: &Style = $style;
        let chart_def: &LineChart = $chart;
        let font = style.font_px();
        let mut builder = ChartBuilder::on($area);
        builder
            .margin(style.px(8.0) as u32)
            .x_label_area_size((font * X_LABEL_AREA) as u32)
            .y_label_area_size((font * Y_LABEL_AREA) as u32);
        let (x_ticks, y_ticks) = tick_counts($area.dim_in_pixel(), font);
        if !chart_def.title.is_empty() {
            let room = f64::from($area.dim_in_pixel().0) - font * 1.5;
            let size = fit_font_size($area, &chart_def.title, font * 1.1, font * 0.6, room);
            builder.caption(
                &chart_def.title,
                ("sans-serif", size).into_font().color(&style.ink.text),
            );
        }
        let mut chart = builder.build_cartesian_2d($x, $y).map_err(err)?;
        let label_font = ("sans-serif", font).into_font().color(&style.ink.text);
        chart
            .configure_mesh()
            .x_desc(chart_def.x_label.as_str())
            .y_desc(chart_def.y_label.as_str())
            .axis_style(style.ink.muted)
            .bold_line_style(style.ink.muted.mix(0.25))
            .light_line_style(style.ink.muted.mix(0.08))
            .label_style(label_font.clone())
            .axis_desc_style(label_font.clone())
            .x_labels(x_ticks)
            .y_labels(y_ticks)
            .x_label_formatter(&|v| axis_number(*v))
            .y_label_formatter(&|v| axis_number(*v))
            .draw()
            .map_err(err)?;
        let stroke = style.px(2.0).round().max(1.0) as u32;
        let keep = $keep;
        let dot = style.px(3.5).round().max(2.0) as i32;
        for s in &chart_def.series {
            let color = s.color;
            if s.dots {
                chart
                    .draw_series(
                        s.points
                            .iter()
                            .copied()
                            .filter(|p| keep(p))
                            .map(|p| Circle::new(p, dot, color.filled())),
                    )
                    .map_err(err)?;
                continue;
            }
            chart
                .draw_series(LineSeries::new(
                    s.points.iter().copied().filter(|p| keep(p)),
                    ShapeStyle {
                        color: color.to_rgba(),
                        filled: false,
                        stroke_width: stroke,
                    },
                ))
                .map_err(err)?;
        }
        let r = style.px(5.0).round() as i32;
        for &(x, y, color) in &chart_def.marks {
            if keep(&(x, y)) {
                chart
                    .draw_series(std::iter::once(Circle::new((x, y), r, color.filled())))
                    .map_err(err)?;
            }
        }
        if chart_def.series.len() > 1 {
            let (xs, ys) = chart.plotting_area().get_pixel_range();
            let mut sampled = Vec::new();
            for s in &chart_def.series {
                let pts: Vec<(i32, i32)> = s
                    .points
                    .iter()
                    .filter(|p| keep(p))
                    .map(|p| chart.backend_coord(p))
                    .collect();
                for w in pts.windows(2) {
                    for t in 0..8 {
                        let f = f64::from(t) / 8.0;
                        let x = f64::from(w[0].0) + f * f64::from(w[1].0 - w[0].0);
                        let y = f64::from(w[0].1) + f * f64::from(w[1].1 - w[0].1);
                        sampled.push((x as i32, y as i32));
                    }
                }
                sampled.extend(pts.last().copied());
            }
            let corner = legend_corner(sampled.into_iter(), xs, ys);
            let rows: Vec<(&str, RGBColor)> = chart_def
                .series
                .iter()
                .map(|s| (s.name.as_str(), s.color))
                .collect();
            draw_legend(
                &chart.plotting_area().strip_coord_spec(),
                &rows,
                LegendKey::Line,
                corner,
                style,
            )?;
        }
        Ok(())
    }};
}

/// Draws `chart` filling `area`.
///
/// # Errors
/// A chart with no finite point, or a backend error.
pub fn line_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    let log = chart.log_y;
    let keep = move |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite() && (!log || p.1 > 0.0);
    let pts = || {
        chart
            .series
            .iter()
            .flat_map(|s| s.points.iter().copied())
            .chain(chart.marks.iter().map(|m| (m.0, m.1)))
            .filter(keep)
    };
    let (x0, x1) = bounds(pts().map(|p| p.0)).ok_or("the chart has no points to draw")?;
    let (y0, y1) = bounds(pts().map(|p| p.1)).ok_or("the chart has no points to draw")?;
    let (x0, x1) = if x1 > x0 {
        (x0, x1)
    } else {
        (x0 - 1.0, x1 + 1.0)
    };
    let (y0, y1) = widen(y0, y1, log);
    if log {
        line_body!(area, chart, style, x0..x1, (y0..y1).log_scale(), keep)
    } else {
        line_body!(area, chart, style, x0..x1, y0..y1, keep)
    }
}

/// Grouped (side by side) or stacked bars over named categories.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BarChart {
    /// Caption above the chart (empty for none).
    pub title: String,
    /// Category names along x.
    pub categories: Vec<String>,
    /// Y axis description.
    pub y_label: String,
    /// `(name, colour, one value per category)`.
    pub series: Vec<(String, RGBColor, Vec<f64>)>,
    /// Stack the series instead of placing them side by side.
    pub stacked: bool,
    /// Index of a category to emphasise (the current setting).
    pub highlight: Option<usize>,
}

/// Draws `chart` filling `area`.
///
/// # Errors
/// No categories, a series whose length differs from the categories, a
/// negative or non-finite value, or a backend error.
pub fn bar_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &BarChart,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    let n = chart.categories.len();
    if n == 0 {
        return Err("the bar chart has no categories".into());
    }
    for (name, _, v) in &chart.series {
        if v.len() != n {
            return Err(format!(
                "series {name} has {} values for {n} categories",
                v.len()
            ));
        }
        if v.iter().any(|x| !x.is_finite() || *x < 0.0) {
            return Err(format!("series {name} has a negative or non-finite value"));
        }
    }
    let top = (0..n)
        .map(|i| {
            let col = chart.series.iter().map(|s| s.2[i]);
            if chart.stacked {
                col.sum::<f64>()
            } else {
                col.fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max);
    let tallest = top;
    let font = style.font_px();
    // The category names as they will be drawn (names, two lines, or numbers)
    // decide the room under the axis: one line of numbers needs far less
    // than two lines of names (a phone's zoo chart kept 40 px of white).
    let (area_w, area_h) = area.dim_in_pixel();
    let plot_w = f64::from(area_w) - 2.0 * style.px(8.0).round() - (font * Y_LABEL_AREA).floor();
    let cat_style = text_style(font, style.ink.text, Pos::new(HPos::Center, VPos::Top));
    let lines = fit_categories(&chart.categories, plot_w / n as f64, |t| {
        area.estimate_text_size(t, &cat_style)
            .map(|(w, _)| f64::from(w))
            .unwrap_or(t.chars().count() as f64 * font * 0.6)
    })
    .iter()
    .map(|c| c.split('\n').count())
    .max()
    .unwrap_or(1) as f64;
    let x_area = ((lines * 1.15 + 0.9) * font + style.px(4.0)).ceil();
    // Room above the tallest bar for the legend (a top corner is always free).
    let share = if chart.series.len() > 1 {
        let caption = if chart.title.is_empty() {
            0.0
        } else {
            font * 1.1 * 1.6
        };
        let plot_h = f64::from(area_h) - 2.0 * style.px(8.0).round() - x_area - caption;
        legend_share(chart.series.len(), plot_h, style)
    } else {
        0.0
    };
    let top = linear_top(tallest, share);
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(style.px(8.0) as u32)
        .x_label_area_size(x_area as u32)
        .y_label_area_size((font * Y_LABEL_AREA) as u32);
    let (_, y_ticks) = tick_counts(area.dim_in_pixel(), font);
    if !chart.title.is_empty() {
        let room = f64::from(area.dim_in_pixel().0) - font * 1.5;
        let size = fit_font_size(area, &chart.title, font * 1.1, font * 0.6, room);
        builder.caption(
            &chart.title,
            ("sans-serif", size).into_font().color(&style.ink.text),
        );
    }
    let mut c = builder
        .build_cartesian_2d(0.0..n as f64, 0.0..top)
        .map_err(err)?;
    let label_font = ("sans-serif", font).into_font().color(&style.ink.text);
    // The mesh's x ticks fall on "nice" values of the float axis, not on the
    // bar centres i + 0.5, so category names are drawn below the axis here.
    c.configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(y_ticks)
        .y_desc(chart.y_label.as_str())
        .y_label_formatter(&|v| axis_number(*v))
        .axis_style(style.ink.muted)
        .bold_line_style(style.ink.muted.mix(0.25))
        .light_line_style(style.ink.muted.mix(0.08))
        .label_style(label_font.clone())
        .axis_desc_style(label_font.clone())
        .draw()
        .map_err(err)?;
    draw_categories(area, &chart.categories, font, style, |i| {
        c.backend_coord(&(i as f64 + 0.5, 0.0))
    })?;
    let k = chart.series.len().max(1) as f64;
    for (si, (_, color, values)) in chart.series.iter().enumerate() {
        let color = *color;
        let rects = values.iter().enumerate().map(|(i, &v)| {
            let (x0, x1, y0, y1) = if chart.stacked {
                let below: f64 = chart.series[..si].iter().map(|s| s.2[i]).sum();
                (i as f64 + 0.15, i as f64 + 0.85, below, below + v)
            } else {
                let w = 0.7 / k;
                let x0 = i as f64 + 0.15 + si as f64 * w;
                (x0, x0 + w, 0.0, v)
            };
            Rectangle::new([(x0, y0), (x1, y1)], color.filled())
        });
        c.draw_series(rects).map_err(err)?;
    }
    if let Some(h) = chart.highlight.filter(|h| *h < n) {
        c.draw_series(std::iter::once(Rectangle::new(
            [(h as f64 + 0.05, 0.0), (h as f64 + 0.95, tallest)],
            ShapeStyle {
                color: style.ink.focus.to_rgba(),
                filled: false,
                stroke_width: style.px(2.0).round() as u32,
            },
        )))
        .map_err(err)?;
    }
    if chart.series.len() > 1 {
        let (xs, ys) = c.plotting_area().get_pixel_range();
        let mut filled = Vec::new();
        for i in 0..n {
            let total: f64 = if chart.stacked {
                chart.series.iter().map(|s| s.2[i]).sum()
            } else {
                chart.series.iter().map(|s| s.2[i]).fold(0.0, f64::max)
            };
            for t in 0..=10 {
                for dx in [0.2, 0.5, 0.8] {
                    filled.push(c.backend_coord(&(i as f64 + dx, total * f64::from(t) / 10.0)));
                }
            }
        }
        let corner = legend_corner(filled.into_iter(), xs, ys);
        let rows: Vec<(&str, RGBColor)> =
            chart.series.iter().map(|s| (s.0.as_str(), s.1)).collect();
        draw_legend(
            &c.plotting_area().strip_coord_spec(),
            &rows,
            LegendKey::Box,
            corner,
            style,
        )?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "chart_tests.rs"]
mod tests;
