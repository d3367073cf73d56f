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
    // Offset of every (in, ky, kx) tap from a tile's first input value, in
    // the order of the packed weights.
    let mut offs = Vec::with_capacity(ipg * taps);
    for i in 0..ipg {
        for ky in 0..kh {
            for kx in 0..kw {
                offs.push(i * plane + ky * s.dilation.0 * p.cols + kx * s.dilation.1);
            }
        }
    }
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
                    let acc = tile(&input[oy * p.cols + x0..], wb, &offs);
                    let n = NR.min(ow - x0);
                    for (m, a) in acc.iter().enumerate().take(m_count) {
                        let o = o0 + m;
                        let bv = f32x4::splat(bias.map_or(0.0, |b| b[o]));
                        let mut row = [0.0f32; NR];
                        for (q, &aq) in a.iter().enumerate() {
                            row[4 * q..4 * q + 4].copy_from_slice(&(aq + bv).to_array());
                        }
                        let d0 = (o * oh + oy) * ow + x0;
                        copy_small(&mut out[d0..d0 + n], &row[..n]);
                    }
                }
            }
        }
    }
    out
}

/// Least input and output channels per group for the Winograd path: with
/// fewer, its transforms cost more than the multiplies they save (wasm,
/// 3×3 on 32×32: 8 → 8 channels 18 GFLOP/s against 23 on the blocked path;
/// 12 → 24 on 24×24 a tie; 16 → 16 34 against 24).
const WINOGRAD_MIN_CHANNELS: usize = 16;

/// Least tile slots (4×4 outputs each, including the padding of a tile row
/// to whole vectors and register tiles) of a Winograd call: below, the
/// per-call weight transform and the per-row set-up outweigh the savings
/// (32 → 32 channels on 16×16, 32 slots: 23 GFLOP/s against 25).
const WINOGRAD_MIN_SLOTS: usize = 64;

/// Outputs per Winograd tile side: F(4×4, 3×3).
const WT: usize = 4;
/// Inputs per Winograd patch side (`WT + 2`).
const WP: usize = WT + 2;
/// Products per Winograd tile (`WP²`).
const WN: usize = WP * WP;

/// Whether [`winograd_s1`] handles `s` with an `oh × ow` output faster than
/// the blocked path: 3×3, stride 1, any dilation, enough channels per group,
/// enough tile slots, and at least 90% of them holding outputs (a tile row
/// is padded to whole vectors of 4 tiles and register tiles of `NR`: a 16
/// wide output fills half of its 8 slots, and loses to the blocked path).
fn winograd_fits(s: &Conv2dSpec, oh: usize, ow: usize) -> bool {
    if s.kernel != (3, 3)
        || s.stride != (1, 1)
        || s.in_per_group() < WINOGRAD_MIN_CHANNELS
        || s.out_per_group() < WINOGRAD_MIN_CHANNELS
    {
        return false;
    }
    let (slots, _) = winograd_slots(s.dilation, oh, ow);
    slots >= WINOGRAD_MIN_SLOTS && 10 * oh * ow >= 9 * WT * WT * slots
}

/// Tile slots of a Winograd call and tiles per tile row (`nt`): tile rows
/// `⌈oh / (4·dh)⌉ · dh`, each of `dw` phases × `⌈ow / (4·dw)⌉` tiles,
/// rounded up to whole vectors of 4, then to whole register tiles.
fn winograd_slots((dh, dw): (usize, usize), oh: usize, ow: usize) -> (usize, usize) {
    let nbv = ow.div_ceil(WT * dw).next_multiple_of(4);
    let nt = (dw * nbv).next_multiple_of(NR);
    (oh.div_ceil(WT * dh) * dh * nt, nt)
}

