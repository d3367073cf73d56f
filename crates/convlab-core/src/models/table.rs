//! A model's cost table and the builder the zoo uses to make it.

use crate::blocks::{BlockSpec, Graph};
use crate::cost::{Convention, CostSummary, LayerCost};
use crate::error::{Error, Result};

/// A named group of consecutive layers (a stage of the paper's table).
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    /// Name, e.g. `"stage2"`, `"classifier"`.
    pub name: String,
    /// Its layers, names prefixed with the block, e.g. `"unit1.dw 3×3"`.
    pub layers: Vec<LayerCost>,
}

impl Stage {
    /// Totals of the stage.
    pub fn totals(&self) -> CostSummary {
        CostSummary::of(&self.layers)
    }
}

/// A whole model, layer by layer: the zoo's answer for one choice of knobs.
///
/// ```
/// use convlab_core::models::{Knobs, Zoo};
/// use convlab_core::Convention;
/// let m = Zoo::SqueezeNet1_1.build(&Knobs::default(), Convention::TORCHVISION, false).unwrap();
/// assert_eq!(m.totals().params, 1_235_496);
/// for stage in &m.stages {
///     let t = stage.totals();
///     assert!(t.params > 0 || t.macs == 0);
/// }
/// let row = m.layers().next().unwrap();
/// assert_eq!(row.kind.type_name(), "conv 3×3");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ModelTable {
    /// Model name with its knobs, e.g. `"MobileNet v2 (α = 1)"`.
    pub name: String,
    /// Convention the parameters are counted under.
    pub convention: Convention,
    /// Whether this is the standard twin (every compact block replaced by a standard conv).
    pub twin: bool,
    /// Input `[3, H, W]`.
    pub input: [usize; 3],
    /// The stages, in order.
    pub stages: Vec<Stage>,
}

impl ModelTable {
    /// Every layer, in order.
    pub fn layers(&self) -> impl Iterator<Item = &LayerCost> {
        self.stages.iter().flat_map(|s| s.layers.iter())
    }

    /// Totals over the whole model (MACs include BatchNorm's one per element).
    pub fn totals(&self) -> CostSummary {
        let all: Vec<LayerCost> = self.layers().cloned().collect();
        CostSummary::of(&all)
    }

    /// Multiply–adds of the conv and linear layers only — what papers and
    /// torchvision's "GFLOPS" column report (they are MACs, not FLOPs).
    pub fn conv_linear_macs(&self) -> u64 {
        self.layers()
            .filter(|l| l.is_conv_or_linear())
            .map(|l| l.macs)
            .sum()
    }

    /// The output shape of the last layer.
    pub fn output(&self) -> [usize; 3] {
        self.layers().last().map_or(self.input, |l| l.output)
    }
}

/// Builds a [`ModelTable`] stage by stage, tracking the running shape.
pub(crate) struct Builder {
    pub(crate) shape: [usize; 3],
    pub(crate) convention: Convention,
    pub(crate) twin: bool,
    table: ModelTable,
}

impl Builder {
    pub(crate) fn new(name: String, input: [usize; 3], convention: Convention, twin: bool) -> Self {
        Builder {
            shape: input,
            convention,
            twin,
            table: ModelTable {
                name,
                convention,
                twin,
                input,
                stages: Vec::new(),
            },
        }
    }

    /// Starts a new stage.
    pub(crate) fn stage(&mut self, name: &str) {
        self.table.stages.push(Stage {
            name: name.to_string(),
            layers: Vec::new(),
        });
    }

    /// Appends layers (names prefixed by `prefix.`) to the current stage.
    pub(crate) fn push(&mut self, prefix: &str, layers: Vec<LayerCost>) -> Result<()> {
        let stage = self
            .table
            .stages
            .last_mut()
            .ok_or_else(|| Error::invalid("model", "a layer was added before any stage"))?;
        for mut l in layers {
            if !prefix.is_empty() {
                l.name = format!("{prefix}.{}", l.name);
            }
            self.shape = l.output;
            stage.layers.push(l);
        }
        Ok(())
    }

    /// Appends a graph reading the current shape.
    pub(crate) fn graph(&mut self, prefix: &str, g: &Graph) -> Result<()> {
        let layers = g.layers(self.shape)?;
        self.push(prefix, layers)
    }

    /// Appends a block, or its standard twin when building the twin.
    pub(crate) fn block(&mut self, prefix: &str, spec: &impl BlockSpec) -> Result<()> {
        let g = if self.twin {
            spec.twin_graph(self.convention)?
        } else {
            spec.graph(self.convention)?
        };
        self.graph(prefix, &g)
    }

    /// A new graph reading the current channels.
    pub(crate) fn start(&self) -> Result<Graph> {
        Graph::new(self.shape[0])
    }

    pub(crate) fn finish(self) -> ModelTable {
        self.table
    }
}

impl Builder {
    /// Renames the current stage.
    pub(crate) fn rename_stage(&mut self, name: String) {
        if let Some(s) = self.table.stages.last_mut() {
            s.name = name;
        }
    }
}
