//! The pixel editor an [`InputPicker`](super::InputPicker) shows in drawing
//! mode: pen, gray and eraser by pointer or keyboard on a heat-map canvas.

use leptos::html;
use leptos::prelude::*;

use super::{Bitmap, InputState, LEVELS};
use crate::config::{limits, sizes};
use crate::draw::heatmap::{draw_tensor, step_cell, Cell, HeatmapOptions, Palette, TensorLayout};
use crate::draw::Style;
use crate::widgets::surface::{draw_on_canvas, fit_canvas, local_pos, use_theme};

/// The pixel editor of an [`InputPicker`](super::InputPicker) in drawing mode.
#[component]
pub(super) fn PixelEditor(state: RwSignal<InputState>) -> impl IntoView {
    let theme = use_theme();
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let pen = RwSignal::new(LEVELS - 1);
    let painting = StoredValue::new(false);
    let cursor = RwSignal::new(None::<Cell>);
    let focused = RwSignal::new(false);
    let layout = StoredValue::new(None::<(TensorLayout, f64)>);
    let side_css = 16.0 * 18.0;
    Effect::new(move |_| {
        let theme = theme.get();
        let cur = cursor.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let InputState::Drawn(b) = state.get() else {
            return;
        };
        let Ok(t) = b.to_tensor() else { return };
        let dpr = fit_canvas(&canvas, side_css, side_css);
        let style = Style::new(theme, dpr);
        let l = TensorLayout::new(
            t.shape(),
            0,
            side_css * dpr,
            side_css * dpr,
            dpr,
            false,
            false,
        );
        layout.set_value(Some((l, dpr)));
        let opts = HeatmapOptions {
            palette: Palette::Sequential(Some((0.0, 1.0))),
            pinned: if focused.get() { cur } else { None },
            ..Default::default()
        };
        let _ = draw_on_canvas(&canvas, |area| draw_tensor(area, &t, &l, &opts, &style));
    });
    let paint = move |cell: Cell, level: u8| {
        state.update(|s| {
            if let InputState::Drawn(b) = s {
                b.set(cell.y, cell.x, level);
            }
        });
    };
    let hit = move |ev: &web_sys::MouseEvent| -> Option<Cell> {
        let canvas = canvas_ref.get_untracked()?;
        let (x, y) = local_pos(ev, &canvas);
        let (l, dpr) = layout.get_value()?;
        // The canvas may be shown narrower than its layout (max-width on a phone).
        let shown = canvas.get_bounding_client_rect().width();
        let k = if shown > 0.0 { side_css / shown } else { 1.0 };
        l.hit(x * k * dpr, y * k * dpr)
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if let Some(canvas) = canvas_ref.get_untracked() {
            let _ = canvas.set_pointer_capture(ev.pointer_id());
        }
        painting.set_value(true);
        if let Some(c) = hit(&ev) {
            paint(c, pen.get_untracked());
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        if painting.get_value() {
            if let Some(c) = hit(&ev) {
                paint(c, pen.get_untracked());
            }
        }
    };
    let on_up = move |_: web_sys::PointerEvent| painting.set_value(false);
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let shape = [1, limits::EDITOR_SIDE, limits::EDITOR_SIDE];
        let c = cursor.get_untracked().unwrap_or(Cell::new(0, 0, 0));
        let next = match ev.key().as_str() {
            "ArrowUp" => step_cell(c, shape, 0, -1, 0),
            "ArrowDown" => step_cell(c, shape, 0, 1, 0),
            "ArrowLeft" => step_cell(c, shape, 0, 0, -1),
            "ArrowRight" => step_cell(c, shape, 0, 0, 1),
            " " | "Enter" => {
                paint(c, pen.get_untracked());
                c
            }
            _ => return,
        };
        ev.prevent_default();
        cursor.set(Some(next));
    };
    let tool = |name: &'static str, level: u8| {
        view! {
            <button type="button" style=format!("min-height:{}px;padding:0 0.8em", sizes::TOUCH_TARGET)
                aria-pressed=move || (pen.get() == level).to_string()
                on:click=move |_| pen.set(level)>{name}</button>
        }
    };
    view! {
        <div class="cl-pixel-editor" style="display:flex;flex-wrap:wrap;gap:0.75em;align-items:flex-start">
            <canvas
                node_ref=canvas_ref
                tabindex="0"
                role="img"
                aria-label="pixel editor, 16 by 16: drag to draw, or arrow keys and Space"
                style:width=format!("{side_css}px")
                style:height=format!("{side_css}px")
                style:max-width="100%"
                style:touch-action="none"
                style:cursor="crosshair"
                style:outline=move || if focused.get() { "3px solid currentColor" } else { "none" }
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_up
                on:keydown=on_key
                on:focus=move |_| focused.set(true)
                on:blur=move |_| focused.set(false)
            ></canvas>
            <div role="group" aria-label="drawing tools" style="display:flex;flex-wrap:wrap;gap:0.4em">
                {tool("Pen", LEVELS - 1)}
                {tool("Gray", 1)}
                {tool("Eraser", 0)}
                <button type="button" style=format!("min-height:{}px;padding:0 0.8em", sizes::TOUCH_TARGET)
                    on:click=move |_| state.set(InputState::Drawn(Bitmap::blank()))>"Clear"</button>
            </div>
        </div>
    }
}
