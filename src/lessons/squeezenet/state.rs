//! SqueezeNet's Fire module (curriculum §8): the URL state, declared once.
//!
//! ```text
//!  #/squeezenet?C=128&S=16&E1=64&E3=64&bn=0&box=0&input=digit
//!  C ─squeeze 1×1─▶ S ─┬─expand 1×1─▶ E1 ─┐
//!                      └─expand 3×3─▶ E3 ─┴─concat─▶ E1 + E3
//! ```

use convlab_core::blocks::FireSpec;

use crate::route::Range;
use crate::widgets::InputState;

/// Range of the input channels C.
pub const C_RANGE: (usize, usize) = (8, 256);
/// Range of the squeeze channels S.
pub const S_RANGE: (usize, usize) = (1, 64);
/// Range of E1 and E3.
pub const E_RANGE: (usize, usize) = (1, 256);
/// Boxes of a Fire module: squeeze, expand 1×1, expand 3×3, concat.
pub const BOXES: usize = 4;

/// `(lo, hi)` as a whole-number [`Range`].
const fn ints(r: (usize, usize)) -> Range {
    Range::Ints(r.0 as i64, r.1 as i64)
}

crate::lesson_state! {
    /// The lesson's URL state (the lecture's Fire module by default).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FireState, signals FireSignals {
        /// Input channels C.
        c: usize = FireSpec::default().in_channels; "C", "C", "input channels", ints(C_RANGE),
        /// Squeeze channels S.
        s: usize = FireSpec::default().squeeze; "S", "S", "squeeze 1\u{d7}1 channels", ints(S_RANGE),
        /// Expand 1×1 channels E1.
        e1: usize = FireSpec::default().expand1; "E1", "E1", "expand 1\u{d7}1 channels", ints(E_RANGE),
        /// Expand 3×3 channels E3.
        e3: usize = FireSpec::default().expand3; "E3", "E3", "expand 3\u{d7}3 channels", ints(E_RANGE),
        /// "no bias + BN" convention toggle (the Fire module keeps its bias either way).
        bn: bool = false; "bn", "bn", "count as torchvision (no bias + BatchNorm)", Range::Flag,
        /// Selected box.
        selected: usize = 0; "box", "box", "the selected box", Range::Ints(0, BOXES as i64 - 1),
        /// The picture the module runs on.
        input: InputState = InputState::default(); "input", "input", "the picture", Range::Text,
    }
}

impl FireState {
    /// The kernel crate's spec.
    pub fn spec(&self) -> FireSpec {
        FireSpec::new(self.c, self.s, self.e1, self.e3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Query;

    #[test]
    fn url_round_trip_and_defaults() {
        let (st, notes) = FireState::read(&Query::default());
        assert_eq!(st, FireState::default());
        assert!(notes.is_empty());
        let st = FireState {
            c: 64,
            s: 8,
            e1: 32,
            e3: 48,
            bn: true,
            selected: 2,
            input: InputState::Random(5),
        };
        let q = Query::from_pairs(st.to_query());
        let (back, notes) = FireState::read(&q);
        assert_eq!(back, st);
        assert!(notes.is_empty());
    }

    #[test]
    fn hostile_urls_are_clamped_with_notes() {
        let q = Query::parse("C=0&S=999&E1=abc&E3=-5&bn=maybe&box=77&zzz=1");
        let (st, notes) = FireState::read(&q);
        assert_eq!(
            (st.c, st.s, st.e1, st.e3, st.bn, st.selected),
            (8, 64, 64, 1, false, 3)
        );
        assert_eq!(notes.len(), 7);
        for n in &notes {
            assert!(!n.message.is_empty());
        }
        // The page's e2e spec reads "C=0" in the note.
        assert!(notes[0].message.starts_with("C=0 "), "{notes:?}");
        let (st, notes) = FireState::read(&Query::parse("input=nope"));
        assert_eq!(st.input, InputState::default());
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].key, "input");
    }

    #[test]
    fn lecture_spec() {
        assert_eq!(FireState::default().spec(), FireSpec::default());
    }
}
