//! The Ghost module (curriculum §7): the URL state and the view model, all
//! numbers from the kernel crate.
//!
//! ```text
//!  #/ghost?C=16&n=16&K=1&s=2&d=3&bias=1&input=digit
//!  x (C) ─primary K×K─► m = ⌈n/s⌉ intrinsic ─┬──────────────────────► n outputs
//!                                             └─ d×d depthwise: s−1 ghosts each ─┘
//! ```

use convlab_core::ops::ghost::{compression, speedup, speedup_approx, GhostModule, GhostSpec};
use convlab_core::{Conv2d, Error, Tensor};

use crate::route::{Note, Params, Query};

/// Range of `C` (input channels).
pub const C_RANGE: (usize, usize) = (1, 256);
/// Range of `n` (output channels).
pub const N_RANGE: (usize, usize) = (1, 64);
/// Range of the ratio `s`.
pub const S_RANGE: (usize, usize) = (1, 8);
/// Primary and cheap kernel sizes offered.
pub const KERNELS: [usize; 3] = [1, 3, 5];
/// Largest `s` on the ratio plot's x axis (at least the current s).
pub const PLOT_S: usize = 16;
/// Seed of the module's weights (fixed, so a link shows the same maps).
pub const WEIGHT_SEED: u64 = 11;

/// The lesson's state (the input picker's `input` is read separately).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GhostState {
    /// `C` — input channels.
    pub c: usize,
    /// `n` — output channels.
    pub n: usize,
    /// `K` — primary kernel size.
    pub k: usize,
    /// `s` — every intrinsic map yields s − 1 ghosts.
    pub s: usize,
    /// `d` — the cheap depthwise kernel size.
    pub d: usize,
    /// Count a bias per map (the lecture's "+1").
    pub bias: bool,
}

impl Default for GhostState {
    fn default() -> Self {
        GhostState {
            c: 16,
            n: 16,
            k: 1,
            s: 2,
            d: 3,
            bias: true,
        }
    }
}

/// The keys this lesson reads (besides `input`).
pub const KEYS: [&str; 6] = ["C", "n", "K", "s", "d", "bias"];

impl GhostState {
    /// Parses the URL; every value that cannot be used is replaced and explained.
    pub fn parse(query: &Query) -> (GhostState, Vec<Note>) {
        let df = GhostState::default();
        let rest = query.without("input");
        let mut p = Params::new(&rest);
        let kernels: Vec<i64> = KERNELS.iter().map(|&k| k as i64).collect();
        let c = p.usize("C", df.c, C_RANGE.0, C_RANGE.1);
        let n = p.usize("n", df.n, N_RANGE.0, N_RANGE.1);
        let k = p.int_in("K", df.k as i64, &kernels).max(1) as usize;
        let s = p.usize("s", df.s, S_RANGE.0, S_RANGE.1);
        let d = p.int_in("d", df.d as i64, &kernels).max(1) as usize;
        let bias = p.flag("bias", df.bias);
        // `rest` keeps the notes about the whole link (too long, too many pairs).
        let notes = p.finish();
        (
            GhostState {
                c,
                n,
                k,
                s,
                d,
                bias,
            },
            notes,
        )
    }

    /// The URL pairs, in a fixed order.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("C", self.c.to_string()),
            ("n", self.n.to_string()),
            ("K", self.k.to_string()),
            ("s", self.s.to_string()),
            ("d", self.d.to_string()),
            ("bias", u8::from(self.bias).to_string()),
        ]
    }

    /// The kernel crate's spec.
    pub fn spec(&self) -> GhostSpec {
        GhostSpec {
            in_channels: self.c,
            out_channels: self.n,
            kernel: self.k,
            ratio: self.s,
            dw_kernel: self.d,
            stride: 1,
            bias: self.bias,
        }
    }
}

/// One intrinsic map and the maps made from it.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceGroup {
    /// Index of the intrinsic map (and of its output channel).
    pub source: usize,
    /// The intrinsic map, `1×H×W`.
    pub intrinsic: Tensor,
    /// Its ghosts with their output channel, `None` when trimmed away (past `n`).
    pub ghosts: Vec<(Tensor, Option<usize>)>,
}

