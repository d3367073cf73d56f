//! The anatomy every lesson page shares: title and two-line idea, a large
//! figure with its controls beside it (below it on a phone), a cost panel,
//! an optional "the slide says" callout, and the notes about the URL.
//!
//! ```ignore
//! view! {
//!     <LessonLayout id="why" idea="Two lines in plain words." notes=notes>
//!         <Figure slot>/* canvases */</Figure>
//!         <Controls slot>/* sliders */</Controls>
//!         <Cost slot>/* formula, counts, plot */</Cost>
//!         <SlideSays slot>"The slide prints 2N/M; the exact ratio is 2M/N."</SlideSays>
//!     </LessonLayout>
//! }
//! ```

use leptos::prelude::*;

use crate::route::Note;

/// The figure: what gets projected. Large, first.
#[slot]
pub struct Figure {
    children: Children,
}

/// The controls, grouped beside the figure (below it on narrow screens).
#[slot]
pub struct Controls {
    children: Children,
}

/// The cost panel: formula with live numbers, counts from the real tensors, the plot.
#[slot]
pub struct Cost {
    children: Children,
}

/// A callout where the lecture's number differs from the exact one.
#[slot]
pub struct SlideSays {
    children: Children,
}

/// One lesson page. The title and outline section come from the registry entry `id`.
#[component]
pub fn LessonLayout(
    /// The lesson's route id (looks up title and section in the registry).
    id: &'static str,
    /// The idea in two lines, plain words.
    #[prop(into)]
    idea: String,
    /// Notes about the URL or the current values (shown above the figure).
    #[prop(into)]
    notes: Signal<Vec<Note>>,
    figure: Figure,
    controls: Controls,
    #[prop(optional)] cost: Option<Cost>,
    #[prop(optional)] slide_says: Option<SlideSays>,
) -> impl IntoView {
    // Players register their animations here for the Export menu.
    provide_context(crate::widgets::Exports::new());
    let lesson = super::find(id);
    let title = lesson.map_or(id, |l| l.title);
    let kicker = lesson
        .map(|l| format!("{} \u{00b7} {}", l.part.label(), l.section))
        .unwrap_or_default();
    view! {
        <article class="lesson" data-testid=format!("lesson-{id}")>
            <header class="lesson-head">
                <p class="kicker">{kicker}</p>
                <h1 data-testid="lesson-title">{title}</h1>
                <p class="idea">{idea}</p>
                <div class="lesson-tools">
                    <crate::widgets::ExportMenu id=id torch=lesson.and_then(|l| l.torch) />
                    <crate::widgets::EmbedCode title=title />
                </div>
            </header>
            <Notes notes=notes />
            <div class="stage">
                <section class="figure" data-testid="figure" aria-label="Figure">
                    {(figure.children)()}
                </section>
                <aside class="controls" data-testid="controls" aria-label="Controls" tabindex="0">
                    {(controls.children)()}
                </aside>
            </div>
            {cost
                .map(|c| {
                    view! {
                        <section class="cost" data-testid="cost" aria-label="Cost">
                            {(c.children)()}
                        </section>
                    }
                })}
            {slide_says
                .map(|s| {
                    view! {
                        <aside class="slide-says" data-testid="slide-says">
                            <h2>"The slide says"</h2>
                            <div>{(s.children)()}</div>
                        </aside>
                    }
                })}
        </article>
    }
}

/// The page-level notes: how the URL was read, values that were changed.
/// Nothing is rendered while there are none.
#[component]
pub fn Notes(#[prop(into)] notes: Signal<Vec<Note>>) -> impl IntoView {
    move || {
        let list = notes.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="notes" role="status" data-testid="notes">
                    <ul>
                        {list
                            .into_iter()
                            .map(|n| view! { <li data-key=n.key>{n.message}</li> })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
