//! Typed URL state: every lesson's parameters live in the location hash,
//! `#/<lesson>?<key>=<value>&…`, so any view can be shared as a link and
//! restored exactly, from any sub-path of any static host and inside an iframe.
//!
//! Parsing never panics and never silently changes a value: every value that
//! is clamped, rounded, replaced or ignored produces a [`Note`] the page shows
//! ("K=0 is below the minimum 1; using 1").
//!
//! A lesson reads its state with [`Params`] and writes it back with
//! [`write_lesson_state`] (history.replaceState, debounced: no history entries,
//! no reload):
//!
//! ```
//! use convlab::route::{Params, Query};
//! let q = Query::parse("M=7&K=0&K=5&s=two&zzz=1");
//! let mut p = Params::new(&q);
//! let m = p.usize("M", 8, 1, 32);
//! let k = p.usize("K", 3, 1, 7);
//! let s = p.usize("s", 1, 1, 4);
//! let notes = p.finish();
//! assert_eq!((m, k, s), (7, 1, 1));
//! assert_eq!(notes.len(), 4); // K repeated, K=0 clamped, s not a number, zzz unknown
//! ```

use std::fmt;

/// Keys every page understands (set by the shell, kept when a lesson writes its state):
/// the theme, embed mode, the controls to hide (`hide=K,s`) and the one figure
/// panel to show (`panel=2`).
pub const GLOBAL_KEYS: [&str; 4] = ["theme", "embed", "hide", "panel"];

/// Name of the window event dispatched after the URL state was rewritten in place
/// (a lesson's parameters changed); the presenter API reports it to a host page.
pub const STATE_EVENT: &str = "convlab-statechange";

/// Longest hash or query string read; the rest is ignored with a note.
pub const MAX_URL_CHARS: usize = 4096;

/// Most `key=value` pairs read; the rest are ignored with a note.
pub const MAX_PAIRS: usize = 64;

/// Longest value quoted back in a note.
const MAX_QUOTE_CHARS: usize = 24;

/// Something the page tells the reader about how the URL was understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The URL key concerned (empty for notes about the whole URL).
    pub key: String,
    /// A complete sentence: what was wrong and what is used instead.
    pub message: String,
}

impl Note {
    /// A note about `key`.
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Note {
            key: key.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Decoded `key=value` pairs in URL order (repeated keys kept; see [`Query::get`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
    notes: Vec<Note>,
}

impl Query {
    /// Parses `a=1&b=two` (a leading `?` is skipped). `+` is a space, `%XX`
    /// is decoded; a broken escape is kept literally. Never fails.
    pub fn parse(raw: &str) -> Query {
        let mut notes = Vec::new();
        let raw = raw.strip_prefix('?').unwrap_or(raw);
        let raw = truncate_chars(raw, MAX_URL_CHARS, &mut notes);
        let mut pairs = Vec::new();
        for part in raw.split('&').filter(|p| !p.is_empty()) {
            if pairs.len() == MAX_PAIRS {
                notes.push(Note::new(
                    "",
                    format!("The link has more than {MAX_PAIRS} parameters; the rest are ignored."),
                ));
                break;
            }
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let key = decode(k);
            if key.trim().is_empty() {
                continue;
            }
            pairs.push((key, decode(v)));
        }
        Query { pairs, notes }
    }

    /// A query from pairs (as a lesson writes its state).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Query {
        Query {
            pairs: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            notes: Vec::new(),
        }
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// How many times `key` occurs.
    pub fn count(&self, key: &str) -> usize {
        self.pairs.iter().filter(|(k, _)| k == key).count()
    }

    /// All pairs, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Notes about the query as a whole (too long, too many pairs).
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// The same query with `key` set to `value` (replacing every occurrence, or appended).
    pub fn with(&self, key: &str, value: impl Into<String>) -> Query {
        let mut pairs: Vec<(String, String)> = Vec::with_capacity(self.pairs.len() + 1);
        let value = value.into();
        let mut placed = false;
        for (k, v) in &self.pairs {
            if k == key {
                if !placed {
                    pairs.push((k.clone(), value.clone()));
                    placed = true;
                }
            } else {
                pairs.push((k.clone(), v.clone()));
            }
        }
        if !placed {
            pairs.push((key.to_string(), value));
        }
        Query {
            pairs,
            notes: Vec::new(),
        }
    }

    /// The same query without `key`, keeping the notes about how the link was read
    /// (a lesson that parses the rest still shows "the link is longer than …").
    pub fn without(&self, key: &str) -> Query {
        Query {
            pairs: self
                .pairs
                .iter()
                .filter(|(k, _)| k != key)
                .cloned()
                .collect(),
            notes: self.notes.clone(),
        }
    }

    /// `a=1&b=two` with keys and values percent-encoded (no leading `?`).
    pub fn serialize(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            encode_into(k, &mut out);
            out.push('=');
            encode_into(v, &mut out);
        }
        out
    }
}

/// Where the hash points: a lesson id (empty for home) and its query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route {
    /// Lesson id, lower case, e.g. `why`; empty for the home page.
    pub id: String,
    /// The parameters after `?`.
    pub query: Query,
}

impl Route {
    /// Parses a location hash: `#/why?M=8`, `#why`, `/why/`, `#/` and `` all work.
    pub fn parse(hash: &str) -> Route {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let id = decode(path).trim().trim_matches('/').trim().to_lowercase();
        let id: String = id.chars().take(64).collect();
        Route {
            id,
            query: Query::parse(query),
        }
    }

