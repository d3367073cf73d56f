//! The layer lists of the zoo's models.

use super::table::{Builder, ModelTable};
use super::{Knobs, Zoo};
use crate::blocks::graph::make_divisible;
use crate::blocks::{
    Activation, FireSpec, GhostBottleneckSpec, InvertedResidualSpec, NodeOp, PoolKind, PoolSpec,
    SeparableSpec, ShiftBlockSpec, ShuffleV1Spec, ShuffleV2Spec,
};
use crate::conv::Conv2dSpec;
use crate::cost::{Convention, LayerCost};
use crate::error::{Error, Result};

/// Bias on, no BatchNorm: for convs that no BatchNorm follows in the published model.
const PLAIN: Convention = Convention::LECTURE;

pub(super) fn build(zoo: Zoo, k: &Knobs, convention: Convention, twin: bool) -> Result<ModelTable> {
    let knob_text = zoo
        .knobs()
        .iter()
        .filter(|r| r.knob != super::Knob::Classes && r.knob != super::Knob::Resolution)
        .map(|r| format!("{} = {}", r.label, r.value(k)))
        .collect::<Vec<_>>()
        .join(", ");
    let mut name = format!("{} @ {}×{}", zoo.name(), k.resolution, k.resolution);
    if !knob_text.is_empty() {
        name = format!(
            "{} ({knob_text}) @ {}×{}",
            zoo.name(),
            k.resolution,
            k.resolution
        );
    }
    if twin {
        name.push_str(", standard twin");
    }
    let mut b = Builder::new(name, [3, k.resolution, k.resolution], convention, twin);
    match zoo {
        Zoo::SqueezeNet1_0 => squeezenet(&mut b, k, true)?,
        Zoo::SqueezeNet1_1 => squeezenet(&mut b, k, false)?,
        Zoo::MobileNetV1 => mobilenet_v1(&mut b, k)?,
        Zoo::MobileNetV2 => mobilenet_v2(&mut b, k)?,
        Zoo::ShuffleNetV1 => shufflenet_v1(&mut b, k)?,
        Zoo::ShuffleNetV2 => shufflenet_v2(&mut b, k)?,
        Zoo::GhostNet => ghostnet(&mut b, k)?,
        Zoo::ShiftResNet20 => shift_resnet20(&mut b, k)?,
        Zoo::AlexNet => alexnet(&mut b, k)?,
        Zoo::Vgg16 => vgg16(&mut b, k)?,
    }
    Ok(b.finish())
}

/// conv (+ BN per `convention`) + `act` as a one-layer-group, reading the current shape.
fn conv(
    b: &mut Builder,
    name: &str,
    spec: Conv2dSpec,
    convention: Convention,
    act: Option<Activation>,
) -> Result<()> {
    let mut g = b.start()?;
    g.conv_bn(name, spec, convention, act, 0)?;
    b.graph("", &g)
}

fn pool(b: &mut Builder, name: &str, spec: PoolSpec) -> Result<()> {
    let mut g = b.start()?;
    g.push(name, NodeOp::Pool(spec), &[0])?;
    b.graph("", &g)
}

fn max_pool(kernel: usize, stride: usize, padding: usize, ceil_mode: bool) -> PoolSpec {
    PoolSpec {
        kind: PoolKind::Max,
        kernel,
        stride,
        padding,
        ceil_mode,
    }
}

/// Global average pool then a linear classifier (with bias).
fn classifier(b: &mut Builder, classes: usize) -> Result<()> {
    b.stage("classifier");
    let mut g = b.start()?;
    let p = g.push("global avgpool", NodeOp::GlobalAvgPool, &[0])?;
    let c = g.channels_of(p)?;
    g.push(
        "fc",
        NodeOp::Linear {
            inputs: c,
            outputs: classes,
            bias: true,
        },
        &[p],
    )?;
    b.graph("", &g)
}

/// torchvision's `AdaptiveAvgPool2d((side, side))`: a pooling row whose output is `side × side`.
fn adaptive_avg(b: &mut Builder, side: usize) -> Result<()> {
    let [c, h, w] = b.shape;
    let kernel = h.div_ceil(side).max(w.div_ceil(side)).max(1);
    let stride = (h / side).max(1);
    let l = LayerCost::pool(
        format!("adaptive avgpool → {side}×{side}"),
        "adaptive avg",
        kernel,
        stride,
        [c, h, w],
        [c, side, side],
    );
    b.push("", vec![l])
}

