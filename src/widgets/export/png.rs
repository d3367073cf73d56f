//! PNG export: a figure's canvas, or its recording replayed at twice its
//! CSS size or more, encoded by the browser and offered as a download.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::download::{download_blob, js_err};
use crate::widgets::record::recording_of;

/// A 2-D context of `canvas`.
pub(super) fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| "this browser gave no 2-D canvas context".to_string())
}

pub(super) fn new_canvas(w: u32, h: u32) -> Result<HtmlCanvasElement, String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let c: HtmlCanvasElement = doc
        .create_element("canvas")
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "no canvas element".to_string())?;
    c.set_width(w);
    c.set_height(h);
    Ok(c)
}

/// The canvas to save as PNG: the figure itself when its backing store is
/// at least twice its CSS size, else its recording replayed at a scale
/// that makes it so (vector-sharp).
fn hidpi(canvas: &HtmlCanvasElement) -> Result<HtmlCanvasElement, String> {
    let ratio = canvas.width() as f64 / canvas.client_width().max(1) as f64;
    let Some(rec) = recording_of(canvas) else {
        return Ok(canvas.clone());
    };
    if ratio >= 2.0 {
        return Ok(canvas.clone());
    }
    let f = (2.0 / ratio.max(0.25)).ceil().clamp(1.0, 8.0);
    let (w, h) = rec.size();
    let out = new_canvas((w as f64 * f) as u32, (h as f64 * f) as u32)?;
    let ctx = context(&out)?;
    ctx.scale(f, f).map_err(js_err)?;
    let mut backend = crate::widgets::canvas_out::CanvasOut::new(&out)
        .ok_or("this browser gave no 2-D canvas context")?;
    rec.replay(&mut backend)?;
    Ok(out)
}

/// Saves `canvas` as `name` (PNG, asynchronously).
pub(super) fn save_png(
    canvas: &HtmlCanvasElement,
    name: String,
    status: RwSignal<String>,
) -> Result<(), String> {
    let out = hidpi(canvas)?;
    let (w, h) = (out.width(), out.height());
    let cb = Closure::once_into_js(move |blob: JsValue| {
        let msg = match blob.dyn_into::<web_sys::Blob>() {
            Ok(b) => match download_blob(&name, &b) {
                Ok(()) => format!("Saved {name} ({w}\u{d7}{h} px)."),
                Err(e) => js_err(e),
            },
            Err(_) => "The browser could not encode the PNG.".to_string(),
        };
        status.try_set(msg);
    });
    out.to_blob(cb.unchecked_ref()).map_err(js_err)
}
