//! Building blocks for plans: experiments, runs, dishes, presets, and the checks that a
//! machine has the cores or threads a lesson needs.

use super::{Machine, RunSpec};
use crate::engine::experiment::{Cook, Experiment, Model, Phase, TaskSpec, YieldPolicy, FORMAT_VERSION};
use crate::engine::presets;

/// An experiment of `tasks` for `model` with `chefs` chefs and the default yield policy.
pub(super) fn experiment(model: Model, chefs: usize, tasks: Vec<TaskSpec>) -> Experiment {
    Experiment { version: FORMAT_VERSION, model, chefs, yield_policy: YieldPolicy::default(), tasks }
}

/// A run labelled `label`, off the main thread.
pub(super) fn run(label: impl Into<String>, experiment: Experiment) -> RunSpec {
    RunSpec { label: label.into(), experiment, main_thread: false }
}

/// A dish (task) `id` of `phases`, started after the dishes `after`.
pub(super) fn dish(id: String, phases: Vec<Phase>, after: Vec<String>) -> TaskSpec {
    TaskSpec { id, phases, after }
}

/// `n` independent dishes of `ms` of cooking each.
pub(super) fn cooks(n: usize, ms: f64) -> Vec<TaskSpec> {
    (1..=n).map(|i| dish(format!("dish-{i:03}"), vec![Phase::Cook(Cook::ms(ms))], vec![])).collect()
}

/// The preset `id` as an experiment for `model` with `chefs` chefs.
pub(super) fn preset(id: &str, model: Model, chefs: usize) -> Result<Experiment, String> {
    presets::find(id).map(|p| p.experiment(model, chefs)).ok_or_else(|| format!("the `{id}` preset is missing"))
}

/// Refuses a machine with fewer than `n` worker threads; `what` says what they are for.
pub(super) fn need_threads(machine: &Machine, n: usize, what: &str) -> Result<(), String> {
    if machine.threads >= n {
        return Ok(());
    }
    Err(format!("needs {n} worker threads {what}; this machine has {}", machine.threads))
}

/// Refuses a machine with fewer than `n` cores; `what` says what they are for.
pub(super) fn need_cores(machine: &Machine, n: usize, what: &str) -> Result<(), String> {
    if machine.cores >= n {
        return Ok(());
    }
    Err(format!("needs {n} cores {what}; this machine has {}", machine.cores))
}
