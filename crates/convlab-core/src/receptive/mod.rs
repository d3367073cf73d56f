//! Receptive fields: the recurrence over a layer stack, and the exact cells
//! of every map that feed one output cell, with how many paths reach each.
//!
//! For a stack of layers with kernel `k_l`, stride `s_l`, dilation `d_l` and
//! padding `p_l` (before the first cell), starting from `r_0 = 1, j_0 = 1, start_0 = 0`:
//!
//! ```text
//!  r_l     = r_{l−1} + (k_l − 1)·d_l·j_{l−1}     size of the field, in input cells
//!  j_l     = j_{l−1}·s_l                          jump: input cells between neighbouring outputs
//!  start_l = start_{l−1} − p_l·j_{l−1}             first input cell seen by output cell 0
//! ```
//!
//! Output cell `i` of map `l` sees input cells `start_l + i·j_l ..= start_l + i·j_l + r_l − 1`
//! (negative or past the end: padding). [`feed_1d`] walks the real taps
//! backwards and counts paths; its fed cells span exactly `r_l` cells when
//! no path touches the padding, with holes inside when dilations grid (2, 2, 2).
//! In 2-D every layer acts on both axes the same way, a path is a pair of
//! 1-D paths, so the 2-D counts are the outer product of the row and column
//! counts ([`feed_2d`]).

use crate::error::{Error, Result};
use crate::limits;

mod feed;
mod layer;

pub use feed::{feed_1d, feed_2d, feed_2d_axes, Feed1d, Feed2d};
pub use layer::{RfKind, RfLayer};

/// Most layers in a stack.
pub const MAX_LAYERS: usize = 64;
/// Most tap visits a trace may make (`Σ_l map_length_l · k_l` per axis).
pub const MAX_TRACE_WORK: u64 = 20_000_000;

/// Receptive field of the cells of one map (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RfInfo {
    /// `r_l`: input cells one output cell sees, end to end (holes included).
    pub size: u64,
    /// `j_l`: input cells between neighbouring output cells.
    pub jump: u64,
    /// `start_l`: the first input cell seen by output cell 0 (negative = padding).
    pub start: i64,
}

fn check_stack(stack: &[RfLayer]) -> Result<()> {
    limits::check(
        "receptive field",
        "layers",
        stack.len() as u128,
        MAX_LAYERS as u128,
    )?;
    stack.iter().try_for_each(RfLayer::validate)
}

fn too_large(what: &'static str) -> Error {
    Error::TooLarge {
        op: "receptive field",
        what,
        value: u128::from(u64::MAX),
        limit: i64::MAX as u128,
    }
}

/// The recurrence over a stack: entry 0 is the input (`1, 1, 0`), entry `l`
/// the map after layer `l` (`stack.len() + 1` entries).
///
/// # Errors
/// As [`RfLayer::validate`]; `TooLarge` for more than [`MAX_LAYERS`] layers
/// or a size, jump or start beyond 64-bit range.
///
/// ```
/// use convlab_core::receptive::{receptive_field, RfLayer};
/// // WaveNet: k = 2, dilations 1, 2, 4, …, 512.
/// let stack: Vec<RfLayer> = (0..10).map(|i| RfLayer::causal(2, 1 << i)).collect();
/// assert_eq!(receptive_field(&stack)?.last().unwrap().size, 1024);
/// // conv 3, conv 3, pool 2 stride 2, conv 3: 1 → 3 → 5 → 6 → 10, jump 2.
/// let vgg = [RfLayer::same(3, 1), RfLayer::same(3, 1), RfLayer::pool(2, 2, 0), RfLayer::same(3, 1)];
/// let r = receptive_field(&vgg)?;
/// assert_eq!(r.iter().map(|i| i.size).collect::<Vec<_>>(), [1, 3, 5, 6, 10]);
/// assert_eq!((r[4].jump, r[4].start), (2, -4));
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn receptive_field(stack: &[RfLayer]) -> Result<Vec<RfInfo>> {
    check_stack(stack)?;
    let mut out = vec![RfInfo {
        size: 1,
        jump: 1,
        start: 0,
    }];
    let mut cur = out[0];
    for l in stack {
        let grow = ((l.kernel - 1) as u64)
            .checked_mul(l.dilation as u64)
            .and_then(|g| g.checked_mul(cur.jump))
            .ok_or_else(|| too_large("receptive field size"))?;
        let size = cur
            .size
            .checked_add(grow)
            .ok_or_else(|| too_large("receptive field size"))?;
        let shift = i64::try_from(i128::from(l.pad_before as u64) * i128::from(cur.jump))
            .map_err(|_| too_large("receptive field start"))?;
        cur = RfInfo {
            size,
            jump: cur
                .jump
                .checked_mul(l.stride as u64)
                .ok_or_else(|| too_large("receptive field jump"))?,
            start: cur
                .start
                .checked_sub(shift)
                .ok_or_else(|| too_large("receptive field start"))?,
        };
        out.push(cur);
    }
    Ok(out)
}

/// The length of every map for an input of `input_len` cells (entry 0 is the input).
///
/// # Errors
/// As [`RfLayer::output_len`] for each layer; `TooLarge` for more than
/// [`MAX_LAYERS`] layers or an input past [`limits::MAX_DIM`].
///
/// ```
/// use convlab_core::receptive::{map_lengths, RfLayer};
/// assert_eq!(map_lengths(&[RfLayer::conv(3, 2, 1, 0), RfLayer::same(3, 1)], 9)?, [9, 4, 4]);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn map_lengths(stack: &[RfLayer], input_len: usize) -> Result<Vec<usize>> {
    check_stack(stack)?;
    limits::check(
        "receptive field",
        "input length",
        input_len as u128,
        limits::MAX_DIM as u128,
    )?;
    let mut lens = vec![input_len];
    let mut len = input_len;
    for (i, l) in stack.iter().enumerate() {
        len = l.output_len(len).map_err(|e| match e {
            Error::InvalidSpec { op, message } => Error::InvalidSpec {
                op,
                message: format!("layer {} ({}): {message}", i + 1, l.label()),
            },
            other => other,
        })?;
        lens.push(len);
    }
    Ok(lens)
}
