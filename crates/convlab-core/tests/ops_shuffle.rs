//! Channel shuffle: hand-checked orders, PyTorch's reshape/transpose
//! definition written out independently, inverse, and the information flow
//! between groups computed with the real kernels.

use convlab_core::ops::shuffle::{
    channel_shuffle, channel_unshuffle, reachability, shuffle_layer, shuffle_permutation,
    unshuffle_permutation, ShuffleStages,
};
use convlab_core::{Error, Tensor};
use proptest::prelude::*;

/// PyTorch: x.view(g, n/g).transpose(0, 1).flatten(): build the 2-D array
/// and read it column by column.
fn reference_order(n: usize, g: usize) -> Vec<usize> {
    let per = n / g;
    let rows: Vec<Vec<usize>> = (0..g).map(|a| (a * per..(a + 1) * per).collect()).collect();
    let mut out = Vec::new();
    for b in 0..per {
        for row in &rows {
            out.push(row[b]);
        }
    }
    out
}

#[test]
fn hand_checked_orders() {
    assert_eq!(shuffle_permutation(6, 2).unwrap(), [0, 3, 1, 4, 2, 5]);
    assert_eq!(
        shuffle_permutation(12, 3).unwrap(),
        [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]
    );
    assert_eq!(shuffle_permutation(4, 1).unwrap(), [0, 1, 2, 3]);
    assert_eq!(shuffle_permutation(4, 4).unwrap(), [0, 1, 2, 3]);
}

#[test]
fn matches_reshape_transpose_flatten() {
    for n in 1..=48 {
        for g in 1..=n {
            if n % g == 0 {
                assert_eq!(
                    shuffle_permutation(n, g).unwrap(),
                    reference_order(n, g),
                    "n={n} g={g}"
                );
            }
        }
    }
}

#[test]
fn stages_agree_with_the_order() {
    let s = ShuffleStages::new(12, 4).unwrap();
    assert_eq!(s.grid.len(), 4);
    assert_eq!(s.transposed.len(), 3);
    let flat: Vec<usize> = s.transposed.concat();
    assert_eq!(flat, s.order);
    for c in 0..12 {
        assert_eq!(s.order[s.position_of(c)], c);
        assert_eq!(s.group_of(c), c / 3);
    }
    assert_eq!(s.position_of(99), 12);
}

#[test]
fn shuffle_moves_whole_channels() {
    let x = Tensor::random(6, 3, 4, 5).unwrap();
    let y = channel_shuffle(&x, 3).unwrap();
    let perm = shuffle_permutation(6, 3).unwrap();
    for (i, &p) in perm.iter().enumerate() {
        assert_eq!(y.channel(i).unwrap(), x.channel(p).unwrap());
    }
}

#[test]
fn bad_arguments_are_readable_errors() {
    assert_eq!(
        shuffle_permutation(10, 4).unwrap_err().to_string(),
        "channel shuffle: groups (4) must divide the channel count (10)"
    );
    assert!(matches!(
        shuffle_permutation(0, 1),
        Err(Error::InvalidSpec { .. })
    ));
    assert!(matches!(
        shuffle_permutation(4, 0),
        Err(Error::InvalidSpec { .. })
    ));
    assert!(matches!(
        shuffle_permutation(usize::MAX, 1),
        Err(Error::TooLarge { .. })
    ));
    assert!(reachability(512, 2, 1, true).is_err());
    assert!(reachability(8, 2, 1000, true).is_err());
    assert!(shuffle_layer("s", [7, 2, 2], 2).is_err());
}

#[test]
fn cost_row_moves_everything() {
    let l = shuffle_layer("shuffle", [240, 28, 28], 2).unwrap();
    assert_eq!((l.params, l.macs, l.moved), (0, 0, 240 * 28 * 28));
    assert_eq!(l.output, [240, 28, 28]);
}

fn block_diagonal(n: usize, g: usize) -> Vec<Vec<bool>> {
    let per = n / g;
    (0..n)
        .map(|i| (0..n).map(|j| i / per == j / per).collect())
        .collect()
}

fn full(r: &[Vec<bool>]) -> bool {
    r.iter().all(|row| row.iter().all(|&v| v))
}

#[test]
fn zero_units_is_the_identity() {
    let r = reachability(6, 2, 0, true).unwrap();
    for (i, row) in r.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            assert_eq!(v, i == j);
        }
    }
}

