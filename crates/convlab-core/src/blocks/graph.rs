//! A block as a small dataflow graph of named layers.
//!
//! Every block spec compiles to a [`Graph`]: a list of [`Node`]s, each reading
//! the block input (value 0) or earlier nodes' outputs (value `i + 1` is node
//! `i`'s output). The same graph gives the spec-level cost table
//! ([`Graph::layers`], nothing allocated) and, with weights, the forward pass
//! ([`Net`]), so the table and the computed maps always describe the same layers.

use crate::blocks::layers::{global_avg_pool, Activation, BatchNorm, Linear, PoolSpec};
use crate::conv::{Conv2d, Conv2dSpec};
use crate::cost::{elements, Convention, LayerCost, LayerKind};
use crate::error::{Error, Result};
use crate::limits;
use crate::ops;
use crate::tensor::Tensor;

/// What a node computes.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeOp {
    /// A convolution.
    Conv(Conv2dSpec),
    /// Inference-form BatchNorm over `channels`.
    BatchNorm {
        /// Channels.
        channels: usize,
    },
    /// An element-wise activation.
    Act(Activation),
    /// Max or average pooling.
    Pool(PoolSpec),
    /// Global average pooling to `[C, 1, 1]`.
    GlobalAvgPool,
    /// Fully connected layer on the flattened input.
    Linear {
        /// Input features (the input's `C·H·W`).
        inputs: usize,
        /// Output features.
        outputs: usize,
        /// Bias.
        bias: bool,
    },
    /// Channel shuffle ([`crate::ops::shuffle::channel_shuffle`]).
    Shuffle {
        /// Groups.
        groups: usize,
    },
    /// ShiftNet shift ([`crate::ops::shift::shift`]).
    Shift {
        /// Side of the shift window.
        kernel: usize,
    },
    /// Concatenation of all inputs along channels.
    Concat,
    /// Element-wise sum of two inputs.
    Add,
    /// Channels `start..end` of the input (ShuffleNet v2's channel split).
    Slice {
        /// First channel.
        start: usize,
        /// One past the last channel.
        end: usize,
    },
    /// Squeeze-and-excite scaling: input 0 `[C, H, W]` times input 1 `[C, 1, 1]`, per channel.
    Gate,
}

/// One named layer of a graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Name, e.g. `"squeeze 1×1"`.
    pub name: String,
    /// What it computes.
    pub op: NodeOp,
    /// Values read: 0 is the graph input, `i + 1` is node `i`'s output.
    pub inputs: Vec<usize>,
}

/// A block as a list of nodes; the last node's output is the block output.
#[derive(Clone, Debug, PartialEq)]
pub struct Graph {
    in_channels: usize,
    nodes: Vec<Node>,
    channels: Vec<usize>,
}

fn too_big(op: &'static str, what: &'static str, v: u128) -> Result<()> {
    limits::check(op, what, v, limits::MAX_DIM as u128)
}

/// `a·b` as channels, `Err` past [`limits::MAX_DIM`] (never overflows).
pub(crate) fn mul_channels(op: &'static str, a: usize, b: usize) -> Result<usize> {
    let v = (a as u128) * (b as u128);
    too_big(op, "channels", v)?;
    Ok(v as usize)
}

/// `Err` unless `v ≥ 1`.
pub(crate) fn at_least_one(op: &'static str, what: &str, v: usize) -> Result<()> {
    if v == 0 {
        return Err(Error::invalid(
            op,
            format!("{what} must be at least 1, got 0"),
        ));
    }
    too_big(op, "size", v as u128)
}

impl Graph {
    /// An empty graph reading `in_channels` channels.
    ///
    /// # Errors
    /// `InvalidSpec` for 0 channels, `TooLarge` past [`limits::MAX_DIM`].
    pub fn new(in_channels: usize) -> Result<Graph> {
        at_least_one("block", "input channels", in_channels)?;
        Ok(Graph {
            in_channels,
            nodes: Vec::new(),
            channels: vec![in_channels],
        })
    }

    /// Input channels.
    pub fn in_channels(&self) -> usize {
        self.in_channels
    }

    /// Output channels (of the last node).
    pub fn out_channels(&self) -> usize {
        self.channels.last().copied().unwrap_or(self.in_channels)
    }

    /// The nodes.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The value of the last node (0 when empty).
    pub fn last(&self) -> usize {
        self.nodes.len()
    }

    /// Channels of value `v`.
    pub fn channels_of(&self, v: usize) -> Result<usize> {
        self.channels.get(v).copied().ok_or(Error::OutOfRange {
            op: "block graph",
            what: "value",
            index: v as i64,
            len: self.channels.len(),
        })
    }

