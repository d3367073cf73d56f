//! Drawings of the Ghost lesson, generic over the plotters backend: the
//! output maps grouped by their source (one block per intrinsic map: the map,
//! then its ghosts), and the ratio-vs-s chart data.
//!
//! ```text
//!  ┃intrinsic 0┃ → ghost → ghost     ┃intrinsic 1┃ → ghost → ghost
//!  (one colour per source; ghosts trimmed away past n are crossed out)
//! ```

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::model::{ratio_series, SourceGroup};
use super::state::GhostState;
use crate::config;
use crate::draw::chart::{LineChart, Series};
use crate::draw::heatmap::{draw_tensor, HeatmapOptions, Palette, TensorLayout};
use crate::draw::{err, text_style, DrawResult, Style};

/// A rectangle `(x0, y0, x1, y1)` in backend pixels.
pub type Rect = (f64, f64, f64, f64);

/// Where the tiles go: per source block, its `s` tile rectangles (intrinsic first).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupsLayout {
    /// Per block, the tiles.
    pub blocks: Vec<Vec<Rect>>,
    /// Side of one tile.
    pub side: f64,
    /// Height of the label strip above each row.
    pub label: f64,
}

/// Lays out `m` blocks of `s` tiles in `width × height`, choosing the number
/// of blocks per row that gives the largest tiles.
pub fn groups_layout(m: usize, s: usize, width: f64, height: f64, style: &Style) -> GroupsLayout {
    let (m, s) = (m.max(1), s.max(1));
    let gi = style.px(5.0);
    let gb = style.px(18.0);
    let gr = style.px(10.0);
    let label = style.font_px() * 1.4;
    let mut best = (1usize, 0.0f64);
    for b in 1..=m {
        let rows = m.div_ceil(b);
        let tw = (width - (b as f64 - 1.0) * gb - (b * (s - 1)) as f64 * gi) / (b * s) as f64;
        let th = (height - rows as f64 * label - (rows as f64 - 1.0) * gr) / rows as f64;
        let t = tw.min(th);
        if t > best.1 + 1e-9 {
            best = (b, t);
        }
    }
    let (b, side) = (best.0, best.1.max(0.0).min(style.px(120.0)).floor());
    let block_w = s as f64 * side + (s - 1) as f64 * gi;
    let blocks = (0..m)
        .map(|j| {
            let (col, row) = ((j % b) as f64, (j / b) as f64);
            let x0 = col * (block_w + gb);
            let y0 = label + row * (side + label + gr);
            (0..s)
                .map(|i| {
                    let x = x0 + i as f64 * (side + gi);
                    (x, y0, x + side, y0 + side)
                })
                .collect()
        })
        .collect();
    GroupsLayout {
        blocks,
        side,
        label,
    }
}

/// Draws the output maps grouped by source: each block is an intrinsic map
/// (thick frame in its source's colour) followed by its ghosts (thin frame,
/// same colour); ghosts past `n` are crossed out.
///
/// # Errors
/// A backend error.
pub fn draw_groups<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    groups: &[SourceGroup],
    s: usize,
    palette: Palette,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    if groups.is_empty() {
        return Ok(());
    }
    let (w, h) = area.dim_in_pixel();
    let l = groups_layout(groups.len(), s, w as f64, h as f64, style);
    if l.side < 3.0 {
        return Ok(());
    }
    let ink = style.ink;
    let font = style.font_px();
    let pi = |x: f64, y: f64| (x.round() as i32, y.round() as i32);
    for (g, rects) in groups.iter().zip(&l.blocks) {
        let color = config::group_color(g.source);
        let tiles = std::iter::once((&g.intrinsic, Some(g.source)))
            .chain(g.ghosts.iter().map(|(t, o)| (t, *o)));
        for (i, ((t, out), r)) in tiles.zip(rects).enumerate() {
            let sub = area
                .clone()
                .shrink(pi(r.0, r.1), ((r.2 - r.0) as u32, (r.3 - r.1) as u32));
            let layout = TensorLayout::new(
                t.shape(),
                0,
                r.2 - r.0,
                r.3 - r.1,
                style.scale,
                false,
                false,
            );
            let opts = HeatmapOptions {
                palette,
                ..Default::default()
            };
            draw_tensor(&sub, t, &layout, &opts, style)?;
            let width = if i == 0 { style.px(4.0) } else { style.px(2.0) };
            area.draw(&Rectangle::new(
                [
                    pi(r.0 - width / 2.0, r.1 - width / 2.0),
                    pi(r.2 + width / 2.0, r.3 + width / 2.0),
                ],
                ShapeStyle {
                    color: color.to_rgba(),
                    filled: false,
                    stroke_width: width.round().max(1.0) as u32,
                },
            ))
            .map_err(err)?;
            if out.is_none() {
                area.draw(&Rectangle::new(
                    [pi(r.0, r.1), pi(r.2, r.3)],
                    ink.background.mix(0.7).filled(),
                ))
                .map_err(err)?;
                for (a, b) in [((r.0, r.1), (r.2, r.3)), ((r.0, r.3), (r.2, r.1))] {
                    area.draw(&PathElement::new(
                        vec![pi(a.0, a.1), pi(b.0, b.1)],
                        ink.muted.stroke_width(style.px(2.0) as u32),
                    ))
                    .map_err(err)?;
                }
            }
            if l.side >= style.px(28.0) {
                let text = match (i, out) {
                    (0, _) => format!("#{}", g.source),
                    (_, Some(o)) => format!("#{o}"),
                    (_, None) => "trimmed".to_string(),
                };
                area.draw_text(
                    &text,
                    &text_style(
                        (font * 0.85).min(l.label * 0.8),
                        if i == 0 { ink.text } else { ink.muted },
                        Pos::new(HPos::Left, VPos::Bottom),
                    ),
                    pi(r.0, r.1 - style.px(3.0)),
                )
                .map_err(err)?;
            }
        }
    }
    Ok(())
}

