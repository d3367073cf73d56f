//! [`InputPicker`]: the input a lesson convolves — built-in samples
//! generated in code (a handwritten-looking digit, edges, a checkerboard, a
//! small "photo"), seeded random, or a drawing made in a pixel editor — and
//! its short URL form ([`InputState::to_param`] / [`InputState::from_param`]).

use convlab_core::Tensor;
use leptos::prelude::*;

use crate::config::{limits, sizes};

mod pad;
mod samples;
mod state;
#[cfg(test)]
mod tests;

use pad::PixelEditor;
pub use samples::render;
pub use state::{decode_bitmap, encode_bitmap, Bitmap, InputState, Sample, LEVELS};

/// A memo of the picked input at `shape` (`[channels, height, width]`),
/// recomputed only when the state or the shape changes.
pub fn input_tensor(
    state: impl Into<Signal<InputState>>,
    shape: impl Into<Signal<[usize; 3]>>,
) -> Memo<Result<Tensor, convlab_core::Error>> {
    let state = state.into();
    let shape = shape.into();
    Memo::new(move |_| {
        let [c, h, w] = shape.get();
        state.with(|s| render(s, c, h, w))
    })
}

/// Buttons for the built-in samples, seeded random (with its seed) and a
/// 16 × 16 pixel editor (pen / eraser / clear; drag to draw, or arrow keys
/// and Space). The choice lives in `state`; use [`input_tensor`] for the
/// tensor and [`InputState::to_param`] for the URL.
#[component]
pub fn InputPicker(
    /// The chosen input.
    state: RwSignal<InputState>,
    /// `data-testid` of the wrapper.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let btn = format!("min-height:{}px;padding:0 0.8em", sizes::TOUCH_TARGET);
    let random = Memo::new(move |_| matches!(state.get(), InputState::Random(_)));
    let is_random = move || random.get();
    // Memos, so painting a pixel does not rebuild the editor.
    let drawing = Memo::new(move |_| matches!(state.get(), InputState::Drawn(_)));
    let is_drawn = move || drawing.get();
    let samples = Sample::ALL
        .into_iter()
        .map(|s| {
            let btn = btn.clone();
            view! {
                <button type="button" style=btn
                    aria-pressed=move || (state.get() == InputState::Sample(s)).to_string()
                    on:click=move |_| state.set(InputState::Sample(s))>
                    {s.label()}
                </button>
            }
        })
        .collect_view();
    let seed = move || match state.get() {
        InputState::Random(s) => s,
        _ => 0,
    };
    let to_draw = move |_| {
        if !drawing.get_untracked() {
            let start = render(
                &state.get_untracked(),
                1,
                limits::EDITOR_SIDE,
                limits::EDITOR_SIDE,
            )
            .map(|t| Bitmap::from_tensor(&t))
            .unwrap_or_else(|_| Bitmap::blank());
            state.set(InputState::Drawn(start));
        }
    };
    view! {
        <div class="cl-input-picker" data-testid=test_id role="group" aria-label="input"
            style="display:flex;flex-direction:column;gap:0.5em">
            <div style="display:flex;flex-wrap:wrap;gap:0.4em">
                {samples}
                <button type="button" style=btn.clone()
                    aria-pressed=move || is_random().to_string()
                    on:click=move |_| {
                        let next = match state.get_untracked() {
                            InputState::Random(s) => s.wrapping_add(1),
                            _ => 1,
                        };
                        state.set(InputState::Random(next));
                    }>
                    {move || if is_random() { format!("Random (seed {}) \u{21bb}", seed()) } else { "Random".to_string() }}
                </button>
                <button type="button" style=btn.clone() aria-pressed=move || is_drawn().to_string() on:click=to_draw>
                    "Draw"
                </button>
            </div>
            {move || is_drawn().then(|| view! { <PixelEditor state=state /> })}
        </div>
    }
}
