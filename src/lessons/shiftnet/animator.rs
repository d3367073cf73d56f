//! The ShiftNet animation as pure functions of the frame: frame 0 shows the
//! groups before the shift; frame `f` has groups `0..f` shifted (raster
//! order of the window), so frame `k²` shows them all moved.

use crate::widgets::playback::frame_label;

/// Frames for a `k×k` window: `0..=k²`.
pub fn frame_count(k: usize) -> usize {
    k * k + 1
}

/// The sentence under the figure, counted as the player counts it.
pub fn caption(frame: usize, k: usize) -> String {
    let n = k * k;
    let f = frame.min(n);
    let label = frame_label(f, frame_count(k));
    if f == 0 {
        format!("{label}: the {n} groups before the shift.")
    } else if f == n {
        format!("{label}: every group has moved one cell along its arrow (the centre group stays).")
    } else {
        format!(
            "{label}: group {} has just moved; groups {f}\u{2026}{} wait.",
            f - 1,
            n - 1
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_captions() {
        assert_eq!(frame_count(3), 10);
        assert_eq!(frame_count(5), 26);
        assert!(caption(0, 3).contains("before"));
        assert!(caption(9, 3).contains("every group"));
        assert!(caption(4, 3).contains("group 3 has just moved"));
        assert!(caption(99, 3).contains("every group"));
    }

    #[test]
    fn captions_count_frames_as_the_player_does() {
        for f in 0..frame_count(3) {
            let c = caption(f, 3);
            assert!(
                c.starts_with(&format!("Frame {} of {}:", f + 1, frame_count(3))),
                "{c}"
            );
        }
    }
}
