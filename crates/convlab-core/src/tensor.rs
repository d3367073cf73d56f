//! [`Tensor`]: a CHW `f32` feature map (a batch of one), and the dihedral
//! group [`D4`] of its spatial rotations and flips.

use crate::error::{Error, Result};
use crate::limits;

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

/// An element of the dihedral group D4 — the 8 symmetries of a square:
/// an optional left–right flip followed by a counter-clockwise rotation of
/// `rotation`·90°. `g = r^rotation · f^flip`.
///
/// ```
/// use convlab_core::D4;
/// assert_eq!(D4::ALL.len(), 8);
/// for g in D4::ALL {
///     assert_eq!(g.compose(g.inverse()), D4::IDENTITY);
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct D4 {
    /// Quarter turns counter-clockwise, `0..4`.
    pub rotation: u8,
    /// Whether a left–right mirror is applied first.
    pub flip: bool,
}

impl D4 {
    /// The identity.
    pub const IDENTITY: D4 = D4 {
        rotation: 0,
        flip: false,
    };
    /// The left–right mirror.
    pub const FLIP: D4 = D4 {
        rotation: 0,
        flip: true,
    };
    /// The 8 elements, rotations 0/90/180/270° without flip, then with flip.
    pub const ALL: [D4; 8] = [
        D4::new(0, false),
        D4::new(1, false),
        D4::new(2, false),
        D4::new(3, false),
        D4::new(0, true),
        D4::new(1, true),
        D4::new(2, true),
        D4::new(3, true),
    ];

    /// `r^rotation · f^flip`, rotation taken mod 4.
    pub const fn new(rotation: u8, flip: bool) -> D4 {
        D4 {
            rotation: rotation % 4,
            flip,
        }
    }

    /// A rotation by `k`·90° counter-clockwise (any integer `k`).
    pub fn rotation(k: i32) -> D4 {
        D4::new(k.rem_euclid(4) as u8, false)
    }

    /// Index in [`D4::ALL`].
    pub fn index(self) -> usize {
        self.rotation as usize + if self.flip { 4 } else { 0 }
    }

    /// Human label, e.g. `"90°"` or `"flip + 270°"`.
    pub fn label(self) -> String {
        let deg = u32::from(self.rotation) * 90;
        if self.flip {
            format!("flip + {deg}°")
        } else {
            format!("{deg}°")
        }
    }

    /// `self ∘ other`: first `other`, then `self`.
    pub fn compose(self, other: D4) -> D4 {
        // r^a f^p · r^b f^q = r^(a + (-1)^p b) f^(p+q)
        let b = if self.flip {
            (4 - other.rotation) % 4
        } else {
            other.rotation
        };
        D4::new(self.rotation + b, self.flip ^ other.flip)
    }

    /// The inverse element.
    pub fn inverse(self) -> D4 {
        if self.flip {
            self
        } else {
            D4::new((4 - self.rotation) % 4, false)
        }
    }

    /// Output `(height, width)` for an input of `h × w`.
    pub fn output_hw(self, h: usize, w: usize) -> (usize, usize) {
        if self.rotation % 2 == 1 {
            (w, h)
        } else {
            (h, w)
        }
    }

    /// For output position `(oy, ox)` of an `h × w` input, the input position it copies.
    pub fn source(self, oy: usize, ox: usize, h: usize, w: usize) -> (usize, usize) {
        // Undo the quarter turns from the last one back. A CCW turn maps an
        // input of height H_in, width W_in to out[i][j] = in[j][W_in - 1 - i],
        // and W_in is the output's height.
        let (mut y, mut x) = (oy, ox);
        let (mut ch, mut cw) = self.output_hw(h, w);
        for _ in 0..self.rotation {
            let (ny, nx) = (x, ch - 1 - y);
            y = ny;
            x = nx;
            std::mem::swap(&mut ch, &mut cw);
        }
        if self.flip {
            x = w - 1 - x;
        }
        (y, x)
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
mod tests {
    use super::*;

    /// Reference rotation, written independently: numpy.rot90 (k = 1) is
    /// `out[i][j] = in[j][w-1-i]`, output shape (w, h).
    fn rot90_ref(t: &Tensor) -> Tensor {
        let (h, w) = (t.height(), t.width());
        Tensor::from_fn(t.channels(), w, h, |c, i, j| {
            t.get(c, j, w - 1 - i).unwrap()
        })
        .unwrap()
    }

    #[test]
    fn rotation_matches_numpy_rot90_on_non_square() {
        let t = Tensor::from_fn(2, 2, 3, |c, y, x| (c * 100 + y * 10 + x) as f32).unwrap();
        let mut expect = t.clone();
        for k in 0..4 {
            assert_eq!(t.rotate90(k), expect, "k = {k}");
            expect = rot90_ref(&expect);
        }
    }

    #[test]
    fn flip_then_rotate_is_the_element() {
        let t = Tensor::random(1, 3, 4, 1).unwrap();
        for g in D4::ALL {
            let mut e = if g.flip { t.flip() } else { t.clone() };
            for _ in 0..g.rotation {
                e = rot90_ref(&e);
            }
            assert_eq!(t.transform(g), e, "{}", g.label());
        }
    }

    #[test]
    fn group_law_holds_on_tensors() {
        let t = Tensor::random(1, 3, 5, 2).unwrap();
        for a in D4::ALL {
            for b in D4::ALL {
                assert_eq!(
                    t.transform(b).transform(a),
                    t.transform(a.compose(b)),
                    "{} ∘ {}",
                    a.label(),
                    b.label()
                );
            }
        }
    }

    #[test]
    fn from_rgba_ignores_alpha() {
        let t = Tensor::from_rgb8(2, 1, &[255, 0, 0, 9, 0, 255, 0, 9]).unwrap();
        assert_eq!(t.data(), &[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn bad_shapes_are_errors() {
        assert!(Tensor::zeros(0, 1, 1).is_err());
        assert!(Tensor::zeros(usize::MAX, 2, 2).is_err());
        assert!(Tensor::zeros(1 << 13, 1 << 13, 1 << 13).is_err());
        assert!(Tensor::from_gray8(3, 3, &[0; 8]).is_err());
    }
}