    /// Appends a node reading `inputs`, checking channel counts; returns its value index.
    ///
    /// # Errors
    /// `InvalidSpec`/`ShapeMismatch` when the op does not fit its inputs.
    pub fn push(&mut self, name: impl Into<String>, op: NodeOp, inputs: &[usize]) -> Result<usize> {
        let name = name.into();
        let ins = inputs
            .iter()
            .map(|&v| self.channels_of(v))
            .collect::<Result<Vec<usize>>>()?;
        let arity = match op {
            NodeOp::Concat => {
                if ins.is_empty() {
                    return Err(Error::invalid("concat", "needs at least one input"));
                }
                ins.len()
            }
            NodeOp::Add | NodeOp::Gate => 2,
            _ => 1,
        };
        if ins.len() != arity {
            return Err(Error::invalid(
                "block graph",
                format!("{name} reads {arity} input(s), got {}", ins.len()),
            ));
        }
        let c = ins[0];
        let mismatch = |what: &str, expected: usize, got: usize| {
            Error::shape(
                "block graph",
                format!("{what} {expected} channels"),
                format!("{got} channels"),
            )
        };
        let out = match &op {
            NodeOp::Conv(spec) => {
                spec.validate()?;
                if spec.in_channels != c {
                    return Err(mismatch(&name, spec.in_channels, c));
                }
                spec.out_channels
            }
            NodeOp::BatchNorm { channels } => {
                if *channels != c {
                    return Err(mismatch(&name, *channels, c));
                }
                c
            }
            NodeOp::Act(_) | NodeOp::Pool(_) | NodeOp::GlobalAvgPool => c,
            NodeOp::Linear {
                inputs, outputs, ..
            } => {
                at_least_one("linear", "outputs", *outputs)?;
                if !inputs.is_multiple_of(c) {
                    return Err(Error::invalid(
                        "linear",
                        format!("{inputs} inputs is not a whole number of {c}-channel maps"),
                    ));
                }
                *outputs
            }
            NodeOp::Shuffle { groups } => {
                ops::shuffle::shuffle_permutation(c, *groups)?;
                c
            }
            NodeOp::Shift { kernel } => {
                ops::shift::group_sizes(c, *kernel)?;
                c
            }
            NodeOp::Concat => {
                let total: u128 = ins.iter().map(|&v| v as u128).sum();
                too_big("concat", "channels", total)?;
                total as usize
            }
            NodeOp::Add => {
                if ins[1] != c {
                    return Err(mismatch("add: both inputs", c, ins[1]));
                }
                c
            }
            NodeOp::Gate => {
                if ins[1] != c {
                    return Err(mismatch("gate: the gate", c, ins[1]));
                }
                c
            }
            NodeOp::Slice { start, end } => {
                if start >= end || *end > c {
                    return Err(Error::invalid(
                        "channel split",
                        format!("channels {start}..{end} are not a part of 0..{c}"),
                    ));
                }
                end - start
            }
        };
        self.nodes.push(Node {
            name,
            op,
            inputs: inputs.to_vec(),
        });
        self.channels.push(out);
        Ok(self.nodes.len())
    }

    /// Appends `conv` (bias as the convention says), then BatchNorm if the
    /// convention has it, then `act`; returns the value of the last node.
    ///
    /// This is the "conv + BN + activation" unit of the papers: under
    /// [`Convention::LECTURE`] the conv has a bias and there is no BatchNorm.
    ///
    /// # Errors
    /// As [`Graph::push`].
    pub fn conv_bn(
        &mut self,
        name: &str,
        spec: Conv2dSpec,
        convention: Convention,
        act: Option<Activation>,
        from: usize,
    ) -> Result<usize> {
        let spec = spec.with_bias(convention.conv_bias);
        let mut v = self.push(name, NodeOp::Conv(spec), &[from])?;
        if convention.batchnorm {
            v = self.push(
                format!("{name} BN"),
                NodeOp::BatchNorm {
                    channels: spec.out_channels,
                },
                &[v],
            )?;
        }
        if let Some(a) = act {
            v = self.push(format!("{name} {}", a.name()), NodeOp::Act(a), &[v])?;
        }
        Ok(v)
    }

