//! ShuffleNet v1's unit and ShuffleNet v2's unit.

use super::{block, standard_twin, Activation, BlockSpec, Graph, Net, NodeOp, PoolKind, PoolSpec};
use crate::conv::Conv2dSpec;
use crate::cost::{Convention, LayerCost};
use crate::error::{Error, Result};

/// ShuffleNet v1's unit (the paper's Fig. 2 b/c):
///
/// ```text
/// stride 1:  x ─ 1×1 GConv (g) ─ BN ─ ReLU ─ shuffle (g) ─ dw 3×3 ─ BN ─ 1×1 GConv (g) ─ BN ─(+ x)─ ReLU
/// stride 2:  x ─ … the same, dw with stride 2, last GConv to D − C channels … ─ concat(avgpool 3×3/2 (x), ·) ─ ReLU
/// ```
///
/// The first unit of stage 2 has no group conv on its first 1×1
/// (`first_group_conv = false`), as in the paper: its input has only 24 channels.
///
/// `Default` is the lecture's example: 240 channels, bottleneck 80, g = 2, stride 1.
/// With a bias on every conv ([`Convention::LECTURE`]):
/// 1×1 GConv 240→80: 120·80 + 80 = **9680**; dw 3×3: (9+1)·80 = **800**;
/// 1×1 GConv 80→240: 40·240 + 240 = **9840**; total **20320** against
/// (9·240+1)·240 = **518640** for a standard 3×3 conv (ratio 0.039).
///
/// **The slide says** 9640, 9720 and 20160 (ratio 0.04): it counts one bias
/// per pair of output channels (g = 2), i.e. D/g biases per grouped conv:
/// 9600 + 80/2 = 9640 and 9600 + 240/2 = 9720, and 9640 + 800 + 9720 = 20160.
/// PyTorch's grouped `Conv2d` has one
/// bias per output channel, as counted here.
///
/// ```
/// use convlab_core::blocks::ShuffleV1Spec;
/// use convlab_core::{Convention, CostSummary};
/// let l = ShuffleV1Spec::default().layers([240, 28, 28], Convention::LECTURE).unwrap();
/// let params: Vec<u64> = l.iter().filter(|l| l.params > 0).map(|l| l.params).collect();
/// assert_eq!(params, [9680, 800, 9840]);
/// assert_eq!(CostSummary::of(&l).params, 20_320);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShuffleV1Spec {
    /// Input channels C.
    pub in_channels: usize,
    /// Output channels D (for stride 2 the concat of C pooled and D − C computed).
    pub out_channels: usize,
    /// Bottleneck channels (the paper: D/4).
    pub bottleneck: usize,
    /// Groups g of the 1×1 convs and of the shuffle.
    pub groups: usize,
    /// 1 (residual add, needs C = D) or 2 (concat with the avg-pooled input, needs D > C).
    pub stride: usize,
    /// Whether the first 1×1 is a group conv (false only in the first unit of stage 2).
    pub first_group_conv: bool,
}

impl Default for ShuffleV1Spec {
    fn default() -> Self {
        ShuffleV1Spec {
            in_channels: 240,
            out_channels: 240,
            bottleneck: 80,
            groups: 2,
            stride: 1,
            first_group_conv: true,
        }
    }
}

impl ShuffleV1Spec {
    /// The channels the residual branch computes: D (stride 1) or D − C (stride 2).
    ///
    /// # Errors
    /// `InvalidSpec` for a stride other than 1 or 2, stride 1 with C ≠ D, stride 2 with D ≤ C.
    pub fn branch_channels(&self) -> Result<usize> {
        let op = "ShuffleNet v1 unit";
        match self.stride {
            1 if self.in_channels == self.out_channels => Ok(self.out_channels),
            1 => Err(Error::invalid(
                op,
                format!(
                    "stride 1 adds the input, so out_channels ({}) must equal in_channels ({})",
                    self.out_channels, self.in_channels
                ),
            )),
            2 if self.out_channels > self.in_channels => Ok(self.out_channels - self.in_channels),
            2 => Err(Error::invalid(
                op,
                format!(
                    "stride 2 concatenates the pooled input, so out_channels ({}) must exceed in_channels ({})",
                    self.out_channels, self.in_channels
                ),
            )),
            s => Err(Error::invalid(op, format!("stride must be 1 or 2, got {s}"))),
        }
    }
}

