//! Drawing for the ShiftNet lesson: the `k²` channel groups of the picked
//! input, each in the place of its direction, before or after its shift, with
//! an arrow along that direction. The values and offsets come in through the
//! view model (from `convlab_core::ops::shift`); nothing here moves data.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::config;
use crate::draw::{err, text_style, DrawResult, Style};

/// One direction group: its offset, channels, and the first channel before and after the shift.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupPanel {
    /// Group index (raster order of the window).
    pub group: usize,
    /// Offset `(dy, dx)`: content moves `dy` rows down and `dx` columns right.
    pub offset: (isize, isize),
    /// First channel and number of channels of the group.
    pub channels: (usize, usize),
    /// The group's first channel before the shift, row-major `h × w`.
    pub before: Vec<f32>,
    /// The same channel after the shift.
    pub after: Vec<f32>,
}

/// Everything [`draw_groups`] needs.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftView {
    /// Window side `k`.
    pub k: usize,
    /// Map rows.
    pub h: usize,
    /// Map columns.
    pub w: usize,
    /// The `k²` groups, in group order.
    pub panels: Vec<GroupPanel>,
    /// Value range for the grey scale.
    pub range: (f32, f32),
}

/// The panel slot `(row, col)` of an offset in a `k×k` window (the centre is `(r, r)`).
pub fn slot_of(offset: (isize, isize), k: usize) -> Option<(usize, usize)> {
    let r = (k / 2) as isize;
    let (row, col) = (offset.0 + r, offset.1 + r);
    (row >= 0 && col >= 0 && (row as usize) < k && (col as usize) < k)
        .then_some((row as usize, col as usize))
}

/// Whether group `g` is drawn shifted at `frame` (frame `f` has groups `0..f` shifted).
pub fn is_shifted(group: usize, frame: usize) -> bool {
    group < frame
}

