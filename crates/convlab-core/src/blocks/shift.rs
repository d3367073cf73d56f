//! ShiftNet's shift block (the CSC module: conv 1×1, shift, conv 1×1).

use super::graph::{at_least_one, mul_channels};
use super::{block, standard_twin, Activation, BlockSpec, Graph, Net, NodeOp};
use crate::conv::Conv2dSpec;
use crate::cost::{Convention, LayerCost};
use crate::error::{Error, Result};

/// ShiftNet's CSC module, as in ShiftResNet:
///
/// ```text
/// x ─ 1×1 (C → M = ε·D) ─ BN ─ ReLU ─ shift k×k ─ 1×1 (M → D, stride s) ─ BN ─(+ shortcut)─ ReLU
/// ```
///
/// The shift ([`crate::ops::shift::shift`]) moves the M channels, split into k²
/// groups, one step along each of the k² offsets of a k×k window: zero
/// parameters, zero multiply–adds; the two 1×1 convs do all the arithmetic.
/// With `residual`, the shortcut is the input itself when s = 1 and C = D,
/// otherwise a 1×1 conv with stride s + BN (ResNet's projection shortcut).
///
/// ```
/// use convlab_core::blocks::ShiftBlockSpec;
/// use convlab_core::{Convention, CostSummary};
/// let s = ShiftBlockSpec::default(); // 64 → 64, ε = 1, 3×3 shift, residual
/// let l = s.layers([64, 16, 16], Convention::TORCHVISION).unwrap();
/// assert_eq!(CostSummary::of(&l).params, 2 * (64 * 64 + 128));
/// let shift = l.iter().find(|l| l.name == "shift 3×3").unwrap();
/// assert_eq!((shift.params, shift.macs, shift.moved), (0, 0, 64 * 16 * 16));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShiftBlockSpec {
    /// Input channels C.
    pub in_channels: usize,
    /// Output channels D.
    pub out_channels: usize,
    /// Expansion ε: the shifted middle has `ε·D` channels.
    pub expansion: usize,
    /// Shift window side k (odd).
    pub kernel: usize,
    /// Stride of the second 1×1 conv.
    pub stride: usize,
    /// Whether the block adds a shortcut (ShiftResNet) or not.
    pub residual: bool,
}

impl Default for ShiftBlockSpec {
    fn default() -> Self {
        ShiftBlockSpec {
            in_channels: 64,
            out_channels: 64,
            expansion: 1,
            kernel: 3,
            stride: 1,
            residual: true,
        }
    }
}

impl ShiftBlockSpec {
    /// A residual 3×3 shift block `in → out`, expansion ε, stride `stride`.
    pub fn new(in_channels: usize, out_channels: usize, expansion: usize, stride: usize) -> Self {
        ShiftBlockSpec {
            in_channels,
            out_channels,
            expansion,
            kernel: 3,
            stride,
            residual: true,
        }
    }
}

impl BlockSpec for ShiftBlockSpec {
    fn graph(&self, convention: Convention) -> Result<Graph> {
        let op = "shift block";
        at_least_one(op, "expansion ε", self.expansion)?;
        if self.stride > 2 {
            return Err(Error::invalid(
                op,
                format!("stride must be 1 or 2, got {}", self.stride),
            ));
        }
        let mid = mul_channels(op, self.out_channels, self.expansion)?;
        let relu = Some(Activation::ReLU);
        let mut g = Graph::new(self.in_channels)?;
        let mut v = g.conv_bn(
            "1×1 (a)",
            Conv2dSpec::pointwise(self.in_channels, mid),
            convention,
            relu,
            0,
        )?;
        v = g.push(
            format!("shift {k}×{k}", k = self.kernel),
            NodeOp::Shift {
                kernel: self.kernel,
            },
            &[v],
        )?;
        v = g.conv_bn(
            "1×1 (b)",
            Conv2dSpec::pointwise(mid, self.out_channels).with_stride(self.stride),
            convention,
            None,
            v,
        )?;
        if self.residual {
            let shortcut = if self.stride == 1 && self.in_channels == self.out_channels {
                0
            } else {
                g.conv_bn(
                    "shortcut 1×1",
                    Conv2dSpec::pointwise(self.in_channels, self.out_channels)
                        .with_stride(self.stride),
                    convention,
                    None,
                    0,
                )?
            };
            v = g.push("residual add", NodeOp::Add, &[v, shortcut])?;
        }
        g.push("ReLU", NodeOp::Act(Activation::ReLU), &[v])?;
        Ok(g)
    }

    fn twin_graph(&self, convention: Convention) -> Result<Graph> {
        standard_twin(
            self.in_channels,
            self.out_channels,
            self.stride,
            convention,
            Some(Activation::ReLU),
        )
    }
}

block!(
    /// A shift block with weights (see [`ShiftBlockSpec`]).
    ///
    /// ```
    /// use convlab_core::blocks::{ShiftBlock, ShiftBlockSpec};
    /// use convlab_core::{Convention, Tensor};
    /// let b = ShiftBlock::random(ShiftBlockSpec::new(9, 18, 1, 2), Convention::TORCHVISION, 0).unwrap();
    /// assert_eq!(b.forward(&Tensor::random(9, 8, 8, 1).unwrap()).unwrap().shape(), [18, 4, 4]);
    /// ```
    ShiftBlock,
    ShiftBlockSpec
);
