//! The ShiftNet shift: every channel is moved by a fixed spatial offset,
//! with zero fill — no parameters, no arithmetic. A following 1×1 conv
//! mixes the shifted channels, so (shift → 1×1) sees a `k×k` neighbourhood
//! like a `k×k` conv.
//!
//! ```text
//!  k = 3: the 9 offsets (dy, dx), in raster order = group index
//!  0 (-1,-1)  1 (-1, 0)  2 (-1, 1)
//!  3 ( 0,-1)  4 ( 0, 0)  5 ( 0, 1)
//!  6 ( 1,-1)  7 ( 1, 0)  8 ( 1, 1)
//! ```
//!
//! A channel shifted by `(dy, dx)` has its content moved `dy` rows down and
//! `dx` columns right: `y[c, i, j] = x[c, i − dy, j − dx]`, 0 outside.

use crate::cost::{LayerCost, LayerKind};
use crate::error::{Error, Result};
use crate::limits;
use crate::tensor::Tensor;

/// Largest shift window side accepted by [`shift_offsets`] (a 255×255 window
/// already has 65 025 directions).
pub const MAX_SHIFT_KERNEL: usize = 255;

fn check_kernel(op: &'static str, kernel: usize) -> Result<()> {
    if kernel == 0 || kernel.is_multiple_of(2) {
        return Err(Error::invalid(
            op,
            format!("the shift window side must be odd (1, 3, 5, …), got {kernel}"),
        ));
    }
    limits::check(
        op,
        "shift window side",
        kernel as u128,
        MAX_SHIFT_KERNEL as u128,
    )
}

/// The `k²` offsets of a `k×k` window in raster order (row by row, top to
/// bottom, left to right): `(dy, dx)` with `dy, dx ∈ −r..=r`, `r = (k−1)/2`.
/// Offset `g` is `(⌊g/k⌋ − r, g mod k − r)`; the centre `(0, 0)` is number `(k²−1)/2`.
///
/// # Errors
/// `InvalidSpec` for an even or zero `kernel`; `TooLarge` past [`MAX_SHIFT_KERNEL`].
///
/// ```
/// use convlab_core::ops::shift::window_offsets;
/// let w = window_offsets(3)?;
/// assert_eq!(w.len(), 9);
/// assert_eq!((w[0], w[4], w[5]), ((-1, -1), (0, 0), (0, 1)));
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn window_offsets(kernel: usize) -> Result<Vec<(isize, isize)>> {
    check_kernel("shift", kernel)?;
    let r = (kernel / 2) as isize;
    let k = kernel as isize;
    Ok((0..k * k).map(|g| (g / k - r, g % k - r)).collect())
}

/// The channel-group sizes of a `k×k` shift of `channels` channels:
/// `k²` groups, as equal as possible, the remainder `C mod k²` going one
/// channel each to the first groups in raster order:
/// size of group `g` = `⌊C/k²⌋ + [g < C mod k²]`. Groups are contiguous
/// channel ranges in group order.
///
/// # Errors
/// As [`window_offsets`]; `InvalidSpec` for zero channels, `TooLarge` past [`limits::MAX_DIM`].
///
/// ```
/// use convlab_core::ops::shift::group_sizes;
/// assert_eq!(group_sizes(11, 3)?, vec![2, 2, 1, 1, 1, 1, 1, 1, 1]);
/// assert_eq!(group_sizes(4, 3)?, vec![1, 1, 1, 1, 0, 0, 0, 0, 0]);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn group_sizes(channels: usize, kernel: usize) -> Result<Vec<usize>> {
    check_kernel("shift", kernel)?;
    if channels == 0 {
        return Err(Error::invalid(
            "shift",
            "channels must be at least 1, got 0",
        ));
    }
    limits::check(
        "shift",
        "channels",
        channels as u128,
        limits::MAX_DIM as u128,
    )?;
    let n = kernel * kernel;
    let (base, rem) = (channels / n, channels % n);
    Ok((0..n).map(|g| base + usize::from(g < rem)).collect())
}

/// Each channel's offset for a `k×k` shift: channels are split into the
/// contiguous groups of [`group_sizes`] (remainder to the first groups) and
/// group `g` gets offset `g` of [`window_offsets`] (raster order).
///
/// # Errors
/// As [`group_sizes`].
///
/// ```
/// use convlab_core::ops::shift::shift_offsets;
/// let o = shift_offsets(10, 3)?;
/// assert_eq!(o[0], (-1, -1));
/// assert_eq!(o[1], (-1, -1)); // group 0 got the one extra channel
/// assert_eq!(o[5], (0, 0));   // channel 5 is in group 4, the centre
/// assert_eq!(o[9], (1, 1));
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn shift_offsets(channels: usize, kernel: usize) -> Result<Vec<(isize, isize)>> {
    let sizes = group_sizes(channels, kernel)?;
    let window = window_offsets(kernel)?;
    Ok(sizes
        .iter()
        .zip(&window)
        .flat_map(|(&n, &off)| std::iter::repeat_n(off, n))
        .collect())
}

