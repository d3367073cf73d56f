//! [`TensorView`]: a CHW tensor as per-channel heat-map tiles on a canvas.

use convlab_core::Tensor;
use leptos::html;
use leptos::prelude::*;

use super::defer::use_gate;
use super::surface::{draw_on_canvas, fit_canvas, local_pos, observe_width, use_theme};
use crate::config::sizes;
use crate::draw::heatmap::{
    draw_tensor, step_cell, Cell, HeatmapOptions, Highlight, Palette, TensorLayout,
};
use crate::draw::{short_value, Style};

/// Text describing the active cell (shown under the canvas and announced).
pub fn describe_cell(t: &Tensor, cell: Option<Cell>, labels: &[String]) -> String {
    match cell.and_then(|c| t.get(c.c, c.y, c.x).map(|v| (c, v))) {
        Some((c, v)) => {
            let name = labels
                .get(c.c)
                .cloned()
                .unwrap_or_else(|| format!("ch {}", c.c));
            format!("{name}, row {}, column {}: {}", c.y, c.x, short_value(v))
        }
        None => "Hover or tap a cell; arrow keys move, Enter pins, Escape unpins.".into(),
    }
}

/// Text describing the outlined cells: which channels, rows and columns
/// (e.g. "9 highlighted cells: ch 0, rows 1–3, columns 2–4"), or `None`.
/// Rows and columns below zero or past the map lie in the zero padding.
pub fn describe_highlights(
    hls: &[Highlight],
    shape: [usize; 3],
    labels: &[String],
) -> Option<String> {
    let first = hls.first()?;
    let span = |lo: isize, hi: isize| {
        if lo == hi {
            format!("{lo}")
        } else {
            format!("{lo}\u{2013}{hi}")
        }
    };
    let (mut c0, mut c1) = (first.c, first.c);
    let (mut y0, mut y1, mut x0, mut x1) = (first.y, first.y, first.x, first.x);
    for h in hls {
        c0 = c0.min(h.c);
        c1 = c1.max(h.c);
        y0 = y0.min(h.y);
        y1 = y1.max(h.y);
        x0 = x0.min(h.x);
        x1 = x1.max(h.x);
    }
    let chan = if c0 == c1 {
        labels
            .get(c0)
            .cloned()
            .unwrap_or_else(|| format!("ch {c0}"))
    } else {
        format!("channels {c0}\u{2013}{c1}")
    };
    let padded = y0 < 0 || x0 < 0 || y1 >= shape[1] as isize || x1 >= shape[2] as isize;
    let (rows, cols) = (span(y0, y1), span(x0, x1));
    Some(format!(
        "{} highlighted cell{}: {chan}, rows {rows}, columns {cols}{}",
        hls.len(),
        if hls.len() == 1 { "" } else { "s" },
        if padded {
            " (reaching into the zero padding)"
        } else {
            ""
        }
    ))
}

