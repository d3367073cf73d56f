//! The morph between group counts: standard → group → depthwise.
//!
//! The tween itself is pure ([`Tween`]); [`MorphAnimator`] drives it with
//! `requestAnimationFrame`, cancels its frame on cleanup, and jumps straight
//! to the final frame when the reader prefers reduced motion. The frame is
//! also exposed for scrubbing (the page's "morph" slider).

use std::sync::{Arc, Mutex};

use leptos::prelude::*;

use super::draw::Morph;
use crate::widgets::surface::prefers_reduced_motion;

/// Duration of one morph.
pub const MORPH_MS: f64 = 700.0;

/// A tween from `from` groups to `to` groups that started at `start_ms`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tween {
    /// Groups at the start.
    pub from: usize,
    /// Groups at the end.
    pub to: usize,
    /// Start time (ms, `performance.now()`).
    pub start_ms: f64,
    /// Duration (ms).
    pub duration_ms: f64,
}

impl Tween {
    /// Progress at `now_ms`, clamped to `[0, 1]`.
    pub fn progress(&self, now_ms: f64) -> f64 {
        if self.duration_ms <= 0.0 {
            1.0
        } else {
            ((now_ms - self.start_ms) / self.duration_ms).clamp(0.0, 1.0)
        }
    }

    /// The frame to draw at `now_ms` for `c` inputs and `n` outputs.
    pub fn frame(&self, c: usize, n: usize, now_ms: f64) -> Morph {
        Morph {
            c,
            n,
            from: self.from,
            to: self.to,
            t: self.progress(now_ms),
        }
    }

    /// Whether the tween has reached its end at `now_ms`.
    pub fn done(&self, now_ms: f64) -> bool {
        self.progress(now_ms) >= 1.0
    }
}

/// The tween that continues from the frame on screen to `to` groups: it
/// starts from whichever end the current frame is closer to, so a slider
/// dragged quickly never jumps backwards.
pub fn retarget(current: &Morph, to: usize, now_ms: f64, duration_ms: f64) -> Tween {
    let from = if current.t >= 0.5 {
        current.to
    } else {
        current.from
    };
    Tween {
        from,
        to,
        start_ms: now_ms,
        duration_ms: if from == to { 0.0 } else { duration_ms },
    }
}

fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Drives [`Morph`] frames into `frame` whenever `(c, n, m)` changes.
pub struct MorphAnimator;

impl MorphAnimator {
    /// Starts watching `target` (C, N, M) and writes frames into `frame`;
    /// `playing` false holds the morph at its final frame. The pending
    /// animation frame is cancelled when the owner is cleaned up.
    pub fn start(target: Memo<(usize, usize, usize)>, frame: RwSignal<Morph>) {
        let handle: Arc<Mutex<Option<AnimationFrameRequestHandle>>> = Arc::new(Mutex::new(None));
        let cancel = {
            let handle = Arc::clone(&handle);
            move || {
                if let Ok(mut h) = handle.lock() {
                    if let Some(h) = h.take() {
                        h.cancel();
                    }
                }
            }
        };
        let on_change = {
            let handle = Arc::clone(&handle);
            let cancel = cancel.clone();
            move |(c, n, m): (usize, usize, usize)| {
                cancel();
                let Some(current) = frame.try_get_untracked() else {
                    return;
                };
                if current.c != c || current.n != n || prefers_reduced_motion() {
                    frame.try_set(Morph::still(c, n, m));
                    return;
                }
                let tween = retarget(&current, m, now_ms(), MORPH_MS);
                step(tween, c, n, frame, Arc::clone(&handle));
            }
        };
        Effect::new(move |_| {
            on_change(target.get());
        });
        on_cleanup(cancel);
    }
}

fn step(
    tween: Tween,
    c: usize,
    n: usize,
    frame: RwSignal<Morph>,
    handle: Arc<Mutex<Option<AnimationFrameRequestHandle>>>,
) {
    let now = now_ms();
    if frame.try_set(tween.frame(c, n, now)).is_some() {
        // The signal was disposed: the page is gone.
        return;
    }
    if tween.done(now) {
        return;
    }
    let next = Arc::clone(&handle);
    let requested = request_animation_frame_with_handle(move || step(tween, c, n, frame, next));
    if let (Ok(h), Ok(mut slot)) = (requested, handle.lock()) {
        *slot = Some(h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tween_progress_is_clamped_and_ends() {
        let t = Tween {
            from: 1,
            to: 4,
            start_ms: 100.0,
            duration_ms: 200.0,
        };
        assert_eq!(t.progress(0.0), 0.0);
        assert_eq!(t.progress(200.0), 0.5);
        assert_eq!(t.progress(900.0), 1.0);
        assert!(!t.done(250.0));
        assert!(t.done(300.0));
        assert_eq!(t.frame(8, 8, 200.0).t, 0.5);
    }

    #[test]
    fn retarget_continues_from_the_nearer_end() {
        let mid = Morph {
            c: 8,
            n: 8,
            from: 1,
            to: 2,
            t: 0.7,
        };
        let t = retarget(&mid, 4, 10.0, 500.0);
        assert_eq!((t.from, t.to), (2, 4));
        let early = Morph { t: 0.2, ..mid };
        assert_eq!(retarget(&early, 4, 10.0, 500.0).from, 1);
        // No change: finished at once.
        let still = Morph::still(8, 8, 4);
        assert!(retarget(&still, 4, 10.0, 500.0).done(10.0));
    }
}
