//! Lesson 11 (curriculum §11) — ShiftNet: split the channels into k² groups
//! and move each group one cell along its own direction — no weights, no
//! arithmetic — then let a 1×1 conv mix them. A (shift + 1×1) block sees a
//! k×k neighbourhood like a k×k conv, at a ninth of the parameters.
//!
//! Files: `state.rs` (the URL state, declared once), `model.rs` (what the
//! kernel crate computes from it), `draw.rs`, `animator.rs`, `torch.rs`.
//!
//! URL: `#/shiftnet?k=3&m=1&f=9&depth=3&C=64&H=32&in=digit`.

pub mod animator;
pub mod draw;
pub mod model;
pub mod state;
pub mod torch;

use leptos::prelude::*;

use self::animator::{caption, frame_count};
use self::draw::draw_groups;
use self::model::{compare, field_maps, shift_model, INPUT_SIDE};
use self::state::{ShiftSignals, ShiftState, CHANNELS, DEPTH, KERNELS, MAP_SIDE, PER_GROUP};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::Style;
use crate::lessons::dilated::draw::{draw_map, MapOptions};
use crate::route::{Note, Query};
use crate::widgets::input_picker::render;
use crate::widgets::{input_tensor, InputPicker, Player, Plot, Slider};

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "shiftnet",
    section: 11,
    part: Part::Models,
    title: "ShiftNet",
    short: "ShiftNet",
    blurb: "Shift channel groups one cell in k\u{b2} directions (0 parameters, 0 FLOPs) and mix them with a 1\u{d7}1 conv.",
    page,
    notes: |q| ShiftState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = ShiftState::read(q);
    view! { <ShiftNet initial=st notes=notes /> }.into_any()
}

/// The home card: the nine shifted groups of the digit.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    let st = ShiftState::default();
    let x = render(&st.input, 1, 10, 10)?;
    let m = shift_model(&st, &x)?;
    draw_groups(area, &m.view, st.groups(), style)?;
    Ok(())
}

