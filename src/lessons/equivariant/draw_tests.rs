//! Tests of the equivariance lesson's drawings (`draw.rs`).

use super::*;
use crate::draw::to_svg;
use crate::lessons::equivariant::model::compute;
use crate::lessons::equivariant::state::EquivState;

fn tiles(n: usize) -> Vec<Tensor> {
    (0..n)
        .map(|i| Tensor::random(1, 3, 3, i as u64).unwrap())
        .collect()
}

#[test]
fn grid_tiles_do_not_overlap_and_fit() {
    let style = Style::default();
    for (order, w, h) in [(8, 600.0, 320.0), (4, 600.0, 200.0), (8, 360.0, 240.0)] {
        let l = grid_layout(order, w, h, &style);
        assert_eq!(l.tiles.len(), order);
        assert!(l.side > 20.0, "{order} {w} {h}: {}", l.side);
        for (i, a) in l.tiles.iter().enumerate() {
            assert!(a.2 <= w + 0.5 && a.3 <= h + 0.5, "{a:?} outside {w}x{h}");
            for b in &l.tiles[..i] {
                let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
        // Rotation along x, flip along y.
        if order == 8 {
            assert!(l.tiles[1].0 > l.tiles[0].0 && l.tiles[1].1 == l.tiles[0].1);
            assert!(l.tiles[4].1 > l.tiles[0].1 && l.tiles[4].0 == l.tiles[0].0);
        }
    }
}

#[test]
fn orbit_svg_has_labels_and_structure() {
    let svg = to_svg(640, 320, |a| {
        draw_orbit(
            a,
            &tiles(8),
            Palette::Diverging(None),
            Some(2),
            true,
            &Style::default(),
        )
    })
    .unwrap()
    .replace('\n', "");
    for s in ["0\u{b0}", "270\u{b0}", "no flip", "flip", ">r<", ">f<"] {
        assert!(svg.contains(s), "missing {s}");
    }
    let p4 = to_svg(640, 200, |a| {
        draw_orbit(
            a,
            &tiles(4),
            Palette::Diverging(None),
            None,
            true,
            &Style::default(),
        )
    })
    .unwrap();
    assert!(!p4.contains("no flip") || !p4.contains(">flip<"));
    assert!(to_svg(100, 100, |a| draw_orbit(
        a,
        &[],
        Palette::default(),
        None,
        true,
        &Style::default()
    ))
    .is_err());
}

#[test]
fn permutation_svg_draws_one_arrow_per_map() {
    let st = EquivState::default();
    let x = Tensor::random(1, 8, 8, 4).unwrap();
    let v = compute(&st, &x).unwrap();
    let split = |t: &Tensor| -> Vec<Tensor> {
        (0..t.channels())
            .map(|c| t.channels_range(c..c + 1).unwrap())
            .collect()
    };
    let svg = to_svg(900, 300, |a| {
        draw_permutation(
            a,
            &split(&v.maps),
            &split(&v.maps_h),
            &v.perm,
            Palette::Diverging(None),
            &Style::default(),
        )
    })
    .unwrap();
    assert_eq!(svg.matches("<polygon").count(), 8, "one arrow head per map");
    assert!(svg.contains("maps of h"));
    // A bad permutation is an error, not a panic.
    let bad = to_svg(900, 300, |a| {
        draw_permutation(
            a,
            &split(&v.maps),
            &split(&v.maps_h),
            &[9; 8],
            Palette::Diverging(None),
            &Style::default(),
        )
    });
    assert!(bad.is_err());
}

#[test]
fn tiny_areas_do_not_fail() {
    let t = tiles(8);
    assert!(to_svg(10, 10, |a| draw_orbit(
        a,
        &t,
        Palette::default(),
        None,
        true,
        &Style::default()
    ))
    .is_ok());
    assert!(to_svg(10, 10, |a| draw_permutation(
        a,
        &t,
        &t,
        &[0, 1, 2, 3, 4, 5, 6, 7],
        Palette::default(),
        &Style::default()
    ))
    .is_ok());
}

#[test]
fn every_orbit_arrow_maps_its_source_tile_to_its_target() {
    // The figure's tiles are the lifted filters; every arrow it draws must be true of them.
    for seed in 0..20 {
        let w = Tensor::random(1, 3, 3, seed).unwrap();
        let tiles: Vec<Tensor> = D4::ALL.iter().map(|&g| w.transform(g)).collect();
        for n in [4, 8] {
            let arrows = orbit_arrows(n);
            assert_eq!(arrows.len(), if n == 8 { 12 } else { 4 });
            for a in arrows {
                assert!(a.to < n, "{a:?}");
                assert_eq!(tiles[a.from].transform(a.op), tiles[a.to], "{a:?}");
            }
        }
    }
    // f under 90° lands under 270°, not under 90°: f·r = r³·f.
    let f90 = orbit_arrows(8)
        .into_iter()
        .find(|a| a.from == 1 && a.label == "f")
        .unwrap();
    assert_eq!(D4::ALL[f90.to], D4::new(3, true));
}

#[test]
fn the_lifted_filters_are_the_tiles_the_arrows_describe() {
    let st = EquivState::default();
    let lift = st.lifting().unwrap();
    let w = Tensor::new(1, 3, 3, lift.filter(0).unwrap().weight().to_vec()).unwrap();
    for (i, g) in D4::ALL.iter().enumerate() {
        let f = Tensor::new(1, 3, 3, lift.filter(i).unwrap().weight().to_vec()).unwrap();
        assert_eq!(f, w.transform(*g), "filter {i} is {}·w", g.label());
    }
}
