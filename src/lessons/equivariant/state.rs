//! Group-equivariant filters (curriculum §6): the URL state, the filter
//! (a preset, a seeded "learned-looking" one, or a drawing), its compact URL
//! code, and the view model computed by the kernel crate.
//!
//! ```text
//!  #/equivariant?f=corner&K=3&G=p4m&h=90&input=digit
//!  f  edge | corner | learned-<seed> | draw-<code>   (code: 2 taps per character)
//!  h  the input's transform: 0 90 180 270 flip flip90 flip180 flip270
//! ```

use convlab_core::ops::equivariant::{map_permutation, Group, Lifting};
use convlab_core::{Error, Tensor, D4};

use crate::route::{Note, Params, Query};

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

    /// The `k×k` weights, row-major (a drawing keeps its own size).
    ///
    /// # Errors
    /// The kernel crate's error for the seeded values (not expected).
    pub fn weights(&self, k: usize) -> Result<(usize, Vec<f32>), Error> {
        let c = (k / 2) as isize;
        let grid = |f: &dyn Fn(isize, isize) -> f32| -> Vec<f32> {
            let mut v = Vec::with_capacity(k * k);
            for y in 0..k as isize {
                for x in 0..k as isize {
                    v.push(f(y - c, x - c));
                }
            }
            v
        };
        Ok(match self {
            Filter::Edge => (
                k,
                grid(&|y, x| {
                    let side = if y.abs() == c { 1.0 } else { 2.0 };
                    x.signum() as f32 * side
                }),
            ),
            Filter::Corner => (
                k,
                grid(&|y, x| {
                    if y < 0 || x < 0 {
                        -1.0
                    } else if y == 0 {
                        2.0
                    } else if x == 0 {
                        1.0
                    } else {
                        0.0
                    }
                }),
            ),
            Filter::Learned(seed) => {
                let r = Tensor::random(1, 1, k * k + 3, *seed)?;
                let d = r.data();
                let theta = d[0] * std::f32::consts::PI;
                let phase = d[1] * std::f32::consts::PI;
                let freq = 0.45 + 0.2 * d[2];
                let sigma = 0.45 * k as f32;
                (
                    k,
                    grid(&|y, x| {
                        let (xf, yf) = (x as f32, y as f32);
                        let u = xf * theta.cos() + yf * theta.sin();
                        let env = (-(xf * xf + yf * yf) / (2.0 * sigma * sigma)).exp();
                        let noise = d[3 + ((y + c) as usize) * k + (x + c) as usize] * 0.15;
                        ((2.0 * std::f32::consts::PI * freq * u + phase).cos() * env + noise) * 1.5
                    }),
                )
            }
            Filter::Drawn(d) => (d.k(), d.weights()),
        })
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

/// The lesson's state (the input picker's `input` is read separately).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EquivState {
    /// The one learned filter.
    pub filter: Filter,
    /// Its side `K` (a drawing's own side wins).
    pub k: usize,
    /// p4m (8 transforms) or p4 (rotations only, 4).
    pub group: Group,
    /// The transform applied to the input.
    pub h: D4,
}

impl Default for EquivState {
    fn default() -> Self {
        EquivState {
            filter: Filter::default(),
            k: 3,
            group: Group::P4m,
            h: D4::rotation(1),
        }
    }
}

/// The keys this lesson reads (besides `input`).
pub const KEYS: [&str; 4] = ["f", "K", "G", "h"];

impl EquivState {
    /// Parses the URL; every value that cannot be used is replaced and explained.
    pub fn parse(query: &Query) -> (EquivState, Vec<Note>) {
        let d = EquivState::default();
        let rest = query.without("f").without("input");
        let mut p = Params::new(&rest);
        let kernels: Vec<i64> = KERNELS.iter().map(|&k| k as i64).collect();
        let mut k = p.int_in("K", d.k as i64, &kernels).max(1) as usize;
        // `f` is read apart (a drawn filter's value is long); its repeats are noted alike.
        let only_f = Query::from_pairs(query.pairs().iter().filter(|(k, _)| k == "f").cloned());
        let mut pf = Params::new(&only_f);
        let raw_f = pf.raw_value("f");
        for n in pf.finish() {
            p.push_note(&n.key, n.message);
        }
        let filter = match raw_f {
            None => d.filter.clone(),
            Some(raw) => match Filter::from_param(raw) {
                Ok(f) => f,
                Err(e) => {
                    p.push_note("f", format!("f: {e}; using the corner filter."));
                    d.filter.clone()
                }
            },
        };
        if let Filter::Drawn(dr) = &filter {
            if dr.k() != k {
                if query.get("K").is_some() {
                    p.push_note(
                        "K",
                        format!("the drawn filter is {0}\u{d7}{0}; using K={0}.", dr.k()),
                    );
                }
                k = dr.k();
            }
        }
        let group = match p.choice("G", "p4m", &["p4m", "p4"]) {
            "p4" => Group::P4,
            _ => Group::P4m,
        };
        let name = p.choice("h", h_name(d.h), &H_NAMES);
        let mut h = H_NAMES
            .iter()
            .position(|n| *n == name)
            .map_or(d.h, |i| D4::ALL[i]);
        if !group.contains(h) {
            let r = D4::new(h.rotation, false);
            p.push_note(
                "h",
                format!(
                    "p4 has rotations only: h={} has a flip; using h={}.",
                    h_name(h),
                    h_name(r)
                ),
            );
            h = r;
        }
        // `rest` keeps the notes about the whole link (too long, too many pairs).
        let notes = p.finish();
        (
            EquivState {
                filter,
                k,
                group,
                h,
            },
            notes,
        )
    }

