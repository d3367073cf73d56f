//! [`Conv2dSpec`]: the shape of a convolution (channels, kernel, stride,
//! padding, dilation, groups, bias), its checks, output size, parameter and
//! multiply–add counts.

use crate::error::{Error, Result};
use crate::limits;

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
