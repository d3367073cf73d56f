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

mod draw;
mod layout;
mod run;
#[cfg(test)]
mod tests;
mod view;

use std::ops::Range;

use convlab_core::blocks::NodeOp;
use convlab_core::{Convention, Graph, LayerCost};

pub use self::draw::*;
pub use self::layout::*;
pub use self::run::*;
pub use self::view::*;

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
