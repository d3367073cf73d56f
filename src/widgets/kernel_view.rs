//! [`KernelView`]: the weights of a Conv2d as blocks, coloured by group.

use convlab_core::Conv2d;
use leptos::html;
use leptos::prelude::*;

use super::defer::use_gate;
use super::surface::{draw_on_canvas, fit_canvas, local_pos, observe_width, use_theme};
use crate::draw::kernel::{draw_kernel, KernelLayout, Tap};
use crate::draw::{short_value, Style};

/// The kernel's shape `[out, in/groups, kh, kw]`.
pub fn kernel_shape(conv: &Conv2d) -> [usize; 4] {
    let s = conv.spec();
    [s.out_channels, s.in_per_group(), s.kernel.0, s.kernel.1]
}

/// The weights `[out, in/groups, kh, kw]` of `conv`: one row of blocks per
/// output channel, framed in its group's colour; the taps whose flat weight
/// indices are in `highlight` (e.g. `trace.terms[..].weight_index`) are
/// outlined. Hovering or tapping a tap reports it through `on_tap`.
#[component]
pub fn KernelView(
    /// The convolution whose weights to show.
    #[prop(into)]
    conv: Signal<Conv2d>,
    /// Accessible name ("weights W").
    #[prop(into)]
    label: String,
    /// Flat weight indices to outline.
    #[prop(optional, into)]
    highlight: Signal<Vec<usize>>,
    /// Called with the tap under the pointer (`None` when it leaves).
    #[prop(optional)]
    on_tap: Option<Callback<Option<Tap>>>,
    /// Canvas height in CSS px.
    #[prop(default = 220.0)]
    height: f64,
    /// `data-testid` of the wrapper.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let theme = use_theme();
    let boxed = NodeRef::<html::Div>::new();
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let width = observe_width(boxed);
    let error = RwSignal::new(None::<String>);
    let hovered = RwSignal::new(None::<Tap>);
    let layout = StoredValue::new(None::<(KernelLayout, f64)>);
    // Output rows drawn, when fewer than all fit (a depthwise layer's hundreds).
    let shown = RwSignal::new(None::<usize>);
    let gate = use_gate(canvas_ref);
    let css_height = RwSignal::new(height);
    Effect::new(move |_| {
        // No size before the first layout; then ask the gate.
        if width.get() <= 0.0 || !gate.open() {
            return;
        }
        let w = width.get();
        let theme = theme.get();
        let hl = highlight.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        if w <= 0.0 {
            return;
        }
        let dpr = super::surface::device_pixel_ratio();
        let style = Style::new(theme, dpr);
        let r = conv.with(|c| {
            let l = KernelLayout::new(kernel_shape(c), w * dpr, height * dpr, dpr);
            // The canvas is as tall as the rows drawn (a 1×1 kernel's few
            // thin rows left most of it white), at most `height`.
            let used = (l.used_height() / dpr).ceil().clamp(1.0, height);
            fit_canvas(&canvas, w, used);
            if css_height.get_untracked() != used {
                css_height.set(used);
            }
            layout.set_value(Some((l, dpr)));
            let part = (l.shown < l.shape[0]).then_some(l.shown);
            if shown.get_untracked() != part {
                shown.set(part);
            }
            draw_on_canvas(&canvas, |area| draw_kernel(area, c, &l, &hl, &style))
        });
        error.set(r.err());
    });
    let tap_at = move |ev: &web_sys::MouseEvent| -> Option<Tap> {
        let canvas = canvas_ref.get_untracked()?;
        let (x, y) = local_pos(ev, &canvas);
        let (l, dpr) = layout.get_value()?;
        l.hit(x * dpr, y * dpr)
    };
    let report = move |t: Option<Tap>| {
        if hovered.get_untracked() != t {
            hovered.set(t);
            if let Some(cb) = on_tap {
                cb.try_run(t);
            }
        }
    };
    let caption = move || {
        let shape = conv.with(kernel_shape);
        match hovered.get() {
            Some(t) => {
                let v = conv
                    .with(|c| c.weight_at(t.o, t.i, t.ky, t.kx))
                    .unwrap_or(0.0);
                format!(
                    "W[{}, {}, {}, {}] = {}",
                    t.o,
                    t.i,
                    t.ky,
                    t.kx,
                    short_value(v)
                )
            }
            None => {
                let filters = match shown.get() {
                    Some(n) => format!("the first {n} of {} filters", shape[0]),
                    None => format!("{} filters", shape[0]),
                };
                format!(
                    "{filters} × {} input channel(s) per group × {}×{} taps",
                    shape[1], shape[2], shape[3]
                )
            }
        }
    };
    view! {
        <div class="cl-kernel-view" data-testid=test_id node_ref=boxed style="width:100%;min-width:0">
            <canvas
                node_ref=canvas_ref
                role="img"
                data-name=label.clone()
                aria-label=label
                style:display="block"
                style:width="100%"
                style:height=move || format!("{}px", css_height.get())
                style:touch-action="manipulation"
                on:pointermove=move |ev: web_sys::PointerEvent| report(tap_at(&ev))
                on:click=move |ev: web_sys::MouseEvent| report(tap_at(&ev))
                on:pointerleave=move |_| report(None)
            ></canvas>
            <p class="cl-caption" aria-live="polite" style="margin:0.25em 0;min-height:1.5em">{caption}</p>
            {move || error.get().map(|e| view! { <p class="cl-error" role="alert">{e}</p> })}
        </div>
    }
}
