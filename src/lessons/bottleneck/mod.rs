//! Lesson 2 (curriculum §2): the bottleneck.
//!
//! N → M → N with two matrices (N×M and M×N, drawn to scale with their real
//! weights) instead of one N×N; the same as 1×1 convs around a K×K conv, run
//! on the picked input. Cost 2NM vs N², ratio 2M/N (the slide prints "2N/M").
//!
//! Files: `state.rs` (the URL state, declared once), `model.rs` (the kernel
//! crate's bottleneck block and the layers it replaces, and every count),
//! `draw.rs`, `torch.rs`.
//!
//! URL: `#/bottleneck?N=16&M=4&K=3&bias=1&input=digit`.

pub mod draw;
pub mod model;
pub mod state;
pub mod torch;

use convlab_core::Tensor;
use leptos::prelude::*;

use self::draw::{draw_matrices, ratio_chart, Matrix};
use self::model::{BottleneckCost, BottleneckModel, BottleneckRun};
use self::state::{BottleneckSignals, BottleneckState};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::picture::{feature_input, picture_memo};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::chart::line_chart;
use crate::draw::Style;
use crate::route::{Note, Query};
use crate::widgets::plot::CanvasArea;
use crate::widgets::{Formula, InputPicker, Math, Plot, Slider, TensorView};
use convlab_core::picture::first_channels;

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "bottleneck",
    section: 2,
    part: Part::Compact,
    title: "Bottleneck",
    short: "Bottleneck",
    blurb: "N \u{2192} M \u{2192} N with two thin matrices instead of one N\u{d7}N: 2NM vs N\u{b2} weights, ratio 2M/N.",
    page,
    notes: |q| BottleneckState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// Most channels drawn per map: half of [`super::picture::MAX_SHOWN`], as
/// four stages share the figure's width.
const SHOWN: usize = super::picture::MAX_SHOWN / 2;

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = BottleneckState::read(q);
    match Tensor::zeros(1, 1, 1) {
        Ok(blank) => view! { <Bottleneck initial=st notes=notes blank=blank /> }.into_any(),
        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
    }
}

/// The home card: the three matrices of N = 16, M = 4.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    let st = BottleneckState::default();
    let model = BottleneckModel::new(&st)?;
    draw_model_matrices(area, &st, &model, style)?;
    Ok(())
}

fn draw_model_matrices<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    s: &BottleneckState,
    model: &BottleneckModel,
    style: &Style,
) -> crate::draw::DrawResult {
    draw_matrices(
        area,
        &Matrix {
            rows: s.n,
            cols: s.n,
            data: model.full.weight(),
            label: "N\u{d7}N",
        },
        &Matrix {
            rows: s.n,
            cols: s.m,
            data: model.expand().weight(),
            label: "N\u{d7}M",
        },
        &Matrix {
            rows: s.m,
            cols: s.n,
            data: model.reduce().weight(),
            label: "M\u{d7}N",
        },
        style,
    )
}

/// `N·M (+M) + M·N (+N) = …` with the live numbers.
pub fn matrices_math(s: &BottleneckState, cost: &BottleneckCost) -> Math {
    let n = |v: usize| Math::num(v);
    let mut terms = vec![Math::join("\u{b7}", [n(s.n), n(s.m)])];
    if s.bias {
        terms.push(Math::op("+"));
        terms.push(n(s.m));
    }
    terms.push(Math::op("+"));
    terms.push(Math::join("\u{b7}", [n(s.m), n(s.n)]));
    if s.bias {
        terms.push(Math::op("+"));
        terms.push(n(s.n));
    }
    terms.push(Math::op("="));
    terms.push(Math::strong(Math::count(cost.matrices_params)));
    Math::row(terms)
}

/// `N·N (+N) = …`.
pub fn full_math(s: &BottleneckState, cost: &BottleneckCost) -> Math {
    let mut terms = vec![Math::join("\u{b7}", [Math::num(s.n), Math::num(s.n)])];
    if s.bias {
        terms.push(Math::op("+"));
        terms.push(Math::num(s.n));
    }
    terms.push(Math::op("="));
    terms.push(Math::strong(Math::count(cost.full_params)));
    Math::row(terms)
}

