//! The small layers the blocks are made of: activations, inference-form
//! BatchNorm, pooling and the fully connected layer, each with a forward.

use crate::error::{Error, Result};
use crate::limits;
use crate::tensor::{SplitMix64, Tensor};

/// An element-wise non-linearity.
///
/// ```
/// use convlab_core::blocks::Activation;
/// assert_eq!(Activation::ReLU6.apply(7.0), 6.0);
/// assert_eq!(Activation::HSwish.apply(3.0), 3.0); // x·ReLU6(x+3)/6
/// assert_eq!(Activation::HSigmoid.apply(0.0), 0.5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Activation {
    /// `max(0, x)`.
    ReLU,
    /// `min(max(0, x), 6)` (MobileNet v2).
    ReLU6,
    /// `x·ReLU6(x + 3)/6` (MobileNet v3).
    HSwish,
    /// `1/(1 + e^−x)`.
    Sigmoid,
    /// `ReLU6(x + 3)/6`, the gate of GhostNet's squeeze-and-excite.
    HSigmoid,
}

impl Activation {
    /// The name shown in layer tables.
    pub fn name(self) -> &'static str {
        match self {
            Activation::ReLU => "ReLU",
            Activation::ReLU6 => "ReLU6",
            Activation::HSwish => "h-swish",
            Activation::Sigmoid => "sigmoid",
            Activation::HSigmoid => "h-sigmoid",
        }
    }

    /// The function at one value.
    pub fn apply(self, x: f32) -> f32 {
        let relu6 = |v: f32| v.clamp(0.0, 6.0);
        match self {
            Activation::ReLU => x.max(0.0),
            Activation::ReLU6 => relu6(x),
            Activation::HSwish => x * relu6(x + 3.0) / 6.0,
            Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Activation::HSigmoid => relu6(x + 3.0) / 6.0,
        }
    }

    /// Applies the function to every element.
    ///
    /// # Errors
    /// `NonFinite` if a result is not finite (cannot happen for finite input).
    pub fn forward(self, x: &Tensor) -> Result<Tensor> {
        x.map(|v| self.apply(v))
    }
}

/// Inference-form BatchNorm: `y = γ·(x − μ)/√(σ² + ε) + β` per channel.
///
/// γ and β are learned (2 parameters per channel, what [`BatchNorm::param_count`]
/// counts, as torchvision does); μ and σ² are running statistics (buffers, not parameters).
///
/// ```
/// use convlab_core::{blocks::BatchNorm, Tensor};
/// let bn = BatchNorm::random(4, 1).unwrap();
/// assert_eq!(bn.param_count(), 8);
/// let y = bn.forward(&Tensor::random(4, 3, 3, 2).unwrap()).unwrap();
/// assert_eq!(y.shape(), [4, 3, 3]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNorm {
    gamma: Vec<f32>,
    beta: Vec<f32>,
    mean: Vec<f32>,
    var: Vec<f32>,
    eps: f32,
}

impl BatchNorm {
    /// Seeded random γ ∈ [0.5, 1.5), β, μ ∈ [−0.5, 0.5), σ² ∈ [0.5, 1.5), ε = 1e−5.
    ///
    /// # Errors
    /// `InvalidSpec` for 0 channels, `TooLarge` past [`limits::MAX_DIM`].
    pub fn random(channels: usize, seed: u64) -> Result<Self> {
        if channels == 0 {
            return Err(Error::invalid(
                "batchnorm",
                "channels must be at least 1, got 0",
            ));
        }
        limits::check(
            "batchnorm",
            "channels",
            channels as u128,
            limits::MAX_DIM as u128,
        )?;
        let mut rng = SplitMix64::new(seed ^ 0xB4_7C4);
        let mut draw = |lo: f32| {
            (0..channels)
                .map(|_| lo + rng.next_f32())
                .collect::<Vec<f32>>()
        };
        Ok(BatchNorm {
            gamma: draw(0.5),
            beta: draw(-0.5),
            mean: draw(-0.5),
            var: draw(0.5),
            eps: 1e-5,
        })
    }

    /// Channels.
    pub fn channels(&self) -> usize {
        self.gamma.len()
    }

    /// Learned parameters actually allocated: `len(γ) + len(β)`.
    pub fn param_count(&self) -> u64 {
        (self.gamma.len() + self.beta.len()) as u64
    }

