//! Lesson 1 (curriculum §1): why convolution saves parameters.
//!
//! Dense vs conv on a 1-D signal, then a real conv layer with the lecture's
//! symbols on sliders: its parameters and multiply–adds from the actual
//! `Conv2d`, the sliding window computing real outputs, and params vs C.
//!
//! Files: `state.rs` (the URL state, declared once), `model.rs` (what the
//! kernel crate computes from it), `cost.rs` (the cost panel), `torch.rs`.
//!
//! URL: `#/why?M=8&N=8&C=3&K=3&D=4&s=1&p=1&bias=1&w=edges&len=8&t=0&input=digit`.

mod cost;
pub mod model;
pub mod state;
pub mod torch;

use convlab_core::{Conv2d, Tensor};
use leptos::prelude::*;

use self::model::{frame_cell, one_d, stage, Stage};
use self::state::{Weights, WhySignals, WhyState};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::config;
use crate::draw::heatmap::{draw_tensor, HeatmapOptions, Highlight, Palette, TensorLayout};
use crate::draw::Style;
use crate::route::{Named, Note, Query};
use crate::widgets::input_picker::render;
use crate::widgets::{DotProduct, InputPicker, InputState, Player, Slider, TensorView};

use self::cost::{show_ratio, CostPanel};
/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "why",
    section: 1,
    part: Part::Review,
    title: "Why convolution saves parameters",
    short: "Why conv",
    blurb: "Dense vs conv on a signal; a conv layer's K\u{b7}K\u{b7}C\u{b7}D weights and its multiply\u{2013}adds, computed live.",
    page,
    notes: |q| WhyState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = WhyState::read(q);
    view! { <Why initial=st notes=notes /> }.into_any()
}

/// The home card: a vertical-edge filter's output on a seeded input.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    // Two 14×12 output tiles side by side fill a 16:9 card.
    let st = WhyState {
        c: 1,
        d: 2,
        m: 14,
        n: 12,
        ..Default::default()
    };
    let sample = Tensor::from_fn(1, 14, 12, |_, y, x| {
        let (cy, cx) = (y as f32 - 6.5, x as f32 - 5.5);
        if cy * cy / 30.0 + cx * cx / 20.0 < 1.0 {
            1.0
        } else {
            0.0
        }
    })?;
    let y = st.conv()?.forward(&st.input(&sample)?)?;
    let (w, h) = area.dim_in_pixel();
    let layout = TensorLayout::new(y.shape(), 0, w as f64, h as f64, style.scale, false, false);
    let opts = HeatmapOptions {
        palette: Palette::Diverging(None),
        channel_labels: None,
        group_size: 0,
        highlights: &[],
        hover: None,
        pinned: None,
        legend: false,
        labels: false,
    };
    draw_tensor(area, &y, &layout, &opts, style)?;
    Ok(())
}

/// What the figure shows, all from the kernel crate.
#[derive(Clone, Debug, PartialEq)]
struct Computed {
    conv: Conv2d,
    x: Tensor,
    y: Tensor,
}

fn compute(st: &WhyState) -> Result<Computed, String> {
    let conv = st.conv().map_err(|e| e.to_string())?;
    let x = sample_for(&st.input, st)?;
    let y = conv.forward(&x).map_err(|e| e.to_string())?;
    Ok(Computed { conv, x, y })
}

/// The sample rendered at `M×N` with up to the picker's channel count, then
/// spread over `C` channels (rotated/flipped views) by the model.
fn sample_for(input: &InputState, st: &WhyState) -> Result<Tensor, String> {
    let c0 = st.c.min(config::limits::MAX_INPUT_CHANNELS);
    let sample = render(input, c0, st.m, st.n).map_err(|e| e.to_string())?;
    st.input(&sample).map_err(|e| e.to_string())
}

/// A 1×1×1 zero tensor, shown while the layer cannot be computed.
fn blank() -> Tensor {
    Tensor::placeholder()
}

