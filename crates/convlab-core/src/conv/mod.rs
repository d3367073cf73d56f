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

mod spec;

pub use spec::Conv2dSpec;

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