/// Winograd F(4×4, 3×3): stride 1, 3×3, any dilation `(dh, dw)`.
///
/// Each tile of 4×4 outputs at `(y0 + a·dh, x0 + e·dw)` (`a, e < 4`) reads
/// a 6×6 patch of the padded input at stride `(dh, dw)`;
/// `Y = Aᵀ [Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B)] A` gives its 16 outputs with 36
/// multiplies per (in, out) channel pair instead of 144. The 36
/// element-wise products summed over input channels are 36 matrix products
/// (out × in) · (in × tiles), computed by the blocked path's register tile
/// (F(2×2, 3×3), 16 multiplies per 4 outputs, measured 25% slower on B;
/// the larger tile's rounding stays far inside the tests' 1e-4).
///
/// Tile origins: rows `y0 = 4·dh·by + jy` (`jy < dh`), columns
/// `x0 = 4·dw·bx + jx` (`jx < dw`), so that the tiles cover every output
/// once. The padded input is stored with each row's columns grouped by
/// phase `x mod 4·dw` (column `x = 4·dw·block + phase`); then patch column
/// `i` of tile `bx` is block `bx` of phase `jx + i·dw` (`i < 4`) or block
/// `bx + 1` of phase `jx + (i - 4)·dw`, and four tiles `bx..bx + 4` of one
/// `jx` are four consecutive values: the transforms work on 4 tiles per
/// vector. The output rows are staged the same way and put in order.
///
/// `None` when the phase-grouped copy would be much larger than the input.
fn winograd_s1(
    s: &Conv2dSpec,
    weight: &[f32],
    bias: Option<&[f32]>,
    x: &Tensor,
    oh: usize,
    ow: usize,
) -> Option<Vec<f32>> {
    let [_, h, w] = x.shape();
    let (dh, dw) = s.dilation;
    let (ph, pw) = s.padding;
    let cin = s.in_per_group();
    let kout = s.out_per_group();
    let nby = oh.div_ceil(WT * dh);
    let nbx = ow.div_ceil(WT * dw);
    // Tiles per column phase, a whole number of vectors.
    let nbv = nbx.next_multiple_of(4);
    // Blocks per phase in a row: a patch reaches block `bx + 1`.
    let blk = nbv + 1;
    let rows = nby * WT * dh + 2 * dh;
    let row_len = WT * dw * blk;
    let plane = rows.checked_mul(row_len)?;
    let len = cin.checked_mul(plane)?;
    if len > 4 * cin * h * w + (1 << 16) || len > crate::limits::MAX_ELEMENTS {
        return None;
    }
    // Tiles of one tile row (one `y0`), padded to whole register tiles.
    let (_, nt) = winograd_slots(s.dilation, oh, ow);
    let blocks = kout.div_ceil(MR);
    let ulen = WN * blocks * cin * MR;
    let u = winograd_weights(s, weight, blocks);
    let mut phased = vec![0.0f32; len];
    // Transformed input [in][t][tile] and products [out][t][tile] of one tile row.
    let mut v = vec![0.0f32; WN * cin * nt];
    let mut m = vec![0.0f32; WN * kout * nt];
    // The output rows of one channel's tile row, columns grouped by phase.
    let mut staged = vec![0.0f32; WT * WT * dw * nbv];
    // One padded input row or output row, columns in order.
    let mut line = vec![0.0f32; row_len];
    let mut out = vec![0.0f32; s.out_channels * oh * ow];
    for g in 0..s.groups {
        fill_phased(
            &mut phased,
            x,
            g * cin,
            (rows, row_len, blk),
            (ph, pw),
            &mut line,
        );
        let ug = &u[g * ulen..(g + 1) * ulen];
        for by in 0..nby {
            for jy in 0..dh {
                let y0 = WT * dh * by + jy;
                if y0 >= oh {
                    continue;
                }
                // Input transform: Bᵀ d B for every channel and tile.
                for (c, vc) in v.chunks_exact_mut(WN * nt).enumerate() {
                    let chan = &phased[c * plane..(c + 1) * plane];
                    let patch_rows: [&[f32]; WP] =
                        std::array::from_fn(|i| &chan[(y0 + i * dh) * row_len..][..row_len]);
                    for jx in 0..dw {
                        // Patch column i: phase jx + i·dw of block b, or
                        // past WT·dw, phase jx + (i - WT)·dw of block b + 1.
                        let p: [usize; WP] = std::array::from_fn(|i| {
                            let (phase, next) =
                                ((jx + i * dw) % (WT * dw), (i * dw + jx) / (WT * dw));
                            phase * blk + next
                        });
                        wino_input(patch_rows, p, vc, nt, (jx * nbv, nbv));
                    }
                }
                // The WN products, in register tiles.
                wino_products(&v, ug, &mut m, (cin, kout, nt));
                // Output transform: Aᵀ M A plus the bias, 4 tiles at a time,
                // into the WT output rows of the tile row with their columns
                // grouped by phase (as the input), then in order.
                for (k, mk) in m.chunks_exact(WN * nt).enumerate() {
                    let o = g * kout + k;
                    let bv = f32x4::splat(bias.map_or(0.0, |b| b[o]));
                    for jx in 0..dw {
                        wino_output(mk, nt, (jx * nbv, nbv), bv, &mut staged, (jx, dw));
                    }
                    scatter_rows(
                        &staged,
                        &mut out[o * oh * ow..(o + 1) * oh * ow],
                        (y0, dh),
                        (ow, dw),
                        nbv,
                        &mut line,
                    );
                }
            }
        }
    }
    Some(out)
}

