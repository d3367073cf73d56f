//! Tests of the shared block diagram: grouping, layout, drawing, formatting and running.

#[test]
fn a_box_detail_too_long_for_its_box_is_squeezed_into_it() {
    // 32 characters at 12.5 px: about 232 px, past a 200 px box.
    let long = "conv 1\u{d7}1 \u{b7} 16\u{2192}64 \u{b7} 1,088 params";
    assert_eq!(fit_length(long, 12.5, 188.0).as_deref(), Some("188.0"));
    assert_eq!(fit_length("BN \u{b7} 64", 12.5, 188.0), None);
    assert_eq!(fit_length(long, 12.5, -4.0), None);
}
use super::*;
use crate::draw::Style;
use crate::lessons::picture::MAX_SHOWN;
use crate::widgets::InputState;
use convlab_core::blocks::{FireSpec, SeparableSpec, ShuffleV1Spec};
use convlab_core::BlockSpec;

fn diagram<S: BlockSpec>(s: &S) -> Diagram {
    let g = s.graph(Convention::LECTURE).unwrap();
    let rows = g.layers([g.in_channels(), 8, 8]).unwrap();
    Diagram::new(&g, &rows).unwrap()
}

#[test]
fn fire_boxes_are_its_three_convs_and_the_concat() {
    let d = diagram(&FireSpec::default());
    let labels: Vec<String> = d.boxes.iter().map(LayerBox::label).collect();
    assert_eq!(
        labels,
        [
            "squeeze 1×1 + ReLU",
            "expand 1×1 + ReLU",
            "expand 3×3 + ReLU",
            "concat"
        ]
    );
    let params: Vec<u64> = d.boxes.iter().map(|b| b.params).collect();
    assert_eq!(params, [2064, 1088, 9280, 0]);
    // The two expands sit side by side under the squeeze.
    assert_eq!(
        (d.boxes[1].depth, d.boxes[1].lane, d.boxes[1].lanes),
        (2, 0, 2)
    );
    assert_eq!((d.boxes[2].depth, d.boxes[2].lane), (2, 1));
    assert_eq!(d.boxes[3].sources, [Some(1), Some(2)]);
    assert_eq!(d.depth, 3);
}

#[test]
fn bn_convention_folds_bn_into_the_conv_box() {
    let g = SeparableSpec::default()
        .graph(Convention::TORCHVISION)
        .unwrap();
    let rows = g.layers([128, 8, 8]).unwrap();
    let d = Diagram::new(&g, &rows).unwrap();
    assert_eq!(d.boxes.len(), 2);
    assert_eq!(d.boxes[0].label(), "dw 3×3 + BN + ReLU");
    assert_eq!(d.boxes[0].params, 9 * 128 + 256);
    assert_eq!(d.boxes[1].rows, 3..6);
}

#[test]
fn shufflenet_skip_goes_around_the_right() {
    let d = diagram(&ShuffleV1Spec::default());
    let kinds: Vec<&str> = d.boxes.iter().map(|b| b.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "gconv 1×1 (g=2)",
            "shuffle (g=2)",
            "dw 3×3",
            "gconv 1×1 (g=2)",
            "add",
            "ReLU"
        ]
    );
    assert_eq!(d.boxes[4].sources, [Some(3), None]);
    let g = geometry(&d);
    assert_eq!(g.edges.len(), 7);
    let skip = g.edges.iter().find(|e| e.len() == 4).unwrap();
    assert!(skip
        .iter()
        .skip(1)
        .take(2)
        .all(|p| p.0 > VIEW_W - SKIP_LANE));
    // Boxes never overlap and stay inside the view.
    for (i, a) in g.boxes.iter().enumerate() {
        assert!(a.x >= 0.0 && a.x + a.w <= VIEW_W - SKIP_LANE + 1e-9);
        assert!(a.y + a.h <= g.height);
        for b in &g.boxes[i + 1..] {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            assert!(apart, "{a:?} {b:?}");
        }
    }
}

#[test]
fn lecture_numbers_from_a_run() {
    let pick = InputState::default();
    let fire = BlockRun::new(&FireSpec::default(), false, &pick).unwrap();
    assert_eq!((fire.params(), fire.twin_params()), (12_432, 147_584));
    assert_eq!(sig2(fire.ratio()), "0.084");
    assert_eq!(fire.net.param_count(), 12_432);
    let mb = BlockRun::new(&SeparableSpec::default(), false, &pick).unwrap();
    assert_eq!((mb.params(), mb.twin_params()), (17_792, 147_584));
    assert_eq!(sig2(mb.ratio()), "0.12");
    let sh = BlockRun::new(&ShuffleV1Spec::default(), false, &pick).unwrap();
    assert_eq!((sh.params(), sh.twin_params()), (20_320, 518_640));
    assert_eq!(sig2(sh.ratio()), "0.039");
    // Inspection: weights of a conv box, maps of every box.
    assert_eq!(fire.conv_of(2).unwrap().spec().kernel, (3, 3));
    assert!(fire.conv_of(3).is_none());
    assert_eq!(fire.output_of(3).unwrap().channels(), MAX_SHOWN);
    assert!(fire.output_of(9).is_none());
    assert_eq!(sh.output_of(1).unwrap().channels(), MAX_SHOWN);
}

#[test]
fn formulas_read_like_the_slides() {
    let g = FireSpec::default().graph(Convention::LECTURE).unwrap();
    let rows = g.layers([128, 4, 4]).unwrap();
    let f: Vec<String> = rows.iter().filter_map(row_formula).collect();
    assert_eq!(f, ["(128 + 1)·16", "(16 + 1)·64", "(9·16 + 1)·64"]);
    let g = ShuffleV1Spec::default()
        .graph(Convention::TORCHVISION)
        .unwrap();
    let rows = g.layers([240, 4, 4]).unwrap();
    let f: Vec<String> = rows.iter().filter_map(row_formula).collect();
    assert_eq!(f, ["120·80", "2·80", "9·80", "2·80", "40·240", "2·240"]);
}

#[test]
fn ratios_sides_and_invalid_blocks() {
    assert_eq!(sig2(12432.0 / 147584.0), "0.084");
    assert_eq!(sig2(17792.0 / 147584.0), "0.12");
    assert_eq!(sig2(20320.0 / 518640.0), "0.039");
    assert_eq!(sig2(1.5), "1.5");
    assert_eq!(sig2(0.0), "?");
    assert_eq!(sig2(f64::NAN), "?");
    assert_eq!(forward_side(1000), MAX_SIDE);
    assert_eq!(forward_side(MAC_BUDGET * 4), MAX_SIDE / 2);
    assert_eq!(forward_side(u64::MAX), MIN_SIDE);
    let bad = ShuffleV1Spec {
        groups: 7,
        ..Default::default()
    };
    let e = BlockRun::new(&bad, false, &InputState::default()).unwrap_err();
    assert!(e.contains("7"), "{e}");
    assert_eq!(clamp_box(9, 4), 3);
    assert_eq!(clamp_box(0, 0), 0);
}

#[test]
fn diagram_draws_to_svg() {
    let d = diagram(&FireSpec::default());
    let svg = crate::draw::to_svg(460, 300, |a| {
        draw_diagram(a, &d, Some(1), &Style::default())
    })
    .unwrap();
    assert!(svg.contains("squeeze 1×1 + ReLU"));
    assert!(svg.contains("concat"));
    assert_eq!(arrow_head(&[(0.0, 0.0)], 8.0).len(), 0);
    assert_eq!(arrow_head(&[(0.0, 0.0), (0.0, 10.0)], 8.0)[0], (0.0, 10.0));
}
