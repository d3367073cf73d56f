//! The inner loops. Private: callers go through [`crate::Conv2d`], which has
//! already checked every shape, so indexing here cannot go out of bounds.
//!
//! Three paths, all plain safe Rust written so that LLVM vectorises them
//! (4-wide `f32` with wasm `simd128`, SSE/AVX natively):
//!
//! ```text
//!  stride 1, ≥ 1 channel in per group,     blocked   MR out channels × NR out columns
//!  several outputs per group                          of accumulators held in registers,
//!                                                     over a zero-padded copy of the input
//!  stride 1, one in and < MR outputs       depthwise NRD out columns in registers per row,
//!  per group                                          all k×k taps of one channel
//!  anything else (stride > 1, a padded     direct    one scaled input row added to one
//!  copy far larger than the input)                   output row per tap
//! ```
//!
//! The padded copy makes every tap of every tile an unconditional load: the
//! border and the ragged right edge read zeros, and the extra columns of the
//! last tile are computed and dropped.

use crate::conv::Conv2dSpec;
use crate::tensor::Tensor;
use wide::f32x4;

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
        } else if let Some(p) = Padded::new(s, x, (0, s.in_channels), (oh, ow), NR) {
            return blocked_s1(s, weight, bias, &p, oh, ow);
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
                dst[d..d + w].copy_from_slice(row);
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

/// Stride 1, general groups: tiles of `MR` output channels × `NR` output
/// columns accumulate over the group's input channels and the taps.
fn blocked_s1(
    s: &Conv2dSpec,
    weight: &[f32],
    bias: Option<&[f32]>,
    p: &Padded,
    oh: usize,
    ow: usize,
) -> Vec<f32> {
    let (kh, kw) = s.kernel;
    let ipg = s.in_per_group();
    let opg = s.out_per_group();
    let taps = kh * kw;
    let blocks = opg.div_ceil(MR);
    let block_len = ipg * taps * MR;
    // Weights repacked as [group][block][in][ky][kx][MR], zero past the last channel.
    let mut packed = vec![0.0f32; s.groups * blocks * block_len];
    for o in 0..s.out_channels {
        let (g, ol) = (o / opg, o % opg);
        let base = (g * blocks + ol / MR) * block_len + ol % MR;
        for (j, &v) in weight[o * ipg * taps..(o + 1) * ipg * taps]
            .iter()
            .enumerate()
        {
            packed[base + j * MR] = v;
        }
    }
    let plane = p.plane();
    let cols = p.cols;
    let mut out = vec![0.0f32; s.out_channels * oh * ow];
    for g in 0..s.groups {
        let input = &p.data[g * ipg * plane..(g + 1) * ipg * plane];
        // Row-major over the output, so that the input rows one output row
        // needs stay in cache while every block of output channels uses them.
        for oy in 0..oh {
            for b in 0..blocks {
                let wb = &packed[(g * blocks + b) * block_len..(g * blocks + b + 1) * block_len];
                let o0 = g * opg + b * MR;
                let m_count = MR.min(opg - b * MR);
                for x0 in (0..ow).step_by(NR) {
                    let acc = tile(input, wb, plane, (oy, x0), s, cols);
                    let n = NR.min(ow - x0);
                    for (m, a) in acc.iter().enumerate().take(m_count) {
                        let o = o0 + m;
                        let bv = bias.map_or(0.0, |b| b[o]);
                        let dst = &mut out[(o * oh + oy) * ow + x0..(o * oh + oy) * ow + x0 + n];
                        for (d, &v) in dst.iter_mut().zip(a) {
                            *d = v + bv;
                        }
                    }
                }
            }
        }
    }
    out
}

/// One `MR × NR` tile of the blocked path: output channels of the block
/// `wb` (`[in][ky][kx][MR]`), output row `oy`, columns `x0..x0 + NR`.
/// The `MR · NR / 4` accumulators are 4-wide vectors held in registers.
#[inline(never)]
fn tile(
    input: &[f32],
    wb: &[f32],
    plane: usize,
    (oy, x0): (usize, usize),
    s: &Conv2dSpec,
    cols: usize,
) -> [[f32; NR]; MR] {
    let (kh, kw) = s.kernel;
    let (dh, dw) = s.dilation;
    let mut acc = [[f32x4::ZERO; NR / 4]; MR];
    for (chan, wi) in input.chunks_exact(plane).zip(wb.chunks_exact(kh * kw * MR)) {
        for ky in 0..kh {
            let start = (oy + ky * dh) * cols + x0;
            let row = &chan[start..start + (kw - 1) * dw + NR];
            let wr = &wi[ky * kw * MR..(ky + 1) * kw * MR];
            for kx in 0..kw {
                let r: [f32; NR] = load(&row[kx * dw..]);
                let c: [f32; MR] = load(&wr[kx * MR..]);
                let v: [f32x4; NR / 4] =
                    std::array::from_fn(|q| f32x4::from(load::<4>(&r[4 * q..])));
                for (a, &cm) in acc.iter_mut().zip(&c) {
                    let cm = f32x4::splat(cm);
                    for (aq, &vq) in a.iter_mut().zip(&v) {
                        *aq += cm * vq;
                    }
                }
            }
        }
    }
    acc.map(|a| {
        let mut out = [0.0f32; NR];
        for (q, aq) in a.iter().enumerate() {
            out[4 * q..4 * q + 4].copy_from_slice(&aq.to_array());
        }
        out
    })
}

/// One `NRD`-column tile of the depthwise path, starting from the bias `bv`.
#[inline(never)]
fn depthwise_tile(
    chan: &[f32],
    w: &[f32],
    bv: f32,
    (oy, x0): (usize, usize),
    s: &Conv2dSpec,
    cols: usize,
) -> [f32; NRD] {
    let (kh, kw) = s.kernel;
    let (dh, dw) = s.dilation;
    let mut acc = [f32x4::splat(bv); NRD / 4];
    for ky in 0..kh {
        let start = (oy + ky * dh) * cols + x0;
        let row = &chan[start..start + (kw - 1) * dw + NRD];
        for kx in 0..kw {
            let r: [f32; NRD] = load(&row[kx * dw..]);
            let c = f32x4::splat(w[ky * kw + kx]);
            for (q, aq) in acc.iter_mut().enumerate() {
                *aq += c * f32x4::from(load::<4>(&r[4 * q..]));
            }
        }
    }
    let mut out = [0.0f32; NRD];
    for (q, aq) in acc.iter().enumerate() {
        out[4 * q..4 * q + 4].copy_from_slice(&aq.to_array());
    }
    out
}

/// Stride 1, one input channel per group (depthwise, multiplier < `MR`):
/// each output row is built in `NRD`-column tiles over all taps.
fn depthwise_s1(
    s: &Conv2dSpec,
    weight: &[f32],
    bias: Option<&[f32]>,
    x: &Tensor,
    mut p: Padded,
    oh: usize,
    ow: usize,
) -> Vec<f32> {
    let (kh, kw) = s.kernel;
    let opg = s.out_per_group();
    let taps = kh * kw;
    let plane = p.plane();
    let cols = p.cols;
    let mut out = vec![0.0f32; s.out_channels * oh * ow];
    for (o, dst_plane) in out.chunks_exact_mut(oh * ow).enumerate() {
        if o % opg == 0 && o > 0 {
            p.fill(x, o / opg);
        }
        let chan = &p.data[..plane];
        let w = &weight[o * taps..(o + 1) * taps];
        let bv = bias.map_or(0.0, |b| b[o]);
        for (oy, dst_row) in dst_plane.chunks_exact_mut(ow).enumerate() {
            for x0 in (0..ow).step_by(NRD) {
                let acc = depthwise_tile(chan, w, bv, (oy, x0), s, cols);
                let n = NRD.min(ow - x0);
                dst_row[x0..x0 + n].copy_from_slice(&acc[..n]);
            }
        }
    }
    out
}

/// Direct convolution, output-row oriented: for each output channel, each
/// input channel of its group and each kernel tap, one scaled row of the
/// input is added to a row of the output (a contiguous loop when stride is 1).
fn direct(
    s: &Conv2dSpec,
    weight: &[f32],
    bias: Option<&[f32]>,
    x: &Tensor,
    oh: usize,
    ow: usize,
) -> Vec<f32> {
    let (h, w) = (x.height(), x.width());
    let (kh, kw) = s.kernel;
    let (sh, sw) = s.stride;
    let (ph, pw) = s.padding;
    let (dh, dw) = s.dilation;
    let ipg = s.in_per_group();
    let opg = s.out_per_group();
    let input = x.data();
    let mut out = vec![0.0f32; s.out_channels * oh * ow];
    for o in 0..s.out_channels {
        let g = o / opg;
        let plane = &mut out[o * oh * ow..(o + 1) * oh * ow];
        if let Some(b) = bias {
            plane.fill(b[o]);
        }
        for i in 0..ipg {
            let ic = g * ipg + i;
            let src = &input[ic * h * w..(ic + 1) * h * w];
            for ky in 0..kh {
                for kx in 0..kw {
                    let wv = weight[((o * ipg + i) * kh + ky) * kw + kx];
                    if wv == 0.0 {
                        continue;
                    }
                    // Output columns whose input column is inside [0, w).
                    let off_x = (kx * dw) as isize - pw as isize;
                    let x_lo = if off_x >= 0 {
                        0
                    } else {
                        ((-off_x) as usize).div_ceil(sw)
                    };
                    let x_hi = if (w as isize) <= off_x {
                        0
                    } else {
                        (((w as isize - off_x) as usize).div_ceil(sw)).min(ow)
                    };
                    if x_lo >= x_hi {
                        continue;
                    }
                    for oy in 0..oh {
                        let iy = (oy * sh + ky * dh) as isize - ph as isize;
                        if iy < 0 || iy as usize >= h {
                            continue;
                        }
                        let row = &src[iy as usize * w..(iy as usize + 1) * w];
                        let dst = &mut plane[oy * ow + x_lo..oy * ow + x_hi];
                        let start = (x_lo * sw) as isize + off_x;
                        if sw == 1 {
                            let s0 = start as usize;
                            let n = dst.len();
                            for (d, &v) in dst.iter_mut().zip(&row[s0..s0 + n]) {
                                *d += wv * v;
                            }
                        } else {
                            for (j, d) in dst.iter_mut().enumerate() {
                                *d += wv * row[start as usize + j * sw];
                            }
                        }
                    }
                }
            }
        }
    }
    out
}
