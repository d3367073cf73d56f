//! p4m (and p4) lifting: one learned filter, its 8 rotated/flipped copies,
//! 8 oriented feature maps — 8× the maps for the parameters of one filter.
//!
//! ```text
//!  filter w ──► g·w for g in D4::ALL ──► map_g = conv(x, g·w)
//!   0°  90°  180°  270°   flip  flip+90°  flip+180°  flip+270°
//! ```
//!
//! Equivariance: for an input transformed by `h`,
//! `conv(h·x, g·w) = h·conv(x, (h⁻¹g)·w)`, i.e. the new map `g` is the old map
//! `h⁻¹g`, transformed by `h` ([`map_permutation`]). With symmetric padding and
//! stride 1 this holds exactly; [`Lifting::equivariance_error`] measures it.

use crate::conv::{Conv2d, Conv2dSpec};
use crate::error::{Error, Result};
use crate::limits;
use crate::tensor::{Tensor, D4};

/// The symmetry group the filter is lifted over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Group {
    /// Rotations by 0/90/180/270° (4 elements).
    P4,
    /// Rotations and mirror images (8 elements).
    #[default]
    P4m,
}

impl Group {
    /// The elements, in [`D4::ALL`] order (P4: the first four).
    ///
    /// ```
    /// use convlab_core::ops::equivariant::Group;
    /// assert_eq!(Group::P4.elements().len(), 4);
    /// assert_eq!(Group::P4m.elements().len(), 8);
    /// ```
    pub fn elements(self) -> &'static [D4] {
        match self {
            Group::P4 => &D4::ALL[..4],
            Group::P4m => &D4::ALL[..],
        }
    }

    /// Number of elements (4 or 8).
    pub fn order(self) -> usize {
        self.elements().len()
    }

    /// Whether `h` belongs to the group.
    pub fn contains(self, h: D4) -> bool {
        self.elements().contains(&h)
    }

    /// `"p4"` or `"p4m"`.
    pub fn label(self) -> &'static str {
        match self {
            Group::P4 => "p4",
            Group::P4m => "p4m",
        }
    }
}

/// How the maps permute when the input is transformed by `h`:
/// new map `g` = `h` · (old map `perm[g]`), with `perm[g] = index(h⁻¹ ∘ g)`
/// (indices into [`Group::elements`]).
///
/// # Errors
/// `InvalidSpec` when `h` is not in `group` (a flip for p4).
///
/// ```
/// use convlab_core::ops::equivariant::{map_permutation, Group};
/// use convlab_core::D4;
/// // Rotating the input by 90° turns map "90°" into the rotated old map "0°".
/// assert_eq!(map_permutation(Group::P4, D4::rotation(1))?, vec![3, 0, 1, 2]);
/// assert!(map_permutation(Group::P4, D4::FLIP).is_err());
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn map_permutation(group: Group, h: D4) -> Result<Vec<usize>> {
    if !group.contains(h) {
        return Err(Error::invalid(
            "equivariance",
            format!(
                "the transform {} is not in {} (rotations only)",
                h.label(),
                group.label()
            ),
        ));
    }
    Ok(group
        .elements()
        .iter()
        .map(|&g| h.inverse().compose(g).index())
        .collect())
}

/// Max `|conv(g·x, g·w) − g·conv(x, w)|` over all output values: how far a
/// single convolution is from commuting with the transform `g` (0 up to
/// rounding for symmetric padding and stride 1).
///
/// # Errors
/// As [`Conv2d::forward`]; `ShapeMismatch` if the two sides differ in shape
/// (possible with a stride that does not tile the input evenly).
///
/// ```
/// use convlab_core::ops::equivariant::conv_equivariance_error;
/// use convlab_core::{Conv2d, Conv2dSpec, Tensor, D4};
/// let conv = Conv2d::random(Conv2dSpec::standard(2, 3, 3), 1)?;
/// let x = Tensor::random(2, 5, 7, 2)?;
/// for g in D4::ALL {
///     assert!(conv_equivariance_error(&conv, &x, g)? < 1e-5);
/// }
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn conv_equivariance_error(conv: &Conv2d, x: &Tensor, g: D4) -> Result<f32> {
    let lhs = conv.transformed(g).forward(&x.transform(g))?;
    let rhs = conv.forward(x)?.transform(g);
    diff("conv equivariance", &lhs, &rhs)
}

fn diff(op: &'static str, a: &Tensor, b: &Tensor) -> Result<f32> {
    a.max_abs_diff(b).ok_or_else(|| {
        Error::shape(
            op,
            format!("both sides {:?}", b.shape()),
            format!("{:?}", a.shape()),
        )
    })
}

