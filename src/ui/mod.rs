//! The Yew app: state (one reducer), components, and nothing that computes timings itself —
//! it shows traces the runtime measured.

mod app;
mod components;
mod state;

pub fn mount() {
    yew::Renderer::<app::App>::new().render();
}