    /// The URL pairs, in a fixed order.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("f", self.filter.to_param()),
            ("K", self.k.to_string()),
            ("G", self.group.label().to_string()),
            ("h", h_name(self.h).to_string()),
        ]
    }

    /// The lifted filter.
    ///
    /// # Errors
    /// The kernel crate's message.
    pub fn lifting(&self) -> Result<Lifting, Error> {
        let (k, w) = self.filter.weights(self.k)?;
        Lifting::from_kernel(k, w, self.group)
    }
}

/// Everything the figure shows, computed by the kernel crate.
#[derive(Clone, Debug, PartialEq)]
pub struct EquivView {
    /// The lifted filter.
    pub lift: Lifting,
    /// Filter `i` as a `1×K×K` tensor (`gᵢ·w`).
    pub filters: Vec<Tensor>,
    /// The input.
    pub x: Tensor,
    /// The transformed input `h·x`.
    pub hx: Tensor,
    /// The maps of `x`, one channel per group element.
    pub maps: Tensor,
    /// The maps of `h·x` ("transform then convolve").
    pub maps_h: Tensor,
    /// `h·` (maps of `x`, permuted) ("convolve then transform").
    pub maps_rhs: Tensor,
    /// New map `g` is old map `perm[g]`, transformed by `h`.
    pub perm: Vec<usize>,
    /// The max abs difference of the two sides for every `h` in the group.
    pub errors: Vec<(D4, f32)>,
    /// The error for the current `h`.
    pub error: f32,
}

/// Computes the view for `st` on the picture `x` (one channel).
///
/// # Errors
/// The kernel crate's message.
pub fn compute(st: &EquivState, x: &Tensor) -> Result<EquivView, Error> {
    let lift = st.lifting()?;
    let mut filters = Vec::with_capacity(st.group.order());
    for i in 0..st.group.order() {
        if let Some(f) = lift.filter(i) {
            let k = f.spec().kernel.0;
            filters.push(Tensor::new(1, k, k, f.weight().to_vec())?);
        }
    }
    let hx = x.transform(st.h);
    let maps = lift.forward(x)?;
    let (maps_h, maps_rhs) = lift.equivariance_sides(x, st.h)?;
    let perm = map_permutation(st.group, st.h)?;
    let errors = lift.equivariance_errors(x)?;
    let error = errors
        .iter()
        .find(|(g, _)| *g == st.h)
        .map_or(f32::NAN, |e| e.1);
    Ok(EquivView {
        lift,
        filters,
        x: x.clone(),
        hx,
        maps,
        maps_h,
        maps_rhs,
        perm,
        errors,
        error,
    })
}

