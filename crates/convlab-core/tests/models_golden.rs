//! Golden totals of the model zoo.
//!
//! Sources: the torchvision figures are the "Params" of the torchvision model
//! documentation (`torchvision.models.*`, 1000 classes, classifier included,
//! BatchNorm = 2 learned parameters per channel, no conv bias before BatchNorm),
//! i.e. `sum(p.numel() for p in model.parameters())`. MobileNet v1: the paper's
//! Table 1 (Howard et al. 2017) says 4.2 M parameters and 569 M mult-adds; with
//! BatchNorm counted the usual figure is 4,231,976. GhostNet: the paper says
//! 5.2 M parameters and 141 M FLOPs (mult-adds) at 1.0×.

use convlab_core::models::{Knobs, Zoo};
use convlab_core::{Convention, CostSummary};

fn build(zoo: Zoo, knobs: Knobs) -> convlab_core::models::ModelTable {
    zoo.build(&knobs, Convention::TORCHVISION, false).unwrap()
}

fn params(zoo: Zoo) -> u64 {
    build(zoo, zoo.default_knobs()).totals().params
}

#[test]
fn torchvision_squeezenet1_0() {
    // torchvision squeezenet1_0: 1,248,424
    assert_eq!(params(Zoo::SqueezeNet1_0), 1_248_424);
}

#[test]
fn torchvision_squeezenet1_1() {
    // torchvision squeezenet1_1: 1,235,496
    assert_eq!(params(Zoo::SqueezeNet1_1), 1_235_496);
}

#[test]
fn squeezenet_has_no_batchnorm_so_convention_does_not_change_it() {
    for zoo in [
        Zoo::SqueezeNet1_0,
        Zoo::SqueezeNet1_1,
        Zoo::AlexNet,
        Zoo::Vgg16,
    ] {
        let k = zoo.default_knobs();
        let a = zoo.build(&k, Convention::LECTURE, false).unwrap();
        let b = zoo.build(&k, Convention::TORCHVISION, false).unwrap();
        assert_eq!(a.totals(), b.totals(), "{}", zoo.name());
    }
}

#[test]
fn torchvision_mobilenet_v2() {
    // torchvision mobilenet_v2: 3,504,872 params, 0.30 GFLOPS (really GMACs): 300,774,272 here.
    let m = build(Zoo::MobileNetV2, Zoo::MobileNetV2.default_knobs());
    assert_eq!(m.totals().params, 3_504_872);
    assert_eq!(m.conv_linear_macs(), 300_774_272);
}

#[test]
fn torchvision_shufflenet_v2_all_scales() {
    // torchvision shufflenet_v2_x0_5 / x1_0 / x1_5 / x2_0.
    for (scale, want) in [
        (0.5, 1_366_792),
        (1.0, 2_278_604),
        (1.5, 3_503_624),
        (2.0, 7_393_996),
    ] {
        let k = Knobs {
            width: scale,
            ..Zoo::ShuffleNetV2.default_knobs()
        };
        assert_eq!(
            build(Zoo::ShuffleNetV2, k).totals().params,
            want,
            "×{scale}"
        );
    }
}

#[test]
fn mobilenet_v1_paper() {
    // Paper: 4.2 M params, 569 M mult-adds at 224. Exact: 4,231,976 with
    // BatchNorm (no conv bias), 4,210,088 without BatchNorm (conv weights, fc weights and fc bias), 4,221,032 with a bias
    // on every conv and no BatchNorm; 568,740,352 conv + fc mult-adds.
    let m = build(Zoo::MobileNetV1, Zoo::MobileNetV1.default_knobs());
    assert_eq!(m.totals().params, 4_231_976);
    assert_eq!(m.conv_linear_macs(), 568_740_352);
    let weights: u64 = m
        .layers()
        .filter(|l| l.is_conv_or_linear())
        .map(|l| l.params)
        .sum::<u64>();
    assert_eq!(weights, 4_210_088);
    let lecture = Zoo::MobileNetV1
        .build(
            &Zoo::MobileNetV1.default_knobs(),
            Convention::LECTURE,
            false,
        )
        .unwrap();
    assert_eq!(lecture.totals().params, 4_221_032);
}

