//! GhostNet's Ghost bottleneck.

use super::graph::make_divisible;
use super::{block, standard_twin, Activation, BlockSpec, Graph, Net, NodeOp};
use crate::conv::Conv2dSpec;
use crate::cost::{Convention, LayerCost};
use crate::error::{Error, Result};
use crate::ops::ghost::GhostSpec;

/// GhostNet's Ghost bottleneck (the official `GhostBottleneck`):
///
/// ```text
/// x ─ Ghost module (C → hidden, ReLU) ─ [dw k×k stride 2 ─ BN] ─ [SE] ─ Ghost module (hidden → D, linear) ─(+ shortcut)
/// ```
///
/// Each Ghost module (ratio s, cheap kernel d) is GhostNet's: a primary 1×1
/// conv to `m = ⌈n/s⌉` intrinsic maps (+ BN [+ ReLU]), a cheap d×d depthwise
/// conv making `(s−1)·m` ghosts (+ BN [+ ReLU]), concatenated and trimmed to n
/// Its two convs are [`GhostSpec::primary_spec`] and [`GhostSpec::cheap_spec`]
/// of the op [`crate::ops::ghost`]; the block adds the BN/ReLU GhostNet puts
/// after each (without BN and ReLU — the linear `ghost2` under
/// [`Convention::LECTURE`] — it computes exactly [`crate::ops::ghost::GhostModule`]). SE is squeeze-and-excite on the hidden maps:
/// global avg pool → 1×1 (with bias) to `make_divisible(hidden/4, 4)` → ReLU →
/// 1×1 (with bias) back → h-sigmoid → scale. The shortcut is the input when
/// stride 1 and C = D, otherwise dw k×k (stride) + BN → 1×1 + BN.
///
/// ```
/// use convlab_core::blocks::GhostBottleneckSpec;
/// use convlab_core::{Convention, CostSummary};
/// let s = GhostBottleneckSpec::default(); // GhostNet's 16 → 48 → 24, 3×3, stride 2
/// let l = s.layers([16, 112, 112], Convention::TORCHVISION).unwrap();
/// let ghost1 = 16 * 24 + 48 + 9 * 24 + 48;
/// let dw = 9 * 48 + 96;
/// let ghost2 = 48 * 12 + 24 + 9 * 12 + 24;
/// let shortcut = 9 * 16 + 32 + 16 * 24 + 48;
/// assert_eq!(CostSummary::of(&l).params, (ghost1 + dw + ghost2 + shortcut) as u64);
/// assert_eq!(l.last().unwrap().output, [24, 56, 56]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GhostBottleneckSpec {
    /// Input channels C.
    pub in_channels: usize,
    /// Hidden (expanded) channels.
    pub hidden: usize,
    /// Output channels D.
    pub out_channels: usize,
    /// Kernel of the stride-2 depthwise conv and of the shortcut's depthwise conv.
    pub kernel: usize,
    /// 1 or 2.
    pub stride: usize,
    /// Squeeze-and-excite on the hidden maps.
    pub se: bool,
    /// Ghost ratio s (≥ 2): each intrinsic map makes s − 1 ghosts.
    pub ratio: usize,
    /// Cheap depthwise kernel d.
    pub cheap_kernel: usize,
}

impl Default for GhostBottleneckSpec {
    fn default() -> Self {
        GhostBottleneckSpec {
            in_channels: 16,
            hidden: 48,
            out_channels: 24,
            kernel: 3,
            stride: 2,
            se: false,
            ratio: 2,
            cheap_kernel: 3,
        }
    }
}

impl GhostBottleneckSpec {
    /// A bottleneck with GhostNet's ratio 2 and cheap kernel 3.
    pub fn new(
        in_channels: usize,
        hidden: usize,
        out_channels: usize,
        kernel: usize,
        stride: usize,
        se: bool,
    ) -> Self {
        GhostBottleneckSpec {
            in_channels,
            hidden,
            out_channels,
            kernel,
            stride,
            se,
            ..Default::default()
        }
    }

