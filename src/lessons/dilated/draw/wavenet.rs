//! The WaveNet 1-D tree: its levels, where it goes in an area, and drawing
//! the part inside the viewport.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::config;
use crate::draw::{err, text_style, DrawResult, Style};

use super::{chosen_color, feed_color, Viewport};

// ---------------------------------------------------------------------------
// The WaveNet 1-D tree
// ---------------------------------------------------------------------------

/// One level of the 1-D tree: the positions feeding the chosen output and their path counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeLevel {
    /// Row caption, e.g. `input`, `d = 512`.
    pub label: String,
    /// `(position, paths)` of the nodes that feed the output, in position order.
    pub nodes: Vec<(usize, u64)>,
}

/// The 1-D tree: levels from the input (0) to the output (last), and the
/// edges between consecutive levels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeView {
    /// Sequence length (positions `0..len` on every level).
    pub len: usize,
    /// Levels, input first.
    pub levels: Vec<TreeLevel>,
    /// `(level, from, to)`: node `from` on `level − 1` feeds node `to` on `level`.
    pub edges: Vec<(usize, usize, usize)>,
}

/// Where the tree goes in an area, in backend pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TreeLayout {
    /// Left of the plot (after the level captions).
    pub left: f64,
    /// Plot width.
    pub width: f64,
    /// Top of the top (output) row.
    pub top: f64,
    /// Distance between rows.
    pub row: f64,
    /// The view.
    pub view: Viewport,
    /// Rows (levels).
    pub levels: usize,
}

impl TreeLayout {
    /// The layout of `levels` rows in a `width × height` area.
    pub fn new(levels: usize, width: f64, height: f64, view: Viewport, style: &Style) -> Self {
        let left = style.px(64.0).min(width * 0.25);
        let top = style.px(14.0);
        let rows = levels.max(2) as f64 - 1.0;
        TreeLayout {
            left,
            width: (width - left - style.px(10.0)).max(1.0),
            top,
            row: ((height - top - style.px(22.0)) / rows).max(1.0),
            view,
            levels,
        }
    }

    /// Pixels per position.
    pub fn unit(&self) -> f64 {
        self.width / self.view.span().max(1e-9)
    }

    /// x of the centre of position `t`.
    pub fn x(&self, t: f64) -> f64 {
        self.left + (t + 0.5 - self.view.t0) * self.unit()
    }

    /// y of level `level` (0 = input, at the bottom).
    pub fn y(&self, level: usize) -> f64 {
        self.top + (self.levels.saturating_sub(1).saturating_sub(level)) as f64 * self.row
    }

    /// The position under screen x (continuous).
    pub fn t_at(&self, px: f64) -> f64 {
        self.view.t0 + (px - self.left) / self.unit()
    }
}

/// The part of segment `a–b` with `lo ≤ x ≤ hi`, if any.
pub fn clip_x(a: (f64, f64), b: (f64, f64), lo: f64, hi: f64) -> Option<((f64, f64), (f64, f64))> {
    let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
    if b.0 < lo || a.0 > hi {
        return None;
    }
    let at = |x: f64| {
        if (b.0 - a.0).abs() < 1e-12 {
            (x, a.1)
        } else {
            (x, a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0))
        }
    };
    let a2 = if a.0 < lo { at(lo) } else { a };
    let b2 = if b.0 > hi { at(hi) } else { b };
    Some((a2, b2))
}

