//! The group lesson's figure panels and controls, one component each: the
//! note about an impossible M, the morph (weight blocks and connectivity), the
//! "groups do not communicate" check, and the controls. Every number they
//! show comes from [`super::model`] or the kernel crate's spec.

use convlab_core::{Error, Tensor};
use leptos::prelude::*;

use super::draw::{draw_connectivity, draw_weight_blocks, Morph};
use super::model::{GroupShape, Run};
use super::state::{list, GroupSignals, GroupState, InvalidGroups, CHANNELS};
use crate::draw::heatmap::Cell;
use crate::draw::Style;
use crate::route::{self, Query};
use crate::widgets::plot::CanvasArea;
use crate::widgets::{InputPicker, Plot, Slider, TensorView};

/// What the morph's scrub bar says about the frame it shows.
pub fn morph_label(f: &Morph) -> String {
    if f.from == f.to {
        format!("M = {}: change M to watch the weights regroup", f.to)
    } else {
        format!(
            "regrouping from M = {} to M = {}: {:.0} %",
            f.from,
            f.to,
            (f.t * 100.0).clamp(0.0, 100.0)
        )
    }
}

/// The weights caption, from the spec's counts.
pub fn blocks_caption(s: &GroupState, g: &GroupShape) -> String {
    format!(
        "Weights [N, C/M, K, K] = [{}, {}, {}, {}]: each coloured cell is one {}\u{d7}{} kernel slice, N\u{b7}C/M = {} slices; grey outlines are the {} slices grouping removed.",
        s.n,
        g.in_per_group,
        s.k,
        s.k,
        s.k,
        s.k,
        g.slices,
        g.standard_slices - g.slices
    )
}

/// The connectivity caption, from the spec's counts.
pub fn links_caption(g: &GroupShape) -> String {
    format!(
        "Each output channel reads the {} input channel{} of its group: {} connections instead of {}.",
        g.in_per_group,
        if g.in_per_group == 1 { "" } else { "s" },
        g.slices,
        g.standard_slices
    )
}

/// Why the link's M could not be used, with links to the nearest valid ones.
#[component]
pub fn InvalidGroupsNote(
    invalid: RwSignal<Option<InvalidGroups>>,
    state: Memo<GroupState>,
    query: Query,
) -> impl IntoView {
    let link = move |mm: usize| {
        let st = GroupState {
            m: mm,
            edit: None,
            ..state.get_untracked()
        };
        route::lesson_hash("group", &st.to_query(), &query)
    };
    move || {
        invalid.get().map(|inv| {
            let link = link.clone();
            view! {
                <div class="notes" role="status" data-testid="invalid-groups">
                    <p>{inv.message.clone()}</p>
                    <p>
                        "Try "
                        {inv.suggestions.iter().map(|&s| view! {
                            <a href=link(s) data-testid=format!("suggest-M-{s}")>{format!("M = {s}")}</a>
                            " "
                        }).collect_view()}
                    </p>
                </div>
            }
        })
    }
}

