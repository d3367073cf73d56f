//! Depthwise-separable convolution (curriculum §4): the URL state, declared once.
//!
//! ```text
//!  #/depthwise?C=8&N=16&K=3&mult=1&bias=1&input=digit
//! ```

use crate::route::Range;
use crate::widgets::InputState;

/// Range of `C` and `N`.
pub const CHANNELS: (usize, usize) = (1, 128);
/// Channel multipliers offered (depthwise outputs per input channel).
pub const MULTIPLIERS: (usize, usize) = (1, 4);
/// Kernel sizes offered.
pub const KERNELS: [usize; 4] = [1, 3, 5, 7];

crate::lesson_state! {
    /// The lesson's state, as in the URL: `#/depthwise?C=8&N=16&K=3&mult=1&bias=1&input=digit`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DepthwiseState, signals DepthwiseSignals {
        /// `C` — input channels.
        c: usize = 8; "C", "C", "input channels", Range::Ints(CHANNELS.0 as i64, CHANNELS.1 as i64),
        /// `N` — output channels.
        n: usize = 16; "N", "N", "output channels", Range::Ints(CHANNELS.0 as i64, CHANNELS.1 as i64),
        /// `K` — kernel size of the depthwise conv.
        k: usize = 3; "K", "K", "kernel size (K\u{d7}K)", Range::OneOf(&[1, 3, 5, 7]),
        /// Channel multiplier: depthwise maps per input channel.
        mult: usize = 1; "mult", "\u{d7}", "channel multiplier (depthwise maps per channel)", Range::Ints(MULTIPLIERS.0 as i64, MULTIPLIERS.1 as i64),
        /// Count biases ("conv with bias", as the lecture).
        bias: bool = true; "bias", "bias", "conv with bias, as the lecture", Range::Flag,
        /// The picture the convs run on.
        input: InputState = InputState::default(); "input", "input", "the picture", Range::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::{Query, Range};

    fn query(pairs: &[(&str, &str)]) -> Query {
        Query::from_pairs(pairs.iter().map(|(k, v)| (*k, v.to_string())))
    }

    #[test]
    fn round_trip() {
        for s in [
            DepthwiseState::default(),
            DepthwiseState {
                c: 128,
                n: 128,
                k: 3,
                mult: 1,
                bias: true,
                input: InputState::default(),
            },
            DepthwiseState {
                c: 3,
                n: 7,
                k: 7,
                mult: 4,
                bias: false,
                input: InputState::Random(9),
            },
        ] {
            let q = Query::from_pairs(s.to_query());
            assert_eq!(DepthwiseState::read(&q), (s, vec![]));
        }
    }

    #[test]
    fn bad_values_are_explained() {
        let (s, notes) = DepthwiseState::read(&query(&[
            ("C", "0"),
            ("mult", "9"),
            ("K", "x"),
            ("N", "1e9"),
        ]));
        // "1e9" is a number (far above the range), so it is clamped to the maximum
        // like any other too-large value; only "x" falls back to the default.
        assert_eq!((s.c, s.mult, s.k, s.n), (1, 4, 3, CHANNELS.1));
        assert_eq!(notes.len(), 4);
        let note = |key: &str| {
            notes
                .iter()
                .find(|n| n.key == key)
                .map(|n| n.message.clone())
                .unwrap_or_default()
        };
        assert!(note("C").contains("below the minimum 1"), "{}", note("C"));
        assert!(
            note("mult").contains("above the maximum 4"),
            "{}",
            note("mult")
        );
        assert!(note("K").contains("not a number"), "{}", note("K"));
        assert!(note("N").contains("above the maximum 128"), "{}", note("N"));
        assert!(crate::lessons::depthwise::model::DepthwiseModel::new(&s).is_ok());
    }

    #[test]
    fn a_bad_picture_is_noted() {
        let (s, notes) = DepthwiseState::read(&Query::parse("input=nope&C=4"));
        assert_eq!((s.c, s.input), (4, InputState::default()));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].key, "input");
    }

    #[test]
    fn the_slider_offers_the_declared_kernels() {
        let Some(Range::OneOf(list)) = DepthwiseState::field("K").map(|f| f.range) else {
            panic!("K is read from a list");
        };
        assert!(list.iter().map(|&k| k as usize).eq(KERNELS));
    }
}
