//! Group convolution (curriculum §3): the URL state, the valid group
//! counts, and the view model computed by the kernel crate.
//!
//! ```text
//!  C input channels ──M groups──▶ N output channels
//!  group g: inputs g·C/M .. (g+1)·C/M  →  outputs g·N/M .. (g+1)·N/M
//!  params  K·K·(C/M)·(N/M)·M = K·K·C·N/M  (+N bias)      ratio 1/M
//! ```

use convlab_core::{Conv2d, Conv2dSpec, Error, Tensor};

use crate::route::{Note, Params, Query};

/// Range of `C` (input channels) and `N` (output channels) on the page.
pub const CHANNELS: (usize, usize) = (1, 64);
/// Kernel sizes offered.
pub const KERNELS: [usize; 4] = [1, 3, 5, 7];
/// Seed of the lesson's weights (fixed, so a link shows the same numbers).
pub const WEIGHT_SEED: u64 = 3;
/// Seed of the "randomise this channel" edit.
pub const EDIT_SEED: u64 = 17;

/// Comma-separated list of values.
pub fn list(values: &[usize]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The closest values of the sorted `choices` below and above `v` (one or two values).
pub fn nearest(choices: &[usize], v: usize) -> Vec<usize> {
    let below = choices.iter().copied().filter(|&c| c < v).max();
    let above = choices.iter().copied().filter(|&c| c > v).min();
    below.into_iter().chain(above).collect()
}

/// The group counts `M` that divide both `C` and `N`, ascending (always contains 1).
///
/// ```
/// use convlab::lessons::group::state::valid_groups;
/// assert_eq!(valid_groups(16, 8), vec![1, 2, 4, 8]);
/// assert_eq!(valid_groups(6, 9), vec![1, 3]);
/// ```
pub fn valid_groups(c: usize, n: usize) -> Vec<usize> {
    (1..=c.max(1))
        .filter(|&m| c.is_multiple_of(m) && n.is_multiple_of(m))
        .collect()
}

/// An `M` from the URL that does not divide `C` and `N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidGroups {
    /// The M asked for.
    pub asked: usize,
    /// Why it is impossible, and what is shown instead.
    pub message: String,
    /// The nearest valid M below and above (offered as links).
    pub suggestions: Vec<usize>,
}

/// The lesson's state, as it is in the URL: `#/group?C=8&N=8&K=3&M=2&bias=1&edit=0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupState {
    /// `C` — input channels.
    pub c: usize,
    /// `N` — output channels.
    pub n: usize,
    /// `K` — kernel size (K×K).
    pub k: usize,
    /// `M` — number of groups (divides C and N).
    pub m: usize,
    /// Count a bias per output channel ("conv with bias", as the lecture).
    pub bias: bool,
    /// The input channel randomised in the "groups do not communicate" demo.
    pub edit: Option<usize>,
}

impl Default for GroupState {
    fn default() -> Self {
        GroupState {
            c: 8,
            n: 8,
            k: 3,
            m: 2,
            bias: true,
            edit: None,
        }
    }
}

