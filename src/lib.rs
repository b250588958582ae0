//! Concurrency Kitchen: compose tasks, run them under four execution models, measure.
//!
//! Three layers, data flowing engine → trace → view, each depending only on those before it:
//! - [`engine`]: tasks, dependency graph, executors, traces, analysis (pure Rust, tested natively);
//! - `runtime` (wasm32 only): the browser glue — worker pool, clock, main-thread executor,
//!   environment probe, and the `window.kitchen` JavaScript API;
//! - [`ui`]: the Yew app (wasm32 only), except its pure view geometry in [`ui::geometry`],
//!   which has no browser types and is tested natively.
//!
//! [`start`] is the composition root: it starts the runtime, then mounts the UI on it.

pub mod engine;

#[cfg(target_arch = "wasm32")]
pub mod runtime;
pub mod ui;

/// The web app's start-up, once the page knows whether it will reload for its service worker
/// (`www/isolate.js`): the runtime first (workers start, `window.kitchen` appears), then the UI.
/// In a message-passing chef's worker (the same module, instantiated with its own memory) it
/// does nothing: that instance only cooks what it is sent.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    if !runtime::on_page() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        runtime::isolation::settle().await;
        runtime::start();
        ui::mount();
    });
}
