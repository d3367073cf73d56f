//! The exact cells of every map that feed one output cell, and by how many
//! paths: [`feed_1d`] along one axis, [`feed_2d`] as the outer product of two.

use super::{map_lengths, RfLayer, MAX_TRACE_WORK};
use crate::error::{Error, Result};
use crate::limits;

/// Which cells of every map feed one output cell, along one axis, and by how many paths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed1d {
    lengths: Vec<usize>,
    counts: Vec<Vec<u64>>,
    clipped: bool,
    out_index: usize,
}

impl Feed1d {
    /// Number of maps: layers + 1 (map 0 is the input, the last is the output).
    pub fn maps(&self) -> usize {
        self.counts.len()
    }

    /// Length of map `l` (0 past the last map).
    pub fn len(&self, l: usize) -> usize {
        self.lengths.get(l).copied().unwrap_or(0)
    }

    /// Whether map `l` is missing (past the last map).
    pub fn is_empty(&self, l: usize) -> bool {
        self.len(l) == 0
    }

    /// The chosen output cell.
    pub fn out_index(&self) -> usize {
        self.out_index
    }

    /// Path counts of map `l`: `counts(l)[i]` = number of paths from cell `i`
    /// to the output cell (saturating at `u64::MAX`); empty past the last map.
    pub fn counts(&self, l: usize) -> &[u64] {
        self.counts.get(l).map_or(&[], Vec::as_slice)
    }

    /// The cells of map `l` that feed the output cell (count > 0), ascending.
    pub fn fed(&self, l: usize) -> Vec<usize> {
        self.counts(l)
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, _)| i)
            .collect()
    }

    /// First and last fed cell of map `l`, or `None` when none (never for a valid trace).
    pub fn span(&self, l: usize) -> Option<(usize, usize)> {
        let c = self.counts(l);
        let first = c.iter().position(|&v| v > 0)?;
        let last = c.iter().rposition(|&v| v > 0)?;
        Some((first, last))
    }

    /// Cells inside [`Feed1d::span`] of map `l` that feed nothing — the gridding holes.
    ///
    /// ```
    /// use convlab_core::receptive::{feed_1d, RfLayer};
    /// let f = feed_1d(&[RfLayer::same(3, 2); 2], 15, 7)?;
    /// assert_eq!(f.span(0), Some((3, 11)));
    /// assert_eq!((f.fed(0).len(), f.holes(0)), (5, 4));
    /// assert_eq!(f.total_paths(0), 9);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn holes(&self, l: usize) -> usize {
        match self.span(l) {
            Some((a, b)) => self.counts(l)[a..=b].iter().filter(|&&v| v == 0).count(),
            None => 0,
        }
    }

    /// Total number of paths from map `l` to the output cell (saturating).
    pub fn total_paths(&self, l: usize) -> u64 {
        self.counts(l)
            .iter()
            .fold(0u64, |a, &b| a.saturating_add(b))
    }

    /// Whether some path passed through zero padding (then the fed span can
    /// be shorter than the recurrence's size).
    pub fn clipped(&self) -> bool {
        self.clipped
    }
}

/// Traces output cell `out_index` of the last map back through the stack on
/// an input of `input_len` cells: for each map, which cells feed it and by
/// how many distinct paths (a path picks one tap per layer; taps landing in
/// the padding end there). Shift layers count as their whole `k` window
/// (the union over channels). With an empty stack the output is the input.
///
/// # Errors
/// As [`map_lengths`]; `OutOfRange` for an `out_index` past the output;
/// `TooLarge` past [`MAX_TRACE_WORK`].
///
/// ```
/// use convlab_core::receptive::{feed_1d, RfLayer};
/// // Two 3-taps: counts 1 2 3 2 1 over 5 input cells.
/// let f = feed_1d(&[RfLayer::same(3, 1), RfLayer::same(3, 1)], 9, 4)?;
/// assert_eq!(&f.counts(0)[2..7], &[1, 2, 3, 2, 1]);
/// assert_eq!(f.fed(1), [3, 4, 5]);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn feed_1d(stack: &[RfLayer], input_len: usize, out_index: usize) -> Result<Feed1d> {
    let lengths = map_lengths(stack, input_len)?;
    let last = *lengths.last().unwrap_or(&input_len);
    if out_index >= last {
        return Err(Error::OutOfRange {
            op: "receptive field",
            what: "output cell",
            index: out_index as i64,
            len: last,
        });
    }
    let work = stack
        .iter()
        .zip(&lengths[1..])
        .fold(0u64, |w, (l, &n)| {
            w.saturating_add((n as u64).saturating_mul(l.kernel as u64))
        })
        .saturating_add(lengths.iter().map(|&n| n as u64).sum());
    limits::check(
        "receptive field",
        "tap visits",
        u128::from(work),
        u128::from(MAX_TRACE_WORK),
    )?;
    let mut counts: Vec<Vec<u64>> = lengths.iter().map(|&n| vec![0; n]).collect();
    let top = lengths.len() - 1;
    counts[top][out_index] = 1;
    let mut clipped = false;
    for li in (0..stack.len()).rev() {
        let layer = &stack[li];
        let (below, above) = counts.split_at_mut(li + 1);
        let src = &above[0];
        let dst = &mut below[li];
        let n_in = dst.len() as i64;
        for (o, &c) in src.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let base = (o * layer.stride) as i64 - layer.pad_before as i64;
            for t in 0..layer.kernel {
                let pos = base + (t * layer.dilation) as i64;
                if (0..n_in).contains(&pos) {
                    let cell = &mut dst[pos as usize];
                    *cell = cell.saturating_add(c);
                } else {
                    clipped = true;
                }
            }
        }
    }
    Ok(Feed1d {
        lengths,
        counts,
        clipped,
        out_index,
    })
}

