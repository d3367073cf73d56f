//! p4m lifting: filters against an independently written rot90/flip, the
//! map permutation by hand, and equivariance on random inputs for all 8
//! elements of D4.

use convlab_core::ops::equivariant::{conv_equivariance_error, map_permutation, Group, Lifting};
use convlab_core::{Conv2d, Conv2dSpec, Tensor, D4};
use proptest::prelude::*;

/// numpy.rot90 on a k×k kernel: out[i][j] = in[j][k−1−i].
fn rot90(w: &[f32], k: usize) -> Vec<f32> {
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            out[i * k + j] = w[j * k + (k - 1 - i)];
        }
    }
    out
}

/// Left–right mirror: out[i][j] = in[i][k−1−j].
fn mirror(w: &[f32], k: usize) -> Vec<f32> {
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            out[i * k + j] = w[i * k + (k - 1 - j)];
        }
    }
    out
}

#[test]
fn the_eight_filters_are_rotations_and_mirrors() {
    let w: Vec<f32> = (0..9).map(|v| v as f32).collect();
    let lift = Lifting::from_kernel(3, w.clone(), Group::P4m).unwrap();
    assert_eq!(lift.stacked().spec().out_channels, 8);
    for (i, g) in D4::ALL.iter().enumerate() {
        let mut e = if g.flip { mirror(&w, 3) } else { w.clone() };
        for _ in 0..g.rotation {
            e = rot90(&e, 3);
        }
        assert_eq!(
            &lift.stacked().weight()[i * 9..(i + 1) * 9],
            &e[..],
            "{}",
            g.label()
        );
        assert_eq!(lift.filter(i).unwrap().weight(), &e[..]);
    }
    assert!(lift.filter(8).is_none());
    // 90°: 0 1 2 / 3 4 5 / 6 7 8 → 2 5 8 / 1 4 7 / 0 3 6
    assert_eq!(
        &lift.stacked().weight()[9..18],
        &[2., 5., 8., 1., 4., 7., 0., 3., 6.]
    );
}

#[test]
fn maps_are_convs_with_the_transformed_filters() {
    let lift = Lifting::random(2, 3, Group::P4m, 5).unwrap();
    let x = Tensor::random(2, 7, 6, 1).unwrap();
    let maps = lift.forward(&x).unwrap();
    for i in 0..8 {
        let one = lift.filter(i).unwrap().forward(&x).unwrap();
        assert_eq!(maps.channel(i).unwrap(), one.data());
    }
}

#[test]
fn permutations_by_hand() {
    assert_eq!(
        map_permutation(Group::P4m, D4::IDENTITY).unwrap(),
        [0, 1, 2, 3, 4, 5, 6, 7]
    );
    // h = 90°: new map r^a is old map r^(a−1); mirrored maps likewise.
    assert_eq!(
        map_permutation(Group::P4m, D4::rotation(1)).unwrap(),
        [3, 0, 1, 2, 7, 4, 5, 6]
    );
    // h = flip: f·r^a = r^(−a)·f.
    assert_eq!(
        map_permutation(Group::P4m, D4::FLIP).unwrap(),
        [4, 7, 6, 5, 0, 3, 2, 1]
    );
    assert_eq!(
        map_permutation(Group::P4, D4::rotation(2)).unwrap(),
        [2, 3, 0, 1]
    );
    let err = map_permutation(Group::P4, D4::new(1, true)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "equivariance: the transform flip + 90° is not in p4 (rotations only)"
    );
}

#[test]
fn without_the_permutation_the_maps_do_not_match() {
    // Guards the check itself: comparing map g with the rotated old map g
    // (no permutation) is far from zero for an asymmetric filter.
    let lift =
        Lifting::from_kernel(3, vec![1., 2., 0., 0., 0., 0., 0., 0., -3.], Group::P4m).unwrap();
    let x = Tensor::random(1, 8, 8, 4).unwrap();
    let h = D4::rotation(1);
    let lhs = lift.forward(&x.transform(h)).unwrap();
    let rhs = lift.forward(&x).unwrap().transform(h);
    assert!(lhs.max_abs_diff(&rhs).unwrap() > 0.1);
    assert!(lift.equivariance_error(&x, h).unwrap() < 1e-5);
}

