//! Memory access cost: the bytes a layer moves, next to the multiply–adds it does.
//!
//! Following ShuffleNet v2 (Ma et al. 2018, §2): the memory access cost
//! ("MAC" in the paper; here always spelled out, as MACs are multiply–adds)
//! of a layer is every value it **reads** (all its inputs and its weights)
//! plus every value it **writes** (its output), each read or written once, as
//! if the caches held whatever a layer needs while it runs. A value is an
//! `f32`: [`BYTES_PER_VALUE`] bytes. For a bias-free 1×1 conv `c1 → c2` on an
//! `h × w` map that is the paper's equation (1), `h·w·(c1 + c2) + c1·c2`
//! values ([`pointwise_mac`]).
//!
//! Per layer, by what the crate's forward pass really does:
//!
//! | layer | read | weights | written |
//! |---|---|---|---|
//! | conv, linear, BatchNorm | its input | its parameters (weights, bias; BN's γ, β) | its output |
//! | activation, pool, shuffle, shift | its input | 0 | its output |
//! | add, gate, concat | every input | 0 | its output |
//! | channel split (a copy here) | the channels it keeps | 0 | its output |
//!
//! Element-wise and data-movement layers have zero multiply–adds and nonzero
//! bytes: that is guideline G4's point.

use crate::blocks::{Graph, NodeOp};
use crate::cost::{elements, LayerCost, LayerKind};
use crate::error::{Error, Result};

/// Bytes of one value (`f32`).
pub const BYTES_PER_VALUE: u64 = 4;

/// What one layer computes and moves.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerTraffic {
    /// The layer's name in its block.
    pub name: String,
    /// What the layer is.
    pub kind: LayerKind,
    /// Shape `[C, H, W]` of its first input.
    pub input: [usize; 3],
    /// Shape `[C, H, W]` of its output.
    pub output: [usize; 3],
    /// Learned parameters.
    pub params: u64,
    /// Multiply–adds, as the crate's cost table counts them.
    pub macs: u64,
    /// Input values read (every input of an add or concat).
    pub read: u64,
    /// Parameter values read.
    pub weights: u64,
    /// Output values written.
    pub written: u64,
}

impl LayerTraffic {
    /// Values moved: `read + weights + written`.
    pub fn values(&self) -> u64 {
        self.read
            .saturating_add(self.weights)
            .saturating_add(self.written)
    }

    /// Memory access cost in bytes: [`LayerTraffic::values`] · [`BYTES_PER_VALUE`].
    pub fn bytes(&self) -> u64 {
        self.values().saturating_mul(BYTES_PER_VALUE)
    }

    /// Multiply–adds per byte ([`intensity`]).
    pub fn intensity(&self) -> f64 {
        intensity(self.macs, self.bytes())
    }
}

/// Multiply–adds per byte moved: `macs / bytes` (0 when nothing moves).
/// FLOPs per byte are twice this.
///
/// ```
/// use convlab_core::speed::intensity;
/// assert_eq!(intensity(100, 50), 2.0);
/// assert_eq!(intensity(0, 64), 0.0);
/// assert_eq!(intensity(5, 0), 0.0);
/// ```
pub fn intensity(macs: u64, bytes: u64) -> f64 {
    if bytes == 0 {
        0.0
    } else {
        macs as f64 / bytes as f64
    }
}