#[test]
fn mobilenet_v1_width_and_resolution() {
    // Paper Table 6 (α at 224): 1.0 569 M / 4.2 M, 0.75 325 M / 2.6 M, 0.5 149 M / 1.3 M,
    // 0.25 41 M / 0.5 M; Table 7 (α = 1): 192 418 M, 160 290 M, 128 186 M.
    // Mult-adds rounded to millions, params to 0.1 M (the paper's params exclude BatchNorm).
    let k = |width, resolution| Knobs {
        width,
        resolution,
        ..Zoo::MobileNetV1.default_knobs()
    };
    let m_macs = |width, res| {
        let m = Zoo::MobileNetV1
            .build(&k(width, res), Convention::LECTURE, false)
            .unwrap();
        (
            (m.conv_linear_macs() + 500_000) / 1_000_000,
            (m.totals().params + 50_000) / 100_000,
        )
    };
    assert_eq!(m_macs(1.0, 224), (569, 42));
    assert_eq!(m_macs(0.75, 224), (325, 26));
    assert_eq!(m_macs(0.5, 224), (149, 13));
    assert_eq!(m_macs(0.25, 224), (41, 5));
    // Exact here: 418.3 M, 290.7 M, 186.2 M; the paper rounds 290.7 down to 290.
    assert_eq!(m_macs(1.0, 192).0, 418);
    assert_eq!(m_macs(1.0, 160).0, 291);
    assert_eq!(m_macs(1.0, 128).0, 186);
}

#[test]
fn ghostnet_1x() {
    // Paper: 5.2 M params, 141 M mult-adds. Exact here (official implementation's layers): 5,182,508.
    let m = build(Zoo::GhostNet, Zoo::GhostNet.default_knobs());
    assert_eq!(m.totals().params, 5_182_508);
    assert_eq!((m.conv_linear_macs() + 500_000) / 1_000_000, 141);
}

#[test]
fn shufflenet_v1_paper_complexity() {
    // Paper Table 2: ShuffleNet 1× about 140 M FLOPs (mult-adds) for every g.
    for g in [1, 2, 3, 4, 8] {
        let k = Knobs {
            groups: g,
            ..Zoo::ShuffleNetV1.default_knobs()
        };
        let macs = build(Zoo::ShuffleNetV1, k).conv_linear_macs();
        assert!(
            (130_000_000..146_000_000).contains(&macs),
            "g = {g}: {macs}"
        );
    }
}

#[test]
fn baselines() {
    // torchvision alexnet 61,100,840; vgg16 138,357,544.
    assert_eq!(params(Zoo::AlexNet), 61_100_840);
    assert_eq!(params(Zoo::Vgg16), 138_357_544);
}

#[test]
fn stage_totals_add_up_to_the_model() {
    for zoo in Zoo::ALL {
        for twin in [false, true] {
            let m = zoo
                .build(&zoo.default_knobs(), Convention::TORCHVISION, twin)
                .unwrap();
            let sum = m.stages.iter().fold(CostSummary::default(), |a, s| {
                let t = s.totals();
                CostSummary {
                    params: a.params + t.params,
                    macs: a.macs + t.macs,
                    moved: a.moved + t.moved,
                    activations: a.activations + t.activations,
                    peak_activation: a.peak_activation.max(t.peak_activation),
                }
            });
            assert_eq!(sum, m.totals(), "{}", m.name);
            assert_eq!(m.output(), [zoo.default_knobs().classes, 1, 1]);
            // Each layer reads what the previous one wrote, except branch heads.
            assert!(m.stages.iter().all(|s| !s.layers.is_empty()), "{}", m.name);
        }
    }
}

#[test]
fn twin_replaces_exactly_the_compact_blocks() {
    // Twin of MobileNet v1 = a 3×3 conv + BN + ReLU in place of each of the 13 blocks.
    let k = Zoo::MobileNetV1.default_knobs();
    let twin = Zoo::MobileNetV1
        .build(&k, Convention::TORCHVISION, true)
        .unwrap();
    let convs: Vec<_> = twin
        .layers()
        .filter(|l| l.is_conv_or_linear())
        .map(|l| l.kind.type_name())
        .collect();
    assert_eq!(convs.len(), 1 + 13 + 1);
    assert!(convs[..14].iter().all(|t| t == "conv 3×3"));
    // Same output shapes block by block as the compact model.
    let compact = Zoo::MobileNetV1
        .build(&k, Convention::TORCHVISION, false)
        .unwrap();
    let ends = |m: &convlab_core::models::ModelTable| -> Vec<[usize; 3]> {
        m.stages
            .iter()
            .map(|s| s.layers.last().unwrap().output)
            .collect()
    };
    assert_eq!(ends(&compact), ends(&twin));
    // Baselines have no compact blocks: their twin is themselves.
    let vgg = Zoo::Vgg16.default_knobs();
    assert_eq!(
        Zoo::Vgg16
            .build(&vgg, Convention::TORCHVISION, true)
            .unwrap()
            .totals(),
        Zoo::Vgg16
            .build(&vgg, Convention::TORCHVISION, false)
            .unwrap()
            .totals()
    );
}

