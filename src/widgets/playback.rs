//! Playback, shared by the [`Player`](super::Player) widget and the shell's
//! [`presenter`](super::presenter): how frames advance and step, the key maps,
//! and the registry of mounted players ([`Players`]) the presenter drives.

use leptos::prelude::*;

/// Advances playback by `dt_ms` at `fps` frames per second, carrying the
/// fractional frame in `carry`: returns the new frame and whether playback
/// reached the last frame (and so stops).
pub fn advance(
    frame: usize,
    frames: usize,
    fps: f64,
    dt_ms: f64,
    carry: &mut f64,
) -> (usize, bool) {
    if frames == 0 {
        *carry = 0.0;
        return (0, true);
    }
    let last = frames - 1;
    if frame >= last {
        *carry = 0.0;
        return (last, true);
    }
    let dt = if dt_ms.is_finite() {
        dt_ms.clamp(0.0, 250.0)
    } else {
        0.0
    };
    let fps = if fps.is_finite() && fps > 0.0 {
        fps
    } else {
        1.0
    };
    *carry += dt * fps / 1000.0;
    let whole = carry.floor();
    *carry -= whole;
    let next = (frame as f64 + whole).min(last as f64) as usize;
    (next, next >= last)
}

/// What a key does to the player.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAction {
    /// Play or pause.
    Toggle,
    /// Move by this many frames.
    Step(isize),
    /// Go to the first frame.
    First,
    /// Go to the last frame.
    Last,
}

/// The player's keyboard map: Space toggles, ←/→ step, PageUp/PageDown
/// jump ten frames, Home/End go to the ends.
pub fn key_action(key: &str) -> Option<KeyAction> {
    Some(match key {
        " " | "Spacebar" | "k" => KeyAction::Toggle,
        "ArrowLeft" | "ArrowDown" => KeyAction::Step(-1),
        "ArrowRight" | "ArrowUp" => KeyAction::Step(1),
        "PageUp" => KeyAction::Step(-10),
        "PageDown" => KeyAction::Step(10),
        "Home" => KeyAction::First,
        "End" => KeyAction::Last,
        _ => return None,
    })
}

/// `frame + d` clamped to `0..frames`.
/// "Frame 3 of 10": the one count of an animation's frames, 1-based, that the player's
/// counter and every caption under a figure use (`frame` is 0-based, clamped to the last).
pub fn frame_label(frame: usize, frames: usize) -> String {
    let n = frames.max(1);
    format!("Frame {} of {n}", frame.min(n - 1) + 1)
}

pub fn clamp_step(frame: usize, d: isize, frames: usize) -> usize {
    if frames == 0 {
        return 0;
    }
    (frame as isize + d).clamp(0, frames as isize - 1) as usize
}

/// What a presenter key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Play or pause.
    Toggle,
    /// One step forward (+1) or back (−1).
    Step(i32),
    /// First step.
    First,
    /// Last step.
    Last,
}

/// The presenter key map (clickers send PageUp/PageDown, some send arrows).
pub fn key_command(key: &str) -> Option<Command> {
    Some(match key {
        " " | "Spacebar" => Command::Toggle,
        "PageDown" | "ArrowRight" | "ArrowDown" => Command::Step(1),
        "PageUp" | "ArrowLeft" | "ArrowUp" => Command::Step(-1),
        "Home" => Command::First,
        "End" => Command::Last,
        _ => return None,
    })
}

/// Whether a key pressed with the focus on an element with tag `tag` (upper
/// case) belongs to that element: text fields, sliders and selects keep every
/// key; buttons and links keep Space (it presses them).
pub fn focus_keeps_key(tag: &str, editable: bool, cmd: Command) -> bool {
    editable
        || matches!(tag, "INPUT" | "SELECT" | "TEXTAREA")
        || (cmd == Command::Toggle && matches!(tag, "BUTTON" | "A" | "SUMMARY"))
}

/// A mounted player, as the presenter drives it.
#[derive(Clone, Copy)]
pub struct PlayerHandle {
    /// The current frame.
    pub frame: RwSignal<usize>,
    /// Number of frames.
    pub frames: Signal<usize>,
    /// Playing now.
    pub playing: RwSignal<bool>,
    /// `prefers-reduced-motion`: no playback, steps only.
    pub reduced: bool,
}

impl PlayerHandle {
    /// Play or pause (from the start again when at the end).
    pub fn toggle(&self) {
        if self.reduced {
            return;
        }
        let n = self.frames.get_untracked();
        if !self.playing.get_untracked() && n > 0 && self.frame.get_untracked() + 1 >= n {
            self.frame.set(0);
        }
        self.playing.update(|p| *p = !*p);
    }

    /// Moves `d` frames (pausing); returns false when already at that end.
    pub fn step(&self, d: isize) -> bool {
        self.playing.set(false);
        let f = self.frame.get_untracked();
        let v = clamp_step(f, d, self.frames.get_untracked());
        if v != f {
            self.frame.set(v);
        }
        v != f
    }
}

