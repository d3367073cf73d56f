//! Bad input is an `Err` with a message a student can read, never a panic.

use convlab_core::limits::{MAX_DIM, MAX_ELEMENTS};
use convlab_core::{Conv2d, Conv2dSpec, Error, Tensor};
use proptest::prelude::*;

fn spec_err(spec: Conv2dSpec) -> String {
    spec.validate().unwrap_err().to_string()
}

#[test]
fn zero_stride_dilation_groups() {
    let base = Conv2dSpec::default();
    assert_eq!(
        spec_err(Conv2dSpec {
            stride: (1, 0),
            ..base
        }),
        "conv2d: stride must be at least 1, got 0"
    );
    assert_eq!(
        spec_err(Conv2dSpec {
            dilation: (0, 2),
            ..base
        }),
        "conv2d: dilation must be at least 1, got 0"
    );
    assert_eq!(
        spec_err(Conv2dSpec { groups: 0, ..base }),
        "conv2d: groups must be at least 1, got 0"
    );
    assert!(Conv2d::random(
        Conv2dSpec {
            stride: (0, 0),
            ..base
        },
        0
    )
    .is_err());
}

#[test]
fn groups_must_divide_channels() {
    let spec = Conv2dSpec {
        in_channels: 16,
        out_channels: 18,
        groups: 3,
        ..Default::default()
    };
    assert_eq!(
        spec_err(spec),
        "conv2d: groups (3) must divide in_channels (16)"
    );
    let spec = Conv2dSpec {
        in_channels: 15,
        out_channels: 16,
        groups: 3,
        ..Default::default()
    };
    assert_eq!(
        spec_err(spec),
        "conv2d: groups (3) must divide out_channels (16)"
    );
}

#[test]
fn kernel_larger_than_padded_input() {
    let conv = Conv2d::random(
        Conv2dSpec {
            kernel: (5, 3),
            padding: (1, 1),
            ..Default::default()
        },
        0,
    )
    .unwrap();
    let x = Tensor::random(1, 2, 9, 0).unwrap();
    assert_eq!(
        conv.forward(&x).unwrap_err().to_string(),
        "conv2d: the 5×3 kernel (dilated span 5×3) is larger than the padded input 4×11"
    );
    assert!(conv.trace(&x, 0, 0, 0).is_err());
    let dilated = Conv2dSpec::default().with_dilation(3); // span 7, padding 3: fits any input
    assert!(dilated.output_hw(1, 1).is_ok());
    let dilated = Conv2dSpec {
        padding: (0, 0),
        ..dilated
    };
    assert!(dilated
        .output_hw(6, 7)
        .unwrap_err()
        .to_string()
        .contains("dilated span 7×7"));
}

#[test]
fn sizes_beyond_limits() {
    let spec = Conv2dSpec {
        in_channels: MAX_DIM + 1,
        ..Default::default()
    };
    assert_eq!(
        spec_err(spec),
        format!(
            "conv2d: size = {} is over the limit of {MAX_DIM}",
            MAX_DIM + 1
        )
    );
    // Weights over the element limit: 4096 · 4096 · 3 · 3 values.
    let spec = Conv2dSpec::standard(4096, 4096, 3);
    assert!(matches!(
        spec.validate(),
        Err(Error::TooLarge {
            what: "weights",
            ..
        })
    ));
    // A forward whose multiply–adds are over the work limit is refused before any work.
    let conv = Conv2d::random(Conv2dSpec::standard(256, 256, 3), 0).unwrap();
    let x = Tensor::zeros(256, 128, 128).unwrap();
    let err = conv.forward(&x).unwrap_err().to_string();
    assert!(err.starts_with("conv2d: multiply-adds = "), "{err}");
    // An output over the element limit (huge padding of a small input).
    let conv = Conv2d::random(
        Conv2dSpec {
            out_channels: 2,
            padding: (3000, 3000),
            ..Default::default()
        },
        0,
    )
    .unwrap();
    assert!(matches!(
        conv.forward(&Tensor::zeros(1, 1, 1).unwrap()),
        Err(Error::TooLarge { .. })
    ));
    assert!(Tensor::zeros(MAX_ELEMENTS, 2, 1).is_err());
}

#[test]
fn non_finite_values() {
    let spec = Conv2dSpec {
        bias: false,
        ..Default::default()
    };
    let mut w = vec![0.5; 9];
    w[4] = f32::NAN;
    assert_eq!(
        Conv2d::new(spec, w, None).unwrap_err().to_string(),
        "conv2d: weight contains a non-finite value (NaN) at index 4"
    );
    let b = Conv2d::new(
        Conv2dSpec::default(),
        vec![0.0; 9],
        Some(vec![f32::NEG_INFINITY]),
    );
    assert_eq!(
        b.unwrap_err().to_string(),
        "conv2d: bias contains a non-finite value (-inf) at index 0"
    );
    assert!(Tensor::new(1, 1, 2, vec![1.0, f32::INFINITY]).is_err());
    // Finite inputs whose products overflow f32 are reported, not passed on as inf.
    let big = Conv2d::new(spec, vec![3.0e38; 9], None).unwrap();
    let x = Tensor::new(1, 3, 3, vec![3.0e38; 9]).unwrap();
    assert!(matches!(
        big.forward(&x),
        Err(Error::NonFinite { what: "output", .. })
    ));
}

