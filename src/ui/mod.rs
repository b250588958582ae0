//! The Yew app: state (one reducer), components, and nothing that computes timings itself —
//! it shows traces the runtime measured. [`geometry`] is its pure part, compiled everywhere.

pub mod geometry;
pub mod homework;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod permalink;
#[cfg(target_arch = "wasm32")]
mod state;

/// Mounts the app on the page's body: the playground, or with `?embed` in the address the
/// compact embedded kitchen (README "Embedding"), from the same build.
#[cfg(target_arch = "wasm32")]
pub fn mount() {
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    match crate::engine::share::embed::parse(&query) {
        None => {
            yew::Renderer::<app::App>::new().render();
        }
        Some(parsed) => {
            let props = components::embed::Props {
                options: std::rc::Rc::new(parsed.options),
                warnings: std::rc::Rc::new(parsed.warnings),
            };
            yew::Renderer::<components::embed::Embed>::with_props(props).render();
        }
    }
}