#[test]
fn every_model_builds_at_every_published_knob() {
    for zoo in Zoo::ALL {
        for r in zoo.knobs() {
            let values: Vec<f64> = if r.allowed.is_empty() {
                vec![r.min, r.default, r.max]
            } else {
                r.allowed.to_vec()
            };
            for v in values {
                let mut k = zoo.default_knobs();
                match r.knob {
                    convlab_core::models::Knob::Width => k.width = v,
                    convlab_core::models::Knob::Resolution => k.resolution = v as usize,
                    convlab_core::models::Knob::Groups => k.groups = v as usize,
                    convlab_core::models::Knob::Expansion => k.expansion = v as usize,
                    convlab_core::models::Knob::Classes => k.classes = v as usize,
                }
                for cv in [Convention::LECTURE, Convention::TORCHVISION] {
                    let m = zoo.build(&k, cv, false);
                    assert!(
                        m.is_ok(),
                        "{} {:?} = {v}: {:?}",
                        zoo.name(),
                        r.knob,
                        m.err()
                    );
                    // A twin's 3×3 convs can pass the weight limit at the widest settings
                    // (e.g. ShuffleNet v1 2× g = 8: 3072 → 3072): then a readable TooLarge.
                    match zoo.build(&k, cv, true) {
                        Ok(_) => {}
                        Err(convlab_core::Error::TooLarge {
                            what: "weights", ..
                        }) => {
                            assert!(v >= 1.4, "{} {:?} = {v}", zoo.name(), r.knob)
                        }
                        Err(e) => panic!("{} {:?} = {v}: {e}", zoo.name(), r.knob),
                    }
                }
            }
        }
    }
}

#[test]
fn invalid_knobs_are_readable_errors() {
    let k = Zoo::ShuffleNetV1.default_knobs();
    let e = Zoo::ShuffleNetV1
        .build(&Knobs { groups: 5, ..k }, Convention::TORCHVISION, false)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "ShuffleNet v1: groups g = 5 is not one of 1, 2, 3, 4, 8"
    );
    let e = Zoo::GhostNet
        .build(
            &Knobs {
                width: f64::NAN,
                ..k
            },
            Convention::TORCHVISION,
            false,
        )
        .unwrap_err();
    assert!(
        e.to_string().contains("width = NaN is outside 0.5 … 1.3"),
        "{e}"
    );
    let e = Zoo::ShuffleNetV2
        .build(&Knobs { width: 0.7, ..k }, Convention::TORCHVISION, false)
        .unwrap_err();
    assert!(e.to_string().contains("not one of 0.5, 1, 1.5, 2"), "{e}");
    for res in [0, 1, 31, 1025, usize::MAX] {
        let e = Zoo::Vgg16.build(
            &Knobs {
                resolution: res,
                ..k
            },
            Convention::TORCHVISION,
            false,
        );
        assert!(e.is_err(), "resolution {res}");
    }
    let e = Zoo::AlexNet.build(&Knobs { classes: 0, ..k }, Convention::TORCHVISION, false);
    assert!(e.is_err());
    assert!(Zoo::from_id("nope")
        .unwrap_err()
        .to_string()
        .contains("mobilenet_v2"));
    for z in Zoo::ALL {
        assert_eq!(Zoo::from_id(z.id()).unwrap(), z);
    }
}

#[test]
fn small_resolutions_are_errors_or_tables_never_panics() {
    let (mut built, mut refused) = (0, 0);
    for zoo in Zoo::ALL {
        for res in [32, 33, 40, 47, 63, 64, 100] {
            let k = Knobs {
                resolution: res,
                ..zoo.default_knobs()
            };
            for r in [
                zoo.build(&k, Convention::TORCHVISION, false),
                zoo.build(&k, Convention::LECTURE, true),
            ] {
                match r {
                    Ok(t) => {
                        built += 1;
                        assert!(
                            t.totals().params > 0 && !t.stages.is_empty(),
                            "{} at {res}: an empty table",
                            zoo.name()
                        );
                    }
                    Err(e) => {
                        refused += 1;
                        assert!(!e.to_string().is_empty(), "{} at {res}", zoo.name());
                        assert!(res < 64, "{} refuses {res}: {e}", zoo.name());
                    }
                }
            }
        }
    }
    // Every network builds at 64 and 100; some refuse the smallest inputs.
    assert!(
        built >= 4 * Zoo::ALL.len(),
        "{built} built, {refused} refused"
    );
}

