//! Lesson 9 (curriculum §9): the MobileNet block.
//!
//! v1: 3×3 depthwise → 1×1 pointwise; v2: expand 1×1 (t·C) → 3×3 depthwise →
//! linear 1×1 projection (+ the input when the shapes allow). Drawn as a
//! diagram of its real layers (select a box for its weights and output maps
//! on the picked input) with the cost per layer against a standard 3×3 conv
//! of the same shape. The lecture's C = D = 128 gives (9+1)·128 = 1280 +
//! (128+1)·128 = 16512 = 17792 against 147584 (0.12).
//!
//! URL: `#/mobilenet?v=1&C=128&N=128&s=1&t=6&bn=0&box=0&input=digit`.

pub mod torch;
use convlab_core::blocks::{InvertedResidualSpec, SeparableSpec};
use convlab_core::{BlockSpec, Convention};
use leptos::prelude::*;

use super::blockdiagram::{
    clamp_box, draw_diagram, BlockDiagram, BlockRun, BlockVerdict, CostTable, Diagram,
    LayerInspector,
};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::picture::read_with_input;
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::Style;
use crate::route::{self, Note, Params, Query};
use crate::widgets::{InputPicker, InputState, Slider};

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "mobilenet",
    section: 9,
    part: Part::Models,
    title: "MobileNet block",
    short: "MobileNet",
    blurb: "3\u{d7}3 depthwise then 1\u{d7}1 pointwise: 17792 parameters for 128 \u{2192} 128 where a 3\u{d7}3 conv needs 147584; v2's inverted residual.",
    page,
    notes: |q| read(q).2,
    thumb,
    torch: Some(torch::snippet),
};

/// Range of C (input) and N (output) channels.
pub const CH_RANGE: (usize, usize) = (8, 256);
/// Range of the expansion t.
pub const T_RANGE: (usize, usize) = (1, 6);
/// Most boxes a block has (v2 with expansion and residual).
pub const MAX_BOXES: usize = 4;

/// Which MobileNet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// Depthwise-separable block.
    V1,
    /// Inverted residual.
    V2,
}

/// The lesson's URL state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MobileState {
    /// v1 or v2.
    pub version: Version,
    /// Input channels C.
    pub c: usize,
    /// Output channels N.
    pub n: usize,
    /// Stride of the depthwise conv.
    pub stride: usize,
    /// Expansion t (v2).
    pub t: usize,
    /// No bias + BatchNorm (torchvision) instead of bias (the lecture).
    pub bn: bool,
    /// Selected box.
    pub selected: usize,
}

impl Default for MobileState {
    fn default() -> Self {
        MobileState {
            version: Version::V1,
            c: 128,
            n: 128,
            stride: 1,
            t: 6,
            bn: false,
            selected: 0,
        }
    }
}

impl MobileState {
    /// Reads the state; every value it could not use as given gets a note.
    pub fn read(p: &mut Params) -> MobileState {
        let d = MobileState::default();
        let version = match p.int_in("v", 1, &[1, 2]) {
            2 => Version::V2,
            _ => Version::V1,
        };
        let c = p.usize("C", d.c, CH_RANGE.0, CH_RANGE.1);
        let n = p.usize("N", d.n, CH_RANGE.0, CH_RANGE.1);
        let stride = p.int_in("s", 1, &[1, 2]) as usize;
        let t = p.usize("t", d.t, T_RANGE.0, T_RANGE.1);
        let bn = p.flag("bn", d.bn);
        let selected = p.usize("box", 0, 0, MAX_BOXES - 1);
        MobileState {
            version,
            c,
            n,
            stride,
            t,
            bn,
            selected,
        }
    }

    /// Parses a query (without the picker's `input`), with notes.
    pub fn parse(q: &Query) -> (MobileState, Vec<Note>) {
        let mut p = Params::new(q);
        let st = MobileState::read(&mut p);
        (st, p.finish())
    }

    /// The URL pairs.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let v = match self.version {
            Version::V1 => "1",
            Version::V2 => "2",
        };
        vec![
            ("v", v.to_string()),
            ("C", self.c.to_string()),
            ("N", self.n.to_string()),
            ("s", self.stride.to_string()),
            ("t", self.t.to_string()),
            ("bn", u8::from(self.bn).to_string()),
            ("box", self.selected.to_string()),
        ]
    }

    /// The block, built and run on the picked input.
    ///
    /// # Errors
    /// The kernel crate's message.
    pub fn run(&self, picked: &InputState) -> Result<BlockRun, String> {
        match self.version {
            Version::V1 => BlockRun::new(
                &SeparableSpec::new(self.c, self.n, self.stride),
                self.bn,
                picked,
            ),
            Version::V2 => BlockRun::new(
                &InvertedResidualSpec::new(self.c, self.n, self.t, self.stride),
                self.bn,
                picked,
            ),
        }
    }
}

