//! Per-control hide flags: `hide=K,s` in the URL hides the controls whose
//! lecture symbol or URL key is `K` or `s`, so a slide shows only what the
//! lecturer wants. Built once in the shared widgets ([`Slider`], [`Stepper`],
//! [`Player`]): every lesson gets it without code of its own.
//!
//! The shell provides a [`HideContext`] with the names asked for; each control
//! registers the names it answers to while it is mounted, and names no control
//! on the page answers to become a [`Note`] ("hide: this page has no control …").
//!
//! [`Slider`]: super::Slider
//! [`Stepper`]: super::Stepper
//! [`Player`]: super::Player

use leptos::prelude::*;

use crate::route::Note;

/// Most names read from one `hide` value.
pub const MAX_HIDE_NAMES: usize = 32;

/// The names in a `hide` value: comma-separated, trimmed, empty entries and
/// repeats dropped, at most [`MAX_HIDE_NAMES`], each at most 32 characters.
pub fn parse_hide(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split(',') {
        let name: String = part.trim().chars().take(32).collect();
        if name.is_empty() || out.contains(&name) {
            continue;
        }
        if out.len() == MAX_HIDE_NAMES {
            break;
        }
        out.push(name);
    }
    out
}

/// The names a control answers to: its lecture symbol (`K`) and its URL key,
/// read from its test id (`slider-K` → `K`, `dash-cin` → `cin`, `player`).
/// Matching is exact (the lecture uses `k` and `K` for different things).
pub fn control_names(symbol: &str, test_id: Option<&str>) -> Vec<String> {
    let mut names = Vec::new();
    let mut add = |n: &str| {
        let n = n.trim();
        if !n.is_empty() && !names.iter().any(|x: &String| x == n) {
            names.push(n.to_string());
        }
    };
    add(symbol);
    if let Some(id) = test_id {
        add(id);
        for prefix in ["slider-", "stepper-", "dash-"] {
            if let Some(rest) = id.strip_prefix(prefix) {
                add(rest);
            }
        }
    }
    names
}

/// The hide names that match none of the controls present.
pub fn unknown_names<'a>(hidden: &'a [String], present: &[Vec<String>]) -> Vec<&'a str> {
    hidden
        .iter()
        .filter(|h| !present.iter().any(|names| names.contains(h)))
        .map(String::as_str)
        .collect()
}

/// The note for names no control answers to, listing the symbols that could be hidden.
pub fn unknown_note(unknown: &[&str], present: &[Vec<String>]) -> Option<Note> {
    if unknown.is_empty() {
        return None;
    }
    let quoted: Vec<String> = unknown
        .iter()
        .map(|u| format!("\u{201c}{u}\u{201d}"))
        .collect();
    let mut symbols: Vec<&str> = Vec::new();
    for names in present {
        if let Some(first) = names.first() {
            if !symbols.contains(&first.as_str()) {
                symbols.push(first);
            }
        }
    }
    let what = if quoted.len() == 1 {
        format!("this page has no control {}", quoted[0])
    } else {
        format!("this page has no controls {}", quoted.join(", "))
    };
    let options = if symbols.is_empty() {
        "it has no controls to hide".to_string()
    } else {
        format!("its controls are {}", symbols.join(", "))
    };
    Some(Note::new(
        "hide",
        format!("hide: {what}; {options}. Nothing else is hidden."),
    ))
}

/// What the shell shares with the controls: the names to hide and the
/// controls currently mounted (one entry per control: the names it answers to).
#[derive(Clone, Copy)]
pub struct HideContext {
    hidden: Signal<Vec<String>>,
    present: RwSignal<Vec<(u64, Vec<String>)>>,
    next_id: StoredValue<u64>,
}

