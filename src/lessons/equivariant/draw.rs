//! Drawings of the equivariance lesson, generic over the plotters backend:
//! the p4m orbit (a 2×4 grid of tiles with the group's structure), and the
//! permutation of the maps when the input is transformed (old row → new row).
//!
//! ```text
//!            0°      90°     180°    270°
//!  no flip  [w] r→  [rw] r→ [r²w] r→ [r³w]      r: turn 90° counter-clockwise
//!            ↓f       ↓f      ↓f      ↓f         f: mirror left–right first
//!  flip     [wf] r→ [rwf] …
//! ```

use convlab_core::{Tensor, D4};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::config;
use crate::draw::heatmap::{draw_tensor, HeatmapOptions, Palette, TensorLayout};
use crate::draw::{err, text_style, DrawResult, Style};

/// A rectangle `(x0, y0, x1, y1)` in backend pixels.
pub type Rect = (f64, f64, f64, f64);

/// Where the tiles of a `rows × 4` orbit grid go.
#[derive(Clone, Debug, PartialEq)]
pub struct GridLayout {
    /// Tile rectangles, in [`D4::ALL`] order (4 or 8).
    pub tiles: Vec<Rect>,
    /// Side of a tile.
    pub side: f64,
    /// Width of the row-label column.
    pub row_label: f64,
    /// Height of the column-label strip.
    pub col_label: f64,
    /// Gap between tiles (room for the structure arrows).
    pub gap: f64,
}

/// Lays out `order` (4 or 8) square tiles as the orbit grid in `width × height`.
pub fn grid_layout(order: usize, width: f64, height: f64, style: &Style) -> GridLayout {
    let rows = if order > 4 { 2 } else { 1 };
    let font = style.font_px();
    let row_label = font * 4.2;
    let col_label = font * 1.8;
    let gap = (font * 1.9).max(style.px(14.0));
    // Right of the last column: room for its "r→0°" (the turn back to the first).
    let side_w = (width - row_label - 3.0 * gap - font * 2.6) / 4.0;
    let side_h = (height - col_label - (rows as f64 - 1.0) * gap - style.px(4.0)) / rows as f64;
    let side = side_w.min(side_h).max(0.0).floor();
    let mut tiles = Vec::with_capacity(order);
    for g in D4::ALL.iter().take(order.min(8)) {
        let (col, row) = (g.rotation as f64, f64::from(u8::from(g.flip)));
        let x0 = row_label + col * (side + gap);
        let y0 = col_label + row * (side + gap);
        tiles.push((x0, y0, x0 + side, y0 + side));
    }
    GridLayout {
        tiles,
        side,
        row_label,
        col_label,
        gap,
    }
}

fn draw_tile<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Tensor,
    r: Rect,
    palette: Palette,
    frame: Option<(RGBColor, f64)>,
    style: &Style,
) -> DrawResult {
    let (w, h) = ((r.2 - r.0).max(1.0), (r.3 - r.1).max(1.0));
    let sub = area.clone().shrink(
        (r.0.round() as i32, r.1.round() as i32),
        (w.round() as u32, h.round() as u32),
    );
    let layout = TensorLayout::new(t.shape(), 0, w, h, style.scale, false, false);
    let opts = HeatmapOptions {
        palette,
        ..Default::default()
    };
    draw_tensor(&sub, t, &layout, &opts, style)?;
    if let Some((color, width)) = frame {
        let used = layout.cell * t.width() as f64;
        let usedh = layout.cell * t.height() as f64;
        let (ox, oy) = layout.origin;
        let inset = width / 2.0;
        area.draw(&Rectangle::new(
            [
                (
                    (r.0 + ox - inset).round() as i32,
                    (r.1 + oy - inset).round() as i32,
                ),
                (
                    (r.0 + ox + used + inset).round() as i32,
                    (r.1 + oy + usedh + inset).round() as i32,
                ),
            ],
            ShapeStyle {
                color: color.to_rgba(),
                filled: false,
                stroke_width: width.round().max(1.0) as u32,
            },
        ))
        .map_err(err)?;
    }
    Ok(())
}