/// The picker's input, the lesson's state and the notes about the URL query.
fn read(q: &Query) -> (InputState, MobileState, Vec<Note>) {
    read_with_input(q, |q| MobileState::parse(&q.without("input")))
}

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (input, st, notes) = read(q);
    view! { <MobileNet initial=st notes=notes input=input /> }.into_any()
}

/// The home card: the v1 block's diagram.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    let g = SeparableSpec::default().graph(Convention::LECTURE)?;
    let rows = g.layers([128, 8, 8])?;
    let d = Diagram::new(&g, &rows)?;
    draw_diagram(area, &d, None, style)?;
    Ok(())
}

#[component]
fn MobileNet(initial: MobileState, notes: Vec<Note>, input: InputState) -> impl IntoView {
    let v2 = RwSignal::new(initial.version == Version::V2);
    let c = RwSignal::new(initial.c);
    let n = RwSignal::new(initial.n);
    let stride = RwSignal::new(initial.stride);
    let t = RwSignal::new(initial.t);
    let bn = RwSignal::new(initial.bn);
    let selected = RwSignal::new(initial.selected);
    let input = RwSignal::new(input);

    let state = Memo::new(move |_| MobileState {
        version: if v2.get() { Version::V2 } else { Version::V1 },
        c: c.get(),
        n: n.get(),
        stride: stride.get(),
        t: t.get(),
        bn: bn.get(),
        selected: selected.get(),
    });
    let block = Memo::new(move |_| MobileState {
        selected: 0,
        ..state.get()
    });
    let run = Memo::new(move |_| {
        let b = block.get();
        input.with(|i| b.run(i))
    });
    // Keep the selection on a box that exists (v1 has two, v2 up to four).
    Effect::new(move |_| {
        let boxes = run.with(|r| r.as_ref().map_or(0, |r| r.diagram.boxes.len()));
        let s = selected.get();
        let fixed = clamp_box(s, boxes);
        if boxes > 0 && fixed != s {
            selected.set(fixed);
        }
    });
    Effect::new(move |_| {
        let mut pairs = state.get().to_query();
        pairs.push(("input", input.get().to_param()));
        route::write_lesson_state("mobilenet", &pairs);
    });

    let idea = "MobileNet splits a 3\u{d7}3 conv into a 3\u{d7}3 depthwise conv (one filter per channel: where to look) \
                and a 1\u{d7}1 conv (how to mix channels). v2 widens the channels t times before the depthwise conv, \
                projects back linearly and adds the input.";

    view! {
        <LessonLayout id="mobilenet" idea=idea notes=notes>
            <Figure slot>
                <section class="panel" data-testid="mobile-block">
                    <h2 data-testid="block-kind">{move || state.with(|s| match s.version {
                        Version::V1 => format!("MobileNet v1: depthwise-separable {} \u{2192} {}, stride {}", s.c, s.n, s.stride),
                        Version::V2 => format!("MobileNet v2: inverted residual {} \u{2192} {}\u{b7}{} \u{2192} {}, stride {}", s.c, s.t, s.c, s.n, s.stride),
                    })}</h2>
                    <p class="hint">"Select a box (click, tap, or Tab then Enter) to see its weights and its output maps."</p>
                    <BlockVerdict run=run name="The block" />
                    <BlockDiagram run=run selected=selected />
                </section>
                <LayerInspector run=run selected=selected />
            </Figure>
            <Controls slot>
                <h2>"Input"</h2>
                <InputPicker state=input test_id="input-picker" />
                <h2>"The block"</h2>
                <div role="radiogroup" aria-label="MobileNet version" style="display:flex;gap:0.5em;flex-wrap:wrap">
                    <button type="button" data-testid="version-1" style="min-height:44px;padding:0 0.8em"
                        aria-pressed=move || (!v2.get()).to_string() on:click=move |_| v2.set(false)>"v1: depthwise separable"</button>
                    <button type="button" data-testid="version-2" style="min-height:44px;padding:0 0.8em"
                        aria-pressed=move || v2.get().to_string() on:click=move |_| v2.set(true)>"v2: inverted residual"</button>
                </div>
                <Slider value=c symbol="C" meaning="input channels" min=CH_RANGE.0 max=CH_RANGE.1 test_id="slider-C" />
                <Slider value=n symbol="N" meaning="output channels" min=CH_RANGE.0 max=CH_RANGE.1 test_id="slider-N" />
                <Slider value=stride symbol="s" meaning="stride of the depthwise conv" min=1usize max=2usize test_id="slider-s" />
                {move || v2.get().then(|| view! {
                    <Slider value=t symbol="t" meaning="expansion (hidden channels t\u{b7}C)" min=T_RANGE.0 max=T_RANGE.1 test_id="slider-t" />
                })}
                <label class="check">
                    <input type="checkbox" data-testid="bn" prop:checked=move || bn.get()
                        on:change=move |ev| bn.set(event_target_checked(&ev)) />
                    "count as torchvision (no bias + BatchNorm)"
                </label>
                <p class="hint" data-testid="convention-note">
                    {move || if bn.get() {
                        "Convs have no bias; each is followed by BatchNorm with 2 parameters (\u{3b3}, \u{3b2}) per channel, as MobileNet and torchvision count."
                    } else {
                        "Every conv has a bias and there is no BatchNorm, as the lecture counts."
                    }}
                </p>
                <button type="button" data-testid="lecture-settings" on:click=move |_| {
                    let d = MobileState::default();
                    v2.set(false);
                    c.set(d.c);
                    n.set(d.n);
                    stride.set(d.stride);
                    bn.set(false);
                }>"Lecture's example (v1, 128 \u{2192} 128, bias)"</button>
            </Controls>
            <Cost slot>
                <h2>"Parameters per layer, and against a standard 3\u{d7}3 conv"</h2>
                <CostTable run=run selected=selected />
                {move || v2.get().then(|| view! {
                    <p class="hint" data-testid="v2-note">
                        "v2 is not meant to be cheaper than a 3\u{d7}3 conv at the same width: its inputs and outputs are thin "
                        "(e.g. 24 channels) and only the hidden t\u{b7}C channels are wide, so compare it at C = N = 24."
                    </p>
                })}
            </Cost>
            <SlideSays slot>
                <p data-testid="slide-note">
                    "3\u{d7}3 DWConv (3\u{d7}3+1)\u{d7}128 = 1280 and 1\u{d7}1 Conv (1\u{d7}1\u{d7}128+1)\u{d7}128 = 16512: 17792 against 147584. "
                    "The counts are exact; the ratio 17792 / 147584 = 0.1206 is rounded to 0.12. "
                    "MobileNet itself has no conv bias but BatchNorm after every conv \u{2014} tick the toggle for that count."
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
        let (st, notes) = MobileState::parse(&Query::default());
        assert_eq!(st, MobileState::default());
        assert!(notes.is_empty());
        let st = MobileState {
            version: Version::V2,
            c: 24,
            n: 32,
            stride: 2,
            t: 4,
            bn: true,
            selected: 3,
        };
        let (back, notes) = MobileState::parse(&Query::from_pairs(st.to_query()));
        assert_eq!(back, st);
        assert!(notes.is_empty());
    }

    #[test]
    fn hostile_urls_are_clamped_with_notes() {
        let q = Query::parse("v=3&C=1e9&N=-1&s=5&t=0&bn=2&box=NaN");
        let (st, notes) = MobileState::parse(&q);
        assert_eq!(st.version, Version::V2);
        assert_eq!(
            (st.c, st.n, st.stride, st.t, st.bn, st.selected),
            (256, 8, 2, 1, false, 0)
        );
        assert_eq!(notes.len(), 7);
    }

    #[test]
    fn lecture_and_v2_counts() {
        let pick = InputState::default();
        let r = MobileState::default().run(&pick).unwrap();
        assert_eq!((r.params(), r.twin_params()), (17_792, 147_584));
        assert_eq!(sig2(r.ratio()), "0.12");
        let v2 = MobileState {
            version: Version::V2,
            c: 24,
            n: 24,
            t: 6,
            bn: true,
            ..Default::default()
        };
        let r = v2.run(&pick).unwrap();
        assert_eq!(r.params(), 3456 + 288 + 1296 + 288 + 3456 + 48);
        assert_eq!(r.diagram.boxes.len(), 4);
        assert_eq!(r.diagram.boxes[3].kind, "add");
        let strided = MobileState { stride: 2, ..v2 };
        let r = strided.run(&pick).unwrap();
        assert_eq!(r.diagram.boxes.len(), 3);
        assert_eq!(
            r.outputs.last().unwrap().1.height(),
            r.input.height().div_ceil(2)
        );
    }
}