/// Column and row of group element `g` in the orbit grid: rotations along a
/// row, the flipped copies on the second row.
pub fn orbit_cell(g: D4) -> (usize, usize) {
    (g.rotation as usize, usize::from(g.flip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Query {
        Query::parse(s)
    }

    #[test]
    fn default_and_round_trip() {
        let (st, notes) = EquivState::parse(&q(""));
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
            },
            EquivState {
                filter: Filter::Drawn(dr.clone()),
                k: 5,
                group: Group::P4m,
                h: D4::new(2, true),
            },
            EquivState {
                filter: Filter::Edge,
                k: 3,
                group: Group::P4m,
                h: D4::FLIP,
            },
        ] {
            let query = Query::from_pairs(st.to_query());
            let (back, notes) = EquivState::parse(&Query::parse(&query.serialize()));
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
            let (st, notes) = EquivState::parse(&q(&format!("f={bad}")));
            assert_eq!(st.filter, Filter::Corner, "{bad}");
            assert!(notes.iter().any(|n| n.key == "f"), "{bad}: {notes:?}");
        }
        let long = format!("f=draw-{}", "A".repeat(5000));
        let (_, notes) = EquivState::parse(&q(&long));
        assert!(!notes.is_empty());
    }

    #[test]
    fn bad_values_are_clamped_with_notes() {
        let (st, notes) = EquivState::parse(&q("K=4&G=p8&h=45&zzz=1"));
        assert_eq!(st.k, 3);
        assert_eq!(st.group, Group::P4m);
        assert_eq!(st.h, D4::rotation(1));
        let keys: Vec<&str> = notes.iter().map(|n| n.key.as_str()).collect();
        for k in ["K", "G", "h", "zzz"] {
            assert!(keys.contains(&k), "{k} in {keys:?}");
        }
        // A flip under p4 becomes its rotation, with a note.
        let (st, notes) = EquivState::parse(&q("G=p4&h=flip180"));
        assert_eq!(st.h, D4::rotation(2));
        assert!(notes[0].message.contains("rotations only"));
        // A drawing's size wins over K.
        let code = Drawing::zeros(5).encode();
        let (st, notes) = EquivState::parse(&q(&format!("f=draw-{code}&K=3")));
        assert_eq!(st.k, 5);
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn presets_have_the_shape_and_symmetry_claimed() {
        for k in KERNELS {
            for f in [Filter::Edge, Filter::Corner, Filter::Learned(1)] {
                let (kk, w) = f.weights(k).unwrap();
                assert_eq!((kk, w.len()), (k, k * k));
                assert!(w.iter().all(|v| v.is_finite()));
            }
        }
        // The corner filter is asymmetric: its 8 copies all differ.
        let st = EquivState::default();
        let lift = st.lifting().unwrap();
        let copies: Vec<Vec<f32>> = (0..8)
            .map(|i| lift.filter(i).unwrap().weight().to_vec())
            .collect();
        for i in 0..8 {
            for j in 0..i {
                assert_ne!(copies[i], copies[j], "{i} vs {j}");
            }
        }
        // The edge filter is Sobel at K = 3.
        let (_, e) = Filter::Edge.weights(3).unwrap();
        assert_eq!(e, vec![-1.0, 0.0, 1.0, -2.0, 0.0, 2.0, -1.0, 0.0, 1.0]);
        // Learned filters differ by seed and are reproducible.
        assert_ne!(
            Filter::Learned(1).weights(3).unwrap(),
            Filter::Learned(2).weights(3).unwrap()
        );
        assert_eq!(
            Filter::Learned(1).weights(3).unwrap(),
            Filter::Learned(1).weights(3).unwrap()
        );
    }

    #[test]
    fn quantise_and_resize() {
        let (_, w) = Filter::Edge.weights(3).unwrap();
        let d = Drawing::from_weights(3, &w);
        assert_eq!(d.weights(), w);
        let big = d.resized(5);
        assert_eq!(big.get(1, 1), -1);
        assert_eq!(big.get(0, 0), 0);
        assert_eq!(big.resized(3), d);
        let z = Drawing::from_weights(3, &[f32::NAN; 9]);
        assert_eq!(z, Drawing::zeros(3));
    }

    #[test]
    fn view_is_equivariant_for_every_transform() {
        let x = Tensor::random(1, 12, 12, 9).unwrap();
        for group in [Group::P4, Group::P4m] {
            for &h in group.elements() {
                let st = EquivState {
                    filter: Filter::Learned(3),
                    k: 5,
                    group,
                    h,
                };
                let v = compute(&st, &x).unwrap();
                assert_eq!(v.filters.len(), group.order());
                assert_eq!(v.maps.channels(), group.order());
                assert_eq!(v.errors.len(), group.order());
                assert!(v.error < 1e-5, "{h:?}: {}", v.error);
                assert_eq!(v.maps_h.max_abs_diff(&v.maps_rhs).unwrap(), v.error);
                assert_eq!(v.lift.shared_params(), 25);
                assert_eq!(v.lift.independent_params(), 25 * group.order() as u64);
            }
        }
    }

    #[test]
    fn orbit_grid_positions_are_distinct() {
        let cells: Vec<(usize, usize)> = D4::ALL.iter().map(|&g| orbit_cell(g)).collect();
        for i in 0..8 {
            assert!(cells[i].0 < 4 && cells[i].1 < 2);
            for j in 0..i {
                assert_ne!(cells[i], cells[j]);
            }
        }
        assert_eq!(h_name(D4::new(3, true)), "flip270");
    }
}
