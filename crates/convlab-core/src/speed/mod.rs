//! The core of the lesson "fewer multiply–adds is not the same as faster".
//!
//! * [`SpeedBlock`] / [`SpeedSetup`]: the lecture's blocks built at one shape
//!   (default 64×56×56 → 64) from the crate's own builders, with seeded weights.
//! * [`CaseCost`]: parameters, multiply–adds and the **memory access cost**
//!   (bytes read and written, ShuffleNet v2's model) of every layer, and the
//!   arithmetic intensity (multiply–adds per byte).
//! * [`measure`]: a timing harness that is given its clock, so it runs the
//!   same in a Web Worker (`performance.now`), natively and under test.
//! * [`Guideline`]: the four controlled experiments of ShuffleNet v2 (G1–G4)
//!   as runnable cases.
//!
//! Every case is a [`SpeedCase`]: a [`Net`] (the crate's real forward pass)
//! at one input shape, with its costs computed before any weight is allocated.
//!
//! ```
//! use convlab_core::speed::{SpeedBlock, SpeedSetup};
//! let setup = SpeedSetup { c: 16, h: 8, w: 8, n: 16, groups: 4 };
//! let case = SpeedBlock::Separable.build(&setup, 1)?;
//! assert_eq!(case.macs(), 8 * 8 * (9 * 16 + 16 * 16));
//! let y = case.forward(&case.input_tensor(2)?)?;
//! assert_eq!(y.shape(), [16, 8, 8]);
//! # Ok::<(), convlab_core::Error>(())
//! ```

mod blocks;
mod cost;
mod guidelines;
mod timing;

pub use blocks::{SpeedBlock, SpeedSetup, MAX_SETUP_CHANNELS, MAX_SETUP_SIDE};
pub use cost::{
    grouped_pointwise_mac, intensity, layer_traffic, pointwise_mac, pointwise_mac_bound, CaseCost,
    LayerTraffic, BYTES_PER_VALUE,
};
pub use guidelines::{Guideline, GuidelineSetup, MAX_GUIDELINE_BASE};
pub use timing::{
    gflops, measure, quantile, Stop, Timing, TimingOptions, MAX_TIMING_BATCH, MAX_TIMING_RUNS,
};

use crate::blocks::{Graph, Net};
use crate::error::Result;
use crate::limits;
use crate::tensor::Tensor;

/// Most multiply–adds one case may do per forward pass (the crate's per-call limit).
pub const MAX_CASE_MACS: u64 = limits::MAX_FORWARD_MACS as u64;
/// Most values one forward pass may allocate over all its layer outputs
/// (2^25 = 33.5 M floats, 128 MiB).
pub const MAX_CASE_VALUES: u64 = 1 << 25;

/// A runnable case: a block with its weights at one input shape, and its costs.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedCase {
    id: String,
    label: String,
    input: [usize; 3],
    net: Net,
    cost: CaseCost,
}

impl SpeedCase {
    /// Costs `graph` at `input`, checks the case limits, then allocates seeded weights.
    ///
    /// # Errors
    /// As [`CaseCost::of`]; `TooLarge` past [`MAX_CASE_MACS`], [`MAX_CASE_VALUES`]
    /// or [`limits::MAX_ELEMENTS`] (one map, or the parameters).
    pub(crate) fn new(
        id: impl Into<String>,
        label: impl Into<String>,
        graph: Graph,
        input: [usize; 3],
        seed: u64,
    ) -> Result<SpeedCase> {
        let op = "speed case";
        let cost = CaseCost::of(&graph, input)?;
        let max_map = cost.layers.iter().map(|l| l.written).max().unwrap_or(0);
        let max = limits::MAX_ELEMENTS as u128;
        limits::check(op, "values in one map", max_map as u128, max)?;
        limits::check(op, "parameters", cost.params as u128, max)?;
        limits::check(
            op,
            "multiply-adds",
            cost.macs as u128,
            MAX_CASE_MACS as u128,
        )?;
        let values = cost.activation_values() as u128;
        limits::check(op, "values in all maps", values, MAX_CASE_VALUES as u128)?;
        let net = Net::random(graph, seed)?;
        Ok(SpeedCase {
            id: id.into(),
            label: label.into(),
            input,
            net,
            cost,
        })
    }

    /// Stable id, e.g. `"inverted-residual"` or `"g1-1-6"`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// What it is, for a table row, e.g. `"1:6 (c1 = 52, c2 = 312)"`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Input shape `[C, H, W]`.
    pub fn input(&self) -> [usize; 3] {
        self.input
    }

    /// Output shape `[C, H, W]`.
    pub fn output(&self) -> [usize; 3] {
        self.cost.layers.last().map_or(self.input, |l| l.output)
    }

    /// The layers with their weights.
    pub fn net(&self) -> &Net {
        &self.net
    }

    /// Parameters, multiply–adds and bytes, per layer and in total.
    pub fn cost(&self) -> &CaseCost {
        &self.cost
    }

    /// Learned parameters (counted from the allocated tensors).
    pub fn params(&self) -> u64 {
        self.net.param_count()
    }

    /// Multiply–adds of one forward pass.
    pub fn macs(&self) -> u64 {
        self.cost.macs
    }

    /// Memory access cost of one forward pass, in bytes.
    pub fn bytes(&self) -> u64 {
        self.cost.bytes
    }

    /// Multiply–adds per byte.
    pub fn intensity(&self) -> f64 {
        self.cost.intensity()
    }

    /// A seeded random input of the case's shape (values in `[−1, 1)`).
    ///
    /// # Errors
    /// As [`Tensor::random`].
    pub fn input_tensor(&self, seed: u64) -> Result<Tensor> {
        let [c, h, w] = self.input;
        Tensor::random(c, h, w, seed)
    }

    /// The forward pass (the crate's [`Net::forward`]).
    ///
    /// # Errors
    /// As [`Net::forward`] (an input of the wrong shape, an overflow).
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.net.forward(x)
    }

    /// Times the forward pass on `x` with [`measure`]: one checked call
    /// first (so a failing forward is an error, not a fast time), then the
    /// timed calls, whose results are kept from being optimised away.
    ///
    /// # Errors
    /// As [`SpeedCase::forward`] and [`measure`].
    pub fn time_forward(
        &self,
        x: &Tensor,
        clock: impl FnMut() -> f64,
        opts: &TimingOptions,
    ) -> Result<Timing> {
        opts.validate()?;
        self.forward(x)?;
        measure(
            || {
                let _ = std::hint::black_box(self.forward(std::hint::black_box(x)));
            },
            clock,
            opts,
        )
    }
}
