//! The direct path: any stride, one scaled input row added to one output
//! row per tap, with no padded copy.

use crate::conv::Conv2dSpec;
use crate::tensor::Tensor;

/// Direct convolution, output-row oriented: for each output channel, each
/// input channel of its group and each kernel tap, one scaled row of the
/// input is added to a row of the output (a contiguous loop when stride is 1).
pub(super) fn direct(
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
