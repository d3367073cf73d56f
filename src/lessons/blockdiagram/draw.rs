//! Drawing a block diagram with plotters, and the text that goes in and beside its boxes.

use convlab_core::{LayerCost, LayerKind};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::config;
use crate::draw::{err, text_style, DrawResult, Style};

use super::*;

/// Colour of a box: convs by kind, data movement grey.
pub fn box_colour(b: &LayerBox) -> RGBColor {
    if b.conv.is_none() {
        return config::group_color(7);
    }
    if b.kind.starts_with("dw") {
        config::group_color(2)
    } else if b.kind.starts_with("gconv") {
        config::group_color(3)
    } else if b.kind.contains("3×3") {
        config::group_color(0)
    } else {
        config::group_color(1)
    }
}

/// Draws the diagram filling `area` (thumbnails, SVG export and tests); the
/// page draws the same geometry as clickable SVG.
///
/// # Errors
/// A backend error.
pub fn draw_diagram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &Diagram,
    selected: Option<usize>,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    let g = geometry(d);
    let (w, h) = area.dim_in_pixel();
    let k = (w as f64 / g.width).min(h as f64 / g.height);
    if !(k.is_finite() && k > 0.0) {
        return Ok(());
    }
    let p = |(x, y): (f64, f64)| ((x * k).round() as i32, (y * k).round() as i32);
    let stroke = style.ink.muted.stroke_width((1.5 * k).max(1.0) as u32);
    for e in &g.edges {
        area.draw(&PathElement::new(
            e.iter().map(|&q| p(q)).collect::<Vec<_>>(),
            stroke,
        ))
        .map_err(err)?;
        let head = arrow_head(e, 8.0);
        if !head.is_empty() {
            area.draw(&Polygon::new(
                head.into_iter().map(p).collect::<Vec<_>>(),
                style.ink.muted.filled(),
            ))
            .map_err(err)?;
        }
    }
    let font = (13.0 * k).max(6.0);
    let mut boxes = vec![(
        g.input,
        format!("input {}", shape_text(d.input)),
        style.ink.muted,
        false,
    )];
    for (i, (b, r)) in d.boxes.iter().zip(&g.boxes).enumerate() {
        boxes.push((*r, b.label(), box_colour(b), selected == Some(i)));
    }
    for (r, label, colour, sel) in boxes {
        let (x0, y0) = p((r.x, r.y));
        let (x1, y1) = p((r.x + r.w, r.y + r.h));
        area.draw(&Rectangle::new(
            [(x0, y0), (x1, y1)],
            colour.mix(0.35).filled(),
        ))
        .map_err(err)?;
        let edge = if sel { style.ink.focus } else { colour };
        let width = if sel { 3.0 * k } else { 1.5 * k };
        area.draw(&Rectangle::new(
            [(x0, y0), (x1, y1)],
            edge.stroke_width(width.max(1.0) as u32),
        ))
        .map_err(err)?;
        area.draw(&Text::new(
            label,
            ((x0 + x1) / 2, (y0 + y1) / 2),
            text_style(font, style.ink.text, Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// The `textLength` that squeezes `text` (at `size` px) into `room` px when
/// its estimated width (0.58 em a character, a little more than the sans
/// fonts' average) would run past its box; `None` leaves it as it is.
pub fn fit_length(text: &str, size: f64, room: f64) -> Option<String> {
    let est = text.chars().count() as f64 * size * 0.58;
    (est > room && room > 0.0).then(|| format!("{room:.1}"))
}

/// `128×16×16`.
pub fn shape_text(s: [usize; 3]) -> String {
    format!("{}\u{d7}{}\u{d7}{}", s[0], s[1], s[2])
}

/// The parameter formula of one cost row with its numbers, as the lecture
/// writes it: `(9·16 + 1)·64` for a 3×3 conv with bias, `2·64` for a BN.
/// `None` for rows without parameters.
pub fn row_formula(row: &LayerCost) -> Option<String> {
    if row.params == 0 {
        return None;
    }
    match &row.kind {
        LayerKind::Conv(s) => {
            let taps = s.kernel.0 * s.kernel.1;
            let per = s.in_per_group();
            let weights = match (taps, per) {
                (1, p) => p.to_string(),
                (t, 1) => t.to_string(),
                (t, p) => format!("{t}\u{b7}{p}"),
            };
            Some(if s.bias {
                format!("({weights} + 1)\u{b7}{}", s.out_channels)
            } else {
                format!("{weights}\u{b7}{}", s.out_channels)
            })
        }
        LayerKind::BatchNorm => Some(format!("2\u{b7}{}", row.output[0])),
        _ => None,
    }
}
