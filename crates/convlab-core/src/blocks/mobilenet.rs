//! MobileNet v1's depthwise-separable block and MobileNet v2's inverted residual.

use super::graph::{at_least_one, mul_channels};
use super::{block, standard_twin, Activation, BlockSpec, Graph, Net, NodeOp};
use crate::conv::Conv2dSpec;
use crate::cost::{Convention, LayerCost};
use crate::error::{Error, Result};

/// MobileNet v1's depthwise-separable block:
///
/// ```text
/// x ─ dw k×k (stride s) ─ BN ─ ReLU ─ 1×1 (C → D) ─ BN ─ ReLU
/// ```
///
/// `Default` is the lecture's C = D = 128, 3×3, stride 1: under
/// [`Convention::LECTURE`] (bias, no BN) (9+1)·128 = 1280 + (128+1)·128 = 16512,
/// total **17792** against 147584 for the standard 3×3 conv (ratio 0.12).
///
/// ```
/// use convlab_core::blocks::SeparableSpec;
/// use convlab_core::{Convention, CostSummary};
/// let l = SeparableSpec::default().layers([128, 14, 14], Convention::LECTURE).unwrap();
/// assert_eq!(CostSummary::of(&l).params, 17_792);
/// let tv = SeparableSpec::default().layers([128, 14, 14], Convention::TORCHVISION).unwrap();
/// assert_eq!(CostSummary::of(&tv).params, 9 * 128 + 256 + 128 * 128 + 256);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SeparableSpec {
    /// Input channels C.
    pub in_channels: usize,
    /// Output channels D.
    pub out_channels: usize,
    /// Depthwise kernel side (odd; padding `k/2`).
    pub kernel: usize,
    /// Stride of the depthwise conv.
    pub stride: usize,
}

impl Default for SeparableSpec {
    fn default() -> Self {
        SeparableSpec {
            in_channels: 128,
            out_channels: 128,
            kernel: 3,
            stride: 1,
        }
    }
}

impl SeparableSpec {
    /// A 3×3 block `in → out` with stride `stride`.
    pub fn new(in_channels: usize, out_channels: usize, stride: usize) -> Self {
        SeparableSpec {
            in_channels,
            out_channels,
            kernel: 3,
            stride,
        }
    }
}

impl BlockSpec for SeparableSpec {
    fn graph(&self, convention: Convention) -> Result<Graph> {
        let relu = Some(Activation::ReLU);
        let mut g = Graph::new(self.in_channels)?;
        let dw = g.conv_bn(
            &format!("dw {k}×{k}", k = self.kernel),
            Conv2dSpec::depthwise(self.in_channels, 1, self.kernel).with_stride(self.stride),
            convention,
            relu,
            0,
        )?;
        g.conv_bn(
            "pw 1×1",
            Conv2dSpec::pointwise(self.in_channels, self.out_channels),
            convention,
            relu,
            dw,
        )?;
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
    /// A depthwise-separable block with weights (see [`SeparableSpec`]).
    ///
    /// ```
    /// use convlab_core::blocks::{DepthwiseSeparable, SeparableSpec};
    /// use convlab_core::{Convention, Tensor};
    /// let b = DepthwiseSeparable::random(SeparableSpec::new(4, 8, 2), Convention::TORCHVISION, 0).unwrap();
    /// assert_eq!(b.forward(&Tensor::random(4, 6, 6, 1).unwrap()).unwrap().shape(), [8, 3, 3]);
    /// ```
    DepthwiseSeparable,
    SeparableSpec
);

/// MobileNet v2's inverted residual (torchvision's `InvertedResidual`):
///
/// ```text
/// x ─ [expand 1×1 C → t·C ─ BN ─ ReLU6] ─ dw 3×3 stride s ─ BN ─ ReLU6 ─ project 1×1 t·C → D ─ BN ─(+ x)
/// ```
///
/// The expand conv is left out when `t = 1`; the projection is linear (no
/// activation); the residual is added when `s = 1` and `C = D`.
///
/// ```
/// use convlab_core::blocks::InvertedResidualSpec;
/// use convlab_core::{Convention, CostSummary};
/// let s = InvertedResidualSpec::default(); // 24 → 24, t = 6, stride 1
/// let l = s.layers([24, 56, 56], Convention::TORCHVISION).unwrap();
/// // expand 24·144 + 288, dw 9·144 + 288, project 144·24 + 48
/// assert_eq!(CostSummary::of(&l).params, 3456 + 288 + 1296 + 288 + 3456 + 48);
/// assert_eq!(l.last().unwrap().name, "residual add");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InvertedResidualSpec {
    /// Input channels C.
    pub in_channels: usize,
    /// Output channels D.
    pub out_channels: usize,
    /// Expansion factor t (hidden channels `t·C`).
    pub expansion: usize,
    /// Stride of the depthwise conv (1 or 2).
    pub stride: usize,
}

