//! Properties of every block: the allocated parameters equal the spec-level
//! table, forward's maps have the table's shapes and names, and silly specs
//! are errors, never panics.

use convlab_core::blocks::{
    DepthwiseSeparable, Fire, FireSpec, GhostBottleneck, GhostBottleneckSpec, InvertedResidual,
    InvertedResidualSpec, SeparableSpec, ShiftBlock, ShiftBlockSpec, ShuffleV1Spec, ShuffleV1Unit,
    ShuffleV2Spec, ShuffleV2Unit,
};
use convlab_core::{Convention, CostSummary, LayerCost, Result, Tensor};
use proptest::prelude::*;

/// What the tests need of a weighted block.
struct Checked {
    layers: Result<Vec<LayerCost>>,
    param_count: Option<u64>,
    named: Option<Result<Vec<(String, Tensor)>>>,
    macs: Option<Result<u64>>,
}

macro_rules! check {
    ($block:ident, $spec:expr, $cv:expr, $input:expr, $seed:expr) => {{
        let spec = $spec;
        let input: [usize; 3] = $input;
        let layers = spec.layers(input, $cv);
        match $block::random(spec, $cv, $seed) {
            Ok(b) => {
                let x = Tensor::random(input[0], input[1], input[2], $seed).ok();
                Checked {
                    layers,
                    param_count: Some(b.param_count()),
                    named: x.map(|x| b.forward_named(&x)),
                    macs: Some(b.macs(input[1], input[2])),
                }
            }
            Err(_) => Checked {
                layers,
                param_count: None,
                named: None,
                macs: None,
            },
        }
    }};
}

fn conventions() -> impl Strategy<Value = Convention> {
    prop_oneof![
        Just(Convention::LECTURE),
        Just(Convention::TORCHVISION),
        Just(Convention {
            conv_bias: true,
            batchnorm: true
        }),
        Just(Convention {
            conv_bias: false,
            batchnorm: false
        }),
    ]
}

