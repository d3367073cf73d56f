//! The Ghost module (GhostNet): a primary convolution makes `m` intrinsic
//! maps, a cheap depthwise `d×d` convolution makes `s−1` "ghosts" of each,
//! and the two are concatenated and trimmed to the `n` output channels.
//!
//! ```text
//!  x (C) ──primary k×k conv──► m = ⌈n/s⌉ intrinsic ──┬──────────────► concat ─► first n
//!                                                    └─ d×d depthwise ─► (s−1)·m ghosts ─┘
//! ```
//!
//! As in GhostNet, the cheap conv is `Conv2d(m, (s−1)·m, d, groups = m)`:
//! ghost `j` is made from intrinsic map `⌊j/(s−1)⌋`.

use crate::conv::{Conv2d, Conv2dSpec};
use crate::cost::{LayerCost, LayerKind};
use crate::error::{Error, Result};
use crate::limits;
use crate::tensor::Tensor;

/// The shape of a Ghost module.
///
/// `Default` is GhostNet's choice: ratio `s = 2`, cheap kernel `d = 3`,
/// primary kernel `k = 1`, stride 1, for 16 → 16 channels, with bias (the
/// lecture's way of counting).
///
/// ```
/// use convlab_core::ops::ghost::GhostSpec;
/// let s = GhostSpec { in_channels: 64, out_channels: 129, ..GhostSpec::default() };
/// assert_eq!(s.intrinsic(), 65); // ⌈129 / 2⌉
/// assert_eq!(s.ghosts(), 65);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GhostSpec {
    /// Input channels `c`.
    pub in_channels: usize,
    /// Output channels `n`.
    pub out_channels: usize,
    /// Primary conv kernel side `k` (odd).
    pub kernel: usize,
    /// Ratio `s`: every intrinsic map yields `s − 1` ghosts (`s = 1`: no cheap op).
    pub ratio: usize,
    /// Cheap depthwise kernel side `d` (odd).
    pub dw_kernel: usize,
    /// Stride of the primary conv.
    pub stride: usize,
    /// Whether both convs carry a bias.
    pub bias: bool,
}

impl Default for GhostSpec {
    fn default() -> Self {
        GhostSpec {
            in_channels: 16,
            out_channels: 16,
            kernel: 1,
            ratio: 2,
            dw_kernel: 3,
            stride: 1,
            bias: true,
        }
    }
}

impl GhostSpec {
    /// Intrinsic maps `m = ⌈n/s⌉` (0 for a zero ratio, which [`GhostSpec::validate`] rejects).
    pub fn intrinsic(&self) -> usize {
        if self.ratio == 0 {
            0
        } else {
            self.out_channels.div_ceil(self.ratio)
        }
    }

    /// Ghost maps computed: `(s−1)·m` (some may be trimmed away).
    pub fn ghosts(&self) -> usize {
        self.intrinsic()
            .saturating_mul(self.ratio.saturating_sub(1))
    }

    /// The primary conv: `c → m`, `k×k`, padding `⌊k/2⌋`, the module's stride.
    pub fn primary_spec(&self) -> Conv2dSpec {
        Conv2dSpec::standard(self.in_channels, self.intrinsic(), self.kernel)
            .with_stride(self.stride)
            .with_bias(self.bias)
    }

    /// The cheap op: depthwise `m → (s−1)·m`, `d×d`, padding `⌊d/2⌋`, stride 1
    /// (`None` when `s = 1`).
    pub fn cheap_spec(&self) -> Option<Conv2dSpec> {
        (self.ratio > 1).then(|| {
            Conv2dSpec::depthwise(self.intrinsic(), self.ratio - 1, self.dw_kernel)
                .with_bias(self.bias)
        })
    }

    /// The ordinary conv it replaces: `c → n`, `k×k`, same stride and padding.
    pub fn standard_spec(&self) -> Conv2dSpec {
        Conv2dSpec::standard(self.in_channels, self.out_channels, self.kernel)
            .with_stride(self.stride)
            .with_bias(self.bias)
    }

