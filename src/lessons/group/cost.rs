//! The group lesson's cost panel: the formulas with the live numbers, the
//! counts read from the allocated tensors, and parameters against M.

use convlab_core::Error;
use leptos::prelude::*;

use super::draw::params_chart;
use super::model::{GroupCost, GroupShape};
use super::state::GroupState;
use crate::draw::chart::line_chart;
use crate::draw::Style;
use crate::widgets::plot::CanvasArea;
use crate::widgets::{Formula, Math, Plot};

/// `K·K·(C/M)·(N/M)·M (+N) = …` with the live numbers.
pub fn params_math(s: &GroupState, cost: &GroupCost) -> Math {
    let n = |v: usize| Math::num(v);
    let mut terms = vec![Math::join(
        "\u{b7}",
        [
            n(s.k),
            n(s.k),
            Math::paren(Math::row([n(s.c), Math::op("/"), n(s.m)])),
            Math::paren(Math::row([n(s.n), Math::op("/"), n(s.m)])),
            n(s.m),
        ],
    )];
    if s.bias {
        terms.push(Math::op("+"));
        terms.push(n(s.n));
    }
    terms.push(Math::op("="));
    terms.push(Math::strong(Math::count(cost.grouped_params)));
    Math::row(terms)
}

/// `K·K·C·N (+N) = …`.
pub fn standard_math(s: &GroupState, cost: &GroupCost) -> Math {
    Math::standard_conv(s.k, s.c, s.n, s.bias, cost.standard_params)
}

/// `ratio = 1/M = …` (weights), and the exact ratio with bias.
pub fn ratio_math(s: &GroupState, cost: &GroupCost) -> Math {
    let mut terms = vec![
        Math::text("weights: "),
        Math::frac(Math::num(1), Math::id("M")),
        Math::op("="),
        Math::frac(Math::num(1), Math::num(s.m)),
        Math::op("="),
        Math::strong(Math::dec(cost.weight_ratio(), 4)),
    ];
    if s.bias {
        terms.push(Math::text(" ; with bias: "));
        terms.push(Math::frac(
            Math::count(cost.grouped_params),
            Math::count(cost.standard_params),
        ));
        terms.push(Math::op("="));
        terms.push(Math::strong(Math::dec(cost.ratio(), 4)));
    }
    Math::row(terms)
}

/// What the slide's "ratio 1/M" is on this layer: exact for the weights, a
/// little above 1/M once both layers' N biases are counted.
pub fn slide_ratio_sentence(bias: bool, cost: &GroupCost) -> String {
    if bias {
        format!(
            "With the bias counted (the lecture's convention) both layers add N, so the exact ratio is a little above 1/M: {:.4} here instead of {:.4}.",
            cost.ratio(),
            cost.weight_ratio()
        )
    } else {
        format!(
            "Without bias, as here, the ratio is exactly 1/M = {:.4}.",
            cost.weight_ratio()
        )
    }
}

/// The formulas, the tensor counts and the params-vs-M chart.
#[component]
pub fn GroupCostPanel(
    state: Memo<GroupState>,
    cost: Memo<Result<GroupCost, Error>>,
    points: Memo<Result<Vec<(usize, u64)>, Error>>,
) -> impl IntoView {
    view! {
        {move || match (cost.get(), state.get()) {
            (Ok(cost), s) => {
                let g = GroupShape::of(&s);
                view! {
                    <div class="cost-grid" data-testid="counts">
                        <p>"Group conv: K\u{b7}K\u{b7}(C/M)\u{b7}(N/M)\u{b7}M" {if s.bias { " + N" } else { "" }}</p>
                        <Formula math=params_math(&s, &cost) test_id="formula-grouped" />
                        <p>"Standard conv: K\u{b7}K\u{b7}C\u{b7}N" {if s.bias { " + N" } else { "" }}</p>
                        <Formula math=standard_math(&s, &cost) test_id="formula-standard" />
                        <p>"Ratio"</p>
                        <Formula math=ratio_math(&s, &cost) test_id="formula-ratio" />
                        <p data-testid="tensor-counts">
                            "Counted from the real tensors: weight ["
                            {format!("{}, {}, {}, {}", s.n, g.in_per_group, s.k, s.k)} "] = "
                            <strong data-testid="grouped-weights" data-value=cost.grouped_weights.to_string()>{cost.grouped_weights}</strong>
                            {if s.bias { format!(" + bias {}", s.n) } else { String::new() }}
                            " = " <strong data-testid="grouped-params" data-value=cost.grouped_params.to_string()>{cost.grouped_params}</strong>
                            " parameters; the standard conv allocates "
                            <strong data-testid="standard-params" data-value=cost.standard_params.to_string()>{cost.standard_params}</strong>
                            ". Multiply\u{2013}adds on this input: "
                            <span data-testid="grouped-macs">{cost.grouped_macs}</span> " vs " {cost.standard_macs} "."
                        </p>
                    </div>
                }.into_any()
            }
            (Err(e), _) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
        }}
        <Plot
            label="parameters against the number of groups M, at the M that divide C and N"
            test_id="params-plot"
            draw=move |area: &CanvasArea, style: &Style| match points.get() {
                Ok(pts) => line_chart(area, &params_chart(&pts, state.with(|s| s.m), state.with(|s| s.bias)), style),
                Err(e) => Err(e.to_string()),
            }
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::group::model::GroupModel;

    fn state(m: usize, bias: bool) -> GroupState {
        GroupState {
            c: 16,
            n: 16,
            k: 3,
            m,
            bias,
            ..GroupState::default()
        }
    }

    #[test]
    fn formulas_carry_the_live_numbers() {
        let s = state(4, true);
        let cost = GroupModel::new(&s).unwrap().cost(8, 8).unwrap();
        assert_eq!(
            params_math(&s, &cost).to_text(),
            "3 · 3 · (16 / 4) · (16 / 4) · 4 + 16 = 592"
        );
        assert_eq!(
            standard_math(&s, &cost).to_text(),
            "3 · 3 · 16 · 16 + 16 = 2,320"
        );
        assert!(ratio_math(&s, &cost).to_text().contains("(1) / (4) = 0.25"));
    }

    #[test]
    fn the_slide_sentence_says_what_the_counts_are() {
        let with = state(4, true);
        let cost = GroupModel::new(&with).unwrap().cost(8, 8).unwrap();
        let t = slide_ratio_sentence(true, &cost);
        assert!(
            t.contains(&format!("{:.4} here instead of 0.2500", 592.0 / 2320.0)),
            "{t}"
        );
        let without = state(4, false);
        let cost = GroupModel::new(&without).unwrap().cost(8, 8).unwrap();
        assert_eq!(
            slide_ratio_sentence(false, &cost),
            "Without bias, as here, the ratio is exactly 1/M = 0.2500."
        );
    }
}
