//! The shell: hash router, header with the lecture outline, theme and embed mode.
//!
//! Global URL keys (in the hash query, or in the page query before the hash):
//! - `theme=light|dark|projector` — also remembered in localStorage;
//! - `embed=1` — hides all chrome (header, lesson intro) so a view fits a slide or an iframe;
//! - `hide=K,s` — hides the controls with those lecture symbols / URL keys
//!   (see [`crate::widgets::hide`]);
//! - `panel=2` — shows only the second block of a lesson's figure (for a slide
//!   about that part), up to [`MAX_PANEL`]; presenter keys and the host-page message
//!   API are in [`crate::widgets::presenter`].

use leptos::prelude::*;

use crate::widgets::surface::Relay;
use crate::widgets::ThemeContext;

use crate::lessons::layout::Notes;
use crate::lessons::{self, Part};
use crate::route::{self, Note, Params, Route};

/// localStorage key of the chosen theme.
const THEME_KEY: &str = "convlab.theme";

pub use crate::config::Theme;

/// Highest figure block `panel=` can pick.
pub const MAX_PANEL: i64 = 6;

/// The themes, in the switcher's order.
pub const THEMES: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::Projector];

/// The URL / storage / `data-theme` name of a theme.
pub fn theme_name(t: Theme) -> &'static str {
    match t {
        Theme::Light => "light",
        Theme::Dark => "dark",
        Theme::Projector => "projector",
    }
}

fn theme_label(t: Theme) -> &'static str {
    match t {
        Theme::Light => "Light",
        Theme::Dark => "Dark",
        Theme::Projector => "Projector",
    }
}

/// What the shell itself reads from the URL.
#[derive(Clone, Debug, PartialEq)]
pub struct Globals {
    /// Theme asked for by the URL (`None`: use the stored or system one).
    pub theme: Option<Theme>,
    /// Chrome hidden.
    pub embed: bool,
    /// Names of the controls to hide (`hide=K,s`).
    pub hide: Vec<String>,
    /// The one figure block to show (1-based), if asked for.
    pub panel: Option<u8>,
    /// Notes about malformed global values.
    pub notes: Vec<Note>,
}