/// `2M/N = 2·M/N = …` (weights), and the exact ratio with bias.
pub fn ratio_math(s: &BottleneckState, cost: &BottleneckCost) -> Math {
    let mut terms = vec![
        Math::frac(Math::row([Math::num(2), Math::id("M")]), Math::id("N")),
        Math::op("="),
        Math::frac(
            Math::row([Math::num(2), Math::op("\u{b7}"), Math::num(s.m)]),
            Math::num(s.n),
        ),
        Math::op("="),
        Math::strong(Math::dec(cost.weight_ratio(), 4)),
    ];
    if s.bias {
        terms.push(Math::text(" ; with bias: "));
        terms.push(Math::frac(
            Math::count(cost.matrices_params),
            Math::count(cost.full_params),
        ));
        terms.push(Math::op("="));
        terms.push(Math::strong(Math::dec(cost.ratio(), 4)));
    }
    Math::row(terms)
}

#[component]
fn Bottleneck(initial: BottleneckState, notes: Vec<Note>, blank: Tensor) -> impl IntoView {
    let s = BottleneckSignals::new(&initial);
    let BottleneckSignals {
        n,
        m,
        k,
        bias,
        input,
    } = s;
    let picture = picture_memo(input);

    // M never exceeds N: shrinking N pulls M down with it.
    let m_eff = Memo::new(move |_| m.get().min(n.get()).max(1));
    let state = Memo::new(move |_| BottleneckState {
        m: m_eff.get(),
        ..s.get()
    });
    BottleneckSignals::write_back(state, "bottleneck");
    // The layers, without the picture they run on.
    let layer = Memo::new(move |_| BottleneckState {
        input: Default::default(),
        ..state.get()
    });
    let model = Memo::new(move |_| {
        BottleneckModel::new(&layer.get())
            .map(std::sync::Arc::new)
            .map_err(|e| e.to_string())
    });
    let x = Memo::new(move |_| {
        let p = picture.get().map_err(|e| e.to_string())?;
        feature_input(&p, n.get()).map_err(|e| e.to_string())
    });
    let result = Memo::new(move |_| -> Result<BottleneckRun, String> {
        let model = model.get()?;
        let x = x.get()?;
        model.run(&x).map_err(|e| e.to_string())
    });
    let cost = Memo::new(move |_| {
        let model = model.get()?;
        let [_, h, w] = x.get()?.shape();
        model.cost(h, w).map_err(|e| e.to_string())
    });

    let view_of = move |pick: fn(&BottleneckRun) -> &Tensor, fallback: Tensor| {
        Signal::derive(move || {
            result.with(|r| {
                r.as_ref()
                    .ok()
                    .and_then(|r| first_channels(pick(r), SHOWN).ok())
                    .unwrap_or_else(|| fallback.clone())
            })
        })
    };
    let fallback = blank.clone();
    let input_view = Signal::derive(move || {
        x.with(|x| {
            x.as_ref()
                .ok()
                .and_then(|x| first_channels(x, SHOWN).ok())
                .unwrap_or_else(|| fallback.clone())
        })
    });
    let reduced_view = view_of(|r| &r.reduced, blank.clone());
    let middle_view = view_of(|r| &r.middle, blank.clone());
    let expanded_view = view_of(|r| &r.expanded, blank.clone());
    let standard_view = view_of(|r| &r.standard, blank);
    let more = |total: usize| {
        if total > SHOWN {
            format!(" (first {SHOWN} of {total})")
        } else {
            String::new()
        }
    };

    let idea = "A layer that maps N channels to N channels needs an N\u{d7}N matrix. Squeezing through \
                M < N channels first (N\u{2192}M, then M\u{2192}N) needs two thin matrices, 2\u{b7}N\u{b7}M weights: \
                a fraction 2M/N of the original, less than 1 exactly when M < N/2. In a CNN the matrices are \
                1\u{d7}1 convs around the expensive K\u{d7}K conv.";

    view! {
        <LessonLayout id="bottleneck" idea=idea notes=notes>
            <Figure slot>
                {move || result.with(|r| r.as_ref().err().map(|e| view! { <p class="error" role="alert" data-testid="bottleneck-error">{e.clone()}</p> }))}
                <section class="panel" data-testid="matrices">
                    <h2>{move || state.with(|s| format!("As matrices: one {}\u{d7}{} vs {}\u{d7}{} \u{b7} {}\u{d7}{} (to scale, coloured by the real weights)", s.n, s.n, s.n, s.m, s.m, s.n))}</h2>
                    <Plot
                        label="the N by N matrix next to the N by M and M by N matrices, to scale"
                        height=300.0
                        test_id="matrices-plot"
                        draw=move |area: &CanvasArea, style: &Style| match model.get() {
                            Ok(model) => draw_model_matrices(area, &state.get(), &model, style),
                            Err(e) => Err(e),
                        }
                    />
                </section>
                <section class="panel" data-testid="convs">
                    <h2>{move || state.with(|s| format!("As convs on the input: 1\u{d7}1 (N\u{2192}M) \u{2192} {}\u{d7}{} (M\u{2192}M) \u{2192} 1\u{d7}1 (M\u{2192}N), vs one {}\u{d7}{} conv N\u{2192}N", s.k, s.k, s.k, s.k))}</h2>
                    <div class="cl-stages">
                        <div>
                            <h3>{move || format!("input: N = {}{}", n.get(), more(n.get()))}</h3>
                            <TensorView tensor=input_view label="input, N channels" height=200.0 legend=false fit=true test_id="input-view" />
                        </div>
                        <div>
                            <h3>{move || format!("1\u{d7}1 down: M = {}{}", m_eff.get(), more(m_eff.get()))}</h3>
                            <TensorView tensor=reduced_view label="after the 1 by 1 reduce, M channels" height=200.0 legend=false hint=false fit=true test_id="reduced-view" />
                        </div>
                        <div>
                            <h3>{move || format!("{}\u{d7}{} conv: M = {}", k.get(), k.get(), m_eff.get())}</h3>
                            <TensorView tensor=middle_view label="after the K by K conv, M channels" height=200.0 legend=false hint=false fit=true test_id="middle-view" />
                        </div>
                        <div>
                            <h3>{move || format!("1\u{d7}1 up: N = {}{}", n.get(), more(n.get()))}</h3>
                            <TensorView tensor=expanded_view label="after the 1 by 1 expand, N channels" height=200.0 legend=false hint=false fit=true test_id="expanded-view" />
                        </div>
                        <div class="cl-stages-compare">
                            <h3>{move || format!("vs one standard {}\u{d7}{} conv on the same input: N = {}{}", k.get(), k.get(), n.get(), more(n.get()))}</h3>
                            <TensorView tensor=standard_view label="standard K by K conv, N channels" height=120.0 legend=false hint=false fit=true test_id="standard-view" />
                        </div>
                    </div>
                </section>
            </Figure>
            <Controls slot>
                <h2>"Input"</h2>
                <InputPicker state=input test_id="input-picker" />
                <h2>"The layer"</h2>
                <Slider value=n symbol="N" meaning="channels in and out" min=state::WIDTH.0 max=state::WIDTH.1 test_id="slider-N" />
                <Slider value=m symbol="M" meaning="bottleneck width" min=1usize max=Signal::derive(move || n.get()) test_id="slider-M" />
                <Slider value=k symbol="K" meaning="kernel of the middle conv" max=7usize allowed=Signal::derive(|| state::KERNELS.to_vec()) test_id="slider-K" />
                <label class="check">
                    <input type="checkbox" data-testid="bias" prop:checked=move || bias.get()
                        on:change=move |ev| bias.set(event_target_checked(&ev)) />
                    "with bias, as the lecture"
                </label>
            </Controls>
            <Cost slot>
                {move || match cost.get() {
                    Ok(cost) => {
                        let s = state.get();
                        view! {
                            <div class="cost-grid" data-testid="counts">
                                <p>"Bottleneck: N\u{b7}M + M\u{b7}N = 2\u{b7}N\u{b7}M" {if s.bias { " (+ M + N bias)" } else { "" }}</p>
                                <Formula math=matrices_math(&s, &cost) test_id="formula-bottleneck" />
                                <p>"Original: N\u{b7}N" {if s.bias { " + N" } else { "" }}</p>
                                <Formula math=full_math(&s, &cost) test_id="formula-original" />
                                <p>"Ratio"</p>
                                <Formula math=ratio_math(&s, &cost) test_id="formula-ratio" />
                                <p data-testid="tensor-counts">
                                    "From the real weight tensors: "
                                    <strong data-testid="bottleneck-weights" data-value=cost.matrices_weights().to_string()>{cost.matrices_weights()}</strong>
                                    " weights (" {cost.reduce_weights} " + " {cost.expand_weights} ") vs "
                                    <strong data-testid="original-weights" data-value=cost.full_weights.to_string()>{cost.full_weights}</strong>
                                    "; with biases "
                                    <strong data-testid="bottleneck-params" data-value=cost.matrices_params.to_string()>{cost.matrices_params}</strong>
                                    " vs "
                                    <strong data-testid="original-params" data-value=cost.full_params.to_string()>{cost.full_params}</strong>
                                    "."
                                </p>
                                <p data-testid="conv-counts">
                                    "As convs: 1\u{d7}1 + " {s.k} "\u{d7}" {s.k} " + 1\u{d7}1 = " {cost.matrices_params} " + " {cost.middle_params}
                                    " = " <strong data-testid="conv-chain-params" data-value=cost.conv_chain_params.to_string()>{cost.conv_chain_params}</strong>
                                    " parameters vs one " {s.k} "\u{d7}" {s.k} " conv: "
                                    <strong data-testid="conv-standard-params" data-value=cost.standard_params.to_string()>{cost.standard_params}</strong>
                                    " (" {format!("{:.3}", cost.conv_ratio())} "); multiply\u{2013}adds "
                                    {cost.conv_chain_macs} " vs " {cost.standard_macs} "."
                                </p>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                }}
                <Plot
                    label="ratio 2M/N against M/N, with the slide's 2N/M"
                    test_id="ratio-plot"
                    draw=move |area: &CanvasArea, style: &Style| {
                        let s = state.get();
                        line_chart(area, &ratio_chart(s.n, s.m), style)
                    }
                />
            </Cost>
            <SlideSays slot>
                <p data-testid="slide-note">
                    "The slide prints the ratio as \u{201c}2N/M\u{201d}: a typo. The bottleneck costs 2\u{b7}N\u{b7}M against N\u{b7}N, so the ratio is 2NM/N\u{b2} = 2M/N, and only that fits the slide's own condition \u{201c}less than 1 if M < 0.5N\u{201d} (2N/M is never below 2 when M \u{2264} N). "
                    {move || state.with(|s| format!(
                        "Here 2M/N = {:.3} while 2N/M would be {:.3}.",
                        s.formula_ratio(), s.slide_ratio()
                    ))}
                </p>
            </SlideSays>
        </LessonLayout>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_carry_the_live_numbers() {
        let s = BottleneckState {
            n: 256,
            m: 64,
            k: 3,
            bias: false,
            input: Default::default(),
        };
        let cost = BottleneckModel::new(&s).unwrap().cost(4, 4).unwrap();
        assert_eq!(
            matrices_math(&s, &cost).to_text(),
            "256 · 64 + 64 · 256 = 32,768"
        );
        assert_eq!(full_math(&s, &cost).to_text(), "256 · 256 = 65,536");
        assert!(ratio_math(&s, &cost).to_text().ends_with("= 0.5"));
        let s = BottleneckState { bias: true, ..s };
        let cost = BottleneckModel::new(&s).unwrap().cost(4, 4).unwrap();
        assert_eq!(
            matrices_math(&s, &cost).to_text(),
            "256 · 64 + 64 + 64 · 256 + 256 = 33,088"
        );
    }

    #[test]
    fn thumbnail_matrices_draw() {
        let st = BottleneckState::default();
        let model = BottleneckModel::new(&st).unwrap();
        let svg = crate::draw::to_svg(300, 160, |a| {
            draw_model_matrices(a, &st, &model, &Style::default())
        })
        .unwrap();
        assert!(svg.contains("N×N = 256"));
    }
}
