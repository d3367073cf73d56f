//! The zoo's charts: per-stage stacked bars of parameters and of MACs (or
//! FLOPs), stacked by layer family, and the home card's thumbnail.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::model::{stage_families, FAMILIES};
use super::state::ZooState;
use crate::config;
use crate::draw::chart::{bar_chart, BarChart};
use crate::draw::{DrawResult, Style};

/// Which quantity a stage chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// Parameters.
    Params,
    /// MACs or FLOPs, per the state's unit.
    Ops,
}

/// The stacked bar chart of `q` per stage for the state's model (or twin).
///
/// # Errors
/// The kernel crate's message when the model cannot be built.
pub fn stage_chart(st: &ZooState, q: Quantity) -> Result<BarChart, String> {
    let table = st.build(st.twin)?;
    let (names, params, macs) = stage_families(&table);
    let scale = if st.flops() { 2.0 } else { 1.0 };
    let (values, label) = match q {
        Quantity::Params => (params, format!("parameters ({})", convention_word(st))),
        Quantity::Ops => (
            macs.into_iter()
                .map(|v| v.into_iter().map(|x| x * scale).collect())
                .collect(),
            if st.flops() {
                "FLOPs (= 2\u{b7}MACs)".to_string()
            } else {
                "MACs (multiply\u{2013}adds)".to_string()
            },
        ),
    };
    let series = FAMILIES
        .iter()
        .enumerate()
        .zip(values)
        .filter(|(_, v)| v.iter().any(|x| *x > 0.0))
        .map(|((i, name), v)| (name.to_string(), config::group_color(i), v))
        .collect();
    Ok(BarChart {
        title: String::new(),
        categories: names.iter().map(|n| short_stage(n)).collect(),
        y_label: label,
        series,
        stacked: true,
        highlight: None,
    })
}

fn convention_word(st: &ZooState) -> &'static str {
    if st.torchvision() {
        "torchvision"
    } else {
        "lecture"
    }
}

/// Stage names short enough to sit under a bar: `stage2` → `s2`, `features` stays.
fn short_stage(n: &str) -> String {
    n.strip_prefix("stage")
        .map(|r| format!("s{r}"))
        .unwrap_or_else(|| n.to_string())
}

/// The key to the stage charts' numbers (a phone numbers the bars when the
/// names do not fit under them): "1 features · 2 s2 · …", one entry per bar,
/// named as the layer table names the stages.
///
/// # Errors
/// The kernel crate's message when the model cannot be built.
pub fn stage_key(st: &ZooState) -> Result<String, String> {
    let table = st.build(st.twin)?;
    let (names, _, _) = stage_families(&table);
    Ok(names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{}\u{a0}{n}", i + 1))
        .collect::<Vec<_>>()
        .join(" \u{b7} "))
}

/// Draws the chart of `q` (or the model's error as text).
pub fn draw_stages<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &ZooState,
    q: Quantity,
    style: &Style,
) -> DrawResult {
    bar_chart(area, &stage_chart(st, q)?, style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::zoo::state::Units;
    use convlab_core::models::Zoo;

    #[test]
    fn stage_chart_stacks_to_the_totals() {
        let st = ZooState::default().with_model(Zoo::ShuffleNetV2);
        let c = stage_chart(&st, Quantity::Params).unwrap();
        let sum: f64 = c.series.iter().flat_map(|s| s.2.iter()).sum();
        assert_eq!(sum as u64, 2_278_604);
        assert!(c.categories.iter().any(|n| n == "s2"), "{:?}", c.categories);
        let f = ZooState {
            units: Units::Flops,
            ..st
        };
        let m = stage_chart(&st, Quantity::Ops).unwrap();
        let fl = stage_chart(&f, Quantity::Ops).unwrap();
        let total = |c: &BarChart| c.series.iter().flat_map(|s| s.2.iter()).sum::<f64>();
        assert_eq!(total(&fl), 2.0 * total(&m));
        assert!(fl.y_label.contains("FLOPs"));
        // The key names every bar, numbered as a phone numbers them.
        let key = stage_key(&st).unwrap();
        let entries: Vec<&str> = key.split(" \u{b7} ").collect();
        assert_eq!(entries.len(), c.categories.len(), "{key}");
        for (i, e) in entries.iter().enumerate() {
            assert!(e.starts_with(&format!("{}\u{a0}", i + 1)), "{e}");
        }
    }
}
