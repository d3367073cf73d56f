//! The bottleneck: squeeze `N` channels through `M < N` and back.
//!
//! ```text
//!  linear form   x (N) ──N×M──► (M) ──M×N──► (N)      2·N·M weights instead of N·N
//!  conv form     x (N) ──1×1──► (M) ──K×K──► (M) ──1×1──► (N)
//! ```
//!
//! The linear ratio is `2NM / N² = 2M/N`, below 1 exactly when `M < N/2`.
//! (The lecture slide prints "2N/M", a typo: its own condition "less than 1
//! if M < 0.5N" only fits `2M/N`.)

use crate::conv::{Conv2d, Conv2dSpec};
use crate::cost::LayerCost;
use crate::error::{Error, Result};
use crate::limits;
use crate::tensor::Tensor;

/// `TooLarge` unless `height` and `width` are at most [`limits::MAX_DIM`]
/// (checked before any size arithmetic).
fn check_hw(op: &'static str, h: usize, w: usize) -> Result<()> {
    limits::check(op, "input height", h as u128, limits::MAX_DIM as u128)?;
    limits::check(op, "input width", w as u128, limits::MAX_DIM as u128)
}

fn check_width(op: &'static str, name: &str, v: usize) -> Result<()> {
    if v == 0 {
        return Err(Error::invalid(
            op,
            format!("{name} must be at least 1, got 0"),
        ));
    }
    limits::check(op, "channels", v as u128, limits::MAX_DIM as u128)
}

/// The costs of the linear form, by formula.
///
/// ```
/// use convlab_core::ops::bottleneck::LinearCost;
/// let c = LinearCost::new(256, 64)?;
/// assert_eq!((c.bottleneck, c.full), (32_768, 65_536));
/// assert_eq!(c.ratio, 0.5); // 2·64/256
/// # Ok::<(), convlab_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearCost {
    /// Width `N`.
    pub n: usize,
    /// Bottleneck width `M`.
    pub m: usize,
    /// `2·N·M`: weights (and multiply–adds per vector) of the two factors.
    pub bottleneck: u64,
    /// `N²`: weights of one full matrix.
    pub full: u64,
    /// `2M/N`.
    pub ratio: f64,
}

impl LinearCost {
    /// The costs for width `n` and bottleneck `m`.
    ///
    /// # Errors
    /// `InvalidSpec` for a zero width; `TooLarge` past [`limits::MAX_DIM`].
    pub fn new(n: usize, m: usize) -> Result<Self> {
        check_width("bottleneck", "N", n)?;
        check_width("bottleneck", "M", m)?;
        Ok(LinearCost {
            n,
            m,
            bottleneck: 2 * n as u64 * m as u64,
            full: n as u64 * n as u64,
            ratio: 2.0 * m as f64 / n as f64,
        })
    }
}

/// The linear bottleneck `y = U·(D·x)` with `D` (`M×N`) and `U` (`N×M`), each
/// a bias-free 1×1 [`Conv2d`] (a matrix applied at every pixel).
///
/// ```
/// use convlab_core::ops::bottleneck::LinearBottleneck;
/// let b = LinearBottleneck::random(8, 2, 1)?;
/// assert_eq!(b.param_count(), 2 * 8 * 2);
/// let y = b.forward(&[1.0; 8])?;
/// assert_eq!(y.len(), 8);
/// # Ok::<(), convlab_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LinearBottleneck {
    down: Conv2d,
    up: Conv2d,
}

