//! An experiment made ready to cook: the one place where the validated plan, the number of
//! chefs and the scheduling policy are derived from an experiment, for every executor — the
//! native runner, the browser's workers and main thread, and the simulator.

use std::sync::Arc;

use super::analysis::GraphAnalysis;
use super::error::Error;
use super::experiment::{Experiment, Model};
use super::graph::Plan;
use super::kernel::{Calibration, Kernel};
use super::schedule::{Policy, Schedule};
use super::simulate::{predict, simulate, Prediction};
use super::trace::Trace;

/// What a run of one experiment needs, whoever cooks it.
#[derive(Clone, Debug)]
pub struct Setup {
    pub model: Model,
    /// The validated dishes, cook `ms` already turned into kernel units.
    pub plan: Arc<Plan>,
    /// Chefs that really work: the experiment's for parallel models, one for the others.
    pub chefs: usize,
    pub policy: Policy,
}

impl Setup {
    /// Validates `experiment` with `calibration` (the engine's message says what is wrong).
    pub fn new(experiment: &Experiment, calibration: &dyn Fn(Kernel) -> Calibration) -> Result<Setup, Error> {
        let model = experiment.model;
        Ok(Setup {
            model,
            plan: Arc::new(Plan::new(experiment, calibration)?),
            chefs: model.effective_chefs(experiment.chefs),
            policy: Policy::new(model, experiment.yield_policy),
        })
    }

    /// A fresh schedule for a run starting at `start_ms` on the executor's clock.
    pub fn schedule(&self, start_ms: f64) -> Schedule {
        Schedule::new(self.plan.clone(), self.chefs, self.policy, start_ms)
    }

    /// The predicted run on a virtual clock (a trace labelled `simulated`).
    pub fn simulate(&self) -> Trace {
        simulate(self.plan.clone(), self.chefs, self.policy)
    }

    /// [`Setup::simulate`], also telling how each chef spent the predicted run.
    pub fn predict(&self) -> Prediction {
        predict(self.plan.clone(), self.chefs, self.policy)
    }

    /// Work, span and critical path of the dishes (computed).
    pub fn analysis(&self) -> GraphAnalysis {
        GraphAnalysis::of(&self.plan)
    }
}
