//! The nine blocks of the lesson, built at one shape from the crate's builders.

use super::SpeedCase;
use crate::blocks::{
    standard_twin, Activation, BlockSpec, FireSpec, Graph, InvertedResidualSpec, NodeOp,
    SeparableSpec, ShiftBlockSpec, ShuffleV1Spec,
};
use crate::conv::Conv2dSpec;
use crate::cost::Convention;
use crate::error::{Error, Result};
use crate::limits;
use crate::ops::ghost::GhostSpec;

/// Largest `c`, `n` and `groups` of a [`SpeedSetup`].
pub const MAX_SETUP_CHANNELS: usize = 1024;
/// Largest `h` and `w` of a [`SpeedSetup`].
pub const MAX_SETUP_SIDE: usize = 512;

/// Every block runs under the lecture's convention: a bias on every conv and no
/// BatchNorm — the form a network takes for inference once each BatchNorm is
/// folded into the conv before it.
const CONVENTION: Convention = Convention::LECTURE;

/// The shape every block is built at: input `c × h × w`, output `n` channels,
/// `groups` for the grouped conv and the ShuffleNet unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SpeedSetup {
    /// Input channels C.
    pub c: usize,
    /// Input height.
    pub h: usize,
    /// Input width.
    pub w: usize,
    /// Output channels N.
    pub n: usize,
    /// Groups g (grouped conv, ShuffleNet unit).
    pub groups: usize,
}

impl Default for SpeedSetup {
    /// 64×56×56 → 64 (ResNet's first stage), 4 groups.
    fn default() -> Self {
        SpeedSetup {
            c: 64,
            h: 56,
            w: 56,
            n: 64,
            groups: 4,
        }
    }
}

impl SpeedSetup {
    /// Input shape `[c, h, w]`.
    pub fn input(&self) -> [usize; 3] {
        [self.c, self.h, self.w]
    }

    /// Checks the sizes (each block checks what else it needs, e.g. that `groups` divides `c`).
    ///
    /// # Errors
    /// `InvalidSpec` for a zero size; `TooLarge` past [`MAX_SETUP_CHANNELS`] or [`MAX_SETUP_SIDE`].
    ///
    /// ```
    /// use convlab_core::speed::SpeedSetup;
    /// let e = SpeedSetup { h: 0, ..SpeedSetup::default() }.validate().unwrap_err();
    /// assert_eq!(e.to_string(), "speed setup: h must be at least 1, got 0");
    /// assert!(SpeedSetup { c: 1 << 20, ..SpeedSetup::default() }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<()> {
        let op = "speed setup";
        let ch = MAX_SETUP_CHANNELS as u128;
        let side = MAX_SETUP_SIDE as u128;
        for (name, v, limit) in [
            ("c", self.c, ch),
            ("h", self.h, side),
            ("w", self.w, side),
            ("n", self.n, ch),
            ("groups", self.groups, ch),
        ] {
            if v == 0 {
                return Err(Error::invalid(
                    op,
                    format!("{name} must be at least 1, got 0"),
                ));
            }
            limits::check(op, name, v as u128, limit)?;
        }
        Ok(())
    }

    /// Every block at this setup, in [`SpeedBlock::ALL`] order, each built or refused.
    pub fn build_all(&self, seed: u64) -> Vec<(SpeedBlock, Result<SpeedCase>)> {
        SpeedBlock::ALL
            .iter()
            .map(|&b| (b, b.build(self, seed)))
            .collect()
    }
}