/// Parameter counts per new map, as the slide counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PerMap {
    /// An ordinary conv's map: `K·K·C + 1`.
    pub conv: u64,
    /// A depthwise map: `K·K + 1`.
    pub depthwise: u64,
    /// A ghost: `d·d + 1`.
    pub ghost: u64,
}

/// Everything the page shows, computed by the kernel crate.
#[derive(Clone, Debug, PartialEq)]
pub struct GhostView {
    /// The module with its (seeded) weights.
    pub module: GhostModule,
    /// The ordinary `K×K` conv `C → n` it replaces, allocated for its counts.
    pub standard: Conv2d,
    /// The input, `C×H×W`.
    pub x: Tensor,
    /// The output maps grouped by the intrinsic map they come from.
    pub groups: Vec<SourceGroup>,
    /// The module's output, `n×H×W`.
    pub output: Tensor,
}

/// Builds the module for `st` and runs it on `x` (which must have `C` channels).
///
/// # Errors
/// The kernel crate's message.
pub fn compute(st: &GhostState, x: &Tensor) -> Result<GhostView, Error> {
    let spec = st.spec();
    let module = GhostModule::random(spec, WEIGHT_SEED)?;
    let standard = Conv2d::random(spec.standard_spec(), WEIGHT_SEED)?;
    let parts = module.forward_parts(x)?;
    let output = module.forward(x)?;
    let m = parts.intrinsic.channels();
    let mut groups = Vec::with_capacity(m);
    for j in 0..m {
        let mut ghosts = Vec::new();
        if let Some(g) = &parts.ghosts {
            for (i, _) in parts
                .ghost_source
                .iter()
                .enumerate()
                .filter(|(_, s)| **s == j)
            {
                let out = m + i;
                ghosts.push((
                    g.channels_range(i..i + 1)?,
                    (out < parts.kept).then_some(out),
                ));
            }
        }
        groups.push(SourceGroup {
            source: j,
            intrinsic: parts.intrinsic.channels_range(j..j + 1)?,
            ghosts,
        });
    }
    Ok(GhostView {
        module,
        standard,
        x: x.clone(),
        groups,
        output,
    })
}

/// The slide's per-map counts for `st` (with the "+1" bias).
pub fn per_map(st: &GhostState) -> PerMap {
    let sq = |v: usize| (v as u64) * (v as u64);
    PerMap {
        conv: sq(st.k) * st.c as u64 + 1,
        depthwise: sq(st.k) + 1,
        ghost: sq(st.d) + 1,
    }
}

/// The paper's ratios for `st`: `(exact speed-up, compression, s·c/(s+c−1))`.
///
/// # Errors
/// The kernel crate's message.
pub fn ratios(st: &GhostState) -> Result<(f64, f64, f64), Error> {
    Ok((
        speedup(st.c, st.k, st.d, st.s)?,
        compression(st.c, st.k, st.d, st.s)?,
        speedup_approx(st.c, st.s)?,
    ))
}

/// The plot's series over `s = 1..=max(PLOT_S, st.s)`: exact ratio, the
/// approximation `s·c/(s+c−1)`, and `s`.
///
/// # Errors
/// The kernel crate's message.
pub fn ratio_series(st: &GhostState) -> Result<[Vec<(f64, f64)>; 3], Error> {
    let top = PLOT_S.max(st.s);
    let mut exact = Vec::with_capacity(top);
    let mut approx = Vec::with_capacity(top);
    let mut line = Vec::with_capacity(top);
    for s in 1..=top {
        exact.push((s as f64, speedup(st.c, st.k, st.d, s)?));
        approx.push((s as f64, speedup_approx(st.c, s)?));
        line.push((s as f64, s as f64));
    }
    Ok([exact, approx, line])
}

