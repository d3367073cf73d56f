//! [`BarChart`]: grouped or stacked bars over named categories, with room
//! kept above the tallest bar for the legend.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::categories::{draw_categories, fit_categories};
use super::legend::{draw_legend, legend_corner, legend_share, LegendKey};
use super::{axis_number, fit_font_size, tick_counts, Y_LABEL_AREA};
use crate::draw::{err, text_style, DrawResult, Style};

/// The top of a linear axis from 0 for bars up to `tallest`: 8% above it, or
/// more so the top `share` of the plot stays free for the legend.
pub(crate) fn linear_top(tallest: f64, share: f64) -> f64 {
    if tallest > 0.0 && tallest.is_finite() {
        (tallest * 1.08).max(tallest / (1.0 - share.clamp(0.0, 0.9)))
    } else {
        1.0
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
