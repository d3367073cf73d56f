//! Drawing for the bottleneck lesson: the N×N matrix next to the N×M and
//! M×N matrices (to scale, cells coloured by the real weights), and the
//! chart of the ratio 2M/N against M/N with the slide's "2N/M" for comparison.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor;

use crate::config;
use crate::draw::chart::{LineChart, Series};
use crate::draw::{err, DrawResult, Style};

/// Largest number of drawn cells per matrix side; larger matrices are shown
/// with each cell the mean of a block (the matrix keeps its true size).
pub const MAX_CELLS: usize = 64;

/// A row-major `rows × cols` matrix of weights.
#[derive(Clone, Copy, Debug)]
pub struct Matrix<'a> {
    /// Rows (outputs).
    pub rows: usize,
    /// Columns (inputs).
    pub cols: usize,
    /// `rows·cols` values.
    pub data: &'a [f32],
    /// Caption, e.g. `"N×M"`.
    pub label: &'a str,
}

impl Matrix<'_> {
    /// Mean of the block `[r0, r1) × [c0, c1)`.
    fn mean(&self, r0: usize, r1: usize, c0: usize, c1: usize) -> f32 {
        let mut sum = 0.0;
        let mut count = 0usize;
        for r in r0..r1 {
            for c in c0..c1 {
                if let Some(v) = self.data.get(r * self.cols + c) {
                    sum += v;
                    count += 1;
                }
            }
        }
        if count == 0 {
            0.0
        } else {
            sum / count as f32
        }
    }
}

/// Pixel layout of the three matrices: `(left, top, cell)` of each, in order
/// full, expand, reduce. Exposed for the tests (sizes to scale).
pub fn layout(w: u32, h: u32, n: usize, m: usize, font_px: f64) -> [(f64, f64, f64); 3] {
    let fp = font_px;
    let vs_gap = fp * 4.0;
    let dot_gap = fp * 2.0;
    let label_h = fp * 2.4;
    let units_w = (2 * n + m) as f64;
    let cell = ((f64::from(w) - vs_gap - dot_gap - 4.0) / units_w)
        .min((f64::from(h) - label_h - 4.0) / n.max(1) as f64)
        .max(0.1);
    let total = units_w * cell + vs_gap + dot_gap;
    let left = ((f64::from(w) - total) / 2.0).max(0.0);
    let top = 2.0;
    let full = (left, top, cell);
    let expand = (left + n as f64 * cell + vs_gap, top, cell);
    let reduce_top = top + (n - m.min(n)) as f64 * cell / 2.0;
    let reduce = (expand.0 + m as f64 * cell + dot_gap, reduce_top, cell);
    [full, expand, reduce]
}

/// The drawn cells of `mat`: `(r0, r1, c0, c1, mean)` blocks, at most
/// [`MAX_CELLS`] per side.
fn blocks(mat: &Matrix) -> Vec<(usize, usize, usize, usize, f32)> {
    let br = mat.rows.clamp(1, MAX_CELLS);
    let bc = mat.cols.clamp(1, MAX_CELLS);
    let mut out = Vec::with_capacity(br * bc);
    for a in 0..br {
        let (r0, r1) = (a * mat.rows / br, (a + 1) * mat.rows / br);
        for b in 0..bc {
            let (c0, c1) = (b * mat.cols / bc, (b + 1) * mat.cols / bc);
            out.push((r0, r1, c0, c1, mat.mean(r0, r1, c0, c1)));
        }
    }
    out
}

fn draw_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    mat: &Matrix,
    cells: &[(usize, usize, usize, usize, f32)],
    (left, top, cell): (f64, f64, f64),
    scale: f32,
    style: &Style,
) -> DrawResult {
    for &(r0, r1, c0, c1, mean) in cells {
        let v = mean / scale;
        let rect = [
            (
                (left + c0 as f64 * cell) as i32,
                (top + r0 as f64 * cell) as i32,
            ),
            (
                (left + c1 as f64 * cell) as i32,
                (top + r1 as f64 * cell) as i32,
            ),
        ];
        let fill = config::diverging(f64::from(v.clamp(-1.0, 1.0)), 1.0);
        area.draw(&Rectangle::new(rect, fill.filled()))
            .map_err(err)?;
    }
    let w = mat.cols as f64 * cell;
    let hgt = mat.rows as f64 * cell;
    area.draw(&Rectangle::new(
        [
            (left as i32, top as i32),
            ((left + w) as i32, (top + hgt) as i32),
        ],
        style
            .ink
            .text
            .stroke_width(style.px(1.0).round().max(1.0) as u32),
    ))
    .map_err(err)?;
    let caption = ("sans-serif", style.font_px())
        .into_font()
        .color(&style.ink.text)
        .pos(text_anchor::Pos::new(
            text_anchor::HPos::Center,
            text_anchor::VPos::Top,
        ));
    area.draw(&Text::new(
        format!("{} = {}", mat.label, mat.rows * mat.cols),
        (
            (left + w / 2.0) as i32,
            (top + hgt + style.font_px() * 0.4) as i32,
        ),
        caption,
    ))
    .map_err(err)?;
    Ok(())
}

