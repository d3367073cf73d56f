//! The Export menu every lesson shows (from [`crate::lessons::layout`]):
//! PNG of any figure (at least twice its CSS size), SVG of any figure drawn
//! by a widget (replayed from its recording), an animated GIF of a
//! [`super::Player`]'s animation (the figure re-drawn at each step), CSV of
//! every table, and the PyTorch code of the current settings.
//!
//! Everything is found on the page when the menu opens, so a lesson needs
//! nothing beyond the shared widgets: canvases and tables in the lesson
//! `<article>`, animations registered by each Player through [`Exports`].
//! Files are offered with a Blob, an object URL and `<a download>`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement};

use super::gif::{caps, fit_size, palette, sample_frames, GifWriter};
use super::record::recording_of;
use super::surface::use_theme;
use crate::route::{self, Route};

/// An animation a [`super::Player`] offers for GIF export.
#[derive(Clone, Debug)]
pub struct Animation {
    id: u64,
    /// What is animated ("sliding window").
    pub label: String,
    /// The frame the figure shows.
    pub frame: RwSignal<usize>,
    /// Number of frames.
    pub frames: Signal<usize>,
    /// Playback speed in frames per second (the GIF's frame delay).
    pub fps: f64,
}

/// The animations of the current lesson (provided by the lesson layout).
#[derive(Clone, Copy, Debug)]
pub struct Exports {
    animations: RwSignal<Vec<Animation>>,
    next: StoredValue<u64>,
}

impl Exports {
    /// An empty registry.
    pub fn new() -> Self {
        Exports {
            animations: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        }
    }
}

impl Default for Exports {
    fn default() -> Self {
        Self::new()
    }
}

/// Offers the calling Player's animation to the Export menu (if the page
/// has one) until the Player unmounts.
pub fn register_animation(label: &str, frame: RwSignal<usize>, frames: Signal<usize>, fps: f64) {
    let Some(ex) = use_context::<Exports>() else {
        return;
    };
    let id = ex.next.get_value();
    ex.next.set_value(id + 1);
    let label = if label.is_empty() {
        "animation".to_string()
    } else {
        label.to_string()
    };
    ex.animations.update(|a| {
        a.push(Animation {
            id,
            label,
            frame,
            frames,
            fps,
        })
    });
    on_cleanup(move || {
        ex.animations.try_update(|a| a.retain(|x| x.id != id));
    });
}

thread_local! {
    static LAST_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Offers `blob` as a download named `name` (object URL + `<a download>`).
///
/// # Errors
/// No document, or the browser refused the URL.
pub fn download_blob(name: &str, blob: &web_sys::Blob) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Freed when the next export replaces it (revoking at once can cancel the download).
    LAST_URL.with(|last| {
        if let Some(old) = last.replace(Some(url)) {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
    });
    Ok(())
}

/// Offers `text` as a download of type `mime`.
///
/// # Errors
/// As [`download_blob`].
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    download_blob(name, &blob)
}

/// Offers `bytes` as a download of type `mime`.
///
/// # Errors
/// As [`download_blob`].
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?;
    download_blob(name, &blob)
}

/// A file-name part from a label: lower case, letters and digits, `-`.
pub fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let mut s: String = out.chars().take(40).collect();
    while s.ends_with('-') {
        s.pop();
    }
    if s.is_empty() {
        "figure".into()
    } else {
        s
    }
}

fn js_err(e: JsValue) -> String {
    e.as_string()
        .unwrap_or_else(|| "the browser refused the export".to_string())
}

/// Elements matching `selector` under `root`, in document order.
fn select(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

/// A name for `el`: its `data-name` (the widget's label), its aria-label, else the `data-testid` of it or an
/// ancestor, else `fallback`.
fn name_of(el: &Element, fallback: String) -> String {
    if let Some(l) = el
        .get_attribute("data-name")
        .filter(|s| !s.trim().is_empty())
    {
        return l;
    }
    if let Some(l) = el
        .get_attribute("aria-label")
        .filter(|s| !s.trim().is_empty())
    {
        return l;
    }
    if let Ok(Some(t)) = el.closest("[data-testid]") {
        if let Some(id) = t.get_attribute("data-testid") {
            return id;
        }
    }
    fallback
}

/// The figures (visible canvases) of the lesson.
fn canvases(root: &Element) -> Vec<HtmlCanvasElement> {
    select(root, "canvas")
        .into_iter()
        .filter_map(|e| e.dyn_into::<HtmlCanvasElement>().ok())
        .filter(|c| c.client_width() > 0 && c.width() > 0 && c.height() > 0)
        .collect()
}

/// The tables of the lesson.
fn tables(root: &Element) -> Vec<Element> {
    select(root, "table")
}

fn table_name(t: &Element, i: usize) -> String {
    select(t, "caption")
        .first()
        .and_then(|c| c.text_content())
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| name_of(t, format!("table {}", i + 1)))
}

