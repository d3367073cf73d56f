//! The lesson's panels, one component each: the grid and strip, the
//! contribution caption, the stack editor, the cell picker and the cost
//! panel; with the canvas helpers they share with the tree.

use leptos::html;
use leptos::prelude::*;
use web_sys::{KeyboardEvent, PointerEvent};

use super::animator::{caption, level_of};
use super::draw::{draw_map, draw_strip, map_layout, strip_slot, MapOptions};
use super::model::{contribution_caption, cost_chart, GridModel, COST_CHANNELS};
use super::state::{format_stack, Layer, OutputCell, Stack, GRID_BOUNDS, PRESETS};
use crate::draw::chart::line_chart;
use crate::draw::{DrawResult, Style};
use crate::widgets::plot::CanvasArea;
use crate::widgets::surface::{draw_on_canvas, fit_canvas, local_pos, observe_width, use_theme};
use crate::widgets::{Formula, Math, Player, Plot};

/// A canvas as wide as its box, redrawn whenever a signal read in `draw` changes.
pub(super) fn use_canvas<F>(
    boxed: NodeRef<html::Div>,
    canvas: NodeRef<html::Canvas>,
    height: f64,
    draw: F,
) -> RwSignal<Option<String>>
where
    F: Fn(&CanvasArea, &Style) -> DrawResult + 'static,
{
    let theme = use_theme();
    let width = observe_width(boxed);
    let error = RwSignal::new(None::<String>);
    let gate = crate::widgets::defer::use_gate(canvas);
    Effect::new(move |_| {
        // No size before the first layout; then ask the gate.
        if width.get() <= 0.0 || !gate.open() {
            return;
        }
        let w = width.get();
        let theme = theme.get();
        let Some(c) = canvas.get() else { return };
        if w <= 0.0 {
            return;
        }
        // Square maps on a narrow screen: no empty band under the figure.
        let h = height.min(w + 40.0);
        let _ = web_sys::HtmlElement::style(&c).set_property("height", &format!("{h}px"));
        let dpr = fit_canvas(&c, w, h);
        let style = Style::new(theme, dpr);
        let r = draw_on_canvas(&c, |area| draw(area, &style));
        if error.get_untracked() != r.as_ref().err().cloned() {
            error.set(r.err());
        }
    });
    error
}

/// The style and backend-pixel size of a drawn canvas, for hit testing.
pub(super) fn canvas_geometry(el: &web_sys::HtmlCanvasElement) -> (Style, f64, f64) {
    let css_w = el.client_width().max(1) as f64;
    let dpr = el.width() as f64 / css_w;
    let style = Style::new(crate::widgets::surface::dom_theme(), dpr);
    (style, el.width() as f64, el.height() as f64)
}

