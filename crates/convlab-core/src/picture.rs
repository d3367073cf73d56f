//! What the picture lessons do to their input before and around a kernel: fit
//! a picture to a size the figures can show, turn it into C feature maps with a
//! fixed stem, edit one channel or one cell, and compare two outputs channel by
//! channel, bit for bit (the "groups do not communicate" proof).

use crate::conv::{Conv2d, Conv2dSpec};
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// `picture` averaged down by the smallest integer factor `f` that makes both
/// sides at most `max_side`: each output cell is the mean of an `f × f` block
/// (the last blocks may be smaller). Unchanged when it already fits.
///
/// ```
/// use convlab_core::{picture::average_down, Tensor};
/// let big = Tensor::random(3, 100, 50, 1).unwrap();
/// assert_eq!(average_down(&big, 24).unwrap().shape(), [3, 20, 10]);
/// ```
///
/// # Errors
/// The tensor constructor's error (not expected for a valid tensor).
pub fn average_down(picture: &Tensor, max_side: usize) -> Result<Tensor> {
    let [c, h, w] = picture.shape();
    let f = h.max(w).div_ceil(max_side.max(1)).max(1);
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

/// The first `max` channels of `t` (all of them when there are fewer).
///
/// # Errors
/// The tensor's error (not expected: the range is always inside).
pub fn first_channels(t: &Tensor, max: usize) -> Result<Tensor> {
    if t.channels() <= max {
        Ok(t.clone())
    } else {
        t.channels_range(0..max)
    }
}

/// `channels` feature maps made from `picture` by a fixed seeded 3×3 conv
/// without bias ("same" padding), scaled so the largest magnitude is 1: every
/// map shows the picture's structure, seen through a different filter.
///
/// # Errors
/// The kernel's message (e.g. zero channels).
pub fn feature_maps(picture: &Tensor, channels: usize, seed: u64) -> Result<Tensor> {
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

/// `x` with channel `channel` replaced by seeded random values in [−1, 1).
///
/// # Errors
/// `OutOfRange` for a channel past the input's channels.
pub fn randomise_channel(x: &Tensor, channel: usize, seed: u64) -> Result<Tensor> {
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

/// `x` with one cell changed: `v → 1 − v` (a visible flip for values in [0, 1]),
/// or `v + 1` where `1 − v` would be (nearly) `v` itself.
///
/// # Errors
/// `OutOfRange` for a cell outside the input.
pub fn flip_cell(x: &Tensor, channel: usize, y: usize, xx: usize) -> Result<Tensor> {
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

/// How one output channel changed between two runs of a kernel.
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
pub fn compare_channels(before: &Tensor, after: &Tensor) -> Result<Vec<ChannelChange>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_averaged_down_by_whole_blocks() {
        let big = Tensor::random(3, 100, 50, 1).unwrap();
        assert_eq!(average_down(&big, 24).unwrap().shape(), [3, 20, 10]);
        let small = Tensor::random(1, 16, 16, 2).unwrap();
        assert_eq!(average_down(&small, 24).unwrap(), small);
        let ones = Tensor::new(1, 48, 48, vec![1.0; 48 * 48]).unwrap();
        assert!(average_down(&ones, 24)
            .unwrap()
            .data()
            .iter()
            .all(|&v| v == 1.0));
        // 5×5 → factor 2: the last row and column average their one or two cells.
        let ramp = Tensor::from_fn(1, 5, 5, |_, y, x| (y * 5 + x) as f32).unwrap();
        let d = average_down(&ramp, 3).unwrap();
        assert_eq!(d.shape(), [1, 3, 3]);
        assert_eq!(d.get(0, 0, 0), Some((0.0 + 1.0 + 5.0 + 6.0) / 4.0));
        assert_eq!(d.get(0, 2, 2), Some(24.0));
        assert_eq!(d.get(0, 2, 0), Some((20.0 + 21.0) / 2.0));
    }

    #[test]
    fn feature_maps_are_scaled_to_one() {
        let p = Tensor::random(1, 10, 10, 5).unwrap();
        let f = feature_maps(&p, 6, 29).unwrap();
        assert_eq!(f.shape(), [6, 10, 10]);
        assert!((f.max_abs() - 1.0).abs() < 1e-6);
        let zero = Tensor::zeros(1, 4, 4).unwrap();
        assert_eq!(feature_maps(&zero, 2, 1).unwrap().max_abs(), 0.0);
        assert_eq!(first_channels(&f, 4).unwrap().channels(), 4);
        assert_eq!(first_channels(&f, 40).unwrap(), f);
    }

    #[test]
    fn edits_change_only_what_they_say() {
        let x = Tensor::random(3, 4, 4, 1).unwrap();
        let r = randomise_channel(&x, 1, 9).unwrap();
        let ch = compare_channels(&x, &r).unwrap();
        assert!(ch[0].identical && !ch[1].identical && ch[2].identical);
        let f = flip_cell(&x, 2, 3, 1).unwrap();
        let diff: Vec<usize> = x
            .data()
            .iter()
            .zip(f.data())
            .enumerate()
            .filter(|(_, (a, b))| a.to_bits() != b.to_bits())
            .map(|(i, _)| i)
            .collect();
        assert_eq!(diff, vec![(2 * 4 + 3) * 4 + 1]);
        let half = Tensor::new(1, 1, 1, vec![0.5]).unwrap();
        assert_eq!(flip_cell(&half, 0, 0, 0).unwrap().get(0, 0, 0), Some(1.5));
    }

    #[test]
    fn edits_out_of_range_are_errors() {
        let x = Tensor::random(2, 4, 4, 1).unwrap();
        assert!(randomise_channel(&x, 2, 0).is_err());
        assert!(flip_cell(&x, 0, 4, 0).is_err());
        assert!(compare_channels(&x, &Tensor::random(1, 4, 4, 1).unwrap()).is_err());
    }
}
