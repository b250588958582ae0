//! The Yew app: state (one reducer), components, and nothing that computes timings itself —
//! it shows traces the runtime measured. [`geometry`] is its pure part, compiled everywhere.

pub mod geometry;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod permalink;
#[cfg(target_arch = "wasm32")]
mod state;

/// Mounts the app on the page's body.
#[cfg(target_arch = "wasm32")]
pub fn mount() {
    yew::Renderer::<app::App>::new().render();
}