#[test]
fn without_shuffle_groups_never_mix() {
    for g in 1..=4 {
        let n = 24;
        for units in 1..=5 {
            assert_eq!(
                reachability(n, g, units, false).unwrap(),
                block_diagonal(n, g),
                "g={g} units={units}"
            );
        }
    }
}

#[test]
fn one_unit_with_shuffle_hits_every_gth_position() {
    // Input 0 (group 0) reaches conv outputs 0..n/g, which the shuffle sends
    // to positions 0, g, 2g, …
    let r = reachability(12, 3, 1, true).unwrap();
    let reached: Vec<usize> = (0..12).filter(|&j| r[0][j]).collect();
    assert_eq!(reached, [0, 3, 6, 9]);
}

#[test]
fn with_shuffle_two_units_reach_everything_when_g_squared_fits() {
    for g in 2..=4 {
        for n in [g * g, 24, 48] {
            if n % g != 0 {
                continue;
            }
            assert!(
                !full(&reachability(n, g, 1, true).unwrap()),
                "n={n} g={g}: one unit is not enough"
            );
            assert!(full(&reachability(n, g, 2, true).unwrap()), "n={n} g={g}");
        }
    }
}

#[test]
fn with_shuffle_small_widths_need_more_units() {
    // n = 8, g = 4: groups of 2; after 2 units input 0 reaches only 4 outputs.
    let r2 = reachability(8, 4, 2, true).unwrap();
    assert_eq!(r2[0].iter().filter(|&&v| v).count(), 4);
    assert!(full(&reachability(8, 4, 3, true).unwrap()));
    // n = g: the shuffle is the identity, nothing ever mixes.
    let r = reachability(4, 4, 10, true).unwrap();
    assert_eq!(r, block_diagonal(4, 4));
}

proptest! {
    #[test]
    fn shuffle_then_unshuffle_is_identity(g in 1usize..8, per in 1usize..8, h in 1usize..4, w in 1usize..4, seed: u64) {
        let x = Tensor::random(g * per, h, w, seed).unwrap();
        let y = channel_shuffle(&x, g).unwrap();
        prop_assert_eq!(&channel_unshuffle(&y, g).unwrap(), &x);
        prop_assert_eq!(&channel_shuffle(&channel_unshuffle(&x, g).unwrap(), g).unwrap(), &x);
    }

    #[test]
    fn the_order_is_a_permutation_and_unshuffle_inverts_it(g in 1usize..16, per in 1usize..16) {
        let n = g * per;
        let p = shuffle_permutation(n, g).unwrap();
        let mut seen = vec![false; n];
        for &c in &p {
            prop_assert!(c < n && !seen[c]);
            seen[c] = true;
        }
        let inv = unshuffle_permutation(n, g).unwrap();
        for i in 0..n {
            prop_assert_eq!(inv[p[i]], i);
        }
        // The inverse is the shuffle with n/g groups.
        prop_assert_eq!(inv, shuffle_permutation(n, per).unwrap());
    }

    #[test]
    fn never_panics(n in prop_oneof![0usize..40, Just(usize::MAX), Just(1usize << 20)],
                    g in prop_oneof![0usize..40, Just(usize::MAX)],
                    units in prop_oneof![0usize..4, Just(usize::MAX)],
                    with in any::<bool>()) {
        let _ = shuffle_permutation(n, g);
        let _ = unshuffle_permutation(n, g);
        let _ = ShuffleStages::new(n, g);
        let _ = reachability(n, g, units, with);
        let _ = shuffle_layer("s", [n, 1, 1], g);
        prop_assert!(shuffle_layer("s", [n, usize::MAX, usize::MAX], g).is_err());
        if (1..40).contains(&n) {
            let x = Tensor::zeros(n, 1, 2).unwrap();
            let _ = channel_shuffle(&x, g);
            let _ = channel_unshuffle(&x, g);
        }
    }
}

proptest! {
    /// Two shuffled units connect everything exactly when g ≤ n/g (g² ≤ n):
    /// one unit spreads a group over positions a, a+g, …, which hit every
    /// group of n/g channels only if the step g is at most n/g.
    #[test]
    fn two_units_are_full_exactly_when_g_squared_fits(g in 1usize..7, per in 1usize..9) {
        let n = g * per;
        let r = reachability(n, g, 2, true).unwrap();
        prop_assert_eq!(full(&r), g * g <= n);
    }
}