/// The paper's equation (1): values moved by a bias-free 1×1 conv `c1 → c2` on
/// an `h × w` map, `h·w·(c1 + c2) + c1·c2` (saturating at `u64::MAX`).
///
/// ```
/// use convlab_core::speed::pointwise_mac;
/// assert_eq!(pointwise_mac(2, 3, 4, 5), 2 * 3 * (4 + 5) + 4 * 5);
/// ```
pub fn pointwise_mac(h: usize, w: usize, c1: usize, c2: usize) -> u64 {
    let v = (h as u128 * w as u128)
        .saturating_mul(c1 as u128 + c2 as u128)
        .saturating_add(c1 as u128 * c2 as u128);
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// The paper's equation (2): values moved by a bias-free 1×1 conv `c1 → c2`
/// in `g` groups, `h·w·(c1 + c2) + c1·c2/g`.
///
/// # Errors
/// `InvalidSpec` when `g` is 0 or does not divide both channel counts.
///
/// ```
/// use convlab_core::speed::grouped_pointwise_mac;
/// assert_eq!(grouped_pointwise_mac(2, 2, 8, 8, 4)?, 4 * 16 + 16);
/// assert!(grouped_pointwise_mac(2, 2, 8, 6, 4).is_err());
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn grouped_pointwise_mac(h: usize, w: usize, c1: usize, c2: usize, g: usize) -> Result<u64> {
    if g == 0 || !c1.is_multiple_of(g) || !c2.is_multiple_of(g) {
        return Err(Error::invalid(
            "memory access cost",
            format!("groups ({g}) must be at least 1 and divide both {c1} and {c2}"),
        ));
    }
    let v = (h as u128 * w as u128)
        .saturating_mul(c1 as u128 + c2 as u128)
        .saturating_add(c1 as u128 * (c2 / g) as u128);
    Ok(u64::try_from(v).unwrap_or(u64::MAX))
}

/// The paper's lower bound for a 1×1 conv of `b = h·w·c1·c2` multiply–adds:
/// `MAC ≥ 2·√(h·w·b) + b/(h·w)` values, reached when `c1 = c2` (guideline G1).
/// 0 for an empty map.
///
/// ```
/// use convlab_core::speed::{pointwise_mac, pointwise_mac_bound};
/// let b = 4 * 4 * 8 * 8;
/// assert_eq!(pointwise_mac_bound(4, 4, b), pointwise_mac(4, 4, 8, 8) as f64);
/// ```
pub fn pointwise_mac_bound(h: usize, w: usize, b: u64) -> f64 {
    let hw = h as f64 * w as f64;
    if hw == 0.0 {
        return 0.0;
    }
    2.0 * (hw * b as f64).sqrt() + b as f64 / hw
}

/// Every layer's traffic for an `input` of `[C, H, W]`, in the graph's order
/// (one row per row of [`Graph::layers`], with the same MACs and parameters).
///
/// # Errors
/// As [`Graph::layers`].
///
/// ```
/// use convlab_core::blocks::{Graph, NodeOp};
/// use convlab_core::speed::layer_traffic;
/// use convlab_core::Conv2dSpec;
/// let mut g = Graph::new(4)?;
/// let c = g.push("1×1", NodeOp::Conv(Conv2dSpec::pointwise(4, 8).with_bias(false)), &[0])?;
/// g.push("add", NodeOp::Add, &[c, c])?;
/// let t = layer_traffic(&g, [4, 3, 3])?;
/// assert_eq!((t[0].read, t[0].weights, t[0].written), (36, 32, 72));
/// assert_eq!((t[1].macs, t[1].read, t[1].written), (0, 144, 72));
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn layer_traffic(graph: &Graph, input: [usize; 3]) -> Result<Vec<LayerTraffic>> {
    let rows = graph.layers(input)?;
    let shape = |v: usize| -> [usize; 3] {
        if v == 0 {
            input
        } else {
            rows.get(v - 1).map_or([0; 3], |r| r.output)
        }
    };
    let traffic = graph
        .nodes()
        .iter()
        .zip(&rows)
        .map(|(node, row)| {
            let read = match node.op {
                NodeOp::Slice { .. } => elements(row.output),
                _ => node.inputs.iter().map(|&v| elements(shape(v))).sum(),
            };
            traffic_row(row, read)
        })
        .collect();
    Ok(traffic)
}

fn traffic_row(row: &LayerCost, read: u64) -> LayerTraffic {
    LayerTraffic {
        name: row.name.clone(),
        kind: row.kind.clone(),
        input: row.input,
        output: row.output,
        params: row.params,
        macs: row.macs,
        read,
        weights: row.params,
        written: elements(row.output),
    }
}

/// The totals of a block or experiment case, with every layer's row.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseCost {
    /// Learned parameters.
    pub params: u64,
    /// Multiply–adds (FLOPs = 2·MACs).
    pub macs: u64,
    /// Memory access cost in bytes: the sum over layers of [`LayerTraffic::bytes`].
    pub bytes: u64,
    /// The layers.
    pub layers: Vec<LayerTraffic>,
}

impl CaseCost {
    /// The costs of `graph` on an `input` of `[C, H, W]`.
    ///
    /// # Errors
    /// As [`Graph::layers`].
    ///
    /// ```
    /// use convlab_core::blocks::standard_twin;
    /// use convlab_core::speed::CaseCost;
    /// use convlab_core::Convention;
    /// let g = standard_twin(2, 3, 1, Convention::LECTURE, None)?;
    /// let c = CaseCost::of(&g, [2, 4, 4])?;
    /// assert_eq!((c.params, c.macs), (9 * 2 * 3 + 3, 16 * 9 * 2 * 3));
    /// assert_eq!(c.bytes, 4 * (2 * 16 + 57 + 3 * 16));
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn of(graph: &Graph, input: [usize; 3]) -> Result<CaseCost> {
        let layers = layer_traffic(graph, input)?;
        let sum = |f: fn(&LayerTraffic) -> u64| {
            layers.iter().map(f).fold(0u64, |a, b| a.saturating_add(b))
        };
        Ok(CaseCost {
            params: sum(|l| l.params),
            macs: sum(|l| l.macs),
            bytes: sum(LayerTraffic::bytes),
            layers,
        })
    }

    /// FLOPs = 2·MACs.
    pub fn flops(&self) -> u64 {
        self.macs.saturating_mul(2)
    }

    /// Multiply–adds per byte ([`intensity`]).
    pub fn intensity(&self) -> f64 {
        intensity(self.macs, self.bytes)
    }

