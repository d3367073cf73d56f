//! The Winograd path, F(4×4, 3×3): stride 1, 3×3, any dilation, enough
//! channels per group; the input, weight and output transforms around the
//! blocked path's register tile.

use super::blocked::tile_strided;
use super::{copy_small, load, MR, NR};
use crate::conv::Conv2dSpec;
use crate::tensor::Tensor;
use wide::f32x4;

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
pub(super) fn winograd_fits(s: &Conv2dSpec, oh: usize, ow: usize) -> bool {
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
pub(super) fn winograd_s1(
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
