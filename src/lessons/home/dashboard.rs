//! The home page's savings dashboard: for one layer shape (C_in, C_out, K,
//! H×W) and a group count g, every method of the lecture side by side —
//! parameters, multiply–adds and activation memory — each counted from its
//! kernel-crate spec's layers, as one log-scale chart and a table.
//!
//! URL (home): `#/?cin=64&cout=64&k=3&hw=32&g=4`.

use convlab_core::blocks::{
    FireSpec, InvertedResidualSpec, SeparableSpec, ShiftBlockSpec, ShuffleV1Spec,
};
use convlab_core::ops::bottleneck::BottleneckSpec;
use convlab_core::ops::ghost::GhostSpec;
use convlab_core::{Conv2dSpec, Convention, CostSummary, LayerCost};
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::config;
use crate::draw::chart::{axis_number, draw_categories};
use crate::draw::{text_style, DrawResult, Style};
use crate::route::{self, Params};
use crate::widgets::formula::group_digits;
use crate::widgets::plot::CanvasArea;
use crate::widgets::{Plot, Slider};
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Largest channel count on the sliders.
pub const MAX_CH: usize = 512;
/// Largest map side on the slider.
pub const MAX_HW: usize = 224;
/// Kernel sizes offered (odd: "same" padding).
pub const KERNELS: [usize; 4] = [1, 3, 5, 7];
/// Largest group count.
pub const MAX_G: usize = 16;

/// The dashboard's setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DashState {
    /// Input channels.
    pub cin: usize,
    /// Output channels.
    pub cout: usize,
    /// Kernel side.
    pub k: usize,
    /// Map side (H = W).
    pub hw: usize,
    /// Groups (group conv, ShuffleNet unit).
    pub g: usize,
}

impl Default for DashState {
    fn default() -> Self {
        DashState {
            cin: 128,
            cout: 128,
            k: 3,
            hw: 32,
            g: 4,
        }
    }
}

impl DashState {
    /// Reads the home URL's dashboard keys (clamped, with notes).
    pub fn read(p: &mut Params<'_>) -> DashState {
        let d = DashState::default();
        DashState {
            cin: p.usize("cin", d.cin, 1, MAX_CH),
            cout: p.usize("cout", d.cout, 1, MAX_CH),
            k: p.int_in("k", d.k as i64, &KERNELS.map(|k| k as i64)) as usize,
            hw: p.usize("hw", d.hw, 1, MAX_HW),
            g: p.usize("g", d.g, 1, MAX_G),
        }
    }

    /// The URL pairs.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("cin", self.cin.to_string()),
            ("cout", self.cout.to_string()),
            ("k", self.k.to_string()),
            ("hw", self.hw.to_string()),
            ("g", self.g.to_string()),
        ]
    }
}

/// The methods, in the lecture's order.
pub const METHODS: [&str; 9] = [
    "standard conv",
    "bottleneck",
    "group conv",
    "depthwise-separable",
    "Fire",
    "MobileNet v2 block",
    "ShuffleNet unit",
    "Ghost module",
    "shift block",
];

/// One method at the setting: its configuration in words and its counts, or why it cannot take it.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodCost {
    /// Method name.
    pub name: &'static str,
    /// How it is configured at this setting.
    pub config: String,
    /// Totals of its layers, or the reason it does not fit.
    pub cost: Result<CostSummary, String>,
}