/// Summary numbers with test ids: recurrence and highlighted cells.
#[component]
pub(super) fn GridFigure(
    model: Memo<Result<GridModel, String>>,
    frame: RwSignal<usize>,
    frames: Signal<usize>,
    heat: RwSignal<bool>,
) -> impl IntoView {
    let boxed = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let big = use_canvas(boxed, canvas, 440.0, move |area, style| {
        area.fill(&style.ink.background).map_err(crate::draw::err)?;
        let f = frame.get();
        let h = heat.get();
        model.with(|m| match m {
            Ok(m) => {
                let top = m.maps.len() - 1;
                let level = level_of(f, top);
                let opts = MapOptions {
                    heat: h,
                    numbers: h,
                    chosen: (level == top).then_some(m.cell),
                    caption: 26.0,
                    max_cell: 40.0,
                    ..MapOptions::default()
                };
                draw_map(area, &m.maps[level], &opts, style)
            }
            Err(_) => Ok(()),
        })
    });
    let sbox = NodeRef::<html::Div>::new();
    let scanvas = NodeRef::<html::Canvas>::new();
    // The strip is in frame order: output first.
    let strip = use_canvas(sbox, scanvas, 150.0, move |area, style| {
        let f = frame.get();
        model.with(|m| match m {
            Ok(m) => {
                let maps: Vec<_> = m.maps.iter().rev().cloned().collect();
                draw_strip(area, &maps, f, style)
            }
            Err(_) => Ok(()),
        })
    });
    let on_strip = move |ev: PointerEvent| {
        let Some(el) = scanvas.get_untracked() else {
            return;
        };
        let (x, _) = local_pos(&ev, &el);
        if let Some(i) = strip_slot(x, el.client_width() as f64, frames.get_untracked()) {
            frame.set(i);
        }
    };
    let numbers = move || {
        model.with(|m| match m {
            Ok(m) => {
                let f = m.field();
                let top = m.maps.len() - 1;
                let level = level_of(frame.get(), top);
                let shown = &m.maps[level];
                let input = &m.maps[0];
                let (bh, bw) = input.bbox().map_or((0, 0), |b| (b.2, b.3));
                let lit = shown.fed();
                view! {
                    <dl class="rf-numbers" data-testid="rf-numbers" style="display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.2rem 1.2rem;margin:.6rem 0">
                        <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"r \u{2014} receptive field (recurrence)"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="rf-size">{f.size}</dd></div>
                        <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"j \u{2014} jump"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="rf-jump">{f.jump}</dd></div>
                        <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"start of output cell 0"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="rf-start">{f.start}</dd></div>
                        <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"highlighted input extent"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="fed-extent">{format!("{bh}\u{d7}{bw}")}</dd></div>
                        <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"highlighted input cells"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="fed-input">{input.fed()}</dd></div>
                        <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"highlighted in this frame"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="fed-frame">{lit}</dd></div>
                        <div style="display:flex;justify-content:space-between;gap:.6rem;border-bottom:1px solid rgba(128,128,128,.35)"><dt>"holes (gridding)"</dt><dd style="margin:0;font-weight:700;font-variant-numeric:tabular-nums" data-testid="holes">{m.holes}</dd></div>
                    </dl>
                    {m.clipped.then(|| view! {
                        <p class="note" data-testid="clipped">"The field reaches past the border here: the zero padding cuts it, so fewer cells are highlighted than r\u{b2}."</p>
                    })}
                }
                .into_any()
            }
            Err(e) => view! { <p class="error" role="alert" data-testid="stack-error">{e.clone()}</p> }.into_any(),
        })
    };
    view! {
        <section class="panel" data-testid="grid-figure">
            <h2>"Which cells feed the chosen output"</h2>
            <div node_ref=boxed style="width:100%;min-width:0">
                <canvas node_ref=canvas role="img" data-testid="map-canvas"
                    aria-label=move || model.with(|m| m.as_ref().map(|m| caption(frame.get(), m.maps.len() - 1)).unwrap_or_default())
                    style="display:block;width:100%;height:440px"></canvas>
            </div>
            {move || big.get().map(|e| view! { <p class="cl-error" role="alert">{e}</p> })}
            <p class="caption" data-testid="frame-caption" aria-live="polite">
                {move || model.with(|m| m.as_ref().map(|m| caption(frame.get(), m.maps.len() - 1)).unwrap_or_default())}
            </p>
            <Player frame=frame frames=frames fps=1.0 label="layer by layer, output to input" test_id="player" />
            <div node_ref=sbox style="width:100%;min-width:0">
                <canvas node_ref=scanvas role="img" data-testid="strip-canvas"
                    aria-label="every map of the stack, output first; click one to show it"
                    style="display:block;width:100%;height:150px;cursor:pointer"
                    on:pointerdown=on_strip></canvas>
            </div>
            {move || strip.get().map(|e| view! { <p class="cl-error" role="alert">{e}</p> })}
            {numbers}
        </section>
    }
}

/// The input map coloured by the number of paths to the chosen output.
#[component]
pub(super) fn ContributionFigure(model: Memo<Result<GridModel, String>>) -> impl IntoView {
    let summary = move || model.with(|m| m.as_ref().ok().and_then(contribution_caption));
    view! {
        <section class="panel" data-testid="contribution">
            <h2>"How many paths reach each input cell"</h2>
            <Plot label="input cells coloured by the number of paths to the chosen output" height=400.0 test_id="heat-plot"
                draw=move |area, style| {
                    area.fill(&style.ink.background).map_err(crate::draw::err)?;
                    model.with(|m| match m {
                        Ok(m) => draw_map(area, &m.maps[0], &MapOptions { heat: true, numbers: true, caption: 24.0, max_cell: 40.0, ..MapOptions::default() }, style),
                        Err(_) => Ok(()),
                    })
                } />
            <p data-testid="contribution-summary">{summary}</p>
        </section>
    }
}