/// Draws the tree in `view`: edges of the tree, its nodes (input nodes coloured
/// by path count), faint dots for the other positions when there is room, and
/// the level captions.
///
/// # Errors
/// A backend error.
pub fn draw_tree<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tree: &TreeView,
    view: Viewport,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    let (aw, ah) = area.dim_in_pixel();
    let l = TreeLayout::new(tree.levels.len(), aw as f64, ah as f64, view, style);
    let unit = l.unit();
    let (lo, hi) = (view.t0 - 1.0, view.t1 + 1.0);
    let visible = |t: usize| (t as f64) >= lo && (t as f64) <= hi;
    let plot = area.clone().shrink(
        (l.left.floor() as i32, 0),
        ((aw as f64 - l.left).max(1.0) as u32, ah),
    );
    let dx = l.left.floor();
    // Faint dots for every position when they are at least 5 css px apart.
    if unit >= style.px(5.0) {
        let r = (unit * 0.12).min(style.px(3.0)).max(1.0) as i32;
        let t_lo = lo.max(0.0) as usize;
        let t_hi = (hi.max(0.0) as usize).min(tree.len);
        for lev in 0..tree.levels.len() {
            for t in t_lo..t_hi {
                plot.draw(&Circle::new(
                    ((l.x(t as f64) - dx).round() as i32, l.y(lev).round() as i32),
                    r,
                    style.ink.muted.mix(0.5).filled(),
                ))
                .map_err(err)?;
            }
        }
    }
    // Edges of the tree.
    let edge_w = if unit >= style.px(3.0) {
        style.px(1.5)
    } else {
        style.px(1.0)
    };
    let edge = ShapeStyle {
        color: feed_color().mix(if unit >= style.px(2.0) { 0.9 } else { 0.45 }),
        filled: false,
        stroke_width: edge_w.round().max(1.0) as u32,
    };
    for &(lev, from, to) in &tree.edges {
        if lev == 0 || !(visible(from) || visible(to)) {
            continue;
        }
        let a = (l.x(from as f64) - dx, l.y(lev - 1));
        let b = (l.x(to as f64) - dx, l.y(lev));
        let Some((a, b)) = clip_x(a, b, 0.0, l.width + style.px(8.0)) else {
            continue;
        };
        plot.draw(&PathElement::new(
            vec![
                (a.0.round() as i32, a.1.round() as i32),
                (b.0.round() as i32, b.1.round() as i32),
            ],
            edge,
        ))
        .map_err(err)?;
    }
    // Nodes of the tree; input nodes by path count.
    let max = tree
        .levels
        .first()
        .and_then(|f| f.nodes.iter().map(|n| n.1).max())
        .unwrap_or(1)
        .max(1) as f64;
    let r = (unit * 0.32).min(style.px(9.0)).max(style.px(1.5)).max(1.0) as i32;
    for (lev, level) in tree.levels.iter().enumerate() {
        for &(t, p) in &level.nodes {
            if !visible(t) {
                continue;
            }
            let color = if lev == 0 {
                config::viridis(0.15 + 0.85 * p as f64 / max)
            } else if lev + 1 == tree.levels.len() {
                chosen_color()
            } else {
                feed_color()
            };
            plot.draw(&Circle::new(
                ((l.x(t as f64) - dx).round() as i32, l.y(lev).round() as i32),
                r,
                color.filled(),
            ))
            .map_err(err)?;
        }
    }
    // Captions.
    let font = style.font_px() * 0.85;
    for (lev, level) in tree.levels.iter().enumerate() {
        area.draw_text(
            &level.label,
            &text_style(font, style.ink.text, Pos::new(HPos::Right, VPos::Center)),
            (
                (l.left - style.px(8.0)).round() as i32,
                l.y(lev).round() as i32,
            ),
        )
        .map_err(err)?;
    }
    // Position ticks at the bottom.
    let bottom = (ah as f64 - style.px(4.0)).round() as i32;
    // The first and last ticks align to their end of the axis, so neither runs
    // off the figure (a centred "t = 1023" under the last input did).
    let ends = [
        (view.t0, HPos::Left),
        ((view.t0 + view.t1) / 2.0, HPos::Center),
        (view.t1 - 1.0, HPos::Right),
    ];
    for (t, h) in ends {
        let t = t.max(0.0).floor();
        area.draw_text(
            &format!("t = {t}"),
            &text_style(font, style.ink.muted, Pos::new(h, VPos::Bottom)),
            (l.x(t).round() as i32, bottom),
        )
        .map_err(err)?;
    }
    Ok(())
}
