//! Home: the lecture outline as cards, each with a live thumbnail drawn by its lesson,
//! and the savings dashboard.

pub mod dashboard;

use crate::widgets::canvas_out::CanvasOut;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use wasm_bindgen::JsCast;

use super::{layout::Notes, Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::Style;
use crate::route::{Note, Params, Query};
use crate::widgets::surface::{device_pixel_ratio, use_theme};

/// The home page for a URL query, with extra notes from the router.
pub fn page(q: &Query, mut notes: Vec<Note>) -> AnyView {
    let (dash, more) = read(q);
    notes.extend(more);
    view! { <Home notes=notes dash=dash /> }.into_any()
}

/// The dashboard's state and the notes about the URL query.
fn read(q: &Query) -> (dashboard::DashState, Vec<Note>) {
    let mut p = Params::new(q);
    let dash = dashboard::DashState::read(&mut p);
    (dash, p.finish())
}

/// The notes the home page shows for a URL query (see [`super::Lesson::notes`]).
pub fn notes(q: &Query) -> Vec<Note> {
    read(q).1
}

/// The outline: one group of cards per part of the lecture.
#[component]
fn Home(notes: Vec<Note>, dash: dashboard::DashState) -> impl IntoView {
    let groups = Part::ALL
        .into_iter()
        .filter_map(|part| {
            let items: Vec<&'static Lesson> = super::all()
                .into_iter()
                .filter(|l| l.part == part)
                .collect();
            if items.is_empty() {
                return None;
            }
            Some(view! {
                <section class="part" data-testid={format!("part-{part:?}").to_lowercase()}>
                    <h2>{part.label()}</h2>
                    <ul class="cards">
                        {items.into_iter().map(|l| view! { <li><Card lesson=l /></li> }).collect_view()}
                    </ul>
                </section>
            })
        })
        .collect_view();
    view! {
        <div class="home" data-testid="home">
            <header class="home-head">
                <h1>"Compact and transferred convolution filters"</h1>
                <p class="idea">
                    "How modern networks get the same receptive fields and features for a fraction of the weights and multiply\u{2013}adds. "
                    "Every picture here is computed live by real convolution kernels: move a slider, hover a cell, share the link."
                </p>
            </header>
            <Notes notes=notes />
            {groups}
            <dashboard::Dashboard initial=dash />
        </div>
    }
}

/// One lesson card: thumbnail, section, title, blurb.
#[component]
fn Card(lesson: &'static Lesson) -> impl IntoView {
    view! {
        <a class="card" href=format!("#/{}", lesson.id) data-testid=format!("card-{}", lesson.id)>
            <Thumbnail draw=lesson.thumb label=lesson.title />
            <span class="card-text">
                <span class="card-num">{lesson.section}</span>
                <span class="card-title">{lesson.title}</span>
                <span class="card-blurb">{lesson.blurb}</span>
            </span>
        </a>
    }
}

/// A canvas sized to its box (backing pixels × devicePixelRatio) drawn once by `draw`.
#[component]
pub fn Thumbnail(
    draw: fn(&ThumbArea, &Style) -> ThumbResult,
    label: &'static str,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let theme = use_theme();
    let failed = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let theme = theme.get();
        let Some(el) = canvas.get() else { return };
        let el: web_sys::HtmlCanvasElement = el.unchecked_into();
        let dpr = device_pixel_ratio();
        let (cw, ch) = (el.client_width(), el.client_height());
        let (cw, ch) = if cw > 0 && ch > 0 {
            (cw, ch)
        } else {
            (320, 200)
        };
        el.set_width((f64::from(cw) * dpr).round() as u32);
        el.set_height((f64::from(ch) * dpr).round() as u32);
        let result: ThumbResult = match CanvasOut::new(&el) {
            Some(backend) => {
                let area = backend.into_drawing_area();
                let style = Style::new(theme, dpr);
                area.fill(&style.ink.background)
                    .map_err(|e| e.to_string().into())
                    .and_then(|_| draw(&area, &style))
            }
            None => Err("this browser gave no 2-D canvas".into()),
        };
        failed.set(result.err().map(|e| e.to_string()));
    });
    view! {
        <span class="thumb">
            <canvas node_ref=canvas role="img" aria-label=label data-testid="thumb"></canvas>
            {move || failed.get().map(|e| view! { <span class="thumb-error">{e}</span> })}
        </span>
    }
}
