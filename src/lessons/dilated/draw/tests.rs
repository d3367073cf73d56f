//! Tests of the dilated lesson's drawing: label fitting, grid layout and
//! painting, strip slots, the viewport, and the tree.

#[test]
fn labels_shorten_to_their_slot() {
    assert_eq!(
        fit_label("after layer 3 35\u{d7}35", 500.0, 10.0),
        "after layer 3 35\u{d7}35"
    );
    assert_eq!(
        fit_label("after layer 3 35\u{d7}35", 80.0, 10.0),
        "after layer 3"
    );
    assert_eq!(fit_label("after layer 3 35\u{d7}35", 40.0, 10.0), "L3");
    assert_eq!(fit_label("output 35\u{d7}35", 40.0, 10.0), "output");
    assert_eq!(fit_label("output 35\u{d7}35", 20.0, 10.0), "out");
    assert_eq!(fit_label("input 35\u{d7}35", 15.0, 10.0), "in");
    assert_eq!(
        fit_label("after layer 2 (3\u{d7}3, d = 2)", 80.0, 10.0),
        "after layer 2"
    );
}

use super::grid::rect_i;
use super::*;
use crate::config;
use crate::draw::{to_svg, Style};
use plotters::coord::Shift;
use plotters::prelude::*;

fn map() -> MapView {
    let mut paths = vec![0; 25];
    for (r, c, p) in [(1, 1, 1), (1, 3, 2), (3, 1, 1), (3, 3, 4)] {
        paths[r * 5 + c] = p;
    }
    MapView {
        label: "input".into(),
        h: 5,
        w: 5,
        paths,
        extent: Some((1, 1, 3, 3)),
    }
}

#[test]
fn map_counts_and_bbox() {
    let m = map();
    assert_eq!(m.fed(), 4);
    assert_eq!(m.bbox(), Some((1, 1, 3, 3)));
    assert_eq!(m.path_range(), Some((1, 4)));
    assert_eq!(m.at(9, 9), 0);
}

#[test]
fn grid_layout_hits_its_own_cells() {
    let l = GridLayout::fit(7, 9, 300.0, 200.0, 20.0, 64.0);
    assert!(l.origin.0 + l.cell * 9.0 <= 300.0);
    assert!(l.origin.1 + l.cell * 7.0 <= 200.0);
    for r in 0..7 {
        for c in 0..9 {
            let (x0, y0, x1, y1) = l.rect(r, c);
            assert_eq!(
                l.hit((x0 + x1) / 2.0, (y0 + y1) / 2.0),
                Some((r as usize, c as usize))
            );
        }
    }
    assert_eq!(l.hit(-1.0, 50.0), None);
    assert_eq!(l.hit(l.origin.0 + 1.0, 5.0), None);
}

/// A raster that fills rectangles as the canvas and SVG do: from the upper
/// left corner up to, not including, the lower right one.
type Rgba = (u8, u8, u8, u8);

struct Pixels {
    w: u32,
    h: u32,
    px: std::rc::Rc<std::cell::RefCell<Vec<Rgba>>>,
}

impl Pixels {
    /// Paints with `paint` on a `w × h` raster and returns its pixels.
    fn paint(
        w: u32,
        h: u32,
        paint: impl FnOnce(&DrawingArea<Pixels, Shift>),
    ) -> Vec<(u8, u8, u8, u8)> {
        let px = std::rc::Rc::new(std::cell::RefCell::new(vec![
            (0, 0, 0, 0);
            (w * h) as usize
        ]));
        paint(
            &Pixels {
                w,
                h,
                px: px.clone(),
            }
            .into_drawing_area(),
        );
        px.take()
    }
}

impl DrawingBackend for Pixels {
    type ErrorType = std::convert::Infallible;
    fn get_size(&self) -> (u32, u32) {
        (self.w, self.h)
    }
    fn ensure_prepared(
        &mut self,
    ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }
    fn present(&mut self) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }
    fn draw_pixel(
        &mut self,
        (x, y): plotters_backend::BackendCoord,
        c: plotters_backend::BackendColor,
    ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        if x >= 0 && y >= 0 && (x as u32) < self.w && (y as u32) < self.h {
            let (r, g, b) = c.rgb;
            self.px.borrow_mut()[(y as u32 * self.w + x as u32) as usize] =
                (r, g, b, (c.alpha * 255.0).round() as u8);
        }
        Ok(())
    }
    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        a: plotters_backend::BackendCoord,
        b: plotters_backend::BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        assert!(fill, "only filled rectangles are compared");
        for y in a.1..b.1 {
            for x in a.0..b.0 {
                self.draw_pixel((x, y), style.color())?;
            }
        }
        Ok(())
    }
}

