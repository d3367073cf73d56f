//! Presenter control: keys of a keyboard or a presentation clicker step the
//! lesson's animation, and a host page (a slide deck embedding the lesson in
//! an `<iframe>`) drives the lesson with `postMessage`.
//!
//! # Keys
//! While presenting (embed mode, or the projector theme), with the focus
//! anywhere but a text field, slider, select or button:
//! - PageDown, →, ↓ — one step forward (the next frame of the lesson's player);
//! - PageUp, ←, ↑ — one step back;
//! - Space — play / pause; Home / End — first / last step.
//!
//! Past the last step (or the first) the page tells its host
//! `{type:'convlab:edge', dir}`, so a deck can move to the next slide.
//!
//! # Messages (host → lesson)
//! - `{type:'convlab:set', params:{K:5, s:2}}` — merge parameters into the
//!   lesson's URL state (`null` removes one); invalid values get notes as in a link;
//! - `{type:'convlab:step', dir:+1|-1}`, `{type:'convlab:play'}`, `{type:'convlab:pause'}`;
//! - `{type:'convlab:route', lesson:'dilated', params:{…}}` — open another lesson.
//!
//! # Messages (lesson → host)
//! - `{type:'convlab:ready', lesson, params, player}` once a lesson has mounted
//!   and written its state;
//! - `{type:'convlab:state', lesson, params, player}` after every change
//!   (`player` is `{frame, frames, playing}` or `null`);
//! - `{type:'convlab:edge', dir}` and `{type:'convlab:error', message}`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

use super::playback::{focus_keeps_key, key_command, Command, PlayerHandle, Players};
use crate::route::{self, Query, Route, GLOBAL_KEYS};

/// A lesson's parameters as the host sees them: the hash query without the global keys.
pub fn lesson_params(q: &Query) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, v) in q.pairs() {
        if !GLOBAL_KEYS.contains(&k.as_str()) && !out.iter().any(|(x, _)| x == k) {
            out.push((k.clone(), v.clone()));
        }
    }
    out
}

/// `current` with `changes` merged in: `Some(v)` sets, `None` removes.
pub fn merge_params(current: &Query, changes: &[(String, Option<String>)]) -> Query {
    let mut q = current.clone();
    for (k, v) in changes {
        if k.trim().is_empty() {
            continue;
        }
        q = match v {
            Some(v) => q.with(k, v.clone()),
            None => q.without(k),
        };
    }
    q
}

/// The hash opening lesson `id` with `params`, keeping the global keys of `current`.
pub fn route_hash(id: &str, params: &[(String, Option<String>)], current: &Query) -> String {
    let pairs: Vec<(&str, String)> = params
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k.as_str(), v.clone())))
        .collect();
    route::lesson_hash(id, &pairs, current)
}

// ---------------------------------------------------------------------------
// Browser side.
// ---------------------------------------------------------------------------

fn obj_set(o: &js_sys::Object, k: &str, v: &JsValue) {
    let _ = js_sys::Reflect::set(o, &JsValue::from_str(k), v);
}

fn params_object(q: &Query) -> js_sys::Object {
    let o = js_sys::Object::new();
    for (k, v) in lesson_params(q) {
        obj_set(&o, &k, &JsValue::from_str(&v));
    }
    o
}

fn player_object(p: Option<PlayerHandle>) -> JsValue {
    match p {
        Some(p) => {
            let o = js_sys::Object::new();
            obj_set(
                &o,
                "frame",
                &JsValue::from_f64(p.frame.get_untracked() as f64),
            );
            obj_set(
                &o,
                "frames",
                &JsValue::from_f64(p.frames.get_untracked() as f64),
            );
            obj_set(
                &o,
                "playing",
                &JsValue::from_bool(p.playing.get_untracked()),
            );
            o.into()
        }
        None => JsValue::NULL,
    }
}

/// The host window when the page is embedded (`None` at top level).
fn host() -> Option<web_sys::Window> {
    let w = web_sys::window()?;
    let parent = w.parent().ok().flatten()?;
    (!js_sys::Object::is(&parent, &w)).then_some(parent)
}

fn post(msg: &js_sys::Object) {
    if let Some(h) = host() {
        let _ = h.post_message(msg, "*");
    }
}

fn message(kind: &str) -> js_sys::Object {
    let o = js_sys::Object::new();
    obj_set(&o, "type", &JsValue::from_str(kind));
    o
}

