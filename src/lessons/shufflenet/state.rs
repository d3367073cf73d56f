//! The ShuffleNet unit and channel shuffle (curriculum §10): the URL state,
//! declared once, and the rules of its values (the groups that fit the unit,
//! the shuffle's channel count snapped to a multiple of g).
//!
//! ```text
//!  #/shufflenet?C=240&B=80&g=2&n=12&f=24&bn=0&box=0&input=digit
//!  C ─1×1 GConv (g)─▶ B ─shuffle─▶ B ─3×3 DW─▶ B ─1×1 GConv (g)─▶ C  (+ input)
//!  g must divide C and B (kept when it does not: the page explains), g | n
//! ```

use convlab_core::blocks::ShuffleV1Spec;

use super::animator::frame_count;
use crate::route::{Params, Range};
use crate::widgets::InputState;

/// Range of the unit's channels C (in = out).
pub const C_RANGE: (usize, usize) = (8, 480);
/// Range of the bottleneck channels B.
pub const B_RANGE: (usize, usize) = (2, 240);
/// Range of the groups g.
pub const G_RANGE: (usize, usize) = (1, 16);
/// Range of the channels in the animation and the reachability matrices.
pub const N_RANGE: (usize, usize) = (2, 96);
/// Boxes of the unit: gconv, shuffle, dw, gconv, add, ReLU.
pub const BOXES: usize = 6;

/// `(lo, hi)` as a whole-number [`Range`].
const fn ints(r: (usize, usize)) -> Range {
    Range::Ints(r.0 as i64, r.1 as i64)
}

crate::lesson_state! {
    /// The lesson's URL state (the lecture's unit 240 → 80 → 240, g = 2, by default).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ShuffleState, signals ShuffleSignals {
        /// Channels C of the unit (input = output).
        c: usize = ShuffleV1Spec::default().in_channels; "C", "C", "channels in and out", ints(C_RANGE),
        /// Bottleneck channels B.
        b: usize = ShuffleV1Spec::default().bottleneck; "B", "B", "bottleneck channels", ints(B_RANGE),
        /// Groups g (a g that does not fit C and B is kept: the page explains it).
        g: usize = ShuffleV1Spec::default().groups; "g", "g", "groups (divides C and B)", ints(G_RANGE),
        /// Channels n of the animation (a multiple of g).
        n: usize = 12; "n", "n", "channels shuffled (a multiple of g)", ints(N_RANGE),
        /// Animation frame; opens on the shuffled order (the point of the
        /// lesson), play starts from the top.
        frame: usize = frame_count() - 1; "f", "f", "animation frame", Range::Ints(0, frame_count() as i64 - 1),
        /// No bias + BatchNorm instead of bias.
        bn: bool = false; "bn", "bn", "count as torchvision (no bias + BatchNorm)", Range::Flag,
        /// Selected box.
        selected: usize = 0; "box", "box", "the selected box", Range::Ints(0, BOXES as i64 - 1),
        /// The picture the unit runs on.
        input: InputState = InputState::default(); "input", "input", "the picture", Range::Text,
    }
    fix = ShuffleState::fix;
}

/// The hint under the g slider: the groups it offers, and the common divisors of C and B past
/// the slider's end (with why it ends there).
pub fn groups_sentence(c: usize, b: usize) -> String {
    let list = |v: &[usize]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let valid = valid_groups(c, b);
    let beyond: Vec<usize> = (G_RANGE.1 + 1..=c.min(b))
        .filter(|&g| c.is_multiple_of(g) && b.is_multiple_of(g))
        .collect();
    let mut s = format!(
        "g can be {}: the divisors of both C = {c} and B = {b} from {} to {}.",
        list(&valid),
        G_RANGE.0,
        G_RANGE.1
    );
    if !beyond.is_empty() {
        s.push_str(&format!(
            " {} also divide{} both; the slider stops at {} (the paper uses g \u{2264} 8, and past {} a group of B holds at most {} channels).",
            list(&beyond),
            if beyond.len() == 1 { "s" } else { "" },
            G_RANGE.1,
            G_RANGE.1,
            b / (G_RANGE.1 + 1)
        ));
    }
    s
}

/// The groups (in `G_RANGE`) that divide both C and B.
pub fn valid_groups(c: usize, b: usize) -> Vec<usize> {
    (G_RANGE.0..=G_RANGE.1)
        .filter(|&g| c.is_multiple_of(g) && b.is_multiple_of(g))
        .collect()
}

/// Why `g` does not fit the unit, with the values that do (None when it fits).
pub fn invalid_groups(c: usize, b: usize, g: usize) -> Option<String> {
    if g > 0 && c.is_multiple_of(g) && b.is_multiple_of(g) {
        return None;
    }
    let valid: Vec<String> = valid_groups(c, b).iter().map(ToString::to_string).collect();
    Some(format!(
        "g = {g} must divide both the unit's channels C = {c} and its bottleneck B = {b} (the group convs split both into g groups). Valid here: g = {}.",
        valid.join(", ")
    ))
}

