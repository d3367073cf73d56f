//! Bottleneck (curriculum §2): the URL state, declared once.
//!
//! ```text
//!  #/bottleneck?N=16&M=4&K=3&bias=1&input=digit
//!  M ≤ N: a larger M is capped at N (noted); without M it is min(4, N)
//! ```

use crate::route::{cap_at, Params, Range};
use crate::widgets::InputState;

/// Range of `N`.
pub const WIDTH: (usize, usize) = (2, 128);
/// Kernel sizes offered for the middle conv.
pub const KERNELS: [usize; 4] = [1, 3, 5, 7];

crate::lesson_state! {
    /// The lesson's state, as in the URL: `#/bottleneck?N=16&M=4&K=3&bias=1&input=digit`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct BottleneckState, signals BottleneckSignals {
        /// `N` — channels in and out.
        n: usize = 16; "N", "N", "channels in and out", Range::Ints(WIDTH.0 as i64, WIDTH.1 as i64),
        /// `M` — bottleneck width (at most N).
        m: usize = 4; "M", "M", "bottleneck width (at most N)", Range::Ints(1, WIDTH.1 as i64),
        /// `K` — kernel size of the middle conv.
        k: usize = 3; "K", "K", "kernel of the middle conv", Range::OneOf(&[1, 3, 5, 7]),
        /// Count biases ("conv with bias", as the lecture).
        bias: bool = true; "bias", "bias", "with bias, as the lecture", Range::Flag,
        /// The picture the convs run on.
        input: InputState = InputState::default(); "input", "input", "the picture", Range::Text,
    }
    fix = BottleneckState::fix;
}

impl BottleneckState {
    /// The rule between fields: `M` is at most `N`.
    fn fix(&mut self, p: &mut Params<'_>) {
        self.m = cap_at(p, "M", self.m, self.n, &format!("N = {}", self.n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Query;

    fn query(pairs: &[(&str, &str)]) -> Query {
        Query::from_pairs(pairs.iter().map(|(k, v)| (*k, v.to_string())))
    }

    #[test]
    fn round_trip_and_notes() {
        let s = BottleneckState {
            n: 64,
            m: 16,
            k: 5,
            bias: false,
            input: InputState::Random(3),
        };
        assert_eq!(
            BottleneckState::read(&Query::from_pairs(s.to_query())),
            (s, vec![])
        );
        let (s, notes) = BottleneckState::read(&query(&[("N", "8"), ("M", "40")]));
        assert_eq!((s.n, s.m), (8, 8));
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.contains("M=40"));
        assert_eq!(notes[0].message, "M=40 is above the maximum 8; using 8.");
        let (s, notes) = BottleneckState::read(&query(&[("N", "abc"), ("M", "-1"), ("K", "4")]));
        assert_eq!((s.n, s.m, s.k), (16, 1, 3));
        assert_eq!(notes.len(), 3);
    }

    #[test]
    fn m_follows_n() {
        // Without M the default 4 fits any N ≥ 4 and is N below that, silently.
        let (s, notes) = BottleneckState::read(&query(&[("N", "3")]));
        assert_eq!((s.n, s.m), (3, 3));
        assert!(notes.is_empty());
        // Past the largest width: the reader's note, then the cap at N.
        let (s, notes) = BottleneckState::read(&query(&[("N", "8"), ("M", "999")]));
        assert_eq!(s.m, 8);
        assert!(notes.iter().all(|n| n.key == "M"));
        assert!(notes[0].message.contains("M=999"), "{notes:?}");
        assert_eq!(
            notes.last().map(|n| n.message.as_str()),
            Some("M=128 is more than N = 8; using 8.")
        );
        let (s, notes) = BottleneckState::read(&query(&[("N", "128"), ("M", "128")]));
        assert_eq!((s.n, s.m), (128, 128));
        assert!(notes.is_empty());
    }

    #[test]
    fn a_bad_picture_is_noted() {
        let (s, notes) = BottleneckState::read(&Query::parse("input=nope&M=2"));
        assert_eq!((s.m, s.input), (2, InputState::default()));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].key, "input");
    }

    #[test]
    fn the_slider_offers_the_declared_kernels() {
        let Some(Range::OneOf(list)) = BottleneckState::field("K").map(|f| f.range) else {
            panic!("K is read from a list");
        };
        assert!(list.iter().map(|&k| k as usize).eq(KERNELS));
    }
}
