//! What the zoo page computes from its state with the kernel crate: the
//! table rows of a [`ModelTable`], sorting, the CSV export, the per-stage
//! sums by layer family, and why a network's standard twin can be cheaper.
//! Pure: no web types, tested natively.

use convlab_core::models::{ModelTable, Zoo};
use convlab_core::{Convention, LayerCost, LayerKind};

use super::state::{SortKey, ZooState};

/// One table row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Position in the network (1-based).
    pub index: usize,
    /// The stage it belongs to.
    pub stage: String,
    /// Layer name.
    pub name: String,
    /// Type name (`dw 3×3`, `BN`, …).
    pub ty: String,
    /// Input `[C, H, W]`.
    pub input: [usize; 3],
    /// Output `[C, H, W]`.
    pub output: [usize; 3],
    /// Parameters.
    pub params: u64,
    /// Multiply–adds.
    pub macs: u64,
    /// Output elements (activation memory).
    pub act: u64,
}

/// Rows of `table`, in network order.
pub fn rows(table: &ModelTable) -> Vec<Row> {
    let mut out = Vec::new();
    for s in &table.stages {
        for l in &s.layers {
            out.push(Row {
                index: out.len() + 1,
                stage: s.name.clone(),
                name: l.name.clone(),
                ty: l.kind.type_name(),
                input: l.input,
                output: l.output,
                params: l.params,
                macs: l.macs,
                act: l.activation_elements(),
            });
        }
    }
    out
}

/// Sorts `rows` by `key` (ties keep network order).
pub fn sort_rows(rows: &mut [Row], key: SortKey, desc: bool) {
    rows.sort_by(|a, b| {
        let o = match key {
            SortKey::Order => a.index.cmp(&b.index),
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::Type => a.ty.cmp(&b.ty),
            SortKey::Params => a.params.cmp(&b.params),
            SortKey::Macs => a.macs.cmp(&b.macs),
            SortKey::Act => a.act.cmp(&b.act),
        };
        let o = if desc { o.reverse() } else { o };
        o.then(a.index.cmp(&b.index))
    });
}

/// `C×H×W`.
pub fn shape(s: [usize; 3]) -> String {
    format!("{}\u{d7}{}\u{d7}{}", s[0], s[1], s[2])
}

fn csv_field(s: &str) -> String {
    crate::widgets::csv::field(s)
}

/// The table as CSV (rows in the given order, then a total row), the
/// convention and the unit in the header. Shapes are `CxHxW`.
pub fn csv(st: &ZooState, table: &ModelTable, rows: &[Row]) -> String {
    let conv = if st.torchvision() {
        "torchvision"
    } else {
        "lecture"
    };
    let mut s = format!(
        "#,stage,layer,type,input (CxHxW),output (CxHxW),params ({conv}),{} ({}),activation elements\n",
        st.unit(),
        if st.flops() { "2*MACs" } else { "multiply-adds" }
    );
    let dims = |d: [usize; 3]| format!("{}x{}x{}", d[0], d[1], d[2]);
    for r in rows {
        let fields = [
            r.index.to_string(),
            csv_field(&r.stage),
            csv_field(&r.name),
            csv_field(&r.ty.replace('\u{d7}', "x")),
            dims(r.input),
            dims(r.output),
            r.params.to_string(),
            st.ops(r.macs).to_string(),
            r.act.to_string(),
        ];
        s.push_str(&fields.join(","));
        s.push('\n');
    }
    let t = table.totals();
    s.push_str(&format!(
        ",total,{},,{},{},{},{},{}\n",
        csv_field(&table.name),
        dims(table.input),
        dims(table.output()),
        t.params,
        st.ops(t.macs),
        t.activations
    ));
    s
}

/// A file name for the CSV: `mobilenet_v2-torchvision.csv`, `…-twin-…`.
pub fn csv_file_name(st: &ZooState) -> String {
    format!(
        "{}{}-{}.csv",
        st.model.id(),
        if st.twin { "-twin" } else { "" },
        if st.torchvision() {
            "torchvision"
        } else {
            "lecture"
        }
    )
}

/// Layer families the stage bars stack.
pub const FAMILIES: [&str; 6] = [
    "standard conv",
    "group conv",
    "depthwise",
    "pointwise 1\u{d7}1",
    "linear",
    "BN, other",
];

/// Which of [`FAMILIES`] a layer is.
pub fn family(l: &LayerCost) -> usize {
    match &l.kind {
        LayerKind::Conv(s) if s.groups > 1 && s.groups == s.in_channels => 2,
        LayerKind::Conv(s) if s.groups > 1 => 1,
        LayerKind::Conv(s) if s.kernel == (1, 1) => 3,
        LayerKind::Conv(_) => 0,
        LayerKind::Linear { .. } => 4,
        _ => 5,
    }
}