/// The editable layer stack.
#[component]
pub(super) fn StackEditor(stack: RwSignal<Stack>) -> impl IntoView {
    let set = move |i: usize, f: &dyn Fn(&mut Layer)| {
        stack.update(|s| {
            if let Some(l) = s.get_mut(i) {
                f(l);
            }
        })
    };
    let num = |ev: &web_sys::Event, lo: usize, hi: usize| -> Option<usize> {
        event_target_value(ev)
            .trim()
            .parse::<usize>()
            .ok()
            .map(|v| v.clamp(lo, hi))
    };
    view! {
        <h2>"The stack"</h2>
        <div class="presets" role="group" aria-label="presets" style="display:flex;flex-wrap:wrap;gap:.4rem;margin-bottom:.5rem">
            {PRESETS.iter().map(|p| {
                let layers = p.layers.to_vec();
                let id = format!("preset-{}", p.label.replace(',', "-"));
                view! {
                    <button type="button" style="min-height:2.75rem;min-width:2.75rem" data-testid=id title=p.hint
                        on:click=move |_| stack.set(Stack(layers.clone()))>{p.label}</button>
                }
            }).collect_view()}
        </div>
        <ol class="layers" data-testid="layers" style="padding-left:0;list-style:none;margin:.3rem 0">
            {move || stack.get().0.into_iter().enumerate().map(|(i, l)| {
                let n = i + 1;
                view! {
                    <li data-testid=format!("layer-{n}") style="display:flex;flex-wrap:wrap;gap:.25rem;align-items:center;margin:.3rem 0">
                        <span style="min-width:1rem;font-weight:600">{format!("{n}.")}</span>
                        <label>"K "
                            <input type="number" style="width:2.5rem;min-height:2.4rem;font-size:1rem" min=GRID_BOUNDS.kernel.0 max=GRID_BOUNDS.kernel.1 prop:value=l.kernel.to_string()
                                data-testid=format!("layer-{n}-k") aria-label=format!("layer {n} kernel K")
                                on:change=move |ev| if let Some(v) = num(&ev, GRID_BOUNDS.kernel.0, GRID_BOUNDS.kernel.1) { set(i, &|l: &mut Layer| l.kernel = v) } />
                        </label>
                        <label>"d "
                            <input type="number" style="width:2.8rem;min-height:2.4rem;font-size:1rem" min=GRID_BOUNDS.dilation.0 max=GRID_BOUNDS.dilation.1 prop:value=l.dilation.to_string()
                                data-testid=format!("layer-{n}-d") aria-label=format!("layer {n} dilation d")
                                on:change=move |ev| if let Some(v) = num(&ev, GRID_BOUNDS.dilation.0, GRID_BOUNDS.dilation.1) { set(i, &|l: &mut Layer| l.dilation = v) } />
                        </label>
                        <label>"s "
                            <input type="number" style="width:2.5rem;min-height:2.4rem;font-size:1rem" min=GRID_BOUNDS.stride.0 max=GRID_BOUNDS.stride.1 prop:value=l.stride.to_string()
                                data-testid=format!("layer-{n}-s") aria-label=format!("layer {n} stride s")
                                on:change=move |ev| if let Some(v) = num(&ev, GRID_BOUNDS.stride.0, GRID_BOUNDS.stride.1) { set(i, &|l: &mut Layer| l.stride = v) } />
                        </label>
                        <span class="span" title="cells one kernel spans" style="font-size:.9em">{format!("\u{2192} {}", l.span())}</span>
                        <button type="button" style="min-height:2.75rem;min-width:2.75rem;margin-left:auto" data-testid=format!("layer-{n}-remove") aria-label=format!("remove layer {n}")
                            disabled=move || stack.with(|s| s.len() <= 1)
                            on:click=move |_| stack.update(|s| if s.len() > 1 && i < s.len() { s.remove(i); })>"\u{2212}"</button>
                    </li>
                }
            }).collect_view()}
        </ol>
        <button type="button" style="min-height:2.75rem;min-width:2.75rem" data-testid="layer-add"
            disabled=move || stack.with(|s| s.len() >= GRID_BOUNDS.max_layers)
            on:click=move |_| stack.update(|s| if s.len() < GRID_BOUNDS.max_layers {
                let d = s.last().map_or(1, |l| (l.dilation * 2).min(GRID_BOUNDS.dilation.1));
                s.push(Layer::new(3, d));
            })>"+ add a layer"</button>
        <p class="code">"L = " <code data-testid="stack-code">{move || format_stack(&stack.get())}</code></p>
    }
}

