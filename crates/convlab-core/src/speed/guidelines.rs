//! ShuffleNet v2's four controlled experiments (Ma et al. 2018, §2, Tables 1–4),
//! as runnable cases at (about) equal multiply–adds.
//!
//! Every conv here is bias-free and there is no BatchNorm, so a 1×1 conv's
//! memory access cost is exactly the paper's formula. The paper stacks 10
//! copies of each block; a case here is one copy (the ratios are the same).
//!
//! | guideline | cases | what is held equal | what grows |
//! |---|---|---|---|
//! | G1 | 1×1 `c1 → c2 → c1`, c1:c2 = 1:1, 1:2, 1:6, 1:12 | `c1·c2` | bytes, as the widths part |
//! | G2 | 1×1 `c → c` in g = 1, 2, 4, 8 groups | `c²/g` | bytes, as `c` grows with √g |
//! | G3 | 1, 2 series, 2 parallel, 4 series, 4 parallel 1×1 convs | multiply–adds | bytes and layers |
//! | G4 | ResNet bottleneck with / without ReLU and shortcut | multiply–adds | bytes of element-wise ops |

use super::blocks::MAX_SETUP_SIDE;
use super::SpeedCase;
use crate::blocks::{Activation, Graph, NodeOp};
use crate::conv::Conv2dSpec;
use crate::error::{Error, Result};
use crate::limits;
use crate::ops::bottleneck::BottleneckSpec;

/// Largest [`GuidelineSetup::base`].
pub const MAX_GUIDELINE_BASE: usize = 1024;

/// The size of the experiments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GuidelineSetup {
    /// Channels of the reference case: the 1:1 widths of G1, the width at
    /// g = 1 of G2, the 1-fragment's width in G3, the bottleneck's in/out in G4.
    /// The paper's widths are 128 (×1), 256 (×2) and 512 (×4); for these the
    /// cases use the paper's own channel numbers.
    pub base: usize,
    /// Map height (the paper: 56).
    pub h: usize,
    /// Map width (the paper: 56).
    pub w: usize,
}

impl Default for GuidelineSetup {
    /// The paper's ×1 size: 128 channels, 56×56.
    fn default() -> Self {
        GuidelineSetup {
            base: 128,
            h: 56,
            w: 56,
        }
    }
}

impl GuidelineSetup {
    /// Checks the sizes.
    ///
    /// # Errors
    /// `InvalidSpec` for a zero size; `TooLarge` past [`MAX_GUIDELINE_BASE`] or
    /// [`super::MAX_SETUP_SIDE`].
    pub fn validate(&self) -> Result<()> {
        let op = "guideline setup";
        for (name, v, limit) in [
            ("base", self.base, MAX_GUIDELINE_BASE),
            ("h", self.h, MAX_SETUP_SIDE),
            ("w", self.w, MAX_SETUP_SIDE),
        ] {
            if v == 0 {
                return Err(Error::invalid(
                    op,
                    format!("{name} must be at least 1, got 0"),
                ));
            }
            limits::check(op, name, v as u128, limit as u128)?;
        }
        Ok(())
    }
}

/// One of ShuffleNet v2's guidelines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Guideline {
    /// G1: equal channel width minimises memory access cost (Table 1).
    G1,
    /// G2: excessive group convolution increases memory access cost (Table 2).
    G2,
    /// G3: network fragmentation reduces the degree of parallelism (Table 3).
    G3,
    /// G4: element-wise operations are non-negligible (Table 4).
    G4,
}

/// A case's id, label and graph before weights.
type Plan = (String, String, Graph);

impl Guideline {
    /// All four, in order.
    pub const ALL: [Guideline; 4] = [Guideline::G1, Guideline::G2, Guideline::G3, Guideline::G4];

