//! Tests of the dilated lesson's URL state: parsing, clamping and writing the stack, cell and tree.

use super::*;

fn query(pairs: &[(&str, &str)]) -> Query {
    Query::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

#[test]
fn repeated_keys_are_noted_once_each() {
    let q = Query::parse("L=%0A&L=3d2&c=+&c=2&zz=1&zz=2&theme=a&theme=b");
    let (_, notes) = DilatedState::read(&q);
    let repeats: Vec<&str> = notes
        .iter()
        .filter(|n| n.message.contains(" is given 2 times"))
        .map(|n| n.key.as_str())
        .collect();
    assert_eq!(repeats, ["L", "c"], "{notes:?}");
    let unknown = notes.iter().filter(|n| n.key == "zz").count();
    assert_eq!(unknown, 1, "{notes:?}");
    assert!(notes.iter().all(|n| n.key != "theme"), "{notes:?}");
}

#[test]
fn parses_the_brief_example() {
    let p = parse_stack("3d1,3d2,3d4", &GRID_BOUNDS, &[]);
    assert_eq!(
        p.value,
        vec![Layer::new(3, 1), Layer::new(3, 2), Layer::new(3, 4)]
    );
    assert!(p.notes.is_empty());
}

#[test]
fn reads_stride_and_bare_kernel_in_any_case() {
    let p = parse_stack("5, 3D2S2 ,3s2d3", &GRID_BOUNDS, &[]);
    assert_eq!(
        p.value,
        vec![
            Layer::new(5, 1),
            Layer {
                kernel: 3,
                dilation: 2,
                stride: 2
            },
            Layer {
                kernel: 3,
                dilation: 3,
                stride: 2
            }
        ]
    );
    assert!(p.notes.is_empty(), "{:?}", p.notes);
}

#[test]
fn round_trips() {
    for p in PRESETS {
        let text = format_stack(p.layers);
        assert_eq!(parse_stack(&text, &GRID_BOUNDS, &[]).value, p.layers);
    }
    let w = wavenet();
    let text = format_stack(&w);
    assert_eq!(text, "2d1,2d2,2d4,2d8,2d16,2d32,2d64,2d128,2d256,2d512");
    assert_eq!(parse_stack(&text, &TREE_BOUNDS, &[]).value, w);
    let s = DilatedState {
        cell: OutputCell(Some((3, 4))),
        frame: 2,
        ..DilatedState::default()
    };
    let (back, notes) = DilatedState::read(&Query::from_pairs(s.to_query()));
    assert_eq!(back, s);
    assert!(notes.is_empty(), "{notes:?}");
    let text = Query::from_pairs(s.to_query()).serialize();
    assert_eq!(DilatedState::read(&Query::parse(&text)).0, s);
}

#[test]
fn clamps_with_notes() {
    let p = parse_stack("99d0s9", &GRID_BOUNDS, &[]);
    assert_eq!(
        p.value,
        vec![Layer {
            kernel: 7,
            dilation: 1,
            stride: 3
        }]
    );
    assert_eq!(p.notes.len(), 3, "{:?}", p.notes);
}

#[test]
fn drops_garbage_and_falls_back() {
    let p = parse_stack(
        "x,3q2,d4,3d,3d2d2,99999999999",
        &GRID_BOUNDS,
        &[Layer::new(3, 1)],
    );
    assert_eq!(p.value, vec![Layer::new(3, 1)]);
    assert_eq!(p.notes.len(), 7, "{:?}", p.notes);
    let empty = parse_stack("", &GRID_BOUNDS, &[Layer::new(3, 1)]);
    assert_eq!(empty.value, vec![Layer::new(3, 1)]);
    assert!(empty.notes.is_empty());
}

#[test]
fn cuts_extra_layers() {
    let p = parse_stack(&["3d1"; 10].join(","), &GRID_BOUNDS, &[]);
    assert_eq!(p.value.len(), GRID_BOUNDS.max_layers);
    assert_eq!(p.notes.len(), 1);
}

#[test]
fn never_panics_on_odd_text() {
    for t in [
        "é", "3dé", "3é", "3sé2", "3d", "ds", ",,,", "3d1s", "0", "3d-1", "3 d 1", "３d1",
        "3d1s2s2", "\u{0}", "3d1,",
    ] {
        let p = parse_stack(t, &GRID_BOUNDS, &[Layer::new(3, 1)]);
        assert!(!p.value.is_empty(), "{t}");
        let _ = parse_cell(Some(t));
        let _ = parse_number("x", Some(t), (0, 3), 1);
    }
}

#[test]
fn state_from_bad_params_has_notes_and_sane_values() {
    let (s, notes) = DilatedState::read(&query(&[
        ("L", "zz"),
        ("n", "1000"),
        ("c", "a.b"),
        ("f", "77"),
        ("T", "2d1024,2d1024,2d1024,2d1024,2d1024"),
        ("bogus", "1"),
        ("theme", "dark"),
    ]));
    assert_eq!(s.stack, DilatedState::default().stack);
    assert_eq!(s.side, GRID_SIDE.1);
    assert_eq!(s.cell, OutputCell(None));
    assert_eq!(s.frame, s.stack.len());
    assert_eq!(s.tree.len(), 3);
    for key in ["L", "n", "c", "f", "T", "bogus"] {
        assert!(
            notes.iter().any(|n| n.key == key),
            "no note for {key}: {notes:?}"
        );
    }
    assert!(!notes.iter().any(|n| n.key == "theme"));
    assert!(notes.iter().all(|n| n.message.ends_with('.')));
}

#[test]
fn the_frame_follows_the_stack() {
    // Without f: the opening frame; past the stack: its last frame, noted.
    let (s, notes) = DilatedState::read(&query(&[("L", "3d1,3d2")]));
    assert_eq!((s.frame, notes.len()), (1, 0));
    let (s, notes) = DilatedState::read(&query(&[("L", "3d1,3d2"), ("f", "2")]));
    assert_eq!((s.frame, notes.len()), (2, 0));
    let (s, notes) = DilatedState::read(&query(&[("L", "3d1,3d2"), ("f", "5")]));
    assert_eq!(s.frame, 2);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].message, "f=5 is above the maximum 2; using 2.");
    // Past any stack: the reader's clamp, then the stack's.
    let (s, notes) = DilatedState::read(&query(&[("L", "3d1"), ("f", "77")]));
    assert_eq!(s.frame, 1);
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(
        notes[1].message,
        "f=6 is more than the last frame 1; using 1."
    );
}

