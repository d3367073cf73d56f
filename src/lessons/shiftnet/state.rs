//! The ShiftNet lesson's URL state, declared once: shift window `k`, channels
//! per group `m`, the animation frame, depth of the side-by-side stacks,
//! channel count and map size of the cost panel, and the picked input.
//! Reading never panics; every repair is a note.
//!
//! ```text
//!  #/shiftnet?k=3&m=1&f=9&depth=3&C=64&H=32&in=digit
//!  k  read as 1..=99, then one of 3, 5 (the rule between fields)
//!  f  0 ..= k² (absent: k², every group shifted)
//! ```

use crate::route::{Params, Range};
use crate::widgets::InputState;

/// Shift window sides the lesson offers (directions = k²).
pub const KERNELS: [usize; 2] = [3, 5];
/// What the reader takes for `k` before [`ShiftState`]'s rule picks an offered window.
pub const K_READ: (usize, usize) = (1, 99);
/// What the reader takes for the frame `f` before [`ShiftState`]'s rule
/// clamps it to `k²` (six digits, as many as the lesson ever read; within
/// 32 bits, so the wasm build reads the same).
pub const FRAME_READ: (usize, usize) = (0, 999_999);
/// Channels per direction group.
pub const PER_GROUP: (usize, usize) = (1, 3);
/// Depth of the compared stacks.
pub const DEPTH: (usize, usize) = (1, 8);
/// Channels `C` of the cost comparison.
pub const CHANNELS: (usize, usize) = (1, 1024);
/// Spatial side `H = W` of the cost comparison.
pub const MAP_SIDE: (usize, usize) = (1, 512);

/// `(lo, hi)` as a whole-number [`Range`].
const fn ints(r: (usize, usize)) -> Range {
    Range::Ints(r.0 as i64, r.1 as i64)
}

crate::lesson_state! {
    /// Everything the ShiftNet lesson keeps in its URL.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ShiftState, signals ShiftSignals {
        /// Shift window side `k` (3 or 5): `k²` directions.
        k: usize = 3; "k", "k", "shift window (k\u{b2} directions)", ints(K_READ),
        /// Channels per direction group `m` (total channels `m·k²`).
        per_group: usize = 1; "m", "m", "channels per group", ints(PER_GROUP),
        /// Animation frame: 0 = before the shift, `k²` = every group shifted
        /// (its upper end follows `k`: the rule between fields clamps it).
        frame: usize = 9; "f", "f", "animation frame (0 \u{2026} k\u{b2})", ints(FRAME_READ),
        /// Depth of the (shift + 1×1) and 3×3 stacks compared.
        depth: usize = 3; "depth", "n", "blocks stacked", ints(DEPTH),
        /// Channels `C` of the cost comparison.
        channels: usize = 64; "C", "C", "channels", ints(CHANNELS),
        /// Map side `H = W` of the cost comparison.
        map_side: usize = 32; "H", "H", "map side (H = W)", ints(MAP_SIDE),
        /// The picked input.
        input: InputState = InputState::default(); "in", "in", "the picture", Range::Text,
    }
    fix = ShiftState::fix;
}

impl ShiftState {
    /// The rules between fields: `k` becomes an offered window (3 when it is
    /// not one), and the frame one of its `k² + 1` (the last when the link has none).
    fn fix(&mut self, p: &mut Params<'_>) {
        if !KERNELS.contains(&self.k) {
            p.push_note(
                "k",
                format!(
                    "Shift window k = {} is not offered (3 or 5); using 3.",
                    self.k
                ),
            );
            self.k = 3;
        }
        let last = self.groups();
        if !p.has("f") {
            self.frame = last;
        } else if self.frame > last {
            p.push_note(
                "f",
                format!(
                    "f={} is above the last frame {last} of k = {}; using {last}.",
                    self.frame, self.k
                ),
            );
            self.frame = last;
        }
    }

    /// Number of direction groups, `k²`.
    pub fn groups(&self) -> usize {
        self.k * self.k
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::{Note, Query};

    fn from(pairs: &[(&str, &str)]) -> (ShiftState, Vec<Note>) {
        ShiftState::read(&Query::from_pairs(
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        ))
    }

    #[test]
    fn round_trips() {
        let s = ShiftState {
            k: 5,
            per_group: 2,
            frame: 7,
            depth: 5,
            channels: 128,
            map_side: 14,
            input: InputState::Random(7),
        };
        let (back, notes) = ShiftState::read(&Query::from_pairs(s.to_query()));
        assert_eq!(back, s);
        assert!(notes.is_empty());
    }

    #[test]
    fn defaults_without_params() {
        let (s, notes) = from(&[]);
        assert_eq!(s, ShiftState::default());
        assert!(notes.is_empty());
    }

    #[test]
    fn repairs_bad_values() {
        let (s, notes) = from(&[
            ("k", "4"),
            ("m", "9"),
            ("f", "99"),
            ("depth", "x"),
            ("C", "0"),
            ("in", "nope"),
        ]);
        assert_eq!(s.k, 3);
        assert_eq!(s.per_group, PER_GROUP.1);
        assert_eq!(s.frame, 9);
        assert_eq!(s.depth, ShiftState::default().depth);
        assert_eq!(s.channels, 1);
        assert_eq!(s.input, InputState::default());
        assert_eq!(notes.len(), 6, "{notes:?}");
    }

    #[test]
    fn frame_range_follows_k() {
        assert_eq!(from(&[("k", "5"), ("f", "25")]).0.frame, 25);
        assert_eq!(from(&[("k", "3"), ("f", "25")]).0.frame, 9);
    }

    #[test]
    fn each_repair_is_one_note_that_names_it() {
        // The page's e2e spec reads "k = 4" in the note.
        let (s, notes) = from(&[("k", "4")]);
        assert_eq!((s.k, s.frame), (3, 9));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].message.contains("k = 4"), "{notes:?}");
        // Without f the figure opens on the last frame of its k.
        assert_eq!(from(&[("k", "5")]).0.frame, 25);
        // A frame past the last is one note, however far past.
        for f in ["10", "99", "999999"] {
            let (s, notes) = from(&[("f", f)]);
            assert_eq!(s.frame, 9);
            assert_eq!(notes.len(), 1, "{f}: {notes:?}");
        }
        // Past what the reader takes: clamped there, then to the last frame.
        for f in ["1000000", "4294967296", "99999999999999999999"] {
            let (s, notes) = from(&[("f", f)]);
            assert_eq!(s.frame, 9, "{f}");
            assert_eq!(notes.len(), 2, "{f}: {notes:?}");
        }
        let (s, notes) = from(&[("k", "0"), ("f", "-2")]);
        assert_eq!((s.k, s.frame), (3, 0));
        assert_eq!(notes.len(), 3, "{notes:?}");
    }
}
