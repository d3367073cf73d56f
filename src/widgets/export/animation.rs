//! The animations a lesson offers for export ([`Exports`], filled by each
//! Player) and recording one as an animated GIF: the figure re-drawn and
//! captured at each sampled frame, then encoded.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use web_sys::{Element, HtmlCanvasElement};

use super::download::{download_bytes, js_err};
use super::page::canvases;
use super::png::{context, new_canvas};
use crate::widgets::gif::{caps, fit_size, palette, sample_frames, GifWriter};

/// An animation a [`Player`](crate::widgets::Player) offers for GIF export.
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
    pub(super) animations: RwSignal<Vec<Animation>>,
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
    _hold: crate::widgets::defer::Hold,
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
pub(super) fn start_gif(
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
        _hold: crate::widgets::defer::hold(),
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
