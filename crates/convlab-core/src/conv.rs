//! [`Conv2d`]: 2-D convolution with exactly the semantics of
//! `torch.nn.functional.conv2d` (cross-correlation, zero padding, stride,
//! dilation, groups, optional bias, weight layout `[out, in/groups, kh, kw]`).
//!
//! Grouped, depthwise and pointwise convolutions are configurations of it:
//!
//! ```text
//!  standard  groups = 1          every output sees every input channel
//!  grouped   groups = g          output group i sees input group i only
//!  depthwise groups = C_in       output = multiplier · C_in, each sees one channel
//!  pointwise kernel = 1×1        mixes channels, no spatial extent
//! ```

use crate::error::{Error, Result};
use crate::limits;
use crate::tensor::{SplitMix64, Tensor, D4};

/// The shape of a convolution: everything but the numbers in its weights.
///
/// `Default` is a 1→1 channel 3×3 convolution, stride 1, no padding, no
/// dilation, one group, with bias — change the fields you need:
///
/// ```
/// use convlab_core::Conv2dSpec;
/// let spec = Conv2dSpec { in_channels: 128, out_channels: 128, padding: (1, 1), ..Default::default() };
/// assert_eq!(spec.param_count(), 147_584); // (3·3·128 + 1)·128, the lecture's standard conv
/// assert_eq!(spec.output_hw(32, 32).unwrap(), (32, 32));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Conv2dSpec {
    /// Input channels `C`.
    pub in_channels: usize,
    /// Output channels (filters) `D` or `N`.
    pub out_channels: usize,
    /// Kernel `(kh, kw)`.
    pub kernel: (usize, usize),
    /// Stride `(sh, sw)`.
    pub stride: (usize, usize),
    /// Zero padding `(ph, pw)` added on both sides.
    pub padding: (usize, usize),
    /// Dilation `(dh, dw)`: the gap between kernel taps.
    pub dilation: (usize, usize),
    /// Groups `g`: must divide both channel counts.
    pub groups: usize,
    /// Whether the conv has one bias per output channel.
    pub bias: bool,
}

impl Default for Conv2dSpec {
    fn default() -> Self {
        Conv2dSpec {
            in_channels: 1,
            out_channels: 1,
            kernel: (3, 3),
            stride: (1, 1),
            padding: (0, 0),
            dilation: (1, 1),
            groups: 1,
            bias: true,
        }
    }
}

impl Conv2dSpec {
    /// A standard `k×k` conv, stride 1, "same" padding `(k−1)/2`·dilation.
    pub fn standard(in_channels: usize, out_channels: usize, k: usize) -> Self {
        Conv2dSpec {
            in_channels,
            out_channels,
            kernel: (k, k),
            padding: (k.saturating_sub(1) / 2, k.saturating_sub(1) / 2),
            ..Default::default()
        }
    }

    /// A grouped `k×k` conv with "same" padding.
    pub fn grouped(in_channels: usize, out_channels: usize, k: usize, groups: usize) -> Self {
        Conv2dSpec {
            groups,
            ..Self::standard(in_channels, out_channels, k)
        }
    }

    /// A depthwise `k×k` conv: `groups = channels`, `multiplier` outputs per input channel.
    pub fn depthwise(channels: usize, multiplier: usize, k: usize) -> Self {
        Conv2dSpec {
            groups: channels,
            ..Self::standard(channels, channels.saturating_mul(multiplier), k)
        }
    }

    /// A pointwise (1×1) conv.
    pub fn pointwise(in_channels: usize, out_channels: usize) -> Self {
        Self::standard(in_channels, out_channels, 1)
    }

    /// Same spec with `bias` set.
    pub fn with_bias(self, bias: bool) -> Self {
        Conv2dSpec { bias, ..self }
    }

    /// Same spec with square stride `s`.
    pub fn with_stride(self, s: usize) -> Self {
        Conv2dSpec {
            stride: (s, s),
            ..self
        }
    }

