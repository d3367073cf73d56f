//! Figures away from the view wait while the reader works a control.
//!
//! A slider move changes the data of every figure that depends on it, but
//! the reader sees only those on the screen. A figure whose canvas is far
//! from the view (an IntersectionObserver with a margin of [`MARGIN_PX`]) is
//! not redrawn on each move: its drawing effect returns early and the figure
//! is marked stale. Stale figures are drawn
//!
//! - as soon as they come near the view (scrolling, a resize, `hide=`), and
//! - once the reader has left the controls alone for [`IDLE_MS`], one figure
//!   per task so no long task blocks the next move, and
//! - at once before anything reads the canvases: the export menu opening,
//!   a GIF recording ([`hold`]), printing.
//!
//! A new figure is placed when it is first asked, after its first layout
//! (its width comes from a ResizeObserver, whose first report comes after
//! layout): near the view it is drawn at once, in the page's first frame;
//! further away at the next settle, so the first frame of a page is not held
//! up by figures below the fold. The observer's reports take over from there.
//!
//! A canvas widget asks its [`Gate`] at the top of its drawing effect:
//!
//! ```ignore
//! let gate = defer::use_gate(canvas_ref);
//! Effect::new(move |_| {
//!     if width.get() <= 0.0 || !gate.open() { return; }   // reads no data
//!     /* read the data signals and draw */
//! });
//! ```
//!
//! An effect that returns early reads none of its data, so further changes
//! cost nothing until the figure is drawn again. Until [`enable`] is called
//! (the app does at start) every gate is always open.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, IntersectionObserver, IntersectionObserverEntry};

/// How far above or below the view a canvas still counts as near, in CSS
/// px: a wheel step or two, so a scrolled-in figure is drawn before it shows.
pub const MARGIN_PX: f64 = 96.0;

/// How long the controls must be left alone before stale figures are drawn.
pub const IDLE_MS: f64 = 160.0;

/// The attribute that links a canvas to its gate.
pub const GATE_ATTR: &str = "data-gate";

/// What one figure's gate knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    /// Near the view, as the observer last said (or as its box said when it
    /// was first asked).
    near: bool,
    /// Whether `near` is known yet.
    known: bool,
    /// Its data may have changed since it was last drawn.
    stale: bool,
    /// Drawn once more although away from the view (settling, flushing).
    pass: bool,
}

/// What the next settle step should do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Settle {
    /// The reader is still at the controls: look again in this many ms.
    Wait(f64),
    /// Draw this stale figure now (its effect will be let through once).
    Draw(u32),
    /// Nothing is stale.
    Done,
}

/// The bookkeeping of every gate, apart from the browser.
#[derive(Debug, Default)]
pub struct Book {
    enabled: bool,
    gates: BTreeMap<u32, Entry>,
    next: u32,
    held: u32,
    last_input: f64,
}

impl Book {
    /// A new gate, not yet placed: see [`Book::known`].
    pub fn add(&mut self) -> u32 {
        self.next = self.next.wrapping_add(1);
        let id = self.next;
        self.gates.insert(
            id,
            Entry {
                near: false,
                known: false,
                stale: false,
                pass: false,
            },
        );
        id
    }

    /// Whether the figure has been placed (by the observer or by its box);
    /// until then it counts as away from the view.
    pub fn known(&self, id: u32) -> bool {
        self.gates.get(&id).is_none_or(|e| e.known)
    }

    /// Forgets a gate (its figure left the page).
    pub fn remove(&mut self, id: u32) {
        self.gates.remove(&id);
    }

    /// Turns deferring on (off, every gate is open).
    pub fn enable(&mut self, on: bool) {
        self.enabled = on;
    }

    /// Asked by a figure's drawing effect: whether to draw now. A figure away
    /// from the view is marked stale instead (while deferring is on, no
    /// [`Book::hold`] is held and no pass was given).
    pub fn may_draw(&mut self, id: u32) -> bool {
        let enabled = self.enabled;
        let held = self.held > 0;
        let Some(e) = self.gates.get_mut(&id) else {
            return true;
        };
        if !enabled || held || e.near || e.pass {
            e.stale = false;
            e.pass = false;
            true
        } else {
            e.stale = true;
            false
        }
    }

    /// The observer saw the figure come near the view or leave it. Returns
    /// whether its effect must run again (it came near, stale).
    pub fn seen(&mut self, id: u32, near: bool) -> bool {
        match self.gates.get_mut(&id) {
            Some(e) => {
                e.near = near;
                e.known = true;
                near && e.stale
            }
            None => false,
        }
    }