/// The transformed weights `U = G g Gᵀ` of every filter, packed
/// `[group][t][block][in][MR]` for the register tile (tap = input channel),
/// zero past the last output channel of a group. The `MR` filters of a block
/// are transformed together, one per lane.
#[inline(never)]
fn winograd_weights(s: &Conv2dSpec, weight: &[f32], blocks: usize) -> Vec<f32> {
    let cin = s.in_per_group();
    let kout = s.out_per_group();
    let ulen = WN * blocks * cin * MR;
    let mut u = vec![0.0f32; s.groups * ulen];
    for (g, ug) in u.chunks_exact_mut(ulen).enumerate() {
        let wg = &weight[g * kout * cin * 9..(g + 1) * kout * cin * 9];
        for kb in 0..blocks {
            for c in 0..cin {
                let f: [f32x4; 9] = std::array::from_fn(|tap| {
                    f32x4::from(std::array::from_fn::<f32, MR, _>(|l| {
                        let k = kb * MR + l;
                        if k < kout {
                            wg[(k * cin + c) * 9 + tap]
                        } else {
                            0.0
                        }
                    }))
                });
                for (t, v) in winograd_weight(f).iter().enumerate() {
                    let at = ((t * blocks + kb) * cin + c) * MR;
                    ug[at..at + MR].copy_from_slice(&v.to_array());
                }
            }
        }
    }
    u
}

/// The `WN` matrix products of one tile row: `m[out][t][tile] =
/// Σ_in u[t][out][in] · v[in][t][tile]`, in `MR × NR` register tiles.
#[inline(never)]
fn wino_products(v: &[f32], ug: &[f32], m: &mut [f32], (cin, kout, nt): (usize, usize, usize)) {
    let blocks = kout.div_ceil(MR);
    for t in 0..WN {
        let vt = &v[t * nt..];
        for blk_k in 0..blocks {
            let wb = &ug[(t * blocks + blk_k) * cin * MR..][..cin * MR];
            let m_count = MR.min(kout - blk_k * MR);
            for n0 in (0..nt).step_by(NR) {
                let acc = tile_strided(&vt[n0..], wb, WN * nt);
                for (mi, a) in acc.iter().enumerate().take(m_count) {
                    let at = ((blk_k * MR + mi) * WN + t) * nt + n0;
                    for (q, &aq) in a.iter().enumerate() {
                        m[at + 4 * q..at + 4 * q + 4].copy_from_slice(&aq.to_array());
                    }
                }
            }
        }
    }
}