/// The block is consistent: when its table exists, weights exist, the
/// allocated count equals the table's sum, and forward gives the table's maps.
fn consistent(c: Checked) -> std::result::Result<(), TestCaseError> {
    let Ok(layers) = c.layers else {
        return Ok(());
    };
    let Some(count) = c.param_count else {
        return Err(TestCaseError::fail("table built but weights refused"));
    };
    prop_assert_eq!(count, CostSummary::of(&layers).params);
    if let Some(Ok(m)) = c.macs {
        prop_assert_eq!(m, CostSummary::of(&layers).macs);
    }
    let mut names: Vec<&str> = layers.iter().map(|l| l.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    prop_assert_eq!(names.len(), layers.len(), "layer names are unique");
    if let Some(Ok(maps)) = c.named {
        prop_assert_eq!(maps.len(), layers.len());
        for (l, (name, t)) in layers.iter().zip(&maps) {
            prop_assert_eq!(&l.name, name);
            prop_assert_eq!(l.output, t.shape(), "{}", name);
        }
    }
    Ok(())
}

const CH: std::ops::RangeInclusive<usize> = 1..=12;

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn fire(c in CH, s in CH, e1 in CH, e3 in CH, hw in 1usize..7, cv in conventions(), seed in any::<u64>()) {
        consistent(check!(Fire, FireSpec::new(c, s, e1, e3), cv, [c, hw, hw], seed))?;
    }

    #[test]
    fn separable(c in CH, d in CH, k in 1usize..6, st in 0usize..4, hw in 1usize..8, cv in conventions(), seed in any::<u64>()) {
        let spec = SeparableSpec { in_channels: c, out_channels: d, kernel: k, stride: st };
        consistent(check!(DepthwiseSeparable, spec, cv, [c, hw, hw], seed))?;
    }

    #[test]
    fn inverted_residual(c in CH, d in CH, t in 0usize..7, st in 0usize..4, hw in 1usize..8, cv in conventions(), seed in any::<u64>()) {
        consistent(check!(InvertedResidual, InvertedResidualSpec::new(c, d, t, st), cv, [c, hw, hw], seed))?;
    }

    #[test]
    fn shuffle_v1(c in 1usize..25, d in 1usize..49, m in CH, g in 0usize..5, st in 0usize..4, first in any::<bool>(), hw in 1usize..8, cv in conventions(), seed in any::<u64>()) {
        let spec = ShuffleV1Spec { in_channels: c, out_channels: d, bottleneck: m, groups: g, stride: st, first_group_conv: first };
        consistent(check!(ShuffleV1Unit, spec, cv, [c, hw, hw], seed))?;
    }

    #[test]
    fn shuffle_v1_valid(g in 1usize..5, mult in 1usize..4, st in 1usize..3, hw in 2usize..8, cv in conventions(), seed in any::<u64>()) {
        // Always-valid family: C = 4g·mult, D = C (stride 1) or 3C (stride 2).
        let c = 4 * g * mult;
        let d = if st == 1 { c } else { 3 * c };
        let spec = ShuffleV1Spec { in_channels: c, out_channels: d, bottleneck: d / 4, groups: g, stride: st, first_group_conv: true };
        let checked = check!(ShuffleV1Unit, spec, cv, [c, hw, hw], seed);
        prop_assert!(checked.layers.is_ok());
        consistent(checked)?;
    }

    #[test]
    fn shuffle_v2(c in 1usize..25, d in 1usize..25, st in 0usize..4, hw in 1usize..8, cv in conventions(), seed in any::<u64>()) {
        let spec = ShuffleV2Spec { in_channels: c, out_channels: d, stride: st };
        consistent(check!(ShuffleV2Unit, spec, cv, [c, hw, hw], seed))?;
    }

    #[test]
    fn ghost(c in CH, h in 1usize..25, d in CH, k in 1usize..6, st in 0usize..4, se in any::<bool>(), ratio in 0usize..5, dk in 0usize..6, hw in 1usize..8, cv in conventions(), seed in any::<u64>()) {
        let spec = GhostBottleneckSpec { in_channels: c, hidden: h, out_channels: d, kernel: k, stride: st, se, ratio, cheap_kernel: dk };
        consistent(check!(GhostBottleneck, spec, cv, [c, hw, hw], seed))?;
    }

    #[test]
    fn shift(c in 1usize..20, d in 1usize..20, e in 0usize..4, k in 0usize..6, st in 0usize..4, res in any::<bool>(), hw in 1usize..8, cv in conventions(), seed in any::<u64>()) {
        let spec = ShiftBlockSpec { in_channels: c, out_channels: d, expansion: e, kernel: k, stride: st, residual: res };
        consistent(check!(ShiftBlock, spec, cv, [c, hw, hw], seed))?;
    }

    #[test]
    fn wrong_input_channels_are_errors(c in 2usize..10, hw in 3usize..6, seed in any::<u64>()) {
        let f = Fire::random(FireSpec::new(c, 2, 2, 2), Convention::LECTURE, seed).unwrap();
        let x = Tensor::random(c - 1, hw, hw, seed).unwrap();
        prop_assert!(f.forward(&x).is_err());
        prop_assert!(FireSpec::new(c, 2, 2, 2).layers([c + 1, hw, hw], Convention::LECTURE).is_err());
    }
}