/// GhostNet's own setting `k = 1, d = 3, s = 2` at `c = 256` and `c = 16`.
///
/// # Errors
/// The kernel crate's message.
pub fn ghostnet_setting() -> Result<[(usize, f64); 2], Error> {
    Ok([(256, speedup(256, 1, 3, 2)?), (16, speedup(16, 1, 3, 2)?)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_round_trip() {
        let (st, notes) = GhostState::parse(&Query::parse(""));
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
            },
            GhostState {
                c: 1,
                n: 1,
                k: 3,
                s: 1,
                d: 5,
                bias: true,
            },
        ] {
            let q = Query::from_pairs(st.to_query());
            let (back, notes) = GhostState::parse(&Query::parse(&q.serialize()));
            assert_eq!(back, st);
            assert!(notes.is_empty(), "{notes:?}");
        }
    }

    #[test]
    fn bad_values_are_clamped_with_notes() {
        let (st, notes) = GhostState::parse(&Query::parse(
            "C=0&n=999&K=4&s=x&d=2&bias=maybe&input=zzz&q=1",
        ));
        assert_eq!(
            (st.c, st.n, st.k, st.s, st.d, st.bias),
            (1, 64, 3, 2, 1, true)
        );
        let keys: Vec<&str> = notes.iter().map(|n| n.key.as_str()).collect();
        for k in ["C", "n", "K", "s", "d", "bias", "q"] {
            assert!(keys.contains(&k), "{k} in {keys:?}");
        }
        assert!(
            !keys.contains(&"input"),
            "the picker's key is read elsewhere"
        );
    }

    #[test]
    fn counts_match_the_formula_and_the_weights() {
        // The curriculum's settings: GhostNet k = 1, d = 3, s = 2 at c = 16 and 256, and the defaults.
        for st in [
            GhostState {
                c: 16,
                n: 16,
                k: 1,
                s: 2,
                d: 3,
                bias: true,
            },
            GhostState {
                c: 256,
                n: 64,
                k: 1,
                s: 2,
                d: 3,
                bias: true,
            },
            GhostState {
                c: 16,
                n: 16,
                k: 3,
                s: 2,
                d: 1,
                bias: true,
            },
            GhostState {
                c: 8,
                n: 15,
                k: 3,
                s: 4,
                d: 3,
                bias: false,
            },
        ] {
            let x = Tensor::random(st.c, 6, 6, 1).unwrap();
            let v = compute(&st, &x).unwrap();
            let m = st.n.div_ceil(st.s) as u64;
            let g = m * (st.s as u64 - 1);
            let b = u64::from(st.bias);
            let formula =
                (st.k * st.k * st.c) as u64 * m + b * m + (st.d * st.d) as u64 * g + b * g;
            assert_eq!(v.module.param_count(), formula, "{st:?}");
            assert_eq!(st.spec().param_count(), formula);
            assert_eq!(
                v.standard.param_count(),
                (st.k * st.k * st.c * st.n) as u64 + b * st.n as u64
            );
            assert_eq!(v.output.channels(), st.n);
            assert_eq!(v.groups.len() as u64, m);
            // Grouped by source: every output channel appears exactly once.
            let mut seen = vec![0; st.n];
            for grp in &v.groups {
                seen[grp.source] += 1;
                assert_eq!(grp.ghosts.len(), st.s - 1);
                for (t, out) in &grp.ghosts {
                    if let Some(o) = out {
                        seen[*o] += 1;
                        assert_eq!(v.output.channels_range(*o..*o + 1).unwrap(), *t);
                    }
                }
            }
            assert!(seen.iter().all(|&c| c == 1), "{seen:?}");
        }
    }

    #[test]
    fn ratios_and_the_paper_numbers() {
        let [(c1, r1), (c2, r2)] = ghostnet_setting().unwrap();
        assert_eq!((c1, c2), (256, 16));
        assert_eq!(format!("{r1:.2}"), "1.93");
        assert_eq!(format!("{r2:.2}"), "1.28");
        // d = k: the exact ratio is the approximation.
        let st = GhostState {
            c: 64,
            n: 16,
            k: 3,
            s: 4,
            d: 3,
            bias: true,
        };
        let (exact, comp, approx) = ratios(&st).unwrap();
        assert!((exact - approx).abs() < 1e-12);
        assert_eq!(exact, comp);
        let [e, a, l] = ratio_series(&st).unwrap();
        assert_eq!(e.len(), PLOT_S);
        assert_eq!(a.len(), PLOT_S);
        assert_eq!(l[3], (4.0, 4.0));
        assert_eq!(e[0].1, 1.0, "s = 1 is the ordinary conv");
    }

    #[test]
    fn per_map_counts_as_the_slide() {
        let pm = per_map(&GhostState {
            c: 16,
            n: 16,
            k: 3,
            s: 2,
            d: 1,
            bias: true,
        });
        assert_eq!((pm.conv, pm.depthwise, pm.ghost), (3 * 3 * 16 + 1, 10, 2));
    }
}
