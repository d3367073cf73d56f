//! The dilated lesson's animation, as pure functions of the frame number.
//!
//! Frame 0 shows the chosen output cell on the output map; each next frame
//! goes one layer down, showing the cells of that map that feed it; the last
//! frame (`layers`) reaches the input. The strip of maps is in frame order
//! (output left, input right), so strip slot `i` is frame `i`.

use crate::widgets::playback::frame_label;

/// Number of frames for a stack of `layers` layers (`0..=layers`).
pub fn frame_count(layers: usize) -> usize {
    layers + 1
}

/// The map a frame shows, as a level: 0 is the input, `layers` the output.
pub fn level_of(frame: usize, layers: usize) -> usize {
    layers - frame.min(layers)
}

/// The frame that shows level `level`.
pub fn frame_of(level: usize, layers: usize) -> usize {
    layers - level.min(layers)
}

/// Caption of a level: `output`, `input` or `after layer l`.
pub fn level_label(level: usize, layers: usize) -> String {
    if level == layers && layers > 0 {
        "output".into()
    } else if level == 0 {
        "input".into()
    } else {
        format!("after layer {level}")
    }
}

/// The sentence under the figure for a frame, counted as the player counts it.
pub fn caption(frame: usize, layers: usize) -> String {
    let level = level_of(frame, layers);
    let n = frame_label(frame, frame_count(layers));
    if frame == 0 {
        format!("{n}: the chosen output cell. Step down to see which cells feed it.")
    } else if level == 0 {
        format!("{n}: the input cells that feed the output — its receptive field.")
    } else {
        format!(
            "{n}: the cells of the map after layer {level} that feed the output, through layers {}…{layers}.",
            level + 1
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_walk_from_output_to_input() {
        assert_eq!(frame_count(4), 5);
        assert_eq!(level_of(0, 4), 4);
        assert_eq!(level_of(4, 4), 0);
        assert_eq!(level_of(99, 4), 0);
        for f in 0..=4 {
            assert_eq!(frame_of(level_of(f, 4), 4), f);
        }
    }

    #[test]
    fn labels_and_captions() {
        assert_eq!(level_label(3, 3), "output");
        assert_eq!(level_label(0, 3), "input");
        assert_eq!(level_label(1, 3), "after layer 1");
        assert!(caption(0, 3).contains("output cell"));
        assert!(caption(3, 3).contains("input"));
        assert!(caption(1, 3).contains("layer 2"));
        // A stack with no layer never panics.
        assert_eq!(level_of(0, 0), 0);
        let _ = caption(0, 0);
    }

    #[test]
    fn captions_count_frames_as_the_player_does() {
        for f in 0..frame_count(4) {
            let c = caption(f, 4);
            assert!(
                c.starts_with(&format!("Frame {} of {}:", f + 1, frame_count(4))),
                "{c}"
            );
        }
    }
}
