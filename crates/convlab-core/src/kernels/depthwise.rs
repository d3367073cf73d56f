//! The depthwise path: stride 1, one input channel and fewer than `MR`
//! outputs per group, `NRD` output columns in registers per row.

use super::{copy_small, load, Padded, NRD};
use crate::conv::Conv2dSpec;
use crate::tensor::Tensor;
use wide::f32x4;

/// A tile of the depthwise path: (channel, weights, bias, (oy, x0), geometry).
type DepthwiseTileFn = fn(&[f32], &[f32], f32, (usize, usize), Geom) -> [f32; NRD];

/// Geometry of one depthwise tile call: kernel, dilation, padded row length.
#[derive(Clone, Copy)]
struct Geom {
    kernel: (usize, usize),
    dilation: (usize, usize),
    cols: usize,
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
pub(super) fn depthwise_s1(
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
