//! The ShiftNet lesson's URL state: shift window `k`, channels per group `m`,
//! depth of the side-by-side stacks, channel count and map size of the cost
//! panel, and the animation frame. Parsing never panics; repairs are notes.

use crate::lessons::dilated::state::{parse_number, sentence, unknown_keys};
use crate::route::{Note, Query};
use crate::widgets::InputState;

/// Shift window sides the lesson offers (directions = k²).
pub const KERNELS: [usize; 2] = [3, 5];
/// Channels per direction group.
pub const PER_GROUP: (usize, usize) = (1, 3);
/// Depth of the compared stacks.
pub const DEPTH: (usize, usize) = (1, 8);
/// Channels `C` of the cost comparison.
pub const CHANNELS: (usize, usize) = (1, 1024);
/// Spatial side `H = W` of the cost comparison.
pub const MAP_SIDE: (usize, usize) = (1, 512);

/// Everything the ShiftNet lesson keeps in its URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShiftState {
    /// Shift window side `k` (3 or 5): `k²` directions.
    pub k: usize,
    /// Channels per direction group `m` (total channels `m·k²`).
    pub per_group: usize,
    /// Animation frame: 0 = before the shift, `k²` = every group shifted.
    pub frame: usize,
    /// Depth of the (shift + 1×1) and 3×3 stacks compared.
    pub depth: usize,
    /// Channels `C` of the cost comparison.
    pub channels: usize,
    /// Map side `H = W` of the cost comparison.
    pub map_side: usize,
    /// The picked input (`in`).
    pub input: InputState,
}

impl Default for ShiftState {
    fn default() -> Self {
        ShiftState {
            k: 3,
            per_group: 1,
            frame: 9,
            depth: 3,
            channels: 64,
            map_side: 32,
            input: InputState::default(),
        }
    }
}

impl ShiftState {
    /// Number of direction groups, `k²`.
    pub fn groups(&self) -> usize {
        self.k * self.k
    }

    /// The URL keys this lesson reads.
    pub const KEYS: [&'static str; 7] = ["k", "m", "f", "depth", "C", "H", "in"];

    /// Reads the state from a URL query; never panics, every repair is a [`Note`].
    pub fn from_query(q: &Query) -> (ShiftState, Vec<Note>) {
        let d = ShiftState::default();
        let mut notes: Vec<Note> = q.notes().to_vec();
        let mut keep = |key: &str, n: Vec<String>| {
            notes.extend(n.into_iter().map(|m| Note::new(key, sentence(m))));
        };
        let k_raw = parse_number("shift window k", q.get("k"), (1, 99), d.k);
        keep("k", k_raw.notes);
        let k = if KERNELS.contains(&k_raw.value) {
            k_raw.value
        } else {
            keep(
                "k",
                vec![format!(
                    "Shift window k = {} is not offered (3 or 5); using 3",
                    k_raw.value
                )],
            );
            3
        };
        let m = parse_number("Channels per group m", q.get("m"), PER_GROUP, d.per_group);
        keep("m", m.notes);
        let frame = parse_number("Frame f", q.get("f"), (0, k * k), k * k);
        keep("f", frame.notes);
        let depth = parse_number("Depth", q.get("depth"), DEPTH, d.depth);
        keep("depth", depth.notes);
        let c = parse_number("Channels C", q.get("C"), CHANNELS, d.channels);
        keep("C", c.notes);
        let hw = parse_number("Map side H", q.get("H"), MAP_SIDE, d.map_side);
        keep("H", hw.notes);
        let input = match q.get("in").map(InputState::from_param) {
            None => d.input.clone(),
            Some(Ok(i)) => i,
            Some(Err(e)) => {
                keep("in", vec![format!("{e}; using the digit")]);
                d.input.clone()
            }
        };
        notes.extend(unknown_keys(q, &Self::KEYS));
        (
            ShiftState {
                input,
                k,
                per_group: m.value,
                frame: frame.value,
                depth: depth.value,
                channels: c.value,
                map_side: hw.value,
            },
            notes,
        )
    }

    /// The URL parameters of this state, in a fixed order.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("k", self.k.to_string()),
            ("m", self.per_group.to_string()),
            ("f", self.frame.to_string()),
            ("depth", self.depth.to_string()),
            ("C", self.channels.to_string()),
            ("H", self.map_side.to_string()),
            ("in", self.input.to_param()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> (ShiftState, Vec<Note>) {
        ShiftState::from_query(&Query::from_pairs(
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
        let (back, notes) = ShiftState::from_query(&Query::from_pairs(s.to_params()));
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
}
