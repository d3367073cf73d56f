//! The zoo's layer table: one row per layer of the network (or its twin),
//! sortable by column, rendered only near the scroller's view, and exported
//! as CSV.

use leptos::prelude::*;

use super::model::{csv, csv_file_name, rows, shape, sort_rows, Row};
use super::state::{Direction, SortKey, ZooSignals, ZooState};
use super::Built;
use crate::widgets::formula::group_digits;

/// The cells of a row, as the table shows them (operations in `st`'s unit).
fn cells(r: &Row, st: &ZooState) -> [String; 8] {
    [
        r.index.to_string(),
        r.name.clone(),
        r.ty.clone(),
        shape(r.input),
        shape(r.output),
        group_digits(r.params),
        group_digits(st.ops(r.macs)),
        group_digits(r.act),
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

/// Column headers: key, label, numeric.
const COLUMNS: [(SortKey, &str, bool); 6] = [
    (SortKey::Order, "#", true),
    (SortKey::Name, "layer", false),
    (SortKey::Type, "type", false),
    (SortKey::Params, "params", true),
    (SortKey::Macs, "ops", true),
    (SortKey::Act, "activations", true),
];

/// The sortable per-layer table and the CSV export.
#[component]
pub fn LayerTable(
    /// The page's state.
    st: Memo<ZooState>,
    /// Its signals (the column headers set the sort).
    signals: ZooSignals,
    /// The network and its twin, built.
    built: Memo<Result<Built, String>>,
    /// The exported CSV, shown under the table once exported.
    csv_text: RwSignal<Option<String>>,
) -> impl IntoView {
    let sorted = Memo::new(move |_| {
        let s = st.get();
        built.with(|b| match b {
            Ok(b) => {
                let mut r = rows(b.shown(s.twin));
                sort_rows(&mut r, s.sort, s.desc());
                r
            }
            Err(_) => Vec::new(),
        })
    });
    // Only the rows near the scroller's view are in the page (a knob moves
    // every number of a few hundred rows); spacer rows keep its height.
    let scroller = NodeRef::<leptos::html::Div>::new();
    let top = RwSignal::new(0.0f64);
    let view_h = RwSignal::new(800.0f64);
    let row_h = RwSignal::new(29.0f64);
    let shown = Memo::new(move |_| {
        window(
            sorted.with(|r| r.len()),
            top.get(),
            view_h.get(),
            row_h.get(),
        )
    });
    let body = Memo::new(move |_| {
        let s = st.get();
        let range = shown.get();
        sorted.with(|r| rows_html(r, &s, range, row_h.get()))
    });
    // Fixed column widths (in `ch`), from every row and the headers, so the
    // columns keep their width whichever rows are on show.
    let widths = Memo::new(move |_| {
        let s = st.get();
        let cells = sorted.with(|r| column_chars(r, &s));
        let heads = [
            "#",
            "layer",
            "type",
            "input",
            "output",
            "params (lecture)",
            s.unit(),
            "activations",
        ];
        let mut w = [0.0f64; 8];
        for (i, w) in w.iter_mut().enumerate() {
            // Letters and `×` run wider than the digit `ch` is; headers are
            // bold, with a sort arrow, in a button at least 2.75rem wide.
            let f = if (1..=4).contains(&i) { 1.2 } else { 1.0 };
            let head = (heads[i].chars().count() + 2) as f64 * 1.1;
            *w = (cells[i] as f64 * f).max(head).max(6.0);
        }
        w
    });
    let measure = move || {
        // Runs in animation frames too: the page may be gone by then.
        let Some(el) = scroller.try_get_untracked().flatten() else {
            return;
        };
        let _ = top.try_set(f64::from(el.scroll_top()));
        let h = f64::from(el.client_height());
        if h > 0.0 && view_h.try_get_untracked() != Some(h) {
            let _ = view_h.try_set(h);
        }
        if let Ok(Some(row)) = el.query_selector("tr[data-testid=\"layer-row\"]") {
            let rh = row.get_bounding_client_rect().height();
            if rh >= 4.0
                && row_h
                    .try_get_untracked()
                    .is_some_and(|old| (old - rh).abs() > 0.25)
            {
                let _ = row_h.try_set(rh);
            }
        }
    };
    // The real row height and view once the first rows are in (and when the
    // network changes); a knob move changes neither, and reading them forces a
    // layout.
    let count = Memo::new(move |_| sorted.with(|r| r.len()));
    Effect::new(move |_| {
        count.track();
        request_animation_frame(measure);
    });
    let header = move |key: SortKey, label: &'static str, num: bool| {
        let aria = move || {
            let s = st.get();
            if s.sort != key {
                "none"
            } else if s.desc() {
                "descending"
            } else {
                "ascending"
            }
        };
        let arrow = move || match aria() {
            "ascending" => " \u{25b2}",
            "descending" => " \u{25bc}",
            _ => "",
        };
        let text = move || {
            if key == SortKey::Macs {
                st.get().unit().to_string()
            } else if key == SortKey::Params {
                format!(
                    "params ({})",
                    if st.get().torchvision() {
                        "tv"
                    } else {
                        "lecture"
                    }
                )
            } else {
                label.to_string()
            }
        };
        view! {
            <th class=if num { "num" } else { "" } aria-sort=aria scope="col">
                <button
                    type="button"
                    data-testid=format!("sort-{}", key.id())
                    on:click=move |_| {
                        let (sort, dir) = (signals.sort, signals.dir);
                        if sort.get_untracked() == key {
                            dir.update(|d| *d = if *d == Direction::Desc { Direction::Asc } else { Direction::Desc });
                        } else {
                            sort.set(key);
                            // Numbers read best biggest first.
                            dir.set(if num && key != SortKey::Order { Direction::Desc } else { Direction::Asc });
                        }
                    }
                >
                    {text}{arrow}
                </button>
            </th>
        }
    };
    let export = move |_| {
        let s = st.get_untracked();
        let Some(text) = built.with_untracked(|b| {
            b.as_ref()
                .ok()
                .map(|b| csv(&s, b.shown(s.twin), &sorted.get_untracked()))
        }) else {
            return;
        };
        let _ = crate::widgets::export::download_text(
            &csv_file_name(&s),
            "text/csv;charset=utf-8",
            &text,
        );
        csv_text.set(Some(text));
    };
    let totals = move || {
        let s = st.get();
        built.with(|b| b.as_ref().ok().map(|b| (b.shown(s.twin).totals(), s)))
    };
    view! {
        <div class="jumps">
            <button type="button" class="btn" data-testid="export-csv" on:click=export>"Export CSV"</button>
            <span class="formula-label" data-testid="row-count">{move || format!("{} layers; click a column to sort", sorted.with(|r| r.len()))}</span>
        </div>
        <div class="zoo-scroll" data-testid="layer-scroll" tabindex="0" role="region" aria-label="layers of the network"
            node_ref=scroller on:scroll=move |_| measure()>
            <table class="zoo-table" data-testid="layer-table" aria-rowcount=move || sorted.with(|r| r.len() + 2)
                style=move || format!("min-width: calc({:.1}ch + 8rem)", widths.with(|w| w.iter().sum::<f64>()))>
                <colgroup>
                    {(0..8usize).map(|i| view! {
                        <col style=move || format!("width: calc({:.1}ch + 1rem)", widths.with(|w| w[i])) />
                    }).collect_view()}
                </colgroup>
                <thead>
                    <tr>
                        {COLUMNS.into_iter().take(3).map(|(k, l, n)| header(k, l, n)).collect_view()}
                        <th scope="col">"input"</th>
                        <th scope="col">"output"</th>
                        {COLUMNS.into_iter().skip(3).map(|(k, l, n)| header(k, l, n)).collect_view()}
                    </tr>
                </thead>
                <tbody inner_html=move || body.get()></tbody>
                <tfoot>
                    {move || {
                        totals().map(|(t, s)| view! {
                            <tr>
                                <td></td>
                                <td colspan="4">"total"</td>
                                <td class="num" data-testid="foot-params">{group_digits(t.params)}</td>
                                <td class="num">{group_digits(s.ops(t.macs))}</td>
                                <td class="num">{group_digits(t.activations)}</td>
                            </tr>
                        })
                    }}
                </tfoot>
            </table>
        </div>
        {move || csv_text.get().map(|t| view! {
            <details class="zoo-csv">
                <summary>"The exported CSV"</summary>
                <pre data-testid="csv-text">{t}</pre>
            </details>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::zoo::state::Units;

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
            group_digits(first.params)
        )));
        // FLOPs double every operation count.
        let flops = ZooState {
            units: Units::Flops,
            ..st
        };
        let h2 = rows_html(&rs, &flops, 0..rs.len(), 30.0);
        assert!(h2.contains(&format!(
            "data-testid=\"cell-ops\">{}</td>",
            group_digits(2 * first.macs)
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
            assert!(group_digits(r.params).chars().count() <= w[5]);
        }
        assert!(w.iter().all(|&c| c > 0));
    }
}
