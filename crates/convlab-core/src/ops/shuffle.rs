//! Channel shuffle (ShuffleNet): reshape the channels into a `g × n/g`
//! grid, transpose it, read it back row by row.
//!
//! ```text
//!  n = 6, g = 2          grid (g × n/g)      transposed (n/g × g)    order
//!  input 0 1 2 3 4 5     0 1 2               0 3                     0 3 1 4 2 5
//!                        3 4 5               1 4
//!                                            2 5
//! ```
//!
//! After a grouped convolution, every group of the next grouped
//! convolution then sees channels from every group of the previous one —
//! [`reachability`] computes that information flow with the real kernels.

use crate::conv::{Conv2d, Conv2dSpec};
use crate::cost::{LayerCost, LayerKind};
use crate::error::{Error, Result};
use crate::limits;
use crate::tensor::Tensor;

/// Largest channel count [`reachability`] accepts (it runs a `channels`-wide
/// grouped 1×1 conv on `channels` one-hot inputs per unit).
pub const MAX_REACH_CHANNELS: usize = 256;
/// Largest number of stacked units [`reachability`] accepts.
pub const MAX_REACH_UNITS: usize = 32;

fn check_groups(op: &'static str, channels: usize, groups: usize) -> Result<()> {
    if channels == 0 {
        return Err(Error::invalid(op, "channels must be at least 1, got 0"));
    }
    if groups == 0 {
        return Err(Error::invalid(op, "groups must be at least 1, got 0"));
    }
    limits::check(op, "channels", channels as u128, limits::MAX_DIM as u128)?;
    if !channels.is_multiple_of(groups) {
        return Err(Error::invalid(
            op,
            format!("groups ({groups}) must divide the channel count ({channels})"),
        ));
    }
    Ok(())
}

/// The channel-shuffle order: output channel `i` is input channel `perm[i]`,
///
/// `perm[i] = (i mod g)·(n/g) + ⌊i / g⌋`
///
/// which is `reshape(g, n/g) → transpose → flatten`, as ShuffleNet's and
/// PyTorch's `channel_shuffle`.
///
/// # Errors
/// `InvalidSpec` for zero channels or groups, or groups not dividing the
/// channels; `TooLarge` for more than [`limits::MAX_DIM`] channels.
///
/// ```
/// use convlab_core::ops::shuffle::shuffle_permutation;
/// assert_eq!(shuffle_permutation(6, 2)?, vec![0, 3, 1, 4, 2, 5]);
/// assert_eq!(shuffle_permutation(6, 3)?, vec![0, 2, 4, 1, 3, 5]);
/// assert!(shuffle_permutation(6, 4).is_err());
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn shuffle_permutation(channels: usize, groups: usize) -> Result<Vec<usize>> {
    check_groups("channel shuffle", channels, groups)?;
    let per = channels / groups;
    Ok((0..channels)
        .map(|i| (i % groups) * per + i / groups)
        .collect())
}

/// The inverse order: `inverse[perm[i]] = i` for `perm` = [`shuffle_permutation`].
/// (It equals the shuffle with `n/g` groups.)
///
/// # Errors
/// As [`shuffle_permutation`].
///
/// ```
/// use convlab_core::ops::shuffle::unshuffle_permutation;
/// assert_eq!(unshuffle_permutation(6, 2)?, vec![0, 2, 4, 1, 3, 5]);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn unshuffle_permutation(channels: usize, groups: usize) -> Result<Vec<usize>> {
    let perm = shuffle_permutation(channels, groups)?;
    let mut inv = vec![0; channels];
    for (i, &p) in perm.iter().enumerate() {
        inv[p] = i;
    }
    Ok(inv)
}