/// The output map: hover, tap or arrow keys choose the output cell.
#[component]
pub(super) fn CellPicker(
    model: Memo<Result<GridModel, String>>,
    cell: RwSignal<OutputCell>,
) -> impl IntoView {
    let boxed = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let opts = MapOptions {
        extent: false,
        caption: 0.0,
        max_cell: 24.0,
        ..MapOptions::default()
    };
    let err = use_canvas(boxed, canvas, 220.0, move |area, style| {
        area.fill(&style.ink.background).map_err(crate::draw::err)?;
        model.with(|m| match m {
            Ok(m) => {
                let Some(out) = m.maps.last() else {
                    return Err("no output map".to_string());
                };
                draw_map(
                    area,
                    out,
                    &MapOptions {
                        chosen: Some(m.cell),
                        ..opts
                    },
                    style,
                )
            }
            Err(_) => Ok(()),
        })
    });
    let pick = move |ev: PointerEvent| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        let (x, y) = local_pos(&ev, &el);
        let (style, w, h) = canvas_geometry(&el);
        let hit = model.with_untracked(|m| {
            m.as_ref().ok().and_then(|m| {
                let out = m.maps.last()?;
                map_layout(out, w, h, &opts, &style).hit(x * style.scale, y * style.scale)
            })
        });
        if let Some(c) = hit {
            if cell.get_untracked() != OutputCell(Some(c)) {
                cell.set(OutputCell(Some(c)));
            }
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        let Some((r, c, h, w)) = model.with_untracked(|m| {
            m.as_ref()
                .ok()
                .map(|m| (m.cell.0, m.cell.1, m.out_shape.0, m.out_shape.1))
        }) else {
            return;
        };
        let next = match ev.key().as_str() {
            "ArrowUp" => (r.saturating_sub(1), c),
            "ArrowDown" => ((r + 1).min(h - 1), c),
            "ArrowLeft" => (r, c.saturating_sub(1)),
            "ArrowRight" => (r, (c + 1).min(w - 1)),
            "Home" => ((h - 1) / 2, (w - 1) / 2),
            _ => return,
        };
        ev.prevent_default();
        cell.set(OutputCell(Some(next)));
    };
    view! {
        <h2>"Output cell"</h2>
        <div node_ref=boxed style="width:100%;min-width:0">
            <canvas node_ref=canvas tabindex="0" role="application" data-testid="cell-picker"
                aria-label="the output map: hover, tap or use the arrow keys to choose the output cell"
                style="display:block;width:100%;height:220px;cursor:crosshair;touch-action:none"
                on:pointermove=pick on:pointerdown=pick on:keydown=on_key></canvas>
        </div>
        {move || err.get().map(|e| view! { <p class="cl-error" role="alert">{e}</p> })}
        <p data-testid="cell" aria-live="polite">
            {move || model.with(|m| m.as_ref().map(|m| format!("row {}, column {} of {}\u{d7}{}", m.cell.0, m.cell.1, m.out_shape.0, m.out_shape.1)).unwrap_or_default())}
        </p>
    }
}