impl GroupState {
    /// Parses the URL values; every value that cannot be used is replaced and
    /// explained in a note. An `M` that does not divide `C` and `N` comes back
    /// as [`InvalidGroups`] instead (why, and the nearest valid values to offer
    /// as links), which the page shows next to the figure.
    pub fn parse(query: &Query) -> (GroupState, Vec<Note>, Option<InvalidGroups>) {
        let d = GroupState::default();
        let mut p = Params::new(query);
        let c = p.usize("C", d.c, CHANNELS.0, CHANNELS.1);
        let n = p.usize("N", d.n, CHANNELS.0, CHANNELS.1);
        let kernels: Vec<i64> = KERNELS.iter().map(|&k| k as i64).collect();
        let k = p.int_in("K", d.k as i64, &kernels).max(1) as usize;
        let bias = p.flag("bias", d.bias);
        let valid = valid_groups(c, n);
        let default_m = if valid.contains(&d.m) { d.m } else { 1 };
        let asked = p.usize("M", default_m, 1, c.max(1));
        let mut invalid = None;
        let m = if valid.contains(&asked) {
            asked
        } else {
            let near = nearest(&valid, asked);
            let why = match (c % asked, n % asked) {
                (0, _) => format!("N = {n} is not divisible by M = {asked}"),
                (_, 0) => format!("C = {c} is not divisible by M = {asked}"),
                _ => format!("C = {c} and N = {n} are not divisible by M = {asked}"),
            };
            let pick = near.first().copied().unwrap_or(1);
            let message = format!(
                "M = {asked} groups is impossible: {why}, and every group needs C/M input and N/M output channels. Valid M here: {}. Showing M = {pick}.",
                list(&valid)
            );
            invalid = Some(InvalidGroups {
                asked,
                message,
                suggestions: near,
            });
            pick
        };
        let edit = query
            .get("edit")
            .is_some()
            .then(|| p.usize("edit", 0, 0, c.saturating_sub(1)));
        let state = GroupState {
            c,
            n,
            k,
            m,
            bias,
            edit,
        };
        (state, p.finish(), invalid)
    }

    /// The URL query for this state (without the leading `?`).
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = vec![
            ("C", self.c.to_string()),
            ("N", self.n.to_string()),
            ("K", self.k.to_string()),
            ("M", self.m.to_string()),
            ("bias", u8::from(self.bias).to_string()),
        ];
        if let Some(e) = self.edit {
            q.push(("edit", e.to_string()));
        }
        q
    }

    /// The lesson's grouped convolution spec ("same" padding).
    pub fn spec(&self) -> Conv2dSpec {
        Conv2dSpec::grouped(self.c, self.n, self.k, self.m).with_bias(self.bias)
    }

    /// The same shape with one group: the standard convolution it replaces.
    pub fn standard_spec(&self) -> Conv2dSpec {
        Conv2dSpec::standard(self.c, self.n, self.k).with_bias(self.bias)
    }

    /// Which group an input channel belongs to.
    pub fn in_group(&self, i: usize) -> usize {
        i / (self.c / self.m.max(1)).max(1)
    }

    /// Which group an output channel belongs to.
    pub fn out_group(&self, o: usize) -> usize {
        o / (self.n / self.m.max(1)).max(1)
    }

    /// What kind of convolution `M` makes: standard, group or depthwise.
    pub fn kind(&self) -> &'static str {
        if self.m == 1 {
            "standard convolution (M = 1)"
        } else if self.m == self.c {
            "depthwise convolution (M = C)"
        } else {
            "group convolution"
        }
    }
}

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
            let spec = GroupState { m, ..*state }.spec();
            // Zero weights: the count is what matters, not the values.
            Ok((m, Conv2d::from_fn(spec, |_, _, _, _| 0.0)?.param_count()))
        })
        .collect()
}

/// Largest side of the picture the lessons of this part run on; larger
/// pictures are averaged down (the kernels stay within one frame).
pub const MAX_SIDE: usize = 24;

/// The built-in picture: a ring and a bar on 16×16 (until one is picked).
///
/// # Errors
/// Never for this fixed shape; typed as the kernel crate's constructor.
pub fn sample_picture() -> Result<Tensor, Error> {
    Tensor::from_fn(1, 16, 16, |_, y, x| {
        let (cy, cx) = (y as f32 - 6.5, x as f32 - 6.5);
        let r = (cy * cy + cx * cx).sqrt();
        if (2.5..5.0).contains(&r) || ((12..=13).contains(&y) && x >= 2) {
            1.0
        } else {
            0.0
        }
    })
}