impl LinearBottleneck {
    /// From the two matrices, row-major: `down` is `M×N` (`down[i·N + j]`
    /// maps input `j` to middle `i`), `up` is `N×M`.
    ///
    /// # Errors
    /// As [`LinearCost::new`]; `ShapeMismatch` for wrong lengths; `NonFinite` for NaN/inf.
    ///
    /// ```
    /// use convlab_core::ops::bottleneck::LinearBottleneck;
    /// // N = 2, M = 1: average, then copy back.
    /// let b = LinearBottleneck::from_matrices(2, 1, vec![0.5, 0.5], vec![1.0, 1.0])?;
    /// assert_eq!(b.forward(&[1.0, 3.0])?, vec![2.0, 2.0]);
    /// assert_eq!(b.product()?, vec![0.5, 0.5, 0.5, 0.5]);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn from_matrices(n: usize, m: usize, down: Vec<f32>, up: Vec<f32>) -> Result<Self> {
        LinearCost::new(n, m)?;
        let down = Conv2d::new(Conv2dSpec::pointwise(n, m).with_bias(false), down, None)?;
        let up = Conv2d::new(Conv2dSpec::pointwise(m, n).with_bias(false), up, None)?;
        Ok(LinearBottleneck { down, up })
    }

    /// Seeded random matrices (Kaiming-uniform, as [`Conv2d::random`]).
    ///
    /// # Errors
    /// As [`LinearCost::new`].
    ///
    /// ```
    /// use convlab_core::ops::bottleneck::LinearBottleneck;
    /// let b = LinearBottleneck::random(6, 2, 0)?;
    /// assert_eq!((b.n(), b.m(), b.param_count()), (6, 2, 24));
    /// assert!(LinearBottleneck::random(6, 0, 0).is_err());
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn random(n: usize, m: usize, seed: u64) -> Result<Self> {
        LinearCost::new(n, m)?;
        Ok(LinearBottleneck {
            down: Conv2d::random(Conv2dSpec::pointwise(n, m).with_bias(false), seed)?,
            up: Conv2d::random(
                Conv2dSpec::pointwise(m, n).with_bias(false),
                seed.wrapping_add(1),
            )?,
        })
    }

    /// Width `N`.
    pub fn n(&self) -> usize {
        self.down.spec().in_channels
    }
    /// Bottleneck width `M`.
    pub fn m(&self) -> usize {
        self.down.spec().out_channels
    }
    /// `D` (`M×N`) as a 1×1 conv.
    pub fn down(&self) -> &Conv2d {
        &self.down
    }
    /// `U` (`N×M`) as a 1×1 conv.
    pub fn up(&self) -> &Conv2d {
        &self.up
    }

    /// `U·(D·x)` for one vector of `N` values.
    ///
    /// # Errors
    /// `ShapeMismatch` when `x.len() != N`; `NonFinite` for NaN/inf.
    ///
    /// ```
    /// use convlab_core::ops::bottleneck::LinearBottleneck;
    /// let b = LinearBottleneck::from_matrices(3, 1, vec![1.0, 0.0, 0.0], vec![1.0, 2.0, 3.0])?;
    /// assert_eq!(b.forward(&[2.0, 5.0, 7.0])?, vec![2.0, 4.0, 6.0]);
    /// assert!(b.forward(&[1.0]).is_err());
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn forward(&self, x: &[f32]) -> Result<Vec<f32>> {
        if x.len() != self.n() {
            return Err(Error::shape(
                "bottleneck",
                format!("{} values", self.n()),
                format!("{} values", x.len()),
            ));
        }
        let t = Tensor::new(x.len(), 1, 1, x.to_vec())?;
        Ok(self.forward_tensor(&t)?.into_data())
    }

    /// `U·(D·x)` at every pixel of an `N`-channel map.
    ///
    /// # Errors
    /// As [`Conv2d::forward`].
    ///
    /// ```
    /// use convlab_core::ops::bottleneck::LinearBottleneck;
    /// use convlab_core::Tensor;
    /// let b = LinearBottleneck::random(4, 2, 1)?;
    /// assert_eq!(b.forward_tensor(&Tensor::random(4, 3, 3, 0)?)?.shape(), [4, 3, 3]);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn forward_tensor(&self, x: &Tensor) -> Result<Tensor> {
        self.up.forward(&self.down.forward(x)?)
    }

    /// The `N×N` matrix `U·D` it amounts to (row-major, rank ≤ `M`),
    /// computed by running the two convs on the `N` one-hot vectors.
    ///
    /// # Errors
    /// `TooLarge` when `N²` passes [`limits::MAX_ELEMENTS`].
    pub fn product(&self) -> Result<Vec<f32>> {
        let n = self.n();
        // One-hot j at column j of a 1×N map: column j of the output is U·D·e_j.
        let eye = Tensor::from_fn(n, 1, n, |c, _, j| f32::from(u8::from(c == j)))?;
        let cols = self.forward_tensor(&eye)?;
        let mut out = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                out[i * n + j] = cols.get(i, 0, j).unwrap_or(0.0);
            }
        }
        Ok(out)
    }

    /// Weights allocated: `2·N·M`.
    pub fn param_count(&self) -> u64 {
        self.down.param_count() + self.up.param_count()
    }

    /// The formula costs ([`LinearCost`]).
    ///
    /// # Errors
    /// Never for a constructed bottleneck; the `Result` is [`LinearCost::new`]'s.
    pub fn cost(&self) -> Result<LinearCost> {
        LinearCost::new(self.n(), self.m())
    }
}

