//! What the group lesson computes with the kernel crate: the grouped and the
//! standard convolution with their counts from the allocated tensors, the
//! params-vs-M points, and the "groups do not communicate" check on real outputs.

use convlab_core::picture::{compare_channels, flip_cell, randomise_channel, ChannelChange};
use convlab_core::{Conv2d, Conv2dSpec, Error, Tensor};

use super::state::{valid_groups, GroupState, WEIGHT_SEED};
use crate::draw::heatmap::Cell;
use crate::lessons::picture::EDIT_SEED;

/// Parameter counts, all read from allocated weight tensors.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupCost {
    /// Weights of the grouped conv: K·K·(C/M)·N.
    pub grouped_weights: u64,
    /// Parameters of the grouped conv (weights + bias).
    pub grouped_params: u64,
    /// Weights of the standard conv: K·K·C·N.
    pub standard_weights: u64,
    /// Parameters of the standard conv (weights + bias).
    pub standard_params: u64,
    /// Multiply–adds of the grouped conv on the lesson's input.
    pub grouped_macs: u64,
    /// Multiply–adds of the standard conv on the lesson's input.
    pub standard_macs: u64,
}

impl GroupCost {
    /// `grouped_params / standard_params` (with bias when counted).
    pub fn ratio(&self) -> f64 {
        self.grouped_params as f64 / self.standard_params.max(1) as f64
    }
    /// `grouped_weights / standard_weights`, which is exactly 1/M.
    pub fn weight_ratio(&self) -> f64 {
        self.grouped_weights as f64 / self.standard_weights.max(1) as f64
    }
}

/// The two real convolutions of the lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupModel {
    /// The grouped convolution (M groups).
    pub grouped: Conv2d,
    /// The standard convolution of the same shape (one group).
    pub standard: Conv2d,
}

impl GroupModel {
    /// Builds both convolutions with seeded weights.
    ///
    /// # Errors
    /// The kernel crate's message when the spec is invalid (e.g. M does not divide C).
    pub fn new(state: &GroupState) -> Result<GroupModel, Error> {
        Ok(GroupModel {
            grouped: Conv2d::random(state.spec(), WEIGHT_SEED)?,
            standard: Conv2d::random(state.standard_spec(), WEIGHT_SEED)?,
        })
    }

    /// The counts, from the allocated tensors, for an `h × w` input.
    ///
    /// # Errors
    /// When the kernel does not fit the input.
    pub fn cost(&self, h: usize, w: usize) -> Result<GroupCost, Error> {
        Ok(GroupCost {
            grouped_weights: self.grouped.weight().len() as u64,
            grouped_params: self.grouped.param_count(),
            standard_weights: self.standard.weight().len() as u64,
            standard_params: self.standard.param_count(),
            grouped_macs: self.grouped.macs(h, w)?,
            standard_macs: self.standard.macs(h, w)?,
        })
    }
}

/// Parameters `K·K·C·N/M (+N)` for every valid `M`, built from real tensors:
/// the points of the "params vs M" plot.
///
/// # Errors
/// The kernel crate's message for an invalid shape.
pub fn params_by_groups(state: &GroupState) -> Result<Vec<(usize, u64)>, Error> {
    valid_groups(state.c, state.n)
        .into_iter()
        .map(|m| {
            let spec = Conv2dSpec {
                groups: m,
                ..state.spec()
            };
            // Zero weights: the count is what matters, not the values.
            Ok((m, Conv2d::from_fn(spec, |_, _, _, _| 0.0)?.param_count()))
        })
        .collect()
}

/// The outcome of the non-communication demo.
#[derive(Clone, Debug, PartialEq)]
pub struct Isolation {
    /// The edited input channel.
    pub edited: usize,
    /// Its group.
    pub group: usize,
    /// Per output channel, computed by comparing real outputs.
    pub changes: Vec<ChannelChange>,
}

