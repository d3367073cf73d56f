//! What the SqueezeNet, MobileNet and ShuffleNet lessons share: a block
//! drawn as a diagram whose boxes are its real layers, the run of that block
//! on the picked input, and its cost table against the standard 3×3 twin.
//!
//! Everything is computed by the kernel crate: the boxes come from the
//! block's [`Graph`] (one box per conv with its BN and activation, one per
//! shuffle, concat, add, …), the numbers from [`Graph::layers`], the maps
//! from [`Net::forward_named`] and the weights from [`Net::convs`]. This
//! module only groups, lays out and formats.
//!
//! ```text
//!          input 128×H×W
//!               │
//!         squeeze 1×1 + ReLU
//!          ┌────┴────┐
//!   expand 1×1    expand 3×3
//!          └────┬────┘
//!             concat
//! ```

use std::ops::Range;

use convlab_core::blocks::NodeOp;
use convlab_core::{
    BlockSpec, Conv2d, Convention, CostSummary, Graph, LayerCost, LayerKind, Net, Tensor,
};
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::config;
use crate::draw::{err, text_style, DrawResult, Style};
use crate::lessons::picture::{feature_input, MAX_SHOWN};
use crate::widgets::formula::group_digits;
use crate::widgets::input_picker::render;
use crate::widgets::{InputState, KernelView, TensorView};
use convlab_core::picture::first_channels;

/// Side of the picked picture before the block runs on it (largest).
pub const MAX_SIDE: usize = 16;
/// Smallest side the block runs on when it is very wide.
pub const MIN_SIDE: usize = 4;
/// Multiply–adds the live forward pass may take (it reruns as sliders move).
pub const MAC_BUDGET: u64 = 6_000_000;
/// Seed of the block's weights.
pub const WEIGHT_SEED: u64 = 7;

/// The convention from the page's toggle: bias (the lecture) or BN (torchvision).
pub fn convention(bn: bool) -> Convention {
    if bn {
        Convention::TORCHVISION
    } else {
        Convention::LECTURE
    }
}

/// `x` with two significant digits: 0.084, 0.12, 0.039 (the lecture's ratios).
pub fn sig2(x: f64) -> String {
    if !x.is_finite() || x <= 0.0 {
        return "?".into();
    }
    let decimals = (1 - x.log10().floor() as i32).clamp(0, 12) as usize;
    format!("{x:.decimals$}")
}

/// The side (≤ [`MAX_SIDE`]) the block runs on, so that its multiply–adds stay
/// within [`MAC_BUDGET`]; `macs_at_max` is the cost at `MAX_SIDE × MAX_SIDE`.
pub fn forward_side(macs_at_max: u64) -> usize {
    if macs_at_max <= MAC_BUDGET {
        return MAX_SIDE;
    }
    let f = (MAC_BUDGET as f64 / macs_at_max as f64).sqrt();
    ((MAX_SIDE as f64 * f).floor() as usize).clamp(MIN_SIDE, MAX_SIDE)
}

/// One box of the diagram: a conv with its BatchNorm and activation, or one
/// data-movement layer.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerBox {
    /// The layer's name in the kernel crate ("squeeze 1×1").
    pub title: String,
    /// The layers folded into it ("BN", "ReLU").
    pub extras: Vec<String>,
    /// Type of the first layer ("conv 1×1", "gconv 1×1 (g=2)", "shuffle (g=2)").
    pub kind: String,
    /// Input shape `[C, H, W]` of the first layer.
    pub input: [usize; 3],
    /// Output shape of the last layer.
    pub output: [usize; 3],
    /// Parameters of all its layers.
    pub params: u64,
    /// Multiply–adds of all its layers on the run's input.
    pub macs: u64,
    /// Table rows (= graph nodes = `forward_named` entries) in the box.
    pub rows: Range<usize>,
    /// Name of its conv in `Net::convs` (None for data movement).
    pub conv: Option<String>,
    /// Boxes it reads (None: the block input).
    pub sources: Vec<Option<usize>>,
    /// Row of the diagram (0 is the input).
    pub depth: usize,
    /// Position among the boxes of its row.
    pub lane: usize,
    /// Boxes in its row.
    pub lanes: usize,
}

impl LayerBox {
    /// "squeeze 1×1 + ReLU".
    pub fn label(&self) -> String {
        if self.extras.is_empty() {
            self.title.clone()
        } else {
            format!("{} + {}", self.title, self.extras.join(" + "))
        }
    }

