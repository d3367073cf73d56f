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
//! URL: `#/shufflenet?C=240&B=80&g=2&n=12&f=0&bn=0&box=0&input=digit`.

pub mod animator;
pub mod draw;
pub mod torch;

use convlab_core::blocks::ShuffleV1Spec;
use convlab_core::ops::shuffle::{reachability, ShuffleStages};
use convlab_core::{channel_shuffle, Tensor};
use leptos::prelude::*;

use self::animator::{caption, frame_count, shown_order};
use self::draw::{draw_reach, draw_shuffle, ReachPanel};
use super::blockdiagram::{
    clamp_box, BlockDiagram, BlockRun, BlockVerdict, CostTable, LayerInspector,
};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::picture::read_with_input;
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::Style;
use crate::route::{self, Note, Params, Query};
use crate::widgets::plot::CanvasArea;
use crate::widgets::{InputPicker, InputState, Player, Plot, Slider};

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "shufflenet",
    section: 10,
    part: Part::Models,
    title: "ShuffleNet unit and channel shuffle",
    short: "ShuffleNet",
    blurb: "Group convs that never talk, fixed by a channel shuffle: reshape (g, n/g), transpose, flatten. 20320 parameters vs 518640.",
    page,
    notes: |q| read(q).2,
    thumb,
    torch: Some(torch::snippet),
};

/// Range of the unit's channels C (in = out).
pub const C_RANGE: (usize, usize) = (8, 480);
/// Range of the bottleneck channels B.
pub const B_RANGE: (usize, usize) = (2, 240);
/// Range of the groups g.
pub const G_RANGE: (usize, usize) = (1, 16);
/// Range of the channels in the animation and the reachability matrices.
pub const N_RANGE: (usize, usize) = (2, 96);
/// Boxes of the unit: gconv, shuffle, dw, gconv, add, ReLU.
pub const BOXES: usize = 6;
/// Stacked units in the reachability figure.
pub const UNITS: [usize; 3] = [1, 2, 3];

/// The lesson's URL state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShuffleState {
    /// Channels C of the unit (input = output).
    pub c: usize,
    /// Bottleneck channels B.
    pub b: usize,
    /// Groups g.
    pub g: usize,
    /// Channels n of the animation (a multiple of g).
    pub n: usize,
    /// Animation frame.
    pub frame: usize,
    /// No bias + BatchNorm instead of bias.
    pub bn: bool,
    /// Selected box.
    pub selected: usize,
}

impl Default for ShuffleState {
    fn default() -> Self {
        let s = ShuffleV1Spec::default();
        ShuffleState {
            c: s.in_channels,
            b: s.bottleneck,
            g: s.groups,
            n: 12,
            // Opens on the shuffled order (the point of the lesson); play starts from the top.
            frame: frame_count() - 1,
            bn: false,
            selected: 0,
        }
    }
}

/// The hint under the g slider: the groups it offers, and the common divisors of C and B past
/// the slider's end (with why it ends there).
pub fn groups_sentence(c: usize, b: usize) -> String {
    let list = |v: &[usize]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let valid = valid_groups(c, b);
    let beyond: Vec<usize> = (G_RANGE.1 + 1..=c.min(b))
        .filter(|&g| c.is_multiple_of(g) && b.is_multiple_of(g))
        .collect();
    let mut s = format!(
        "g can be {}: the divisors of both C = {c} and B = {b} from {} to {}.",
        list(&valid),
        G_RANGE.0,
        G_RANGE.1
    );
    if !beyond.is_empty() {
        s.push_str(&format!(
            " {} also divide{} both; the slider stops at {} (the paper uses g \u{2264} 8, and past {} a group of B holds at most {} channels).",
            list(&beyond),
            if beyond.len() == 1 { "s" } else { "" },
            G_RANGE.1,
            G_RANGE.1,
            b / (G_RANGE.1 + 1)
        ));
    }
    s
}

/// The groups (in `G_RANGE`) that divide both C and B.
pub fn valid_groups(c: usize, b: usize) -> Vec<usize> {
    (G_RANGE.0..=G_RANGE.1)
        .filter(|&g| c.is_multiple_of(g) && b.is_multiple_of(g))
        .collect()
}

/// Why `g` does not fit the unit, with the values that do (None when it fits).
pub fn invalid_groups(c: usize, b: usize, g: usize) -> Option<String> {
    if g > 0 && c.is_multiple_of(g) && b.is_multiple_of(g) {
        return None;
    }
    let valid: Vec<String> = valid_groups(c, b).iter().map(ToString::to_string).collect();
    Some(format!(
        "g = {g} must divide both the unit's channels C = {c} and its bottleneck B = {b} (the group convs split both into g groups). Valid here: g = {}.",
        valid.join(", ")
    ))
}