/// Copies channels `first..` of `x` into `phased` (`channels × rows ×
/// row_len`, zero-padded by `(ph, pw)`), each row's columns grouped by phase:
/// with `step = row_len / blk` phases, padded column `x = step·block + phase`
/// at `phase · blk + block`.
#[inline(never)]
fn fill_phased(
    phased: &mut [f32],
    x: &Tensor,
    first: usize,
    (rows, row_len, blk): (usize, usize, usize),
    (ph, pw): (usize, usize),
    line: &mut [f32],
) {
    let [_, h, w] = x.shape();
    let src = &x.data()[first * h * w..];
    let step = row_len / blk;
    let nbv = blk - 1;
    let line = &mut line[..row_len];
    for (c, chan) in phased.chunks_exact_mut(rows * row_len).enumerate() {
        for (r, row) in chan.chunks_exact_mut(row_len).enumerate() {
            let Some(iy) = r.checked_sub(ph).filter(|&iy| iy < h) else {
                row.fill(0.0);
                continue;
            };
            // The padded row in order, then regrouped by phase: 4 blocks ×
            // 4 phases at a time are a 4×4 transpose.
            let start = pw.min(row_len);
            let n = w.min(row_len - start);
            line[..start].fill(0.0);
            copy_small(
                &mut line[start..start + n],
                &src[(c * h + iy) * w..(c * h + iy) * w + n],
            );
            line[start + n..].fill(0.0);
            for b0 in (0..nbv).step_by(4) {
                for p0 in (0..step).step_by(4) {
                    let q: [f32x4; 4] = std::array::from_fn(|l| {
                        f32x4::from(load::<4>(&line[(b0 + l) * step + p0..]))
                    });
                    for (i, v) in f32x4::transpose(q).iter().enumerate() {
                        let at = (p0 + i) * blk + b0;
                        row[at..at + 4].copy_from_slice(&v.to_array());
                    }
                }
            }
            // The last block (the right edge of the last patches).
            for (p, &v) in line[nbv * step..].iter().enumerate() {
                row[p * blk + nbv] = v;
            }
        }
    }
}

/// Writes the staged output rows of a tile row (`y0 + a·dh` for `a < WT`,
/// each `WT·dw` phases × `nbv` columns) into the rows of `dst` (one output
/// channel).
#[inline(never)]
fn scatter_rows(
    staged: &[f32],
    dst: &mut [f32],
    (y0, dh): (usize, usize),
    (ow, dw): (usize, usize),
    nbv: usize,
    line: &mut [f32],
) {
    let oh = dst.len() / ow;
    let step = WT * dw;
    let line = &mut line[..step * nbv];
    for (a, rows_a) in staged.chunks_exact(step * nbv).enumerate() {
        let y = y0 + a * dh;
        if y >= oh {
            continue;
        }
        // 4 phases × 4 blocks at a time are a 4×4 transpose into the row
        // in order.
        for p0 in (0..step).step_by(4) {
            for b0 in (0..nbv).step_by(4) {
                let q: [f32x4; 4] =
                    std::array::from_fn(|i| f32x4::from(load::<4>(&rows_a[(p0 + i) * nbv + b0..])));
                for (l, v) in f32x4::transpose(q).iter().enumerate() {
                    let at = (b0 + l) * step + p0;
                    line[at..at + 4].copy_from_slice(&v.to_array());
                }
            }
        }
        copy_small(&mut dst[y * ow..(y + 1) * ow], &line[..ow]);
    }
}