/// The weight tensor as blocks and the channel graph, morphing as M changes.
#[component]
pub fn MorphPanel(
    state: Memo<GroupState>,
    frame: RwSignal<Morph>,
    /// The edited input channel, marked in the graph.
    edited_channel: Signal<Option<usize>>,
    /// Per output channel, whether it stayed bit-for-bit the same.
    unchanged: Signal<Option<Vec<bool>>>,
) -> impl IntoView {
    let shape = Memo::new(move |_| GroupShape::of(&state.get()));
    view! {
        <section class="panel" data-testid="morph">
            <h2 data-testid="kind">
                {move || state.with(|s| format!("M = {}: {}", s.m, s.kind()))}
            </h2>
            <div class="panel-pair">
                <figure>
                    <Plot
                        label="weight tensor as blocks coloured by group"
                        height=280.0
                        test_id="weight-blocks"
                        draw=move |area: &CanvasArea, style: &Style| draw_weight_blocks(area, &frame.get(), style)
                    />
                    <figcaption data-testid="blocks-caption">
                        {move || state.with(|s| blocks_caption(s, &shape.get()))}
                    </figcaption>
                </figure>
                <figure>
                    <Plot
                        label="channel connectivity coloured by group"
                        height=280.0
                        test_id="connectivity"
                        draw=move |area: &CanvasArea, style: &Style| {
                            let u = unchanged.get();
                            draw_connectivity(area, &frame.get(), style, edited_channel.get(), u.as_deref())
                        }
                    />
                    <figcaption>{move || links_caption(&shape.get())}</figcaption>
                </figure>
            </div>
            <label class="frame">
                {move || frame.with(morph_label)}
                <input type="range" min="0" max="100" data-testid="morph-scrub"
                    aria-label="scrub the regrouping"
                    disabled=move || frame.with(|f| f.from == f.to)
                    prop:value=move || (frame.with(|f| f.t) * 100.0).round()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            frame.update(|f| f.t = (v / 100.0).clamp(0.0, 1.0));
                        }
                    } />
            </label>
        </section>
    }
}

/// Edit one input channel or cell; the grouped conv runs again and every
/// output channel is compared bit for bit with the run before the edit.
#[component]
pub fn IsolationPanel(
    state: Memo<GroupState>,
    signals: GroupSignals,
    result: Memo<Result<Run, Error>>,
    pinned: RwSignal<Option<Cell>>,
    edited_channel: Signal<Option<usize>>,
    unchanged: Signal<Option<Vec<bool>>>,
) -> impl IntoView {
    let s = signals;
    let shape = Memo::new(move |_| GroupShape::of(&state.get()));
    let pick = RwSignal::new(s.edit.get_untracked().unwrap_or(0));
    let input_view = Signal::derive(move || {
        result.with(|r| {
            r.as_ref()
                .map_or_else(|_| Tensor::placeholder(), |r| r.edited.clone())
        })
    });
    let output_view = Signal::derive(move || {
        result.with(|r| {
            r.as_ref()
                .map_or_else(|_| Tensor::placeholder(), |r| r.output.clone())
        })
    });
    let out_labels = Signal::derive(move || {
        let u = unchanged.get();
        (0..state.with(|s| s.n))
            .map(|o| match u.as_ref().and_then(|u| u.get(o)) {
                Some(true) => format!("out {o} \u{2713} same"),
                Some(false) => format!("out {o} changed"),
                None => format!("out {o}"),
            })
            .collect::<Vec<_>>()
    });
    let in_labels = Signal::derive(move || {
        let e = edited_channel.get();
        (0..state.with(|s| s.c))
            .map(|i| {
                if e == Some(i) {
                    format!("in {i} edited")
                } else {
                    format!("in {i}")
                }
            })
            .collect::<Vec<_>>()
    });
    let in_group = Signal::derive(move || shape.with(|g| g.in_per_group));
    let out_group = Signal::derive(move || shape.with(|g| g.out_per_group));
    view! {
        <section class="panel" data-testid="isolation">
            <h2>"Groups do not communicate \u{2014} checked on the real outputs"</h2>
            <p>
                "Click a cell of the input to change it, or randomise a whole channel. The grouped conv runs again, and every output channel is compared bit for bit with the output before the edit."
            </p>
            <div class="row">
                <label>
                    "input channel "
                    <select data-testid="edit-channel" on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                            pick.set(v);
                        }
                    }>
                        {move || (0..state.with(|s| s.c)).map(|i| view! {
                            <option value=i.to_string() selected=move || pick.get() == i>{format!("in {i}")}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" data-testid="randomise" on:click=move |_| {
                    pinned.set(None);
                    let last = s.c.get_untracked().saturating_sub(1);
                    s.edit.set(Some(pick.get_untracked().min(last)));
                }>"Randomise this channel"</button>
                <button type="button" data-testid="reset-edit" on:click=move |_| {
                    pinned.set(None);
                    s.edit.set(None);
                }>"Undo edit"</button>
            </div>
            <p data-testid="isolation-result" role="status">
                {move || result.with(|r| match r {
                    Ok(Run { isolation: Some(iso), .. }) => {
                        let n = state.with(|s| s.n);
                        let expected = shape.with(|g| g.outside_group);
                        let changed = iso.changed();
                        view! {
                            "Edited input channel " {iso.edited} " (group " {iso.group} "). Output channels bit-for-bit unchanged: "
                            <strong data-testid="unchanged-count" data-value=iso.unchanged().to_string() data-expected=expected.to_string()>
                                {iso.unchanged()} " of " {n}
                            </strong>
                            " \u{2014} every output outside group " {iso.group} ", as (M\u{2212}1)\u{b7}N/M = "
                            {expected} " predicts. Changed: "
                            {if changed.is_empty() { "none".to_string() } else { format!("out {}", list(&changed)) }}
                            "."
                        }.into_any()
                    }
                    Ok(_) => view! { "No edit yet: all outputs are the plain grouped convolution of the input." }.into_any(),
                    Err(_) => ().into_any(),
                })}
            </p>
            {move || result.with(|r| r.as_ref().err().map(|e| view! {
                <p class="error" role="alert" data-testid="group-error">{e.to_string()}</p>
            }))}
            <div class="panel-pair">
                <div>
                    <h3>{move || shape.with(|g| state.with(|s| format!("input: {} channels in {} groups of {}", s.c, s.m, g.in_per_group)))}</h3>
                    <TensorView
                        tensor=input_view
                        label="input channels"
                        group_size=in_group
                        channel_labels=in_labels
                        pinned=pinned
                        test_id="input-view"
                    />
                </div>
                <div>
                    <h3>{move || shape.with(|g| state.with(|s| format!("output: {} channels in {} groups of {}", s.n, s.m, g.out_per_group)))}</h3>
                    <TensorView
                        tensor=output_view
                        label="output channels"
                        group_size=out_group
                        channel_labels=out_labels
                        hint=false
                        test_id="output-view"
                    />
                </div>
            </div>
        </section>
    }
}