/// Channel shuffle of a feature map: `y[i] = x[perm[i]]` with
/// `perm` = [`shuffle_permutation`]`(C, groups)`.
///
/// # Errors
/// As [`shuffle_permutation`] with `C = x.channels()`.
///
/// ```
/// use convlab_core::{ops::shuffle::channel_shuffle, Tensor};
/// let x = Tensor::from_fn(4, 1, 1, |c, _, _| c as f32)?;
/// assert_eq!(channel_shuffle(&x, 2)?.data(), &[0.0, 2.0, 1.0, 3.0]);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn channel_shuffle(x: &Tensor, groups: usize) -> Result<Tensor> {
    x.permute_channels(&shuffle_permutation(x.channels(), groups)?)
}

/// The inverse of [`channel_shuffle`]: `channel_unshuffle(channel_shuffle(x, g), g) == x`.
///
/// # Errors
/// As [`channel_shuffle`].
///
/// ```
/// use convlab_core::{ops::shuffle::{channel_shuffle, channel_unshuffle}, Tensor};
/// let x = Tensor::random(12, 2, 2, 1)?;
/// assert_eq!(channel_unshuffle(&channel_shuffle(&x, 3)?, 3)?, x);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn channel_unshuffle(x: &Tensor, groups: usize) -> Result<Tensor> {
    x.permute_channels(&unshuffle_permutation(x.channels(), groups)?)
}

/// The cost row of a channel shuffle on an `input` of `[C, H, W]`: no
/// parameters, no multiply–adds, `C·H·W` elements moved.
///
/// # Errors
/// As [`shuffle_permutation`] with `C = input[0]`; `TooLarge` for a
/// dimension past [`limits::MAX_DIM`] (no limit on the element count: cost
/// rows describe whole models).
///
/// ```
/// use convlab_core::ops::shuffle::shuffle_layer;
/// let l = shuffle_layer("shuffle", [240, 28, 28], 3)?;
/// assert_eq!((l.params, l.macs, l.moved), (0, 0, 240 * 28 * 28));
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn shuffle_layer(
    name: impl Into<String>,
    input: [usize; 3],
    groups: usize,
) -> Result<LayerCost> {
    check_groups("channel shuffle", input[0], groups)?;
    for d in input {
        limits::check(
            "channel shuffle",
            "dimension",
            d as u128,
            limits::MAX_DIM as u128,
        )?;
    }
    Ok(LayerCost::movement(
        name,
        LayerKind::Shuffle { groups },
        input,
        input,
    ))
}

/// The three stages of the shuffle, for drawing it.
///
/// ```
/// use convlab_core::ops::shuffle::ShuffleStages;
/// let s = ShuffleStages::new(6, 2)?;
/// assert_eq!(s.grid, vec![vec![0, 1, 2], vec![3, 4, 5]]);
/// assert_eq!(s.transposed, vec![vec![0, 3], vec![1, 4], vec![2, 5]]);
/// assert_eq!(s.order, vec![0, 3, 1, 4, 2, 5]);
/// assert_eq!(s.position_of(3), 1); // input channel 3 lands at output 1
/// # Ok::<(), convlab_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShuffleStages {
    /// Channel count `n`.
    pub channels: usize,
    /// Group count `g`.
    pub groups: usize,
    /// `g` rows of `n/g` input channels: `grid[a][b] = a·(n/g) + b` (row = group).
    pub grid: Vec<Vec<usize>>,
    /// The transpose, `n/g` rows of `g`: `transposed[b][a] = grid[a][b]`.
    pub transposed: Vec<Vec<usize>>,
    /// The transpose read row by row = [`shuffle_permutation`]: output `i` is input `order[i]`.
    pub order: Vec<usize>,
}

