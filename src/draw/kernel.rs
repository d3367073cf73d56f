//! The weights of a Conv2d, `[out, in/groups, kh, kw]`, as blocks: one row
//! per output channel, one `kh × kw` block per input channel of its group,
//! each row framed in its group's colour.

use convlab_core::Conv2d;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{err, short_value, text_style, DrawResult, Style};
use crate::config::{self, sizes};

/// A kernel tap: output channel, in-group input channel, row, column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tap {
    /// Output channel.
    pub o: usize,
    /// Input channel within the group.
    pub i: usize,
    /// Kernel row.
    pub ky: usize,
    /// Kernel column.
    pub kx: usize,
}

impl Tap {
    /// Flat index into the weight buffer of a `[out, ipg, kh, kw]` kernel.
    pub fn index(self, ipg: usize, kh: usize, kw: usize) -> usize {
        ((self.o * ipg + self.i) * kh + self.ky) * kw + self.kx
    }

    /// The tap at flat index `w` of a `[out, ipg, kh, kw]` kernel.
    pub fn from_index(w: usize, ipg: usize, kh: usize, kw: usize) -> Tap {
        let (kh, kw, ipg) = (kh.max(1), kw.max(1), ipg.max(1));
        Tap {
            kx: w % kw,
            ky: (w / kw) % kh,
            i: (w / (kw * kh)) % ipg,
            o: w / (kw * kh * ipg),
        }
    }
}

/// Where each block and tap of a kernel goes, in backend pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KernelLayout {
    /// `[out, in/groups, kh, kw]`.
    pub shape: [usize; 4],
    /// Side of one tap.
    pub cell: f64,
    /// Gap between output rows.
    pub gap: f64,
    /// Gap between the input blocks of a row: [`KernelLayout::gap`], or none
    /// for a 1×1 kernel, whose row is one row of a matrix (a gap per tap would
    /// take more room than the taps: 128 inputs left one 1-px line).
    pub block_gap: f64,
    /// Width of the row label column (output channel names).
    pub label: f64,
    /// Output rows drawn: all of them, or the first ones that fit with taps
    /// at least [`MIN_TAP`] CSS px (a depthwise layer has hundreds).
    pub shown: usize,
    /// Output rows per column of blocks (a kernel with many filters and few
    /// input channels is laid out in several columns, side by side).
    pub rows: usize,
    /// Top-left of the first block.
    pub origin: (f64, f64),
}

/// Smallest tap side, in CSS px, before the layout shows fewer output rows.
pub const MIN_TAP: f64 = 3.0;

/// Smallest tap side of a 1×1 kernel (one matrix of taps without gaps).
pub const MIN_MATRIX_TAP: f64 = 2.0;

/// The tap side for `o` output rows of `i` blocks of `kh × kw` taps laid out
/// in `cols` columns (each with its label strip), and the rows per column.
fn tap_side(
    o: usize,
    i: usize,
    (kh, kw): (usize, usize),
    cols: usize,
    space: (f64, f64, f64, f64, f64),
) -> (f64, usize) {
    let (width, height, gap, label, block_gap) = space;
    let rows = o.div_ceil(cols.max(1)).max(1);
    let (i, cols_f) = (i.max(1) as f64, cols.max(1) as f64);
    let sw =
        (width - cols_f * (label + gap + block_gap * (i - 1.0))) / (cols_f * i * kw.max(1) as f64);
    let sh = (height - gap * rows as f64) / (rows as f64 * kh.max(1) as f64);
    (sw.min(sh), rows)
}

/// The tap side for `o` output rows, with the rows per column: one column
/// when its taps reach `min` (K×K kernels), else — and always for a 1×1
/// kernel — the column count that gives the largest.
fn best_side(
    o: usize,
    i: usize,
    k: (usize, usize),
    space: (f64, f64, f64, f64, f64),
    min: f64,
) -> (f64, usize) {
    let one = tap_side(o, i, k, 1, space);
    // A kernel with K×K blocks keeps one row per filter while it is legible;
    // a 1×1 kernel's matrix takes the columns that give it the largest taps
    // (80 filters in one column of a 320-px view left half the width white).
    let matrix = k.0.max(1) * k.1.max(1) == 1;
    if one.0 >= min && !matrix {
        return one;
    }
    (1..=o.max(1))
        .map(|cols| tap_side(o, i, k, cols, space))
        .fold((f64::NEG_INFINITY, o.max(1)), |best, c| {
            if c.0 > best.0 + 1e-9 {
                c
            } else {
                best
            }
        })
}

