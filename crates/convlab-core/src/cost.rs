//! The cost model: parameters, multiply–adds, activation memory and data
//! movement of a layer, derived from its real shapes.
//!
//! Units are always explicit: a **MAC** is one multiply plus one add;
//! **FLOPs = 2·MACs**. Zero-FLOP ops (channel shuffle, shift, concat) report
//! the number of elements they **move** instead.

use crate::conv::Conv2dSpec;

/// How parameters are counted.
///
/// The lecture counts every conv with a bias and no BatchNorm
/// ([`Convention::LECTURE`]); torchvision puts BatchNorm after each conv and
/// drops the conv's bias, counting 2 parameters (γ, β) per BatchNorm channel
/// ([`Convention::TORCHVISION`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Convention {
    /// Convs followed by BatchNorm carry a bias.
    pub conv_bias: bool,
    /// BatchNorm layers are present (2 learned parameters per channel).
    pub batchnorm: bool,
}

impl Convention {
    /// Every conv has a bias, no BatchNorm (the lecture's worked examples).
    pub const LECTURE: Convention = Convention {
        conv_bias: true,
        batchnorm: false,
    };
    /// No bias before BatchNorm, BatchNorm = 2 parameters per channel (torchvision).
    pub const TORCHVISION: Convention = Convention {
        conv_bias: false,
        batchnorm: true,
    };

    /// The convention a page's "BatchNorm" switch stands for: torchvision's when
    /// on (no conv bias, BatchNorm counted), the lecture's when off.
    pub fn for_batchnorm(batchnorm: bool) -> Convention {
        if batchnorm {
            Convention::TORCHVISION
        } else {
            Convention::LECTURE
        }
    }

    /// Short label for the UI.
    pub fn label(self) -> &'static str {
        match (self.conv_bias, self.batchnorm) {
            (true, false) => "conv with bias, no BatchNorm",
            (false, true) => "no conv bias + BatchNorm (2 per channel)",
            (true, true) => "conv with bias + BatchNorm",
            (false, false) => "no bias, no BatchNorm",
        }
    }
}

impl Default for Convention {
    fn default() -> Self {
        Convention::LECTURE
    }
}

/// What a layer is, with the numbers that describe it.
#[derive(Clone, Debug, PartialEq)]
pub enum LayerKind {
    /// A convolution (standard, grouped, depthwise or pointwise).
    Conv(Conv2dSpec),
    /// A fully connected layer `in → out`.
    Linear {
        /// Input features.
        inputs: usize,
        /// Output features.
        outputs: usize,
        /// Whether it has a bias.
        bias: bool,
    },
    /// Inference-form BatchNorm: `y = γ·(x − μ)/σ + β`, 2 learned parameters per channel.
    BatchNorm,
    /// An element-wise activation, e.g. `"ReLU"`, `"ReLU6"`, `"h-swish"`.
    Activation(&'static str),
    /// Max or average pooling.
    Pool {
        /// `"max"`, `"avg"` or `"global avg"`.
        kind: &'static str,
        /// Window side.
        kernel: usize,
        /// Stride.
        stride: usize,
    },
    /// Channel shuffle with `groups` groups (moves data, no arithmetic).
    Shuffle {
        /// Groups.
        groups: usize,
    },
    /// ShiftNet shift with a `kernel × kernel` set of directions (moves data, no arithmetic).
    Shift {
        /// Side of the shift window.
        kernel: usize,
    },
    /// Channel concatenation.
    Concat,
    /// Element-wise residual addition.
    Add,
    /// Channel split (ShuffleNet v2).
    Split,
}

impl LayerKind {
    /// A short type name for tables: `conv 3×3`, `dw 3×3`, `gconv 1×1 (g=4)`, `BN`, …
    pub fn type_name(&self) -> String {
        match self {
            LayerKind::Conv(s) => {
                let k = format!("{}×{}", s.kernel.0, s.kernel.1);
                let dil = if s.dilation != (1, 1) {
                    format!(" d={}", s.dilation.0)
                } else {
                    String::new()
                };
                if s.groups > 1 && s.groups == s.in_channels {
                    format!("dw {k}{dil}")
                } else if s.groups > 1 {
                    format!("gconv {k} (g={}){dil}", s.groups)
                } else {
                    format!("conv {k}{dil}")
                }
            }
            LayerKind::Linear { .. } => "linear".into(),
            LayerKind::BatchNorm => "BN".into(),
            LayerKind::Activation(a) => (*a).into(),
            LayerKind::Pool { kind, kernel, .. } => {
                if kind.starts_with("global") {
                    (*kind).into()
                } else {
                    format!("{kind}pool {kernel}×{kernel}")
                }
            }
            LayerKind::Shuffle { groups } => format!("shuffle (g={groups})"),
            LayerKind::Shift { kernel } => format!("shift {kernel}×{kernel}"),
            LayerKind::Concat => "concat".into(),
            LayerKind::Add => "add".into(),
            LayerKind::Split => "split".into(),
        }
    }
}

/// The cost of one layer at one input size.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerCost {
    /// Name within its block or model, e.g. `"squeeze 1×1"`, `"stage2.unit1.dw"`.
    pub name: String,
    /// What it is.
    pub kind: LayerKind,
    /// Input shape `[C, H, W]`.
    pub input: [usize; 3],
    /// Output shape `[C, H, W]`.
    pub output: [usize; 3],
    /// Learned parameters.
    pub params: u64,
    /// Multiply–adds (FLOPs = 2·MACs).
    pub macs: u64,
    /// Elements moved by a zero-arithmetic op (shuffle, shift, concat, split); 0 otherwise.
    pub moved: u64,
}