impl HideContext {
    /// A context hiding the names in `hidden` (provide it with `provide_context`).
    pub fn new(hidden: Signal<Vec<String>>) -> Self {
        HideContext {
            hidden,
            present: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }

    /// A copy for one page: the same registry, the hidden names from
    /// `hidden` (the page's own signal, see [`super::surface::Relay`]).
    pub fn for_page(&self, hidden: Signal<Vec<String>>) -> Self {
        HideContext { hidden, ..*self }
    }

    /// The hidden names (reactive).
    pub fn hidden(&self) -> Signal<Vec<String>> {
        self.hidden
    }

    /// The note about names no mounted control answers to (reactive).
    pub fn notes(&self) -> Vec<Note> {
        let hidden = self.hidden.get();
        if hidden.is_empty() {
            return Vec::new();
        }
        self.present.with(|p| {
            let names: Vec<Vec<String>> = p.iter().map(|(_, n)| n.clone()).collect();
            unknown_note(&unknown_names(&hidden, &names), &names)
                .into_iter()
                .collect()
        })
    }

    /// Registers a mounted control answering to `names` (unregistered when the
    /// calling component is cleaned up) and returns whether it is hidden (reactive).
    pub fn register(&self, names: Vec<String>) -> Signal<bool> {
        let id = self.next_id.get_value();
        self.next_id.set_value(id.wrapping_add(1));
        let present = self.present;
        present.update(|p| p.push((id, names.clone())));
        on_cleanup(move || {
            present.try_update(|p| p.retain(|(i, _)| *i != id));
        });
        let hidden = self.hidden;
        Signal::derive(move || hidden.with(|h| h.iter().any(|x| names.contains(x))))
    }
}

/// For a control widget: registers it with the shell's [`HideContext`] (if
/// any) and returns whether the URL hides it.
pub fn use_hidden(symbol: &str, test_id: Option<&str>) -> Signal<bool> {
    match use_context::<HideContext>() {
        Some(ctx) => ctx.register(control_names(symbol, test_id)),
        None => Signal::derive(|| false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists() {
        assert_eq!(parse_hide("K,s"), vec!["K", "s"]);
        assert_eq!(parse_hide(" K , ,K,s,"), vec!["K", "s"]);
        assert!(parse_hide("").is_empty());
        let many: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        assert_eq!(parse_hide(&many.join(",")).len(), MAX_HIDE_NAMES);
        assert_eq!(parse_hide(&"x".repeat(100))[0].len(), 32);
    }

    #[test]
    fn names_from_symbol_and_key() {
        assert_eq!(control_names("K", Some("slider-K")), vec!["K", "slider-K"]);
        assert_eq!(
            control_names("C_in", Some("dash-cin")),
            vec!["C_in", "dash-cin", "cin"]
        );
        assert_eq!(
            control_names("N", Some("slider-len")),
            vec!["N", "slider-len", "len"]
        );
        assert_eq!(control_names("player", Some("player")), vec!["player"]);
        assert_eq!(control_names("s", None), vec!["s"]);
    }

    #[test]
    fn unknown_names_make_one_note() {
        let present = vec![
            control_names("K", Some("slider-K")),
            control_names("s", Some("slider-s")),
            control_names("N", Some("slider-len")),
        ];
        let hidden = parse_hide("K,len,Q");
        let unknown = unknown_names(&hidden, &present);
        assert_eq!(unknown, vec!["Q"]);
        let note = unknown_note(&unknown, &present).map(|n| n.message);
        assert_eq!(
            note.as_deref(),
            Some("hide: this page has no control \u{201c}Q\u{201d}; its controls are K, s, N. Nothing else is hidden.")
        );
        assert!(unknown_note(&[], &present).is_none());
        let two = unknown_note(&["a", "b"], &[]).map(|n| n.message);
        assert_eq!(
            two.as_deref(),
            Some("hide: this page has no controls \u{201c}a\u{201d}, \u{201c}b\u{201d}; it has no controls to hide. Nothing else is hidden.")
        );
        // Case matters: k and K are different symbols.
        assert_eq!(unknown_names(&parse_hide("k"), &present), vec!["k"]);
    }
}
