//! [`Params`]: reads typed values from a [`Query`], and notes every value it
//! could not use as given.

use std::fmt::Display;

use super::query::{quote, Note, Query, GLOBAL_KEYS};

/// Reads typed parameters from a [`Query`], collecting a [`Note`] for every
/// value it could not use as given. Call [`Params::finish`] for the notes
/// (it also reports keys nobody asked for).
#[derive(Debug)]
pub struct Params<'q> {
    query: &'q Query,
    notes: Vec<Note>,
    read: Vec<String>,
}

/// Outcome of reading one raw value as a number.
enum Num {
    Int(i128),
    Real(f64),
    Bad,
}

impl<'q> Params<'q> {
    /// A reader over `query`.
    pub fn new(query: &'q Query) -> Self {
        Params {
            query,
            notes: query.notes().to_vec(),
            read: Vec::new(),
        }
    }

    /// The raw first value of `key`, noting repeats; `None` when absent.
    fn raw(&mut self, key: &str) -> Option<&'q str> {
        self.read.push(key.to_string());
        let n = self.query.count(key);
        let v = self.query.get(key)?;
        if n > 1 {
            self.note(
                key,
                format!(
                    "{key} is given {n} times; using the first ({key}={}).",
                    quote(v)
                ),
            );
        }
        Some(v)
    }

    fn note(&mut self, key: &str, message: String) {
        self.notes.push(Note::new(key, message));
    }

    /// `value` (read from the text `raw` of `key`) clamped to `min..=max`, with a
    /// note when it had to move: the one place the range notes are worded.
    fn clamp_noted<T: PartialOrd + Display + Copy>(
        &mut self,
        key: &str,
        raw: &str,
        value: T,
        min: T,
        max: T,
    ) -> T {
        let (used, side) = if value < min {
            (min, "below the minimum")
        } else if value > max {
            (max, "above the maximum")
        } else {
            return value;
        };
        self.note(
            key,
            format!("{key}={} is {side} {used}; using {used}.", quote(raw)),
        );
        used
    }

    /// Whether the link has `key` at all (a lesson's rule between fields may
    /// depend on it: a default that follows another value, say).
    pub fn has(&self, key: &str) -> bool {
        self.query.get(key).is_some()
    }

    /// The query being read.
    pub fn query(&self) -> &'q Query {
        self.query
    }

    /// The raw first value of `key` (repeats noted), for values a lesson parses
    /// itself; it must note what it cannot use with [`Params::push_note`].
    pub fn raw_value(&mut self, key: &str) -> Option<&'q str> {
        self.raw(key)
    }

    /// Adds a note of the lesson's own (e.g. a combination of values that does not fit).
    pub fn push_note(&mut self, key: &str, message: impl Into<String>) {
        self.note(key, message.into());
    }

    /// An integer in `min..=max`, `default` when absent. Out-of-range values are
    /// clamped, non-whole numbers rounded, anything else replaced by `default`;
    /// each with a note.
    pub fn int(&mut self, key: &str, default: i64, min: i64, max: i64) -> i64 {
        let (min, max) = (min.min(max), max.max(min));
        let default = default.clamp(min, max);
        let Some(raw) = self.raw(key) else {
            return default;
        };
        let value: i128 = match parse_num(raw) {
            Num::Int(i) => i,
            Num::Real(r) => {
                let rounded = r.round();
                let clamped = rounded.clamp(i128::MIN as f64, i128::MAX as f64) as i128;
                if (min as i128..=max as i128).contains(&clamped) {
                    self.note(
                        key,
                        format!(
                            "{key}={} is not a whole number; using {clamped}.",
                            quote(raw)
                        ),
                    );
                }
                clamped
            }
            Num::Bad => {
                let what = if raw.trim().is_empty() {
                    format!("{key} has no value")
                } else {
                    format!("{key}={} is not a number", quote(raw))
                };
                self.note(key, format!("{what}; using the default {default}."));
                return default;
            }
        };
        self.clamp_noted(key, raw, value, min as i128, max as i128) as i64
    }

    /// As [`Params::int`] for counts and sizes.
    pub fn usize(&mut self, key: &str, default: usize, min: usize, max: usize) -> usize {
        let c = |v: usize| v.min(i64::MAX as usize) as i64;
        self.int(key, c(default), c(min), c(max)).max(0) as usize
    }

    /// A finite real number in `min..=max` (clamped with a note; NaN, infinities
    /// and text replaced by `default` with a note).
    pub fn float(&mut self, key: &str, default: f64, min: f64, max: f64) -> f64 {
        let (min, max) = (min.min(max), max.max(min));
        let default = default.clamp(min, max);
        let Some(raw) = self.raw(key) else {
            return default;
        };
        let value = match parse_num(raw) {
            Num::Int(i) => i as f64,
            Num::Real(r) => r,
            Num::Bad => {
                self.note(
                    key,
                    format!(
                        "{key}={} is not a number; using the default {default}.",
                        quote(raw)
                    ),
                );
                return default;
            }
        };
        self.clamp_noted(key, raw, value, min, max)
    }

    /// One of `allowed` (compared case-insensitively); `default` otherwise, with a note.
    pub fn choice(
        &mut self,
        key: &str,
        default: &'static str,
        allowed: &[&'static str],
    ) -> &'static str {
        let Some(raw) = self.raw(key) else {
            return default;
        };
        let t = raw.trim();
        if let Some(hit) = allowed.iter().find(|a| a.eq_ignore_ascii_case(t)) {
            return hit;
        }
        let list = allowed.join(", ");
        self.note(
            key,
            format!(
                "{key}={} is not one of {list}; using {default}.",
                quote(raw)
            ),
        );
        default
    }

    /// One value of an allowed numeric set (e.g. odd kernel sizes); a value not in the
    /// set becomes the nearest member (ties: the smaller), with a note.
    pub fn int_in(&mut self, key: &str, default: i64, allowed: &[i64]) -> i64 {
        let (Some(&lo), Some(&hi)) = (allowed.iter().min(), allowed.iter().max()) else {
            return default;
        };
        let v = self.int(key, default, lo, hi);
        if allowed.contains(&v) {
            return v;
        }
        let best = nearest(v, allowed.iter().copied()).unwrap_or(default);
        let list: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
        self.note(
            key,
            format!("{key}={v} is not one of {}; using {best}.", list.join(", ")),
        );
        best
    }

    /// A yes/no flag: `1/0`, `true/false`, `yes/no`, `on/off`; a bare `key` is yes.
    pub fn flag(&mut self, key: &str, default: bool) -> bool {
        let Some(raw) = self.raw(key) else {
            return default;
        };
        match raw.trim().to_ascii_lowercase().as_str() {
            "" | "1" | "true" | "yes" | "on" => true,
            "0" | "false" | "no" | "off" => false,
            _ => {
                let d = if default { 1 } else { 0 };
                self.note(
                    key,
                    format!("{key}={} is not 0 or 1; using {d}.", quote(raw)),
                );
                default
            }
        }
    }

    /// Checks that `value` (already read as `key`) divides `whole` (named `whole_key`).
    /// If not, notes the nearest divisors and returns the nearest one (ties: the smaller):
    /// "M=5 must divide C=16; nearest valid: 4 or 8; using 4."
    pub fn divisor_of(&mut self, key: &str, value: usize, whole: usize, whole_key: &str) -> usize {
        // Every value "divides" 0, but an empty whole has no valid choice: note it, use 1.
        if value > 0 && whole > 0 && whole.is_multiple_of(value) {
            return value;
        }
        let (below, above) = neighbour_divisors(value, whole);
        let used = match (below, above) {
            (Some(b), Some(a)) if value - b <= a - value => b,
            (_, Some(a)) => a,
            (Some(b), None) => b,
            (None, None) => 1,
        };
        let options = match (below, above) {
            (Some(b), Some(a)) if a != b => format!("{b} or {a}"),
            (Some(b), _) => b.to_string(),
            (None, Some(a)) => a.to_string(),
            (None, None) => "1".to_string(),
        };
        self.note(
            key,
            format!("{key}={value} must divide {whole_key}={whole}; nearest valid: {options}; using {used}."),
        );
        used
    }

    /// The notes, including one per key that no reader asked for (other than the
    /// global keys `theme` and `embed`).
    pub fn finish(mut self) -> Vec<Note> {
        let mut unknown: Vec<&str> = Vec::new();
        for (k, _) in self.query.pairs() {
            if !self.read.iter().any(|r| r == k)
                && !GLOBAL_KEYS.contains(&k.as_str())
                && !unknown.contains(&k.as_str())
            {
                unknown.push(k);
            }
        }
        for k in unknown {
            self.notes.push(Note::new(
                k,
                format!(
                    "This page has no parameter \u{201c}{}\u{201d}; it is ignored.",
                    quote(k)
                ),
            ));
        }
        self.notes
    }
}