/// The multiple of `g` nearest to `n` (ties: the smaller), within the range.
pub fn snap_channels(n: usize, g: usize) -> usize {
    let g = g.max(1);
    let lo = g.max(N_RANGE.0.div_ceil(g) * g);
    let hi = (N_RANGE.1 / g * g).max(lo);
    let down = n / g * g;
    let up = down + g;
    let best = if n - down <= up - n { down } else { up };
    best.clamp(lo, hi)
}

impl ShuffleState {
    /// Reads the state; every value it could not use as given gets a note
    /// (a g that does not fit C and B is kept: the page explains it).
    pub fn read(p: &mut Params) -> ShuffleState {
        let d = ShuffleState::default();
        let c = p.usize("C", d.c, C_RANGE.0, C_RANGE.1);
        let b = p.usize("B", d.b, B_RANGE.0, B_RANGE.1);
        let g = p.usize("g", d.g, G_RANGE.0, G_RANGE.1);
        let n_raw = p.usize("n", d.n, N_RANGE.0, N_RANGE.1);
        let n = snap_channels(n_raw, g);
        if n != n_raw {
            p.push_note(
                "n",
                format!(
                    "n={n_raw} is not a multiple of g={g} (the shuffle needs g | n); using {n}."
                ),
            );
        }
        let frame = p.usize("f", d.frame, 0, frame_count() - 1);
        let bn = p.flag("bn", d.bn);
        let selected = p.usize("box", 0, 0, BOXES - 1);
        ShuffleState {
            c,
            b,
            g,
            n,
            frame,
            bn,
            selected,
        }
    }

    /// Parses a query (without the picker's `input`), with notes.
    pub fn parse(q: &Query) -> (ShuffleState, Vec<Note>) {
        let mut p = Params::new(q);
        let st = ShuffleState::read(&mut p);
        (st, p.finish())
    }

    /// The URL pairs.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("C", self.c.to_string()),
            ("B", self.b.to_string()),
            ("g", self.g.to_string()),
            ("n", self.n.to_string()),
            ("f", self.frame.to_string()),
            ("bn", u8::from(self.bn).to_string()),
            ("box", self.selected.to_string()),
        ]
    }

    /// The kernel crate's spec of the unit (stride 1, as the lecture's example).
    pub fn spec(&self) -> ShuffleV1Spec {
        ShuffleV1Spec {
            in_channels: self.c,
            out_channels: self.c,
            bottleneck: self.b,
            groups: self.g,
            ..ShuffleV1Spec::default()
        }
    }
}

/// The order the kernel's `channel_shuffle` puts `n` channels in (channel
/// `c` of the input holds the value `c`; the output is read back).
///
/// # Errors
/// The kernel crate's message (g not dividing n).
pub fn kernel_order(n: usize, g: usize) -> Result<Vec<usize>, String> {
    let x = Tensor::from_fn(n, 1, 1, |c, _, _| c as f32).map_err(|e| e.to_string())?;
    let y = channel_shuffle(&x, g).map_err(|e| e.to_string())?;
    Ok(y.data().iter().map(|&v| v as usize).collect())
}

/// The six reachability matrices: 1, 2, 3 units, without then with the shuffle.
///
/// # Errors
/// The kernel crate's message.
pub fn reach_panels(n: usize, g: usize) -> Result<Vec<ReachPanel>, String> {
    let mut out = Vec::new();
    for with in [false, true] {
        for u in UNITS {
            out.push(ReachPanel {
                title: format!(
                    "{u} unit{}, {}",
                    if u == 1 { "" } else { "s" },
                    if with { "with shuffle" } else { "no shuffle" }
                ),
                reach: reachability(n, g, u, with).map_err(|e| e.to_string())?,
            });
        }
    }
    Ok(out)
}

fn list(v: &[usize]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The picker's input, the lesson's state and the notes about the URL query.
fn read(q: &Query) -> (InputState, ShuffleState, Vec<Note>) {
    read_with_input(q, |q| ShuffleState::parse(&q.without("input")))
}

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (input, st, notes) = read(q);
    view! { <ShuffleNet initial=st notes=notes input=input /> }.into_any()
}

/// The home card: 12 channels in 3 groups after the shuffle.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    let st = ShuffleStages::new(12, 3)?;
    // The last frame: shuffled order on top, the input order joined to it below.
    draw_shuffle(area, &st, frame_count() - 1, style)?;
    Ok(())
}