/// Every method's layers at `s` under the lecture's convention (bias, no BatchNorm).
pub fn methods(s: &DashState) -> Vec<MethodCost> {
    let conv = Convention::LECTURE;
    let input = [s.cin, s.hw, s.hw];
    let (cin, cout, k, g) = (s.cin, s.cout, s.k, s.g);
    let sum = |r: convlab_core::Result<Vec<LayerCost>>| {
        r.map(|l| CostSummary::of(&l)).map_err(|e| e.to_string())
    };
    let same_width = |what: &str| -> Result<(), String> {
        if cin == cout {
            Ok(())
        } else {
            Err(format!(
                "{what} keeps the width: needs C_in = C_out (here {cin} \u{2192} {cout})"
            ))
        }
    };
    let mid = (cin / 4).max(1);
    let squeeze = (cout / 8).max(1);
    let bottleneck_ch = (cout / 4).max(1);
    let out = |cfg: String, name: &'static str, cost| MethodCost {
        name,
        config: cfg,
        cost,
    };
    vec![
        out(
            format!("{k}\u{d7}{k}, {cin} \u{2192} {cout}"),
            METHODS[0],
            sum(
                LayerCost::conv("standard", Conv2dSpec::standard(cin, cout, k), input)
                    .map(|l| vec![l]),
            ),
        ),
        out(
            format!(
                "1\u{d7}1 {cin} \u{2192} {mid}, {k}\u{d7}{k}, 1\u{d7}1 \u{2192} {cout} (M = C/4)"
            ),
            METHODS[1],
            same_width("a bottleneck N \u{2192} M \u{2192} N").and_then(|_| {
                sum(BottleneckSpec {
                    channels: cin,
                    mid,
                    kernel: k,
                    stride: 1,
                    bias: true,
                    relu: true,
                }
                .layers(input))
            }),
        ),
        out(
            format!("{k}\u{d7}{k}, g = {g}"),
            METHODS[2],
            sum(
                LayerCost::conv("group", Conv2dSpec::grouped(cin, cout, k, g), input)
                    .map(|l| vec![l]),
            ),
        ),
        out(
            format!("dw {k}\u{d7}{k} + 1\u{d7}1 {cin} \u{2192} {cout}"),
            METHODS[3],
            sum(SeparableSpec {
                in_channels: cin,
                out_channels: cout,
                kernel: k,
                stride: 1,
            }
            .layers(input, conv)),
        ),
        out(
            format!(
                "squeeze {squeeze}, expand {} (1\u{d7}1) + {} (3\u{d7}3)",
                cout / 2,
                cout - cout / 2
            ),
            METHODS[4],
            if cout < 2 {
                Err("needs C_out \u{2265} 2: half 1\u{d7}1, half 3\u{d7}3".into())
            } else {
                sum(FireSpec::new(cin, squeeze, cout / 2, cout - cout / 2).layers(input, conv))
            },
        ),
        out(
            "expand t = 6, dw 3\u{d7}3, project".to_string(),
            METHODS[5],
            sum(InvertedResidualSpec::new(cin, cout, 6, 1).layers(input, conv)),
        ),
        out(
            format!("g = {g}, bottleneck {bottleneck_ch}, dw 3\u{d7}3, add"),
            METHODS[6],
            same_width("a stride-1 ShuffleNet unit adds its input, so it").and_then(|_| {
                sum(ShuffleV1Spec {
                    in_channels: cin,
                    out_channels: cout,
                    bottleneck: bottleneck_ch,
                    groups: g,
                    stride: 1,
                    first_group_conv: true,
                }
                .layers(input, conv))
            }),
        ),
        out(
            format!(
                "primary {k}\u{d7}{k} \u{2192} \u{2308}{cout}/2\u{2309}, cheap dw 3\u{d7}3 (s = 2)"
            ),
            METHODS[7],
            sum(GhostSpec {
                in_channels: cin,
                out_channels: cout,
                kernel: k,
                ratio: 2,
                dw_kernel: 3,
                stride: 1,
                bias: true,
            }
            .layers(input)),
        ),
        out(
            format!("1\u{d7}1, shift {k}\u{d7}{k}, 1\u{d7}1 (\u{3b5} = 1)"),
            METHODS[8],
            sum(ShiftBlockSpec {
                kernel: k.max(3),
                ..ShiftBlockSpec::new(cin, cout, 1, 1)
            }
            .layers(input, conv)),
        ),
    ]
}

/// The three quantities, their names and colours.
const QUANTITIES: [&str; 3] = ["parameters", "multiply\u{2013}adds", "activation elements"];

fn value(c: &CostSummary, q: usize) -> u64 {
    match q {
        0 => c.params,
        1 => c.macs,
        _ => c.activations,
    }
}

