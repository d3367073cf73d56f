//! What the bottleneck lesson computes from its state, every count read from
//! the kernel crate's [`Bottleneck`] (1×1 → K×K → 1×1) and the two layers it
//! is compared with.
//!
//! ```text
//!  matrices:  x ─N×N─▶ y                      N² weights
//!             x ─M×N─▶ (M) ─N×M─▶ y           2·N·M weights   ratio 2M/N
//!  convs:     N ─1×1─▶ M ─K×K─▶ M ─1×1─▶ N    N·M + K²·M² + M·N
//!             N ─K×K─▶ N                      K²·N²
//! ```

use convlab_core::ops::bottleneck::{Bottleneck, BottleneckSpec};
use convlab_core::{Conv2d, Conv2dSpec, Error, Tensor};

use super::state::BottleneckState;

/// Seed of the lesson's weights (the block's three convs take this seed and
/// the next two, the full matrix and the standard conv the two after).
pub const WEIGHT_SEED: u64 = 5;

impl BottleneckState {
    /// The kernel crate's block: the lesson shows the linear chain, so no ReLU.
    pub fn spec(&self) -> BottleneckSpec {
        BottleneckSpec {
            channels: self.n,
            mid: self.m,
            kernel: self.k,
            stride: 1,
            bias: self.bias,
            relu: false,
        }
    }

    /// `M/N`, the x of the ratio plot.
    pub fn width_fraction(&self) -> f64 {
        self.m as f64 / self.n.max(1) as f64
    }

    /// The lecture's ratio, corrected: `2NM / N² = 2M/N`.
    pub fn formula_ratio(&self) -> f64 {
        2.0 * self.width_fraction()
    }

    /// The ratio as the slide prints it, `2N/M` (a typo).
    pub fn slide_ratio(&self) -> f64 {
        2.0 * self.n as f64 / self.m.max(1) as f64
    }
}

/// The real layers of the lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct BottleneckModel {
    /// 1×1 reduce `N → M` (the M×N matrix), K×K `M → M`, 1×1 expand `M → N`
    /// (the N×M matrix).
    pub block: Bottleneck,
    /// The N×N matrix (a 1×1 conv `N → N`) the two matrices replace.
    pub full: Conv2d,
    /// The K×K conv `N → N` the conv form replaces.
    pub standard: Conv2d,
}

impl BottleneckModel {
    /// Builds every layer with seeded weights.
    ///
    /// # Errors
    /// The kernel crate's message for an invalid shape.
    pub fn new(s: &BottleneckState) -> Result<BottleneckModel, Error> {
        let spec = s.spec();
        Ok(BottleneckModel {
            block: Bottleneck::random(spec, WEIGHT_SEED)?,
            full: Conv2d::random(
                Conv2dSpec::pointwise(s.n, s.n).with_bias(s.bias),
                WEIGHT_SEED + 3,
            )?,
            standard: Conv2d::random(spec.standard_spec(), WEIGHT_SEED + 4)?,
        })
    }

    /// The 1×1 reduce `N → M`.
    pub fn reduce(&self) -> &Conv2d {
        self.block.convs()[0]
    }

    /// The K×K conv `M → M`.
    pub fn middle(&self) -> &Conv2d {
        self.block.convs()[1]
    }

    /// The 1×1 expand `M → N`.
    pub fn expand(&self) -> &Conv2d {
        self.block.convs()[2]
    }

    /// Runs the chain 1×1 → K×K → 1×1 and the standard K×K conv on `x` (N channels).
    ///
    /// # Errors
    /// The kernel crate's message.
    pub fn run(&self, x: &Tensor) -> Result<BottleneckRun, Error> {
        let [reduced, middle, expanded] = self.block.forward_stages(x)?;
        let standard = self.standard.forward(x)?;
        Ok(BottleneckRun {
            reduced,
            middle,
            expanded,
            standard,
        })
    }