#[component]
fn ShiftNet(initial: ShiftState, notes: Vec<Note>) -> impl IntoView {
    let s = ShiftSignals::new(&initial);
    let st = s.memo();
    ShiftSignals::write_back(st, "shiftnet");
    // The model ignores the frame, so stepping does not recompute the shift.
    let geometry = Memo::new(move |_| ShiftState {
        frame: 0,
        ..st.get()
    });
    let picked = input_tensor(s.input, Signal::derive(|| [1, INPUT_SIDE, INPUT_SIDE]));
    let model = Memo::new(move |_| {
        let g = geometry.get();
        picked.with(|x| {
            x.as_ref()
                .map_err(|e| e.to_string())
                .and_then(|x| shift_model(&g, x))
        })
    });
    let frames = Signal::derive(move || frame_count(s.k.get()));
    Effect::new(move |_| {
        let n = frames.get();
        if s.frame.get_untracked() >= n {
            s.frame.set(n - 1);
        }
    });
    let rows = Memo::new(move |_| compare(&geometry.get()));
    let maps = Memo::new(move |_| field_maps(s.k.get(), s.depth.get()));

    let idea = "A k\u{d7}k conv looks at its neighbours through k\u{b2} weights per channel pair. ShiftNet instead moves \
                each of k\u{b2} channel groups one cell in its own direction \u{2014} free, no weights, no multiplications \u{2014} \
                and lets a 1\u{d7}1 conv combine them: the same neighbourhood, a fraction of the cost.";

    let counts = move || {
        model.with(|r| match r {
            Ok(md) => view! {
                <dl class="rf-numbers" data-testid="shift-counts" style="display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.2rem 1.2rem;margin:.6rem 0">
                    <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"channels C = m\u{b7}k\u{b2}"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="shift-channels">{md.channels}</dd></div>
                    <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"groups k\u{b2}"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="shift-groups">{md.view.panels.len()}</dd></div>
                    <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"parameters"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="shift-params">{md.cost.params}</dd></div>
                    <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"FLOPs"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="shift-flops">{md.cost.flops()}</dd></div>
                    <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"elements carried to a new cell"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="shift-moved">{md.moved}</dd></div>
                    <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"elements written (C\u{b7}H\u{b7}W)"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="shift-written">{md.cost.moved}</dd></div>
                </dl>
            }
            .into_any(),
            Err(e) => view! { <p class="error" role="alert" data-testid="shift-error">{e.clone()}</p> }.into_any(),
        })
    };

    view! {
        <LessonLayout id="shiftnet" idea=idea notes=Signal::derive(move || notes.clone())>
            <Figure slot>
                <section class="panel" data-testid="shift-figure">
                    <h2>"The shift, group by group"</h2>
                    <Plot label="the channel groups of the input, each shifted one cell along its arrow" height=520.0 test_id="shift-plot"
                        draw=move |area, style| {
                            let f = s.frame.get();
                            model.with(|r| match r {
                                Ok(md) => draw_groups(area, &md.view, f, style),
                                Err(_) => area.fill(&style.ink.background).map_err(crate::draw::err),
                            })
                        } />
                    <p class="caption" data-testid="frame-caption" aria-live="polite">{move || caption(s.frame.get(), s.k.get())}</p>
                    <Player frame=s.frame frames=frames fps=2.0 label="one group shifts per frame" test_id="player" />
                    {counts}
                </section>
                <section class="panel" data-testid="compare-figure">
                    <h2>"Receptive field after " {move || s.depth.get()} " blocks"</h2>
                    <div class="tensor-pair">
                        <Plot label="input cells feeding the centre through shift + 1×1 blocks" height=300.0 test_id="field-shift"
                            draw=move |area, style| {
                                area.fill(&style.ink.background).map_err(crate::draw::err)?;
                                maps.with(|r| match r { Ok((a, _)) => draw_map(area, a, &MapOptions { heat: true, numbers: true, caption: 24.0, max_cell: 36.0, ..MapOptions::default() }, style), Err(_) => Ok(()) })
                            } />
                        <Plot label="input cells feeding the centre through k×k convs" height=300.0 test_id="field-conv"
                            draw=move |area, style| {
                                area.fill(&style.ink.background).map_err(crate::draw::err)?;
                                maps.with(|r| match r { Ok((_, b)) => draw_map(area, b, &MapOptions { heat: true, numbers: true, caption: 24.0, max_cell: 36.0, ..MapOptions::default() }, style), Err(_) => Ok(()) })
                            } />
                    </div>
                    <p class="caption" data-testid="field-summary">
                        {move || maps.with(|r| r.as_ref().map(|(a, b)| format!(
                            "Both see {} input cells ({}\u{d7}{}); numbers are paths to the centre.",
                            a.fed(), a.bbox().map_or(0, |x| x.2), b.bbox().map_or(0, |x| x.3)
                        )).unwrap_or_else(|e| e.clone()))}
                    </p>
                </section>
            </Figure>
            <Controls slot>
                <h2>"The shift"</h2>
                <Slider value=s.k symbol="k" meaning="shift window (k\u{b2} directions)" allowed=Signal::derive(|| KERNELS.to_vec()) max=5usize test_id="slider-k" />
                <Slider value=s.per_group symbol="m" meaning="channels per group" min=PER_GROUP.0 max=PER_GROUP.1 test_id="slider-m" />
                <h3>"Input"</h3>
                <InputPicker state=s.input test_id="input-picker" />
                <h2>"The comparison"</h2>
                <Slider value=s.depth symbol="n" meaning="blocks stacked" min=DEPTH.0 max=DEPTH.1 test_id="slider-depth" />
                <Slider value=s.channels symbol="C" meaning="channels" min=CHANNELS.0 max=CHANNELS.1 test_id="slider-C" />
                <Slider value=s.map_side symbol="H" meaning="map side (H = W)" min=MAP_SIDE.0 max=MAP_SIDE.1 test_id="slider-H" />
            </Controls>
            <Cost slot>
                <h2>"(shift + 1\u{d7}1) vs " {move || format!("{0}\u{d7}{0}", s.k.get())} " conv, same depth"</h2>
                <table class="numbers" tabindex="0" data-testid="compare-table" style="border-collapse:separate;border-spacing:.9rem .25rem;text-align:right;font-variant-numeric:tabular-nums">
                    <thead><tr>
                        <th>"depth"</th><th>"field, shift"</th><th>"field, conv"</th>
                        <th>"params, shift + 1\u{d7}1"</th><th>"params, conv"</th>
                        <th>"MACs, shift + 1\u{d7}1"</th><th>"MACs, conv"</th><th>"elements moved"</th>
                    </tr></thead>
                    <tbody>
                        {move || rows.with(|r| match r {
                            Ok(rows) => rows.iter().map(|r| view! {
                                <tr data-testid=format!("compare-{}", r.depth)>
                                    <td>{r.depth}</td>
                                    <td data-testid=format!("rf-shift-{}", r.depth)>{r.rf_shift}</td>
                                    <td data-testid=format!("rf-conv-{}", r.depth)>{r.rf_conv}</td>
                                    <td>{r.params_shift}</td><td>{r.params_conv}</td>
                                    <td>{r.macs_shift}</td><td>{r.macs_conv}</td><td>{r.moved_shift}</td>
                                </tr>
                            }).collect_view().into_any(),
                            Err(e) => view! { <tr><td colspan="8" class="error">{e.clone()}</td></tr> }.into_any(),
                        })}
                    </tbody>
                </table>
                <p class="caption">"Parameters count each conv with its bias (the lecture\u{2019}s convention); a shift has none and does no multiply\u{2013}adds, it only moves C\u{b7}H\u{b7}W elements."</p>
            </Cost>
            <SlideSays slot>
                <p>"The slide says shifting lets \u{201c}different locations\u{2019} features communicate\u{201d}: a shift alone moves each channel, the 1\u{d7}1 conv after it is what combines the k\u{b2} directions \u{2014} so one (shift + 1\u{d7}1) block grows the field by k\u{2212}1, exactly as a k\u{d7}k conv does."</p>
            </SlideSays>
        </LessonLayout>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_card_shows_every_group() {
        // The card's thumbnail at 1280 px (294×164 CSS px) and on a phone.
        for (w, h) in [(294u32, 164u32), (342, 192)] {
            let st = ShiftState::default();
            let x = render(&st.input, 1, 10, 10).unwrap();
            let m = shift_model(&st, &x).unwrap();
            let svg = crate::draw::to_svg(w, h, |a| {
                draw_groups(a, &m.view, st.groups(), &Style::default())
            })
            .unwrap();
            let bottom = draw::tests::lowest_edge(&svg);
            assert!(
                bottom <= f64::from(h) + 1.0,
                "{w}×{h}: a panel ends at {bottom}"
            );
        }
    }
}