    /// The cost table for an `input` of `[C, H, W]`: one [`LayerCost`] per node, in order.
    /// A row's `input` is the shape of the node's first input (for a concat, add or
    /// gate, the others are listed in [`Node::inputs`]).
    ///
    /// # Errors
    /// `ShapeMismatch` for the wrong channel count; `InvalidSpec`/`TooLarge` when a
    /// layer does not fit the spatial size (e.g. a kernel larger than the padded input).
    pub fn layers(&self, input: [usize; 3]) -> Result<Vec<LayerCost>> {
        for d in input {
            at_least_one("block input", "each of C, H, W", d)?;
        }
        if input[0] != self.in_channels {
            return Err(Error::shape(
                "block input",
                format!("{} channels", self.in_channels),
                format!("{} channels", input[0]),
            ));
        }
        let mut shapes = vec![input];
        let mut out = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
            let x = shapes[node.inputs[0]];
            let name = node.name.clone();
            let l = match &node.op {
                NodeOp::Conv(spec) => LayerCost::conv(name, *spec, x)?,
                NodeOp::BatchNorm { .. } => LayerCost::batchnorm(name, x),
                NodeOp::Act(a) => LayerCost::activation(name, a.name(), x),
                NodeOp::Pool(p) => {
                    let (h, w) = p.output_hw(x[1], x[2])?;
                    LayerCost::pool(name, p.kind_name(), p.kernel, p.stride, x, [x[0], h, w])
                }
                NodeOp::GlobalAvgPool => {
                    LayerCost::pool(name, "global avg", x[1], 1, x, [x[0], 1, 1])
                }
                NodeOp::Linear {
                    inputs,
                    outputs,
                    bias,
                } => {
                    if elements(x) != *inputs as u64 {
                        return Err(Error::shape(
                            "linear input",
                            format!("{inputs} values"),
                            format!("{x:?} = {} values", elements(x)),
                        ));
                    }
                    LayerCost::linear(name, x, *outputs, *bias)
                }
                NodeOp::Shuffle { groups } => ops::shuffle::shuffle_layer(name, x, *groups)?,
                NodeOp::Shift { kernel } => ops::shift::shift_layer(name, x, *kernel)?,
                NodeOp::Concat => {
                    let mut c = 0;
                    for &v in &node.inputs {
                        let s = shapes[v];
                        if s[1..] != x[1..] {
                            return Err(Error::shape(
                                "concat",
                                format!("{}×{} maps", x[1], x[2]),
                                format!("{}×{}", s[1], s[2]),
                            ));
                        }
                        c += s[0];
                    }
                    LayerCost::concat(name, x, [c, x[1], x[2]])
                }
                NodeOp::Add => {
                    let y = shapes[node.inputs[1]];
                    if x != y {
                        return Err(Error::shape("add", format!("{x:?}"), format!("{y:?}")));
                    }
                    LayerCost::add(name, x)
                }
                NodeOp::Slice { start, end } => {
                    LayerCost::movement(name, LayerKind::Split, x, [end - start, x[1], x[2]])
                }
                NodeOp::Gate => {
                    let g = shapes[node.inputs[1]];
                    if g != [x[0], 1, 1] {
                        return Err(Error::shape(
                            "gate",
                            format!("[{}, 1, 1]", x[0]),
                            format!("{g:?}"),
                        ));
                    }
                    LayerCost {
                        macs: elements(x),
                        ..LayerCost::activation(name, "× gate", x)
                    }
                }
            };
            shapes.push(l.output);
            out.push(l);
        }
        Ok(out)
    }
}

/// The weights of one node.
#[derive(Clone, Debug, PartialEq)]
enum Weights {
    None,
    Conv(Conv2d),
    BatchNorm(BatchNorm),
    Linear(Linear),
}

impl Weights {
    fn param_count(&self) -> u64 {
        match self {
            Weights::None => 0,
            Weights::Conv(c) => c.param_count(),
            Weights::BatchNorm(b) => b.param_count(),
            Weights::Linear(l) => l.param_count(),
        }
    }
}

/// A [`Graph`] with its weights allocated: runs forward.
///
/// ```
/// use convlab_core::blocks::{Graph, Net, NodeOp};
/// use convlab_core::{Conv2dSpec, Tensor};
/// let mut g = Graph::new(4).unwrap();
/// g.push("conv", NodeOp::Conv(Conv2dSpec::standard(4, 8, 3)), &[0]).unwrap();
/// let net = Net::random(g, 7).unwrap();
/// assert_eq!(net.param_count(), 9 * 4 * 8 + 8);
/// let outs = net.forward_named(&Tensor::random(4, 5, 5, 1).unwrap()).unwrap();
/// assert_eq!(outs[0].1.shape(), [8, 5, 5]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Net {
    graph: Graph,
    weights: Vec<Weights>,
}

impl Net {
    /// Allocates seeded random weights for every node of `graph`.
    ///
    /// # Errors
    /// As [`Conv2d::random`], [`BatchNorm::random`], [`Linear::random`].
    pub fn random(graph: Graph, seed: u64) -> Result<Net> {
        let mut weights = Vec::with_capacity(graph.nodes.len());
        for (i, node) in graph.nodes.iter().enumerate() {
            let s = seed
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(i as u64 + 1);
            weights.push(match &node.op {
                NodeOp::Conv(spec) => Weights::Conv(Conv2d::random(*spec, s)?),
                NodeOp::BatchNorm { channels } => {
                    Weights::BatchNorm(BatchNorm::random(*channels, s)?)
                }
                NodeOp::Linear {
                    inputs,
                    outputs,
                    bias,
                } => Weights::Linear(Linear::random(*inputs, *outputs, *bias, s)?),
                _ => Weights::None,
            });
        }
        Ok(Net { graph, weights })
    }