/// Input transform of one channel, one column phase `jx` of a tile row:
/// `rows` are the `WP` padded rows of the patches, `p[i]` where patch column
/// `i` of tile 0 is in them; tiles `n0..n0 + nbv` of `dst` (`[t][tile]`,
/// `nt` tiles per `t`) get `Bᵀ d B`, 4 tiles per vector.
#[inline(never)]
fn wino_input(
    rows: [&[f32]; WP],
    p: [usize; WP],
    dst: &mut [f32],
    nt: usize,
    (n0, nbv): (usize, usize),
) {
    for b in (0..nbv).step_by(4) {
        // Bᵀ along the columns of each row, then along the rows. Small
        // arrays assigned element by element: moving a whole 6×6 array is a
        // `memory.copy` call in wasm.
        let mut u = [[f32x4::ZERO; WP]; WP];
        for (ui, r) in u.iter_mut().zip(&rows) {
            let a: [f32x4; WP] = std::array::from_fn(|k| f32x4::from(load::<4>(&r[p[k] + b..])));
            *ui = bt6(a);
        }
        let n = n0 + b;
        // Column j across the rows (an iterator over `u` would walk rows).
        #[allow(clippy::needless_range_loop)]
        for j in 0..WP {
            let col = bt6([u[0][j], u[1][j], u[2][j], u[3][j], u[4][j], u[5][j]]);
            for (i, val) in col.iter().enumerate() {
                let at = (WP * i + j) * nt + n;
                dst[at..at + 4].copy_from_slice(&val.to_array());
            }
        }
    }
}

/// Output transform of one output channel, one column phase `jx` of a tile
/// row: `mk` holds the `WN` sums (`[t][tile]`, `nt` tiles per `t`); tiles
/// `n0..n0 + nbv` give `Aᵀ M A + bias`, written to `staged` (`WT` rows ×
/// `WT·dw` phases × `nbv`) at phases `jx + e·dw`.
#[inline(never)]
fn wino_output(
    mk: &[f32],
    nt: usize,
    (n0, nbv): (usize, usize),
    bv: f32x4,
    staged: &mut [f32],
    (jx, dw): (usize, usize),
) {
    for b in (0..nbv).step_by(4) {
        let n = n0 + b;
        // Aᵀ along the columns of each row, then along the rows.
        let mut r = [[f32x4::ZERO; WT]; WP];
        for (i, ri) in r.iter_mut().enumerate() {
            let a: [f32x4; WP] =
                std::array::from_fn(|j| f32x4::from(load::<4>(&mk[(WP * i + j) * nt + n..])));
            *ri = at6(a);
        }
        // Column e across the rows.
        #[allow(clippy::needless_range_loop)]
        for e in 0..WT {
            let y = at6([r[0][e], r[1][e], r[2][e], r[3][e], r[4][e], r[5][e]]);
            for (a, val) in y.iter().enumerate() {
                let at = ((a * WT + e) * dw + jx) * nbv + b;
                staged[at..at + 4].copy_from_slice(&(*val + bv).to_array());
            }
        }
    }
}

/// `Bᵀ a` for F(4, 3), each value a vector of 4 tiles. Rows of `Bᵀ`:
/// `[4, 0, -5, 0, 1, 0]`, `[0, -4, -4, 1, 1, 0]`, `[0, 4, -4, -1, 1, 0]`,
/// `[0, -2, -1, 2, 1, 0]`, `[0, 2, -1, -2, 1, 0]`, `[0, 4, 0, -5, 0, 1]`.
#[inline(always)]
fn bt6(a: [f32x4; WP]) -> [f32x4; WP] {
    let (two, four, five) = (f32x4::splat(2.0), f32x4::splat(4.0), f32x4::splat(5.0));
    let s12 = a[1] + a[2];
    let d12 = a[1] - a[2];
    let d31 = a[3] - a[1];
    let e42 = a[4] - a[2];
    [
        four * a[0] - five * a[2] + a[4],
        a[4] + a[3] - four * s12,
        a[4] - a[3] + four * d12,
        e42 + two * d31,
        e42 - two * d31,
        four * a[1] - five * a[3] + a[5],
    ]
}

/// `Aᵀ m` for F(4, 3). Rows of `Aᵀ`: `[1, 1, 1, 1, 1, 0]`,
/// `[0, 1, -1, 2, -2, 0]`, `[0, 1, 1, 4, 4, 0]`, `[0, 1, -1, 8, -8, 1]`.
#[inline(always)]
fn at6(m: [f32x4; WP]) -> [f32x4; WT] {
    let (two, four, eight) = (f32x4::splat(2.0), f32x4::splat(4.0), f32x4::splat(8.0));
    let s12 = m[1] + m[2];
    let d12 = m[1] - m[2];
    let s34 = m[3] + m[4];
    let d34 = m[3] - m[4];
    [
        m[0] + s12 + s34,
        d12 + two * d34,
        s12 + four * s34,
        d12 + eight * d34 + m[5],
    ]
}

