//! Queries and routes: the location hash `#/<lesson>?<key>=<value>&…` split into
//! its lesson id and its decoded pairs, and written back percent-encoded.

use std::fmt;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

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

/// Bytes written as they are in a URL value: letters, digits and `-_.~`, and `,`
/// (lists such as `hide=K,s` or a dilated stack stay readable in the address bar).
const KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b',');

/// Percent-decodes (and `+` → space); invalid escapes and invalid UTF-8 are kept/replaced, never fail.
pub fn decode(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

fn encode_into(s: &str, out: &mut String) {
    out.extend(utf8_percent_encode(s, KEEP));
}
