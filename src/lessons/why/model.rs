//! What lesson 1 computes from its state, with no web dependency: the real
//! `Conv2d` built from the sliders, its input, the animation frames, the dense
//! comparison and the plot series. The state itself is in [`super::state`].

use convlab_core::{Conv2d, Conv2dSpec, Error, Tensor, D4};

use super::state::{Weights, WhyState};

/// Largest channel count on the plot's x axis.
pub const PLOT_MAX_C: usize = 64;

impl WhyState {
    /// The layer's shape.
    pub fn spec(&self) -> Conv2dSpec {
        Conv2dSpec {
            in_channels: self.c,
            out_channels: self.d,
            kernel: (self.k, self.k),
            stride: (self.s, self.s),
            padding: (self.p, self.p),
            dilation: (1, 1),
            groups: 1,
            bias: self.bias,
        }
    }

    /// The real layer, its weights filled as chosen.
    ///
    /// # Errors
    /// Spec errors from the kernel crate.
    pub fn conv(&self) -> Result<Conv2d, Error> {
        match self.weights {
            Weights::Random => Conv2d::random(self.spec(), 7),
            Weights::Edges => {
                let k = self.k;
                let c = self.c as f32;
                let centre = (k as f32 - 1.0) / 2.0;
                Conv2d::from_fn(self.spec(), move |o, i, ky, kx| {
                    let (y, x) = (ky as f32 - centre, kx as f32 - centre);
                    let w = match o % 4 {
                        0 => x.signum(),           // vertical edges
                        1 => y.signum(),           // horizontal edges
                        2 => 1.0 / (k * k) as f32, // blur
                        _ => (x - y).signum(),     // diagonal edges
                    };
                    // Alternate the sign per channel and filter so channels differ.
                    let flip = if (i + o / 4) % 2 == 1 { -1.0 } else { 1.0 };
                    flip * w / c
                })
            }
        }
    }

    /// Output `[D, M', N']` (PyTorch's floor formula).
    ///
    /// # Errors
    /// When the kernel does not fit the padded input.
    pub fn output_shape(&self) -> Result<[usize; 3], Error> {
        let (oh, ow) = self.spec().output_hw(self.m, self.n)?;
        Ok([self.d, oh, ow])
    }

    /// Animation frames: one per output cell.
    ///
    /// # Errors
    /// As [`WhyState::output_shape`].
    pub fn frames(&self) -> Result<usize, Error> {
        let [d, oh, ow] = self.output_shape()?;
        Ok((d * oh * ow).max(1))
    }

    /// The C-channel `M×N` input made from a picked sample: channel `i` is
    /// sample channel `i mod c₀` seen under the `⌊i / c₀⌋`-th rotation/flip,
    /// resampled (nearest) to `M×N`, so every channel is the picture, each a little different.
    ///
    /// # Errors
    /// Sizes past the kernel crate's limits.
    pub fn input(&self, sample: &Tensor) -> Result<Tensor, Error> {
        make_input(sample, self.c, self.m, self.n)
    }
}

/// See [`WhyState::input`].
///
/// # Errors
/// Sizes past the kernel crate's limits.
pub fn make_input(sample: &Tensor, c: usize, h: usize, w: usize) -> Result<Tensor, Error> {
    let c0 = sample.channels().max(1);
    let views: Vec<Tensor> = (0..c.div_ceil(c0).min(8))
        .map(|g| sample.transform(D4::ALL[g % 8]))
        .collect();
    Tensor::from_fn(c, h, w, |ch, y, x| {
        let Some(v) = views.get((ch / c0) % views.len().max(1)) else {
            return 0.0;
        };
        let sy = (y * v.height()).checked_div(h).unwrap_or(0);
        let sx = (x * v.width()).checked_div(w).unwrap_or(0);
        v.get(ch % c0, sy, sx).unwrap_or(0.0)
    })
}

/// Where frame `t` is: output channel, row, column (row-major per channel).
pub fn frame_cell(t: usize, shape: [usize; 3]) -> (usize, usize, usize) {
    let [d, oh, ow] = shape;
    let per = (oh * ow).max(1);
    let t = t.min((d * per).max(1) - 1);
    (t / per, (t % per) / ow.max(1), t % ow.max(1))
}

/// What the animation has reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Only the first output pixel.
    OnePixel,
    /// Within the first output channel.
    OneChannel,
    /// Into the other filters.
    WholeMap,
}

