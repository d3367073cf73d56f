//! The common charts: a line chart with several series and a marked current
//! point, and grouped or stacked bars.

use plotters::coord::Shift;
use plotters::prelude::*;

mod bar;
mod categories;
mod legend;
mod line;

pub use bar::{bar_chart, BarChart};
pub(crate) use categories::draw_categories;
pub use line::{line_chart, LineChart, Series};

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

#[cfg(test)]
mod tests;