    /// Same spec with square dilation `d` and "same" padding `(k−1)/2·d`.
    pub fn with_dilation(self, d: usize) -> Self {
        Conv2dSpec {
            dilation: (d, d),
            padding: (
                (self.kernel.0.saturating_sub(1) / 2).saturating_mul(d),
                (self.kernel.1.saturating_sub(1) / 2).saturating_mul(d),
            ),
            ..self
        }
    }

    /// Checks the spec.
    ///
    /// # Errors
    /// `InvalidSpec` for a zero size, stride, dilation or group count, and
    /// for groups that do not divide the channel counts; `TooLarge` past
    /// [`limits::MAX_DIM`] or when the weights exceed [`limits::MAX_ELEMENTS`].
    pub fn validate(&self) -> Result<()> {
        let op = "conv2d";
        let nonzero = [
            ("in_channels", self.in_channels),
            ("out_channels", self.out_channels),
            ("kernel height", self.kernel.0),
            ("kernel width", self.kernel.1),
            ("stride", self.stride.0.min(self.stride.1)),
            ("dilation", self.dilation.0.min(self.dilation.1)),
            ("groups", self.groups),
        ];
        for (name, v) in nonzero {
            if v == 0 {
                return Err(Error::invalid(
                    op,
                    format!("{name} must be at least 1, got 0"),
                ));
            }
        }
        for v in [
            self.in_channels,
            self.out_channels,
            self.kernel.0,
            self.kernel.1,
            self.stride.0,
            self.stride.1,
            self.padding.0,
            self.padding.1,
            self.dilation.0,
            self.dilation.1,
        ] {
            limits::check(op, "size", v as u128, limits::MAX_DIM as u128)?;
        }
        if !self.in_channels.is_multiple_of(self.groups) {
            return Err(Error::invalid(
                op,
                format!(
                    "groups ({}) must divide in_channels ({})",
                    self.groups, self.in_channels
                ),
            ));
        }
        if !self.out_channels.is_multiple_of(self.groups) {
            return Err(Error::invalid(
                op,
                format!(
                    "groups ({}) must divide out_channels ({})",
                    self.groups, self.out_channels
                ),
            ));
        }
        limits::check(
            op,
            "weights",
            self.weight_len() as u128,
            limits::MAX_ELEMENTS as u128,
        )?;
        Ok(())
    }

    /// Input channels each output channel sees: `in_channels / groups`.
    pub fn in_per_group(&self) -> usize {
        self.in_channels / self.groups.max(1)
    }

    /// Output channels in each group: `out_channels / groups`.
    pub fn out_per_group(&self) -> usize {
        self.out_channels / self.groups.max(1)
    }

    /// Kernel slices (one `kh × kw` plane per output channel and input channel
    /// it reads): `out · in/groups`, the cells of the weight tensor drawn as blocks.
    /// A standard conv has `out · in`; grouping keeps `1/groups` of them.
    ///
    /// ```
    /// use convlab_core::Conv2dSpec;
    /// assert_eq!(Conv2dSpec::grouped(8, 12, 3, 4).kernel_slices(), 24);
    /// assert_eq!(Conv2dSpec::standard(8, 12, 3).kernel_slices(), 96);
    /// ```
    pub fn kernel_slices(&self) -> usize {
        self.out_channels.saturating_mul(self.in_per_group())
    }

    /// Output channels outside the group of any one input channel: `out − out/groups`
    /// = `(groups−1)·out/groups`. Editing one input channel cannot change them.
    ///
    /// ```
    /// use convlab_core::Conv2dSpec;
    /// assert_eq!(Conv2dSpec::grouped(8, 12, 3, 4).outputs_outside_group(), 9);
    /// assert_eq!(Conv2dSpec::standard(8, 12, 3).outputs_outside_group(), 0);
    /// ```
    pub fn outputs_outside_group(&self) -> usize {
        self.out_channels - self.out_per_group().min(self.out_channels)
    }

    /// The group (0-based) input channel `i` belongs to.
    pub fn group_of_input(&self, i: usize) -> usize {
        i / self.in_per_group().max(1)
    }

    /// The group (0-based) output channel `o` belongs to.
    pub fn group_of_output(&self, o: usize) -> usize {
        o / self.out_per_group().max(1)
    }

