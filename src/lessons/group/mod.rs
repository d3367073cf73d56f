//! Lesson 3 (curriculum §3): group convolution.
//!
//! A groups slider that only stops at divisors of C and N morphs standard →
//! group → depthwise convolution (weight blocks and the connectivity graph,
//! coloured by group); the real grouped conv runs on the picked input, and
//! editing one input channel proves, by comparing real outputs bit for bit,
//! that the other groups' outputs do not change.
//!
//! URL: `#/group?C=8&N=8&K=3&M=2&bias=1&edit=0`.

pub mod animator;
pub mod draw;
pub mod state;
pub mod torch;

use convlab_core::Tensor;
use leptos::prelude::*;

use self::animator::MorphAnimator;
use self::draw::{draw_connectivity, draw_weight_blocks, params_chart, Morph};
use self::state::{
    feature_input, fit_picture, flip_cell, isolation, list, params_by_groups, randomise_channel,
    valid_groups, GroupCost, GroupModel, GroupState, InvalidGroups, Isolation, EDIT_SEED,
};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::chart::line_chart;
use crate::draw::heatmap::Cell;
use crate::draw::Style;
use crate::route::{self, Note, Params, Query};
use crate::widgets::input_picker::render;
use crate::widgets::plot::CanvasArea;
use crate::widgets::{Formula, InputPicker, InputState, Math, Plot, Slider, TensorView};

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "group",
    section: 3,
    part: Part::Compact,
    title: "Group convolution",
    short: "Group conv",
    blurb: "M groups: each output reads only C/M input channels \u{2014} K\u{b7}K\u{b7}C\u{b7}N/M weights, 1/M of a standard conv.",
    page,
    notes: |q| read(q).2,
    thumb,
    torch: Some(torch::snippet),
};

/// Side of the picture the compact-filter lessons (bottleneck, group,
/// depthwise) convolve; the picker's choice is rendered at this size.
pub(crate) const PICTURE_SIDE: usize = 16;

/// The picker's state from the URL key `input`, with a note when it cannot be read.
/// A repeated `input` is noted like any repeated key (the first one is read).
pub(crate) fn read_input(q: &Query) -> (InputState, Vec<Note>) {
    let only = Query::from_pairs(q.pairs().iter().filter(|(k, _)| k == "input").cloned());
    let mut p = Params::new(&only);
    let raw = p.raw_value("input");
    let mut notes = p.finish();
    let state = match raw.map(InputState::from_param) {
        None => InputState::default(),
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            notes.push(Note::new(
                "input",
                format!("{e} Using the default picture."),
            ));
            InputState::default()
        }
    };
    (state, notes)
}

/// The picked picture (one channel, [`PICTURE_SIDE`] a side).
pub(crate) fn picture_memo(input: RwSignal<InputState>) -> Memo<Result<Tensor, String>> {
    Memo::new(move |_| {
        input.with(|s| render(s, 1, PICTURE_SIDE, PICTURE_SIDE).map_err(|e| e.to_string()))
    })
}

/// A picture lesson's URL: the picker's `input` and the state `parse` reads,
/// with the notes of both.
pub(crate) fn read_with_input<S>(
    q: &Query,
    parse: impl FnOnce(&Query) -> (S, Vec<Note>),
) -> (InputState, S, Vec<Note>) {
    let (input, mut notes) = read_input(q);
    let (st, more) = parse(q);
    notes.extend(more);
    (input, st, notes)
}

/// The lesson's URL pairs plus the picker's `input`.
pub(crate) fn with_input(
    mut pairs: Vec<(&'static str, String)>,
    input: &InputState,
) -> Vec<(&'static str, String)> {
    pairs.push(("input", input.to_param()));
    pairs
}

/// Seed of the fixed 3×3 conv that turns the picture into C feature maps.
const STEM_SEED: u64 = 29;

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (input, (st, invalid), notes) = read(q);
    match Tensor::zeros(1, 1, 1) {
        Ok(blank) => view! {
            <GroupConv initial=st notes=notes invalid=invalid query=q.clone() input=input blank=blank />
        }
        .into_any(),
        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
    }
}