    /// A route to lesson `id` with `query`.
    pub fn new(id: impl Into<String>, query: Query) -> Route {
        Route {
            id: id.into(),
            query,
        }
    }

    /// `#/why?M=8&N=8` (just `#/why` without parameters, `#/` for home).
    pub fn to_hash(&self) -> String {
        let q = self.query.serialize();
        if q.is_empty() {
            format!("#/{}", self.id)
        } else {
            format!("#/{}?{q}", self.id)
        }
    }
}

/// The hash link to lesson `id` with its state `pairs`, keeping the global keys of `current`.
pub fn lesson_hash(id: &str, pairs: &[(&str, String)], current: &Query) -> String {
    let mut all: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !GLOBAL_KEYS.contains(k))
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    for g in GLOBAL_KEYS {
        if let Some(v) = current.get(g) {
            all.push((g.to_string(), v.to_string()));
        }
    }
    Route::new(id, Query::from_pairs(all)).to_hash()
}

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
        if value < min as i128 {
            self.note(
                key,
                format!(
                    "{key}={} is below the minimum {min}; using {min}.",
                    quote(raw)
                ),
            );
            min
        } else if value > max as i128 {
            self.note(
                key,
                format!(
                    "{key}={} is above the maximum {max}; using {max}.",
                    quote(raw)
                ),
            );
            max
        } else {
            value as i64
        }
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
        if value < min {
            self.note(
                key,
                format!(
                    "{key}={} is below the minimum {min}; using {min}.",
                    quote(raw)
                ),
            );
            min
        } else if value > max {
            self.note(
                key,
                format!(
                    "{key}={} is above the maximum {max}; using {max}.",
                    quote(raw)
                ),
            );
            max
        } else {
            value
        }
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

/// A value as quoted in a note: at most a few characters, control characters escaped.
/// A URL value as a note quotes it: its first characters (control characters
/// replaced), with an ellipsis when cut.
pub fn quote(v: &str) -> String {
    let mut out: String = v
        .chars()
        .take(MAX_QUOTE_CHARS)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if v.chars().count() > MAX_QUOTE_CHARS {
        out.push('\u{2026}');
    }
    out
}

fn truncate_chars<'a>(s: &'a str, max: usize, notes: &mut Vec<Note>) -> &'a str {
    match s.char_indices().nth(max) {
        Some((i, _)) => {
            notes.push(Note::new(
                "",
                format!("The link is longer than {max} characters; the rest is ignored."),
            ));
            &s[..i]
        }
        None => s,
    }
}

/// Percent-decodes (and `+` → space); invalid escapes and invalid UTF-8 are kept/replaced, never fail.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < bytes.len()
                && hex(bytes[i + 1]).is_some()
                && hex(bytes[i + 2]).is_some() =>
            {
                let hi = hex(bytes[i + 1]).unwrap_or(0);
                let lo = hex(bytes[i + 2]).unwrap_or(0);
                out.push(hi * 16 + lo);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn encode_into(s: &str, out: &mut String) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b',') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[(b >> 4) as usize]));
            out.push(char::from(b"0123456789ABCDEF"[(b & 15) as usize]));
        }
    }
}

// ---------------------------------------------------------------------------
// Browser side: reading the location and writing state back.
// ---------------------------------------------------------------------------

/// The current location hash (`#/why?M=8`), or empty outside a browser.
pub fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page's own query string (`?embed=1` before the hash), parsed.
pub fn page_query() -> Query {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    Query::parse(&search)
}