/// The conv bottleneck: 1×1 `N → M`, `K×K` `M → M` (stride, "same"
/// padding), 1×1 `M → N`, with an optional ReLU after the first two.
///
/// `Default` is ResNet's 256 → 64 → 256 with a 3×3, ReLU, with bias (the
/// lecture's way of counting).
///
/// ```
/// use convlab_core::ops::bottleneck::BottleneckSpec;
/// let s = BottleneckSpec { bias: false, ..Default::default() };
/// assert_eq!(s.param_count(), 256 * 64 + 9 * 64 * 64 + 64 * 256); // 69 632
/// assert_eq!(s.standard_spec().param_count(), 9 * 256 * 256);     // 589 824
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BottleneckSpec {
    /// Outer width `N` (input and output channels).
    pub channels: usize,
    /// Bottleneck width `M`.
    pub mid: usize,
    /// Middle kernel side `K` (odd).
    pub kernel: usize,
    /// Stride of the middle conv.
    pub stride: usize,
    /// Whether the three convs carry a bias.
    pub bias: bool,
    /// ReLU after the first and second conv.
    pub relu: bool,
}

impl Default for BottleneckSpec {
    fn default() -> Self {
        BottleneckSpec {
            channels: 256,
            mid: 64,
            kernel: 3,
            stride: 1,
            bias: true,
            relu: true,
        }
    }
}

impl BottleneckSpec {
    /// The 1×1 `N → M`.
    pub fn reduce_spec(&self) -> Conv2dSpec {
        Conv2dSpec::pointwise(self.channels, self.mid).with_bias(self.bias)
    }
    /// The `K×K` `M → M`.
    pub fn conv_spec(&self) -> Conv2dSpec {
        Conv2dSpec::standard(self.mid, self.mid, self.kernel)
            .with_stride(self.stride)
            .with_bias(self.bias)
    }
    /// The 1×1 `M → N`.
    pub fn expand_spec(&self) -> Conv2dSpec {
        Conv2dSpec::pointwise(self.mid, self.channels).with_bias(self.bias)
    }
    /// The cost rows for an `input` of `[N, H, W]` without allocating weights
    /// (the same rows as [`Bottleneck::layers`]).
    ///
    /// # Errors
    /// As [`BottleneckSpec::validate`] and [`LayerCost::conv`].
    ///
    /// ```
    /// use convlab_core::ops::bottleneck::BottleneckSpec;
    /// use convlab_core::CostSummary;
    /// let s = BottleneckSpec { bias: false, ..Default::default() };
    /// assert_eq!(CostSummary::of(&s.layers([256, 8, 8]).unwrap()).params, s.param_count());
    /// ```
    pub fn layers(&self, input: [usize; 3]) -> Result<Vec<LayerCost>> {
        self.validate()?;
        check_hw("bottleneck", input[1], input[2])?;
        let s = self;
        let mut rows = Vec::new();
        let a = LayerCost::conv("reduce 1×1", s.reduce_spec(), input)?;
        let a_out = a.output;
        rows.push(a);
        if s.relu {
            rows.push(LayerCost::activation("relu", "ReLU", a_out));
        }
        let k = s.kernel;
        let b = LayerCost::conv(format!("conv {k}×{k}"), s.conv_spec(), a_out)?;
        let b_out = b.output;
        rows.push(b);
        if s.relu {
            rows.push(LayerCost::activation("relu", "ReLU", b_out));
        }
        rows.push(LayerCost::conv("expand 1×1", s.expand_spec(), b_out)?);
        Ok(rows)
    }

