//! [`RfLayer`]: the geometry of one layer along one axis (kernel, stride,
//! dilation, padding) and what kind of layer it is ([`RfKind`]), with its
//! checks, taps and output length.

use crate::conv::Conv2dSpec;
use crate::error::{Error, Result};
use crate::limits;

/// What a layer is; the geometry alone decides which cells feed which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RfKind {
    /// A (possibly dilated or strided) convolution.
    Conv,
    /// A ShiftNet `k×k` shift: each channel reads one cell of the window, the
    /// union over channels is the whole `k×k` window — traced as that union.
    Shift,
    /// Max or average pooling over the window.
    Pool,
}

/// The geometry of one layer along one axis (the same on both axes in 2-D).
///
/// ```
/// use convlab_core::receptive::RfLayer;
/// let l = RfLayer::same(3, 2);
/// assert_eq!((l.kernel, l.dilation, l.pad_before, l.pad_after), (3, 2, 2, 2));
/// assert_eq!(l.output_len(10)?, 10);
/// # Ok::<(), convlab_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RfLayer {
    /// Conv, shift or pool.
    pub kind: RfKind,
    /// Kernel (window) side `k`.
    pub kernel: usize,
    /// Stride `s`.
    pub stride: usize,
    /// Dilation `d` (gap between taps).
    pub dilation: usize,
    /// Zero padding before the first cell.
    pub pad_before: usize,
    /// Zero padding after the last cell.
    pub pad_after: usize,
}

impl RfLayer {
    /// A convolution with symmetric padding.
    pub fn conv(kernel: usize, stride: usize, dilation: usize, padding: usize) -> Self {
        RfLayer {
            kind: RfKind::Conv,
            kernel,
            stride,
            dilation,
            pad_before: padding,
            pad_after: padding,
        }
    }

    /// A stride-1 convolution with "same" padding `(k−1)/2·d`.
    pub fn same(kernel: usize, dilation: usize) -> Self {
        let p = (kernel.saturating_sub(1) / 2).saturating_mul(dilation);
        RfLayer::conv(kernel, 1, dilation, p)
    }

