//! The embed's postMessage glue: reads the parent page's messages into the engine's typed
//! [`FromParent`] (only messages whose source is `window.parent` are read; the rest are
//! ignored), posts [`ToParent`] replies to the parent, and reports the document's height as
//! it changes (a ResizeObserver), so the parent can size the iframe. The protocol itself is
//! `engine::share::messages` (docs/format.md, "Embedding").

use std::cell::Cell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, ResizeObserver};

use super::error::Error;
use super::js::{describe_js_error, to_js};
use crate::engine::share::messages::{from_parent_json, Envelope, FromParent, ToParent};

/// The page that embeds this one, when it is in a frame.
fn parent() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    // A top-level page is its own parent: no one to talk to.
    (!js_sys::Object::is(&parent, &window)).then_some(parent)
}

/// Whether this page is in a frame, so that messages have somewhere to go.
pub fn framed() -> bool {
    parent().is_some()
}

/// Posts `message` to the parent page, wrapped as `{ kitchen: … }`. The target origin is
/// `*`: the embed does not know who embeds it, and what it sends (traces of dishes the page
/// shows) is no secret.
pub fn post(message: &ToParent) {
    if let Some(parent) = parent() {
        let _ = parent.post_message(&to_js(&Envelope { kitchen: message }), "*");
    }
}

/// What a message event holds for the kitchen: `None` when it is not the parent's or has no
/// `kitchen` key (other scripts talk through postMessage too), else the request or why it
/// is not one.
pub fn read(event: &MessageEvent) -> Option<Result<FromParent, Error>> {
    let parent = parent()?;
    let from_parent = event.source().is_some_and(|source| js_sys::Object::is(&source, &parent));
    if !from_parent {
        return None;
    }
    let data = event.data();
    if !data.is_object() {
        return None;
    }
    let kitchen = js_sys::Reflect::get(&data, &"kitchen".into()).ok().filter(|k| !k.is_undefined())?;
    // Through JSON text, as for kitchen.run: the engine's reader names unknown fields and paths.
    let text = match js_sys::JSON::stringify(&kitchen) {
        Ok(text) => String::from(text),
        Err(e) => return Some(Err(super::ErrorKind::BadArgument(format!("unreadable message: {}", describe_js_error(&e))).into())),
    };
    Some(from_parent_json(&text).map_err(Error::from))
}

/// Calls `handler` with every message from the parent page, while the listener lives.
pub fn listen(handler: impl Fn(Result<FromParent, Error>) + 'static) -> Option<EventListener> {
    let window = web_sys::window()?;
    parent()?;
    Some(EventListener::new(&window, "message", move |event| {
        if let Some(message) = event.dyn_ref::<MessageEvent>().and_then(read) {
            handler(message);
        }
    }))
}

/// Posts `resize` with the document's height now and whenever it changes, while the returned
/// observer lives (dropping it disconnects).
pub struct HeightReporter {
    observer: ResizeObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl HeightReporter {
    /// Starts observing the document element; `None` outside a frame or without ResizeObserver.
    pub fn start() -> Option<HeightReporter> {
        parent()?;
        let root = web_sys::window()?.document()?.document_element()?;
        let last = Rc::new(Cell::new(0u32));
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new({
            let root = root.clone();
            move |_entries: js_sys::Array| {
                // The element's own box: the document's content, however tall the iframe is.
                let height = root.get_bounding_client_rect().height().ceil().max(0.0) as u32;
                if height != last.replace(height) {
                    post(&ToParent::Resize { height });
                }
            }
        });
        let observer = ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(&root);
        Some(HeightReporter { observer, _callback: callback })
    }
}

impl Drop for HeightReporter {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
