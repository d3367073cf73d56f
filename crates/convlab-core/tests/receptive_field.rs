//! Receptive fields: the recurrence by hand, the traced cells against it,
//! the 2-D outer-product counts against a brute-force 2-D traversal,
//! WaveNet, and the gridding effect.

use convlab_core::receptive::{
    feed_1d, feed_2d, map_lengths, receptive_field, RfInfo, RfKind, RfLayer, MAX_LAYERS,
};
use convlab_core::{Conv2dSpec, Error};
use proptest::prelude::*;
use std::collections::HashMap;

fn wavenet() -> Vec<RfLayer> {
    (0..10).map(|i| RfLayer::causal(2, 1 << i)).collect()
}

#[test]
fn recurrence_by_hand() {
    let three = [RfLayer::same(3, 1); 3];
    let r = receptive_field(&three).unwrap();
    assert_eq!(r.iter().map(|i| i.size).collect::<Vec<_>>(), [1, 3, 5, 7]);
    assert_eq!(
        r[3],
        RfInfo {
            size: 7,
            jump: 1,
            start: -3
        }
    );
    // Strided: conv 3 s2 p1, conv 3 s2 p1: 1 → 3 → 3 + 2·2 = 7, jump 4, start −1 − 1·2 = −3.
    let s = receptive_field(&[RfLayer::conv(3, 2, 1, 1), RfLayer::conv(3, 2, 1, 1)]).unwrap();
    assert_eq!(
        s[2],
        RfInfo {
            size: 7,
            jump: 4,
            start: -3
        }
    );
    // Dilated 3-taps 1, 2, 4: 1 + 2 + 4 + 8 = 15.
    let d = receptive_field(&[
        RfLayer::same(3, 1),
        RfLayer::same(3, 2),
        RfLayer::same(3, 4),
    ])
    .unwrap();
    assert_eq!(d[3].size, 15);
    assert!(
        receptive_field(&[]).unwrap()
            == [RfInfo {
                size: 1,
                jump: 1,
                start: 0
            }]
    );
}

#[test]
fn wavenet_field_is_1024_and_every_input_has_one_path() {
    let stack = wavenet();
    let r = receptive_field(&stack).unwrap();
    assert_eq!(r.last().unwrap().size, 1024);
    assert_eq!(r.last().unwrap().start, -1023);
    let f = feed_1d(&stack, 2048, 2047).unwrap();
    assert!(!f.clipped());
    assert_eq!(f.fed(0), (1024..2048).collect::<Vec<_>>());
    assert!(f.counts(0)[1024..].iter().all(|&c| c == 1));
    assert_eq!(f.total_paths(0), 1024);
    assert_eq!(f.holes(0), 0);
    // Intermediate map l (after l layers) feeds the output from 2^(10−l) cells.
    for l in 0..=10 {
        assert_eq!(f.fed(l).len(), 1 << (10 - l), "map {l}");
    }
}

#[test]
fn gridding_effect_of_equal_dilations() {
    // 2, 2, 2: field 13, but only the 7 even offsets are reached.
    let grid = [RfLayer::same(3, 2); 3];
    assert_eq!(receptive_field(&grid).unwrap()[3].size, 13);
    let f = feed_1d(&grid, 31, 15).unwrap();
    assert_eq!(f.span(0), Some((9, 21)));
    assert_eq!(f.fed(0), [9, 11, 13, 15, 17, 19, 21]);
    assert_eq!(f.holes(0), 6);
    // Counts: trinomial coefficients of three {−1, 0, 1} steps.
    assert_eq!(
        f.fed(0).iter().map(|&i| f.counts(0)[i]).collect::<Vec<_>>(),
        [1, 3, 6, 7, 6, 3, 1]
    );
    let f2 = feed_2d(&grid, (31, 31), (15, 15)).unwrap();
    assert_eq!(f2.fed_cells(0), 49);
    let (h, w) = f2.shape(0);
    let holes_2d = (9..=21)
        .flat_map(|y| (9..=21).map(move |x| (y, x)))
        .filter(|&(y, x)| f2.count(0, y, x) == 0)
        .count();
    assert_eq!((h, w, holes_2d), (31, 31, 169 - 49));

    // 1, 2, 5 (hybrid dilation): field 17, no holes.
    let hdc = [
        RfLayer::same(3, 1),
        RfLayer::same(3, 2),
        RfLayer::same(3, 5),
    ];
    assert_eq!(receptive_field(&hdc).unwrap()[3].size, 17);
    let f = feed_1d(&hdc, 41, 20).unwrap();
    assert_eq!(f.span(0), Some((12, 28)));
    assert_eq!(f.holes(0), 0);
    assert_eq!(f.fed(0).len(), 17);

    // 1, 2, 4, 8: field 31, no holes, but unequal contributions.
    let pow2: Vec<RfLayer> = [1, 2, 4, 8].iter().map(|&d| RfLayer::same(3, d)).collect();
    assert_eq!(receptive_field(&pow2).unwrap()[4].size, 31);
    let f = feed_1d(&pow2, 61, 30).unwrap();
    assert_eq!(f.fed(0).len(), 31);
    assert_eq!(f.holes(0), 0);
    let c = f.counts(0);
    assert_eq!((c[15], c[30], c[45]), (1, 1, 1)); // the two ends and offset −15, +15
                                                  // Offset −1 = −1 = 1 − 2 = 1 + 2 − 4 = 1 + 2 + 4 − 8: four paths; the centre only one.
    assert_eq!(c[29], 4);
    assert!(c.iter().any(|&v| v > 4));
}

