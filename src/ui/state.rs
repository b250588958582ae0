//! App state: one reducer. The composed experiment lives here; every view reads it or a
//! trace the runtime measured from it.

use std::rc::Rc;

use yew::Reducible;

use crate::engine::experiment::{TaskSpec, YieldPolicy};
use crate::engine::{edit, presets};
use crate::engine::responsiveness::ResponsivenessReport;
use crate::engine::{Experiment, Model, Trace};
use crate::runtime::env::Env;
use crate::runtime::lessons::{LessonResult, Step};

#[derive(Clone, Debug, PartialEq)]
pub enum RunStatus {
    Idle,
    Running,
    Done(Rc<Trace>),
    Failed(String),
}

/// A batch of runs (Compare: one per model; Sweep: one per width).
#[derive(Clone, Debug, PartialEq)]
pub enum BatchStatus {
    Idle,
    /// Runs finished so far, while the rest go on.
    Running(Vec<Rc<Trace>>),
    Done(Vec<Rc<Trace>>),
    Failed(String),
}

impl BatchStatus {
    /// The traces so far and whether more are coming; `None` when there is nothing to show.
    pub fn traces(&self) -> Option<(&[Rc<Trace>], bool)> {
        match self {
            BatchStatus::Running(traces) => Some((traces, true)),
            BatchStatus::Done(traces) => Some((traces, false)),
            BatchStatus::Idle | BatchStatus::Failed(_) => None,
        }
    }

    pub fn error(&self) -> Option<&str> {
        match self {
            BatchStatus::Failed(message) => Some(message),
            _ => None,
        }
    }
}

/// The view of a batch that failed: its message, or nothing.
pub fn batch_error(class: &'static str, what: &str, status: &BatchStatus) -> yew::Html {
    match status.error() {
        Some(message) => yew::html! {
            <section class={class}><p class="error" role="alert">{ format!("{what}: {message}") }</p></section>
        },
        None => yew::html! {},
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// What the composer shows and Run runs (model and chefs included).
    pub experiment: Experiment,
    /// The preset the experiment came from, until it is edited.
    pub preset: Option<&'static str>,
    pub env: Option<Env>,
    pub run: RunStatus,
    pub compare: BatchStatus,
    pub sweep: BatchStatus,
    /// Run the sequential model's chef on the main thread (the responsiveness lesson).
    pub main_thread: bool,
    /// What the responsiveness meter measured during the last run from the Run button.
    pub meter: Option<Rc<ResponsivenessReport>>,
    /// Each lesson run from "Claims you can check", by id: under way or its outcome.
    pub lessons: std::collections::BTreeMap<&'static str, LessonStatus>,
}

/// A lesson run from the page.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonStatus {
    /// Under way; the run it is on, once it has started one.
    Running(Option<Step>),
    Done(Rc<LessonResult>),
    Failed(String),
}

impl Default for AppState {
    fn default() -> Self {
        let preset = &presets::PRESETS[0];
        AppState {
            experiment: preset.experiment(Model::Parallel, 2),
            preset: Some(preset.id),
            env: None,
            run: RunStatus::Idle,
            compare: BatchStatus::Idle,
            sweep: BatchStatus::Idle,
            main_thread: false,
            meter: None,
            lessons: Default::default(),
        }
    }
}

impl AppState {
    pub fn running(&self) -> bool {
        self.run == RunStatus::Running
            || matches!(self.compare, BatchStatus::Running(_))
            || matches!(self.sweep, BatchStatus::Running(_))
            || self.lessons.values().any(|l| matches!(l, LessonStatus::Running(_)))
    }
}

