//! Unit tests of the query, reader and browser-glue functions.

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

#[test]
fn decoding_keeps_broken_escapes_and_reads_plus_as_space() {
    assert_eq!(decode("a+b%2Bc"), "a b+c");
    assert_eq!(decode("%"), "%");
    assert_eq!(decode("50%"), "50%");
    assert_eq!(decode("%4"), "%4");
    assert_eq!(decode("%zz1"), "%zz1");
    assert_eq!(decode("%41%42"), "AB");
    assert_eq!(decode("%E2%82"), "\u{fffd}");
    assert_eq!(decode("%C3%A9"), "é");
}

#[test]
fn encoding_keeps_lists_readable() {
    let q = Query::from_pairs([("hide", "K,s"), ("stack", "3d1, 3d2"), ("x", "a/b?c#d")]);
    assert_eq!(q.serialize(), "hide=K,s&stack=3d1,%203d2&x=a%2Fb%3Fc%23d");
}

#[allow(dead_code)]
mod declared {
    use crate::route::{Named, Params, Query, Range};

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Fill {
        Edges,
        Random,
    }

    impl Named for Fill {
        const ALL: &'static [Fill] = &[Fill::Edges, Fill::Random];
        fn name(self) -> &'static str {
            match self {
                Fill::Edges => "edges",
                Fill::Random => "random",
            }
        }
    }

    crate::lesson_state! {
        /// A state with every kind of field and a rule between two of them.
        #[derive(Clone, Copy, Debug, PartialEq)]
        struct Demo, signals DemoSignals {
            /// Kernel.
            k: usize = 3; "K", "K", "kernel size", Range::OneOf(&[1, 3, 5, 7]),
            /// Padding, default (K-1)/2.
            p: usize = 1; "p", "p", "padding", Range::Ints(0, 9),
            /// A ratio.
            r: f64 = 0.5; "r", "r", "ratio", Range::Reals(0.0, 1.0),
            /// Fill.
            w: Fill = Fill::Edges; "w", "w", "weights", Range::Names(&["edges", "random"]),
            /// Edited channel, only in the link when set.
            edit: Option<usize> = None; "edit", "edit", "edited channel", Range::Ints(0, 7),
            /// Bias.
            bias: bool = true; "bias", "bias", "bias", Range::Flag,
        }
        fix = Demo::fix;
    }

    impl Demo {
        fn fix(&mut self, p: &mut Params<'_>) {
            if !p.has("p") {
                self.p = (self.k - 1) / 2;
            }
        }
    }

    #[test]
    fn reads_writes_and_applies_its_rule() {
        let (st, notes) = Demo::read(&Query::parse("K=7&w=RANDOM&edit=12&bias=0&r=2"));
        assert_eq!(st.k, 7);
        assert_eq!(st.p, 3, "the default padding follows K");
        assert_eq!(st.w, Fill::Random);
        assert_eq!(st.edit, Some(7));
        assert!(!st.bias);
        assert_eq!(st.r, 1.0);
        let keys: Vec<&str> = notes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["r", "edit"]);
        let back = Demo::read(&Query::from_pairs(st.to_query()));
        assert_eq!(back, (st, vec![]));
        let d = Demo::default().to_query();
        assert!(
            d.iter().all(|(k, _)| *k != "edit"),
            "an unset option stays out"
        );
        assert_eq!(Demo::KEYS, ["K", "p", "r", "w", "edit", "bias"]);
        assert_eq!(Demo::field("p").map(|f| f.usize_bounds()), Some((0, 9)));
        assert_eq!(Demo::field("K").map(|f| f.usize_bounds()), Some((1, 7)));
    }

    #[test]
    fn signals_round_trip_the_state() {
        let owner = leptos::prelude::Owner::new();
        owner.with(|| {
            let st = Demo {
                k: 5,
                ..Demo::default()
            };
            let s = DemoSignals::new(&st);
            assert_eq!(s.get_untracked(), st);
            let other = Demo { bias: false, ..st };
            s.set(&other);
            assert_eq!(s.get_untracked(), other);
        });
    }
}