#[component]
fn ShuffleNet(initial: ShuffleState, notes: Vec<Note>, input: InputState) -> impl IntoView {
    let c = RwSignal::new(initial.c);
    let b = RwSignal::new(initial.b);
    let g = RwSignal::new(initial.g);
    let n_raw = RwSignal::new(initial.n);
    let frame = RwSignal::new(initial.frame);
    let bn = RwSignal::new(initial.bn);
    let selected = RwSignal::new(initial.selected);
    let input = RwSignal::new(input);

    let n = Memo::new(move |_| snap_channels(n_raw.get(), g.get()));
    let state = Memo::new(move |_| ShuffleState {
        c: c.get(),
        b: b.get(),
        g: g.get(),
        n: n.get(),
        frame: frame.get(),
        bn: bn.get(),
        selected: selected.get(),
    });
    Effect::new(move |_| {
        let mut pairs = state.get().to_query();
        pairs.push(("input", input.get().to_param()));
        route::write_lesson_state("shufflenet", &pairs);
    });

    let valid = Memo::new(move |_| valid_groups(c.get(), b.get()));
    let invalid = Memo::new(move |_| invalid_groups(c.get(), b.get(), g.get()));
    let spec = Memo::new(move |_| state.with(|s| s.spec()));
    let run = Memo::new(move |_| {
        let sp = spec.get();
        input.with(|i| BlockRun::new(&sp, bn.get(), i))
    });
    Effect::new(move |_| {
        let boxes = run.with(|r| r.as_ref().map_or(0, |r| r.diagram.boxes.len()));
        let s = selected.get();
        if boxes > 0 && clamp_box(s, boxes) != s {
            selected.set(clamp_box(s, boxes));
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
                    <h2>{move || state.with(|s| format!(
                        "ShuffleNet unit: {} \u{2192} 1\u{d7}1 GConv (g = {}) \u{2192} shuffle \u{2192} 3\u{d7}3 DW \u{2192} 1\u{d7}1 GConv \u{2192} {} (+ input)",
                        s.c, s.g, s.c))}</h2>
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
                    <BlockDiagram run=run selected=selected />
                </section>
                // Built once while the block runs (not again on every new run).
                {move || run_ok.get().then(|| view! { <LayerInspector run=run selected=selected /> })}
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
                <InputPicker state=input test_id="input-picker" />
                <h2>"The unit"</h2>
                <Slider value=c symbol="C" meaning="channels in and out" min=C_RANGE.0 max=C_RANGE.1 test_id="slider-C" />
                <Slider value=b symbol="B" meaning="bottleneck channels" min=B_RANGE.0 max=B_RANGE.1 test_id="slider-B" />
                <Slider value=g symbol="g" meaning="groups (divides C and B)" max=G_RANGE.1 allowed=Signal::derive(move || valid.get()) test_id="slider-g" />
                <p class="hint" data-testid="valid-g">{move || groups_sentence(c.get(), b.get())}</p>
                <label class="check">
                    <input type="checkbox" data-testid="bn" prop:checked=move || bn.get()
                        on:change=move |ev| bn.set(event_target_checked(&ev)) />
                    "count as torchvision (no bias + BatchNorm)"
                </label>
                <button type="button" data-testid="lecture-settings" on:click=move |_| {
                    let d = ShuffleState::default();
                    c.set(d.c);
                    b.set(d.b);
                    g.set(d.g);
                    bn.set(false);
                }>"Lecture's example (240 channels, bottleneck 80, g = 2)"</button>
                <h2>"The shuffle figure"</h2>
                <Slider value=n_raw symbol="n" meaning="channels shuffled (a multiple of g)" min=N_RANGE.0 max=N_RANGE.1
                    step=Signal::derive(move || g.get()) test_id="slider-n" />
            </Controls>
            <Cost slot>
                <h2>"Parameters per layer, and against a standard 3\u{d7}3 conv"</h2>
                <CostTable run=run selected=selected />
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::blockdiagram::sig2;

    #[test]
    fn url_round_trip_and_defaults() {
        let (st, notes) = ShuffleState::parse(&Query::default());
        assert_eq!(st, ShuffleState::default());
        assert!(notes.is_empty());
        let st = ShuffleState {
            c: 120,
            b: 40,
            g: 4,
            n: 16,
            frame: 9,
            bn: true,
            selected: 5,
        };
        let (back, notes) = ShuffleState::parse(&Query::from_pairs(st.to_query()));
        assert_eq!(back, st);
        assert!(notes.is_empty());
    }

    #[test]
    fn invalid_g_is_kept_and_explained_never_a_panic() {
        let (st, notes) = ShuffleState::parse(&Query::parse("g=7&n=12"));
        assert_eq!(st.g, 7);
        assert_eq!(st.n, 14);
        assert!(notes.iter().any(|n| n.message.contains("multiple of g=7")));
        let msg = invalid_groups(st.c, st.b, st.g).unwrap();
        assert!(msg.contains("g = 1, 2, 4, 5, 8, 10, 16"), "{msg}");
        assert!(BlockRun::new(&st.spec(), false, &InputState::default()).is_err());
        assert_eq!(invalid_groups(240, 80, 2), None);
        // Every g in range and hostile values: the figures still compute.
        let (st, notes) = ShuffleState::parse(&Query::parse("g=0&C=x&B=1e9&n=-3&f=99&box=9"));
        assert_eq!(
            (st.g, st.c, st.b, st.frame, st.selected),
            (1, 240, 240, 24, 5)
        );
        assert!(notes.len() >= 6);
        for g in G_RANGE.0..=G_RANGE.1 {
            for n in [N_RANGE.0, 7, 12, N_RANGE.1] {
                let n = snap_channels(n, g);
                assert_eq!(n % g, 0);
                assert!(ShuffleStages::new(n, g).is_ok());
                assert!(reach_panels(n, g).is_ok());
            }
        }
    }

    #[test]
    fn lecture_counts() {
        let r = BlockRun::new(
            &ShuffleState::default().spec(),
            false,
            &InputState::default(),
        )
        .unwrap();
        let params: Vec<u64> = r
            .diagram
            .boxes
            .iter()
            .map(|b| b.params)
            .filter(|&p| p > 0)
            .collect();
        assert_eq!(params, [9680, 800, 9840]);
        assert_eq!((r.params(), r.twin_params()), (20_320, 518_640));
        assert_eq!(sig2(r.ratio()), "0.039");
    }

    #[test]
    fn animation_matches_kernel_and_reach_rule() {
        let st = ShuffleStages::new(12, 2).unwrap();
        assert_eq!(
            shown_order(&st, frame_count() - 1).unwrap(),
            kernel_order(12, 2).unwrap()
        );
        assert_eq!(list(&kernel_order(6, 2).unwrap()), "0 3 1 4 2 5");
        assert!(kernel_order(6, 4).is_err());
        // Two shuffled units connect everything exactly when g² ≤ n.
        for (n, g) in [(12, 2), (12, 3), (12, 4), (16, 4), (18, 6)] {
            let p = reach_panels(n, g).unwrap();
            assert!(p[0..3]
                .iter()
                .all(|x| (x.fraction() - 1.0 / g as f64).abs() < 1e-9));
            assert_eq!(p[4].fraction() == 1.0, g * g <= n, "n={n} g={g}");
        }
    }

    #[test]
    fn snapping() {
        assert_eq!(snap_channels(12, 5), 10);
        assert_eq!(snap_channels(13, 2), 12);
        assert_eq!(snap_channels(1, 16), 16);
        assert_eq!(snap_channels(200, 16), 96);
        assert_eq!(snap_channels(95, 7), 91);
        assert_eq!(valid_groups(240, 80), [1, 2, 4, 5, 8, 10, 16]);
    }

    #[test]
    fn the_groups_hint_lists_every_common_divisor() {
        let s = groups_sentence(80, 80);
        assert!(s.starts_with("g can be 1, 2, 4, 5, 8, 10, 16: the divisors of both C = 80 and B = 80 from 1 to 16."), "{s}");
        assert!(
            s.contains("20, 40, 80 also divide both; the slider stops at 16"),
            "{s}"
        );
        assert!(s.contains("at most 4 channels"), "{s}");
        for c in (C_RANGE.0..=C_RANGE.1).step_by(7) {
            for b in (B_RANGE.0..=B_RANGE.1).step_by(5) {
                let s = groups_sentence(c, b);
                // Every common divisor of C and B appears, once, in the sentence.
                let said: Vec<usize> = s
                    .split(|ch: char| !ch.is_ascii_digit())
                    .filter_map(|t| t.parse().ok())
                    .collect();
                for g in (1..=c.min(b)).filter(|&g| c % g == 0 && b % g == 0) {
                    assert!(said.contains(&g), "{g} missing for C = {c}, B = {b}: {s}");
                }
                assert_eq!(
                    s.contains("also divide"),
                    c.min(b) > 16 && (17..=c.min(b)).any(|g| c % g == 0 && b % g == 0)
                );
            }
        }
    }
}
