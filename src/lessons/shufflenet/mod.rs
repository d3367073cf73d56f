//! Lesson 10 (curriculum §10): the ShuffleNet unit and channel shuffle.
//!
//! The unit (1×1 group conv → shuffle → 3×3 depthwise → 1×1 group conv, plus
//! the input) as a diagram of its real layers run on the picked input; the
//! channel shuffle animated (reshape (g, n/g) → transpose → flatten) with the
//! kernel crate's stages; which output channels an input channel reaches
//! after 1, 2, 3 stacked units with and without the shuffle, computed with
//! real grouped convs; and the exact counts 9680 + 800 + 9840 = 20320 vs
//! 518640 (0.039) beside the slide's 9640 / 9720 / 20160.
//!
//! Files: `state.rs` (the URL state, declared once, and the rules of its
//! values), `model.rs` (the shuffle order and reachability the kernel crate
//! computes; the unit's run and figures are `blockdiagram.rs`'s), `draw.rs`,
//! `animator.rs`, `torch.rs`.
//!
//! URL: `#/shufflenet?C=240&B=80&g=2&n=12&f=24&bn=0&box=0&input=digit`.

pub mod animator;
pub mod draw;
pub mod model;
pub mod state;
pub mod torch;

use convlab_core::ops::shuffle::ShuffleStages;
use leptos::prelude::*;

use self::animator::{caption, frame_count, shown_order};
use self::draw::{draw_reach, draw_shuffle};
use self::model::{kernel_order, list, reach_panels};
use self::state::{
    groups_sentence, invalid_groups, snap_channels, valid_groups, ShuffleSignals, ShuffleState,
    B_RANGE, C_RANGE, G_RANGE, N_RANGE,
};
use super::blockdiagram::{
    clamp_box, BlockDiagram, BlockRun, BlockVerdict, CostTable, LayerInspector,
};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::Style;
use crate::route::{Note, Query};
use crate::widgets::plot::CanvasArea;
use crate::widgets::{InputPicker, Player, Plot, Slider};

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "shufflenet",
    section: 10,
    part: Part::Models,
    title: "ShuffleNet unit and channel shuffle",
    short: "ShuffleNet",
    blurb: "Group convs that never talk, fixed by a channel shuffle: reshape (g, n/g), transpose, flatten. 20320 parameters vs 518640.",
    page,
    notes: |q| ShuffleState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = ShuffleState::read(q);
    view! { <ShuffleNet initial=st notes=notes /> }.into_any()
}

/// The home card: 12 channels in 3 groups after the shuffle.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    let st = ShuffleStages::new(12, 3)?;
    // The last frame: shuffled order on top, the input order joined to it below.
    draw_shuffle(area, &st, frame_count() - 1, style)?;
    Ok(())
}