/// The 2-D trace: rows and columns traced separately, counts = outer product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed2d {
    /// The trace along the height.
    pub rows: Feed1d,
    /// The trace along the width.
    pub cols: Feed1d,
}

impl Feed2d {
    /// Number of maps (layers + 1).
    pub fn maps(&self) -> usize {
        self.rows.maps()
    }

    /// `(height, width)` of map `l`.
    pub fn shape(&self, l: usize) -> (usize, usize) {
        (self.rows.len(l), self.cols.len(l))
    }

    /// Paths from cell `(y, x)` of map `l` to the output cell: `rows(y)·cols(x)` (saturating).
    pub fn count(&self, l: usize, y: usize, x: usize) -> u64 {
        let r = self.rows.counts(l).get(y).copied().unwrap_or(0);
        let c = self.cols.counts(l).get(x).copied().unwrap_or(0);
        r.saturating_mul(c)
    }

    /// Number of fed cells of map `l`: fed rows × fed columns.
    pub fn fed_cells(&self, l: usize) -> usize {
        self.rows.fed(l).len() * self.cols.fed(l).len()
    }

    /// The whole count map `l`, row-major `h × w`.
    ///
    /// # Errors
    /// `TooLarge` past [`limits::MAX_ELEMENTS`].
    ///
    /// ```
    /// use convlab_core::receptive::{feed_2d, RfLayer};
    /// let f = feed_2d(&[RfLayer::same(3, 1)], (3, 3), (1, 1))?;
    /// assert_eq!(f.grid(0)?, vec![1; 9]);
    /// let g = feed_2d(&[RfLayer::same(3, 1); 2], (5, 5), (2, 2))?;
    /// assert_eq!(&g.grid(0)?[10..15], &[3, 6, 9, 6, 3]); // row 2 = 3 · (1 2 3 2 1)
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn grid(&self, l: usize) -> Result<Vec<u64>> {
        let (h, w) = self.shape(l);
        limits::check(
            "receptive field",
            "grid cells",
            (h as u128) * (w as u128),
            limits::MAX_ELEMENTS as u128,
        )?;
        let (rc, cc) = (self.rows.counts(l), self.cols.counts(l));
        Ok(rc
            .iter()
            .flat_map(|&r| cc.iter().map(move |&c| r.saturating_mul(c)))
            .collect())
    }

    /// Whether some path passed through zero padding, on either axis.
    pub fn clipped(&self) -> bool {
        self.rows.clipped() || self.cols.clipped()
    }
}

/// Traces output cell `out = (y, x)` back through `stack` (applied the same
/// way to both axes) on an `input = (height, width)` map.
///
/// # Errors
/// As [`feed_1d`] on either axis.
///
/// ```
/// use convlab_core::receptive::{feed_2d, RfLayer};
/// // Gridding: three 3×3 convs with dilation 2 reach only 7×7 of their 13×13 field.
/// let f = feed_2d(&[RfLayer::same(3, 2); 3], (20, 20), (10, 10))?;
/// assert_eq!(f.fed_cells(0), 49);
/// assert_eq!(f.count(0, 10, 10), 7 * 7);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn feed_2d(stack: &[RfLayer], input: (usize, usize), out: (usize, usize)) -> Result<Feed2d> {
    feed_2d_axes(stack, stack, input, out)
}

/// As [`feed_2d`] with a different geometry per axis (non-square kernels,
/// strides …): `rows[l]` acts on the height, `cols[l]` on the width.
///
/// # Errors
/// As [`feed_1d`] on either axis; `ShapeMismatch` when the two stacks differ in length.
///
/// ```
/// use convlab_core::receptive::{feed_2d_axes, RfLayer};
/// // A 1×3 conv: one row, three columns.
/// let f = feed_2d_axes(&[RfLayer::same(1, 1)], &[RfLayer::same(3, 1)], (5, 5), (2, 2))?;
/// assert_eq!(f.fed_cells(0), 3);
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn feed_2d_axes(
    rows: &[RfLayer],
    cols: &[RfLayer],
    input: (usize, usize),
    out: (usize, usize),
) -> Result<Feed2d> {
    if rows.len() != cols.len() {
        return Err(Error::shape(
            "receptive field",
            format!("{} column layers (one per row layer)", rows.len()),
            format!("{}", cols.len()),
        ));
    }
    Ok(Feed2d {
        rows: feed_1d(rows, input.0, out.0)?,
        cols: feed_1d(cols, input.1, out.1)?,
    })
}
