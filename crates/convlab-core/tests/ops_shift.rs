//! ShiftNet shift: offsets and grouping by hand, the shift against a
//! depthwise convolution with one-hot kernels (the real Conv2d), and the
//! zero-filled-permutation property.

use convlab_core::ops::shift::{
    group_sizes, moved_elements, shift, shift_by, shift_layer, shift_offsets, window_offsets,
};
use convlab_core::{Conv2d, Conv2dSpec, Tensor};
use proptest::prelude::*;

#[test]
fn offsets_by_hand() {
    assert_eq!(window_offsets(1).unwrap(), [(0, 0)]);
    assert_eq!(
        window_offsets(3).unwrap(),
        [
            (-1, -1),
            (-1, 0),
            (-1, 1),
            (0, -1),
            (0, 0),
            (0, 1),
            (1, -1),
            (1, 0),
            (1, 1)
        ]
    );
    let w5 = window_offsets(5).unwrap();
    assert_eq!((w5[0], w5[12], w5[24]), ((-2, -2), (0, 0), (2, 2)));
    assert_eq!(shift_offsets(9, 3).unwrap(), window_offsets(3).unwrap());
    let o = shift_offsets(20, 3).unwrap();
    // 20 = 9·2 + 2: groups 0 and 1 have 3 channels, the rest 2.
    assert_eq!(group_sizes(20, 3).unwrap(), [3, 3, 2, 2, 2, 2, 2, 2, 2]);
    assert_eq!(&o[0..3], &[(-1, -1); 3]);
    assert_eq!(&o[3..6], &[(-1, 0); 3]);
    assert_eq!(&o[6..8], &[(-1, 1); 2]);
    assert_eq!(&o[18..20], &[(1, 1); 2]);
}

#[test]
fn bad_kernels_are_errors() {
    assert_eq!(
        shift_offsets(8, 2).unwrap_err().to_string(),
        "shift: the shift window side must be odd (1, 3, 5, …), got 2"
    );
    assert!(shift_offsets(8, 0).is_err());
    assert!(shift_offsets(0, 3).is_err());
    assert!(shift_offsets(8, 1001).is_err());
    assert!(shift_offsets(usize::MAX, 3).is_err());
    let x = Tensor::zeros(2, 2, 2).unwrap();
    assert!(shift_by(&x, &[(0, 0)]).is_err());
}

#[test]
fn shift_by_hand() {
    // 1 2 3          0 0 0
    // 4 5 6  (1,1)-> 0 1 2
    // 7 8 9          0 4 5
    let x = Tensor::new(1, 3, 3, (1..=9).map(|v| v as f32).collect()).unwrap();
    assert_eq!(
        shift_by(&x, &[(1, 1)]).unwrap().data(),
        &[0., 0., 0., 0., 1., 2., 0., 4., 5.]
    );
    assert_eq!(
        shift_by(&x, &[(-1, 0)]).unwrap().data(),
        &[4., 5., 6., 7., 8., 9., 0., 0., 0.]
    );
    assert_eq!(
        shift_by(&x, &[(isize::MIN, isize::MAX)]).unwrap().data(),
        &[0.0; 9]
    );
}

/// A shift by (dy, dx) is a depthwise conv with "same" padding whose k×k
/// kernel is one-hot at tap (r − dy, r − dx).
#[test]
fn shift_equals_depthwise_conv_with_one_hot_kernels() {
    for (c, k) in [(9, 3), (11, 3), (25, 5), (7, 5), (3, 1)] {
        let x = Tensor::random(c, 6, 7, c as u64).unwrap();
        let offsets = shift_offsets(c, k).unwrap();
        let r = (k / 2) as isize;
        let spec = Conv2dSpec::depthwise(c, 1, k).with_bias(false);
        let conv = Conv2d::from_fn(spec, |o, _, ky, kx| {
            let (dy, dx) = offsets[o];
            f32::from(u8::from(ky as isize == r - dy && kx as isize == r - dx))
        })
        .unwrap();
        let expect = conv.forward(&x).unwrap();
        assert_eq!(shift(&x, k).unwrap(), expect, "c={c} k={k}");
    }
}

