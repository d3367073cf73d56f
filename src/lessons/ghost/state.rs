//! The Ghost module (curriculum §7): the URL state, declared once.
//!
//! ```text
//!  #/ghost?C=16&n=16&K=1&s=2&d=3&bias=1&input=digit
//! ```

use crate::route::Range;
use crate::widgets::InputState;

/// Range of `C` (input channels).
pub const C_RANGE: (usize, usize) = (1, 256);
/// Range of `n` (output channels).
pub const N_RANGE: (usize, usize) = (1, 64);
/// Range of the ratio `s`.
pub const S_RANGE: (usize, usize) = (1, 8);
/// Primary and cheap kernel sizes offered.
pub const KERNELS: [usize; 3] = [1, 3, 5];

crate::lesson_state! {
    /// The lesson's state, as in the URL: `#/ghost?C=16&n=16&K=1&s=2&d=3&bias=1&input=digit`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct GhostState, signals GhostSignals {
        /// `C` — input channels.
        c: usize = 16; "C", "C", "input channels", Range::Ints(C_RANGE.0 as i64, C_RANGE.1 as i64),
        /// `n` — output channels.
        n: usize = 16; "n", "n", "output maps", Range::Ints(N_RANGE.0 as i64, N_RANGE.1 as i64),
        /// `K` — primary kernel size.
        k: usize = 1; "K", "K", "primary kernel size", Range::OneOf(&[1, 3, 5]),
        /// `s` — every intrinsic map yields s − 1 ghosts.
        s: usize = 2; "s", "s", "ratio: 1 intrinsic + s\u{2212}1 ghosts", Range::Ints(S_RANGE.0 as i64, S_RANGE.1 as i64),
        /// `d` — the cheap depthwise kernel size.
        d: usize = 3; "d", "d", "cheap depthwise kernel size", Range::OneOf(&[1, 3, 5]),
        /// Count a bias per map (the lecture's "+1").
        bias: bool = true; "bias", "bias", "+1 bias per map (the slide counts it)", Range::Flag,
        /// The picture the module runs on.
        input: InputState = InputState::default(); "input", "input", "the picture", Range::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Query;

    #[test]
    fn default_and_round_trip() {
        let (st, notes) = GhostState::read(&Query::parse(""));
        assert_eq!(st, GhostState::default());
        assert!(notes.is_empty());
        for st in [
            GhostState::default(),
            GhostState {
                c: 256,
                n: 64,
                k: 5,
                s: 8,
                d: 1,
                bias: false,
                input: InputState::Random(7),
            },
            GhostState {
                c: 1,
                n: 1,
                k: 3,
                s: 1,
                d: 5,
                bias: true,
                input: InputState::default(),
            },
        ] {
            let q = Query::from_pairs(st.to_query());
            let (back, notes) = GhostState::read(&Query::parse(&q.serialize()));
            assert_eq!(back, st);
            assert!(notes.is_empty(), "{notes:?}");
        }
    }

    #[test]
    fn bad_values_are_clamped_with_notes() {
        let (st, notes) = GhostState::read(&Query::parse(
            "C=0&n=999&K=4&s=x&d=2&bias=maybe&input=zzz&q=1",
        ));
        assert_eq!(
            (st.c, st.n, st.k, st.s, st.d, st.bias),
            (1, 64, 3, 2, 1, true)
        );
        assert_eq!(st.input, InputState::default());
        let keys: Vec<&str> = notes.iter().map(|n| n.key.as_str()).collect();
        for k in ["C", "n", "K", "s", "d", "bias", "input", "q"] {
            assert!(keys.contains(&k), "{k} in {keys:?}");
        }
        // The notes the page's end-to-end test looks for.
        let all: String = notes.iter().map(|n| n.message.as_str()).collect();
        for s in ["C=0", "n=999", "K=4", "s=x", "d=2", "\u{201c}q\u{201d}"] {
            assert!(all.contains(s), "{s} in {all}");
        }
    }

    #[test]
    fn the_sliders_offer_the_declared_kernels() {
        for key in ["K", "d"] {
            let Some(Range::OneOf(list)) = GhostState::field(key).map(|f| f.range) else {
                panic!("{key} is read from a list");
            };
            assert!(list.iter().map(|&k| k as usize).eq(KERNELS), "{key}");
        }
    }
}
