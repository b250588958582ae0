//! Permalinks in the page: the link the page opens with, a fragment that changes to another
//! link, the view a link opens, and the address of a link to the current state. The codec is
//! the engine's ([`crate::engine::share::link`]); this is its glue to `location` and `history`.

use gloo_events::EventListener;
use yew::prelude::*;

use super::state::{Action, Store};
use crate::engine::share::{link, LinkState, View};

/// Opens the link in the page's fragment at start-up, and every later fragment that is a link
/// (pasted into the address bar: the page does not reload). A fragment that is no link, such
/// as an anchor, is left alone.
#[hook]
pub fn use_permalink(state: &Store) {
    let state = state.clone();
    use_effect_with((), move |_| {
        open_fragment(&state);
        let window = web_sys::window().expect("a page has a window");
        let listener = EventListener::new(&window, "hashchange", move |_| open_fragment(&state));
        move || drop(listener)
    });
}

fn open_fragment(state: &Store) {
    let Some(fragment) = web_sys::window().and_then(|w| w.location().hash().ok()) else { return };
    if !link::is_link(&fragment) {
        return;
    }
    let opened = link::decode(&fragment);
    if let Ok(link) = &opened {
        let (view, lesson) = (link.view, link.lesson.clone());
        // After the render that shows the link's state.
        gloo_timers::callback::Timeout::new(0, move || show_view(view, lesson.as_deref())).forget();
    }
    state.dispatch(Action::OpenLink(opened));
}

/// Brings the view a link opened into sight: the store has already opened its tab; this
/// focuses the tab (scrolling the results pane into view where the panes stack). A lesson the
/// link names opens and scrolls into sight by itself (`components::lessons`). The results
/// view is where the page starts: nothing to do.
pub fn show_view(view: View, lesson: Option<&str>) {
    if view == View::Results || (view == View::Lessons && lesson.is_some()) {
        return;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Ok(Some(tab)) = document.query_selector(&format!("#view-{}", view.name())) {
        tab.scroll_into_view();
        if let Some(focusable) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&tab) {
            let _ = focusable.focus();
        }
        let _ = tab.set_attribute("data-linked", "");
    }
}

/// The playground's address: this page's, without query (embed options) or fragment.
pub fn playground_base() -> String {
    let location = web_sys::window().expect("a page has a window").location();
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    format!("{origin}{path}")
}

/// The playground's address with a link to `state`.
pub fn playground_url(state: &LinkState) -> String {
    format!("{}#{}", playground_base(), link::encode(state))
}

/// Puts a link to `state` in the address bar without reloading or firing `hashchange`, so the
/// address itself can be copied and the back button is not cluttered.
pub fn remember_in_address(state: &LinkState) {
    let Some(window) = web_sys::window() else { return };
    let fragment = format!("#{}", link::encode(state));
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&fragment));
    }
}

/// Copies `text` to the clipboard; `Err` when the browser refuses (no permission, an insecure
/// page), so the caller can offer the text to copy by hand.
pub async fn copy_to_clipboard(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).map_err(|_| "no clipboard")?;
    if clipboard.is_undefined() {
        return Err("this page has no clipboard access (it needs https or localhost)".into());
    }
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| crate::runtime::js::describe_js_error(&e))
}