    /// Counts from the allocated tensors, for an `h × w` input.
    ///
    /// # Errors
    /// When the kernel does not fit the input.
    pub fn cost(&self, h: usize, w: usize) -> Result<BottleneckCost, Error> {
        Ok(BottleneckCost {
            reduce_weights: self.reduce().weight().len() as u64,
            expand_weights: self.expand().weight().len() as u64,
            full_weights: self.full.weight().len() as u64,
            matrices_params: self.block.pointwise_param_count(),
            full_params: self.full.param_count(),
            middle_params: self.middle().param_count(),
            conv_chain_params: self.block.param_count(),
            standard_params: self.standard.param_count(),
            conv_chain_macs: self.block.macs(h, w)?,
            standard_macs: self.standard.macs(h, w)?,
        })
    }
}

/// The maps of one run of the conv form.
#[derive(Clone, Debug, PartialEq)]
pub struct BottleneckRun {
    /// After the 1×1 reduce (M maps).
    pub reduced: Tensor,
    /// After the K×K conv (M maps).
    pub middle: Tensor,
    /// After the 1×1 expand (N maps).
    pub expanded: Tensor,
    /// The standard K×K conv (N maps).
    pub standard: Tensor,
}

/// Counts read from allocated tensors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BottleneckCost {
    /// M×N weights of the reduce matrix.
    pub reduce_weights: u64,
    /// N×M weights of the expand matrix.
    pub expand_weights: u64,
    /// N×N weights of the full matrix.
    pub full_weights: u64,
    /// Both matrices (the two 1×1 convs) with biases: 2NM (+M+N).
    pub matrices_params: u64,
    /// The full matrix with bias: N² (+N).
    pub full_params: u64,
    /// The middle K×K conv: K²M² (+M).
    pub middle_params: u64,
    /// The conv chain 1×1 → K×K → 1×1: the two 1×1 convs and the middle one.
    pub conv_chain_params: u64,
    /// The standard K×K conv N → N.
    pub standard_params: u64,
    /// MACs of the conv chain.
    pub conv_chain_macs: u64,
    /// MACs of the standard conv.
    pub standard_macs: u64,
}

