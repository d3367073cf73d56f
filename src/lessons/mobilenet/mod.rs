//! Lesson 9 (curriculum §9): the MobileNet block.
//!
//! v1: 3×3 depthwise → 1×1 pointwise; v2: expand 1×1 (t·C) → 3×3 depthwise →
//! linear 1×1 projection (+ the input when the shapes allow). Drawn as a
//! diagram of its real layers (select a box for its weights and output maps
//! on the picked input) with the cost per layer against a standard 3×3 conv
//! of the same shape. The lecture's C = D = 128 gives (9+1)·128 = 1280 +
//! (128+1)·128 = 16512 = 17792 against 147584 (0.12).
//!
//! Files: `state.rs` (the URL state, declared once), `model.rs` (the block
//! the kernel crate builds and runs; its figures are `blockdiagram.rs`'s),
//! `torch.rs`.
//!
//! URL: `#/mobilenet?v=1&C=128&N=128&s=1&t=6&bn=0&box=0&input=digit`.

pub mod model;
pub mod state;
pub mod torch;

use convlab_core::blocks::SeparableSpec;
use convlab_core::{BlockSpec, Convention};
use leptos::prelude::*;

use self::state::{MobileSignals, MobileState, Version, CH_RANGE, T_RANGE};
use super::blockdiagram::{
    clamp_box, draw_diagram, BlockDiagram, BlockVerdict, CostTable, Diagram, LayerInspector,
};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::Style;
use crate::route::{Note, Query};
use crate::widgets::{InputPicker, Slider};

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "mobilenet",
    section: 9,
    part: Part::Models,
    title: "MobileNet block",
    short: "MobileNet",
    blurb: "3\u{d7}3 depthwise then 1\u{d7}1 pointwise: 17792 parameters for 128 \u{2192} 128 where a 3\u{d7}3 conv needs 147584; v2's inverted residual.",
    page,
    notes: |q| MobileState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = MobileState::read(q);
    view! { <MobileNet initial=st notes=notes /> }.into_any()
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
fn MobileNet(initial: MobileState, notes: Vec<Note>) -> impl IntoView {
    let s = MobileSignals::new(&initial);
    let state = s.memo();
    MobileSignals::write_back(state, "mobilenet");
    let v2 = move || s.version.get() == Version::V2;
    // The block without the selection, so selecting a box does not rerun it.
    let block = Memo::new(move |_| MobileState {
        selected: 0,
        ..state.get()
    });
    let run = Memo::new(move |_| block.with(model::run));
    // Keep the selection on a box that exists (v1 has two, v2 up to four).
    Effect::new(move |_| {
        let boxes = run.with(|r| r.as_ref().map_or(0, |r| r.diagram.boxes.len()));
        let sel = s.selected.get();
        let fixed = clamp_box(sel, boxes);
        if boxes > 0 && fixed != sel {
            s.selected.set(fixed);
        }
    });

    let idea = "MobileNet splits a 3\u{d7}3 conv into a 3\u{d7}3 depthwise conv (one filter per channel: where to look) \
                and a 1\u{d7}1 conv (how to mix channels). v2 widens the channels t times before the depthwise conv, \
                projects back linearly and adds the input.";

    view! {
        <LessonLayout id="mobilenet" idea=idea notes=notes>
            <Figure slot>
                <section class="panel" data-testid="mobile-block">
                    <h2 data-testid="block-kind">{move || state.with(|st| match st.version {
                        Version::V1 => format!("MobileNet v1: depthwise-separable {} \u{2192} {}, stride {}", st.c, st.n, st.stride),
                        Version::V2 => format!("MobileNet v2: inverted residual {} \u{2192} {}\u{b7}{} \u{2192} {}, stride {}", st.c, st.t, st.c, st.n, st.stride),
                    })}</h2>
                    <p class="hint">"Select a box (click, tap, or Tab then Enter) to see its weights and its output maps."</p>
                    <BlockVerdict run=run name="The block" />
                    <BlockDiagram run=run selected=s.selected />
                </section>
                <LayerInspector run=run selected=s.selected />
            </Figure>
            <Controls slot>
                <h2>"Input"</h2>
                <InputPicker state=s.input test_id="input-picker" />
                <h2>"The block"</h2>
                <div role="radiogroup" aria-label="MobileNet version" style="display:flex;gap:0.5em;flex-wrap:wrap">
                    <button type="button" data-testid="version-1" style="min-height:44px;padding:0 0.8em"
                        aria-pressed=move || (!v2()).to_string() on:click=move |_| s.version.set(Version::V1)>"v1: depthwise separable"</button>
                    <button type="button" data-testid="version-2" style="min-height:44px;padding:0 0.8em"
                        aria-pressed=move || v2().to_string() on:click=move |_| s.version.set(Version::V2)>"v2: inverted residual"</button>
                </div>
                <Slider value=s.c symbol="C" meaning="input channels" min=CH_RANGE.0 max=CH_RANGE.1 test_id="slider-C" />
                <Slider value=s.n symbol="N" meaning="output channels" min=CH_RANGE.0 max=CH_RANGE.1 test_id="slider-N" />
                <Slider value=s.stride symbol="s" meaning="stride of the depthwise conv" min=1usize max=2usize test_id="slider-s" />
                {move || v2().then(|| view! {
                    <Slider value=s.t symbol="t" meaning="expansion (hidden channels t\u{b7}C)" min=T_RANGE.0 max=T_RANGE.1 test_id="slider-t" />
                })}
                <label class="check">
                    <input type="checkbox" data-testid="bn" prop:checked=move || s.bn.get()
                        on:change=move |ev| s.bn.set(event_target_checked(&ev)) />
                    "count as torchvision (no bias + BatchNorm)"
                </label>
                <p class="hint" data-testid="convention-note">
                    {move || if s.bn.get() {
                        "Convs have no bias; each is followed by BatchNorm with 2 parameters (\u{3b3}, \u{3b2}) per channel, as MobileNet and torchvision count."
                    } else {
                        "Every conv has a bias and there is no BatchNorm, as the lecture counts."
                    }}
                </p>
                <button type="button" data-testid="lecture-settings" on:click=move |_| {
                    let d = MobileState::default();
                    s.version.set(d.version);
                    s.c.set(d.c);
                    s.n.set(d.n);
                    s.stride.set(d.stride);
                    s.bn.set(d.bn);
                }>"Lecture's example (v1, 128 \u{2192} 128, bias)"</button>
            </Controls>
            <Cost slot>
                <h2>"Parameters per layer, and against a standard 3\u{d7}3 conv"</h2>
                <CostTable run=run selected=s.selected />
                {move || v2().then(|| view! {
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
