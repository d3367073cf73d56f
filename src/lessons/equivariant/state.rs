//! Group-equivariant filters (curriculum §6): the URL state, declared once,
//! and the filter it names (a preset, a seeded "learned-looking" one, or a
//! drawing) with its compact URL code.
//!
//! ```text
//!  #/equivariant?f=corner&K=3&G=p4m&h=90&input=digit
//!  f  edge | corner | learned-<seed> | draw-<code>   (code: 2 taps per character)
//!  h  the input's transform: 0 90 180 270 flip flip90 flip180 flip270
//! ```

use convlab_core::ops::equivariant::Group;
use convlab_core::D4;

use crate::route::{Field, Named, Params, Range, UrlValue};
use crate::widgets::InputState;

/// Kernel sizes offered.
pub const KERNELS: [usize; 2] = [3, 5];
/// Smallest and largest level of a drawn tap (the tap's weight is the level).
pub const LEVELS: (i8, i8) = (-2, 2);
/// Longest filter code read from a URL.
pub const MAX_CODE: usize = 64;

/// URL-safe base64 alphabet of the drawing code.
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The URL names of the eight transforms, in [`D4::ALL`] order.
pub const H_NAMES: [&str; 8] = [
    "0", "90", "180", "270", "flip", "flip90", "flip180", "flip270",
];

/// The URL name of `g`.
pub fn h_name(g: D4) -> &'static str {
    H_NAMES[g.index() % 8]
}

/// A transform of the input, written by its [`H_NAMES`] name (`h=flip90`).
impl Named for D4 {
    const ALL: &'static [Self] = &D4::ALL;
    fn name(self) -> &'static str {
        h_name(self)
    }
}

/// The group, written by its label (`G=p4m`); p4m first, as the page offers it.
impl Named for Group {
    const ALL: &'static [Self] = &[Group::P4m, Group::P4];
    fn name(self) -> &'static str {
        self.label()
    }
}

/// A drawn `k×k` filter of integer levels in [`LEVELS`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Drawing {
    k: usize,
    taps: Vec<i8>,
}

impl Drawing {
    /// An all-zero `k×k` drawing (`k` clamped to 1..=7).
    pub fn zeros(k: usize) -> Drawing {
        let k = k.clamp(1, 7);
        Drawing {
            k,
            taps: vec![0; k * k],
        }
    }

    /// Side length.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Level at `(y, x)` (0 outside).
    pub fn get(&self, y: usize, x: usize) -> i8 {
        if y < self.k && x < self.k {
            self.taps[y * self.k + x]
        } else {
            0
        }
    }

    /// Sets `(y, x)` to `level` (clamped to [`LEVELS`]); outside is ignored.
    pub fn set(&mut self, y: usize, x: usize, level: i8) {
        if y < self.k && x < self.k {
            self.taps[y * self.k + x] = level.clamp(LEVELS.0, LEVELS.1);
        }
    }

    /// The taps as weights, row-major.
    pub fn weights(&self) -> Vec<f32> {
        self.taps.iter().map(|&l| f32::from(l)).collect()
    }

