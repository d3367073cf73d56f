//! `Conv2d::forward` against an independent, obviously-correct reference:
//! hand-computed golden cases, then proptest over every toggle of the spec.

use convlab_core::{Conv2d, Conv2dSpec, Tensor};
use proptest::prelude::*;

/// The reference: seven nested loops over (out channel, out row, out col,
/// in channel of the group, kernel row, kernel col), i64 index arithmetic,
/// f64 accumulation, PyTorch semantics (cross-correlation, zero padding).
/// Returns `(out_h, out_w, values, scale)` where `scale[i]` is `Σ|term|` of
/// output `i`, the natural size against which rounding error is measured.
fn reference(
    s: &Conv2dSpec,
    weight: &[f32],
    bias: Option<&[f32]>,
    x: &Tensor,
) -> (usize, usize, Vec<f64>, Vec<f64>) {
    let [c, h, w] = x.shape();
    assert_eq!(c, s.in_channels);
    let (h, w) = (h as i64, w as i64);
    let (kh, kw) = (s.kernel.0 as i64, s.kernel.1 as i64);
    let (sh, sw) = (s.stride.0 as i64, s.stride.1 as i64);
    let (ph, pw) = (s.padding.0 as i64, s.padding.1 as i64);
    let (dh, dw) = (s.dilation.0 as i64, s.dilation.1 as i64);
    let g = s.groups as i64;
    let ipg = s.in_channels as i64 / g;
    let opg = s.out_channels as i64 / g;
    let oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
    let ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
    assert!(oh > 0 && ow > 0);
    let data = x.data();
    let mut out = Vec::new();
    let mut scale = Vec::new();
    for o in 0..s.out_channels as i64 {
        let group = o / opg;
        for oy in 0..oh {
            for ox in 0..ow {
                let mut acc = bias.map_or(0.0, |b| b[o as usize] as f64);
                let mut abs = acc.abs();
                for i in 0..ipg {
                    let ic = group * ipg + i;
                    for ky in 0..kh {
                        for kx in 0..kw {
                            let iy = oy * sh + ky * dh - ph;
                            let ix = ox * sw + kx * dw - pw;
                            let v = if iy < 0 || iy >= h || ix < 0 || ix >= w {
                                0.0
                            } else {
                                data[((ic * h + iy) * w + ix) as usize] as f64
                            };
                            let wv = weight[(((o * ipg + i) * kh + ky) * kw + kx) as usize] as f64;
                            acc += v * wv;
                            abs += (v * wv).abs();
                        }
                    }
                }
                out.push(acc);
                scale.push(abs);
            }
        }
    }
    (oh as usize, ow as usize, out, scale)
}

fn assert_matches_reference(conv: &Conv2d, x: &Tensor) {
    let y = conv.forward(x).expect("forward");
    let (oh, ow, want, scale) = reference(conv.spec(), conv.weight(), conv.bias(), x);
    assert_eq!(y.shape(), [conv.spec().out_channels, oh, ow]);
    for (i, ((&got, &want), &scale)) in y.data().iter().zip(&want).zip(&scale).enumerate() {
        let tol = 1e-4 * scale.max(1.0);
        assert!(
            (got as f64 - want).abs() <= tol,
            "output {i}: got {got}, reference {want} (tolerance {tol}) for {:?}",
            conv.spec()
        );
    }
}

fn exact(conv: &Conv2d, x: &Tensor, want: &[f32]) {
    let y = conv.forward(x).expect("forward");
    assert_eq!(y.data(), want, "{:?}", conv.spec());
    let (_, _, r, _) = reference(conv.spec(), conv.weight(), conv.bias(), x);
    let r: Vec<f32> = r.iter().map(|&v| v as f32).collect();
    assert_eq!(
        r, want,
        "the reference itself disagrees with the hand computation"
    );
}

fn nine() -> Tensor {
    Tensor::new(1, 3, 3, (1..=9).map(|v| v as f32).collect()).unwrap()
}