/// A block of the lesson, with its stable id (see [`SpeedBlock::id`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpeedBlock {
    /// `standard`: one 3×3 conv C → N, padding 1.
    Standard,
    /// `grouped`: one 3×3 conv C → N in `groups` groups.
    Grouped,
    /// `separable`: MobileNet v1's depthwise 3×3 + ReLU, then 1×1 C → N + ReLU.
    Separable,
    /// `fire`: SqueezeNet's Fire module, squeeze 1×1 to S = N/8 (at least 1;
    /// SqueezeNet's squeeze ratio, e.g. fire2: 16 → 64 + 64), then expand
    /// 1×1 (N/2) ‖ 3×3 (N − N/2), concatenated (needs N ≥ 2).
    Fire,
    /// `inverted-residual`: MobileNet v2's block, expansion t = 6.
    InvertedResidual,
    /// `shuffle-unit`: ShuffleNet v1's stride-1 unit, bottleneck N/4, `groups` groups.
    ShuffleUnit,
    /// `ghost`: GhostNet's Ghost module C → N, ratio s = 2, cheap 3×3 depthwise.
    Ghost,
    /// `shift`: ShiftNet's CSC block, 1×1 → 3×3 shift → 1×1, expansion ε = 1, shortcut.
    Shift,
    /// `dilated`: one 3×3 conv C → N, dilation 2, padding 2.
    Dilated,
}

impl SpeedBlock {
    /// Every block, in the lesson's order.
    pub const ALL: [SpeedBlock; 9] = [
        SpeedBlock::Standard,
        SpeedBlock::Grouped,
        SpeedBlock::Separable,
        SpeedBlock::Fire,
        SpeedBlock::InvertedResidual,
        SpeedBlock::ShuffleUnit,
        SpeedBlock::Ghost,
        SpeedBlock::Shift,
        SpeedBlock::Dilated,
    ];