impl Isolation {
    /// Output channels that are bit-for-bit unchanged.
    pub fn unchanged(&self) -> usize {
        self.changes.iter().filter(|c| c.identical).count()
    }

    /// The output channels that changed.
    pub fn changed(&self) -> Vec<usize> {
        self.changes
            .iter()
            .filter(|c| !c.identical)
            .map(|c| c.channel)
            .collect()
    }
}

/// Runs `conv` on `x` and on `edited` (which differs from `x` in channel
/// `channel` only) and compares the outputs channel by channel.
///
/// # Errors
/// The kernel crate's message.
pub fn isolation(
    conv: &Conv2d,
    x: &Tensor,
    edited: &Tensor,
    channel: usize,
) -> Result<(Tensor, Tensor, Isolation), Error> {
    let before = conv.forward(x)?;
    let after = conv.forward(edited)?;
    let changes = compare_channels(&before, &after)?;
    let per_group = conv.spec().in_per_group().max(1);
    Ok((
        before,
        after,
        Isolation {
            edited: channel,
            group: channel / per_group,
            changes,
        },
    ))
}

/// An edit of the input for the non-communication demo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The plain input.
    None,
    /// One input channel replaced by seeded noise.
    Randomise(usize),
    /// One cell flipped.
    Cell(Cell),
}

impl Edit {
    /// The edited input channel.
    pub fn channel(self) -> Option<usize> {
        match self {
            Edit::None => None,
            Edit::Randomise(c) => Some(c),
            Edit::Cell(cell) => Some(cell.c),
        }
    }
}

/// What the figure shows, all computed by the kernel crate.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The input as convolved (edited or not).
    pub edited: Tensor,
    /// The grouped conv's output on it.
    pub output: Tensor,
    /// The comparison with the unedited run, when there is an edit.
    pub isolation: Option<Isolation>,
}

/// Runs the grouped conv on `x` with `edit` applied and, when there is an
/// edit, compares every output channel with the unedited run.
///
/// # Errors
/// The kernel crate's message (an edit outside the input, a shape it cannot run).
pub fn run(model: &GroupModel, x: &Tensor, edit: Edit) -> Result<Run, Error> {
    let edited = match edit {
        Edit::None => x.clone(),
        Edit::Randomise(c) => randomise_channel(x, c, EDIT_SEED)?,
        Edit::Cell(cell) => flip_cell(x, cell.c, cell.y, cell.x)?,
    };
    match edit.channel() {
        None => Ok(Run {
            output: model.grouped.forward(x)?,
            edited,
            isolation: None,
        }),
        Some(c) => {
            let (_, after, iso) = isolation(&model.grouped, x, &edited, c)?;
            Ok(Run {
                edited,
                output: after,
                isolation: Some(iso),
            })
        }
    }
}

/// The lesson's shape in the numbers its captions quote, from the kernel crate's spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupShape {
    /// Input channels each filter reads: C/M.
    pub in_per_group: usize,
    /// Output channels per group: N/M.
    pub out_per_group: usize,
    /// Kernel slices of the grouped weight tensor: N·C/M.
    pub slices: usize,
    /// Kernel slices of the standard conv: N·C.
    pub standard_slices: usize,
    /// Output channels an edit of one input channel cannot reach: (M−1)·N/M.
    pub outside_group: usize,
}

