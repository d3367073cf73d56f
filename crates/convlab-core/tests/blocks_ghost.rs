//! The Ghost bottleneck's Ghost modules are the op `ops::ghost::GhostModule`
//! with GhostNet's BatchNorm/ReLU around it.

use convlab_core::blocks::{GhostBottleneck, GhostBottleneckSpec};
use convlab_core::ops::ghost::{GhostModule, GhostSpec};
use convlab_core::{Convention, Tensor};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Under the lecture convention (bias, no BN) the linear ghost2 computes
    /// exactly the op's Ghost module with the same weights, and has its param count.
    #[test]
    fn linear_ghost_module_is_the_op(c in 1usize..10, hidden in 1usize..12, out in 1usize..12,
                                     ratio in 2usize..5, d in prop_oneof![Just(1usize), Just(3), Just(5)],
                                     hw in 1usize..6, seed in any::<u64>()) {
        let spec = GhostBottleneckSpec {
            in_channels: c, hidden, out_channels: out, kernel: 3, stride: 1, se: false, ratio, cheap_kernel: d,
        };
        let b = GhostBottleneck::random(spec, Convention::LECTURE, seed).unwrap();
        let convs = b.net().convs();
        let find = |n: &str| convs.iter().find(|(name, _)| name.starts_with(n)).map(|(_, c)| (*c).clone()).unwrap();
        let op_spec = GhostSpec { in_channels: hidden, out_channels: out, kernel: 1, ratio, dw_kernel: d, stride: 1, bias: true };
        let op = GhostModule::new(op_spec, find("ghost2 primary"), Some(find("ghost2 cheap"))).unwrap();
        let x = Tensor::random(c, hw, hw, seed ^ 1).unwrap();
        let maps = b.forward_named(&x).unwrap();
        let get = |n: &str| maps.iter().find(|(name, _)| name == n).map(|(_, t)| t.clone());
        // ghost2 reads ghost1's output (its trimmed map if trimmed, else its concat).
        let ghost1 = get(&format!("ghost1 keep {hidden}")).or_else(|| get("ghost1 concat")).unwrap();
        let ghost2 = get(&format!("ghost2 keep {out}")).or_else(|| get("ghost2 concat")).unwrap();
        let want = op.forward(&ghost1).unwrap();
        prop_assert!(ghost2.max_abs_diff(&want).unwrap() < 1e-5);
        let table = spec.layers([c, hw, hw], Convention::LECTURE).unwrap();
        let ghost2_params: u64 = table.iter().filter(|l| l.name.starts_with("ghost2")).map(|l| l.params).sum();
        prop_assert_eq!(ghost2_params, op.param_count());
        prop_assert_eq!(ghost2_params, op_spec.param_count());
    }
}

#[test]
fn ghostnet_first_bottleneck_layers() {
    // GhostNet's g-bneck 1: 16 → 16 → 16, stride 1, identity shortcut (torchvision-style counting).
    let spec = GhostBottleneckSpec::new(16, 16, 16, 3, 1, false);
    let l = spec
        .layers([16, 112, 112], Convention::TORCHVISION)
        .unwrap();
    let names: Vec<&str> = l.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "ghost1 primary 1×1",
            "ghost1 primary 1×1 BN",
            "ghost1 primary 1×1 ReLU",
            "ghost1 cheap dw 3×3",
            "ghost1 cheap dw 3×3 BN",
            "ghost1 cheap dw 3×3 ReLU",
            "ghost1 concat",
            "ghost2 primary 1×1",
            "ghost2 primary 1×1 BN",
            "ghost2 cheap dw 3×3",
            "ghost2 cheap dw 3×3 BN",
            "ghost2 concat",
            "residual add",
        ]
    );
    // 2 × (16·8 + 16 + 9·8 + 16)
    assert_eq!(
        l.iter().map(|l| l.params).sum::<u64>(),
        2 * (128 + 16 + 72 + 16)
    );
}

#[test]
fn se_gate_scales_each_channel() {
    let spec = GhostBottleneckSpec::new(8, 24, 8, 5, 2, true);
    let l = spec.layers([8, 14, 14], Convention::TORCHVISION).unwrap();
    let reduce = l.iter().find(|l| l.name == "SE reduce 1×1").unwrap();
    // make_divisible(24 / 4, 4) = 8, with bias
    assert_eq!(reduce.params, 24 * 8 + 8);
    assert_eq!(reduce.input, [24, 1, 1]);
    let b = GhostBottleneck::random(spec, Convention::TORCHVISION, 9).unwrap();
    let maps = b
        .forward_named(&Tensor::random(8, 14, 14, 1).unwrap())
        .unwrap();
    let gate = &maps.iter().find(|(n, _)| n == "SE h-sigmoid").unwrap().1;
    assert!(gate.data().iter().all(|&g| (0.0..=1.0).contains(&g)));
    assert_eq!(maps.last().unwrap().1.shape(), [8, 7, 7]);
}
