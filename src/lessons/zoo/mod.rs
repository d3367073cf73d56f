//! Lesson 12 (curriculum §12): the model zoo.
//!
//! Whole networks from the kernel crate's zoo, layer by layer: a sortable
//! table (type, shapes, params, MACs, activation memory), stacked bars per
//! stage, totals that equal the published figures under a stated convention,
//! the standard twin beside them, and the table as CSV.
//!
//! URL: see [`model`]; e.g. `#/zoo?model=shufflenet_v2&width=1&conv=torchvision&units=macs&sort=params&dir=desc&twin=0`.

pub mod draw;
pub mod model;
pub mod torch;

use convlab_core::models::{Knob, KnobRange, Zoo};
use leptos::prelude::*;

use self::draw::{draw_stages, stage_key, Quantity};
use self::model::{
    column_chars, csv, csv_file_name, grouped, knob_step, knob_value, rows, rows_html, short,
    sort_rows, window, with_knob, SortKey, ZooState,
};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::Style;
use crate::route::{self, Note, Params, Query};
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
    notes: |q| read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = read(q);
    view! { <ZooPage initial=st notes=notes /> }.into_any()
}

/// The lesson's state and the notes about the URL query.
fn read(q: &Query) -> (ZooState, Vec<Note>) {
    let mut p = Params::new(q);
    let st = ZooState::read(&mut p);
    (st, p.finish())
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
struct Built {
    model: convlab_core::models::ModelTable,
    /// The twin can fail where the network does not (a 3×3 conv past the weight limit).
    twin: Result<convlab_core::models::ModelTable, String>,
}

impl Built {
    /// The table shown: the twin when asked for and buildable, else the network.
    fn shown(&self, twin: bool) -> &convlab_core::models::ModelTable {
        match &self.twin {
            Ok(t) if twin => t,
            _ => &self.model,
        }
    }
}

#[component]
fn ZooPage(initial: ZooState, notes: Vec<Note>) -> impl IntoView {
    let st = RwSignal::new(initial);
    Effect::new(move |_| {
        let pairs = st.get().pairs();
        route::write_lesson_state("zoo", &pairs);
    });
    // Rebuilt only when the network, its knobs or the convention change.
    let spec = Memo::new(move |_| {
        let s = st.get();
        (s.model, s.knobs, s.torchvision)
    });
    let built = Memo::new(move |_| {
        let _ = spec.get();
        let s = st.get_untracked();
        Ok::<_, String>(Built {
            model: s.build(false)?,
            twin: s.build(true),
        })
    });
    let model_only = Memo::new(move |_| st.get().model);
    let csv_text = RwSignal::new(None::<String>);

    let idea = "Whole networks, layer by layer, from the same block specs as the lessons: where the \
                parameters and the multiply\u{2013}adds are, what the totals are under each counting \
                convention, and what the network would cost with every compact block replaced by a standard 3\u{d7}3 conv.";

    let set_model = move |id: String| {
        if let Ok(z) = Zoo::from_id(&id) {
            st.update(|s| {
                s.model = z;
                s.knobs = z.default_knobs();
            });
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
                    model.knobs().into_iter().map(|r| view! { <KnobSlider st=st range=r /> }).collect_view()
                }}
                <h2>"Counting"</h2>
                <Toggle
                    label="convention"
                    options=[("torchvision (BN counted)", "conv-torchvision"), ("lecture (bias, no BN)", "conv-lecture")]
                    pick=Signal::derive(move || usize::from(!st.get().torchvision))
                    on_pick=Callback::new(move |i: usize| st.update(|s| s.torchvision = i == 0))
                />
                <Toggle
                    label="operations"
                    options=[("MACs", "units-macs"), ("FLOPs = 2\u{b7}MACs", "units-flops")]
                    pick=Signal::derive(move || usize::from(st.get().flops))
                    on_pick=Callback::new(move |i: usize| st.update(|s| s.flops = i == 1))
                />
                <Toggle
                    label="table and bars show"
                    options=[("the network", "show-model"), ("its standard twin", "show-twin")]
                    pick=Signal::derive(move || usize::from(st.get().twin))
                    on_pick=Callback::new(move |i: usize| st.update(|s| s.twin = i == 1))
                />
            </Controls>
            <Cost slot>
                // The whole width of the page: at 1280 px the figure column cut
                // the params and MACs columns, the point of the table.
                <div data-testid="zoo-layers">
                    <h2>{move || format!("Layers{} \u{2014} {} per layer", if st.get().twin { " of the standard twin" } else { "" }, st.get().unit())}</h2>
                    // Kept mounted while the knobs move (its scroll position with it).
                    <Show when=move || built.with(|b| b.is_ok())>
                        <LayerTable st=st built=built csv_text=csv_text />
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
fn KnobSlider(st: RwSignal<ZooState>, range: KnobRange) -> impl IntoView {
    let k = range.knob;
    let value = RwSignal::new(knob_value(&st.get_untracked().knobs, k));
    Effect::new(move |_| {
        let v = value.get();
        if knob_value(&st.get_untracked().knobs, k) != v {
            st.update(|s| s.knobs = with_knob(s.knobs, k, v));
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
fn Totals(st: RwSignal<ZooState>, built: Built) -> impl IntoView {
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
        if st.get().torchvision {
            "torchvision"
        } else {
            "lecture"
        }
    };
    let unit = move || st.get().unit();
    let ops = move |v: u64| grouped(st.get().ops(v));
    let peak = m.peak_activation;
    let acts = m.activations;
    view! {
        <div class="zoo-totals">
            <table class="count-table" tabindex="0" data-testid="totals-model">
                <caption>"The network"</caption>
                <tbody>
                    <tr><th>{move || format!("parameters ({})", conv())}</th><td class="num"><strong data-testid="total-params">{grouped(mp)}</strong></td></tr>
                    <tr><th>{move || format!("{} of conv + linear layers (as published)", unit())}</th><td class="num" data-testid="total-ops">{move || ops(mm)}</td></tr>
                    <tr><th>{move || format!("{} of every layer (BN included)", unit())}</th><td class="num" data-testid="total-ops-all">{move || ops(m.macs)}</td></tr>
                    <tr><th>"activation memory, all outputs (elements)"</th><td class="num" data-testid="total-act">{grouped(acts)}</td></tr>
                    <tr><th>"largest single output map (elements)"</th><td class="num">{grouped(peak)}</td></tr>
                </tbody>
            </table>
            <table class="count-table" tabindex="0" data-testid="totals-twin">
                <caption>"Its standard twin (each compact block \u{2192} one 3\u{d7}3 conv)"
                    {twin_error.map(|e| view! { <span class="error" role="alert" data-testid="twin-error">{format!(" \u{2014} cannot be built here: {e}")}</span> })}
                </caption>
                <tbody>
                    <tr><th>{move || format!("parameters ({})", conv())}</th><td class="num"><strong data-testid="twin-params">{grouped(tp)}</strong></td></tr>
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
fn twin_why(st: RwSignal<ZooState>) -> impl IntoView {
    let s = st.get_untracked();
    let name = s.model.name();
    match self::model::cheaper_twin(s.model, s.convention()) {
        Some(Ok(w)) => {
            let g = grouped;
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

/// Column headers: key, label, numeric.
const COLUMNS: [(SortKey, &str, bool); 6] = [
    (SortKey::Order, "#", true),
    (SortKey::Name, "layer", false),
    (SortKey::Type, "type", false),
    (SortKey::Params, "params", true),
    (SortKey::Macs, "ops", true),
    (SortKey::Act, "activations", true),
];

/// The sortable per-layer table and the CSV export.
#[component]
fn LayerTable(
    st: RwSignal<ZooState>,
    built: Memo<Result<Built, String>>,
    csv_text: RwSignal<Option<String>>,
) -> impl IntoView {
    let sorted = Memo::new(move |_| {
        let s = st.get();
        built.with(|b| match b {
            Ok(b) => {
                let mut r = rows(b.shown(s.twin));
                sort_rows(&mut r, s.sort, s.desc);
                r
            }
            Err(_) => Vec::new(),
        })
    });
    // Only the rows near the scroller's view are in the page (a knob moves
    // every number of a few hundred rows); spacer rows keep its height.
    let scroller = NodeRef::<leptos::html::Div>::new();
    let top = RwSignal::new(0.0f64);
    let view_h = RwSignal::new(800.0f64);
    let row_h = RwSignal::new(29.0f64);
    let shown = Memo::new(move |_| {
        window(
            sorted.with(|r| r.len()),
            top.get(),
            view_h.get(),
            row_h.get(),
        )
    });
    let body = Memo::new(move |_| {
        let s = st.get();
        let range = shown.get();
        sorted.with(|r| rows_html(r, &s, range, row_h.get()))
    });
    // Fixed column widths (in `ch`), from every row and the headers, so the
    // columns keep their width whichever rows are on show.
    let widths = Memo::new(move |_| {
        let s = st.get();
        let cells = sorted.with(|r| column_chars(r, &s));
        let heads = [
            "#",
            "layer",
            "type",
            "input",
            "output",
            "params (lecture)",
            s.unit(),
            "activations",
        ];
        let mut w = [0.0f64; 8];
        for (i, w) in w.iter_mut().enumerate() {
            // Letters and `×` run wider than the digit `ch` is; headers are
            // bold, with a sort arrow, in a button at least 2.75rem wide.
            let f = if (1..=4).contains(&i) { 1.2 } else { 1.0 };
            let head = (heads[i].chars().count() + 2) as f64 * 1.1;
            *w = (cells[i] as f64 * f).max(head).max(6.0);
        }
        w
    });
    let measure = move || {
        // Runs in animation frames too: the page may be gone by then.
        let Some(el) = scroller.try_get_untracked().flatten() else {
            return;
        };
        let _ = top.try_set(f64::from(el.scroll_top()));
        let h = f64::from(el.client_height());
        if h > 0.0 && view_h.try_get_untracked() != Some(h) {
            let _ = view_h.try_set(h);
        }
        if let Ok(Some(row)) = el.query_selector("tr[data-testid=\"layer-row\"]") {
            let rh = row.get_bounding_client_rect().height();
            if rh >= 4.0
                && row_h
                    .try_get_untracked()
                    .is_some_and(|old| (old - rh).abs() > 0.25)
            {
                let _ = row_h.try_set(rh);
            }
        }
    };
    // The real row height and view once the first rows are in (and when the
    // network changes); a knob move changes neither, and reading them forces a
    // layout.
    let count = Memo::new(move |_| sorted.with(|r| r.len()));
    Effect::new(move |_| {
        count.track();
        request_animation_frame(measure);
    });
    let header = move |key: SortKey, label: &'static str, num: bool| {
        let aria = move || {
            let s = st.get();
            if s.sort != key {
                "none"
            } else if s.desc {
                "descending"
            } else {
                "ascending"
            }
        };
        let arrow = move || match aria() {
            "ascending" => " \u{25b2}",
            "descending" => " \u{25bc}",
            _ => "",
        };
        let text = move || {
            if key == SortKey::Macs {
                st.get().unit().to_string()
            } else if key == SortKey::Params {
                format!(
                    "params ({})",
                    if st.get().torchvision {
                        "tv"
                    } else {
                        "lecture"
                    }
                )
            } else {
                label.to_string()
            }
        };
        view! {
            <th class=if num { "num" } else { "" } aria-sort=aria scope="col">
                <button
                    type="button"
                    data-testid=format!("sort-{}", key.id())
                    on:click=move |_| st.update(|s| {
                        if s.sort == key {
                            s.desc = !s.desc;
                        } else {
                            s.sort = key;
                            // Numbers read best biggest first.
                            s.desc = num && key != SortKey::Order;
                        }
                    })
                >
                    {text}{arrow}
                </button>
            </th>
        }
    };
    let export = move |_| {
        let s = st.get_untracked();
        let Some(text) = built.with_untracked(|b| {
            b.as_ref()
                .ok()
                .map(|b| csv(&s, b.shown(s.twin), &sorted.get_untracked()))
        }) else {
            return;
        };
        let _ = crate::widgets::export::download_text(
            &csv_file_name(&s),
            "text/csv;charset=utf-8",
            &text,
        );
        csv_text.set(Some(text));
    };
    let totals = move || {
        let s = st.get();
        built.with(|b| b.as_ref().ok().map(|b| (b.shown(s.twin).totals(), s)))
    };
    view! {
        <div class="jumps">
            <button type="button" class="btn" data-testid="export-csv" on:click=export>"Export CSV"</button>
            <span class="formula-label" data-testid="row-count">{move || format!("{} layers; click a column to sort", sorted.with(|r| r.len()))}</span>
        </div>
        <div class="zoo-scroll" data-testid="layer-scroll" tabindex="0" role="region" aria-label="layers of the network"
            node_ref=scroller on:scroll=move |_| measure()>
            <table class="zoo-table" data-testid="layer-table" aria-rowcount=move || sorted.with(|r| r.len() + 2)
                style=move || format!("min-width: calc({:.1}ch + 8rem)", widths.with(|w| w.iter().sum::<f64>()))>
                <colgroup>
                    {(0..8usize).map(|i| view! {
                        <col style=move || format!("width: calc({:.1}ch + 1rem)", widths.with(|w| w[i])) />
                    }).collect_view()}
                </colgroup>
                <thead>
                    <tr>
                        {COLUMNS.into_iter().take(3).map(|(k, l, n)| header(k, l, n)).collect_view()}
                        <th scope="col">"input"</th>
                        <th scope="col">"output"</th>
                        {COLUMNS.into_iter().skip(3).map(|(k, l, n)| header(k, l, n)).collect_view()}
                    </tr>
                </thead>
                <tbody inner_html=move || body.get()></tbody>
                <tfoot>
                    {move || {
                        totals().map(|(t, s)| view! {
                            <tr>
                                <td></td>
                                <td colspan="4">"total"</td>
                                <td class="num" data-testid="foot-params">{grouped(t.params)}</td>
                                <td class="num">{grouped(s.ops(t.macs))}</td>
                                <td class="num">{grouped(t.activations)}</td>
                            </tr>
                        })
                    }}
                </tfoot>
            </table>
        </div>
        {move || csv_text.get().map(|t| view! {
            <details class="zoo-csv">
                <summary>"The exported CSV"</summary>
                <pre data-testid="csv-text">{t}</pre>
            </details>
        })}
    }
}
