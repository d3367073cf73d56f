//! Ghost module: structure against the real convs, parameter counts three
//! ways, and the paper's ratios (GhostNet k = 1, d = 3: 1.93 at c = 256,
//! 1.28 at c = 16) both by formula and from the module's own counts.

use convlab_core::ops::ghost::{compression, speedup, speedup_approx, GhostModule, GhostSpec};
use convlab_core::{Conv2d, Conv2dSpec, CostSummary, Tensor};
use proptest::prelude::*;

fn formula_params(c: usize, n: usize, k: usize, d: usize, s: usize, bias: bool) -> u64 {
    let m = n.div_ceil(s);
    let b = u64::from(bias);
    let primary = (k * k * c * m) as u64 + b * m as u64;
    let cheap = (d * d * (s - 1) * m) as u64 + b * ((s - 1) * m) as u64;
    primary + cheap
}

#[test]
fn golden_ratios_of_ghostnet() {
    let r256 = speedup(256, 1, 3, 2).unwrap();
    let r16 = speedup(16, 1, 3, 2).unwrap();
    assert_eq!(format!("{r256:.2}"), "1.93");
    assert_eq!(format!("{r16:.2}"), "1.28");
    // By hand: 256 / (128 + 4.5) and 16 / (8 + 4.5).
    assert!((r256 - 256.0 / 132.5).abs() < 1e-12);
    assert!((r16 - 1.28).abs() < 1e-12);
    // The approximation s·c/(s+c−1) is close to s = 2 there, not to the exact value.
    assert!((speedup_approx(256, 2).unwrap() - 1.992_217_898_832_684).abs() < 1e-12);
    assert_eq!(compression(16, 1, 3, 2).unwrap(), r16);
    assert!(speedup(0, 1, 3, 2).is_err());
    assert!(speedup_approx(16, 0).is_err());
}

#[test]
fn ratio_formula_equals_the_modules_own_counts() {
    // Without bias and with s | n the module's MACs and parameters give the
    // paper's ratio exactly.
    for (c, k, d, s) in [(256, 1, 3, 2), (16, 1, 3, 2), (32, 3, 3, 4), (8, 3, 5, 3)] {
        let n = 12 * s;
        let spec = GhostSpec {
            in_channels: c,
            out_channels: n,
            kernel: k,
            dw_kernel: d,
            ratio: s,
            bias: false,
            stride: 1,
        };
        let g = GhostModule::random(spec, 1).unwrap();
        let std = spec.standard_spec();
        let by_macs = std.macs(6, 6).unwrap() as f64 / g.macs(6, 6).unwrap() as f64;
        let by_params = std.param_count() as f64 / g.param_count() as f64;
        let r = speedup(c, k, d, s).unwrap();
        assert!(
            (by_macs - r).abs() < 1e-9,
            "c={c} k={k} d={d} s={s}: {by_macs} vs {r}"
        );
        assert!((by_params - r).abs() < 1e-9);
    }
}

#[test]
fn param_count_three_ways() {
    for (c, n, k, d, s, bias) in [
        (16, 16, 1, 3, 2, true),
        (8, 13, 3, 3, 3, false),
        (5, 7, 1, 5, 4, true),
        (4, 6, 3, 1, 1, true),
    ] {
        let spec = GhostSpec {
            in_channels: c,
            out_channels: n,
            kernel: k,
            dw_kernel: d,
            ratio: s,
            bias,
            stride: 1,
        };
        let g = GhostModule::random(spec, 3).unwrap();
        let allocated = g.primary().weight().len()
            + g.primary().bias().map_or(0, <[f32]>::len)
            + g.cheap()
                .map_or(0, |c| c.weight().len() + c.bias().map_or(0, <[f32]>::len));
        assert_eq!(g.param_count(), allocated as u64);
        assert_eq!(g.param_count(), formula_params(c, n, k, d, s, bias));
        assert_eq!(spec.param_count(), g.param_count());
        let rows = g.layers([c, 9, 9]).unwrap();
        assert_eq!(CostSummary::of(&rows).params, g.param_count());
        assert_eq!(CostSummary::of(&rows).macs, g.macs(9, 9).unwrap());
    }
}

#[test]
fn lecture_counts_per_new_map() {
    // conv K·K·C+1 per intrinsic map, ghost d·d+1 per ghost map.
    let spec = GhostSpec {
        in_channels: 10,
        out_channels: 8,
        kernel: 3,
        dw_kernel: 3,
        ratio: 2,
        bias: true,
        stride: 1,
    };
    let g = GhostModule::random(spec, 0).unwrap();
    assert_eq!(g.primary().param_count(), 4 * (9 * 10 + 1));
    assert_eq!(g.cheap().unwrap().param_count(), 4 * (9 + 1));
}