    /// The single `K×K` `N → N` conv it replaces.
    pub fn standard_spec(&self) -> Conv2dSpec {
        Conv2dSpec::standard(self.channels, self.channels, self.kernel)
            .with_stride(self.stride)
            .with_bias(self.bias)
    }

    /// Checks the spec.
    ///
    /// # Errors
    /// `InvalidSpec` for a zero width or stride or an even kernel; as
    /// [`Conv2dSpec::validate`] for the three convs.
    ///
    /// ```
    /// use convlab_core::ops::bottleneck::BottleneckSpec;
    /// assert!(BottleneckSpec::default().validate().is_ok());
    /// let bad = BottleneckSpec { mid: 0, ..Default::default() };
    /// assert_eq!(bad.validate().unwrap_err().to_string(), "bottleneck: mid M must be at least 1, got 0");
    /// ```
    pub fn validate(&self) -> Result<()> {
        check_width("bottleneck", "channels N", self.channels)?;
        check_width("bottleneck", "mid M", self.mid)?;
        if self.kernel.is_multiple_of(2) {
            return Err(Error::invalid(
                "bottleneck",
                format!("kernel must be odd (1, 3, 5, …), got {}", self.kernel),
            ));
        }
        self.reduce_spec().validate()?;
        self.conv_spec().validate()?;
        self.expand_spec().validate()
    }

    /// Parameters by formula: `N·M + K²·M² + M·N` (+ `M + M + N` biases).
    pub fn param_count(&self) -> u64 {
        let (n, m, k) = (self.channels as u64, self.mid as u64, self.kernel as u64);
        let weights = n
            .saturating_mul(m)
            .saturating_mul(2)
            .saturating_add(k.saturating_mul(k).saturating_mul(m).saturating_mul(m));
        let biases = if self.bias {
            m.saturating_mul(2).saturating_add(n)
        } else {
            0
        };
        weights.saturating_add(biases)
    }
}

/// A conv bottleneck with its weights.
///
/// ```
/// use convlab_core::ops::bottleneck::{Bottleneck, BottleneckSpec};
/// use convlab_core::Tensor;
/// let spec = BottleneckSpec { channels: 16, mid: 4, ..Default::default() };
/// let b = Bottleneck::random(spec, 0)?;
/// assert_eq!(b.forward(&Tensor::random(16, 6, 6, 1)?)?.shape(), [16, 6, 6]);
/// assert_eq!(b.param_count(), spec.param_count());
/// # Ok::<(), convlab_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Bottleneck {
    spec: BottleneckSpec,
    reduce: Conv2d,
    conv: Conv2d,
    expand: Conv2d,
}

impl Bottleneck {
    /// Seeded random weights for the three convs (seeds `seed`, `seed + 1`, `seed + 2`).
    ///
    /// # Errors
    /// As [`BottleneckSpec::validate`].
    ///
    /// ```
    /// use convlab_core::ops::bottleneck::{Bottleneck, BottleneckSpec};
    /// let b = Bottleneck::random(BottleneckSpec { channels: 8, mid: 2, ..Default::default() }, 0)?;
    /// assert_eq!(b.convs()[1].spec().kernel, (3, 3));
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn random(spec: BottleneckSpec, seed: u64) -> Result<Self> {
        spec.validate()?;
        Ok(Bottleneck {
            spec,
            reduce: Conv2d::random(spec.reduce_spec(), seed)?,
            conv: Conv2d::random(spec.conv_spec(), seed.wrapping_add(1))?,
            expand: Conv2d::random(spec.expand_spec(), seed.wrapping_add(2))?,
        })
    }

    /// The spec.
    pub fn spec(&self) -> &BottleneckSpec {
        &self.spec
    }
    /// The three convs: reduce, middle, expand.
    pub fn convs(&self) -> [&Conv2d; 3] {
        [&self.reduce, &self.conv, &self.expand]
    }

