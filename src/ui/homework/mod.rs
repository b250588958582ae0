//! Homework in the page (issue 11): the student page that opens an assignment, asks the
//! predictions, runs the step's experiments for real, checks the answers with the engine's
//! `check_answer` (the grader's code) and hands in `submission.json`; and the teacher's
//! "Make an assignment" editor in the playground. [`markdown`] is the pure part, tested natively.

pub mod draft;
pub mod markdown;
pub mod route;
pub mod storage;

#[cfg(target_arch = "wasm32")]
mod fetch;
#[cfg(target_arch = "wasm32")]
mod markdown_view;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
mod questions;
#[cfg(target_arch = "wasm32")]
mod state;
#[cfg(target_arch = "wasm32")]
mod step;
#[cfg(target_arch = "wasm32")]
mod teacher;
#[cfg(target_arch = "wasm32")]
mod work;

#[cfg(target_arch = "wasm32")]
pub use page::{Homework, Props};
#[cfg(target_arch = "wasm32")]
pub use teacher::MakeAssignment;
