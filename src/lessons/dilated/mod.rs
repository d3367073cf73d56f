//! Lesson 5 (curriculum §5) — dilated convolution: how far one output cell
//! sees through a stack of (dilated) convolutions, layer by layer; how many
//! paths reach each input (equal in WaveNet, holes when dilations repeat);
//! the WaveNet 1-D tree; and receptive field against parameters.
//!
//! URL: `#/dilated?L=3d1,3d2,3d4,3d8&n=35&c=17.17&f=4&T=2d1,2d2,…,2d512`.
//! Every highlighted cell comes from `convlab_core::receptive`.

pub mod animator;
pub mod draw;
pub mod model;
mod panels;
pub mod state;
pub mod torch;
mod tree_panel;
pub mod viewport;

use leptos::prelude::*;

use self::animator::frame_count;
use self::draw::{draw_map, MapOptions};
use self::model::grid_model;
use self::state::{DilatedSignals, DilatedState, GRID_SIDE, PRESETS};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::Style;
use crate::route::{Note, Query};
use crate::widgets::Slider;

use self::panels::{CellPicker, ContributionFigure, CostPanel, GridFigure, StackEditor};
use self::tree_panel::TreeFigure;

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "dilated",
    section: 5,
    part: Part::Compact,
    title: "Dilated convolution",
    short: "Dilated",
    blurb: "A K\u{d7}K kernel with dilation d spans (K\u{2212}1)\u{b7}d+1 cells with K\u{b7}K weights: watch the receptive field grow.",
    page,
    notes: |q| DilatedState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = DilatedState::read(q);
    view! { <Dilated initial=st notes=notes /> }.into_any()
}

/// The home card: the input cells feeding the centre of the 1,2,4,8 stack, by path count.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    let m = grid_model(PRESETS[0].layers, 33, None)?;
    let input = m.maps.first().ok_or("no input map")?;
    let opts = MapOptions {
        heat: true,
        caption: 0.0,
        ..MapOptions::default()
    };
    area.fill(&style.ink.background).map_err(crate::draw::err)?;
    draw_map(area, input, &opts, style)?;
    Ok(())
}

#[component]
fn Dilated(initial: DilatedState, notes: Vec<Note>) -> impl IntoView {
    let s = DilatedSignals::new(&initial);
    let DilatedSignals {
        stack,
        side,
        cell,
        frame,
        tree,
    } = s;
    let heat = RwSignal::new(false);

    let model = Memo::new(move |_| stack.with(|s| grid_model(s, side.get(), cell.get().0)));
    let frames = Signal::derive(move || stack.with(|s| frame_count(s.len())));
    Effect::new(move |_| {
        let n = frames.get();
        if frame.get_untracked() >= n {
            frame.set(n - 1);
        }
    });
    DilatedSignals::write_back(s.memo(), "dilated");
    let url_notes = notes.clone();
    let all_notes = Signal::derive(move || {
        let mut n = url_notes.clone();
        if let Ok(m) = model.get() {
            n.extend(
                m.notes
                    .into_iter()
                    .map(|t| Note::new("c", state::sentence(t))),
            );
        }
        n
    });

    let idea = "A dilated kernel spreads its K\u{b7}K taps d cells apart: it covers (K\u{2212}1)\u{b7}d+1 cells \
                with the same K\u{b7}K weights. Stack them and pick an output cell: the player walks down the \
                stack showing every cell that feeds it, and the counts below come from the recurrence.";

    view! {
        <LessonLayout id="dilated" idea=idea notes=all_notes>
            <Figure slot>
                <GridFigure model=model frame=frame frames=frames heat=heat />
                <ContributionFigure model=model />
                <TreeFigure tree=tree />
            </Figure>
            <Controls slot>
                <StackEditor stack=stack />
                <Slider value=side symbol="n" meaning="input side (cells)" min=GRID_SIDE.0 max=GRID_SIDE.1 test_id="slider-n" />
                <CellPicker model=model cell=cell />
                <label class="check">
                    <input type="checkbox" data-testid="heat" prop:checked=move || heat.get()
                        on:change=move |ev| heat.set(event_target_checked(&ev)) />
                    "colour by number of paths"
                </label>
            </Controls>
            <Cost slot>
                <CostPanel stack=stack model=model />
            </Cost>
            <SlideSays slot>
                <p>
                    "\u{201c}Each node\u{2019}s contribution times are equal\u{201d} holds for the WaveNet stack "
                    "(K = 2, d = 1, 2, 4, \u{2026}): every input reaches the output by exactly one path. "
                    "It does not hold in general: plain 3\u{d7}3 stacks favour the centre, and repeated equal "
                    "dilations (2, 2, 2) leave holes \u{2014} the gridding effect. Try the presets and the heat map."
                </p>
            </SlideSays>
        </LessonLayout>
    }
}
