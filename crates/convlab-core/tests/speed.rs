//! The speed lesson's core: blocks at one shape, their parameters, multiply–adds
//! and memory access cost against hand counts, ShuffleNet v2's four experiments,
//! and sizes that must be errors, never panics.
//!
//! `cargo test -p convlab-core --release --test speed -- --nocapture` prints
//! the cost tables.

use convlab_core::cost::LayerKind;
use convlab_core::speed::{
    grouped_pointwise_mac, pointwise_mac, Guideline, GuidelineSetup, SpeedBlock, SpeedCase,
    SpeedSetup, Stop, TimingOptions, BYTES_PER_VALUE, MAX_CASE_MACS,
};
use convlab_core::{Error, Tensor};
use proptest::prelude::*;
use std::cell::Cell;

const HW: u64 = 56 * 56;
/// One 64-channel 56×56 map.
const MAP: u64 = 64 * HW;

/// A setup `c × h × w → n` with `groups` groups.
fn shape(c: usize, h: usize, w: usize, n: usize, groups: usize) -> SpeedSetup {
    SpeedSetup { c, h, w, n, groups }
}

fn defaults() -> Vec<SpeedCase> {
    SpeedBlock::ALL
        .iter()
        .map(|b| b.build(&SpeedSetup::default(), 7).unwrap())
        .collect()
}

fn case(id: &str) -> SpeedCase {
    SpeedBlock::from_id(id)
        .unwrap()
        .build(&SpeedSetup::default(), 7)
        .unwrap()
}

fn is_element_wise(k: &LayerKind) -> bool {
    matches!(
        k,
        LayerKind::Activation(_)
            | LayerKind::Add
            | LayerKind::Concat
            | LayerKind::Shuffle { .. }
            | LayerKind::Shift { .. }
            | LayerKind::Split
    )
}

#[test]
fn block_ids_are_stable_and_round_trip() {
    let ids: Vec<&str> = SpeedBlock::ALL.iter().map(|b| b.id()).collect();
    assert_eq!(
        ids,
        [
            "standard",
            "grouped",
            "separable",
            "fire",
            "inverted-residual",
            "shuffle-unit",
            "ghost",
            "shift",
            "dilated"
        ]
    );
    for b in SpeedBlock::ALL {
        assert_eq!(SpeedBlock::from_id(b.id()).unwrap(), b);
        assert_eq!(b.build(&SpeedSetup::default(), 0).unwrap().id(), b.id());
    }
    let e = SpeedBlock::from_id("mobilenet").unwrap_err().to_string();
    assert!(
        e.contains("\"mobilenet\"") && e.contains("inverted-residual"),
        "{e}"
    );
}

/// Parameters and multiply–adds of every block at 64×56×56 → 64, counted by hand
/// (a bias on every conv, no BatchNorm).
#[test]
fn default_params_and_macs_match_hand_counts() {
    let want: [(&str, u64, u64); 9] = [
        // 3×3·64·64 + 64 biases
        ("standard", 9 * 64 * 64 + 64, HW * 9 * 64 * 64),
        // 3×3·(64/4)·64 + 64
        ("grouped", 9 * 16 * 64 + 64, HW * 9 * 16 * 64),
        // dw 9·64 + 64, pw 64·64 + 64
        ("separable", 640 + 4160, HW * (9 * 64 + 64 * 64)),
        // S = 8, E1 = E3 = 32: (64+1)·8 + (8+1)·32 + (9·8+1)·32
        (
            "fire",
            520 + 288 + 2336,
            HW * (64 * 8 + 8 * 32 + 9 * 8 * 32),
        ),
        // hidden 384: expand 64·384 + 384, dw 9·384 + 384, project 384·64 + 64
        (
            "inverted-residual",
            24_960 + 3840 + 24_640,
            HW * (64 * 384 + 9 * 384 + 384 * 64),
        ),
        // bottleneck 16, g = 4: 16·16 + 16, 9·16 + 16, 4·64 + 64
        (
            "shuffle-unit",
            272 + 160 + 320,
            HW * (16 * 16 + 9 * 16 + 4 * 64),
        ),
        // m = 32: primary 64·32 + 32, cheap 9·32 + 32
        ("ghost", 2080 + 320, HW * (64 * 32 + 9 * 32)),
        // two 1×1 64 → 64 with bias
        ("shift", 2 * 4160, HW * 2 * 64 * 64),
        ("dilated", 9 * 64 * 64 + 64, HW * 9 * 64 * 64),
    ];
    for (id, params, macs) in want {
        let c = case(id);
        assert_eq!(c.params(), params, "{id} params");
        assert_eq!(c.cost().params, params, "{id} table params");
        assert_eq!(c.macs(), macs, "{id} MACs");
        // the crate's own count from the same layers
        assert_eq!(c.net().macs(56, 56).unwrap(), macs, "{id} Net::macs");
        assert_eq!(c.output(), [64, 56, 56], "{id} output");
    }
}