    /// Appends one GhostNet Ghost module reading value `from`; returns its output value.
    fn ghost(
        &self,
        g: &mut Graph,
        name: &str,
        out: usize,
        relu: bool,
        convention: Convention,
        from: usize,
    ) -> Result<usize> {
        if self.ratio < 2 {
            return Err(Error::invalid(
                "Ghost module",
                format!("ratio s must be at least 2, got {}", self.ratio),
            ));
        }
        let spec = GhostSpec {
            in_channels: g.channels_of(from)?,
            out_channels: out,
            kernel: 1,
            ratio: self.ratio,
            dw_kernel: self.cheap_kernel,
            stride: 1,
            bias: convention.conv_bias,
        };
        spec.validate()?;
        let cheap = spec.cheap_spec().ok_or_else(|| {
            Error::invalid("Ghost module", "ratio s must be at least 2 for a cheap op")
        })?;
        let act = relu.then_some(Activation::ReLU);
        let p = g.conv_bn(
            &format!("{name} primary 1×1"),
            spec.primary_spec(),
            convention,
            act,
            from,
        )?;
        let c = g.conv_bn(
            &format!("{name} cheap dw {d}×{d}", d = self.cheap_kernel),
            cheap,
            convention,
            act,
            p,
        )?;
        let mut v = g.push(format!("{name} concat"), NodeOp::Concat, &[p, c])?;
        if spec.intrinsic() + spec.ghosts() > out {
            v = g.push(
                format!("{name} keep {out}"),
                NodeOp::Slice { start: 0, end: out },
                &[v],
            )?;
        }
        Ok(v)
    }
}

impl BlockSpec for GhostBottleneckSpec {
    fn graph(&self, convention: Convention) -> Result<Graph> {
        let op = "Ghost bottleneck";
        if self.stride == 0 || self.stride > 2 {
            return Err(Error::invalid(
                op,
                format!("stride must be 1 or 2, got {}", self.stride),
            ));
        }
        let mut g = Graph::new(self.in_channels)?;
        let mut v = self.ghost(&mut g, "ghost1", self.hidden, true, convention, 0)?;
        if self.stride > 1 {
            v = g.conv_bn(
                &format!("dw {k}×{k}/{s}", k = self.kernel, s = self.stride),
                Conv2dSpec::depthwise(self.hidden, 1, self.kernel).with_stride(self.stride),
                convention,
                None,
                v,
            )?;
        }
        if self.se {
            let reduced = make_divisible(self.hidden as f64 * 0.25, 4);
            let p = g.push("SE pool", NodeOp::GlobalAvgPool, &[v])?;
            let r = g.push(
                "SE reduce 1×1",
                NodeOp::Conv(Conv2dSpec::pointwise(self.hidden, reduced)),
                &[p],
            )?;
            let r = g.push("SE ReLU", NodeOp::Act(Activation::ReLU), &[r])?;
            let e = g.push(
                "SE expand 1×1",
                NodeOp::Conv(Conv2dSpec::pointwise(reduced, self.hidden)),
                &[r],
            )?;
            let e = g.push("SE h-sigmoid", NodeOp::Act(Activation::HSigmoid), &[e])?;
            v = g.push("SE scale", NodeOp::Gate, &[v, e])?;
        }
        v = self.ghost(&mut g, "ghost2", self.out_channels, false, convention, v)?;
        let shortcut = if self.stride == 1 && self.in_channels == self.out_channels {
            0
        } else {
            let d = g.conv_bn(
                &format!("shortcut dw {k}×{k}", k = self.kernel),
                Conv2dSpec::depthwise(self.in_channels, 1, self.kernel).with_stride(self.stride),
                convention,
                None,
                0,
            )?;
            g.conv_bn(
                "shortcut 1×1",
                Conv2dSpec::pointwise(self.in_channels, self.out_channels),
                convention,
                None,
                d,
            )?
        };
        g.push("residual add", NodeOp::Add, &[v, shortcut])?;
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
    /// A Ghost bottleneck with weights (see [`GhostBottleneckSpec`]).
    ///
    /// ```
    /// use convlab_core::blocks::{GhostBottleneck, GhostBottleneckSpec};
    /// use convlab_core::{Convention, Tensor};
    /// let spec = GhostBottleneckSpec::new(8, 24, 8, 3, 1, true);
    /// let b = GhostBottleneck::random(spec, Convention::TORCHVISION, 0).unwrap();
    /// assert_eq!(b.forward(&Tensor::random(8, 6, 6, 1).unwrap()).unwrap().shape(), [8, 6, 6]);
    /// ```
    GhostBottleneck,
    GhostBottleneckSpec
);
