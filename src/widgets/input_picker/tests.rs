//! Tests of [`super`]: the drawing code and URL form round trips, bad input, and rendering every state.

use super::*;

fn sample_bitmap() -> Bitmap {
    let mut b = Bitmap::blank();
    for i in 0..16 {
        b.set(i, i, 3);
        b.set(i, 15 - i, (i % 4) as u8);
    }
    b
}

#[test]
fn bitmap_round_trip() {
    for b in [Bitmap::blank(), sample_bitmap()] {
        let s = encode_bitmap(&b);
        assert_eq!(s.len(), 86);
        assert!(s
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_eq!(decode_bitmap(&s).unwrap(), b);
    }
}

#[test]
fn bad_drawings_are_rejected_with_a_reason() {
    assert!(decode_bitmap("").unwrap_err().contains("86"));
    let mut s = encode_bitmap(&sample_bitmap());
    s.replace_range(3..4, "*");
    assert!(decode_bitmap(&s).unwrap_err().contains("'*'"));
    // Multi-byte characters never panic.
    assert!(decode_bitmap(&"é".repeat(43)).is_err());
}

#[test]
fn params_round_trip_and_never_panic() {
    let states = [
        InputState::Sample(Sample::Digit),
        InputState::Sample(Sample::Photo),
        InputState::Random(0),
        InputState::Random(u64::MAX),
        InputState::Drawn(sample_bitmap()),
    ];
    for s in states {
        assert_eq!(InputState::from_param(&s.to_param()).unwrap(), s);
    }
    assert_eq!(
        InputState::from_param(" Checker ").unwrap(),
        InputState::Sample(Sample::Checker)
    );
    for bad in [
        "",
        "random-",
        "random--1",
        "random-1e3",
        "draw-",
        "draw-%%",
        "cat",
        &"x".repeat(10_000),
        "draw-ééé",
    ] {
        assert!(InputState::from_param(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn renders_every_state_at_any_size_within_limits() {
    let states = [
        InputState::Sample(Sample::Digit),
        InputState::Sample(Sample::Edges),
        InputState::Sample(Sample::Checker),
        InputState::Sample(Sample::Photo),
        InputState::Random(7),
        InputState::Drawn(sample_bitmap()),
    ];
    for s in &states {
        for (c, h, w) in [(1, 1, 1), (3, 8, 12), (2, 28, 28), (0, 0, 0), (99, 9999, 3)] {
            let t = render(s, c, h, w).unwrap();
            let [tc, th, tw] = t.shape();
            assert_eq!(tc, c.clamp(1, limits::MAX_INPUT_CHANNELS));
            assert_eq!(th, h.clamp(1, limits::MAX_INPUT_SIDE));
            assert_eq!(tw, w.clamp(1, limits::MAX_INPUT_SIDE));
        }
    }
}

#[test]
fn samples_look_like_what_they_claim() {
    // The digit has ink but is mostly background.
    let d = render(&InputState::Sample(Sample::Digit), 1, 28, 28).unwrap();
    let ink = d.data().iter().filter(|v| **v > 0.5).count();
    assert!(ink > 40 && ink < 28 * 28 / 3, "ink pixels {ink}");
    // The checkerboard alternates.
    let c = render(&InputState::Sample(Sample::Checker), 1, 16, 16).unwrap();
    assert_ne!(c.get(0, 0, 0), c.get(0, 0, 2));
    assert_eq!(c.get(0, 0, 0), c.get(0, 2, 2));
    // The photo is colour: channels differ.
    let p = render(&InputState::Sample(Sample::Photo), 3, 16, 16).unwrap();
    assert!(p.channel(0).unwrap() != p.channel(2).unwrap());
    // Seeded random is reproducible and seed-dependent.
    let r1 = render(&InputState::Random(5), 1, 8, 8).unwrap();
    assert_eq!(r1, render(&InputState::Random(5), 1, 8, 8).unwrap());
    assert_ne!(r1, render(&InputState::Random(6), 1, 8, 8).unwrap());
    // Channels of a gray sample differ from each other.
    let e = render(&InputState::Sample(Sample::Edges), 3, 16, 16).unwrap();
    assert!(e.channel(0).unwrap() != e.channel(2).unwrap());
}

#[test]
fn drawing_survives_the_tensor_round_trip() {
    let b = sample_bitmap();
    let t = b.to_tensor().unwrap();
    assert_eq!(Bitmap::from_tensor(&t), b);
    let r = render(&InputState::Drawn(b.clone()), 1, 16, 16).unwrap();
    assert_eq!(r, t);
}
