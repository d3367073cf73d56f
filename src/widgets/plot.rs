//! [`Plot`]: a plotters chart on a canvas that follows its box.

use leptos::html;
use leptos::prelude::*;

use super::defer::use_gate;
use super::surface::{draw_on_canvas, fit_canvas, observe_width, use_theme};
use crate::config::sizes;
use crate::draw::{DrawResult, Style};

/// The area a [`Plot`] (and every canvas widget) hands to its draw closure:
/// a recording that is replayed on the canvas and kept for SVG export.
pub type CanvasArea = super::record::RecordArea;

/// A chart drawn by `draw` (which calls a `crate::draw` function) on a canvas
/// as wide as its box and `height` CSS px tall, at devicePixelRatio
/// resolution. It redraws when the box resizes, the theme changes, or any
/// signal read inside `draw` changes. A returned error is shown as text.
///
/// ```ignore
/// view! { <Plot label="params vs C" draw=move |area, style| {
///     draw::chart::line_chart(area, &chart.get(), style)
/// } /> }
/// ```
#[component]
pub fn Plot<F>(
    /// Draws the chart.
    draw: F,
    /// Accessible description of the chart.
    #[prop(into)]
    label: String,
    /// Canvas height in CSS px.
    #[prop(default = sizes::PLOT_HEIGHT)]
    height: f64,
    /// `data-testid` of the wrapper.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView
where
    F: Fn(&CanvasArea, &Style) -> DrawResult + 'static,
{
    let theme = use_theme();
    let boxed = NodeRef::<html::Div>::new();
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let width = observe_width(boxed);
    let error = RwSignal::new(None::<String>);
    let gate = use_gate(canvas_ref);
    Effect::new(move |_| {
        // No size before the first layout; then ask the gate.
        if width.get() <= 0.0 || !gate.open() {
            return;
        }
        let w = width.get();
        let theme = theme.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        if w <= 0.0 {
            return;
        }
        let dpr = fit_canvas(&canvas, w, height);
        let style = Style::new(theme, dpr);
        let r = draw_on_canvas(&canvas, |area| draw(area, &style));
        if error.get_untracked() != r.as_ref().err().cloned() {
            error.set(r.err());
        }
    });
    view! {
        <div class="cl-plot" data-testid=test_id node_ref=boxed style="width:100%;min-width:0">
            <canvas
                node_ref=canvas_ref
                role="img"
                data-name=label.clone()
                aria-label=label
                style:display="block"
                style:width="100%"
                style:height=format!("{height}px")
            ></canvas>
            {move || error.get().map(|e| view! { <p class="cl-error" role="alert">{e}</p> })}
        </div>
    }
}
