//! Tests of [`super`]: rotations and flips against numpy, the group law, pixel constructors and bad shapes.

use super::*;

/// Reference rotation, written independently: numpy.rot90 (k = 1) is
/// `out[i][j] = in[j][w-1-i]`, output shape (w, h).
fn rot90_ref(t: &Tensor) -> Tensor {
    let (h, w) = (t.height(), t.width());
    Tensor::from_fn(t.channels(), w, h, |c, i, j| {
        t.get(c, j, w - 1 - i).unwrap()
    })
    .unwrap()
}

#[test]
fn rotation_matches_numpy_rot90_on_non_square() {
    let t = Tensor::from_fn(2, 2, 3, |c, y, x| (c * 100 + y * 10 + x) as f32).unwrap();
    let mut expect = t.clone();
    for k in 0..4 {
        assert_eq!(t.rotate90(k), expect, "k = {k}");
        expect = rot90_ref(&expect);
    }
}

#[test]
fn flip_then_rotate_is_the_element() {
    let t = Tensor::random(1, 3, 4, 1).unwrap();
    for g in D4::ALL {
        let mut e = if g.flip { t.flip() } else { t.clone() };
        for _ in 0..g.rotation {
            e = rot90_ref(&e);
        }
        assert_eq!(t.transform(g), e, "{}", g.label());
    }
}

#[test]
fn group_law_holds_on_tensors() {
    let t = Tensor::random(1, 3, 5, 2).unwrap();
    for a in D4::ALL {
        for b in D4::ALL {
            assert_eq!(
                t.transform(b).transform(a),
                t.transform(a.compose(b)),
                "{} ∘ {}",
                a.label(),
                b.label()
            );
        }
    }
}

#[test]
fn from_rgba_ignores_alpha() {
    let t = Tensor::from_rgb8(2, 1, &[255, 0, 0, 9, 0, 255, 0, 9]).unwrap();
    assert_eq!(t.data(), &[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
}

#[test]
fn bad_shapes_are_errors() {
    assert!(Tensor::zeros(0, 1, 1).is_err());
    assert!(Tensor::zeros(usize::MAX, 2, 2).is_err());
    assert!(Tensor::zeros(1 << 13, 1 << 13, 1 << 13).is_err());
    assert!(Tensor::from_gray8(3, 3, &[0; 8]).is_err());
}