/// Reads `theme` and `embed` from the hash query, falling back to the page query.
pub fn read_globals(hash: &route::Query, page: &route::Query) -> Globals {
    let mut notes = Vec::new();
    let mut theme = None;
    let mut embed = false;
    let mut hide = None;
    let mut panel = None;
    for q in [hash, page] {
        if panel.is_none() && q.get("panel").is_some() {
            let mut p = Params::new(q);
            panel = Some(p.int("panel", 1, 1, MAX_PANEL) as u8);
            notes.extend(p.finish().into_iter().filter(|n| n.key == "panel"));
        }
        if hide.is_none() {
            hide = q.get("hide").map(crate::widgets::hide::parse_hide);
        }
        if theme.is_none() && q.get("theme").is_some() {
            let mut p = Params::new(q);
            let names: Vec<&'static str> = THEMES.iter().map(|t| theme_name(*t)).collect();
            let t = p.choice("theme", "", &names);
            theme = Theme::from_name(t);
            notes.extend(p.finish().into_iter().filter(|n| n.key == "theme"));
        }
        if !embed && q.get("embed").is_some() {
            let mut p = Params::new(q);
            embed = p.flag("embed", false);
            notes.extend(p.finish().into_iter().filter(|n| n.key == "embed"));
        }
    }
    // A "using ." note reads badly for the theme: say what happens instead.
    for n in &mut notes {
        if n.key == "theme" {
            n.message = n
                .message
                .replace("; using .", "; using the remembered or system theme.");
        }
    }
    Globals {
        theme,
        embed,
        hide: hide.unwrap_or_default(),
        panel,
        notes,
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn stored_theme() -> Option<Theme> {
    storage()
        .and_then(|s| s.get_item(THEME_KEY).ok().flatten())
        .and_then(|t| Theme::from_name(&t))
}

fn system_theme() -> Theme {
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    if dark {
        Theme::Dark
    } else {
        Theme::Light
    }
}

fn set_root_attr(name: &str, value: Option<&str>) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = match value {
            Some(v) => root.set_attribute(name, v),
            None => root.remove_attribute(name),
        };
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let hash = RwSignal::new(route::current_hash());
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        hash.set(route::current_hash());
    });
    on_cleanup(move || listener.remove());

    let route = Memo::new(move |_| Route::parse(&hash.get()));
    let page_query = route::page_query();
    let globals = Memo::new(move |_| route.with(|r| read_globals(&r.query, &page_query)));

    let theme = RwSignal::new(
        globals
            .get_untracked()
            .theme
            .or_else(stored_theme)
            .unwrap_or_else(system_theme),
    );
    // A theme in a followed link wins over the current one.
    Effect::new(move |_| {
        if let Some(t) = globals.with(|g| g.theme) {
            theme.set(t);
        }
    });
    provide_context(ThemeContext(theme.into()));
    Effect::new(move |_| set_root_attr("data-theme", Some(theme_name(theme.get()))));
    let embed = Memo::new(move |_| globals.with(|g| g.embed));
    Effect::new(move |_| set_root_attr("data-embed", embed.get().then_some("1")));
    let panel = Memo::new(move |_| globals.with(|g| g.panel));
    Effect::new(move |_| {
        set_root_attr("data-panel", panel.get().map(|p| p.to_string()).as_deref())
    });
    // Controls hidden by `hide=…`; the shared widgets register with it.
    let hide = crate::widgets::hide::HideContext::new(Signal::derive(move || {
        globals.with(|g| g.hide.clone())
    }));
    provide_context(hide);
    let theme_relay = Relay::new(theme.into());
    let hidden_relay = Relay::new(hide.hidden());
    // The players the presenter keys and host messages drive.
    provide_context(crate::widgets::playback::Players::default());
    let presenting = Signal::derive(move || embed.get() || theme.get() == Theme::Projector);

    // New page: start at its top.
    let id = Memo::new(move |_| route.with(|r| r.id.clone()));
    Effect::new(move |prev: Option<String>| {
        let now = id.get();
        if prev.is_some_and(|p| p != now) {
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
        now
    });

    let choose = move |t: Theme| {
        theme.set(t);
        if let Some(s) = storage() {
            let _ = s.set_item(THEME_KEY, theme_name(t));
        }
        route::write_global("theme", Some(theme_name(t)));
    };

    view! {
        <a class="skip" href="#main" on:click=move |ev| {
            ev.prevent_default();
            if let Some(m) = document().get_element_by_id("main") {
                m.scroll_into_view();
            }
        }>"Skip to content"</a>
        <Show when=move || !embed.get()>
            <Header route=route theme=theme choose=choose />
        </Show>
        <span data-testid="app-ready" hidden></span>
        <crate::widgets::presenter::Presenter hash=hash presenting=presenting is_lesson=|id| lessons::find(id).is_some() />
        <main id="main" class="main" data-testid="main">
            <Notes notes=Signal::derive(move || {
                let mut n = globals.with(|g| g.notes.clone());
                n.extend(hide.notes());
                n
            }) />
            {move || {
                // A new page: the old page's figure recordings go with its canvases.
                crate::widgets::record::forget_all();
                // The page's own copies of the shell's theme and hidden controls, so
                // the page's widgets subscribe to signals that are disposed with it.
                provide_context(ThemeContext(theme_relay.for_page()));
                provide_context(hide.for_page(hidden_relay.for_page()));
                route.with(page_for)
            }}
        </main>
    }
}

/// The page for a route: home, a lesson, or home with a note for an unknown id.
fn page_for(r: &Route) -> AnyView {
    if r.id.is_empty() {
        return lessons::home::page(&r.query, Vec::new());
    }
    match lessons::find(&r.id) {
        Some(lesson) => (lesson.page)(&r.query),
        None => lessons::home::page(&r.query, vec![unknown_lesson(&r.id)]),
    }
}

fn unknown_lesson(id: &str) -> Note {
    Note::new(
        "",
        format!(
            "There is no lesson \u{201c}{}\u{201d} in this build; here is the outline.",
            id.chars().take(40).collect::<String>()
        ),
    )
}

/// Every note the page for `hash` (`#/id?query`) shows about its URL: the
/// shell's (global keys) and the page's, read by the same functions the page
/// uses. Notes about `hide=` names are added once the page's controls exist.
pub fn route_notes(hash: &str) -> Vec<Note> {
    let r = Route::parse(hash);
    let mut notes = read_globals(&r.query, &route::Query::default()).notes;
    if r.id.is_empty() {
        notes.extend(lessons::home::notes(&r.query));
    } else if let Some(lesson) = lessons::find(&r.id) {
        notes.extend((lesson.notes)(&r.query));
    } else {
        notes.push(unknown_lesson(&r.id));
        notes.extend(lessons::home::notes(&r.query));
    }
    notes
}

/// Scrolls the outline `nav` sideways (only it) so its current tab is in view,
/// centred where the outline is narrower than its tabs.
fn reveal_current_tab(nav: &web_sys::HtmlElement) {
    let Ok(Some(tab)) = nav.query_selector("[aria-current=\"page\"]") else {
        return;
    };
    let (n, t) = (
        nav.get_bounding_client_rect(),
        tab.get_bounding_client_rect(),
    );
    if t.left() >= n.left() && t.right() <= n.right() {
        return;
    }
    let left = f64::from(nav.scroll_left()) + (t.left() - n.left()) - (n.width() - t.width()) / 2.0;
    nav.set_scroll_left(left.max(0.0).round() as i32);
}

