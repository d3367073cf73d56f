//! The cost panel: parameter and multiply-add formulas with the live
//! numbers, the counts from the real layer, and the dense-vs-conv chart.

use leptos::prelude::*;

use super::model::plot_series;
use super::state::WhyState;
use crate::config;
use crate::draw::chart::{line_chart, LineChart, Series};
use crate::draw::Style;
use crate::widgets::plot::CanvasArea;
use crate::widgets::{Formula, InputState, Math, Plot};

/// Params vs C for the dense and the conv layer, the current C marked.
fn chart(st: &WhyState) -> LineChart {
    let series = plot_series(st).unwrap_or_default();
    let pick = |f: fn(&super::model::PlotPoint) -> f64| {
        series.iter().map(|p| (p.c as f64, f(p))).collect()
    };
    let (dense_c, conv_c) = (config::group_color(5), config::group_color(4));
    let mut marks = Vec::new();
    if let Some(p) = series.iter().find(|p| p.c == st.c) {
        marks.push((p.c as f64, p.dense, dense_c));
        marks.push((p.c as f64, p.conv, conv_c));
    }
    LineChart {
        title: String::new(),
        x_label: "input channels C".into(),
        y_label: "parameters (log)".into(),
        series: vec![
            Series {
                name: "dense (M\u{b7}N\u{b7}C)\u{d7}(M\u{2032}\u{b7}N\u{2032}\u{b7}D)".into(),
                color: dense_c,
                points: pick(|p| p.dense),
                dots: false,
            },
            Series {
                name: "conv K\u{b7}K\u{b7}C\u{b7}D".into(),
                color: conv_c,
                points: pick(|p| p.conv),
                dots: false,
            },
        ],
        marks,
        log_y: true,
    }
}

pub(super) fn show_ratio(a: usize, s: usize) -> String {
    if s <= 1 || a.is_multiple_of(s) {
        (a / s.max(1)).to_string()
    } else {
        format!("{:.2}", a as f64 / s as f64)
    }
}

/// `a·b·c…` with the lecture's symbols or with numbers.
fn product(items: &[Math]) -> Math {
    Math::join("\u{b7}", items.iter().cloned())
}

/// The formulas with the live numbers substituted.
fn formulas(st: &WhyState, out: [usize; 3], params: u64, macs: u64) -> (Math, Math, Math) {
    let [_, oh, ow] = out;
    let sym = |s: &str| Math::id(s);
    let n = |v: usize| Math::num(v);
    let mut p_sym = vec![product(&[sym("K"), sym("K"), sym("C"), sym("D")])];
    let mut p_num = vec![product(&[n(st.k), n(st.k), n(st.c), n(st.d)])];
    if st.bias {
        p_sym.extend([Math::op("+"), sym("D")]);
        p_num.extend([Math::op("+"), n(st.d)]);
    }
    let params_m = Math::row(
        p_sym
            .into_iter()
            .chain([Math::op("=")])
            .chain(p_num)
            .chain([Math::op("="), Math::strong(Math::count(params))]),
    );
    let macs_m = Math::row([
        product(&[
            sym("K"),
            sym("K"),
            sym("C"),
            sym("M\u{2032}"),
            sym("N\u{2032}"),
            sym("D"),
        ]),
        Math::op("="),
        product(&[n(st.k), n(st.k), n(st.c), n(oh), n(ow), n(st.d)]),
        Math::op("="),
        Math::strong(Math::count(macs)),
    ]);
    let floor = |inner: Math| Math::row([Math::op("\u{230a}"), inner, Math::op("\u{230b}")]);
    let out_m = Math::row([
        sym("M\u{2032}"),
        Math::op("="),
        floor(Math::frac(
            Math::row([
                sym("M"),
                Math::op("+"),
                n(2),
                sym("p"),
                Math::op("\u{2212}"),
                sym("K"),
            ]),
            sym("s"),
        )),
        Math::op("+"),
        n(1),
        Math::op("="),
        floor(Math::frac(
            Math::row([
                n(st.m),
                Math::op("+"),
                n(2 * st.p),
                Math::op("\u{2212}"),
                n(st.k),
            ]),
            n(st.s),
        )),
        Math::op("+"),
        n(1),
        Math::op("="),
        Math::strong(n(oh)),
    ]);
    (params_m, macs_m, out_m)
}

