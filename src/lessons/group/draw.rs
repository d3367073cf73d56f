//! Drawing for the group-convolution lesson: the weight tensor as blocks
//! coloured by group, the channel-connectivity graph, and params vs M.
//! Pure functions over any plotters backend (canvas in the page, SVG in tests).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::config;
use crate::draw::chart::{LineChart, Series};
use crate::draw::{err, DrawResult, Style};

/// Colour of group `g` (the app's categorical palette).
pub fn group(g: usize) -> RGBColor {
    config::group_color(g)
}

/// A text style of the base font size times `size`.
fn text(style: &Style, size: f64, colour: RGBColor) -> TextStyle<'static> {
    ("sans-serif", style.font_px() * size)
        .into_font()
        .color(&colour)
}

/// Linear blend of two colours, `t ∈ [0, 1]`.
pub fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let l = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(l(a.0, b.0), l(a.1, b.1), l(a.2, b.2))
}

/// Smooth easing `3t² − 2t³` on `[0, 1]`.
pub fn ease(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// One frame of the morph between group counts `from` and `to` (`t = 0` is
/// `from`, `t = 1` is `to`) for `c` inputs and `n` outputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Morph {
    /// Input channels `C`.
    pub c: usize,
    /// Output channels `N`.
    pub n: usize,
    /// Groups at the start.
    pub from: usize,
    /// Groups at the end.
    pub to: usize,
    /// Progress `0..=1`.
    pub t: f64,
}

impl Morph {
    /// A still frame at `m` groups.
    pub fn still(c: usize, n: usize, m: usize) -> Morph {
        Morph {
            c,
            n,
            from: m,
            to: m,
            t: 1.0,
        }
    }

    fn group_of(count: usize, total: usize, groups: usize) -> usize {
        count / (total / groups.max(1)).max(1)
    }

    /// Whether input `i` feeds output `o` with `m` groups.
    pub fn connected(&self, m: usize, i: usize, o: usize) -> bool {
        Self::group_of(i, self.c, m) == Self::group_of(o, self.n, m)
    }

    /// Opacity and colour of the link `i → o` in this frame (`None` when absent).
    pub fn link(&self, i: usize, o: usize) -> Option<(f64, RGBColor)> {
        let e = ease(self.t);
        let a0 = f64::from(u8::from(self.connected(self.from, i, o)));
        let a1 = f64::from(u8::from(self.connected(self.to, i, o)));
        let alpha = a0 + (a1 - a0) * e;
        (alpha > 0.001).then(|| (alpha, self.out_colour(o)))
    }

    /// Colour of output channel `o` in this frame.
    pub fn out_colour(&self, o: usize) -> RGBColor {
        mix(
            group(Self::group_of(o, self.n, self.from)),
            group(Self::group_of(o, self.n, self.to)),
            ease(self.t),
        )
    }

    /// Colour of input channel `i` in this frame.
    pub fn in_colour(&self, i: usize) -> RGBColor {
        mix(
            group(Self::group_of(i, self.c, self.from)),
            group(Self::group_of(i, self.c, self.to)),
            ease(self.t),
        )
    }
}

/// The weight tensor `[N, C/M, K, K]` laid out as an N × C grid: the cell
/// (o, i) is a K×K kernel slice, filled in its group's colour when it exists,
/// an empty outline when grouping removed it.
///
/// ```text
///        input channel i →
///  o ↓  ███▒▒▒      group 0: outputs 0..N/M read inputs 0..C/M
///       ███▒▒▒
///       ▒▒▒███      group 1 …
/// ```
///
/// # Errors
/// A backend error.
pub fn draw_weight_blocks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Morph,
    style: &Style,
) -> DrawResult {
    let ink = style.ink;
    area.fill(&ink.background).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    let label = style.font_px() * 1.8;
    let (gw, gh) = (f64::from(w) - label, f64::from(h) - label);
    let (c, n) = (frame.c.max(1), frame.n.max(1));
    let cell = (gw / c as f64).min(gh / n as f64).max(1.0);
    let x0 = label + (gw - cell * c as f64) / 2.0;
    let y0 = label;
    let gap = if cell >= style.px(6.0) {
        style.px(1.0)
    } else {
        0.0
    };
    for o in 0..n {
        for i in 0..c {
            let (l, t) = (x0 + i as f64 * cell, y0 + o as f64 * cell);
            let rect = [
                (l as i32, t as i32),
                ((l + cell - gap) as i32, (t + cell - gap) as i32),
            ];
            match frame.link(i, o) {
                Some((alpha, colour)) => {
                    area.draw(&Rectangle::new(rect, colour.mix(alpha).filled()))
                        .map_err(err)?;
                    if alpha < 0.999 {
                        area.draw(&Rectangle::new(rect, ink.muted.mix(1.0 - alpha)))
                            .map_err(err)?;
                    }
                }
                None => area
                    .draw(&Rectangle::new(rect, ink.muted.mix(0.5)))
                    .map_err(err)?,
            }
        }
    }
    area.draw(&Text::new(
        "input channels C →",
        (x0 as i32, (label * 0.15) as i32),
        text(style, 1.0, ink.text),
    ))
    .map_err(err)?;
    area.draw(&Text::new(
        "outputs N →",
        ((label * 0.15) as i32, (y0 + n as f64 * cell) as i32),
        text(style, 1.0, ink.text).transform(FontTransform::Rotate270),
    ))
    .map_err(err)?;
    Ok(())
}