impl BottleneckCost {
    /// Weights of the two matrices, `M·N + N·M = 2NM`.
    pub fn matrices_weights(&self) -> u64 {
        self.reduce_weights + self.expand_weights
    }
    /// `2NM / N²` from the allocated weights: exactly `2M/N`.
    pub fn weight_ratio(&self) -> f64 {
        self.matrices_weights() as f64 / self.full_weights.max(1) as f64
    }
    /// Parameter ratio of the matrix form (with bias when counted).
    pub fn ratio(&self) -> f64 {
        self.matrices_params as f64 / self.full_params.max(1) as f64
    }
    /// Parameter ratio of the conv form.
    pub fn conv_ratio(&self) -> f64 {
        self.conv_chain_params as f64 / self.standard_params.max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widgets::InputState;

    fn state(n: usize, m: usize, k: usize, bias: bool) -> BottleneckState {
        BottleneckState {
            n,
            m,
            k,
            bias,
            input: InputState::default(),
        }
    }

    #[test]
    fn matrices_cost_2nm_vs_n_squared() {
        for (n, m) in [(16usize, 4usize), (256, 64), (10, 5), (7, 7)] {
            let s = state(n, m, 3, false);
            let c = BottleneckModel::new(&s).unwrap().cost(4, 4).unwrap();
            assert_eq!(c.matrices_params, (2 * n * m) as u64);
            assert_eq!(c.matrices_weights(), (2 * n * m) as u64);
            assert_eq!(c.full_params, (n * n) as u64);
            assert!((c.weight_ratio() - 2.0 * m as f64 / n as f64).abs() < 1e-12);
            assert_eq!(c.conv_chain_params, (n * m + 9 * m * m + m * n) as u64);
            assert_eq!(c.standard_params, (9 * n * n) as u64);
        }
        let s = state(16, 4, 3, true);
        let c = BottleneckModel::new(&s).unwrap().cost(4, 4).unwrap();
        assert_eq!(c.matrices_params, 2 * 16 * 4 + 4 + 16);
        assert_eq!(c.full_params, 16 * 16 + 16);
    }

    #[test]
    fn the_lecture_numbers() {
        // 16 → 4 → 16, K = 3, with bias: 148 vs 272 (0.5441); as convs 296 vs 2320.
        let s = state(16, 4, 3, true);
        let c = BottleneckModel::new(&s).unwrap().cost(8, 8).unwrap();
        assert_eq!((c.matrices_params, c.full_params), (148, 272));
        assert_eq!(format!("{:.4}", c.ratio()), "0.5441");
        assert_eq!((c.conv_chain_params, c.standard_params), (296, 2320));
        assert_eq!(c.middle_params, 9 * 4 * 4 + 4);
        // The chain is its two 1×1 convs and its middle one.
        assert_eq!(c.matrices_params + c.middle_params, c.conv_chain_params);
        assert_eq!(c.matrices_weights(), 128);
        assert_eq!(format!("{:.3}", c.conv_ratio()), "0.128");
    }

    #[test]
    fn counts_are_the_kernel_crates() {
        for (n, m, k, bias) in [
            (16, 4, 3, true),
            (64, 16, 5, false),
            (9, 9, 1, true),
            (128, 1, 7, true),
        ] {
            let s = state(n, m, k, bias);
            let model = BottleneckModel::new(&s).unwrap();
            let c = model.cost(6, 5).unwrap();
            let spec = s.spec();
            assert_eq!(c.conv_chain_params, spec.param_count());
            assert_eq!(c.standard_params, spec.standard_spec().param_count());
            let rows = spec.layers([n, 6, 5]).unwrap();
            assert_eq!(rows.len(), 3, "no ReLU rows: the lesson's chain is linear");
            assert_eq!(c.conv_chain_macs, rows.iter().map(|r| r.macs).sum::<u64>());
            assert_eq!(c.middle_params, rows[1].params);
            assert_eq!(c.matrices_params, rows[0].params + rows[2].params);
            assert_eq!(c.standard_macs, (6 * 5 * k * k * n * n) as u64);
        }
    }

    #[test]
    fn slide_condition_fits_2m_over_n_not_2n_over_m() {
        // "Less than 1 if M < 0.5N": true for 2M/N, never for 2N/M (M ≤ N).
        for n in 2..=64usize {
            for m in 1..=n {
                let s = state(n, m, 3, false);
                assert_eq!(s.formula_ratio() < 1.0, 2 * m < n);
                assert!(s.slide_ratio() >= 2.0);
            }
        }
    }

    #[test]
    fn chain_runs_with_the_right_shapes() {
        let s = BottleneckState::default();
        let x = Tensor::random(16, 9, 9, 4).unwrap();
        let model = BottleneckModel::new(&s).unwrap();
        let r = model.run(&x).unwrap();
        assert_eq!(r.reduced.shape(), [4, 9, 9]);
        assert_eq!(r.middle.shape(), [4, 9, 9]);
        assert_eq!(r.expanded.shape(), [16, 9, 9]);
        assert_eq!(r.standard.shape(), [16, 9, 9]);
        // The stages are the plain convs, one after the other (no ReLU between).
        let a = model.reduce().forward(&x).unwrap();
        let b = model.middle().forward(&a).unwrap();
        assert_eq!(r.reduced, a);
        assert_eq!(r.middle, b);
        assert_eq!(r.expanded, model.expand().forward(&b).unwrap());
        assert!(r.reduced.data().iter().any(|v| *v < 0.0));
    }

    #[test]
    fn the_weights_are_the_lessons_seeds() {
        // The block's convs keep the seeds the lesson always used: the page shows the same maps.
        let s = BottleneckState::default();
        let model = BottleneckModel::new(&s).unwrap();
        let pw = |i, o| Conv2dSpec::pointwise(i, o).with_bias(true);
        assert_eq!(
            *model.reduce(),
            Conv2d::random(pw(16, 4), WEIGHT_SEED).unwrap()
        );
        assert_eq!(
            *model.middle(),
            Conv2d::random(
                Conv2dSpec::standard(4, 4, 3).with_bias(true),
                WEIGHT_SEED + 1
            )
            .unwrap()
        );
        assert_eq!(
            *model.expand(),
            Conv2d::random(pw(4, 16), WEIGHT_SEED + 2).unwrap()
        );
    }
}