    /// The span one kernel covers on the (padded) input: `(k−1)·d + 1` per axis.
    pub fn effective_kernel(&self) -> (usize, usize) {
        (
            self.kernel
                .0
                .saturating_sub(1)
                .saturating_mul(self.dilation.0)
                .saturating_add(1),
            self.kernel
                .1
                .saturating_sub(1)
                .saturating_mul(self.dilation.1)
                .saturating_add(1),
        )
    }

    /// Output `(height, width)` for an input of `h × w`, PyTorch's formula
    /// `out = ⌊(in + 2·pad − dil·(k−1) − 1) / stride⌋ + 1`.
    ///
    /// # Errors
    /// Spec errors, and `InvalidSpec` when the dilated kernel is larger than the padded input.
    ///
    /// ```
    /// use convlab_core::Conv2dSpec;
    /// let s = Conv2dSpec { stride: (2, 2), padding: (1, 1), ..Default::default() };
    /// assert_eq!(s.output_hw(7, 8).unwrap(), (4, 4));
    /// let big = Conv2dSpec { kernel: (5, 5), ..Default::default() };
    /// assert!(big.output_hw(3, 3).is_err());
    /// ```
    pub fn output_hw(&self, h: usize, w: usize) -> Result<(usize, usize)> {
        self.validate()?;
        limits::check("conv2d", "input height", h as u128, limits::MAX_DIM as u128)?;
        limits::check("conv2d", "input width", w as u128, limits::MAX_DIM as u128)?;
        let (eh, ew) = self.effective_kernel();
        let ph = h + 2 * self.padding.0;
        let pw = w + 2 * self.padding.1;
        if eh > ph || ew > pw {
            return Err(Error::invalid(
                "conv2d",
                format!(
                    "the {}×{} kernel (dilated span {eh}×{ew}) is larger than the padded input {ph}×{pw}",
                    self.kernel.0, self.kernel.1
                ),
            ));
        }
        Ok(((ph - eh) / self.stride.0 + 1, (pw - ew) / self.stride.1 + 1))
    }

    /// Number of weights: `out · (in/groups) · kh · kw`.
    pub fn weight_len(&self) -> usize {
        self.out_channels
            .saturating_mul(self.in_per_group())
            .saturating_mul(self.kernel.0)
            .saturating_mul(self.kernel.1)
    }

    /// Parameters: weights plus `out_channels` biases when `bias`.
    pub fn param_count(&self) -> u64 {
        let bias = if self.bias {
            self.out_channels as u64
        } else {
            0
        };
        (self.weight_len() as u64).saturating_add(bias)
    }

    /// Multiply–adds for an `h × w` input: `out_h · out_w · out · (in/groups) · kh · kw`
    /// (bias additions not counted, as is usual).
    ///
    /// # Errors
    /// As [`Conv2dSpec::output_hw`].
    pub fn macs(&self, h: usize, w: usize) -> Result<u64> {
        let (oh, ow) = self.output_hw(h, w)?;
        Ok((oh as u64)
            .saturating_mul(ow as u64)
            .saturating_mul(self.weight_len() as u64))
    }
}

/// A convolution with its weights.
///
/// ```
/// use convlab_core::{Conv2d, Conv2dSpec, Tensor};
/// // A 1→1 3×3 box filter on a 3×3 input of ones, no padding: one output, 9.
/// let spec = Conv2dSpec { bias: false, ..Default::default() };
/// let conv = Conv2d::new(spec, vec![1.0; 9], None).unwrap();
/// let x = Tensor::new(1, 3, 3, vec![1.0; 9]).unwrap();
/// assert_eq!(conv.forward(&x).unwrap().data(), &[9.0]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Conv2d {
    spec: Conv2dSpec,
    weight: Vec<f32>,
    bias: Option<Vec<f32>>,
}

