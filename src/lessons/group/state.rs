//! Group convolution (curriculum §3): the URL state, the valid group
//! counts, and the view model computed by the kernel crate.
//!
//! ```text
//!  C input channels ──M groups──▶ N output channels
//!  group g: inputs g·C/M .. (g+1)·C/M  →  outputs g·N/M .. (g+1)·N/M
//!  params  K·K·(C/M)·(N/M)·M = K·K·C·N/M  (+N bias)      ratio 1/M
//! ```

use convlab_core::Conv2dSpec;

use crate::route::{Params, Query, Range, UrlValue};
use crate::widgets::InputState;

/// Range of `C` (input channels) and `N` (output channels) on the page.
pub const CHANNELS: (usize, usize) = (1, 64);
/// Seed of the lesson's weights (fixed, so a link shows the same numbers).
pub const WEIGHT_SEED: u64 = 3;

/// Comma-separated list of values.
pub fn list(values: &[usize]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The closest values of the sorted `choices` below and above `v` (one or two values).
pub fn nearest(choices: &[usize], v: usize) -> Vec<usize> {
    let below = choices.iter().copied().filter(|&c| c < v).max();
    let above = choices.iter().copied().filter(|&c| c > v).min();
    below.into_iter().chain(above).collect()
}

/// The group counts `M` that divide both `C` and `N`, ascending (always contains 1).
///
/// ```
/// use convlab::lessons::group::state::valid_groups;
/// assert_eq!(valid_groups(16, 8), vec![1, 2, 4, 8]);
/// assert_eq!(valid_groups(6, 9), vec![1, 3]);
/// ```
pub fn valid_groups(c: usize, n: usize) -> Vec<usize> {
    (1..=c.max(1))
        .filter(|&m| c.is_multiple_of(m) && n.is_multiple_of(m))
        .collect()
}

/// An `M` from the URL that does not divide `C` and `N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidGroups {
    /// The M asked for.
    pub asked: usize,
    /// Why it is impossible, and what is shown instead.
    pub message: String,
    /// The nearest valid M below and above (offered as links).
    pub suggestions: Vec<usize>,
}

crate::lesson_state! {
    /// The lesson's state, as it is in the URL: `#/group?C=8&N=8&K=3&M=2&bias=1&edit=0&input=digit`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct GroupState, signals GroupSignals {
        /// `C` — input channels.
        c: usize = 8; "C", "C", "input channels", Range::Ints(CHANNELS.0 as i64, CHANNELS.1 as i64),
        /// `N` — output channels.
        n: usize = 8; "N", "N", "output channels", Range::Ints(CHANNELS.0 as i64, CHANNELS.1 as i64),
        /// `K` — kernel size (K×K).
        k: usize = 3; "K", "K", "kernel size (K\u{d7}K)", Range::OneOf(&[1, 3, 5, 7]),
        /// `M` — number of groups (divides C and N; the reader snaps other values).
        m: usize = 2; "M", "M", "groups (divides C and N)", Range::Ints(CHANNELS.0 as i64, CHANNELS.1 as i64),
        /// Count a bias per output channel ("conv with bias", as the lecture).
        bias: bool = true; "bias", "bias", "conv with bias (+N), as the lecture", Range::Flag,
        /// The input channel randomised in the "groups do not communicate" demo.
        edit: Option<usize> = None; "edit", "edit", "input channel randomised", Range::Ints(0, CHANNELS.1 as i64 - 1),
        /// The picture the layer convolves.
        input: InputState = InputState::default(); "input", "input", "the picture", Range::Text,
    }
    fix = GroupState::fix;
}

impl GroupState {
    /// The rules between fields: M becomes a divisor of both C and N (the
    /// nearest below, else above; the page explains an impossible M with
    /// [`invalid_groups`]), and the edited channel one of the C inputs.
    fn fix(&mut self, p: &mut Params<'_>) {
        let valid = valid_groups(self.c, self.n);
        if !valid.contains(&self.m) {
            self.m = nearest(&valid, self.m).first().copied().unwrap_or(1);
        }
        if let Some(e) = self.edit {
            let last = self.c - 1;
            if e > last {
                p.push_note(
                    "edit",
                    format!("edit={e} is past the last input channel {last}; using {last}."),
                );
                self.edit = Some(last);
            }
        }
    }

    /// The lesson's grouped convolution spec ("same" padding).
    pub fn spec(&self) -> Conv2dSpec {
        Conv2dSpec::grouped(self.c, self.n, self.k, self.m).with_bias(self.bias)
    }

    /// The same shape with one group: the standard convolution it replaces.
    pub fn standard_spec(&self) -> Conv2dSpec {
        Conv2dSpec::standard(self.c, self.n, self.k).with_bias(self.bias)
    }

    /// What kind of convolution `M` makes: standard, group or depthwise.
    pub fn kind(&self) -> &'static str {
        if self.m == 1 {
            "standard convolution (M = 1)"
        } else if self.m == self.c {
            "depthwise convolution (M = C)"
        } else {
            "group convolution"
        }
    }
}