    /// Quantises `weights` (row-major `k×k`) to levels: scaled so the largest
    /// magnitude becomes [`LEVELS`]`.1`, then rounded.
    pub fn from_weights(k: usize, weights: &[f32]) -> Drawing {
        let mut d = Drawing::zeros(k);
        let m = weights
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0f32, |a, v| a.max(v.abs()));
        if m > 0.0 {
            for (i, v) in weights.iter().take(d.taps.len()).enumerate() {
                let l = if v.is_finite() {
                    (v / m * f32::from(LEVELS.1)).round()
                } else {
                    0.0
                };
                d.taps[i] = (l as i8).clamp(LEVELS.0, LEVELS.1);
            }
        }
        d
    }

    /// The same drawing at side `k`, centred (cropped or zero-padded).
    pub fn resized(&self, k: usize) -> Drawing {
        let mut d = Drawing::zeros(k);
        let (a, b) = (self.k as isize, d.k as isize);
        let off = (a - b) / 2;
        for y in 0..b {
            for x in 0..b {
                let (sy, sx) = (y + off, x + off);
                if sy >= 0 && sx >= 0 && sy < a && sx < a {
                    d.set(y as usize, x as usize, self.get(sy as usize, sx as usize));
                }
            }
        }
        d
    }

    /// The compact code: two taps per URL-safe base64 character (3 bits each,
    /// level + 2), so 5 characters for 3×3 and 13 for 5×5.
    pub fn encode(&self) -> String {
        self.taps
            .chunks(2)
            .map(|c| {
                let a = (c[0] - LEVELS.0) as usize;
                let b = c.get(1).map_or(0, |&l| (l - LEVELS.0) as usize);
                B64[((a << 3) | b) & 63] as char
            })
            .collect()
    }

    /// Decodes [`Drawing::encode`]'s output; its length gives the side.
    ///
    /// # Errors
    /// A sentence for the page's note: a wrong length, a character outside
    /// the alphabet, or a level outside [`LEVELS`].
    pub fn decode(code: &str) -> Result<Drawing, String> {
        let k = KERNELS
            .iter()
            .copied()
            .find(|k| (k * k).div_ceil(2) == code.len())
            .ok_or_else(|| {
                format!(
                    "a drawn filter has {} characters (3\u{d7}3) or {} (5\u{d7}5), this one has {}",
                    9usize.div_ceil(2),
                    25usize.div_ceil(2),
                    code.chars().count()
                )
            })?;
        let mut d = Drawing::zeros(k);
        for (i, ch) in code.bytes().enumerate() {
            let v = B64.iter().position(|&c| c == ch).ok_or_else(|| {
                "the drawn filter has a character outside A\u{2013}Z a\u{2013}z 0\u{2013}9 - _"
                    .to_string()
            })?;
            for (j, bits) in [(2 * i, v >> 3), (2 * i + 1, v & 7)] {
                if j >= k * k {
                    continue;
                }
                let level = bits as i8 + LEVELS.0;
                if level > LEVELS.1 {
                    return Err(format!(
                        "the drawn filter has a level {level}, above the largest {}",
                        LEVELS.1
                    ));
                }
                d.taps[j] = level;
            }
        }
        Ok(d)
    }
}

/// Where the one learned filter comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Filter {
    /// A vertical-edge (Sobel-like) detector.
    Edge,
    /// An asymmetric corner detector: all 8 transforms differ.
    #[default]
    Corner,
    /// A seeded Gabor-like filter with noise, as first-layer filters look after training.
    Learned(u64),
    /// Drawn in the editor.
    Drawn(Drawing),
}

impl Filter {
    /// The URL form.
    pub fn to_param(&self) -> String {
        match self {
            Filter::Edge => "edge".into(),
            Filter::Corner => "corner".into(),
            Filter::Learned(s) => format!("learned-{s}"),
            Filter::Drawn(d) => format!("draw-{}", d.encode()),
        }
    }

    /// Parses [`Filter::to_param`]'s output; never panics.
    ///
    /// # Errors
    /// A sentence naming what is wrong.
    pub fn from_param(raw: &str) -> Result<Filter, String> {
        let t = raw.trim();
        if t.len() > MAX_CODE {
            return Err(format!(
                "the filter is {} characters long, at most {MAX_CODE} are read",
                t.len()
            ));
        }
        match t.to_ascii_lowercase().as_str() {
            "edge" => return Ok(Filter::Edge),
            "corner" => return Ok(Filter::Corner),
            _ => {}
        }
        if let Some(seed) = t.strip_prefix("learned-") {
            return seed
                .parse::<u64>()
                .map(Filter::Learned)
                .map_err(|_| format!("the seed of learned-{seed} is not a whole number"));
        }
        if let Some(code) = t.strip_prefix("draw-") {
            return Drawing::decode(code).map(Filter::Drawn);
        }
        Err("use edge, corner, learned-<seed> or draw-<code>".into())
    }

    /// Short name for the page.
    pub fn label(&self) -> String {
        match self {
            Filter::Edge => "edge".into(),
            Filter::Corner => "corner".into(),
            Filter::Learned(s) => format!("learned-looking (seed {s})"),
            Filter::Drawn(_) => "drawn".into(),
        }
    }
}

