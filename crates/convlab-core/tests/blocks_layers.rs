//! The small layers against values worked out from PyTorch's definitions.

use convlab_core::blocks::{global_avg_pool, Activation, BatchNorm, Linear, PoolKind, PoolSpec};
use convlab_core::Tensor;

fn pool(kind: PoolKind, kernel: usize, stride: usize, padding: usize, ceil_mode: bool) -> PoolSpec {
    PoolSpec {
        kind,
        kernel,
        stride,
        padding,
        ceil_mode,
    }
}

#[test]
fn pool_output_sizes_match_pytorch() {
    // nn.MaxPool2d(3, 2, ceil_mode=True): 109 → 54, 54 → 27, 27 → 13 (SqueezeNet 1.0 at 224: 109, 54, 27, 13).
    let p = pool(PoolKind::Max, 3, 2, 0, true);
    assert_eq!(p.output_hw(109, 54).unwrap(), (54, 27));
    assert_eq!(p.output_hw(27, 27).unwrap(), (13, 13));
    // Floor mode: 54 → 26.
    assert_eq!(
        pool(PoolKind::Max, 3, 2, 0, false)
            .output_hw(54, 54)
            .unwrap(),
        (26, 26)
    );
    // Ceil mode never starts a window in the right padding: 5, k 2, s 2, p 1 → 3 (not 4).
    assert_eq!(
        pool(PoolKind::Max, 2, 2, 1, true).output_hw(5, 5).unwrap(),
        (3, 3)
    );
    // 3×3/2 pad 1 (ResNet, ShuffleNet): 112 → 56.
    assert_eq!(PoolSpec::default().output_hw(112, 112).unwrap(), (56, 56));
}

#[test]
fn avg_pool_counts_padding_like_pytorch() {
    // F.avg_pool2d(torch.ones(1,1,2,2), 3, 2, 1) = 4/9 (count_include_pad=True).
    let ones = Tensor::new(1, 2, 2, vec![1.0; 4]).unwrap();
    let y = pool(PoolKind::Avg, 3, 2, 1, false).forward(&ones).unwrap();
    assert_eq!(y.shape(), [1, 1, 1]);
    assert!((y.data()[0] - 4.0 / 9.0).abs() < 1e-6);
    // Ceil mode: a window hanging past the input (not the padding) divides by what it covers.
    let ones = Tensor::new(1, 5, 5, vec![1.0; 25]).unwrap();
    let y = pool(PoolKind::Avg, 2, 2, 0, true).forward(&ones).unwrap();
    assert_eq!(y.shape(), [1, 3, 3]);
    assert!(y.data().iter().all(|&v| (v - 1.0).abs() < 1e-6));
}

#[test]
fn max_pool_ignores_padding() {
    let x = Tensor::new(1, 2, 2, vec![-4.0, -3.0, -2.0, -1.0]).unwrap();
    let y = pool(PoolKind::Max, 3, 2, 1, false).forward(&x).unwrap();
    assert_eq!(y.data(), &[-1.0]);
}

#[test]
fn bad_pools_are_errors() {
    let x = Tensor::zeros(1, 2, 2).unwrap();
    assert!(pool(PoolKind::Max, 0, 1, 0, false).forward(&x).is_err());
    assert!(pool(PoolKind::Max, 2, 0, 0, false).forward(&x).is_err());
    assert!(pool(PoolKind::Max, 5, 1, 0, false).forward(&x).is_err());
    assert!(pool(PoolKind::Avg, 3, 1, 2, false).forward(&x).is_err());
    assert!(pool(PoolKind::Avg, 3, 1, 1, false)
        .output_hw(usize::MAX, 3)
        .is_err());
}

#[test]
fn activations() {
    use Activation::*;
    assert_eq!(ReLU.apply(-2.0), 0.0);
    assert_eq!(ReLU6.apply(6.5), 6.0);
    assert_eq!(ReLU6.apply(-1.0), 0.0);
    assert_eq!(HSwish.apply(-3.0), 0.0);
    assert!((HSwish.apply(1.0) - 4.0 / 6.0).abs() < 1e-7);
    assert_eq!(Sigmoid.apply(0.0), 0.5);
    assert_eq!(HSigmoid.apply(3.0), 1.0);
    let t = Tensor::new(1, 1, 3, vec![-1.0, 0.5, 9.0]).unwrap();
    assert_eq!(ReLU6.forward(&t).unwrap().data(), &[0.0, 0.5, 6.0]);
}

#[test]
fn batchnorm_is_an_affine_map_per_channel() {
    let bn = BatchNorm::random(3, 7).unwrap();
    assert_eq!(bn.param_count(), 6);
    let x = Tensor::random(3, 4, 4, 1).unwrap();
    let zero = bn.forward(&Tensor::zeros(3, 4, 4).unwrap()).unwrap();
    let y = bn.forward(&x).unwrap();
    let y2 = bn.forward(&x.map(|v| 2.0 * v).unwrap()).unwrap();
    // bn(2x) − bn(x) = bn(x) − bn(0)
    for i in 0..x.len() {
        let l = y2.data()[i] - y.data()[i];
        let r = y.data()[i] - zero.data()[i];
        assert!((l - r).abs() < 1e-5);
    }
    assert!(bn.forward(&Tensor::zeros(2, 4, 4).unwrap()).is_err());
    assert!(BatchNorm::random(0, 1).is_err());
}

#[test]
fn linear_and_global_pool() {
    let fc = Linear::random(12, 5, true, 3).unwrap();
    assert_eq!(fc.param_count(), 65);
    let x = Tensor::random(3, 2, 2, 4).unwrap();
    assert_eq!(fc.forward(&x).unwrap().shape(), [5, 1, 1]);
    assert!(fc.forward(&Tensor::zeros(1, 2, 2).unwrap()).is_err());
    assert!(Linear::random(0, 5, true, 0).is_err());
    assert!(Linear::random(1 << 20, 1 << 10, true, 0).is_err());
    let g =
        global_avg_pool(&Tensor::from_fn(2, 2, 2, |c, y, x| (c * 10 + y * 2 + x) as f32).unwrap());
    assert_eq!(g.data(), &[1.5, 11.5]);
}