/// The picker's input, the lesson's state (and an impossible M) and the notes
/// about the URL query.
type Read = (InputState, (GroupState, Option<InvalidGroups>), Vec<Note>);

fn read(q: &Query) -> Read {
    read_with_input(q, |q| {
        let (st, notes, invalid) = GroupState::parse(&q.without("input"));
        ((st, invalid), notes)
    })
}

/// The home card: the connectivity graph of 8 → 8 channels in 4 groups.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    draw_connectivity(area, &Morph::still(8, 8, 4), style, None, None)?;
    Ok(())
}

/// What the figure shows, all computed by the kernel crate.
#[derive(Clone, Debug, PartialEq)]
struct Run {
    edited: Tensor,
    output: Tensor,
    isolation: Option<Isolation>,
}

/// An edit of the input for the non-communication demo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edit {
    None,
    Randomise(usize),
    Cell(Cell),
}

fn run(model: &GroupModel, x: &Tensor, edit: Edit) -> Result<Run, String> {
    let e = |e: convlab_core::Error| e.to_string();
    let (edited, channel) = match edit {
        Edit::None => (x.clone(), None),
        Edit::Randomise(c) => (randomise_channel(x, c, EDIT_SEED).map_err(e)?, Some(c)),
        Edit::Cell(cell) => (
            flip_cell(x, cell.c, cell.y, cell.x).map_err(e)?,
            Some(cell.c),
        ),
    };
    match channel {
        None => Ok(Run {
            output: model.grouped.forward(x).map_err(e)?,
            edited,
            isolation: None,
        }),
        Some(c) => {
            let (_, after, iso) = isolation(&model.grouped, x, &edited, c).map_err(e)?;
            Ok(Run {
                edited,
                output: after,
                isolation: Some(iso),
            })
        }
    }
}

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
    let n = |v: usize| Math::num(v);
    let mut terms = vec![Math::join("\u{b7}", [n(s.k), n(s.k), n(s.c), n(s.n)])];
    if s.bias {
        terms.push(Math::op("+"));
        terms.push(n(s.n));
    }
    terms.push(Math::op("="));
    terms.push(Math::strong(Math::count(cost.standard_params)));
    Math::row(terms)
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

