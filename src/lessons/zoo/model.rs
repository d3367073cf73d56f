//! The zoo page's state (read from and written to the URL), its table rows
//! from the kernel crate's [`ModelTable`], sorting, and the CSV export.
//! Pure: no web types, tested natively.
//!
//! URL: `#/zoo?model=mobilenet_v2&width=1&res=224&g=3&eps=1&classes=1000&conv=torchvision&units=macs&sort=params&dir=desc&twin=0`
//! (a model reads only the knobs [`Zoo::knobs`] lists).

use convlab_core::models::{Knob, KnobRange, Knobs, ModelTable, Zoo};
use convlab_core::{Convention, LayerCost, LayerKind};

use crate::route::Params;
use crate::widgets::formula::group_digits;

/// Columns the table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Network order.
    Order,
    /// Layer name.
    Name,
    /// Layer type.
    Type,
    /// Parameters.
    Params,
    /// MACs (or FLOPs).
    Macs,
    /// Output elements.
    Act,
}

impl SortKey {
    /// Every key, in column order.
    pub const ALL: [SortKey; 6] = [
        SortKey::Order,
        SortKey::Name,
        SortKey::Type,
        SortKey::Params,
        SortKey::Macs,
        SortKey::Act,
    ];

    /// URL value.
    pub fn id(self) -> &'static str {
        match self {
            SortKey::Order => "order",
            SortKey::Name => "name",
            SortKey::Type => "type",
            SortKey::Params => "params",
            SortKey::Macs => "macs",
            SortKey::Act => "act",
        }
    }

    fn from_id(id: &str) -> SortKey {
        SortKey::ALL
            .into_iter()
            .find(|k| k.id() == id)
            .unwrap_or(SortKey::Order)
    }
}

/// Everything the page shows, as the URL stores it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ZooState {
    /// The network.
    pub model: Zoo,
    /// Its knobs (only those of [`Zoo::knobs`] are read).
    pub knobs: Knobs,
    /// torchvision (no bias before BN, BN counted) or the lecture's (bias, no BN).
    pub torchvision: bool,
    /// Show FLOPs (= 2·MACs) instead of MACs.
    pub flops: bool,
    /// Sort column.
    pub sort: SortKey,
    /// Descending.
    pub desc: bool,
    /// The table shows the standard twin.
    pub twin: bool,
}

impl Default for ZooState {
    fn default() -> Self {
        ZooState {
            model: Zoo::MobileNetV2,
            knobs: Zoo::MobileNetV2.default_knobs(),
            torchvision: true,
            flops: false,
            sort: SortKey::Order,
            desc: false,
            twin: false,
        }
    }
}

/// URL key of a knob.
pub fn knob_key(k: Knob) -> &'static str {
    match k {
        Knob::Width => "width",
        Knob::Resolution => "res",
        Knob::Groups => "g",
        Knob::Expansion => "eps",
        Knob::Classes => "classes",
    }
}

/// The knob's value in `knobs`.
pub fn knob_value(knobs: &Knobs, k: Knob) -> f64 {
    match k {
        Knob::Width => knobs.width,
        Knob::Resolution => knobs.resolution as f64,
        Knob::Groups => knobs.groups as f64,
        Knob::Expansion => knobs.expansion as f64,
        Knob::Classes => knobs.classes as f64,
    }
}

/// `knobs` with knob `k` set to `v` (integers rounded).
pub fn with_knob(mut knobs: Knobs, k: Knob, v: f64) -> Knobs {
    let u = v.round().max(0.0) as usize;
    match k {
        Knob::Width => knobs.width = v,
        Knob::Resolution => knobs.resolution = u,
        Knob::Groups => knobs.groups = u,
        Knob::Expansion => knobs.expansion = u,
        Knob::Classes => knobs.classes = u,
    }
    knobs
}

/// Step of a knob's slider.
pub fn knob_step(r: &KnobRange) -> f64 {
    match r.knob {
        Knob::Width => 0.05,
        Knob::Resolution => 8.0,
        _ => 1.0,
    }
}

