//! What the Ghost lesson computes from its state, all numbers from the
//! kernel crate's Ghost module.
//!
//! ```text
//!  x (C) ─primary K×K─► m = ⌈n/s⌉ intrinsic ─┬──────────────────────► n outputs
//!                                             └─ d×d depthwise: s−1 ghosts each ─┘
//! ```

use convlab_core::ops::ghost::{compression, speedup, speedup_approx, GhostModule, GhostSpec};
use convlab_core::{Conv2d, Error, Tensor};

use super::state::GhostState;

/// Largest `s` on the ratio plot's x axis (at least the current s).
pub const PLOT_S: usize = 16;
/// Seed of the module's weights (fixed, so a link shows the same maps).
pub const WEIGHT_SEED: u64 = 11;

impl GhostState {
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
                input: Default::default(),
            },
            GhostState {
                c: 256,
                n: 64,
                k: 1,
                s: 2,
                d: 3,
                bias: true,
                input: Default::default(),
            },
            GhostState {
                c: 16,
                n: 16,
                k: 3,
                s: 2,
                d: 1,
                bias: true,
                input: Default::default(),
            },
            GhostState {
                c: 8,
                n: 15,
                k: 3,
                s: 4,
                d: 3,
                bias: false,
                input: Default::default(),
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
            input: Default::default(),
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
            input: Default::default(),
        });
        assert_eq!((pm.conv, pm.depthwise, pm.ghost), (3 * 3 * 16 + 1, 10, 2));
    }
}
