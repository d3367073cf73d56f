//! Drawing for the depthwise-separable lesson: the chart of the cost ratio
//! `mult/N + mult/K²` against N for K = 3, 5, 7 (and the current K), the
//! current (N, K) marked. Drawn by the shared line chart.

use crate::config;
use crate::draw::chart::{LineChart, Series};

use super::model::ratio;

/// The kernel sizes whose ratio curves are always plotted.
pub const PLOTTED_KERNELS: [usize; 3] = [3, 5, 7];

/// The kernels whose curves are drawn: 3, 5, 7 and the current one.
pub fn plotted_kernels(k: usize) -> Vec<usize> {
    let mut ks = PLOTTED_KERNELS.to_vec();
    if !ks.contains(&k) {
        ks.insert(0, k);
    }
    ks
}

/// The x range of the chart: N from 1 to 64, or to the next power of two
/// above the current N (so the axis only changes when N passes 64, 128).
pub fn n_extent(n: usize) -> usize {
    n.max(64).next_power_of_two()
}

/// Colour of the curve of kernel size `k` (same in every figure of the lesson).
pub fn kernel_colour(k: usize) -> plotters::style::RGBColor {
    config::group_color(k / 2)
}

/// The ratio chart: one curve per kernel size, break-even at 1, the current
/// `(N, mult/N + mult/K²)` marked.
pub fn ratio_chart(n: usize, k: usize, mult: usize) -> LineChart {
    let extent = n_extent(n);
    let xs: Vec<usize> = (1..=extent).collect();
    let mut series: Vec<Series> = plotted_kernels(k)
        .into_iter()
        .map(|kk| Series {
            name: if mult == 1 {
                format!("K = {kk}: 1/N + 1/{}", kk * kk)
            } else {
                format!("K = {kk}: {mult}/N + {mult}/{}", kk * kk)
            },
            color: kernel_colour(kk),
            points: xs.iter().map(|&x| (x as f64, ratio(x, kk, mult))).collect(),
            dots: false,
        })
        .collect();
    series.push(Series {
        name: "break-even (1)".into(),
        color: config::CATEGORICAL[7],
        points: vec![(1.0, 1.0), (extent as f64, 1.0)],
        dots: false,
    });
    LineChart {
        title: String::new(),
        x_label: "N — output channels".into(),
        y_label: "separable ÷ standard".into(),
        series,
        marks: vec![(n as f64, ratio(n, k, mult), config::CATEGORICAL[5])],
        log_y: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::chart::line_chart;
    use crate::draw::{to_svg, Style};

    #[test]
    fn curves_for_3_5_7_and_the_current_kernel() {
        assert_eq!(plotted_kernels(5), vec![3, 5, 7]);
        assert_eq!(plotted_kernels(1), vec![1, 3, 5, 7]);
        let chart = ratio_chart(128, 3, 1);
        let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "K = 3: 1/N + 1/9",
                "K = 5: 1/N + 1/25",
                "K = 7: 1/N + 1/49",
                "break-even (1)"
            ]
        );
        let (x, y, _) = chart.marks[0];
        assert_eq!(x, 128.0);
        assert!((y - (1.0 / 128.0 + 1.0 / 9.0)).abs() < 1e-12);
        assert_eq!(chart.series[0].points.len(), 128);
        let svg = to_svg(520, 320, |a| line_chart(a, &chart, &Style::default())).unwrap();
        assert!(svg.contains("K = 7: 1/N + 1/49"));
    }

    #[test]
    fn extent_changes_only_past_64() {
        assert_eq!(n_extent(1), 64);
        assert_eq!(n_extent(64), 64);
        assert_eq!(n_extent(65), 128);
        assert_eq!(n_extent(256), 256);
        let chart = ratio_chart(16, 1, 2);
        assert_eq!(chart.series[0].name, "K = 1: 2/N + 2/1");
        assert!((chart.marks[0].1 - (2.0 / 16.0 + 2.0)).abs() < 1e-12);
    }
}