/// One term of an output cell's dot product (see [`Conv2d::trace`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TraceTerm {
    /// Input channel read.
    pub in_channel: usize,
    /// Input row (may be negative or past the edge: then it is padding).
    pub y: isize,
    /// Input column (as `y`).
    pub x: isize,
    /// Kernel tap row `0..kh`.
    pub ky: usize,
    /// Kernel tap column `0..kw`.
    pub kx: usize,
    /// Flat index into the weight buffer `[out, in/groups, kh, kw]`.
    pub weight_index: usize,
    /// The input value (0 in the padding).
    pub input: f32,
    /// The weight value.
    pub weight: f32,
    /// Whether `(y, x)` lies in the zero padding.
    pub padded: bool,
}

/// The full computation of one output cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// Output channel.
    pub out_channel: usize,
    /// Output row.
    pub y: usize,
    /// Output column.
    pub x: usize,
    /// Every product term, in weight order.
    pub terms: Vec<TraceTerm>,
    /// The bias added (0 without bias).
    pub bias: f32,
    /// `Σ input·weight + bias`, equal to the forward output at this cell.
    pub output: f32,
}

impl Conv2d {
    /// A convolution from its spec, weights (`[out, in/groups, kh, kw]`) and optional bias.
    ///
    /// # Errors
    /// Spec errors; `ShapeMismatch` when the weight length or the presence
    /// and length of the bias do not fit the spec; `NonFinite` for NaN/inf.
    pub fn new(spec: Conv2dSpec, weight: Vec<f32>, bias: Option<Vec<f32>>) -> Result<Self> {
        spec.validate()?;
        if weight.len() != spec.weight_len() {
            return Err(Error::shape(
                "conv2d weight",
                format!(
                    "[{}, {}, {}, {}] = {} values",
                    spec.out_channels,
                    spec.in_per_group(),
                    spec.kernel.0,
                    spec.kernel.1,
                    spec.weight_len()
                ),
                format!("{} values", weight.len()),
            ));
        }
        limits::finite("conv2d", "weight", &weight)?;
        match (&bias, spec.bias) {
            (Some(b), true) if b.len() == spec.out_channels => {
                limits::finite("conv2d", "bias", b)?;
            }
            (None, false) => {}
            (b, _) => {
                return Err(Error::shape(
                    "conv2d bias",
                    if spec.bias {
                        format!("{} values", spec.out_channels)
                    } else {
                        "no bias".to_string()
                    },
                    match b {
                        Some(b) => format!("{} values", b.len()),
                        None => "no bias".to_string(),
                    },
                ))
            }
        }
        Ok(Conv2d { spec, weight, bias })
    }

    /// Seeded random weights (and biases) with Kaiming-uniform scale
    /// `±1/√fan_in`, as PyTorch's default initialisation.
    ///
    /// # Errors
    /// Spec errors.
    pub fn random(spec: Conv2dSpec, seed: u64) -> Result<Self> {
        spec.validate()?;
        let fan_in = (spec.in_per_group() * spec.kernel.0 * spec.kernel.1).max(1) as f32;
        let bound = 1.0 / fan_in.sqrt();
        let mut rng = SplitMix64::new(seed);
        let mut draw = || (rng.next_f32() * 2.0 - 1.0) * bound;
        let weight = (0..spec.weight_len()).map(|_| draw()).collect();
        let bias = spec
            .bias
            .then(|| (0..spec.out_channels).map(|_| draw()).collect());
        Conv2d::new(spec, weight, bias)
    }

    /// A convolution whose weights all come from `f(out, in_in_group, ky, kx)`.
    ///
    /// # Errors
    /// As [`Conv2d::new`]; biases are zero when the spec has them.
    pub fn from_fn(
        spec: Conv2dSpec,
        mut f: impl FnMut(usize, usize, usize, usize) -> f32,
    ) -> Result<Self> {
        spec.validate()?;
        let mut weight = Vec::with_capacity(spec.weight_len());
        for o in 0..spec.out_channels {
            for i in 0..spec.in_per_group() {
                for ky in 0..spec.kernel.0 {
                    for kx in 0..spec.kernel.1 {
                        weight.push(f(o, i, ky, kx));
                    }
                }
            }
        }
        let bias = spec.bias.then(|| vec![0.0; spec.out_channels]);
        Conv2d::new(spec, weight, bias)
    }