impl BlockSpec for ShuffleV1Spec {
    fn graph(&self, convention: Convention) -> Result<Graph> {
        let branch = self.branch_channels()?;
        let g1 = if self.first_group_conv {
            self.groups
        } else {
            1
        };
        let mut g = Graph::new(self.in_channels)?;
        let mut v = g.conv_bn(
            &format!("gconv1 1×1 (g={g1})"),
            Conv2dSpec::grouped(self.in_channels, self.bottleneck, 1, g1),
            convention,
            Some(Activation::ReLU),
            0,
        )?;
        if self.groups > 1 {
            v = g.push(
                format!("shuffle (g={})", self.groups),
                NodeOp::Shuffle {
                    groups: self.groups,
                },
                &[v],
            )?;
        }
        v = g.conv_bn(
            "dw 3×3",
            Conv2dSpec::depthwise(self.bottleneck, 1, 3).with_stride(self.stride),
            convention,
            None,
            v,
        )?;
        v = g.conv_bn(
            &format!("gconv2 1×1 (g={})", self.groups),
            Conv2dSpec::grouped(self.bottleneck, branch, 1, self.groups),
            convention,
            None,
            v,
        )?;
        v = if self.stride == 1 {
            g.push("residual add", NodeOp::Add, &[v, 0])?
        } else {
            let pool = PoolSpec {
                kind: PoolKind::Avg,
                kernel: 3,
                stride: 2,
                padding: 1,
                ceil_mode: false,
            };
            let p = g.push("shortcut avgpool 3×3/2", NodeOp::Pool(pool), &[0])?;
            g.push("concat", NodeOp::Concat, &[p, v])?
        };
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
    /// A ShuffleNet v1 unit with weights (see [`ShuffleV1Spec`]).
    ///
    /// ```
    /// use convlab_core::blocks::{ShuffleV1Spec, ShuffleV1Unit};
    /// use convlab_core::{Convention, Tensor};
    /// let spec = ShuffleV1Spec { in_channels: 8, out_channels: 24, bottleneck: 4, groups: 2, stride: 2, first_group_conv: true };
    /// let u = ShuffleV1Unit::random(spec, Convention::TORCHVISION, 0).unwrap();
    /// assert_eq!(u.forward(&Tensor::random(8, 6, 6, 1).unwrap()).unwrap().shape(), [24, 3, 3]);
    /// ```
    ShuffleV1Unit,
    ShuffleV1Spec
);

/// ShuffleNet v2's unit (torchvision's `InvertedResidual` of `shufflenetv2`):
///
/// ```text
/// stride 1:  x ─ split ─ left half ───────────────────────────────────────────────┐
///                      └ right half ─ 1×1 ─ BN ─ ReLU ─ dw 3×3 ─ BN ─ 1×1 ─ BN ─ ReLU ┴ concat ─ shuffle (2)
/// stride 2:  x ─ dw 3×3/2 ─ BN ─ 1×1 ─ BN ─ ReLU ─────────────────────────────────┐
///            x ─ 1×1 ─ BN ─ ReLU ─ dw 3×3/2 ─ BN ─ 1×1 ─ BN ─ ReLU ──────────────┴ concat ─ shuffle (2)
/// ```
///
/// Each branch makes D/2 channels; stride 1 needs C = D.
///
/// ```
/// use convlab_core::blocks::ShuffleV2Spec;
/// use convlab_core::{Convention, CostSummary};
/// let l = ShuffleV2Spec::default().layers([116, 28, 28], Convention::TORCHVISION).unwrap();
/// // two 1×1 58→58 with BN, dw 3×3 on 58 with BN
/// assert_eq!(CostSummary::of(&l).params, 2 * (58 * 58 + 116) + 9 * 58 + 116);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShuffleV2Spec {
    /// Input channels C.
    pub in_channels: usize,
    /// Output channels D (even).
    pub out_channels: usize,
    /// 1 (channel split) or 2 (two branches, spatial down-sampling).
    pub stride: usize,
}