/// Per stage, per family: `(stage names, params[family][stage], macs[family][stage])`.
pub fn stage_families(table: &ModelTable) -> (Vec<String>, Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let n = table.stages.len();
    let mut params = vec![vec![0.0; n]; FAMILIES.len()];
    let mut macs = vec![vec![0.0; n]; FAMILIES.len()];
    for (i, s) in table.stages.iter().enumerate() {
        for l in &s.layers {
            let f = family(l);
            params[f][i] += l.params as f64;
            macs[f][i] += l.macs as f64;
        }
    }
    (
        table.stages.iter().map(|s| s.name.clone()).collect(),
        params,
        macs,
    )
}

/// `1.23 M`, `456 k`, `7.9 G`.
pub fn short(n: u64) -> String {
    let v = n as f64;
    if v >= 1e9 {
        format!("{:.2} G", v / 1e9)
    } else if v >= 1e6 {
        format!("{:.2} M", v / 1e6)
    } else if v >= 1e4 {
        format!("{:.1} k", v / 1e3)
    } else {
        n.to_string()
    }
}

/// Why a network's standard twin has fewer parameters than the network: one
/// of its expanding blocks beside a standard 3×3 conv at the block's outer
/// width (what the twin puts there), a standard 3×3 conv at the width the
/// block works at inside (`t·C`), and the same block with `t = 1`. Every count
/// is the kernel crate's, under the page's convention.
#[derive(Clone, Debug, PartialEq)]
pub struct CheaperTwin {
    /// The block compared, in words.
    pub block: String,
    /// Its input and output channels C = D.
    pub channels: usize,
    /// Its expansion factor t (inner width ÷ C).
    pub expansion: usize,
    /// Its inner width t·C.
    pub inner: usize,
    /// Parameters of the block.
    pub block_params: u64,
    /// Parameters of the standard 3×3 conv C → D that replaces it in the twin.
    pub outer_conv: u64,
    /// Parameters of a standard 3×3 conv t·C → t·C at the block's inner width.
    pub inner_conv: u64,
    /// Parameters of the same block with t = 1 (inner width C).
    pub unexpanded: u64,
}

