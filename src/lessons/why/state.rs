//! Lesson 1's URL state, declared once: the layer's sizes, its filling, the
//! 1-D signal length, the animation frame and the picture.
//!
//! ```text
//!  #/why?M=8&N=8&C=3&K=3&D=4&s=1&p=1&bias=1&w=edges&len=8&t=0&input=digit
//!  p absent: "same" padding (K−1)/2      t: clamped to the layer's last frame
//! ```

use crate::route::{Named, Params, Range};
use crate::widgets::InputState;

/// Largest feature-map side `M`, `N` on the sliders (keeps the live forward pass instant).
pub const MAX_SIDE: usize = 32;
/// Largest channel count `C` and filter count `D` on the sliders.
pub const MAX_CH: usize = 16;
/// Largest kernel size `K`.
pub const MAX_K: usize = 7;
/// Largest stride `s`.
pub const MAX_STRIDE: usize = 4;
/// Largest padding `p`.
pub const MAX_PAD: usize = 3;
/// Range of the 1-D signal length.
pub const LEN_RANGE: (usize, usize) = (3, 16);

/// How the filters are filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weights {
    /// Hand-made detectors (vertical/horizontal edges, blur, diagonal): readable maps.
    Edges,
    /// PyTorch's default initialisation, seeded.
    Random,
}

impl Named for Weights {
    const ALL: &'static [Weights] = &[Weights::Edges, Weights::Random];
    fn name(self) -> &'static str {
        match self {
            Weights::Edges => "edges",
            Weights::Random => "random",
        }
    }
}

crate::lesson_state! {
    /// Everything the lesson's URL holds.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct WhyState, signals WhySignals {
        /// Feature-map height `M`.
        m: usize = 8; "M", "M", "feature-map height", Range::Ints(1, MAX_SIDE as i64),
        /// Feature-map width `N`.
        n: usize = 8; "N", "N", "feature-map width", Range::Ints(1, MAX_SIDE as i64),
        /// Input channels `C`.
        c: usize = 3; "C", "C", "input channels", Range::Ints(1, MAX_CH as i64),
        /// Kernel size `K`.
        k: usize = 3; "K", "K", "kernel size", Range::Ints(1, MAX_K as i64),
        /// Number of filters `D`.
        d: usize = 4; "D", "D", "filters (output channels)", Range::Ints(1, MAX_CH as i64),
        /// Stride `s`.
        s: usize = 1; "s", "s", "stride", Range::Ints(1, MAX_STRIDE as i64),
        /// Zero padding on each side ("same", (K−1)/2, when the link has none).
        p: usize = 1; "p", "p", "zero padding", Range::Ints(0, MAX_PAD as i64),
        /// One bias per filter.
        bias: bool = true; "bias", "bias", "+1 bias per filter", Range::Flag,
        /// How the filters are filled.
        weights: Weights = Weights::Edges; "w", "w", "weights", Range::Names(&["edges", "random"]),
        /// 1-D signal length (the slide's N in "dense vs conv").
        len: usize = 8; "len", "N", "signal length", Range::Ints(LEN_RANGE.0 as i64, LEN_RANGE.1 as i64),
        /// Animation frame: output cells computed so far − 1 (at most the layer's last).
        t: usize = 0; "t", "t", "animation frame", Range::Ints(0, i64::MAX),
        /// The picture the layer convolves.
        input: InputState = InputState::default(); "input", "input", "the picture", Range::Text,
    }
    fix = WhyState::fix;
}

impl WhyState {
    /// The rules between fields: without `p` the padding is "same" for the
    /// kernel read, and the frame `t` is one the resulting layer has.
    fn fix(&mut self, p: &mut Params<'_>) {
        if !p.has("p") {
            self.p = ((self.k.max(1) - 1) / 2).min(MAX_PAD);
        }
        let frames = self.frames().unwrap_or(1);
        if self.t >= frames {
            let last = frames - 1;
            p.push_note(
                "t",
                format!(
                    "t={} is past the last frame {last} of this layer; using {last}.",
                    self.t
                ),
            );
            self.t = last;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Query;

    #[test]
    fn defaults_round_trip_through_the_url() {
        let st = WhyState {
            m: 12,
            n: 9,
            c: 5,
            k: 5,
            d: 7,
            s: 2,
            p: 2,
            bias: false,
            weights: Weights::Random,
            len: 11,
            t: 17,
            input: InputState::Random(4),
        };
        let q = Query::from_pairs(st.to_query());
        let (back, notes) = WhyState::read(&Query::parse(&q.serialize()));
        assert_eq!(back, st);
        assert!(notes.is_empty(), "{notes:?}");
        let (d, notes) = WhyState::read(&Query::default());
        assert_eq!(d, WhyState::default());
        assert!(notes.is_empty());
    }

    #[test]
    fn the_link_keeps_its_order() {
        let keys: Vec<&str> = WhyState::default()
            .to_query()
            .iter()
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(
            keys,
            ["M", "N", "C", "K", "D", "s", "p", "bias", "w", "len", "t", "input"]
        );
        assert_eq!(WhyState::KEYS, keys.as_slice());
    }

    #[test]
    fn hostile_values_are_clamped_with_notes() {
        let (st, notes) = WhyState::read(&Query::parse("K=0&M=-3&C=1e9&s=NaN&t=99999&bias=2"));
        assert_eq!((st.k, st.m, st.c, st.s), (1, 1, MAX_CH, 1));
        assert_eq!(notes.len(), 6, "{notes:?}");
        assert!(notes
            .iter()
            .any(|n| n.message == "K=0 is below the minimum 1; using 1."));
        assert!(notes
            .iter()
            .any(|n| n.key == "t" && n.message.contains("past the last frame")));
    }

    #[test]
    fn padding_defaults_to_same() {
        for (k, p) in [(1, 0), (3, 1), (5, 2), (7, 3), (4, 1)] {
            let (st, notes) = WhyState::read(&Query::parse(&format!("K={k}")));
            assert_eq!(st.p, p, "K={k}");
            assert!(notes.is_empty());
        }
        let (st, _) = WhyState::read(&Query::parse("K=5&p=0"));
        assert_eq!(st.p, 0, "a given p is kept");
    }

    #[test]
    fn the_frame_is_clamped_to_the_layer() {
        // 4 filters of 8×8: frames 0..=255.
        let (st, notes) = WhyState::read(&Query::parse("t=255"));
        assert_eq!((st.t, notes.len()), (255, 0));
        let (st, notes) = WhyState::read(&Query::parse("t=256"));
        assert_eq!(st.t, 255);
        assert_eq!(
            notes[0].message,
            "t=256 is past the last frame 255 of this layer; using 255."
        );
    }

    #[test]
    fn a_bad_picture_is_noted() {
        let (st, notes) = WhyState::read(&Query::parse("input=nope"));
        assert_eq!(st.input, InputState::default());
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].key, "input");
    }
}