/// Read from its URL form; a form it cannot read is noted ("f: …; using the
/// corner filter.") and the default used.
impl UrlValue for Filter {
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self {
        let Some(raw) = p.raw_value(field.key) else {
            return default;
        };
        match Filter::from_param(raw) {
            Ok(f) => f,
            Err(e) => {
                p.push_note(
                    field.key,
                    format!("{}: {e}; using the {} filter.", field.key, default.label()),
                );
                default
            }
        }
    }
    fn write(&self) -> Option<String> {
        Some(self.to_param())
    }
}

crate::lesson_state! {
    /// The lesson's state, as it is in the URL.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct EquivState, signals EquivSignals {
        /// The one learned filter.
        filter: Filter = Filter::default(); "f", "w", "the filter", Range::Text,
        /// Its side `K` (a drawing's own side wins).
        k: usize = 3; "K", "K", "kernel size (K\u{d7}K)", Range::OneOf(&[3, 5]),
        /// p4m (8 transforms) or p4 (rotations only, 4).
        group: Group = Group::P4m; "G", "G", "the group", Range::Names(&["p4m", "p4"]),
        /// The transform applied to the input.
        h: D4 = D4::rotation(1); "h", "h", "the input's transform", Range::Names(&H_NAMES),
        /// The picture the filter runs on.
        input: InputState = InputState::default(); "input", "x", "the picture", Range::Text,
    }
    fix = EquivState::fix;
}

