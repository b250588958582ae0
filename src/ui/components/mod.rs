pub mod controls;
pub mod env_panel;
pub mod progress;
pub mod results;
