//! Lesson 8 (curriculum §8): SqueezeNet's Fire module.
//!
//! squeeze 1×1 (S) → expand 1×1 (E1) ‖ expand 3×3 (E3) → concat, drawn as a
//! diagram of its real layers (select a box for its weights and output
//! maps on the picked input), with the cost per layer against a standard
//! 3×3 conv of the same shape. The lecture's C = 128, S = 16, E1 = E3 = 64
//! gives 2064 + 1088 + 9280 = 12432 against 147584 (0.084).
//!
//! URL: `#/squeezenet?C=128&S=16&E1=64&E3=64&bn=0&box=0&input=digit`.

pub mod torch;
use convlab_core::blocks::FireSpec;
use leptos::prelude::*;

use super::blockdiagram::{
    draw_diagram, BlockDiagram, BlockRun, BlockVerdict, CostTable, Diagram, LayerInspector,
};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::picture::read_with_input;
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::Style;
use crate::route::{self, Note, Params, Query};
use crate::widgets::{InputPicker, InputState, Slider};
use convlab_core::{BlockSpec, Convention};

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "squeezenet",
    section: 8,
    part: Part::Models,
    title: "SqueezeNet Fire module",
    short: "SqueezeNet",
    blurb: "Squeeze to S channels with 1\u{d7}1, expand with 1\u{d7}1 \u{2016} 3\u{d7}3: 12432 parameters where a 3\u{d7}3 conv needs 147584.",
    page,
    notes: |q| read(q).2,
    thumb,
    torch: Some(torch::snippet),
};

/// Range of the input channels C.
pub const C_RANGE: (usize, usize) = (8, 256);
/// Range of the squeeze channels S.
pub const S_RANGE: (usize, usize) = (1, 64);
/// Range of E1 and E3.
pub const E_RANGE: (usize, usize) = (1, 256);

/// The lesson's URL state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FireState {
    /// Input channels C.
    pub c: usize,
    /// Squeeze channels S.
    pub s: usize,
    /// Expand 1×1 channels E1.
    pub e1: usize,
    /// Expand 3×3 channels E3.
    pub e3: usize,
    /// "no bias + BN" convention toggle (the Fire module keeps its bias either way).
    pub bn: bool,
    /// Selected box.
    pub selected: usize,
}

impl Default for FireState {
    fn default() -> Self {
        let f = FireSpec::default();
        FireState {
            c: f.in_channels,
            s: f.squeeze,
            e1: f.expand1,
            e3: f.expand3,
            bn: false,
            selected: 0,
        }
    }
}

/// Boxes of a Fire module: squeeze, expand 1×1, expand 3×3, concat.
pub const BOXES: usize = 4;

impl FireState {
    /// Reads the state; every value it could not use as given gets a note.
    pub fn read(p: &mut Params) -> FireState {
        let d = FireState::default();
        let c = p.usize("C", d.c, C_RANGE.0, C_RANGE.1);
        let s = p.usize("S", d.s, S_RANGE.0, S_RANGE.1);
        let e1 = p.usize("E1", d.e1, E_RANGE.0, E_RANGE.1);
        let e3 = p.usize("E3", d.e3, E_RANGE.0, E_RANGE.1);
        let bn = p.flag("bn", d.bn);
        let selected = p.usize("box", 0, 0, BOXES - 1);
        FireState {
            c,
            s,
            e1,
            e3,
            bn,
            selected,
        }
    }

    /// Parses a query (without the picker's `input`), with notes.
    pub fn parse(q: &Query) -> (FireState, Vec<Note>) {
        let mut p = Params::new(q);
        let st = FireState::read(&mut p);
        (st, p.finish())
    }

    /// The URL pairs.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("C", self.c.to_string()),
            ("S", self.s.to_string()),
            ("E1", self.e1.to_string()),
            ("E3", self.e3.to_string()),
            ("bn", u8::from(self.bn).to_string()),
            ("box", self.selected.to_string()),
        ]
    }

    /// The kernel crate's spec.
    pub fn spec(&self) -> FireSpec {
        FireSpec::new(self.c, self.s, self.e1, self.e3)
    }
}

/// The picker's input, the lesson's state and the notes about the URL query.
fn read(q: &Query) -> (InputState, FireState, Vec<Note>) {
    read_with_input(q, |q| FireState::parse(&q.without("input")))
}

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (input, st, notes) = read(q);
    view! { <Squeeze initial=st notes=notes input=input /> }.into_any()
}

/// The home card: the Fire module's diagram.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    let g = FireSpec::default().graph(Convention::LECTURE)?;
    let rows = g.layers([128, 8, 8])?;
    let d = Diagram::new(&g, &rows)?;
    draw_diagram(area, &d, None, style)?;
    Ok(())
}