/// A lifting convolution: one filter (a [`Conv2d`] with one output channel
/// and a square kernel) applied in every orientation of a [`Group`].
///
/// ```
/// use convlab_core::ops::equivariant::{Group, Lifting};
/// use convlab_core::Tensor;
/// // A vertical-edge detector, lifted: 8 oriented edge maps.
/// let lift = Lifting::from_kernel(3, vec![-1.0, 0.0, 1.0, -2.0, 0.0, 2.0, -1.0, 0.0, 1.0], Group::P4m)?;
/// let maps = lift.forward(&Tensor::random(1, 8, 8, 3)?)?;
/// assert_eq!(maps.shape(), [8, 8, 8]);
/// assert_eq!((lift.shared_params(), lift.independent_params()), (9, 72));
/// # Ok::<(), convlab_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Lifting {
    base: Conv2d,
    group: Group,
    stacked: Conv2d,
}

impl Lifting {
    /// Lifts `base` (in_channels `C`, out_channels 1, square kernel, the same
    /// stride, padding and dilation on both axes).
    ///
    /// # Errors
    /// `InvalidSpec` for more than one output channel, a non-square kernel,
    /// or unequal stride/padding/dilation per axis (the copies would not
    /// share one shape); otherwise as [`Conv2d::new`].
    ///
    /// ```
    /// use convlab_core::ops::equivariant::{Group, Lifting};
    /// use convlab_core::{Conv2d, Conv2dSpec};
    /// let base = Conv2d::random(Conv2dSpec::standard(3, 1, 3), 1)?;
    /// let lift = Lifting::new(base, Group::P4)?;
    /// assert_eq!(lift.stacked().spec().out_channels, 4);
    /// let two = Conv2d::random(Conv2dSpec::standard(3, 2, 3), 1)?;
    /// assert!(Lifting::new(two, Group::P4).is_err());
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn new(base: Conv2d, group: Group) -> Result<Self> {
        let s = *base.spec();
        let op = "p4m lifting";
        if s.out_channels != 1 {
            return Err(Error::invalid(
                op,
                format!(
                    "lifts one filter (out_channels 1), got out_channels {}",
                    s.out_channels
                ),
            ));
        }
        if s.kernel.0 != s.kernel.1
            || s.stride.0 != s.stride.1
            || s.padding.0 != s.padding.1
            || s.dilation.0 != s.dilation.1
        {
            return Err(Error::invalid(
                op,
                format!(
                    "needs a square kernel and equal stride, padding and dilation on both axes, got kernel {}×{}, stride {:?}, padding {:?}, dilation {:?}",
                    s.kernel.0, s.kernel.1, s.stride, s.padding, s.dilation
                ),
            ));
        }
        let copies: Vec<Conv2d> = group
            .elements()
            .iter()
            .map(|&g| base.transformed(g))
            .collect();
        let mut weight = Vec::with_capacity(copies.len() * s.weight_len());
        let mut bias = Vec::with_capacity(copies.len());
        for c in &copies {
            weight.extend_from_slice(c.weight());
            if let Some(b) = c.bias() {
                bias.extend_from_slice(b);
            }
        }
        let spec = Conv2dSpec {
            out_channels: group.order(),
            ..s
        };
        let stacked = Conv2d::new(spec, weight, s.bias.then_some(bias))?;
        Ok(Lifting {
            base,
            group,
            stacked,
        })
    }

    /// Lifts a single-channel `k×k` kernel (row-major weights), "same"
    /// padding `(k−1)/2`, stride 1, no bias.
    ///
    /// # Errors
    /// `ShapeMismatch` when `weights.len() != k²`; as [`Lifting::new`].
    ///
    /// ```
    /// use convlab_core::ops::equivariant::{Group, Lifting};
    /// let lift = Lifting::from_kernel(2, vec![1.0, 2.0, 3.0, 4.0], Group::P4m)?;
    /// // 1 2 rotated 90° counter-clockwise is 2 4
    /// // 3 4                                  1 3
    /// assert_eq!(lift.filter(1).unwrap().weight(), &[2.0, 4.0, 1.0, 3.0]);
    /// assert!(Lifting::from_kernel(2, vec![1.0; 3], Group::P4m).is_err());
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn from_kernel(k: usize, weights: Vec<f32>, group: Group) -> Result<Self> {
        let spec = Conv2dSpec::standard(1, 1, k).with_bias(false);
        Lifting::new(Conv2d::new(spec, weights, None)?, group)
    }

    /// A lifted random filter (seeded) with `in_channels` inputs and a
    /// `k×k` kernel, "same" padding, stride 1, no bias.
    ///
    /// # Errors
    /// As [`Lifting::new`].
    pub fn random(in_channels: usize, k: usize, group: Group, seed: u64) -> Result<Self> {
        let spec = Conv2dSpec::standard(in_channels, 1, k).with_bias(false);
        Lifting::new(Conv2d::random(spec, seed)?, group)
    }