#[test]
fn the_link_is_in_a_fixed_order_and_leaves_out_the_centre() {
    let keys = |s: &DilatedState| s.to_query().into_iter().map(|(k, _)| k).collect::<Vec<_>>();
    assert_eq!(keys(&DilatedState::default()), ["L", "n", "f", "T"]);
    let s = DilatedState {
        cell: OutputCell(Some((2, 7))),
        ..DilatedState::default()
    };
    assert_eq!(keys(&s), ["L", "n", "c", "f", "T"]);
    assert!(s.to_query().contains(&("c", "2.7".to_string())));
}

#[test]
fn cell_clamps_to_map() {
    assert_eq!(clamp_cell(None, 35, 35).value, (17, 17));
    let c = clamp_cell(Some((40, 2)), 35, 20);
    assert_eq!(c.value, (34, 2));
    assert_eq!(c.notes.len(), 1);
    assert_eq!(parse_cell(Some("3.4")).value, Some((3, 4)));
    assert_eq!(parse_cell(Some("3.4.5")).value, None);
}

#[test]
fn span_is_k_minus_1_times_d_plus_1() {
    assert_eq!(Layer::new(3, 2).span(), 5);
    assert_eq!(Layer::new(2, 512).span(), 513);
    assert_eq!(Layer::new(1, 9).span(), 1);
}
