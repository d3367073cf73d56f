//! Lesson 4 (curriculum §4): depthwise-separable convolution = a depthwise
//! K×K conv (C groups) followed by a 1×1 conv.
//!
//! The C depthwise maps and the 1×1 mixing into N outputs run on the picked
//! input; the same output is recomputed by one standard K×K conv whose kernel
//! is the composition of the two, and the largest difference is shown.
//! Params K·K·C + C·N vs K·K·C·N, ratio 1/N + 1/K², live and plotted.
//!
//! Files: `state.rs` (the URL state, declared once), `model.rs` (the kernel
//! crate's convs and every count), `draw.rs`, `torch.rs`.
//!
//! URL: `#/depthwise?C=8&N=16&K=3&mult=1&bias=1&input=digit`.

pub mod draw;
pub mod model;
pub mod state;
pub mod torch;

use convlab_core::Tensor;
use leptos::prelude::*;

use self::draw::ratio_chart;
use self::model::{DepthwiseCost, DepthwiseModel, DepthwiseRun};
use self::state::{DepthwiseSignals, DepthwiseState};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::picture::{feature_input, picture_memo, MAX_SHOWN};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::chart::line_chart;
use crate::draw::Style;
use crate::route::{Note, Query};
use crate::widgets::plot::CanvasArea;
use crate::widgets::{Formula, InputPicker, Math, Plot, Slider, TensorView};
use convlab_core::picture::first_channels;

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "depthwise",
    section: 4,
    part: Part::Compact,
    title: "Depthwise-separable convolution + 1\u{d7}1",
    short: "Depthwise sep.",
    blurb: "A K\u{d7}K filter per channel, then a 1\u{d7}1 conv to mix: K\u{b7}K\u{b7}C + C\u{b7}N weights, ratio 1/N + 1/K\u{b2}.",
    page,
    notes: |q| DepthwiseState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = DepthwiseState::read(q);
    match Tensor::zeros(1, 1, 1) {
        Ok(blank) => view! { <Depthwise initial=st notes=notes blank=blank /> }.into_any(),
        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
    }
}

/// The home card: the ratio curves for K = 3, 5, 7.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    line_chart(area, &ratio_chart(16, 3, 1), style)?;
    Ok(())
}

/// `K·K·C·mult (+C·mult) + C·mult·N (+N) = …`.
pub fn separable_math(s: &DepthwiseState, cost: &DepthwiseCost) -> Math {
    let n = |v: usize| Math::num(v);
    let mut dw = vec![n(s.k), n(s.k), n(s.c)];
    if s.mult > 1 {
        dw.push(n(s.mult));
    }
    let mut terms = vec![Math::join("\u{b7}", dw)];
    if s.bias {
        terms.push(Math::op("+"));
        terms.push(n(s.depthwise_maps()));
    }
    terms.push(Math::op("+"));
    let mut pw = vec![n(s.c)];
    if s.mult > 1 {
        pw.push(n(s.mult));
    }
    pw.push(n(s.n));
    terms.push(Math::join("\u{b7}", pw));
    if s.bias {
        terms.push(Math::op("+"));
        terms.push(n(s.n));
    }
    terms.push(Math::op("="));
    terms.push(Math::count(cost.depthwise_params));
    terms.push(Math::op("+"));
    terms.push(Math::count(cost.pointwise_params));
    terms.push(Math::op("="));
    terms.push(Math::strong(Math::count(cost.separable_params())));
    Math::row(terms)
}

/// `K·K·C·N (+N) = …`.
pub fn standard_math(s: &DepthwiseState, cost: &DepthwiseCost) -> Math {
    Math::standard_conv(s.k, s.c, s.n, s.bias, cost.standard_params)
}