#[test]
fn silly_specs_are_readable_errors() {
    let cv = Convention::TORCHVISION;
    let huge = usize::MAX;
    let e = FireSpec::new(0, 16, 64, 64)
        .layers([0, 8, 8], cv)
        .unwrap_err();
    assert!(e.to_string().contains("at least 1"), "{e}");
    assert!(FireSpec::new(huge, huge, huge, huge)
        .layers([8, 8, 8], cv)
        .is_err());
    assert!(Fire::random(FireSpec::new(huge, huge, huge, huge), cv, 0).is_err());
    assert!(FireSpec::default().layers([128, huge, huge], cv).is_err());
    assert!(FireSpec::default().layers([128, 0, 8], cv).is_err());
    let e = InvertedResidualSpec::new(huge, huge, huge, 1)
        .layers([8, 8, 8], cv)
        .unwrap_err();
    assert!(e.to_string().contains("over the limit"), "{e}");
    let e = ShuffleV1Spec {
        groups: 3,
        ..Default::default()
    }
    .layers([240, 8, 8], cv)
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "conv2d: groups (3) must divide out_channels (80)"
    );
    let e = ShuffleV1Spec {
        out_channels: 200,
        ..Default::default()
    }
    .layers([240, 8, 8], cv)
    .unwrap_err();
    assert!(
        e.to_string().contains("must equal in_channels (240)"),
        "{e}"
    );
    let e = ShuffleV2Spec {
        in_channels: 116,
        out_channels: 117,
        stride: 2,
    }
    .layers([116, 8, 8], cv)
    .unwrap_err();
    assert!(e.to_string().contains("must be even"), "{e}");
    let e = GhostBottleneckSpec {
        ratio: 1,
        ..Default::default()
    }
    .layers([16, 8, 8], cv)
    .unwrap_err();
    assert!(e.to_string().contains("ratio"), "{e}");
    let e = ShiftBlockSpec {
        kernel: 4,
        ..Default::default()
    }
    .layers([64, 8, 8], cv)
    .unwrap_err();
    assert!(e.to_string().contains("odd"), "{e}");
    // A kernel larger than the padded input (an even kernel pads (k−1)/2 = 1 each side).
    let e = SeparableSpec {
        kernel: 4,
        ..Default::default()
    }
    .layers([128, 1, 1], cv)
    .unwrap_err();
    assert!(
        e.to_string().contains("larger than the padded input"),
        "{e}"
    );
    let e = SeparableSpec::default()
        .layers([128, 8, 8], Convention::LECTURE)
        .map(|_| ());
    assert!(e.is_ok());
}

#[test]
fn stride_two_units_halve_and_widen() {
    let cv = Convention::TORCHVISION;
    let spec = ShuffleV1Spec {
        in_channels: 24,
        out_channels: 240,
        bottleneck: 60,
        groups: 3,
        stride: 2,
        first_group_conv: false,
    };
    let u = ShuffleV1Unit::random(spec, cv, 1).unwrap();
    let y = u.forward(&Tensor::random(24, 7, 7, 2).unwrap()).unwrap();
    assert_eq!(y.shape(), [240, 4, 4]);
    // The shortcut channels are the avg-pooled input, ReLU'd: non-negative, in the first 24.
    assert!(y.channel(0).unwrap().iter().all(|&v| v >= 0.0));
    let v2 = ShuffleV2Unit::random(
        ShuffleV2Spec {
            in_channels: 24,
            out_channels: 116,
            stride: 2,
        },
        cv,
        3,
    )
    .unwrap();
    assert_eq!(
        v2.forward(&Tensor::random(24, 8, 8, 4).unwrap())
            .unwrap()
            .shape(),
        [116, 4, 4]
    );
}

#[test]
fn residual_is_added_only_when_shapes_match() {
    let cv = Convention::TORCHVISION;
    let has_add = |l: &[LayerCost]| l.iter().any(|l| l.name == "residual add");
    assert!(has_add(
        &InvertedResidualSpec::new(8, 8, 6, 1)
            .layers([8, 8, 8], cv)
            .unwrap()
    ));
    assert!(!has_add(
        &InvertedResidualSpec::new(8, 16, 6, 1)
            .layers([8, 8, 8], cv)
            .unwrap()
    ));
    assert!(!has_add(
        &InvertedResidualSpec::new(8, 8, 6, 2)
            .layers([8, 8, 8], cv)
            .unwrap()
    ));
    // t = 1: no expand conv (MobileNet v2's first bottleneck).
    let l = InvertedResidualSpec::new(32, 16, 1, 1)
        .layers([32, 8, 8], cv)
        .unwrap();
    assert!(l.iter().all(|l| !l.name.starts_with("expand")));
}
