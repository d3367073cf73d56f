//! Lesson 6 (curriculum §6): group-equivariant filters (p4m).
//!
//! One learned filter and its 8 rotated/flipped copies (the p4m orbit), the
//! 8 maps they make on the picked input — 8× the maps for the parameters of
//! one filter — and the live equivariance check: transform the input, and
//! the maps transform and permute; the difference between "transform then
//! convolve" and "convolve then transform" is computed, not asserted.
//!
//! Files: `state.rs` (the URL state, declared once, and the filter's URL
//! code), `model.rs` (what the kernel crate computes from it), `draw.rs`,
//! `torch.rs`.
//!
//! URL: `#/equivariant?f=corner&K=3&G=p4m&h=90&input=digit`.

pub mod draw;
pub mod model;
pub mod state;
pub mod torch;

use convlab_core::ops::equivariant::Group;
use convlab_core::{Tensor, D4};
use leptos::html;
use leptos::prelude::*;

use self::draw::{draw_orbit, draw_permutation};
use self::model::{compute, EquivView};
use self::state::{h_name, Drawing, EquivSignals, EquivState, Filter, LEVELS};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::picture::picture_memo;
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::config::sizes;
use crate::draw::heatmap::{draw_tensor, step_cell, Cell, HeatmapOptions, Palette, TensorLayout};
use crate::draw::Style;
use crate::route::{Note, Query};
use crate::widgets::plot::CanvasArea;
use crate::widgets::surface::{draw_on_canvas, fit_canvas, local_pos, use_theme};
use crate::widgets::{Formula, InputPicker, Math, Plot, TensorView};

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "equivariant",
    section: 6,
    part: Part::Transferred,
    title: "Group-equivariant filters (p4m)",
    short: "p4m",
    blurb: "One filter, rotated and flipped: 8\u{d7} the feature maps for no extra parameters, and a live equivariance check.",
    page,
    notes: |q| EquivState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = EquivState::read(q);
    match Tensor::zeros(1, 1, 1) {
        Ok(blank) => view! { <Equivariant initial=st notes=notes blank=blank /> }.into_any(),
        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
    }
}

/// The home card: the orbit of the corner filter.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    let st = EquivState::default();
    let lift = st.lifting()?;
    let mut tiles = Vec::new();
    for i in 0..8 {
        if let Some(f) = lift.filter(i) {
            tiles.push(Tensor::new(1, 3, 3, f.weight().to_vec())?);
        }
    }
    draw_orbit(
        area,
        &tiles,
        Palette::Diverging(Some(2.0)),
        None,
        true,
        style,
    )?;
    Ok(())
}

/// The channels of `t` as one-channel tensors.
fn split(t: &Tensor) -> Vec<Tensor> {
    (0..t.channels())
        .filter_map(|c| t.channels_range(c..c + 1).ok())
        .collect()
}

/// Scientific notation for a small error ("0", "2.4e-7").
fn show_error(e: f32) -> String {
    if !e.is_finite() {
        "?".into()
    } else if e == 0.0 {
        "0".into()
    } else {
        format!("{e:.1e}")
    }
}

