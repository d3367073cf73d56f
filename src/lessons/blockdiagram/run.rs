//! A block built, costed and run on the picked input, and the selected-box key.

use convlab_core::{BlockSpec, Conv2d, CostSummary, LayerCost, Net, Tensor};

use crate::lessons::picture::{feature_input, MAX_SHOWN};
use crate::widgets::input_picker::render;
use crate::widgets::InputState;
use convlab_core::picture::first_channels;

use super::*;

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
