//! Bottleneck: linear form against a naive matrix product, rank, the 2M/N
//! ratio; conv form counts against hand numbers and the allocated weights.

use convlab_core::ops::bottleneck::{Bottleneck, BottleneckSpec, LinearBottleneck, LinearCost};
use convlab_core::{CostSummary, Tensor};
use proptest::prelude::*;

#[test]
fn linear_ratio_is_2m_over_n() {
    let c = LinearCost::new(100, 25).unwrap();
    assert_eq!((c.bottleneck, c.full), (5000, 10_000));
    assert_eq!(c.ratio, 0.5);
    // Below 1 exactly when M < N/2 (the slide's "2N/M" would be 8 here).
    assert!(LinearCost::new(100, 49).unwrap().ratio < 1.0);
    assert_eq!(LinearCost::new(100, 50).unwrap().ratio, 1.0);
    assert!(LinearCost::new(100, 51).unwrap().ratio > 1.0);
    assert!(LinearCost::new(0, 1).is_err());
    assert!(LinearCost::new(1, 0).is_err());
    assert_eq!(
        LinearCost::new(4, 0).unwrap_err().to_string(),
        "bottleneck: M must be at least 1, got 0"
    );
}

#[test]
fn linear_forward_is_u_times_d_times_x() {
    let (n, m) = (6, 2);
    let b = LinearBottleneck::random(n, m, 4).unwrap();
    let d = b.down().weight();
    let u = b.up().weight();
    let x: Vec<f32> = (0..n).map(|i| i as f32 - 2.5).collect();
    let mid: Vec<f32> = (0..m)
        .map(|i| (0..n).map(|j| d[i * n + j] * x[j]).sum())
        .collect();
    let expect: Vec<f32> = (0..n)
        .map(|i| (0..m).map(|j| u[i * m + j] * mid[j]).sum())
        .collect();
    let y = b.forward(&x).unwrap();
    for (a, e) in y.iter().zip(&expect) {
        assert!((a - e).abs() < 1e-5);
    }
    // The product matrix applied naively gives the same.
    let p = b.product().unwrap();
    for i in 0..n {
        let v: f32 = (0..n).map(|j| p[i * n + j] * x[j]).sum();
        assert!((v - y[i]).abs() < 1e-5);
    }
    assert_eq!(b.param_count(), 24);
    assert_eq!(b.cost().unwrap().bottleneck, 24);
    assert!(b.forward(&[1.0; 5]).is_err());
}

#[test]
fn product_has_rank_at_most_m() {
    // Rows of U·D lie in the span of D's M rows: with M = 1 every 2×2 minor vanishes.
    let b = LinearBottleneck::random(5, 1, 9).unwrap();
    let p = b.product().unwrap();
    for i in 0..5 {
        for j in 0..5 {
            let minor = p[i * 5] * p[j * 5 + 1] - p[i * 5 + 1] * p[j * 5];
            assert!(minor.abs() < 1e-6);
        }
    }
}

#[test]
fn resnet_bottleneck_counts() {
    let spec = BottleneckSpec {
        bias: false,
        ..BottleneckSpec::default()
    };
    let b = Bottleneck::random(spec, 0).unwrap();
    assert_eq!(b.param_count(), 69_632);
    assert_eq!(spec.standard_spec().param_count(), 589_824);
    let with_bias = Bottleneck::random(BottleneckSpec::default(), 0).unwrap();
    assert_eq!(with_bias.param_count(), 69_632 + 64 + 64 + 256);
    let allocated: usize = with_bias
        .convs()
        .iter()
        .map(|c| c.weight().len() + c.bias().map_or(0, <[f32]>::len))
        .sum();
    assert_eq!(with_bias.param_count(), allocated as u64);
    // MACs at 14×14: every weight once per output pixel.
    assert_eq!(b.macs(14, 14).unwrap(), 69_632 * 196);
    let rows = b.layers([256, 14, 14]).unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(CostSummary::of(&rows).params, 69_632);
}

#[test]
fn pointwise_params_are_the_linear_form_and_the_rest_is_the_middle_conv() {
    // The lecture's 16 → 4 → 16, K = 3, with bias: 148 in the two 1×1 convs
    // (the linear bottleneck against 272 for N×N), 296 with the 3×3.
    let spec = BottleneckSpec {
        channels: 16,
        mid: 4,
        relu: false,
        ..BottleneckSpec::default()
    };
    let b = Bottleneck::random(spec, 5).unwrap();
    assert_eq!(b.pointwise_param_count(), 148);
    assert_eq!(b.param_count(), 296);
    assert_eq!(spec.standard_spec().param_count(), 2320);
    for (n, m, k, bias) in [(8, 2, 1, false), (64, 16, 5, true), (7, 7, 3, false)] {
        let spec = BottleneckSpec {
            channels: n,
            mid: m,
            kernel: k,
            bias,
            ..BottleneckSpec::default()
        };
        let b = Bottleneck::random(spec, 0).unwrap();
        let [reduce, middle, expand] = b.convs();
        assert_eq!(
            b.pointwise_param_count(),
            reduce.param_count() + expand.param_count()
        );
        let linear = LinearCost::new(n, m).unwrap().bottleneck;
        let biases = if bias { (m + n) as u64 } else { 0 };
        assert_eq!(b.pointwise_param_count(), linear + biases);
        assert_eq!(
            b.pointwise_param_count() + middle.param_count(),
            spec.param_count()
        );
    }
}

