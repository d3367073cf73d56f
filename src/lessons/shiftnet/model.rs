//! What the ShiftNet lesson shows, from the kernel crate: the real shift of
//! the picked input (`ops::shift`), its cost row (zero parameters, zero
//! MACs, elements moved), and receptive fields and costs of (shift + 1×1)
//! stacks against k×k conv stacks of the same depth (`receptive`, `cost`).

use convlab_core::ops::shift::{group_sizes, moved_elements, shift_by, shift_layer, shift_offsets};
use convlab_core::receptive::{feed_2d, receptive_field, RfLayer};
use convlab_core::{Conv2dSpec, CostSummary, LayerCost, Tensor};

use super::draw::{GroupPanel, ShiftView};
use super::state::ShiftState;
use crate::lessons::dilated::draw::MapView;

/// Side of the input the shift figure uses.
pub const INPUT_SIDE: usize = 16;

/// The shift figure and its counts.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftModel {
    /// What to draw.
    pub view: ShiftView,
    /// Channels `C = m·k²`.
    pub channels: usize,
    /// Elements carried to a new place (zero offsets and values pushed off the edge excluded).
    pub moved: u64,
    /// The cost row of the shift layer on this input.
    pub cost: LayerCost,
}

/// Shifts `C = m·k²` copies of the picked (gray) input with the kernel crate's shift.
///
/// # Errors
/// The kernel crate's message.
pub fn shift_model(st: &ShiftState, input: &Tensor) -> Result<ShiftModel, String> {
    let e = |e: convlab_core::Error| e.to_string();
    let c = st.per_group * st.groups();
    let (h, w) = (input.height(), input.width());
    let in_c = input.channels().max(1);
    let x = Tensor::from_fn(c, h, w, |ch, y, xx| {
        input.get(ch % in_c, y, xx).unwrap_or(0.0)
    })
    .map_err(e)?;
    let offsets = shift_offsets(c, st.k).map_err(e)?;
    let y = shift_by(&x, &offsets).map_err(e)?;
    let sizes = group_sizes(c, st.k).map_err(e)?;
    let mut panels = Vec::with_capacity(sizes.len());
    let mut first = 0;
    for (g, &n) in sizes.iter().enumerate() {
        if n > 0 {
            panels.push(GroupPanel {
                group: g,
                offset: offsets[first],
                channels: (first, n),
                before: x.channel(first).map(<[f32]>::to_vec).unwrap_or_default(),
                after: y.channel(first).map(<[f32]>::to_vec).unwrap_or_default(),
            });
        }
        first += n;
    }
    let (lo, hi) = x.min_max();
    Ok(ShiftModel {
        view: ShiftView {
            k: st.k,
            h,
            w,
            panels,
            range: (lo.min(0.0), hi.max(lo + 1e-6)),
        },
        channels: c,
        moved: moved_elements(&offsets, h, w),
        cost: shift_layer(format!("shift {0}\u{d7}{0}", st.k), [c, h, w], st.k).map_err(e)?,
    })
}

/// One depth of the side-by-side comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompareRow {
    /// Blocks stacked.
    pub depth: usize,
    /// Receptive field of `depth` (shift + 1×1) blocks.
    pub rf_shift: u64,
    /// Receptive field of `depth` k×k convs.
    pub rf_conv: u64,
    /// Parameters of the shift stack (the 1×1 convs; shifts have none).
    pub params_shift: u64,
    /// Parameters of the conv stack.
    pub params_conv: u64,
    /// MACs of the shift stack.
    pub macs_shift: u64,
    /// MACs of the conv stack.
    pub macs_conv: u64,
    /// Elements the shifts move.
    pub moved_shift: u64,
}

/// The two stacks' geometry for `depth` blocks.
pub fn stacks(k: usize, depth: usize) -> (Vec<RfLayer>, Vec<RfLayer>) {
    let shift: Vec<RfLayer> = (0..depth)
        .flat_map(|_| [RfLayer::shift(k), RfLayer::conv(1, 1, 1, 0)])
        .collect();
    let conv = vec![RfLayer::same(k, 1); depth];
    (shift, conv)
}