/// `picture` averaged down by an integer factor so both sides are at most [`MAX_SIDE`].
///
/// # Errors
/// The kernel crate's constructor error (not expected for a valid tensor).
pub fn fit_picture(picture: &Tensor) -> Result<Tensor, Error> {
    let [c, h, w] = picture.shape();
    let f = h.max(w).div_ceil(MAX_SIDE).max(1);
    if f == 1 {
        return Ok(picture.clone());
    }
    let (oh, ow) = (h.div_ceil(f), w.div_ceil(f));
    Tensor::from_fn(c, oh, ow, |ch, y, x| {
        let mut sum = 0.0;
        let mut count = 0.0;
        for yy in y * f..((y + 1) * f).min(h) {
            for xx in x * f..((x + 1) * f).min(w) {
                if let Some(v) = picture.get(ch, yy, xx) {
                    sum += v;
                    count += 1.0;
                }
            }
        }
        if count > 0.0 {
            sum / count
        } else {
            0.0
        }
    })
}

/// Most channels a figure of these lessons draws as tiles.
pub const MAX_SHOWN: usize = 32;

/// The first `max` channels of `t` (all of them when there are fewer).
///
/// # Errors
/// The kernel crate's error (not expected: the range is always inside).
pub fn first_channels(t: &Tensor, max: usize) -> Result<Tensor, Error> {
    if t.channels() <= max {
        Ok(t.clone())
    } else {
        t.channels_range(0..max)
    }
}

/// A C-channel feature map made from the picked picture by a fixed seeded
/// 3×3 convolution, so every channel shows the picture's structure.
///
/// # Errors
/// The kernel crate's message (e.g. a picture smaller than the kernel).
pub fn feature_input(picture: &Tensor, channels: usize, seed: u64) -> Result<Tensor, Error> {
    let stem = Conv2d::random(
        Conv2dSpec::standard(picture.channels(), channels, 3).with_bias(false),
        seed,
    )?;
    let y = stem.forward(picture)?;
    let scale = y.max_abs();
    if scale > 0.0 {
        y.map(|v| v / scale)
    } else {
        Ok(y)
    }
}

/// The input with channel `channel` replaced by seeded random values in [−1, 1).
///
/// # Errors
/// `OutOfRange` for a channel past the input's channels.
pub fn randomise_channel(x: &Tensor, channel: usize, seed: u64) -> Result<Tensor, Error> {
    if channel >= x.channels() {
        return Err(Error::OutOfRange {
            op: "randomise channel",
            what: "input channel",
            index: channel as i64,
            len: x.channels(),
        });
    }
    let noise = Tensor::random(1, x.height(), x.width(), seed)?;
    Tensor::from_fn(x.channels(), x.height(), x.width(), |c, y, xx| {
        if c == channel {
            noise.get(0, y, xx).unwrap_or(0.0)
        } else {
            x.get(c, y, xx).unwrap_or(0.0)
        }
    })
}

/// The input with one cell changed: `v → 1 − v` (a visible flip for values in [0, 1]),
/// or `v + 1` when that would leave it unchanged.
///
/// # Errors
/// `OutOfRange` for a cell outside the input.
pub fn flip_cell(x: &Tensor, channel: usize, y: usize, xx: usize) -> Result<Tensor, Error> {
    let old = x.get(channel, y, xx).ok_or(Error::OutOfRange {
        op: "edit cell",
        what: "cell",
        index: ((channel * x.height() + y) * x.width() + xx) as i64,
        len: x.len(),
    })?;
    let new = if (1.0 - old - old).abs() > 1e-3 {
        1.0 - old
    } else {
        old + 1.0
    };
    let mut out = x.clone();
    out.set(channel, y, xx, new)?;
    Ok(out)
}

/// How one output channel changed between two runs of the kernel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChannelChange {
    /// Output channel.
    pub channel: usize,
    /// Every value is bit-for-bit identical (`f32::to_bits`).
    pub identical: bool,
    /// Largest absolute difference.
    pub max_abs_diff: f32,
}

