//! Lesson 1 (curriculum §1): why convolution saves parameters.
//!
//! Dense vs conv on a 1-D signal, then a real conv layer with the lecture's
//! symbols on sliders: its parameters and multiply–adds from the actual
//! `Conv2d`, the sliding window computing real outputs, and params vs C.
//!
//! URL: `#/why?M=8&N=8&C=3&K=3&D=4&s=1&p=1&bias=1&w=edges&len=8&t=0` plus the
//! input picker's keys.

pub mod model;

use convlab_core::{Conv2d, Tensor};
use leptos::prelude::*;

use self::model::{frame_cell, one_d, plot_series, stage, Stage, Weights, WhyState};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::config;
use crate::draw::chart::{line_chart, LineChart, Series};
use crate::draw::heatmap::{draw_tensor, HeatmapOptions, Highlight, Palette, TensorLayout};
use crate::draw::Style;
use crate::route::{self, Note, Params, Query};
use crate::widgets::plot::CanvasArea;
use crate::widgets::{Plot, Slider, TensorView};

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "why",
    section: 1,
    part: Part::Review,
    title: "Why convolution saves parameters",
    short: "Why conv",
    blurb: "Dense vs conv on a signal; a conv layer's K\u{b7}K\u{b7}C\u{b7}D weights and its multiply\u{2013}adds, computed live.",
    page,
    thumb,
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let mut p = Params::new(q);
    let st = WhyState::read(&mut p);
    let notes = p.finish();
    view! { <Why initial=st notes=notes /> }.into_any()
}

/// The home card: a vertical-edge filter's output on a seeded input.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    let st = WhyState {
        c: 1,
        d: 2,
        m: 10,
        n: 16,
        ..Default::default()
    };
    let sample = Tensor::from_fn(1, 10, 16, |_, y, x| {
        let (cy, cx) = (y as f32 - 4.5, x as f32 - 7.5);
        if cy * cy / 16.0 + cx * cx / 36.0 < 1.0 {
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

fn compute(st: &WhyState, sample: &Tensor) -> Result<Computed, String> {
    let conv = st.conv().map_err(|e| e.to_string())?;
    let x = st.input(sample).map_err(|e| e.to_string())?;
    let y = conv.forward(&x).map_err(|e| e.to_string())?;
    Ok(Computed { conv, x, y })
}

/// The sample picture: a soft ring (until an input is picked).
fn default_sample() -> Tensor {
    Tensor::from_fn(1, 12, 12, |_, y, x| {
        let (cy, cx) = (y as f32 - 5.5, x as f32 - 5.5);
        let r = (cy * cy + cx * cx).sqrt();
        if (2.5..4.8).contains(&r) {
            1.0
        } else {
            0.0
        }
    })
    .unwrap_or_else(|_| blank())
}

/// A 1×1×1 zero tensor, shown while the layer cannot be computed.
fn blank() -> Tensor {
    // Not reachable from user input: the shape is fixed and tiny.
    Tensor::zeros(1, 1, 1).expect("a 1x1x1 tensor is within every limit")
}

#[component]
fn Why(initial: WhyState, notes: Vec<Note>) -> impl IntoView {
    let len = RwSignal::new(initial.len);
    let m = RwSignal::new(initial.m);
    let n = RwSignal::new(initial.n);
    let c = RwSignal::new(initial.c);
    let k = RwSignal::new(initial.k);
    let d = RwSignal::new(initial.d);
    let s = RwSignal::new(initial.s);
    let pad = RwSignal::new(initial.p);
    let bias = RwSignal::new(initial.bias);
    let weights = RwSignal::new(initial.weights);
    let t = RwSignal::new(initial.t);

    let state = Memo::new(move |_| WhyState {
        len: len.get(),
        m: m.get(),
        n: n.get(),
        c: c.get(),
        k: k.get(),
        d: d.get(),
        s: s.get(),
        p: pad.get(),
        bias: bias.get(),
        weights: weights.get(),
        t: t.get(),
    });
    // The layer without the frame, so moving the frame does not recompute it.
    let layer = Memo::new(move |_| WhyState {
        t: 0,
        ..state.get()
    });
    let sample = RwSignal::new(default_sample());
    let computed = Memo::new(move |_| sample.with(|x| compute(&layer.get(), x)));
    let frames = Memo::new(move |_| layer.get().frames().unwrap_or(1));
    // Keep the frame inside the layer when a slider shrinks it.
    Effect::new(move |_| {
        let f = frames.get();
        if t.get_untracked() >= f {
            t.set(f - 1);
        }
    });

    Effect::new(move |_| {
        let st = state.get();
        let pairs: Vec<(&str, String)> = st.pairs();
        route::write_lesson_state("why", &pairs);
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
                let [_, oh, ow] = c.y.shape();
                let mut data = c.y.data().to_vec();
                for (i, v) in data.iter_mut().enumerate() {
                    let (o, r, col) = (i / (oh * ow), (i % (oh * ow)) / ow, i % ow);
                    if o * oh * ow + r * ow + col > upto {
                        *v = 0.0;
                    }
                }
                let [dd, oh, ow] = c.y.shape();
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
                    <div class="dot" data-testid="dot-product">
                        {move || trace.get().map(|tr| {
                            let shown: Vec<String> = tr.terms.iter().take(config::limits::DOT_TERMS_SHOWN)
                                .map(|term| format!("{:.2}\u{b7}{:.2}", term.input, term.weight)).collect();
                            let more = tr.terms.len().saturating_sub(shown.len());
                            format!(
                                "y[{}, {}, {}] = {}{} + b ({:.2}) = {:.3}",
                                tr.out_channel, tr.y, tr.x, shown.join(" + "),
                                if more > 0 { format!(" + \u{2026} ({more} more)") } else { String::new() },
                                tr.bias, tr.output
                            )
                        })}
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
                            format!("{what}: {done} cells \u{d7} K\u{b7}K\u{b7}C = {per} MACs each = {} MACs so far", done * per)
                        }}
                    </p>
                    <label class="frame">
                        "frame t"
                        <input type="range" min="0" data-testid="frame"
                            prop:max=move || frames.get() - 1
                            prop:value=move || t.get()
                            on:input=move |ev| {
                                if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                                    t.set(v.min(frames.get_untracked() - 1));
                                }
                            } />
                    </label>
                </section>
            </Figure>
            <Controls slot>
                <h2>"The layer"</h2>
                <Slider value=m symbol="M" meaning="feature-map height" min=1usize max=model::MAX_SIDE test_id="slider-M" />
                <Slider value=n symbol="N" meaning="feature-map width" min=1usize max=model::MAX_SIDE test_id="slider-N" />
                <Slider value=c symbol="C" meaning="input channels" min=1usize max=model::MAX_CH test_id="slider-C" />
                <Slider value=k symbol="K" meaning="kernel size" min=1usize max=model::MAX_K test_id="slider-K" />
                <Slider value=d symbol="D" meaning="filters (output channels)" min=1usize max=model::MAX_CH test_id="slider-D" />
                <Slider value=s symbol="s" meaning="stride" min=1usize max=model::MAX_STRIDE test_id="slider-s" />
                <Slider value=pad symbol="p" meaning="zero padding" min=0usize max=model::MAX_PAD test_id="slider-p" />
                <label class="check">
                    <input type="checkbox" data-testid="bias" prop:checked=move || bias.get()
                        on:change=move |ev| bias.set(event_target_checked(&ev)) />
                    "+1 bias per filter"
                </label>
                <label class="select">
                    "weights "
                    <select data-testid="weights" on:change=move |ev| {
                        weights.set(if event_target_value(&ev) == "random" { Weights::Random } else { Weights::Edges });
                    }>
                        <option value="edges" selected=move || weights.get() == Weights::Edges>"edge / blur detectors"</option>
                        <option value="random" selected=move || weights.get() == Weights::Random>"random (PyTorch init)"</option>
                    </select>
                </label>
                <h2>"1-D signal"</h2>
                <Slider value=len symbol="N" meaning="signal length" min=model::LEN_RANGE.0 max=model::LEN_RANGE.1 test_id="slider-len" />
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

/// Params vs C for the dense and the conv layer, the current C marked.
fn chart(st: &WhyState) -> LineChart {
    let series = plot_series(st).unwrap_or_default();
    let pick =
        |f: fn(&model::PlotPoint) -> f64| series.iter().map(|p| (p.c as f64, f(p))).collect();
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
            },
            Series {
                name: "conv K\u{b7}K\u{b7}C\u{b7}D".into(),
                color: conv_c,
                points: pick(|p| p.conv),
            },
        ],
        marks,
        log_y: true,
    }
}

