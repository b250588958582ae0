//! The browser runtime: worker pool, clock, timers, environment probe, the main-thread
//! executor and the `window.kitchen` API. Everything that touches web APIs lives here or in `ui`.

pub mod api;
pub mod clock;
pub mod env;
pub mod lessons;
pub mod meter;
pub mod pool;
pub mod run;
pub mod timers;

use wasm_bindgen::{JsCast, JsValue};

/// Page start-up: panics to the console, workers starting in the background, the JS API, the UI.
pub fn start() {
    console_error_panic_hook::set_once();
    pool::start();
    api::install();
    crate::ui::mount();
}

/// A readable message from a JavaScript exception or rejection value.
pub fn describe_js_error(value: &JsValue) -> String {
    match value.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => value.as_string().unwrap_or_else(|| format!("{value:?}")),
    }
}
