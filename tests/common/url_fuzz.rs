//! Hostile URL queries for every route, and the notes a page must show for them.
//!
//! Shared by the native test (`tests/url_fuzz.rs`) and the same cases compiled to wasm32
//! and run in headless Chromium (`tests/web_widgets.rs`), where `usize` is 32 bits wide.
//! Each case packs up to a dozen generated `key=value` pairs (sometimes 70–100): huge
//! numbers, negatives, NaN, infinities, text, unicode, empty and very long values, broken
//! escapes, repeated keys, unknown keys. The stream is deterministic: case `i` of a route
//! for a seed is always the same string, so a failure names seed, route and case and replays.
//!
//! The expectations are worked out here from the generated pairs, independently of the
//! app's parser: a note (keyed by the URL key, `""` for the whole link) for every unknown
//! key, every repeated key, every clearly invalid value, a link over 4096 characters and
//! a link with more than 64 pairs; and no panic, whatever the query.

use std::collections::BTreeSet;

/// Keys each route reads (the home page is `""`).
pub const ROUTES: &[(&str, &[&str])] = &[
    ("", &["cin", "cout", "g", "hw", "k"]),
    (
        "why",
        &[
            "len", "M", "N", "C", "K", "D", "s", "p", "bias", "w", "t", "input",
        ],
    ),
    ("bottleneck", &["K", "M", "N", "bias", "input", "sel"]),
    ("group", &["C", "K", "M", "N", "bias", "edit", "input"]),
    ("depthwise", &["C", "K", "N", "bias", "mult", "input"]),
    ("dilated", &["L", "n", "c", "f", "T"]),
    ("equivariant", &["f", "K", "G", "h", "input"]),
    ("ghost", &["C", "n", "K", "s", "d", "bias", "input"]),
    ("squeezenet", &["C", "E1", "E3", "S", "bn", "box", "input"]),
    (
        "mobilenet",
        &["C", "N", "bn", "box", "s", "t", "v", "input"],
    ),
    (
        "shufflenet",
        &["B", "C", "bn", "box", "f", "g", "n", "input"],
    ),
    ("shiftnet", &["k", "m", "f", "depth", "C", "H", "in"]),
    (
        "zoo",
        &[
            "model", "width", "res", "g", "eps", "classes", "conv", "units", "sort", "dir", "twin",
        ],
    ),
];

/// Keys the shell reads on every page (`hide` names controls, checked in the browser).
pub const GLOBAL_KEYS: &[&str] = &["theme", "embed", "panel"];

/// The app's limits on a link (mirrors `src/route.rs`).
pub const MAX_URL_CHARS: usize = 4096;
/// The most `key=value` pairs read from a link.
pub const MAX_PAIRS: usize = 64;

/// Values no key of any page accepts as given: each must produce a note for its key.
const INVALID: &[&str] = &[
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1e999",
    "1e30",
    "-1e30",
    "99999999999999999999999",
    "-99999999999999999999",
    "18446744073709551616",
    "1e308",
    "abc",
    "three",
    "null",
    "undefined",
    "true-ish",
    "<script>alert(1)</script>",
    "'; drop table",
    "\u{1F600}",
    "\u{e9}\u{e8}",
    "\u{663}",
    "\u{FF13}",
    "\u{202E}evil",
    "K\u{301}",
    "\u{0}",
];
/// Values that may or may not be valid for a key: no expectation beyond "no crash".
const MAYBE: &[&str] = &[
    "",
    " ",
    "\n",
    "\t",
    "0",
    "-0",
    "1",
    "2",
    "3",
    "4",
    "5",
    "7",
    "8",
    "9",
    "16",
    "32",
    "64",
    "100",
    "1000",
    "-1",
    "-2",
    "-7",
    "1.5",
    "2.5",
    "0.5",
    "+3",
    " 5 ",
    "1e2",
    "0x10",
    "1,2",
    "1;2",
    "3.",
    ".5",
    "0.0001",
    "1e-9",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "4294967297",
    "digit",
    "edges",
    "checker",
    "photo",
    "random-1",
    "random-99999999999999999999",
    "draw-",
    "draw-zz",
    "dark",
    "light",
    "projector",
    "desc",
    "asc",
    "macs",
    "params",
    "flops",
    "lecture",
    "torchvision",
    "mobilenet_v2",
    "squeezenet1_0",
    "shufflenet_v1",
    "shufflenet_v2",
    "p4",
    "p4m",
    "corner",
    "edge",
    "3x3@1,3x3@2",
    "3@1,3@2,3@4",
    "1.1",
    "0.0",
    "9.9",
    "-1.-1",
    "3x3@0",
    "99x99@99",
    ",,,",
    "x@",
    "1d1",
    "3d2,3d4",
    "7d99",
    "3d1,3d1,3d1,3d1,3d1,3d1,3d1,3d1",
];
/// Raw (already URL-encoded or deliberately broken) pieces placed verbatim.
const RAW: &[&str] = &[
    "%", "%zz", "%E0%A4", "%00", "%0A", "%FF%FE", "%25", "%2B", "+", "=", "==", "%26",
];

/// One generated `key=value` pair: the key, the value as placed in the link, and whether
/// the value is one no page accepts.
#[derive(Clone, Debug)]
pub struct Pair {
    /// The key (ASCII).
    pub key: String,
    /// The value, URL-encoded (or deliberately broken).
    pub raw: String,
    /// Must be noted when it is the key's first, whole occurrence.
    pub invalid: bool,
}

