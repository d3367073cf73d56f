//! Lesson 8 (curriculum §8): SqueezeNet's Fire module.
//!
//! squeeze 1×1 (S) → expand 1×1 (E1) ‖ expand 3×3 (E3) → concat, drawn as a
//! diagram of its real layers (select a box for its weights and output
//! maps on the picked input), with the cost per layer against a standard
//! 3×3 conv of the same shape. The lecture's C = 128, S = 16, E1 = E3 = 64
//! gives 2064 + 1088 + 9280 = 12432 against 147584 (0.084).
//!
//! Files: `state.rs` (the URL state, declared once; the block's run and
//! figures are `blockdiagram.rs`'s, shared with MobileNet and ShuffleNet),
//! `torch.rs`.
//!
//! URL: `#/squeezenet?C=128&S=16&E1=64&E3=64&bn=0&box=0&input=digit`.

pub mod state;
pub mod torch;

use convlab_core::blocks::FireSpec;
use leptos::prelude::*;

use self::state::{FireSignals, FireState, C_RANGE, E_RANGE, S_RANGE};
use super::blockdiagram::{
    draw_diagram, BlockDiagram, BlockRun, BlockVerdict, CostTable, Diagram, LayerInspector,
};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::Style;
use crate::route::{Note, Query};
use crate::widgets::{InputPicker, Slider};
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
    notes: |q| FireState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = FireState::read(q);
    view! { <Squeeze initial=st notes=notes /> }.into_any()
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
fn Squeeze(initial: FireState, notes: Vec<Note>) -> impl IntoView {
    let s = FireSignals::new(&initial);
    let state = s.memo();
    FireSignals::write_back(state, "squeezenet");
    let spec = Memo::new(move |_| state.with(FireState::spec));
    let run = Memo::new(move |_| {
        let sp = spec.get();
        s.input.with(|i| BlockRun::new(&sp, s.bn.get(), i))
    });

    let idea = "A Fire module first squeezes the C input channels to a few (S) with 1\u{d7}1 filters, \
                then expands them again with 1\u{d7}1 and 3\u{d7}3 filters side by side and concatenates. \
                The expensive 3\u{d7}3 filters only ever see S channels \u{2014} that is where the savings come from.";

    view! {
        <LessonLayout id="squeezenet" idea=idea notes=notes>
            <Figure slot>
                <section class="panel" data-testid="fire">
                    <h2>{move || state.with(|st| format!(
                        "Fire module: {} \u{2192} squeeze {} \u{2192} expand {} \u{2016} {} = {} channels",
                        st.c, st.s, st.e1, st.e3, st.e1 + st.e3))}</h2>
                    <BlockVerdict run=run name="Fire module" />
                    <p class="hint">"Select a box (click, tap, or Tab then Enter) to see its weights and its output maps."</p>
                    <BlockDiagram run=run selected=s.selected />
                </section>
                <LayerInspector run=run selected=s.selected />
            </Figure>
            <Controls slot>
                <h2>"Input"</h2>
                <InputPicker state=s.input test_id="input-picker" />
                <h2>"The module"</h2>
                <Slider value=s.c symbol="C" meaning="input channels" min=C_RANGE.0 max=C_RANGE.1 test_id="slider-C" />
                <Slider value=s.s symbol="S" meaning="squeeze 1\u{d7}1 channels" min=S_RANGE.0 max=S_RANGE.1 test_id="slider-S" />
                <Slider value=s.e1 symbol="E1" meaning="expand 1\u{d7}1 channels" min=E_RANGE.0 max=E_RANGE.1 test_id="slider-E1" />
                <Slider value=s.e3 symbol="E3" meaning="expand 3\u{d7}3 channels" min=E_RANGE.0 max=E_RANGE.1 test_id="slider-E3" />
                <label class="check">
                    <input type="checkbox" data-testid="bn" prop:checked=move || s.bn.get()
                        on:change=move |ev| s.bn.set(event_target_checked(&ev)) />
                    "count as torchvision (no bias + BatchNorm)"
                </label>
                <p class="hint" data-testid="convention-note">
                    {move || if s.bn.get() {
                        "SqueezeNet has no BatchNorm: its convs keep their bias under both conventions, so the counts do not change."
                    } else {
                        "Every conv has a bias, as the lecture counts."
                    }}
                </p>
                <button type="button" data-testid="lecture-settings" on:click=move |_| {
                    let d = FireState::default();
                    s.c.set(d.c);
                    s.s.set(d.s);
                    s.e1.set(d.e1);
                    s.e3.set(d.e3);
                }>"Lecture's example (C = 128, S = 16, E1 = E3 = 64)"</button>
            </Controls>
            <Cost slot>
                <h2>"Parameters per layer, and against a standard 3\u{d7}3 conv"</h2>
                <CostTable run=run selected=s.selected />
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
