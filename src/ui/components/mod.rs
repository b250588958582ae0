pub mod compare;
pub mod composer;
pub mod controls;
pub mod env_panel;
pub mod lessons;
pub mod meter;
pub mod progress;
pub mod run_bar;
pub mod scene;
pub mod results;
pub mod sweep;
pub mod timeline;
// The composer's parts.
pub mod dag_view;
pub mod fields;
pub mod import_export;
pub mod phase_editor;
pub mod task_editor;
