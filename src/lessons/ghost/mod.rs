//! Lesson 7 (curriculum §7): the Ghost module.
//!
//! A primary conv makes m intrinsic maps, a cheap d×d depthwise conv makes
//! s − 1 ghosts of each; the n = m·s outputs are shown grouped by their
//! source on the picked input. Counts come from the allocated weights; the
//! paper's speed-up / compression ratio is shown exact and approximated,
//! with a plot over s.
//!
//! Files: `state.rs` (the URL state, declared once), `model.rs` (the kernel
//! crate's module and every count), `draw.rs`, `torch.rs`.
//!
//! URL: `#/ghost?C=16&n=16&K=1&s=2&d=3&bias=1&input=digit`.

pub mod draw;
pub mod model;
pub mod state;
pub mod torch;

use convlab_core::Tensor;
use leptos::prelude::*;

use self::draw::{draw_groups, ratio_chart};
use self::model::{compute, ghostnet_setting, per_map, ratios, GhostView};
use self::state::{GhostSignals, GhostState, C_RANGE, KERNELS, N_RANGE, S_RANGE};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::picture::{feature_input, picture_memo};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::chart::line_chart;
use crate::draw::heatmap::Palette;
use crate::draw::Style;
use crate::route::{Note, Query};
use crate::widgets::plot::CanvasArea;
use crate::widgets::{Formula, InputPicker, Math, Plot, Slider, TensorView};
use convlab_core::picture::first_channels;

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "ghost",
    section: 7,
    part: Part::Transferred,
    title: "Ghost module",
    short: "Ghost",
    blurb: "m intrinsic maps from a conv, s\u{2212}1 cheap depthwise ghosts of each: about s\u{d7} fewer weights and multiply\u{2013}adds.",
    page,
    notes: |q| GhostState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// Input channels drawn in the input view.
const INPUT_SHOWN: usize = 8;

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = GhostState::read(q);
    match Tensor::zeros(1, 1, 1) {
        Ok(blank) => view! { <Ghost initial=st notes=notes blank=blank /> }.into_any(),
        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
    }
}

/// The home card: 4 intrinsic maps and their ghosts on a seeded input.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    let st = GhostState {
        c: 4,
        n: 8,
        k: 3,
        s: 2,
        d: 3,
        bias: true,
        input: Default::default(),
    };
    let v = compute(&st, &Tensor::random(4, 10, 10, 5)?)?;
    draw_groups(area, &v.groups, st.s, Palette::Diverging(None), style)?;
    Ok(())
}

