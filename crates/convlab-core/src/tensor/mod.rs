//! [`Tensor`]: a CHW `f32` feature map (a batch of one), and the dihedral
//! group [`D4`] of its spatial rotations and flips.

use crate::error::{Error, Result};
use crate::limits;

mod build;
mod d4;
mod ops;

pub use d4::D4;

/// A feature map of `channels × height × width` `f32` values, row-major in
/// CHW order: the value at `(c, y, x)` is `data[(c·height + y)·width + x]`.
///
/// All constructors check the shape and reject non-finite values, so every
/// `Tensor` in the program is well-formed.
///
/// ```
/// use convlab_core::Tensor;
/// let t = Tensor::from_fn(2, 2, 3, |c, y, x| (c * 100 + y * 10 + x) as f32).unwrap();
/// assert_eq!(t.shape(), [2, 2, 3]);
/// assert_eq!(t.get(1, 1, 2), Some(112.0));
/// assert_eq!(t.get(2, 0, 0), None);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    channels: usize,
    height: usize,
    width: usize,
    data: Vec<f32>,
}

impl Tensor {
    /// A 1×1×1 zero tensor: what a view shows while its data cannot be
    /// computed (it cannot fail, unlike the general constructors).
    ///
    /// ```
    /// use convlab_core::Tensor;
    /// assert_eq!(Tensor::placeholder().shape(), [1, 1, 1]);
    /// ```
    pub fn placeholder() -> Self {
        Tensor {
            channels: 1,
            height: 1,
            width: 1,
            data: vec![0.0],
        }
    }

    /// A tensor from its shape and CHW data.
    ///
    /// # Errors
    /// `ShapeMismatch` when `data.len() != c·h·w`, `TooLarge` past
    /// [`limits::MAX_ELEMENTS`], `NonFinite` for NaN/inf, `InvalidSpec` for a zero dimension.
    ///
    /// ```
    /// use convlab_core::Tensor;
    /// assert!(Tensor::new(1, 2, 2, vec![1.0, 2.0, 3.0, 4.0]).is_ok());
    /// assert!(Tensor::new(1, 2, 2, vec![1.0]).is_err());
    /// assert!(Tensor::new(1, 1, 1, vec![f32::NAN]).is_err());
    /// ```
    pub fn new(channels: usize, height: usize, width: usize, data: Vec<f32>) -> Result<Self> {
        let n = Self::checked_len(channels, height, width)?;
        if data.len() != n {
            return Err(Error::shape(
                "tensor",
                format!("[{channels}, {height}, {width}] = {n} values"),
                format!("{} values", data.len()),
            ));
        }
        limits::finite("tensor", "data", &data)?;
        Ok(Tensor {
            channels,
            height,
            width,
            data,
        })
    }

    /// Internal constructor for data produced by the crate's own kernels
    /// (shape already checked, values finite by construction or checked by the caller).
    pub(crate) fn from_parts(channels: usize, height: usize, width: usize, data: Vec<f32>) -> Self {
        debug_assert_eq!(data.len(), channels * height * width);
        Tensor {
            channels,
            height,
            width,
            data,
        }
    }

    fn checked_len(channels: usize, height: usize, width: usize) -> Result<usize> {
        if channels == 0 || height == 0 || width == 0 {
            return Err(Error::invalid(
                "tensor",
                format!("every dimension must be at least 1, got [{channels}, {height}, {width}]"),
            ));
        }
        limits::elements("tensor", &[channels, height, width])
    }

    /// `[channels, height, width]`.
    pub fn shape(&self) -> [usize; 3] {
        [self.channels, self.height, self.width]
    }
    /// Number of channels.
    pub fn channels(&self) -> usize {
        self.channels
    }
    /// Height (rows).
    pub fn height(&self) -> usize {
        self.height
    }
    /// Width (columns).
    pub fn width(&self) -> usize {
        self.width
    }
    /// Number of values, `c·h·w`.
    pub fn len(&self) -> usize {
        self.data.len()
    }
    /// Never true: every dimension is at least 1. Present for API symmetry.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    /// The CHW data.
    pub fn data(&self) -> &[f32] {
        &self.data
    }
    /// Consumes the tensor, returning its CHW data.
    pub fn into_data(self) -> Vec<f32> {
        self.data
    }

    /// The value at `(c, y, x)`, or `None` outside the tensor.
    pub fn get(&self, c: usize, y: usize, x: usize) -> Option<f32> {
        if c < self.channels && y < self.height && x < self.width {
            self.data
                .get((c * self.height + y) * self.width + x)
                .copied()
        } else {
            None
        }
    }

    /// The value at signed `(c, y, x)`: `Some(0.0)` in the zero padding
    /// around the tensor (any `y`, `x` outside), `None` for a bad channel.
    pub fn get_padded(&self, c: usize, y: isize, x: isize) -> Option<f32> {
        if c >= self.channels {
            return None;
        }
        if y < 0 || x < 0 || y as usize >= self.height || x as usize >= self.width {
            return Some(0.0);
        }
        self.get(c, y as usize, x as usize)
    }

    /// Sets the value at `(c, y, x)`.
    ///
    /// # Errors
    /// `OutOfRange` outside the tensor, `NonFinite` for NaN/inf.
    pub fn set(&mut self, c: usize, y: usize, x: usize, value: f32) -> Result<()> {
        if c >= self.channels || y >= self.height || x >= self.width {
            return Err(Error::OutOfRange {
                op: "tensor set",
                what: "flat index",
                index: ((c * self.height + y) * self.width + x) as i64,
                len: self.data.len(),
            });
        }
        limits::finite("tensor set", "value", &[value])?;
        self.data[(c * self.height + y) * self.width + x] = value;
        Ok(())
    }

    /// One channel's `h·w` values, or `None` for a bad channel.
    pub fn channel(&self, c: usize) -> Option<&[f32]> {
        let n = self.height * self.width;
        self.data.get(c * n..(c + 1) * n)
    }
}

/// SplitMix64: a tiny, well-known, platform-independent generator.
#[derive(Clone, Debug)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, 1)` with 24 bits of precision.
    pub(crate) fn next_f32(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
}

#[cfg(test)]
mod tests;