#[component]
fn Equivariant(initial: EquivState, notes: Vec<Note>, blank: Tensor) -> impl IntoView {
    let s = EquivSignals::new(&initial);
    let (filter, k, group, h) = (s.filter, s.k, s.group, s.h);
    let picture = picture_memo(s.input);
    let state = s.memo();
    EquivSignals::write_back(state, "equivariant");
    let view_model = Memo::new(move |_| -> Result<std::sync::Arc<EquivView>, String> {
        let x = picture.get().map_err(|e| e.to_string())?;
        compute(&state.get(), &x)
            .map(std::sync::Arc::new)
            .map_err(|e| e.to_string())
    });
    let hx_view = {
        let blank = blank.clone();
        Signal::derive(move || {
            view_model.with(|v| {
                v.as_ref()
                    .map(|v| v.hx.clone())
                    .unwrap_or_else(|_| blank.clone())
            })
        })
    };
    let map_palette = move || {
        view_model.with(|v| {
            v.as_ref()
                .map(|v| {
                    Palette::Diverging(Some(v.maps.max_abs().max(v.maps_h.max_abs()).max(1e-6)))
                })
                .unwrap_or_default()
        })
    };
    let filter_palette = move || {
        view_model.with(|v| {
            v.as_ref()
                .map(|v| {
                    Palette::Diverging(Some(
                        v.lift
                            .base()
                            .weight()
                            .iter()
                            .fold(1e-6f32, |m, w| m.max(w.abs())),
                    ))
                })
                .unwrap_or_default()
        })
    };
    // A memo, so painting a tap does not rebuild the editor.
    let drawing = Memo::new(move |_| matches!(filter.get(), Filter::Drawn(_)));
    let order = move || group.get().order();
    let p4 = move || group.get() == Group::P4;
    let shared =
        move || view_model.with(|v| v.as_ref().map(|v| v.lift.shared_params()).unwrap_or(0));
    let independent =
        move || view_model.with(|v| v.as_ref().map(|v| v.lift.independent_params()).unwrap_or(0));
    let macs = move || {
        view_model.with(|v| {
            v.as_ref()
                .ok()
                .and_then(|v| v.lift.macs(v.x.height(), v.x.width()).ok())
                .unwrap_or(0)
        })
    };
    let error = move || view_model.with(|v| v.as_ref().map(|v| v.error).unwrap_or(f32::NAN));
    let apply = move |g: D4| {
        let next = g.compose(h.get_untracked());
        if group.get_untracked().contains(next) {
            h.set(next);
        }
    };
    let set_group = move |g: Group| {
        if !g.contains(h.get_untracked()) {
            h.set(D4::new(h.get_untracked().rotation, false));
        }
        group.set(g);
    };

    let idea = "Rotate and flip one learned filter: its 8 copies (the group p4m) give 8 oriented feature maps for \
                the parameters of one filter. Turn or mirror the input and the maps turn or mirror too, and swap \
                places \u{2014} the layer is equivariant, and the difference is computed below.";

    view! {
        <LessonLayout id="equivariant" idea=idea notes=notes>
            <Figure slot>
                {move || view_model.with(|v| v.as_ref().err().map(|e| view! { <p class="error" role="alert" data-testid="equivariant-error">{e.clone()}</p> }))}
                <section class="panel" data-testid="orbit">
                    <h2>{move || format!("One filter ({}), {} copies: the {} orbit", filter.with(Filter::label), order(), group.get().label())}</h2>
                    <Plot
                        label="the filter's rotated and flipped copies as a grid: rotations 0, 90, 180, 270 degrees along a row, the mirrored copies on the second row"
                        height=300.0
                        test_id="orbit-plot"
                        draw=move |area: &CanvasArea, style: &Style| {
                            let pal = filter_palette();
                            view_model.with(|v| match v {
                                Ok(v) => draw_orbit(area, &v.filters, pal, None, true, style),
                                Err(e) => Err(e.clone()),
                            })
                        }
                    />
                    <p style="margin:0.25em 0 0">
                        "r turns the filter 90\u{b0} counter-clockwise, f mirrors it left\u{2013}right first; r\u{2074} = f\u{b2} = identity and f\u{b7}r = r\u{207b}\u{b9}\u{b7}f, so these "
                        {order}
                        " copies are all there are."
                    </p>
                </section>
                <section class="panel" data-testid="maps">
                    <h2>
                        {move || format!("{}\u{d7} the feature maps, no extra parameters", order())}
                    </h2>
                    <div class="tensor-pair">
                        <div>
                            <h3>{move || format!("input h\u{b7}x, h = {}", h.get().label())}</h3>
                            <TensorView tensor=hx_view label="the transformed input" height=260.0 legend=false test_id="input-view" />
                        </div>
                        <div>
                            <h3>{move || format!("its {} maps, conv(h\u{b7}x, g\u{b7}w)", order())}</h3>
                            <Plot
                                label="the feature maps of the transformed input, laid out as the orbit"
                                height=260.0
                                test_id="maps-plot"
                                draw=move |area: &CanvasArea, style: &Style| {
                                    let pal = map_palette();
                                    view_model.with(|v| match v {
                                        Ok(v) => draw_orbit(area, &split(&v.maps_h), pal, None, false, style),
                                        Err(e) => Err(e.clone()),
                                    })
                                }
                            />
                        </div>
                    </div>
                    <p data-testid="param-compare" style="font-size:1.1rem">
                        "Learned parameters: " <strong data-testid="shared-params" data-value=move || shared().to_string()>{shared}</strong>
                        " (one " {move || k.get()} "\u{d7}" {move || k.get()} " filter) for "
                        <strong data-testid="maps-count" data-value=move || order().to_string()>{order}</strong>
                        " maps; " {order} " independent filters would need "
                        <strong data-testid="independent-params" data-value=move || independent().to_string()>{independent}</strong> "."
                    </p>
                </section>
                <section class="panel" data-testid="equivariance">
                    <h2>"Equivariance check: transform the input"</h2>
                    <div class="jumps" role="group" aria-label="transform the input">
                        <button type="button" class="btn" data-testid="rotate-input" on:click=move |_| apply(D4::rotation(1))>"\u{21ba} rotate input 90\u{b0}"</button>
                        <button type="button" class="btn" data-testid="flip-input" disabled=p4 on:click=move |_| apply(D4::FLIP)>"\u{21c6} flip input"</button>
                        <button type="button" class="btn" data-testid="reset-input" on:click=move |_| h.set(D4::IDENTITY)>"reset (h = 0\u{b0})"</button>
                    </div>
                    <p data-testid="h-label" data-value=move || h_name(h.get())>
                        {move || {
                            let g = h.get();
                            format!("h = {}: new map g is old map h\u{207b}\u{b9}g = ({})\u{b7}g, turned by h \u{2014} follow the arrows.", g.label(), g.inverse().label())
                        }}
                    </p>
                    <Plot
                        label="maps of x on top, maps of the transformed input below, an arrow from each old map to the new position it moves to"
                        height=300.0
                        test_id="permutation-plot"
                        draw=move |area: &CanvasArea, style: &Style| {
                            let pal = map_palette();
                            view_model.with(|v| match v {
                                Ok(v) => draw_permutation(area, &split(&v.maps), &split(&v.maps_h), &v.perm, pal, style),
                                Err(e) => Err(e.clone()),
                            })
                        }
                    />
                    <p style="font-size:1.15rem">
                        "max |conv(h\u{b7}x, g\u{b7}w) \u{2212} h\u{b7}conv(x, h\u{207b}\u{b9}g\u{b7}w)| over all maps and cells = "
                        <strong data-testid="eq-error" data-value=move || error().to_string()>{move || show_error(error())}</strong>
                        " (float32 rounding; exactly the same products are summed in another order)"
                    </p>
                    <table class="count-table" tabindex="0" data-testid="eq-errors">
                        <thead><tr><th>"h"</th><th>"transform then convolve vs convolve then transform"</th></tr></thead>
                        <tbody>
                            {move || view_model.with(|v| v.as_ref().map(|v| v.errors.clone()).unwrap_or_default())
                                .into_iter()
                                .map(|(g, e)| {
                                    let current = g == h.get();
                                    view! {
                                        <tr style=if current { "font-weight:700" } else { "" }>
                                            <td>
                                                <button type="button" class="btn" aria-pressed=current.to_string() on:click=move |_| h.set(g)>{g.label()}</button>
                                            </td>
                                            <td class="num" data-testid=format!("eq-error-{}", h_name(g)) data-value=e.to_string()>{show_error(e)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </section>
            </Figure>
            <Controls slot>
                <h2>"The filter w"</h2>
                <div class="jumps" role="group" aria-label="filter presets">
                    <button type="button" class="btn" data-testid="preset-edge" aria-pressed=move || (filter.get() == Filter::Edge).to_string() on:click=move |_| filter.set(Filter::Edge)>"Edge"</button>
                    <button type="button" class="btn" data-testid="preset-corner" aria-pressed=move || (filter.get() == Filter::Corner).to_string() on:click=move |_| filter.set(Filter::Corner)>"Corner"</button>
                    <button type="button" class="btn" data-testid="preset-learned"
                        aria-pressed=move || matches!(filter.get(), Filter::Learned(_)).to_string()
                        on:click=move |_| {
                            let next = match filter.get_untracked() { Filter::Learned(s) => s.wrapping_add(1), _ => 1 };
                            filter.set(Filter::Learned(next));
                        }>
                        {move || match filter.get() { Filter::Learned(s) => format!("Learned-looking (seed {s}) \u{21bb}"), _ => "Learned-looking".into() }}
                    </button>
                    <button type="button" class="btn" data-testid="preset-draw"
                        aria-pressed=move || matches!(filter.get(), Filter::Drawn(_)).to_string()
                        on:click=move |_| {
                            if !matches!(filter.get_untracked(), Filter::Drawn(_)) {
                                let st = state.get_untracked();
                                let d = st.filter.weights(st.k).map(|(kk, w)| Drawing::from_weights(kk, &w)).unwrap_or_else(|_| Drawing::zeros(st.k));
                                filter.set(Filter::Drawn(d));
                            }
                        }>"Draw / edit"</button>
                </div>
                <div class="jumps" role="group" aria-label="K, kernel size">
                    <span style="align-self:center">"K \u{2014} kernel size"</span>
                    {[3usize, 5].into_iter().map(|kk| view! {
                        <button type="button" class="btn" data-testid=format!("K-{kk}") aria-pressed=move || (k.get() == kk).to_string()
                            on:click=move |_| {
                                k.set(kk);
                                filter.update(|f| if let Filter::Drawn(d) = f { *d = d.resized(kk); });
                            }>{format!("{kk}\u{d7}{kk}")}</button>
                    }).collect_view()}
                </div>
                {move || drawing.get().then(|| view! { <FilterEditor filter=filter /> })}
                <h2>"The group"</h2>
                <div class="jumps" role="group" aria-label="group">
                    <button type="button" class="btn" data-testid="group-p4m" aria-pressed=move || (!p4()).to_string() on:click=move |_| set_group(Group::P4m)>"p4m: rotations and flips (8)"</button>
                    <button type="button" class="btn" data-testid="group-p4" aria-pressed=move || p4().to_string() on:click=move |_| set_group(Group::P4)>"p4: rotations only (4)"</button>
                </div>
                <h2>"The input x"</h2>
                <InputPicker state=s.input test_id="input-picker" />
            </Controls>
            <Cost slot>
                <div class="cost-grid">
                    <div class="counts">
                        <Formula test_id="formula-params" math=Signal::derive(move || {
                            let kk = k.get() as u64;
                            Math::row([
                                Math::text("learned"), Math::op("="), Math::id("K"), Math::op("\u{b7}"), Math::id("K"),
                                Math::op("="), Math::num(kk), Math::op("\u{b7}"), Math::num(kk), Math::op("="), Math::strong(Math::count(shared())),
                            ])
                        }) />
                        <Formula test_id="formula-independent" math=Signal::derive(move || {
                            let kk = k.get() as u64;
                            let n = order() as u64;
                            Math::row([
                                Math::text("independent"), Math::op("="), Math::id("|G|"), Math::op("\u{b7}"), Math::id("K"), Math::op("\u{b7}"), Math::id("K"),
                                Math::op("="), Math::num(n), Math::op("\u{b7}"), Math::num(kk), Math::op("\u{b7}"), Math::num(kk), Math::op("="), Math::strong(Math::count(independent())),
                            ])
                        }) />
                        <p data-testid="macs">
                            "Multiply\u{2013}adds on the " {move || view_model.with(|v| v.as_ref().map(|v| format!("{}\u{d7}{}", v.x.height(), v.x.width())).unwrap_or_default())}
                            " input: " <strong data-testid="macs-value" data-value=move || macs().to_string()>{move || crate::widgets::formula::group_digits(macs())}</strong>
                            " \u{2014} " {order} " full convolutions: the maps are free in parameters, not in compute."
                        </p>
                    </div>
                    <div>
                        <p>
                            "A p4m layer stores one filter and computes all " {order}
                            " orientations. A pattern that appears turned or mirrored in the input is found by the turned or mirrored copy, "
                            "in the map that the arrows point to \u{2014} the network does not have to learn each orientation separately."
                        </p>
                    </div>
                </div>
            </Cost>
            <SlideSays slot>
                <p>
                    "\u{201c}8 times more feature maps without adding parameters\u{201d}: true for the parameters ("
                    {shared} " learned, not " {independent} "), but each map is a full convolution, so the multiply\u{2013}adds grow " {order}
                    "\u{d7}. And \u{201c}the error is 0\u{201d} holds up to float rounding: the computed difference is shown above."
                </p>
            </SlideSays>
        </LessonLayout>
    }
}

/// A `K×K` editor for a drawn filter: pick a level, then click or drag; with
/// the canvas focused, arrows move the cursor, Space/Enter paints, + and −
/// change the cell.
#[component]
fn FilterEditor(filter: RwSignal<Filter>) -> impl IntoView {
    let theme = use_theme();
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let pen = RwSignal::new(LEVELS.1);
    let painting = StoredValue::new(false);
    let cursor = RwSignal::new(None::<Cell>);
    let focused = RwSignal::new(false);
    let layout = StoredValue::new(None::<TensorLayout>);
    let side = move || match filter.get() {
        Filter::Drawn(d) => d.k(),
        _ => 3,
    };
    let side_css = move || side() as f64 * sizes::TOUCH_TARGET;
    Effect::new(move |_| {
        let theme = theme.get();
        let cur = cursor.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let Filter::Drawn(d) = filter.get() else {
            return;
        };
        let kk = d.k();
        let Ok(t) = Tensor::new(1, kk, kk, d.weights()) else {
            return;
        };
        let css = kk as f64 * sizes::TOUCH_TARGET;
        let dpr = fit_canvas(&canvas, css, css);
        let style = Style::new(theme, dpr);
        let l = TensorLayout::new(t.shape(), 0, css * dpr, css * dpr, dpr, false, false);
        layout.set_value(Some(l));
        let opts = HeatmapOptions {
            palette: Palette::Diverging(Some(f32::from(LEVELS.1))),
            pinned: if focused.get() {
                cur.or(Some(Cell::new(0, 0, 0)))
            } else {
                None
            },
            ..Default::default()
        };
        let _ = draw_on_canvas(&canvas, |area| draw_tensor(area, &t, &l, &opts, &style));
    });
    let paint = move |cell: Cell, level: i8| {
        filter.update(|f| {
            if let Filter::Drawn(d) = f {
                d.set(cell.y, cell.x, level);
            }
        });
    };
    let hit = move |ev: &web_sys::MouseEvent| -> Option<Cell> {
        let canvas = canvas_ref.get_untracked()?;
        let (x, y) = local_pos(ev, &canvas);
        let l = layout.get_value()?;
        let shown = canvas.get_bounding_client_rect().width();
        let scale = if shown > 0.0 {
            canvas.width() as f64 / shown
        } else {
            1.0
        };
        l.hit(x * scale, y * scale)
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if let Some(canvas) = canvas_ref.get_untracked() {
            let _ = canvas.set_pointer_capture(ev.pointer_id());
        }
        painting.set_value(true);
        if let Some(c) = hit(&ev) {
            cursor.set(Some(c));
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
        let kk = side();
        let shape = [1, kk, kk];
        let c = cursor.get_untracked().unwrap_or(Cell::new(0, 0, 0));
        let level = match filter.get_untracked() {
            Filter::Drawn(d) => d.get(c.y, c.x),
            _ => 0,
        };
        let next = match ev.key().as_str() {
            "ArrowUp" => step_cell(c, shape, 0, -1, 0),
            "ArrowDown" => step_cell(c, shape, 0, 1, 0),
            "ArrowLeft" => step_cell(c, shape, 0, 0, -1),
            "ArrowRight" => step_cell(c, shape, 0, 0, 1),
            " " | "Enter" => {
                paint(c, pen.get_untracked());
                c
            }
            "+" | "=" => {
                paint(c, level.saturating_add(1));
                c
            }
            "-" | "_" => {
                paint(c, level.saturating_sub(1));
                c
            }
            "0" => {
                paint(c, 0);
                c
            }
            _ => return,
        };
        ev.prevent_default();
        cursor.set(Some(next));
    };
    let levels: Vec<i8> = (LEVELS.0..=LEVELS.1).collect();
    view! {
        <div data-testid="filter-editor" style="display:flex;flex-wrap:wrap;gap:0.75em;align-items:flex-start">
            <canvas
                node_ref=canvas_ref
                tabindex="0"
                role="img"
                data-testid="filter-canvas"
                aria-label="filter editor: click or drag to paint the chosen level; arrow keys move, Space paints, + and \u{2212} change the cell"
                style:width=move || format!("{}px", side_css())
                style:height=move || format!("{}px", side_css())
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
            <div class="jumps" role="group" aria-label="level to paint" style="margin-top:0">
                {levels.into_iter().map(|l| view! {
                    <button type="button" class="btn" data-testid=format!("pen-{l}")
                        aria-pressed=move || (pen.get() == l).to_string()
                        on:click=move |_| pen.set(l)>{if l > 0 { format!("+{l}") } else { l.to_string() }}</button>
                }).collect_view()}
                <button type="button" class="btn" data-testid="filter-clear"
                    on:click=move |_| filter.update(|f| if let Filter::Drawn(d) = f { *d = Drawing::zeros(d.k()); })>"Clear"</button>
            </div>
        </div>
    }
}