/// Centres of a row of graph nodes, in backend pixels.
pub type NodeRow = Vec<(f64, f64)>;

/// Geometry of the connectivity graph: node centres of inputs (top row) and
/// outputs (bottom row) in a `w × h` area with `pad` pixels of margin.
pub fn graph_nodes(w: u32, h: u32, c: usize, n: usize, pad: f64) -> (NodeRow, NodeRow) {
    let row = |count: usize, y: f64| {
        let span = f64::from(w) - 2.0 * pad;
        (0..count)
            .map(|k| (pad + span * (k as f64 + 0.5) / count.max(1) as f64, y))
            .collect::<Vec<_>>()
    };
    (row(c, pad * 1.6), row(n, f64::from(h) - pad * 1.6))
}

/// The channel-connectivity graph: C input channels (top) → N output
/// channels (bottom), one line per input an output reads, coloured by group.
/// `edited` rings an input channel; `unchanged` (per output, from comparing
/// real outputs) draws unchanged outputs hollow and rings the changed ones.
///
/// # Errors
/// A backend error.
pub fn draw_connectivity<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Morph,
    style: &Style,
    edited: Option<usize>,
    unchanged: Option<&[bool]>,
) -> DrawResult {
    let ink = style.ink;
    area.fill(&ink.background).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    let pad = style.font_px() * 1.2;
    let (ins, outs) = graph_nodes(w, h, frame.c, frame.n, pad);
    let r = ((f64::from(w) - 2.0 * pad) / (2.6 * frame.c.max(frame.n).max(1) as f64))
        .clamp(style.px(2.0), style.px(9.0));
    let p = |q: (f64, f64)| (q.0 as i32, q.1 as i32);
    let thin = style.px(1.0).round().max(1.0) as u32;
    let thick = style.px(3.0).round() as u32;
    for (o, &b) in outs.iter().enumerate() {
        for (i, &a) in ins.iter().enumerate() {
            if let Some((alpha, colour)) = frame.link(i, o) {
                let strong = edited == Some(i);
                let faded = if edited.is_some() && !strong {
                    0.3
                } else {
                    0.85
                };
                let line =
                    colour
                        .mix(alpha * faded)
                        .stroke_width(if strong { thick } else { thin });
                area.draw(&PathElement::new(vec![p(a), p(b)], line))
                    .map_err(err)?;
            }
        }
    }
    let ring = style.px(4.0);
    for (i, &a) in ins.iter().enumerate() {
        area.draw(&Circle::new(p(a), r as i32, frame.in_colour(i).filled()))
            .map_err(err)?;
        if edited == Some(i) {
            area.draw(&Circle::new(
                p(a),
                (r + ring) as i32,
                ink.focus.stroke_width(thick),
            ))
            .map_err(err)?;
        }
    }
    for (o, &b) in outs.iter().enumerate() {
        let colour = frame.out_colour(o);
        let same = unchanged.and_then(|u| u.get(o)).copied();
        if same == Some(true) {
            area.draw(&Circle::new(p(b), r as i32, ink.background.filled()))
                .map_err(err)?;
            area.draw(&Circle::new(p(b), r as i32, colour.stroke_width(thick)))
                .map_err(err)?;
        } else {
            area.draw(&Circle::new(p(b), r as i32, colour.filled()))
                .map_err(err)?;
        }
        if same == Some(false) {
            area.draw(&Circle::new(
                p(b),
                (r + ring) as i32,
                ink.focus.stroke_width(thick),
            ))
            .map_err(err)?;
        }
    }
    let label = text(style, 0.9, ink.muted);
    area.draw(&Text::new("inputs (C)", (2, 0), label.clone()))
        .map_err(err)?;
    let bottom = (f64::from(h) - style.font_px()) as i32;
    area.draw(&Text::new("outputs (N)", (2, bottom), label))
        .map_err(err)?;
    Ok(())
}

