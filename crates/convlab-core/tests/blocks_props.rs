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
use std::cell::Cell;

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
/// True when the table exists (the spec was accepted and checked).
fn consistent(c: Checked) -> std::result::Result<bool, TestCaseError> {
    let Ok(layers) = c.layers else {
        return Ok(false);
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
    Ok(true)
}

/// Cases a property ran and how many of them `consistent` checked: a spec
/// it refuses is skipped, so without a floor a regression refusing every
/// spec would pass.
struct Tally {
    cases: u32,
    ran: Cell<usize>,
    accepted: Cell<usize>,
}

impl Tally {
    fn new(cases: u32) -> Tally {
        Tally {
            cases,
            ran: Cell::new(0),
            accepted: Cell::new(0),
        }
    }

    fn config(&self) -> ProptestConfig {
        ProptestConfig::with_cases(self.cases)
    }

    fn count(&self, accepted: bool) {
        self.ran.set(self.ran.get() + 1);
        self.accepted
            .set(self.accepted.get() + usize::from(accepted));
    }

    /// Fails unless at least `floor` of the configured cases were accepted
    /// (scaled down, rounding down, when `PROPTEST_CASES` runs fewer).
    fn assert_accepted(&self, what: &str, floor: usize) {
        let (ran, accepted) = (self.ran.get(), self.accepted.get());
        let want = floor * ran.min(self.cases as usize) / self.cases as usize;
        assert!(
            accepted >= want,
            "{what}: {accepted} of {ran} specs accepted, want at least {want}"
        );
    }
}

const CH: std::ops::RangeInclusive<usize> = 1..=12;

// Most random specs are refused (groups that do not divide, odd channels
// …): each property runs enough cases for about 35–100 accepted ones, and
// its floor is about half the mean measured over 100 runs (fire 48 of 48,
// separable 34 of 48, inverted residual 55 of 128, ShuffleNet v1 100 of
// 2048, v2 67 of 512, ghost 90 of 768, shift 73 of 384): a correct
// build misses one with a binomial chance under 1e-6.

#[test]
fn fire() {
    let t = Tally::new(48);
    proptest!(t.config(), |(c in CH, s in CH, e1 in CH, e3 in CH, hw in 1usize..7, cv in conventions(), seed in any::<u64>())| {
        t.count(consistent(check!(Fire, FireSpec::new(c, s, e1, e3), cv, [c, hw, hw], seed))?);
    });
    t.assert_accepted("fire", 24);
}

#[test]
fn separable() {
    let t = Tally::new(48);
    proptest!(t.config(), |(c in CH, d in CH, k in 1usize..6, st in 0usize..4, hw in 1usize..8, cv in conventions(), seed in any::<u64>())| {
        let spec = SeparableSpec { in_channels: c, out_channels: d, kernel: k, stride: st };
        t.count(consistent(check!(DepthwiseSeparable, spec, cv, [c, hw, hw], seed))?);
    });
    t.assert_accepted("separable", 17);
}

#[test]
fn inverted_residual() {
    let t = Tally::new(128);
    proptest!(t.config(), |(c in CH, d in CH, tx in 0usize..7, st in 0usize..4, hw in 1usize..8, cv in conventions(), seed in any::<u64>())| {
        t.count(consistent(check!(InvertedResidual, InvertedResidualSpec::new(c, d, tx, st), cv, [c, hw, hw], seed))?);
    });
    t.assert_accepted("inverted_residual", 27);
}

#[test]
fn shuffle_v1() {
    let t = Tally::new(2048);
    proptest!(t.config(), |(c in 1usize..25, d in 1usize..49, m in CH, g in 0usize..5, st in 0usize..4, first in any::<bool>(), hw in 1usize..8, cv in conventions(), seed in any::<u64>())| {
        let spec = ShuffleV1Spec { in_channels: c, out_channels: d, bottleneck: m, groups: g, stride: st, first_group_conv: first };
        t.count(consistent(check!(ShuffleV1Unit, spec, cv, [c, hw, hw], seed))?);
    });
    t.assert_accepted("shuffle_v1", 48);
}

#[test]
fn shuffle_v2() {
    let t = Tally::new(512);
    proptest!(t.config(), |(c in 1usize..25, d in 1usize..25, st in 0usize..4, hw in 1usize..8, cv in conventions(), seed in any::<u64>())| {
        let spec = ShuffleV2Spec { in_channels: c, out_channels: d, stride: st };
        t.count(consistent(check!(ShuffleV2Unit, spec, cv, [c, hw, hw], seed))?);
    });
    t.assert_accepted("shuffle_v2", 32);
}

#[test]
fn ghost() {
    let t = Tally::new(768);
    proptest!(t.config(), |(c in CH, h in 1usize..25, d in CH, k in 1usize..6, st in 0usize..4, se in any::<bool>(), ratio in 0usize..5, dk in 0usize..6, hw in 1usize..8, cv in conventions(), seed in any::<u64>())| {
        let spec = GhostBottleneckSpec { in_channels: c, hidden: h, out_channels: d, kernel: k, stride: st, se, ratio, cheap_kernel: dk };
        t.count(consistent(check!(GhostBottleneck, spec, cv, [c, hw, hw], seed))?);
    });
    t.assert_accepted("ghost", 45);
}

#[test]
fn shift() {
    let t = Tally::new(384);
    proptest!(t.config(), |(c in 1usize..20, d in 1usize..20, e in 0usize..4, k in 0usize..6, st in 0usize..4, res in any::<bool>(), hw in 1usize..8, cv in conventions(), seed in any::<u64>())| {
        let spec = ShiftBlockSpec { in_channels: c, out_channels: d, expansion: e, kernel: k, stride: st, residual: res };
        t.count(consistent(check!(ShiftBlock, spec, cv, [c, hw, hw], seed))?);
    });
    t.assert_accepted("shift", 36);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn shuffle_v1_valid(g in 1usize..5, mult in 1usize..4, st in 1usize..3, hw in 2usize..8, cv in conventions(), seed in any::<u64>()) {
        // Always-valid family: C = 4g·mult, D = C (stride 1) or 3C (stride 2).
        let c = 4 * g * mult;
        let d = if st == 1 { c } else { 3 * c };
        let spec = ShuffleV1Spec { in_channels: c, out_channels: d, bottleneck: d / 4, groups: g, stride: st, first_group_conv: true };
        prop_assert!(consistent(check!(ShuffleV1Unit, spec, cv, [c, hw, hw], seed))?);
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
