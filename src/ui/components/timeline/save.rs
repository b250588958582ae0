//! Files offered from the timeline: "Save trace" (the trace the chart shows, as JSON in the
//! documented format — to keep, to compare later, or to show again with
//! `kitchen.show(trace)`), and the downloads of the exports (`super::export`).

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::engine::Trace;

/// A file name for `trace`'s `what`: model and chefs, so several saved runs tell themselves apart.
pub fn name_for(trace: &Trace, what: &str, extension: &str) -> String {
    format!("kitchen-{what}-{}-{}-chefs.{extension}", trace.model.name(), trace.chefs)
}

/// The file's name: model and chefs, so several saved runs tell themselves apart.
pub fn file_name(trace: &Trace) -> String {
    name_for(trace, "trace", "json")
}

/// Offers `trace` as a download.
pub fn save(trace: &Trace) -> Result<(), JsValue> {
    let json = serde_json::to_string_pretty(trace).map_err(|e| JsValue::from_str(&e.to_string()))?;
    download_text(&json, "application/json", &file_name(trace))
}

/// Offers `text` as a file of type `mime`.
pub fn download_text(text: &str, mime: &str, name: &str) -> Result<(), JsValue> {
    download(&text_blob(text, mime)?, name)
}

/// `text` as a Blob of type `mime`.
pub fn text_blob(text: &str, mime: &str) -> Result<Blob, JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&text.into()), &options)
}

/// Offers `blob` as a download named `name`.
pub fn download(blob: &Blob, name: &str) -> Result<(), JsValue> {
    let url = Url::create_object_url_with_blob(blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // Revoked a little later: revoking at once can cancel the download in some browsers.
    gloo_timers::callback::Timeout::new(10_000, move || drop(Url::revoke_object_url(&url))).forget();
    Ok(())
}