/// Grouped bars of params, MACs and activation elements per method on a log
/// axis (the three differ by orders of magnitude); a method that cannot take
/// the setting has no bars and an "n/a" mark.
pub fn draw_dashboard<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ms: &[MethodCost],
    style: &Style,
) -> DrawResult {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&style.ink.background).map_err(err)?;
    let n = ms.len();
    let vals: Vec<u64> = ms
        .iter()
        .filter_map(|m| m.cost.as_ref().ok())
        .flat_map(|c| (0..3).map(move |q| value(c, q)))
        .filter(|v| *v > 0)
        .collect();
    let lo = vals.iter().copied().min().unwrap_or(1) as f64;
    let hi = vals.iter().copied().max().unwrap_or(10) as f64;
    let font = style.font_px();
    let (y0, y1) = (
        10f64.powf(lo.log10().floor()).max(1.0),
        10f64.powf(hi.log10().ceil()).max(10.0),
    );
    // The axis ends at the decade above the tallest bar: the legend is a row
    // above the plot, so it needs no empty decades to sit in.
    let names: Vec<String> = ms.iter().map(|m| m.name.to_string()).collect();
    let legend_h = font * 2.0;
    let mut c = ChartBuilder::on(area)
        .margin(style.px(8.0) as u32)
        // The top tick label ("1G") rises half its height above the plot.
        .margin_top((legend_h + font * 0.8) as u32)
        .x_label_area_size((font * 3.4) as u32)
        .y_label_area_size((font * 5.2) as u32)
        .build_cartesian_2d(0.0..n as f64, (y0..y1).log_scale())
        .map_err(err)?;
    let label_font = ("sans-serif", font).into_font().color(&style.ink.text);
    c.configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("count (log scale)")
        .y_label_formatter(&|v| axis_number(*v))
        .axis_style(style.ink.muted)
        .bold_line_style(style.ink.muted.mix(0.25))
        .light_line_style(style.ink.muted.mix(0.08))
        .label_style(label_font.clone())
        .axis_desc_style(label_font.clone())
        .draw()
        .map_err(err)?;
    let w = 0.7 / 3.0;
    for q in 0..QUANTITIES.len() {
        let color = config::group_color(q);
        let rects = ms.iter().enumerate().filter_map(|(i, m)| {
            let v = value(m.cost.as_ref().ok()?, q) as f64;
            let x0 = i as f64 + 0.15 + q as f64 * w;
            Some(Rectangle::new(
                [(x0, y0), (x0 + w, v.max(y0))],
                color.filled(),
            ))
        });
        c.draw_series(rects).map_err(err)?;
    }
    let na = ms
        .iter()
        .enumerate()
        .filter(|(_, m)| m.cost.is_err())
        .map(|(i, _)| Text::new("n/a", (i as f64 + 0.35, y0 * 1.6), label_font.clone()));
    c.draw_series(na).map_err(err)?;
    // Method names under the bar centres (the mesh's ticks miss them), fitted
    // to the bar width; the legend where it hides the fewest bars.
    draw_categories(area, &names, font, style, |i| {
        c.backend_coord(&(i as f64 + 0.5, y0))
    })?;
    // The legend: one row of keys across the top, centred.
    let key = style.px(11.0);
    let gap = style.px(6.0);
    let key_style = text_style(font, style.ink.text, Pos::new(HPos::Left, VPos::Center));
    let widths: Vec<f64> = QUANTITIES
        .iter()
        .map(|q| {
            area.estimate_text_size(q, &key_style)
                .map(|(w, _)| f64::from(w))
                .unwrap_or(q.chars().count() as f64 * font * 0.6)
        })
        .collect();
    let total: f64 = widths.iter().map(|w| key + gap + w).sum::<f64>()
        + 2.0 * font * (widths.len() as f64 - 1.0);
    // A row wider than the figure (a phone) is drawn smaller to fit.
    let room = f64::from(area.dim_in_pixel().0) - 2.0 * style.px(8.0);
    let scale = (room / total).min(1.0);
    let key_style = text_style(
        font * scale,
        style.ink.text,
        Pos::new(HPos::Left, VPos::Center),
    );
    let (key, gap) = (key * scale, gap * scale);
    let widths: Vec<f64> = widths.iter().map(|w| w * scale).collect();
    let mut x = ((f64::from(area.dim_in_pixel().0) - total * scale) / 2.0).max(style.px(8.0));
    let y = style.px(8.0) + legend_h / 2.0;
    for (q, (name, w)) in QUANTITIES.iter().zip(&widths).enumerate() {
        area.draw(&Rectangle::new(
            [
                (x.round() as i32, (y - key / 2.0).round() as i32),
                ((x + key).round() as i32, (y + key / 2.0).round() as i32),
            ],
            config::group_color(q).filled(),
        ))
        .map_err(err)?;
        area.draw_text(
            name,
            &key_style,
            ((x + key + gap).round() as i32, y.round() as i32),
        )
        .map_err(err)?;
        x += key + gap + w + 2.0 * font * scale;
    }
    Ok(())
}

