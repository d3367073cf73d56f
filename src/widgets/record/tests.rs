//! Tests of [`super`]: the command list, runs painted as one bitmap, SVG replay and titles, label boxes.

use super::runs::{paint_solids, solid, touching_groups, Painted, Solid};
use super::*;
use crate::draw::text_style;
use plotters::coord::Shift;
use plotters::style::text_anchor::{HPos, VPos};

fn sq(x0: i32, y0: i32, x1: i32, y1: i32, v: u8) -> Solid {
    Solid {
        x0,
        y0,
        x1,
        y1,
        rgb: (v, 0, 255 - v),
    }
}

/// The pixels a list of `fillRect`s paints, one rectangle at a time (the reference).
fn naive(rects: &[Solid], w: i32, h: i32) -> Vec<Option<(u8, u8, u8)>> {
    let mut px = vec![None; (w * h) as usize];
    for r in rects {
        for y in r.y0.max(0)..r.y1.min(h) {
            for x in r.x0.max(0)..r.x1.min(w) {
                px[(y * w + x) as usize] = Some(r.rgb);
            }
        }
    }
    px
}

#[test]
fn a_covering_run_paints_what_its_rectangles_paint() {
    // A 7×5 grid of 3-px cells at (4, 2), a 1-px grid line over it, a cell
    // hanging off the canvas' right edge: every pixel as the rectangles leave it.
    let mut rects = Vec::new();
    for y in 0..5 {
        for x in 0..7 {
            rects.push(sq(
                4 + 3 * x,
                2 + 3 * y,
                7 + 3 * x,
                5 + 3 * y,
                (x * 30 + y) as u8,
            ));
        }
    }
    rects.push(sq(10, 2, 11, 17, 9));
    rects.push(sq(22, 2, 40, 17, 200));
    let (w, h) = (30, 20);
    // A used buffer: what it held must not show through.
    let mut rgba = vec![7u8; 9000];
    let Some(Painted::Bitmap { x, y, w: bw, h: bh }) = paint_solids(&rects, (w, h), &mut rgba)
    else {
        panic!("a covered box is one bitmap");
    };
    assert_eq!((x, y, bw, bh), (4, 2, 26, 15), "clipped to the canvas");
    let want = naive(&rects, w as i32, h as i32);
    for py in 0..bh as i32 {
        for px in 0..bw as i32 {
            let i = ((py * bw as i32 + px) * 4) as usize;
            let got = (rgba[i], rgba[i + 1], rgba[i + 2]);
            assert_eq!(rgba[i + 3], 255);
            assert_eq!(
                Some(got),
                want[((py + y) * w as i32 + px + x) as usize],
                "({px}, {py})"
            );
        }
    }
}

#[test]
fn the_command_list_keeps_order_across_its_blocks() {
    let px = |i: usize| {
        Op::Pixel(
            (i as i32, 0),
            BackendColor {
                alpha: 1.0,
                rgb: (0, 0, 0),
            },
        )
    };
    let at = |op: &Op| match op {
        Op::Pixel((x, _), _) => *x as usize,
        _ => usize::MAX,
    };
    for n in [0, 1, 7, 8, 9, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5] {
        let mut ops = Ops::default();
        for i in 0..n {
            ops.push(px(i));
        }
        assert_eq!(ops.len(), n);
        assert_eq!(
            ops.iter().map(at).collect::<Vec<_>>(),
            (0..n).collect::<Vec<_>>()
        );
        for from in [0, 1, CHUNK - 1, CHUNK, CHUNK + 3, n.saturating_sub(1), n] {
            let from = from.min(n);
            let want: Vec<usize> = (from..n).collect();
            assert_eq!(
                ops.iter_from(from).map(at).collect::<Vec<_>>(),
                want,
                "n {n} from {from}"
            );
        }
        for i in 0..n {
            assert_eq!(at(ops.get(i)), i);
        }
        // No block larger than CHUNK commands.
        assert!(ops.chunks.iter().all(|c| c.capacity() <= CHUNK));
    }
}

#[test]
fn a_run_with_a_hole_or_off_the_canvas_is_left_to_the_canvas() {
    // One cell missing: the canvas' own pixel must show there.
    let mut rects: Vec<Solid> = (0..20).map(|i| sq(i * 2, 0, i * 2 + 2, 2, 1)).collect();
    rects.remove(7);
    let mut rgba = Vec::new();
    assert_eq!(paint_solids(&rects, (100, 100), &mut rgba), None);
    // Entirely off the canvas: nothing to paint.
    let off: Vec<Solid> = (0..20).map(|i| sq(-50 + i, -9, -49 + i, -1, 1)).collect();
    assert_eq!(
        paint_solids(&off, (100, 100), &mut rgba),
        Some(Painted::Nothing)
    );
    // Too large for one bitmap.
    let huge = [sq(0, 0, 4000, 4000, 1)];
    assert_eq!(paint_solids(&huge, (5000, 5000), &mut rgba), None);
}

#[test]
fn runs_split_where_tiles_are_apart() {
    // Two 4×4-cell tiles with a 3 px gap, then a legend bar that abuts nothing.
    let mut rects = Vec::new();
    for t in 0..2 {
        for y in 0..4 {
            for x in 0..4 {
                let ox = t * (16 + 3);
                rects.push(sq(ox + 4 * x, 4 * y, ox + 4 * x + 4, 4 * y + 4, 1));
            }
        }
    }
    rects.push(sq(0, 30, 10, 34, 2));
    rects.push(sq(10, 30, 20, 34, 3));
    assert_eq!(touching_groups(&rects), vec![(0, 16), (16, 32), (32, 34)]);
}

