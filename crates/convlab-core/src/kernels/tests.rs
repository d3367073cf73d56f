//! Tests of [`super`]: the Winograd path against the direct one, and the finite-value check.

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