/// Shifts every channel of `x` by its offset from [`shift_offsets`]`(C, kernel)`:
/// `y[c, i, j] = x[c, i − dy_c, j − dx_c]`, zero where that falls outside.
///
/// # Errors
/// As [`shift_offsets`] with `C = x.channels()`.
///
/// ```
/// use convlab_core::{ops::shift::shift, Tensor};
/// // 9 channels, each a single 1 in the middle of a 3×3 map: channel g ends
/// // up one step along offset g, channel 4 stays put.
/// let x = Tensor::from_fn(9, 3, 3, |_, y, x| if (y, x) == (1, 1) { 1.0 } else { 0.0 })?;
/// let y = shift(&x, 3)?;
/// assert_eq!(y.get(0, 0, 0), Some(1.0));
/// assert_eq!(y.get(4, 1, 1), Some(1.0));
/// assert_eq!(y.get(8, 2, 2), Some(1.0));
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn shift(x: &Tensor, kernel: usize) -> Result<Tensor> {
    shift_by(x, &shift_offsets(x.channels(), kernel)?)
}

/// Shifts channel `c` of `x` by `offsets[c] = (dy, dx)`:
/// `y[c, i, j] = x[c, i − dy, j − dx]`, zero where that falls outside. Any
/// offset is allowed; one at least as large as the map empties the channel.
///
/// # Errors
/// `ShapeMismatch` when `offsets.len() != x.channels()`.
///
/// ```
/// use convlab_core::{ops::shift::shift_by, Tensor};
/// let x = Tensor::new(1, 1, 3, vec![1.0, 2.0, 3.0])?;
/// assert_eq!(shift_by(&x, &[(0, 1)])?.data(), &[0.0, 1.0, 2.0]);
/// assert_eq!(shift_by(&x, &[(0, -2)])?.data(), &[3.0, 0.0, 0.0]);
/// assert_eq!(shift_by(&x, &[(5, 0)])?.data(), &[0.0, 0.0, 0.0]);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn shift_by(x: &Tensor, offsets: &[(isize, isize)]) -> Result<Tensor> {
    if offsets.len() != x.channels() {
        return Err(Error::shape(
            "shift",
            format!("one offset per channel ({})", x.channels()),
            format!("{} offsets", offsets.len()),
        ));
    }
    let (h, w) = (x.height(), x.width());
    let mut data = vec![0.0f32; x.len()];
    for (c, &(dy, dx)) in offsets.iter().enumerate() {
        // |d| ≥ size moves everything out; otherwise the casts below are exact.
        if dy.unsigned_abs() >= h || dx.unsigned_abs() >= w {
            continue;
        }
        let src = x.channel(c).unwrap_or(&[]);
        let dst = &mut data[c * h * w..(c + 1) * h * w];
        // Destination columns j with 0 ≤ j − dx < w.
        let (j0, j1) = if dx >= 0 {
            (dx as usize, w)
        } else {
            (0, w - dx.unsigned_abs())
        };
        for i in 0..h {
            let si = i as isize - dy;
            if si < 0 || si as usize >= h {
                continue;
            }
            let si = si as usize;
            let s0 = (j0 as isize - dx) as usize;
            dst[i * w + j0..i * w + j1].copy_from_slice(&src[si * w + s0..si * w + s0 + (j1 - j0)]);
        }
    }
    Tensor::new(x.channels(), h, w, data)
}

/// Elements a shift with these offsets actually carries to a new place in an
/// `h × w` map (excluding zero offsets and values pushed off the edge):
/// `Σ_c max(0, h − |dy_c|)·max(0, w − |dx_c|)` over channels with `(dy_c, dx_c) ≠ (0, 0)`.
/// The cost table counts every output element ([`shift_layer`]); this is the finer number.
///
/// ```
/// use convlab_core::ops::shift::{moved_elements, shift_offsets};
/// let o = shift_offsets(9, 3)?;
/// // 4 diagonal channels keep 3·3, 4 straight ones 3·4 of a 4×4 map; the centre stays.
/// assert_eq!(moved_elements(&o, 4, 4), 4 * 9 + 4 * 12);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn moved_elements(offsets: &[(isize, isize)], h: usize, w: usize) -> u64 {
    offsets
        .iter()
        .filter(|&&o| o != (0, 0))
        .map(|&(dy, dx)| {
            let rows = h.saturating_sub(dy.unsigned_abs()) as u64;
            let cols = w.saturating_sub(dx.unsigned_abs()) as u64;
            rows * cols
        })
        .sum()
}

/// The cost row of a `k×k` shift on an `input` of `[C, H, W]`: zero
/// parameters, zero multiply–adds, `C·H·W` elements moved (every output
/// element is written once).
///
/// # Errors
/// As [`shift_offsets`] with `C = input[0]`; `TooLarge` for a
/// dimension past [`limits::MAX_DIM`] (no limit on the element count: cost
/// rows describe whole models).
///
/// ```
/// use convlab_core::ops::shift::shift_layer;
/// let l = shift_layer("shift 3×3", [64, 32, 32], 3)?;
/// assert_eq!((l.params, l.macs, l.moved), (0, 0, 64 * 32 * 32));
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn shift_layer(name: impl Into<String>, input: [usize; 3], kernel: usize) -> Result<LayerCost> {
    group_sizes(input[0], kernel)?;
    for d in input {
        limits::check("shift", "dimension", d as u128, limits::MAX_DIM as u128)?;
    }
    Ok(LayerCost::movement(
        name,
        LayerKind::Shift { kernel },
        input,
        input,
    ))
}