/// Replaces the hash now with history.replaceState: no new history entry, no
/// reload, no `hashchange`. Errors (e.g. a sandboxed frame) are ignored: the
/// page keeps working, only the link stops following.
pub fn replace_hash_now(hash: &str) {
    let Some(w) = web_sys::window() else { return };
    if w.location().hash().ok().as_deref() == Some(hash) {
        return;
    }
    if let Ok(h) = w.history() {
        if h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash))
            .is_ok()
        {
            if let Ok(ev) = web_sys::Event::new(STATE_EVENT) {
                let _ = w.dispatch_event(&ev);
            }
        }
    }
}

thread_local! {
    /// The write waiting for its timer: (the hash when it was asked for, the hash to write).
    static PENDING: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

/// How long URL writes are collected before one replaceState (browsers throttle
/// frequent history calls, and a dragged slider fires many).
pub const WRITE_DELAY_MS: u64 = 150;

/// Replaces the hash after [`WRITE_DELAY_MS`]; later calls in that window win.
/// The write is dropped if the location changed meanwhile (a followed link, an
/// edited address): the page shown for the new location writes its own state,
/// and a stale write must not replace the link the reader just opened.
pub fn replace_hash(hash: String) {
    let base = current_hash();
    let already = PENDING.with(|p| p.borrow_mut().replace((base, hash)).is_some());
    if already {
        return;
    }
    leptos::prelude::set_timeout(
        || {
            if let Some((base, h)) = PENDING.with(|p| p.borrow_mut().take()) {
                if pending_write_applies(&base, &h, &current_hash()) {
                    replace_hash_now(&h);
                }
            }
        },
        std::time::Duration::from_millis(WRITE_DELAY_MS),
    );
}

/// Whether a debounced write of `hash`, asked for at location `base`, still
/// applies at location `now`: only while the location is unchanged (and so
/// still on the page that asked for it).
pub fn pending_write_applies(base: &str, hash: &str, now: &str) -> bool {
    base == now && Route::parse(hash).id == Route::parse(now).id
}

/// Writes a lesson's state to the URL (debounced replaceState), keeping the
/// global keys (`theme`, `embed`) already there. Call it from an `Effect`
/// that reads the lesson's signals:
///
/// ```ignore
/// Effect::new(move |_| {
///     route::write_lesson_state("why", &[("M", m.get().to_string()), ("K", k.get().to_string())]);
/// });
/// ```
pub fn write_lesson_state(id: &str, pairs: &[(&str, String)]) {
    let current = Route::parse(&current_hash());
    if current.id != id {
        // The reader navigated away before this write ran.
        return;
    }
    replace_hash(lesson_hash(id, pairs, &current.query));
}

/// Sets (or with `None` removes) a global key in the current hash, keeping everything else.
pub fn write_global(key: &str, value: Option<&str>) {
    let current = Route::parse(&current_hash());
    let query = match value {
        Some(v) => current.query.with(key, v),
        None => current.query.without(key),
    };
    replace_hash_now(&Route::new(current.id, query).to_hash());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_debounced_write_never_replaces_a_newly_opened_link() {
        // Slider moved on #/why?M=8, write of M=9 pending: applies while nothing else moved.
        assert!(pending_write_applies("#/why?M=8", "#/why?M=9", "#/why?M=8"));
        // The reader opened another link to the same lesson before the timer: keep it.
        assert!(!pending_write_applies(
            "#/why?M=8",
            "#/why?M=9",
            "#/why?K=5"
        ));
        // Or went to another lesson.
        assert!(!pending_write_applies("#/why?M=8", "#/why?M=9", "#/group"));
    }

    #[test]
    fn without_keeps_the_link_notes() {
        let long = format!("a=1&input=digit&b={}", "x".repeat(MAX_URL_CHARS));
        let q = Query::parse(&long);
        assert_eq!(q.notes().len(), 1);
        let rest = q.without("input");
        assert_eq!(rest.notes(), q.notes());
        assert_eq!(
            Params::new(&rest).finish().len(),
            3,
            "too long, unknown a, unknown b"
        );
    }

    fn read_int(q: &str, key: &str, d: i64, lo: i64, hi: i64) -> (i64, Vec<Note>) {
        let q = Query::parse(q);
        let mut p = Params::new(&q);
        let v = p.int(key, d, lo, hi);
        (v, p.finish())
    }

    #[test]
    fn route_forms() {
        for h in [
            "#/why?M=8",
            "#why?M=8",
            "/why/?M=8",
            "#/WHY?M=8",
            "#%2Fwhy?M=8",
        ] {
            let r = Route::parse(h);
            assert_eq!(r.id, "why", "{h}");
            assert_eq!(r.query.get("M"), Some("8"), "{h}");
        }
        for h in ["", "#", "#/", "#/?", "/"] {
            assert_eq!(Route::parse(h).id, "", "{h}");
        }
        assert_eq!(Route::parse("#/why").to_hash(), "#/why");
        assert_eq!(Route::parse("").to_hash(), "#/");
    }

    #[test]
    fn serialize_round_trip() {
        let q = Query::from_pairs([
            ("M", "8".to_string()),
            ("input", "digit".to_string()),
            ("weird key", "a&b=c d%/?#é😀".to_string()),
            ("empty", String::new()),
        ]);
        let r = Route::new("why", q.clone());
        let back = Route::parse(&r.to_hash());
        assert_eq!(back.id, "why");
        assert_eq!(back.query.pairs(), q.pairs());
        // And serializing again is stable.
        assert_eq!(back.to_hash(), r.to_hash());
    }

    #[test]
    fn params_round_trip_through_reader() {
        let hash = lesson_hash(
            "why",
            &[
                ("M", "12".into()),
                ("K", "5".into()),
                ("input", "edges".into()),
            ],
            &Query::parse("theme=dark&embed=1&M=3"),
        );
        assert_eq!(hash, "#/why?M=12&K=5&input=edges&theme=dark&embed=1");
        let r = Route::parse(&hash);
        let mut p = Params::new(&r.query);
        assert_eq!(p.usize("M", 8, 1, 32), 12);
        assert_eq!(p.int_in("K", 3, &[1, 3, 5, 7]), 5);
        assert_eq!(p.choice("input", "digit", &["digit", "edges"]), "edges");
        assert!(p.finish().is_empty());
    }

    #[test]
    fn in_range_values_have_no_note() {
        let (v, n) = read_int("K=3", "K", 1, 1, 7);
        assert_eq!(v, 3);
        assert!(n.is_empty());
        let (v, n) = read_int("", "K", 3, 1, 7);
        assert_eq!(v, 3);
        assert!(n.is_empty());
        let (v, n) = read_int("K=+5", "K", 3, 1, 7);
        assert_eq!(v, 5);
        assert!(n.is_empty());
        let (v, n) = read_int("K=%205%20", "K", 3, 1, 7);
        assert_eq!(v, 5);
        assert!(n.is_empty());
    }

    #[test]
    fn clamping_messages_are_specific() {
        let (v, n) = read_int("K=0", "K", 3, 1, 7);
        assert_eq!(v, 1);
        assert_eq!(n[0].message, "K=0 is below the minimum 1; using 1.");
        assert_eq!(n[0].key, "K");
        let (v, n) = read_int("K=9", "K", 3, 1, 7);
        assert_eq!(v, 7);
        assert_eq!(n[0].message, "K=9 is above the maximum 7; using 7.");
        let (v, n) = read_int("K=-4", "K", 3, 1, 7);
        assert_eq!(v, 1);
        assert!(n[0].message.contains("below the minimum 1"));
    }

    #[test]
    fn hostile_numbers_never_panic_and_are_explained() {
        let cases: &[(&str, i64, &str)] = &[
            ("K=NaN", 3, "not a number"),
            ("K=nan", 3, "not a number"),
            ("K=inf", 3, "not a number"),
            ("K=1e999", 7, "above the maximum"),
            ("K=-1e999", 1, "below the minimum"),
            (
                "K=99999999999999999999999999999999999999999999",
                7,
                "above the maximum",
            ),
            (
                "K=-99999999999999999999999999999999999999999999",
                1,
                "below the minimum",
            ),
            (&format!("K={}", "9".repeat(200)), 7, "above the maximum"),
            ("K=", 3, "has no value"),
            ("K", 3, "has no value"),
            ("K=%E0%A5%A9", 3, "not a number"), // Devanagari digit three
            ("K=\u{0663}", 3, "not a number"),  // Arabic-Indic digit three
            ("K=3%00", 3, "not a number"),
            ("K=%ZZ", 3, "not a number"),
            ("K=0x10", 3, "not a number"),
            ("K=2.5", 3, "not a whole number"),
            ("K=4.6", 5, "not a whole number"),
            ("K=1.7976931348623157e308", 7, "above the maximum"),
            ("K=--3", 3, "not a number"),
            ("K=%FF%FE", 3, "not a number"),
        ];
        for (q, want, msg) in cases {
            let (v, n) = read_int(q, "K", 3, 1, 7);
            assert_eq!(v, *want, "{q}");
            assert!(
                n.iter().any(|n| n.message.contains(msg)),
                "{q}: {n:?} should mention {msg}"
            );
            for note in &n {
                assert!(note.message.chars().count() < 200, "{q}: note too long");
            }
        }
    }

    #[test]
    fn repeated_keys_use_the_first_and_say_so() {
        let (v, n) = read_int("K=5&K=1&K=7", "K", 3, 1, 7);
        assert_eq!(v, 5);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].message, "K is given 3 times; using the first (K=5).");
    }

    #[test]
    fn unknown_keys_are_reported_once_global_keys_are_not() {
        let q = Query::parse("zzz=1&zzz=2&theme=dark&embed=1&K=3");
        let mut p = Params::new(&q);
        let _ = p.int("K", 3, 1, 7);
        let n = p.finish();
        assert_eq!(n.len(), 1);
        assert!(n[0].message.contains("no parameter \u{201c}zzz\u{201d}"));
    }

    #[test]
    fn choice_and_flag() {
        let q = Query::parse("input=EDGES&theme=%3Cscript%3E&embed=maybe&x=off");
        let mut p = Params::new(&q);
        assert_eq!(p.choice("input", "digit", &["digit", "edges"]), "edges");
        assert_eq!(p.choice("theme", "light", &["light", "dark"]), "light");
        assert!(!p.flag("embed", false));
        assert!(!p.flag("x", true));
        let n = p.finish();
        assert_eq!(n.len(), 2);
        assert_eq!(
            n[0].message,
            "theme=<script> is not one of light, dark; using light."
        );
        assert_eq!(n[1].message, "embed=maybe is not 0 or 1; using 0.");
    }

    #[test]
    fn int_in_snaps_to_nearest_member() {
        let q = Query::parse("K=4&L=6");
        let mut p = Params::new(&q);
        assert_eq!(p.int_in("K", 3, &[1, 3, 5, 7]), 3);
        assert_eq!(p.int_in("L", 3, &[1, 3, 5, 7]), 5);
        let n = p.finish();
        assert_eq!(n[0].message, "K=4 is not one of 1, 3, 5, 7; using 3.");
    }

    #[test]
    fn divisors() {
        let q = Query::default();
        let mut p = Params::new(&q);
        assert_eq!(p.divisor_of("M", 5, 16, "C"), 4);
        assert_eq!(p.divisor_of("M", 7, 16, "C"), 8);
        assert_eq!(p.divisor_of("M", 8, 16, "C"), 8);
        assert_eq!(p.divisor_of("M", 0, 16, "C"), 1);
        assert_eq!(p.divisor_of("M", 40, 16, "C"), 16);
        assert_eq!(p.divisor_of("M", 3, 0, "C"), 1);
        let n = p.finish();
        assert_eq!(
            n[0].message,
            "M=5 must divide C=16; nearest valid: 4 or 8; using 4."
        );
        assert_eq!(
            n[1].message,
            "M=7 must divide C=16; nearest valid: 4 or 8; using 8."
        );
        assert_eq!(n.len(), 5);
        assert_eq!(
            n[4].message,
            "M=3 must divide C=0; nearest valid: 1; using 1."
        );
        assert_eq!(neighbour_divisors(6, 12), (Some(6), Some(6)));
    }

    #[test]
    fn float_reader() {
        let q = Query::parse("a=0.25&b=NaN&c=-2&d=1e3");
        let mut p = Params::new(&q);
        assert_eq!(p.float("a", 1.0, 0.0, 1.0), 0.25);
        assert_eq!(p.float("b", 1.0, 0.0, 1.0), 1.0);
        assert_eq!(p.float("c", 1.0, 0.0, 1.0), 0.0);
        assert_eq!(p.float("d", 1.0, 0.0, 1.0), 1.0);
        assert_eq!(p.finish().len(), 3);
    }

    #[test]
    fn huge_and_broken_urls() {
        let long = format!("#/why?{}", "a=1&".repeat(5000));
        let r = Route::parse(&long);
        assert_eq!(r.id, "why");
        assert!(r.query.pairs().len() <= MAX_PAIRS);
        assert!(!r.query.notes().is_empty());
        // Broken escapes, lone separators, unicode keys.
        let r = Route::parse("#/why?%&=&==&%E2%82&é=ü&&&?x=1");
        assert_eq!(r.id, "why");
        assert_eq!(r.query.get("é"), Some("ü"));
        let mut p = Params::new(&r.query);
        let _ = p.usize("x", 1, 0, 3);
        let notes = p.finish();
        assert!(notes.iter().all(|n| !n.message.is_empty()));
    }

    #[test]
    fn with_and_without() {
        let q = Query::parse("a=1&theme=dark&a=2");
        assert_eq!(q.with("a", "3").serialize(), "a=3&theme=dark");
        assert_eq!(q.with("b", "x y").serialize(), "a=1&theme=dark&a=2&b=x%20y");
        assert_eq!(q.without("theme").serialize(), "a=1&a=2");
    }
}