/// `G g Gᵀ` of 3×3 filters (row-major taps, one filter per lane) for
/// F(4, 3), as `WN` values `t = WP·i + j`. Rows of `G`: `[¼, 0, 0]`,
/// `[-⅙, -⅙, -⅙]`, `[-⅙, ⅙, -⅙]`, `[1/24, 1/12, ⅙]`, `[1/24, -1/12, ⅙]`,
/// `[0, 0, 1]`.
fn winograd_weight(f: [f32x4; 9]) -> [f32x4; WN] {
    let (quarter, sixth, twenty_fourth) = (
        f32x4::splat(0.25),
        f32x4::splat(1.0 / 6.0),
        f32x4::splat(1.0 / 24.0),
    );
    let (two, four) = (f32x4::splat(2.0), f32x4::splat(4.0));
    let gv = |a: f32x4, b: f32x4, c: f32x4| {
        [
            quarter * a,
            -(sixth * (a + b + c)),
            -(sixth * (a - b + c)),
            twenty_fourth * (a + two * b + four * c),
            twenty_fourth * (a - two * b + four * c),
            c,
        ]
    };
    let cols: [[f32x4; WP]; 3] = std::array::from_fn(|j| gv(f[j], f[3 + j], f[6 + j]));
    let mut t = [f32x4::ZERO; WN];
    for (i, ti) in t.chunks_exact_mut(WP).enumerate() {
        ti.copy_from_slice(&gv(cols[0][i], cols[1][i], cols[2][i]));
    }
    t
}

/// The register tile of the blocked path: `MR` output channels × `NR`
/// output columns of 4-wide accumulators.
type Acc = [[f32x4; NR / 4]; MR];

/// A tile of the depthwise path: (channel, weights, bias, (oy, x0), geometry).
type DepthwiseTileFn = fn(&[f32], &[f32], f32, (usize, usize), Geom) -> [f32; NRD];

/// Geometry of one depthwise tile call: kernel, dilation, padded row length.
#[derive(Clone, Copy)]
struct Geom {
    kernel: (usize, usize),
    dilation: (usize, usize),
    cols: usize,
}

/// [`tile`] for taps `stride` apart (the Winograd products: tap = input
/// channel): the rows come from `chunks`, with no offset table to read.
#[inline(never)]
fn tile_strided(input: &[f32], wb: &[f32], stride: usize) -> Acc {
    let mut acc = [[f32x4::ZERO; NR / 4]; MR];
    for (row, c) in input.chunks(stride).zip(wb.chunks_exact(MR)) {
        let r: [f32; NR] = load(row);
        let v: [f32x4; NR / 4] = std::array::from_fn(|q| f32x4::from(load::<4>(&r[4 * q..])));
        for (a, &cm) in acc.iter_mut().zip(c) {
            let cm = f32x4::splat(cm);
            for (aq, &vq) in a.iter_mut().zip(&v) {
                *aq += cm * vq;
            }
        }
    }
    acc
}