    /// The spec.
    pub fn spec(&self) -> &Conv2dSpec {
        &self.spec
    }
    /// The weights, `[out, in/groups, kh, kw]`.
    pub fn weight(&self) -> &[f32] {
        &self.weight
    }
    /// The bias, if any.
    pub fn bias(&self) -> Option<&[f32]> {
        self.bias.as_deref()
    }

    /// Parameters actually allocated: weight length plus bias length.
    ///
    /// ```
    /// use convlab_core::{Conv2d, Conv2dSpec};
    /// let c = Conv2d::random(Conv2dSpec::grouped(8, 8, 3, 4), 0).unwrap();
    /// assert_eq!(c.param_count(), (3 * 3 * 8 * 8 / 4 + 8) as u64);
    /// assert_eq!(c.param_count(), c.spec().param_count());
    /// ```
    pub fn param_count(&self) -> u64 {
        self.weight.len() as u64 + self.bias.as_ref().map_or(0, |b| b.len() as u64)
    }

    /// Multiply–adds for an `h × w` input.
    ///
    /// # Errors
    /// As [`Conv2dSpec::output_hw`].
    pub fn macs(&self, h: usize, w: usize) -> Result<u64> {
        self.spec.macs(h, w)
    }

    /// Output `(channels, height, width)` for an `h × w` input.
    ///
    /// # Errors
    /// As [`Conv2dSpec::output_hw`].
    pub fn output_shape(&self, h: usize, w: usize) -> Result<[usize; 3]> {
        let (oh, ow) = self.spec.output_hw(h, w)?;
        Ok([self.spec.out_channels, oh, ow])
    }

    /// The weight of output channel `o`, in-group channel `i`, tap `(ky, kx)`.
    pub fn weight_at(&self, o: usize, i: usize, ky: usize, kx: usize) -> Option<f32> {
        let s = &self.spec;
        if o >= s.out_channels || i >= s.in_per_group() || ky >= s.kernel.0 || kx >= s.kernel.1 {
            return None;
        }
        self.weight
            .get(((o * s.in_per_group() + i) * s.kernel.0 + ky) * s.kernel.1 + kx)
            .copied()
    }

    fn check_input(&self, x: &Tensor) -> Result<(usize, usize)> {
        if x.channels() != self.spec.in_channels {
            return Err(Error::shape(
                "conv2d input",
                format!("{} channels", self.spec.in_channels),
                format!("{} channels", x.channels()),
            ));
        }
        let (oh, ow) = self.spec.output_hw(x.height(), x.width())?;
        limits::elements("conv2d output", &[self.spec.out_channels, oh, ow])?;
        let macs = (oh as u128) * (ow as u128) * self.spec.weight_len() as u128;
        limits::check("conv2d", "multiply-adds", macs, limits::MAX_FORWARD_MACS)?;
        Ok((oh, ow))
    }