    /// Normalises `x`.
    ///
    /// # Errors
    /// `ShapeMismatch` when `x` has another channel count.
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        if x.channels() != self.channels() {
            return Err(Error::shape(
                "batchnorm input",
                format!("{} channels", self.channels()),
                format!("{} channels", x.channels()),
            ));
        }
        let n = x.height() * x.width();
        let mut data = x.data().to_vec();
        for (c, chunk) in data.chunks_mut(n.max(1)).enumerate() {
            let a = self.gamma[c] / (self.var[c] + self.eps).sqrt();
            let b = self.beta[c] - a * self.mean[c];
            chunk.iter_mut().for_each(|v| *v = a * *v + b);
        }
        limits::finite("batchnorm", "output", &data)?;
        Ok(Tensor::from_parts(
            x.channels(),
            x.height(),
            x.width(),
            data,
        ))
    }
}

/// Max or average.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PoolKind {
    /// Maximum over the window (padding never wins).
    Max,
    /// Mean over the window, padding counted as zeros (PyTorch's `count_include_pad=True`).
    Avg,
}

/// A `k×k` pooling window with PyTorch's semantics (`nn.MaxPool2d` / `nn.AvgPool2d`).
///
/// Output side `⌊(in + 2p − k)/s⌋ + 1`, or with `ceil_mode` `⌈(in + 2p − k)/s⌉ + 1`
/// minus one when the last window would start in the right padding.
///
/// ```
/// use convlab_core::blocks::{PoolKind, PoolSpec};
/// let p = PoolSpec { kind: PoolKind::Max, kernel: 3, stride: 2, padding: 0, ceil_mode: true };
/// assert_eq!(p.output_hw(111, 111).unwrap(), (55, 55)); // SqueezeNet 1.0 after conv1
/// assert_eq!(p.output_hw(54, 54).unwrap(), (27, 27));   // ceil mode rounds up
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PoolSpec {
    /// Max or average.
    pub kind: PoolKind,
    /// Window side.
    pub kernel: usize,
    /// Stride.
    pub stride: usize,
    /// Padding on each side.
    pub padding: usize,
    /// Round the output size up instead of down.
    pub ceil_mode: bool,
}

impl Default for PoolSpec {
    /// 3×3 max pool, stride 2, padding 1 (ResNet's, ShuffleNet's).
    fn default() -> Self {
        PoolSpec {
            kind: PoolKind::Max,
            kernel: 3,
            stride: 2,
            padding: 1,
            ceil_mode: false,
        }
    }
}

impl PoolSpec {
    /// The name used in [`crate::LayerKind::Pool`]: `"max"` or `"avg"`.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            PoolKind::Max => "max",
            PoolKind::Avg => "avg",
        }
    }

    fn out_len(&self, n: usize) -> Result<usize> {
        let op = "pool";
        if self.kernel == 0 || self.stride == 0 {
            return Err(Error::invalid(
                op,
                "kernel and stride must be at least 1, got 0",
            ));
        }
        for v in [self.kernel, self.stride, self.padding, n] {
            limits::check(op, "size", v as u128, limits::MAX_DIM as u128)?;
        }
        if self.padding * 2 > self.kernel {
            return Err(Error::invalid(
                op,
                format!(
                    "padding ({}) must be at most half the kernel ({})",
                    self.padding, self.kernel
                ),
            ));
        }
        let padded = n + 2 * self.padding;
        if self.kernel > padded {
            return Err(Error::invalid(
                op,
                format!(
                    "the {k}×{k} window is larger than the padded input ({padded})",
                    k = self.kernel
                ),
            ));
        }
        let span = padded - self.kernel;
        let mut out = if self.ceil_mode {
            span.div_ceil(self.stride) + 1
        } else {
            span / self.stride + 1
        };
        if self.ceil_mode && (out - 1) * self.stride >= n + self.padding {
            out -= 1;
        }
        Ok(out)
    }

    /// Output `(height, width)`.
    ///
    /// # Errors
    /// `InvalidSpec` for a zero kernel or stride, padding over half the kernel,
    /// or a window larger than the padded input; `TooLarge` past [`limits::MAX_DIM`].
    pub fn output_hw(&self, h: usize, w: usize) -> Result<(usize, usize)> {
        Ok((self.out_len(h)?, self.out_len(w)?))
    }

    /// Pools every channel of `x`.
    ///
    /// # Errors
    /// As [`PoolSpec::output_hw`].
    ///
    /// ```
    /// use convlab_core::{blocks::{PoolKind, PoolSpec}, Tensor};
    /// let x = Tensor::new(1, 2, 2, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    /// let avg = PoolSpec { kind: PoolKind::Avg, kernel: 2, stride: 2, padding: 0, ceil_mode: false };
    /// assert_eq!(avg.forward(&x).unwrap().data(), &[2.5]);
    /// ```
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (h, w) = (x.height(), x.width());
        let (oh, ow) = self.output_hw(h, w)?;
        let (k, s, p) = (self.kernel, self.stride, self.padding);
        let mut data = Vec::with_capacity(x.channels() * oh * ow);
        for c in 0..x.channels() {
            for oy in 0..oh {
                for ox in 0..ow {
                    let y0 = (oy * s) as isize - p as isize;
                    let x0 = (ox * s) as isize - p as isize;
                    // PyTorch's divisor: the window clipped to input + padding.
                    let y1 = (y0 + k as isize).min((h + p) as isize);
                    let x1 = (x0 + k as isize).min((w + p) as isize);
                    let area = ((y1 - y0) * (x1 - x0)).max(1) as f32;
                    let mut best = f32::NEG_INFINITY;
                    let mut sum = 0.0f32;
                    for yy in y0.max(0)..y1.min(h as isize) {
                        for xx in x0.max(0)..x1.min(w as isize) {
                            let v = x.get(c, yy as usize, xx as usize).unwrap_or(0.0);
                            best = best.max(v);
                            sum += v;
                        }
                    }
                    data.push(match self.kind {
                        PoolKind::Max => best,
                        PoolKind::Avg => sum / area,
                    });
                }
            }
        }
        limits::finite("pool", "output", &data)?;
        Ok(Tensor::from_parts(x.channels(), oh, ow, data))
    }
}