/// The stage of frame `t`.
pub fn stage(t: usize, shape: [usize; 3]) -> Stage {
    let per = shape[1] * shape[2];
    if t == 0 {
        Stage::OnePixel
    } else if t < per {
        Stage::OneChannel
    } else {
        Stage::WholeMap
    }
}

/// The 1-D comparison, both counted by real layers of the kernel crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OneD {
    /// Dense N→N weights (a 1×1 conv over N channels of one pixel).
    pub dense_weights: u64,
    /// Dense multiply–adds.
    pub dense_macs: u64,
    /// Conv weights (K, shared along the signal).
    pub conv_weights: u64,
    /// Conv multiply–adds (outputs × K, with "same" zero padding).
    pub conv_macs: u64,
    /// Conv outputs.
    pub conv_outputs: usize,
    /// Padding on each side.
    pub pad: usize,
}

/// Dense vs conv on a 1-D signal of length `len`, kernel `k`, zero padding ⌊(K−1)/2⌋, no bias.
///
/// # Errors
/// Spec errors from the kernel crate (a kernel longer than the padded signal).
pub fn one_d(len: usize, k: usize) -> Result<OneD, Error> {
    let dense = Conv2d::from_fn(
        Conv2dSpec {
            in_channels: len,
            out_channels: len,
            kernel: (1, 1),
            bias: false,
            ..Default::default()
        },
        |o, i, _, _| if o == i { 1.0 } else { 0.0 },
    )?;
    let pad = (k.max(1) - 1) / 2;
    let conv = Conv2d::from_fn(
        Conv2dSpec {
            in_channels: 1,
            out_channels: 1,
            kernel: (1, k),
            padding: (0, pad),
            bias: false,
            ..Default::default()
        },
        |_, _, _, _| 1.0,
    )?;
    let [_, _, outputs] = conv.output_shape(1, len)?;
    Ok(OneD {
        dense_weights: dense.param_count(),
        dense_macs: dense.macs(1, 1)?,
        conv_weights: conv.param_count(),
        conv_macs: conv.macs(1, len)?,
        conv_outputs: outputs,
        pad,
    })
}

/// Parameters of a fully connected layer from the flattened `M×N×C` input to the
/// flattened output of the same size as the conv's `M'×N'×D` (with bias if `bias`).
pub fn dense_params(inputs: u64, outputs: u64, bias: bool) -> u128 {
    inputs as u128 * outputs as u128 + if bias { outputs as u128 } else { 0 }
}

/// One point of the params-vs-C plot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotPoint {
    /// Input channels.
    pub c: usize,
    /// Dense layer parameters.
    pub dense: f64,
    /// Conv layer parameters (from the spec's own count).
    pub conv: f64,
}