    /// `"g1"` … `"g4"`.
    pub fn id(self) -> &'static str {
        match self {
            Guideline::G1 => "g1",
            Guideline::G2 => "g2",
            Guideline::G3 => "g3",
            Guideline::G4 => "g4",
        }
    }

    /// The guideline for an id (`"g1"` … `"g4"`).
    ///
    /// # Errors
    /// `InvalidSpec` naming the valid ids.
    ///
    /// ```
    /// use convlab_core::speed::Guideline;
    /// assert_eq!(Guideline::from_id("g3")?, Guideline::G3);
    /// assert!(Guideline::from_id("G3").is_err());
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn from_id(id: &str) -> Result<Guideline> {
        Guideline::ALL
            .into_iter()
            .find(|g| g.id() == id)
            .ok_or_else(|| {
                Error::invalid(
                    "guideline",
                    format!("unknown id {id:?}; expected one of g1, g2, g3, g4"),
                )
            })
    }

    /// The guideline in the paper's words.
    pub fn title(self) -> &'static str {
        match self {
            Guideline::G1 => "G1: equal channel width minimizes memory access cost",
            Guideline::G2 => "G2: excessive group convolution increases memory access cost",
            Guideline::G3 => "G3: network fragmentation reduces degree of parallelism",
            Guideline::G4 => "G4: element-wise operations are non-negligible",
        }
    }

    /// The paper's table it reproduces, e.g. `"Table 1"`.
    pub fn table(self) -> &'static str {
        match self {
            Guideline::G1 => "Table 1",
            Guideline::G2 => "Table 2",
            Guideline::G3 => "Table 3",
            Guideline::G4 => "Table 4",
        }
    }

    /// The experiment's cases at `setup`, with seeded weights, in the table's order.
    ///
    /// # Errors
    /// As [`GuidelineSetup::validate`] and the case limits of [`SpeedCase`].
    ///
    /// ```
    /// use convlab_core::speed::{Guideline, GuidelineSetup};
    /// let g1 = Guideline::G1.cases(&GuidelineSetup { base: 16, h: 4, w: 4 }, 0)?;
    /// let ids: Vec<&str> = g1.iter().map(|c| c.id()).collect();
    /// assert_eq!(ids, ["g1-1-1", "g1-1-2", "g1-1-6", "g1-1-12"]);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn cases(self, setup: &GuidelineSetup, seed: u64) -> Result<Vec<SpeedCase>> {
        setup.validate()?;
        let plans = match self {
            Guideline::G1 => g1(setup.base)?,
            Guideline::G2 => g2(setup.base)?,
            Guideline::G3 => g3(setup.base)?,
            Guideline::G4 => g4(setup.base)?,
        };
        plans
            .into_iter()
            .enumerate()
            .map(|(i, (id, label, graph))| {
                let input = [graph.in_channels(), setup.h, setup.w];
                SpeedCase::new(id, label, graph, input, seed.wrapping_add(i as u64))
            })
            .collect()
    }
}

/// A bias-free conv node.
fn conv(g: &mut Graph, name: &str, spec: Conv2dSpec, from: usize) -> Result<usize> {
    g.push(name, NodeOp::Conv(spec.with_bias(false)), &[from])
}

/// `v` rounded to the nearest whole number, at least 1.
fn round1(v: f64) -> usize {
    (v.round() as usize).max(1)
}

/// G1 widths `(c1, c2)` for ratios 1:1, 1:2, 1:6, 1:12 (Table 1's, or `c1·c2 ≈ base²`).
fn g1_widths(base: usize) -> Vec<(usize, usize)> {
    match base {
        128 => vec![(128, 128), (90, 180), (52, 312), (36, 432)],
        256 => vec![(256, 256), (180, 360), (104, 624), (72, 864)],
        512 => vec![(512, 512), (362, 724), (210, 1260), (148, 1776)],
        _ => [1usize, 2, 6, 12]
            .iter()
            .map(|&r| {
                let c1 = round1(base as f64 / (r as f64).sqrt());
                (c1, r * c1)
            })
            .collect(),
    }
}

fn g1(base: usize) -> Result<Vec<Plan>> {
    g1_widths(base)
        .into_iter()
        .map(|(c1, c2)| {
            let r = c2 / c1.max(1);
            let mut g = Graph::new(c1)?;
            let a = conv(&mut g, "1×1 c1 → c2", Conv2dSpec::pointwise(c1, c2), 0)?;
            conv(&mut g, "1×1 c2 → c1", Conv2dSpec::pointwise(c2, c1), a)?;
            Ok((
                format!("g1-1-{r}"),
                format!("1:{r} (c1 = {c1}, c2 = {c2})"),
                g,
            ))
        })
        .collect()
}

/// G2 widths for g = 1, 2, 4, 8 (Table 2's, or the multiple of g nearest `base·√g`).
fn g2_widths(base: usize) -> Vec<(usize, usize)> {
    let groups = [1usize, 2, 4, 8];
    let widths: Vec<usize> = match base {
        128 => vec![128, 180, 256, 360],
        256 => vec![256, 360, 512, 720],
        512 => vec![512, 720, 1024, 1440],
        _ => groups
            .iter()
            .map(|&g| g * round1(base as f64 * (g as f64).sqrt() / g as f64))
            .collect(),
    };
    groups.into_iter().zip(widths).collect()
}

fn g2(base: usize) -> Result<Vec<Plan>> {
    g2_widths(base)
        .into_iter()
        .map(|(groups, c)| {
            let mut g = Graph::new(c)?;
            let name = format!("gconv 1×1 (g={groups})");
            conv(&mut g, &name, Conv2dSpec::grouped(c, c, 1, groups), 0)?;
            Ok((
                format!("g2-g{groups}"),
                format!("g = {groups} (c = {c})"),
                g,
            ))
        })
        .collect()
}