/// Linear layers on the flattened map, ReLU between (dropout has no cost).
fn mlp(b: &mut Builder, widths: &[usize]) -> Result<()> {
    for (i, &out) in widths.iter().enumerate() {
        let mut g = b.start()?;
        let inputs = crate::cost::elements(b.shape);
        let inputs =
            usize::try_from(inputs).map_err(|_| Error::invalid("linear", "input too large"))?;
        let v = g.push(
            format!("fc{}", i + 1),
            NodeOp::Linear {
                inputs,
                outputs: out,
                bias: true,
            },
            &[0],
        )?;
        if i + 1 < widths.len() {
            g.push(
                format!("fc{} ReLU", i + 1),
                NodeOp::Act(Activation::ReLU),
                &[v],
            )?;
        }
        b.graph("", &g)?;
    }
    Ok(())
}

fn squeezenet(b: &mut Builder, k: &Knobs, v1_0: bool) -> Result<()> {
    let relu = Some(Activation::ReLU);
    let p = max_pool(3, 2, 0, true);
    b.stage("conv1");
    if v1_0 {
        let spec = Conv2dSpec {
            in_channels: 3,
            out_channels: 96,
            kernel: (7, 7),
            stride: (2, 2),
            ..Default::default()
        };
        conv(b, "conv1 7×7/2", spec, PLAIN, relu)?;
    } else {
        let spec = Conv2dSpec {
            in_channels: 3,
            out_channels: 64,
            stride: (2, 2),
            ..Default::default()
        };
        conv(b, "conv1 3×3/2", spec, PLAIN, relu)?;
    }
    pool(b, "maxpool 3×3/2", p)?;
    // (name, in, squeeze, expand) with a max pool after the fires listed in `pool_after`.
    let fires: [(usize, usize, usize); 8] = if v1_0 {
        [
            (96, 16, 64),
            (128, 16, 64),
            (128, 32, 128),
            (256, 32, 128),
            (256, 48, 192),
            (384, 48, 192),
            (384, 64, 256),
            (512, 64, 256),
        ]
    } else {
        [
            (64, 16, 64),
            (128, 16, 64),
            (128, 32, 128),
            (256, 32, 128),
            (256, 48, 192),
            (384, 48, 192),
            (384, 64, 256),
            (512, 64, 256),
        ]
    };
    let pool_after: &[usize] = if v1_0 { &[4, 8] } else { &[3, 5] };
    b.stage("fire2–");
    let mut first = 2;
    for (i, &(cin, s, e)) in fires.iter().enumerate() {
        let n = i + 2;
        b.block(&format!("fire{n}"), &FireSpec::new(cin, s, e, e))?;
        if pool_after.contains(&n) {
            pool(b, &format!("maxpool 3×3/2 after fire{n}"), p)?;
            rename_last_stage(b, first, n);
            first = n + 1;
            b.stage("fire");
        }
    }
    rename_last_stage(b, first, 9);
    b.stage("classifier");
    conv(
        b,
        "conv10 1×1",
        Conv2dSpec::pointwise(512, k.classes),
        PLAIN,
        relu,
    )?;
    let mut g = b.start()?;
    g.push("global avgpool", NodeOp::GlobalAvgPool, &[0])?;
    b.graph("", &g)
}

fn rename_last_stage(b: &mut Builder, first: usize, last: usize) {
    if first == last {
        b.rename_stage(format!("fire{first}"));
    } else {
        b.rename_stage(format!("fire{first}–fire{last}"));
    }
}

fn mobilenet_v1(b: &mut Builder, k: &Knobs) -> Result<()> {
    let cv = b.convention;
    let relu = Some(Activation::ReLU);
    // TF-slim's depth(): max(int(d·α), 8).
    let depth = |d: usize| ((d as f64 * k.width) as usize).max(8);
    b.stage("conv1");
    conv(
        b,
        "conv 3×3/2",
        Conv2dSpec::standard(3, depth(32), 3).with_stride(2),
        cv,
        relu,
    )?;
    let cfg: [(usize, usize); 13] = [
        (64, 1),
        (128, 2),
        (128, 1),
        (256, 2),
        (256, 1),
        (512, 2),
        (512, 1),
        (512, 1),
        (512, 1),
        (512, 1),
        (512, 1),
        (1024, 2),
        (1024, 1),
    ];
    let mut cin = depth(32);
    let mut stage = 1;
    for (i, &(out, s)) in cfg.iter().enumerate() {
        if s == 2 || i == 0 {
            stage += 1;
            b.stage(&format!("stage{stage}"));
        }
        let out = depth(out);
        b.block(
            &format!("dsconv{}", i + 1),
            &SeparableSpec::new(cin, out, s),
        )?;
        cin = out;
    }
    classifier(b, k.classes)
}