fn arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: (f64, f64),
    to: (f64, f64),
    color: RGBColor,
    width: f64,
    head: f64,
) -> DrawResult {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.0 {
        return Ok(());
    }
    let (ux, uy) = (dx / len, dy / len);
    let base = (to.0 - ux * head, to.1 - uy * head);
    let p = |x: f64, y: f64| (x.round() as i32, y.round() as i32);
    area.draw(&PathElement::new(
        vec![p(from.0, from.1), p(base.0, base.1)],
        ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: width.round().max(1.0) as u32,
        },
    ))
    .map_err(err)?;
    let half = head * 0.55;
    area.draw(&Polygon::new(
        vec![
            p(to.0, to.1),
            p(base.0 - uy * half, base.1 + ux * half),
            p(base.0 + uy * half, base.1 - ux * half),
        ],
        color.filled(),
    ))
    .map_err(err)
}

/// A structure arrow of the orbit grid: applying `op` (r, a quarter turn, or f, the mirror)
/// to the tile at `from` gives the tile at `to` (indices in [`D4::ALL`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrbitArrow {
    pub from: usize,
    pub to: usize,
    pub op: D4,
    pub label: &'static str,
}

/// The arrows the orbit grid of `n` tiles (4: p4, 8: p4m) draws: r from every tile, and f from
/// every unflipped tile when the mirrored row is there. Tile `i` is `D4::ALL[i]·w`, so `op`
/// takes it to `(op ∘ D4::ALL[i])·w` — for f under 90° and 270° that is the other column
/// (f·r = r⁻¹·f), which the figure says in words instead of an arrow.
pub fn orbit_arrows(n: usize) -> Vec<OrbitArrow> {
    let r = D4::rotation(1);
    let mut out = Vec::new();
    for (i, g) in D4::ALL.iter().copied().enumerate().take(n.min(8)) {
        out.push(OrbitArrow {
            from: i,
            to: r.compose(g).index(),
            op: r,
            label: "r",
        });
        if n == 8 && !g.flip {
            out.push(OrbitArrow {
                from: i,
                to: D4::FLIP.compose(g).index(),
                op: D4::FLIP,
                label: "f",
            });
        }
    }
    out
}

/// The column header of rotation `r` and the row header of `flip`.
pub fn headers(g: D4) -> (String, &'static str) {
    (
        format!("{}\u{b0}", u32::from(g.rotation) * 90),
        if g.flip { "flip" } else { "no flip" },
    )
}

