//! The UI's pure view logic: where things go on screen and how a replay moves, computed from
//! traces and experiments with no browser types. The rule: whatever in the UI can be computed
//! without the DOM lives here, compiles on every target, and is tested by `cargo test`;
//! components only draw what it computes.

pub mod dag;
pub mod export;
pub mod playback;
pub mod scene;
pub mod timeline;