fn state_message(kind: &str, players: Players) -> js_sys::Object {
    let r = Route::parse(&route::current_hash());
    let o = message(kind);
    obj_set(&o, "lesson", &JsValue::from_str(&r.id));
    obj_set(&o, "params", &params_object(&r.query));
    obj_set(&o, "player", &player_object(players.main_untracked()));
    o
}

fn post_error(text: &str) {
    let o = message("convlab:error");
    obj_set(&o, "message", &JsValue::from_str(text));
    post(&o);
}

fn post_edge(dir: i32) {
    let o = message("convlab:edge");
    obj_set(&o, "dir", &JsValue::from_f64(dir as f64));
    post(&o);
}

/// A message value as URL text (`5` → "5", `true` → "1", `null` → remove).
fn value_text(v: &JsValue) -> Result<Option<String>, String> {
    if v.is_null() || v.is_undefined() {
        return Ok(None);
    }
    if let Some(s) = v.as_string() {
        return Ok(Some(s));
    }
    if let Some(n) = v.as_f64() {
        return Ok(Some(if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            n.to_string()
        }));
    }
    if let Some(b) = v.as_bool() {
        return Ok(Some(if b { "1" } else { "0" }.to_string()));
    }
    Err("is not a number, text, true/false or null".to_string())
}

fn read_params(data: &JsValue) -> Result<Vec<(String, Option<String>)>, String> {
    let p = js_sys::Reflect::get(data, &JsValue::from_str("params")).unwrap_or(JsValue::UNDEFINED);
    if p.is_undefined() || p.is_null() {
        return Ok(Vec::new());
    }
    let Some(obj) = p.dyn_ref::<js_sys::Object>() else {
        return Err("params must be an object such as {K: 5}".to_string());
    };
    let mut out = Vec::new();
    for entry in js_sys::Object::entries(obj)
        .iter()
        .take(crate::route::MAX_PAIRS)
    {
        let pair = js_sys::Array::from(&entry);
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = value_text(&pair.get(1)).map_err(|e| format!("params.{key} {e}"))?;
        out.push((key, value));
    }
    Ok(out)
}