#[component]
fn Why(initial: WhyState, notes: Vec<Note>) -> impl IntoView {
    let sig = WhySignals::new(&initial);
    let WhySignals {
        len,
        m,
        n,
        c,
        k,
        d,
        s,
        p: pad,
        bias,
        weights,
        t,
        input,
    } = sig;

    let state = sig.memo();
    WhySignals::write_back(state, "why");
    // The layer without the frame, so moving the frame does not recompute it.
    let layer = Memo::new(move |_| WhyState {
        t: 0,
        ..state.get()
    });
    let computed = Memo::new(move |_| layer.with(compute));
    let frames = Memo::new(move |_| layer.get().frames().unwrap_or(1));
    // Keep the frame inside the layer when a slider shrinks it.
    Effect::new(move |_| {
        let f = frames.get();
        if t.get_untracked() >= f {
            t.set(f - 1);
        }
    });

    let error = move || computed.with(|c| c.as_ref().err().cloned());
    let shape = move || computed.with(|c| c.as_ref().map(|c| c.y.shape()).unwrap_or([1, 1, 1]));

    // The cell being explained: the hovered/pinned output cell, else the frame's.
    let active = RwSignal::new(None::<crate::draw::heatmap::Cell>);
    let cell = Memo::new(move |_| match active.get() {
        Some(a) => (a.c, a.y, a.x),
        None => frame_cell(t.get(), shape()),
    });
    let trace = Memo::new(move |_| {
        let (o, y, x) = cell.get();
        computed.with(|c| {
            c.as_ref()
                .ok()
                .and_then(|c| c.conv.trace(&c.x, o, y, x).ok())
        })
    });
    let input_tensor = Signal::derive(move || {
        computed.with(|c| c.as_ref().map(|c| c.x.clone()).unwrap_or_else(|_| blank()))
    });
    // Output computed so far: cells after the frame are still zero.
    let output_so_far = Signal::derive(move || {
        let upto = t.get();
        computed.with(|c| match c {
            Ok(c) => {
                let [dd, oh, ow] = c.y.shape();
                // Data is channel-major, in the animation's order: index = frame.
                let data =
                    c.y.data()
                        .iter()
                        .enumerate()
                        .map(|(i, v)| if i > upto { 0.0 } else { *v })
                        .collect();
                Tensor::new(dd, oh, ow, data).unwrap_or_else(|_| blank())
            }
            Err(_) => blank(),
        })
    });
    let highlights = Signal::derive(move || {
        trace
            .get()
            .map(|tr| Highlight::from_trace(&tr, 0))
            .unwrap_or_default()
    });
    let out_max =
        Signal::derive(move || computed.with(|c| c.as_ref().map(|c| c.y.max_abs()).unwrap_or(1.0)));

    let on_cell = Callback::new(move |c: Option<crate::draw::heatmap::Cell>| active.set(c));

    let idea = "A dense layer gives every output its own weight for every input; a convolution \
                slides one small filter over the input, so its weights do not grow with the image. \
                Below, the same layer is counted by formula and by the real tensors, and computed cell by cell.";

    view! {
        <LessonLayout id="why" idea=idea notes=notes>
            <Figure slot>
                <section class="panel" data-testid="one-d">
                    <h2>"Dense vs conv on a 1-D signal of length N = " {move || len.get()}</h2>
                    <OneD len=len k=k />
                </section>
                <section class="panel" data-testid="conv-layer">
                    <h2>"A conv layer, computed"</h2>
                    {move || error().map(|e| view! { <p class="error" role="alert" data-testid="layer-error">{e}</p> })}
                    <div class="tensor-pair">
                        <div>
                            <h3>{move || { let [c, h, w] = input_tensor.with(|x| x.shape()); format!("input x: {h}\u{d7}{w}\u{d7}{c}") }}</h3>
                            <TensorView
                                tensor=input_tensor
                                label="input x"
                                highlights=highlights
                                pad=Signal::derive(move || pad.get())
                                fit=true
                                test_id="input-view"
                            />
                        </div>
                        <div>
                            <h3>{move || { let [c, h, w] = shape(); format!("output y: {h}\u{d7}{w}\u{d7}{c}") }}</h3>
                            <TensorView
                                tensor=output_so_far
                                label="output y"
                                palette=Signal::derive(move || Palette::Diverging(Some(out_max.get())))
                                on_cell=on_cell
                                test_id="output-view"
                            />
                        </div>
                    </div>
                    <p class="dot-cell" data-testid="dot-cell">
                        {move || {
                            let (o, r, col) = cell.get();
                            let why = if active.get().is_some() { "the cell under the pointer" } else { "the animation's cell" };
                            format!("y[{o}, {r}, {col}] \u{2014} {why}:")
                        }}
                    </p>
                    <DotProduct trace=trace test_id="dot-product" />
                    <Player frame=t frames=frames label="sliding window" test_id="player" />
                    <div class="jumps" role="group" aria-label="Jump to">
                        {[("one pixel", Stage::OnePixel), ("one channel", Stage::OneChannel), ("whole map", Stage::WholeMap)]
                            .into_iter()
                            .map(|(label, st)| {
                                let target = move || {
                                    let [dd, oh, ow] = shape();
                                    match st {
                                        Stage::OnePixel => 0,
                                        Stage::OneChannel => oh * ow - 1,
                                        Stage::WholeMap => dd * oh * ow - 1,
                                    }
                                };
                                view! {
                                    <button
                                        type="button"
                                        data-testid=format!("jump-{}", label.replace(' ', "-"))
                                        aria-pressed=move || if t.get() == target() { "true" } else { "false" }
                                        on:click=move |_| { active.set(None); t.set(target()); }
                                    >
                                        {label}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                    <p class="stage-note" data-testid="stage">
                        {move || {
                            let sh = shape();
                            let per = (k.get() * k.get() * c.get()) as u64;
                            let done = (t.get() + 1) as u64;
                            let what = match stage(t.get(), sh) {
                                Stage::OnePixel => "One output pixel",
                                Stage::OneChannel => "One channel (filter 1)",
                                Stage::WholeMap => "The whole map (all D filters)",
                            };
                            format!(
                                "{what}: {done} of {} cells \u{d7} K\u{b7}K\u{b7}C = {per} multiply\u{2013}adds each = {} so far",
                                sh[0] * sh[1] * sh[2],
                                done * per
                            )
                        }}
                    </p>
                </section>
            </Figure>
            <Controls slot>
                <h2>"The layer"</h2>
                <Slider value=m symbol="M" meaning="feature-map height" min=1usize max=state::MAX_SIDE test_id="slider-M" />
                <Slider value=n symbol="N" meaning="feature-map width" min=1usize max=state::MAX_SIDE test_id="slider-N" />
                <Slider value=c symbol="C" meaning="input channels" min=1usize max=state::MAX_CH test_id="slider-C" />
                <Slider value=k symbol="K" meaning="kernel size" min=1usize max=state::MAX_K test_id="slider-K" />
                <Slider value=d symbol="D" meaning="filters (output channels)" min=1usize max=state::MAX_CH test_id="slider-D" />
                <Slider value=s symbol="s" meaning="stride" min=1usize max=state::MAX_STRIDE test_id="slider-s" />
                <Slider value=pad symbol="p" meaning="zero padding" min=0usize max=state::MAX_PAD test_id="slider-p" />
                <label class="check">
                    <input type="checkbox" data-testid="bias" prop:checked=move || bias.get()
                        on:change=move |ev| bias.set(event_target_checked(&ev)) />
                    "+1 bias per filter"
                </label>
                <label class="select">
                    "weights "
                    <select data-testid="weights" on:change=move |ev| {
                        let name = event_target_value(&ev);
                        weights.set(Weights::ALL.iter().copied().find(|w| w.name() == name).unwrap_or(Weights::Edges));
                    }>
                        <option value="edges" selected=move || weights.get() == Weights::Edges>"edge / blur detectors"</option>
                        <option value="random" selected=move || weights.get() == Weights::Random>"random (PyTorch init)"</option>
                    </select>
                </label>
                <h2>"Input x"</h2>
                <InputPicker state=input test_id="input-picker" />
                <h2>"1-D signal"</h2>
                <Slider value=len symbol="N" meaning="signal length" min=state::LEN_RANGE.0 max=state::LEN_RANGE.1 test_id="slider-len" />
            </Controls>
            <Cost slot>
                <CostPanel state=state />
            </Cost>
            <SlideSays slot>
                <p>
                    "A new channel is (M/s)\u{d7}(N/s). PyTorch (and this page) computes \u{230a}(M + 2p \u{2212} K)/s\u{230b} + 1: "
                    {move || {
                        let st = state.get();
                        match st.output_shape() {
                            Ok([_, oh, ow]) => format!(
                                "here {}\u{d7}{} where the slide's formula gives {}\u{d7}{}.",
                                oh, ow, show_ratio(st.m, st.s), show_ratio(st.n, st.s)
                            ),
                            Err(e) => e.to_string(),
                        }
                    }}
                    " The two agree when the padding is \u{201c}same\u{201d} (p = (K\u{2212}1)/2, odd K) and s divides M and N."
                </p>
            </SlideSays>
        </LessonLayout>
    }
}

#[component]
fn OneD(len: RwSignal<usize>, k: RwSignal<usize>) -> impl IntoView {
    let counts = move || one_d(len.get(), k.get());
    view! {
        <div class="one-d">
            {move || match counts() {
                Ok(o) => view! {
                    <figure data-testid="one-d-dense">
                        <Wires len=len.get() k=0 pad=0 />
                        <figcaption>
                            <strong>"Dense"</strong>
                            " \u{2014} weights N\u{d7}N = " <b>{o.dense_weights}</b>
                            ", operations N\u{d7}N = " <b>{o.dense_macs}</b>
                        </figcaption>
                    </figure>
                    <figure data-testid="one-d-conv">
                        <Wires len=len.get() k=k.get() pad=o.pad />
                        <figcaption>
                            <strong>"Conv"</strong>
                            " \u{2014} weights K = " <b>{o.conv_weights}</b>
                            ", operations N\u{d7}K = " <b>{o.conv_macs}</b>
                        </figcaption>
                    </figure>
                }.into_any(),
                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
            }}
        </div>
    }
}

/// Inputs on top, outputs below; `k = 0` draws the dense pattern. Conv wires are
/// coloured by tap: the same colour is the same shared weight.
#[component]
fn Wires(len: usize, k: usize, pad: usize) -> impl IntoView {
    let step = 40.0;
    let extra = if k == 0 { 0 } else { pad };
    let width = (len + 2 * extra) as f64 * step;
    let x_of = move |i: isize| (i + extra as isize) as f64 * step + step / 2.0;
    let (y_in, y_out) = (18.0, 112.0);
    let mut wires = Vec::new();
    let outputs = if k == 0 {
        len
    } else {
        (len + 2 * pad + 1).saturating_sub(k)
    };
    for o in 0..outputs {
        if k == 0 {
            for i in 0..len {
                wires.push((
                    x_of(i as isize),
                    x_of(o as isize),
                    "var(--muted)".to_string(),
                    0.35,
                ));
            }
        } else {
            for tap in 0..k {
                let i = o as isize + tap as isize - pad as isize;
                wires.push((
                    x_of(i),
                    x_of(o as isize),
                    config::css(config::group_color(tap)),
                    0.95,
                ));
            }
        }
    }
    let nodes_in: Vec<(f64, bool)> = (-(extra as isize)..(len + extra) as isize)
        .map(|i| (x_of(i), i < 0 || i >= len as isize))
        .collect();
    let nodes_out: Vec<f64> = (0..outputs).map(|o| x_of(o as isize)).collect();
    view! {
        <svg class="wires" viewBox=format!("0 0 {width} 130") role="img"
            aria-label={if k == 0 { "dense connections" } else { "convolution connections" }}>
            {wires.into_iter().map(|(x1, x2, col, op)| view! {
                <line
                    x1=format!("{x1:.1}")
                    y1=format!("{y_in:.1}")
                    x2=format!("{x2:.1}")
                    y2=format!("{y_out:.1}")
                    stroke=col
                    stroke-width="2"
                    opacity=format!("{op}")
                />
            }).collect_view()}
            {nodes_in.into_iter().map(|(x, padded)| view! {
                <circle cx=format!("{x:.1}") cy=format!("{y_in:.1}") r="9" class={if padded { "node pad" } else { "node" }} />
            }).collect_view()}
            {nodes_out.into_iter().map(|x| view! {
                <circle cx=format!("{x:.1}") cy=format!("{y_out:.1}") r="9" class="node out" />
            }).collect_view()}
        </svg>
    }
}
