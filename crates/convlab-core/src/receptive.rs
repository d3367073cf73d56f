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

use crate::conv::Conv2dSpec;
use crate::error::{Error, Result};
use crate::limits;

/// Most layers in a stack.
pub const MAX_LAYERS: usize = 64;
/// Most tap visits a trace may make (`Σ_l map_length_l · k_l` per axis).
pub const MAX_TRACE_WORK: u64 = 20_000_000;

/// What a layer is; the geometry alone decides which cells feed which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RfKind {
    /// A (possibly dilated or strided) convolution.
    Conv,
    /// A ShiftNet `k×k` shift: each channel reads one cell of the window, the
    /// union over channels is the whole `k×k` window — traced as that union.
    Shift,
    /// Max or average pooling over the window.
    Pool,
}

/// The geometry of one layer along one axis (the same on both axes in 2-D).
///
/// ```
/// use convlab_core::receptive::RfLayer;
/// let l = RfLayer::same(3, 2);
/// assert_eq!((l.kernel, l.dilation, l.pad_before, l.pad_after), (3, 2, 2, 2));
/// assert_eq!(l.output_len(10)?, 10);
/// # Ok::<(), convlab_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RfLayer {
    /// Conv, shift or pool.
    pub kind: RfKind,
    /// Kernel (window) side `k`.
    pub kernel: usize,
    /// Stride `s`.
    pub stride: usize,
    /// Dilation `d` (gap between taps).
    pub dilation: usize,
    /// Zero padding before the first cell.
    pub pad_before: usize,
    /// Zero padding after the last cell.
    pub pad_after: usize,
}

impl RfLayer {
    /// A convolution with symmetric padding.
    pub fn conv(kernel: usize, stride: usize, dilation: usize, padding: usize) -> Self {
        RfLayer {
            kind: RfKind::Conv,
            kernel,
            stride,
            dilation,
            pad_before: padding,
            pad_after: padding,
        }
    }

    /// A stride-1 convolution with "same" padding `(k−1)/2·d`.
    pub fn same(kernel: usize, dilation: usize) -> Self {
        let p = (kernel.saturating_sub(1) / 2).saturating_mul(dilation);
        RfLayer::conv(kernel, 1, dilation, p)
    }

    /// A causal (WaveNet) convolution: padding `(k−1)·d` before, none after,
    /// so output `t` sees inputs `t − (k−1)·d ..= t`.
    ///
    /// ```
    /// use convlab_core::receptive::{feed_1d, RfLayer};
    /// let l = RfLayer::causal(2, 4);
    /// assert_eq!((l.pad_before, l.pad_after, l.output_len(10)?), (4, 0, 10));
    /// assert_eq!(feed_1d(&[l], 10, 7)?.fed(0), [3, 7]);
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn causal(kernel: usize, dilation: usize) -> Self {
        RfLayer {
            pad_before: kernel.saturating_sub(1).saturating_mul(dilation),
            pad_after: 0,
            ..RfLayer::conv(kernel, 1, dilation, 0)
        }
    }

    /// A `k×k` ShiftNet shift (stride 1, padding `(k−1)/2`, `k` odd).
    ///
    /// ```
    /// use convlab_core::receptive::{RfKind, RfLayer};
    /// let s = RfLayer::shift(3);
    /// assert_eq!((s.kind, s.kernel, s.pad_before), (RfKind::Shift, 3, 1));
    /// assert!(RfLayer::shift(4).validate().is_err());
    /// ```
    pub fn shift(kernel: usize) -> Self {
        RfLayer {
            kind: RfKind::Shift,
            ..RfLayer::same(kernel, 1)
        }
    }

    /// Pooling with a `k` window, stride `s` and symmetric padding.
    ///
    /// ```
    /// use convlab_core::receptive::RfLayer;
    /// assert_eq!(RfLayer::pool(2, 2, 0).output_len(7)?, 3);
    /// assert_eq!(RfLayer::pool(3, 2, 1).label(), "pool 3 s=2");
    /// # Ok::<(), convlab_core::Error>(())
    /// ```
    pub fn pool(kernel: usize, stride: usize, padding: usize) -> Self {
        RfLayer {
            kind: RfKind::Pool,
            ..RfLayer::conv(kernel, stride, 1, padding)
        }
    }

    /// The vertical-axis geometry of a conv spec (see [`RfLayer::from_conv_spec_axes`] for both).
    ///
    /// ```
    /// use convlab_core::receptive::RfLayer;
    /// use convlab_core::Conv2dSpec;
    /// let l = RfLayer::from_conv_spec(&Conv2dSpec::standard(4, 4, 5).with_dilation(2));
    /// assert_eq!((l.kernel, l.dilation, l.pad_before), (5, 2, 4));
    /// ```
    pub fn from_conv_spec(spec: &Conv2dSpec) -> Self {
        RfLayer::conv(
            spec.kernel.0,
            spec.stride.0,
            spec.dilation.0,
            spec.padding.0,
        )
    }

