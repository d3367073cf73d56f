//! Conv2d throughput at the lesson sizes of the speed table (crate README):
//! A 16×32×32 → 16, 3×3, pad 1; B 32×64×64 → 32, 3×3, pad 1;
//! C depthwise 32×64×64, 3×3, pad 1; D = B with dilation 4 (pad 4).
//! Throughput is reported in FLOPs (2 · multiply–adds), so criterion's
//! "elem/s" column reads as FLOP/s.

use convlab_core::{Conv2d, Conv2dSpec, Tensor};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn cases() -> Vec<(&'static str, Conv2dSpec, usize)> {
    let b = Conv2dSpec::standard(32, 32, 3);
    vec![
        ("A 16x32x32->16 3x3", Conv2dSpec::standard(16, 16, 3), 32),
        ("B 32x64x64->32 3x3", b, 64),
        (
            "C depthwise 32x64x64 3x3",
            Conv2dSpec::depthwise(32, 1, 3),
            64,
        ),
        ("D 32x64x64->32 3x3 dil 4", b.with_dilation(4), 64),
    ]
}

fn conv(c: &mut Criterion) {
    let mut group = c.benchmark_group("conv2d");
    for (name, spec, side) in cases() {
        let conv = Conv2d::random(spec, 1).expect("bench spec is valid");
        let x = Tensor::random(spec.in_channels, side, side, 2).expect("bench input is valid");
        let flops = 2 * conv.macs(side, side).expect("bench shape is valid");
        group.throughput(Throughput::Elements(flops));
        group.bench_function(name, |b| {
            b.iter(|| conv.forward(black_box(&x)).expect("forward succeeds"))
        });
    }
    group.finish();
}

criterion_group!(benches, conv);
criterion_main!(benches);
