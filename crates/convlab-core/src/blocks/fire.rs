//! SqueezeNet's Fire module.

use super::{block, standard_twin, Activation, BlockSpec, Graph, Net, NodeOp};
use crate::conv::Conv2dSpec;
use crate::cost::{Convention, LayerCost};
use crate::error::Result;

/// SqueezeNet's Fire module:
///
/// ```text
///            ┌─ expand 1×1 (E1) ─ ReLU ─┐
/// x ─ squeeze 1×1 (S) ─ ReLU ─┤                         ├─ concat → E1 + E3 channels
///            └─ expand 3×3 (E3, pad 1) ─ ReLU ─┘
/// ```
///
/// Params `(C+1)·S + (S+1)·E1 + (9·S+1)·E3`. SqueezeNet has no BatchNorm, so
/// every conv has a bias under every [`Convention`] (as torchvision's `Fire`).
///
/// `Default` is the lecture's example, C = 128, S = 16, E1 = E3 = 64:
/// 2064 + 1088 + 9280 = **12432** parameters, against 147584 for a standard
/// 3×3 conv 128 → 128 (ratio 0.084).
///
/// ```
/// use convlab_core::blocks::FireSpec;
/// use convlab_core::{Convention, CostSummary};
/// let s = FireSpec::default();
/// let l = s.layers([128, 16, 16], Convention::LECTURE).unwrap();
/// let params: Vec<u64> = l.iter().filter(|l| l.params > 0).map(|l| l.params).collect();
/// assert_eq!(params, [2064, 1088, 9280]);
/// let twin = CostSummary::of(&s.twin_layers([128, 16, 16], Convention::LECTURE).unwrap());
/// assert_eq!(twin.params, 147_584);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FireSpec {
    /// Input channels C.
    pub in_channels: usize,
    /// Squeeze channels S.
    pub squeeze: usize,
    /// Expand 1×1 channels E1.
    pub expand1: usize,
    /// Expand 3×3 channels E3.
    pub expand3: usize,
}

impl Default for FireSpec {
    fn default() -> Self {
        FireSpec {
            in_channels: 128,
            squeeze: 16,
            expand1: 64,
            expand3: 64,
        }
    }
}

impl FireSpec {
    /// A Fire module `in → squeeze → expand1 ‖ expand3`.
    pub fn new(in_channels: usize, squeeze: usize, expand1: usize, expand3: usize) -> Self {
        FireSpec {
            in_channels,
            squeeze,
            expand1,
            expand3,
        }
    }

    /// Output channels `E1 + E3`.
    pub fn out_channels(&self) -> usize {
        self.expand1.saturating_add(self.expand3)
    }
}

impl BlockSpec for FireSpec {
    fn graph(&self, _convention: Convention) -> Result<Graph> {
        let bias = Convention::LECTURE;
        let relu = Some(Activation::ReLU);
        let mut g = Graph::new(self.in_channels)?;
        let s = g.conv_bn(
            "squeeze 1×1",
            Conv2dSpec::pointwise(self.in_channels, self.squeeze),
            bias,
            relu,
            0,
        )?;
        let e1 = g.conv_bn(
            "expand 1×1",
            Conv2dSpec::pointwise(self.squeeze, self.expand1),
            bias,
            relu,
            s,
        )?;
        let e3 = g.conv_bn(
            "expand 3×3",
            Conv2dSpec::standard(self.squeeze, self.expand3, 3),
            bias,
            relu,
            s,
        )?;
        g.push("concat", NodeOp::Concat, &[e1, e3])?;
        Ok(g)
    }

    fn twin_graph(&self, _convention: Convention) -> Result<Graph> {
        standard_twin(
            self.in_channels,
            self.out_channels(),
            1,
            Convention::LECTURE,
            Some(Activation::ReLU),
        )
    }
}

block!(
    /// A Fire module with weights (see [`FireSpec`]).
    ///
    /// ```
    /// use convlab_core::blocks::{Fire, FireSpec};
    /// use convlab_core::{Convention, Tensor};
    /// let f = Fire::random(FireSpec::new(8, 2, 4, 4), Convention::TORCHVISION, 0).unwrap();
    /// assert_eq!(f.param_count(), (8 + 1) * 2 + (2 + 1) * 4 + (9 * 2 + 1) * 4);
    /// assert_eq!(f.forward(&Tensor::random(8, 5, 5, 1).unwrap()).unwrap().shape(), [8, 5, 5]);
    /// ```
    Fire,
    FireSpec
);
