//! Bottleneck (curriculum §2): URL state and the view model, every count
//! read from real 1×1 and K×K convolutions of the kernel crate.
//!
//! ```text
//!  matrices:  x ─N×N─▶ y                      N² weights
//!             x ─M×N─▶ (M) ─N×M─▶ y           2·N·M weights   ratio 2M/N
//!  convs:     N ─1×1─▶ M ─K×K─▶ M ─1×1─▶ N    N·M + K²·M² + M·N
//!             N ─K×K─▶ N                      K²·N²
//! ```

use convlab_core::{Conv2d, Conv2dSpec, Error, Tensor};

use crate::route::{Note, Params, Query};

/// Range of `N`.
pub const WIDTH: (usize, usize) = (2, 128);
/// Kernel sizes offered for the middle conv.
pub const KERNELS: [usize; 4] = [1, 3, 5, 7];
/// Seed of the lesson's weights.
pub const WEIGHT_SEED: u64 = 5;

/// The lesson's state, as in the URL: `#/bottleneck?N=16&M=4&K=3&bias=1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BottleneckState {
    /// `N` — channels in and out.
    pub n: usize,
    /// `M` — bottleneck width.
    pub m: usize,
    /// `K` — kernel size of the middle conv.
    pub k: usize,
    /// Count biases ("conv with bias", as the lecture).
    pub bias: bool,
}

impl Default for BottleneckState {
    fn default() -> Self {
        BottleneckState {
            n: 16,
            m: 4,
            k: 3,
            bias: true,
        }
    }
}

impl BottleneckState {
    /// Parses the URL values, replacing and explaining what cannot be used.
    pub fn parse(query: &Query) -> (BottleneckState, Vec<Note>) {
        let d = BottleneckState::default();
        let mut p = Params::new(query);
        let n = p.usize("N", d.n, WIDTH.0, WIDTH.1);
        let m = p.usize("M", d.m.min(n), 1, n);
        let kernels: Vec<i64> = KERNELS.iter().map(|&k| k as i64).collect();
        let k = p.int_in("K", d.k as i64, &kernels).max(1) as usize;
        let bias = p.flag("bias", d.bias);
        (BottleneckState { n, m, k, bias }, p.finish())
    }

    /// The URL query for this state.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("N", self.n.to_string()),
            ("M", self.m.to_string()),
            ("K", self.k.to_string()),
            ("bias", u8::from(self.bias).to_string()),
        ]
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
    /// 1×1 reduce `N → M` (the M×N matrix).
    pub reduce: Conv2d,
    /// K×K conv `M → M` in the middle of the conv form.
    pub middle: Conv2d,
    /// 1×1 expand `M → N` (the N×M matrix).
    pub expand: Conv2d,
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
        let pw = |i, o| Conv2dSpec::pointwise(i, o).with_bias(s.bias);
        Ok(BottleneckModel {
            reduce: Conv2d::random(pw(s.n, s.m), WEIGHT_SEED)?,
            middle: Conv2d::random(
                Conv2dSpec::standard(s.m, s.m, s.k).with_bias(s.bias),
                WEIGHT_SEED + 1,
            )?,
            expand: Conv2d::random(pw(s.m, s.n), WEIGHT_SEED + 2)?,
            full: Conv2d::random(pw(s.n, s.n), WEIGHT_SEED + 3)?,
            standard: Conv2d::random(
                Conv2dSpec::standard(s.n, s.n, s.k).with_bias(s.bias),
                WEIGHT_SEED + 4,
            )?,
        })
    }

    /// Runs the chain 1×1 → K×K → 1×1 and the standard K×K conv on `x` (N channels).
    ///
    /// # Errors
    /// The kernel crate's message.
    pub fn run(&self, x: &Tensor) -> Result<BottleneckRun, Error> {
        let reduced = self.reduce.forward(x)?;
        let middle = self.middle.forward(&reduced)?;
        let expanded = self.expand.forward(&middle)?;
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
            reduce_weights: self.reduce.weight().len() as u64,
            expand_weights: self.expand.weight().len() as u64,
            full_weights: self.full.weight().len() as u64,
            matrices_params: self.reduce.param_count() + self.expand.param_count(),
            full_params: self.full.param_count(),
            middle_params: self.middle.param_count(),
            conv_chain_params: self.reduce.param_count()
                + self.middle.param_count()
                + self.expand.param_count(),
            standard_params: self.standard.param_count(),
            conv_chain_macs: self.reduce.macs(h, w)?
                + self.middle.macs(h, w)?
                + self.expand.macs(h, w)?,
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
    /// Both matrices with biases: 2NM (+M+N).
    pub matrices_params: u64,
    /// The full matrix with bias: N² (+N).
    pub full_params: u64,
    /// The middle K×K conv: K²M² (+M).
    pub middle_params: u64,
    /// The conv chain 1×1 → K×K → 1×1.
    pub conv_chain_params: u64,
    /// The standard K×K conv N → N.
    pub standard_params: u64,
    /// MACs of the conv chain.
    pub conv_chain_macs: u64,
    /// MACs of the standard conv.
    pub standard_macs: u64,
}

