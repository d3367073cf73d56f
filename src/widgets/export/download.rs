//! Offering files: a Blob, an object URL and `<a download>`, for text and
//! bytes, and the file-name part made from a label.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static LAST_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Offers `blob` as a download named `name` (object URL + `<a download>`).
///
/// # Errors
/// No document, or the browser refused the URL.
pub fn download_blob(name: &str, blob: &web_sys::Blob) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Freed when the next export replaces it (revoking at once can cancel the download).
    LAST_URL.with(|last| {
        if let Some(old) = last.replace(Some(url)) {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
    });
    Ok(())
}

/// Offers `text` as a download of type `mime`.
///
/// # Errors
/// As [`download_blob`].
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    download_blob(name, &blob)
}

/// Offers `bytes` as a download of type `mime`.
///
/// # Errors
/// As [`download_blob`].
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?;
    download_blob(name, &blob)
}

/// A file-name part from a label: lower case, letters and digits, `-`.
pub fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let mut s: String = out.chars().take(40).collect();
    while s.ends_with('-') {
        s.pop();
    }
    if s.is_empty() {
        "figure".into()
    } else {
        s
    }
}

pub(super) fn js_err(e: JsValue) -> String {
    e.as_string()
        .unwrap_or_else(|| "the browser refused the export".to_string())
}