    /// Checks the spec.
    ///
    /// # Errors
    /// `InvalidSpec` for zero channels, ratio or stride, or an even kernel
    /// (the two branches would differ in size); as [`Conv2dSpec::validate`]
    /// for the two convs.
    ///
    /// ```
    /// use convlab_core::ops::ghost::GhostSpec;
    /// assert!(GhostSpec::default().validate().is_ok());
    /// let bad = GhostSpec { kernel: 2, ..Default::default() };
    /// assert_eq!(bad.validate().unwrap_err().to_string(), "ghost module: kernel must be odd (1, 3, 5, …), got 2");
    /// ```
    pub fn validate(&self) -> Result<()> {
        let op = "ghost module";
        for (name, v) in [
            ("in_channels", self.in_channels),
            ("out_channels", self.out_channels),
            ("ratio", self.ratio),
            ("stride", self.stride),
        ] {
            if v == 0 {
                return Err(Error::invalid(
                    op,
                    format!("{name} must be at least 1, got 0"),
                ));
            }
        }
        limits::check(op, "ratio", self.ratio as u128, limits::MAX_DIM as u128)?;
        for (name, v) in [("kernel", self.kernel), ("cheap kernel", self.dw_kernel)] {
            if v.is_multiple_of(2) {
                return Err(Error::invalid(
                    op,
                    format!("{name} must be odd (1, 3, 5, …), got {v}"),
                ));
            }
        }
        self.primary_spec().validate()?;
        if let Some(c) = self.cheap_spec() {
            c.validate()?;
        }
        Ok(())
    }

    /// The cost rows for an `input` of `[c, H, W]` without allocating weights
    /// (the same rows as [`GhostModule::layers`]).
    ///
    /// # Errors
    /// As [`GhostSpec::validate`] and [`LayerCost::conv`].
    ///
    /// ```
    /// use convlab_core::ops::ghost::GhostSpec;
    /// use convlab_core::CostSummary;
    /// let s = GhostSpec::default();
    /// assert_eq!(CostSummary::of(&s.layers([16, 8, 8]).unwrap()).params, s.param_count());
    /// ```
    pub fn layers(&self, input: [usize; 3]) -> Result<Vec<LayerCost>> {
        self.validate()?;
        check_hw("ghost module", input[1], input[2])?;
        let p = LayerCost::conv("primary conv", self.primary_spec(), input)?;
        let mid = p.output;
        let mut rows = vec![p];
        if let Some(c) = self.cheap_spec() {
            let cheap = LayerCost::conv("cheap depthwise (ghosts)", c, mid)?;
            let out = [self.out_channels, mid[1], mid[2]];
            let cat_in = [mid[0] + cheap.output[0], mid[1], mid[2]];
            rows.push(cheap);
            rows.push(LayerCost::movement(
                "concat + trim",
                LayerKind::Concat,
                cat_in,
                out,
            ));
        }
        Ok(rows)
    }

    /// Parameters by formula: primary `k²·c·m (+ m)` plus cheap `d²·(s−1)·m (+ (s−1)·m)`
    /// (saturating at `u64::MAX` for a spec too large to validate).
    pub fn param_count(&self) -> u64 {
        let sq = |k: usize| (k as u64).saturating_mul(k as u64);
        let m = self.intrinsic() as u64;
        let ghosts = self.ghosts() as u64;
        let b = u64::from(self.bias);
        let primary = sq(self.kernel)
            .saturating_mul(self.in_channels as u64)
            .saturating_mul(m)
            .saturating_add(b * m);
        let cheap = sq(self.dw_kernel)
            .saturating_mul(ghosts)
            .saturating_add(b * ghosts);
        primary.saturating_add(cheap)
    }
}