/// The sentence under the table about every method that has more parameters
/// than the standard conv at this setting (a ratio above 1 in a table of
/// savings), with why; empty when there is none.
pub fn costlier_note(ms: &[MethodCost], standard: Option<u64>) -> String {
    let Some(std) = standard.filter(|&p| p > 0) else {
        return String::new();
    };
    let above: Vec<String> = ms
        .iter()
        .filter_map(|m| {
            let c = m.cost.as_ref().ok()?;
            (c.params > std).then(|| {
                let why = if m.name == "MobileNet v2 block" {
                    ": it is not built to save \u{2014} it expands to 6\u{b7}C_in channels inside to buy capacity, and saves against a standard conv at that inner width"
                } else {
                    ""
                };
                format!("{} ({:.2}\u{d7}){why}", m.name, c.params as f64 / std as f64)
            })
        })
        .collect();
    match above.len() {
        0 => String::new(),
        _ => format!(
            "Above 1, more parameters than the standard conv here: {}.",
            above.join("; ")
        ),
    }
}

/// The dashboard: sliders, chart and table, live.
#[component]
pub fn Dashboard(initial: DashState) -> impl IntoView {
    let cin = RwSignal::new(initial.cin);
    let cout = RwSignal::new(initial.cout);
    let k = RwSignal::new(initial.k);
    let hw = RwSignal::new(initial.hw);
    let g = RwSignal::new(initial.g);
    let st = Memo::new(move |_| DashState {
        cin: cin.get(),
        cout: cout.get(),
        k: k.get(),
        hw: hw.get(),
        g: g.get(),
    });
    Effect::new(move |_| route::write_lesson_state("", &st.get().pairs()));
    let ms = Memo::new(move |_| methods(&st.get()));
    let base =
        Memo::new(move |_| ms.with(|m| m.first().and_then(|m| m.cost.as_ref().ok().copied())));
    let fmt = |v: u64| group_digits(v);
    view! {
        <section class="part dashboard" data-testid="dashboard">
            <h2>"Savings dashboard"</h2>
            <p class="idea">
                "One layer shape, every method of the lecture. Counts come from each method's own layer list "
                "(lecture convention: every conv with a bias, no BatchNorm; multiply\u{2013}adds = MACs; activation memory = elements of every layer's output)."
            </p>
            <div class="stage">
                <div class="figure">
                    <Plot
                        label="parameters, multiply-adds and activation elements of every method, log scale"
                        test_id="dashboard-chart"
                        height=320.0
                        draw=move |area: &CanvasArea, style: &Style| ms.with(|m| draw_dashboard(area, m, style))
                    />
                    <div style="overflow-x: auto;" tabindex="0" role="region" aria-label="savings of each method, as a table">
                    <table class="count-table" data-testid="dashboard-table">
                        <thead>
                            <tr>
                                <th scope="col">"method"</th>
                                <th scope="col">"at this setting"</th>
                                <th scope="col" class="num">"parameters"</th>
                                <th scope="col" class="num">"MACs"</th>
                                <th scope="col" class="num">"activation elements"</th>
                                <th scope="col" class="num">"params vs standard"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || ms.get().into_iter().enumerate().map(|(i, m)| {
                                let cells = match m.cost {
                                    Ok(c) => {
                                        let ratio = base.get().filter(|b| b.params > 0).map(|b| format!("{:.3}", c.params as f64 / b.params as f64)).unwrap_or_default();
                                        view! {
                                            <td class="num" data-testid="dash-params">{fmt(c.params)}</td>
                                            <td class="num" data-testid="dash-macs">{fmt(c.macs)}</td>
                                            <td class="num" data-testid="dash-act">{fmt(c.activations)}</td>
                                            <td class="num" data-testid="dash-ratio">{ratio}</td>
                                        }.into_any()
                                    }
                                    Err(e) => view! { <td colspan="4" class="why-not" data-testid="dash-why">{e}</td> }.into_any(),
                                };
                                view! {
                                    <tr data-testid=format!("dash-row-{i}")>
                                        // Numbered as the chart's bars are where their names do not fit.
                                        <th scope="row"><span class="muted">{format!("{}. ", i + 1)}</span>{m.name}</th>
                                        <td>{m.config}</td>
                                        {cells}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                    <p data-testid="dash-above-one">{move || ms.with(|m| costlier_note(m, base.get().map(|b| b.params)))}</p>
                </div>
                <aside class="controls" aria-label="Dashboard controls" tabindex="0">
                    <Slider value=cin symbol="C_in" meaning="input channels" min=1usize max=MAX_CH test_id="dash-cin" />
                    <Slider value=cout symbol="C_out" meaning="output channels" min=1usize max=MAX_CH test_id="dash-cout" />
                    <Slider value=k symbol="K" meaning="kernel size" min=1usize max=7usize allowed=KERNELS.to_vec() test_id="dash-k" />
                    <Slider value=hw symbol="H\u{d7}W" meaning="map side (H = W)" min=1usize max=MAX_HW test_id="dash-hw" />
                    <Slider value=g symbol="g" meaning="groups (group conv, ShuffleNet)" min=1usize max=MAX_G test_id="dash-g" />
                </aside>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_costlier_than_the_standard_conv_are_named_with_their_ratio() {
        let ms = methods(&DashState::default());
        let std = ms[0].cost.as_ref().unwrap().params;
        let note = costlier_note(&ms, Some(std));
        for m in &ms {
            let p = m.cost.as_ref().map(|c| c.params).unwrap_or(0);
            assert_eq!(
                note.contains(&format!("{} (", m.name)),
                p > std,
                "{}: {p} vs {std}: {note}",
                m.name
            );
        }
        // The default setting: MobileNet v2's block is the one above 1, and why.
        assert!(note.contains("MobileNet v2 block ("), "{note}");
        assert!(note.contains("expands to 6"), "{note}");
        // Where nothing costs more, nothing is said.
        let small = DashState {
            cin: 8,
            cout: 8,
            k: 7,
            hw: 8,
            g: 2,
        };
        let ms = methods(&small);
        let std = ms[0].cost.as_ref().unwrap().params;
        if ms
            .iter()
            .all(|m| m.cost.as_ref().map_or(true, |c| c.params <= std))
        {
            assert_eq!(costlier_note(&ms, Some(std)), "");
        }
        assert_eq!(costlier_note(&ms, None), "");
    }
    use crate::route::Query;

    fn at(q: &str) -> (DashState, usize) {
        let q = Query::parse(q);
        let mut p = Params::new(&q);
        let s = DashState::read(&mut p);
        (s, p.finish().len())
    }

    #[test]
    fn lecture_numbers_and_reasons() {
        let (s, notes) = at("cin=128&cout=128&k=3&hw=8&g=4");
        assert_eq!(notes, 0);
        let m = methods(&s);
        assert_eq!(m.len(), METHODS.len());
        let p = |i: usize| m[i].cost.as_ref().map(|c| c.params).unwrap();
        // The lecture's Fire (C = 128, S = 16, E1 = E3 = 64) and the 3×3 twin.
        assert_eq!(p(0), 147_584);
        assert_eq!(p(4), 12_432);
        // Group conv: 1/g of the weights (+ bias).
        assert_eq!(p(2), 9 * 128 * 128 / 4 + 128);
        assert_eq!(p(3), 9 * 128 + 128 + 128 * 128 + 128);
        assert!(m.iter().all(|m| m.cost.is_ok()), "{m:?}");
        // MACs: K·K·C·H·W·D for the standard conv.
        assert_eq!(m[0].cost.as_ref().unwrap().macs, 9 * 128 * 64 * 128);

        let (s, _) = at("cin=30&cout=64&g=4");
        let m = methods(&s);
        let why = m[2].cost.as_ref().unwrap_err();
        assert!(why.contains("30"), "{why}");
        assert!(m[1].cost.as_ref().unwrap_err().contains("C_in = C_out"));
        assert!(m[6].cost.is_err());
        assert!(m[0].cost.is_ok() && m[3].cost.is_ok());

        let (s, notes) = at("cin=9999&k=4&hw=abc");
        assert_eq!(notes, 3);
        assert_eq!((s.cin, s.k, s.hw), (MAX_CH, 3, 32));
    }
}