/// Memory access cost by hand: every layer reads its inputs and weights and writes its output.
#[test]
fn default_bytes_match_hand_counts() {
    let b = |values: u64| values * BYTES_PER_VALUE;
    // standard: read a map, 36 928 weights, write a map
    assert_eq!(case("standard").bytes(), b(MAP + 36_928 + MAP));
    assert_eq!(case("dilated").bytes(), case("standard").bytes());
    // separable: dw, ReLU, pw, ReLU
    let sep = (MAP + 640 + MAP) + 2 * MAP + (MAP + 4160 + MAP) + 2 * MAP;
    assert_eq!(case("separable").bytes(), b(sep));
    // inverted residual: expand (map → 6 maps), ReLU6, dw, ReLU6, project, add (2 in, 1 out)
    let ir = (MAP + 24_960 + 6 * MAP)
        + 12 * MAP
        + (6 * MAP + 3840 + 6 * MAP)
        + 12 * MAP
        + (6 * MAP + 24_640 + MAP)
        + 3 * MAP;
    assert_eq!(case("inverted-residual").bytes(), b(ir));
    // ghost: primary (map → half), ReLU, cheap (half → half), ReLU, concat (2 halves → map)
    let half = MAP / 2;
    let ghost = (MAP + 2080 + half) + 2 * half + (half + 320 + half) + 2 * half + 2 * MAP;
    assert_eq!(case("ghost").bytes(), b(ghost));
    let c = case("standard");
    assert!((c.intensity() - c.macs() as f64 / c.bytes() as f64).abs() < 1e-12);
}

#[test]
fn element_wise_layers_have_no_macs_but_cost_bytes() {
    let mut seen = 0;
    for c in defaults() {
        let cost = c.cost();
        assert_eq!(cost.layers.len(), c.net().graph().nodes().len());
        for l in &cost.layers {
            assert!(l.bytes() > 0, "{} {}", c.id(), l.name);
            if is_element_wise(&l.kind) {
                assert_eq!(l.macs, 0, "{} {}", c.id(), l.name);
                assert_eq!(l.weights, 0, "{} {}", c.id(), l.name);
                seen += 1;
            }
        }
        let sum: u64 = cost.layers.iter().map(|l| l.bytes()).sum();
        assert_eq!(sum, cost.bytes, "{}", c.id());
    }
    // ReLUs, adds, a shuffle, a shift and concats across the nine blocks
    assert!(seen >= 15, "only {seen} element-wise layers");
}

#[test]
fn every_block_runs_the_real_forward_pass() {
    let setup = shape(16, 9, 7, 16, 2);
    for b in SpeedBlock::ALL {
        let c = b.build(&setup, 3).unwrap();
        let x = c.input_tensor(4).unwrap();
        let y = c.forward(&x).unwrap();
        assert_eq!(y.shape(), c.output(), "{}", b.id());
        assert_eq!(y, c.net().forward(&x).unwrap(), "{}", b.id());
        let again = b.build(&setup, 3).unwrap().forward(&x).unwrap();
        assert_eq!(y, again, "{}: same seed, same weights", b.id());
        let other = b.build(&setup, 5).unwrap().forward(&x).unwrap();
        assert_ne!(y, other, "{}: another seed, other weights", b.id());
        assert!(c.forward(&Tensor::random(15, 9, 7, 0).unwrap()).is_err());
    }
}

