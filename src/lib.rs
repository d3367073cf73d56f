//! ConvLab, the app: a Leptos (client-side) page per lesson, drawing what
//! `convlab-core` computes.
//!
//! Data flows one way: URL → typed lesson state (signals) → kernel crate →
//! draw functions → canvas/SVG.

pub mod app;
pub mod config;
pub mod draw;
pub mod heap;
pub mod lessons;
pub mod route;
pub mod widgets;

/// Starts the app: installs the panic hook (a panic shows a message with a
/// reload button instead of freezing the page) and mounts the shell on `<body>`.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic(&info.to_string());
    }));
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    // Figures away from the view wait while a control moves (widgets::defer).
    widgets::defer::enable();
    leptos::mount::mount_to_body(app::App);
}

/// Panics on purpose, to prove the panic message works in the build people use.
///
/// Exported to JavaScript (trunk exposes the module's exports as `window.wasmBindings`), so
/// the browser test calls `wasmBindings.convlabSelfTestPanic("…")` on the release build: a
/// URL flag or a debug-only hook would not test what a lecturer runs. Calling it from the
/// console does exactly what any real panic does: the page shows "Something went wrong —
/// please reload" with the text, and a reload restores it.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = convlabSelfTestPanic)]
pub fn self_test_panic(message: &str) {
    panic!("self-test panic: {message}");
}

/// Puts a plain-DOM message over the page; it needs no Rust code to work after the
/// panic (its buttons are plain JavaScript), so it works even after the module traps.
fn show_panic(text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else { return };
    if doc.get_element_by_id("panic").is_some() {
        return;
    }
    let Ok(panel) = doc.create_element("div") else {
        return;
    };
    panel.set_id("panic");
    let _ = panel.set_attribute("role", "alert");
    let _ = panel.set_attribute("data-testid", "panic");
    let parts: [(&str, &str); 4] = [
        ("h2", "Something went wrong \u{2014} please reload" ),
        (
            "p",
            "ConvLab hit an internal error and stopped. Your link is kept; reloading usually helps. \
             If it happens again with this link, reload the home page and report the text below.",
            ),
        ("pre", text ),
        ("div", "" ),
    ];
    for (tag, content) in parts {
        if let Ok(el) = doc.create_element(tag) {
            el.set_text_content(Some(content));
            if tag == "div" {
                el.set_class_name("panic-actions");
                for (label, js) in [
                    ("Reload", "location.reload()"),
                    (
                        "Reload the home page",
                        "location.hash='#/';location.reload()",
                    ),
                ] {
                    if let Ok(b) = doc.create_element("button") {
                        b.set_text_content(Some(label));
                        let _ = b.set_attribute("type", "button");
                        let _ = b.set_attribute("onclick", js);
                        let _ = el.append_child(&b);
                    }
                }
            }
            let _ = panel.append_child(&el);
        }
    }
    let _ = body.append_child(&panel);
}
