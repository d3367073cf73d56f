//! [`EmbedCode`]: a "Copy embed code" button for every lesson. It yields the
//! `<iframe>` snippet of the view as it is now (the current URL with
//! `embed=1`), copies it with the clipboard API, and always shows it selected
//! in a box as well (where the clipboard is not available, e.g. on plain
//! `http://` hosts, the reader copies it from there).

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::route::Route;

/// Default size of the embedded view: a 16:9 slide area.
pub const EMBED_SIZE: (u32, u32) = (960, 540);

/// The embed URL of a page: `page` (the address without its hash) followed by
/// the hash `hash` with `embed=1` set (other parameters kept, in order).
pub fn embed_url(page: &str, hash: &str) -> String {
    let page = page.split('#').next().unwrap_or(page);
    let r = Route::parse(hash);
    let r = Route::new(r.id.clone(), r.query.with("embed", "1"));
    format!("{page}{}", r.to_hash())
}

/// Escapes text for an HTML attribute value in double quotes.
pub fn attr_escape(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

/// The `<iframe>` snippet for `url`.
pub fn iframe_snippet(url: &str, title: &str, width: u32, height: u32) -> String {
    format!(
        "<iframe src=\"{}\" width=\"{width}\" height=\"{height}\" title=\"{}\" style=\"border:0\" loading=\"lazy\"></iframe>",
        attr_escape(url),
        attr_escape(title)
    )
}

fn current_snippet(title: &str) -> Option<String> {
    crate::route::flush_pending_hash();
    let loc = web_sys::window()?.location();
    let href = loc.href().ok()?;
    let hash = loc.hash().ok().unwrap_or_default();
    let (w, h) = EMBED_SIZE;
    Some(iframe_snippet(&embed_url(&href, &hash), title, w, h))
}

/// Writes `text` with `navigator.clipboard.writeText`, reporting the outcome
/// to `done` (false when the API is missing or refuses).
fn copy_to_clipboard(text: &str, done: impl Fn(bool) + 'static) {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return done(false);
    };
    let has = js_sys::Reflect::get(&nav, &JsValue::from_str("clipboard"))
        .map(|c| !c.is_undefined() && !c.is_null())
        .unwrap_or(false);
    if !has {
        return done(false);
    }
    let promise: JsValue = nav.clipboard().write_text(text).into();
    let then = js_sys::Reflect::get(&promise, &JsValue::from_str("then"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(then) = then else {
        return done(false);
    };
    let done = std::rc::Rc::new(done);
    let (d1, d2) = (done.clone(), done.clone());
    let ok = Closure::once_into_js(move |_: JsValue| d1(true));
    let err = Closure::once_into_js(move |_: JsValue| d2(false));
    if then.call2(&promise, &ok, &err).is_err() {
        done(false);
    }
}

/// The "Copy embed code" button with its snippet box and confirmation.
/// Hidden in embed mode (by the stylesheet).
#[component]
pub fn EmbedCode(
    /// The `<iframe>`'s title (the lesson's title).
    #[prop(into)]
    title: String,
) -> impl IntoView {
    let snippet = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    let area = NodeRef::<leptos::html::Textarea>::new();

    // Show the snippet selected whenever it changes (after the box has its value).
    Effect::new(move |_| {
        if snippet.with(Option::is_some) {
            request_animation_frame(move || {
                // The page may have changed by the next frame: try_, never panic.
                if let Some(t) = area.try_get_untracked().flatten() {
                    let _ = t.focus();
                    t.select();
                }
            });
        }
    });

    let on_click = move |_| {
        let Some(text) = current_snippet(&title) else {
            status.set("This page has no address to embed.".to_string());
            return;
        };
        snippet.set(Some(text.clone()));
        status.set("Copying\u{2026}".to_string());
        copy_to_clipboard(&text, move |ok| {
            status.try_set(if ok {
                "Copied: paste it into your slide or page.".to_string()
            } else {
                "Select the code below and copy it (Ctrl+C / \u{2318}C).".to_string()
            });
        });
    };

    view! {
        <div class="embed-code" data-testid="embed-code">
            <button type="button" class="btn" data-testid="embed-copy" on:click=on_click>
                "Copy embed code"
            </button>
            <span class="embed-status" role="status" data-testid="embed-status">{move || status.get()}</span>
            {move || {
                snippet
                    .get()
                    .map(|text| {
                        view! {
                            <label class="embed-box">
                                <span class="embed-box-label">"Embed code (the view as it is now)"</span>
                                <textarea
                                    node_ref=area
                                    readonly
                                    rows="3"
                                    spellcheck="false"
                                    data-testid="embed-snippet"
                                    prop:value=text
                                ></textarea>
                            </label>
                        }
                    })
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_url_sets_embed_and_keeps_state() {
        assert_eq!(
            embed_url("https://x.org/teach/convlab/#/why?K=5", "#/why?K=5&s=2"),
            "https://x.org/teach/convlab/#/why?K=5&s=2&embed=1"
        );
        assert_eq!(
            embed_url("http://h/c/", "#/dilated?embed=0&d=2"),
            "http://h/c/#/dilated?embed=1&d=2"
        );
        assert_eq!(
            embed_url("http://h/c/?theme=dark", ""),
            "http://h/c/?theme=dark#/?embed=1"
        );
    }

    #[test]
    fn snippet_is_escaped() {
        let s = iframe_snippet("http://h/#/why?K=5&s=2", "A \"title\" <b>", 960, 540);
        assert_eq!(
            s,
            "<iframe src=\"http://h/#/why?K=5&amp;s=2\" width=\"960\" height=\"540\" title=\"A &quot;title&quot; &lt;b&gt;\" style=\"border:0\" loading=\"lazy\"></iframe>"
        );
    }
}