#[test]
fn a_heat_map_is_recorded_as_runs_the_canvas_paints_at_once() {
    use crate::draw::heatmap::{draw_tensor, HeatmapOptions, TensorLayout};
    let t = convlab_core::Tensor::from_fn(3, 9, 9, |c, y, x| (c * 81 + y * 9 + x) as f32).unwrap();
    let style = crate::draw::Style::new(crate::config::Theme::Light, 1.0);
    let layout = TensorLayout::new(t.shape(), 0, 600.0, 300.0, 1.0, true, true);
    assert!(
        layout.cell >= 6.0,
        "cells large enough for their grid lines"
    );
    let rec = record((600, 300), |a| {
        draw_tensor(
            a,
            &t,
            &layout,
            &HeatmapOptions {
                legend: true,
                labels: true,
                ..Default::default()
            },
            &style,
        )
    })
    .unwrap();
    // As `replay_on_canvas` walks it: runs of consecutive opaque fills, split
    // into touching groups.
    let (mut painted, mut cells_left) = (0, 0);
    let ops: Vec<&Op> = rec.ops.iter().collect();
    for run in ops.split(|op| solid(op).is_none()) {
        let rects: Vec<Solid> = run.iter().copied().filter_map(solid).collect();
        for (a, b) in touching_groups(&rects) {
            match paint_solids(&rects[a..b], rec.size, &mut Vec::new()) {
                Some(Painted::Bitmap { .. }) if b - a >= MIN_RUN => painted += 1,
                _ => cells_left += b - a,
            }
        }
    }
    // Each channel's cells with their grid lines, and the colour bar.
    assert_eq!(painted, 4, "{cells_left} rectangles drawn one by one");
    assert!(cells_left < 10, "{cells_left} rectangles drawn one by one");
}

fn sample<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> DrawResult {
    area.fill(&WHITE).map_err(err)?;
    area.draw(&Rectangle::new([(2, 2), (20, 10)], BLUE.filled()))
        .map_err(err)?;
    area.draw(&PathElement::new(
        vec![(0, 0), (30, 30), (40, 0)],
        plotters::style::Color::stroke_width(&RED, 3),
    ))
    .map_err(err)?;
    area.draw(&Circle::new((25, 25), 4, GREEN.filled()))
        .map_err(err)?;
    let st = text_style(12.0, BLACK, Pos::new(HPos::Center, VPos::Top));
    area.draw_text("a < b", &st, (30, 5)).map_err(err)
}

#[test]
fn replayed_svg_equals_direct_svg() {
    let rec = record((60, 40), sample).unwrap();
    assert!(!rec.is_empty());
    assert_eq!(rec.size(), (60, 40));
    // A closure, not the fn item: `to_svg` needs one callable for every SVG lifetime.
    #[allow(clippy::redundant_closure)]
    let direct = crate::draw::to_svg(60, 40, |a| sample(a)).unwrap();
    let replayed = rec.to_svg("").unwrap();
    assert_eq!(direct, replayed);
}

#[test]
fn svg_gets_an_escaped_title() {
    let rec = record((10, 10), |a| a.fill(&WHITE).map_err(err)).unwrap();
    let svg = rec.to_svg("x < y & z").unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("<title>x &lt; y &amp; z</title>"));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(crate::draw::svg_texts(&svg).len(), 0);
}

#[test]
fn errors_of_the_drawing_are_returned() {
    let r = record((10, 10), |_| Err("bad".to_string()));
    assert_eq!(r.err().as_deref(), Some("bad"));
}

#[test]
fn label_boxes_sit_where_their_anchor_and_rotation_put_them() {
    let rec = record((100, 100), |area| {
        let st = |h, v| text_style(10.0, BLACK, Pos::new(h, v));
        area.draw_text("left-top", &st(HPos::Left, VPos::Top), (10, 20))
            .map_err(err)?;
        area.draw_text("centre", &st(HPos::Center, VPos::Center), (50, 50))
            .map_err(err)?;
        area.draw_text("right-bottom", &st(HPos::Right, VPos::Bottom), (90, 90))
            .map_err(err)?;
        area.draw_text("  ", &st(HPos::Left, VPos::Top), (0, 0))
            .map_err(err)?;
        let up = st(HPos::Center, VPos::Center).transform(FontTransform::Rotate270);
        area.draw_text("axis", &up, (5, 50)).map_err(err)
    })
    .unwrap();
    // Every label 20 px wide and 8 px high.
    let boxes = rec.label_boxes(|_, _, _, _| Some((20, 8)));
    let got: Vec<_> = boxes
        .iter()
        .map(|b| (b.0, b.1, b.2, b.3, b.4.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (10.0, 20.0, 20.0, 8.0, "left-top"),
            (40.0, 46.0, 20.0, 8.0, "centre"),
            (70.0, 82.0, 20.0, 8.0, "right-bottom"),
            // Turned a quarter anticlockwise about (5, 50): 8 wide, 20 high.
            (1.0, 40.0, 8.0, 20.0, "axis"),
        ]
    );
}