/// The reference painter: one rectangle per cell, as the cells are defined.
fn paint_cells_one_by_one(
    area: &DrawingArea<Pixels, Shift>,
    map: &MapView,
    opts: &MapOptions,
    style: &Style,
) {
    let (aw, ah) = area.dim_in_pixel();
    let l = map_layout(map, aw as f64, ah as f64, opts, style);
    let gap = if l.cell >= 5.0 {
        (l.cell * 0.08).min(style.px(2.0)).max(1.0)
    } else {
        0.0
    };
    let max = map.path_range().map_or(1, |r| r.1).max(1) as f64;
    for r in 0..map.h {
        for c in 0..map.w {
            let (x0, y0, x1, y1) = l.rect(r as isize, c as isize);
            let p = map.at(r, c);
            let color = match p {
                0 => style.ink.muted.mix(0.18),
                _ if opts.heat => config::viridis(0.15 + 0.85 * p as f64 / max).to_rgba(),
                _ => feed_color().to_rgba(),
            };
            area.draw(&Rectangle::new(
                rect_i((x0 + gap, y0 + gap, x1, y1)),
                color.filled(),
            ))
            .unwrap();
        }
    }
}

#[test]
fn merged_rows_paint_the_same_pixels_as_one_rectangle_per_cell() {
    let mut big = MapView {
        label: "input".into(),
        h: 13,
        w: 17,
        paths: (0..13 * 17)
            .map(|i: u64| if i % 7 < 3 { 0 } else { 1 + i % 5 })
            .collect(),
        extent: None,
    };
    let plain = MapOptions {
        caption: 0.0,
        extent: false,
        ..MapOptions::default()
    };
    let heat = MapOptions {
        heat: true,
        ..plain
    };
    // Cells from 2 px (no gaps) to 40 px (2 px gaps), at two pixel ratios.
    for (w, h) in [(40, 30), (90, 70), (200, 150), (333, 251), (700, 520)] {
        for dpr in [1.0, 2.0] {
            for opts in [plain, heat] {
                for m in [map(), big.clone()] {
                    let style = Style::new(crate::config::Theme::Light, dpr);
                    let merged = Pixels::paint(w, h, |area| {
                        area.fill(&style.ink.background).unwrap();
                        draw_map(area, &m, &opts, &style).unwrap();
                    });
                    let cells = Pixels::paint(w, h, |area| {
                        area.fill(&style.ink.background).unwrap();
                        paint_cells_one_by_one(area, &m, &opts, &style);
                    });
                    assert!(merged == cells, "{w}x{h} at {dpr}x, {}x{}", m.h, m.w);
                }
            }
        }
    }
    // Long runs collapse: one colour per row is one rectangle per row, plus
    // the column gaps painted back.
    big.paths = vec![1; 13 * 17];
    let svg = to_svg(400, 300, |a| draw_map(a, &big, &plain, &Style::default())).unwrap();
    assert_eq!(svg.matches("<rect").count(), 13 + 16, "{svg}");
}

#[test]
fn map_svg_draws_rows_runs_and_frames() {
    let svg = to_svg(200, 220, |a| {
        draw_map(a, &map(), &MapOptions::default(), &Style::default())
    })
    .unwrap();
    // Rows 0, 2, 4 are one empty run each; rows 1 and 3 alternate in five
    // runs; 4 column gaps painted back; the extent frame.
    assert_eq!(svg.matches("<rect").count(), 3 + 2 * 5 + 4 + 1, "{svg}");
    assert!(svg.contains("input"));
    let bad = MapView {
        paths: vec![1; 3],
        ..map()
    };
    assert!(to_svg(50, 50, |a| draw_map(
        a,
        &bad,
        &MapOptions::default(),
        &Style::default()
    ))
    .is_err());
}

