//! "Save trace": the trace the chart shows, as a JSON file in the documented format — to keep,
//! to compare later, or to show again with `kitchen.show(trace)`.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::engine::Trace;

/// The file's name: model and chefs, so several saved runs tell themselves apart.
pub fn file_name(trace: &Trace) -> String {
    format!("kitchen-trace-{}-{}-chefs.json", trace.model.name(), trace.chefs)
}

/// Offers `trace` as a download.
pub fn save(trace: &Trace) -> Result<(), JsValue> {
    let json = serde_json::to_string_pretty(trace).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let options = BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&json.into()), &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(&file_name(trace));
    link.click();
    // Revoked a little later: revoking at once can cancel the download in some browsers.
    gloo_timers::callback::Timeout::new(10_000, move || drop(Url::revoke_object_url(&url))).forget();
    Ok(())
}