fn grey(v: f32, (lo, hi): (f32, f32)) -> RGBColor {
    let span = hi - lo;
    let t = if span > 0.0 && v.is_finite() {
        ((v - lo) / span).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let g = (20.0 + 225.0 * t).round() as u8;
    RGBColor(g, g, g)
}

/// Draws the groups in a `k×k` arrangement by direction: each panel shows the
/// group's first channel (after its shift once `frame` passes it), framed and
/// captioned in the group's colour, with an arrow along its offset.
///
/// # Errors
/// A panel whose maps are not `h × w`, or a backend error.
pub fn draw_groups<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &ShiftView,
    frame: usize,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    let (aw, ah) = area.dim_in_pixel();
    let k = view.k.max(1);
    let n = view.h * view.w;
    let caption = style.font_px() * 1.5;
    let gap = style.px(10.0);
    let slot_w = (aw as f64 - gap * (k as f64 - 1.0)) / k as f64;
    // The bottom row's frame (up to 3 px, drawn centred on the map's edge) stays inside too.
    let slot_h = (ah as f64 - gap * (k as f64 - 1.0) - style.px(3.0)) / k as f64;
    let cell =
        ((slot_w / view.w.max(1) as f64).min((slot_h - caption) / view.h.max(1) as f64)).max(0.5);
    let map_w = cell * view.w as f64;
    let map_h = cell * view.h as f64;
    let total_w = map_w * k as f64 + gap * (k as f64 - 1.0);
    let left = ((aw as f64 - total_w) / 2.0).max(0.0);
    for p in &view.panels {
        if p.before.len() != n || p.after.len() != n {
            return Err(format!(
                "group {} has {} and {} values, not {}×{}",
                p.group,
                p.before.len(),
                p.after.len(),
                view.h,
                view.w
            ));
        }
        let Some((row, col)) = slot_of(p.offset, k) else {
            continue;
        };
        let x0 = left + col as f64 * (map_w + gap);
        let y0 = row as f64 * (slot_h + gap) + caption;
        let color = config::group_color(p.group);
        let shifted = is_shifted(p.group, frame);
        let data = if shifted { &p.after } else { &p.before };
        // Cell edges computed once, so neighbouring cells share them (an edge
        // computed twice can round apart and leave a line of background).
        let xs: Vec<i32> = (0..=view.w)
            .map(|x| (x0 + x as f64 * cell).round() as i32)
            .collect();
        let ys: Vec<i32> = (0..=view.h)
            .map(|y| (y0 + y as f64 * cell).round() as i32)
            .collect();
        for y in 0..view.h {
            for x in 0..view.w {
                let v = data[y * view.w + x];
                area.draw(&Rectangle::new(
                    [(xs[x], ys[y]), (xs[x + 1], ys[y + 1])],
                    grey(v, view.range).filled(),
                ))
                .map_err(err)?;
            }
        }
        let bw = style.px(if shifted { 3.0 } else { 1.5 });
        area.draw(&Rectangle::new(
            [
                (
                    (x0 - bw / 2.0).round() as i32,
                    (y0 - bw / 2.0).round() as i32,
                ),
                (
                    (x0 + map_w + bw / 2.0).round() as i32,
                    (y0 + map_h + bw / 2.0).round() as i32,
                ),
            ],
            ShapeStyle {
                color: color.to_rgba(),
                filled: false,
                stroke_width: bw.round().max(1.0) as u32,
            },
        ))
        .map_err(err)?;
        let (dy, dx) = p.offset;
        let full = if p.offset == (0, 0) {
            format!("g{} stays", p.group)
        } else {
            format!("g{} ({dy:+}, {dx:+})", p.group)
        };
        // The offset in the label when it fits over the map (a small card has
        // room for the group only; the arrow shows the offset anyway).
        let font = text_style(
            style.font_px() * 0.9,
            style.ink.text,
            Pos::new(HPos::Left, VPos::Bottom),
        );
        let room = map_w + gap * 0.6;
        let fits = |s: &str| {
            area.estimate_text_size(s, &font)
                .map(|(w, _)| f64::from(w) <= room)
                .unwrap_or(false)
        };
        let label = if fits(&full) {
            full
        } else {
            format!("g{}", p.group)
        };
        area.draw_text(
            &label,
            &font,
            (x0.round() as i32, (y0 - style.px(3.0)).round() as i32),
        )
        .map_err(err)?;
        // The arrow along the offset, from the panel's centre.
        let (cx, cy) = (x0 + map_w / 2.0, y0 + map_h / 2.0);
        let stroke = ShapeStyle {
            color: color.to_rgba(),
            filled: true,
            stroke_width: style.px(4.0).round().max(1.0) as u32,
        };
        if p.offset == (0, 0) {
            area.draw(&Circle::new(
                (cx.round() as i32, cy.round() as i32),
                style.px(6.0).round() as i32,
                color.filled(),
            ))
            .map_err(err)?;
            continue;
        }
        let len = (dx as f64).hypot(dy as f64).max(1e-9);
        let (ux, uy) = (dx as f64 / len, dy as f64 / len);
        let reach = map_w.min(map_h) * 0.32;
        let (tx, ty) = (cx + ux * reach, cy + uy * reach);
        let (bx, by) = (cx - ux * reach * 0.4, cy - uy * reach * 0.4);
        area.draw(&PathElement::new(
            vec![
                (bx.round() as i32, by.round() as i32),
                (tx.round() as i32, ty.round() as i32),
            ],
            stroke,
        ))
        .map_err(err)?;
        let head = style.px(12.0).min(reach * 0.6);
        let (px, py) = (-uy, ux);
        area.draw(&Polygon::new(
            vec![
                (
                    (tx + ux * head * 0.6).round() as i32,
                    (ty + uy * head * 0.6).round() as i32,
                ),
                (
                    (tx - ux * head * 0.4 + px * head * 0.6).round() as i32,
                    (ty - uy * head * 0.4 + py * head * 0.6).round() as i32,
                ),
                (
                    (tx - ux * head * 0.4 - px * head * 0.6).round() as i32,
                    (ty - uy * head * 0.4 - py * head * 0.6).round() as i32,
                ),
            ],
            color.filled(),
        ))
        .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::draw::to_svg;

    fn view() -> ShiftView {
        let offsets = [
            (-1, -1),
            (-1, 0),
            (-1, 1),
            (0, -1),
            (0, 0),
            (0, 1),
            (1, -1),
            (1, 0),
            (1, 1),
        ];
        ShiftView {
            k: 3,
            h: 4,
            w: 4,
            panels: offsets
                .iter()
                .enumerate()
                .map(|(g, &o)| GroupPanel {
                    group: g,
                    offset: o,
                    channels: (g, 1),
                    before: vec![1.0; 16],
                    after: vec![0.5; 16],
                })
                .collect(),
            range: (0.0, 1.0),
        }
    }

    #[test]
    fn slots_follow_offsets() {
        assert_eq!(slot_of((-1, -1), 3), Some((0, 0)));
        assert_eq!(slot_of((0, 0), 3), Some((1, 1)));
        assert_eq!(slot_of((2, 2), 5), Some((4, 4)));
        assert_eq!(slot_of((2, 0), 3), None);
        assert!(is_shifted(0, 1) && !is_shifted(1, 1));
    }

    #[test]
    fn draws_every_group_with_its_arrow() {
        let svg = to_svg(600, 600, |a| draw_groups(a, &view(), 4, &Style::default())).unwrap();
        // 9 panels × 16 cells + 9 frames (+ background).
        assert!(
            svg.matches("<rect").count() >= 9 * 17,
            "{}",
            svg.matches("<rect").count()
        );
        // 8 arrows (shaft + head) and one dot for the centre.
        assert_eq!(svg.matches("<polyline").count(), 8);
        assert_eq!(svg.matches("<polygon").count(), 8);
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(svg.contains("g4 stays"));
        assert!(svg.contains("g0 (-1, -1)"));
        // Shifted groups (0..4) show the "after" grey, the others the "before" white-ish grey.
        let after = css_fill(grey(0.5, (0.0, 1.0)));
        let before = css_fill(grey(1.0, (0.0, 1.0)));
        assert_eq!(svg.matches(&after).count(), 4 * 16);
        assert_eq!(svg.matches(&before).count(), 5 * 16);
    }

    #[test]
    fn every_panel_fits_a_small_card() {
        // A home card's thumbnail (16:9) at 1× and 2× pixel ratios.
        for (w, h, dpr) in [(296u32, 166u32, 1.0), (592, 332, 2.0), (260, 146, 1.0)] {
            let style = Style::new(crate::config::Theme::Light, dpr);
            let svg = to_svg(w, h, |a| draw_groups(a, &view(), 4, &style)).unwrap();
            let bottom = lowest_edge(&svg);
            assert!(
                bottom <= f64::from(h) + 1.0,
                "{w}×{h}: a panel ends at {bottom}"
            );
        }
    }

    /// The lowest edge any rectangle of `svg` reaches (after the background),
    /// a frame's stroke included (half its width past its rectangle).
    pub(crate) fn lowest_edge(svg: &str) -> f64 {
        svg.split("<rect")
            .skip(2)
            .map(|r| {
                let attr = |k: &str| -> f64 {
                    let at = r.find(&format!(" {k}=\"")).unwrap() + k.len() + 3;
                    r[at..at + r[at..].find('"').unwrap()].parse().unwrap()
                };
                let stroke = r
                    .find(" stroke-width=\"")
                    .map_or(0.0, |_| attr("stroke-width"));
                attr("y") + attr("height") + stroke / 2.0
            })
            .fold(0.0, f64::max)
    }

    fn css_fill(c: RGBColor) -> String {
        format!("fill=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2)
    }

    #[test]
    fn rejects_wrong_sizes() {
        let mut v = view();
        v.panels[2].after.pop();
        assert!(to_svg(100, 100, |a| draw_groups(a, &v, 0, &Style::default())).is_err());
    }
}