/// The cost panel: formulas with numbers, counts from the real layer, the plot.
#[component]
pub(super) fn CostPanel(state: Memo<WhyState>) -> impl IntoView {
    // The layer is rebuilt from the sliders only (not the frame nor the picture).
    let layer = Memo::new(move |_| WhyState {
        t: 0,
        input: InputState::default(),
        ..state.get()
    });
    let counts = Memo::new(move |_| {
        let st = layer.get();
        let conv = st.conv().map_err(|e| e.to_string())?;
        let out = conv.output_shape(st.m, st.n).map_err(|e| e.to_string())?;
        let macs = conv.macs(st.m, st.n).map_err(|e| e.to_string())?;
        let [dd, oh, ow] = out;
        let dense =
            super::model::dense_params((st.m * st.n * st.c) as u64, (dd * oh * ow) as u64, st.bias);
        Ok::<_, String>(Counts {
            st,
            weight_len: conv.weight().len(),
            bias_len: conv.bias().map_or(0, |b| b.len()),
            params: conv.param_count(),
            macs,
            out,
            dense,
        })
    });
    view! {
        <h2>"Cost"</h2>
        <div class="cost-grid">
            <div class="counts" data-testid="counts">
                {move || match counts.get() {
                    Ok(cn) => {
                        let (pm, mm, om) = formulas(&cn.st, cn.out, cn.params, cn.macs);
                        let [dd, oh, ow] = cn.out;
                        let st = cn.st;
                        let ratio = cn.dense as f64 / cn.params.max(1) as f64;
                        view! {
                            <p class="formula-label">"Parameters of the layer (D filters of K\u{d7}K\u{d7}C"{if st.bias { ", +1 bias each" } else { "" }}")"</p>
                            <Formula math=pm test_id="formula-params" />
                            <p class="formula-label">"Multiply\u{2013}adds (K\u{b7}K\u{b7}C per output value)"</p>
                            <Formula math=mm test_id="formula-macs" />
                            <p class="formula-label">"Output size, as PyTorch computes it (N\u{2032} likewise)"</p>
                            <Formula math=om test_id="formula-out" />
                            <table class="count-table" tabindex="0" data-testid="real-counts">
                                <caption>"Counted on the real tensors"</caption>
                                <tbody>
                                    <tr><th>{format!("weight [{}, {}, {}, {}]", st.d, st.c, st.k, st.k)}</th><td class="num">{group(cn.weight_len as u128)}</td></tr>
                                    <tr><th>{format!("bias [{}]", cn.bias_len)}</th><td class="num">{group(cn.bias_len as u128)}</td></tr>
                                    <tr><th>"parameters"</th><td class="num"><strong data-testid="params-value">{group(cn.params as u128)}</strong></td></tr>
                                    <tr><th>{format!("output [{dd}, {oh}, {ow}]: multiply\u{2013}adds")}</th><td class="num"><strong data-testid="macs-value">{group(cn.macs as u128)}</strong></td></tr>
                                    <tr><th>"a dense layer between the same input and output"</th><td class="num" data-testid="dense-value">{group(cn.dense)}</td></tr>
                                </tbody>
                            </table>
                            <p data-testid="dense-ratio">
                                "The dense layer needs " <strong>{format!("{}\u{d7}", short_ratio(ratio))}</strong>
                                " the conv layer's parameters: the conv's do not grow with M and N."
                            </p>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert" data-testid="cost-error">{e}</p> }.into_any(),
                }}
            </div>
            <div class="plot-box" data-testid="plot">
                <p class="formula-label">"Parameters against input channels C (log scale), the current C marked"</p>
                <Plot
                    label="parameters against input channels C, dense and conv"
                    test_id="params-plot"
                    draw=move |area: &CanvasArea, style: &Style| line_chart(area, &chart(&layer.get()), style)
                />
            </div>
        </div>
    }
}

/// What the cost panel shows, from the real layer.
#[derive(Clone, Debug, PartialEq)]
struct Counts {
    st: WhyState,
    weight_len: usize,
    bias_len: usize,
    params: u64,
    macs: u64,
    out: [usize; 3],
    dense: u128,
}

fn group(n: u128) -> String {
    crate::widgets::formula::group_digits(n)
}

fn short_ratio(r: f64) -> String {
    if !r.is_finite() {
        "?".into()
    } else if r >= 1e6 {
        format!("{:.2e}", r)
    } else if r >= 100.0 {
        group(r.round() as u128)
    } else {
        format!("{r:.1}")
    }
}