    /// The graph.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Parameters actually allocated (conv weights and biases, BatchNorm γ and β, linear weights).
    pub fn param_count(&self) -> u64 {
        self.weights.iter().map(Weights::param_count).sum()
    }

    /// The convolutions, by node name (for kernel views).
    pub fn convs(&self) -> Vec<(&str, &Conv2d)> {
        self.graph
            .nodes
            .iter()
            .zip(&self.weights)
            .filter_map(|(n, w)| match w {
                Weights::Conv(c) => Some((n.name.as_str(), c)),
                _ => None,
            })
            .collect()
    }

    /// Every node's output, named, in order; the last is the block output.
    ///
    /// # Errors
    /// `ShapeMismatch` for the wrong input channels; any layer's error (too small
    /// an input for a kernel, work limits).
    pub fn forward_named(&self, x: &Tensor) -> Result<Vec<(String, Tensor)>> {
        self.graph.layers(x.shape())?;
        let mut values: Vec<Tensor> = vec![x.clone()];
        for (node, w) in self.graph.nodes.iter().zip(&self.weights) {
            let a = &values[node.inputs[0]];
            let y = match (&node.op, w) {
                (NodeOp::Conv(_), Weights::Conv(c)) => c.forward(a)?,
                (NodeOp::BatchNorm { .. }, Weights::BatchNorm(b)) => b.forward(a)?,
                (NodeOp::Linear { .. }, Weights::Linear(l)) => l.forward(a)?,
                (NodeOp::Act(act), _) => act.forward(a)?,
                (NodeOp::Pool(p), _) => p.forward(a)?,
                (NodeOp::GlobalAvgPool, _) => global_avg_pool(a),
                (NodeOp::Shuffle { groups }, _) => ops::shuffle::channel_shuffle(a, *groups)?,
                (NodeOp::Shift { kernel }, _) => ops::shift::shift(a, *kernel)?,
                (NodeOp::Concat, _) => {
                    let parts: Vec<&Tensor> = node.inputs.iter().map(|&v| &values[v]).collect();
                    Tensor::concat_channels(&parts)?
                }
                (NodeOp::Add, _) => a.add(&values[node.inputs[1]])?,
                (NodeOp::Slice { start, end }, _) => a.channels_range(*start..*end)?,
                (NodeOp::Gate, _) => {
                    let g = &values[node.inputs[1]];
                    let n = a.height() * a.width();
                    let data: Vec<f32> = a
                        .data()
                        .iter()
                        .enumerate()
                        .map(|(i, v)| v * g.data()[i / n.max(1)])
                        .collect();
                    Tensor::from_parts(a.channels(), a.height(), a.width(), data)
                }
                (op, _) => {
                    return Err(Error::invalid(
                        "block graph",
                        format!("{} ({op:?}) has no weights", node.name),
                    ))
                }
            };
            values.push(y);
        }
        Ok(self
            .graph
            .nodes
            .iter()
            .zip(values.into_iter().skip(1))
            .map(|(n, t)| (n.name.clone(), t))
            .collect())
    }

    /// The block output.
    ///
    /// # Errors
    /// As [`Net::forward_named`].
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.forward_named(x)?
            .pop()
            .map(|(_, t)| t)
            .ok_or_else(|| Error::invalid("block graph", "the block has no layers"))
    }

    /// Total multiply–adds for an `h × w` input.
    ///
    /// # Errors
    /// As [`Graph::layers`].
    pub fn macs(&self, h: usize, w: usize) -> Result<u64> {
        Ok(self
            .graph
            .layers([self.graph.in_channels, h, w])?
            .iter()
            .map(|l| l.macs)
            .sum())
    }
}

/// The channel rounding of MobileNet v2, GhostNet and torchvision
/// (`_make_divisible`): the multiple of `divisor` nearest to `v`, at least
/// `divisor`, and never more than 10 % below `v`.
///
/// ```
/// use convlab_core::blocks::graph::make_divisible;
/// assert_eq!(make_divisible(32.0 * 0.35, 8), 16);
/// assert_eq!(make_divisible(1280.0 * 1.4, 8), 1792);
/// assert_eq!(make_divisible(72.0 * 0.25, 4), 20); // GhostNet's SE on 72 channels
/// ```
pub fn make_divisible(v: f64, divisor: usize) -> usize {
    let d = divisor.max(1) as f64;
    let mut n = ((v + d / 2.0) / d).floor() * d;
    n = n.max(d);
    if n < 0.9 * v {
        n += d;
    }
    n as usize
}