/// The multiple of `g` nearest to `n` (ties: the smaller), within the range.
pub fn snap_channels(n: usize, g: usize) -> usize {
    let g = g.max(1);
    let lo = g.max(N_RANGE.0.div_ceil(g) * g);
    let hi = (N_RANGE.1 / g * g).max(lo);
    let down = n / g * g;
    let up = down + g;
    let best = if n - down <= up - n { down } else { up };
    best.clamp(lo, hi)
}

impl ShuffleState {
    /// The rule between fields: the shuffle's n becomes a multiple of g (the
    /// nearest in range), with a note.
    fn fix(&mut self, p: &mut Params<'_>) {
        let n = snap_channels(self.n, self.g);
        if n != self.n {
            p.push_note(
                "n",
                format!(
                    "n={} is not a multiple of g={} (the shuffle needs g | n); using {n}.",
                    self.n, self.g
                ),
            );
            self.n = n;
        }
    }

    /// The kernel crate's spec of the unit (stride 1, as the lecture's example).
    pub fn spec(&self) -> ShuffleV1Spec {
        ShuffleV1Spec {
            in_channels: self.c,
            out_channels: self.c,
            bottleneck: self.b,
            groups: self.g,
            ..ShuffleV1Spec::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::blockdiagram::BlockRun;
    use crate::route::Query;

    #[test]
    fn url_round_trip_and_defaults() {
        let (st, notes) = ShuffleState::read(&Query::default());
        assert_eq!(st, ShuffleState::default());
        assert!(notes.is_empty());
        let st = ShuffleState {
            c: 120,
            b: 40,
            g: 4,
            n: 16,
            frame: 9,
            bn: true,
            selected: 5,
            input: InputState::Random(2),
        };
        let (back, notes) = ShuffleState::read(&Query::from_pairs(st.to_query()));
        assert_eq!(back, st);
        assert!(notes.is_empty());
    }

    #[test]
    fn invalid_g_is_kept_and_explained_never_a_panic() {
        let (st, notes) = ShuffleState::read(&Query::parse("g=7&n=12"));
        assert_eq!(st.g, 7);
        assert_eq!(st.n, 14);
        assert!(notes.iter().any(|n| n.message.contains("multiple of g=7")));
        let msg = invalid_groups(st.c, st.b, st.g).unwrap();
        assert!(msg.contains("g = 1, 2, 4, 5, 8, 10, 16"), "{msg}");
        assert!(BlockRun::new(&st.spec(), false, &st.input).is_err());
        assert_eq!(invalid_groups(240, 80, 2), None);
        let (st, notes) = ShuffleState::read(&Query::parse("g=0&C=x&B=1e9&n=-3&f=99&box=9"));
        assert_eq!(
            (st.g, st.c, st.b, st.frame, st.selected),
            (1, 240, 240, 24, 5)
        );
        assert!(notes.len() >= 6);
        let (st, notes) = ShuffleState::read(&Query::parse("input=nope"));
        assert_eq!(st.input, InputState::default());
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn snapping() {
        assert_eq!(snap_channels(12, 5), 10);
        assert_eq!(snap_channels(13, 2), 12);
        assert_eq!(snap_channels(1, 16), 16);
        assert_eq!(snap_channels(200, 16), 96);
        assert_eq!(snap_channels(95, 7), 91);
        assert_eq!(valid_groups(240, 80), [1, 2, 4, 5, 8, 10, 16]);
    }

    #[test]
    fn the_groups_hint_lists_every_common_divisor() {
        let s = groups_sentence(80, 80);
        assert!(s.starts_with("g can be 1, 2, 4, 5, 8, 10, 16: the divisors of both C = 80 and B = 80 from 1 to 16."), "{s}");
        assert!(
            s.contains("20, 40, 80 also divide both; the slider stops at 16"),
            "{s}"
        );
        assert!(s.contains("at most 4 channels"), "{s}");
        for c in (C_RANGE.0..=C_RANGE.1).step_by(7) {
            for b in (B_RANGE.0..=B_RANGE.1).step_by(5) {
                let s = groups_sentence(c, b);
                // Every common divisor of C and B appears, once, in the sentence.
                let said: Vec<usize> = s
                    .split(|ch: char| !ch.is_ascii_digit())
                    .filter_map(|t| t.parse().ok())
                    .collect();
                for g in (1..=c.min(b)).filter(|&g| c % g == 0 && b % g == 0) {
                    assert!(said.contains(&g), "{g} missing for C = {c}, B = {b}: {s}");
                }
                assert_eq!(
                    s.contains("also divide"),
                    c.min(b) > 16 && (17..=c.min(b)).any(|g| c % g == 0 && b % g == 0)
                );
            }
        }
    }
}