    /// The reader used a control at `now` (ms).
    pub fn input(&mut self, now: f64) {
        self.last_input = now;
    }

    /// Whether any figure is stale.
    pub fn any_stale(&self) -> bool {
        self.gates.values().any(|e| e.stale)
    }

    /// One settle step at `now` (ms): wait while the reader is at the
    /// controls, else let the first stale figure through.
    pub fn settle(&mut self, now: f64) -> Settle {
        let quiet = now - self.last_input;
        let Some((id, e)) = self.gates.iter_mut().find(|(_, e)| e.stale && !e.pass) else {
            return Settle::Done;
        };
        if quiet < IDLE_MS {
            return Settle::Wait((IDLE_MS - quiet).max(1.0));
        }
        e.pass = true;
        Settle::Draw(*id)
    }

    /// Lets every stale figure through now; returns their ids.
    pub fn flush(&mut self) -> Vec<u32> {
        self.gates
            .iter_mut()
            .filter(|(_, e)| e.stale)
            .map(|(id, e)| {
                e.pass = true;
                *id
            })
            .collect()
    }

    /// Every figure draws while held (GIF recording): returns the stale ones
    /// to draw now.
    pub fn hold(&mut self) -> Vec<u32> {
        self.held += 1;
        self.flush()
    }

    /// Ends one [`Book::hold`].
    pub fn release(&mut self) {
        self.held = self.held.saturating_sub(1);
    }
}

thread_local! {
    static BOOK: RefCell<Book> = RefCell::default();
    static KICKS: RefCell<BTreeMap<u32, ArcTrigger>> = RefCell::default();
    static OBSERVER: RefCell<Option<IntersectionObserver>> = const { RefCell::new(None) };
    static SETTLING: Cell<bool> = const { Cell::new(false) };
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Re-runs the drawing effects of `ids`.
fn kick(ids: &[u32]) {
    let triggers: Vec<ArcTrigger> = KICKS.with(|k| {
        ids.iter()
            .filter_map(|id| k.borrow().get(id).cloned())
            .collect()
    });
    for t in triggers {
        t.notify();
    }
}

/// Starts the settle steps unless they are running.
fn schedule_settle(delay_ms: f64) {
    if SETTLING.with(|s| s.replace(true)) {
        return;
    }
    set_timeout(settle_step, Duration::from_millis(delay_ms.max(0.0) as u64));
}

fn settle_step() {
    SETTLING.with(|s| s.set(false));
    let step = BOOK.with(|b| b.borrow_mut().settle(now()));
    match step {
        Settle::Done => {}
        Settle::Wait(ms) => schedule_settle(ms),
        Settle::Draw(id) => {
            kick(&[id]);
            // The next figure in a task of its own, after this one's effect.
            schedule_settle(0.0);
        }
    }
}

/// Draws every stale figure now (before the export menu reads canvases).
pub fn flush() {
    let ids = BOOK.with(|b| b.borrow_mut().flush());
    kick(&ids);
}

/// While a `Hold` lives every figure draws as if on the screen.
#[must_use = "the figures draw only while the hold lives"]
pub struct Hold(());

impl Drop for Hold {
    fn drop(&mut self) {
        BOOK.with(|b| b.borrow_mut().release());
    }
}

/// Every figure draws, near the view or not, until the returned guard drops
/// (a GIF recording steps an animation and reads its canvases).
pub fn hold() -> Hold {
    let ids = BOOK.with(|b| b.borrow_mut().hold());
    kick(&ids);
    Hold(())
}

fn listen(target: &web_sys::EventTarget, event: &str, f: &Closure<dyn FnMut(web_sys::Event)>) {
    let opts = web_sys::AddEventListenerOptions::new();
    opts.set_capture(true);
    opts.set_passive(true);
    let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
        event,
        f.as_ref().unchecked_ref(),
        &opts,
    );
}