#[test]
fn conv_form_stages_and_stride() {
    let spec = BottleneckSpec {
        channels: 8,
        mid: 3,
        kernel: 3,
        stride: 2,
        bias: true,
        relu: true,
    };
    let b = Bottleneck::random(spec, 5).unwrap();
    let x = Tensor::random(8, 7, 7, 1).unwrap();
    let [a, m, y] = b.forward_stages(&x).unwrap();
    assert_eq!(
        (a.shape(), m.shape(), y.shape()),
        ([3, 7, 7], [3, 4, 4], [8, 4, 4])
    );
    assert!(a.data().iter().all(|&v| v >= 0.0));
    // Stage by stage with the convs themselves.
    let [r, c, e] = b.convs();
    let a2 = r.forward(&x).unwrap().map(|v| v.max(0.0)).unwrap();
    let m2 = c.forward(&a2).unwrap().map(|v| v.max(0.0)).unwrap();
    assert_eq!(y, e.forward(&m2).unwrap());
    let linear = Bottleneck::random(
        BottleneckSpec {
            relu: false,
            ..spec
        },
        5,
    )
    .unwrap();
    assert_eq!(linear.layers([8, 7, 7]).unwrap().len(), 3);
}

#[test]
fn bad_specs_are_errors() {
    assert!(Bottleneck::random(
        BottleneckSpec {
            kernel: 2,
            ..Default::default()
        },
        0
    )
    .is_err());
    assert!(Bottleneck::random(
        BottleneckSpec {
            mid: 0,
            ..Default::default()
        },
        0
    )
    .is_err());
    assert!(Bottleneck::random(
        BottleneckSpec {
            stride: 0,
            ..Default::default()
        },
        0
    )
    .is_err());
    let b = Bottleneck::random(
        BottleneckSpec {
            channels: 4,
            mid: 2,
            ..Default::default()
        },
        0,
    )
    .unwrap();
    assert!(b.forward(&Tensor::zeros(3, 4, 4).unwrap()).is_err());
    assert!(b.layers([3, 4, 4]).is_err());
}

proptest! {
    #[test]
    fn counts_agree(n in 1usize..12, m in 1usize..12, k in prop_oneof![Just(1usize), Just(3), Just(5)],
                    stride in 1usize..3, bias in any::<bool>(), relu in any::<bool>(), seed: u64) {
        let spec = BottleneckSpec { channels: n, mid: m, kernel: k, stride, bias, relu };
        let b = Bottleneck::random(spec, seed).unwrap();
        prop_assert_eq!(b.param_count(), spec.param_count());
        let rows = b.layers([n, 9, 9]).unwrap();
        prop_assert_eq!(CostSummary::of(&rows).params, b.param_count());
        prop_assert_eq!(CostSummary::of(&rows).macs, b.macs(9, 9).unwrap());
        let y = b.forward(&Tensor::random(n, 9, 9, seed).unwrap()).unwrap();
        prop_assert_eq!(y.shape(), rows.last().unwrap().output);
        let l = LinearBottleneck::random(n, m, seed).unwrap();
        prop_assert_eq!(l.param_count(), 2 * (n * m) as u64);
    }

    #[test]
    fn never_panics(n in prop_oneof![0usize..6, Just(usize::MAX), Just(1usize << 15)],
                    m in prop_oneof![0usize..6, Just(usize::MAX)],
                    k in prop_oneof![0usize..6, Just(usize::MAX)], stride in 0usize..3) {
        let _ = LinearCost::new(n, m);
        let _ = LinearBottleneck::from_matrices(n, m, vec![0.0; 4], vec![0.0; 4]);
        if let Ok(l) = LinearBottleneck::random(n, m, 0) {
            let _ = l.product();
            let _ = l.forward(&[1.0; 3]);
        }
        let spec = BottleneckSpec { channels: n, mid: m, kernel: k, stride, bias: true, relu: true };
        let _ = spec.param_count();
        if let Ok(b) = Bottleneck::random(spec, 0) {
            let _ = b.macs(4, 4);
            prop_assert!(b.macs(usize::MAX, 4).is_err());
            prop_assert!(b.layers([n, 4, usize::MAX]).is_err());
            if n < 6 {
                let _ = b.forward(&Tensor::random(n, 4, 4, 0).unwrap());
            }
        }
    }
}