/// A generated query.
#[derive(Clone, Debug)]
pub struct Case {
    /// The query after `?` (ASCII, as a location hash keeps it).
    pub query: String,
    /// The pairs it was made from, in order.
    pub pairs: Vec<Pair>,
}

/// splitmix64: a small seeded generator, so cases replay exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// `encodeURIComponent`: every byte but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` as `%XX`.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Case `index` of route `id` for `seed`, using the route's `known` keys.
pub fn make_case(seed: u64, id: &str, index: u64, known: &[&str]) -> Case {
    let mut rng = Rng(seed.wrapping_mul(1_000_003) ^ index.wrapping_mul(7919) ^ hash(id));
    let shape = rng.unit();
    let count = if shape < 0.03 {
        70 + rng.below(30)
    } else {
        1 + rng.below(12)
    };
    let mut pairs: Vec<Pair> = Vec::new();
    for _ in 0..count {
        let r = rng.unit();
        let key = if r < 0.72 {
            rng.pick(known).to_string()
        } else if r < 0.8 {
            rng.pick(GLOBAL_KEYS).to_string()
        } else if r < 0.9 && !pairs.is_empty() {
            let i = rng.below(pairs.len());
            pairs[i].key.clone()
        } else {
            format!(
                "zz{}{}",
                rng.pick(&["", "_", "9", "K", "M"]),
                rng.below(100)
            )
        };
        let v = rng.unit();
        let (raw, invalid) = if v < 0.45 {
            (encode(rng.pick(INVALID)), true)
        } else if v < 0.85 {
            (encode(rng.pick(MAYBE)), false)
        } else if v < 0.95 {
            (rng.pick(RAW).to_string(), false)
        } else {
            let unit = rng.pick(&["x", "9", "\u{e9}", "-"]);
            let raw = encode(unit).repeat(500 + rng.below(5000));
            let invalid = unit == "x" || unit == "\u{e9}";
            (raw, invalid)
        };
        pairs.push(Pair { key, raw, invalid });
    }
    if shape > 0.97 {
        pairs.push(Pair {
            key: "zzlong".into(),
            raw: "y".repeat(MAX_URL_CHARS + 10),
            invalid: true,
        });
    }
    let query = pairs
        .iter()
        .map(|p| format!("{}={}", encode(&p.key), p.raw))
        .collect::<Vec<_>>()
        .join("&");
    Case { query, pairs }
}

/// The note keys a page must show for `case`, as the app reads a link: its first 4096
/// characters, the non-empty `&`-separated parts, the first 64 pairs with a non-blank key.
pub fn expected_note_keys(case: &Case, known: &[&str]) -> BTreeSet<String> {
    let mut want = BTreeSet::new();
    let mut q: &str = &case.query;
    if q.chars().count() > MAX_URL_CHARS {
        // The generated query is ASCII: characters are bytes.
        q = &q[..MAX_URL_CHARS];
        want.insert(String::new());
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut kept = 0;
    let mut gen = case.pairs.iter();
    for part in q.split('&') {
        if part.is_empty() {
            continue;
        }
        if kept == MAX_PAIRS {
            want.insert(String::new());
            break;
        }
        // Parts and pairs align: values never hold a bare '&' and keys are never empty.
        let pair = gen.next();
        let key = part.split('=').next().unwrap_or(part).to_string();
        if key.trim().is_empty() {
            continue;
        }
        kept += 1;
        let whole = pair.is_some_and(|p| format!("{}={}", encode(&p.key), p.raw) == part);
        let times = match seen.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                seen.push((key.clone(), 1));
                1
            }
        };
        let is_known = known.contains(&key.as_str()) || GLOBAL_KEYS.contains(&key.as_str());
        if !is_known || times > 1 || (whole && pair.is_some_and(|p| p.invalid)) {
            want.insert(key);
        }
    }
    want
}

/// Runs cases `0..cases` of every route through `notes_for` (the app's reader for a hash
/// `#/id?query`), checking each against [`expected_note_keys`]. Returns the first failure
/// as a message that replays it.
pub fn run(
    seed: u64,
    cases: u64,
    notes_for: impl Fn(&str) -> Vec<(String, String)>,
) -> Result<u64, String> {
    let mut total = 0;
    for (id, known) in ROUTES {
        for i in 0..cases {
            let case = make_case(seed, id, i, known);
            let hash = format!("#/{id}?{}", case.query);
            let notes = notes_for(&hash);
            let want = expected_note_keys(&case, known);
            let shown: BTreeSet<&str> = notes.iter().map(|(k, _)| k.as_str()).collect();
            let short: String = case.query.chars().take(300).collect();
            let r#where = format!("seed {seed}, route #/{id}, case {i}: #/{id}?{short}");
            for k in &want {
                if !shown.contains(k.as_str()) {
                    return Err(format!(
                        "no note for key {k:?} [{where}]\n  notes shown: {notes:?}",
                        r#where = r#where
                    ));
                }
            }
            for (k, message) in &notes {
                let len = message.chars().count();
                if message.trim().is_empty() || len > 600 {
                    return Err(format!(
                        "note for {k:?} is empty or {len} characters long [{where}]",
                        r#where = r#where
                    ));
                }
            }
            total += 1;
        }
    }
    Ok(total)
}