#[test]
fn shift_plus_pointwise_grows_like_3x3() {
    let shift_net: Vec<RfLayer> = (0..3)
        .flat_map(|_| [RfLayer::shift(3), RfLayer::conv(1, 1, 1, 0)])
        .collect();
    let conv_net = [RfLayer::same(3, 1); 3];
    let a = receptive_field(&shift_net).unwrap();
    let b = receptive_field(&conv_net).unwrap();
    assert_eq!(a.last().unwrap(), b.last().unwrap());
    let fa = feed_1d(&shift_net, 15, 7).unwrap();
    let fb = feed_1d(&conv_net, 15, 7).unwrap();
    assert_eq!(fa.counts(0), fb.counts(0));
    assert_eq!(shift_net[0].kind, RfKind::Shift);
    assert_eq!(shift_net[0].label(), "shift 3");
}

#[test]
fn pooling_and_strides() {
    let stack = [
        RfLayer::same(3, 1),
        RfLayer::same(3, 1),
        RfLayer::pool(2, 2, 0),
        RfLayer::same(3, 1),
    ];
    assert_eq!(map_lengths(&stack, 16).unwrap(), [16, 16, 16, 8, 8]);
    let r = receptive_field(&stack).unwrap();
    assert_eq!(
        r[4],
        RfInfo {
            size: 10,
            jump: 2,
            start: -4
        }
    );
    let f = feed_1d(&stack, 16, 3).unwrap();
    // Output 3 sees start + 3·jump = 2 .. 2 + 10 − 1 = 11.
    assert_eq!(f.span(0), Some((2, 11)));
    assert!(!f.clipped());
    assert_eq!(f.counts(3)[2..5], [1, 1, 1]);
}

#[test]
fn border_cells_are_clipped() {
    let f = feed_1d(&[RfLayer::same(3, 1); 2], 9, 0).unwrap();
    assert!(f.clipped());
    assert_eq!(f.span(0), Some((0, 2)));
    // Output 0 reads map-1 cells 0, 1 (−1 is padding); each reads its 3-window.
    assert_eq!(&f.counts(0)[..3], &[2, 2, 1]);
}

#[test]
fn from_a_conv_spec() {
    let spec = Conv2dSpec::standard(8, 8, 3)
        .with_dilation(2)
        .with_stride(2);
    let l = RfLayer::from_conv_spec(&spec);
    assert_eq!(
        (l.kernel, l.stride, l.dilation, l.pad_before, l.pad_after),
        (3, 2, 2, 2, 2)
    );
    assert_eq!(l.output_len(9).unwrap(), spec.output_hw(9, 9).unwrap().0);
}