/// Rows for depths `1..=st.depth`, costs from the kernel crate's cost rows.
///
/// # Errors
/// The kernel crate's message.
pub fn compare(st: &ShiftState) -> Result<Vec<CompareRow>, String> {
    let e = |e: convlab_core::Error| e.to_string();
    let (c, s) = (st.channels, st.map_side);
    let pw = LayerCost::conv("1\u{d7}1", Conv2dSpec::pointwise(c, c), [c, s, s]).map_err(e)?;
    let sh = shift_layer("shift", [c, s, s], st.k).map_err(e)?;
    let kk = LayerCost::conv("k\u{d7}k", Conv2dSpec::standard(c, c, st.k), [c, s, s]).map_err(e)?;
    (1..=st.depth)
        .map(|n| {
            let (a, b) = stacks(st.k, n);
            let rf = |s: &[RfLayer]| receptive_field(s).map(|v| v.last().map_or(1, |i| i.size));
            let shift_cost = CostSummary::of(
                &(0..n)
                    .flat_map(|_| [sh.clone(), pw.clone()])
                    .collect::<Vec<_>>(),
            );
            let conv_cost = CostSummary::of(&vec![kk.clone(); n]);
            Ok(CompareRow {
                depth: n,
                rf_shift: rf(&a).map_err(e)?,
                rf_conv: rf(&b).map_err(e)?,
                params_shift: shift_cost.params,
                params_conv: conv_cost.params,
                macs_shift: shift_cost.macs,
                macs_conv: conv_cost.macs,
                moved_shift: shift_cost.moved,
            })
        })
        .collect()
}

/// The input cells feeding the centre after `depth` blocks, for both stacks.
///
/// # Errors
/// The kernel crate's message.
pub fn field_maps(k: usize, depth: usize) -> Result<(MapView, MapView), String> {
    let (a, b) = stacks(k, depth);
    let side = (k - 1) * depth + 5;
    let centre = (side / 2, side / 2);
    let map = |stack: &[RfLayer], label: String| -> Result<MapView, String> {
        let f = feed_2d(stack, (side, side), centre).map_err(|e| e.to_string())?;
        let r = receptive_field(stack).map_err(|e| e.to_string())?;
        let size = r.last().map_or(1, |i| i.size) as usize;
        let half = (size / 2) as isize;
        Ok(MapView {
            label,
            h: side,
            w: side,
            paths: f.grid(0).map_err(|e| e.to_string())?,
            extent: Some((
                centre.0 as isize - half,
                centre.1 as isize - half,
                size,
                size,
            )),
        })
    };
    Ok((
        map(
            &a,
            format!("{depth} \u{d7} (shift {k}\u{d7}{k} + 1\u{d7}1)"),
        )?,
        map(&b, format!("{depth} \u{d7} conv {k}\u{d7}{k}"))?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st() -> ShiftState {
        ShiftState::default()
    }

    #[test]
    fn shift_moves_each_group_one_step() {
        let x =
            Tensor::from_fn(1, 5, 5, |_, y, x| if (y, x) == (2, 2) { 1.0 } else { 0.0 }).unwrap();
        let m = shift_model(&st(), &x).unwrap();
        assert_eq!(m.channels, 9);
        assert_eq!(m.view.panels.len(), 9);
        for p in &m.view.panels {
            let (dy, dx) = p.offset;
            let at = ((2 + dy) * 5 + 2 + dx) as usize;
            assert_eq!(p.after[at], 1.0, "group {}", p.group);
            assert_eq!(p.before[12], 1.0);
        }
        assert_eq!((m.cost.params, m.cost.macs), (0, 0));
        assert_eq!(m.cost.moved, 9 * 25);
        // 4 diagonal groups keep 4·4, 4 straight ones 4·5, the centre stays.
        assert_eq!(m.moved, 4 * 16 + 4 * 20);
    }

    #[test]
    fn fields_grow_alike_costs_do_not() {
        let rows = compare(&ShiftState { depth: 4, ..st() }).unwrap();
        for r in &rows {
            assert_eq!(r.rf_shift, r.rf_conv);
            assert_eq!(r.rf_conv, 2 * r.depth as u64 + 1);
            assert_eq!(r.params_shift, r.depth as u64 * (64 * 64 + 64));
            assert_eq!(r.params_conv, r.depth as u64 * (9 * 64 * 64 + 64));
            assert_eq!(r.macs_conv, 9 * r.macs_shift);
            assert_eq!(r.moved_shift, r.depth as u64 * 64 * 32 * 32);
        }
    }

    #[test]
    fn field_maps_cover_the_same_cells() {
        let (a, b) = field_maps(3, 3).unwrap();
        assert_eq!(a.fed(), 49);
        assert_eq!(b.fed(), 49);
        assert_eq!(a.bbox().map(|b| b.2), Some(7));
        assert_eq!(a.extent.map(|e| e.2), Some(7));
    }
}