#[component]
fn Ghost(initial: GhostState, notes: Vec<Note>, blank: Tensor) -> impl IntoView {
    let sig = GhostSignals::new(&initial);
    let GhostSignals {
        c,
        n,
        k,
        s,
        d,
        bias,
        input,
    } = sig;
    let picture = picture_memo(input);

    GhostSignals::write_back(sig.memo(), "ghost");
    // The module's shape, without the picture it runs on.
    let state = Memo::new(move |_| GhostState {
        input: Default::default(),
        ..sig.get()
    });
    let x = Memo::new(move |_| {
        let p = picture.get().map_err(|e| e.to_string())?;
        feature_input(&p, c.get()).map_err(|e| e.to_string())
    });
    let result = Memo::new(move |_| -> Result<std::sync::Arc<GhostView>, String> {
        let x = x.get()?;
        compute(&state.get(), &x)
            .map(std::sync::Arc::new)
            .map_err(|e| e.to_string())
    });
    let input_view = Signal::derive(move || {
        x.with(|x| {
            x.as_ref()
                .ok()
                .and_then(|x| first_channels(x, INPUT_SHOWN).ok())
                .unwrap_or_else(|| blank.clone())
        })
    });
    let m = move || state.with(|st| st.spec().intrinsic());
    let ghosts = move || state.with(|st| st.spec().ghosts());
    let num = move |f: fn(&GhostView) -> u64| {
        move || result.with(|r| r.as_ref().map(|v| f(v)).unwrap_or(0))
    };
    let ghost_params = num(|v| v.module.param_count());
    let standard_params = num(|v| v.standard.param_count());
    let hw = move || {
        result.with(|r| {
            r.as_ref()
                .map(|v| (v.x.height(), v.x.width()))
                .unwrap_or((0, 0))
        })
    };
    let ghost_macs = move || {
        let (hh, ww) = hw();
        result.with(|r| {
            r.as_ref()
                .ok()
                .and_then(|v| v.module.macs(hh, ww).ok())
                .unwrap_or(0)
        })
    };
    let standard_macs = move || {
        let (hh, ww) = hw();
        result.with(|r| {
            r.as_ref()
                .ok()
                .and_then(|v| v.standard.macs(hh, ww).ok())
                .unwrap_or(0)
        })
    };
    let formula_params = move || state.with(|st| st.spec().param_count());
    let ratio = Memo::new(move |_| ratios(&state.get()).map_err(|e| e.to_string()));
    let exact = move || ratio.with(|r| r.as_ref().map(|r| r.0).unwrap_or(f64::NAN));
    let approx = move || ratio.with(|r| r.as_ref().map(|r| r.2).unwrap_or(f64::NAN));
    let pm = move || per_map(&state.get());
    let palette = move || {
        result.with(|r| {
            r.as_ref()
                .map(|v| Palette::Diverging(Some(v.output.max_abs().max(1e-6))))
                .unwrap_or_default()
        })
    };
    let setting = ghostnet_setting().ok();
    let ratio_of = |a: u64, b: u64| {
        if b == 0 {
            f64::NAN
        } else {
            a as f64 / b as f64
        }
    };
    let go = move |cc: usize| {
        c.set(cc);
        k.set(1);
        d.set(3);
        s.set(2);
    };

    let idea = "Many feature maps of a trained network look like copies of each other. The Ghost module computes only \
                m = \u{2308}n/s\u{2309} \u{201c}intrinsic\u{201d} maps with an ordinary conv and makes the other maps as cheap \
                d\u{d7}d depthwise \u{201c}ghosts\u{201d} of them: about s\u{d7} fewer weights and multiply\u{2013}adds.";

    view! {
        <LessonLayout id="ghost" idea=idea notes=notes>
            <Figure slot>
                {move || result.with(|r| r.as_ref().err().map(|e| view! { <p class="error" role="alert" data-testid="ghost-error">{e.clone()}</p> }))}
                <section class="panel" data-testid="ghost-maps">
                    <h2>{move || format!(
                        "n = {} outputs: m = {} intrinsic maps (primary {}\u{d7}{} conv) + {} ghosts ({}\u{d7}{} depthwise), grouped by source",
                        n.get(), m(), k.get(), k.get(), n.get().saturating_sub(m()), d.get(), d.get()
                    )}</h2>
                    <Plot
                        label="output maps grouped by source: each intrinsic map followed by its ghosts, in the source's colour"
                        height=380.0
                        test_id="groups-plot"
                        draw=move |area: &CanvasArea, style: &Style| {
                            let pal = palette();
                            let ss = s.get();
                            result.with(|r| match r {
                                Ok(v) => draw_groups(area, &v.groups, ss, pal, style),
                                Err(e) => Err(e.clone()),
                            })
                        }
                    />
                    <p data-testid="ghost-counts">
                        "intrinsic m = " <strong data-testid="intrinsic" data-value=move || m().to_string()>{m}</strong>
                        ", ghosts computed (s\u{2212}1)\u{b7}m = " <strong data-testid="ghosts" data-value=move || ghosts().to_string()>{ghosts}</strong>
                        {move || {
                            let extra = (m() + ghosts()).saturating_sub(n.get());
                            (extra > 0).then(|| format!(", {extra} trimmed (n = {} is not a multiple of s = {})", n.get(), s.get()))
                        }}
                    </p>
                </section>
                <section class="panel" data-testid="input-panel">
                    <h3>{move || format!("input: C = {} maps from the picked picture{}", c.get(), if c.get() > INPUT_SHOWN { format!(" (first {INPUT_SHOWN} shown)") } else { String::new() })}</h3>
                    <TensorView tensor=input_view label="input channels" height=180.0 legend=false test_id="input-view" />
                </section>
            </Figure>
            <Controls slot>
                <h2>"The module"</h2>
                <Slider value=c symbol="C" meaning="input channels" min=C_RANGE.0 max=C_RANGE.1 test_id="slider-C" />
                <Slider value=n symbol="n" meaning="output maps" min=N_RANGE.0 max=N_RANGE.1 test_id="slider-n" />
                <Slider value=k symbol="K" meaning="primary kernel size" allowed=Signal::derive(|| KERNELS.to_vec()) max=5usize test_id="slider-K" />
                <Slider value=s symbol="s" meaning="ratio: 1 intrinsic + s\u{2212}1 ghosts" min=S_RANGE.0 max=S_RANGE.1 test_id="slider-s" />
                <Slider value=d symbol="d" meaning="cheap depthwise kernel size" allowed=Signal::derive(|| KERNELS.to_vec()) max=5usize test_id="slider-d" />
                <label class="check">
                    <input type="checkbox" data-testid="bias" prop:checked=move || bias.get()
                        on:change=move |ev| bias.set(event_target_checked(&ev)) />
                    "+1 bias per map (the slide counts it)"
                </label>
                <h2>"GhostNet's setting"</h2>
                <div class="jumps">
                    <button type="button" class="btn" data-testid="setting-256" on:click=move |_| go(256)>"c = 256, k = 1, d = 3, s = 2"</button>
                    <button type="button" class="btn" data-testid="setting-16" on:click=move |_| go(16)>"c = 16, k = 1, d = 3, s = 2"</button>
                </div>
                <h2>"The input"</h2>
                <InputPicker state=input test_id="input-picker" />
            </Controls>
            <Cost slot>
                <div class="cost-grid">
                    <div class="counts">
                        <h3>"Parameters per new map"</h3>
                        <table class="count-table" tabindex="0" data-testid="per-map">
                            <tbody>
                                <tr><td>"ordinary conv: K\u{b7}K\u{b7}C + 1"</td><td>{move || format!("{}\u{b7}{}\u{b7}{} + 1", k.get(), k.get(), c.get())}</td><td class="num" data-testid="per-map-conv" data-value=move || pm().conv.to_string()>{move || pm().conv}</td></tr>
                                <tr><td>"depthwise: K\u{b7}K + 1"</td><td>{move || format!("{}\u{b7}{} + 1", k.get(), k.get())}</td><td class="num" data-testid="per-map-depthwise" data-value=move || pm().depthwise.to_string()>{move || pm().depthwise}</td></tr>
                                <tr><td>"ghost: d\u{b7}d + 1"</td><td>{move || format!("{}\u{b7}{} + 1", d.get(), d.get())}</td><td class="num" data-testid="per-map-ghost" data-value=move || pm().ghost.to_string()>{move || pm().ghost}</td></tr>
                            </tbody>
                        </table>
                        <h3>"The whole layer, from the allocated weights"</h3>
                        <Formula test_id="formula-ghost-params" math=Signal::derive(move || {
                            let st = state.get();
                            let mm = st.spec().intrinsic() as u64;
                            let g = st.spec().ghosts() as u64;
                            let b = if st.bias { "+1" } else { "" };
                            Math::row([
                                Math::text("Ghost"), Math::op("="),
                                Math::paren(Math::row([Math::id("K\u{b7}K\u{b7}C"), Math::text(b)])), Math::op("\u{b7}"), Math::id("m"),
                                Math::op("+"), Math::paren(Math::row([Math::id("d\u{b7}d"), Math::text(b)])), Math::op("\u{b7}"), Math::paren(Math::row([Math::id("s"), Math::op("\u{2212}"), Math::num(1)])), Math::op("\u{b7}"), Math::id("m"),
                                Math::op("="),
                                Math::paren(Math::row([Math::num((st.k * st.k * st.c) as u64), Math::text(b)])), Math::op("\u{b7}"), Math::num(mm),
                                Math::op("+"), Math::paren(Math::row([Math::num((st.d * st.d) as u64), Math::text(b)])), Math::op("\u{b7}"), Math::num(g),
                                Math::op("="), Math::strong(Math::count(formula_params())),
                            ])
                        }) />
                        <p>
                            "allocated in the module: " <strong data-testid="ghost-params" data-value=move || ghost_params().to_string()>{ghost_params}</strong>
                            " (formula " <span data-testid="ghost-params-formula" data-value=move || formula_params().to_string()>{formula_params}</span> ")"
                            "; the ordinary " {move || format!("{}\u{d7}{}", k.get(), k.get())} " conv C \u{2192} n: "
                            <strong data-testid="standard-params" data-value=move || standard_params().to_string()>{standard_params}</strong>
                            " \u{2014} " <strong data-testid="real-param-ratio">{move || format!("{:.2}\u{d7}", ratio_of(standard_params(), ghost_params()))}</strong> " fewer"
                        </p>
                        <p>
                            "multiply\u{2013}adds on the " {move || { let (a, b) = hw(); format!("{a}\u{d7}{b}") }} " input: Ghost "
                            <strong data-testid="ghost-macs" data-value=move || ghost_macs().to_string()>{ghost_macs}</strong>
                            ", ordinary " <strong data-testid="standard-macs" data-value=move || standard_macs().to_string()>{standard_macs}</strong>
                            " \u{2014} " <strong data-testid="real-mac-ratio">{move || format!("{:.2}\u{d7}", ratio_of(standard_macs(), ghost_macs()))}</strong>
                        </p>
                    </div>
                    <div>
                        <h3>"The paper's speed-up = compression ratio"</h3>
                        <Formula test_id="formula-ratio" math=Signal::derive(move || {
                            let st = state.get();
                            Math::row([
                                Math::id("r"), Math::op("="),
                                Math::frac(
                                    Math::row([Math::id("c"), Math::op("\u{b7}"), Math::sup(Math::id("k"), Math::num(2))]),
                                    Math::row([
                                        Math::frac(Math::num(1), Math::id("s")), Math::op("\u{b7}"), Math::id("c"), Math::op("\u{b7}"), Math::sup(Math::id("k"), Math::num(2)),
                                        Math::op("+"), Math::frac(Math::row([Math::id("s"), Math::op("\u{2212}"), Math::num(1)]), Math::id("s")), Math::op("\u{b7}"), Math::sup(Math::id("d"), Math::num(2)),
                                    ]),
                                ),
                                Math::op("="),
                                Math::frac(
                                    Math::row([Math::num(st.c), Math::op("\u{b7}"), Math::sup(Math::num(st.k), Math::num(2))]),
                                    Math::row([
                                        Math::frac(Math::num(1), Math::num(st.s)), Math::op("\u{b7}"), Math::num(st.c), Math::op("\u{b7}"), Math::sup(Math::num(st.k), Math::num(2)),
                                        Math::op("+"), Math::frac(Math::num(st.s.saturating_sub(1)), Math::num(st.s)), Math::op("\u{b7}"), Math::sup(Math::num(st.d), Math::num(2)),
                                    ]),
                                ),
                                Math::op("="), Math::strong(Math::dec(exact(), 3)),
                            ])
                        }) />
                        <Formula test_id="formula-approx" math=Signal::derive(move || {
                            let st = state.get();
                            Math::row([
                                Math::op("\u{2248}"), Math::frac(Math::row([Math::id("s"), Math::op("\u{b7}"), Math::id("c")]), Math::row([Math::id("s"), Math::op("+"), Math::id("c"), Math::op("\u{2212}"), Math::num(1)])),
                                Math::op("="), Math::strong(Math::dec(approx(), 3)),
                                Math::op("\u{2248}"), Math::id("s"), Math::op("="), Math::num(st.s),
                            ])
                        }) />
                        <p data-testid="ratio-values">
                            "exact " <strong data-testid="ratio-exact" data-value=move || exact().to_string()>{move || format!("{:.3}", exact())}</strong>
                            ", \u{2248} s\u{b7}c/(s+c\u{2212}1) = " <strong data-testid="ratio-approx" data-value=move || approx().to_string()>{move || format!("{:.3}", approx())}</strong>
                            ", \u{2248} s = " {move || s.get()}
                            {move || (d.get() != k.get()).then(|| view! { <span>" \u{2014} the approximations assume d \u{2248} k; here d = " {d.get()} ", k = " {k.get()} "."</span> })}
                        </p>
                        <Plot
                            label="the ratio against s for the current c, k and d: exact, s·c/(s+c−1), and s"
                            test_id="ratio-plot"
                            draw=move |area: &CanvasArea, style: &Style| {
                                let chart = ratio_chart(&state.get())?;
                                line_chart(area, &chart, style)
                            }
                        />
                        <p data-testid="ghostnet-setting">
                            "GhostNet itself uses k = 1, d = 3, s = 2, where d \u{226b} k and the exact ratio is far from s: "
                            {setting.map(|[(c1, r1), (c2, r2)]| view! {
                                <strong data-testid="ghostnet-256" data-value=r1.to_string()>{format!("{r1:.2}")}</strong> {format!(" at c = {c1}, ")}
                                <strong data-testid="ghostnet-16" data-value=r2.to_string()>{format!("{r2:.2}")}</strong> {format!(" at c = {c2}.")}
                            })}
                        </p>
                    </div>
                </div>
            </Cost>
            <SlideSays slot>
                <p data-testid="one-plus-one">
                    "The slide counts a ghost as \u{201c}1+1\u{201d} parameters: that is d = 1, a 1\u{d7}1 depthwise op \u{2014} one scale and one bias per ghost. "
                    "GhostNet uses d = 3: " <strong>"3\u{b7}3 + 1 = 10"</strong> " per ghost. "
                    {move || format!("Here d = {}: {}\u{b7}{} + 1 = {}.", d.get(), d.get(), d.get(), pm().ghost)}
                </p>
            </SlideSays>
        </LessonLayout>
    }
}