fn show(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl ZooState {
    /// Reads the state, noting every value that had to be changed.
    pub fn read(p: &mut Params<'_>) -> ZooState {
        let d = ZooState::default();
        let model = match p.raw_value("model") {
            None => d.model,
            Some(raw) => match Zoo::from_id(raw.trim()) {
                Ok(z) => z,
                Err(_) => {
                    let ids: Vec<&str> = Zoo::ALL.iter().map(|z| z.id()).collect();
                    p.push_note(
                        "model",
                        format!(
                            "model={} is not one of {}; using {}.",
                            crate::route::quote(raw),
                            ids.join(", "),
                            d.model.id()
                        ),
                    );
                    d.model
                }
            },
        };
        let mut knobs = model.default_knobs();
        for r in model.knobs() {
            let key = knob_key(r.knob);
            let v = p.float(key, r.default, r.min, r.max);
            let v = if r.allowed.is_empty() || r.allowed.contains(&v) {
                v
            } else {
                let best = r
                    .allowed
                    .iter()
                    .copied()
                    .min_by(|a, b| (a - v).abs().total_cmp(&(b - v).abs()))
                    .unwrap_or(r.default);
                let list: Vec<String> = r.allowed.iter().map(|a| show(*a)).collect();
                p.push_note(
                    key,
                    format!(
                        "{key}={} is not one of {}; using {}.",
                        show(v),
                        list.join(", "),
                        show(best)
                    ),
                );
                best
            };
            knobs = with_knob(knobs, r.knob, v);
        }
        let torchvision =
            p.choice("conv", "torchvision", &["torchvision", "lecture"]) == "torchvision";
        let flops = p.choice("units", "macs", &["macs", "flops"]) == "flops";
        let sort = SortKey::from_id(p.choice(
            "sort",
            "order",
            &["order", "name", "type", "params", "macs", "act"],
        ));
        let desc = p.choice("dir", "asc", &["asc", "desc"]) == "desc";
        let twin = p.flag("twin", false);
        ZooState {
            model,
            knobs,
            torchvision,
            flops,
            sort,
            desc,
            twin,
        }
    }

    /// The URL pairs (the model's own knobs only).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut v = vec![("model", self.model.id().to_string())];
        for r in self.model.knobs() {
            v.push((knob_key(r.knob), show(knob_value(&self.knobs, r.knob))));
        }
        v.push((
            "conv",
            if self.torchvision {
                "torchvision"
            } else {
                "lecture"
            }
            .into(),
        ));
        v.push(("units", if self.flops { "flops" } else { "macs" }.into()));
        v.push(("sort", self.sort.id().into()));
        v.push(("dir", if self.desc { "desc" } else { "asc" }.into()));
        v.push(("twin", if self.twin { "1" } else { "0" }.into()));
        v
    }

    /// The counting convention.
    pub fn convention(&self) -> Convention {
        if self.torchvision {
            Convention::TORCHVISION
        } else {
            Convention::LECTURE
        }
    }

    /// Builds the model (`twin = false`) or its standard twin.
    ///
    /// # Errors
    /// The kernel crate's message (invalid knobs, resolution too small).
    pub fn build(&self, twin: bool) -> Result<ModelTable, String> {
        self.model
            .build(&self.knobs, self.convention(), twin)
            .map_err(|e| e.to_string())
    }

    /// Name of the operation column: "MACs" or "FLOPs".
    pub fn unit(&self) -> &'static str {
        if self.flops {
            "FLOPs"
        } else {
            "MACs"
        }
    }

    /// MACs shown in the current unit.
    pub fn ops(&self, macs: u64) -> u64 {
        if self.flops {
            macs.saturating_mul(2)
        } else {
            macs
        }
    }

    /// The convention in words, said next to every number.
    pub fn convention_label(&self) -> String {
        let c = if self.torchvision {
            "torchvision: convs before BatchNorm have no bias, BatchNorm counts 2 per channel"
        } else {
            "lecture: every conv has a bias, no BatchNorm"
        };
        let u = if self.flops {
            "FLOPs = 2\u{b7}MACs"
        } else {
            "MACs = multiply\u{2013}adds"
        };
        format!("{c}; {u}")
    }
}

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
    let conv = if st.torchvision {
        "torchvision"
    } else {
        "lecture"
    };
    let mut s = format!(
        "#,stage,layer,type,input (CxHxW),output (CxHxW),params ({conv}),{} ({}),activation elements\n",
        st.unit(),
        if st.flops { "2*MACs" } else { "multiply-adds" }
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
        if st.torchvision {
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

/// `1,234,567`.
pub fn grouped(n: u64) -> String {
    group_digits(n as u128)
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

/// The cells of a row, as the table shows them (operations in `st`'s unit).
fn cells(r: &Row, st: &ZooState) -> [String; 8] {
    [
        r.index.to_string(),
        r.name.clone(),
        r.ty.clone(),
        shape(r.input),
        shape(r.output),
        grouped(r.params),
        grouped(st.ops(r.macs)),
        grouped(r.act),
    ]
}

/// The widest cell of each column over all `rows`, in characters: the table
/// sets its columns at least this wide, so they keep their width whichever
/// rows are on show.
pub fn column_chars(rows: &[Row], st: &ZooState) -> [usize; 8] {
    let mut w = [0; 8];
    for r in rows {
        for (w, c) in w.iter_mut().zip(cells(r, st)) {
            *w = (*w).max(c.chars().count());
        }
    }
    w
}

/// Rows kept on show above and below the scroller's view.
pub const OVERSCAN: usize = 12;
/// The shown range moves in steps of this many rows (fewer re-renders while scrolling).
pub const WINDOW_STEP: usize = 10;

/// The rows to render of `n`, for a scroller showing `view_h` px from `top`
/// with rows `row_h` px high: those in view and [`OVERSCAN`] on each side,
/// the ends rounded out to [`WINDOW_STEP`]s.
pub fn window(n: usize, top: f64, view_h: f64, row_h: f64) -> std::ops::Range<usize> {
    let clean = |v: f64| if v.is_finite() { v.max(0.0) } else { 0.0 };
    let row_h = if row_h.is_finite() && row_h >= 4.0 {
        row_h
    } else {
        4.0
    };
    let first_seen = (clean(top) / row_h) as usize;
    let seen = (clean(view_h) / row_h).ceil() as usize + 1;
    let first = first_seen.saturating_sub(OVERSCAN) / WINDOW_STEP * WINDOW_STEP;
    let last = (first_seen + seen + OVERSCAN).div_ceil(WINDOW_STEP) * WINDOW_STEP;
    first.min(n)..last.min(n)
}

/// The table body as HTML: the rows of `shown` (one `<tr data-testid="layer-row">`
/// each, with its `aria-rowindex`, text escaped), between spacer rows standing
/// for those left out (`row_h` px each), so the scroller keeps its height and its
/// position. A network has up to a few hundred layers and a knob moves every
/// number; laying out and painting only the rows near the view (and setting one
/// `innerHTML`, parsed at once) keeps a knob move quick.
pub fn rows_html(rows: &[Row], st: &ZooState, shown: std::ops::Range<usize>, row_h: f64) -> String {
    use std::fmt::Write as _;
    let esc = crate::widgets::embed::attr_escape;
    let end = shown.end.min(rows.len());
    let start = shown.start.min(end);
    let mut h = String::with_capacity((end - start) * 300 + 200);
    let spacer = |h: &mut String, n: usize| {
        if n > 0 {
            let _ = write!(
                h,
                "<tr class=\"zoo-spacer\" aria-hidden=\"true\" style=\"height:{:.2}px\"><td colspan=\"8\"></td></tr>",
                n as f64 * row_h
            );
        }
    };
    spacer(&mut h, start);
    for (i, r) in rows[start..end].iter().enumerate() {
        let c = cells(r, st);
        let _ = write!(
            h,
            "<tr data-testid=\"layer-row\" aria-rowindex=\"{}\"><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"num\" data-testid=\"cell-params\">{}</td><td class=\"num\" data-testid=\"cell-ops\">{}</td>\
             <td class=\"num\" data-testid=\"cell-act\">{}</td></tr>",
            start + i + 2,
            c[0],
            esc(&c[1]),
            esc(&c[2]),
            c[3],
            c[4],
            c[5],
            c[6],
            c[7],
        );
    }
    spacer(&mut h, rows.len() - end);
    h
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
    #[test]
    fn every_network_whose_twin_is_cheaper_says_why() {
        use super::cheaper_twin;
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

    use super::*;
    use crate::route::Query;

    #[test]
    fn rows_html_has_one_escaped_row_per_layer_with_the_table_numbers() {
        let st = ZooState::default();
        let t = st.build(false).unwrap();
        let rs = rows(&t);
        let html = rows_html(&rs, &st, 0..rs.len(), 30.0);
        assert_eq!(
            html.matches("<tr data-testid=\"layer-row\"").count(),
            rs.len()
        );
        assert_eq!(html.matches("</tr>").count(), rs.len(), "no spacer rows");
        assert!(html.starts_with("<tr data-testid=\"layer-row\" aria-rowindex=\"2\">"));
        let first = &rs[0];
        assert!(html.contains(&format!(
            "<td class=\"num\" data-testid=\"cell-params\">{}</td>",
            grouped(first.params)
        )));
        // FLOPs double every operation count.
        let flops = ZooState { flops: true, ..st };
        let h2 = rows_html(&rs, &flops, 0..rs.len(), 30.0);
        assert!(h2.contains(&format!(
            "data-testid=\"cell-ops\">{}</td>",
            grouped(2 * first.macs)
        )));
        // Text is escaped.
        let odd = Row {
            name: "a<b&\"c".into(),
            ..first.clone()
        };
        let h3 = rows_html(&[odd], &st, 0..1, 30.0);
        assert!(h3.contains("<td>a&lt;b&amp;&quot;c</td>"), "{h3}");
        assert!(rows_html(&[], &st, 0..5, 30.0).is_empty());
    }

    #[test]
    fn a_window_of_rows_keeps_the_height_of_those_left_out() {
        let st = ZooState::default();
        let rs = rows(&st.build(false).unwrap());
        let n = rs.len();
        assert!(n > 100, "{n} layers");
        let html = rows_html(&rs, &st, 40..70, 28.5);
        assert_eq!(html.matches("<tr data-testid=\"layer-row\"").count(), 30);
        assert!(html.starts_with(
            "<tr class=\"zoo-spacer\" aria-hidden=\"true\" style=\"height:1140.00px\">"
        ));
        assert!(html.contains(&format!("style=\"height:{:.2}px\"", (n - 70) as f64 * 28.5)));
        assert!(
            html.contains("aria-rowindex=\"42\""),
            "row 41 of the network is the 42nd of the table"
        );
        // Out-of-range windows are clamped.
        let all = rows_html(&rs, &st, 0..10_000, 28.5);
        assert_eq!(all.matches("layer-row").count(), n);
        assert_eq!(
            rows_html(&rs, &st, 500..900, 28.5)
                .matches("layer-row")
                .count(),
            0
        );
    }

    #[test]
    fn the_window_covers_the_view_and_its_overscan() {
        // 150 rows of 30 px, 600 px in view from row 50.
        let w = window(150, 1500.0, 600.0, 30.0);
        assert!(
            w.start <= 50 - OVERSCAN && w.end >= 50 + 21 + OVERSCAN,
            "{w:?}"
        );
        assert_eq!(w.start % WINDOW_STEP, 0);
        assert_eq!(window(150, 0.0, 600.0, 30.0).start, 0);
        assert_eq!(window(150, 1e9, 600.0, 30.0), 150..150);
        assert_eq!(window(0, 0.0, 600.0, 30.0), 0..0);
        // Nonsense sizes still give a bounded window.
        let w = window(150, f64::NAN, f64::INFINITY, 0.0);
        assert!(w.end <= 150);
        // A small scroll inside a step keeps the window (no re-render).
        assert_eq!(
            window(150, 1500.0, 600.0, 30.0),
            window(150, 1520.0, 600.0, 30.0)
        );
    }

    #[test]
    fn column_widths_cover_every_row() {
        let st = ZooState::default();
        let rs = rows(&st.build(false).unwrap());
        let w = column_chars(&rs, &st);
        for r in &rs {
            assert!(r.name.chars().count() <= w[1]);
            assert!(grouped(r.params).chars().count() <= w[5]);
        }
        assert!(w.iter().all(|&c| c > 0));
    }

    fn state(q: &str) -> (ZooState, Vec<String>) {
        let q = Query::parse(q);
        let mut p = Params::new(&q);
        let s = ZooState::read(&mut p);
        (s, p.finish().into_iter().map(|n| n.message).collect())
    }

    #[test]
    fn published_totals_under_torchvision() {
        for (q, params) in [
            ("model=squeezenet1_0", 1_248_424u64),
            ("model=mobilenet_v2", 3_504_872),
            ("model=shufflenet_v2&width=1", 2_278_604),
        ] {
            let (s, notes) = state(q);
            assert!(notes.is_empty(), "{notes:?}");
            let t = s.build(false).unwrap();
            assert_eq!(t.totals().params, params, "{q}");
            let r = rows(&t);
            assert_eq!(r.iter().map(|r| r.params).sum::<u64>(), params);
        }
    }

    #[test]
    fn url_round_trip_and_notes() {
        let (s, notes) = state(
            "model=shufflenet_v1&g=8&width=0.5&conv=lecture&units=flops&sort=macs&dir=desc&twin=1",
        );
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(s.knobs.groups, 8);
        assert!(!s.torchvision && s.flops && s.desc && s.twin);
        assert_eq!(s.sort, SortKey::Macs);
        let q: String = s.pairs().iter().map(|(k, v)| format!("{k}={v}&")).collect();
        assert_eq!(state(&q).0, s);

        let (s, notes) = state("model=resnet50&width=9");
        assert_eq!(s.model, Zoo::MobileNetV2);
        assert_eq!(s.knobs.width, 1.4);
        assert_eq!(notes.len(), 2, "{notes:?}");
        let (s, notes) = state("model=shufflenet_v1&g=5");
        assert_eq!(s.knobs.groups, 4);
        assert_eq!(notes, ["g=5 is not one of 1, 2, 3, 4, 8; using 4."]);
        assert!(s.build(false).is_ok());
        // A knob of another model is not read: noted as unknown.
        let (_, notes) = state("model=squeezenet1_0&g=3");
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn sorting_and_flops() {
        let (s, _) = state("model=mobilenet_v2");
        let t = s.build(false).unwrap();
        let mut r = rows(&t);
        sort_rows(&mut r, SortKey::Params, true);
        assert!(r.windows(2).all(|w| w[0].params >= w[1].params));
        assert_eq!(r[0].ty, "linear");
        sort_rows(&mut r, SortKey::Order, false);
        assert!(r.windows(2).all(|w| w[0].index < w[1].index));
        sort_rows(&mut r, SortKey::Act, false);
        assert!(r.windows(2).all(|w| w[0].act <= w[1].act));
        let f = ZooState { flops: true, ..s };
        assert_eq!(f.ops(10), 20);
        assert_eq!(s.ops(10), 10);
    }

    #[test]
    fn csv_rows_and_total() {
        let (s, _) = state("model=squeezenet1_0&sort=params&dir=desc");
        let t = s.build(false).unwrap();
        let mut r = rows(&t);
        sort_rows(&mut r, s.sort, s.desc);
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
            let s = ZooState {
                model: z,
                knobs: z.default_knobs(),
                ..ZooState::default()
            };
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