    /// The `(rows, columns)` geometry of a conv spec, for [`feed_2d_axes`].
    ///
    /// ```
    /// use convlab_core::receptive::RfLayer;
    /// use convlab_core::Conv2dSpec;
    /// let (r, c) = RfLayer::from_conv_spec_axes(&Conv2dSpec { kernel: (1, 3), ..Default::default() });
    /// assert_eq!((r.kernel, c.kernel), (1, 3));
    /// ```
    pub fn from_conv_spec_axes(spec: &Conv2dSpec) -> (Self, Self) {
        (
            RfLayer::from_conv_spec(spec),
            RfLayer::conv(
                spec.kernel.1,
                spec.stride.1,
                spec.dilation.1,
                spec.padding.1,
            ),
        )
    }

    /// A short label: `conv 3 d=2`, `shift 3`, `pool 2 s=2`, …
    pub fn label(&self) -> String {
        let base = match self.kind {
            RfKind::Conv => format!("conv {}", self.kernel),
            RfKind::Shift => format!("shift {}", self.kernel),
            RfKind::Pool => format!("pool {}", self.kernel),
        };
        let mut s = base;
        if self.stride != 1 {
            s += &format!(" s={}", self.stride);
        }
        if self.dilation != 1 {
            s += &format!(" d={}", self.dilation);
        }
        s
    }

    /// Checks the geometry.
    ///
    /// # Errors
    /// `InvalidSpec` for a zero kernel, stride or dilation, or an even shift
    /// window; `TooLarge` for any number past [`limits::MAX_DIM`].
    ///
    /// ```
    /// use convlab_core::receptive::RfLayer;
    /// assert!(RfLayer::same(3, 2).validate().is_ok());
    /// assert_eq!(RfLayer::conv(3, 0, 1, 0).validate().unwrap_err().to_string(),
    ///            "receptive field: conv stride must be at least 1, got 0");
    /// ```
    pub fn validate(&self) -> Result<()> {
        let op = "receptive field";
        for (name, v) in [
            ("kernel", self.kernel),
            ("stride", self.stride),
            ("dilation", self.dilation),
        ] {
            if v == 0 {
                return Err(Error::invalid(
                    op,
                    format!("{} {name} must be at least 1, got 0", self.kind_name()),
                ));
            }
        }
        for (what, v) in [
            ("kernel", self.kernel),
            ("stride", self.stride),
            ("dilation", self.dilation),
            ("padding", self.pad_before),
            ("padding", self.pad_after),
        ] {
            limits::check(op, what, v as u128, limits::MAX_DIM as u128)?;
        }
        if self.kind == RfKind::Shift && self.kernel.is_multiple_of(2) {
            return Err(Error::invalid(
                op,
                format!("a shift window side must be odd, got {}", self.kernel),
            ));
        }
        Ok(())
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            RfKind::Conv => "conv",
            RfKind::Shift => "shift",
            RfKind::Pool => "pool",
        }
    }

    /// The span of one window: `(k−1)·d + 1` (saturating).
    ///
    /// ```
    /// assert_eq!(convlab_core::receptive::RfLayer::same(3, 4).span(), 9);
    /// ```
    pub fn span(&self) -> usize {
        self.kernel
            .saturating_sub(1)
            .saturating_mul(self.dilation)
            .saturating_add(1)
    }

    /// The cells of an input of `input_len` cells that output cell `out`
    /// reads, in tap order: `out·s − p_before + t·d` for `t = 0..k`, leaving
    /// out taps that land in the padding. These are the edges [`feed_1d`] follows.
    ///
    /// ```
    /// use convlab_core::receptive::RfLayer;
    /// assert_eq!(RfLayer::causal(2, 4).taps(7, 10), [3, 7]);
    /// assert_eq!(RfLayer::same(3, 2).taps(1, 10), [1, 3]); // the tap at −1 is padding
    /// ```
    pub fn taps(&self, out: usize, input_len: usize) -> Vec<usize> {
        let base = (out as i64).saturating_mul(self.stride as i64) - self.pad_before as i64;
        (0..self.kernel)
            .map(|t| base.saturating_add((t as i64).saturating_mul(self.dilation as i64)))
            .filter(|&p| p >= 0 && (p as u64) < input_len as u64)
            .map(|p| p as usize)
            .collect()
    }

    /// Output length for an input of `len` cells:
    /// `⌊(len + p_before + p_after − ((k−1)·d + 1)) / s⌋ + 1`.
    ///
    /// # Errors
    /// As [`RfLayer::validate`]; `InvalidSpec` when the window is longer than
    /// the padded input or `len` is 0.
    pub fn output_len(&self, len: usize) -> Result<usize> {
        self.validate()?;
        if len == 0 {
            return Err(Error::invalid(
                "receptive field",
                "a map needs at least 1 cell, got 0",
            ));
        }
        let padded = len
            .saturating_add(self.pad_before)
            .saturating_add(self.pad_after);
        let span = self.span();
        if span > padded {
            return Err(Error::invalid(
                "receptive field",
                format!("the window spans {span} cells, more than the padded map of {padded}"),
            ));
        }
        Ok((padded - span) / self.stride + 1)
    }
}

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