#[test]
fn impossible_shapes_are_the_crates_errors() {
    let base = SpeedSetup::default();
    let grouped = SpeedBlock::Grouped.build(&SpeedSetup { groups: 3, ..base }, 0);
    assert_eq!(
        grouped.unwrap_err().to_string(),
        "conv2d: groups (3) must divide in_channels (64)"
    );
    // 64/4 = 16 bottleneck channels do not split into 32 groups
    assert!(SpeedBlock::ShuffleUnit
        .build(&SpeedSetup { groups: 32, ..base }, 0)
        .is_err());
    // the ShuffleNet unit adds its input: N must equal C
    let e = SpeedBlock::ShuffleUnit.build(&SpeedSetup { n: 128, ..base }, 0);
    assert!(e
        .unwrap_err()
        .to_string()
        .contains("must equal in_channels"));
    // blocks that need no groups do not care about them
    assert!(SpeedBlock::Standard
        .build(&SpeedSetup { groups: 3, ..base }, 0)
        .is_ok());
    for b in SpeedBlock::ALL {
        for bad in [
            SpeedSetup { c: 0, ..base },
            SpeedSetup { h: 0, ..base },
            SpeedSetup { w: 0, ..base },
            SpeedSetup { n: 0, ..base },
            SpeedSetup { groups: 0, ..base },
        ] {
            let e = b.build(&bad, 0).unwrap_err();
            assert!(
                matches!(e, Error::InvalidSpec { .. }),
                "{} {bad:?}: {e}",
                b.id()
            );
        }
        for huge in [
            SpeedSetup {
                c: usize::MAX,
                ..base
            },
            SpeedSetup {
                h: usize::MAX,
                ..base
            },
            SpeedSetup { n: 1 << 40, ..base },
            SpeedSetup {
                groups: usize::MAX,
                ..base
            },
        ] {
            let e = b.build(&huge, 0).unwrap_err();
            assert!(
                matches!(e, Error::TooLarge { .. }),
                "{} {huge:?}: {e}",
                b.id()
            );
        }
    }
}

#[test]
fn work_past_the_case_limits_is_refused_before_allocating() {
    // Within the setup caps, far past the per-case work: 512² · 9 · 1024² MACs.
    let big = shape(1024, 512, 512, 1024, 4);
    assert!(big.validate().is_ok());
    let start = std::time::Instant::now();
    for (b, r) in big.build_all(0) {
        let e = r.unwrap_err();
        assert!(matches!(e, Error::TooLarge { .. }), "{}: {e}", b.id());
    }
    assert!(start.elapsed().as_secs() < 5, "refusing must not compute");
    // maps of exactly the largest size, but 128²·9·1024² multiply–adds
    let wide = shape(1024, 128, 128, 1024, 4);
    let e = SpeedBlock::Standard
        .build(&wide, 0)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("multiply-adds") && e.contains(&MAX_CASE_MACS.to_string()),
        "{e}"
    );
}

#[test]
fn time_forward_checks_once_then_times() {
    let c = SpeedBlock::Separable
        .build(&shape(8, 4, 4, 8, 1), 0)
        .unwrap();
    let x = c.input_tensor(1).unwrap();
    // A clock that advances 2 ms per reading: each sample spans one reading pair.
    let now = Cell::new(0.0);
    let clock = || {
        now.set(now.get() + 2.0);
        now.get()
    };
    let opts = TimingOptions {
        min_sample_ms: 0.0,
        ..TimingOptions::default()
    };
    let t = c.time_forward(&x, clock, &opts).unwrap();
    assert_eq!((t.median_ms, t.stop, t.runs), (2.0, Stop::Stable, 5));
    let wrong = Tensor::random(3, 4, 4, 0).unwrap();
    let calls = Cell::new(0);
    let err = c.time_forward(
        &wrong,
        || {
            calls.set(calls.get() + 1);
            0.0
        },
        &opts,
    );
    assert!(err.is_err());
    assert_eq!(calls.get(), 0, "a failing forward is never timed");
}

fn within(v: u64, reference: u64, tol: f64) -> bool {
    (v as f64 - reference as f64).abs() <= tol * reference as f64
}

#[test]
fn g1_equal_widths_move_the_fewest_bytes() {
    for base in [128, 256, 512, 64, 100] {
        let s = GuidelineSetup { base, h: 56, w: 56 };
        let cases = Guideline::G1.cases(&s, 0).unwrap();
        assert_eq!(cases.len(), 4);
        let ref_macs = cases[0].macs();
        assert_eq!(ref_macs, 2 * HW * (base * base) as u64);
        let mut prev = 0;
        for c in &cases {
            let [c1, ..] = c.input();
            let c2 = c.cost().layers[0].output[0];
            // two bias-free 1×1 convs: twice equation (1), 4 bytes a value
            assert_eq!(
                c.bytes(),
                2 * 4 * pointwise_mac(56, 56, c1, c2),
                "{}",
                c.id()
            );
            // the paper's widths hold c1·c2 within 5.1 % (36·432 = 15552 vs 16384)
            assert!(within(c.macs(), ref_macs, 0.051), "{} base {base}", c.id());
            assert!(
                c.bytes() > prev,
                "{}: bytes grow as the widths part",
                c.id()
            );
            prev = c.bytes();
        }
    }
    let paper = Guideline::G1.cases(&GuidelineSetup::default(), 0).unwrap();
    let labels: Vec<&str> = paper.iter().map(|c| c.label()).collect();
    assert_eq!(labels[1], "1:2 (c1 = 90, c2 = 180)");
    assert_eq!(labels[3], "1:12 (c1 = 36, c2 = 432)");
}