    /// The stable id used in URLs and messages.
    pub fn id(self) -> &'static str {
        match self {
            SpeedBlock::Standard => "standard",
            SpeedBlock::Grouped => "grouped",
            SpeedBlock::Separable => "separable",
            SpeedBlock::Fire => "fire",
            SpeedBlock::InvertedResidual => "inverted-residual",
            SpeedBlock::ShuffleUnit => "shuffle-unit",
            SpeedBlock::Ghost => "ghost",
            SpeedBlock::Shift => "shift",
            SpeedBlock::Dilated => "dilated",
        }
    }

    /// The block for an id.
    ///
    /// # Errors
    /// `InvalidSpec` naming the valid ids.
    ///
    /// ```
    /// use convlab_core::speed::SpeedBlock;
    /// assert_eq!(SpeedBlock::from_id("shuffle-unit")?, SpeedBlock::ShuffleUnit);
    /// assert!(SpeedBlock::from_id("Standard").is_err());
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn from_id(id: &str) -> Result<SpeedBlock> {
        SpeedBlock::ALL
            .into_iter()
            .find(|b| b.id() == id)
            .ok_or_else(|| {
                let ids: Vec<&str> = SpeedBlock::ALL.iter().map(|b| b.id()).collect();
                Error::invalid(
                    "speed block",
                    format!("unknown id {id:?}; expected one of {}", ids.join(", ")),
                )
            })
    }

    /// A human name, e.g. `"Inverted residual (MobileNet v2)"`.
    pub fn name(self) -> &'static str {
        match self {
            SpeedBlock::Standard => "Standard 3×3 conv",
            SpeedBlock::Grouped => "Grouped 3×3 conv",
            SpeedBlock::Separable => "Depthwise-separable (MobileNet v1)",
            SpeedBlock::Fire => "Fire module (SqueezeNet)",
            SpeedBlock::InvertedResidual => "Inverted residual (MobileNet v2)",
            SpeedBlock::ShuffleUnit => "ShuffleNet unit (v1)",
            SpeedBlock::Ghost => "Ghost module (GhostNet)",
            SpeedBlock::Shift => "Shift block (ShiftNet)",
            SpeedBlock::Dilated => "Dilated 3×3 conv (d = 2)",
        }
    }

    /// The block's layer graph at `setup` (the builders of [`crate::blocks`]).
    ///
    /// # Errors
    /// As [`SpeedSetup::validate`], and the builder's error when the shape cannot
    /// make this block (e.g. `groups` not dividing C; the ShuffleNet unit adds its
    /// input, so it needs N = C, and `groups` must divide N/4).
    pub fn graph(self, setup: &SpeedSetup) -> Result<Graph> {
        setup.validate()?;
        let SpeedSetup { c, n, groups, .. } = *setup;
        let one_conv = |name: &str, spec: Conv2dSpec| -> Result<Graph> {
            let mut g = Graph::new(c)?;
            g.conv_bn(name, spec, CONVENTION, None, 0)?;
            Ok(g)
        };
        match self {
            SpeedBlock::Standard => standard_twin(c, n, 1, CONVENTION, None),
            SpeedBlock::Grouped => one_conv(
                &format!("gconv 3×3 (g={groups})"),
                Conv2dSpec::grouped(c, n, 3, groups),
            ),
            SpeedBlock::Separable => SeparableSpec::new(c, n, 1).graph(CONVENTION),
            SpeedBlock::Fire => {
                FireSpec::new(c, (n / 8).max(1), n / 2, n - n / 2).graph(CONVENTION)
            }
            SpeedBlock::InvertedResidual => InvertedResidualSpec::new(c, n, 6, 1).graph(CONVENTION),
            SpeedBlock::ShuffleUnit => ShuffleV1Spec {
                in_channels: c,
                out_channels: n,
                bottleneck: n / 4,
                groups,
                stride: 1,
                first_group_conv: true,
            }
            .graph(CONVENTION),
            SpeedBlock::Ghost => ghost_module(c, n),
            SpeedBlock::Shift => ShiftBlockSpec::new(c, n, 1, 1).graph(CONVENTION),
            SpeedBlock::Dilated => one_conv(
                "conv 3×3 d=2",
                Conv2dSpec::standard(c, n, 3).with_dilation(2),
            ),
        }
    }

    /// The block at `setup` with seeded random weights, ready to run.
    ///
    /// # Errors
    /// As [`SpeedBlock::graph`], and `TooLarge` past the case limits
    /// ([`super::MAX_CASE_MACS`], [`super::MAX_CASE_VALUES`]).
    pub fn build(self, setup: &SpeedSetup, seed: u64) -> Result<SpeedCase> {
        let graph = self.graph(setup)?;
        let label = format!(
            "{} {}×{}×{} → {}",
            self.name(),
            setup.c,
            setup.h,
            setup.w,
            setup.n
        );
        SpeedCase::new(self.id(), label, graph, setup.input(), seed)
    }
}

/// GhostNet's Ghost module C → N with ratio 2 and a 3×3 cheap depthwise conv
/// (the convs of [`GhostSpec::primary_spec`] and [`GhostSpec::cheap_spec`]),
/// each followed by ReLU as in GhostNet's first module; ghosts past N are cut.
fn ghost_module(c: usize, n: usize) -> Result<Graph> {
    let spec = GhostSpec {
        in_channels: c,
        out_channels: n,
        kernel: 1,
        ratio: 2,
        dw_kernel: 3,
        stride: 1,
        bias: CONVENTION.conv_bias,
    };
    spec.validate()?;
    let cheap = spec
        .cheap_spec()
        .ok_or_else(|| Error::invalid("Ghost module", "ratio 2 always has a cheap op"))?;
    let relu = Some(Activation::ReLU);
    let mut g = Graph::new(c)?;
    let p = g.conv_bn("primary 1×1", spec.primary_spec(), CONVENTION, relu, 0)?;
    let q = g.conv_bn("cheap dw 3×3", cheap, CONVENTION, relu, p)?;
    let cat = g.push("concat", NodeOp::Concat, &[p, q])?;
    if spec.intrinsic() + spec.ghosts() > n {
        g.push("keep N", NodeOp::Slice { start: 0, end: n }, &[cat])?;
    }
    Ok(g)
}