impl EquivState {
    /// The rules between fields: a drawing's side is the kernel size (noted
    /// when the link also gives K), and p4 has no flips (a flipped h becomes
    /// its rotation, noted).
    fn fix(&mut self, p: &mut Params<'_>) {
        if let Filter::Drawn(dr) = &self.filter {
            if dr.k() != self.k {
                if p.has("K") {
                    p.push_note(
                        "K",
                        format!("the drawn filter is {0}\u{d7}{0}; using K={0}.", dr.k()),
                    );
                }
                self.k = dr.k();
            }
        }
        if !self.group.contains(self.h) {
            let r = D4::new(self.h.rotation, false);
            p.push_note(
                "h",
                format!(
                    "p4 has rotations only: h={} has a flip; using h={}.",
                    h_name(self.h),
                    h_name(r)
                ),
            );
            self.h = r;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Query;

    fn q(s: &str) -> Query {
        Query::parse(s)
    }

    #[test]
    fn default_and_round_trip() {
        let (st, notes) = EquivState::read(&q(""));
        assert_eq!(st, EquivState::default());
        assert!(notes.is_empty());
        let mut dr = Drawing::zeros(5);
        dr.set(0, 0, -2);
        dr.set(4, 3, 2);
        dr.set(2, 2, 1);
        for st in [
            EquivState::default(),
            EquivState {
                filter: Filter::Learned(42),
                k: 5,
                group: Group::P4,
                h: D4::rotation(3),
                input: InputState::Random(8),
            },
            EquivState {
                filter: Filter::Drawn(dr.clone()),
                k: 5,
                group: Group::P4m,
                h: D4::new(2, true),
                input: InputState::default(),
            },
            EquivState {
                filter: Filter::Edge,
                k: 3,
                group: Group::P4m,
                h: D4::FLIP,
                input: InputState::default(),
            },
        ] {
            let query = Query::from_pairs(st.to_query());
            let (back, notes) = EquivState::read(&Query::parse(&query.serialize()));
            assert_eq!(back, st);
            assert!(notes.is_empty(), "{notes:?}");
        }
    }

    #[test]
    fn drawing_codes_are_compact_and_round_trip() {
        let mut d = Drawing::zeros(3);
        for (i, l) in [-2i8, -1, 0, 1, 2, 2, 1, 0, -1].into_iter().enumerate() {
            d.set(i / 3, i % 3, l);
        }
        let code = d.encode();
        assert_eq!(code.len(), 5);
        assert_eq!(Drawing::decode(&code).unwrap(), d);
        assert_eq!(Drawing::zeros(5).encode(), "SSSSSSSSSSSSQ");
        assert_eq!(
            Drawing::decode(&Drawing::zeros(5).encode()).unwrap(),
            Drawing::zeros(5)
        );
        // Every level of every tap survives.
        for l in LEVELS.0..=LEVELS.1 {
            let mut d = Drawing::zeros(5);
            for y in 0..5 {
                for x in 0..5 {
                    d.set(y, x, l);
                }
            }
            assert_eq!(Drawing::decode(&d.encode()).unwrap(), d);
        }
    }

    #[test]
    fn bad_filters_are_explained_never_panic() {
        for bad in [
            "draw-",
            "draw-AAAA",
            "draw-AA*AA",
            "draw-_____",
            "draw-ééééé",
            "learned-x",
            "learned--1",
            "cat",
            "",
        ] {
            let (st, notes) = EquivState::read(&q(&format!("f={bad}")));
            assert_eq!(st.filter, Filter::Corner, "{bad}");
            assert!(notes.iter().any(|n| n.key == "f"), "{bad}: {notes:?}");
        }
        let long = format!("f=draw-{}", "A".repeat(5000));
        let (_, notes) = EquivState::read(&q(&long));
        assert!(!notes.is_empty());
    }

    #[test]
    fn bad_values_are_clamped_with_notes() {
        let (st, notes) = EquivState::read(&q("K=4&G=p8&h=45&zzz=1"));
        assert_eq!(st.k, 3);
        assert_eq!(st.group, Group::P4m);
        assert_eq!(st.h, D4::rotation(1));
        let keys: Vec<&str> = notes.iter().map(|n| n.key.as_str()).collect();
        for k in ["K", "G", "h", "zzz"] {
            assert!(keys.contains(&k), "{k} in {keys:?}");
        }
        // A flip under p4 becomes its rotation, with a note.
        let (st, notes) = EquivState::read(&q("G=p4&h=flip180"));
        assert_eq!(st.h, D4::rotation(2));
        assert!(notes[0].message.contains("rotations only"));
        // A drawing's size wins over K.
        let code = Drawing::zeros(5).encode();
        let (st, notes) = EquivState::read(&q(&format!("f=draw-{code}&K=3")));
        assert_eq!(st.k, 5);
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn the_notes_name_what_the_page_spec_reads() {
        // tests/e2e/specs/equivariant.spec.mjs reads these in the notes.
        let (st, notes) = EquivState::read(&q("f=draw-%%%&K=4&G=p8&h=45&input=cat"));
        assert_eq!(st, EquivState::default());
        let all: String = notes.iter().map(|n| n.message.as_str()).collect();
        for s in ["f:", "K=4", "G=p8", "h=45", "input"] {
            assert!(all.contains(s), "{s} in {all}");
        }
        assert!(all.contains("using the corner filter."), "{all}");
    }

    #[test]
    fn quantise_and_resize() {
        let mut d = Drawing::zeros(3);
        for (i, l) in [-1i8, 0, 1, -2, 0, 2, -1, 0, 1].into_iter().enumerate() {
            d.set(i / 3, i % 3, l);
        }
        assert_eq!(Drawing::from_weights(3, &d.weights()), d);
        let big = d.resized(5);
        assert_eq!(big.get(1, 1), -1);
        assert_eq!(big.get(0, 0), 0);
        assert_eq!(big.resized(3), d);
        let z = Drawing::from_weights(3, &[f32::NAN; 9]);
        assert_eq!(z, Drawing::zeros(3));
    }

    #[test]
    fn transforms_and_groups_are_named_as_the_link_writes_them() {
        assert_eq!(h_name(D4::new(3, true)), "flip270");
        let names: Vec<&str> = <D4 as Named>::ALL.iter().map(|g| g.name()).collect();
        assert_eq!(names, H_NAMES);
        let groups: Vec<&str> = <Group as Named>::ALL.iter().map(|g| g.name()).collect();
        assert_eq!(
            Some(Range::Names(&["p4m", "p4"])),
            EquivState::field("G").map(|f| f.range)
        );
        assert_eq!(groups, ["p4m", "p4"]);
        // The reader offers the kernel sizes the page does.
        let kernels: Vec<i64> = KERNELS.iter().map(|&k| k as i64).collect();
        let Some(Range::OneOf(list)) = EquivState::field("K").map(|f| f.range) else {
            panic!("K is read from a list");
        };
        assert_eq!(list, kernels.as_slice());
    }
}