/// The ratio-vs-s chart for the current `c`, `k`, `d`, with the current `s` marked.
///
/// # Errors
/// The kernel crate's message.
pub fn ratio_chart(st: &GhostState) -> Result<LineChart, String> {
    let [exact, approx, line] = ratio_series(st).map_err(|e| e.to_string())?;
    let mark = exact
        .iter()
        .find(|p| p.0 == st.s as f64)
        .copied()
        .unwrap_or((st.s as f64, 1.0));
    Ok(LineChart {
        title: format!(
            "speed-up = compression vs s (c = {}, k = {}, d = {})",
            st.c, st.k, st.d
        ),
        x_label: "s".into(),
        y_label: "ratio".into(),
        series: vec![
            Series {
                name: "exact c\u{b7}k\u{b2} / (c\u{b7}k\u{b2}/s + (s\u{2212}1)/s\u{b7}d\u{b2})"
                    .into(),
                color: config::group_color(4),
                points: exact,
                dots: false,
            },
            Series {
                name: "\u{2248} s\u{b7}c/(s+c\u{2212}1)".into(),
                color: config::group_color(0),
                points: approx,
                dots: false,
            },
            Series {
                name: "\u{2248} s".into(),
                color: config::group_color(7),
                points: line,
                dots: false,
            },
        ],
        marks: vec![(mark.0, mark.1, config::group_color(5))],
        log_y: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::chart::line_chart;
    use crate::draw::to_svg;
    use crate::lessons::ghost::model::compute;
    use convlab_core::Tensor;

    #[test]
    fn layout_fits_and_does_not_overlap() {
        let style = Style::default();
        for (m, s, w, h) in [
            (8, 2, 800.0, 360.0),
            (1, 8, 800.0, 360.0),
            (64, 1, 360.0, 360.0),
            (13, 5, 900.0, 300.0),
        ] {
            let l = groups_layout(m, s, w, h, &style);
            assert_eq!(l.blocks.len(), m);
            let all: Vec<Rect> = l.blocks.iter().flatten().copied().collect();
            assert_eq!(all.len(), m * s);
            assert!(l.side >= 8.0, "{m} {s}: {}", l.side);
            for (i, a) in all.iter().enumerate() {
                assert!(a.2 <= w + 0.5 && a.3 <= h + 0.5, "{a:?} outside");
                for b in &all[..i] {
                    assert!(
                        a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1,
                        "{a:?} overlaps {b:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn groups_svg_marks_trimmed_ghosts() {
        let st = GhostState {
            c: 4,
            n: 5,
            k: 1,
            s: 3,
            d: 3,
            bias: true,
            input: Default::default(),
        };
        let v = compute(&st, &Tensor::random(4, 8, 8, 2).unwrap()).unwrap();
        let svg = to_svg(800, 300, |a| {
            draw_groups(
                a,
                &v.groups,
                st.s,
                Palette::Diverging(None),
                &Style::default(),
            )
        })
        .unwrap()
        .replace('\n', "");
        // m = 2 blocks of 3; n = 5 keeps one of the last block's ghosts.
        assert!(svg.contains(">#0<") && svg.contains(">#1<"));
        assert_eq!(svg.matches(">trimmed<").count(), 1);
        assert!(to_svg(10, 10, |a| draw_groups(
            a,
            &v.groups,
            st.s,
            Palette::default(),
            &Style::default()
        ))
        .is_ok());
    }

    #[test]
    fn ratio_chart_marks_current_s_on_the_exact_curve() {
        let st = GhostState {
            c: 16,
            n: 16,
            k: 1,
            s: 2,
            d: 3,
            bias: true,
            input: Default::default(),
        };
        let c = ratio_chart(&st).unwrap();
        assert_eq!(c.series.len(), 3);
        assert_eq!(format!("{:.2}", c.marks[0].1), "1.28");
        let svg = to_svg(600, 300, |a| line_chart(a, &c, &Style::default())).unwrap();
        assert!(svg.contains("<svg"));
    }
}
