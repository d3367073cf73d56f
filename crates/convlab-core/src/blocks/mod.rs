//! The compact building blocks of the lecture, each as a spec (shapes only)
//! and as a weighted block that runs forward:
//!
//! | spec | weighted block | paper |
//! |---|---|---|
//! | [`FireSpec`] | [`Fire`] | SqueezeNet |
//! | [`SeparableSpec`] | [`DepthwiseSeparable`] | MobileNet v1 |
//! | [`InvertedResidualSpec`] | [`InvertedResidual`] | MobileNet v2 |
//! | [`ShuffleV1Spec`] | [`ShuffleV1Unit`] | ShuffleNet v1 |
//! | [`ShuffleV2Spec`] | [`ShuffleV2Unit`] | ShuffleNet v2 |
//! | [`GhostBottleneckSpec`] | [`GhostBottleneck`] | GhostNet |
//! | [`ShiftBlockSpec`] | [`ShiftBlock`] | ShiftNet (CSC module) |
//!
//! Every spec compiles to a [`Graph`] of named layers. `spec.layers(input,
//! convention)` is its cost table (nothing allocated); `Block::random(spec,
//! convention, seed)` allocates the same layers' weights; `forward_named`
//! returns every layer's output under the same names, and `param_count()`
//! counts the allocated tensors (it equals the table's sum).
//!
//! The **convention** ([`Convention`]) decides, for every conv that the paper
//! follows with BatchNorm, whether the conv has a bias and whether the
//! BatchNorm layer is there. [`Convention::LECTURE`] (bias, no BN) gives the
//! lecture's numbers, [`Convention::TORCHVISION`] (no bias, BN with 2 parameters
//! per channel) torchvision's. The Fire module is the exception: SqueezeNet has
//! no BatchNorm, so its convs always carry a bias, whatever the convention.
//!
//! Each spec also has a **standard twin**: one standard 3×3 conv (padding 1)
//! from the block's input channels to its output channels with the block's
//! stride — the same input and output shape — followed by BatchNorm (when the
//! convention has it) and the block's activation (see [`standard_twin`]).
//!
//! ```
//! use convlab_core::blocks::{Fire, FireSpec};
//! use convlab_core::{Convention, CostSummary, Tensor};
//! let spec = FireSpec::default(); // the lecture's C = 128, S = 16, E1 = E3 = 64
//! let table = spec.layers([128, 8, 8], Convention::LECTURE)?;
//! assert_eq!(CostSummary::of(&table).params, 12_432);
//! let fire = Fire::random(spec, Convention::LECTURE, 1)?;
//! assert_eq!(fire.param_count(), 12_432);
//! let maps = fire.forward_named(&Tensor::random(128, 8, 8, 2)?)?;
//! assert_eq!(maps.len(), table.len());
//! assert_eq!(maps.last().unwrap().1.shape(), [128, 8, 8]);
//! # Ok::<(), convlab_core::Error>(())
//! ```

mod fire;
mod ghost;
pub mod graph;
pub mod layers;
mod mobilenet;
mod shift;
mod shufflenet;

pub use fire::{Fire, FireSpec};
pub use ghost::{GhostBottleneck, GhostBottleneckSpec};
pub use graph::{Graph, Net, Node, NodeOp};
pub use layers::{global_avg_pool, Activation, BatchNorm, Linear, PoolKind, PoolSpec};
pub use mobilenet::{DepthwiseSeparable, InvertedResidual, InvertedResidualSpec, SeparableSpec};
pub use shift::{ShiftBlock, ShiftBlockSpec};
pub use shufflenet::{ShuffleV1Spec, ShuffleV1Unit, ShuffleV2Spec, ShuffleV2Unit};

use crate::conv::Conv2dSpec;
use crate::cost::Convention;
use crate::error::Result;

/// What every block spec provides: its layer graph and its standard twin's.
pub trait BlockSpec {
    /// The block's layers under `convention`.
    ///
    /// # Errors
    /// `InvalidSpec`/`TooLarge` for sizes that do not make a valid block.
    fn graph(&self, convention: Convention) -> Result<Graph>;

