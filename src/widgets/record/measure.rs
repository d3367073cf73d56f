//! Text measurement on one detached 2-D canvas context, with a cache.

use std::cell::RefCell;
use std::collections::HashMap;

use plotters_backend::FontStyle;
use wasm_bindgen::JsCast;

/// Cached sizes are dropped wholesale past this many entries.
const CACHE_LIMIT: usize = 2048;

thread_local! {
    static CONTEXT: Option<web_sys::CanvasRenderingContext2d> = context();
    /// Keyed by a 64-bit hash of (font, text) and allocated once at its full size: an
    /// entry allocates nothing and the table never grows, so a cache filling up over a
    /// lecture (every frame's and every slider value's labels are new text) neither adds
    /// live heap blocks nor moves the wasm memory's high-water mark.
    static CACHE: RefCell<HashMap<u64, (u32, u32)>> =
        RefCell::new(HashMap::with_capacity(CACHE_LIMIT));
}

fn key(text: &str, family: &str, style: FontStyle, size: f64) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    (style.as_str(), size.to_bits(), family, text).hash(&mut h);
    h.finish()
}

fn context() -> Option<web_sys::CanvasRenderingContext2d> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    let canvas = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?;
    let canvas: web_sys::HtmlCanvasElement = canvas.dyn_into().ok()?;
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// `(width, height)` in pixels of `text` in the CSS font built from
/// `family`, `style` and `size`; `None` where there is no canvas (native
/// tests) or the browser cannot measure.
pub fn text(text: &str, family: &str, style: FontStyle, size: f64) -> Option<(u32, u32)> {
    let key = key(text, family, style, size);
    if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).copied()) {
        return Some(hit);
    }
    let measured = CONTEXT.with(|ctx| {
        let ctx = ctx.as_ref()?;
        ctx.set_font(&format!("{} {}px {}", style.as_str(), size, family));
        let m = ctx.measure_text(text).ok()?;
        let h = m.font_bounding_box_ascent() + m.font_bounding_box_descent();
        let h = if h.is_finite() && h > 0.0 {
            h
        } else {
            size * 1.2
        };
        Some((m.width().max(0.0).round() as u32, h.round() as u32))
    })?;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(key, measured);
    });
    Some(measured)
}