#[test]
fn readable_errors() {
    let e = map_lengths(&[RfLayer::same(3, 1), RfLayer::conv(9, 1, 1, 0)], 5).unwrap_err();
    assert_eq!(
        e.to_string(),
        "receptive field: layer 2 (conv 9): the window spans 9 cells, more than the padded map of 5"
    );
    assert!(matches!(
        receptive_field(&[RfLayer::conv(3, 0, 1, 0)]),
        Err(Error::InvalidSpec { .. })
    ));
    assert!(matches!(
        receptive_field(&[RfLayer::shift(2)]),
        Err(Error::InvalidSpec { .. })
    ));
    assert!(matches!(
        receptive_field(&vec![RfLayer::same(3, 1); MAX_LAYERS + 1]),
        Err(Error::TooLarge { .. })
    ));
    assert!(matches!(
        feed_1d(&[RfLayer::same(3, 1)], 5, 5),
        Err(Error::OutOfRange { .. })
    ));
    assert!(feed_1d(&[], 0, 0).is_err());
    // 64 layers of stride 16384 overflow the jump: an error, not a wrap.
    assert!(matches!(
        receptive_field(&vec![RfLayer::conv(2, 1 << 14, 1, 0); 64]),
        Err(Error::TooLarge { .. })
    ));
    // Work limit: 64 layers of a 16384-cell map with 16383-wide windows.
    let wide = vec![RfLayer::same(16383, 1); 64];
    assert!(matches!(
        feed_1d(&wide, 16384, 0),
        Err(Error::TooLarge { .. })
    ));
}

/// Brute force: enumerate every 2-D path from the output cell down, one
/// (ky, kx) tap per layer, counting arrivals per cell of every map.
fn brute_force_2d(
    stack: &[RfLayer],
    hw: (usize, usize),
    out: (usize, usize),
) -> Vec<HashMap<(usize, usize), u64>> {
    let mut shapes = vec![hw];
    for l in stack {
        let (h, w) = *shapes.last().unwrap();
        shapes.push((l.output_len(h).unwrap(), l.output_len(w).unwrap()));
    }
    let mut maps = vec![HashMap::new(); stack.len() + 1];
    fn walk(
        stack: &[RfLayer],
        shapes: &[(usize, usize)],
        maps: &mut [HashMap<(usize, usize), u64>],
        l: usize,
        cell: (usize, usize),
    ) {
        *maps[l].entry(cell).or_insert(0) += 1;
        if l == 0 {
            return;
        }
        let layer = &stack[l - 1];
        let (h, w) = shapes[l - 1];
        for ky in 0..layer.kernel {
            for kx in 0..layer.kernel {
                let y =
                    (cell.0 * layer.stride + ky * layer.dilation) as i64 - layer.pad_before as i64;
                let x =
                    (cell.1 * layer.stride + kx * layer.dilation) as i64 - layer.pad_before as i64;
                if y >= 0 && x >= 0 && (y as usize) < h && (x as usize) < w {
                    walk(stack, shapes, maps, l - 1, (y as usize, x as usize));
                }
            }
        }
    }
    let top = stack.len();
    walk(stack, &shapes, &mut maps, top, out);
    maps
}

fn small_layer() -> impl Strategy<Value = RfLayer> {
    prop_oneof![
        (1usize..4, 1usize..3, 1usize..3, 0usize..3)
            .prop_map(|(k, s, d, p)| RfLayer::conv(k, s, d, p)),
        (1usize..3).prop_map(|k| RfLayer::shift(2 * k - 1)),
        (1usize..3, 1usize..3).prop_map(|(k, s)| RfLayer::pool(k, s, 0)),
        (1usize..3, 1usize..3).prop_map(|(k, d)| RfLayer::causal(k, d)),
    ]
}

