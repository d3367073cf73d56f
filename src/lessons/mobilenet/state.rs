//! The MobileNet block (curriculum §9): the URL state, declared once.
//!
//! ```text
//!  #/mobilenet?v=1&C=128&N=128&s=1&t=6&bn=0&box=0&input=digit
//!  v1: C ─dw 3×3 (s)─▶ C ─1×1─▶ N
//!  v2: C ─1×1─▶ t·C ─dw 3×3 (s)─▶ t·C ─1×1 (linear)─▶ N  (+ C when s = 1 and C = N)
//! ```

use crate::route::{Field, Params, Range, UrlValue};
use crate::widgets::InputState;

/// Range of C (input) and N (output) channels.
pub const CH_RANGE: (usize, usize) = (8, 256);
/// Range of the expansion t.
pub const T_RANGE: (usize, usize) = (1, 6);
/// Most boxes a block has (v2 with expansion and residual).
pub const MAX_BOXES: usize = 4;

/// `(lo, hi)` as a whole-number [`Range`].
const fn ints(r: (usize, usize)) -> Range {
    Range::Ints(r.0 as i64, r.1 as i64)
}

/// Which MobileNet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// Depthwise-separable block.
    V1,
    /// Inverted residual.
    V2,
}

impl Version {
    /// The version's number, as the link writes it (`v=2`).
    pub fn number(self) -> i64 {
        match self {
            Version::V1 => 1,
            Version::V2 => 2,
        }
    }
}

/// Read as a number of the field's range (`v=3` becomes the nearest, 2, with a note).
impl UrlValue for Version {
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self {
        match <i64 as UrlValue>::read(p, field, default.number()) {
            2 => Version::V2,
            _ => Version::V1,
        }
    }
    fn write(&self) -> Option<String> {
        Some(self.number().to_string())
    }
}

crate::lesson_state! {
    /// The lesson's URL state (the lecture's v1 block 128 → 128 by default).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct MobileState, signals MobileSignals {
        /// v1 or v2.
        version: Version = Version::V1; "v", "v", "MobileNet version", Range::OneOf(&[1, 2]),
        /// Input channels C.
        c: usize = 128; "C", "C", "input channels", ints(CH_RANGE),
        /// Output channels N.
        n: usize = 128; "N", "N", "output channels", ints(CH_RANGE),
        /// Stride of the depthwise conv.
        stride: usize = 1; "s", "s", "stride of the depthwise conv", Range::OneOf(&[1, 2]),
        /// Expansion t (v2).
        t: usize = 6; "t", "t", "expansion (hidden channels t\u{b7}C)", ints(T_RANGE),
        /// No bias + BatchNorm (torchvision) instead of bias (the lecture).
        bn: bool = false; "bn", "bn", "count as torchvision (no bias + BatchNorm)", Range::Flag,
        /// Selected box.
        selected: usize = 0; "box", "box", "the selected box", Range::Ints(0, MAX_BOXES as i64 - 1),
        /// The picture the block runs on.
        input: InputState = InputState::default(); "input", "input", "the picture", Range::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Query;

    #[test]
    fn url_round_trip_and_defaults() {
        let (st, notes) = MobileState::read(&Query::default());
        assert_eq!(st, MobileState::default());
        assert!(notes.is_empty());
        let st = MobileState {
            version: Version::V2,
            c: 24,
            n: 32,
            stride: 2,
            t: 4,
            bn: true,
            selected: 3,
            input: InputState::Random(3),
        };
        let (back, notes) = MobileState::read(&Query::from_pairs(st.to_query()));
        assert_eq!(back, st);
        assert!(notes.is_empty());
    }

    #[test]
    fn hostile_urls_are_clamped_with_notes() {
        let q = Query::parse("v=3&C=1e9&N=-1&s=5&t=0&bn=2&box=NaN");
        let (st, notes) = MobileState::read(&q);
        assert_eq!(st.version, Version::V2);
        assert_eq!(
            (st.c, st.n, st.stride, st.t, st.bn, st.selected),
            (256, 8, 2, 1, false, 0)
        );
        assert_eq!(notes.len(), 7);
        let (st, notes) = MobileState::read(&Query::parse("v=0&input=nope"));
        assert_eq!((st.version, st.input), (Version::V1, InputState::default()));
        assert_eq!(notes.len(), 2, "{notes:?}");
    }
}
