//! What the ShuffleNet lesson computes with the kernel crate: the order its
//! `channel_shuffle` puts channels in, and the reachability of stacked
//! group-conv units with and without the shuffle. The unit itself runs in
//! `blockdiagram.rs`'s [`BlockRun`](crate::lessons::blockdiagram::BlockRun).

use convlab_core::ops::shuffle::reachability;
use convlab_core::{channel_shuffle, Tensor};

use super::draw::ReachPanel;

/// Stacked units in the reachability figure.
pub const UNITS: [usize; 3] = [1, 2, 3];

/// The order the kernel's `channel_shuffle` puts `n` channels in (channel
/// `c` of the input holds the value `c`; the output is read back).
///
/// # Errors
/// The kernel crate's message (g not dividing n).
pub fn kernel_order(n: usize, g: usize) -> Result<Vec<usize>, String> {
    let x = Tensor::from_fn(n, 1, 1, |c, _, _| c as f32).map_err(|e| e.to_string())?;
    let y = channel_shuffle(&x, g).map_err(|e| e.to_string())?;
    Ok(y.data().iter().map(|&v| v as usize).collect())
}

/// The six reachability matrices: 1, 2, 3 units, without then with the shuffle.
///
/// # Errors
/// The kernel crate's message.
pub fn reach_panels(n: usize, g: usize) -> Result<Vec<ReachPanel>, String> {
    let mut out = Vec::new();
    for with in [false, true] {
        for u in UNITS {
            out.push(ReachPanel {
                title: format!(
                    "{u} unit{}, {}",
                    if u == 1 { "" } else { "s" },
                    if with { "with shuffle" } else { "no shuffle" }
                ),
                reach: reachability(n, g, u, with).map_err(|e| e.to_string())?,
            });
        }
    }
    Ok(out)
}

/// Channel numbers separated by spaces (`0 3 1 4 2 5`).
pub fn list(v: &[usize]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::blockdiagram::{sig2, BlockRun};
    use crate::lessons::shufflenet::animator::{frame_count, shown_order};
    use crate::lessons::shufflenet::state::{snap_channels, ShuffleState, G_RANGE, N_RANGE};
    use convlab_core::ops::shuffle::ShuffleStages;

    #[test]
    fn every_g_in_range_computes_the_figures() {
        for g in G_RANGE.0..=G_RANGE.1 {
            for n in [N_RANGE.0, 7, 12, N_RANGE.1] {
                let n = snap_channels(n, g);
                assert_eq!(n % g, 0);
                assert!(ShuffleStages::new(n, g).is_ok());
                assert!(reach_panels(n, g).is_ok());
            }
        }
    }

    #[test]
    fn lecture_counts() {
        let st = ShuffleState::default();
        let r = BlockRun::new(&st.spec(), false, &st.input).unwrap();
        let params: Vec<u64> = r
            .diagram
            .boxes
            .iter()
            .map(|b| b.params)
            .filter(|&p| p > 0)
            .collect();
        assert_eq!(params, [9680, 800, 9840]);
        assert_eq!((r.params(), r.twin_params()), (20_320, 518_640));
        assert_eq!(sig2(r.ratio()), "0.039");
    }

    #[test]
    fn animation_matches_kernel_and_reach_rule() {
        let st = ShuffleStages::new(12, 2).unwrap();
        assert_eq!(
            shown_order(&st, frame_count() - 1).unwrap(),
            kernel_order(12, 2).unwrap()
        );
        assert_eq!(list(&kernel_order(6, 2).unwrap()), "0 3 1 4 2 5");
        assert!(kernel_order(6, 4).is_err());
        // Two shuffled units connect everything exactly when g² ≤ n.
        for (n, g) in [(12, 2), (12, 3), (12, 4), (16, 4), (18, 6)] {
            let p = reach_panels(n, g).unwrap();
            assert!(p[0..3]
                .iter()
                .all(|x| (x.fraction() - 1.0 / g as f64).abs() < 1e-9));
            assert_eq!(p[4].fraction() == 1.0, g * g <= n, "n={n} g={g}");
        }
    }
}