proptest! {
    #[test]
    fn two_d_counts_are_the_outer_product_of_1d(stack in prop::collection::vec(small_layer(), 0..4),
                                                 h in 6usize..12, w in 6usize..12, oy in 0usize..20, ox in 0usize..20) {
        let Ok(lens_h) = map_lengths(&stack, h) else { return Ok(()) };
        let Ok(lens_w) = map_lengths(&stack, w) else { return Ok(()) };
        let out = (oy % lens_h.last().unwrap(), ox % lens_w.last().unwrap());
        let f = feed_2d(&stack, (h, w), out).unwrap();
        let brute = brute_force_2d(&stack, (h, w), out);
        for (l, map) in brute.iter().enumerate() {
            let (mh, mw) = f.shape(l);
            let grid = f.grid(l).unwrap();
            for y in 0..mh {
                for x in 0..mw {
                    let b = map.get(&(y, x)).copied().unwrap_or(0);
                    prop_assert_eq!(f.count(l, y, x), b, "map {} cell ({}, {})", l, y, x);
                    prop_assert_eq!(grid[y * mw + x], b);
                }
            }
            prop_assert_eq!(f.fed_cells(l), map.len());
        }
    }

    #[test]
    fn unclipped_span_equals_the_recurrence(stack in prop::collection::vec(small_layer(), 1..6), extra in 0usize..30, pick in 0usize..1000) {
        let r = receptive_field(&stack).unwrap();
        let top = *r.last().unwrap();
        let n = top.size as usize * 2 + extra + 8;
        let Ok(lens) = map_lengths(&stack, n) else { return Ok(()) };
        let out = pick % lens.last().unwrap();
        let f = feed_1d(&stack, n, out).unwrap();
        let first = top.start + (out as i64) * top.jump as i64;
        let last = first + top.size as i64 - 1;
        let Some((a, b)) = f.span(0) else {
            // Every path ran into padding (e.g. a 1-tap conv with padding at the edge).
            prop_assert!(f.clipped());
            return Ok(());
        };
        if !f.clipped() {
            prop_assert_eq!((a as i64, b as i64), (first, last));
        }
        // With or without clipping, every fed cell lies inside the recurrence's window.
        prop_assert!(a as i64 >= first && b as i64 <= last);
        if stack.iter().all(|l| l.pad_before == 0 && l.pad_after == 0) {
            // Without padding every tap lands on a real cell.
            prop_assert!(!f.clipped());
            prop_assert_eq!(b - a + 1, top.size as usize);
        }
    }

    #[test]
    fn never_panics(k in prop_oneof![0usize..5, Just(usize::MAX), Just(1usize << 20)],
                    s in prop_oneof![0usize..4, Just(usize::MAX)],
                    d in prop_oneof![0usize..4, Just(usize::MAX)],
                    p in prop_oneof![0usize..4, Just(usize::MAX)],
                    layers in prop_oneof![0usize..5, Just(65usize)],
                    n in prop_oneof![0usize..40, Just(usize::MAX)], o in prop_oneof![0usize..40, Just(usize::MAX)]) {
        let stack = vec![RfLayer::conv(k, s, d, p); layers];
        let _ = receptive_field(&stack);
        let _ = map_lengths(&stack, n);
        let _ = feed_1d(&stack, n, o);
        let _ = feed_2d(&stack, (n, n), (o, o));
        let _ = RfLayer::causal(k, d).output_len(n);
        let _ = RfLayer::same(k, d).span();
        let _ = receptive_field(&[RfLayer::shift(k), RfLayer::pool(k, s, p)]);
    }
}

/// Independent check with the real kernels: with all-ones weights and no
/// bias a conv stack is linear, and the output cell's value for a one-hot
/// input at cell c is exactly the number of paths from c.
#[test]
fn path_counts_equal_one_hot_responses_of_real_ones_convs() {
    use convlab_core::{Conv2d, Tensor};
    let stacks: Vec<Vec<RfLayer>> = vec![
        vec![
            RfLayer::same(3, 1),
            RfLayer::same(3, 2),
            RfLayer::conv(3, 2, 1, 1),
        ],
        vec![
            RfLayer::shift(3),
            RfLayer::conv(1, 1, 1, 0),
            RfLayer::pool(2, 2, 0),
            RfLayer::same(3, 1),
        ],
        vec![RfLayer::conv(2, 1, 3, 2), RfLayer::same(5, 1)],
    ];
    for stack in stacks {
        let convs: Vec<Conv2d> = stack
            .iter()
            .map(|l| {
                let spec = Conv2dSpec {
                    kernel: (l.kernel, l.kernel),
                    stride: (l.stride, l.stride),
                    dilation: (l.dilation, l.dilation),
                    padding: (l.pad_before, l.pad_before),
                    bias: false,
                    ..Conv2dSpec::default()
                };
                Conv2d::from_fn(spec, |_, _, _, _| 1.0).unwrap()
            })
            .collect();
        let (h, w) = (11, 9);
        let lens_h = map_lengths(&stack, h).unwrap();
        let lens_w = map_lengths(&stack, w).unwrap();
        let out = (lens_h.last().unwrap() / 2, lens_w.last().unwrap() - 1);
        let f = feed_2d(&stack, (h, w), out).unwrap();
        for y in 0..h {
            for x in 0..w {
                let mut t =
                    Tensor::from_fn(1, h, w, |_, yy, xx| f32::from(u8::from((yy, xx) == (y, x))))
                        .unwrap();
                for c in &convs {
                    t = c.forward(&t).unwrap();
                }
                assert_eq!(
                    t.shape(),
                    [1, *lens_h.last().unwrap(), *lens_w.last().unwrap()]
                );
                let v = t.get(0, out.0, out.1).unwrap();
                assert_eq!(v as u64, f.count(0, y, x), "{:?} cell ({y}, {x})", stack);
            }
        }
    }
}
