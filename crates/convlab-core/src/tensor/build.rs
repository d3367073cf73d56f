//! The constructors of [`Tensor`] that make its values: zeros, a function
//! of the position, seeded random, and 8-bit grey or RGB pictures.

use super::{SplitMix64, Tensor};
use crate::error::{Error, Result};

impl Tensor {
    /// All zeros.
    ///
    /// # Errors
    /// As [`Tensor::new`] for the shape.
    ///
    /// ```
    /// let t = convlab_core::Tensor::zeros(3, 4, 5).unwrap();
    /// assert_eq!(t.len(), 60);
    /// ```
    pub fn zeros(channels: usize, height: usize, width: usize) -> Result<Self> {
        let n = Self::checked_len(channels, height, width)?;
        Ok(Self::from_parts(channels, height, width, vec![0.0; n]))
    }

    /// Each value from `f(c, y, x)`.
    ///
    /// # Errors
    /// As [`Tensor::new`] (including non-finite values returned by `f`).
    pub fn from_fn(
        channels: usize,
        height: usize,
        width: usize,
        mut f: impl FnMut(usize, usize, usize) -> f32,
    ) -> Result<Self> {
        let n = Self::checked_len(channels, height, width)?;
        let mut data = Vec::with_capacity(n);
        for c in 0..channels {
            for y in 0..height {
                for x in 0..width {
                    data.push(f(c, y, x));
                }
            }
        }
        Self::new(channels, height, width, data)
    }

    /// Deterministic pseudo-random values uniform in `[-1, 1)`; the same seed
    /// gives the same tensor on every platform.
    ///
    /// # Errors
    /// As [`Tensor::new`] for the shape.
    ///
    /// ```
    /// use convlab_core::Tensor;
    /// let a = Tensor::random(2, 3, 3, 7).unwrap();
    /// assert_eq!(a, Tensor::random(2, 3, 3, 7).unwrap());
    /// assert!(a.data().iter().all(|v| (-1.0..1.0).contains(v)));
    /// ```
    pub fn random(channels: usize, height: usize, width: usize, seed: u64) -> Result<Self> {
        let n = Self::checked_len(channels, height, width)?;
        let mut rng = SplitMix64::new(seed);
        let data = (0..n).map(|_| rng.next_f32() * 2.0 - 1.0).collect();
        Ok(Self::from_parts(channels, height, width, data))
    }

    /// A one-channel tensor from 8-bit grey pixels, row-major, scaled to `[0, 1]`.
    ///
    /// # Errors
    /// `ShapeMismatch` when `pixels.len() != width·height`.
    ///
    /// ```
    /// let t = convlab_core::Tensor::from_gray8(2, 1, &[0, 255]).unwrap();
    /// assert_eq!(t.data(), &[0.0, 1.0]);
    /// ```
    pub fn from_gray8(width: usize, height: usize, pixels: &[u8]) -> Result<Self> {
        let n = Self::checked_len(1, height, width)?;
        if pixels.len() != n {
            return Err(Error::shape(
                "tensor from grey pixels",
                format!("{width}×{height} = {n} bytes"),
                format!("{} bytes", pixels.len()),
            ));
        }
        let data = pixels.iter().map(|&p| f32::from(p) / 255.0).collect();
        Ok(Self::from_parts(1, height, width, data))
    }

    /// A three-channel tensor from interleaved 8-bit RGB (or RGBA when
    /// `pixels.len() == 4·w·h`, alpha ignored) pixels, scaled to `[0, 1]`.
    ///
    /// # Errors
    /// `ShapeMismatch` when the length is neither `3·w·h` nor `4·w·h`.
    ///
    /// ```
    /// let t = convlab_core::Tensor::from_rgb8(1, 1, &[255, 0, 51]).unwrap();
    /// assert_eq!(t.shape(), [3, 1, 1]);
    /// assert_eq!(t.data(), &[1.0, 0.0, 0.2]);
    /// ```
    pub fn from_rgb8(width: usize, height: usize, pixels: &[u8]) -> Result<Self> {
        let n = Self::checked_len(3, height, width)? / 3;
        let stride = if pixels.len() == 3 * n {
            3
        } else if pixels.len() == 4 * n {
            4
        } else {
            return Err(Error::shape(
                "tensor from RGB pixels",
                format!("{width}×{height}×3 = {} or ×4 = {} bytes", 3 * n, 4 * n),
                format!("{} bytes", pixels.len()),
            ));
        };
        let mut data = vec![0.0; 3 * n];
        for (i, px) in pixels.chunks_exact(stride).enumerate() {
            for c in 0..3 {
                data[c * n + i] = f32::from(px[c]) / 255.0;
            }
        }
        Ok(Self::from_parts(3, height, width, data))
    }
}
