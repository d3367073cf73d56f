//! What the depthwise-separable lesson computes from its state: the
//! depthwise and pointwise convs of the kernel crate, the one standard conv
//! they compose to, and every count read from the allocated tensors.
//!
//! ```text
//!  C maps ──K×K depthwise (C groups, ×mult)──▶ C·mult maps ──1×1──▶ N maps
//!  params  K·K·C + C·N   vs   K·K·C·N        ratio 1/N + 1/K²
//! ```

use convlab_core::{Conv2d, Conv2dSpec, Error, Tensor};

use super::state::DepthwiseState;

/// Seed of the lesson's weights.
pub const WEIGHT_SEED: u64 = 11;

impl DepthwiseState {
    /// The depthwise K×K conv: C groups, `C·mult` outputs.
    pub fn depthwise_spec(&self) -> Conv2dSpec {
        Conv2dSpec::depthwise(self.c, self.mult, self.k).with_bias(self.bias)
    }

    /// The depthwise maps, `C·mult` (each from one input channel).
    pub fn depthwise_maps(&self) -> usize {
        self.c * self.mult
    }

    /// The 1×1 mixing conv `C·mult → N`.
    pub fn pointwise_spec(&self) -> Conv2dSpec {
        Conv2dSpec::pointwise(self.depthwise_maps(), self.n).with_bias(self.bias)
    }

    /// The standard K×K conv `C → N` it replaces.
    pub fn standard_spec(&self) -> Conv2dSpec {
        Conv2dSpec::standard(self.c, self.n, self.k).with_bias(self.bias)
    }

    /// The lecture's ratio `mult/N + mult/K²` (weights only; `1/N + 1/K²` for mult = 1).
    pub fn formula_ratio(&self) -> f64 {
        ratio(self.n, self.k, self.mult)
    }
}

/// `mult/N + mult/K²`.
pub fn ratio(n: usize, k: usize, mult: usize) -> f64 {
    mult as f64 / n.max(1) as f64 + mult as f64 / (k * k).max(1) as f64
}

/// The three real convolutions of the lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct DepthwiseModel {
    /// Depthwise K×K (C groups).
    pub depthwise: Conv2d,
    /// Pointwise 1×1 mixing.
    pub pointwise: Conv2d,
    /// The single standard K×K conv whose kernel is the composition
    /// `W[n, c] = Σ_j P[n, c·mult + j] · D[c·mult + j]` (and bias `P·b_D + b_P`):
    /// it computes the same function, stored with K·K·C·N weights.
    pub composed: Conv2d,
}

impl DepthwiseModel {
    /// Builds the depthwise and pointwise convs with seeded weights and composes them.
    ///
    /// # Errors
    /// The kernel crate's message for an invalid shape.
    pub fn new(s: &DepthwiseState) -> Result<DepthwiseModel, Error> {
        let depthwise = Conv2d::random(s.depthwise_spec(), WEIGHT_SEED)?;
        let pointwise = Conv2d::random(s.pointwise_spec(), WEIGHT_SEED + 1)?;
        let q = s.depthwise_maps();
        let kk = s.k * s.k;
        let (dw, pw) = (depthwise.weight(), pointwise.weight());
        let mut weight = vec![0.0f32; s.n * s.c * kk];
        for n in 0..s.n {
            for c in 0..s.c {
                for j in 0..s.mult {
                    let mid = c * s.mult + j;
                    let p = pw[n * q + mid];
                    for t in 0..kk {
                        weight[(n * s.c + c) * kk + t] += p * dw[mid * kk + t];
                    }
                }
            }
        }
        let bias = match (depthwise.bias(), pointwise.bias()) {
            (Some(db), Some(pb)) => Some(
                (0..s.n)
                    .map(|n| pb[n] + (0..q).map(|mid| pw[n * q + mid] * db[mid]).sum::<f32>())
                    .collect(),
            ),
            _ => None,
        };
        let composed = Conv2d::new(s.standard_spec(), weight, bias)?;
        Ok(DepthwiseModel {
            depthwise,
            pointwise,
            composed,
        })
    }

    /// Runs the two steps and the composed standard conv on `x`.
    ///
    /// # Errors
    /// The kernel crate's message.
    pub fn run(&self, x: &Tensor) -> Result<DepthwiseRun, Error> {
        let depthwise = self.depthwise.forward(x)?;
        let output = self.pointwise.forward(&depthwise)?;
        let composed = self.composed.forward(x)?;
        let max_abs_diff = output.max_abs_diff(&composed).ok_or_else(|| {
            Error::shape(
                "compare outputs",
                format!("{:?}", output.shape()),
                format!("{:?}", composed.shape()),
            )
        })?;
        Ok(DepthwiseRun {
            depthwise,
            output,
            composed,
            max_abs_diff,
        })
    }

    /// Counts from the allocated tensors, for an `h × w` input.
    ///
    /// # Errors
    /// When the kernel does not fit the input.
    pub fn cost(&self, h: usize, w: usize) -> Result<DepthwiseCost, Error> {
        Ok(DepthwiseCost {
            depthwise_weights: self.depthwise.weight().len() as u64,
            depthwise_params: self.depthwise.param_count(),
            pointwise_weights: self.pointwise.weight().len() as u64,
            pointwise_params: self.pointwise.param_count(),
            standard_weights: self.composed.weight().len() as u64,
            standard_params: self.composed.param_count(),
            separable_macs: self.depthwise.macs(h, w)? + self.pointwise.macs(h, w)?,
            standard_macs: self.composed.macs(h, w)?,
        })
    }
}