/// The M a link asked for when it is impossible for its C and N: why, and the
/// nearest valid values (offered as links beside the figure). `None` when the
/// link's M was used as given.
pub fn invalid_groups(q: &Query, st: &GroupState) -> Option<InvalidGroups> {
    let field = GroupState::field("M")?;
    let mut scratch = Params::new(q);
    let asked = <usize as UrlValue>::read(&mut scratch, field, st.m);
    if asked == st.m || q.get("M").is_none() {
        return None;
    }
    let (c, n) = (st.c, st.n);
    let valid = valid_groups(c, n);
    let why = match (c % asked, n % asked) {
        (0, _) => format!("N = {n} is not divisible by M = {asked}"),
        (_, 0) => format!("C = {c} is not divisible by M = {asked}"),
        _ => format!("C = {c} and N = {n} are not divisible by M = {asked}"),
    };
    Some(InvalidGroups {
        asked,
        message: format!(
            "M = {asked} groups is impossible: {why}, and every group needs C/M input and N/M output channels. Valid M here: {}. Showing M = {}.",
            list(&valid),
            st.m
        ),
        suggestions: nearest(&valid, asked),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Note;

    fn read(pairs: &[(&str, &str)]) -> (GroupState, Vec<Note>, Option<InvalidGroups>) {
        let q = Query::from_pairs(pairs.iter().map(|(k, v)| (*k, v.to_string())));
        let (st, notes) = GroupState::read(&q);
        let invalid = invalid_groups(&q, &st);
        (st, notes, invalid)
    }

    #[test]
    fn defaults_round_trip() {
        let s = GroupState::default();
        let q = Query::from_pairs(s.to_query());
        assert_eq!(GroupState::read(&q), (s.clone(), vec![]));
        assert!(invalid_groups(&q, &s).is_none());
    }

    #[test]
    fn every_state_round_trips() {
        for c in [1, 6, 16] {
            for n in [1, 9, 16] {
                for m in valid_groups(c, n) {
                    let s = GroupState {
                        c,
                        n,
                        k: 5,
                        m,
                        bias: false,
                        edit: Some(c - 1),
                        input: InputState::Random(4),
                    };
                    let q = Query::from_pairs(s.to_query());
                    assert_eq!(GroupState::read(&q), (s.clone(), vec![]));
                    assert_eq!(invalid_groups(&q, &s), None);
                }
            }
        }
    }

    #[test]
    fn invalid_groups_explain_and_offer_neighbours() {
        let (s, notes, invalid) = read(&[("C", "16"), ("N", "16"), ("M", "3")]);
        assert_eq!(s.m, 2);
        assert!(notes.is_empty());
        let invalid = invalid.unwrap();
        assert_eq!(invalid.asked, 3);
        assert_eq!(invalid.suggestions, vec![2, 4]);
        assert!(
            invalid
                .message
                .contains("C = 16 and N = 16 are not divisible by M = 3"),
            "{}",
            invalid.message
        );
        assert!(invalid
            .message
            .contains("Valid M here: 1, 2, 4, 8, 16. Showing M = 2."));
        let (s, notes, invalid) = read(&[("C", "16"), ("N", "12"), ("M", "8")]);
        assert_eq!(s.m, 4);
        assert!(notes.is_empty());
        let invalid = invalid.unwrap();
        assert!(invalid.message.contains("N = 12 is not divisible by M = 8"));
        assert_eq!(invalid.suggestions, vec![4]);
        let (s, _, invalid) = read(&[("C", "12"), ("N", "16"), ("M", "8")]);
        assert_eq!(s.m, 4);
        let invalid = invalid.unwrap();
        assert!(invalid.message.contains("C = 12 is not divisible by M = 8"));
        assert!(!invalid.message.contains("N = 16"));
        // More groups than channels: impossible, explained, the largest divisor used.
        let (s, _, invalid) = read(&[("C", "4"), ("N", "4"), ("M", "40")]);
        assert_eq!(s.m, 4);
        assert_eq!(invalid.unwrap().suggestions, vec![4]);
    }

    #[test]
    fn garbage_is_clamped_with_a_note() {
        let (s, notes, _) = read(&[
            ("C", "9999"),
            ("N", "-4"),
            ("K", "4"),
            ("bias", "maybe"),
            ("M", "NaN"),
            ("edit", "70"),
        ]);
        assert_eq!((s.c, s.n, s.k, s.bias), (64, 1, 3, true));
        assert_eq!(s.m, 1);
        assert_eq!(s.edit, Some(63));
        let keys: Vec<&str> = notes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["C", "N", "K", "M", "bias", "edit"]);
        let (s, notes, _) = read(&[("C", "4"), ("edit", "9")]);
        assert_eq!(s.edit, Some(3));
        assert_eq!(
            notes[0].message,
            "edit=9 is past the last input channel 3; using 3."
        );
    }

    #[test]
    fn a_repeated_or_unreadable_input_is_noted() {
        let (st, notes) = GroupState::read(&Query::parse("input=edges&M=2&input=-1"));
        assert_eq!(st.input.to_param(), "edges");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].key, "input");
        assert!(notes[0]
            .message
            .starts_with("input is given 2 times; using the first (input=edges)"));
        let (st, notes) = GroupState::read(&Query::parse("input=nope"));
        assert_eq!(st.input, InputState::default());
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0]
            .message
            .contains("using the default picture (digit)"));
        assert!(GroupState::read(&Query::parse("M=2")).1.is_empty());
    }

    #[test]
    fn valid_groups_divide_both() {
        for c in 1..=24 {
            for n in 1..=24 {
                let v = valid_groups(c, n);
                assert_eq!(v[0], 1);
                for m in 1..=c {
                    assert_eq!(v.contains(&m), c.is_multiple_of(m) && n.is_multiple_of(m));
                }
            }
        }
    }
}
