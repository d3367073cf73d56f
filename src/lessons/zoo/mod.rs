//! Lesson 12 (curriculum §12): the model zoo.
//!
//! Whole networks from the kernel crate's zoo, layer by layer: a sortable
//! table (type, shapes, params, MACs, activation memory), stacked bars per
//! stage, totals that equal the published figures under a stated convention,
//! the standard twin beside them, and the table as CSV.
//!
//! Files: `state.rs` (the URL state, declared once), `model.rs` (what the
//! kernel crate's tables give: rows, CSV, stage sums, the cheaper twin),
//! `table.rs` (the layer table), `draw.rs` (the stage charts), `torch.rs`.
//!
//! URL: see [`state`]; e.g. `#/zoo?model=shufflenet_v2&width=1&conv=torchvision&units=macs&sort=params&dir=desc&twin=0`.

pub mod draw;
pub mod model;
pub mod state;
pub mod table;
pub mod torch;

use convlab_core::models::{Knob, KnobRange, Zoo};
use leptos::prelude::*;

use self::draw::{draw_stages, stage_key, Quantity};
use self::model::short;
use self::state::{knob_step, knob_value, Counting, KnobValue, Units, ZooSignals, ZooState};
use self::table::LayerTable;
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::Style;
use crate::route::{Note, Query};
use crate::widgets::formula::group_digits;
use crate::widgets::plot::CanvasArea;
use crate::widgets::{Plot, Slider};

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "zoo",
    section: 12,
    part: Part::Models,
    title: "Model zoo",
    short: "Zoo",
    blurb: "Whole networks layer by layer: params, MACs and memory per layer and stage, published totals, and each network's standard twin.",
    page,
    notes: |q| ZooState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = ZooState::read(q);
    view! { <ZooPage initial=st notes=notes /> }.into_any()
}

/// The home card: MobileNet v2's parameters per stage.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    let st = ZooState::default();
    let mut chart = draw::stage_chart(&st, Quantity::Params)?;
    chart.y_label = String::new();
    crate::draw::chart::bar_chart(area, &chart, style)?;
    Ok(())
}

/// Page-local styles: the scrolling table with its sticky header.
const CSS: &str = "
.zoo-totals { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr)); gap: 0.75rem; }
.zoo-totals .count-table td.num { white-space: nowrap; }
.zoo-conv { font-size: 0.85rem; color: var(--muted); margin: 0.2rem 0 0.6rem; }
.zoo-scroll { max-height: 70vh; overflow: auto; border: var(--line) solid var(--border); border-radius: 6px; -webkit-overflow-scrolling: touch; }
.zoo-table { border-collapse: separate; border-spacing: 0; width: 100%; table-layout: fixed; font-variant-numeric: tabular-nums; font-size: 0.9rem; }
.zoo-table th, .zoo-table td { padding: 0.25rem 0.5rem; border-bottom: var(--line) solid var(--border); white-space: nowrap; text-align: left; }
.zoo-table td.num, .zoo-table th.num { text-align: right; }
.zoo-table thead th { position: sticky; top: 0; z-index: 2; background: var(--panel, var(--bg, Canvas)); }
.zoo-table thead th button { font: inherit; font-weight: 650; background: none; border: 0; padding: 0.35rem 0; min-height: 2.75rem; min-width: 2.75rem; cursor: pointer; color: inherit; }
.zoo-table thead th button:focus-visible { outline: 3px solid var(--focus); }
.zoo-table tfoot td { font-weight: 700; position: sticky; bottom: 0; background: var(--panel, var(--bg, Canvas)); }
.zoo-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 0.75rem; }
.zoo-source { font-size: 0.85rem; color: var(--muted); }
";

/// Test id of a knob's slider.
fn knob_test_id(k: Knob) -> &'static str {
    match k {
        Knob::Width => "knob-width",
        Knob::Resolution => "knob-res",
        Knob::Groups => "knob-g",
        Knob::Expansion => "knob-eps",
        Knob::Classes => "knob-classes",
    }
}

/// Both tables (model and twin) for one state.
#[derive(Clone, Debug, PartialEq)]
pub struct Built {
    /// The network.
    pub model: convlab_core::models::ModelTable,
    /// The twin can fail where the network does not (a 3×3 conv past the weight limit).
    pub twin: Result<convlab_core::models::ModelTable, String>,
}

impl Built {
    /// The table shown: the twin when asked for and buildable, else the network.
    pub fn shown(&self, twin: bool) -> &convlab_core::models::ModelTable {
        match &self.twin {
            Ok(t) if twin => t,
            _ => &self.model,
        }
    }
}