/// The maps of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct DepthwiseRun {
    /// The `C·mult` depthwise maps.
    pub depthwise: Tensor,
    /// The `N` maps after the 1×1 mixing.
    pub output: Tensor,
    /// The same `N` maps from the composed standard conv.
    pub composed: Tensor,
    /// Largest absolute difference between the two (float rounding only).
    pub max_abs_diff: f32,
}

/// Parameter counts read from the allocated tensors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DepthwiseCost {
    /// K·K·C·mult.
    pub depthwise_weights: u64,
    /// Depthwise weights + C·mult bias.
    pub depthwise_params: u64,
    /// C·mult·N.
    pub pointwise_weights: u64,
    /// Pointwise weights + N bias.
    pub pointwise_params: u64,
    /// K·K·C·N.
    pub standard_weights: u64,
    /// Standard weights + N bias.
    pub standard_params: u64,
    /// MACs of depthwise + pointwise.
    pub separable_macs: u64,
    /// MACs of the standard conv.
    pub standard_macs: u64,
}

impl DepthwiseCost {
    /// Separable parameters (depthwise + pointwise).
    pub fn separable_params(&self) -> u64 {
        self.depthwise_params + self.pointwise_params
    }
    /// Separable weights (no bias).
    pub fn separable_weights(&self) -> u64 {
        self.depthwise_weights + self.pointwise_weights
    }
    /// Exact ratio of parameters (with bias when counted).
    pub fn ratio(&self) -> f64 {
        self.separable_params() as f64 / self.standard_params.max(1) as f64
    }
    /// Ratio of weights: equals `mult/N + mult/K²` exactly.
    pub fn weight_ratio(&self) -> f64 {
        self.separable_weights() as f64 / self.standard_weights.max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lecture_example_mobilenet_block() {
        // Curriculum §9: 3×3 depthwise (9+1)·128 = 1280 + 1×1 (128+1)·128 = 16512
        // → 17792 vs (9·128+1)·128 = 147584, ratio 0.12.
        let s = DepthwiseState {
            c: 128,
            n: 128,
            k: 3,
            mult: 1,
            bias: true,
            input: Default::default(),
        };
        let cost = DepthwiseModel::new(&s).unwrap().cost(8, 8).unwrap();
        assert_eq!(cost.depthwise_params, 1280);
        assert_eq!(cost.pointwise_params, 16512);
        assert_eq!(cost.separable_params(), 17792);
        assert_eq!(cost.standard_params, 147584);
        assert_eq!(format!("{:.2}", cost.ratio()), "0.12");
        assert!((cost.weight_ratio() - (1.0 / 128.0 + 1.0 / 9.0)).abs() < 1e-12);
    }

    #[test]
    fn weight_ratio_is_the_formula_for_every_shape() {
        for (c, n, k, mult) in [(4, 8, 3, 1), (5, 3, 5, 2), (2, 9, 7, 3), (6, 6, 1, 4)] {
            let s = DepthwiseState {
                c,
                n,
                k,
                mult,
                bias: false,
                input: Default::default(),
            };
            let cost = DepthwiseModel::new(&s).unwrap().cost(9, 9).unwrap();
            assert_eq!(cost.depthwise_weights, (k * k * c * mult) as u64);
            assert_eq!(s.depthwise_maps(), c * mult);
            assert_eq!(cost.pointwise_weights, (s.depthwise_maps() * n) as u64);
            assert_eq!(cost.pointwise_weights, (c * mult * n) as u64);
            assert_eq!(cost.standard_weights, (k * k * c * n) as u64);
            assert!((cost.weight_ratio() - s.formula_ratio()).abs() < 1e-12);
        }
    }

    #[test]
    fn two_steps_equal_the_composed_conv() {
        let x = Tensor::random(4, 12, 12, 21).unwrap();
        for (mult, bias, k) in [(1, true, 3), (2, true, 5), (3, false, 3), (1, false, 1)] {
            let s = DepthwiseState {
                c: 4,
                n: 6,
                k,
                mult,
                bias,
                input: Default::default(),
            };
            let run = DepthwiseModel::new(&s).unwrap().run(&x).unwrap();
            assert_eq!(run.depthwise.shape(), [4 * mult, 12, 12]);
            assert_eq!(run.output.shape(), [6, 12, 12]);
            assert!(run.max_abs_diff < 1e-5, "{}", run.max_abs_diff);
            assert!(run.output.max_abs() > 0.01);
        }
    }

    #[test]
    fn composition_check_detects_a_wrong_kernel() {
        // The check is not vacuous: perturb one composed weight and it fails.
        let s = DepthwiseState::default();
        let mut model = DepthwiseModel::new(&s).unwrap();
        let mut w = model.composed.weight().to_vec();
        w[4] += 0.5;
        model.composed = Conv2d::new(
            s.standard_spec(),
            w,
            model.composed.bias().map(<[f32]>::to_vec),
        )
        .unwrap();
        let x = Tensor::random(8, 10, 10, 2).unwrap();
        assert!(model.run(&x).unwrap().max_abs_diff > 0.01);
    }
}