#[component]
fn GroupConv(
    initial: GroupState,
    notes: Vec<Note>,
    invalid: Option<InvalidGroups>,
    query: Query,
    input: InputState,
    blank: Tensor,
) -> impl IntoView {
    let c = RwSignal::new(initial.c);
    let n = RwSignal::new(initial.n);
    let k = RwSignal::new(initial.k);
    let m_raw = RwSignal::new(initial.m);
    let bias = RwSignal::new(initial.bias);
    let edit = RwSignal::new(match initial.edit {
        Some(ch) => Edit::Randomise(ch),
        None => Edit::None,
    });
    let pinned = RwSignal::new(None::<Cell>);
    let input = RwSignal::new(input);
    let picture = picture_memo(input);

    let valid = Memo::new(move |_| valid_groups(c.get(), n.get()));
    // The slider stops only at valid M; after C or N change, M snaps to the
    // largest valid value not above it.
    let m = Memo::new(move |_| {
        let want = m_raw.get();
        valid.with(|v| v.iter().copied().filter(|&g| g <= want).max().unwrap_or(1))
    });
    let state = Memo::new(move |_| GroupState {
        c: c.get(),
        n: n.get(),
        k: k.get(),
        m: m.get(),
        bias: bias.get(),
        edit: match edit.get() {
            Edit::Randomise(ch) => Some(ch),
            _ => None,
        },
    });
    Effect::new(move |_| {
        let pairs = with_input(state.get().to_query(), &input.get());
        route::write_lesson_state("group", &pairs);
    });
    // A cell click (pin) edits that cell; unpinning undoes the edit.
    Effect::new(move |prev: Option<Option<Cell>>| {
        let p = pinned.get();
        if let Some(cell) = p {
            edit.set(Edit::Cell(cell));
        } else if matches!(prev, Some(Some(_))) && matches!(edit.get_untracked(), Edit::Cell(_)) {
            edit.set(Edit::None);
        }
        p
    });
    // Drop an edit that no longer fits the channels.
    Effect::new(move |_| {
        let cc = c.get();
        let bad = match edit.get_untracked() {
            Edit::Randomise(ch) => ch >= cc,
            Edit::Cell(cell) => cell.c >= cc,
            Edit::None => false,
        };
        if bad {
            edit.set(Edit::None);
            pinned.set(None);
        }
    });

    // The URL's invalid M is explained until the reader changes C, N or M.
    let invalid = RwSignal::new(invalid);
    Effect::new(move |first: Option<()>| {
        let _ = (c.get(), n.get(), m.get());
        if first.is_some() {
            invalid.set(None);
        }
    });

    let shape = Memo::new(move |_| GroupState {
        edit: None,
        ..state.get()
    });
    let model = Memo::new(move |_| GroupModel::new(&shape.get()).map_err(|e| e.to_string()));
    let x = Memo::new(move |_| {
        let p = picture.get()?;
        fit_picture(&p)
            .and_then(|p| feature_input(&p, c.get(), STEM_SEED))
            .map_err(|e| e.to_string())
    });
    let result = Memo::new(move |_| {
        let model = model.get()?;
        let x = x.get()?;
        run(&model, &x, edit.get())
    });
    let cost = Memo::new(move |_| {
        let model = model.get()?;
        let [_, h, w] = x.get()?.shape();
        model.cost(h, w).map_err(|e| e.to_string())
    });
    let points = Memo::new(move |_| params_by_groups(&shape.get()).map_err(|e| e.to_string()));

    // The morph: frames written by the animator, drawn by both figures.
    let frame = RwSignal::new(Morph::still(initial.c, initial.n, initial.m));
    let target = Memo::new(move |_| (c.get(), n.get(), m.get()));
    MorphAnimator::start(target, frame);

    let error = move || result.with(|r| r.as_ref().err().cloned());
    let fallback = blank.clone();
    let input_view = Signal::derive(move || {
        result.with(|r| {
            r.as_ref()
                .map(|r| r.edited.clone())
                .unwrap_or_else(|_| fallback.clone())
        })
    });
    let fallback = blank;
    let output_view = Signal::derive(move || {
        result.with(|r| {
            r.as_ref()
                .map(|r| r.output.clone())
                .unwrap_or_else(|_| fallback.clone())
        })
    });
    let in_group = Signal::derive(move || c.get() / m.get().max(1));
    let out_group = Signal::derive(move || n.get() / m.get().max(1));
    let unchanged: Signal<Option<Vec<bool>>> = Signal::derive(move || {
        result.with(|r| {
            r.as_ref().ok().and_then(|r| {
                r.isolation
                    .as_ref()
                    .map(|i| i.changes.iter().map(|ch| ch.identical).collect())
            })
        })
    });
    let edited_channel = Signal::derive(move || match edit.get() {
        Edit::None => None,
        Edit::Randomise(ch) => Some(ch),
        Edit::Cell(cell) => Some(cell.c),
    });
    let out_labels = Signal::derive(move || {
        let u = unchanged.get();
        (0..n.get())
            .map(|o| match u.as_ref().and_then(|u| u.get(o)) {
                Some(true) => format!("out {o} \u{2713} same"),
                Some(false) => format!("out {o} changed"),
                None => format!("out {o}"),
            })
            .collect::<Vec<_>>()
    });
    let in_labels = Signal::derive(move || {
        let e = edited_channel.get();
        (0..c.get())
            .map(|i| {
                if e == Some(i) {
                    format!("in {i} edited")
                } else {
                    format!("in {i}")
                }
            })
            .collect::<Vec<_>>()
    });
    let pick = RwSignal::new(initial.edit.unwrap_or(0));

    let idea = "Split the C input channels and the N filters into M groups; each filter reads only \
                the C/M channels of its own group, so the layer has K\u{b7}K\u{b7}C\u{b7}N/M weights \u{2014} \
                1/M of a standard convolution. M = 1 is a standard conv, M = C is depthwise; the price \
                is that groups never exchange information, which you can check below.";

    let query_for_links = query.clone();
    let link = move |mm: usize| {
        let st = GroupState {
            m: mm,
            edit: None,
            ..state.get_untracked()
        };
        let pairs = with_input(st.to_query(), &input.get_untracked());
        route::lesson_hash("group", &pairs, &query_for_links)
    };

    view! {
        <LessonLayout id="group" idea=idea notes=notes>
            <Figure slot>
                {move || invalid.get().map(|inv| {
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
                })}
                <section class="panel" data-testid="morph">
                    <h2 data-testid="kind">
                        {move || state.with(|s| format!("M = {}: {}", s.m, s.kind()))}
                    </h2>
                    <div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:1em">
                        <figure style="margin:0">
                            <Plot
                                label="weight tensor as blocks coloured by group"
                                height=280.0
                                test_id="weight-blocks"
                                draw=move |area: &CanvasArea, style: &Style| draw_weight_blocks(area, &frame.get(), style)
                            />
                            <figcaption data-testid="blocks-caption">
                                {move || state.with(|s| format!(
                                    "Weights [N, C/M, K, K] = [{}, {}, {}, {}]: each coloured cell is one {}\u{d7}{} kernel slice, N\u{b7}C/M = {} slices; grey outlines are the weights grouping removed.",
                                    s.n, s.c / s.m, s.k, s.k, s.k, s.k, s.n * s.c / s.m
                                ))}
                            </figcaption>
                        </figure>
                        <figure style="margin:0">
                            <Plot
                                label="channel connectivity coloured by group"
                                height=280.0
                                test_id="connectivity"
                                draw=move |area: &CanvasArea, style: &Style| {
                                    let u = unchanged.get();
                                    draw_connectivity(area, &frame.get(), style, edited_channel.get(), u.as_deref())
                                }
                            />
                            <figcaption>
                                {move || state.with(|s| format!(
                                    "Each output channel reads the {} input channel{} of its group: {} connections instead of {}.",
                                    s.c / s.m, if s.c / s.m == 1 { "" } else { "s" }, s.n * s.c / s.m, s.n * s.c
                                ))}
                            </figcaption>
                        </figure>
                    </div>
                    <label class="frame">
                        {move || frame.with(|f| format!("morph M = {} \u{2192} {}", f.from, f.to))}
                        <input type="range" min="0" max="100" data-testid="morph-scrub"
                            aria-label="scrub the morph"
                            prop:value=move || (frame.with(|f| f.t) * 100.0).round()
                            on:input=move |ev| {
                                if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                    frame.update(|f| f.t = (v / 100.0).clamp(0.0, 1.0));
                                }
                            } />
                    </label>
                </section>
                <section class="panel" data-testid="isolation">
                    <h2>"Groups do not communicate \u{2014} checked on the real outputs"</h2>
                    <p>
                        "Click a cell of the input to change it, or randomise a whole channel. The grouped conv runs again, and every output channel is compared bit for bit with the output before the edit."
                    </p>
                    <div class="row" style="display:flex;flex-wrap:wrap;gap:0.5em;align-items:center">
                        <label>
                            "input channel "
                            <select data-testid="edit-channel" on:change=move |ev| {
                                if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                                    pick.set(v);
                                }
                            }>
                                {move || (0..c.get()).map(|i| view! {
                                    <option value=i.to_string() selected=move || pick.get() == i>{format!("in {i}")}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="button" data-testid="randomise" on:click=move |_| {
                            pinned.set(None);
                            edit.set(Edit::Randomise(pick.get_untracked().min(c.get_untracked().saturating_sub(1))));
                        }>"Randomise this channel"</button>
                        <button type="button" data-testid="reset-edit" on:click=move |_| {
                            pinned.set(None);
                            edit.set(Edit::None);
                        }>"Undo edit"</button>
                    </div>
                    <p data-testid="isolation-result" role="status">
                        {move || result.with(|r| match r {
                            Ok(Run { isolation: Some(iso), .. }) => {
                                let s = state.get();
                                let expected = (s.m - 1) * s.n / s.m;
                                let changed: Vec<usize> = iso.changes.iter().filter(|ch| !ch.identical).map(|ch| ch.channel).collect();
                                view! {
                                    "Edited input channel " {iso.edited} " (group " {iso.group} "). Output channels bit-for-bit unchanged: "
                                    <strong data-testid="unchanged-count" data-value=iso.unchanged().to_string() data-expected=expected.to_string()>
                                        {iso.unchanged()} " of " {s.n}
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
                    {move || error().map(|e| view! { <p class="error" role="alert" data-testid="group-error">{e}</p> })}
                    <div class="tensor-pair" style="display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:1em">
                        <div>
                            <h3>{move || format!("input: {} channels in {} groups of {}", c.get(), m.get(), in_group.get())}</h3>
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
                            <h3>{move || format!("output: {} channels in {} groups of {}", n.get(), m.get(), out_group.get())}</h3>
                            <TensorView
                                tensor=output_view
                                label="output channels"
                                group_size=out_group
                                channel_labels=out_labels
                                test_id="output-view"
                            />
                        </div>
                    </div>
                </section>
            </Figure>
            <Controls slot>
                <h2>"Input"</h2>
                <InputPicker state=input test_id="input-picker" />
                <h2>"The layer"</h2>
                <Slider value=c symbol="C" meaning="input channels" min=state::CHANNELS.0 max=state::CHANNELS.1 test_id="slider-C" />
                <Slider value=n symbol="N" meaning="output channels" min=state::CHANNELS.0 max=state::CHANNELS.1 test_id="slider-N" />
                <Slider value=k symbol="K" meaning="kernel size (K\u{d7}K)" max=7usize allowed=Signal::derive(|| state::KERNELS.to_vec()) test_id="slider-K" />
                <Slider value=m_raw symbol="M" meaning="groups (divides C and N)" max=Signal::derive(move || c.get()) allowed=Signal::derive(move || valid.get()) test_id="slider-M" />
                <p class="hint" data-testid="valid-M">
                    {move || format!("M can be {} \u{2014} the divisors of both C = {} and N = {}.", list(&valid.get()), c.get(), n.get())}
                    {move || (!n.get().is_multiple_of(c.get())).then(|| format!(" Depthwise (M = C = {}) needs N to be a multiple of C.", c.get()))}
                </p>
                <label class="check">
                    <input type="checkbox" data-testid="bias" prop:checked=move || bias.get()
                        on:change=move |ev| bias.set(event_target_checked(&ev)) />
                    "conv with bias (+N), as the lecture"
                </label>
            </Controls>
            <Cost slot>
                {move || match (cost.get(), state.get()) {
                    (Ok(cost), s) => view! {
                        <div class="cost-grid" data-testid="counts">
                            <p>"Group conv: K\u{b7}K\u{b7}(C/M)\u{b7}(N/M)\u{b7}M" {if s.bias { " + N" } else { "" }}</p>
                            <Formula math=params_math(&s, &cost) test_id="formula-grouped" />
                            <p>"Standard conv: K\u{b7}K\u{b7}C\u{b7}N" {if s.bias { " + N" } else { "" }}</p>
                            <Formula math=standard_math(&s, &cost) test_id="formula-standard" />
                            <p>"Ratio"</p>
                            <Formula math=ratio_math(&s, &cost) test_id="formula-ratio" />
                            <p data-testid="tensor-counts">
                                "Counted from the real tensors: weight ["
                                {format!("{}, {}, {}, {}", s.n, s.c / s.m, s.k, s.k)} "] = "
                                <strong data-testid="grouped-weights" data-value=cost.grouped_weights.to_string()>{cost.grouped_weights}</strong>
                                {if s.bias { format!(" + bias {}", s.n) } else { String::new() }}
                                " = " <strong data-testid="grouped-params" data-value=cost.grouped_params.to_string()>{cost.grouped_params}</strong>
                                " parameters; the standard conv allocates "
                                <strong data-testid="standard-params" data-value=cost.standard_params.to_string()>{cost.standard_params}</strong>
                                ". Multiply\u{2013}adds on this input: "
                                <span data-testid="grouped-macs">{cost.grouped_macs}</span> " vs " {cost.standard_macs} "."
                            </p>
                        </div>
                    }.into_any(),
                    (Err(e), _) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                }}
                <Plot
                    label="parameters against the number of groups M"
                    test_id="params-plot"
                    draw=move |area: &CanvasArea, style: &Style| match points.get() {
                        Ok(pts) => line_chart(area, &params_chart(&pts, m.get(), bias.get()), style),
                        Err(e) => Err(e),
                    }
                />
            </Cost>
            <SlideSays slot>
                <p data-testid="slide-note">
                    "K\u{d7}K\u{d7}(C/M)\u{d7}(N/M)\u{d7}M = K\u{d7}K\u{d7}C\u{d7}N/M and the ratio 1/M are exact for the weights. "
                    "With the bias counted (the lecture's convention) both layers add N, so the exact ratio is a little above 1/M: "
                    {move || cost.get().ok().map(|c| format!("{:.4} here instead of {:.4}.", c.ratio(), c.weight_ratio()))}
                    " \u{201c}Different group will not communicate\u{201d} is checked above on the real outputs."
                </p>
            </SlideSays>
        </LessonLayout>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_or_unreadable_input_is_noted() {
        let (st, notes) = read_input(&Query::parse("input=edges&M=2&input=-1"));
        assert_eq!(st.to_param(), "edges");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].key, "input");
        assert!(notes[0]
            .message
            .starts_with("input is given 2 times; using the first (input=edges)"));
        let (st, notes) = read_input(&Query::parse("input=nope"));
        assert_eq!(st, InputState::default());
        assert_eq!(notes.len(), 1, "{notes:?}");
        let (_, notes) = read_input(&Query::parse("M=2"));
        assert!(notes.is_empty());
    }

    #[test]
    fn formulas_carry_the_live_numbers() {
        let s = GroupState {
            c: 16,
            n: 16,
            k: 3,
            m: 4,
            bias: true,
            edit: None,
        };
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
    fn run_compares_real_outputs() {
        let s = GroupState {
            c: 8,
            n: 8,
            k: 3,
            m: 4,
            bias: true,
            edit: None,
        };
        let model = GroupModel::new(&s).unwrap();
        let x = feature_input(&state::sample_picture().unwrap(), 8, STEM_SEED).unwrap();
        let plain = run(&model, &x, Edit::None).unwrap();
        assert!(plain.isolation.is_none());
        let r = run(&model, &x, Edit::Randomise(5)).unwrap();
        let iso = r.isolation.unwrap();
        assert_eq!(iso.group, 2);
        assert_eq!(iso.unchanged(), 6);
        let r = run(&model, &x, Edit::Cell(Cell::new(0, 3, 3))).unwrap();
        assert_eq!(r.isolation.unwrap().unchanged(), 6);
        assert!(run(&model, &x, Edit::Randomise(8)).is_err());
    }
}