/// One `MR × NR` tile of the blocked path: output channels of the block
/// `wb` (`[tap][MR]`), the `NR` output columns whose first input value is
/// `input[0]`, each tap read at its offset in `offs`.
///
/// One tap per loop iteration, over a flat list of every (in, ky, kx) tap,
/// for every kernel size and dilation alike: only the tap's `MR` weights and
/// `NR / 4` input vectors are live next to the `MR · NR / 4` accumulators,
/// which fits the 16 vector registers of x86-64 that a wasm engine maps
/// them to. Unrolling the taps (as const-generic 3×3 loops did) lets LLVM
/// group each accumulator's chain across taps, which keeps every tap's
/// weights live at once; the engine then spills them (measured in wasm:
/// 2 taps per iteration 21 GFLOP/s, 1 tap 25, B).
#[inline(never)]
fn tile(input: &[f32], wb: &[f32], offs: &[usize]) -> Acc {
    let mut acc = [[f32x4::ZERO; NR / 4]; MR];
    for (&o, c) in offs.iter().zip(wb.chunks_exact(MR)) {
        let r: [f32; NR] = load(&input[o..]);
        let v: [f32x4; NR / 4] = std::array::from_fn(|q| f32x4::from(load::<4>(&r[4 * q..])));
        for (a, &cm) in acc.iter_mut().zip(c) {
            let cm = f32x4::splat(cm);
            for (aq, &vq) in a.iter_mut().zip(&v) {
                *aq += cm * vq;
            }
        }
    }
    acc
}

/// The depthwise tile function for a kernel size (as [`tile_fn`]).
fn depthwise_tile_fn(kernel: (usize, usize)) -> DepthwiseTileFn {
    match kernel {
        (3, 3) => depthwise_tile::<3, 3>,
        (5, 5) => depthwise_tile::<5, 5>,
        _ => depthwise_tile::<0, 0>,
    }
}

