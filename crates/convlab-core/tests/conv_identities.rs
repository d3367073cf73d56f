//! Algebraic identities of convolution, as properties over random specs:
//! grouped = split · conv · concat; depthwise then pointwise = one composed
//! conv; dilated = zero-inserted kernel; D4 equivariance; parameter and
//! multiply–add counts agree with what is allocated and traced.

use convlab_core::{Conv2d, Conv2dSpec, Tensor, D4};
use proptest::prelude::*;

fn close(a: &Tensor, b: &Tensor, what: &str) {
    assert_eq!(a.shape(), b.shape(), "{what}: shapes");
    let scale = a.max_abs().max(b.max_abs()).max(1.0);
    let diff = a.max_abs_diff(b).unwrap();
    assert!(
        diff <= 1e-4 * scale,
        "{what}: max difference {diff} (scale {scale})"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A grouped conv is `g` independent convs on channel slices, concatenated.
    #[test]
    fn grouped_is_split_conv_concat(
        ipg in 1usize..=4, opg in 1usize..=4, groups in 1usize..=4,
        k in 1usize..=3, s in 1usize..=2, d in 1usize..=2, p in 0usize..=2,
        bias in any::<bool>(), h in 4usize..=11, w in 4usize..=11, seed in any::<u64>(),
    ) {
        let spec = Conv2dSpec {
            in_channels: ipg * groups, out_channels: opg * groups, kernel: (k, k),
            stride: (s, s), padding: (p, p), dilation: (d, d), groups, bias,
        };
        prop_assume!(spec.output_hw(h, w).is_ok());
        let conv = Conv2d::random(spec, seed).unwrap();
        let x = Tensor::random(spec.in_channels, h, w, !seed).unwrap();
        let per = opg * ipg * k * k;
        let parts: Vec<Tensor> = (0..groups).map(|g| {
            let sub_spec = Conv2dSpec { in_channels: ipg, out_channels: opg, groups: 1, ..spec };
            let weight = conv.weight()[g * per..(g + 1) * per].to_vec();
            let b = conv.bias().map(|b| b[g * opg..(g + 1) * opg].to_vec());
            let sub = Conv2d::new(sub_spec, weight, b).unwrap();
            sub.forward(&x.channels_range(g * ipg..(g + 1) * ipg).unwrap()).unwrap()
        }).collect();
        let refs: Vec<&Tensor> = parts.iter().collect();
        close(&conv.forward(&x).unwrap(), &Tensor::concat_channels(&refs).unwrap(), "grouped");
    }

    /// Depthwise (multiplier m) then pointwise equals one standard conv with
    /// W[o, c, ky, kx] = Σ_j P[o, c·m + j] · D[c·m + j, ky, kx] and bias
    /// b[o] = b_P[o] + Σ_q P[o, q] · b_D[q].
    #[test]
    fn depthwise_then_pointwise_is_separable(
        c in 1usize..=4, m in 1usize..=2, n in 1usize..=5, k in 1usize..=3, d in 1usize..=2,
        s in 1usize..=2, bias in any::<bool>(), h in 5usize..=10, w in 5usize..=10, seed in any::<u64>(),
    ) {
        let dw_spec = Conv2dSpec { stride: (s, s), ..Conv2dSpec::depthwise(c, m, 2 * k - 1).with_dilation(d).with_bias(bias) };
        let pw_spec = Conv2dSpec::pointwise(c * m, n).with_bias(bias);
        prop_assume!(dw_spec.output_hw(h, w).is_ok());
        let dw = Conv2d::random(dw_spec, seed).unwrap();
        let pw = Conv2d::random(pw_spec, seed.wrapping_add(1)).unwrap();
        let kk = (2 * k - 1) * (2 * k - 1);
        let mut weight = vec![0.0f32; n * c * kk];
        let mut b = vec![0.0f32; n];
        for o in 0..n {
            for q in 0..c * m {
                let p = pw.weight()[o * c * m + q];
                for t in 0..kk {
                    weight[(o * c + q / m) * kk + t] += p * dw.weight()[q * kk + t];
                }
                if let Some(bd) = dw.bias() { b[o] += p * bd[q]; }
            }
            if let Some(bp) = pw.bias() { b[o] += bp[o]; }
        }
        let full_spec = Conv2dSpec { in_channels: c, out_channels: n, groups: 1, ..dw_spec };
        let full = Conv2d::new(full_spec, weight, bias.then_some(b)).unwrap();
        let x = Tensor::random(c, h, w, seed ^ 3).unwrap();
        let two = pw.forward(&dw.forward(&x).unwrap()).unwrap();
        close(&two, &full.forward(&x).unwrap(), "separable");
    }

    /// Dilation d equals an undilated conv whose kernel has d − 1 zeros between taps.
    #[test]
    fn dilated_is_zero_inserted_kernel(
        ci in 1usize..=3, co in 1usize..=3, kh in 1usize..=3, kw in 1usize..=3,
        dh in 1usize..=3, dw in 1usize..=3, s in 1usize..=2, p in 0usize..=3,
        bias in any::<bool>(), h in 3usize..=12, w in 3usize..=12, seed in any::<u64>(),
    ) {
        let spec = Conv2dSpec {
            in_channels: ci, out_channels: co, kernel: (kh, kw), stride: (s, s), padding: (p, p),
            dilation: (dh, dw), groups: 1, bias,
        };
        prop_assume!(spec.output_hw(h, w).is_ok());
        let conv = Conv2d::random(spec, seed).unwrap();
        let (eh, ew) = spec.effective_kernel();
        let dense = Conv2d::new(
            Conv2dSpec { kernel: (eh, ew), dilation: (1, 1), ..spec },
            {
                let mut wt = vec![0.0; co * ci * eh * ew];
                for o in 0..co { for i in 0..ci { for ky in 0..kh { for kx in 0..kw {
                    wt[((o * ci + i) * eh + ky * dh) * ew + kx * dw] =
                        conv.weight_at(o, i, ky, kx).unwrap();
                }}}}
                wt
            },
            conv.bias().map(<[f32]>::to_vec),
        ).unwrap();
        let x = Tensor::random(ci, h, w, seed ^ 9).unwrap();
        close(&conv.forward(&x).unwrap(), &dense.forward(&x).unwrap(), "dilated");
    }

    /// conv(g·x, g·w) = g·conv(x, w) for all 8 elements of D4 ("same" padding, stride 1),
    /// non-square kernels, dilations and inputs included.
    #[test]
    fn d4_equivariance(
        ci in 1usize..=3, co in 1usize..=3, groups in 1usize..=2, kh in 0usize..=2, kw in 0usize..=2,
        dh in 1usize..=2, dw in 1usize..=2, bias in any::<bool>(),
        h in 5usize..=11, w in 5usize..=11, seed in any::<u64>(),
    ) {
        let (kh, kw) = (2 * kh + 1, 2 * kw + 1);
        let spec = Conv2dSpec {
            in_channels: ci * groups, out_channels: co * groups, kernel: (kh, kw),
            padding: ((kh - 1) / 2 * dh, (kw - 1) / 2 * dw), dilation: (dh, dw), groups, bias,
            ..Default::default()
        };
        prop_assume!(spec.output_hw(h, w).is_ok());
        let conv = Conv2d::random(spec, seed).unwrap();
        let x = Tensor::random(spec.in_channels, h, w, seed ^ 11).unwrap();
        let y = conv.forward(&x).unwrap();
        for g in D4::ALL {
            let lhs = conv.transformed(g).forward(&x.transform(g)).unwrap();
            close(&lhs, &y.transform(g), &g.label());
        }
    }

    /// Parameters = weights actually allocated = spec formula; traces agree with
    /// forward at random cells; multiply–adds = all trace terms over all cells.
    #[test]
    fn counts_and_traces(
        ipg in 1usize..=3, opg in 1usize..=3, groups in 1usize..=3,
        kh in 1usize..=3, kw in 1usize..=3, s in 1usize..=2, d in 1usize..=2, p in 0usize..=2,
        bias in any::<bool>(), h in 3usize..=8, w in 3usize..=8, seed in any::<u64>(),
        cells in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<usize>()), 1..8),
    ) {
        let spec = Conv2dSpec {
            in_channels: ipg * groups, out_channels: opg * groups, kernel: (kh, kw),
            stride: (s, s), padding: (p, p), dilation: (d, d), groups, bias,
        };
        prop_assume!(spec.output_hw(h, w).is_ok());
        let conv = Conv2d::random(spec, seed).unwrap();
        let formula = (opg * groups * ipg * kh * kw + if bias { opg * groups } else { 0 }) as u64;
        let allocated = conv.weight().len() + conv.bias().map_or(0, <[f32]>::len);
        prop_assert_eq!(conv.param_count(), formula);
        prop_assert_eq!(allocated as u64, formula);
        prop_assert_eq!(spec.param_count(), formula);

        let x = Tensor::random(spec.in_channels, h, w, seed ^ 5).unwrap();
        let y = conv.forward(&x).unwrap();
        let [oc, oh, ow] = y.shape();
        for (o, yy, xx) in cells {
            let (o, yy, xx) = (o % oc, yy % oh, xx % ow);
            let t = conv.trace(&x, o, yy, xx).unwrap();
            let f = y.get(o, yy, xx).unwrap();
            let scale = t.terms.iter().map(|t| (t.input * t.weight).abs()).sum::<f32>().max(1.0);
            prop_assert!((t.output - f).abs() <= 1e-4 * scale, "trace {} vs forward {}", t.output, f);
            let sum: f32 = t.terms.iter().map(|t| t.input * t.weight).sum::<f32>() + t.bias;
            prop_assert!((sum - t.output).abs() <= 1e-4 * scale);
        }
        let mut terms = 0u64;
        for o in 0..oc { for yy in 0..oh { for xx in 0..ow {
            terms += conv.trace(&x, o, yy, xx).unwrap().terms.len() as u64;
        }}}
        prop_assert_eq!(conv.macs(h, w).unwrap(), terms);
    }
}