/// A CHW tensor as heat-map tiles (one per channel) with a legend, channel
/// labels and numbers in cells large enough to hold them.
///
/// The pointer over a cell (or a tap, or the keyboard cursor) makes it the
/// *active* cell, reported through `on_cell`; a click or tap pins it (again
/// unpins). With the canvas focused, arrows move the pinned cell, PageUp /
/// PageDown change channel, Escape unpins.
///
/// The canvas is `height` CSS px tall and as wide as its box, whatever the
/// tensor's shape, so nothing jumps when a slider changes the shape (with
/// `fit`, as tall as its tiles, at most `height`).
#[component]
pub fn TensorView(
    /// The tensor to show.
    #[prop(into)]
    tensor: Signal<Tensor>,
    /// Accessible name of the figure ("input x", "output y").
    #[prop(into)]
    label: String,
    /// Colour map (default: diverging around zero, range from the tensor).
    #[prop(optional, into)]
    palette: Signal<Palette>,
    /// Cells to outline in their group colour (e.g. from `Highlight::from_trace`).
    #[prop(optional, into)]
    highlights: Signal<Vec<Highlight>>,
    /// Rings of zero padding to draw around each tile.
    #[prop(optional, into)]
    pad: Signal<usize>,
    /// Channel names (default `ch 0`, `ch 1`, …).
    #[prop(optional, into)]
    channel_labels: Signal<Vec<String>>,
    /// Channels per group, for group-coloured labels (0: no groups).
    #[prop(optional, into)]
    group_size: Signal<usize>,
    /// Called with the active cell (pinned, else hovered) whenever it changes.
    #[prop(optional)]
    on_cell: Option<Callback<Option<Cell>>>,
    /// Where the pinned cell lives (pass one to keep it in the URL); a fresh
    /// signal when absent.
    #[prop(optional)]
    pinned: Option<RwSignal<Option<Cell>>>,
    /// Canvas height in CSS px.
    #[prop(default = sizes::TENSOR_VIEW_HEIGHT)]
    height: f64,
    /// Whether to draw the legend.
    #[prop(default = true)]
    legend: bool,
    /// Whether the canvas shrinks to the tiles it draws (at most `height`):
    /// for a view beside a taller one, whose row keeps the height, so nothing
    /// below moves while its white space goes.
    #[prop(default = false)]
    fit: bool,
    /// Whether to say how to pick a cell while none is active (`false` for the
    /// second and later views of one figure: the hint is given once).
    #[prop(default = true)]
    hint: bool,
    /// `data-testid` of the wrapper.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let theme = use_theme();
    let boxed = NodeRef::<html::Div>::new();
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let width = observe_width(boxed);
    let hover = RwSignal::new(None::<Cell>);
    let pinned = pinned.unwrap_or_else(|| RwSignal::new(None));
    let focused = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let layout = StoredValue::new(None::<(TensorLayout, f64)>);
    let active = Memo::new(move |_| pinned.get().or(hover.get()));

    // Forget cells that no longer exist when the shape changes.
    Effect::new(move |_| {
        let [c, h, w] = tensor.with(|t| t.shape());
        let fits = |cell: Option<Cell>| cell.is_none_or(|p| p.c < c && p.y < h && p.x < w);
        if !fits(pinned.get_untracked()) {
            pinned.set(None);
        }
        if !fits(hover.get_untracked()) {
            hover.set(None);
        }
    });

    if let Some(cb) = on_cell {
        Effect::new(move |_| {
            let a = active.get();
            cb.try_run(a);
        });
    }

    let gate = use_gate(canvas_ref);
    let css_height = RwSignal::new(height);
    Effect::new(move |_| {
        // No size before the first layout; then ask the gate.
        if width.get() <= 0.0 || !gate.open() {
            return;
        }
        let w = width.get();
        let theme = theme.get();
        let palette = palette.get();
        let pad = pad.get();
        let group_size = group_size.get();
        let hov = hover.get();
        let pin = pinned.get();
        let hls = highlights.get();
        let labels = channel_labels.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        if w <= 0.0 {
            return;
        }
        let dpr = super::surface::device_pixel_ratio();
        let style = Style::new(theme, dpr);
        let result = tensor.with(|t| {
            let l = TensorLayout::new(t.shape(), pad, w * dpr, height * dpr, dpr, true, legend);
            let used = if fit {
                (l.used_height() / dpr).ceil().clamp(1.0, height)
            } else {
                height
            };
            fit_canvas(&canvas, w, used);
            if css_height.get_untracked() != used {
                css_height.set(used);
            }
            layout.set_value(Some((l, dpr)));
            let opts = HeatmapOptions {
                palette,
                channel_labels: (!labels.is_empty()).then_some(labels.as_slice()),
                group_size,
                highlights: &hls,
                hover: hov,
                pinned: pin,
                legend,
                labels: true,
            };
            draw_on_canvas(&canvas, |area| draw_tensor(area, t, &l, &opts, &style))
        });
        error.set(result.err());
    });

    let hit = move |ev: &web_sys::MouseEvent| -> Option<Cell> {
        let canvas = canvas_ref.get_untracked()?;
        let (x, y) = local_pos(ev, &canvas);
        let (l, dpr) = layout.get_value()?;
        l.hit(x * dpr, y * dpr)
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let cell = hit(&ev);
        if hover.get_untracked() != cell {
            hover.set(cell);
        }
    };
    let on_leave = move |_: web_sys::PointerEvent| hover.set(None);
    let on_click = move |ev: web_sys::MouseEvent| {
        let cell = hit(&ev);
        if cell.is_some() {
            pinned.update(|p| *p = if *p == cell { None } else { cell });
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let shape = tensor.with_untracked(|t| t.shape());
        let start = pinned
            .get_untracked()
            .or(hover.get_untracked())
            .unwrap_or(Cell::new(0, 0, 0));
        let moved = match ev.key().as_str() {
            "ArrowUp" => Some(step_cell(start, shape, 0, -1, 0)),
            "ArrowDown" => Some(step_cell(start, shape, 0, 1, 0)),
            "ArrowLeft" => Some(step_cell(start, shape, 0, 0, -1)),
            "ArrowRight" => Some(step_cell(start, shape, 0, 0, 1)),
            "PageUp" => Some(step_cell(start, shape, -1, 0, 0)),
            "PageDown" => Some(step_cell(start, shape, 1, 0, 0)),
            "Home" => Some(Cell::new(start.c, 0, 0)),
            "Enter" | " " => Some(start),
            "Escape" => {
                pinned.set(None);
                ev.prevent_default();
                return;
            }
            _ => None,
        };
        if let Some(cell) = moved {
            ev.prevent_default();
            pinned.set(Some(cell));
        }
    };

    // The text alternative of the figure, announced as it changes: the
    // active cell, and the cells outlined (e.g. the window an output sees).
    let caption = move || {
        let labels = channel_labels.get();
        let hl = highlights.with(|h| tensor.with(|t| describe_highlights(h, t.shape(), &labels)));
        let active = active.get();
        let cell = tensor.with(|t| describe_cell(t, active, &labels));
        match (active.is_some(), hl) {
            (true, Some(h)) => format!("{cell}. {h}."),
            (false, Some(h)) => format!("{h}."),
            (false, None) if !hint => String::new(),
            (_, None) => cell,
        }
    };
    let aria = {
        let label = label.clone();
        move || {
            let [c, h, w] = tensor.with(|t| t.shape());
            format!("{label}: {c} channel(s) of {h}×{w}; arrow keys move a cursor over the cells")
        }
    };

    view! {
        <div class="cl-tensor-view" data-testid=test_id node_ref=boxed style="width:100%;min-width:0">
            <canvas
                node_ref=canvas_ref
                tabindex="0"
                role="img"
                data-name=label.clone()
                aria-label=aria
                style:display="block"
                style:width="100%"
                style:height=move || format!("{}px", css_height.get())
                style:touch-action="manipulation"
                style:outline=move || {
                    if focused.get() { "3px solid currentColor" } else { "none" }
                }
                style:outline-offset="2px"
                style:cursor="crosshair"
                on:pointermove=on_move
                on:pointerleave=on_leave
                on:click=on_click
                on:keydown=on_key
                on:focus=move |_| focused.set(true)
                on:blur=move |_| focused.set(false)
            ></canvas>
            <p class="cl-caption" aria-live="polite" style="margin:0.25em 0;min-height:1.5em">
                {caption}
            </p>
            {move || error.get().map(|e| view! { <p class="cl-error" role="alert">{e}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_active_cell_or_explains() {
        let t = Tensor::new(2, 1, 2, vec![0.0, 0.25, 1.0, -2.0]).unwrap();
        assert_eq!(
            describe_cell(&t, Some(Cell::new(1, 0, 1)), &[]),
            "ch 1, row 0, column 1: -2"
        );
        let names = vec!["x".to_string(), "y".to_string()];
        assert_eq!(
            describe_cell(&t, Some(Cell::new(0, 0, 1)), &names),
            "x, row 0, column 1: 0.25"
        );
        assert!(describe_cell(&t, None, &[]).contains("Hover"));
        assert!(describe_cell(&t, Some(Cell::new(5, 0, 0)), &[]).contains("Hover"));
    }

    #[test]
    fn describes_highlighted_window() {
        let hl = |c, y, x| Highlight { c, y, x, group: 0 };
        let window: Vec<Highlight> = (1..=3)
            .flat_map(|y| (2..=4).map(move |x| hl(0, y, x)))
            .collect();
        assert_eq!(
            describe_highlights(&window, [1, 8, 8], &[]).as_deref(),
            Some("9 highlighted cells: ch 0, rows 1\u{2013}3, columns 2\u{2013}4")
        );
        let padded = vec![hl(0, -1, 0), hl(2, 0, 1)];
        assert_eq!(
            describe_highlights(&padded, [3, 4, 4], &[]).as_deref(),
            Some("2 highlighted cells: channels 0\u{2013}2, rows -1\u{2013}0, columns 0\u{2013}1 (reaching into the zero padding)")
        );
        let one = vec![hl(1, 2, 3)];
        let names = vec!["r".to_string(), "g".to_string()];
        assert_eq!(
            describe_highlights(&one, [2, 4, 4], &names).as_deref(),
            Some("1 highlighted cell: g, rows 2, columns 3")
        );
        assert_eq!(describe_highlights(&[], [1, 1, 1], &[]), None);
    }
}
