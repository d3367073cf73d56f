//! The WaveNet tree panel: the tree drawn with zoom and pan, and its
//! dilation list editor.

use leptos::html;
use leptos::prelude::*;
use web_sys::{KeyboardEvent, PointerEvent, WheelEvent};

use super::draw::{draw_tree, TreeLayout, Viewport};
use super::model::tree_model;
use super::panels::{canvas_geometry, use_canvas};
use super::state::{parse_stack, wavenet, Layer, Tree, TREE_BOUNDS};
use crate::widgets::surface::local_pos;

/// The WaveNet tree with zoom and pan.
#[component]
pub(super) fn TreeFigure(tree: RwSignal<Tree>) -> impl IntoView {
    let model = Memo::new(move |_| tree.with(|t| tree_model(t)));
    let len = Signal::derive(move || model.with(|m| m.as_ref().map_or(1, |m| m.view.len)));
    let view_port = RwSignal::new(Viewport::all(len.get_untracked()));
    // A new stack shows its whole tree.
    Effect::new(move |_| view_port.set(Viewport::all(len.get())));
    let text = RwSignal::new(dilations_text(&tree.get_untracked()));
    let kernel = RwSignal::new(tree.get_untracked().first().map_or(2, |l| l.kernel));
    let tree_notes = RwSignal::new(Vec::<String>::new());
    let apply = move || {
        let k = kernel.get_untracked();
        let code: Vec<String> = text
            .get_untracked()
            .split([',', ' '])
            .filter(|t| !t.trim().is_empty())
            .map(|d| format!("{k}d{}", d.trim()))
            .collect();
        let p = parse_stack(&code.join(","), &TREE_BOUNDS, &wavenet());
        let mut notes = p.notes;
        let t = super::state::clamp_tree(p.value, &mut notes);
        text.set(dilations_text(&t));
        tree_notes.set(notes);
        tree.set(Tree(t));
    };
    let boxed = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let err = use_canvas(boxed, canvas, 380.0, move |area, style| {
        let v = view_port.get();
        model.with(|m| match m {
            Ok(m) => draw_tree(area, &m.view, v, style),
            Err(_) => area.fill(&style.ink.background).map_err(crate::draw::err),
        })
    });
    // Screen x (CSS px) → position, through the drawn layout.
    let t_at = move |x_css: f64| -> Option<f64> {
        let el = canvas.get_untracked()?;
        let (style, w, h) = canvas_geometry(&el);
        let levels = model.with_untracked(|m| m.as_ref().map_or(2, |m| m.view.levels.len()));
        Some(
            TreeLayout::new(levels, w, h, view_port.get_untracked(), &style)
                .t_at(x_css * style.scale),
        )
    };
    let zoom = move |at: Option<f64>, factor: f64| {
        let v = view_port.get_untracked();
        let at = at.unwrap_or((v.t0 + v.t1) / 2.0);
        view_port.set(v.zoom(at, factor, len.get_untracked()));
    };
    let pan = move |frac: f64| {
        let v = view_port.get_untracked();
        view_port.set(v.pan(v.span() * frac, len.get_untracked()));
    };
    // Pointers down: id → last x (CSS px); two pointers pinch.
    let pointers = StoredValue::new(Vec::<(i32, f64)>::new());
    let on_down = move |ev: PointerEvent| {
        if let Some(el) = canvas.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
            let (x, _) = local_pos(&ev, &el);
            pointers.update_value(|p| {
                p.retain(|q| q.0 != ev.pointer_id());
                p.push((ev.pointer_id(), x));
            });
        }
    };
    let on_move = move |ev: PointerEvent| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        let (x, _) = local_pos(&ev, &el);
        let ps = pointers.get_value();
        let Some(idx) = ps.iter().position(|q| q.0 == ev.pointer_id()) else {
            return;
        };
        let (style, w, h) = canvas_geometry(&el);
        let levels = model.with_untracked(|m| m.as_ref().map_or(2, |m| m.view.levels.len()));
        let v = view_port.get_untracked();
        let layout = TreeLayout::new(levels, w, h, v, &style);
        let unit_css = layout.unit() / style.scale;
        if ps.len() >= 2 {
            let other = ps[1 - idx.min(1)].1;
            let before = (ps[idx].1 - other).abs().max(1.0);
            let after = (x - other).abs().max(1.0);
            let mid = layout.t_at((x + other) / 2.0 * style.scale);
            view_port.set(v.zoom(mid, after / before, len.get_untracked()));
        } else if unit_css > 0.0 {
            view_port.set(v.pan(-(x - ps[idx].1) / unit_css, len.get_untracked()));
        }
        pointers.update_value(|p| {
            if let Some(q) = p.iter_mut().find(|q| q.0 == ev.pointer_id()) {
                q.1 = x;
            }
        });
    };
    let on_up = move |ev: PointerEvent| {
        pointers.update_value(|p| p.retain(|q| q.0 != ev.pointer_id()));
    };
    let on_wheel = move |ev: WheelEvent| {
        ev.prevent_default();
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        let (x, _) = local_pos(&ev, &el);
        let dy = ev.delta_y();
        if ev.shift_key() || ev.delta_x().abs() > dy.abs() {
            let d = if ev.delta_x().abs() > dy.abs() {
                ev.delta_x()
            } else {
                dy
            };
            pan(d.signum() * 0.1);
        } else {
            zoom(t_at(x), if dy < 0.0 { 1.25 } else { 0.8 });
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        match ev.key().as_str() {
            "+" | "=" => zoom(None, 1.5),
            "-" | "_" => zoom(None, 1.0 / 1.5),
            "ArrowLeft" => pan(-0.2),
            "ArrowRight" => pan(0.2),
            "0" | "Home" => view_port.set(Viewport::all(len.get_untracked())),
            _ => return,
        }
        ev.prevent_default();
    };
    let summary = move || {
        model.with(|m| match m {
            Ok(m) => view! {
                <p data-testid="tree-summary">
                    "Receptive field of the last output: " <strong data-testid="tree-rf">{m.size}</strong>
                    " inputs (recurrence); " <strong data-testid="tree-fed">{m.fed}</strong> " highlighted; paths per input: "
                    <strong data-testid="tree-paths">{if m.paths.0 == m.paths.1 { m.paths.0.to_string() } else { format!("{}\u{2013}{}", m.paths.0, m.paths.1) }}</strong>
                    {if m.paths.0 == m.paths.1 { " \u{2014} every input contributes equally." } else { " \u{2014} unequal contributions." }}
                </p>
            }.into_any(),
            Err(e) => view! { <p class="error" role="alert" data-testid="tree-error">{e.clone()}</p> }.into_any(),
        })
    };
    let presets: [(&str, &str, &str); 4] = [
        (
            "WaveNet 1\u{2026}512",
            "tree-preset-wavenet",
            "1,2,4,8,16,32,64,128,256,512",
        ),
        ("1,2,4,8", "tree-preset-small", "1,2,4,8"),
        ("1,1,1,1", "tree-preset-plain", "1,1,1,1"),
        ("2,2,2", "tree-preset-grid", "2,2,2"),
    ];
    view! {
        <section class="panel" data-testid="tree-figure">
            <h2>"The WaveNet tree: causal, K = " {move || kernel.get()} ", one output"</h2>
            {summary}
            <div class="zoom" role="group" aria-label="zoom and pan the tree" style="display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.4rem 0">
                <button type="button" style="min-height:2.75rem;min-width:2.75rem" data-testid="tree-zoom-in" aria-label="zoom in" on:click=move |_| zoom(None, 2.0)>"+"</button>
                <button type="button" style="min-height:2.75rem;min-width:2.75rem" data-testid="tree-zoom-out" aria-label="zoom out" on:click=move |_| zoom(None, 0.5)>"\u{2212}"</button>
                <button type="button" style="min-height:2.75rem;min-width:2.75rem" data-testid="tree-left" aria-label="pan left" on:click=move |_| pan(-0.25)>"\u{2190}"</button>
                <button type="button" style="min-height:2.75rem;min-width:2.75rem" data-testid="tree-right" aria-label="pan right" on:click=move |_| pan(0.25)>"\u{2192}"</button>
                <button type="button" style="min-height:2.75rem;min-width:2.75rem" data-testid="tree-all" on:click=move |_| view_port.set(Viewport::all(len.get_untracked()))>"whole tree"</button>
                <span data-testid="tree-view">{move || { let v = view_port.get(); format!("showing t = {:.0}\u{2026}{:.0}", v.t0, v.t1 - 1.0) }}</span>
            </div>
            <div node_ref=boxed style="width:100%;min-width:0">
                <canvas node_ref=canvas tabindex="0" role="img" data-testid="tree-canvas"
                    aria-label="the tree of inputs feeding the last output; wheel, drag, pinch or +/−/arrow keys to zoom and pan"
                    style="display:block;width:100%;height:380px;touch-action:none;cursor:grab"
                    on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointercancel=on_up
                    on:wheel=on_wheel on:keydown=on_key></canvas>
            </div>
            {move || err.get().map(|e| view! { <p class="cl-error" role="alert">{e}</p> })}
            <div class="tree-edit" style="display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:.5rem">
                <label>"dilations "
                    <input type="text" data-testid="tree-dilations" size="30" style="min-height:2.4rem;font-size:1rem;max-width:100%" prop:value=move || text.get()
                        on:change=move |ev| { text.set(event_target_value(&ev)); apply(); } />
                </label>
                <label>"K "
                    <select data-testid="tree-k" on:change=move |ev| {
                        if let Ok(k) = event_target_value(&ev).parse::<usize>() { kernel.set(k); apply(); }
                    }>
                        <option value="2" selected=move || kernel.get() == 2>"2"</option>
                        <option value="3" selected=move || kernel.get() == 3>"3"</option>
                    </select>
                </label>
                {presets.into_iter().map(|(label, id, ds)| view! {
                    <button type="button" style="min-height:2.75rem;min-width:2.75rem" data-testid=id on:click=move |_| { text.set(ds.to_string()); apply(); }>{label}</button>
                }).collect_view()}
            </div>
            {move || {
                let n = tree_notes.get();
                (!n.is_empty()).then(|| view! { <ul class="notes" data-testid="tree-notes">{n.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> })
            }}
        </section>
    }
}

fn dilations_text(t: &[Layer]) -> String {
    t.iter()
        .map(|l| l.dilation.to_string())
        .collect::<Vec<_>>()
        .join(",")
}