    /// The three intermediate maps: after reduce (and ReLU), after the middle
    /// conv (and ReLU), and the output.
    ///
    /// # Errors
    /// As [`Conv2d::forward`].
    ///
    /// ```
    /// use convlab_core::ops::bottleneck::{Bottleneck, BottleneckSpec};
    /// use convlab_core::Tensor;
    /// let b = Bottleneck::random(BottleneckSpec { channels: 8, mid: 2, ..Default::default() }, 0)?;
    /// let [a, m, y] = b.forward_stages(&Tensor::random(8, 5, 5, 1)?)?;
    /// assert_eq!((a.channels(), m.channels(), y.channels()), (2, 2, 8));
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn forward_stages(&self, x: &Tensor) -> Result<[Tensor; 3]> {
        let act = |t: Tensor| -> Result<Tensor> {
            if self.spec.relu {
                t.map(|v| v.max(0.0))
            } else {
                Ok(t)
            }
        };
        let a = act(self.reduce.forward(x)?)?;
        let b = act(self.conv.forward(&a)?)?;
        let c = self.expand.forward(&b)?;
        Ok([a, b, c])
    }

    /// The output map.
    ///
    /// # Errors
    /// As [`Conv2d::forward`].
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let [_, _, y] = self.forward_stages(x)?;
        Ok(y)
    }

    /// Parameters allocated in the three convs.
    pub fn param_count(&self) -> u64 {
        self.convs().iter().map(|c| c.param_count()).sum()
    }

    /// Parameters of the two 1×1 convs, reduce and expand: the linear
    /// bottleneck's `2·N·M` weights (+ `M + N` biases). With the middle conv's
    /// they are [`Bottleneck::param_count`].
    ///
    /// ```
    /// use convlab_core::ops::bottleneck::{Bottleneck, BottleneckSpec};
    /// let b = Bottleneck::random(BottleneckSpec { channels: 16, mid: 4, ..Default::default() }, 0)?;
    /// assert_eq!(b.pointwise_param_count(), 16 * 4 + 4 + 4 * 16 + 16); // 148
    /// assert_eq!(b.pointwise_param_count() + b.convs()[1].param_count(), b.param_count());
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn pointwise_param_count(&self) -> u64 {
        self.reduce.param_count() + self.expand.param_count()
    }

    /// Multiply–adds for an `h × w` input: `H·W·N·M + H'·W'·(K²·M² + M·N)`.
    ///
    /// # Errors
    /// As [`Conv2dSpec::output_hw`]; `TooLarge` for `h` or `w` past [`limits::MAX_DIM`].
    ///
    /// ```
    /// use convlab_core::ops::bottleneck::{Bottleneck, BottleneckSpec};
    /// let b = Bottleneck::random(BottleneckSpec { channels: 8, mid: 2, ..Default::default() }, 0)?;
    /// assert_eq!(b.macs(4, 4)?, 16 * (8 * 2 + 9 * 2 * 2 + 2 * 8));
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn macs(&self, h: usize, w: usize) -> Result<u64> {
        Ok(self
            .layers([self.spec.channels, h, w])?
            .iter()
            .map(|l| l.macs)
            .sum())
    }

    /// The cost rows for an `input` of `[N, H, W]`: reduce, (ReLU,) middle, (ReLU,) expand.
    ///
    /// # Errors
    /// As [`LayerCost::conv`]; `TooLarge` for `H` or `W` past [`limits::MAX_DIM`].
    ///
    /// ```
    /// use convlab_core::ops::bottleneck::{Bottleneck, BottleneckSpec};
    /// let b = Bottleneck::random(BottleneckSpec { channels: 8, mid: 2, ..Default::default() }, 0)?;
    /// let rows = b.layers([8, 4, 4])?;
    /// assert_eq!(rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
    ///            ["reduce 1×1", "relu", "conv 3×3", "relu", "expand 1×1"]);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn layers(&self, input: [usize; 3]) -> Result<Vec<LayerCost>> {
        self.spec.layers(input)
    }
}