/// Draws `tiles` (one per group element, [`D4::ALL`] order, 4 or 8) as the
/// orbit grid: rotations along a row, the mirrored copies below, arrows `r`
/// (turn 90°) between columns and `f` (mirror first) between rows. The tile
/// at `mark` gets a thick frame. `arrows`: draw the structure arrows (true of the filters,
/// `D4::ALL[i]·w`; not of feature maps laid out in the same grid).
///
/// # Errors
/// No tiles, more than 8, or a backend error.
pub fn draw_orbit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tiles: &[Tensor],
    palette: Palette,
    mark: Option<usize>,
    arrows: bool,
    style: &Style,
) -> DrawResult {
    if tiles.is_empty() || tiles.len() > 8 {
        return Err(format!("the orbit has 4 or 8 tiles, not {}", tiles.len()));
    }
    area.fill(&style.ink.background).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    let l = grid_layout(tiles.len(), w as f64, h as f64, style);
    if l.side < 4.0 {
        return Ok(());
    }
    let font = style.font_px();
    let ink = style.ink;
    let label = |s: &str, x: f64, y: f64, pos: Pos, size: f64, color: RGBColor| {
        area.draw_text(
            s,
            &text_style(size, color, pos),
            (x.round() as i32, y.round() as i32),
        )
        .map_err(err)
    };
    for (i, (t, r)) in tiles.iter().zip(&l.tiles).enumerate() {
        let g = D4::ALL[i];
        let frame = if mark == Some(i) {
            Some((ink.focus, style.px(3.0)))
        } else {
            Some((config::group_color(i), style.px(2.0)))
        };
        draw_tile(area, t, *r, palette, frame, style)?;
        let (col, row) = headers(g);
        if !g.flip {
            label(
                &col,
                (r.0 + r.2) / 2.0,
                l.col_label / 2.0,
                Pos::new(HPos::Center, VPos::Center),
                font,
                ink.text,
            )?;
        }
        if g.rotation == 0 {
            label(
                row,
                l.row_label - style.px(6.0),
                (r.1 + r.3) / 2.0,
                Pos::new(HPos::Right, VPos::Center),
                font,
                ink.text,
            )?;
        }
    }
    if !arrows {
        return Ok(());
    }
    let head = (l.gap * 0.35).max(style.px(5.0));
    for a in orbit_arrows(tiles.len()) {
        let Some(from) = l.tiles.get(a.from).filter(|_| a.to < l.tiles.len()) else {
            continue;
        };
        let (g, t) = (D4::ALL[a.from], D4::ALL[a.to]);
        let (cx, cy) = ((from.0 + from.2) / 2.0, (from.1 + from.3) / 2.0);
        if a.label == "r" && t.rotation == g.rotation + 1 {
            // To the next column: an arrow across the gap.
            let (x0, x1) = (from.2 + style.px(2.0), from.2 + l.gap - style.px(2.0));
            arrow(area, (x0, cy), (x1, cy), ink.muted, style.px(1.5), head)?;
            label(
                "r",
                (x0 + x1) / 2.0,
                cy - style.px(4.0),
                Pos::new(HPos::Center, VPos::Bottom),
                font * 0.9,
                ink.muted,
            )?;
        } else if a.label == "r" {
            // The last column turns back to the first.
            label(
                "r\u{2192}0\u{b0}",
                from.2 + style.px(3.0),
                cy,
                Pos::new(HPos::Left, VPos::Center),
                font * 0.8,
                ink.muted,
            )?;
        } else if t.rotation == g.rotation {
            // The mirror of this cell is the cell below it.
            let (y0, y1) = (from.3 + style.px(2.0), from.3 + l.gap - style.px(2.0));
            arrow(area, (cx, y0), (cx, y1), ink.muted, style.px(1.5), head)?;
            label(
                "f",
                cx + style.px(6.0),
                (y0 + y1) / 2.0,
                Pos::new(HPos::Left, VPos::Center),
                font * 0.9,
                ink.muted,
            )?;
        } else {
            // f·r^k = r^-k·f: the mirror of this cell sits in another column; say which.
            let (col, _) = headers(t);
            label(
                &format!("f\u{2192}{col}"),
                cx,
                from.3 + l.gap / 2.0,
                Pos::new(HPos::Center, VPos::Center),
                font * 0.8,
                ink.muted,
            )?;
        }
    }
    Ok(())
}

/// The name of `D4::ALL[i]` over its tile: "f+90°", or "f90°" when `short`.
fn tile_name(i: usize, short: bool) -> String {
    let name = D4::ALL[i].label().replace("flip + ", "f+");
    if short {
        name.replace('+', "")
    } else {
        name
    }
}

/// Where the old and new rows of the permutation figure go: `n` tiles per row.
pub fn permutation_layout(
    n: usize,
    width: f64,
    height: f64,
    style: &Style,
) -> (Vec<Rect>, Vec<Rect>) {
    let n = n.max(1);
    let font = style.font_px();
    // Room for the row names ("maps of h·x") left of the tiles.
    let label_w = font * 7.0;
    let gap = style.px(6.0);
    let tile_h_label = font * 1.5;
    let arrows = (height * 0.28).max(font * 3.0);
    let side_w = (width - label_w - gap * (n as f64 - 1.0)) / n as f64;
    let side_h = (height - arrows - 2.0 * tile_h_label) / 2.0;
    let side = side_w.min(side_h).max(0.0).floor();
    let row = |top: f64| -> Vec<Rect> {
        (0..n)
            .map(|i| {
                let x0 = label_w + i as f64 * (side + gap);
                (x0, top, x0 + side, top + side)
            })
            .collect()
    };
    let top_old = tile_h_label;
    let top_new = tile_h_label + side + arrows + tile_h_label;
    (row(top_old), row(top_new))
}