#[component]
fn ZooPage(initial: ZooState, notes: Vec<Note>) -> impl IntoView {
    let s = ZooSignals::new(&initial);
    let st = s.memo();
    ZooSignals::write_back(st, "zoo");
    // Rebuilt only when the network, its knobs or the convention change.
    let spec = Memo::new(move |_| st.with(|s| (s.model, s.knobs(), s.conv)));
    let built = Memo::new(move |_| {
        let _ = spec.get();
        let s = st.get_untracked();
        Ok::<_, String>(Built {
            model: s.build(false)?,
            twin: s.build(true),
        })
    });
    let model_only = s.model;
    let csv_text = RwSignal::new(None::<String>);

    let idea = "Whole networks, layer by layer, from the same block specs as the lessons: where the \
                parameters and the multiply\u{2013}adds are, what the totals are under each counting \
                convention, and what the network would cost with every compact block replaced by a standard 3\u{d7}3 conv.";

    let set_model = move |id: String| {
        if let Ok(z) = Zoo::from_id(&id) {
            s.set(&st.get_untracked().with_model(z));
        }
    };

    view! {
        <style>{CSS}</style>
        <LessonLayout id="zoo" idea=idea notes=notes>
            <Figure slot>
                <section class="panel" data-testid="zoo-totals">
                    <h2>{move || built.with(|b| b.as_ref().map(|b| b.model.name.clone()).unwrap_or_else(|_| st.get().model.name().to_string()))}</h2>
                    <p class="zoo-conv" data-testid="convention-label">{move || format!("Convention \u{2014} {}.", st.get().convention_label())}</p>
                    {move || match built.get() {
                        Ok(b) => view! { <Totals st=st built=b /> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert" data-testid="zoo-error">{e}</p> }.into_any(),
                    }}
                    <p class="zoo-source" data-testid="zoo-source">{move || format!("Source: {}.", st.get().model.source())}</p>
                </section>
                <section class="panel" data-testid="zoo-stages">
                    <h2>{move || format!("Per stage{}", if st.get().twin { " \u{2014} standard twin" } else { "" })}</h2>
                    <div class="zoo-charts">
                        <Plot
                            label="parameters per stage, stacked by layer family"
                            test_id="stage-params"
                            draw=move |area: &CanvasArea, style: &Style| draw_stages(area, &st.get(), Quantity::Params, style)
                        />
                        <Plot
                            label="multiply-adds per stage, stacked by layer family"
                            test_id="stage-ops"
                            draw=move |area: &CanvasArea, style: &Style| draw_stages(area, &st.get(), Quantity::Ops, style)
                        />
                    </div>
                    <p class="cl-caption" data-testid="stage-key">{move || stage_key(&st.get()).map(|k| format!("Stages: {k}.")).unwrap_or_default()}</p>
                </section>
            </Figure>
            <Controls slot>
                <h2>"Network"</h2>
                <label class="select">
                    "model "
                    <select data-testid="model" on:change=move |ev| set_model(event_target_value(&ev))>
                        {Zoo::ALL.into_iter().map(|z| view! {
                            <option value=z.id() selected=move || st.get().model == z>{z.name()}</option>
                        }).collect_view()}
                    </select>
                </label>
                {move || {
                    let model = model_only.get();
                    model.knobs().into_iter().map(|r| view! { <KnobSlider st=st knob=s.knob(r.knob) range=r /> }).collect_view()
                }}
                <h2>"Counting"</h2>
                <Toggle
                    label="convention"
                    options=[("torchvision (BN counted)", "conv-torchvision"), ("lecture (bias, no BN)", "conv-lecture")]
                    pick=Signal::derive(move || usize::from(!st.get().torchvision()))
                    on_pick=Callback::new(move |i: usize| s.conv.set(if i == 0 { Counting::Torchvision } else { Counting::Lecture }))
                />
                <Toggle
                    label="operations"
                    options=[("MACs", "units-macs"), ("FLOPs = 2\u{b7}MACs", "units-flops")]
                    pick=Signal::derive(move || usize::from(st.get().flops()))
                    on_pick=Callback::new(move |i: usize| s.units.set(if i == 1 { Units::Flops } else { Units::Macs }))
                />
                <Toggle
                    label="table and bars show"
                    options=[("the network", "show-model"), ("its standard twin", "show-twin")]
                    pick=Signal::derive(move || usize::from(st.get().twin))
                    on_pick=Callback::new(move |i: usize| s.twin.set(i == 1))
                />
            </Controls>
            <Cost slot>
                // The whole width of the page: at 1280 px the figure column cut
                // the params and MACs columns, the point of the table.
                <div data-testid="zoo-layers">
                    <h2>{move || format!("Layers{} \u{2014} {} per layer", if st.get().twin { " of the standard twin" } else { "" }, st.get().unit())}</h2>
                    // Kept mounted while the knobs move (its scroll position with it).
                    <Show when=move || built.with(|b| b.is_ok())>
                        <LayerTable st=st signals=s built=built csv_text=csv_text />
                    </Show>
                </div>
                <h2>"How the counts are made"</h2>
                <p>
                    "Parameters: weights (+ bias where the convention has one) of every conv and linear layer, and 2 per channel (\u{3b3}, \u{3b2}) of every BatchNorm under torchvision's convention. "
                    "MACs: K\u{b7}K\u{b7}(C/g) multiply\u{2013}adds per output value of a conv, in\u{b7}out of a linear layer; the published figure counts only these. "
                    "Activations (the table's last column): the values in each layer's output map, 4 bytes each in float32."
                </p>
            </Cost>
            <SlideSays slot>
                <p>
                    "Papers and torchvision report multiply\u{2013}adds under the name FLOPs (torchvision's \u{201c}GFLOPS\u{201d} column is GMACs). "
                    "A multiply\u{2013}add is two floating-point operations, so FLOPs = 2\u{b7}MACs: the toggle above switches every number and says which one it shows."
                </p>
            </SlideSays>
        </LessonLayout>
    }
}

/// A row of mutually exclusive buttons (keyboard: Tab, Enter/Space).
#[component]
fn Toggle(
    label: &'static str,
    options: [(&'static str, &'static str); 2],
    #[prop(into)] pick: Signal<usize>,
    on_pick: Callback<usize>,
) -> impl IntoView {
    view! {
        <div class="jumps" role="group" aria-label=label>
            <span class="formula-label">{label}": "</span>
            {options.into_iter().enumerate().map(|(i, (text, id))| view! {
                <button
                    type="button"
                    data-testid=id
                    aria-pressed=move || if pick.get() == i { "true" } else { "false" }
                    on:click=move |_| on_pick.run(i)
                >
                    {text}
                </button>
            }).collect_view()}
        </div>
    }
}

/// One knob of the current model: a slider over its range or its allowed values.
#[component]
fn KnobSlider(st: Memo<ZooState>, knob: RwSignal<KnobValue>, range: KnobRange) -> impl IntoView {
    let k = range.knob;
    let value = RwSignal::new(knob_value(&st.get_untracked().knobs(), k));
    Effect::new(move |_| {
        let v = KnobValue::of(k, value.get());
        if knob.get_untracked() != v {
            knob.set(v);
        }
    });
    let allowed = (!range.allowed.is_empty()).then(|| range.allowed.to_vec());
    let step = knob_step(&range);
    match allowed {
        Some(list) => view! {
            <Slider value=value symbol=range.label min=range.min max=range.max allowed=list test_id=knob_test_id(k) />
        }
        .into_any(),
        None => view! {
            <Slider value=value symbol=range.label min=range.min max=range.max step=step test_id=knob_test_id(k) />
        }
        .into_any(),
    }
}

/// Totals of the network and of its twin, with the ratio.
#[component]
fn Totals(st: Memo<ZooState>, built: Built) -> impl IntoView {
    let m = built.model.totals();
    let twin_error = built.twin.as_ref().err().cloned();
    let (tp, tm) = built
        .twin
        .as_ref()
        .map(|t| (t.totals().params, t.conv_linear_macs()))
        .unwrap_or((0, 0));
    let (mp, mm) = (m.params, built.model.conv_linear_macs());
    let ratio = |a: u64, b: u64| {
        if a == 0 || b == 0 {
            "\u{2014}".to_string()
        } else {
            format!("{:.2}\u{d7}", a as f64 / b as f64)
        }
    };
    let conv = move || {
        if st.get().torchvision() {
            "torchvision"
        } else {
            "lecture"
        }
    };
    let unit = move || st.get().unit();
    let ops = move |v: u64| group_digits(st.get().ops(v));
    let peak = m.peak_activation;
    let acts = m.activations;
    view! {
        <div class="zoo-totals">
            <table class="count-table" tabindex="0" data-testid="totals-model">
                <caption>"The network"</caption>
                <tbody>
                    <tr><th>{move || format!("parameters ({})", conv())}</th><td class="num"><strong data-testid="total-params">{group_digits(mp)}</strong></td></tr>
                    <tr><th>{move || format!("{} of conv + linear layers (as published)", unit())}</th><td class="num" data-testid="total-ops">{move || ops(mm)}</td></tr>
                    <tr><th>{move || format!("{} of every layer (BN included)", unit())}</th><td class="num" data-testid="total-ops-all">{move || ops(m.macs)}</td></tr>
                    <tr><th>"activation memory, all outputs (elements)"</th><td class="num" data-testid="total-act">{group_digits(acts)}</td></tr>
                    <tr><th>"largest single output map (elements)"</th><td class="num">{group_digits(peak)}</td></tr>
                </tbody>
            </table>
            <table class="count-table" tabindex="0" data-testid="totals-twin">
                <caption>"Its standard twin (each compact block \u{2192} one 3\u{d7}3 conv)"
                    {twin_error.map(|e| view! { <span class="error" role="alert" data-testid="twin-error">{format!(" \u{2014} cannot be built here: {e}")}</span> })}
                </caption>
                <tbody>
                    <tr><th>{move || format!("parameters ({})", conv())}</th><td class="num"><strong data-testid="twin-params">{group_digits(tp)}</strong></td></tr>
                    <tr><th>{move || format!("{} of conv + linear layers", unit())}</th><td class="num" data-testid="twin-ops">{move || ops(tm)}</td></tr>
                    <tr><th>"twin \u{f7} network, parameters"</th><td class="num"><strong data-testid="ratio-params">{ratio(tp, mp)}</strong></td></tr>
                    <tr><th>{move || format!("twin \u{f7} network, {}", unit())}</th><td class="num" data-testid="ratio-ops">{ratio(tm, mm)}</td></tr>
                    <tr><th>"in short"</th><td class="num">{format!("{} vs {}", short(mp), short(tp))}</td></tr>
                </tbody>
            </table>
        </div>
        {(tp > 0 && tp < mp).then(|| twin_why(st))}
    }
}

/// Why the twin has fewer parameters than the network (only shown when it
/// does): one of its blocks beside the standard convs to compare it with.
fn twin_why(st: Memo<ZooState>) -> impl IntoView {
    let s = st.get_untracked();
    let name = s.model.name();
    match self::model::cheaper_twin(s.model, s.convention()) {
        Some(Ok(w)) => {
            let g = |v: u64| group_digits(v);
            let times = |a: u64, b: u64| format!("{:.1}\u{d7}", a as f64 / b.max(1) as f64);
            view! {
                <div class="twin-why" data-testid="twin-why">
                    <h3>"Why is the twin cheaper?"</h3>
                    <p>
                        {format!(
                            "{name}'s blocks are not a cheaper 3\u{d7}3 conv. Each first expands its C channels t times (here {} \u{2192} {}, t = {}), works at that width with cheap depthwise filters and projects back: it buys width (capacity). The twin puts a 3\u{d7}3 conv C \u{2192} D in its place, which never works at that width. Compared where the block works, on {} ({}):",
                            w.channels, w.inner, w.expansion, w.block, s.convention_label()
                        )}
                    </p>
                    <table class="count-table" tabindex="0" data-testid="twin-why-table">
                        <tbody>
                            <tr><th>{format!("the block, t = {}", w.expansion)}</th><td class="num" data-testid="why-block">{g(w.block_params)}</td></tr>
                            <tr><th>"standard 3\u{d7}3 conv at its outer width (the twin)"</th><td class="num" data-testid="why-outer">{g(w.outer_conv)}</td></tr>
                            <tr><th>{format!("standard 3\u{d7}3 conv at its inner width, {0} \u{2192} {0}", w.inner)}</th><td class="num" data-testid="why-inner">{g(w.inner_conv)}</td></tr>
                            <tr><th>"the same block with t = 1"</th><td class="num" data-testid="why-t1">{g(w.unexpanded)}</td></tr>
                        </tbody>
                    </table>
                    <p data-testid="why-summary">
                        {format!(
                            "At the width it computes at, the block is {} cheaper than a standard conv; against the twin's narrow conv it costs {} as much, and t = {} costs {} the weights of t = 1.",
                            times(w.inner_conv, w.block_params),
                            times(w.block_params, w.outer_conv),
                            w.expansion,
                            times(w.block_params, w.unexpanded)
                        )}
                    </p>
                </div>
            }
            .into_any()
        }
        Some(Err(e)) => view! { <p class="error" role="alert" data-testid="twin-why-error">{e}</p> }.into_any(),
        None => view! {
            <p data-testid="twin-why">
                {format!("At this setting {name}'s standard twin has fewer parameters than the network: its compact blocks are wider inside than the 3\u{d7}3 convs that replace them.")}
            </p>
        }
        .into_any(),
    }
}