    /// "128→16".
    pub fn channels(&self) -> String {
        format!("{}\u{2192}{}", self.input[0], self.output[0])
    }
}

/// A block's boxes, in graph order.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagram {
    /// The block input shape.
    pub input: [usize; 3],
    /// The boxes.
    pub boxes: Vec<LayerBox>,
    /// Number of rows below the input.
    pub depth: usize,
}

fn folds_into(op: &NodeOp) -> bool {
    matches!(op, NodeOp::BatchNorm { .. } | NodeOp::Act(_))
}

impl Diagram {
    /// Groups `graph`'s nodes (whose cost rows are `rows`) into boxes: a conv
    /// takes the BN and activation that directly follow it and carry its name.
    ///
    /// # Errors
    /// When `rows` does not belong to `graph`.
    pub fn new(graph: &Graph, rows: &[LayerCost]) -> Result<Diagram, String> {
        let nodes = graph.nodes();
        if nodes.len() != rows.len() {
            return Err(format!(
                "the block has {} layers but its table {} rows",
                nodes.len(),
                rows.len()
            ));
        }
        let input = rows
            .first()
            .map_or([graph.in_channels(), 1, 1], |r| r.input);
        // box_of[v] = box holding value v's producer (value 0 is the input).
        let mut box_of: Vec<Option<usize>> = vec![None];
        let mut boxes: Vec<LayerBox> = Vec::new();
        for (i, (node, row)) in nodes.iter().zip(rows).enumerate() {
            let joins = match boxes.last() {
                Some(b) => {
                    b.conv.is_some()
                        && folds_into(&node.op)
                        && node.inputs == [i]
                        && b.rows.end == i
                        && node.name.starts_with(&b.title)
                }
                None => false,
            };
            if joins {
                if let Some(b) = boxes.last_mut() {
                    b.extras.push(row.kind.type_name());
                    b.output = row.output;
                    b.params += row.params;
                    b.macs += row.macs;
                    b.rows.end = i + 1;
                }
            } else {
                let sources = node
                    .inputs
                    .iter()
                    .map(|&v| box_of.get(v).copied().flatten())
                    .collect();
                boxes.push(LayerBox {
                    title: node.name.clone(),
                    extras: Vec::new(),
                    kind: row.kind.type_name(),
                    input: row.input,
                    output: row.output,
                    params: row.params,
                    macs: row.macs,
                    rows: i..i + 1,
                    conv: matches!(node.op, NodeOp::Conv(_)).then(|| node.name.clone()),
                    sources,
                    depth: 0,
                    lane: 0,
                    lanes: 1,
                });
            }
            box_of.push(Some(boxes.len() - 1));
        }
        for b in 0..boxes.len() {
            let d = boxes[b]
                .sources
                .iter()
                .map(|s| s.map_or(0, |s| boxes[s].depth))
                .max()
                .unwrap_or(0);
            boxes[b].depth = d + 1;
        }
        let depth = boxes.iter().map(|b| b.depth).max().unwrap_or(0);
        for d in 1..=depth {
            let ids: Vec<usize> = (0..boxes.len()).filter(|&b| boxes[b].depth == d).collect();
            for (lane, &b) in ids.iter().enumerate() {
                boxes[b].lane = lane;
                boxes[b].lanes = ids.len();
            }
        }
        Ok(Diagram {
            input,
            boxes,
            depth,
        })
    }
}

/// A rectangle in diagram units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    fn top(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y)
    }
    fn bottom(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h)
    }
    /// Whether `(x, y)` is inside.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.x + self.w && y >= self.y && y <= self.y + self.h
    }
}

/// Where everything goes, in diagram units (the SVG viewBox).
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    /// Width of the viewBox.
    pub width: f64,
    /// Height of the viewBox.
    pub height: f64,
    /// The input box.
    pub input: Rect,
    /// One rectangle per box.
    pub boxes: Vec<Rect>,
    /// Arrows as polylines (ending at the box they feed).
    pub edges: Vec<Vec<(f64, f64)>>,
}

/// Width of the diagram's viewBox.
pub const VIEW_W: f64 = 460.0;
/// Height of one box.
pub const BOX_H: f64 = 52.0;
/// Vertical distance between rows.
pub const ROW_H: f64 = 78.0;
/// Space on the right for skip connections.
pub const SKIP_LANE: f64 = 28.0;