fn w1234(spec: Conv2dSpec) -> Conv2d {
    Conv2d::new(spec, vec![1.0, 2.0, 3.0, 4.0], None).unwrap()
}

const K2: Conv2dSpec = Conv2dSpec {
    in_channels: 1,
    out_channels: 1,
    kernel: (2, 2),
    stride: (1, 1),
    padding: (0, 0),
    dilation: (1, 1),
    groups: 1,
    bias: false,
};

// Input x = [[1,2,3],[4,5,6],[7,8,9]], weight w = [[1,2],[3,4]].

/// No padding: cross-correlation, the kernel is not flipped.
/// (0,0) = 1·1 + 2·2 + 3·4 + 4·5 = 37;  (0,1) = 1·2 + 2·3 + 3·5 + 4·6 = 47;
/// (1,0) = 1·4 + 2·5 + 3·7 + 4·8 = 67;  (1,1) = 1·5 + 2·6 + 3·8 + 4·9 = 77.
#[test]
fn golden_cross_correlation() {
    exact(&w1234(K2), &nine(), &[37.0, 47.0, 67.0, 77.0]);
}

/// Padding 1, stride 2: out = ⌊(3 + 2 − 1 − 1)/2⌋ + 1 = 2 per side. Taps start at
/// input (−1,−1), (−1,1), (1,−1), (1,1):
/// (0,0) = 4·x(0,0) = 4;  (0,1) = 3·x(0,1) + 4·x(0,2) = 6 + 12 = 18;
/// (1,0) = 2·x(1,0) + 4·x(2,0) = 8 + 28 = 36;  (1,1) = 1·5 + 2·6 + 3·8 + 4·9 = 77.
#[test]
fn golden_padding_and_stride() {
    let spec = Conv2dSpec {
        padding: (1, 1),
        stride: (2, 2),
        ..K2
    };
    exact(&w1234(spec), &nine(), &[4.0, 18.0, 36.0, 77.0]);
}

/// Dilation 2: the 2×2 kernel spans 3×3, taps at the four corners, one output:
/// 1·1 + 2·3 + 3·7 + 4·9 = 64.
#[test]
fn golden_dilation() {
    let spec = Conv2dSpec {
        dilation: (2, 2),
        ..K2
    };
    exact(&w1234(spec), &nine(), &[64.0]);
}