#[test]
fn forward_is_intrinsic_then_ghosts_trimmed() {
    let spec = GhostSpec {
        in_channels: 3,
        out_channels: 7,
        kernel: 3,
        dw_kernel: 3,
        ratio: 3,
        bias: true,
        stride: 2,
    };
    let g = GhostModule::random(spec, 9).unwrap();
    let x = Tensor::random(3, 9, 8, 2).unwrap();
    let y = g.forward(&x).unwrap();
    assert_eq!(y.shape(), [7, 5, 4]);
    let intrinsic = g.primary().forward(&x).unwrap();
    assert_eq!(intrinsic.channels(), 3);
    let cheap = g.cheap().unwrap();
    for ch in 0..7 {
        let expect = if ch < 3 {
            intrinsic.channel(ch).unwrap().to_vec()
        } else {
            // Ghost j comes from intrinsic j / (s − 1), through its own d×d filter.
            let j = ch - 3;
            let src = intrinsic.channels_range(j / 2..j / 2 + 1).unwrap();
            let w: Vec<f32> = cheap.weight()[j * 9..(j + 1) * 9].to_vec();
            let b = cheap.bias().unwrap()[j];
            let one = Conv2d::new(Conv2dSpec::standard(1, 1, 3), w, Some(vec![b])).unwrap();
            one.forward(&src).unwrap().into_data()
        };
        assert_eq!(y.channel(ch).unwrap(), &expect[..], "channel {ch}");
    }
    let parts = g.forward_parts(&x).unwrap();
    assert_eq!(parts.ghost_source, [0, 0, 1, 1, 2, 2]);
    assert_eq!(parts.ghosts.unwrap().channels(), 6);
    assert_eq!(parts.kept, 7);
}

#[test]
fn ratio_one_is_just_the_primary_conv() {
    let spec = GhostSpec {
        ratio: 1,
        ..GhostSpec::default()
    };
    let g = GhostModule::random(spec, 0).unwrap();
    assert!(g.cheap().is_none());
    let x = Tensor::random(16, 4, 4, 0).unwrap();
    assert_eq!(g.forward(&x).unwrap(), g.primary().forward(&x).unwrap());
    assert_eq!(g.layers([16, 4, 4]).unwrap().len(), 1);
}

#[test]
fn bad_specs_are_readable_errors() {
    let even = GhostSpec {
        dw_kernel: 2,
        ..GhostSpec::default()
    };
    assert_eq!(
        GhostModule::random(even, 0).unwrap_err().to_string(),
        "ghost module: cheap kernel must be odd (1, 3, 5, …), got 2"
    );
    assert!(GhostModule::random(
        GhostSpec {
            ratio: 0,
            ..GhostSpec::default()
        },
        0
    )
    .is_err());
    assert!(GhostModule::random(
        GhostSpec {
            out_channels: 0,
            ..GhostSpec::default()
        },
        0
    )
    .is_err());
    let g = GhostModule::random(GhostSpec::default(), 0).unwrap();
    assert!(g.forward(&Tensor::zeros(3, 4, 4).unwrap()).is_err());
    assert!(g.layers([3, 4, 4]).is_err());
    let other = Conv2d::random(Conv2dSpec::pointwise(16, 9), 0).unwrap();
    assert!(GhostModule::new(GhostSpec::default(), other, None).is_err());
}

proptest! {
    #[test]
    fn shapes_and_counts_agree(c in 1usize..6, n in 1usize..12, s in 1usize..5,
                               k in prop_oneof![Just(1usize), Just(3)], d in prop_oneof![Just(1usize), Just(3), Just(5)],
                               stride in 1usize..3, bias in any::<bool>(), seed: u64) {
        let spec = GhostSpec { in_channels: c, out_channels: n, kernel: k, dw_kernel: d, ratio: s, bias, stride };
        let g = GhostModule::random(spec, seed).unwrap();
        let x = Tensor::random(c, 7, 6, seed).unwrap();
        let y = g.forward(&x).unwrap();
        let (oh, ow) = spec.primary_spec().output_hw(7, 6).unwrap();
        prop_assert_eq!(y.shape(), [n, oh, ow]);
        prop_assert_eq!(g.param_count(), formula_params(c, n, k, d, s, bias));
        let rows = g.layers([c, 7, 6]).unwrap();
        prop_assert_eq!(rows.last().unwrap().output, [n, oh, ow]);
    }

    #[test]
    fn never_panics(c in prop_oneof![0usize..5, Just(usize::MAX)], n in prop_oneof![0usize..9, Just(usize::MAX)],
                    s in prop_oneof![0usize..5, Just(usize::MAX)], k in 0usize..6, d in 0usize..6,
                    stride in 0usize..3, h in 1usize..6) {
        let spec = GhostSpec { in_channels: c, out_channels: n, kernel: k, dw_kernel: d, ratio: s, bias: true, stride };
        let _ = spec.intrinsic();
        let _ = spec.ghosts();
        let _ = spec.param_count();
        let _ = speedup(c, k, d, s);
        let _ = speedup_approx(c, s);
        if let Ok(g) = GhostModule::random(spec, 1) {
            let _ = g.macs(h, h);
            let _ = g.layers([c, h, h]);
            prop_assert!(g.macs(usize::MAX, h).is_err());
            prop_assert!(g.layers([c, h, usize::MAX]).is_err());
            if c < 5 {
                let _ = g.forward(&Tensor::random(c, h, h, 2).unwrap());
            }
        }
    }
}