#[test]
fn shufflenet_v1_stage2_first_unit_has_no_group_conv_on_its_first_1x1() {
    let k = Knobs {
        groups: 8,
        ..Zoo::ShuffleNetV1.default_knobs()
    };
    let m = build(Zoo::ShuffleNetV1, k);
    let stage2 = m.stages.iter().find(|s| s.name == "stage2").unwrap();
    let first = stage2.layers.first().unwrap();
    assert_eq!(first.name, "unit1.gconv1 1×1 (g=1)");
    assert_eq!(first.kind.type_name(), "conv 1×1");
    // 24 → 96 (= 384/4), no groups, no bias before BN.
    assert_eq!(first.params, 24 * 96);
    // Every later first 1×1 is grouped, including the first unit of stage 3.
    let stage3 = m.stages.iter().find(|s| s.name == "stage3").unwrap();
    assert_eq!(stage3.layers[0].kind.type_name(), "gconv 1×1 (g=8)");
    // The stride-2 unit's branch makes out − in channels; concat restores out.
    let cat = stage2
        .layers
        .iter()
        .find(|l| l.name == "unit1.concat")
        .unwrap();
    assert_eq!(cat.output, [384, 28, 28]);
}

#[test]
fn shift_resnet20_expansion_1() {
    // The ShiftNet paper's ShiftResNet-20 as its CIFAR implementation defines it
    // (ResNet with ShiftConv blocks, 10 classes), counted by hand:
    // stem 3·9·16 + 32 = 464; stage 1: 3 × (16·16 + 32 + 16·16 + 32) = 1728;
    // stage 2: 16·32 + 64 + 32·32 + 64 + shortcut 16·32 + 64 = 2240, then 2 × 2176;
    // stage 3: 32·64 + 128 + 64·64 + 128 + 32·64 + 128 = 8576, then 2 × 8448; fc 64·10 + 10.
    let m = build(Zoo::ShiftResNet20, Zoo::ShiftResNet20.default_knobs());
    assert_eq!(
        m.totals().params,
        464 + 1728 + 2240 + 2 * 2176 + 8576 + 2 * 8448 + 650
    );
    assert_eq!(m.totals().params, 34_906);
    // The shifts themselves: zero parameters, zero MACs, every element moved.
    let shifts: Vec<_> = m
        .layers()
        .filter(|l| l.name.ends_with("shift 3×3"))
        .collect();
    assert_eq!(shifts.len(), 9);
    assert!(shifts
        .iter()
        .all(|l| l.params == 0 && l.macs == 0 && l.moved > 0));
}

#[test]
fn mobilenet_v2_width_multipliers() {
    // The MobileNet v2 reference table (TF-slim, 224×224) lists millions of MACs:
    // α = 1.4: 582, 1.3: 509, 1.0: 300, 0.75: 209, 0.5: 97, 0.35: 59 (truncated).
    for (alpha, mmacs) in [
        (1.4, 582),
        (1.3, 509),
        (1.0, 300),
        (0.75, 209),
        (0.5, 97),
        (0.35, 59),
    ] {
        let k = Knobs {
            width: alpha,
            ..Zoo::MobileNetV2.default_knobs()
        };
        assert_eq!(
            build(Zoo::MobileNetV2, k).conv_linear_macs() / 1_000_000,
            mmacs,
            "α = {alpha}"
        );
    }
}

#[test]
fn ghostnet_widths() {
    // Paper Table 7: 0.5× 2.6 M / 42 M, 1.3× 7.3 M / 226 M. Exact here, with the
    // official layer list: 2,587,292 / 42.3 M and 7,358,820 / 227.0 M (the paper
    // truncates 7.36 M and reports 226 M).
    let at = |w| {
        let m = build(
            Zoo::GhostNet,
            Knobs {
                width: w,
                ..Zoo::GhostNet.default_knobs()
            },
        );
        (m.totals().params, m.conv_linear_macs() / 100_000)
    };
    assert_eq!(at(0.5), (2_587_292, 423));
    assert_eq!(at(1.3), (7_358_820, 2270));
}