#[test]
fn heat_numbers_are_printed_when_cells_are_large() {
    let opts = MapOptions {
        heat: true,
        numbers: true,
        ..MapOptions::default()
    };
    // Plotters' SVG backend writes each text on its own line between the tags
    // (`<text ...>\n4\n</text>`), so compare the texts' contents, not raw markup.
    let texts = |w: u32, h: u32, opts: &MapOptions| {
        let svg = to_svg(w, h, |a| draw_map(a, &map(), opts, &Style::default())).unwrap();
        text_contents(&svg)
    };
    // 64 px cells: the caption, then each feeding cell's path count in row order.
    assert_eq!(texts(400, 420, &opts), ["input", "1", "2", "1", "4"]);
    // 20 px cells are too small for numbers; so is a map without `numbers`.
    assert_eq!(texts(100, 122, &opts), ["input"]);
    let plain = MapOptions {
        numbers: false,
        ..opts
    };
    assert_eq!(texts(400, 420, &plain), ["input"]);
}

/// The trimmed contents of every `<text>` element, in drawing order.
fn text_contents(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

#[test]
fn strip_slots() {
    assert_eq!(strip_slot(0.0, 100.0, 4), Some(0));
    assert_eq!(strip_slot(99.9, 100.0, 4), Some(3));
    assert_eq!(strip_slot(100.0, 100.0, 4), None);
    assert_eq!(strip_slot(10.0, 100.0, 0), None);
    let svg = to_svg(600, 120, |a| {
        draw_strip(a, &[map(), map(), map()], 1, &Style::default())
    })
    .unwrap();
    // Background, each map's 17 row runs and column gaps and its extent,
    // the frame of the current map.
    assert_eq!(svg.matches("<rect").count(), 1 + 3 * 18 + 1, "{svg}");
}

#[test]
fn viewport_zoom_and_pan_stay_inside() {
    let v = Viewport::all(1024);
    let z = v.zoom(1000.0, 4.0, 1024);
    assert!((z.span() - 256.0).abs() < 1e-9);
    assert!(z.t1 <= 1024.0 && z.t0 >= 0.0);
    let deep = (0..40).fold(v, |v, _| v.zoom(10.0, 2.0, 1024));
    assert_eq!(deep.span(), MIN_SPAN);
    let back = (0..40).fold(deep, |v, _| v.zoom(10.0, 0.5, 1024));
    assert_eq!(back, v);
    assert_eq!(z.pan(-5000.0, 1024).t0, 0.0);
    assert_eq!(z.pan(5000.0, 1024).t1, 1024.0);
    assert_eq!(v.zoom(f64::NAN, f64::INFINITY, 1024), v);
    assert_eq!(Viewport::all(4).clamped(4).span(), 4.0);
}

#[test]
fn clipping_keeps_the_visible_part() {
    assert_eq!(
        clip_x((-10.0, 0.0), (10.0, 20.0), 0.0, 100.0),
        Some(((0.0, 10.0), (10.0, 20.0)))
    );
    assert_eq!(clip_x((110.0, 0.0), (200.0, 20.0), 0.0, 100.0), None);
    assert_eq!(
        clip_x((50.0, 0.0), (150.0, 10.0), 0.0, 100.0),
        Some(((50.0, 0.0), (100.0, 5.0)))
    );
}

#[test]
fn tree_layout_maps_positions() {
    let l = TreeLayout::new(11, 800.0, 400.0, Viewport::all(1024), &Style::default());
    assert!(l.y(10) < l.y(0));
    assert!((l.t_at(l.x(100.0)) - 100.5).abs() < 1e-9);
}

#[test]
fn tree_svg_draws_nodes_edges_and_captions() {
    let tree = TreeView {
        len: 4,
        levels: vec![
            TreeLevel {
                label: "input".into(),
                nodes: vec![(0, 1), (1, 1), (2, 1), (3, 1)],
            },
            TreeLevel {
                label: "d = 1".into(),
                nodes: vec![(1, 1), (3, 1)],
            },
            TreeLevel {
                label: "d = 2".into(),
                nodes: vec![(3, 1)],
            },
        ],
        edges: vec![
            (1, 0, 1),
            (1, 1, 1),
            (1, 2, 3),
            (1, 3, 3),
            (2, 1, 3),
            (2, 3, 3),
        ],
    };
    let svg = to_svg(400, 200, |a| {
        draw_tree(a, &tree, Viewport::all(4), &Style::default())
    })
    .unwrap();
    assert_eq!(svg.matches("<polyline").count(), 6, "{svg}");
    assert!(svg.contains("d = 2"));
    // 7 tree nodes + 12 faint dots.
    assert_eq!(svg.matches("<circle").count(), 19);
}
