//! Drawing for the ShuffleNet lesson, generic over the plotters backend:
//! the channel bars of the shuffle animation and the reachability matrices.

use convlab_core::ops::shuffle::ShuffleStages;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::animator::{extent, frame_count, positions, slot};
use crate::config;
use crate::draw::{err, text_style, DrawResult, Style};

/// Draws the channels as bars where the animation has them at `frame`,
/// each in its (input) group's colour and numbered when there is room.
///
/// # Errors
/// A backend error.
pub fn draw_shuffle<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &ShuffleStages,
    frame: usize,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    let (cols, rows) = extent(st);
    let pad = style.px(4.0);
    let cw = ((w as f64 - 2.0 * pad) / cols as f64).max(1.0);
    let ch = ((h as f64 - 2.0 * pad) / rows as f64).clamp(1.0, style.px(90.0));
    let x0 = (w as f64 - cw * cols as f64) / 2.0;
    let font = (cw * 0.5).min(ch * 0.4).min(style.font_px() * 1.3);
    let shown = positions(st, frame);
    // The last frame also shows where each channel came from: the input order,
    // pale, in the bottom row, joined to the channel's shuffled slot above.
    if frame + 1 == frame_count() && rows > 1 {
        let bottom = (rows - 1) as f64;
        for (c, &(x, y)) in shown.iter().enumerate() {
            let colour = config::group_color(st.group_of(c));
            let (sx, _) = slot(st, 0, c);
            let from = (x0 + (sx + 0.5) * cw, pad + bottom * ch + ch * 0.06);
            let to = (x0 + (x + 0.5) * cw, pad + y * ch + ch * 0.94);
            area.draw(&PathElement::new(
                vec![(from.0 as i32, from.1 as i32), (to.0 as i32, to.1 as i32)],
                colour.mix(0.7).stroke_width(style.px(1.5).max(1.0) as u32),
            ))
            .map_err(err)?;
            let left = x0 + sx * cw + cw * 0.08;
            let top = pad + bottom * ch + ch * 0.06;
            let (r, b) = (left + cw * 0.84, top + ch * 0.88);
            area.draw(&Rectangle::new(
                [(left as i32, top as i32), (r as i32, b as i32)],
                colour.mix(0.35).filled(),
            ))
            .map_err(err)?;
            if font >= style.px(8.0) {
                area.draw(&Text::new(
                    c.to_string(),
                    (((left + r) / 2.0) as i32, ((top + b) / 2.0) as i32),
                    text_style(font, style.ink.text, Pos::new(HPos::Center, VPos::Center)),
                ))
                .map_err(err)?;
            }
        }
    }
    for (c, (x, y)) in shown.into_iter().enumerate() {
        let colour = config::group_color(st.group_of(c));
        let left = x0 + x * cw + cw * 0.08;
        let top = pad + y * ch + ch * 0.06;
        let (r, b) = (left + cw * 0.84, top + ch * 0.88);
        area.draw(&Rectangle::new(
            [(left as i32, top as i32), (r as i32, b as i32)],
            colour.filled(),
        ))
        .map_err(err)?;
        if font >= style.px(8.0) {
            area.draw(&Text::new(
                c.to_string(),
                (((left + r) / 2.0) as i32, ((top + b) / 2.0) as i32),
                text_style(
                    font,
                    config::text_on(colour),
                    Pos::new(HPos::Center, VPos::Center),
                ),
            ))
            .map_err(err)?;
        }
    }
    Ok(())
}

/// One reachability matrix with its caption.
#[derive(Clone, Debug, PartialEq)]
pub struct ReachPanel {
    /// "2 units, with shuffle".
    pub title: String,
    /// `reach[i][j]`: input channel i reaches output channel j.
    pub reach: Vec<Vec<bool>>,
}

impl ReachPanel {
    /// Fraction of (input, output) pairs connected.
    pub fn fraction(&self) -> f64 {
        let total: usize = self.reach.iter().map(Vec::len).sum();
        let hit: usize = self.reach.iter().flatten().filter(|&&r| r).count();
        if total == 0 {
            0.0
        } else {
            hit as f64 / total as f64
        }
    }
}