    /// The standard twin: one 3×3 conv with the block's in/out channels and stride.
    ///
    /// # Errors
    /// As [`BlockSpec::graph`].
    fn twin_graph(&self, convention: Convention) -> Result<Graph>;
}

/// The standard twin of a block: a 3×3 conv `in → out`, stride `stride`,
/// padding 1, bias and BatchNorm as `convention` says, then `act`.
///
/// # Errors
/// As [`Graph::push`].
///
/// ```
/// use convlab_core::blocks::standard_twin;
/// use convlab_core::{Convention, CostSummary};
/// let g = standard_twin(128, 128, 1, Convention::LECTURE, None).unwrap();
/// assert_eq!(CostSummary::of(&g.layers([128, 8, 8]).unwrap()).params, 147_584);
/// ```
pub fn standard_twin(
    in_channels: usize,
    out_channels: usize,
    stride: usize,
    convention: Convention,
    act: Option<Activation>,
) -> Result<Graph> {
    let mut g = Graph::new(in_channels)?;
    g.conv_bn(
        "standard 3×3",
        Conv2dSpec::standard(in_channels, out_channels, 3).with_stride(stride),
        convention,
        act,
        0,
    )?;
    Ok(g)
}

/// Generates the inherent `layers`/`twin_layers` of a spec and its weighted block.
macro_rules! block {
    ($(#[$doc:meta])* $block:ident, $spec:ident) => {
        impl $spec {
            /// The cost table of this block for an `input` of `[C, H, W]`: one row
            /// per layer, in the order `forward_named` returns them. Nothing is allocated.
            ///
            /// # Errors
            /// Invalid sizes (groups that do not divide, zero channels …), a wrong
            /// input channel count, or an input too small for a kernel.
            pub fn layers(&self, input: [usize; 3], convention: Convention) -> Result<Vec<LayerCost>> {
                BlockSpec::graph(self, convention)?.layers(input)
            }

            /// The cost table of the standard twin (see [`standard_twin`]).
            ///
            /// # Errors
            /// As `layers`.
            pub fn twin_layers(&self, input: [usize; 3], convention: Convention) -> Result<Vec<LayerCost>> {
                BlockSpec::twin_graph(self, convention)?.layers(input)
            }
        }

        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $block {
            spec: $spec,
            convention: Convention,
            net: Net,
        }

        impl $block {
            /// Allocates the block's weights (seeded random, PyTorch's default scale).
            ///
            /// # Errors
            /// As the spec's `layers`.
            pub fn random(spec: $spec, convention: Convention, seed: u64) -> Result<Self> {
                let net = Net::random(BlockSpec::graph(&spec, convention)?, seed)?;
                Ok($block { spec, convention, net })
            }

            /// The spec.
            pub fn spec(&self) -> &$spec {
                &self.spec
            }

            /// The convention the weights were allocated under.
            pub fn convention(&self) -> Convention {
                self.convention
            }

            /// The layer graph with its weights (e.g. to read a conv's kernels).
            pub fn net(&self) -> &Net {
                &self.net
            }

            /// Parameters counted from the allocated tensors.
            pub fn param_count(&self) -> u64 {
                self.net.param_count()
            }

            /// Multiply–adds for an `h × w` input.
            ///
            /// # Errors
            /// When the input is too small for a kernel.
            pub fn macs(&self, h: usize, w: usize) -> Result<u64> {
                self.net.macs(h, w)
            }

            /// The block output.
            ///
            /// # Errors
            /// Wrong channel count, too small an input, work limits.
            pub fn forward(&self, x: &$crate::Tensor) -> Result<$crate::Tensor> {
                self.net.forward(x)
            }

            /// Every layer's output, named as in the spec's `layers`, in order.
            ///
            /// # Errors
            /// As `forward`.
            pub fn forward_named(&self, x: &$crate::Tensor) -> Result<Vec<(String, $crate::Tensor)>> {
                self.net.forward_named(x)
            }
        }
    };
}
pub(crate) use block;