/// The cell texts of a table, row by row (a cell spanning columns is
/// followed by empty cells, so columns line up); sort arrows are dropped.
fn table_rows(t: &Element) -> Vec<Vec<String>> {
    select(t, "tr")
        .iter()
        .map(|tr| {
            let mut row = Vec::new();
            for cell in select(tr, "th, td") {
                let text = cell
                    .text_content()
                    .unwrap_or_default()
                    .replace(['\u{25b2}', '\u{25bc}'], "");
                row.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
                let span = cell
                    .get_attribute("colspan")
                    .and_then(|s| s.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 100);
                row.extend(std::iter::repeat_n(String::new(), span - 1));
            }
            row
        })
        .filter(|r| !r.is_empty())
        .collect()
}

/// A 2-D context of `canvas`.
fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| "this browser gave no 2-D canvas context".to_string())
}

fn new_canvas(w: u32, h: u32) -> Result<HtmlCanvasElement, String> {
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
    let mut backend =
        super::canvas_out::CanvasOut::new(&out).ok_or("this browser gave no 2-D canvas context")?;
    rec.replay(&mut backend)?;
    Ok(out)
}

/// Saves `canvas` as `name` (PNG, asynchronously).
fn save_png(
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

/// What a GIF export needs while it steps through the frames.
struct GifJob {
    anim: Animation,
    order: Vec<usize>,
    /// Each canvas with its place `(x, y, w, h)` in CSS px relative to the
    /// figure's top-left corner, measured once so scrolling cannot move it.
    canvases: Vec<(HtmlCanvasElement, [f64; 4])>,
    /// The figure's width in CSS px.
    width: f64,
    size: (u32, u32),
    scratch: HtmlCanvasElement,
    background: String,
    writer: Option<GifWriter>,
    start: usize,
    name: String,
    /// Every figure draws while the frames are recorded, on the screen or not.
    _hold: super::defer::Hold,
}

impl GifJob {
    /// The figure's canvases composed at their places on the page, as RGBA.
    fn capture(&self) -> Result<Vec<u8>, String> {
        let ctx = context(&self.scratch)?;
        let (w, h) = self.size;
        let s = w as f64 / self.width.max(1.0);
        ctx.set_fill_style_str(&self.background);
        ctx.fill_rect(0.0, 0.0, w as f64, h as f64);
        for (c, [x, y, cw, ch]) in &self.canvases {
            ctx.draw_image_with_html_canvas_element_and_dw_and_dh(c, x * s, y * s, cw * s, ch * s)
                .map_err(js_err)?;
        }
        let data = ctx
            .get_image_data(0.0, 0.0, w as f64, h as f64)
            .map_err(js_err)?;
        Ok(data.data().0)
    }
}

/// Starts a GIF export of `anim` over the figure canvases under `root`.
fn start_gif(
    anim: Animation,
    root: &Element,
    file: String,
    background: String,
    status: RwSignal<String>,
    busy: RwSignal<bool>,
) -> Result<(), String> {
    let figure = root
        .query_selector(".figure")
        .ok()
        .flatten()
        .unwrap_or_else(|| root.clone());
    let canvases = canvases(&figure);
    if canvases.is_empty() {
        return Err("This figure has no canvas to animate.".into());
    }
    let rects: Vec<_> = canvases
        .iter()
        .map(|c| c.get_bounding_client_rect())
        .collect();
    let x0 = rects.iter().map(|r| r.left()).fold(f64::INFINITY, f64::min);
    let y0 = rects.iter().map(|r| r.top()).fold(f64::INFINITY, f64::min);
    let x1 = rects
        .iter()
        .map(|r| r.right())
        .fold(f64::NEG_INFINITY, f64::max);
    let y1 = rects
        .iter()
        .map(|r| r.bottom())
        .fold(f64::NEG_INFINITY, f64::max);
    let (uw, uh) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
    let size = fit_size(
        (uw * 2.0).round() as u32,
        (uh * 2.0).round() as u32,
        caps::MAX_WIDTH,
        caps::MAX_HEIGHT,
    );
    let n = anim.frames.get_untracked();
    let order = sample_frames(n, caps::MAX_FRAMES);
    if order.is_empty() {
        return Err("This animation has no frames.".into());
    }
    let job = GifJob {
        start: anim.frame.get_untracked(),
        anim,
        order,
        canvases: canvases
            .into_iter()
            .zip(&rects)
            .map(|(c, r)| (c, [r.left() - x0, r.top() - y0, r.width(), r.height()]))
            .collect(),
        width: uw,
        size,
        scratch: new_canvas(size.0, size.1)?,
        background,
        writer: None,
        name: file,
        _hold: super::defer::hold(),
    };
    busy.set(true);
    // First pass: the first, middle and last frames choose the palette.
    let probe = {
        let o = &job.order;
        let mut p = vec![o[0], o[o.len() / 2], o[o.len() - 1]];
        p.dedup();
        p
    };
    let job = Rc::new(RefCell::new(job));
    step_palette(job, probe, Vec::new(), status, busy);
    Ok(())
}

const SETTLE: Duration = Duration::from_millis(40);

fn fail(job: &Rc<RefCell<GifJob>>, msg: String, status: RwSignal<String>, busy: RwSignal<bool>) {
    let j = job.borrow();
    j.anim.frame.try_set(j.start);
    status.try_set(msg);
    busy.try_set(false);
}

fn step_palette(
    job: Rc<RefCell<GifJob>>,
    mut probe: Vec<usize>,
    mut samples: Vec<Vec<u8>>,
    status: RwSignal<String>,
    busy: RwSignal<bool>,
) {
    let Some(f) = probe.pop() else {
        let refs: Vec<&[u8]> = samples.iter().map(|s| s.as_slice()).collect();
        let mut pal = palette(&refs);
        if pal.is_empty() {
            pal.push([0, 0, 0]);
        }
        let (w, h) = job.borrow().size;
        match GifWriter::new(w, h, pal) {
            Ok(wr) => {
                job.borrow_mut().writer = Some(wr);
                step_frame(job, 0, status, busy);
            }
            Err(e) => fail(&job, e, status, busy),
        }
        return;
    };
    if job.borrow().anim.frame.try_set(f).is_some() {
        // The player is gone (the page changed): give up quietly.
        busy.try_set(false);
        return;
    }
    set_timeout(
        move || {
            let shot = job.borrow().capture();
            match shot {
                Ok(px) => {
                    samples.push(px);
                    step_palette(job, probe, samples, status, busy);
                }
                Err(e) => fail(&job, e, status, busy),
            }
        },
        SETTLE,
    );
}

fn step_frame(job: Rc<RefCell<GifJob>>, i: usize, status: RwSignal<String>, busy: RwSignal<bool>) {
    let (f, total) = {
        let j = job.borrow();
        (j.order.get(i).copied(), j.order.len())
    };
    let Some(f) = f else {
        finish_gif(job, status, busy);
        return;
    };
    if job.borrow().anim.frame.try_set(f).is_some() {
        busy.try_set(false);
        return;
    }
    status.try_set(format!("Recording frame {} of {total}\u{2026}", i + 1));
    set_timeout(
        move || {
            let r = (|| {
                let px = job.borrow().capture()?;
                let mut j = job.borrow_mut();
                let fps = if j.anim.fps.is_finite() && j.anim.fps > 0.0 {
                    j.anim.fps
                } else {
                    2.0
                };
                // Sampled frames cover the same time as the whole animation.
                let shown = j.anim.frames.get_untracked().max(1) as f64 / total as f64;
                let mut delay = (100.0 * shown / fps).round().clamp(4.0, 500.0) as u16;
                if i + 1 == total {
                    delay = delay.max(200);
                }
                match j.writer.as_mut() {
                    Some(w) => w.add_frame(&px, delay),
                    None => Err("the GIF writer is missing".to_string()),
                }
            })();
            match r {
                Ok(()) => step_frame(job, i + 1, status, busy),
                Err(e) => fail(&job, e, status, busy),
            }
        },
        SETTLE,
    );
}

fn finish_gif(job: Rc<RefCell<GifJob>>, status: RwSignal<String>, busy: RwSignal<bool>) {
    let (writer, name, start, frame, size) = {
        let mut j = job.borrow_mut();
        (
            j.writer.take(),
            j.name.clone(),
            j.start,
            j.anim.frame,
            j.size,
        )
    };
    frame.try_set(start);
    let msg = match writer.map(|w| (w.frames(), w.finish())) {
        Some((n, Ok(bytes))) => match download_bytes(&name, "image/gif", &bytes) {
            Ok(()) => format!(
                "Saved {name}: {n} frames, {}\u{d7}{} px, {} kB.",
                size.0,
                size.1,
                bytes.len().div_ceil(1024)
            ),
            Err(e) => js_err(e),
        },
        Some((_, Err(e))) => e,
        None => "the GIF writer is missing".to_string(),
    };
    status.try_set(msg);
    busy.try_set(false);
}

/// The current lesson's URL state (with any waiting write applied first).
fn current_route() -> Route {
    route::flush_pending_hash();
    Route::parse(&route::current_hash())
}

/// The Export menu of lesson `id`: a disclosure button that opens the
/// choices (native `<details>`, so it works with keyboard and touch).
#[component]
pub fn ExportMenu(
    /// The lesson's route id (file names).
    id: &'static str,
    /// The lesson's PyTorch writer (none: the item says the page has no layers).
    torch: Option<super::torch::Snippet>,
) -> impl IntoView {
    let exports = use_context::<Exports>();
    let theme = use_theme();
    let anchor = NodeRef::<html::Details>::new();
    let figures = RwSignal::new(Vec::<String>::new());
    let table_names = RwSignal::new(Vec::<String>::new());
    let figure = RwSignal::new(0usize);
    let table = RwSignal::new(0usize);
    let anim = RwSignal::new(0usize);
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let torch_text = RwSignal::new(None::<String>);

    let root = move || -> Option<Element> {
        let d = anchor.get_untracked()?;
        d.closest("article").ok().flatten()
    };
    let refresh = move || {
        // Figures away from the view may wait for an idle moment: draw them
        // now, before a PNG or SVG is taken of one.
        super::defer::flush();
        let Some(r) = root() else { return };
        let f: Vec<String> = canvases(&r)
            .iter()
            .enumerate()
            .map(|(i, c)| name_of(c, format!("figure {}", i + 1)))
            .collect();
        if figure.get_untracked() >= f.len() {
            figure.set(0);
        }
        figures.set(f);
        let t: Vec<String> = tables(&r)
            .iter()
            .enumerate()
            .map(|(i, t)| table_name(t, i))
            .collect();
        if table.get_untracked() >= t.len() {
            table.set(0);
        }
        table_names.set(t);
    };
    let animations = move || exports.map(|e| e.animations.get()).unwrap_or_default();

    let report = move |r: Result<String, String>| {
        status.set(match r {
            Ok(m) | Err(m) => m,
        })
    };
    let picked_canvas = move || -> Result<(HtmlCanvasElement, String), String> {
        let r = root().ok_or("the lesson is not on the page")?;
        let list = canvases(&r);
        let i = figure.get_untracked();
        let c = list
            .get(i)
            .cloned()
            .ok_or("The figure is no longer on the page; open the menu again.")?;
        let name = name_of(&c, format!("figure {}", i + 1));
        Ok((c, name))
    };
    let on_png = move |_| {
        let r = picked_canvas().and_then(|(c, name)| {
            let file = format!("{id}-{}.png", slug(&name));
            save_png(&c, file.clone(), status)?;
            Ok(format!("Saving {file}\u{2026}"))
        });
        report(r);
    };
    let on_svg = move |_| {
        let r = picked_canvas().and_then(|(c, name)| {
            let svg = super::record::svg_of(&c, &name)?;
            let file = format!("{id}-{}.svg", slug(&name));
            download_text(&file, "image/svg+xml", &svg).map_err(js_err)?;
            Ok(format!("Saved {file}."))
        });
        report(r);
    };
    let on_csv = move |_| {
        let r = (|| {
            let r = root().ok_or("the lesson is not on the page")?;
            let list = tables(&r);
            let i = table.get_untracked();
            let t = list
                .get(i)
                .ok_or("The table is no longer on the page; open the menu again.")?;
            let name = table_name(t, i);
            let text = super::csv::to_csv(&table_rows(t));
            let file = format!("{id}-{}.csv", slug(&name));
            download_text(&file, "text/csv;charset=utf-8", &text).map_err(js_err)?;
            Ok(format!("Saved {file}."))
        })();
        report(r);
    };
    let on_gif = move |_| {
        if busy.get_untracked() {
            return;
        }
        let r = (|| {
            let list = animations();
            let a = list
                .get(anim.get_untracked())
                .cloned()
                .ok_or("This lesson has no animation.")?;
            let r = root().ok_or("the lesson is not on the page")?;
            let file = format!("{id}-{}.gif", slug(&a.label));
            let bg = crate::config::css(crate::config::ink(theme.get_untracked()).background);
            start_gif(a, &r, file, bg, status, busy)?;
            Ok("Recording the animation\u{2026}".to_string())
        })();
        report(r);
    };
    let on_torch = move |_| {
        let route = current_route();
        let write = torch.ok_or_else(|| "This page has no layers to write as PyTorch.".to_string());
        let r = write.and_then(|w| w(&route.query)).and_then(|text| {
            let file = format!("{id}.py");
            download_text(&file, "text/x-python;charset=utf-8", &text).map_err(js_err)?;
            torch_text.set(Some(text));
            Ok(format!("Saved {file}."))
        });
        report(r);
    };

    view! {
        <details class="cl-export" data-testid="export-menu" node_ref=anchor
            on:toggle=move |_| {
                if anchor.get_untracked().is_some_and(|d| d.open()) {
                    refresh();
                }
            }>
            <summary class="btn" data-testid="export-open">"Export"</summary>
            <div class="cl-export-body" role="group" aria-label="Export">
                <div class="cl-export-row">
                    <label>
                        <span>"figure"</span>
                        <select data-testid="export-figure"
                            on:change=move |ev| figure.set(event_target_value(&ev).parse().unwrap_or(0))>
                            {move || figures.get().into_iter().enumerate().map(|(i, n)| view! {
                                <option value=i.to_string() selected=move || figure.get() == i>{n}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="button" class="btn" data-testid="export-png" on:click=on_png
                        disabled=move || figures.with(|f| f.is_empty())>"PNG"</button>
                    <button type="button" class="btn" data-testid="export-svg" on:click=on_svg
                        disabled=move || figures.with(|f| f.is_empty())>"SVG"</button>
                </div>
                {move || {
                    let list = animations();
                    (!list.is_empty()).then(|| view! {
                        <div class="cl-export-row">
                            <label>
                                <span>"animation"</span>
                                <select data-testid="export-animation"
                                    on:change=move |ev| anim.set(event_target_value(&ev).parse().unwrap_or(0))>
                                    {list.into_iter().enumerate().map(|(i, a)| view! {
                                        <option value=i.to_string() selected=move || anim.get() == i>{a.label}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <button type="button" class="btn" data-testid="export-gif" on:click=on_gif
                                disabled=move || busy.get()>"GIF"</button>
                        </div>
                    })
                }}
                {move || (!table_names.with(|t| t.is_empty())).then(|| view! {
                    <div class="cl-export-row">
                        <label>
                            <span>"table"</span>
                            <select data-testid="export-table"
                                on:change=move |ev| table.set(event_target_value(&ev).parse().unwrap_or(0))>
                                {move || table_names.get().into_iter().enumerate().map(|(i, n)| view! {
                                    <option value=i.to_string() selected=move || table.get() == i>{n}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="button" class="btn" data-testid="export-csv" on:click=on_csv>"CSV"</button>
                    </div>
                })}
                <div class="cl-export-row">
                    <button type="button" class="btn" data-testid="export-pytorch" on:click=on_torch>"PyTorch code"</button>
                </div>
                <p class="cl-export-status" role="status" data-testid="export-status">{move || status.get()}</p>
                {move || torch_text.get().map(|t| view! {
                    <pre class="cl-export-code" data-testid="export-pytorch-text" tabindex="0" aria-label="PyTorch code">{t}</pre>
                })}
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_safe() {
        assert_eq!(slug("input x"), "input-x");
        assert_eq!(
            slug("output y: 4 channel(s) of 8×8"),
            "output-y-4-channel-s-of-8-8"
        );
        assert_eq!(slug("  "), "figure");
        assert_eq!(slug("Params — vs C!"), "params-vs-c");
        assert!(slug(&"a".repeat(100)).len() <= 40);
    }
}
