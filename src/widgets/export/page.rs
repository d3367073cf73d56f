//! Finding what can be exported on the page: the lesson's visible
//! canvases and tables, their names, and a table's cell texts.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement};

/// Elements matching `selector` under `root`, in document order.
fn select(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

/// A name for `el`: its `data-name` (the widget's label), its aria-label, else the `data-testid` of it or an
/// ancestor, else `fallback`.
pub(super) fn name_of(el: &Element, fallback: String) -> String {
    if let Some(l) = el
        .get_attribute("data-name")
        .filter(|s| !s.trim().is_empty())
    {
        return l;
    }
    if let Some(l) = el
        .get_attribute("aria-label")
        .filter(|s| !s.trim().is_empty())
    {
        return l;
    }
    if let Ok(Some(t)) = el.closest("[data-testid]") {
        if let Some(id) = t.get_attribute("data-testid") {
            return id;
        }
    }
    fallback
}

/// The figures (visible canvases) of the lesson.
pub(super) fn canvases(root: &Element) -> Vec<HtmlCanvasElement> {
    select(root, "canvas")
        .into_iter()
        .filter_map(|e| e.dyn_into::<HtmlCanvasElement>().ok())
        .filter(|c| c.client_width() > 0 && c.width() > 0 && c.height() > 0)
        .collect()
}

/// The tables of the lesson.
pub(super) fn tables(root: &Element) -> Vec<Element> {
    select(root, "table")
}

pub(super) fn table_name(t: &Element, i: usize) -> String {
    select(t, "caption")
        .first()
        .and_then(|c| c.text_content())
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| name_of(t, format!("table {}", i + 1)))
}

/// The cell texts of a table, row by row (a cell spanning columns is
/// followed by empty cells, so columns line up); sort arrows are dropped.
pub(super) fn table_rows(t: &Element) -> Vec<Vec<String>> {
    select(t, "tr")
        .iter()
        .map(|tr| {
            let mut row = Vec::new();
            for cell in select(tr, "th, td") {
                let text = cell
                    .text_content()
                    .unwrap_or_default()
                    .replace(['\u{25b2}', '\u{25bc}'], "");
                row.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
                let span = cell
                    .get_attribute("colspan")
                    .and_then(|s| s.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 100);
                row.extend(std::iter::repeat_n(String::new(), span - 1));
            }
            row
        })
        .filter(|r| !r.is_empty())
        .collect()
}