/// A Ghost module with its weights.
///
/// ```
/// use convlab_core::ops::ghost::{GhostModule, GhostSpec};
/// use convlab_core::Tensor;
/// let g = GhostModule::random(GhostSpec { in_channels: 8, out_channels: 12, ..Default::default() }, 1)?;
/// let y = g.forward(&Tensor::random(8, 5, 5, 2)?)?;
/// assert_eq!(y.shape(), [12, 5, 5]);
/// // 8·6 + 6 primary, 9·6 + 6 cheap
/// assert_eq!(g.param_count(), 54 + 60);
/// # Ok::<(), convlab_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GhostModule {
    spec: GhostSpec,
    primary: Conv2d,
    cheap: Option<Conv2d>,
}

/// The two halves of a Ghost module's output (see [`GhostModule::forward_parts`]).
#[derive(Clone, Debug, PartialEq)]
pub struct GhostParts {
    /// The `m` intrinsic maps from the primary conv.
    pub intrinsic: Tensor,
    /// The `(s−1)·m` ghost maps (before trimming), `None` when `s = 1`.
    pub ghosts: Option<Tensor>,
    /// For each ghost map, the intrinsic map it was made from: `⌊j/(s−1)⌋`.
    pub ghost_source: Vec<usize>,
    /// How many of the concatenated maps the module keeps: `n`.
    pub kept: usize,
}

impl GhostModule {
    /// A module from its two convs.
    ///
    /// # Errors
    /// As [`GhostSpec::validate`]; `ShapeMismatch` when the convs' specs are
    /// not the ones the spec implies.
    ///
    /// ```
    /// use convlab_core::ops::ghost::{GhostModule, GhostSpec};
    /// use convlab_core::Conv2d;
    /// let spec = GhostSpec::default();
    /// let primary = Conv2d::random(spec.primary_spec(), 1)?;
    /// let cheap = spec.cheap_spec().map(|c| Conv2d::random(c, 2)).transpose()?;
    /// assert!(GhostModule::new(spec, primary.clone(), cheap).is_ok());
    /// assert!(GhostModule::new(spec, primary, None).is_err()); // s = 2 needs the cheap conv
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn new(spec: GhostSpec, primary: Conv2d, cheap: Option<Conv2d>) -> Result<Self> {
        spec.validate()?;
        if *primary.spec() != spec.primary_spec() {
            return Err(Error::shape(
                "ghost module primary conv",
                format!("{:?}", spec.primary_spec()),
                format!("{:?}", primary.spec()),
            ));
        }
        if cheap.as_ref().map(|c| *c.spec()) != spec.cheap_spec() {
            return Err(Error::shape(
                "ghost module cheap conv",
                format!("{:?}", spec.cheap_spec()),
                format!("{:?}", cheap.as_ref().map(|c| *c.spec())),
            ));
        }
        Ok(GhostModule {
            spec,
            primary,
            cheap,
        })
    }