/// One `NRD`-column tile of the depthwise path, starting from the bias `bv`.
#[inline(never)]
fn depthwise_tile<const KH: usize, const KW: usize>(
    chan: &[f32],
    w: &[f32],
    bv: f32,
    (oy, x0): (usize, usize),
    g: Geom,
) -> [f32; NRD] {
    let kh = if KH > 0 { KH } else { g.kernel.0 };
    let kw = if KW > 0 { KW } else { g.kernel.1 };
    let (dh, dw) = g.dilation;
    let span = (kw - 1) * dw + NRD;
    let mut acc = [f32x4::splat(bv); NRD / 4];
    for (ky, wr) in w.chunks_exact(kw).enumerate().take(kh) {
        let start = (oy + ky * dh) * g.cols + x0;
        let row = &chan[start..start + span];
        for (kx, &wv) in wr.iter().enumerate() {
            let r: [f32; NRD] = load(&row[kx * dw..]);
            let c = f32x4::splat(wv);
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
    let geom = Geom {
        kernel: s.kernel,
        dilation: s.dilation,
        cols: p.cols,
    };
    let tile = depthwise_tile_fn(s.kernel);
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
                let acc = tile(chan, w, bv, (oy, x0), geom);
                let n = NRD.min(ow - x0);
                copy_small(&mut dst_row[x0..x0 + n], &acc[..n]);
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
mod tests {
    use super::{all_finite, direct, winograd_s1};
    use crate::conv::{Conv2d, Conv2dSpec};
    use crate::tensor::Tensor;
    use proptest::prelude::*;

    /// The Winograd path against the direct one on `spec` and an `h × w`
    /// input, to `1e-4` of each output's `Σ|w|·max|x| + |bias|`; false when
    /// the path declines (its padded copy would be much larger than the
    /// input: padding far past a small input).
    /// A stride-1 3×3 conv of `groups` groups, `ipg` in and `opg` out
    /// channels per group.
    fn grouped_3x3(
        (ipg, opg, groups): (usize, usize, usize),
        padding: (usize, usize),
        dilation: (usize, usize),
        bias: bool,
    ) -> Conv2dSpec {
        Conv2dSpec {
            in_channels: ipg * groups,
            out_channels: opg * groups,
            kernel: (3, 3),
            padding,
            dilation,
            groups,
            bias,
            ..Default::default()
        }
    }

    fn winograd_matches_direct(spec: Conv2dSpec, h: usize, w: usize, seed: u64) -> bool {
        let conv = Conv2d::random(spec, seed).unwrap();
        let x = Tensor::random(spec.in_channels, h, w, seed ^ 0xD1CE).unwrap();
        let (oh, ow) = spec.output_hw(h, w).unwrap();
        let (wt, b) = (conv.weight(), conv.bias());
        let want = direct(&spec, wt, b, &x, oh, ow);
        let Some(got) = winograd_s1(&spec, wt, b, &x, oh, ow) else {
            return false;
        };
        let xmax = x.data().iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let per_out = wt.len() / spec.out_channels;
        for (i, (g, d)) in got.iter().zip(&want).enumerate() {
            let o = i / (oh * ow);
            let wsum: f32 = wt[o * per_out..(o + 1) * per_out]
                .iter()
                .map(|v| v.abs())
                .sum();
            let tol = 1e-4 * (1.0 + wsum * xmax + b.map_or(0.0, |b| b[o].abs()));
            assert!(
                (g - d).abs() <= tol,
                "output {i}: {g} vs {d} for {spec:?} on {h}×{w}"
            );
        }
        true
    }

    /// Every dilation 1–5 (equal and unequal), paddings from none to past
    /// the kernel's reach, sizes that leave partial 4×4 tiles, partial
    /// vectors of 4 tiles and partial register tiles in both directions,
    /// 1×1 outputs, channel counts from 1 (not a multiple of the register
    /// tile), groups, bias on and off: whatever the dispatch would choose.
    #[test]
    fn winograd_path_matches_direct_path() {
        let (mut checked, mut declined) = (0, 0);
        for (ipg, opg, groups) in [
            (1, 1, 1),
            (3, 5, 1),
            (8, 8, 1),
            (9, 13, 1),
            (4, 6, 2),
            (16, 9, 1),
        ] {
            for (d, p) in [
                ((1, 1), (1, 1)),
                ((1, 1), (0, 0)),
                ((2, 2), (2, 2)),
                ((3, 3), (1, 4)),
                ((4, 4), (4, 4)),
                ((5, 5), (5, 3)),
                ((1, 3), (2, 0)),
                ((4, 2), (0, 5)),
            ] {
                for (h, w) in [(11, 17), (24, 9), (7, 40), (3, 3), (33, 65)] {
                    let spec = grouped_3x3((ipg, opg, groups), p, d, (h + w) % 2 == 0);
                    if spec.output_hw(h, w).is_ok() {
                        if winograd_matches_direct(spec, h, w, (h * w + ipg) as u64) {
                            checked += 1;
                        } else {
                            declined += 1;
                        }
                    }
                }
            }
        }
        assert!(
            checked >= 150 && declined <= 10,
            "{checked} checked, {declined} declined"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// As above, over random shapes (outputs from 1×1 up, dilations to 8).
        #[test]
        fn winograd_shapes_match_direct_path(
            ipg in 1usize..=10,
            opg in 1usize..=10,
            groups in 1usize..=2,
            d in (1usize..=8, 1usize..=8),
            p in (0usize..=9, 0usize..=9),
            h in 1usize..=30,
            w in 1usize..=30,
            bias in any::<bool>(),
            seed in any::<u64>(),
        ) {
            let spec = grouped_3x3((ipg, opg, groups), p, d, bias);
            prop_assume!(spec.output_hw(h, w).is_ok());
            // A shape the path declines is rejected, not passed: were it to
            // decline them all, proptest fails on too many rejects.
            prop_assume!(winograd_matches_direct(spec, h, w, seed));
        }
    }

    /// A non-finite value is found wherever it sits: in the 16-wide body, in
    /// any lane, or in the tail; and huge finite values are not mistaken for
    /// overflow (`0 · v` is exactly 0 for them).
    #[test]
    fn all_finite_finds_every_position() {
        for len in [0usize, 1, 15, 16, 17, 33, 100] {
            let ok = vec![f32::MAX; len];
            assert!(all_finite(&ok), "len {len}");
            for i in 0..len {
                for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
                    let mut v = ok.clone();
                    v[i] = bad;
                    assert!(!all_finite(&v), "len {len}, {bad} at {i}");
                }
            }
        }
        assert!(all_finite(&[-0.0, 0.0, f32::MIN_POSITIVE, -f32::MAX]));
    }
}
