//! The inner loops. Private: callers go through [`crate::Conv2d`], which has
//! already checked every shape, so indexing here cannot go out of bounds.
//!
//! Four paths, all plain safe Rust written so that LLVM vectorises them
//! (4-wide `f32` with wasm `simd128`, SSE/AVX natively):
//!
//! ```text
//!  stride 1, 3×3, ≥ 16 channels in and    Winograd  F(4×4, 3×3): 36 multiplies per
//!  out per group, any dilation, outputs             4×4 outputs instead of 144, the sums
//!  that fill its tile rows                          over input channels as 36 matrix
//!                                                   products in the blocked register tile
//!  stride 1, ≥ 1 channel in per group,    blocked   MR out channels × NR out columns
//!  several outputs per group                        of accumulators held in registers,
//!                                                   over a zero-padded copy of the input
//!  stride 1, one in and < MR outputs      depthwise NRD out columns in registers per row,
//!  per group                                        all k×k taps of one channel
//!  anything else (stride > 1, a padded    direct    one scaled input row added to one
//!  copy far larger than the input)                  output row per tap
//! ```
//!
//! The padded copy makes every tap of every tile an unconditional load: the
//! border and the ragged right edge read zeros, and the extra columns of the
//! last tile are computed and dropped.

use crate::conv::Conv2dSpec;
use crate::tensor::Tensor;
use wide::f32x4;

mod blocked;
mod depthwise;
mod direct;
mod winograd;

use blocked::blocked_s1;
use depthwise::depthwise_s1;
use direct::direct;
use winograd::{winograd_fits, winograd_s1};

/// Output channels per register tile of the blocked path.
const MR: usize = 4;
/// Output columns per register tile of the blocked path.
const NR: usize = 8;
/// Output columns per register tile of the depthwise path.
const NRD: usize = 32;

/// Convolution of `x` by `s` into a fresh `[out, oh, ow]` buffer.
pub(crate) fn conv2d(
    s: &Conv2dSpec,
    weight: &[f32],
    bias: Option<&[f32]>,
    x: &Tensor,
    oh: usize,
    ow: usize,
) -> Vec<f32> {
    if s.stride == (1, 1) {
        let depthwise = s.in_per_group() == 1 && s.out_per_group() < MR;
        if depthwise {
            // One padded channel at a time, reused: it stays in cache.
            if let Some(p) = Padded::new(s, x, (0, 1), (oh, ow), NRD) {
                return depthwise_s1(s, weight, bias, x, p, oh, ow);
            }
        } else {
            if winograd_fits(s, oh, ow) {
                if let Some(out) = winograd_s1(s, weight, bias, x, oh, ow) {
                    // The transforms scale and add inputs (up to 25·|x|)
                    // before the products; should that overflow where the
                    // direct sum does not, the blocked path decides.
                    if all_finite(&out) {
                        return out;
                    }
                }
            }
            if let Some(p) = Padded::new(s, x, (0, s.in_channels), (oh, ow), NR) {
                return blocked_s1(s, weight, bias, &p, oh, ow);
            }
        }
    }
    direct(s, weight, bias, x, oh, ow)
}

/// A zero-padded copy of the input: each channel is `rows × cols`, the input
/// at `(pad_h, pad_w)`, wide enough that whole tiles of `tile` output columns
/// never read past a row.
struct Padded {
    data: Vec<f32>,
    channels: usize,
    rows: usize,
    cols: usize,
    pad: (usize, usize),
}

impl Padded {
    /// Room for `channels` padded channels, filled from channel `first` of `x`.
    /// `None` when the copy would be much larger than the input (huge
    /// padding): the direct path needs no copy.
    fn new(
        s: &Conv2dSpec,
        x: &Tensor,
        (first, channels): (usize, usize),
        (oh, ow): (usize, usize),
        tile: usize,
    ) -> Option<Padded> {
        let [_, h, w] = x.shape();
        let span_w = (s.kernel.1 - 1) * s.dilation.1;
        let rows = oh + (s.kernel.0 - 1) * s.dilation.0;
        let cols = (ow.div_ceil(tile) * tile + span_w).max(w + 2 * s.padding.1);
        let len = channels.checked_mul(rows)?.checked_mul(cols)?;
        if len > 4 * channels * h * w + (1 << 16) || len > crate::limits::MAX_ELEMENTS {
            return None;
        }
        let mut p = Padded {
            data: vec![0.0f32; len],
            channels,
            rows,
            cols,
            pad: s.padding,
        };
        p.fill(x, first);
        Some(p)
    }

    /// Copies channels `first..first + channels` of `x` into the interior;
    /// the border stays zero.
    fn fill(&mut self, x: &Tensor, first: usize) {
        let [_, h, w] = x.shape();
        let (ph, pw) = self.pad;
        let src = &x.data()[first * h * w..(first + self.channels) * h * w];
        for (dst, chan) in self
            .data
            .chunks_exact_mut(self.rows * self.cols)
            .zip(src.chunks_exact(h * w))
        {
            // With stride 1 the padded rows hold the whole padded input.
            for (y, row) in chan.chunks_exact(w).enumerate().take(self.rows - ph) {
                let d = (y + ph) * self.cols + pw;
                copy_small(&mut dst[d..d + w], row);
            }
        }
    }

    fn plane(&self) -> usize {
        self.rows * self.cols
    }
}

/// `N` consecutive values from the start of `s` (a vector load once inlined).
#[inline(always)]
fn load<const N: usize>(s: &[f32]) -> [f32; N] {
    let mut a = [0.0f32; N];
    a.copy_from_slice(&s[..N]);
    a
}

/// Copies `src` into `dst` (same length) in blocks of 8 values, each a
/// constant-length copy that compiles to vector moves: in wasm a copy of
/// unknown length is a `memory.copy`, a call into the engine that costs more
/// than the few hundred bytes of a row or tile it moves.
#[inline(always)]
fn copy_small(dst: &mut [f32], src: &[f32]) {
    let mut d = dst.chunks_exact_mut(8);
    let mut s = src.chunks_exact(8);
    for (d, s) in (&mut d).zip(&mut s) {
        let v: [f32; 8] = load(s);
        d.copy_from_slice(&v);
    }
    for (d, &s) in d.into_remainder().iter_mut().zip(s.remainder()) {
        *d = s;
    }
}

/// Whether every value is finite, in one branch-free 4-wide pass (the check
/// after every forward; the position of a bad value is looked up only when
/// there is one). `0 · v` is ±0 for a finite `v` and NaN for ±∞ or NaN, and
/// a sum that met a NaN stays NaN.
pub(crate) fn all_finite(data: &[f32]) -> bool {
    let zero = f32x4::ZERO;
    let mut acc = [zero; 4];
    let mut chunks = data.chunks_exact(16);
    for c in &mut chunks {
        for (q, a) in acc.iter_mut().enumerate() {
            let v = f32x4::from(load::<4>(&c[4 * q..]));
            *a += zero * v;
        }
    }
    let tail = chunks.remainder().iter().all(|v| v.is_finite());
    let sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    sum.to_array().iter().all(|&v| v == 0.0) && tail
}

#[cfg(test)]
mod tests;
