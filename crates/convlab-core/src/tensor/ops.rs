//! Operations on a [`Tensor`] that build a new one: channel slices,
//! concatenation and permutation, padding, the [`D4`] transforms,
//! comparisons and element-wise maps.

use super::{Tensor, D4};
use crate::error::{Error, Result};
use crate::limits;

impl Tensor {
    /// Channels `range` as a new tensor.
    ///
    /// # Errors
    /// `OutOfRange` for an empty range or one past the channel count.
    pub fn channels_range(&self, range: std::ops::Range<usize>) -> Result<Tensor> {
        if range.start >= range.end || range.end > self.channels {
            return Err(Error::OutOfRange {
                op: "tensor channels",
                what: "channel range end",
                index: range.end as i64,
                len: self.channels + 1,
            });
        }
        let n = self.height * self.width;
        Ok(Self::from_parts(
            range.len(),
            self.height,
            self.width,
            self.data[range.start * n..range.end * n].to_vec(),
        ))
    }

    /// Stacks tensors of equal height and width along the channel axis.
    ///
    /// # Errors
    /// `InvalidSpec` for an empty list, `ShapeMismatch` for differing `h×w`,
    /// `TooLarge` when the result is too big.
    ///
    /// ```
    /// use convlab_core::Tensor;
    /// let a = Tensor::zeros(1, 2, 2).unwrap();
    /// let b = Tensor::zeros(3, 2, 2).unwrap();
    /// assert_eq!(Tensor::concat_channels(&[&a, &b]).unwrap().channels(), 4);
    /// ```
    pub fn concat_channels(parts: &[&Tensor]) -> Result<Tensor> {
        let first = parts
            .first()
            .ok_or_else(|| Error::invalid("concat", "needs at least one tensor"))?;
        let (h, w) = (first.height, first.width);
        let mut c = 0;
        for p in parts {
            if p.height != h || p.width != w {
                return Err(Error::shape(
                    "concat",
                    format!("{h}×{w} maps"),
                    format!("{}×{}", p.height, p.width),
                ));
            }
            c += p.channels;
        }
        let n = limits::elements("concat", &[c, h, w])?;
        let mut data = Vec::with_capacity(n);
        for p in parts {
            data.extend_from_slice(&p.data);
        }
        Ok(Self::from_parts(c, h, w, data))
    }

    /// Zero padding: `top`/`bottom` rows and `left`/`right` columns.
    ///
    /// # Errors
    /// `TooLarge` when the result is too big.
    ///
    /// ```
    /// let t = convlab_core::Tensor::new(1, 1, 1, vec![5.0]).unwrap();
    /// let p = t.pad(1, 1, 1, 1).unwrap();
    /// assert_eq!(p.shape(), [1, 3, 3]);
    /// assert_eq!(p.get(0, 1, 1), Some(5.0));
    /// assert_eq!(p.data().iter().sum::<f32>(), 5.0);
    /// ```
    pub fn pad(&self, top: usize, bottom: usize, left: usize, right: usize) -> Result<Tensor> {
        let h = self.height.saturating_add(top).saturating_add(bottom);
        let w = self.width.saturating_add(left).saturating_add(right);
        limits::elements("pad", &[self.channels, h, w])?;
        let mut out = Self::from_parts(self.channels, h, w, vec![0.0; self.channels * h * w]);
        for c in 0..self.channels {
            for y in 0..self.height {
                let src = (c * self.height + y) * self.width;
                let dst = (c * h + y + top) * w + left;
                out.data[dst..dst + self.width].copy_from_slice(&self.data[src..src + self.width]);
            }
        }
        Ok(out)
    }