    /// Seeded random weights for both convs (the cheap conv uses `seed + 1`).
    ///
    /// # Errors
    /// As [`GhostSpec::validate`].
    ///
    /// ```
    /// use convlab_core::ops::ghost::{GhostModule, GhostSpec};
    /// let a = GhostModule::random(GhostSpec::default(), 3)?;
    /// assert_eq!(a, GhostModule::random(GhostSpec::default(), 3)?);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn random(spec: GhostSpec, seed: u64) -> Result<Self> {
        spec.validate()?;
        let primary = Conv2d::random(spec.primary_spec(), seed)?;
        let cheap = spec
            .cheap_spec()
            .map(|c| Conv2d::random(c, seed.wrapping_add(1)))
            .transpose()?;
        GhostModule::new(spec, primary, cheap)
    }

    /// The spec.
    pub fn spec(&self) -> &GhostSpec {
        &self.spec
    }
    /// The primary conv.
    pub fn primary(&self) -> &Conv2d {
        &self.primary
    }
    /// The cheap depthwise conv (`None` when `s = 1`).
    pub fn cheap(&self) -> Option<&Conv2d> {
        self.cheap.as_ref()
    }

    /// Intrinsic and ghost maps separately.
    ///
    /// # Errors
    /// As [`Conv2d::forward`].
    ///
    /// ```
    /// use convlab_core::ops::ghost::{GhostModule, GhostSpec};
    /// use convlab_core::Tensor;
    /// let spec = GhostSpec { in_channels: 4, out_channels: 9, ratio: 3, ..Default::default() };
    /// let p = GhostModule::random(spec, 0)?.forward_parts(&Tensor::random(4, 6, 6, 1)?)?;
    /// assert_eq!(p.intrinsic.channels(), 3);
    /// assert_eq!(p.ghost_source, vec![0, 0, 1, 1, 2, 2]);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn forward_parts(&self, x: &Tensor) -> Result<GhostParts> {
        let intrinsic = self.primary.forward(x)?;
        let ghosts = self
            .cheap
            .as_ref()
            .map(|c| c.forward(&intrinsic))
            .transpose()?;
        let per = self.spec.ratio.saturating_sub(1).max(1);
        let ghost_source = (0..self.spec.ghosts()).map(|j| j / per).collect();
        Ok(GhostParts {
            intrinsic,
            ghosts,
            ghost_source,
            kept: self.spec.out_channels,
        })
    }

    /// The module's output: `concat(intrinsic, ghosts)`, first `n` channels.
    ///
    /// # Errors
    /// As [`Conv2d::forward`].
    ///
    /// ```
    /// use convlab_core::ops::ghost::{GhostModule, GhostSpec};
    /// use convlab_core::Tensor;
    /// let g = GhostModule::random(GhostSpec { out_channels: 5, ..Default::default() }, 0)?;
    /// let x = Tensor::random(16, 4, 4, 1)?;
    /// let y = g.forward(&x)?;
    /// assert_eq!(y.channels(), 5); // 3 intrinsic + 2 of the 3 ghosts
    /// assert_eq!(y.channels_range(0..3)?, g.primary().forward(&x)?);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let p = self.forward_parts(x)?;
        let all = match &p.ghosts {
            Some(g) => Tensor::concat_channels(&[&p.intrinsic, g])?,
            None => p.intrinsic,
        };
        if all.channels() == p.kept {
            Ok(all)
        } else {
            all.channels_range(0..p.kept)
        }
    }

    /// Parameters actually allocated in both convs.
    pub fn param_count(&self) -> u64 {
        self.primary.param_count() + self.cheap.as_ref().map_or(0, Conv2d::param_count)
    }

    /// Multiply–adds for an `h × w` input (both convs; the ghosts that are
    /// trimmed away are computed too, as in GhostNet):
    /// `H'·W'·(k²·c·m + d²·(s−1)·m)`.
    ///
    /// # Errors
    /// As [`Conv2dSpec::output_hw`]; `TooLarge` for `h` or `w` past [`limits::MAX_DIM`].
    ///
    /// ```
    /// use convlab_core::ops::ghost::{GhostModule, GhostSpec};
    /// let g = GhostModule::random(GhostSpec::default(), 0)?; // 16 → 8 intrinsic + 8 ghosts
    /// assert_eq!(g.macs(10, 10)?, 100 * (16 * 8 + 9 * 8));
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn macs(&self, h: usize, w: usize) -> Result<u64> {
        check_hw("ghost module", h, w)?;
        let (oh, ow) = self.primary.spec().output_hw(h, w)?;
        let cheap = match &self.cheap {
            Some(c) => c.macs(oh, ow)?,
            None => 0,
        };
        Ok(self.primary.macs(h, w)? + cheap)
    }

    /// The cost rows: primary conv, cheap conv, concat (+ trim) for an `input` of `[C, H, W]`.
    ///
    /// # Errors
    /// As [`LayerCost::conv`]; `TooLarge` for `H` or `W` past [`limits::MAX_DIM`].
    ///
    /// ```
    /// use convlab_core::ops::ghost::{GhostModule, GhostSpec};
    /// use convlab_core::CostSummary;
    /// let g = GhostModule::random(GhostSpec::default(), 0)?;
    /// let rows = g.layers([16, 8, 8])?;
    /// assert_eq!(rows.len(), 3);
    /// assert_eq!(CostSummary::of(&rows).params, g.param_count());
    /// assert_eq!(CostSummary::of(&rows).macs, g.macs(8, 8)?);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn layers(&self, input: [usize; 3]) -> Result<Vec<LayerCost>> {
        self.spec.layers(input)
    }
}