fn mobilenet_v2(b: &mut Builder, k: &Knobs) -> Result<()> {
    let cv = b.convention;
    let relu6 = Some(Activation::ReLU6);
    let a = k.width;
    let mut cin = make_divisible(32.0 * a, 8);
    let last = make_divisible(1280.0 * a.max(1.0), 8);
    b.stage("conv1");
    conv(
        b,
        "conv 3×3/2",
        Conv2dSpec::standard(3, cin, 3).with_stride(2),
        cv,
        relu6,
    )?;
    // t, c, n, s (the paper's Table 2).
    let cfg: [(usize, usize, usize, usize); 7] = [
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    ];
    for (si, &(t, c, n, s)) in cfg.iter().enumerate() {
        b.stage(&format!(
            "bottleneck{} (t={t}, c={c}, n={n}, s={s})",
            si + 1
        ));
        let out = make_divisible(c as f64 * a, 8);
        for i in 0..n {
            let stride = if i == 0 { s } else { 1 };
            b.block(
                &format!("b{}.{}", si + 1, i + 1),
                &InvertedResidualSpec::new(cin, out, t, stride),
            )?;
            cin = out;
        }
    }
    b.stage("conv 1×1");
    conv(b, "conv 1×1", Conv2dSpec::pointwise(cin, last), cv, relu6)?;
    classifier(b, k.classes)
}

fn shufflenet_v1(b: &mut Builder, k: &Knobs) -> Result<()> {
    let cv = b.convention;
    let g = k.groups;
    let base = match g {
        1 => 144,
        2 => 200,
        3 => 240,
        4 => 272,
        8 => 384,
        _ => {
            return Err(Error::invalid(
                "ShuffleNet v1",
                format!("groups g = {g} is not one of 1, 2, 3, 4, 8"),
            ))
        }
    };
    let c2 = make_divisible(base as f64 * k.width, 4 * g);
    b.stage("conv1");
    conv(
        b,
        "conv 3×3/2",
        Conv2dSpec::standard(3, 24, 3).with_stride(2),
        cv,
        Some(Activation::ReLU),
    )?;
    pool(b, "maxpool 3×3/2", max_pool(3, 2, 1, false))?;
    let mut cin = 24;
    for (si, (out, n)) in [(c2, 4), (2 * c2, 8), (4 * c2, 4)].into_iter().enumerate() {
        b.stage(&format!("stage{}", si + 2));
        for i in 0..n {
            let spec = ShuffleV1Spec {
                in_channels: cin,
                out_channels: out,
                bottleneck: out / 4,
                groups: g,
                stride: if i == 0 { 2 } else { 1 },
                first_group_conv: !(si == 0 && i == 0),
            };
            b.block(&format!("unit{}", i + 1), &spec)?;
            cin = out;
        }
    }
    classifier(b, k.classes)
}

fn shufflenet_v2(b: &mut Builder, k: &Knobs) -> Result<()> {
    let cv = b.convention;
    let relu = Some(Activation::ReLU);
    const TABLE: [(f64, [usize; 4]); 4] = [
        (0.5, [48, 96, 192, 1024]),
        (1.0, [116, 232, 464, 1024]),
        (1.5, [176, 352, 704, 1024]),
        (2.0, [244, 488, 976, 2048]),
    ];
    let widths = TABLE
        .iter()
        .find(|(s, _)| *s == k.width)
        .map(|(_, w)| *w)
        .ok_or_else(|| {
            Error::invalid(
                "ShuffleNet v2",
                format!("scale = {} is not one of 0.5, 1, 1.5, 2", k.width),
            )
        })?;
    b.stage("conv1");
    conv(
        b,
        "conv 3×3/2",
        Conv2dSpec::standard(3, 24, 3).with_stride(2),
        cv,
        relu,
    )?;
    pool(b, "maxpool 3×3/2", max_pool(3, 2, 1, false))?;
    let mut cin = 24;
    for (si, n) in [4, 8, 4].into_iter().enumerate() {
        b.stage(&format!("stage{}", si + 2));
        let out = widths[si];
        for i in 0..n {
            let stride = if i == 0 { 2 } else { 1 };
            let spec = ShuffleV2Spec {
                in_channels: cin,
                out_channels: out,
                stride,
            };
            b.block(&format!("unit{}", i + 1), &spec)?;
            cin = out;
        }
    }
    b.stage("conv5");
    conv(
        b,
        "conv5 1×1",
        Conv2dSpec::pointwise(cin, widths[3]),
        cv,
        relu,
    )?;
    classifier(b, k.classes)
}

