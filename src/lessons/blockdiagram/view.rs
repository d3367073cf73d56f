//! The view components: the clickable diagram, the layer inspector, the verdict and the cost table.

use convlab_core::CostSummary;
use leptos::prelude::*;

use crate::config;
use crate::lessons::picture::MAX_SHOWN;
use crate::widgets::formula::group_digits;
use crate::widgets::{KernelView, TensorView};

use super::*;

/// The diagram as SVG: each box is a button (click, tap, Enter or Space)
/// that selects it.
#[component]
pub fn BlockDiagram(
    /// The run whose diagram to draw.
    run: Memo<Result<BlockRun, String>>,
    /// The selected box.
    selected: RwSignal<usize>,
) -> impl IntoView {
    let geo = Memo::new(move |_| {
        run.with(|r| {
            r.as_ref()
                .ok()
                .map(|r| (r.diagram.clone(), geometry(&r.diagram)))
        })
    });
    move || {
        geo.get().map(|(d, g)| {
            let edges = g
                .edges
                .iter()
                .map(|e| {
                    let pts: Vec<String> = e.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
                    let head: Vec<String> = arrow_head(e, 8.0)
                        .iter()
                        .map(|(x, y)| format!("{x:.1},{y:.1}"))
                        .collect();
                    view! {
                        <polyline points=pts.join(" ") fill="none" stroke="currentColor" stroke-opacity="0.55" stroke-width="1.6" />
                        <polygon points=head.join(" ") fill="currentColor" fill-opacity="0.55" />
                    }
                })
                .collect_view();
            let input = g.input;
            let input_label = format!("input {}", shape_text(d.input));
            let boxes = d
                .boxes
                .iter()
                .zip(g.boxes.iter())
                .enumerate()
                .map(|(i, (b, r))| {
                    let colour = config::css(box_colour(b));
                    let fill = colour.clone();
                    let label = b.label();
                    let detail = format!("{} \u{b7} {} \u{b7} {} params", b.kind, b.channels(), group_digits(b.params));
                    let detail_length = fit_length(&detail, 12.5, r.w - 12.0);
                    let r = *r;
                    let pick = move || selected.set(i);
                    view! {
                        // Named by its two lines of text (what the box shows).
                        <g class="cl-box" role="button" tabindex="0" data-testid=format!("box-{i}")
                            aria-pressed=move || (selected.get() == i).to_string()
                            style="cursor:pointer"
                            on:click=move |_| pick()
                            on:keydown=move |ev: web_sys::KeyboardEvent| {
                                if ev.key() == "Enter" || ev.key() == " " {
                                    ev.prevent_default();
                                    pick();
                                }
                            }>
                            <rect x=r.x y=r.y width=r.w height=r.h rx="6"
                                fill=fill fill-opacity="0.3"
                                stroke=move || if selected.get() == i { "currentColor".to_string() } else { colour.clone() }
                                stroke-width=move || if selected.get() == i { "4" } else { "2" } />
                            <text x={r.x + r.w / 2.0} y={r.y + 21.0} text-anchor="middle" font-size="15" font-weight="600" fill="currentColor">{label}</text>
                            <text x={r.x + r.w / 2.0} y={r.y + 41.0} text-anchor="middle" font-size="12.5" fill="currentColor"
                                textLength=detail_length lengthAdjust="spacingAndGlyphs">{detail}</text>
                        </g>
                    }
                })
                .collect_view();
            view! {
                <svg class="cl-block-diagram" data-testid="block-diagram" role="group"
                    aria-label="the block's layers; each box is a button"
                    viewBox=format!("0 0 {} {}", g.width, g.height)
                    style="width:100%;max-width:640px;height:auto;display:block;margin:0 auto;overflow:visible">
                    {edges}
                    <g>
                        <rect x=input.x y=input.y width=input.w height=input.h rx="6" fill="none"
                            stroke="currentColor" stroke-opacity="0.5" stroke-dasharray="5 4" />
                        <text x={input.x + input.w / 2.0} y={input.y + 31.0} text-anchor="middle" font-size="15" fill="currentColor">{input_label}</text>
                    </g>
                    {boxes}
                </svg>
            }
        })
    }
}

