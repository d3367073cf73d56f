//! The channel-shuffle animation as pure functions of the frame.
//!
//! Four stages, each a layout of the `n` channels as bars, and
//! [`STEPS`] frames moving every bar from one stage's slot to the next:
//!
//! ```text
//! stage 0  input order      0 1 2 3 4 5             (one row, coloured by group)
//! stage 1  reshape (g, n/g) 0 1 2                   (row a = group a)
//!                           3 4 5
//! stage 2  transpose        0 3                     (n/g rows of g)
//!                           1 4
//!                           2 5
//! stage 3  flatten          0 3 1 4 2 5             (= the kernel's shuffle order)
//! ```
//!
//! The slots come from the kernel crate's [`ShuffleStages`] (its `grid`,
//! `transposed` and `order`), so the last frame shows exactly the order
//! `channel_shuffle` produces.

use convlab_core::ops::shuffle::ShuffleStages;

/// Frames per stage change.
pub const STEPS: usize = 8;
/// Number of stages (input, reshape, transpose, flatten).
pub const STAGES: usize = 4;

/// Frames of the whole animation: `0..frame_count()`.
pub const fn frame_count() -> usize {
    (STAGES - 1) * STEPS + 1
}

/// The stage a frame starts from and how far (0..1) it is towards the next.
pub fn stage_at(frame: usize) -> (usize, f64) {
    let f = frame.min(frame_count() - 1);
    let s = (f / STEPS).min(STAGES - 1);
    if s == STAGES - 1 {
        return (s, 0.0);
    }
    (s, (f % STEPS) as f64 / STEPS as f64)
}

/// Slot (column, row) of input channel `c` in `stage`.
pub fn slot(st: &ShuffleStages, stage: usize, c: usize) -> (f64, f64) {
    let per = (st.channels / st.groups.max(1)).max(1);
    let (a, b) = (c / per, c % per);
    match stage {
        0 => (c as f64, 0.0),
        1 => (b as f64, a as f64),
        2 => (a as f64, b as f64),
        _ => (st.position_of(c) as f64, 0.0),
    }
}

fn ease(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// Where every input channel's bar is at `frame` (column, row), by channel.
pub fn positions(st: &ShuffleStages, frame: usize) -> Vec<(f64, f64)> {
    let (s, t) = stage_at(frame);
    let next = (s + 1).min(STAGES - 1);
    let e = ease(t);
    (0..st.channels)
        .map(|c| {
            let (x0, y0) = slot(st, s, c);
            let (x1, y1) = slot(st, next, c);
            (x0 + (x1 - x0) * e, y0 + (y1 - y0) * e)
        })
        .collect()
}

/// The grid the bars live in at any frame: (columns, rows).
pub fn extent(st: &ShuffleStages) -> (usize, usize) {
    let per = (st.channels / st.groups.max(1)).max(1);
    (st.channels.max(1), st.groups.max(per).max(1))
}

/// The order the bars show, read off the drawing: channels sorted by their
/// column when all of them sit in one row (stages 0 and 3), else `None`.
pub fn shown_order(st: &ShuffleStages, frame: usize) -> Option<Vec<usize>> {
    let pos = positions(st, frame);
    if pos.iter().any(|p| p.1 != 0.0) {
        return None;
    }
    let mut idx: Vec<usize> = (0..pos.len()).collect();
    idx.sort_by(|&a, &b| pos[a].0.total_cmp(&pos[b].0));
    Some(idx)
}

/// The sentence under the animation.
pub fn caption(st: &ShuffleStages, frame: usize) -> String {
    let (s, t) = stage_at(frame);
    let (n, g) = (st.channels, st.groups);
    let per = n / g.max(1);
    let moving = t > 0.0;
    match (s, moving) {
        (0, false) => format!("{n} channels in {g} groups of {per}, as the group conv produced them."),
        (0, true) => format!("Reshape: one row per group, a {g} \u{d7} {per} grid."),
        (1, false) => format!("Reshaped to ({g}, {per}): row a holds group a."),
        (1, true) => "Transpose: rows become columns.".into(),
        (2, false) => format!("Transposed to ({per}, {g}): each row now has one channel of every group."),
        (2, true) => "Flatten: read the rows one after another.".into(),
        _ => format!(
            "Flattened: every run of {g} neighbours holds one channel of each group, so each group of the next group conv sees all groups.{}",
            if extent(st).1 > 1 { " The pale row below is the input order, each channel joined to its new place." } else { "" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use convlab_core::{channel_shuffle, Tensor};

    fn kernel_order(n: usize, g: usize) -> Vec<usize> {
        let x = Tensor::from_fn(n, 1, 1, |c, _, _| c as f32).unwrap();
        channel_shuffle(&x, g)
            .unwrap()
            .data()
            .iter()
            .map(|&v| v as usize)
            .collect()
    }

    #[test]
    fn last_frame_shows_the_kernels_shuffle() {
        for (n, g) in [(6, 2), (12, 3), (12, 4), (8, 8), (9, 1), (80, 2), (96, 16)] {
            let st = ShuffleStages::new(n, g).unwrap();
            let last = frame_count() - 1;
            assert_eq!(
                shown_order(&st, last).unwrap(),
                kernel_order(n, g),
                "n={n} g={g}"
            );
            assert_eq!(shown_order(&st, 0).unwrap(), (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn stages_match_the_kernels_grid_and_transpose() {
        let st = ShuffleStages::new(6, 2).unwrap();
        for (a, row) in st.grid.iter().enumerate() {
            for (b, &c) in row.iter().enumerate() {
                assert_eq!(slot(&st, 1, c), (b as f64, a as f64));
            }
        }
        for (b, row) in st.transposed.iter().enumerate() {
            for (a, &c) in row.iter().enumerate() {
                assert_eq!(slot(&st, 2, c), (a as f64, b as f64));
            }
        }
        assert_eq!(
            positions(&st, STEPS),
            (0..6).map(|c| slot(&st, 1, c)).collect::<Vec<_>>()
        );
        assert!(shown_order(&st, STEPS).is_none());
        assert_eq!(extent(&st), (6, 3));
    }

    #[test]
    fn frames_and_captions() {
        assert_eq!(frame_count(), 25);
        assert_eq!(stage_at(0), (0, 0.0));
        assert_eq!(stage_at(4), (0, 0.5));
        assert_eq!(stage_at(24), (3, 0.0));
        assert_eq!(stage_at(999), (3, 0.0));
        let st = ShuffleStages::new(12, 3).unwrap();
        assert!(caption(&st, 0).contains("3 groups of 4"));
        assert!(caption(&st, 8).contains("(3, 4)"));
        assert!(caption(&st, 16).contains("(4, 3)"));
        assert!(caption(&st, 24).starts_with("Flattened"));
        // The pale input row is mentioned exactly when the figure has a row for it.
        for (n, g) in [(12, 3), (12, 12), (12, 1), (8, 2)] {
            let st = ShuffleStages::new(n, g).unwrap();
            assert_eq!(
                caption(&st, 24).contains("pale row"),
                extent(&st).1 > 1,
                "n {n}, g {g}"
            );
        }
        // Positions move monotonically between two slots (no overshoot).
        let a = positions(&st, 9);
        let b = positions(&st, 12);
        for c in 0..12 {
            let (s0, s1) = (slot(&st, 1, c), slot(&st, 2, c));
            for p in [a[c], b[c]] {
                assert!(p.0 >= s0.0.min(s1.0) - 1e-9 && p.0 <= s0.0.max(s1.0) + 1e-9);
            }
        }
    }
}