/// The players mounted on the page, in mount order (the first one is the
/// lesson's main animation). Provided by the shell.
#[derive(Clone, Copy)]
pub struct Players {
    list: RwSignal<Vec<(u64, PlayerHandle)>>,
    next_id: StoredValue<u64>,
}

impl Default for Players {
    fn default() -> Self {
        Players {
            list: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }
}

impl Players {
    /// Registers a player until the calling component is cleaned up.
    pub fn register(&self, handle: PlayerHandle) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id.wrapping_add(1));
        let list = self.list;
        list.update(|l| l.push((id, handle)));
        on_cleanup(move || {
            list.try_update(|l| l.retain(|(i, _)| *i != id));
        });
    }

    /// The lesson's main player (reactive).
    pub fn main(&self) -> Option<PlayerHandle> {
        self.list.with(|l| l.first().map(|(_, h)| *h))
    }

    pub fn main_untracked(&self) -> Option<PlayerHandle> {
        self.list.with_untracked(|l| l.first().map(|(_, h)| *h))
    }

    /// Runs a command on the main player; returns the edge direction when
    /// there was nothing to step to (no player, or already at that end).
    pub fn run(&self, cmd: Command) -> Option<i32> {
        let p = self.main_untracked();
        match (cmd, p) {
            (Command::Toggle, Some(p)) => {
                p.toggle();
                None
            }
            (Command::Toggle, None) => None,
            (Command::Step(d), Some(p)) => (!p.step(d as isize)).then_some(d.signum()),
            (Command::Step(d), None) => Some(d.signum()),
            (Command::First, Some(p)) => {
                p.step(isize::MIN / 2);
                None
            }
            (Command::Last, Some(p)) => {
                p.step(isize::MAX / 2);
                None
            }
            (Command::First | Command::Last, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn frame_label_counts_from_one_to_the_number_of_frames() {
        assert_eq!(super::frame_label(0, 5), "Frame 1 of 5");
        assert_eq!(super::frame_label(4, 5), "Frame 5 of 5");
        assert_eq!(super::frame_label(9, 5), "Frame 5 of 5");
        assert_eq!(super::frame_label(0, 0), "Frame 1 of 1");
    }

    use super::*;

    #[test]
    fn advance_accumulates_and_stops_at_end() {
        let mut c = 0.0;
        // 2 fps: 250 ms is half a frame, the next 250 ms completes it.
        assert_eq!(advance(0, 10, 2.0, 250.0, &mut c), (0, false));
        assert_eq!(advance(0, 10, 2.0, 250.0, &mut c), (1, false));
        // Large gaps (a background tab) are capped, so no jump to the end.
        let mut c = 0.0;
        assert_eq!(advance(0, 10, 8.0, 60_000.0, &mut c), (2, false));
        // Reaching the last frame stops.
        let mut c = 0.0;
        assert_eq!(advance(8, 10, 8.0, 250.0, &mut c), (9, true));
        assert_eq!(advance(9, 10, 8.0, 16.0, &mut c), (9, true));
        assert_eq!(advance(0, 0, 8.0, 16.0, &mut c), (0, true));
        assert_eq!(advance(0, 10, f64::NAN, f64::NAN, &mut c), (0, false));
    }

    #[test]
    fn keys_and_steps() {
        assert_eq!(key_action(" "), Some(KeyAction::Toggle));
        assert_eq!(key_action("PageDown"), Some(KeyAction::Step(10)));
        assert_eq!(key_action("ArrowLeft"), Some(KeyAction::Step(-1)));
        assert_eq!(key_action("x"), None);
        assert_eq!(clamp_step(3, -10, 8), 0);
        assert_eq!(clamp_step(3, 10, 8), 7);
        assert_eq!(clamp_step(3, 1, 0), 0);
        assert_eq!(clamp_step(0, isize::MAX / 2, 5), 4);
    }

    #[test]
    fn clicker_keys() {
        assert_eq!(key_command("PageDown"), Some(Command::Step(1)));
        assert_eq!(key_command("PageUp"), Some(Command::Step(-1)));
        assert_eq!(key_command("ArrowRight"), Some(Command::Step(1)));
        assert_eq!(key_command("ArrowUp"), Some(Command::Step(-1)));
        assert_eq!(key_command(" "), Some(Command::Toggle));
        assert_eq!(key_command("End"), Some(Command::Last));
        assert_eq!(key_command("a"), None);
    }

    #[test]
    fn fields_keep_their_keys() {
        let step = Command::Step(1);
        assert!(focus_keeps_key("INPUT", false, step));
        assert!(focus_keeps_key("SELECT", false, step));
        assert!(focus_keeps_key("TEXTAREA", false, Command::Toggle));
        assert!(focus_keeps_key("DIV", true, step));
        assert!(focus_keeps_key("BUTTON", false, Command::Toggle));
        assert!(!focus_keeps_key("BUTTON", false, step));
        assert!(!focus_keeps_key("BODY", false, Command::Toggle));
        assert!(!focus_keeps_key("CANVAS", false, step));
    }
}