pub enum Action {
    /// The person picked an execution model.
    SetModel(Model),
    /// The person set the number of chefs.
    SetChefs(usize),
    /// The person chose the juggling models' preemption points.
    SetYield(YieldPolicy),
    /// Replace the dishes with a preset's (model and chefs are kept).
    LoadPreset(&'static str),
    /// Replace the whole experiment (an import).
    LoadExperiment(Experiment),
    /// Append a new dish.
    AddTask,
    /// Copy dish `i` right after it, under a new id.
    DuplicateTask(usize),
    /// Delete dish `i`; dishes that came after it no longer wait for it.
    DeleteTask(usize),
    /// Move dish `from` to position `to`.
    MoveTask { from: usize, to: usize },
    /// Replace dish `i` (name, phases, dependencies). Renaming updates the dishes that come after it.
    UpdateTask(usize, TaskSpec),
    /// The environment probe answered.
    EnvProbed(Env),
    /// A single run started.
    Started,
    /// The single run ended with a trace or an error message.
    Finished(Result<Trace, String>),
    /// "Run all models" started.
    CompareStarted,
    /// One more run of the batch finished.
    CompareProgress(Trace),
    /// "Run all models" ended (or was stopped, or failed).
    CompareFinished(Result<(), String>),
    /// "Sweep chefs" started.
    SweepStarted,
    /// One more width of the sweep finished.
    SweepProgress(Trace),
    /// The sweep ended (or was stopped, or failed).
    SweepFinished(Result<(), String>),
    /// The person chose whether the sequential chef cooks on the main thread.
    SetMainThread(bool),
    /// The responsiveness meter's report on the run that just ended.
    MeterReport(ResponsivenessReport),
    /// A lesson started, moved on to its next run, or ended.
    LessonStarted(&'static str),
    LessonStep(&'static str, Step),
    LessonFinished(&'static str, Result<LessonResult, String>),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let e = &mut next.experiment;
        match action {
            Action::SetModel(model) => e.model = model,
            Action::SetChefs(chefs) => e.chefs = chefs.max(1),
            Action::SetYield(policy) => e.yield_policy = policy,
            Action::LoadPreset(id) => {
                if let Some(p) = presets::find(id) {
                    next.experiment = Experiment { yield_policy: e.yield_policy, ..p.experiment(e.model, e.chefs) };
                    next.preset = Some(p.id);
                }
                return Rc::new(next);
            }
            Action::LoadExperiment(experiment) => next.experiment = experiment,
            Action::AddTask => {
                edit::add_task(e);
            }
            Action::DuplicateTask(i) => edit::duplicate_task(e, i),
            Action::DeleteTask(i) => edit::delete_task(e, i),
            Action::MoveTask { from, to } => edit::move_task(e, from, to),
            Action::UpdateTask(i, task) => edit::update_task(e, i, task),
            Action::EnvProbed(env) => {
                // No worker threads (page not isolated): offer only what can run.
                if env.threads == 0 && next.experiment.model.is_parallel() {
                    next.experiment.model = Model::Concurrent;
                }
                next.experiment.chefs = next.experiment.chefs.min(env.threads.max(1));
                next.env = Some(env);
                return Rc::new(next);
            }
            Action::Started => next.run = RunStatus::Running,
            Action::Finished(Ok(trace)) => next.run = RunStatus::Done(Rc::new(trace)),
            Action::Finished(Err(message)) => next.run = RunStatus::Failed(message),
            Action::CompareStarted => next.compare = BatchStatus::Running(vec![]),
            Action::CompareProgress(trace) => push(&mut next.compare, trace),
            Action::CompareFinished(result) => finish(&mut next.compare, result),
            Action::SweepStarted => next.sweep = BatchStatus::Running(vec![]),
            Action::SweepProgress(trace) => push(&mut next.sweep, trace),
            Action::SweepFinished(result) => finish(&mut next.sweep, result),
            Action::SetMainThread(on) => next.main_thread = on,
            Action::MeterReport(report) => next.meter = Some(Rc::new(report)),
            Action::LessonStarted(id) => {
                next.lessons.insert(id, LessonStatus::Running(None));
            }
            Action::LessonStep(id, step) => {
                next.lessons.insert(id, LessonStatus::Running(Some(step)));
            }
            Action::LessonFinished(id, result) => {
                next.lessons.insert(id, result.map_or_else(LessonStatus::Failed, |r| LessonStatus::Done(Rc::new(r))));
            }
        }
        if self.experiment.tasks != next.experiment.tasks {
            next.preset = None; // edited: no longer the preset's dishes
        }
        Rc::new(next)
    }
}

fn push(batch: &mut BatchStatus, trace: Trace) {
    if let BatchStatus::Running(traces) = batch {
        traces.push(Rc::new(trace));
    }
}

fn finish(batch: &mut BatchStatus, result: Result<(), String>) {
    *batch = match (result, std::mem::replace(batch, BatchStatus::Idle)) {
        (Err(message), _) => BatchStatus::Failed(message),
        (Ok(()), BatchStatus::Running(traces)) => BatchStatus::Done(traces),
        (Ok(()), other) => other,
    };
}