impl LayerCost {
    /// The cost of a conv layer for an `input` of `[C, H, W]`.
    ///
    /// # Errors
    /// As [`Conv2dSpec::output_hw`].
    ///
    /// ```
    /// use convlab_core::{Conv2dSpec, LayerCost};
    /// let l = LayerCost::conv("3×3", Conv2dSpec::standard(128, 128, 3), [128, 8, 8]).unwrap();
    /// assert_eq!(l.params, 147_584);
    /// assert_eq!(l.macs, 8 * 8 * 9 * 128 * 128);
    /// assert_eq!(l.flops(), 2 * l.macs);
    /// ```
    pub fn conv(
        name: impl Into<String>,
        spec: Conv2dSpec,
        input: [usize; 3],
    ) -> crate::Result<LayerCost> {
        if input[0] != spec.in_channels {
            return Err(crate::Error::shape(
                "conv cost",
                format!("{} input channels", spec.in_channels),
                format!("{}", input[0]),
            ));
        }
        let (oh, ow) = spec.output_hw(input[1], input[2])?;
        Ok(LayerCost {
            name: name.into(),
            kind: LayerKind::Conv(spec),
            input,
            output: [spec.out_channels, oh, ow],
            params: spec.param_count(),
            macs: spec.macs(input[1], input[2])?,
            moved: 0,
        })
    }

    /// A BatchNorm layer over `shape` (2 parameters per channel, 1 MAC per element
    /// in inference form `a·x + b`).
    pub fn batchnorm(name: impl Into<String>, shape: [usize; 3]) -> LayerCost {
        LayerCost {
            name: name.into(),
            kind: LayerKind::BatchNorm,
            input: shape,
            output: shape,
            params: 2 * shape[0] as u64,
            macs: elements(shape),
            moved: 0,
        }
    }

    /// An element-wise activation over `shape` (no parameters, no MACs).
    pub fn activation(name: impl Into<String>, act: &'static str, shape: [usize; 3]) -> LayerCost {
        LayerCost {
            name: name.into(),
            kind: LayerKind::Activation(act),
            input: shape,
            output: shape,
            params: 0,
            macs: 0,
            moved: 0,
        }
    }

    /// A zero-arithmetic data-movement layer (shuffle, shift, concat, split) that moves every element.
    pub fn movement(
        name: impl Into<String>,
        kind: LayerKind,
        input: [usize; 3],
        output: [usize; 3],
    ) -> LayerCost {
        LayerCost {
            name: name.into(),
            kind,
            input,
            output,
            params: 0,
            macs: 0,
            moved: elements(output),
        }
    }

    /// FLOPs = 2·MACs.
    pub fn flops(&self) -> u64 {
        2 * self.macs
    }

    /// Activation memory: elements of the output map.
    pub fn activation_elements(&self) -> u64 {
        elements(self.output)
    }
}

/// `c·h·w` as `u64`.
pub fn elements(shape: [usize; 3]) -> u64 {
    shape.iter().map(|&d| d as u64).product()
}

/// Totals over a list of layers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CostSummary {
    /// Total parameters.
    pub params: u64,
    /// Total multiply–adds.
    pub macs: u64,
    /// Total elements moved by zero-arithmetic ops.
    pub moved: u64,
    /// Sum of output elements of every layer (activation memory if nothing is freed).
    pub activations: u64,
    /// Largest single output map, in elements (peak live activation, roughly).
    pub peak_activation: u64,
}

