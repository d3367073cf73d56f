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
    /// Gap between blocks.
    pub gap: f64,
    /// Width of the row label column (output channel names).
    pub label: f64,
    /// Top-left of the first block.
    pub origin: (f64, f64),
}

impl KernelLayout {
    /// Lays out a `[out, ipg, kh, kw]` kernel in `width × height` backend pixels.
    pub fn new(shape: [usize; 4], width: f64, height: f64, scale: f64) -> Self {
        let [o, i, kh, kw] = shape;
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        let gap = sizes::TILE_GAP_MIN * scale;
        let label = 40.0 * scale;
        let (o, i) = (o.max(1) as f64, i.max(1) as f64);
        let sw = (width.max(0.0) - label - gap * i) / (i * kw.max(1) as f64);
        let sh = (height.max(0.0) - gap * o) / (o * kh.max(1) as f64);
        let mut cell = sw.min(sh).clamp(0.0, sizes::MAX_CELL * scale);
        if cell >= 4.0 {
            cell = cell.floor();
        }
        KernelLayout {
            shape,
            cell,
            gap,
            label,
            origin: (label + gap / 2.0, gap / 2.0),
        }
    }

    /// The rectangle of a tap.
    pub fn tap_rect(&self, t: Tap) -> (f64, f64, f64, f64) {
        let [_, _, kh, kw] = self.shape;
        let bx = self.origin.0 + t.i as f64 * (kw as f64 * self.cell + self.gap);
        let by = self.origin.1 + t.o as f64 * (kh as f64 * self.cell + self.gap);
        let x0 = bx + t.kx as f64 * self.cell;
        let y0 = by + t.ky as f64 * self.cell;
        (x0, y0, x0 + self.cell, y0 + self.cell)
    }

    /// The tap under `(px, py)`, if any.
    pub fn hit(&self, px: f64, py: f64) -> Option<Tap> {
        let [o, i, kh, kw] = self.shape;
        if self.cell <= 0.0 || !px.is_finite() || !py.is_finite() {
            return None;
        }
        let bw = kw as f64 * self.cell + self.gap;
        let bh = kh as f64 * self.cell + self.gap;
        let rx = px - self.origin.0;
        let ry = py - self.origin.1;
        if rx < 0.0 || ry < 0.0 {
            return None;
        }
        let (bi, bo) = ((rx / bw).floor() as usize, (ry / bh).floor() as usize);
        let kx = ((rx - bi as f64 * bw) / self.cell).floor() as usize;
        let ky = ((ry - bo as f64 * bh) / self.cell).floor() as usize;
        (bi < i && bo < o && kx < kw && ky < kh).then_some(Tap {
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
    let [o, ipg, kh, kw] = shape;
    let opg = s.out_per_group().max(1);
    let frame = style.px(2.0);
    for oc in 0..o {
        let color = config::group_color(oc / opg);
        let first = layout.tap_rect(Tap {
            o: oc,
            i: 0,
            ky: 0,
            kx: 0,
        });
        area.draw_text(
            &format!("o{oc}"),
            &text_style(
                style.font_px() * 0.9,
                style.ink.text,
                Pos::new(HPos::Right, VPos::Center),
            ),
            (
                (first.0 - layout.gap).round() as i32,
                (first.1 + kh as f64 * layout.cell / 2.0).round() as i32,
            ),
        )
        .map_err(err)?;
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
            // Block frame in the group colour.
            let a = layout.tap_rect(Tap {
                o: oc,
                i,
                ky: 0,
                kx: 0,
            });
            let b = layout.tap_rect(Tap {
                o: oc,
                i,
                ky: kh - 1,
                kx: kw - 1,
            });
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