#[test]
fn g2_more_groups_at_fixed_macs_move_more_bytes() {
    for base in [128, 256, 512, 64, 96] {
        let s = GuidelineSetup { base, h: 56, w: 56 };
        let cases = Guideline::G2.cases(&s, 0).unwrap();
        let ids: Vec<&str> = cases.iter().map(|c| c.id()).collect();
        assert_eq!(ids, ["g2-g1", "g2-g2", "g2-g4", "g2-g8"]);
        let mut prev = 0;
        for (c, g) in cases.iter().zip([1, 2, 4, 8]) {
            let ch = c.input()[0];
            let mac = grouped_pointwise_mac(56, 56, ch, ch, g).unwrap();
            assert_eq!(c.bytes(), 4 * mac, "{}", c.id());
            // 180²/2 = 16200 vs 128² = 16384: within 1.2 % for the paper's widths
            let tol = if [128, 256, 512].contains(&base) {
                0.012
            } else {
                0.05
            };
            assert!(
                within(c.macs(), cases[0].macs(), tol),
                "{} base {base}",
                c.id()
            );
            assert!(c.bytes() > prev, "{}", c.id());
            prev = c.bytes();
        }
    }
}

#[test]
fn g3_fragments_keep_macs_and_add_bytes() {
    let cases = Guideline::G3.cases(&GuidelineSetup::default(), 0).unwrap();
    let ids: Vec<&str> = cases.iter().map(|c| c.id()).collect();
    assert_eq!(
        ids,
        [
            "g3-1",
            "g3-2-series",
            "g3-2-parallel",
            "g3-4-series",
            "g3-4-parallel"
        ]
    );
    let by = |id: &str| cases.iter().find(|c| c.id() == id).unwrap();
    let one = by("g3-1");
    assert_eq!(one.macs(), HW * 128 * 128);
    // parallel: exactly the 1-fragment's MACs; series: 2·91² and 4·64² ≈ 128²
    assert_eq!(by("g3-2-parallel").macs(), one.macs());
    assert_eq!(by("g3-4-parallel").macs(), one.macs());
    assert_eq!(by("g3-2-series").macs(), HW * 2 * 91 * 91);
    assert_eq!(by("g3-4-series").macs(), one.macs());
    for c in &cases {
        assert!(within(c.macs(), one.macs(), 0.011), "{}", c.id());
    }
    let bytes = |id: &str| by(id).bytes();
    assert!(bytes("g3-1") < bytes("g3-2-series") && bytes("g3-2-series") < bytes("g3-4-series"));
    assert!(
        bytes("g3-1") < bytes("g3-2-parallel") && bytes("g3-2-parallel") < bytes("g3-4-parallel")
    );
    // each branch reads the whole input again, and the concat moves the result
    assert!(bytes("g3-2-parallel") > bytes("g3-2-series"));
    let convs = |id: &str| by(id).net().convs().len();
    assert_eq!(
        [convs("g3-1"), convs("g3-2-series"), convs("g3-4-parallel")],
        [1, 2, 4]
    );
}

#[test]
fn g4_element_wise_ops_add_bytes_not_macs() {
    for base in [32, 64, 128, 256] {
        let s = GuidelineSetup { base, h: 56, w: 56 };
        let cases = Guideline::G4.cases(&s, 0).unwrap();
        let ids: Vec<&str> = cases.iter().map(|c| c.id()).collect();
        assert_eq!(
            ids,
            ["g4-relu-shortcut", "g4-relu", "g4-shortcut", "g4-none"]
        );
        let m = (base / 4) as u64;
        let macs = HW * (base as u64 * m * 2 + 9 * m * m);
        for c in &cases {
            assert_eq!(c.macs(), macs, "{} base {base}", c.id());
            assert_eq!(c.params(), base as u64 * m * 2 + 9 * m * m, "{}", c.id());
        }
        let b: Vec<u64> = cases.iter().map(SpeedCase::bytes).collect();
        assert!(
            b[0] > b[1] && b[0] > b[2] && b[1] > b[3] && b[2] > b[3],
            "{b:?}"
        );
        // what removing each costs, by hand: 3 ReLUs (two on c/4 maps, one on c), one add
        let map = HW * base as u64;
        let relus = 4 * 2 * (2 * HW * m + map);
        let add = 4 * 3 * map;
        assert_eq!(b[0] - b[2], relus);
        assert_eq!(b[0] - b[1], add);
        assert_eq!(b[0] - b[3], relus + add);
    }
}

