//! The lecture's worked examples (docs/curriculum.md §8–10), exact.

use convlab_core::blocks::{
    DepthwiseSeparable, Fire, FireSpec, SeparableSpec, ShuffleV1Spec, ShuffleV1Unit,
};
use convlab_core::{Convention, CostSummary, LayerCost, LayerKind};

fn conv_params(layers: &[LayerCost]) -> Vec<u64> {
    layers
        .iter()
        .filter(|l| matches!(l.kind, LayerKind::Conv(_)))
        .map(|l| l.params)
        .collect()
}

fn ratio(a: u64, b: u64) -> f64 {
    (a as f64 / b as f64 * 1000.0).round() / 1000.0
}

#[test]
fn fire_module_12432_vs_147584() {
    // C = 128, S = 16, E1 = E3 = 64: (128+1)·16, (16+1)·64, (9·16+1)·64.
    let spec = FireSpec::default();
    let l = spec.layers([128, 32, 32], Convention::LECTURE).unwrap();
    assert_eq!(conv_params(&l), [2064, 1088, 9280]);
    let total = CostSummary::of(&l).params;
    assert_eq!(total, 12_432);
    let twin = CostSummary::of(
        &spec
            .twin_layers([128, 32, 32], Convention::LECTURE)
            .unwrap(),
    );
    assert_eq!(twin.params, 147_584);
    assert_eq!(ratio(total, twin.params), 0.084);
    let fire = Fire::random(spec, Convention::LECTURE, 3).unwrap();
    assert_eq!(fire.param_count(), 12_432);
}

#[test]
fn mobilenet_block_17792() {
    // 3×3 depthwise (9+1)·128 = 1280, 1×1 (128+1)·128 = 16512.
    let spec = SeparableSpec::default();
    let l = spec.layers([128, 32, 32], Convention::LECTURE).unwrap();
    assert_eq!(conv_params(&l), [1280, 16512]);
    let total = CostSummary::of(&l).params;
    assert_eq!(total, 17_792);
    let twin = CostSummary::of(
        &spec
            .twin_layers([128, 32, 32], Convention::LECTURE)
            .unwrap(),
    );
    assert_eq!(twin.params, 147_584);
    assert_eq!(
        (total as f64 / twin.params as f64 * 100.0).round() / 100.0,
        0.12
    );
    let b = DepthwiseSeparable::random(spec, Convention::LECTURE, 4).unwrap();
    assert_eq!(b.param_count(), 17_792);
}

#[test]
fn shufflenet_unit_20320_vs_518640() {
    // 240 channels, bottleneck 80, g = 2, bias on every conv:
    // 120·80 + 80 = 9680; (9+1)·80 = 800; 40·240 + 240 = 9840; (9·240+1)·240 = 518640.
    let spec = ShuffleV1Spec::default();
    let l = spec.layers([240, 28, 28], Convention::LECTURE).unwrap();
    assert_eq!(conv_params(&l), [9680, 800, 9840]);
    let total = CostSummary::of(&l).params;
    assert_eq!(total, 20_320);
    let twin = CostSummary::of(
        &spec
            .twin_layers([240, 28, 28], Convention::LECTURE)
            .unwrap(),
    );
    assert_eq!(twin.params, 518_640);
    assert_eq!(ratio(total, twin.params), 0.039);
    let u = ShuffleV1Unit::random(spec, Convention::LECTURE, 5).unwrap();
    assert_eq!(u.param_count(), 20_320);
}

#[test]
fn shufflenet_slide_figures_count_one_bias_per_group_pair() {
    // The slide says 9640, 9720 and 20160 (ratio 0.04). Those are the weights
    // plus out/g biases per grouped conv (one bias per pair of output channels
    // at g = 2), not PyTorch's one bias per output channel.
    let spec = ShuffleV1Spec::default();
    let l = spec.layers([240, 28, 28], Convention::LECTURE).unwrap();
    let slide: Vec<u64> = l
        .iter()
        .filter_map(|l| match &l.kind {
            LayerKind::Conv(s) if s.groups > 1 && s.groups < s.in_channels => {
                Some(s.weight_len() as u64 + (s.out_channels / s.groups) as u64)
            }
            LayerKind::Conv(_) => Some(l.params),
            _ => None,
        })
        .collect();
    assert_eq!(slide, [9640, 800, 9720]);
    assert_eq!(slide.iter().sum::<u64>(), 20_160);
    assert_eq!((20_160.0f64 / 518_640.0 * 100.0).round() / 100.0, 0.04);
    // The exact figures differ from the slide's by exactly the missing biases.
    assert_eq!(20_320 - 20_160, (80 - 40) + (240 - 120));
}

#[test]
fn torchvision_convention_drops_bias_and_adds_batchnorm() {
    let l = ShuffleV1Spec::default()
        .layers([240, 28, 28], Convention::TORCHVISION)
        .unwrap();
    // 120·80 + 2·80, 9·80 + 2·80, 40·240 + 2·240
    assert_eq!(
        CostSummary::of(&l).params,
        9600 + 160 + 720 + 160 + 9600 + 480
    );
    let names: Vec<&str> = l.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "gconv1 1×1 (g=2)",
            "gconv1 1×1 (g=2) BN",
            "gconv1 1×1 (g=2) ReLU",
            "shuffle (g=2)",
            "dw 3×3",
            "dw 3×3 BN",
            "gconv2 1×1 (g=2)",
            "gconv2 1×1 (g=2) BN",
            "residual add",
            "ReLU"
        ]
    );
}