/// The picker and the layer's sliders, each from the state's declaration.
#[component]
pub fn GroupControls(signals: GroupSignals, valid: Memo<Vec<usize>>) -> impl IntoView {
    let s = signals;
    let field = |key: &str| GroupState::field(key).copied();
    let kernels = field("K").map(|f| f.range);
    view! {
        <h2>"Input"</h2>
        <InputPicker state=s.input test_id="input-picker" />
        <h2>"The layer"</h2>
        <Slider value=s.c symbol="C" meaning="input channels" min=CHANNELS.0 max=CHANNELS.1 test_id="slider-C" />
        <Slider value=s.n symbol="N" meaning="output channels" min=CHANNELS.0 max=CHANNELS.1 test_id="slider-N" />
        <Slider value=s.k symbol="K" meaning="kernel size (K\u{d7}K)" max=7usize
            allowed=Signal::derive(move || match kernels {
                Some(crate::route::Range::OneOf(list)) => list.iter().map(|&k| k as usize).collect(),
                _ => vec![1, 3, 5, 7],
            })
            test_id="slider-K" />
        <Slider value=s.m symbol="M" meaning="groups (divides C and N)" max=Signal::derive(move || s.c.get()) allowed=Signal::derive(move || valid.get()) test_id="slider-M" />
        <p class="hint" data-testid="valid-M">
            {move || format!("M can be {} \u{2014} the divisors of both C = {} and N = {}.", list(&valid.get()), s.c.get(), s.n.get())}
            {move || (!s.n.get().is_multiple_of(s.c.get())).then(|| format!(" Depthwise (M = C = {}) needs N to be a multiple of C.", s.c.get()))}
        </p>
        <label class="check">
            <input type="checkbox" data-testid="bias" prop:checked=move || s.bias.get()
                on:change=move |ev| s.bias.set(event_target_checked(&ev)) />
            {field("bias").map(|f| f.meaning)}
        </label>
    }
}
