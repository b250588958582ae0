//! Getting the assignment's text: fetched from `?assignment=<URL>`, or unpacked from the link's
//! fragment. Either way a failure is a sentence for the page, never a blank page.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::route::Source;
use crate::engine::share::link;

/// The assignment's JSON text from `source`, or why it can't be had.
pub async fn text(source: &Source) -> Result<String, String> {
    match source {
        Source::Link(fragment) => link::decode_assignment(fragment).map_err(|e| e.to_string()),
        Source::Url(url) => fetch(url).await,
    }
}

async fn fetch(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let failed = |e: wasm_bindgen::JsValue| {
        let why = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{e:?}"));
        format!("`{url}` could not be fetched ({why})")
    };
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await.map_err(failed)?.unchecked_into();
    if !response.ok() {
        return Err(format!("`{url}` could not be fetched: the server answered {} {}", response.status(), response.status_text()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
    text.as_string().ok_or_else(|| format!("`{url}` is not text"))
}