#[component]
fn ShuffleNet(initial: ShuffleState, notes: Vec<Note>) -> impl IntoView {
    let s = ShuffleSignals::new(&initial);
    let (c, b, g, frame) = (s.c, s.b, s.g, s.frame);
    // The n slider keeps what was asked; the figures use it snapped to a multiple of g.
    let n = Memo::new(move |_| snap_channels(s.n.get(), g.get()));
    let state = Memo::new(move |_| ShuffleState {
        n: n.get(),
        ..s.get()
    });
    ShuffleSignals::write_back(state, "shufflenet");

    let valid = Memo::new(move |_| valid_groups(c.get(), b.get()));
    let invalid = Memo::new(move |_| invalid_groups(c.get(), b.get(), g.get()));
    let spec = Memo::new(move |_| state.with(ShuffleState::spec));
    let run = Memo::new(move |_| {
        let sp = spec.get();
        s.input.with(|i| BlockRun::new(&sp, s.bn.get(), i))
    });
    Effect::new(move |_| {
        let boxes = run.with(|r| r.as_ref().map_or(0, |r| r.diagram.boxes.len()));
        let sel = s.selected.get();
        if boxes > 0 && clamp_box(sel, boxes) != sel {
            s.selected.set(clamp_box(sel, boxes));
        }
    });

    // The animation: stages from the kernel crate, for n channels in g groups.
    let stages =
        Memo::new(move |_| ShuffleStages::new(n.get(), g.get()).map_err(|e| e.to_string()));
    let frames = Signal::derive(frame_count);
    let final_order = Memo::new(move |_| {
        stages.with(|s| {
            s.as_ref()
                .ok()
                .and_then(|s| shown_order(s, frame_count() - 1))
        })
    });
    let kernel = Memo::new(move |_| kernel_order(n.get(), g.get()));
    let panels = Memo::new(move |_| reach_panels(n.get(), g.get()));

    let idea = "A group conv splits the channels into g groups that never exchange information, so stacked group \
                convs stay g separate networks. ShuffleNet shuffles the channels between them \u{2014} reshape to \
                (g, n/g), transpose, flatten \u{2014} so every group of the next group conv reads every group.";

    let run_ok = Memo::new(move |_| run.with(|r| r.is_ok()));
    view! {
        <LessonLayout id="shufflenet" idea=idea notes=notes>
            <Figure slot>
                <section class="panel" data-testid="shuffle">
                    <h2>{move || format!("Channel shuffle of n = {} channels in g = {} groups", n.get(), g.get())}</h2>
                    <Plot
                        label="channels as bars coloured by their group, moving through reshape, transpose and flatten"
                        height=230.0
                        test_id="shuffle-bars"
                        draw=move |area: &CanvasArea, style: &Style| stages.with(|s| match s {
                            Ok(s) => draw_shuffle(area, s, frame.get(), style),
                            Err(e) => Err(e.clone()),
                        })
                    />
                    <p data-testid="shuffle-caption" aria-live="polite">
                        {move || stages.with(|s| s.as_ref().map(|s| caption(s, frame.get())).unwrap_or_default())}
                    </p>
                    <Player frame=frame frames=frames fps=8.0 label="channel shuffle" test_id="shuffle-player" />
                    <p>
                        "Final order shown by the animation: "
                        <code data-testid="shuffle-final-order">{move || final_order.get().map(|o| list(&o)).unwrap_or_default()}</code>
                    </p>
                    <p>
                        "The kernel's channel_shuffle on channels 0\u{2026}" {move || n.get() - 1} ": "
                        <code data-testid="kernel-shuffle-order">{move || kernel.get().map(|o| list(&o)).unwrap_or_else(|e| e)}</code>
                    </p>
                    <p class="hint">{move || format!(
                        "The unit shuffles its B = {} bottleneck channels the same way; here n = {} so every bar can be read.",
                        b.get(), n.get())}</p>
                </section>
                <section class="panel" data-testid="unit">
                    <h2>{move || state.with(|st| format!(
                        "ShuffleNet unit: {} \u{2192} 1\u{d7}1 GConv (g = {}) \u{2192} shuffle \u{2192} 3\u{d7}3 DW \u{2192} 1\u{d7}1 GConv \u{2192} {} (+ input)",
                        st.c, st.g, st.c))}</h2>
                    {move || invalid.get().map(|msg| view! {
                        <div class="notes" role="status" data-testid="invalid-g">
                            <p>{msg}</p>
                            <p>
                                {valid.get().into_iter().map(|v| view! {
                                    <button type="button" data-testid=format!("use-g-{v}") style="min-height:44px;margin:0 0.4em 0.4em 0"
                                        on:click=move |_| g.set(v)>{format!("use g = {v}")}</button>
                                }).collect_view()}
                            </p>
                        </div>
                    })}
                    <p class="hint">"Select a box (click, tap, or Tab then Enter) to see its weights and its output maps."</p>
                    <BlockVerdict run=run name="ShuffleNet unit" />
                    <BlockDiagram run=run selected=s.selected />
                </section>
                // Built once while the block runs (not again on every new run).
                {move || run_ok.get().then(|| view! { <LayerInspector run=run selected=s.selected /> })}
                <section class="panel" data-testid="flow">
                    <h2>"Information flow: which outputs can an input channel reach?"</h2>
                    <Plot
                        label="reachability matrices after 1, 2 and 3 stacked group-conv units, without and with the shuffle"
                        height=420.0
                        test_id="reach"
                        draw=move |area: &CanvasArea, style: &Style| panels.with(|p| match p {
                            Ok(p) => draw_reach(area, p, g.get(), 3, style),
                            Err(e) => Err(e.clone()),
                        })
                    />
                    <p data-testid="reach-summary">
                        {move || panels.with(|p| p.as_ref().map(|p| {
                            let pct: Vec<String> = p.iter().map(|x| format!("{:.0}%", x.fraction() * 100.0)).collect();
                            format!(
                                "Rows: input channels, columns: output channels of {} stacked units (1\u{d7}1 group conv, g = {}). Without the shuffle: {} of all pairs for 1, 2, 3 units \u{2014} groups stay apart forever. With it: {}.",
                                "1, 2, 3", g.get(), pct[..3].join(", "), pct[3..].join(", "))
                        }).unwrap_or_else(|e| e.clone()))}
                    </p>
                    <p class="hint" data-testid="reach-rule">{move || {
                        let (gg, nn) = (g.get(), n.get());
                        if gg * gg <= nn {
                            format!("Here g\u{b2} = {} \u{2264} n = {nn}: two shuffled units already connect every input to every output.", gg * gg)
                        } else {
                            format!("Here g\u{b2} = {} > n = {nn}: two shuffled units are not enough; two units reach everything exactly when g\u{b2} \u{2264} n.", gg * gg)
                        }
                    }}</p>
                </section>
            </Figure>
            <Controls slot>
                <h2>"Input"</h2>
                <InputPicker state=s.input test_id="input-picker" />
                <h2>"The unit"</h2>
                <Slider value=c symbol="C" meaning="channels in and out" min=C_RANGE.0 max=C_RANGE.1 test_id="slider-C" />
                <Slider value=b symbol="B" meaning="bottleneck channels" min=B_RANGE.0 max=B_RANGE.1 test_id="slider-B" />
                <Slider value=g symbol="g" meaning="groups (divides C and B)" max=G_RANGE.1 allowed=Signal::derive(move || valid.get()) test_id="slider-g" />
                <p class="hint" data-testid="valid-g">{move || groups_sentence(c.get(), b.get())}</p>
                <label class="check">
                    <input type="checkbox" data-testid="bn" prop:checked=move || s.bn.get()
                        on:change=move |ev| s.bn.set(event_target_checked(&ev)) />
                    "count as torchvision (no bias + BatchNorm)"
                </label>
                <button type="button" data-testid="lecture-settings" on:click=move |_| {
                    let d = ShuffleState::default();
                    c.set(d.c);
                    b.set(d.b);
                    g.set(d.g);
                    s.bn.set(d.bn);
                }>"Lecture's example (240 channels, bottleneck 80, g = 2)"</button>
                <h2>"The shuffle figure"</h2>
                <Slider value=s.n symbol="n" meaning="channels shuffled (a multiple of g)" min=N_RANGE.0 max=N_RANGE.1
                    step=Signal::derive(move || g.get()) test_id="slider-n" />
            </Controls>
            <Cost slot>
                <h2>"Parameters per layer, and against a standard 3\u{d7}3 conv"</h2>
                <CostTable run=run selected=s.selected />
            </Cost>
            <SlideSays slot>
                <p data-testid="slide-says-numbers">
                    "The slide says 1\u{d7}1 GConv (240+1)\u{d7}80/2 = "<strong>"9640"</strong>", 3\u{d7}3 DWConv (3\u{d7}3+1)\u{d7}80 = 800, 1\u{d7}1 GConv (80+1)\u{d7}240/2 = "
                    <strong>"9720"</strong>", block "<strong>"9640 + 800 + 9720 = 20160"</strong>" against 518640, ratio 0.04."
                </p>
                <p data-testid="slide-says-why">
                    "It counts one bias per pair of output channels: (240+1)\u{d7}80/2 = 9600 + 80/2, i.e. D/g biases per grouped conv. "
                    "A grouped conv (PyTorch's Conv2d with groups = 2) has g groups of weights but still one bias per output channel: "
                    "120\u{b7}80 + 80 = "<strong>"9680"</strong>" and 40\u{b7}240 + 240 = "<strong>"9840"</strong>", so the exact block has "
                    <strong>"9680 + 800 + 9840 = 20320"</strong>" parameters against "<strong>"518640"</strong>", ratio "<strong>"0.039"</strong>" \u{2014} as the table above counts from the real tensors."
                </p>
            </SlideSays>
        </LessonLayout>
    }
}