impl KernelLayout {
    /// Lays out a `[out, ipg, kh, kw]` kernel in `width × height` backend pixels:
    /// one output row of blocks under another; when that makes taps under
    /// [`MIN_TAP`] px, the rows in the number of columns that gives the largest
    /// taps, and if even those are too small, the most rows that reach it.
    pub fn new(shape: [usize; 4], width: f64, height: f64, scale: f64) -> Self {
        let [o, i, kh, kw] = shape;
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        let matrix = kh.max(1) * kw.max(1) == 1;
        // A 1×1 kernel's rows are matrix rows, a hairline apart; its frames
        // go around each group's rows (a frame per row hid 2-px taps).
        let gap = if matrix { 1.0 } else { sizes::TILE_GAP_MIN } * scale;
        let block_gap = if matrix { 0.0 } else { gap };
        let label = 40.0 * scale;
        let space = (width.max(0.0), height.max(0.0), gap, label, block_gap);
        // A matrix reads as a heat map even at 2-px taps (a phone's 128 inputs).
        let min = if matrix { MIN_MATRIX_TAP } else { MIN_TAP } * scale;
        // Fewer rows never give smaller taps: the most rows whose taps reach
        // the minimum, by bisection (all of them when they do).
        let mut shown = o;
        if o > 1 && best_side(o, i, (kh, kw), space, min).0 < min {
            let (mut lo, mut hi) = (1, o);
            while lo + 1 < hi {
                let mid = (lo + hi) / 2;
                if best_side(mid, i, (kh, kw), space, min).0 >= min {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            shown = lo;
        }
        let (side, rows) = best_side(shown, i, (kh, kw), space, min);
        let mut cell = side.clamp(0.0, sizes::MAX_CELL * scale);
        if cell >= 4.0 {
            cell = cell.floor();
        }
        KernelLayout {
            shape,
            cell,
            gap,
            block_gap,
            label,
            shown,
            rows,
            origin: (label + gap / 2.0, gap / 2.0),
        }
    }

    /// Width of one column of blocks, its label strip included.
    fn column_w(&self) -> f64 {
        let [_, i, _, kw] = self.shape;
        self.label + self.gap - self.block_gap
            + i.max(1) as f64 * (kw as f64 * self.cell + self.block_gap)
    }

    /// The height the drawn rows take (backend pixels): a view can shrink its
    /// canvas to it instead of leaving white below the last row.
    pub fn used_height(&self) -> f64 {
        let kh = self.shape[2] as f64;
        let rows = self.rows.min(self.shown).max(1) as f64;
        // Half a gap above the first row and below the last.
        rows * (kh * self.cell + self.gap)
    }

    /// Every how many rows a row label ("o3") is written: each row when the
    /// rows are at least as tall as the label, else only some, so the labels
    /// never overlap (`font` is the label's size in backend pixels).
    pub fn label_step(&self, font: f64) -> usize {
        let pitch = self.shape[2] as f64 * self.cell + self.gap;
        if pitch <= 0.0 {
            return 1;
        }
        ((font * 1.2) / pitch).ceil().max(1.0) as usize
    }

    /// The rectangle of a tap.
    pub fn tap_rect(&self, t: Tap) -> (f64, f64, f64, f64) {
        let [_, _, kh, kw] = self.shape;
        let rows = self.rows.max(1);
        let (col, row) = (t.o / rows, t.o % rows);
        let bx = self.origin.0
            + col as f64 * self.column_w()
            + t.i as f64 * (kw as f64 * self.cell + self.block_gap);
        let by = self.origin.1 + row as f64 * (kh as f64 * self.cell + self.gap);
        let x0 = bx + t.kx as f64 * self.cell;
        let y0 = by + t.ky as f64 * self.cell;
        (x0, y0, x0 + self.cell, y0 + self.cell)
    }

    /// The tap under `(px, py)`, if any.
    pub fn hit(&self, px: f64, py: f64) -> Option<Tap> {
        let [_, i, kh, kw] = self.shape;
        let o = self.shown;
        if self.cell <= 0.0 || !px.is_finite() || !py.is_finite() {
            return None;
        }
        let bw = kw as f64 * self.cell + self.block_gap;
        let bh = kh as f64 * self.cell + self.gap;
        let rows = self.rows.max(1);
        // The column of blocks (its label strip on its left), then the block.
        let col = ((px - self.origin.0 + self.label) / self.column_w()).floor();
        if col < 0.0 {
            return None;
        }
        let col = col as usize;
        let rx = px - self.origin.0 - col as f64 * self.column_w();
        let ry = py - self.origin.1;
        if rx < 0.0 || ry < 0.0 {
            return None;
        }
        let (bi, row) = ((rx / bw).floor() as usize, (ry / bh).floor() as usize);
        let kx = ((rx - bi as f64 * bw) / self.cell).floor() as usize;
        let ky = ((ry - row as f64 * bh) / self.cell).floor() as usize;
        let bo = col * rows + row;
        (bi < i && row < rows && bo < o && kx < kw && ky < kh).then_some(Tap {
            o: bo,
            i: bi,
            ky,
            kx,
        })
    }
}

/// Draws the weights of `conv`, framing each output row in its group's
/// colour and outlining the taps whose flat weight indices are in `highlight`.
///
/// # Errors
/// A layout for another kernel shape, or a backend error.
pub fn draw_kernel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    conv: &Conv2d,
    layout: &KernelLayout,
    highlight: &[usize],
    style: &Style,
) -> DrawResult {
    let s = conv.spec();
    let shape = [s.out_channels, s.in_per_group(), s.kernel.0, s.kernel.1];
    if layout.shape != shape {
        return Err(format!(
            "kernel layout is for {:?} but the kernel is {:?}",
            layout.shape, shape
        ));
    }
    area.fill(&style.ink.background).map_err(err)?;
    if layout.cell <= 0.0 {
        return Ok(());
    }
    let m = conv.weight().iter().fold(0.0f32, |a, w| a.max(w.abs()));
    let numbers = layout.cell >= sizes::MIN_CELL_FOR_NUMBERS * style.scale;
    let font = (layout.cell * 0.34).min(style.font_px());
    let [_, ipg, kh, kw] = shape;
    let o = layout.shown.min(shape[0]);
    let opg = s.out_per_group().max(1);
    let frame = style.px(2.0);
    let label_font = style.font_px() * 0.9;
    let step = layout.label_step(label_font);
    let matrix = layout.block_gap <= 0.0;
    let mut last_label = f64::NEG_INFINITY;
    for oc in 0..o {
        let color = config::group_color(oc / opg);
        let first = layout.tap_rect(Tap {
            o: oc,
            i: 0,
            ky: 0,
            kx: 0,
        });
        let row = oc % layout.rows.max(1);
        // Centred on the row, but inside the figure (a 1×1 kernel's rows are
        // lower than the label), and a label's height below the one above.
        let half = label_font * 0.65;
        let bottom = f64::from(area.dim_in_pixel().1) - half;
        let y = (first.1 + kh as f64 * layout.cell / 2.0)
            .max(half)
            .min(bottom);
        if row == 0 {
            last_label = f64::NEG_INFINITY;
        }
        if row.is_multiple_of(step) && y >= last_label + label_font * 1.2 {
            last_label = y;
            area.draw_text(
                &format!("o{oc}"),
                &text_style(
                    label_font,
                    style.ink.text,
                    Pos::new(HPos::Right, VPos::Center),
                ),
                (
                    (first.0 - layout.gap.max(style.px(4.0))).round() as i32,
                    y.round() as i32,
                ),
            )
            .map_err(err)?;
        }
        for i in 0..ipg {
            for ky in 0..kh {
                for kx in 0..kw {
                    let t = Tap { o: oc, i, ky, kx };
                    let v = conv.weight_at(oc, i, ky, kx).unwrap_or(0.0);
                    let col = config::diverging(v as f64, m as f64);
                    let r = layout.tap_rect(t);
                    area.draw(&Rectangle::new(
                        [(r.0 as i32, r.1 as i32), (r.2 as i32, r.3 as i32)],
                        col.filled(),
                    ))
                    .map_err(err)?;
                    if numbers {
                        area.draw_text(
                            &short_value(v),
                            &text_style(
                                font,
                                config::text_on(col),
                                Pos::new(HPos::Center, VPos::Center),
                            ),
                            (((r.0 + r.2) / 2.0) as i32, ((r.1 + r.3) / 2.0) as i32),
                        )
                        .map_err(err)?;
                    }
                }
            }
        }
        // Frames in the group colour: around each block, or around the run
        // of a 1×1 kernel's rows that share a group and a column.
        let rows = layout.rows.max(1);
        let frames: Vec<(Tap, Tap)> = if !matrix {
            (0..ipg)
                .map(|i| {
                    let t = Tap {
                        o: oc,
                        i,
                        ky: 0,
                        kx: 0,
                    };
                    (
                        t,
                        Tap {
                            ky: kh - 1,
                            kx: kw - 1,
                            ..t
                        },
                    )
                })
                .collect()
        } else if oc == 0 || oc % opg == 0 || oc % rows == 0 {
            // The first row of a run: the run ends at its group's or column's end.
            let end = ((oc / opg + 1) * opg).min((oc / rows + 1) * rows).min(o) - 1;
            vec![(
                Tap {
                    o: oc,
                    i: 0,
                    ky: 0,
                    kx: 0,
                },
                Tap {
                    o: end,
                    i: ipg.max(1) - 1,
                    ky: 0,
                    kx: 0,
                },
            )]
        } else {
            Vec::new()
        };
        for (ta, tb) in frames {
            let a = layout.tap_rect(ta);
            let b = layout.tap_rect(tb);
            area.draw(&Rectangle::new(
                [
                    ((a.0 - frame / 2.0) as i32, (a.1 - frame / 2.0) as i32),
                    ((b.2 + frame / 2.0) as i32, (b.3 + frame / 2.0) as i32),
                ],
                ShapeStyle {
                    color: color.to_rgba(),
                    filled: false,
                    stroke_width: frame.round().max(1.0) as u32,
                },
            ))
            .map_err(err)?;
        }
    }
    let w = (layout.cell * 0.15).clamp(style.px(1.5), style.px(4.0));
    for &idx in highlight {
        let t = Tap::from_index(idx, ipg, kh, kw);
        if t.o >= o {
            continue;
        }
        let r = layout.tap_rect(t);
        area.draw(&Rectangle::new(
            [
                ((r.0 + w / 2.0) as i32, (r.1 + w / 2.0) as i32),
                ((r.2 - w / 2.0) as i32, (r.3 - w / 2.0) as i32),
            ],
            ShapeStyle {
                color: style.ink.focus.to_rgba(),
                filled: false,
                stroke_width: w.round().max(1.0) as u32,
            },
        ))
        .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::to_svg;
    use convlab_core::Conv2dSpec;

    #[test]
    fn a_depthwise_layer_wraps_into_columns_and_shows_what_fits() {
        // 128 filters of 3×3 in 838×200: one column would need taps under a
        // pixel (the view was blank); several columns give them room.
        for scale in [1.0, 2.0] {
            let (w, h) = (838.0 * scale, 200.0 * scale);
            let l = KernelLayout::new([128, 1, 3, 3], w, h, scale);
            assert_eq!(l.shown, 128);
            assert!(l.rows < 128, "{} rows per column", l.rows);
            assert!(l.cell >= MIN_TAP * scale, "tap {}", l.cell);
            for o in 0..128 {
                for (ky, kx) in [(0, 0), (2, 2), (1, 2)] {
                    let t = Tap { o, i: 0, ky, kx };
                    let r = l.tap_rect(t);
                    assert!(
                        r.0 >= 0.0 && r.1 >= 0.0 && r.2 <= w && r.3 <= h,
                        "{t:?} at {r:?}"
                    );
                    let mid = ((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0);
                    assert_eq!(l.hit(mid.0, mid.1), Some(t), "hit {t:?}");
                }
            }
            // The label strip and the gaps hit nothing.
            assert_eq!(l.hit(l.origin.0 - 1.0, l.origin.1 + 1.0), None);
        }
        // Too many to reach the smallest tap even in columns: the first ones that do.
        let l = KernelLayout::new([4096, 1, 3, 3], 300.0, 120.0, 1.0);
        assert!(l.shown > 10 && l.shown < 4096, "{} shown", l.shown);
        assert!(l.cell >= MIN_TAP);
        let last = l.tap_rect(Tap {
            o: l.shown - 1,
            i: 0,
            ky: 2,
            kx: 2,
        });
        assert!(last.2 <= 300.0 && last.3 <= 120.0, "{last:?}");
        // A kernel that fits in one column keeps it.
        let small = KernelLayout::new([8, 4, 3, 3], 600.0, 220.0, 1.0);
        assert_eq!((small.shown, small.rows), (8, 8));
        let conv = Conv2d::random(
            Conv2dSpec {
                groups: 128,
                ..Conv2dSpec::standard(128, 128, 3)
            },
            1,
        )
        .unwrap();
        let l = KernelLayout::new([128, 1, 3, 3], 838.0, 200.0, 1.0);
        let style = Style::new(crate::config::Theme::Light, 1.0);
        let svg = to_svg(838, 200, |a| draw_kernel(a, &conv, &l, &[], &style)).unwrap();
        assert!(svg.matches("<rect").count() > 9 * 128, "every tap drawn");
    }

    #[test]
    fn a_1x1_kernel_is_a_matrix_that_fills_its_view() {
        // Fire's squeeze [16, 128, 1, 1] in 838×200 once showed "the first 1 of
        // 16 filters" as one thin line: a gap per tap took the width.
        for (shape, w) in [
            ([16, 128, 1, 1], 838.0),
            ([64, 16, 1, 1], 838.0),
            ([16, 128, 1, 1], 340.0),
        ] {
            let l = KernelLayout::new(shape, w, 200.0, 1.0);
            assert_eq!(l.shown, shape[0], "{shape:?} in {w}: every filter");
            assert!(l.cell >= MIN_MATRIX_TAP, "{shape:?}: tap {}", l.cell);
            assert_eq!(l.block_gap, 0.0);
            assert!(l.used_height() <= 200.0, "{}", l.used_height());
            let last = l.tap_rect(Tap {
                o: shape[0] - 1,
                i: shape[1] - 1,
                ky: 0,
                kx: 0,
            });
            assert!(last.2 <= w && last.3 <= l.used_height(), "{last:?}");
            for o in [0, shape[0] - 1] {
                for i in [0, shape[1] / 2, shape[1] - 1] {
                    let t = Tap { o, i, ky: 0, kx: 0 };
                    let r = l.tap_rect(t);
                    assert_eq!(l.hit((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0), Some(t));
                }
            }
            // Labels written every `step` rows are at least a label apart.
            let font = 12.0;
            let step = l.label_step(font);
            let pitch = l.cell + l.gap;
            assert!(
                step as f64 * pitch >= font * 1.2,
                "{shape:?}: step {step}, pitch {pitch}"
            );
        }
        // ShuffleNet's grouped 1×1 [80, 120, 1, 1] in the inspector (320 px):
        // every filter at 960 (one column) and at 1280 (two, filling the width).
        for (w, cols) in [(400.0, 1), (838.0, 2)] {
            let l = KernelLayout::new([80, 120, 1, 1], w, 320.0, 1.0);
            assert_eq!(l.shown, 80, "{w}");
            assert_eq!(
                80usize.div_ceil(l.rows),
                cols,
                "{w}: {} rows per column",
                l.rows
            );
            assert!(l.used_height() <= 320.0);
        }
        // A 3×3 kernel keeps its block gaps and labels every row when rows are tall.
        let l = KernelLayout::new([4, 2, 3, 3], 400.0, 400.0, 1.0);
        assert_eq!((l.block_gap, l.label_step(12.0)), (l.gap, 1));
        assert!(l.used_height() < 400.0);
    }

    #[test]
    fn tap_index_round_trip() {
        let (ipg, kh, kw) = (3, 2, 5);
        for w in 0..4 * ipg * kh * kw {
            let t = Tap::from_index(w, ipg, kh, kw);
            assert_eq!(t.index(ipg, kh, kw), w);
        }
    }

    #[test]
    fn kernel_hit_round_trip() {
        let l = KernelLayout::new([4, 2, 3, 3], 400.0, 400.0, 1.0);
        for o in 0..4 {
            for i in 0..2 {
                for ky in 0..3 {
                    for kx in 0..3 {
                        let t = Tap { o, i, ky, kx };
                        let r = l.tap_rect(t);
                        assert_eq!(l.hit((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0), Some(t));
                    }
                }
            }
        }
        assert_eq!(l.hit(1.0, 1.0), None);
        assert_eq!(l.hit(9999.0, 1.0), None);
    }

    #[test]
    fn kernel_svg_frames_groups_and_highlights() {
        let conv = Conv2d::random(Conv2dSpec::grouped(4, 4, 3, 2), 7).unwrap();
        let s = conv.spec();
        let shape = [s.out_channels, s.in_per_group(), 3, 3];
        let l = KernelLayout::new(shape, 400.0, 400.0, 1.0);
        let trace_idx: Vec<usize> = (0..9).collect();
        let svg = to_svg(400, 400, |a| {
            draw_kernel(a, &conv, &l, &trace_idx, &Style::default())
        })
        .unwrap();
        let lower = svg.to_lowercase();
        assert!(lower.contains(&config::css(config::group_color(0))));
        assert!(lower.contains(&config::css(config::group_color(1))));
        let texts = crate::draw::svg_texts(&svg);
        assert!(texts.iter().any(|t| t == "o3"), "{texts:?}");
        let bad = KernelLayout::new([1, 1, 1, 1], 10.0, 10.0, 1.0);
        assert!(to_svg(10, 10, |a| draw_kernel(
            a,
            &conv,
            &bad,
            &[],
            &Style::default()
        ))
        .is_err());
    }
}