/// Lays `d` out top to bottom: the input on top, one row per depth, boxes
/// of a row side by side, skip connections on the right.
pub fn geometry(d: &Diagram) -> Geometry {
    let inner = VIEW_W - SKIP_LANE;
    let margin = 6.0;
    let row_rect = |depth: usize, lane: usize, lanes: usize| {
        let lanes = lanes.max(1) as f64;
        let slot = (inner - margin) / lanes;
        let w = (slot - 12.0).min(300.0);
        Rect {
            x: margin + slot * lane as f64 + (slot - w) / 2.0,
            y: margin + ROW_H * depth as f64,
            w,
            h: BOX_H,
        }
    };
    let input = row_rect(0, 0, 1);
    let boxes: Vec<Rect> = d
        .boxes
        .iter()
        .map(|b| row_rect(b.depth, b.lane, b.lanes))
        .collect();
    let mut edges = Vec::new();
    for (i, b) in d.boxes.iter().enumerate() {
        let to = boxes[i];
        for s in &b.sources {
            let (from, from_depth) = match s {
                Some(s) => (boxes[*s], d.boxes[*s].depth),
                None => (input, 0),
            };
            if b.depth > from_depth + 1 {
                let x = VIEW_W - SKIP_LANE / 2.0;
                let y0 = from.y + from.h / 2.0;
                let y1 = to.y + to.h / 2.0;
                edges.push(vec![
                    (from.x + from.w, y0),
                    (x, y0),
                    (x, y1),
                    (to.x + to.w, y1),
                ]);
            } else {
                edges.push(vec![from.bottom(), to.top()]);
            }
        }
    }
    Geometry {
        width: VIEW_W,
        height: margin * 2.0 + ROW_H * d.depth as f64 + BOX_H,
        input,
        boxes,
        edges,
    }
}

/// The arrow head at the end of a polyline: three points.
pub fn arrow_head(line: &[(f64, f64)], size: f64) -> Vec<(f64, f64)> {
    let n = line.len();
    if n < 2 {
        return Vec::new();
    }
    let (a, b) = (line[n - 2], line[n - 1]);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len == 0.0 {
        return Vec::new();
    }
    let (ux, uy) = (dx / len, dy / len);
    let base = (b.0 - ux * size, b.1 - uy * size);
    vec![
        b,
        (base.0 - uy * size * 0.5, base.1 + ux * size * 0.5),
        (base.0 + uy * size * 0.5, base.1 - ux * size * 0.5),
    ]
}

/// Colour of a box: convs by kind, data movement grey.
pub fn box_colour(b: &LayerBox) -> RGBColor {
    if b.conv.is_none() {
        return config::group_color(7);
    }
    if b.kind.starts_with("dw") {
        config::group_color(2)
    } else if b.kind.starts_with("gconv") {
        config::group_color(3)
    } else if b.kind.contains("3×3") {
        config::group_color(0)
    } else {
        config::group_color(1)
    }
}