impl ShuffleStages {
    /// The stages for `channels` channels in `groups` groups.
    ///
    /// # Errors
    /// As [`shuffle_permutation`].
    ///
    /// ```
    /// use convlab_core::ops::shuffle::ShuffleStages;
    /// assert!(ShuffleStages::new(6, 4).is_err());
    /// assert_eq!(ShuffleStages::new(4, 4)?.order, vec![0, 1, 2, 3]); // n = g: no change
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn new(channels: usize, groups: usize) -> Result<Self> {
        let order = shuffle_permutation(channels, groups)?;
        let per = channels / groups;
        let grid = (0..groups)
            .map(|a| (0..per).map(|b| a * per + b).collect())
            .collect();
        let transposed = (0..per)
            .map(|b| (0..groups).map(|a| a * per + b).collect())
            .collect();
        Ok(ShuffleStages {
            channels,
            groups,
            grid,
            transposed,
            order,
        })
    }

    /// Output position of input channel `c` (`order[position_of(c)] == c`);
    /// `c` outside `0..n` gives `n`.
    pub fn position_of(&self, c: usize) -> usize {
        self.order
            .iter()
            .position(|&o| o == c)
            .unwrap_or(self.channels)
    }

    /// The group (`0..g`) an input or output channel index belongs to: `⌊c / (n/g)⌋`.
    pub fn group_of(&self, c: usize) -> usize {
        c / (self.channels / self.groups).max(1)
    }
}

/// Which output channels each input channel can influence after `units`
/// stacked units of (1×1 grouped conv, `groups` groups, `channels → channels`
/// [→ channel shuffle]). `result[i][j]` is true when input channel `i`
/// reaches output channel `j`.
///
/// Computed, not derived: one-hot inputs go through a real grouped
/// [`Conv2d`] with all-ones weights and, when `with_shuffle`, through
/// [`channel_shuffle`]; a channel is reached when its value is non-zero
/// (values are reset to 0/1 after each unit so nothing overflows).
/// With `units = 0` each channel reaches only itself.
///
/// Without the shuffle the matrix stays block-diagonal (`i`, `j` in the same
/// group) for any number of units. With the shuffle, one unit spreads a
/// group over every `g`-th position; two units reach every output when
/// `g² ≤ n`; for `g² > n` more units are needed (and for `n = g` the shuffle is
/// the identity and never mixes).
///
/// # Errors
/// As [`shuffle_permutation`]; `TooLarge` for more than
/// [`MAX_REACH_CHANNELS`] channels or [`MAX_REACH_UNITS`] units.
///
/// ```
/// use convlab_core::ops::shuffle::reachability;
/// let without = reachability(8, 2, 2, false)?;
/// assert!(!without[0][7]); // group 0 never reaches group 1
/// let with = reachability(8, 2, 2, true)?;
/// assert!(with.iter().all(|row| row.iter().all(|&r| r)));
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn reachability(
    channels: usize,
    groups: usize,
    units: usize,
    with_shuffle: bool,
) -> Result<Vec<Vec<bool>>> {
    let op = "shuffle reachability";
    check_groups(op, channels, groups)?;
    limits::check(op, "channels", channels as u128, MAX_REACH_CHANNELS as u128)?;
    limits::check(op, "units", units as u128, MAX_REACH_UNITS as u128)?;
    // One-hot input i sits at spatial column i: x[c, 0, i] = [c == i]. A 1×1
    // conv and a channel permutation act on each column independently.
    let mut x = Tensor::from_fn(channels, 1, channels, |c, _, i| f32::from(u8::from(c == i)))?;
    let spec = Conv2dSpec {
        bias: false,
        ..Conv2dSpec::grouped(channels, channels, 1, groups)
    };
    let conv = Conv2d::from_fn(spec, |_, _, _, _| 1.0)?;
    for _ in 0..units {
        x = conv.forward(&x)?;
        if with_shuffle {
            x = channel_shuffle(&x, groups)?;
        }
        x = x.map(|v| f32::from(u8::from(v != 0.0)))?;
    }
    Ok((0..channels)
        .map(|i| {
            (0..channels)
                .map(|j| x.get(j, 0, i).is_some_and(|v| v != 0.0))
                .collect()
        })
        .collect())
}
