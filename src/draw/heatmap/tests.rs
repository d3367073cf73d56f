//! Tests of [`super`]: layout and hit testing, keyboard steps, palettes, and heat maps drawn to SVG.

use super::*;
use crate::config::sizes;
use crate::draw::{to_svg, Style};
use convlab_core::Tensor;

fn layout(shape: [usize; 3], pad: usize) -> TensorLayout {
    TensorLayout::new(shape, pad, 400.0, 300.0, 1.0, true, true)
}

#[test]
fn layout_fits_and_prefers_large_cells() {
    let l = layout([4, 5, 5], 0);
    assert!(l.used_height() <= 300.0 + 1e-9, "{}", l.used_height());
    let (_, _, x1, _) = l.cell_rect(3, 4, 4);
    assert!(x1 <= 400.0 + 1e-9);
    // Four 5×5 tiles in 400×300: two columns beat one or four.
    assert_eq!(l.cols, 2);
    // A single 3×3 tensor is capped at the maximum cell size.
    assert_eq!(layout([1, 3, 3], 0).cell, sizes::MAX_CELL);
}

#[test]
fn hit_maps_every_cell_centre_back() {
    for pad in [0, 1, 2] {
        let shape = [3, 4, 6];
        let l = layout(shape, pad);
        for c in 0..3 {
            for y in 0..4 {
                for x in 0..6 {
                    let r = l.cell_rect(c, y as isize, x as isize);
                    let got = l.hit((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0);
                    assert_eq!(got, Some(Cell::new(c, y, x)), "pad {pad}");
                    // Corners just inside still hit the same cell.
                    assert_eq!(l.hit(r.0 + 0.01, r.1 + 0.01), Some(Cell::new(c, y, x)));
                }
            }
        }
    }
}

#[test]
fn hit_misses_padding_gaps_labels_and_outside() {
    let l = layout([2, 3, 3], 1);
    let r = l.cell_rect(0, -1, -1);
    assert_eq!(l.hit((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0), None, "padding");
    let (ox, oy) = l.tile_origin(0);
    assert_eq!(l.hit(ox + 2.0, oy - l.label / 2.0), None, "label");
    assert_eq!(l.hit(-1.0, 10.0), None);
    assert_eq!(l.hit(10_000.0, 10.0), None);
    assert_eq!(l.hit(f64::NAN, 10.0), None);
    if let Some(top) = l.legend_top {
        assert_eq!(l.hit(200.0, top + 2.0), None, "legend");
    }
    // Gap between tiles 0 and 1 (if side by side).
    if l.cols > 1 {
        let a = l.cell_rect(0, 0, 3); // padding column right of tile 0
        assert_eq!(l.hit(a.2 + l.gap / 2.0, (a.1 + a.3) / 2.0), None);
    }
}

#[test]
fn hidpi_layout_scales_exactly() {
    let a = TensorLayout::new([2, 5, 5], 0, 300.0, 200.0, 1.0, true, true);
    let b = TensorLayout::new([2, 5, 5], 0, 600.0, 400.0, 2.0, true, true);
    assert_eq!(a.cols, b.cols);
    assert!((b.cell - 2.0 * a.cell).abs() <= 2.0);
    // A CSS point maps to the same cell at both ratios.
    let r = a.cell_rect(1, 2, 3);
    let (cx, cy) = ((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0);
    assert_eq!(a.hit(cx, cy), b.hit(cx * 2.0, cy * 2.0));
}

#[test]
fn empty_area_hits_nothing() {
    let l = TensorLayout::new([1, 3, 3], 0, 0.0, 0.0, 1.0, true, true);
    assert_eq!(l.cell, 0.0);
    assert_eq!(l.hit(0.0, 0.0), None);
}

#[test]
fn step_cell_clamps() {
    let s = [2, 3, 4];
    let c = Cell::new(0, 0, 0);
    assert_eq!(step_cell(c, s, 0, -1, -1), c);
    assert_eq!(step_cell(c, s, 5, 5, 5), Cell::new(1, 2, 3));
    assert_eq!(
        step_cell(Cell::new(1, 1, 1), s, 0, 1, 0),
        Cell::new(1, 2, 1)
    );
}

#[test]
fn svg_has_cells_numbers_labels_legend_and_highlights() {
    let t = Tensor::new(1, 2, 2, vec![-1.0, 0.5, 0.0, 1.0]).unwrap();
    let l = TensorLayout::new(t.shape(), 1, 300.0, 300.0, 1.0, true, true);
    let hl = [Highlight {
        c: 0,
        y: -1,
        x: 0,
        group: 2,
    }];
    let labels = vec!["input".to_string()];
    let opts = HeatmapOptions {
        highlights: &hl,
        pinned: Some(Cell::new(0, 1, 1)),
        channel_labels: Some(&labels),
        legend: true,
        labels: true,
        ..Default::default()
    };
    let svg = to_svg(300, 300, |a| {
        draw_tensor(a, &t, &l, &opts, &Style::default())
    })
    .unwrap();
    let texts = crate::draw::svg_texts(&svg);
    let has = |t: &str| texts.iter().any(|x| x == t);
    assert!(has("input"), "label: {texts:?}");
    assert!(has("0.5") && has("-1"), "numbers: {texts:?}");
    // Negative = strong blue end, positive = strong orange end of the map.
    assert!(svg.contains("#2166AC") || svg.contains("#2166ac"), "{svg}");
    assert!(svg.to_lowercase().contains("#b35806"));
    // Group 2's colour outlines the highlighted padding cell.
    assert!(svg
        .to_lowercase()
        .contains(&config::css(config::group_color(2))));
}

#[test]
fn wrong_layout_is_an_error() {
    let t = Tensor::zeros(1, 2, 2).unwrap();
    let l = TensorLayout::new([1, 3, 3], 0, 100.0, 100.0, 1.0, false, false);
    let r = to_svg(100, 100, |a| {
        draw_tensor(a, &t, &l, &HeatmapOptions::default(), &Style::default())
    });
    assert!(r.is_err());
}

#[test]
fn sequential_palette_uses_range() {
    let p = Palette::Sequential(Some((0.0, 1.0)));
    assert_eq!(p.color(0.0, 5.0, 9.0), config::viridis(0.0));
    assert_eq!(p.color(1.0, 5.0, 9.0), config::viridis(1.0));
    assert_eq!(Palette::Diverging(None).range(-2.0, 1.0), (-2.0, 2.0));
}