/// Draws `panels` in a grid of `columns`: rows are input channels, columns
/// output channels; a reached cell takes the input channel's group colour.
///
/// # Errors
/// A backend error.
pub fn draw_reach<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panels: &[ReachPanel],
    groups: usize,
    columns: usize,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    if panels.is_empty() {
        return Ok(());
    }
    let columns = columns.clamp(1, panels.len());
    let rows = panels.len().div_ceil(columns);
    let (w, h) = area.dim_in_pixel();
    let (pw, ph) = (w as f64 / columns as f64, h as f64 / rows as f64);
    let font = style.font_px();
    let title_h = font * 1.6;
    for (k, p) in panels.iter().enumerate() {
        let (ox, oy) = ((k % columns) as f64 * pw, (k / columns) as f64 * ph);
        let n = p.reach.len().max(1);
        let per = (n / groups.max(1)).max(1);
        let side = (pw - style.px(12.0))
            .min(ph - title_h - style.px(8.0))
            .max(1.0);
        let cell = side / n as f64;
        let left = ox + (pw - side) / 2.0;
        let top = oy + title_h;
        let title = format!("{}: {:.0}%", p.title, p.fraction() * 100.0);
        // Shrunk to its panel's width (three panels across a phone).
        let size =
            crate::draw::chart::fit_font_size(area, &title, font, font * 0.55, pw - style.px(6.0));
        area.draw(&Text::new(
            title,
            ((ox + pw / 2.0) as i32, (oy + font * 0.2) as i32),
            text_style(size, style.ink.text, Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(err)?;
        area.draw(&Rectangle::new(
            [
                (left as i32, top as i32),
                ((left + side) as i32, (top + side) as i32),
            ],
            style.ink.muted.stroke_width(1),
        ))
        .map_err(err)?;
        for (i, row) in p.reach.iter().enumerate() {
            let colour = config::group_color(i / per);
            for (j, &r) in row.iter().enumerate() {
                if r {
                    let x = left + j as f64 * cell;
                    let y = top + i as f64 * cell;
                    area.draw(&Rectangle::new(
                        [
                            (x as i32, y as i32),
                            ((x + cell).ceil() as i32, (y + cell).ceil() as i32),
                        ],
                        colour.filled(),
                    ))
                    .map_err(err)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::to_svg;
    use convlab_core::ops::shuffle::reachability;

    #[test]
    fn bars_draw_every_channel_in_its_group_colour() {
        let st = ShuffleStages::new(6, 2).unwrap();
        // Mid-way (frame 16, the transposed grid): background + 6 bars.
        let grid = to_svg(600, 200, |a| draw_shuffle(a, &st, 16, &Style::default())).unwrap();
        assert_eq!(grid.matches("<rect").count(), 7);
        // The last frame adds the pale input row and a line from each input slot to its bar.
        let svg = to_svg(600, 200, |a| draw_shuffle(a, &st, 24, &Style::default())).unwrap();
        assert_eq!(svg.matches("<rect").count(), 13);
        assert_eq!(svg.matches("<polyline").count(), 6);
        let orange = config::css(config::group_color(0));
        let blue = config::css(config::group_color(1));
        assert_eq!(grid.to_lowercase().matches(&orange).count(), 3);
        assert_eq!(grid.to_lowercase().matches(&blue).count(), 3);
        // On the last frame each colour also marks its 3 pale input bars and 3 lines.
        assert_eq!(svg.to_lowercase().matches(&orange).count(), 9);
        let bare: String = svg.split_whitespace().collect();
        assert!(bare.contains(">5<"), "channel numbers are drawn");
    }

    #[test]
    fn reach_panels_draw_and_count() {
        let with = ReachPanel {
            title: "1 unit, with shuffle".into(),
            reach: reachability(8, 2, 1, true).unwrap(),
        };
        let without = ReachPanel {
            title: "2 units, without".into(),
            reach: reachability(8, 2, 2, false).unwrap(),
        };
        assert_eq!(with.fraction(), 0.5);
        assert_eq!(without.fraction(), 0.5);
        let full = ReachPanel {
            title: "2 units, with".into(),
            reach: reachability(8, 2, 2, true).unwrap(),
        };
        assert_eq!(full.fraction(), 1.0);
        let svg = to_svg(600, 300, |a| {
            draw_reach(a, &[with, without, full], 2, 3, &Style::default())
        })
        .unwrap();
        assert!(svg.contains("100%"));
        assert!(svg.contains("50%"));
        assert!(to_svg(10, 10, |a| draw_reach(a, &[], 2, 3, &Style::default())).is_ok());
    }
}