/// Brand, the lecture outline as navigation, theme switcher.
#[component]
fn Header(
    route: Memo<Route>,
    theme: RwSignal<Theme>,
    choose: impl Fn(Theme) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let current = move || route.with(|r| r.id.clone());
    let parts = Part::ALL
        .into_iter()
        .filter_map(|part| {
            let items: Vec<_> = lessons::all()
                .into_iter()
                .filter(|l| l.part == part)
                .collect();
            if items.is_empty() {
                return None;
            }
            let links = items
                .into_iter()
                .map(|l| {
                    let id = l.id;
                    view! {
                        <li>
                            <a
                                href=format!("#/{id}")
                                title=l.title
                                data-testid=format!("nav-{id}")
                                aria-current=move || (current() == id).then_some("page")
                            >
                                <span class="nav-num">{l.section}</span>
                                {l.short}
                            </a>
                        </li>
                    }
                })
                .collect_view();
            Some(view! {
                <li class="nav-part">
                    <span class="nav-part-name">{part.label()}</span>
                    <ul>{links}</ul>
                </li>
            })
        })
        .collect_view();
    // The current lesson's tab is scrolled into the outline's view (on a phone
    // the outline scrolls sideways and lessons 4–12 start out of sight).
    let nav_ref = NodeRef::<leptos::html::Nav>::new();
    let id = Memo::new(move |_| current());
    Effect::new(move |_| {
        id.track();
        // After the aria-current attributes of this change are written.
        request_animation_frame(move || {
            // The header may be gone by the next frame (embed mode): try_, never panic.
            if let Some(nav) = nav_ref.try_get_untracked().flatten() {
                reveal_current_tab(&nav);
            }
        });
    });
    view! {
        <header class="site-header" data-testid="site-header">
            <a class="brand" href="#/" data-testid="nav-home" aria-current=move || current().is_empty().then_some("page")>
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">"ConvLab"</span>
            </a>
            <nav class="outline" aria-label="Lecture outline" data-testid="nav" tabindex="0" node_ref=nav_ref>
                <ul>{parts}</ul>
            </nav>
            <div class="theme-switch" role="group" aria-label="Theme" data-testid="theme-switch">
                {THEMES
                    .into_iter()
                    .map(|t| {
                        view! {
                            <button
                                type="button"
                                data-testid=format!("theme-{}", theme_name(t))
                                aria-pressed=move || if theme.get() == t { "true" } else { "false" }
                                on:click=move |_| choose(t)
                            >
                                {theme_label(t)}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Query;

    #[test]
    fn globals_from_hash_then_page() {
        let g = read_globals(&Query::parse("theme=dark"), &Query::parse("embed=1"));
        assert_eq!(g.theme, Some(Theme::Dark));
        assert!(g.embed);
        assert!(g.notes.is_empty());
        let g = read_globals(
            &Query::parse("theme=PROJECTOR&embed=0"),
            &Query::parse("embed=1&theme=dark"),
        );
        assert_eq!(g.theme, Some(Theme::Projector));
        assert!(g.embed, "page query embed=1 still embeds");
        let g = read_globals(&Query::parse(""), &Query::parse(""));
        assert_eq!(g.theme, None);
        assert!(!g.embed);
        assert!(g.hide.is_empty());
        let g = read_globals(&Query::parse("hide=K,s"), &Query::parse("hide=C"));
        assert_eq!(g.hide, vec!["K", "s"], "the hash query wins");
        let g = read_globals(&Query::parse("K=3"), &Query::parse("hide=C,,C"));
        assert_eq!(g.hide, vec!["C"]);
        assert_eq!(g.panel, None);
        let g = read_globals(&Query::parse("panel=2"), &Query::default());
        assert_eq!((g.panel, g.notes.len()), (Some(2), 0));
        let g = read_globals(&Query::parse("panel=99"), &Query::default());
        assert_eq!(g.panel, Some(MAX_PANEL as u8));
        assert_eq!(
            g.notes[0].message,
            "panel=99 is above the maximum 6; using 6."
        );
    }

    #[test]
    fn bad_globals_are_noted() {
        let g = read_globals(
            &Query::parse("theme=neon&embed=%F0%9F%98%80"),
            &Query::default(),
        );
        assert_eq!(g.theme, None);
        assert!(!g.embed);
        assert_eq!(g.notes.len(), 2);
        assert!(g.notes[0]
            .message
            .starts_with("theme=neon is not one of light, dark, projector"));
        assert!(g.notes[0].message.ends_with("remembered or system theme."));
    }
}