/// The N×N matrix, "vs", then the N×M matrix times the M×N matrix, every
/// cell sized to scale and coloured by its real weight (diverging palette,
/// symmetric around zero over all three matrices).
///
/// # Errors
/// A backend error.
pub fn draw_matrices<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    full: &Matrix,
    expand: &Matrix,
    reduce: &Matrix,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    let (n, m) = (full.rows, reduce.rows);
    let boxes = layout(w, h, n, m, style.font_px());
    let cells = [blocks(full), blocks(expand), blocks(reduce)];
    // One colour scale for the three matrices, over the drawn (averaged) cells.
    let scale = cells
        .iter()
        .flatten()
        .fold(0.0f32, |a, c| a.max(c.4.abs()))
        .max(1e-12);
    draw_matrix(area, full, &cells[0], boxes[0], scale, style)?;
    draw_matrix(area, expand, &cells[1], boxes[1], scale, style)?;
    draw_matrix(area, reduce, &cells[2], boxes[2], scale, style)?;
    let mid_y = (boxes[0].1 + n as f64 * boxes[0].2 / 2.0) as i32;
    let centred = |size: f64| {
        ("sans-serif", style.font_px() * size)
            .into_font()
            .color(&style.ink.text)
            .pos(text_anchor::Pos::new(
                text_anchor::HPos::Center,
                text_anchor::VPos::Center,
            ))
    };
    let vs_x = (boxes[1].0 - style.font_px() * 2.0) as i32;
    area.draw(&Text::new("vs", (vs_x, mid_y), centred(1.3)))
        .map_err(err)?;
    let dot_x = (boxes[2].0 - style.font_px()) as i32;
    area.draw(&Text::new("·", (dot_x, mid_y), centred(2.0)))
        .map_err(err)?;
    Ok(())
}

/// The ratio chart: `2M/N` against `M/N ∈ (0, 1]`, the break-even line at
/// 1 (reached at M = N/2), the slide's "2N/M" (never below 2 for M ≤ N, so
/// it cannot be what the slide's "less than 1 if M < 0.5N" describes), and
/// the current point marked.
pub fn ratio_chart(n: usize, m: usize) -> LineChart {
    let f = m as f64 / n.max(1) as f64;
    let slide: Vec<(f64, f64)> = (0..=50)
        .map(|i| 0.5 + 0.5 * f64::from(i) / 50.0)
        .map(|x| (x, 2.0 / x))
        .collect();
    LineChart {
        title: String::new(),
        x_label: "M/N — bottleneck width ÷ channels".into(),
        y_label: "bottleneck ÷ original".into(),
        series: vec![
            Series {
                name: "2M/N (correct)".into(),
                color: config::CATEGORICAL[4],
                points: vec![(0.0, 0.0), (1.0, 2.0)],
                dots: false,
            },
            Series {
                name: "slide: 2N/M (typo)".into(),
                color: config::CATEGORICAL[0],
                points: slide,
                dots: false,
            },
            Series {
                name: "break-even (1)".into(),
                color: config::CATEGORICAL[7],
                points: vec![(0.0, 1.0), (1.0, 1.0)],
                dots: false,
            },
        ],
        marks: vec![(f, 2.0 * f, config::CATEGORICAL[5])],
        log_y: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::chart::line_chart;
    use crate::draw::to_svg;

    #[test]
    fn matrices_are_to_scale() {
        for (n, m) in [(16usize, 4usize), (8, 8), (256, 64)] {
            let [full, expand, reduce] = layout(900, 400, n, m, 12.0);
            assert_eq!(full.2, expand.2);
            assert_eq!(expand.2, reduce.2);
            // Boxes do not overlap and fit the width.
            assert!(full.0 + n as f64 * full.2 < expand.0);
            assert!(expand.0 + m as f64 * expand.2 < reduce.0);
            assert!(reduce.0 + n as f64 * reduce.2 <= 900.0);
        }
    }

    #[test]
    fn matrices_draw_every_cell_up_to_the_limit() {
        let style = Style::default();
        let pos = format!(
            "fill=\"{}\"",
            config::css(config::diverging(1.0, 1.0)).to_uppercase()
        );
        let neg = format!(
            "fill=\"{}\"",
            config::css(config::diverging(-1.0, 1.0)).to_uppercase()
        );
        for (n, m, full_cells, small_cells) in
            [(8usize, 2usize, 64, 16), (100, 10, 64 * 64, 64 * 10)]
        {
            let full = vec![1.0f32; n * n];
            let up = vec![-1.0f32; n * m];
            let down = vec![-1.0f32; m * n];
            let s = to_svg(900, 400, |a| {
                draw_matrices(
                    a,
                    &Matrix {
                        rows: n,
                        cols: n,
                        data: &full,
                        label: "N×N",
                    },
                    &Matrix {
                        rows: n,
                        cols: m,
                        data: &up,
                        label: "N×M",
                    },
                    &Matrix {
                        rows: m,
                        cols: n,
                        data: &down,
                        label: "M×N",
                    },
                    &style,
                )
            })
            .unwrap();
            assert_eq!(s.matches(&pos).count(), full_cells, "n={n} m={m}");
            assert_eq!(s.matches(&neg).count(), 2 * small_cells, "n={n} m={m}");
            assert!(s.contains(&format!("N×N = {}", n * n)));
            assert!(s.contains(&format!("N×M = {}", n * m)));
        }
    }

    #[test]
    fn ratio_chart_marks_the_point_and_the_typo() {
        let chart = ratio_chart(16, 4);
        assert_eq!((chart.marks[0].0, chart.marks[0].1), (0.25, 0.5));
        // The slide's curve never drops below 2 on M ≤ N.
        assert!(chart.series[1].points.iter().all(|p| p.1 >= 2.0));
        let s = to_svg(520, 340, |a| line_chart(a, &chart, &Style::default())).unwrap();
        assert!(s.contains("slide: 2N/M (typo)"));
        assert!(s.contains("2M/N (correct)"));
    }
}