/// The cost panel: span formula per layer, the recurrence table, and the chart.
#[component]
pub(super) fn CostPanel(
    stack: RwSignal<Stack>,
    model: Memo<Result<GridModel, String>>,
) -> impl IntoView {
    let formula = Signal::derive(move || {
        let s = stack.get();
        let l = s.last().copied().unwrap_or(Layer::new(3, 1));
        Math::row([
            Math::paren(Math::row([
                Math::id("K"),
                Math::op("\u{2212}"),
                Math::num(1),
            ])),
            Math::op("\u{b7}"),
            Math::id("d"),
            Math::op("+"),
            Math::num(1),
            Math::op("="),
            Math::paren(Math::row([
                Math::num(l.kernel),
                Math::op("\u{2212}"),
                Math::num(1),
            ])),
            Math::op("\u{b7}"),
            Math::num(l.dilation),
            Math::op("+"),
            Math::num(1),
            Math::op("="),
            Math::strong(Math::num(l.span())),
            Math::text("\u{a0}cells, with\u{a0}"),
            Math::row([
                Math::id("K"),
                Math::op("\u{b7}"),
                Math::id("K"),
                Math::op("="),
                Math::strong(Math::num(l.kernel * l.kernel)),
            ]),
            Math::text("\u{a0}weights per channel pair"),
        ])
    });
    let recurrence = Math::row([
        Math::sub(Math::id("r"), Math::id("l")),
        Math::op("="),
        Math::sub(Math::id("r"), Math::text("l\u{2212}1")),
        Math::op("+"),
        Math::paren(Math::row([
            Math::sub(Math::id("k"), Math::id("l")),
            Math::op("\u{2212}"),
            Math::num(1),
        ])),
        Math::op("\u{b7}"),
        Math::sub(Math::id("d"), Math::id("l")),
        Math::op("\u{b7}"),
        Math::sub(Math::id("j"), Math::text("l\u{2212}1")),
        Math::text(",\u{a0}\u{a0}\u{a0}"),
        Math::sub(Math::id("j"), Math::id("l")),
        Math::op("="),
        Math::sub(Math::id("j"), Math::text("l\u{2212}1")),
        Math::op("\u{b7}"),
        Math::sub(Math::id("s"), Math::id("l")),
    ]);
    let rows = move || {
        let s = stack.get();
        model.with(|m| {
            m.as_ref().ok().map(|m| {
                s.iter()
                    .enumerate()
                    .filter_map(|(i, l)| {
                        let info = m.info.get(i + 1).copied()?;
                        Some(view! {
                            <tr>
                                <td>{i + 1}</td>
                                <td>{format!("{0}\u{d7}{0}", l.kernel)}</td>
                                <td>{l.dilation}</td>
                                <td>{l.stride}</td>
                                <td>{l.span()}</td>
                                <td>{l.kernel * l.kernel}</td>
                                <td data-testid=format!("r-{}", i + 1)>{info.size}</td>
                                <td>{info.jump}</td>
                                <td>{info.start}</td>
                            </tr>
                        })
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="cost-grid">
            <div>
                <h2>"Span and weights"</h2>
                <Formula math=formula test_id="span-formula" />
                <Formula math=Signal::derive(move || recurrence.clone()) test_id="recurrence" />
                <table class="numbers" tabindex="0" data-testid="recurrence-table" style="border-collapse:separate;border-spacing:.9rem .25rem;text-align:right;font-variant-numeric:tabular-nums">
                    <thead><tr><th>"l"</th><th>"K"</th><th>"d"</th><th>"s"</th><th>"span"</th><th>"weights K\u{b7}K"</th><th>"r"</th><th>"j"</th><th>"start"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div>
                <h2>"Receptive field vs parameters"</h2>
                <Plot label="receptive field against parameters for stacks of 1 to 6 layers" height=300.0 test_id="cost-plot"
                    draw=move |area, style| line_chart(area, &cost_chart(&stack.get(), COST_CHANNELS), style) />
                <p class="caption">"Each point adds a layer (C = " {COST_CHANNELS} " \u{2192} " {COST_CHANNELS} ", with bias). Dilation buys an exponentially growing field at the price of a plain 3\u{d7}3 stack; the ringed point is the stack above."</p>
            </div>
        </div>
    }
}