/// Draws the diagram filling `area` (thumbnails, SVG export and tests); the
/// page draws the same geometry as clickable SVG.
///
/// # Errors
/// A backend error.
pub fn draw_diagram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &Diagram,
    selected: Option<usize>,
    style: &Style,
) -> DrawResult {
    area.fill(&style.ink.background).map_err(err)?;
    let g = geometry(d);
    let (w, h) = area.dim_in_pixel();
    let k = (w as f64 / g.width).min(h as f64 / g.height);
    if !(k.is_finite() && k > 0.0) {
        return Ok(());
    }
    let p = |(x, y): (f64, f64)| ((x * k).round() as i32, (y * k).round() as i32);
    let stroke = style.ink.muted.stroke_width((1.5 * k).max(1.0) as u32);
    for e in &g.edges {
        area.draw(&PathElement::new(
            e.iter().map(|&q| p(q)).collect::<Vec<_>>(),
            stroke,
        ))
        .map_err(err)?;
        let head = arrow_head(e, 8.0);
        if !head.is_empty() {
            area.draw(&Polygon::new(
                head.into_iter().map(p).collect::<Vec<_>>(),
                style.ink.muted.filled(),
            ))
            .map_err(err)?;
        }
    }
    let font = (13.0 * k).max(6.0);
    let mut boxes = vec![(
        g.input,
        format!("input {}", shape_text(d.input)),
        style.ink.muted,
        false,
    )];
    for (i, (b, r)) in d.boxes.iter().zip(&g.boxes).enumerate() {
        boxes.push((*r, b.label(), box_colour(b), selected == Some(i)));
    }
    for (r, label, colour, sel) in boxes {
        let (x0, y0) = p((r.x, r.y));
        let (x1, y1) = p((r.x + r.w, r.y + r.h));
        area.draw(&Rectangle::new(
            [(x0, y0), (x1, y1)],
            colour.mix(0.35).filled(),
        ))
        .map_err(err)?;
        let edge = if sel { style.ink.focus } else { colour };
        let width = if sel { 3.0 * k } else { 1.5 * k };
        area.draw(&Rectangle::new(
            [(x0, y0), (x1, y1)],
            edge.stroke_width(width.max(1.0) as u32),
        ))
        .map_err(err)?;
        area.draw(&Text::new(
            label,
            ((x0 + x1) / 2, (y0 + y1) / 2),
            text_style(font, style.ink.text, Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// The `textLength` that squeezes `text` (at `size` px) into `room` px when
/// its estimated width (0.58 em a character, a little more than the sans
/// fonts' average) would run past its box; `None` leaves it as it is.
pub fn fit_length(text: &str, size: f64, room: f64) -> Option<String> {
    let est = text.chars().count() as f64 * size * 0.58;
    (est > room && room > 0.0).then(|| format!("{room:.1}"))
}

/// `128×16×16`.
pub fn shape_text(s: [usize; 3]) -> String {
    format!("{}\u{d7}{}\u{d7}{}", s[0], s[1], s[2])
}

/// The parameter formula of one cost row with its numbers, as the lecture
/// writes it: `(9·16 + 1)·64` for a 3×3 conv with bias, `2·64` for a BN.
/// `None` for rows without parameters.
pub fn row_formula(row: &LayerCost) -> Option<String> {
    if row.params == 0 {
        return None;
    }
    match &row.kind {
        LayerKind::Conv(s) => {
            let taps = s.kernel.0 * s.kernel.1;
            let per = s.in_per_group();
            let weights = match (taps, per) {
                (1, p) => p.to_string(),
                (t, 1) => t.to_string(),
                (t, p) => format!("{t}\u{b7}{p}"),
            };
            Some(if s.bias {
                format!("({weights} + 1)\u{b7}{}", s.out_channels)
            } else {
                format!("{weights}\u{b7}{}", s.out_channels)
            })
        }
        LayerKind::BatchNorm => Some(format!("2\u{b7}{}", row.output[0])),
        _ => None,
    }
}

/// A block built, costed and run: what the lesson pages show.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockRun {
    /// The boxes.
    pub diagram: Diagram,
    /// The block's cost rows on the run's input.
    pub rows: Vec<LayerCost>,
    /// The standard twin's cost rows on the same input.
    pub twin: Vec<LayerCost>,
    /// The weighted block.
    pub net: Net,
    /// The input the block ran on.
    pub input: Tensor,
    /// Every layer's output, named as the rows.
    pub outputs: Vec<(String, Tensor)>,
}

impl BlockRun {
    /// Builds the block of `spec`, picks a side within the work budget, makes a
    /// C-channel input from the picked picture and runs the block on it.
    ///
    /// # Errors
    /// The kernel crate's message for an invalid block (shown on the page).
    pub fn new<S: BlockSpec>(spec: &S, bn: bool, picked: &InputState) -> Result<BlockRun, String> {
        let e = |e: convlab_core::Error| e.to_string();
        let conv = convention(bn);
        let graph = spec.graph(conv).map_err(e)?;
        let twin_graph = spec.twin_graph(conv).map_err(e)?;
        let c = graph.in_channels();
        let probe = CostSummary::of(&graph.layers([c, MAX_SIDE, MAX_SIDE]).map_err(e)?);
        let side = forward_side(probe.macs);
        let shape = [c, side, side];
        let rows = graph.layers(shape).map_err(e)?;
        let twin = twin_graph.layers(shape).map_err(e)?;
        let diagram = Diagram::new(&graph, &rows)?;
        let picture = render(picked, 1, side, side).map_err(e)?;
        let input = feature_input(&picture, c).map_err(e)?;
        let net = Net::random(graph, WEIGHT_SEED).map_err(e)?;
        let outputs = net.forward_named(&input).map_err(e)?;
        Ok(BlockRun {
            diagram,
            rows,
            twin,
            net,
            input,
            outputs,
        })
    }

    /// Parameters of the block (from its table).
    pub fn params(&self) -> u64 {
        CostSummary::of(&self.rows).params
    }

    /// Parameters of the standard twin.
    pub fn twin_params(&self) -> u64 {
        CostSummary::of(&self.twin).params
    }

    /// Block / twin parameters.
    pub fn ratio(&self) -> f64 {
        self.params() as f64 / self.twin_params().max(1) as f64
    }

    /// The conv of box `b` (None for data movement or a box out of range).
    pub fn conv_of(&self, b: usize) -> Option<Conv2d> {
        let name = self.diagram.boxes.get(b)?.conv.as_ref()?;
        self.net
            .convs()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
    }

    /// The output maps of box `b` (its last layer), at most [`MAX_SHOWN`] channels.
    pub fn output_of(&self, b: usize) -> Option<Tensor> {
        let last = self.diagram.boxes.get(b)?.rows.end.checked_sub(1)?;
        let t = &self.outputs.get(last)?.1;
        first_channels(t, MAX_SHOWN).ok()
    }
}

/// The shared state key of the selected box: clamps an index from the URL
/// (the page notes it) to the boxes there are.
pub fn clamp_box(b: usize, boxes: usize) -> usize {
    b.min(boxes.saturating_sub(1))
}

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
                        <KernelView conv=Signal::derive(move || conv.get().unwrap_or_else(|| first.clone())) label="weights of the selected layer" height=200.0 />
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

#[cfg(test)]
mod tests {

    #[test]
    fn a_box_detail_too_long_for_its_box_is_squeezed_into_it() {
        // 32 characters at 12.5 px: about 232 px, past a 200 px box.
        let long = "conv 1\u{d7}1 \u{b7} 16\u{2192}64 \u{b7} 1,088 params";
        assert_eq!(fit_length(long, 12.5, 188.0).as_deref(), Some("188.0"));
        assert_eq!(fit_length("BN \u{b7} 64", 12.5, 188.0), None);
        assert_eq!(fit_length(long, 12.5, -4.0), None);
    }
    use super::*;
    use convlab_core::blocks::{FireSpec, SeparableSpec, ShuffleV1Spec};

    fn diagram<S: BlockSpec>(s: &S) -> Diagram {
        let g = s.graph(Convention::LECTURE).unwrap();
        let rows = g.layers([g.in_channels(), 8, 8]).unwrap();
        Diagram::new(&g, &rows).unwrap()
    }

    #[test]
    fn fire_boxes_are_its_three_convs_and_the_concat() {
        let d = diagram(&FireSpec::default());
        let labels: Vec<String> = d.boxes.iter().map(LayerBox::label).collect();
        assert_eq!(
            labels,
            [
                "squeeze 1×1 + ReLU",
                "expand 1×1 + ReLU",
                "expand 3×3 + ReLU",
                "concat"
            ]
        );
        let params: Vec<u64> = d.boxes.iter().map(|b| b.params).collect();
        assert_eq!(params, [2064, 1088, 9280, 0]);
        // The two expands sit side by side under the squeeze.
        assert_eq!(
            (d.boxes[1].depth, d.boxes[1].lane, d.boxes[1].lanes),
            (2, 0, 2)
        );
        assert_eq!((d.boxes[2].depth, d.boxes[2].lane), (2, 1));
        assert_eq!(d.boxes[3].sources, [Some(1), Some(2)]);
        assert_eq!(d.depth, 3);
    }

    #[test]
    fn bn_convention_folds_bn_into_the_conv_box() {
        let g = SeparableSpec::default()
            .graph(Convention::TORCHVISION)
            .unwrap();
        let rows = g.layers([128, 8, 8]).unwrap();
        let d = Diagram::new(&g, &rows).unwrap();
        assert_eq!(d.boxes.len(), 2);
        assert_eq!(d.boxes[0].label(), "dw 3×3 + BN + ReLU");
        assert_eq!(d.boxes[0].params, 9 * 128 + 256);
        assert_eq!(d.boxes[1].rows, 3..6);
    }

    #[test]
    fn shufflenet_skip_goes_around_the_right() {
        let d = diagram(&ShuffleV1Spec::default());
        let kinds: Vec<&str> = d.boxes.iter().map(|b| b.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "gconv 1×1 (g=2)",
                "shuffle (g=2)",
                "dw 3×3",
                "gconv 1×1 (g=2)",
                "add",
                "ReLU"
            ]
        );
        assert_eq!(d.boxes[4].sources, [Some(3), None]);
        let g = geometry(&d);
        assert_eq!(g.edges.len(), 7);
        let skip = g.edges.iter().find(|e| e.len() == 4).unwrap();
        assert!(skip
            .iter()
            .skip(1)
            .take(2)
            .all(|p| p.0 > VIEW_W - SKIP_LANE));
        // Boxes never overlap and stay inside the view.
        for (i, a) in g.boxes.iter().enumerate() {
            assert!(a.x >= 0.0 && a.x + a.w <= VIEW_W - SKIP_LANE + 1e-9);
            assert!(a.y + a.h <= g.height);
            for b in &g.boxes[i + 1..] {
                let apart =
                    a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(apart, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn lecture_numbers_from_a_run() {
        let pick = InputState::default();
        let fire = BlockRun::new(&FireSpec::default(), false, &pick).unwrap();
        assert_eq!((fire.params(), fire.twin_params()), (12_432, 147_584));
        assert_eq!(sig2(fire.ratio()), "0.084");
        assert_eq!(fire.net.param_count(), 12_432);
        let mb = BlockRun::new(&SeparableSpec::default(), false, &pick).unwrap();
        assert_eq!((mb.params(), mb.twin_params()), (17_792, 147_584));
        assert_eq!(sig2(mb.ratio()), "0.12");
        let sh = BlockRun::new(&ShuffleV1Spec::default(), false, &pick).unwrap();
        assert_eq!((sh.params(), sh.twin_params()), (20_320, 518_640));
        assert_eq!(sig2(sh.ratio()), "0.039");
        // Inspection: weights of a conv box, maps of every box.
        assert_eq!(fire.conv_of(2).unwrap().spec().kernel, (3, 3));
        assert!(fire.conv_of(3).is_none());
        assert_eq!(fire.output_of(3).unwrap().channels(), MAX_SHOWN);
        assert!(fire.output_of(9).is_none());
        assert_eq!(sh.output_of(1).unwrap().channels(), MAX_SHOWN);
    }

    #[test]
    fn formulas_read_like_the_slides() {
        let g = FireSpec::default().graph(Convention::LECTURE).unwrap();
        let rows = g.layers([128, 4, 4]).unwrap();
        let f: Vec<String> = rows.iter().filter_map(row_formula).collect();
        assert_eq!(f, ["(128 + 1)·16", "(16 + 1)·64", "(9·16 + 1)·64"]);
        let g = ShuffleV1Spec::default()
            .graph(Convention::TORCHVISION)
            .unwrap();
        let rows = g.layers([240, 4, 4]).unwrap();
        let f: Vec<String> = rows.iter().filter_map(row_formula).collect();
        assert_eq!(f, ["120·80", "2·80", "9·80", "2·80", "40·240", "2·240"]);
    }

    #[test]
    fn ratios_sides_and_invalid_blocks() {
        assert_eq!(sig2(12432.0 / 147584.0), "0.084");
        assert_eq!(sig2(17792.0 / 147584.0), "0.12");
        assert_eq!(sig2(20320.0 / 518640.0), "0.039");
        assert_eq!(sig2(1.5), "1.5");
        assert_eq!(sig2(0.0), "?");
        assert_eq!(sig2(f64::NAN), "?");
        assert_eq!(forward_side(1000), MAX_SIDE);
        assert_eq!(forward_side(MAC_BUDGET * 4), MAX_SIDE / 2);
        assert_eq!(forward_side(u64::MAX), MIN_SIDE);
        let bad = ShuffleV1Spec {
            groups: 7,
            ..Default::default()
        };
        let e = BlockRun::new(&bad, false, &InputState::default()).unwrap_err();
        assert!(e.contains("7"), "{e}");
        assert_eq!(clamp_box(9, 4), 3);
        assert_eq!(clamp_box(0, 0), 0);
    }

    #[test]
    fn diagram_draws_to_svg() {
        let d = diagram(&FireSpec::default());
        let svg = crate::draw::to_svg(460, 300, |a| {
            draw_diagram(a, &d, Some(1), &Style::default())
        })
        .unwrap();
        assert!(svg.contains("squeeze 1×1 + ReLU"));
        assert!(svg.contains("concat"));
        assert_eq!(arrow_head(&[(0.0, 0.0)], 8.0).len(), 0);
        assert_eq!(arrow_head(&[(0.0, 0.0), (0.0, 10.0)], 8.0)[0], (0.0, 10.0));
    }
}
