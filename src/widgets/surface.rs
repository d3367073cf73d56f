//! What the canvas widgets share: the theme, the box size (ResizeObserver),
//! HiDPI canvas fitting, drawing onto a canvas, pointer positions and the
//! reduced-motion preference.

use leptos::html;
use leptos::prelude::*;
use plotters::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, ResizeObserver, ResizeObserverEntry};

use super::canvas_out::CanvasOut;
use super::record::{keep, record, RecordArea};
use crate::config::Theme;
use crate::draw::{err, DrawResult};

/// The current page theme, provided by the shell with
/// `provide_context(ThemeContext(signal))`.
#[derive(Clone, Copy, Debug)]
pub struct ThemeContext(pub Signal<Theme>);

/// Hands a value of the shell (the theme, the hidden controls) to the page on
/// show, without the page subscribing to the shell's signal: one effect of the
/// shell copies each change into the current page's own signal, which goes
/// with the page. (A reactive node that subscribes to a long-lived signal
/// leaves a dead entry in its subscriber list when it is disposed — a 48–63
/// byte block per canvas and per control every time a page was rendered.)
pub struct Relay<T: Send + Sync + 'static> {
    source: Signal<T>,
    current: StoredValue<Option<RwSignal<T>>>,
}

impl<T: Send + Sync + 'static> Clone for Relay<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Relay<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Relay<T> {
    /// A relay of `source`; call in the shell (its effect lives as long as the
    /// calling owner).
    pub fn new(source: Signal<T>) -> Self {
        let relay = Relay {
            source,
            current: StoredValue::new(None),
        };
        Effect::new(move |_| {
            let v = source.get();
            if let Some(page) = relay.current.try_get_value().flatten() {
                if page.try_with_untracked(|p| *p != v).unwrap_or(false) {
                    page.try_set(v);
                }
            }
        });
        relay
    }

    /// The value for a new page: a signal owned by the calling (page) owner,
    /// kept current by the shell until the next page takes over.
    pub fn for_page(&self) -> Signal<T> {
        let page = RwSignal::new(self.source.get_untracked());
        self.current.set_value(Some(page));
        page.into()
    }
}

/// The theme named by `data-theme` on `<html>` (light when absent or unknown).
pub fn dom_theme() -> Theme {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-theme"))
        .and_then(|n| Theme::from_name(&n))
        .unwrap_or_default()
}

/// The theme to draw with: the shell's [`ThemeContext`] (reactive), else
/// `data-theme` read at each draw.
pub fn use_theme() -> Signal<Theme> {
    match use_context::<ThemeContext>() {
        Some(ThemeContext(t)) => t,
        None => Signal::derive(dom_theme),
    }
}

/// `window.devicePixelRatio` (1 when unavailable), capped at 4.
pub fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or(1.0)
        .min(4.0)
}

/// Whether the user asked for reduced motion.
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .map(|m| m.matches())
        .unwrap_or(false)
}

/// The content width of `target` in CSS px, kept current by a
/// ResizeObserver that is disconnected when the calling component unmounts.
///
/// It is 0 until the observer's first report, which comes in the rendering
/// step of the next frame, after layout and before paint: reading the width
/// at mount instead (`clientWidth`) forced a layout per widget, each after
/// the previous one had resized its canvas.
pub fn observe_width(target: NodeRef<html::Div>) -> ReadSignal<f64> {
    let width = RwSignal::new(0.0f64);
    type Obs = Option<(ResizeObserver, Closure<dyn FnMut(js_sys::Array)>)>;
    let observer: StoredValue<Obs, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(el) = target.get() else { return };
        if observer.try_with_value(|o| o.is_some()).unwrap_or(true) {
            return;
        }
        let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Ok(entry) = entries.get(0).dyn_into::<ResizeObserverEntry>() {
                let w = entry.content_rect().width();
                // Whole pixels only, so sub-pixel jitter does not redraw.
                let w = w.floor();
                if width.try_get_untracked() != Some(w) {
                    width.try_set(w);
                }
            }
        });
        if let Ok(obs) = ResizeObserver::new(cb.as_ref().unchecked_ref()) {
            obs.observe(&el);
            observer.set_value(Some((obs, cb)));
        }
    });
    on_cleanup(move || {
        observer.try_update_value(|o| {
            if let Some((obs, _cb)) = o.take() {
                obs.disconnect();
            }
        });
    });
    width.read_only()
}

/// Sizes the canvas backing store to `css_w × css_h` CSS px times the device
/// pixel ratio (only when it changed); returns the ratio used. The canvas is
/// shown `css_w` px wide (at most its box): stretched to a box a fraction of
/// a pixel wider, it would be resampled — blurred, with seams.
pub fn fit_canvas(canvas: &HtmlCanvasElement, css_w: f64, css_h: f64) -> f64 {
    let dpr = device_pixel_ratio();
    let w = (css_w.max(0.0) * dpr).round() as u32;
    let h = (css_h.max(0.0) * dpr).round() as u32;
    if canvas.width() != w {
        canvas.set_width(w);
        let style = web_sys::HtmlElement::style(canvas);
        let _ = style.set_property("width", &format!("{}px", css_w.max(0.0)));
        let _ = style.set_property("max-width", "100%");
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    dpr
}

/// Runs `draw` on a plotters area covering the whole canvas: the drawing is
/// recorded, replayed on the canvas and kept for export (SVG of any figure,
/// see [`super::record`]).
///
/// # Errors
/// No 2-D context, or what `draw` returns.
pub fn draw_on_canvas(
    canvas: &HtmlCanvasElement,
    draw: impl FnOnce(&RecordArea) -> DrawResult,
) -> DrawResult {
    let mut backend = CanvasOut::new(canvas).ok_or("this browser gave no 2-D canvas context")?;
    let rec = record((canvas.width(), canvas.height()), draw)?;
    backend.ensure_prepared().map_err(err)?;
    rec.replay_on_canvas(&mut backend)?;
    backend.present().map_err(err)?;
    keep(canvas, rec);
    Ok(())
}

/// The pointer position of `ev` relative to `el`'s top-left corner, in CSS px.
pub fn local_pos(ev: &web_sys::MouseEvent, el: &web_sys::Element) -> (f64, f64) {
    let r = el.get_bounding_client_rect();
    (
        ev.client_x() as f64 - r.left(),
        ev.client_y() as f64 - r.top(),
    )
}