#[test]
fn shared_versus_independent_parameters() {
    let lift = Lifting::random(16, 3, Group::P4m, 0).unwrap();
    assert_eq!(
        (lift.shared_params(), lift.independent_params()),
        (144, 1152)
    );
    let p4 = Lifting::random(16, 3, Group::P4, 0).unwrap();
    assert_eq!(p4.independent_params(), 576);
    assert_eq!(lift.macs(10, 10).unwrap(), 8 * 100 * 144);
    let with_bias = Lifting::new(
        Conv2d::random(Conv2dSpec::standard(3, 1, 5), 1).unwrap(),
        Group::P4m,
    )
    .unwrap();
    assert_eq!(with_bias.shared_params(), 76);
    assert_eq!(with_bias.stacked().bias().unwrap().len(), 8);
}

#[test]
fn bad_filters_are_rejected() {
    let two = Conv2d::random(Conv2dSpec::standard(1, 2, 3), 0).unwrap();
    assert!(Lifting::new(two, Group::P4m).is_err());
    let rect = Conv2d::random(
        Conv2dSpec {
            kernel: (3, 1),
            ..Default::default()
        },
        0,
    )
    .unwrap();
    assert!(Lifting::new(rect, Group::P4m).is_err());
    assert!(Lifting::from_kernel(3, vec![0.0; 8], Group::P4).is_err());
    assert!(Lifting::from_kernel(0, vec![], Group::P4).is_err());
}

#[test]
fn strided_conv_on_an_odd_grid_is_not_equivariant_and_says_so() {
    // Stride 2 on an even-sized input samples different grids after a
    // rotation: the computed error is large, not hidden.
    let conv = Conv2d::random(Conv2dSpec::standard(1, 1, 3).with_stride(2), 3).unwrap();
    let x = Tensor::random(1, 8, 8, 2).unwrap();
    assert!(conv_equivariance_error(&conv, &x, D4::rotation(1)).unwrap() > 1e-3);
    let x_odd = Tensor::random(1, 9, 9, 2).unwrap();
    assert!(conv_equivariance_error(&conv, &x_odd, D4::rotation(1)).unwrap() < 1e-5);
}

proptest! {
    #[test]
    fn conv_commutes_with_every_d4_element(c_in in 1usize..4, c_out in 1usize..4,
                                           k in prop_oneof![Just(1usize), Just(3), Just(5)],
                                           dil in 1usize..3, h in 5usize..10, w in 5usize..10,
                                           bias in any::<bool>(), seed: u64) {
        let spec = Conv2dSpec::standard(c_in, c_out, k).with_dilation(dil).with_bias(bias);
        let conv = Conv2d::random(spec, seed).unwrap();
        let x = Tensor::random(c_in, h, w, seed ^ 0xabc).unwrap();
        for g in D4::ALL {
            let e = conv_equivariance_error(&conv, &x, g).unwrap();
            prop_assert!(e < 1e-5, "{}: {}", g.label(), e);
        }
    }

    #[test]
    fn lifting_is_equivariant(c in 1usize..4, k in prop_oneof![Just(1usize), Just(3), Just(5)],
                              h in 5usize..10, w in 5usize..10, seed: u64) {
        let x = Tensor::random(c, h, w, seed).unwrap();
        for group in [Group::P4, Group::P4m] {
            let lift = Lifting::random(c, k, group, seed.wrapping_add(1)).unwrap();
            for &g in group.elements() {
                let e = lift.equivariance_error(&x, g).unwrap();
                prop_assert!(e < 1e-5, "{} {}: {}", group.label(), g.label(), e);
            }
        }
    }

    #[test]
    fn never_panics(k in prop_oneof![0usize..8, Just(usize::MAX)], n in 0usize..70,
                    c in prop_oneof![0usize..4, Just(usize::MAX)], rot in any::<u8>(), flip in any::<bool>()) {
        let _ = Lifting::from_kernel(k, vec![1.0; n], Group::P4m);
        let _ = Lifting::random(c, k, Group::P4, 1);
        let _ = map_permutation(Group::P4, D4::new(rot, flip));
        if let Ok(l) = Lifting::from_kernel(k, vec![1.0; n], Group::P4m) {
            let x = Tensor::random(1, 3, 4, 0).unwrap();
            let _ = l.forward(&x);
            prop_assert!(l.macs(usize::MAX, 3).is_err());
            prop_assert!(l.macs(3, usize::MAX).is_err());
            let _ = l.equivariance_error(&x, D4::new(rot, flip));
        }
    }
}