fn show_ratio(a: usize, s: usize) -> String {
    if s <= 1 || a % s == 0 {
        (a / s.max(1)).to_string()
    } else {
        format!("{:.2}", a as f64 / s as f64)
    }
}

/// The cost panel: formulas with numbers, and counts from the real layer.
#[component]
fn CostPanel(state: Memo<WhyState>) -> impl IntoView {
    let counts = move || {
        let st = state.get();
        let conv = st.conv().map_err(|e| e.to_string())?;
        let [dd, oh, ow] = conv.output_shape(st.m, st.n).map_err(|e| e.to_string())?;
        let macs = conv.macs(st.m, st.n).map_err(|e| e.to_string())?;
        let dense =
            model::dense_params((st.m * st.n * st.c) as u64, (dd * oh * ow) as u64, st.bias);
        Ok::<_, String>((st, conv.param_count(), macs, [dd, oh, ow], dense))
    };
    view! {
        <div class="cost-grid">
            <div data-testid="counts">
                {move || match counts() {
                    Ok((st, params, macs, [dd, oh, ow], dense)) => view! {
                        <p data-testid="params">
                            "Parameters: K\u{b7}K\u{b7}C\u{b7}D" {if st.bias { " + D" } else { "" }} " = "
                            {format!("{}\u{b7}{}\u{b7}{}\u{b7}{}", st.k, st.k, st.c, st.d)}
                            {if st.bias { format!(" + {}", st.d) } else { String::new() }}
                            " = " <strong data-testid="params-value">{params}</strong>
                        </p>
                        <p data-testid="macs">
                            "Multiply\u{2013}adds: K\u{b7}K\u{b7}C\u{b7}M\u{2032}\u{b7}N\u{2032}\u{b7}D = "
                            {format!("{}\u{b7}{}\u{b7}{}\u{b7}{}\u{b7}{}\u{b7}{}", st.k, st.k, st.c, oh, ow, dd)}
                            " = " <strong data-testid="macs-value">{macs}</strong>
                        </p>
                        <p data-testid="dense">
                            "A dense layer with the same input and output sizes: "
                            <strong data-testid="dense-value">{dense.to_string()}</strong>
                            " parameters"
                        </p>
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                }}
            </div>
            <div data-testid="plot">
                <Plot
                    label="parameters against input channels C, dense and conv"
                    test_id="params-plot"
                    draw=move |area: &CanvasArea, style: &Style| line_chart(area, &chart(&state.get()), style)
                />
            </div>
        </div>
    }
}

/// The two 1-D connection patterns, drawn for the current N and K.
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