/// Params of the dense and the conv layer for C = 1 … [`PLOT_MAX_C`] (and the
/// current C), the other sizes as in `st`.
///
/// # Errors
/// When the kernel does not fit the padded input.
pub fn plot_series(st: &WhyState) -> Result<Vec<PlotPoint>, Error> {
    let [d, oh, ow] = st.output_shape()?;
    let mut cs: Vec<usize> = (1..=PLOT_MAX_C).collect();
    if !cs.contains(&st.c) {
        cs.push(st.c);
        cs.sort_unstable();
    }
    Ok(cs
        .into_iter()
        .map(|c| {
            let spec = Conv2dSpec {
                in_channels: c,
                ..st.spec()
            };
            PlotPoint {
                c,
                dense: dense_params((st.m * st.n * c) as u64, (d * oh * ow) as u64, st.bias) as f64,
                conv: spec.param_count() as f64,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::why::state::{LEN_RANGE, MAX_K};
    use crate::route::Query;

    #[test]
    fn padding_defaults_to_same() {
        let (st, _) = WhyState::read(&Query::parse("K=5"));
        assert_eq!(st.p, 2);
        assert_eq!(st.output_shape().unwrap(), [4, 8, 8]);
    }

    #[test]
    fn the_real_layer_counts_match_the_lecture_formula() {
        // Lecture: params K·K·C·D (+D bias), MACs K·K·C·(M/s)·(N/s)·D.
        for (k, c, d, s, m) in [
            (3, 3, 4, 1, 8),
            (5, 16, 16, 2, 32),
            (1, 7, 3, 1, 5),
            (7, 2, 9, 4, 32),
        ] {
            let st = WhyState {
                k,
                c,
                d,
                s,
                m,
                n: m,
                p: (k - 1) / 2,
                ..Default::default()
            };
            let conv = st.conv().unwrap();
            assert_eq!(conv.param_count(), (k * k * c * d + d) as u64);
            let [dd, oh, ow] = conv.output_shape(m, m).unwrap();
            assert_eq!(dd, d);
            assert_eq!(conv.macs(m, m).unwrap(), (k * k * c * oh * ow * d) as u64);
            if m % s == 0 && k % 2 == 1 {
                assert_eq!((oh, ow), (m / s, m / s), "same padding and s | M gives M/s");
            }
        }
        // Where M/s is not a whole number, PyTorch floors: 7 with s=2, K=3, p=1 gives 4, not 3.5.
        let st = WhyState {
            m: 7,
            n: 7,
            s: 2,
            ..Default::default()
        };
        assert_eq!(st.output_shape().unwrap(), [4, 4, 4]);
    }

    #[test]
    fn forward_matches_trace_on_every_frame() {
        let st = WhyState {
            m: 6,
            n: 5,
            c: 2,
            d: 3,
            s: 2,
            ..Default::default()
        };
        let conv = st.conv().unwrap();
        let x = st.input(&Tensor::random(1, 9, 9, 3).unwrap()).unwrap();
        let y = conv.forward(&x).unwrap();
        let shape = y.shape();
        for t in 0..st.frames().unwrap() {
            let (o, r, c) = frame_cell(t, shape);
            let tr = conv.trace(&x, o, r, c).unwrap();
            assert!((tr.output - y.get(o, r, c).unwrap()).abs() < 1e-5);
        }
        assert_eq!(frame_cell(0, shape), (0, 0, 0));
        assert_eq!(frame_cell(shape[1] * shape[2], shape), (1, 0, 0));
        assert_eq!(stage(0, shape), Stage::OnePixel);
        assert_eq!(stage(1, shape), Stage::OneChannel);
        assert_eq!(stage(shape[1] * shape[2], shape), Stage::WholeMap);
    }

    #[test]
    fn input_channels_are_views_of_the_sample() {
        let sample = Tensor::from_fn(1, 4, 4, |_, y, x| (y * 4 + x) as f32).unwrap();
        let x = make_input(&sample, 3, 8, 8).unwrap();
        assert_eq!(x.shape(), [3, 8, 8]);
        assert_eq!(x.get(0, 2, 6), sample.get(0, 1, 3));
        assert_ne!(x.channel(0), x.channel(1));
        assert!(make_input(&sample, 16, 1, 1).is_ok());
    }

    #[test]
    fn one_d_counts() {
        let o = one_d(8, 3).unwrap();
        assert_eq!((o.dense_weights, o.dense_macs), (64, 64));
        assert_eq!((o.conv_weights, o.conv_macs, o.conv_outputs), (3, 24, 8));
        // Even K with padding ⌊(K−1)/2⌋ loses one output, as in PyTorch.
        let o = one_d(8, 4).unwrap();
        assert_eq!((o.conv_outputs, o.conv_macs), (7, 28));
        // The slider extremes (shortest signal, longest kernel) are a valid layer:
        // padding 3 on each side makes 9 samples, so all 3 outputs exist (PyTorch agrees).
        let o = one_d(LEN_RANGE.0, MAX_K).unwrap();
        assert_eq!((o.pad, o.conv_outputs, o.conv_macs), (3, 3, 21));
        // A kernel longer than the padded signal is the kernel crate's error, not a panic:
        // length 1, K = 4 pads to 3 samples.
        assert!(one_d(1, 4).is_err());
        assert!(one_d(8, 0).is_err());
    }

    #[test]
    fn plot_series_grows_as_expected() {
        let st = WhyState {
            c: 3,
            ..Default::default()
        };
        let s = plot_series(&st).unwrap();
        assert!(s.iter().any(|p| p.c == 3));
        for p in &s {
            assert_eq!(p.conv as u64, (9 * p.c * 4 + 4) as u64);
            assert!(p.dense > p.conv);
        }
        assert_eq!(s.last().map(|p| p.c), Some(PLOT_MAX_C));
    }
}