/// G3's structures (the paper's appendix, Fig. 1). A series of `n` 1×1 convs
/// `c' → c'` has `c' = base/√n` (nearest whole number), so `n·c'² ≈ base²`.
/// The `n` parallel branches each read all `base` channels and write about
/// `base/n` of them (near-equal parts), joined by a concat: together exactly the
/// 1-fragment's multiply–adds, in `n` smaller convs that each read the input again.
fn g3(base: usize) -> Result<Vec<Plan>> {
    let mut plans = Vec::new();
    for (n, parallel) in [(1, false), (2, false), (2, true), (4, false), (4, true)] {
        let (id, label, g) = if parallel {
            if base < n {
                return Err(Error::invalid(
                    "G3",
                    format!("{n} parallel branches need at least {n} channels, got {base}"),
                ));
            }
            let mut g = Graph::new(base)?;
            let mut outs = Vec::new();
            for i in 0..n {
                let part = base / n + usize::from(i < base % n);
                let name = format!("branch {} 1×1", i + 1);
                outs.push(conv(&mut g, &name, Conv2dSpec::pointwise(base, part), 0)?);
            }
            g.push("concat", NodeOp::Concat, &outs)?;
            let label = format!("{n}-fragment-parallel ({n} × 1×1 {base} → {base}/{n}, concat)");
            (format!("g3-{n}-parallel"), label, g)
        } else {
            let c = round1(base as f64 / (n as f64).sqrt());
            let mut g = Graph::new(c)?;
            let mut v = 0;
            for i in 0..n {
                v = conv(
                    &mut g,
                    &format!("1×1 ({})", i + 1),
                    Conv2dSpec::pointwise(c, c),
                    v,
                )?;
            }
            if n == 1 {
                ("g3-1".into(), format!("1-fragment (1×1, c = {c})"), g)
            } else {
                let label = format!("{n}-fragment-series ({n} × 1×1, c = {c})");
                (format!("g3-{n}-series"), label, g)
            }
        };
        plans.push((id, label, g));
    }
    Ok(plans)
}

/// G4: ResNet's bottleneck `c → c/4 → c/4 → c` (1×1, 3×3, 1×1, the convs of
/// [`BottleneckSpec`]), with ReLU after the first two convs and after the
/// output (ResNet puts it after the shortcut add), with and without ReLU and shortcut.
fn g4(base: usize) -> Result<Vec<Plan>> {
    let spec = BottleneckSpec {
        channels: base,
        mid: (base / 4).max(1),
        kernel: 3,
        stride: 1,
        bias: false,
        relu: true,
    };
    spec.validate()?;
    let mut plans = Vec::new();
    for (relu, shortcut) in [(true, true), (true, false), (false, true), (false, false)] {
        let mut g = Graph::new(base)?;
        let act = |g: &mut Graph, name: &str, v: usize| -> Result<usize> {
            if relu {
                g.push(name, NodeOp::Act(Activation::ReLU), &[v])
            } else {
                Ok(v)
            }
        };
        let mut v = conv(&mut g, "reduce 1×1", spec.reduce_spec(), 0)?;
        v = act(&mut g, "reduce ReLU", v)?;
        v = conv(&mut g, "conv 3×3", spec.conv_spec(), v)?;
        v = act(&mut g, "conv ReLU", v)?;
        v = conv(&mut g, "expand 1×1", spec.expand_spec(), v)?;
        if shortcut {
            v = g.push("shortcut add", NodeOp::Add, &[v, 0])?;
        }
        act(&mut g, "output ReLU", v)?;
        let (id, label) = match (relu, shortcut) {
            (true, true) => ("g4-relu-shortcut", "ReLU and shortcut"),
            (true, false) => ("g4-relu", "ReLU, no shortcut"),
            (false, true) => ("g4-shortcut", "shortcut, no ReLU"),
            (false, false) => ("g4-none", "no ReLU, no shortcut"),
        };
        let label = format!("{label} (c = {base}, bottleneck {})", spec.mid);
        plans.push((id.to_string(), label, g));
    }
    Ok(plans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_widths_have_the_paper_ratios() {
        for base in [128, 256, 512] {
            let w = g1_widths(base);
            assert_eq!(w[0], (base, base));
            for ((c1, c2), r) in w.iter().zip([1, 2, 6, 12]) {
                assert_eq!(c2 / c1, r);
                assert_eq!(c2 % c1, 0);
            }
            for (g, c) in g2_widths(base) {
                assert_eq!(c % g, 0, "base {base}, g {g}");
            }
        }
        assert_eq!(g2_widths(64), vec![(1, 64), (2, 90), (4, 128), (8, 184)]);
        assert_eq!(
            g1_widths(64),
            vec![(64, 64), (45, 90), (26, 156), (18, 216)]
        );
    }

    #[test]
    fn tiny_bases_still_build_or_refuse() {
        for base in 1..6 {
            assert!(g1(base).is_ok() && g2(base).is_ok() && g4(base).is_ok());
            assert_eq!(g3(base).is_ok(), base >= 4, "base {base}");
        }
    }
}