#[test]
fn guideline_setups_refuse_silly_sizes() {
    for g in Guideline::ALL {
        for s in [
            GuidelineSetup {
                base: 0,
                h: 56,
                w: 56,
            },
            GuidelineSetup {
                base: 128,
                h: 0,
                w: 56,
            },
            GuidelineSetup {
                base: usize::MAX,
                h: 56,
                w: 56,
            },
            GuidelineSetup {
                base: 128,
                h: 56,
                w: usize::MAX,
            },
        ] {
            assert!(g.cases(&s, 0).is_err(), "{} {s:?}", g.id());
        }
        // within the caps but past the per-case work: refused, not computed
        let big = GuidelineSetup {
            base: 1024,
            h: 512,
            w: 512,
        };
        let e = g.cases(&big, 0).unwrap_err();
        assert!(matches!(e, Error::TooLarge { .. }), "{}: {e}", g.id());
    }
    assert!(Guideline::G3
        .cases(
            &GuidelineSetup {
                base: 3,
                h: 4,
                w: 4
            },
            0
        )
        .is_err());
    assert!(Guideline::G3
        .cases(
            &GuidelineSetup {
                base: 4,
                h: 4,
                w: 4
            },
            0
        )
        .is_ok());
}

fn print_table(title: &str, cases: &[SpeedCase]) {
    let width = cases
        .iter()
        .map(|c| c.label().chars().count())
        .max()
        .unwrap_or(0);
    println!("\n{title}\n");
    println!("| id | case | params | MACs | bytes | MAC/byte |");
    println!("|---|---|---:|---:|---:|---:|");
    for c in cases {
        println!(
            "| {:<17} | {:<width$} | {:>6} | {:>10} | {:>9} | {:>6.2} |",
            c.id(),
            c.label(),
            c.params(),
            c.macs(),
            c.bytes(),
            c.intensity()
        );
    }
}

#[test]
fn print_default_cost_tables() {
    let blocks = defaults();
    print_table("Blocks at 64×56×56 → 64, groups 4", &blocks);
    for g in Guideline::ALL {
        let cases = g.cases(&GuidelineSetup::default(), 0).unwrap();
        print_table(
            &format!("{} ({}, base 128, 56×56)", g.title(), g.table()),
            &cases,
        );
    }
    // The lesson's headline: the inverted residual does more multiply–adds than the
    // standard conv it replaces here, and the separable block moves almost as many bytes.
    let by = |id: &str| blocks.iter().find(|c| c.id() == id).unwrap();
    assert!(by("inverted-residual").macs() > by("standard").macs());
    assert!(by("separable").intensity() < by("standard").intensity() / 5.0);
}

/// Builds every block on random setups, zero and huge sizes included: never a
/// panic, and every accepted case agrees with the crate's own counts. A refused
/// setup is skipped, so the accepted (setup, block) pairs are counted and must
/// reach a floor: a regression refusing everything would otherwise pass.
#[test]
fn random_setups_build_or_refuse() {
    const CASES: u32 = 96;
    let ran = Cell::new(0usize);
    let accepted = Cell::new(0usize);
    proptest!(ProptestConfig::with_cases(CASES), |(
        c in prop_oneof![8 => 0usize..40, 1 => Just(usize::MAX), 1 => Just(5000usize)],
        h in prop_oneof![9 => 0usize..10, 1 => Just(1usize << 20)],
        w in 0usize..10,
        n in prop_oneof![8 => 0usize..40, 1 => Just(2000usize)],
        same in any::<bool>(),
        groups in 0usize..9,
        seed in any::<u64>(),
    )| {
        let n = if same { c } else { n };
        let setup = SpeedSetup { c, h, w, n, groups };
        for b in SpeedBlock::ALL {
            ran.set(ran.get() + 1);
            let Ok(case) = b.build(&setup, seed) else { continue };
            accepted.set(accepted.get() + 1);
            prop_assert_eq!(case.params(), case.cost().params);
            prop_assert_eq!(case.macs(), case.net().macs(h, w).unwrap());
            let y = case.forward(&case.input_tensor(seed).unwrap()).unwrap();
            prop_assert_eq!(y.shape(), case.output());
        }
    });
    let (ran, accepted) = (ran.get(), accepted.get());
    assert!(ran >= CASES as usize * SpeedBlock::ALL.len(), "ran {ran}");
    // Measured: 329–370 of 864 pairs (38–43 %) over six runs; the floor is half that.
    const FLOOR: usize = 20;
    assert!(
        accepted * 100 >= ran * FLOOR,
        "{accepted} of {ran} accepted"
    );
}