/// The divisors of `whole` just below and just above `value`.
pub fn neighbour_divisors(value: usize, whole: usize) -> (Option<usize>, Option<usize>) {
    if whole == 0 {
        return (None, None);
    }
    let below = (1..=value.min(whole))
        .rev()
        .find(|d| whole.is_multiple_of(*d));
    let above = (value.max(1)..=whole).find(|d| whole.is_multiple_of(*d));
    (below, above)
}

fn nearest(v: i64, allowed: impl Iterator<Item = i64>) -> Option<i64> {
    allowed.min_by_key(|a| ((*a as i128 - v as i128).abs(), *a))
}

fn parse_num(raw: &str) -> Num {
    let t = raw.trim_matches(|c: char| c.is_ascii_whitespace());
    if t.is_empty() || t.len() > 64 {
        // An over-long run of digits is still a (huge) number.
        return if t.len() > 64 && is_int_text(t) {
            Num::Int(if t.starts_with('-') {
                i128::MIN
            } else {
                i128::MAX
            })
        } else {
            Num::Bad
        };
    }
    if is_int_text(t) {
        return match t.parse::<i128>() {
            Ok(i) => Num::Int(i),
            Err(_) => Num::Int(if t.starts_with('-') {
                i128::MIN
            } else {
                i128::MAX
            }),
        };
    }
    let real_text = t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    match t.parse::<f64>() {
        Ok(r) if real_text && r.is_finite() => Num::Real(r),
        Ok(r) if real_text && r.is_infinite() => {
            Num::Int(if r < 0.0 { i128::MIN } else { i128::MAX })
        }
        _ => Num::Bad,
    }
}

fn is_int_text(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}