impl Default for ShuffleV2Spec {
    fn default() -> Self {
        ShuffleV2Spec {
            in_channels: 116,
            out_channels: 116,
            stride: 1,
        }
    }
}

impl BlockSpec for ShuffleV2Spec {
    fn graph(&self, convention: Convention) -> Result<Graph> {
        let op = "ShuffleNet v2 unit";
        let (c, d) = (self.in_channels, self.out_channels);
        if !d.is_multiple_of(2) {
            return Err(Error::invalid(
                op,
                format!("out_channels ({d}) must be even: two branches of D/2"),
            ));
        }
        let half = d / 2;
        let relu = Some(Activation::ReLU);
        let mut g = Graph::new(c)?;
        let (left, input2) = match self.stride {
            1 => {
                if c != d {
                    return Err(Error::invalid(
                        op,
                        format!("stride 1 needs in_channels ({c}) = out_channels ({d})"),
                    ));
                }
                let l = g.push(
                    "split (left)",
                    NodeOp::Slice {
                        start: 0,
                        end: half,
                    },
                    &[0],
                )?;
                let r = g.push(
                    "split (right)",
                    NodeOp::Slice {
                        start: half,
                        end: d,
                    },
                    &[0],
                )?;
                (l, r)
            }
            2 => {
                let dw = g.conv_bn(
                    "branch1 dw 3×3",
                    Conv2dSpec::depthwise(c, 1, 3).with_stride(2),
                    convention,
                    None,
                    0,
                )?;
                let l = g.conv_bn(
                    "branch1 1×1",
                    Conv2dSpec::pointwise(c, half),
                    convention,
                    relu,
                    dw,
                )?;
                (l, 0)
            }
            s => {
                return Err(Error::invalid(
                    op,
                    format!("stride must be 1 or 2, got {s}"),
                ))
            }
        };
        let cin2 = g.channels_of(input2)?;
        let mut v = g.conv_bn(
            "branch2 1×1 (a)",
            Conv2dSpec::pointwise(cin2, half),
            convention,
            relu,
            input2,
        )?;
        v = g.conv_bn(
            "branch2 dw 3×3",
            Conv2dSpec::depthwise(half, 1, 3).with_stride(self.stride),
            convention,
            None,
            v,
        )?;
        v = g.conv_bn(
            "branch2 1×1 (b)",
            Conv2dSpec::pointwise(half, half),
            convention,
            relu,
            v,
        )?;
        let cat = g.push("concat", NodeOp::Concat, &[left, v])?;
        g.push("shuffle (g=2)", NodeOp::Shuffle { groups: 2 }, &[cat])?;
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
    /// A ShuffleNet v2 unit with weights (see [`ShuffleV2Spec`]).
    ///
    /// ```
    /// use convlab_core::blocks::{ShuffleV2Spec, ShuffleV2Unit};
    /// use convlab_core::{Convention, Tensor};
    /// let spec = ShuffleV2Spec { in_channels: 4, out_channels: 8, stride: 2 };
    /// let u = ShuffleV2Unit::random(spec, Convention::TORCHVISION, 0).unwrap();
    /// assert_eq!(u.forward(&Tensor::random(4, 6, 6, 1).unwrap()).unwrap().shape(), [8, 3, 3]);
    /// ```
    ShuffleV2Unit,
    ShuffleV2Spec
);