    /// A causal (WaveNet) convolution: padding `(k−1)·d` before, none after,
    /// so output `t` sees inputs `t − (k−1)·d ..= t`.
    ///
    /// ```
    /// use convlab_core::receptive::{feed_1d, RfLayer};
    /// let l = RfLayer::causal(2, 4);
    /// assert_eq!((l.pad_before, l.pad_after, l.output_len(10)?), (4, 0, 10));
    /// assert_eq!(feed_1d(&[l], 10, 7)?.fed(0), [3, 7]);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn causal(kernel: usize, dilation: usize) -> Self {
        RfLayer {
            pad_before: kernel.saturating_sub(1).saturating_mul(dilation),
            pad_after: 0,
            ..RfLayer::conv(kernel, 1, dilation, 0)
        }
    }

    /// A `k×k` ShiftNet shift (stride 1, padding `(k−1)/2`, `k` odd).
    ///
    /// ```
    /// use convlab_core::receptive::{RfKind, RfLayer};
    /// let s = RfLayer::shift(3);
    /// assert_eq!((s.kind, s.kernel, s.pad_before), (RfKind::Shift, 3, 1));
    /// assert!(RfLayer::shift(4).validate().is_err());
    /// ```
    pub fn shift(kernel: usize) -> Self {
        RfLayer {
            kind: RfKind::Shift,
            ..RfLayer::same(kernel, 1)
        }
    }

    /// Pooling with a `k` window, stride `s` and symmetric padding.
    ///
    /// ```
    /// use convlab_core::receptive::RfLayer;
    /// assert_eq!(RfLayer::pool(2, 2, 0).output_len(7)?, 3);
    /// assert_eq!(RfLayer::pool(3, 2, 1).label(), "pool 3 s=2");
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn pool(kernel: usize, stride: usize, padding: usize) -> Self {
        RfLayer {
            kind: RfKind::Pool,
            ..RfLayer::conv(kernel, stride, 1, padding)
        }
    }

    /// The vertical-axis geometry of a conv spec (see [`RfLayer::from_conv_spec_axes`] for both).
    ///
    /// ```
    /// use convlab_core::receptive::RfLayer;
    /// use convlab_core::Conv2dSpec;
    /// let l = RfLayer::from_conv_spec(&Conv2dSpec::standard(4, 4, 5).with_dilation(2));
    /// assert_eq!((l.kernel, l.dilation, l.pad_before), (5, 2, 4));
    /// ```
    pub fn from_conv_spec(spec: &Conv2dSpec) -> Self {
        RfLayer::conv(
            spec.kernel.0,
            spec.stride.0,
            spec.dilation.0,
            spec.padding.0,
        )
    }

    /// The `(rows, columns)` geometry of a conv spec, for [`feed_2d_axes`](super::feed_2d_axes).
    ///
    /// ```
    /// use convlab_core::receptive::RfLayer;
    /// use convlab_core::Conv2dSpec;
    /// let (r, c) = RfLayer::from_conv_spec_axes(&Conv2dSpec { kernel: (1, 3), ..Default::default() });
    /// assert_eq!((r.kernel, c.kernel), (1, 3));
    /// ```
    pub fn from_conv_spec_axes(spec: &Conv2dSpec) -> (Self, Self) {
        (
            RfLayer::from_conv_spec(spec),
            RfLayer::conv(
                spec.kernel.1,
                spec.stride.1,
                spec.dilation.1,
                spec.padding.1,
            ),
        )
    }

    /// A short label: `conv 3 d=2`, `shift 3`, `pool 2 s=2`, …
    pub fn label(&self) -> String {
        let base = match self.kind {
            RfKind::Conv => format!("conv {}", self.kernel),
            RfKind::Shift => format!("shift {}", self.kernel),
            RfKind::Pool => format!("pool {}", self.kernel),
        };
        let mut s = base;
        if self.stride != 1 {
            s += &format!(" s={}", self.stride);
        }
        if self.dilation != 1 {
            s += &format!(" d={}", self.dilation);
        }
        s
    }

    /// Checks the geometry.
    ///
    /// # Errors
    /// `InvalidSpec` for a zero kernel, stride or dilation, or an even shift
    /// window; `TooLarge` for any number past [`limits::MAX_DIM`].
    ///
    /// ```
    /// use convlab_core::receptive::RfLayer;
    /// assert!(RfLayer::same(3, 2).validate().is_ok());
    /// assert_eq!(RfLayer::conv(3, 0, 1, 0).validate().unwrap_err().to_string(),
    ///            "receptive field: conv stride must be at least 1, got 0");
    /// ```
    pub fn validate(&self) -> Result<()> {
        let op = "receptive field";
        for (name, v) in [
            ("kernel", self.kernel),
            ("stride", self.stride),
            ("dilation", self.dilation),
        ] {
            if v == 0 {
                return Err(Error::invalid(
                    op,
                    format!("{} {name} must be at least 1, got 0", self.kind_name()),
                ));
            }
        }
        for (what, v) in [
            ("kernel", self.kernel),
            ("stride", self.stride),
            ("dilation", self.dilation),
            ("padding", self.pad_before),
            ("padding", self.pad_after),
        ] {
            limits::check(op, what, v as u128, limits::MAX_DIM as u128)?;
        }
        if self.kind == RfKind::Shift && self.kernel.is_multiple_of(2) {
            return Err(Error::invalid(
                op,
                format!("a shift window side must be odd, got {}", self.kernel),
            ));
        }
        Ok(())
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            RfKind::Conv => "conv",
            RfKind::Shift => "shift",
            RfKind::Pool => "pool",
        }
    }

    /// The span of one window: `(k−1)·d + 1` (saturating).
    ///
    /// ```
    /// assert_eq!(convlab_core::receptive::RfLayer::same(3, 4).span(), 9);
    /// ```
    pub fn span(&self) -> usize {
        self.kernel
            .saturating_sub(1)
            .saturating_mul(self.dilation)
            .saturating_add(1)
    }

    /// The cells of an input of `input_len` cells that output cell `out`
    /// reads, in tap order: `out·s − p_before + t·d` for `t = 0..k`, leaving
    /// out taps that land in the padding. These are the edges [`feed_1d`](super::feed_1d) follows.
    ///
    /// ```
    /// use convlab_core::receptive::RfLayer;
    /// assert_eq!(RfLayer::causal(2, 4).taps(7, 10), [3, 7]);
    /// assert_eq!(RfLayer::same(3, 2).taps(1, 10), [1, 3]); // the tap at −1 is padding
    /// ```
    pub fn taps(&self, out: usize, input_len: usize) -> Vec<usize> {
        let base = (out as i64).saturating_mul(self.stride as i64) - self.pad_before as i64;
        (0..self.kernel)
            .map(|t| base.saturating_add((t as i64).saturating_mul(self.dilation as i64)))
            .filter(|&p| p >= 0 && (p as u64) < input_len as u64)
            .map(|p| p as usize)
            .collect()
    }

    /// Output length for an input of `len` cells:
    /// `⌊(len + p_before + p_after − ((k−1)·d + 1)) / s⌋ + 1`.
    ///
    /// # Errors
    /// As [`RfLayer::validate`]; `InvalidSpec` when the window is longer than
    /// the padded input or `len` is 0.
    pub fn output_len(&self, len: usize) -> Result<usize> {
        self.validate()?;
        if len == 0 {
            return Err(Error::invalid(
                "receptive field",
                "a map needs at least 1 cell, got 0",
            ));
        }
        let padded = len
            .saturating_add(self.pad_before)
            .saturating_add(self.pad_after);
        let span = self.span();
        if span > padded {
            return Err(Error::invalid(
                "receptive field",
                format!("the window spans {span} cells, more than the padded map of {padded}"),
            ));
        }
        Ok((padded - span) / self.stride + 1)
    }
}