    /// Runs the convolution on `x`.
    ///
    /// # Errors
    /// `ShapeMismatch` when `x` has the wrong channel count; spec errors;
    /// `TooLarge` past the output or work limits; `NonFinite` if the result overflows.
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (oh, ow) = self.check_input(x)?;
        let out = crate::kernels::conv2d(&self.spec, &self.weight, self.bias.as_deref(), x, oh, ow);
        if !crate::kernels::all_finite(&out) {
            limits::finite("conv2d", "output", &out)?;
        }
        Ok(Tensor::from_parts(self.spec.out_channels, oh, ow, out))
    }

    /// Every term of the dot product that makes output cell `(o, y, x)`.
    ///
    /// # Errors
    /// As [`Conv2d::forward`], and `OutOfRange` for a cell outside the output.
    ///
    /// ```
    /// use convlab_core::{Conv2d, Conv2dSpec, Tensor};
    /// let conv = Conv2d::random(Conv2dSpec { padding: (1, 1), ..Default::default() }, 3).unwrap();
    /// let x = Tensor::random(1, 4, 4, 9).unwrap();
    /// let t = conv.trace(&x, 0, 0, 0).unwrap();
    /// assert_eq!(t.terms.len(), 9);
    /// assert_eq!(t.terms.iter().filter(|t| t.padded).count(), 5); // corner cell
    /// let y = conv.forward(&x).unwrap();
    /// assert!((t.output - y.get(0, 0, 0).unwrap()).abs() < 1e-6);
    /// ```
    pub fn trace(&self, x: &Tensor, o: usize, y: usize, xx: usize) -> Result<Trace> {
        let (oh, ow) = self.check_input(x)?;
        let s = &self.spec;
        let bad = |what, index: usize, len| Error::OutOfRange {
            op: "conv2d trace",
            what,
            index: index as i64,
            len,
        };
        if o >= s.out_channels {
            return Err(bad("output channel", o, s.out_channels));
        }
        if y >= oh {
            return Err(bad("output row", y, oh));
        }
        if xx >= ow {
            return Err(bad("output column", xx, ow));
        }
        let ipg = s.in_per_group();
        let g = o / s.out_per_group();
        let mut terms = Vec::with_capacity(ipg * s.kernel.0 * s.kernel.1);
        let mut acc = 0.0f32;
        for i in 0..ipg {
            let ic = g * ipg + i;
            for ky in 0..s.kernel.0 {
                for kx in 0..s.kernel.1 {
                    let iy = (y * s.stride.0 + ky * s.dilation.0) as isize - s.padding.0 as isize;
                    let ix = (xx * s.stride.1 + kx * s.dilation.1) as isize - s.padding.1 as isize;
                    let padded =
                        iy < 0 || ix < 0 || iy as usize >= x.height() || ix as usize >= x.width();
                    let input = x.get_padded(ic, iy, ix).unwrap_or(0.0);
                    let weight_index = ((o * ipg + i) * s.kernel.0 + ky) * s.kernel.1 + kx;
                    let weight = self.weight[weight_index];
                    acc += input * weight;
                    terms.push(TraceTerm {
                        in_channel: ic,
                        y: iy,
                        x: ix,
                        ky,
                        kx,
                        weight_index,
                        input,
                        weight,
                        padded,
                    });
                }
            }
        }
        let bias = self.bias.as_ref().map_or(0.0, |b| b[o]);
        Ok(Trace {
            out_channel: o,
            y,
            x: xx,
            terms,
            bias,
            output: acc + bias,
        })
    }

    /// The same convolution with every `kh × kw` kernel slice transformed by
    /// `g` (for a non-square kernel the spec's kernel and padding swap for odd rotations).
    ///
    /// ```
    /// use convlab_core::{Conv2d, Conv2dSpec, Tensor, D4};
    /// // Equivariance: conv(g·x, g·w) = g·conv(x, w) for "same" padding, stride 1.
    /// let conv = Conv2d::random(Conv2dSpec { padding: (1, 1), bias: false, ..Default::default() }, 1).unwrap();
    /// let x = Tensor::random(1, 5, 6, 2).unwrap();
    /// let g = D4::new(1, true);
    /// let lhs = conv.transformed(g).forward(&x.transform(g)).unwrap();
    /// let rhs = conv.forward(&x).unwrap().transform(g);
    /// assert!(lhs.max_abs_diff(&rhs).unwrap() < 1e-6);
    /// ```
    pub fn transformed(&self, g: D4) -> Conv2d {
        let s = self.spec;
        let (kh, kw) = s.kernel;
        let slices = s.out_channels * s.in_per_group();
        let as_tensor = Tensor::from_parts(slices, kh, kw, self.weight.clone());
        let weight = as_tensor.transform(g).into_data();
        let swap = g.rotation % 2 == 1;
        let pick = |p: (usize, usize)| if swap { (p.1, p.0) } else { p };
        Conv2d {
            spec: Conv2dSpec {
                kernel: pick(s.kernel),
                stride: pick(s.stride),
                padding: pick(s.padding),
                dilation: pick(s.dilation),
                ..s
            },
            weight,
            bias: self.bias.clone(),
        }
    }
}