/// The selected box's weights (KernelView) and output maps (TensorView).
#[component]
pub fn LayerInspector(
    /// The run.
    run: Memo<Result<BlockRun, String>>,
    /// The selected box.
    selected: RwSignal<usize>,
) -> impl IntoView {
    let conv = Memo::new(move |_| {
        let b = selected.get();
        run.with(|r| r.as_ref().ok().and_then(|r| r.conv_of(b)))
    });
    let output = Memo::new(move |_| {
        let b = selected.get();
        run.with(|r| r.as_ref().ok().and_then(|r| r.output_of(b)))
    });
    let has_conv = Memo::new(move |_| conv.with(Option::is_some));
    let has_output = Memo::new(move |_| output.with(Option::is_some));
    let title = move || {
        let b = selected.get();
        run.with(|r| {
            r.as_ref()
                .ok()
                .and_then(|r| r.diagram.boxes.get(b))
                .map(|bx| {
                    format!(
                        "{} \u{2014} {}, {} \u{2192} {}",
                        bx.label(),
                        bx.kind,
                        shape_text(bx.input),
                        shape_text(bx.output)
                    )
                })
        })
    };
    let out_caption = move || {
        let b = selected.get();
        run.with(|r| {
            r.as_ref()
                .ok()
                .and_then(|r| r.diagram.boxes.get(b))
                .map(|bx| {
                    let shown = bx.output[0].min(MAX_SHOWN);
                    if shown < bx.output[0] {
                        format!(
                            "Output maps on the picked input: the first {shown} of {} channels",
                            bx.output[0]
                        )
                    } else {
                        format!("Output maps on the picked input: {} channels", bx.output[0])
                    }
                })
        })
    };
    view! {
        <section class="panel" data-testid="inspector" aria-live="polite">
            <h3 data-testid="inspector-title">{title}</h3>
            // The figures stay mounted while the selected box keeps having weights
            // and output maps, and redraw from the memos (a slider move redraws
            // them instead of building new canvases); the value they were built
            // with stands in should a memo be empty on their way out.
            {move || match has_conv.get().then(|| conv.get_untracked()).flatten() {
                Some(first) => view! {
                    <div data-testid="inspector-weights">
                        <p>{move || conv.with(|c| c.as_ref().map(|c| {
                            let s = *c.spec();
                            format!("Weights [{}, {}, {}, {}]{}", s.out_channels, s.in_per_group(), s.kernel.0, s.kernel.1,
                                if s.bias { format!(" + bias [{}]", s.out_channels) } else { String::new() })
                        }))}</p>
                        <KernelView conv=Signal::derive(move || conv.get().unwrap_or_else(|| first.clone())) label="weights of the selected layer" height=320.0 />
                    </div>
                }.into_any(),
                None => view! {
                    <p data-testid="inspector-weights">"No weights: this layer only moves or combines channels."</p>
                }.into_any(),
            }}
            <p>{out_caption}</p>
            {move || has_output.get().then(|| output.get_untracked()).flatten().map(|first| view! {
                <TensorView tensor=Signal::derive(move || output.get().unwrap_or_else(|| first.clone())) label="output maps of the selected layer" height=260.0 legend=false fit=true test_id="inspector-output" />
            })}
        </section>
    }
}

/// The block's result in one line, for the top of its figure: its parameters
/// against the standard 3×3 conv of the same shape, and the ratio (the cost
/// table below shows how each is counted). Nothing while the block is invalid.
#[component]
pub fn BlockVerdict(
    /// The run.
    run: Memo<Result<BlockRun, String>>,
    /// What the block is called ("Fire module").
    name: &'static str,
) -> impl IntoView {
    // `try_with`: a page being replaced may still ask once after its run is gone.
    move || {
        run.try_with(|r| {
            r.as_ref().ok().map(|r| {
                let shape = r
                    .twin
                    .first()
                    .map(|t| format!(" {}\u{2192}{}", t.input[0], t.output[0]))
                    .unwrap_or_default();
                view! {
                    <p class="verdict" data-testid="verdict">
                        {format!("{name}: ")}<strong>{group_digits(r.params())}</strong>
                        " parameters against "<strong>{group_digits(r.twin_params())}</strong>
                        {format!(" for a standard 3\u{d7}3 conv{shape}: ")}
                        <strong>{format!("{}\u{d7}", sig2(r.ratio()))}</strong>
                    </p>
                }
            })
        })
        .flatten()
    }
}

