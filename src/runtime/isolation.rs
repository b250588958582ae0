//! How this page came to be cross-origin isolated, or why not: the decision of the page's
//! `www/isolate.js` (service worker or headers; never a reload loop), in words.

use std::cell::RefCell;

use js_sys::{Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    static SENTENCE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Awaits the page's isolation decision and keeps it for [`sentence`]. Never returns while
/// the page is about to reload for its service worker, so the app does not start twice.
pub async fn settle() {
    let decision = Reflect::get(&js_sys::global(), &"kitchenIsolation".into()).ok().and_then(|p| p.dyn_into::<Promise>().ok());
    let sentence = match decision {
        Some(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_string()),
        None => None,
    };
    let sentence = sentence.unwrap_or_else(|| {
        let isolated = if super::pool::cross_origin_isolated() { "isolated" } else { "not isolated" };
        format!("{isolated}; this page has no isolation script (www/isolate.js), so no service worker was tried")
    });
    SENTENCE.with(|s| *s.borrow_mut() = Some(sentence));
}

/// What [`settle`] found, in words (`kitchen.env().isolation`).
pub fn sentence() -> String {
    SENTENCE.with(|s| s.borrow().clone()).unwrap_or_else(|| "not decided yet".into())
}