impl CostSummary {
    /// Adds up `layers`.
    ///
    /// ```
    /// use convlab_core::{Conv2dSpec, CostSummary, LayerCost};
    /// let a = LayerCost::conv("a", Conv2dSpec::pointwise(4, 8), [4, 2, 2]).unwrap();
    /// let b = LayerCost::batchnorm("bn", [8, 2, 2]);
    /// let s = CostSummary::of(&[a, b]);
    /// assert_eq!(s.params, 4 * 8 + 8 + 16);
    /// ```
    pub fn of(layers: &[LayerCost]) -> CostSummary {
        layers
            .iter()
            .fold(CostSummary::default(), |s, l| CostSummary {
                params: s.params + l.params,
                macs: s.macs + l.macs,
                moved: s.moved + l.moved,
                activations: s.activations + l.activation_elements(),
                peak_activation: s.peak_activation.max(l.activation_elements()),
            })
    }

    /// FLOPs = 2·MACs.
    pub fn flops(&self) -> u64 {
        2 * self.macs
    }
}

impl LayerCost {
    /// A fully connected layer reading the whole `input` map (flattened) and
    /// writing `outputs` features as a `[outputs, 1, 1]` map:
    /// params `in·out (+ out)`, MACs `in·out`.
    ///
    /// ```
    /// use convlab_core::LayerCost;
    /// let fc = LayerCost::linear("fc", [1024, 1, 1], 1000, true);
    /// assert_eq!(fc.params, 1_025_000);
    /// assert_eq!(fc.macs, 1_024_000);
    /// assert_eq!(fc.output, [1000, 1, 1]);
    /// ```
    pub fn linear(
        name: impl Into<String>,
        input: [usize; 3],
        outputs: usize,
        bias: bool,
    ) -> LayerCost {
        let inputs = elements(input);
        LayerCost {
            name: name.into(),
            kind: LayerKind::Linear {
                inputs: inputs as usize,
                outputs,
                bias,
            },
            input,
            output: [outputs, 1, 1],
            params: inputs * outputs as u64 + if bias { outputs as u64 } else { 0 },
            macs: inputs * outputs as u64,
            moved: 0,
        }
    }

    /// A pooling layer (`kind` is `"max"`, `"avg"` or `"global avg"`): no
    /// parameters and, as in the published counts, 0 MACs (it compares or adds,
    /// it does not multiply-accumulate with weights).
    ///
    /// ```
    /// use convlab_core::LayerCost;
    /// let p = LayerCost::pool("pool", "max", 3, 2, [64, 8, 8], [64, 4, 4]);
    /// assert_eq!((p.params, p.macs), (0, 0));
    /// assert_eq!(p.kind.type_name(), "maxpool 3×3");
    /// ```
    pub fn pool(
        name: impl Into<String>,
        kind: &'static str,
        kernel: usize,
        stride: usize,
        input: [usize; 3],
        output: [usize; 3],
    ) -> LayerCost {
        LayerCost {
            name: name.into(),
            kind: LayerKind::Pool {
                kind,
                kernel,
                stride,
            },
            input,
            output,
            params: 0,
            macs: 0,
            moved: 0,
        }
    }

    /// An element-wise residual addition over `shape`: no parameters, and, as in
    /// the published counts, 0 MACs (additions only).
    ///
    /// ```
    /// use convlab_core::LayerCost;
    /// assert_eq!(LayerCost::add("add", [8, 4, 4]).output, [8, 4, 4]);
    /// ```
    pub fn add(name: impl Into<String>, shape: [usize; 3]) -> LayerCost {
        LayerCost {
            name: name.into(),
            kind: LayerKind::Add,
            input: shape,
            output: shape,
            params: 0,
            macs: 0,
            moved: 0,
        }
    }

    /// A channel concatenation producing `output` (it moves every output element).
    ///
    /// ```
    /// use convlab_core::LayerCost;
    /// let c = LayerCost::concat("cat", [4, 2, 2], [8, 2, 2]);
    /// assert_eq!(c.moved, 32);
    /// ```
    pub fn concat(name: impl Into<String>, input: [usize; 3], output: [usize; 3]) -> LayerCost {
        LayerCost::movement(name, LayerKind::Concat, input, output)
    }

    /// Whether this layer's MACs are in the published totals (conv and linear layers only;
    /// BatchNorm, activations, pooling and data movement are left out there).
    pub fn is_conv_or_linear(&self) -> bool {
        matches!(self.kind, LayerKind::Conv(_) | LayerKind::Linear { .. })
    }
}