/// Presenter keys and the host-page message API; mounted once by the shell.
/// `hash` is the shell's copy of the location hash (set to re-route).
#[component]
pub fn Presenter(
    /// The shell's location hash signal.
    hash: RwSignal<String>,
    /// Whether the page is presenting (embed mode or projector theme): keys active.
    #[prop(into)]
    presenting: Signal<bool>,
    /// Whether a lesson id exists (the shell passes its registry's lookup), so
    /// `convlab:route` to an unknown lesson is answered with an error.
    is_lesson: fn(&str) -> bool,
) -> impl IntoView {
    let players = use_context::<Players>().unwrap_or_default();

    // Ready: once per lesson shown, after it has mounted and written its state
    // (writes are debounced by `route::WRITE_DELAY_MS`). State messages wait for it.
    let ready_sent = StoredValue::new(false);
    let generation = StoredValue::new(0u64);
    let schedule_ready = move || {
        let g = generation.get_value().wrapping_add(1);
        generation.set_value(g);
        ready_sent.set_value(false);
        if host().is_none() {
            return;
        }
        set_timeout(
            move || {
                if generation.try_get_value() == Some(g) {
                    ready_sent.try_set_value(true);
                    post(&state_message("convlab:ready", players));
                }
            },
            std::time::Duration::from_millis(route::WRITE_DELAY_MS + 100),
        );
    };

    let go = move |new_hash: String| {
        let new_id = Route::parse(&new_hash).id;
        let old_id = Route::parse(&route::current_hash()).id;
        if new_id != old_id {
            schedule_ready();
        }
        route::replace_hash_now(&new_hash);
        hash.set(route::current_hash());
    };

    // Keys (bubbling: a widget that used the key has called preventDefault).
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.default_prevented() || ev.ctrl_key() || ev.alt_key() || ev.meta_key() {
            return;
        }
        if !presenting.get_untracked() {
            return;
        }
        let Some(cmd) = key_command(&ev.key()) else {
            return;
        };
        let target = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
        let (tag, editable) = target
            .map(|e| (e.tag_name().to_ascii_uppercase(), e.is_content_editable()))
            .unwrap_or_default();
        if focus_keeps_key(&tag, editable, cmd) {
            return;
        }
        ev.prevent_default();
        if let Some(dir) = players.run(cmd) {
            post_edge(dir);
        }
    });

    // Messages from the host page.
    let messages = window_event_listener(leptos::ev::message, move |ev| {
        let Some(w) = web_sys::window() else { return };
        let from_host = ev.source().is_some_and(|s| {
            let s: JsValue = s.into();
            host().is_some_and(|h| js_sys::Object::is(&s, &h)) || js_sys::Object::is(&s, &w)
        });
        if !from_host {
            return;
        }
        let data = ev.data();
        let kind = js_sys::Reflect::get(&data, &JsValue::from_str("type"))
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        let current = Route::parse(&route::current_hash());
        match kind.as_str() {
            "convlab:set" => match read_params(&data) {
                Ok(changes) => go(Route::new(
                    current.id.clone(),
                    merge_params(&current.query, &changes),
                )
                .to_hash()),
                Err(e) => post_error(&format!("convlab:set: {e}")),
            },
            "convlab:route" => {
                let lesson = js_sys::Reflect::get(&data, &JsValue::from_str("lesson"))
                    .ok()
                    .and_then(|l| l.as_string())
                    .unwrap_or_default();
                let lesson = lesson.trim().to_lowercase();
                if !lesson.is_empty() && !is_lesson(&lesson) {
                    post_error(&format!(
                        "convlab:route: there is no lesson \u{201c}{}\u{201d}",
                        lesson.chars().take(40).collect::<String>()
                    ));
                    return;
                }
                match read_params(&data) {
                    Ok(params) => go(route_hash(&lesson, &params, &current.query)),
                    Err(e) => post_error(&format!("convlab:route: {e}")),
                }
            }
            "convlab:step" => {
                let dir = js_sys::Reflect::get(&data, &JsValue::from_str("dir"))
                    .ok()
                    .and_then(|d| d.as_f64())
                    .unwrap_or(1.0);
                let cmd = Command::Step(if dir < 0.0 { -1 } else { 1 });
                if let Some(dir) = players.run(cmd) {
                    post_edge(dir);
                }
            }
            "convlab:play" | "convlab:pause" => {
                if let Some(p) = players.main_untracked() {
                    if p.playing.get_untracked() != (kind == "convlab:play") {
                        p.toggle();
                    }
                }
            }
            "convlab:get" => post(&state_message("convlab:state", players)),
            k if k.starts_with("convlab:") => {
                post_error(&format!(
                    "unknown message type \u{201c}{}\u{201d}",
                    k.chars().take(40).collect::<String>()
                ));
            }
            _ => {}
        }
    });

    // Lesson state rewritten in the URL: tell the host (once the lesson is ready).
    let changed = window_event_listener_untyped(route::STATE_EVENT, move |_| {
        if ready_sent.get_value() {
            post(&state_message("convlab:state", players));
        }
    });

    // Player frame / playing changes.
    Effect::new(move |_| {
        if let Some(p) = players.main() {
            p.frame.track();
            p.playing.track();
        }
        if ready_sent.get_value() {
            post(&state_message("convlab:state", players));
        }
    });

    // Ready again whenever the reader (or a link inside the frame) changes lesson.
    let lesson = Memo::new(move |_| Route::parse(&hash.get()).id);
    Effect::new(move |prev: Option<String>| {
        let now = lesson.get();
        if prev.as_ref() != Some(&now) {
            schedule_ready();
        }
        now
    });

    on_cleanup(move || {
        keys.remove();
        messages.remove();
        changed.remove();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_merge_and_hide_globals() {
        let q = Query::parse("K=3&s=1&embed=1&hide=K&theme=dark");
        assert_eq!(
            lesson_params(&q),
            vec![
                ("K".to_string(), "3".to_string()),
                ("s".to_string(), "1".to_string())
            ]
        );
        let merged = merge_params(
            &q,
            &[
                ("K".to_string(), Some("5".to_string())),
                ("s".to_string(), None),
                ("d".to_string(), Some("2".to_string())),
                (" ".to_string(), Some("x".to_string())),
            ],
        );
        assert_eq!(merged.serialize(), "K=5&embed=1&hide=K&theme=dark&d=2");
        let hash = route_hash(
            "dilated",
            &[
                ("d".to_string(), Some("2".to_string())),
                ("x".to_string(), None),
            ],
            &q,
        );
        assert_eq!(hash, "#/dilated?d=2&theme=dark&embed=1&hide=K");
    }
}