/// The "params vs M" chart: `K·K·C·N/M (+N)` at every valid M (counts from
/// real tensors), the standard conv for reference, the current M marked.
pub fn params_chart(points: &[(usize, u64)], current: usize, bias: bool) -> LineChart {
    let xy: Vec<(f64, f64)> = points.iter().map(|&(m, p)| (m as f64, p as f64)).collect();
    let standard = points.first().map_or(0.0, |p| p.1 as f64);
    let last = points.last().map_or(1.0, |p| p.0 as f64);
    let mark = points
        .iter()
        .find(|p| p.0 == current)
        .map(|&(m, p)| (m as f64, p as f64, config::CATEGORICAL[5]));
    LineChart {
        title: String::new(),
        x_label: "M — groups".into(),
        y_label: "parameters".into(),
        series: vec![
            Series {
                name: if bias {
                    "K·K·C·N/M + N"
                } else {
                    "K·K·C·N/M"
                }
                .into(),
                color: config::CATEGORICAL[4],
                points: xy,
                dots: true,
            },
            Series {
                name: "standard conv (M = 1)".into(),
                color: config::CATEGORICAL[7],
                points: vec![(1.0, standard), (last, standard)],
                dots: false,
            },
        ],
        marks: mark.into_iter().collect(),
        log_y: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::to_svg;

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    #[test]
    fn morph_links_follow_groups() {
        let f = Morph::still(8, 4, 2);
        assert!(f.connected(2, 3, 1));
        assert!(!f.connected(2, 4, 1));
        assert!(f.connected(2, 7, 3));
        let half = Morph {
            c: 8,
            n: 8,
            from: 1,
            to: 8,
            t: 0.5,
        };
        // Depthwise keeps the diagonal, fades everything else.
        assert_eq!(half.link(3, 3).map(|l| l.0), Some(1.0));
        assert!((half.link(0, 3).map_or(0.0, |l| l.0) - 0.5).abs() < 1e-9);
        assert!(Morph { t: 1.0, ..half }.link(0, 3).is_none());
    }

    #[test]
    fn weight_blocks_fill_exactly_the_weights_that_exist() {
        let style = Style::default();
        for m in [1usize, 2, 4] {
            let s = to_svg(400, 300, |a| {
                draw_weight_blocks(a, &Morph::still(4, 8, m), &style)
            })
            .unwrap();
            // N·C/M filled slices, each in the colour of its group.
            let filled: usize = (0..m)
                .map(|g| s.matches(&format!("fill=\"{}\"", hex(group(g)))).count())
                .sum();
            assert_eq!(filled, 8 * 4 / m, "m={m}");
        }
    }

    #[test]
    fn connectivity_draws_one_line_per_link() {
        let style = Style::default();
        for m in [1usize, 2, 4] {
            let s = to_svg(400, 300, |a| {
                draw_connectivity(a, &Morph::still(4, 8, m), &style, None, None)
            })
            .unwrap();
            assert_eq!(s.matches("<polyline").count(), 4 * 8 / m, "m={m}");
        }
    }

    #[test]
    fn params_chart_marks_the_current_m() {
        let pts = vec![(1, 2320), (2, 1168), (4, 592), (8, 304), (16, 160)];
        let chart = params_chart(&pts, 4, true);
        assert_eq!(chart.marks.len(), 1);
        assert_eq!((chart.marks[0].0, chart.marks[0].1), (4.0, 592.0));
        assert_eq!(chart.series[0].points.len(), 5);
        assert_eq!(chart.series[1].points, vec![(1.0, 2320.0), (16.0, 2320.0)]);
        let svg = to_svg(480, 300, |a| {
            crate::draw::chart::line_chart(a, &chart, &Style::default())
        })
        .unwrap();
        assert!(svg.contains("M — groups"));
    }

    #[test]
    fn unchanged_outputs_are_drawn_hollow() {
        let style = Style::default();
        let unchanged = [true, true, false, false];
        let s = to_svg(400, 300, |a| {
            draw_connectivity(a, &Morph::still(4, 4, 2), &style, Some(2), Some(&unchanged))
        })
        .unwrap();
        // One ring around the edited input, one around each of the two changed outputs.
        let focus = hex(style.ink.focus);
        assert_eq!(s.matches(&format!("stroke=\"{focus}\"")).count(), 3);
        // The two unchanged outputs are hollow: background fill with a group-coloured stroke.
        assert!(s.matches(&format!("stroke=\"{}\"", hex(group(0)))).count() >= 2);
    }
}