/// Turns deferring on for the whole app (once, at start): the observer,
/// the reader's input activity and printing. Without an observer (an old
/// browser) every gate stays open.
pub fn enable() {
    if OBSERVER.with(|o| o.borrow().is_some()) {
        BOOK.with(|b| b.borrow_mut().enable(true));
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let seen = Closure::<dyn FnMut(js_sys::Array)>::new(|entries: js_sys::Array| {
        let mut wake = Vec::new();
        BOOK.with(|b| {
            let mut b = b.borrow_mut();
            for entry in entries.iter() {
                let Ok(entry) = entry.dyn_into::<IntersectionObserverEntry>() else {
                    continue;
                };
                let id = entry
                    .target()
                    .get_attribute(GATE_ATTR)
                    .and_then(|v| v.parse::<u32>().ok());
                if let Some(id) = id {
                    if b.seen(id, entry.is_intersecting()) {
                        wake.push(id);
                    }
                }
            }
        });
        // Coming near lets the figure through (`near` is set).
        kick(&wake);
    });
    let init = web_sys::IntersectionObserverInit::new();
    init.set_root_margin(&format!("{MARGIN_PX}px 0px"));
    let Ok(observer) = IntersectionObserver::new_with_options(seen.as_ref().unchecked_ref(), &init)
    else {
        return;
    };
    // Both live as long as the page: one observer and one set of listeners.
    seen.forget();
    OBSERVER.with(|o| *o.borrow_mut() = Some(observer));

    let busy = Closure::<dyn FnMut(web_sys::Event)>::new(|_: web_sys::Event| {
        BOOK.with(|b| b.borrow_mut().input(now()));
    });
    for event in [
        "input",
        "keydown",
        "pointerdown",
        "pointermove",
        "wheel",
        "touchmove",
    ] {
        listen(&window, event, &busy);
    }
    busy.forget();
    let print = Closure::<dyn FnMut(web_sys::Event)>::new(|_: web_sys::Event| flush());
    listen(&window, "beforeprint", &print);
    print.forget();
    BOOK.with(|b| b.borrow_mut().enable(true));
}

/// Turns deferring off again (every gate open; stale figures draw now). The
/// observer stays, so [`enable`] turns it back on.
pub fn disable() {
    BOOK.with(|b| b.borrow_mut().enable(false));
    flush();
}

/// A figure's gate: ask [`Gate::open`] at the top of its drawing effect.
#[derive(Clone, Copy, Debug)]
pub struct Gate {
    id: u32,
    el: StoredValue<Option<HtmlCanvasElement>, LocalStorage>,
}

/// Whether `c`'s box is within [`MARGIN_PX`] of the view (a box with no
/// width, under `display: none`, is not).
fn near_view(c: &HtmlCanvasElement) -> bool {
    let r = c.get_bounding_client_rect();
    let vh = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    r.width() > 0.0 && r.bottom() > -MARGIN_PX && r.top() < vh + MARGIN_PX
}

impl Gate {
    /// Whether to draw now. Tracks the gate, so the effect runs again when
    /// the figure is to be drawn; when `false` the figure is stale and the
    /// effect should return without reading its data.
    pub fn open(&self) -> bool {
        // First asked (after its first layout): placed by its box.
        if !BOOK.with(|b| b.borrow().known(self.id)) {
            if let Some(near) = self
                .el
                .try_with_value(|c| c.as_ref().map(near_view))
                .flatten()
            {
                BOOK.with(|b| b.borrow_mut().seen(self.id, near));
            }
        }
        KICKS.with(|k| {
            if let Some(t) = k.borrow().get(&self.id) {
                t.track();
            }
        });
        let open = BOOK.with(|b| b.borrow_mut().may_draw(self.id));
        if !open {
            schedule_settle(IDLE_MS);
        }
        open
    }
}

/// The gate of the figure drawn on `canvas`: observed once the canvas is in
/// the page, forgotten when the calling component unmounts.
pub fn use_gate(canvas: NodeRef<html::Canvas>) -> Gate {
    let id = BOOK.with(|b| b.borrow_mut().add());
    KICKS.with(|k| k.borrow_mut().insert(id, ArcTrigger::new()));
    let watched: StoredValue<Option<HtmlCanvasElement>, LocalStorage> =
        StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(c) = canvas.get() else { return };
        if watched.try_with_value(|w| w.is_some()).unwrap_or(true) {
            return;
        }
        let _ = c.set_attribute(GATE_ATTR, &id.to_string());
        OBSERVER.with(|o| {
            if let Some(o) = o.borrow().as_ref() {
                o.observe(&c);
            }
        });
        watched.set_value(Some(c));
    });
    on_cleanup(move || {
        BOOK.with(|b| b.borrow_mut().remove(id));
        KICKS.with(|k| k.borrow_mut().remove(&id));
        if let Some(Some(c)) = watched.try_update_value(|w| w.take()) {
            OBSERVER.with(|o| {
                if let Some(o) = o.borrow().as_ref() {
                    o.unobserve(&c);
                }
            });
        }
    });
    Gate { id, el: watched }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Book {
        let mut b = Book::default();
        b.enable(true);
        b
    }

    #[test]
    fn off_every_gate_is_open() {
        let mut b = Book::default();
        let id = b.add();
        b.seen(id, false);
        assert!(b.may_draw(id));
        assert!(!b.any_stale());
        // An unknown gate never blocks a figure.
        assert!(book().may_draw(99));
    }

    #[test]
    fn a_new_figure_is_away_until_placed() {
        let mut b = book();
        let (a, c) = (b.add(), b.add());
        assert!(!b.known(a) && !b.known(c));
        assert!(!b.may_draw(a));
        assert!(!b.may_draw(c));
        assert!(b.seen(a, true), "found near: drawn");
        assert!(b.may_draw(a));
        assert!(!b.seen(c, false), "found away: waits");
        assert!(b.known(a) && b.known(c));
        assert_eq!(b.settle(1e6), Settle::Draw(c));
        assert!(b.may_draw(c));
    }

    #[test]
    fn a_figure_near_the_view_draws_every_time() {
        let mut b = book();
        let id = b.add();
        b.seen(id, true);
        assert!(b.may_draw(id));
        assert!(b.may_draw(id));
        assert!(b.may_draw(id));
        assert_eq!(b.settle(1e6), Settle::Done);
    }

    #[test]
    fn a_figure_away_is_stale_until_it_comes_near() {
        let mut b = book();
        let id = b.add();
        assert!(!b.seen(id, false), "leaving does not wake it");
        assert!(!b.may_draw(id));
        assert!(b.any_stale());
        assert!(b.seen(id, true), "coming near stale wakes it");
        assert!(b.may_draw(id));
        assert!(!b.any_stale());
        // Coming near while fresh does not redraw.
        b.seen(id, false);
        assert!(!b.seen(id, true));
    }

    #[test]
    fn settling_waits_for_the_reader_then_draws_one_at_a_time() {
        let mut b = book();
        let (a, c, near) = (b.add(), b.add(), b.add());
        b.seen(a, false);
        b.seen(c, false);
        b.seen(near, true);
        b.input(1000.0);
        assert!(!b.may_draw(a));
        assert!(!b.may_draw(c));
        assert!(b.may_draw(near));
        // Still at the controls: wait the rest of the idle time.
        assert_eq!(b.settle(1100.0), Settle::Wait(IDLE_MS - 100.0));
        b.input(1150.0);
        assert_eq!(b.settle(1200.0), Settle::Wait(IDLE_MS - 50.0));
        // Idle: one figure per step, each let through once.
        let t = 1150.0 + IDLE_MS;
        assert_eq!(b.settle(t), Settle::Draw(a));
        assert!(b.may_draw(a));
        assert_eq!(b.settle(t), Settle::Draw(c));
        assert_eq!(
            b.settle(t),
            Settle::Done,
            "c's pass is pending, not stale again"
        );
        assert!(b.may_draw(c));
        assert_eq!(b.settle(t), Settle::Done);
        // The pass is used up: the next change while away is stale again.
        assert!(!b.may_draw(a));
        assert_eq!(b.settle(t + 1.0), Settle::Draw(a));
    }

    #[test]
    fn flushing_and_holding_let_every_figure_through() {
        let mut b = book();
        let (a, c) = (b.add(), b.add());
        b.seen(a, false);
        b.seen(c, false);
        assert!(!b.may_draw(a));
        assert_eq!(b.flush(), vec![a]);
        assert!(b.may_draw(a));
        assert!(!b.may_draw(a));
        let now_stale = b.hold();
        assert_eq!(now_stale, vec![a]);
        assert!(b.may_draw(a));
        assert!(b.may_draw(c), "held: drawn although away");
        assert!(b.may_draw(c));
        b.release();
        assert!(!b.may_draw(c));
        b.release();
        assert!(
            !b.may_draw(c),
            "an extra release does not underflow into a hold"
        );
    }

    #[test]
    fn a_removed_gate_is_forgotten() {
        let mut b = book();
        let id = b.add();
        b.seen(id, false);
        assert!(!b.may_draw(id));
        b.remove(id);
        assert!(!b.any_stale());
        assert_eq!(b.settle(1e6), Settle::Done);
        assert!(!b.seen(id, true));
    }
}