#[test]
fn wrong_shapes() {
    let conv = Conv2d::random(Conv2dSpec::standard(3, 4, 3), 0).unwrap();
    assert_eq!(
        conv.forward(&Tensor::zeros(2, 5, 5).unwrap())
            .unwrap_err()
            .to_string(),
        "conv2d input: shape mismatch: expected 3 channels, got 2 channels"
    );
    assert!(Conv2d::new(Conv2dSpec::default(), vec![0.0; 8], Some(vec![0.0])).is_err());
    assert!(Conv2d::new(Conv2dSpec::default(), vec![0.0; 9], None).is_err());
    let x = Tensor::zeros(3, 5, 5).unwrap();
    assert!(matches!(
        conv.trace(&x, 4, 0, 0),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        conv.trace(&x, 0, 5, 0),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        conv.trace(&x, 0, 0, 5),
        Err(Error::OutOfRange { .. })
    ));
}

/// Sizes mixing the small, the edge and the absurd.
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        6 => 0usize..=6,
        1 => Just(MAX_DIM),
        1 => Just(MAX_DIM + 1),
        1 => Just(usize::MAX),
        1 => any::<usize>(),
    ]
}

fn value() -> impl Strategy<Value = f32> {
    prop_oneof![
        8 => -2.0f32..2.0,
        1 => Just(f32::NAN),
        1 => Just(f32::INFINITY),
        1 => Just(f32::MAX),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No combination of spec, shapes and data panics; valid ones give the right shape.
    #[test]
    fn no_input_panics(
        channels in (size(), size(), size()),
        kernel in (size(), size()),
        stride in (size(), size()),
        padding in (size(), size()),
        dilation in (size(), size()),
        bias in any::<bool>(),
        hw in (size(), size()),
        data in proptest::collection::vec(value(), 0..64),
        cell in (any::<usize>(), any::<usize>(), any::<usize>()),
    ) {
        let spec = Conv2dSpec {
            in_channels: channels.0, out_channels: channels.1, groups: channels.2,
            kernel, stride, padding, dilation, bias,
        };
        let _ = spec.output_hw(hw.0, hw.1);
        let _ = spec.macs(hw.0, hw.1);
        let _ = spec.param_count();
        // Weights from the data (cycled), so NaN/inf reach the constructor.
        let n = spec.weight_len().min(1 << 12);
        let weight: Vec<f32> = (0..n).map(|i| data.get(i % data.len().max(1)).copied().unwrap_or(0.5)).collect();
        let _ = Conv2d::new(spec, weight, bias.then(|| vec![0.0; spec.out_channels.min(1 << 12)]));
        let Ok(conv) = Conv2d::random(spec, 1) else { return Ok(()) };
        let (c, h, w) = (spec.in_channels, hw.0.min(64), hw.1.min(64));
        let len = c.saturating_mul(h).saturating_mul(w);
        prop_assume!(len <= 1 << 14);
        let xs: Vec<f32> = (0..len).map(|i| data.get(i % data.len().max(1)).copied().unwrap_or(1.0)).collect();
        let Ok(x) = Tensor::new(c, h, w, xs) else { return Ok(()) };
        if let Ok(y) = conv.forward(&x) {
            prop_assert_eq!(y.shape(), conv.output_shape(h, w).unwrap());
            let _ = conv.trace(&x, cell.0 % 4, cell.1 % 4, cell.2 % 4);
        }
        let _ = conv.trace(&x, cell.0, cell.1, cell.2);
    }
}

/// Once found by `no_input_panics`: counting the parameters of an absurd,
/// unvalidated spec overflowed `u64` (debug builds panicked).
#[test]
fn counts_of_absurd_spec_do_not_overflow() {
    let spec = Conv2dSpec {
        in_channels: MAX_DIM,
        out_channels: usize::MAX,
        groups: 0,
        kernel: (1, 1),
        stride: (0, 0),
        padding: (0, 0),
        dilation: (0, 0),
        bias: true,
    };
    assert_eq!(spec.param_count(), u64::MAX);
    assert!(spec.validate().is_err());
    assert!(spec.output_hw(0, 0).is_err());
    assert!(Conv2d::random(spec, 0).is_err());
}

/// An output that overflows to ±inf is an error on every kernel path (the
/// fast finiteness check after forward): blocked 3×3, blocked general size,
/// depthwise, and the direct path (stride 2), with the overflow in a ragged
/// last tile as well as in the first.
#[test]
fn overflow_is_reported_on_every_kernel_path() {
    for spec in [
        Conv2dSpec::standard(2, 5, 3),
        Conv2dSpec::standard(2, 5, 3).with_dilation(2),
        Conv2dSpec {
            kernel: (2, 4),
            padding: (1, 2),
            ..Conv2dSpec::standard(3, 4, 1)
        },
        Conv2dSpec::depthwise(3, 1, 3),
        Conv2dSpec::standard(2, 3, 3).with_stride(2),
    ] {
        let spec = spec.with_bias(false);
        let w = vec![3.0e38; spec.weight_len()];
        let conv = Conv2d::new(spec, w, None).unwrap();
        for (y, x) in [(0, 0), (12, 36)] {
            let mut t = Tensor::zeros(spec.in_channels, 13, 37).unwrap();
            t.set(0, y, x, 3.0e38).unwrap();
            let r = conv.forward(&t);
            assert!(
                matches!(r, Err(Error::NonFinite { what: "output", .. })),
                "{spec:?} at ({y}, {x}): {r:?}"
            );
        }
        // The same shape with ordinary data passes.
        let t = Tensor::random(spec.in_channels, 13, 37, 3).unwrap();
        assert!(Conv2d::random(spec, 4).unwrap().forward(&t).is_ok());
    }
}
