//! The Export menu every lesson shows (from [`crate::lessons::layout`]):
//! PNG of any figure (at least twice its CSS size), SVG of any figure drawn
//! by a widget (replayed from its recording), an animated GIF of a
//! [`super::Player`]'s animation (the figure re-drawn at each step), CSV of
//! every table, and the PyTorch code of the current settings.
//!
//! Everything is found on the page when the menu opens, so a lesson needs
//! nothing beyond the shared widgets: canvases and tables in the lesson
//! `<article>`, animations registered by each Player through [`Exports`].
//! Files are offered with a Blob, an object URL and `<a download>`.

use leptos::html;
use leptos::prelude::*;
use web_sys::{Element, HtmlCanvasElement};

use super::surface::use_theme;
use crate::route::{self, Route};

mod animation;
mod download;
mod page;
mod png;
#[cfg(test)]
mod tests;

use animation::start_gif;
pub use animation::{register_animation, Animation, Exports};
use download::js_err;
pub use download::{download_blob, download_bytes, download_text, slug};
use page::{canvases, name_of, table_name, table_rows, tables};
use png::save_png;

/// The current lesson's URL state (with any waiting write applied first).
fn current_route() -> Route {
    route::flush_pending_hash();
    Route::parse(&route::current_hash())
}

/// The Export menu of lesson `id`: a disclosure button that opens the
/// choices (native `<details>`, so it works with keyboard and touch).
#[component]
pub fn ExportMenu(
    /// The lesson's route id (file names).
    id: &'static str,
    /// The lesson's PyTorch writer (none: the item says the page has no layers).
    torch: Option<super::torch::Snippet>,
) -> impl IntoView {
    let exports = use_context::<Exports>();
    let theme = use_theme();
    let anchor = NodeRef::<html::Details>::new();
    let figures = RwSignal::new(Vec::<String>::new());
    let table_names = RwSignal::new(Vec::<String>::new());
    let figure = RwSignal::new(0usize);
    let table = RwSignal::new(0usize);
    let anim = RwSignal::new(0usize);
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let torch_text = RwSignal::new(None::<String>);

    let root = move || -> Option<Element> {
        let d = anchor.get_untracked()?;
        d.closest("article").ok().flatten()
    };
    let refresh = move || {
        // Figures away from the view may wait for an idle moment: draw them
        // now, before a PNG or SVG is taken of one.
        super::defer::flush();
        let Some(r) = root() else { return };
        let f: Vec<String> = canvases(&r)
            .iter()
            .enumerate()
            .map(|(i, c)| name_of(c, format!("figure {}", i + 1)))
            .collect();
        if figure.get_untracked() >= f.len() {
            figure.set(0);
        }
        figures.set(f);
        let t: Vec<String> = tables(&r)
            .iter()
            .enumerate()
            .map(|(i, t)| table_name(t, i))
            .collect();
        if table.get_untracked() >= t.len() {
            table.set(0);
        }
        table_names.set(t);
    };
    let animations = move || exports.map(|e| e.animations.get()).unwrap_or_default();

    let report = move |r: Result<String, String>| {
        status.set(match r {
            Ok(m) | Err(m) => m,
        })
    };
    let picked_canvas = move || -> Result<(HtmlCanvasElement, String), String> {
        let r = root().ok_or("the lesson is not on the page")?;
        let list = canvases(&r);
        let i = figure.get_untracked();
        let c = list
            .get(i)
            .cloned()
            .ok_or("The figure is no longer on the page; open the menu again.")?;
        let name = name_of(&c, format!("figure {}", i + 1));
        Ok((c, name))
    };
    let on_png = move |_| {
        let r = picked_canvas().and_then(|(c, name)| {
            let file = format!("{id}-{}.png", slug(&name));
            save_png(&c, file.clone(), status)?;
            Ok(format!("Saving {file}\u{2026}"))
        });
        report(r);
    };
    let on_svg = move |_| {
        let r = picked_canvas().and_then(|(c, name)| {
            let svg = super::record::svg_of(&c, &name)?;
            let file = format!("{id}-{}.svg", slug(&name));
            download_text(&file, "image/svg+xml", &svg).map_err(js_err)?;
            Ok(format!("Saved {file}."))
        });
        report(r);
    };
    let on_csv = move |_| {
        let r = (|| {
            let r = root().ok_or("the lesson is not on the page")?;
            let list = tables(&r);
            let i = table.get_untracked();
            let t = list
                .get(i)
                .ok_or("The table is no longer on the page; open the menu again.")?;
            let name = table_name(t, i);
            let text = super::csv::to_csv(&table_rows(t));
            let file = format!("{id}-{}.csv", slug(&name));
            download_text(&file, "text/csv;charset=utf-8", &text).map_err(js_err)?;
            Ok(format!("Saved {file}."))
        })();
        report(r);
    };
    let on_gif = move |_| {
        if busy.get_untracked() {
            return;
        }
        let r = (|| {
            let list = animations();
            let a = list
                .get(anim.get_untracked())
                .cloned()
                .ok_or("This lesson has no animation.")?;
            let r = root().ok_or("the lesson is not on the page")?;
            let file = format!("{id}-{}.gif", slug(&a.label));
            let bg = crate::config::css(crate::config::ink(theme.get_untracked()).background);
            start_gif(a, &r, file, bg, status, busy)?;
            Ok("Recording the animation\u{2026}".to_string())
        })();
        report(r);
    };
    let on_torch = move |_| {
        let route = current_route();
        let write = torch.ok_or_else(|| "This page has no layers to write as PyTorch.".to_string());
        let r = write.and_then(|w| w(&route.query)).and_then(|text| {
            let file = format!("{id}.py");
            download_text(&file, "text/x-python;charset=utf-8", &text).map_err(js_err)?;
            torch_text.set(Some(text));
            Ok(format!("Saved {file}."))
        });
        report(r);
    };

    view! {
        <details class="cl-export" data-testid="export-menu" node_ref=anchor
            on:toggle=move |_| {
                if anchor.get_untracked().is_some_and(|d| d.open()) {
                    refresh();
                }
            }>
            <summary class="btn" data-testid="export-open">"Export"</summary>
            <div class="cl-export-body" role="group" aria-label="Export">
                <div class="cl-export-row">
                    <label>
                        <span>"figure"</span>
                        <select data-testid="export-figure"
                            on:change=move |ev| figure.set(event_target_value(&ev).parse().unwrap_or(0))>
                            {move || figures.get().into_iter().enumerate().map(|(i, n)| view! {
                                <option value=i.to_string() selected=move || figure.get() == i>{n}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="button" class="btn" data-testid="export-png" on:click=on_png
                        disabled=move || figures.with(|f| f.is_empty())>"PNG"</button>
                    <button type="button" class="btn" data-testid="export-svg" on:click=on_svg
                        disabled=move || figures.with(|f| f.is_empty())>"SVG"</button>
                </div>
                {move || {
                    let list = animations();
                    (!list.is_empty()).then(|| view! {
                        <div class="cl-export-row">
                            <label>
                                <span>"animation"</span>
                                <select data-testid="export-animation"
                                    on:change=move |ev| anim.set(event_target_value(&ev).parse().unwrap_or(0))>
                                    {list.into_iter().enumerate().map(|(i, a)| view! {
                                        <option value=i.to_string() selected=move || anim.get() == i>{a.label}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <button type="button" class="btn" data-testid="export-gif" on:click=on_gif
                                disabled=move || busy.get()>"GIF"</button>
                        </div>
                    })
                }}
                {move || (!table_names.with(|t| t.is_empty())).then(|| view! {
                    <div class="cl-export-row">
                        <label>
                            <span>"table"</span>
                            <select data-testid="export-table"
                                on:change=move |ev| table.set(event_target_value(&ev).parse().unwrap_or(0))>
                                {move || table_names.get().into_iter().enumerate().map(|(i, n)| view! {
                                    <option value=i.to_string() selected=move || table.get() == i>{n}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="button" class="btn" data-testid="export-csv" on:click=on_csv>"CSV"</button>
                    </div>
                })}
                <div class="cl-export-row">
                    <button type="button" class="btn" data-testid="export-pytorch" on:click=on_torch>"PyTorch code"</button>
                </div>
                <p class="cl-export-status" role="status" data-testid="export-status">{move || status.get()}</p>
                {move || torch_text.get().map(|t| view! {
                    <pre class="cl-export-code" data-testid="export-pytorch-text" tabindex="0" aria-label="PyTorch code">{t}</pre>
                })}
            </div>
        </details>
    }
}
