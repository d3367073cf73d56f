//! [`LineChart`]: several named series, marked current points, a linear or
//! logarithmic y axis, and a legend where the lines leave room.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{draw_legend, legend_corner, LegendKey};
use super::{axis_number, fit_font_size, tick_counts, X_LABEL_AREA, Y_LABEL_AREA};
use crate::draw::{err, DrawResult, Style};

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
