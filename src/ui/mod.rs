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
/// compact embedded kitchen (README "Embedding"), or with an assignment in the address the
/// student page (README "Homework"), from the same build.
#[cfg(target_arch = "wasm32")]
pub fn mount() {
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    // An assignment in the address (`?assignment=URL` or `#a1.…`) opens the student page,
    // embedded (`?embed&assignment=…`) or not.
    let fragment = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    if let Some(opening) = homework::route::opening(&query, &fragment) {
        let props = homework::Props { opening: std::rc::Rc::new(opening) };
        yew::Renderer::<homework::Homework>::with_props(props).render();
        return;
    }
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