/// Compares two outputs channel by channel, bit for bit.
///
/// # Errors
/// `ShapeMismatch` when the shapes differ.
pub fn compare_channels(before: &Tensor, after: &Tensor) -> Result<Vec<ChannelChange>, Error> {
    if before.shape() != after.shape() {
        return Err(Error::shape(
            "compare outputs",
            format!("{:?}", before.shape()),
            format!("{:?}", after.shape()),
        ));
    }
    Ok((0..before.channels())
        .map(|c| {
            let a = before.channel(c).unwrap_or(&[]);
            let b = after.channel(c).unwrap_or(&[]);
            let identical = a.iter().zip(b).all(|(p, q)| p.to_bits() == q.to_bits());
            let max_abs_diff = a
                .iter()
                .zip(b)
                .map(|(p, q)| (p - q).abs())
                .fold(0.0, f32::max);
            ChannelChange {
                channel: c,
                identical,
                max_abs_diff,
            }
        })
        .collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Query {
        Query::from_pairs(pairs.iter().map(|(k, v)| (*k, v.to_string())))
    }

    #[test]
    fn defaults_round_trip() {
        let s = GroupState::default();
        let q = s.to_query();
        let pairs: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (back, notes, invalid) = GroupState::parse(&query(&pairs));
        assert_eq!(back, s);
        assert!(notes.is_empty());
        assert!(invalid.is_none());
    }

    #[test]
    fn every_state_round_trips() {
        for c in [1, 6, 16] {
            for n in [1, 9, 16] {
                for m in valid_groups(c, n) {
                    let s = GroupState {
                        c,
                        n,
                        k: 5,
                        m,
                        bias: false,
                        edit: Some(c - 1),
                    };
                    let q = s.to_query();
                    let pairs: Vec<(&str, &str)> =
                        q.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    assert_eq!(GroupState::parse(&query(&pairs)), (s, vec![], None));
                }
            }
        }
    }

    #[test]
    fn invalid_groups_explain_and_offer_neighbours() {
        let (s, notes, invalid) =
            GroupState::parse(&query(&[("C", "16"), ("N", "16"), ("M", "3")]));
        assert_eq!(s.m, 2);
        assert!(notes.is_empty());
        let invalid = invalid.unwrap();
        assert_eq!(invalid.asked, 3);
        assert_eq!(invalid.suggestions, vec![2, 4]);
        assert!(
            invalid
                .message
                .contains("C = 16 and N = 16 are not divisible by M = 3"),
            "{}",
            invalid.message
        );
        assert!(invalid
            .message
            .contains("Valid M here: 1, 2, 4, 8, 16. Showing M = 2."));
        let (s, notes, invalid) =
            GroupState::parse(&query(&[("C", "16"), ("N", "12"), ("M", "8")]));
        assert_eq!(s.m, 4);
        assert!(notes.is_empty());
        let invalid = invalid.unwrap();
        assert!(invalid.message.contains("N = 12 is not divisible by M = 8"));
        assert_eq!(invalid.suggestions, vec![4]);
        let (s, _, invalid) = GroupState::parse(&query(&[("C", "12"), ("N", "16"), ("M", "8")]));
        assert_eq!(s.m, 4);
        let invalid = invalid.unwrap();
        assert!(invalid.message.contains("C = 12 is not divisible by M = 8"));
        assert!(!invalid.message.contains("N = 16"));
    }

    #[test]
    fn garbage_is_clamped_with_a_note() {
        let (s, notes, _) = GroupState::parse(&query(&[
            ("C", "9999"),
            ("N", "-4"),
            ("K", "4"),
            ("bias", "maybe"),
            ("M", "NaN"),
        ]));
        assert_eq!((s.c, s.n, s.k, s.bias), (64, 1, 3, true));
        assert_eq!(s.m, 1);
        assert_eq!(notes.len(), 5);
        assert!(GroupModel::new(&s).is_ok());
    }

    #[test]
    fn valid_groups_divide_both() {
        for c in 1..=24 {
            for n in 1..=24 {
                let v = valid_groups(c, n);
                assert_eq!(v[0], 1);
                for m in 1..=c {
                    assert_eq!(v.contains(&m), c.is_multiple_of(m) && n.is_multiple_of(m));
                }
            }
        }
    }

    #[test]
    fn counts_follow_the_formula() {
        // K·K·C·N/M (+N): C = N = 16, K = 3.
        for (m, expect) in [(1usize, 2304u64), (2, 1152), (4, 576), (8, 288), (16, 144)] {
            let s = GroupState {
                c: 16,
                n: 16,
                k: 3,
                m,
                bias: false,
                edit: None,
            };
            let cost = GroupModel::new(&s).unwrap().cost(8, 8).unwrap();
            assert_eq!(cost.grouped_weights, expect);
            assert_eq!(cost.grouped_params, expect);
            assert_eq!(cost.standard_params, 2304);
            assert!((cost.weight_ratio() - 1.0 / m as f64).abs() < 1e-12);
        }
        let s = GroupState {
            c: 16,
            n: 16,
            k: 3,
            m: 4,
            bias: true,
            edit: None,
        };
        let cost = GroupModel::new(&s).unwrap().cost(8, 8).unwrap();
        assert_eq!(cost.grouped_params, 576 + 16);
        assert_eq!(cost.grouped_macs, 576 * 64);
        let pts = params_by_groups(&s).unwrap();
        assert_eq!(pts.first(), Some(&(1, 2304 + 16)));
        assert_eq!(pts.last(), Some(&(16, 144 + 16)));
    }

    #[test]
    fn other_groups_stay_bit_identical() {
        let picture = Tensor::random(1, 10, 10, 5).unwrap();
        for (c, n, m) in [(8, 8, 2), (8, 12, 4), (6, 6, 6), (4, 8, 1)] {
            let s = GroupState {
                c,
                n,
                k: 3,
                m,
                bias: true,
                edit: None,
            };
            let model = GroupModel::new(&s).unwrap();
            let x = feature_input(&picture, c, 1).unwrap();
            for ch in 0..c {
                let edited = randomise_channel(&x, ch, EDIT_SEED).unwrap();
                let (_, _, iso) = isolation(&model.grouped, &x, &edited, ch).unwrap();
                assert_eq!(
                    iso.unchanged(),
                    (m - 1) * n / m,
                    "c={c} n={n} m={m} ch={ch}"
                );
                for change in &iso.changes {
                    assert_eq!(
                        change.identical,
                        s.out_group(change.channel) != s.in_group(ch)
                    );
                }
                let flipped = flip_cell(&x, ch, 4, 4).unwrap();
                let (_, _, iso) = isolation(&model.grouped, &x, &flipped, ch).unwrap();
                assert_eq!(iso.unchanged(), (m - 1) * n / m);
            }
        }
    }

    #[test]
    fn pictures_are_fitted() {
        let big = Tensor::random(3, 100, 50, 1).unwrap();
        let f = fit_picture(&big).unwrap();
        assert_eq!(f.shape(), [3, 20, 10]);
        let small = sample_picture().unwrap();
        assert_eq!(fit_picture(&small).unwrap(), small);
        let ones = Tensor::new(1, 48, 48, vec![1.0; 48 * 48]).unwrap();
        assert!(fit_picture(&ones).unwrap().data().iter().all(|&v| v == 1.0));
    }

    #[test]
    fn edits_out_of_range_are_errors() {
        let x = Tensor::random(2, 4, 4, 1).unwrap();
        assert!(randomise_channel(&x, 2, 0).is_err());
        assert!(flip_cell(&x, 0, 4, 0).is_err());
        assert!(compare_channels(&x, &Tensor::random(1, 4, 4, 1).unwrap()).is_err());
    }
}