impl GroupShape {
    /// The numbers of `st`'s grouped conv.
    pub fn of(st: &GroupState) -> GroupShape {
        let g = st.spec();
        GroupShape {
            in_per_group: g.in_per_group(),
            out_per_group: g.out_per_group(),
            slices: g.kernel_slices(),
            standard_slices: st.standard_spec().kernel_slices(),
            outside_group: g.outputs_outside_group(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::picture::{feature_input, sample_picture};

    fn state(c: usize, n: usize, m: usize, bias: bool) -> GroupState {
        GroupState {
            c,
            n,
            k: 3,
            m,
            bias,
            ..GroupState::default()
        }
    }

    #[test]
    fn counts_follow_the_formula() {
        // K·K·C·N/M (+N): C = N = 16, K = 3.
        for (m, expect) in [(1usize, 2304u64), (2, 1152), (4, 576), (8, 288), (16, 144)] {
            let s = state(16, 16, m, false);
            let cost = GroupModel::new(&s).unwrap().cost(8, 8).unwrap();
            assert_eq!(cost.grouped_weights, expect);
            assert_eq!(cost.grouped_params, expect);
            assert_eq!(cost.standard_params, 2304);
            assert!((cost.weight_ratio() - 1.0 / m as f64).abs() < 1e-12);
        }
        let s = state(16, 16, 4, true);
        let cost = GroupModel::new(&s).unwrap().cost(8, 8).unwrap();
        assert_eq!(cost.grouped_params, 576 + 16);
        assert_eq!(cost.grouped_macs, 576 * 64);
        let pts = params_by_groups(&s).unwrap();
        assert_eq!(pts.first(), Some(&(1, 2304 + 16)));
        assert_eq!(pts.last(), Some(&(16, 144 + 16)));
        assert_eq!(
            pts.iter().map(|p| p.0).collect::<Vec<_>>(),
            valid_groups(16, 16),
            "only the M the lesson allows"
        );
    }

    #[test]
    fn the_captions_numbers_are_the_weight_tensors() {
        for (c, n, m) in [(8, 8, 2), (8, 12, 4), (6, 6, 6), (4, 8, 1), (16, 32, 8)] {
            let s = state(c, n, m, true);
            let shape = GroupShape::of(&s);
            let model = GroupModel::new(&s).unwrap();
            assert_eq!(shape.slices * 9, model.grouped.weight().len());
            assert_eq!(shape.standard_slices * 9, model.standard.weight().len());
            assert_eq!(shape.in_per_group * m, c);
            assert_eq!(shape.out_per_group * m, n);
            assert_eq!(shape.outside_group, (m - 1) * n / m);
        }
    }

    #[test]
    fn other_groups_stay_bit_identical() {
        let picture = Tensor::random(1, 10, 10, 5).unwrap();
        for (c, n, m) in [(8, 8, 2), (8, 12, 4), (6, 6, 6), (4, 8, 1)] {
            let s = state(c, n, m, true);
            let model = GroupModel::new(&s).unwrap();
            let spec = s.spec();
            let x = feature_input(&picture, c).unwrap();
            for ch in 0..c {
                let r = run(&model, &x, Edit::Randomise(ch)).unwrap();
                let iso = r.isolation.unwrap();
                assert_eq!(
                    iso.unchanged(),
                    GroupShape::of(&s).outside_group,
                    "c={c} n={n} m={m} ch={ch}"
                );
                for change in &iso.changes {
                    assert_eq!(
                        change.identical,
                        spec.group_of_output(change.channel) != spec.group_of_input(ch)
                    );
                }
                let r = run(&model, &x, Edit::Cell(Cell::new(ch, 4, 4))).unwrap();
                assert_eq!(
                    r.isolation.unwrap().unchanged(),
                    GroupShape::of(&s).outside_group
                );
            }
        }
    }

    #[test]
    fn run_compares_real_outputs() {
        let s = state(8, 8, 4, true);
        let model = GroupModel::new(&s).unwrap();
        let x = feature_input(&sample_picture().unwrap(), 8).unwrap();
        let plain = run(&model, &x, Edit::None).unwrap();
        assert!(plain.isolation.is_none());
        let r = run(&model, &x, Edit::Randomise(5)).unwrap();
        let iso = r.isolation.unwrap();
        assert_eq!(iso.group, 2);
        assert_eq!(iso.unchanged(), 6);
        let r = run(&model, &x, Edit::Cell(Cell::new(0, 3, 3))).unwrap();
        assert_eq!(r.isolation.unwrap().unchanged(), 6);
        assert!(run(&model, &x, Edit::Randomise(8)).is_err());
    }
}
