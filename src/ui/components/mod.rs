pub mod controls;
pub mod env_panel;
pub mod results;