    /// The one learned filter.
    pub fn base(&self) -> &Conv2d {
        &self.base
    }

    /// The group.
    pub fn group(&self) -> Group {
        self.group
    }

    /// The transformed copies as one conv: output channel `i` uses
    /// `group.elements()[i]·w`.
    pub fn stacked(&self) -> &Conv2d {
        &self.stacked
    }

    /// Filter `i` (`g·w` for `g = group.elements()[i]`) as its own conv, or `None` past the group.
    pub fn filter(&self, i: usize) -> Option<Conv2d> {
        self.group
            .elements()
            .get(i)
            .map(|&g| self.base.transformed(g))
    }

    /// The oriented maps: channel `i` = `conv(x, gᵢ·w)`.
    ///
    /// # Errors
    /// As [`Conv2d::forward`].
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.stacked.forward(x)
    }

    /// Parameters learned: those of the one filter.
    pub fn shared_params(&self) -> u64 {
        self.base.param_count()
    }

    /// Parameters that as many independent filters would need: `|G|·` [`Lifting::shared_params`].
    pub fn independent_params(&self) -> u64 {
        self.group.order() as u64 * self.base.param_count()
    }

    /// Multiply–adds of the lifted layer for an `h × w` input (`|G|` times one filter).
    ///
    /// # Errors
    /// As [`Conv2dSpec::output_hw`]; `TooLarge` for `h` or `w` past [`limits::MAX_DIM`].
    pub fn macs(&self, h: usize, w: usize) -> Result<u64> {
        limits::check(
            "p4m lifting",
            "input height",
            h as u128,
            limits::MAX_DIM as u128,
        )?;
        limits::check(
            "p4m lifting",
            "input width",
            w as u128,
            limits::MAX_DIM as u128,
        )?;
        self.stacked.macs(h, w)
    }

    /// The two sides of the equivariance check for an input transformed by `h`:
    /// `(forward(h·x), h·forward(x) with maps permuted by `[`map_permutation`]`)`.
    ///
    /// # Errors
    /// As [`map_permutation`] and [`Lifting::forward`].
    ///
    /// ```
    /// use convlab_core::ops::equivariant::{Group, Lifting};
    /// use convlab_core::{Tensor, D4};
    /// let lift = Lifting::random(1, 3, Group::P4, 2)?;
    /// let (a, b) = lift.equivariance_sides(&Tensor::random(1, 6, 6, 1)?, D4::rotation(3))?;
    /// assert!(a.max_abs_diff(&b).unwrap() < 1e-5);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn equivariance_sides(&self, x: &Tensor, h: D4) -> Result<(Tensor, Tensor)> {
        let perm = map_permutation(self.group, h)?;
        let lhs = self.forward(&x.transform(h))?;
        let rhs = self.forward(x)?.transform(h).permute_channels(&perm)?;
        Ok((lhs, rhs))
    }

    /// Max `|forward(h·x)[g] − h·forward(x)[h⁻¹g]|` over all maps and cells:
    /// 0 up to rounding for symmetric padding and stride 1.
    ///
    /// # Errors
    /// As [`Lifting::equivariance_sides`]; `ShapeMismatch` if the sides differ in shape.
    ///
    /// ```
    /// use convlab_core::ops::equivariant::{Group, Lifting};
    /// use convlab_core::{Tensor, D4};
    /// let lift = Lifting::random(3, 5, Group::P4m, 7)?;
    /// let x = Tensor::random(3, 9, 6, 1)?;
    /// for h in D4::ALL {
    ///     assert!(lift.equivariance_error(&x, h)? < 1e-5);
    /// }
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn equivariance_error(&self, x: &Tensor, h: D4) -> Result<f32> {
        let (lhs, rhs) = self.equivariance_sides(x, h)?;
        diff("p4m equivariance", &lhs, &rhs)
    }

    /// [`Lifting::equivariance_error`] for every element of the group, in order.
    ///
    /// # Errors
    /// As [`Lifting::equivariance_error`].
    ///
    /// ```
    /// use convlab_core::ops::equivariant::{Group, Lifting};
    /// use convlab_core::Tensor;
    /// let lift = Lifting::random(2, 3, Group::P4m, 1)?;
    /// let errs = lift.equivariance_errors(&Tensor::random(2, 7, 7, 0)?)?;
    /// assert_eq!(errs.len(), 8);
    /// assert!(errs.iter().all(|&(_, e)| e < 1e-5));
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn equivariance_errors(&self, x: &Tensor) -> Result<Vec<(D4, f32)>> {
        self.group
            .elements()
            .iter()
            .map(|&h| Ok((h, self.equivariance_error(x, h)?)))
            .collect()
    }
}