#[test]
fn cost_and_moved_counts() {
    let l = shift_layer("shift", [18, 8, 8], 3).unwrap();
    assert_eq!((l.params, l.macs, l.moved), (0, 0, 18 * 8 * 8));
    assert!(shift_layer("shift", [18, 8, 8], 4).is_err());
    // Hand count: offsets (0,0) → 0, (0,1) on 5×5 → 20, (2,-3) → 3·2 = 6, (9,0) → 0.
    assert_eq!(moved_elements(&[(0, 0), (0, 1), (2, -3), (9, 0)], 5, 5), 26);
}

proptest! {
    /// Every non-zero output value is the input value it came from, every
    /// input value lands at most once, and exactly the in-range ones land.
    #[test]
    fn shift_is_a_zero_filled_permutation(c in 1usize..12, h in 1usize..7, w in 1usize..7,
                                          k in prop_oneof![Just(1usize), Just(3), Just(5)], seed: u64) {
        let x = Tensor::random(c, h, w, seed).unwrap().map(|v| v + 2.0).unwrap(); // no zeros
        let y = shift(&x, k).unwrap();
        let offsets = shift_offsets(c, k).unwrap();
        let mut landed = 0u64;
        for (ch, &(dy, dx)) in offsets.iter().enumerate() {
            for i in 0..h {
                for j in 0..w {
                    let v = y.get(ch, i, j).unwrap();
                    let (si, sj) = (i as isize - dy, j as isize - dx);
                    if si >= 0 && sj >= 0 && (si as usize) < h && (sj as usize) < w {
                        prop_assert_eq!(v, x.get(ch, si as usize, sj as usize).unwrap());
                        landed += 1;
                    } else {
                        prop_assert_eq!(v, 0.0);
                    }
                }
            }
        }
        let nonzero = y.data().iter().filter(|&&v| v != 0.0).count() as u64;
        prop_assert_eq!(nonzero, landed);
        let stay = offsets.iter().filter(|&&o| o == (0, 0)).count() as u64 * (h * w) as u64;
        prop_assert_eq!(landed, moved_elements(&offsets, h, w) + stay);
        // As a multiset the non-zero outputs are a sub-multiset of the inputs.
        let mut ins: Vec<f32> = x.data().to_vec();
        let mut outs: Vec<f32> = y.data().iter().copied().filter(|&v| v != 0.0).collect();
        ins.sort_by(f32::total_cmp);
        outs.sort_by(f32::total_cmp);
        let mut it = ins.iter();
        for v in outs {
            prop_assert!(it.any(|&u| u == v));
        }
    }

    #[test]
    fn groups_are_as_equal_as_possible(c in 1usize..200, k in prop_oneof![Just(1usize), Just(3), Just(5), Just(7)]) {
        let s = group_sizes(c, k).unwrap();
        prop_assert_eq!(s.len(), k * k);
        prop_assert_eq!(s.iter().sum::<usize>(), c);
        let (lo, hi) = (s.iter().min().unwrap(), s.iter().max().unwrap());
        prop_assert!(hi - lo <= 1);
        prop_assert!(s.windows(2).all(|p| p[0] >= p[1]));
    }

    #[test]
    fn never_panics(c in prop_oneof![0usize..30, Just(usize::MAX)],
                    k in prop_oneof![0usize..12, Just(usize::MAX), Just(1usize << 40)],
                    dy in any::<isize>(), dx in any::<isize>(), h in 1usize..5, w in 1usize..5) {
        let _ = window_offsets(k);
        let _ = group_sizes(c, k);
        let _ = shift_offsets(c, k);
        let _ = shift_layer("s", [c, h, w], k);
        prop_assert!(shift_layer("s", [c, usize::MAX, usize::MAX], k).is_err());
        let _ = moved_elements(&[(dy, dx)], h, w);
        if (1..30).contains(&c) {
            let x = Tensor::random(c, h, w, 1).unwrap();
            let _ = shift(&x, k);
            let _ = shift_by(&x, &vec![(dy, dx); c]);
            let _ = shift_by(&x, &[(dy, dx)]);
        }
    }
}