    /// Applies the spatial transform `g` to every channel (the result's
    /// height and width swap for odd rotations).
    ///
    /// ```
    /// use convlab_core::{Tensor, D4};
    /// // 1 2      2 4
    /// // 3 4  ->  1 3   (90° counter-clockwise)
    /// let t = Tensor::new(1, 2, 2, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    /// assert_eq!(t.transform(D4::rotation(1)).data(), &[2.0, 4.0, 1.0, 3.0]);
    /// ```
    pub fn transform(&self, g: D4) -> Tensor {
        let (h, w) = (self.height, self.width);
        let (oh, ow) = g.output_hw(h, w);
        let mut data = vec![0.0; self.data.len()];
        for c in 0..self.channels {
            for oy in 0..oh {
                for ox in 0..ow {
                    let (y, x) = g.source(oy, ox, h, w);
                    data[(c * oh + oy) * ow + ox] = self.data[(c * h + y) * w + x];
                }
            }
        }
        Self::from_parts(self.channels, oh, ow, data)
    }

    /// Rotates every channel by `k`·90° counter-clockwise (as `numpy.rot90`).
    pub fn rotate90(&self, k: i32) -> Tensor {
        self.transform(D4::rotation(k))
    }

    /// Mirrors every channel left–right.
    pub fn flip(&self) -> Tensor {
        self.transform(D4::FLIP)
    }

    /// Channels permuted: output channel `i` is input channel `perm[i]`.
    ///
    /// # Errors
    /// `ShapeMismatch` when `perm.len() != channels`, `OutOfRange` for a bad index.
    pub fn permute_channels(&self, perm: &[usize]) -> Result<Tensor> {
        if perm.len() != self.channels {
            return Err(Error::shape(
                "permute channels",
                format!("{} indices", self.channels),
                format!("{}", perm.len()),
            ));
        }
        let n = self.height * self.width;
        let mut data = Vec::with_capacity(self.data.len());
        for &p in perm {
            if p >= self.channels {
                return Err(Error::OutOfRange {
                    op: "permute channels",
                    what: "channel",
                    index: p as i64,
                    len: self.channels,
                });
            }
            data.extend_from_slice(&self.data[p * n..(p + 1) * n]);
        }
        Ok(Self::from_parts(
            self.channels,
            self.height,
            self.width,
            data,
        ))
    }

    /// Largest `|a − b|` over all values, or `None` when the shapes differ.
    ///
    /// ```
    /// use convlab_core::Tensor;
    /// let a = Tensor::new(1, 1, 2, vec![1.0, 2.0]).unwrap();
    /// let b = Tensor::new(1, 1, 2, vec![1.5, 2.0]).unwrap();
    /// assert_eq!(a.max_abs_diff(&b), Some(0.5));
    /// ```
    pub fn max_abs_diff(&self, other: &Tensor) -> Option<f32> {
        if self.shape() != other.shape() {
            return None;
        }
        Some(
            self.data
                .iter()
                .zip(&other.data)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max),
        )
    }

    /// `(min, max)` of all values.
    pub fn min_max(&self) -> (f32, f32) {
        self.data
            .iter()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            })
    }

    /// Largest absolute value (0 for an all-zero tensor).
    pub fn max_abs(&self) -> f32 {
        self.data.iter().fold(0.0, |m, v| m.max(v.abs()))
    }

    /// Applies `f` to every value; a non-finite result is an error.
    ///
    /// # Errors
    /// `NonFinite` when `f` returns NaN/inf.
    pub fn map(&self, f: impl Fn(f32) -> f32) -> Result<Tensor> {
        let data: Vec<f32> = self.data.iter().map(|&v| f(v)).collect();
        limits::finite("tensor map", "result", &data)?;
        Ok(Self::from_parts(
            self.channels,
            self.height,
            self.width,
            data,
        ))
    }

    /// Element-wise sum of two tensors of the same shape.
    ///
    /// # Errors
    /// `ShapeMismatch` for differing shapes.
    pub fn add(&self, other: &Tensor) -> Result<Tensor> {
        if self.shape() != other.shape() {
            return Err(Error::shape(
                "add",
                format!("{:?}", self.shape()),
                format!("{:?}", other.shape()),
            ));
        }
        let data = self
            .data
            .iter()
            .zip(&other.data)
            .map(|(a, b)| a + b)
            .collect();
        Ok(Self::from_parts(
            self.channels,
            self.height,
            self.width,
            data,
        ))
    }
}
