//! [`Player`]: play / pause / step / scrub / speed over a frame signal,
//! driven by requestAnimationFrame.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::playback::{advance, clamp_step, key_action, KeyAction, PlayerHandle, Players};
use super::surface::prefers_reduced_motion;
use crate::config::{limits, sizes};

type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Playback controls over `frame` (0‥frames−1): play/pause, step back,
/// step, a scrub bar and a speed choice. Animation uses
/// requestAnimationFrame and is cancelled when the player unmounts. With
/// `prefers-reduced-motion` there is no play button: the last frame is
/// shown and the step controls remain. Keys (with focus inside the player):
/// Space, ←/→, PageUp/PageDown, Home/End.
#[component]
pub fn Player(
    /// The current frame.
    frame: RwSignal<usize>,
    /// Number of frames.
    #[prop(into)]
    frames: Signal<usize>,
    /// Initial speed in frames per second.
    #[prop(default = 2.0)]
    fps: f64,
    /// What is being animated ("sliding window").
    #[prop(optional, into)]
    label: String,
    /// `data-testid` of the wrapper.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let reduced = prefers_reduced_motion();
    let playing = RwSignal::new(false);
    let speed = RwSignal::new(if fps.is_finite() && fps > 0.0 {
        fps
    } else {
        2.0
    });
    let handle = StoredValue::new(None::<i32>);
    let last_ts = StoredValue::new(None::<f64>);
    let carry = StoredValue::new(0.0f64);
    let callback: StoredValue<FrameCallback, LocalStorage> =
        StoredValue::new_local(Rc::new(RefCell::new(None)));

    // The shell's presenter keys and host messages drive the lesson's main player.
    if let Some(players) = use_context::<Players>() {
        players.register(PlayerHandle {
            frame,
            frames,
            playing,
            reduced,
        });
    }
    // `hide=player` (or the player's test id) in the URL hides the controls.
    let hidden = super::hide::use_hidden("player", test_id);

    if reduced {
        let n = frames.get_untracked();
        if n > 0 && frame.get_untracked() != n - 1 {
            frame.set(n - 1);
        }
    }

    let request = move || {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(cb) = callback.try_get_value() else {
            return;
        };
        let id = cb.borrow().as_ref().and_then(|c| {
            window
                .request_animation_frame(c.as_ref().unchecked_ref())
                .ok()
        });
        handle.try_set_value(id);
    };
    let cancel = move || {
        if let Some(Some(id)) = handle.try_get_value() {
            if let Some(w) = web_sys::window() {
                let _ = w.cancel_animation_frame(id);
            }
        }
        handle.try_set_value(None);
        last_ts.try_set_value(None);
    };

    // The frame callback: advance, then ask for the next frame while playing.
    if let Some(cb) = callback.try_get_value() {
        let tick = Closure::<dyn FnMut(f64)>::new(move |ts: f64| {
            handle.try_set_value(None);
            let (Some(true), Some(n), Some(f), Some(fps)) = (
                playing.try_get_untracked(),
                frames.try_get_untracked(),
                frame.try_get_untracked(),
                speed.try_get_untracked(),
            ) else {
                return;
            };
            let dt = last_ts.try_get_value().flatten().map_or(0.0, |t| ts - t);
            last_ts.try_set_value(Some(ts));
            let mut c = carry.try_get_value().unwrap_or(0.0);
            let (next, done) = advance(f, n, fps, dt, &mut c);
            carry.try_set_value(c);
            if next != f {
                frame.try_set(next);
            }
            if done {
                playing.try_set(false);
            } else {
                request();
            }
        });
        *cb.borrow_mut() = Some(tick);
    }

    Effect::new(move |_| {
        if playing.get() {
            if handle.get_value().is_none() {
                last_ts.set_value(None);
                carry.set_value(0.0);
                request();
            }
        } else {
            cancel();
        }
    });

    on_cleanup(move || {
        cancel();
        // Break the closure's reference to itself.
        if let Some(cb) = callback.try_get_value() {
            cb.borrow_mut().take();
        }
    });

    let toggle = move || {
        if reduced {
            return;
        }
        let n = frames.get_untracked();
        if !playing.get_untracked() && n > 0 && frame.get_untracked() + 1 >= n {
            frame.set(0);
        }
        playing.update(|p| *p = !*p);
    };
    let step = move |d: isize| {
        playing.set(false);
        let v = clamp_step(frame.get_untracked(), d, frames.get_untracked());
        frame.set(v);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let tag = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|e| e.tag_name().to_ascii_uppercase())
            .unwrap_or_default();
        let Some(action) = key_action(&ev.key()) else {
            return;
        };
        // Native controls keep their own keys (Space on a button clicks it,
        // arrows move a range input or a select).
        let native = match action {
            KeyAction::Toggle => tag == "BUTTON" || tag == "SELECT",
            KeyAction::Step(d) if d.abs() == 1 => tag == "INPUT" || tag == "SELECT",
            _ => tag == "SELECT",
        };
        if native {
            return;
        }
        ev.prevent_default();
        match action {
            KeyAction::Toggle => toggle(),
            KeyAction::Step(d) => step(d),
            KeyAction::First => step(isize::MIN / 2),
            KeyAction::Last => step(isize::MAX / 2),
        }
    };

    // The Export menu can record this animation as a GIF.
    super::export::register_animation(&label, frame, frames, speed.get_untracked());

    let btn = format!(
        "min-width:{0}px;min-height:{0}px;font-size:1.1em",
        sizes::TOUCH_TARGET
    );
    let group_label = if label.is_empty() {
        "animation controls".to_string()
    } else {
        format!("{label}: animation controls")
    };
    let max = move || frames.get().saturating_sub(1).to_string();
    let counter = move || crate::widgets::playback::frame_label(frame.get(), frames.get());
    let play_button = (!reduced).then(|| {
        let btn = btn.clone();
        view! {
            <button type="button" class="cl-play" style=btn
                aria-label=move || if playing.get() { "pause" } else { "play" }
                aria-pressed=move || playing.get().to_string()
                on:click=move |_| toggle()>
                {move || if playing.get() { view! { <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="currentColor"><path d="M3 2 H7 V14 H3 Z M9 2 H13 V14 H9 Z"/></svg> } } else { view! { <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="currentColor"><path d="M4 2 L14 8 L4 14 Z"/></svg> } }}
            </button>
        }
    });
    let speeds = limits::PLAYER_SPEEDS;
    view! {
        <div class="cl-player" role="group" aria-label=group_label data-testid=test_id
            on:keydown=on_key
            style="display:flex;flex-wrap:wrap;align-items:center;gap:0.5em"
            style:display=move || if hidden.get() { "none" } else { "flex" }>
            <button type="button" class="cl-step-back" style=btn.clone() aria-label="step back"
                on:click=move |_| step(-1)><svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="currentColor"><path d="M2 2 H4 V14 H2 Z M14 2 L5 8 L14 14 Z"/></svg></button>
            {play_button}
            <button type="button" class="cl-step" style=btn.clone() aria-label="step forward"
                on:click=move |_| step(1)><svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="currentColor"><path d="M12 2 H14 V14 H12 Z M2 2 L11 8 L2 14 Z"/></svg></button>
            <input type="range" class="cl-scrub" aria-label="frame"
                style=format!("flex:1 1 10em;min-height:{}px;margin:0", sizes::TOUCH_TARGET)
                prop:min="0" prop:max=max prop:step="1"
                prop:value=move || frame.get().to_string()
                aria-valuetext=counter
                on:input=move |ev| {
                    playing.set(false);
                    let v = event_target_value(&ev).parse::<usize>().unwrap_or(0);
                    frame.set(clamp_step(v, 0, frames.get_untracked()));
                }
            />
            <output style="min-width:9ch;font-variant-numeric:tabular-nums">{counter}</output>
            {(!reduced).then(|| view! {
                <label style="display:inline-flex;align-items:center;gap:0.3em">
                    "speed"
                    <select style=format!("min-height:{}px", sizes::TOUCH_TARGET)
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                speed.set(v);
                            }
                        }>
                        {speeds.into_iter().map(|s| view! {
                            <option value=s.to_string() selected=move || speed.get() == s>
                                {format!("{s} /s")}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
            })}
        </div>
    }
}
