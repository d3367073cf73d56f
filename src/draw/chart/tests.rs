//! Tests of [`super`]: legends, axes, category names, charts drawn to SVG.
#[test]
fn bars_leave_the_legend_its_share_of_the_plot() {
    use super::bar::linear_top;
    // Linear: the tallest bar ends below the legend's share.
    for share in [0.0, 0.1, 0.35, 0.6] {
        let top = linear_top(50.0, share);
        assert!(1.0 - 50.0 / top >= share - 1e-9, "share {share}: top {top}");
        assert!(top >= 50.0 * 1.08);
    }
    assert_eq!(linear_top(0.0, 0.3), 1.0);
}

#[test]
fn legend_goes_to_the_emptiest_corner() {
    // A line rising from bottom left to top right leaves the upper left
    // and lower right empty; upper left wins the tie.
    let diag = (0..100).map(|i| (i, 100 - i));
    assert!(matches!(
        legend_corner(diag, 0..100, 0..100),
        SeriesLabelPosition::UpperLeft
    ));
    // A falling line from top left fills the upper left: upper right is free.
    let falling = (0..100).map(|i| (i, i));
    assert!(matches!(
        legend_corner(falling, 0..100, 0..100),
        SeriesLabelPosition::UpperRight
    ));
    // Points everywhere but the lower left.
    let busy = (0..100)
        .flat_map(|x| (0..100).map(move |y| (x, y)))
        .filter(|&(x, y)| !(x < 50 && y > 50));
    assert!(matches!(
        legend_corner(busy, 0..100, 0..100),
        SeriesLabelPosition::LowerLeft
    ));
}

