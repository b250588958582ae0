//! Concurrency Kitchen: compose tasks, run them under four execution models, measure.
//!
//! Three layers, data flowing engine → trace → view:
//! - [`engine`]: tasks, dependency graph, executors, traces (pure Rust, tested natively);
//! - `runtime` (wasm32 only): the browser glue — worker pool, clock, main-thread executor,
//!   environment probe, and the `window.kitchen` JavaScript API;
//! - `ui` (wasm32 only): the Yew app.

pub mod engine;

#[cfg(target_arch = "wasm32")]
pub mod runtime;
#[cfg(target_arch = "wasm32")]
pub mod ui;

// --- timeline ---
// The timeline's geometry and replay state are plain Rust with no browser APIs; compiling
// them natively lets `cargo test` check them although the rest of `ui` is wasm32-only.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "ui/components/timeline/layout.rs"]
mod timeline_layout;
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "ui/components/timeline/playback.rs"]
mod timeline_playback;