impl Default for InvertedResidualSpec {
    fn default() -> Self {
        InvertedResidualSpec {
            in_channels: 24,
            out_channels: 24,
            expansion: 6,
            stride: 1,
        }
    }
}

impl InvertedResidualSpec {
    /// An inverted residual `in → out`, expansion `t`, stride `stride`.
    pub fn new(in_channels: usize, out_channels: usize, expansion: usize, stride: usize) -> Self {
        InvertedResidualSpec {
            in_channels,
            out_channels,
            expansion,
            stride,
        }
    }

    /// Whether the block adds its input (stride 1 and `C = D`).
    pub fn has_residual(&self) -> bool {
        self.stride == 1 && self.in_channels == self.out_channels
    }
}

impl BlockSpec for InvertedResidualSpec {
    fn graph(&self, convention: Convention) -> Result<Graph> {
        let op = "inverted residual";
        at_least_one(op, "expansion t", self.expansion)?;
        if self.stride > 2 {
            return Err(Error::invalid(
                op,
                format!("stride must be 1 or 2, got {}", self.stride),
            ));
        }
        let hidden = mul_channels(op, self.in_channels, self.expansion)?;
        let relu6 = Some(Activation::ReLU6);
        let mut g = Graph::new(self.in_channels)?;
        let mut v = 0;
        if self.expansion != 1 {
            v = g.conv_bn(
                "expand 1×1",
                Conv2dSpec::pointwise(self.in_channels, hidden),
                convention,
                relu6,
                v,
            )?;
        }
        v = g.conv_bn(
            "dw 3×3",
            Conv2dSpec::depthwise(hidden, 1, 3).with_stride(self.stride),
            convention,
            relu6,
            v,
        )?;
        v = g.conv_bn(
            "project 1×1",
            Conv2dSpec::pointwise(hidden, self.out_channels),
            convention,
            None,
            v,
        )?;
        if self.has_residual() {
            g.push("residual add", NodeOp::Add, &[v, 0])?;
        }
        Ok(g)
    }

    fn twin_graph(&self, convention: Convention) -> Result<Graph> {
        standard_twin(
            self.in_channels,
            self.out_channels,
            self.stride,
            convention,
            Some(Activation::ReLU6),
        )
    }
}

block!(
    /// An inverted residual with weights (see [`InvertedResidualSpec`]).
    ///
    /// ```
    /// use convlab_core::blocks::{InvertedResidual, InvertedResidualSpec};
    /// use convlab_core::{Convention, Tensor};
    /// let b = InvertedResidual::random(InvertedResidualSpec::new(4, 4, 2, 1), Convention::TORCHVISION, 0).unwrap();
    /// assert_eq!(b.forward(&Tensor::random(4, 5, 5, 1).unwrap()).unwrap().shape(), [4, 5, 5]);
    /// ```
    InvertedResidual,
    InvertedResidualSpec
);