/// `TooLarge` unless `height` and `width` are at most [`limits::MAX_DIM`]
/// (checked before any size arithmetic).
fn check_hw(op: &'static str, h: usize, w: usize) -> Result<()> {
    limits::check(op, "input height", h as u128, limits::MAX_DIM as u128)?;
    limits::check(op, "input width", w as u128, limits::MAX_DIM as u128)
}

fn check_ratio_args(c: usize, k: usize, d: usize, s: usize) -> Result<()> {
    for (name, v) in [("c", c), ("k", k), ("d", d), ("s", s)] {
        if v == 0 {
            return Err(Error::invalid(
                "ghost ratio",
                format!("{name} must be at least 1, got 0"),
            ));
        }
        limits::check(
            "ghost ratio",
            "argument",
            v as u128,
            limits::MAX_DIM as u128,
        )?;
    }
    Ok(())
}

/// The paper's theoretical speed-up over an ordinary `k×k` conv with `c`
/// inputs (biases ignored, `n` divisible by `s`):
///
/// `r = c·k² / ((1/s)·c·k² + ((s−1)/s)·d²)`
///
/// GhostNet uses `k = 1, d = 3, s = 2`: 1.93 at `c = 256`, 1.28 at `c = 16`.
///
/// # Errors
/// `InvalidSpec` for a zero argument, `TooLarge` past [`limits::MAX_DIM`].
///
/// ```
/// use convlab_core::ops::ghost::speedup;
/// assert!((speedup(256, 1, 3, 2)? - 1.932).abs() < 1e-3);
/// assert!((speedup(16, 1, 3, 2)? - 1.28).abs() < 1e-9);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn speedup(c: usize, k: usize, d: usize, s: usize) -> Result<f64> {
    check_ratio_args(c, k, d, s)?;
    let (c, k, d, s) = (c as f64, k as f64, d as f64, s as f64);
    Ok(c * k * k / (c * k * k / s + (s - 1.0) / s * d * d))
}

/// The paper's approximation of [`speedup`] when `d ≈ k`: `s·c/(s + c − 1)`
/// (≈ `s` when `c ≫ s`). Far off for GhostNet's own `k = 1, d = 3`.
///
/// # Errors
/// `InvalidSpec` for a zero argument, `TooLarge` past [`limits::MAX_DIM`].
///
/// ```
/// use convlab_core::ops::ghost::{speedup, speedup_approx};
/// assert!((speedup_approx(256, 2)? - 512.0 / 257.0).abs() < 1e-12);
/// // Exact when d = k:
/// assert!((speedup(64, 3, 3, 4)? - speedup_approx(64, 4)?).abs() < 1e-12);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn speedup_approx(c: usize, s: usize) -> Result<f64> {
    check_ratio_args(c, 1, 1, s)?;
    let (c, s) = (c as f64, s as f64);
    Ok(s * c / (s + c - 1.0))
}

/// The paper's compression ratio, parameters of the ordinary conv over those
/// of the Ghost module (biases ignored):
/// `n·c·k² / ((n/s)·c·k² + (s−1)·(n/s)·d²)`, the same expression as [`speedup`]
/// (`n` cancels).
///
/// # Errors
/// As [`speedup`].
///
/// ```
/// use convlab_core::ops::ghost::{compression, speedup};
/// assert_eq!(compression(256, 1, 3, 2)?, speedup(256, 1, 3, 2)?);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn compression(c: usize, k: usize, d: usize, s: usize) -> Result<f64> {
    speedup(c, k, d, s)
}