/// Groups 2, 1×1, weights 2 and 3, bias 1 and −1, channels [1,2] and [3,4]:
/// out0 = 2·[1,2] + 1 = [3,5];  out1 = 3·[3,4] − 1 = [8,11].
/// The same with groups 1 and weights [[1,1],[1,−1]], no bias:
/// out0 = [1+3, 2+4] = [4,6];  out1 = [1−3, 2−4] = [−2,−2].
#[test]
fn golden_groups_and_bias() {
    let x = Tensor::new(2, 1, 2, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    let spec = Conv2dSpec {
        in_channels: 2,
        out_channels: 2,
        kernel: (1, 1),
        groups: 2,
        ..Default::default()
    };
    let grouped = Conv2d::new(spec, vec![2.0, 3.0], Some(vec![1.0, -1.0])).unwrap();
    exact(&grouped, &x, &[3.0, 5.0, 8.0, 11.0]);
    let full = Conv2d::new(
        Conv2dSpec {
            groups: 1,
            bias: false,
            ..spec
        },
        vec![1.0, 1.0, 1.0, -1.0],
        None,
    )
    .unwrap();
    exact(&full, &x, &[4.0, 6.0, -2.0, -2.0]);
}

/// A 1×3 kernel [1, 0, −1] with padding (0, 1) on the row [1, 2, 4]:
/// x=0: 0·1 + 1·0 + 2·(−1) = −2;  x=1: 1 − 4 = −3;  x=2: 2 − 0 = 2.
#[test]
fn golden_non_square_kernel() {
    let spec = Conv2dSpec {
        kernel: (1, 3),
        padding: (0, 1),
        bias: false,
        ..Default::default()
    };
    let conv = Conv2d::new(spec, vec![1.0, 0.0, -1.0], None).unwrap();
    let x = Tensor::new(1, 1, 3, vec![1.0, 2.0, 4.0]).unwrap();
    exact(&conv, &x, &[-2.0, -3.0, 2.0]);
}

/// A depthwise conv with channel multiplier 2: channel c feeds outputs 2c and 2c+1.
/// Input channels are constant 1 and 10 on 2×2, weights are 1×1 [1, 2, 3, 4]:
/// outputs are constant 1, 2, 30, 40.
#[test]
fn golden_depthwise_multiplier() {
    let spec = Conv2dSpec {
        kernel: (1, 1),
        bias: false,
        ..Conv2dSpec::depthwise(2, 2, 1)
    };
    let conv = Conv2d::new(spec, vec![1.0, 2.0, 3.0, 4.0], None).unwrap();
    let x = Tensor::new(2, 2, 2, vec![1.0, 1.0, 1.0, 1.0, 10.0, 10.0, 10.0, 10.0]).unwrap();
    let mut want = Vec::new();
    for v in [1.0, 2.0, 30.0, 40.0] {
        want.extend([v; 4]);
    }
    exact(&conv, &x, &want);
}

/// The lesson-size shapes of the speed table (every kernel path at full size).
#[test]
fn lesson_sizes_match_reference() {
    let b = Conv2dSpec::standard(32, 32, 3);
    for (spec, side) in [
        (Conv2dSpec::standard(16, 16, 3), 32),
        (b, 40),
        (Conv2dSpec::depthwise(32, 1, 3), 64),
        (b.with_dilation(4), 24),
        (Conv2dSpec::depthwise(8, 3, 5).with_dilation(2), 19),
        (Conv2dSpec::grouped(12, 18, 3, 3).with_stride(2), 17),
        (Conv2dSpec::pointwise(24, 10), 13),
    ] {
        let conv = Conv2d::random(spec, 7).unwrap();
        let x = Tensor::random(spec.in_channels, side, side + 3, 8).unwrap();
        assert_matches_reference(&conv, &x);
    }
}

/// A spec with all toggles, and an input it fits.
fn spec_and_input() -> impl Strategy<Value = (Conv2dSpec, usize, usize, u64)> {
    (
        (1usize..=4, 1usize..=4, 1usize..=3),
        (1usize..=4, 1usize..=4),
        (1usize..=3, 1usize..=3),
        (0usize..=3, 0usize..=3),
        (1usize..=3, 1usize..=3),
        any::<bool>(),
        (1usize..=20, 1usize..=20),
        any::<u64>(),
    )
        .prop_filter_map(
            "kernel must fit the padded input",
            |((ipg, opg, groups), kernel, stride, padding, dilation, bias, (h, w), seed)| {
                let spec = Conv2dSpec {
                    in_channels: ipg * groups,
                    out_channels: opg * groups,
                    kernel,
                    stride,
                    padding,
                    dilation,
                    groups,
                    bias,
                };
                spec.output_hw(h, w).ok().map(|_| (spec, h, w, seed))
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn forward_matches_reference((spec, h, w, seed) in spec_and_input()) {
        let conv = Conv2d::random(spec, seed).unwrap();
        let x = Tensor::random(spec.in_channels, h, w, seed ^ 0x5EED).unwrap();
        assert_matches_reference(&conv, &x);
    }

    /// Wider channel counts and widths, so that blocked paths see full tiles and ragged tails.
    #[test]
    fn forward_matches_reference_wide(
        ipg in 1usize..=9,
        opg in 1usize..=13,
        groups in 1usize..=2,
        k in (1usize..=5, 1usize..=5),
        d in 1usize..=3,
        p in 0usize..=4,
        h in 5usize..=14,
        w in 5usize..=40,
        bias in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let spec = Conv2dSpec {
            in_channels: ipg * groups,
            out_channels: opg * groups,
            kernel: k,
            padding: (p, p),
            dilation: (d, d),
            groups,
            bias,
            ..Default::default()
        };
        prop_assume!(spec.output_hw(h, w).is_ok());
        let conv = Conv2d::random(spec, seed).unwrap();
        let x = Tensor::random(spec.in_channels, h, w, seed.wrapping_add(1)).unwrap();
        assert_matches_reference(&conv, &x);
    }
}

/// Kernel sizes the depthwise path has a compiled-in copy for (3×3, 5×5) and
/// 1×1, next to sizes that take the general code (non-square, 7×7), with
/// unequal dilations and widths that leave a ragged last tile, on the
/// blocked path (few channels per group) and the depthwise one.
#[test]
fn specialised_kernel_sizes_match_reference() {
    for (k, d, p) in [
        ((1, 1), (1, 1), (0, 0)),
        ((3, 3), (1, 1), (1, 1)),
        ((3, 3), (2, 1), (2, 0)),
        ((3, 3), (1, 3), (0, 3)),
        ((5, 5), (1, 1), (2, 2)),
        ((5, 5), (2, 2), (1, 3)),
        ((3, 5), (1, 1), (1, 2)),
        ((7, 7), (1, 2), (3, 3)),
    ] {
        for (ipg, opg, groups) in [(3, 6, 1), (1, 1, 5), (1, 2, 3), (2, 5, 2)] {
            let spec = Conv2dSpec {
                in_channels: ipg * groups,
                out_channels: opg * groups,
                kernel: k,
                padding: p,
                dilation: d,
                groups,
                ..Default::default()
            };
            let conv = Conv2d::random(spec, 11).unwrap();
            for w in [13, 41] {
                let x = Tensor::random(spec.in_channels, 17, w, 12).unwrap();
                assert_matches_reference(&conv, &x);
            }
        }
    }
}

/// Shapes `forward` sends to the Winograd path (3×3, stride 1, ≥ 16
/// channels in and out per group, outputs that fill its tile rows: the
/// speed table's B and D among them), with out-channel counts that leave a
/// partial register tile, ragged right and bottom edges, unequal dilations,
/// groups and bias. Every edge case of the path itself, whichever shapes
/// the dispatch sends there, is checked in the kernel's unit tests.
#[test]
fn winograd_shapes_match_reference() {
    for (ipg, opg, groups, d, (h, w), bias) in [
        (16, 16, 1, 1, (32, 32), true),
        (16, 18, 1, 1, (61, 60), false),
        (17, 16, 1, 2, (32, 31), true),
        (16, 16, 2, 1, (33, 32), false),
        (16, 20, 1, 4, (64, 64), true),
    ] {
        let spec = Conv2dSpec {
            in_channels: ipg * groups,
            out_channels: opg * groups,
            kernel: (3, 3),
            padding: (d, d),
            dilation: (d, d),
            groups,
            bias,
            ..Default::default()
        };
        let conv = Conv2d::random(spec, (h * w) as u64).unwrap();
        let x = Tensor::random(spec.in_channels, h, w, 99).unwrap();
        assert_matches_reference(&conv, &x);
    }
}

/// Input values near `f32::MAX` of alternating sign on a shape `forward`
/// sends to the Winograd path: its input transform (`4·a0 - 5·a2 + a4`, …)
/// overflows although every product and partial sum of the direct sum is
/// finite; the output must still be the finite direct result.
#[test]
fn winograd_overflow_falls_back_to_direct_sums() {
    let spec = Conv2dSpec::standard(16, 16, 3);
    let x = Tensor::from_fn(16, 32, 32, |c, y, x| {
        // Columns x and x + 2 (and rows) of a patch have opposite signs.
        if (c + y / 2 + x / 2) % 2 == 0 {
            3.0e38
        } else {
            -3.0e38
        }
    })
    .unwrap();
    let conv = Conv2d::from_fn(spec, |o, i, ky, kx| {
        2e-4 * ((o + 2 * i + ky + kx) % 5) as f32
    })
    .unwrap();
    assert_matches_reference(&conv, &x);
}