/// The equivariance check as a picture: the maps of `x` on top, the maps of
/// `h·x` below, and an arrow from old map `perm[g]` to new map `g` in the
/// old map's colour (new map `g` is old map `perm[g]`, transformed by `h`).
///
/// # Errors
/// Rows of different lengths, a permutation that does not fit, or a backend error.
pub fn draw_permutation<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    old: &[Tensor],
    new: &[Tensor],
    perm: &[usize],
    palette: Palette,
    style: &Style,
) -> DrawResult {
    let n = old.len();
    if n == 0 || new.len() != n || perm.len() != n || perm.iter().any(|&p| p >= n) {
        return Err(format!(
            "the permutation figure needs equal rows and a permutation of them ({} old, {} new, {} indices)",
            n,
            new.len(),
            perm.len()
        ));
    }
    area.fill(&style.ink.background).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    let (top, bottom) = permutation_layout(n, w as f64, h as f64, style);
    if top[0].2 - top[0].0 < 4.0 {
        return Ok(());
    }
    let ink = style.ink;
    let font = style.font_px();
    let text = |s: &str, x: f64, y: f64, pos: Pos, color: RGBColor, size: f64| {
        area.draw_text(
            s,
            &text_style(size, color, pos),
            (x.round() as i32, y.round() as i32),
        )
        .map_err(err)
    };
    // Tile names fit their column: "f+90°", else "f90°", at a smaller size if need be.
    let column = top[0].2 - top[0].0 + style.px(6.0) - style.px(2.0);
    let widest = |size: f64, short: bool| {
        (0..n)
            .filter_map(|i| {
                let s = tile_name(i, short);
                area.estimate_text_size(&s, &text_style(size, ink.text, Pos::default()))
                    .ok()
                    .map(|(w, _)| f64::from(w))
            })
            .fold(0.0, f64::max)
    };
    let full = font * 0.85;
    let short = widest(full, false) > column;
    let name_size = match widest(full, short) {
        w if w > column => (full * column / w).max(font * 0.55),
        _ => full,
    };
    let name = |i: usize| tile_name(i, short);
    for i in 0..n {
        let c = config::group_color(i);
        draw_tile(
            area,
            &old[i],
            top[i],
            palette,
            Some((c, style.px(2.0))),
            style,
        )?;
        let src = perm[i];
        draw_tile(
            area,
            &new[i],
            bottom[i],
            palette,
            Some((config::group_color(src), style.px(2.0))),
            style,
        )?;
        text(
            &name(i),
            (top[i].0 + top[i].2) / 2.0,
            top[i].1 - style.px(3.0),
            Pos::new(HPos::Center, VPos::Bottom),
            ink.text,
            name_size,
        )?;
        text(
            &name(i),
            (bottom[i].0 + bottom[i].2) / 2.0,
            bottom[i].1 - style.px(3.0),
            Pos::new(HPos::Center, VPos::Bottom),
            ink.text,
            name_size,
        )?;
    }
    for (g, &src) in perm.iter().enumerate() {
        let from = ((top[src].0 + top[src].2) / 2.0, top[src].3 + style.px(3.0));
        let to = ((bottom[g].0 + bottom[g].2) / 2.0, bottom[g].1 - font * 1.3);
        arrow(
            area,
            from,
            to,
            config::group_color(src),
            style.px(2.5),
            style.px(9.0),
        )?;
    }
    let mid = |r: &Rect| (r.1 + r.3) / 2.0;
    text(
        "maps of x",
        top[0].0 - style.px(6.0),
        mid(&top[0]),
        Pos::new(HPos::Right, VPos::Center),
        ink.text,
        font,
    )?;
    text(
        "maps of h\u{b7}x",
        bottom[0].0 - style.px(6.0),
        mid(&bottom[0]),
        Pos::new(HPos::Right, VPos::Center),
        ink.text,
        font,
    )?;
    Ok(())
}

#[cfg(test)]
#[path = "draw_tests.rs"]
mod tests;