fn ghostnet(b: &mut Builder, k: &Knobs) -> Result<()> {
    let cv = b.convention;
    let relu = Some(Activation::ReLU);
    let w = k.width;
    // (kernel, expansion size, out, SE, stride) per stage, from the official `cfgs`.
    type Row = (usize, usize, usize, bool, usize);
    let stages: [&[Row]; 9] = [
        &[(3, 16, 16, false, 1)],
        &[(3, 48, 24, false, 2)],
        &[(3, 72, 24, false, 1)],
        &[(5, 72, 40, true, 2)],
        &[(5, 120, 40, true, 1)],
        &[(3, 240, 80, false, 2)],
        &[
            (3, 200, 80, false, 1),
            (3, 184, 80, false, 1),
            (3, 184, 80, false, 1),
            (3, 480, 112, true, 1),
            (3, 672, 112, true, 1),
        ],
        &[(5, 672, 160, true, 2)],
        &[
            (5, 960, 160, false, 1),
            (5, 960, 160, true, 1),
            (5, 960, 160, false, 1),
            (5, 960, 160, true, 1),
        ],
    ];
    let mut cin = make_divisible(16.0 * w, 4);
    b.stage("stem");
    conv(
        b,
        "conv 3×3/2",
        Conv2dSpec::standard(3, cin, 3).with_stride(2),
        cv,
        relu,
    )?;
    let mut n = 0;
    for (si, rows) in stages.iter().enumerate() {
        b.stage(&format!("stage{}", si + 1));
        for &(kernel, exp, c, se, s) in rows.iter() {
            n += 1;
            let out = make_divisible(c as f64 * w, 4);
            let hidden = make_divisible(exp as f64 * w, 4);
            b.block(
                &format!("g-bneck{n}"),
                &GhostBottleneckSpec::new(cin, hidden, out, kernel, s, se),
            )?;
            cin = out;
        }
    }
    b.stage("head");
    let last = make_divisible(960.0 * w, 4);
    conv(b, "conv 1×1", Conv2dSpec::pointwise(cin, last), cv, relu)?;
    let mut g = b.start()?;
    let p = g.push("global avgpool", NodeOp::GlobalAvgPool, &[0])?;
    let h = g.conv_bn(
        "conv_head 1×1",
        Conv2dSpec::pointwise(last, 1280),
        PLAIN,
        relu,
        p,
    )?;
    g.push(
        "fc",
        NodeOp::Linear {
            inputs: 1280,
            outputs: k.classes,
            bias: true,
        },
        &[h],
    )?;
    b.graph("", &g)
}

fn shift_resnet20(b: &mut Builder, k: &Knobs) -> Result<()> {
    let cv = b.convention;
    b.stage("conv1");
    conv(
        b,
        "conv 3×3",
        Conv2dSpec::standard(3, 16, 3),
        cv,
        Some(Activation::ReLU),
    )?;
    let mut cin = 16;
    for (si, out) in [16, 32, 64].into_iter().enumerate() {
        b.stage(&format!("stage{}", si + 1));
        for i in 0..3 {
            let stride = if i == 0 && si > 0 { 2 } else { 1 };
            b.block(
                &format!("block{}", i + 1),
                &ShiftBlockSpec::new(cin, out, k.expansion, stride),
            )?;
            cin = out;
        }
    }
    classifier(b, k.classes)
}

fn alexnet(b: &mut Builder, k: &Knobs) -> Result<()> {
    let relu = Some(Activation::ReLU);
    let p = max_pool(3, 2, 0, false);
    let layers: [(usize, usize, usize, usize, bool); 5] = [
        // out, kernel, stride, padding, pool after
        (64, 11, 4, 2, true),
        (192, 5, 1, 2, true),
        (384, 3, 1, 1, false),
        (256, 3, 1, 1, false),
        (256, 3, 1, 1, true),
    ];
    b.stage("features");
    let mut cin = 3;
    for (i, &(out, kk, s, pad, pooled)) in layers.iter().enumerate() {
        let spec = Conv2dSpec {
            in_channels: cin,
            out_channels: out,
            kernel: (kk, kk),
            stride: (s, s),
            padding: (pad, pad),
            ..Default::default()
        };
        conv(b, &format!("conv{} {kk}×{kk}", i + 1), spec, PLAIN, relu)?;
        if pooled {
            pool(b, &format!("maxpool{} 3×3/2", i + 1), p)?;
        }
        cin = out;
    }
    b.stage("classifier");
    adaptive_avg(b, 6)?;
    mlp(b, &[4096, 4096, k.classes])
}

fn vgg16(b: &mut Builder, k: &Knobs) -> Result<()> {
    let relu = Some(Activation::ReLU);
    let mut cin = 3;
    let mut n = 0;
    for (si, (out, reps)) in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]
        .into_iter()
        .enumerate()
    {
        b.stage(&format!("block{}", si + 1));
        for _ in 0..reps {
            n += 1;
            conv(
                b,
                &format!("conv{n} 3×3"),
                Conv2dSpec::standard(cin, out, 3),
                PLAIN,
                relu,
            )?;
            cin = out;
        }
        pool(b, "maxpool 2×2/2", max_pool(2, 2, 0, false))?;
    }
    b.stage("classifier");
    adaptive_avg(b, 7)?;
    mlp(b, &[4096, 4096, k.classes])
}