#[component]
fn Squeeze(initial: FireState, notes: Vec<Note>, input: InputState) -> impl IntoView {
    let c = RwSignal::new(initial.c);
    let s = RwSignal::new(initial.s);
    let e1 = RwSignal::new(initial.e1);
    let e3 = RwSignal::new(initial.e3);
    let bn = RwSignal::new(initial.bn);
    let selected = RwSignal::new(initial.selected);
    let input = RwSignal::new(input);

    let state = Memo::new(move |_| FireState {
        c: c.get(),
        s: s.get(),
        e1: e1.get(),
        e3: e3.get(),
        bn: bn.get(),
        selected: selected.get(),
    });
    let spec = Memo::new(move |_| state.get().spec());
    let run = Memo::new(move |_| {
        let sp = spec.get();
        input.with(|i| BlockRun::new(&sp, bn.get(), i))
    });
    Effect::new(move |_| {
        let mut pairs = state.get().to_query();
        pairs.push(("input", input.get().to_param()));
        route::write_lesson_state("squeezenet", &pairs);
    });

    let idea = "A Fire module first squeezes the C input channels to a few (S) with 1\u{d7}1 filters, \
                then expands them again with 1\u{d7}1 and 3\u{d7}3 filters side by side and concatenates. \
                The expensive 3\u{d7}3 filters only ever see S channels \u{2014} that is where the savings come from.";

    view! {
        <LessonLayout id="squeezenet" idea=idea notes=notes>
            <Figure slot>
                <section class="panel" data-testid="fire">
                    <h2>{move || state.with(|s| format!(
                        "Fire module: {} \u{2192} squeeze {} \u{2192} expand {} \u{2016} {} = {} channels",
                        s.c, s.s, s.e1, s.e3, s.e1 + s.e3))}</h2>
                    <BlockVerdict run=run name="Fire module" />
                    <p class="hint">"Select a box (click, tap, or Tab then Enter) to see its weights and its output maps."</p>
                    <BlockDiagram run=run selected=selected />
                </section>
                <LayerInspector run=run selected=selected />
            </Figure>
            <Controls slot>
                <h2>"Input"</h2>
                <InputPicker state=input test_id="input-picker" />
                <h2>"The module"</h2>
                <Slider value=c symbol="C" meaning="input channels" min=C_RANGE.0 max=C_RANGE.1 test_id="slider-C" />
                <Slider value=s symbol="S" meaning="squeeze 1\u{d7}1 channels" min=S_RANGE.0 max=S_RANGE.1 test_id="slider-S" />
                <Slider value=e1 symbol="E1" meaning="expand 1\u{d7}1 channels" min=E_RANGE.0 max=E_RANGE.1 test_id="slider-E1" />
                <Slider value=e3 symbol="E3" meaning="expand 3\u{d7}3 channels" min=E_RANGE.0 max=E_RANGE.1 test_id="slider-E3" />
                <label class="check">
                    <input type="checkbox" data-testid="bn" prop:checked=move || bn.get()
                        on:change=move |ev| bn.set(event_target_checked(&ev)) />
                    "count as torchvision (no bias + BatchNorm)"
                </label>
                <p class="hint" data-testid="convention-note">
                    {move || if bn.get() {
                        "SqueezeNet has no BatchNorm: its convs keep their bias under both conventions, so the counts do not change."
                    } else {
                        "Every conv has a bias, as the lecture counts."
                    }}
                </p>
                <button type="button" data-testid="lecture-settings" on:click=move |_| {
                    let d = FireState::default();
                    c.set(d.c);
                    s.set(d.s);
                    e1.set(d.e1);
                    e3.set(d.e3);
                }>"Lecture's example (C = 128, S = 16, E1 = E3 = 64)"</button>
            </Controls>
            <Cost slot>
                <h2>"Parameters per layer, and against a standard 3\u{d7}3 conv"</h2>
                <CostTable run=run selected=selected />
            </Cost>
            <SlideSays slot>
                <p data-testid="slide-note">
                    "(1\u{d7}1\u{d7}128+1)\u{d7}16 = 2064, (1\u{d7}1\u{d7}16+1)\u{d7}64 = 1088, (3\u{d7}3\u{d7}16+1)\u{d7}64 = 9280: 12432 against 147584, ratio 0.084 \u{2014} "
                    "the slide's numbers are exact (the table above computes them from the real layers). "
                    "Its \u{201c}output channels: 128\u{201d} is E1 + E3 after the concat."
                </p>
            </SlideSays>
        </LessonLayout>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_round_trip_and_defaults() {
        let (st, notes) = FireState::parse(&Query::default());
        assert_eq!(st, FireState::default());
        assert!(notes.is_empty());
        let st = FireState {
            c: 64,
            s: 8,
            e1: 32,
            e3: 48,
            bn: true,
            selected: 2,
        };
        let q = Query::from_pairs(st.to_query());
        let (back, notes) = FireState::parse(&q);
        assert_eq!(back, st);
        assert!(notes.is_empty());
    }

    #[test]
    fn hostile_urls_are_clamped_with_notes() {
        let q = Query::parse("C=0&S=999&E1=abc&E3=-5&bn=maybe&box=77&zzz=1");
        let (st, notes) = FireState::parse(&q);
        assert_eq!(
            (st.c, st.s, st.e1, st.e3, st.bn, st.selected),
            (8, 64, 64, 1, false, 3)
        );
        assert_eq!(notes.len(), 7);
        for n in &notes {
            assert!(!n.message.is_empty());
        }
    }

    #[test]
    fn lecture_spec() {
        assert_eq!(FireState::default().spec(), FireSpec::default());
    }
}
