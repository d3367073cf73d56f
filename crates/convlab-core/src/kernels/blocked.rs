//! The blocked path: `MR` output channels × `NR` output columns of
//! accumulators held in registers, over a zero-padded copy of the input;
//! its register tile also computes the Winograd path's matrix products.

use super::{copy_small, load, Padded, MR, NR};
use crate::conv::Conv2dSpec;
use wide::f32x4;

/// Stride 1, general groups: tiles of `MR` output channels × `NR` output
/// columns accumulate over the group's input channels and the taps.
pub(super) fn blocked_s1(
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

/// The register tile of the blocked path: `MR` output channels × `NR`
/// output columns of 4-wide accumulators.
pub(super) type Acc = [[f32x4; NR / 4]; MR];

/// [`tile`] for taps `stride` apart (the Winograd products: tap = input
/// channel): the rows come from `chunks`, with no offset table to read.
#[inline(never)]
pub(super) fn tile_strided(input: &[f32], wb: &[f32], stride: usize) -> Acc {
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
