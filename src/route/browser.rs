//! The browser side of the URL state: reading the location, and writing a
//! lesson's state back with history.replaceState (debounced).

use super::query::{lesson_hash, Query, Route, STATE_EVENT};

/// The current location hash (`#/why?M=8`), or empty outside a browser.
pub fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page's own query string (`?embed=1` before the hash), parsed.
pub fn page_query() -> Query {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    Query::parse(&search)
}

/// Replaces the hash now with history.replaceState: no new history entry, no
/// reload, no `hashchange`. Errors (e.g. a sandboxed frame) are ignored: the
/// page keeps working, only the link stops following.
pub fn replace_hash_now(hash: &str) {
    let Some(w) = web_sys::window() else { return };
    if w.location().hash().ok().as_deref() == Some(hash) {
        return;
    }
    if let Ok(h) = w.history() {
        if h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash))
            .is_ok()
        {
            if let Ok(ev) = web_sys::Event::new(STATE_EVENT) {
                let _ = w.dispatch_event(&ev);
            }
        }
    }
}

thread_local! {
    /// The write waiting for its timer: (the hash when it was asked for, the hash to write).
    static PENDING: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

/// How long URL writes are collected before one replaceState (browsers throttle
/// frequent history calls, and a dragged slider fires many).
pub const WRITE_DELAY_MS: u64 = 150;

/// Replaces the hash after [`WRITE_DELAY_MS`]; later calls in that window win.
/// The write is dropped if the location changed meanwhile (a followed link, an
/// edited address): the page shown for the new location writes its own state,
/// and a stale write must not replace the link the reader just opened.
pub fn replace_hash(hash: String) {
    let base = current_hash();
    let already = PENDING.with(|p| p.borrow_mut().replace((base, hash)).is_some());
    if already {
        return;
    }
    leptos::prelude::set_timeout(
        flush_pending_hash,
        std::time::Duration::from_millis(WRITE_DELAY_MS),
    );
}

/// Applies the waiting debounced write now (if it still applies), so a reader
/// of the location — the embed snippet, a copied link — sees the state the page
/// shows even within [`WRITE_DELAY_MS`] of the last change.
pub fn flush_pending_hash() {
    if let Some((base, h)) = PENDING.with(|p| p.borrow_mut().take()) {
        if pending_write_applies(&base, &h, &current_hash()) {
            replace_hash_now(&h);
        }
    }
}

/// Whether a debounced write of `hash`, asked for at location `base`, still
/// applies at location `now`: only while the location is unchanged (and so
/// still on the page that asked for it).
pub fn pending_write_applies(base: &str, hash: &str, now: &str) -> bool {
    base == now && Route::parse(hash).id == Route::parse(now).id
}

/// Writes a lesson's state to the URL (debounced replaceState), keeping the
/// global keys (`theme`, `embed`) already there. Call it from an `Effect`
/// that reads the lesson's signals:
///
/// ```ignore
/// Effect::new(move |_| {
///     route::write_lesson_state("why", &[("M", m.get().to_string()), ("K", k.get().to_string())]);
/// });
/// ```
pub fn write_lesson_state(id: &str, pairs: &[(&str, String)]) {
    let current = Route::parse(&current_hash());
    if current.id != id {
        // The reader navigated away before this write ran.
        return;
    }
    replace_hash(lesson_hash(id, pairs, &current.query));
}

/// Sets (or with `None` removes) a global key in the current hash, keeping everything else.
pub fn write_global(key: &str, value: Option<&str>) {
    let current = Route::parse(&current_hash());
    let query = match value {
        Some(v) => current.query.with(key, v),
        None => current.query.without(key),
    };
    replace_hash_now(&Route::new(current.id, query).to_hash());
}