impl BottleneckCost {
    /// `2NM / N²` from the allocated weights: exactly `2M/N`.
    pub fn weight_ratio(&self) -> f64 {
        (self.reduce_weights + self.expand_weights) as f64 / self.full_weights.max(1) as f64
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

    fn query(pairs: &[(&str, &str)]) -> Query {
        Query::from_pairs(pairs.iter().map(|(k, v)| (*k, v.to_string())))
    }

    #[test]
    fn round_trip_and_notes() {
        let s = BottleneckState {
            n: 64,
            m: 16,
            k: 5,
            bias: false,
        };
        let q = s.to_query();
        let pairs: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(BottleneckState::parse(&query(&pairs)), (s, vec![]));
        let (s, notes) = BottleneckState::parse(&query(&[("N", "8"), ("M", "40")]));
        assert_eq!((s.n, s.m), (8, 8));
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.contains("M=40"));
        let (s, notes) = BottleneckState::parse(&query(&[("N", "abc"), ("M", "-1"), ("K", "4")]));
        assert_eq!((s.n, s.m, s.k), (16, 1, 3));
        assert_eq!(notes.len(), 3);
    }

    #[test]
    fn matrices_cost_2nm_vs_n_squared() {
        for (n, m) in [(16usize, 4usize), (256, 64), (10, 5), (7, 7)] {
            let s = BottleneckState {
                n,
                m,
                k: 3,
                bias: false,
            };
            let c = BottleneckModel::new(&s).unwrap().cost(4, 4).unwrap();
            assert_eq!(c.matrices_params, (2 * n * m) as u64);
            assert_eq!(c.full_params, (n * n) as u64);
            assert!((c.weight_ratio() - 2.0 * m as f64 / n as f64).abs() < 1e-12);
            assert_eq!(c.conv_chain_params, (n * m + 9 * m * m + m * n) as u64);
            assert_eq!(c.standard_params, (9 * n * n) as u64);
        }
        let s = BottleneckState {
            n: 16,
            m: 4,
            k: 3,
            bias: true,
        };
        let c = BottleneckModel::new(&s).unwrap().cost(4, 4).unwrap();
        assert_eq!(c.matrices_params, 2 * 16 * 4 + 4 + 16);
        assert_eq!(c.full_params, 16 * 16 + 16);
    }

    #[test]
    fn slide_condition_fits_2m_over_n_not_2n_over_m() {
        // "Less than 1 if M < 0.5N": true for 2M/N, never for 2N/M (M ≤ N).
        for n in 2..=64usize {
            for m in 1..=n {
                let s = BottleneckState {
                    n,
                    m,
                    k: 3,
                    bias: false,
                };
                assert_eq!(s.formula_ratio() < 1.0, 2 * m < n);
                assert!(s.slide_ratio() >= 2.0);
            }
        }
    }

    #[test]
    fn chain_runs_with_the_right_shapes() {
        let s = BottleneckState::default();
        let x = Tensor::random(16, 9, 9, 4).unwrap();
        let r = BottleneckModel::new(&s).unwrap().run(&x).unwrap();
        assert_eq!(r.reduced.shape(), [4, 9, 9]);
        assert_eq!(r.middle.shape(), [4, 9, 9]);
        assert_eq!(r.expanded.shape(), [16, 9, 9]);
        assert_eq!(r.standard.shape(), [16, 9, 9]);
    }
}