    /// Output values of every layer added up (what the forward pass allocates).
    pub fn activation_values(&self) -> u64 {
        self.layers
            .iter()
            .map(|l| l.written)
            .fold(0u64, |a, b| a.saturating_add(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::{Activation, Graph, NodeOp};
    use crate::conv::Conv2dSpec;

    fn one(op: NodeOp, c: usize) -> Graph {
        let mut g = Graph::new(c).unwrap();
        g.push("layer", op, &[0]).unwrap();
        g
    }

    #[test]
    fn a_pointwise_conv_moves_equation_one() {
        // Hand count: 5×7 map, 3 → 6 channels, no bias: read 105, weights 18, write 210.
        let g = one(
            NodeOp::Conv(Conv2dSpec::pointwise(3, 6).with_bias(false)),
            3,
        );
        let c = CaseCost::of(&g, [3, 5, 7]).unwrap();
        assert_eq!(c.layers[0].values(), 105 + 18 + 210);
        assert_eq!(c.layers[0].values(), pointwise_mac(5, 7, 3, 6));
        assert_eq!(c.bytes, 4 * (105 + 18 + 210));
        assert_eq!(c.macs, 5 * 7 * 3 * 6);
        assert_eq!(c.params, 18);
        assert!((c.intensity() - 630.0 / 1332.0).abs() < 1e-12);
    }

    #[test]
    fn bias_and_grouping_are_weights_read() {
        // 3×3 grouped 4 → 8, g = 2, bias, 6×6 map, padding 1: weights 8·2·9 = 144 + 8.
        let g = one(NodeOp::Conv(Conv2dSpec::grouped(4, 8, 3, 2)), 4);
        let c = CaseCost::of(&g, [4, 6, 6]).unwrap();
        let l = &c.layers[0];
        assert_eq!((l.read, l.weights, l.written), (144, 152, 288));
        assert_eq!(l.macs, 36 * 144);
        let g1 = one(
            NodeOp::Conv(Conv2dSpec::grouped(8, 8, 1, 4).with_bias(false)),
            8,
        );
        let v = CaseCost::of(&g1, [8, 3, 3]).unwrap().layers[0].values();
        assert_eq!(v, grouped_pointwise_mac(3, 3, 8, 8, 4).unwrap());
        assert_eq!(v, 9 * 16 + 16);
    }

    #[test]
    fn element_wise_layers_cost_bytes_not_macs() {
        let shape = [6, 4, 4];
        let n = 96;
        let cases: Vec<(NodeOp, u64)> = vec![
            (NodeOp::Act(Activation::ReLU), 2 * n),
            (NodeOp::Shuffle { groups: 3 }, 2 * n),
            (NodeOp::Shift { kernel: 3 }, 2 * n),
            (NodeOp::Slice { start: 0, end: 2 }, 2 * 32),
        ];
        for (op, values) in cases {
            let c = CaseCost::of(&one(op.clone(), 6), shape).unwrap();
            assert_eq!(c.macs, 0, "{op:?}");
            assert_eq!(c.layers[0].values(), values, "{op:?}");
            assert_eq!(c.bytes, 4 * values, "{op:?}");
        }
        let mut g = Graph::new(6).unwrap();
        g.push("add", NodeOp::Add, &[0, 0]).unwrap();
        g.push("concat", NodeOp::Concat, &[0, 1]).unwrap();
        let c = CaseCost::of(&g, shape).unwrap();
        assert_eq!(c.macs, 0);
        assert_eq!(c.layers[0].values(), 3 * n); // two inputs, one output
        assert_eq!(c.layers[1].values(), 4 * n); // 6 + 6 channels in, 12 out
        assert_eq!(c.intensity(), 0.0);
    }

    #[test]
    fn g1_the_bound_is_reached_at_equal_widths_only() {
        // B = h·w·c1·c2 fixed at 8·8·64·64: every split c1·c2 = 4096.
        let (h, w) = (8, 8);
        let b: u64 = 8 * 8 * 64 * 64;
        let bound = pointwise_mac_bound(h, w, b);
        let mut best = (u64::MAX, 0);
        for c1 in (1..=4096usize).filter(|c| 4096 % c == 0) {
            let mac = pointwise_mac(h, w, c1, 4096 / c1);
            assert!(mac as f64 >= bound - 1e-9, "c1 = {c1}");
            if mac < best.0 {
                best = (mac, c1);
            }
        }
        assert_eq!(best.1, 64);
        assert_eq!(best.0 as f64, bound);
        assert_eq!(best.0, 8 * 8 * 128 + 4096);
    }

    #[test]
    fn formulas_saturate_and_refuse() {
        let m = usize::MAX;
        assert_eq!(pointwise_mac(m, m, m, m), u64::MAX);
        assert_eq!(grouped_pointwise_mac(m, m, m, m, 1).unwrap(), u64::MAX);
        assert_eq!(pointwise_mac(0, 0, 3, 4), 12);
        assert!(grouped_pointwise_mac(1, 1, 4, 4, 0).is_err());
        assert_eq!(pointwise_mac_bound(0, 5, 10), 0.0);
    }
}
