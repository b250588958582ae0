//! The engine: tasks, dependency graph, executors, traces — pure Rust, no browser APIs, so
//! everything here is tested natively with `cargo test`.

pub mod analysis;
pub mod breakdown;
pub mod clock;
pub mod csv;
pub mod edit;
pub mod error;
pub mod executor;
pub mod experiment;
pub mod export;
pub mod graph;
pub mod homework;
pub mod kernel;
pub mod lessons;
pub mod presets;
pub mod responsiveness;
pub mod schedule;
pub mod setup;
pub mod share;
pub mod simulate;
pub mod sweep;
pub mod trace;

pub use experiment::{Experiment, Model, FORMAT_VERSION};
pub use error::{Error, ErrorKind};
pub use graph::Plan;
pub use kernel::{Calibration, Kernel};
pub use schedule::{Policy, Schedule};
pub use setup::Setup;
pub use trace::Trace;

#[cfg(not(target_arch = "wasm32"))]
pub use native::{calibrated, run_native, run_native_controlled};

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::sync::{Arc, OnceLock};

    use super::clock::{Clock, SystemClock};
    use super::executor::{cook_on_current_pool, cook_on_this_thread, Control, Kitchen};
    use super::trace::Source;
    use super::*;

    /// This machine's calibration of `kernel`, measured once per process.
    pub fn calibrated(kernel: Kernel) -> Calibration {
        static CALIBRATIONS: [OnceLock<Calibration>; Kernel::ALL.len()] = [const { OnceLock::new() }; Kernel::ALL.len()];
        *CALIBRATIONS[kernel.index()].get_or_init(|| Calibration::measure(kernel, &SystemClock::new(), 200.0))
    }

    /// Runs `experiment` natively: parallel models on a fresh rayon pool of exactly `chefs`
    /// threads, the single-chef models on the calling thread.
    pub fn run_native(experiment: &Experiment) -> Result<Trace, Error> {
        run_native_controlled(experiment, Control::new())
    }

    /// [`run_native`], with `control` to stop the run or read its progress from another thread.
    pub fn run_native_controlled(experiment: &Experiment, control: Arc<Control>) -> Result<Trace, Error> {
        let setup = Setup::new(experiment, &calibrated)?;
        let chefs = setup.chefs;
        let pool = setup
            .model
            .is_parallel()
            .then(|| rayon::ThreadPoolBuilder::new().num_threads(chefs).build().expect("start a thread pool"));
        let clock = SystemClock::new();
        let kitchen = Kitchen::new(setup.schedule(clock.now_ms()), control);
        match &pool {
            Some(pool) => pool.install(|| cook_on_current_pool(&kitchen, chefs, &clock)),
            None => cook_on_this_thread(&kitchen, &clock),
        }
        Ok(kitchen.into_schedule().into_trace(clock.now_ms(), Source::Measured))
    }
}