/// Global average pooling: `[C, H, W] → [C, 1, 1]`, the mean of each channel.
///
/// ```
/// use convlab_core::{blocks::global_avg_pool, Tensor};
/// let x = Tensor::new(1, 2, 2, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
/// assert_eq!(global_avg_pool(&x).data(), &[2.5]);
/// ```
pub fn global_avg_pool(x: &Tensor) -> Tensor {
    let n = (x.height() * x.width()).max(1);
    let data = x
        .data()
        .chunks(n)
        .map(|ch| ch.iter().sum::<f32>() / n as f32)
        .collect();
    Tensor::from_parts(x.channels(), 1, 1, data)
}

/// A fully connected layer on the flattened input, `y = W·x + b`, output `[out, 1, 1]`.
///
/// ```
/// use convlab_core::{blocks::Linear, Tensor};
/// let fc = Linear::random(8, 3, true, 0).unwrap();
/// assert_eq!(fc.param_count(), 8 * 3 + 3);
/// assert_eq!(fc.forward(&Tensor::random(2, 2, 2, 1).unwrap()).unwrap().shape(), [3, 1, 1]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Linear {
    inputs: usize,
    outputs: usize,
    weight: Vec<f32>,
    bias: Option<Vec<f32>>,
}

impl Linear {
    /// Seeded random weights `±1/√inputs` (PyTorch's default scale).
    ///
    /// # Errors
    /// `InvalidSpec` for a zero size; `TooLarge` when the weights exceed [`limits::MAX_ELEMENTS`].
    pub fn random(inputs: usize, outputs: usize, bias: bool, seed: u64) -> Result<Self> {
        if inputs == 0 || outputs == 0 {
            return Err(Error::invalid(
                "linear",
                format!("sizes must be at least 1, got {inputs} → {outputs}"),
            ));
        }
        let n = (inputs as u128) * (outputs as u128);
        limits::check("linear", "weights", n, limits::MAX_ELEMENTS as u128)?;
        let n = n as usize;
        let bound = 1.0 / (inputs as f32).sqrt();
        let mut rng = SplitMix64::new(seed);
        let mut draw = || (rng.next_f32() * 2.0 - 1.0) * bound;
        let weight = (0..n).map(|_| draw()).collect();
        let bias = bias.then(|| (0..outputs).map(|_| draw()).collect());
        Ok(Linear {
            inputs,
            outputs,
            weight,
            bias,
        })
    }

    /// Parameters actually allocated.
    pub fn param_count(&self) -> u64 {
        (self.weight.len() + self.bias.as_ref().map_or(0, Vec::len)) as u64
    }

    /// Applies the layer to `x` flattened in CHW order.
    ///
    /// # Errors
    /// `ShapeMismatch` when `x` does not have `inputs` elements.
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        if x.len() != self.inputs {
            return Err(Error::shape(
                "linear input",
                format!("{} values", self.inputs),
                format!("{:?} = {} values", x.shape(), x.len()),
            ));
        }
        let data: Vec<f32> = (0..self.outputs)
            .map(|o| {
                let row = &self.weight[o * self.inputs..(o + 1) * self.inputs];
                let dot: f32 = row.iter().zip(x.data()).map(|(w, v)| w * v).sum();
                dot + self.bias.as_ref().map_or(0.0, |b| b[o])
            })
            .collect();
        limits::finite("linear", "output", &data)?;
        Ok(Tensor::from_parts(self.outputs, 1, 1, data))
    }
}