/// The comparison that says why `model`'s twin is cheaper, for the networks
/// whose blocks expand: MobileNet v2's inverted residuals (t = 6, shown on its
/// repeated 32 → 32 block of the 28×28 stage) and GhostNet's Ghost
/// bottlenecks (its repeated 160 → 960 → 160 block with SE of the 7×7 stage),
/// both at width 1; `None` for the others.
///
/// # Errors
/// The kernel crate's message.
pub fn cheaper_twin(model: Zoo, convention: Convention) -> Option<Result<CheaperTwin, String>> {
    use convlab_core::blocks::{standard_twin, GhostBottleneckSpec, InvertedResidualSpec};
    use convlab_core::CostSummary;
    let params = |l: convlab_core::Result<Vec<LayerCost>>| {
        l.map(|l| CostSummary::of(&l).params)
            .map_err(|e| e.to_string())
    };
    // (words, C = D, inner width, map side, the block's params at an inner width)
    type Compared = (
        String,
        usize,
        usize,
        usize,
        Box<dyn Fn(usize) -> Result<u64, String>>,
    );
    let (words, c, inner, side, block): Compared = match model {
        Zoo::MobileNetV2 => {
            let (c, t, side) = (32, 6, 28);
            (
                format!("its inverted residual {c} \u{2192} {c} of the {side}\u{d7}{side} stage"),
                c,
                c * t,
                side,
                Box::new(move |inner: usize| {
                    params(
                        InvertedResidualSpec::new(c, c, inner / c, 1)
                            .layers([c, side, side], convention),
                    )
                }),
            )
        }
        Zoo::GhostNet => {
            let (c, hidden, side) = (160, 960, 7);
            (
                    format!("its Ghost bottleneck {c} \u{2192} {hidden} \u{2192} {c} (5\u{d7}5, SE) of the {side}\u{d7}{side} stage"),
                    c,
                    hidden,
                    side,
                    Box::new(move |inner: usize| {
                        params(GhostBottleneckSpec::new(c, inner, c, 5, 1, true).layers([c, side, side], convention))
                    }),
                )
        }
        _ => return None,
    };
    let conv = |w: usize| {
        standard_twin(w, w, 1, convention, None)
            .and_then(|g| g.layers([w, side, side]))
            .map(|l| CostSummary::of(&l).params)
            .map_err(|e| e.to_string())
    };
    Some((|| {
        Ok(CheaperTwin {
            block: format!("{words} (width 1)"),
            channels: c,
            expansion: inner / c,
            inner,
            block_params: block(inner)?,
            outer_conv: conv(c)?,
            inner_conv: conv(inner)?,
            unexpanded: block(c)?,
        })
    })())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::zoo::state::Units;
    use crate::route::Query;

    fn state(q: &str) -> ZooState {
        let (s, notes) = ZooState::read(&Query::parse(q));
        assert!(notes.is_empty(), "{q}: {notes:?}");
        s
    }

    #[test]
    fn every_network_whose_twin_is_cheaper_says_why() {
        for conv in [Convention::TORCHVISION, Convention::LECTURE] {
            for z in Zoo::ALL {
                let k = z.default_knobs();
                let (Ok(m), Ok(t)) = (z.build(&k, conv, false), z.build(&k, conv, true)) else {
                    continue;
                };
                let cheaper = t.totals().params < m.totals().params;
                let why = cheaper_twin(z, conv);
                assert_eq!(
                    cheaper,
                    why.is_some(),
                    "{}: twin cheaper {cheaper}",
                    z.name()
                );
                if let Some(why) = why {
                    let w = why.unwrap();
                    // The point of the comparison: the block costs more than the
                    // 3×3 conv at its outer width, far less than one at the width it
                    // works at, and its expansion is what costs.
                    assert!(w.outer_conv < w.block_params, "{w:?}");
                    assert!(w.block_params * 5 < w.inner_conv, "{w:?}");
                    assert!(w.unexpanded < w.outer_conv, "{w:?}");
                    assert_eq!(w.inner, w.channels * w.expansion);
                }
            }
        }
    }

    #[test]
    fn published_totals_under_torchvision() {
        for (q, params) in [
            ("model=squeezenet1_0", 1_248_424u64),
            ("model=mobilenet_v2", 3_504_872),
            ("model=shufflenet_v2&width=1", 2_278_604),
        ] {
            let s = state(q);
            let t = s.build(false).unwrap();
            assert_eq!(t.totals().params, params, "{q}");
            let r = rows(&t);
            assert_eq!(r.iter().map(|r| r.params).sum::<u64>(), params);
        }
    }

    #[test]
    fn sorting_and_flops() {
        let s = state("model=mobilenet_v2");
        let t = s.build(false).unwrap();
        let mut r = rows(&t);
        sort_rows(&mut r, SortKey::Params, true);
        assert!(r.windows(2).all(|w| w[0].params >= w[1].params));
        assert_eq!(r[0].ty, "linear");
        sort_rows(&mut r, SortKey::Order, false);
        assert!(r.windows(2).all(|w| w[0].index < w[1].index));
        sort_rows(&mut r, SortKey::Act, false);
        assert!(r.windows(2).all(|w| w[0].act <= w[1].act));
        let f = ZooState {
            units: Units::Flops,
            ..s
        };
        assert_eq!(f.ops(10), 20);
        assert_eq!(s.ops(10), 10);
    }

    #[test]
    fn csv_rows_and_total() {
        let s = state("model=squeezenet1_0&sort=params&dir=desc");
        let t = s.build(false).unwrap();
        let mut r = rows(&t);
        sort_rows(&mut r, s.sort, s.desc());
        let text = csv(&s, &t, &r);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), r.len() + 2);
        assert!(lines[0].starts_with("#,stage,layer,type,"));
        assert!(lines[0].contains("params (torchvision)"));
        assert!(lines[0].contains("MACs (multiply-adds)"));
        // The biggest layer first: the classifier's 1×1 conv 512 → 1000.
        let first: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(first[6], (512 * 1000 + 1000).to_string());
        let last: Vec<&str> = lines[lines.len() - 1].split(',').collect();
        assert_eq!(last[1], "total");
        assert_eq!(last[6], "1248424");
        let sum: u64 = lines[1..lines.len() - 1]
            .iter()
            .map(|l| l.split(',').nth(6).unwrap().parse::<u64>().unwrap())
            .sum();
        assert_eq!(sum, 1_248_424);
        assert_eq!(csv_field("a,b\"c"), "\"a,b\"\"c\"");
        assert_eq!(csv_file_name(&s), "squeezenet1_0-torchvision.csv");
    }

    #[test]
    fn stage_families_add_up() {
        for z in Zoo::ALL {
            let s = ZooState::default().with_model(z);
            let t = s.build(false).unwrap();
            let (names, p, m) = stage_families(&t);
            assert_eq!(names.len(), t.stages.len());
            let tp: f64 = p.iter().flatten().sum();
            let tm: f64 = m.iter().flatten().sum();
            assert_eq!(tp as u64, t.totals().params, "{}", z.name());
            assert_eq!(tm as u64, t.totals().macs, "{}", z.name());
        }
    }
}
