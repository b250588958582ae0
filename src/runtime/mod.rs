//! The browser runtime: worker pool, clock, timers, environment probe, the main-thread
//! executor and the `window.kitchen` API. Everything that touches web APIs lives here or in
//! `ui`; the runtime never depends on the UI (the UI registers hooks with it instead).

pub mod api;
pub mod clock;
pub mod env;
pub mod error;
pub mod frames;
pub mod js;
pub mod lessons;
pub mod meter;
pub mod pool;
pub mod run;
pub mod timers;

pub use error::{Error, ErrorKind};

/// Page start-up of the runtime: panics to the console, workers starting in the background,
/// and `window.kitchen`.
pub fn start() {
    console_error_panic_hook::set_once();
    pool::start();
    api::install();
}
