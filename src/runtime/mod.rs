//! The browser runtime: worker pool, clock, timers, environment probe, the main-thread
//! executor and the `window.kitchen` API. Everything that touches web APIs lives here or in
//! `ui`; the runtime never depends on the UI (the UI registers hooks with it instead).

pub mod api;
pub mod backend;
pub mod clock;
pub mod crew;
pub mod dispatch;
pub mod env;
pub mod error;
pub mod frames;
pub mod isolation;
pub mod js;
pub mod lessons;
pub mod meter;
pub mod pool;
pub mod run;
pub mod timers;

pub use error::{Error, ErrorKind};

/// Page start-up of the runtime: panics to the console, the back-end chosen and its workers
/// started in the background, and `window.kitchen`.
pub fn start() {
    console_error_panic_hook::set_once();
    backend::start();
    api::install();
}

/// Whether this instance runs on a page (not in a message-passing chef's worker, which
/// instantiates the same module and so runs its start-up too).
pub fn on_page() -> bool {
    web_sys::window().is_some()
}