/// The cost table: one line per box with its formula and parameters, the
/// total, the standard 3×3 twin and the ratio.
#[component]
pub fn CostTable(
    /// The run.
    run: Memo<Result<BlockRun, String>>,
    /// The selected box (its line is marked).
    selected: RwSignal<usize>,
) -> impl IntoView {
    move || {
        run.with(|r| match r {
            Ok(r) => {
                let lines = r
                    .diagram
                    .boxes
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let formula: Vec<String> = r.rows[b.rows.clone()]
                            .iter()
                            .filter_map(row_formula)
                            .collect();
                        let formula = if formula.is_empty() { "\u{2014}".to_string() } else { formula.join(" + ") };
                        view! {
                            <tr data-testid=format!("row-{i}") style=move || if selected.get() == i { "outline:3px solid currentColor;outline-offset:-3px" } else { "" }>
                                <td>{b.label()}</td>
                                <td>{b.kind.clone()}</td>
                                <td>{b.channels()}</td>
                                <td>{formula}</td>
                                <td class="num" data-testid=format!("params-{i}") data-value=b.params.to_string()>{group_digits(b.params)}</td>
                                <td class="num">{group_digits(b.macs)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let (p, t) = (r.params(), r.twin_params());
                let tw = r.twin.first().and_then(row_formula).unwrap_or_default();
                let [_, h, w] = r.input.shape();
                let twin_macs = CostSummary::of(&r.twin).macs;
                let macs = CostSummary::of(&r.rows).macs;
                view! {
                    // Scrolls sideways on a phone: focusable, so keys scroll it too.
                    <div style="overflow-x:auto" tabindex="0" role="region" aria-label="the block's cost, layer by layer">
                        <table class="count-table" data-testid="cost-table">
                            <thead><tr><th>"layer"</th><th>"type"</th><th>"channels"</th><th>"parameters"</th><th class="num">"="</th><th class="num">{format!("MACs on {h}\u{d7}{w}")}</th></tr></thead>
                            <tbody>{lines}</tbody>
                            <tfoot>
                                <tr>
                                    <th colspan="4">"block total"</th>
                                    <th class="num" data-testid="params-total" data-value=p.to_string()>{group_digits(p)}</th>
                                    <th class="num">{group_digits(macs)}</th>
                                </tr>
                                <tr>
                                    <td colspan="3">{format!("standard 3\u{d7}3 conv {}", r.twin.first().map(|t| format!("{}\u{2192}{}", t.input[0], t.output[0])).unwrap_or_default())}</td>
                                    <td>{tw}</td>
                                    <td class="num" data-testid="twin-total" data-value=t.to_string()>{group_digits(t)}</td>
                                    <td class="num">{group_digits(twin_macs)}</td>
                                </tr>
                            </tfoot>
                        </table>
                    </div>
                    <p class="ratio-line" data-testid="ratio-line">
                        "Block / standard conv: "
                        <strong>{group_digits(p)}</strong>" / "<strong>{group_digits(t)}</strong>" = "
                        <strong data-testid="ratio" data-value=sig2(r.ratio())>{sig2(r.ratio())}</strong>
                        {format!(" (exactly {:.4}). Counted from the allocated tensors: {} parameters.", r.ratio(), group_digits(r.net.param_count()))}
                    </p>
                }
                .into_any()
            }
            Err(e) => view! { <p class="error" role="alert" data-testid="block-error">{e.clone()}</p> }.into_any(),
        })
    }
}