#[test]
fn category_names_shorten_then_become_numbers() {
    let names: Vec<String> = ["conv1", "bottleneck", "fc"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // Every character 6 px wide.
    let w = |t: &str| t.chars().count() as f64 * 6.0;
    // Wide slots: unchanged.
    assert_eq!(fit_categories(&names, 200.0, w), names);
    // 58 px slots hold 54 px of text (a 4 px gap): 9 characters, so
    // "bottleneck" keeps 8 of its 10 and an ellipsis.
    assert_eq!(
        fit_categories(&names, 58.0, w),
        vec!["conv1", "bottlene\u{2026}", "fc"]
    );
    // 34 px slots hold 5 characters: "bott…" would keep less than 60% of the
    // name, a guess more than a label, so the bars are numbered (a key says
    // what the numbers are).
    assert_eq!(fit_categories(&names, 34.0, w), vec!["1", "2", "3"]);
    // Fewer than 3 characters and "…": numbers, thinned so two digits + a gap fit.
    let many: Vec<String> = (0..17).map(|i| format!("stage{i}")).collect();
    let shown = fit_categories(&many, 8.0, w);
    assert_eq!(shown.len(), 17);
    // "17" needs 12 + 4 = 16 px: every 2nd slot of 8 px.
    assert_eq!(shown[0], "1");
    assert_eq!(shown[1], "");
    assert_eq!(shown[2], "3");
    assert_eq!(shown.iter().filter(|s| !s.is_empty()).count(), 9);
    // A name with a space or hyphen goes on two lines before it is cut.
    let two: Vec<String> = ["standard conv", "depthwise-separable"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        fit_categories(&two, 64.0, w),
        vec!["standard\nconv", "depthwise-\nseparable"]
    );
    // No label is wider than its slot less the gap.
    for slot in [8.0, 20.0, 34.0, 50.0] {
        for t in fit_categories(&names, slot, w) {
            assert!(t.is_empty() || w(&t) <= slot - 4.0 || t.parse::<usize>().is_ok());
        }
    }
}

use super::categories::fit_categories;
use super::legend::{draw_legend, legend_corner, LegendKey};
use super::*;
use crate::config::group_color;
use crate::draw::{to_svg, Style};

/// `(x, y, width, height)` of the first `<rect … x=".." y=".." width=".." height="..">`.
fn first_rect(svg: &str) -> (f64, f64, f64, f64) {
    let r = &svg[svg.find("<rect").unwrap()..];
    let attr = |k: &str| -> f64 {
        let at = r.find(&format!(" {k}=\"")).unwrap() + k.len() + 3;
        r[at..at + r[at..].find('"').unwrap()].parse().unwrap()
    };
    (attr("x"), attr("y"), attr("width"), attr("height"))
}

#[test]
fn legend_box_sits_in_its_corner_inside_the_plot_and_fits_its_labels() {
    let rows = [
        ("dense", group_color(0)),
        ("a much longer series name", group_color(1)),
    ];
    for (corner, right, lower) in [
        (SeriesLabelPosition::UpperLeft, false, false),
        (SeriesLabelPosition::UpperRight, true, false),
        (SeriesLabelPosition::LowerRight, true, true),
        (SeriesLabelPosition::LowerLeft, false, true),
    ] {
        for key in [LegendKey::Line, LegendKey::Box] {
            let svg = to_svg(500, 300, |a| {
                draw_legend(a, &rows, key, corner.clone(), &Style::default())
            })
            .unwrap();
            let (x, y, w, h) = first_rect(&svg);
            assert!(
                x >= 0.0 && y >= 0.0 && x + w <= 500.0 && y + h <= 300.0,
                "{svg}"
            );
            assert_eq!(x + w / 2.0 > 250.0, right, "{corner:?}: {svg}");
            assert_eq!(y + h / 2.0 > 150.0, lower, "{corner:?}: {svg}");
            // Wide enough for the longest name at ~0.5 em per character, tall
            // enough for two rows.
            let font = Style::default().font_px();
            assert!(w >= 0.5 * font * 25.0, "{w}");
            assert!(h >= 2.0 * font, "{h}");
            assert!(svg.contains("dense") && svg.contains("a much longer series name"));
        }
    }
    // Nothing to list: nothing drawn.
    let svg = to_svg(100, 100, |a| {
        draw_legend(
            a,
            &[],
            LegendKey::Line,
            SeriesLabelPosition::UpperLeft,
            &Style::default(),
        )
    })
    .unwrap();
    assert!(!svg.contains("<rect"));
}

fn two_series() -> LineChart {
    LineChart {
        title: "params vs C".into(),
        x_label: "C".into(),
        y_label: "parameters".into(),
        series: vec![
            Series {
                name: "dense".into(),
                color: group_color(0),
                points: (1..=8).map(|c| (c as f64, (c * c * 100) as f64)).collect(),
                dots: false,
            },
            Series {
                name: "conv".into(),
                color: group_color(1),
                points: (1..=8).map(|c| (c as f64, (c * 9) as f64)).collect(),
                dots: false,
            },
        ],
        marks: vec![(4.0, 36.0, group_color(1))],
        log_y: false,
    }
}

#[test]
fn line_chart_svg_has_series_legend_axes_and_mark() {
    let svg = to_svg(480, 300, |a| {
        line_chart(a, &two_series(), &Style::default())
    })
    .unwrap();
    assert!(svg.contains("params vs C"));
    let texts = crate::draw::svg_texts(&svg);
    let has = |t: &str| texts.iter().any(|x| x == t);
    assert!(has("dense") && has("conv"), "legend: {texts:?}");
    assert!(has("parameters"), "y label: {texts:?}");
    assert!(svg.matches("<polyline").count() >= 2, "two lines");
    assert!(svg.contains("<circle"), "current point");
    let lower = svg.to_lowercase();
    assert!(lower.contains(&crate::config::css(group_color(0))));
}

#[test]
fn log_chart_drops_nonpositive_and_draws() {
    let mut c = two_series();
    c.log_y = true;
    c.series[0].points.push((9.0, 0.0));
    c.series[0].points.push((10.0, f64::NAN));
    let svg = to_svg(480, 300, |a| line_chart(a, &c, &Style::default())).unwrap();
    assert!(svg.contains("<polyline"));
}

#[test]
fn empty_chart_is_an_error_not_a_panic() {
    let c = LineChart::default();
    assert!(to_svg(100, 100, |a| line_chart(a, &c, &Style::default())).is_err());
    let single = LineChart {
        series: vec![Series {
            name: "one".into(),
            color: group_color(0),
            points: vec![(1.0, 1.0)],
            dots: false,
        }],
        ..Default::default()
    };
    assert!(to_svg(200, 150, |a| line_chart(a, &single, &Style::default())).is_ok());
}

#[test]
fn bars_grouped_and_stacked() {
    let mut b = BarChart {
        title: "MACs per layer".into(),
        categories: vec!["conv1".into(), "dw".into(), "pw".into()],
        y_label: "MACs".into(),
        series: vec![
            ("standard".into(), group_color(0), vec![100.0, 50.0, 10.0]),
            ("separable".into(), group_color(1), vec![80.0, 5.0, 40.0]),
        ],
        stacked: false,
        highlight: Some(1),
    };
    let svg = to_svg(480, 300, |a| bar_chart(a, &b, &Style::default())).unwrap();
    let texts = crate::draw::svg_texts(&svg);
    let has = |t: &str| texts.iter().any(|x| x == t);
    assert!(
        has("conv1") && has("dw") && has("pw"),
        "category labels: {texts:?}"
    );
    assert!(has("separable"), "legend: {texts:?}");
    assert!(!has(""), "no empty tick labels: {texts:?}");
    // The names sit left to right under their bars, below the plot.
    let x_of = |name: &str| -> i32 {
        let at = svg.find(&format!(">\n{name}\n</text>")).unwrap();
        let open = svg[..at].rfind("<text").unwrap();
        let attr = &svg[open..at];
        let x = attr.split("x=\"").nth(1).unwrap();
        x[..x.find('"').unwrap()].parse().unwrap()
    };
    let (x0, x1, x2) = (x_of("conv1"), x_of("dw"), x_of("pw"));
    assert!(x0 < x1 && x1 < x2, "{x0} {x1} {x2}");
    assert!(
        (x1 - x0 - (x2 - x1)).abs() <= 1,
        "evenly spaced: {x0} {x1} {x2}"
    );
    let fills = |s: &str, c| {
        s.to_lowercase()
            .matches(&format!("fill=\"{}\"", crate::config::css(c)))
            .count()
    };
    assert!(fills(&svg, group_color(1)) >= 3, "three bars of series 1");
    b.stacked = true;
    assert!(to_svg(480, 300, |a| bar_chart(a, &b, &Style::default())).is_ok());
    b.series[0].2.pop();
    assert!(to_svg(480, 300, |a| bar_chart(a, &b, &Style::default())).is_err());
}

#[test]
fn axis_numbers_are_compact() {
    assert_eq!(axis_number(0.0), "0");
    assert_eq!(axis_number(1500.0), "1500");
    assert_eq!(axis_number(35_000.0), "35k");
    assert_eq!(axis_number(1_200_000.0), "1.2M");
    assert_eq!(axis_number(4.2e9), "4.2G");
    assert_eq!(axis_number(0.5), "0.5");
}