/// `1/N + 1/K² = …` (weights), and the exact ratio with bias.
pub fn ratio_math(s: &DepthwiseState, cost: &DepthwiseCost) -> Math {
    let top = || {
        if s.mult > 1 {
            Math::num(s.mult)
        } else {
            Math::num(1)
        }
    };
    let mut terms = vec![
        Math::frac(top(), Math::id("N")),
        Math::op("+"),
        Math::frac(top(), Math::sup(Math::id("K"), Math::num(2))),
        Math::op("="),
        Math::frac(top(), Math::num(s.n)),
        Math::op("+"),
        Math::frac(top(), Math::num(s.k * s.k)),
        Math::op("="),
        Math::strong(Math::dec(s.formula_ratio(), 4)),
    ];
    if s.bias {
        terms.push(Math::text(" ; with bias: "));
        terms.push(Math::frac(
            Math::count(cost.separable_params()),
            Math::count(cost.standard_params),
        ));
        terms.push(Math::op("="));
        terms.push(Math::strong(Math::dec(cost.ratio(), 4)));
    }
    Math::row(terms)
}

#[component]
fn Depthwise(initial: DepthwiseState, notes: Vec<Note>, blank: Tensor) -> impl IntoView {
    let s = DepthwiseSignals::new(&initial);
    let DepthwiseSignals {
        c,
        n,
        k,
        mult,
        bias,
        input,
    } = s;
    let picture = picture_memo(input);

    let state = s.memo();
    DepthwiseSignals::write_back(state, "depthwise");
    // The layers, without the picture they run on.
    let layer = Memo::new(move |_| DepthwiseState {
        input: Default::default(),
        ..state.get()
    });
    let model = Memo::new(move |_| {
        DepthwiseModel::new(&layer.get())
            .map(std::sync::Arc::new)
            .map_err(|e| e.to_string())
    });
    let x = Memo::new(move |_| {
        let p = picture.get().map_err(|e| e.to_string())?;
        feature_input(&p, c.get()).map_err(|e| e.to_string())
    });
    let result = Memo::new(move |_| -> Result<DepthwiseRun, String> {
        let model = model.get()?;
        let x = x.get()?;
        model.run(&x).map_err(|e| e.to_string())
    });
    let cost = Memo::new(move |_| {
        let model = model.get()?;
        let [_, h, w] = x.get()?.shape();
        model.cost(h, w).map_err(|e| e.to_string())
    });

    let shown = move |pick: fn(&DepthwiseRun) -> &Tensor, fallback: Tensor| {
        Signal::derive(move || {
            result.with(|r| {
                r.as_ref()
                    .ok()
                    .and_then(|r| first_channels(pick(r), MAX_SHOWN).ok())
                    .unwrap_or_else(|| fallback.clone())
            })
        })
    };
    let fallback = blank.clone();
    let input_view = Signal::derive(move || {
        x.with(|x| {
            x.as_ref()
                .ok()
                .and_then(|x| first_channels(x, MAX_SHOWN).ok())
                .unwrap_or_else(|| fallback.clone())
        })
    });
    let dw_view = shown(|r| &r.depthwise, blank.clone());
    let out_view = shown(|r| &r.output, blank);
    let more = |total: usize| {
        if total > MAX_SHOWN {
            format!(" (first {MAX_SHOWN} of {total} shown)")
        } else {
            String::new()
        }
    };
    let dw_labels = Signal::derive(move || {
        let m = mult.get();
        (0..layer.with(|s| s.depthwise_maps()).min(MAX_SHOWN))
            .map(|q| {
                if m == 1 {
                    format!("dw {q}")
                } else {
                    format!("dw {}.{}", q / m, q % m)
                }
            })
            .collect::<Vec<_>>()
    });

    let idea = "A standard K\u{d7}K conv mixes space and channels at once with K\u{b7}K\u{b7}C\u{b7}N weights. \
                Depthwise-separable conv splits the job: one K\u{d7}K filter per input channel (a group conv \
                with M = C), then a 1\u{d7}1 conv that mixes the C maps into N outputs \u{2014} K\u{b7}K\u{b7}C + C\u{b7}N \
                weights, a fraction 1/N + 1/K\u{b2} of the standard conv.";

    view! {
        <LessonLayout id="depthwise" idea=idea notes=notes>
            <Figure slot>
                {move || result.with(|r| r.as_ref().err().map(|e| view! { <p class="error" role="alert" data-testid="depthwise-error">{e.clone()}</p> }))}
                <div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:1em">
                    <section class="panel" data-testid="input-panel">
                        <h3>{move || format!("input: C = {} maps{}", c.get(), more(c.get()))}</h3>
                        <TensorView tensor=input_view label="input channels" height=240.0 test_id="input-view" />
                    </section>
                    <section class="panel" data-testid="depthwise-panel">
                        <h3>{move || layer.with(|s| format!("1. depthwise {}\u{d7}{}: {} maps, each from one channel{}", s.k, s.k, s.depthwise_maps(), more(s.depthwise_maps())))}</h3>
                        <TensorView tensor=dw_view label="depthwise maps" group_size=Signal::derive(move || mult.get()) channel_labels=dw_labels height=240.0 hint=false test_id="depthwise-view" />
                    </section>
                    <section class="panel" data-testid="output-panel">
                        <h3>{move || format!("2. 1\u{d7}1 mixing: N = {} outputs{}", n.get(), more(n.get()))}</h3>
                        <TensorView tensor=out_view label="output channels" height=240.0 hint=false test_id="output-view" />
                    </section>
                </div>
                <p class="panel" data-testid="composition-check" role="status">
                    {move || result.with(|r| r.as_ref().ok().map(|r| {
                        let s = state.get();
                        view! {
                            "Check: one standard " {s.k} "\u{d7}" {s.k} " conv whose kernel is the composition W[n, c] = \u{3a3}"
                            {if s.mult > 1 { "\u{2c7c} P[n, c\u{b7}mult+j]\u{b7}D[c\u{b7}mult+j]" } else { " P[n, c]\u{b7}D[c]" }}
                            " gives the same " {s.n} " maps: largest |difference| = "
                            <strong data-testid="max-abs-diff" data-value=format!("{:e}", r.max_abs_diff)>{format!("{:.1e}", r.max_abs_diff)}</strong>
                            " (float rounding). Same function \u{2014} but stored that way it needs K\u{b7}K\u{b7}C\u{b7}N weights."
                        }
                    }))}
                </p>
            </Figure>
            <Controls slot>
                <h2>"Input"</h2>
                <InputPicker state=input test_id="input-picker" />
                <h2>"The layer"</h2>
                <Slider value=c symbol="C" meaning="input channels" min=state::CHANNELS.0 max=state::CHANNELS.1 test_id="slider-C" />
                <Slider value=n symbol="N" meaning="output channels" min=state::CHANNELS.0 max=state::CHANNELS.1 test_id="slider-N" />
                <Slider value=k symbol="K" meaning="kernel size (K\u{d7}K)" max=7usize allowed=Signal::derive(|| state::KERNELS.to_vec()) test_id="slider-K" />
                <Slider value=mult symbol="\u{d7}" meaning="channel multiplier (depthwise maps per channel)" min=state::MULTIPLIERS.0 max=state::MULTIPLIERS.1 test_id="slider-mult" />
                <label class="check">
                    <input type="checkbox" data-testid="bias" prop:checked=move || bias.get()
                        on:change=move |ev| bias.set(event_target_checked(&ev)) />
                    "conv with bias, as the lecture"
                </label>
                <p class="hint">
                    <a href="#/depthwise?C=128&N=128&K=3&mult=1&bias=1" data-testid="lecture-example">"The lecture's MobileNet example: C = N = 128, K = 3"</a>
                </p>
            </Controls>
            <Cost slot>
                {move || match cost.get() {
                    Ok(cost) => {
                        let s = state.get();
                        view! {
                            <div class="cost-grid" data-testid="counts">
                                <p>"Depthwise-separable: K\u{b7}K\u{b7}C" {if s.mult > 1 { "\u{b7}mult" } else { "" }} " + C" {if s.mult > 1 { "\u{b7}mult" } else { "" }} "\u{b7}N" {if s.bias { " (+ biases)" } else { "" }}</p>
                                <Formula math=separable_math(&s, &cost) test_id="formula-separable" />
                                <p>"Standard: K\u{b7}K\u{b7}C\u{b7}N" {if s.bias { " + N" } else { "" }}</p>
                                <Formula math=standard_math(&s, &cost) test_id="formula-standard" />
                                <p>"Ratio"</p>
                                <Formula math=ratio_math(&s, &cost) test_id="formula-ratio" />
                                <p data-testid="tensor-counts">
                                    "From the real tensors: depthwise weight [" {s.depthwise_maps()} ", 1, " {s.k} ", " {s.k} "] \u{2192} "
                                    <strong data-testid="depthwise-params" data-value=cost.depthwise_params.to_string()>{cost.depthwise_params}</strong>
                                    ", pointwise [" {s.n} ", " {s.depthwise_maps()} ", 1, 1] \u{2192} "
                                    <strong data-testid="pointwise-params" data-value=cost.pointwise_params.to_string()>{cost.pointwise_params}</strong>
                                    ", total "
                                    <strong data-testid="separable-params" data-value=cost.separable_params().to_string()>{cost.separable_params()}</strong>
                                    " vs standard "
                                    <strong data-testid="standard-params" data-value=cost.standard_params.to_string()>{cost.standard_params}</strong>
                                    " (ratio " <strong data-testid="ratio" data-value=format!("{:.4}", cost.ratio())>{format!("{:.2}", cost.ratio())}</strong> "). Multiply\u{2013}adds on this input: "
                                    {cost.separable_macs} " vs " {cost.standard_macs} "."
                                </p>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                }}
                <Plot
                    label="ratio 1/N + 1/K squared against N for K = 3, 5, 7"
                    test_id="ratio-plot"
                    draw=move |area: &CanvasArea, style: &Style| {
                        let s = state.get();
                        line_chart(area, &ratio_chart(s.n, s.k, s.mult), style)
                    }
                />
            </Cost>
            <SlideSays slot>
                <p data-testid="slide-note">
                    "The slide's 1/N + 1/(K\u{d7}K) is exact for the weights (with a channel multiplier it becomes mult/N + mult/K\u{b2}). "
                    "With biases counted, as the lecture counts its examples, the exact ratio is "
                    {move || cost.get().ok().map(|c| format!("{:.4} here vs {:.4} from the formula.", c.ratio(), c.weight_ratio()))}
                    " At C = N = 128, K = 3 that is 17,792 vs 147,584 parameters: 0.12."
                </p>
            </SlideSays>
        </LessonLayout>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_show_the_lecture_numbers() {
        let s = DepthwiseState {
            c: 128,
            n: 128,
            k: 3,
            mult: 1,
            bias: true,
            input: Default::default(),
        };
        let cost = DepthwiseModel::new(&s).unwrap().cost(8, 8).unwrap();
        assert_eq!(
            separable_math(&s, &cost).to_text(),
            "3 · 3 · 128 + 128 + 128 · 128 + 128 = 1,280 + 16,512 = 17,792"
        );
        assert_eq!(
            standard_math(&s, &cost).to_text(),
            "3 · 3 · 128 · 128 + 128 = 147,584"
        );
        assert!(ratio_math(&s, &cost).to_text().contains("= 0.1189"));
        assert!(ratio_math(&s, &cost).to_text().contains("= 0.1206"));
    }

    #[test]
    fn multiplier_appears_in_the_formula() {
        let s = DepthwiseState {
            c: 4,
            n: 6,
            k: 5,
            mult: 2,
            bias: false,
            input: Default::default(),
        };
        let cost = DepthwiseModel::new(&s).unwrap().cost(8, 8).unwrap();
        assert_eq!(
            separable_math(&s, &cost).to_text(),
            "5 · 5 · 4 · 2 + 4 · 2 · 6 = 200 + 48 = 248"
        );
    }
}
