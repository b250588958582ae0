//! App state: one reducer. The composed experiment lives here; every view reads it or a
//! trace the runtime measured from it. What is derived from the dishes (validation, graph
//! analysis, lesson plans) or from measured traces (each run's breakdown, the sweep and its
//! computed limits) is computed here when its inputs change, never in a render.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::analysis::GraphAnalysis;
use crate::engine::breakdown::{Breakdown, RunContext};
use crate::engine::sweep::{Limits, Sweep};
use crate::engine::experiment::{TaskSpec, YieldPolicy};
use crate::engine::lessons::{Machine, RunSpec, LESSONS};
use crate::engine::responsiveness::ResponsivenessReport;
use crate::engine::share::LinkState;
use crate::engine::{edit, presets, Experiment, Model, Setup, Trace};
use crate::runtime::env::Env;
use crate::runtime::lessons::{LessonResult, Step};
use crate::runtime::{run, Error};
use crate::ui::geometry::dag::Graph;

/// The app's state and its dispatcher, shared with every component by context.
pub type Store = UseReducerHandle<AppState>;

/// The store the [`App`](super::app::App) provides.
#[hook]
pub fn use_store() -> Store {
    use_context::<Store>().expect("components are rendered inside the App, which provides the store")
}

/// Which view the results side of the playground shows: each is one click away (the tabs
/// above it), and a permalink can name one. The engine's type, so links carry it as it is.
pub use crate::engine::share::View;

/// The views as the page's tabs show them.
pub trait ViewTab {
    /// The tab's label.
    fn label(self) -> &'static str;
    /// The name used in element ids (`view-compare`): the link's name.
    fn id(self) -> &'static str;
}

impl ViewTab for View {
    fn label(self) -> &'static str {
        match self {
            View::Results => "Results",
            View::Compare => "Compare models",
            View::Sweep => "Sweep chefs",
            View::Lessons => "Lessons",
        }
    }

    fn id(self) -> &'static str {
        self.name()
    }
}

/// How the last run from the Run button went.
#[derive(Clone, Debug, PartialEq)]
pub enum RunStatus {
    /// Nothing run yet.
    Idle,
    /// A run from the Run button is under way.
    Running,
    /// The last run's measured trace.
    Done(Rc<Trace>),
    /// The last run could not go ahead, and why.
    Failed(Error),
}

/// The engine's view of the composed dishes: valid, with their graph and its analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedDishes {
    /// Dish ids and, per dish, the dishes it comes after.
    pub graph: Rc<Graph>,
    /// Work, span, critical path (computed).
    pub analysis: Rc<GraphAnalysis>,
}

impl CheckedDishes {
    /// Validates `experiment` with this page's calibration and analyses its graph.
    pub fn of(experiment: &Experiment) -> Result<Rc<CheckedDishes>, crate::engine::Error> {
        let setup = Setup::new(experiment, &run::calibrated)?;
        let analysis = Rc::new(setup.analysis());
        let graph = Rc::new(Graph { ids: setup.plan.ids.clone(), deps: setup.plan.deps.clone() });
        Ok(Rc::new(CheckedDishes { graph, analysis }))
    }
}

/// A run's wall time broken down against its predicted schedule, or why it can't be.
pub type Explained = Result<Rc<Breakdown>, crate::engine::Error>;

/// A lesson's runs for this page's machine, or why it can't run here.
pub type LessonPlan = Result<Vec<RunSpec>, String>;

/// A batch of runs (Compare: one per model; Sweep: one per width).
#[derive(Clone, Debug, PartialEq)]
pub enum BatchStatus {
    Idle,
    /// Runs finished so far, while the rest go on.
    Running(Vec<Rc<Trace>>),
    Done(Vec<Rc<Trace>>),
    Failed(Error),
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

    pub fn error(&self) -> Option<&Error> {
        match self {
            BatchStatus::Failed(message) => Some(message),
            _ => None,
        }
    }
}

/// The view of a batch that failed: its message, or nothing.
pub fn batch_error(what: &str, status: &BatchStatus) -> Html {
    match status.error() {
        Some(message) => html! { <p class="error" role="alert">{ format!("{what}: {message}") }</p> },
        None => html! {},
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// What the composer shows and Run runs (model and chefs included). Shared: with 20,000
    /// dishes, copying it on every action and render was tens of ms (issue 12).
    pub experiment: Rc<Experiment>,
    /// The preset the experiment came from, until it is edited.
    pub preset: Option<&'static str>,
    pub env: Option<Env>,
    /// The dishes checked by the engine: `None` until the environment is probed (validation
    /// turns cook ms into units with this page's calibration, which waits for the workers).
    pub checked: Option<Result<Rc<CheckedDishes>, crate::engine::Error>>,
    /// Each lesson's plan for this machine, in [`LESSONS`] order; empty until probed.
    pub lesson_plans: Rc<Vec<LessonPlan>>,
    /// Each lesson's caveat for this machine (said before it runs), in [`LESSONS`] order.
    pub lesson_caveats: Rc<Vec<Option<String>>>,
    pub run: RunStatus,
    /// The breakdown of the run in `run`, once it is done and [`Action::Explain`] has come.
    pub breakdown: Option<Explained>,
    /// Whether the run in `run` was watched by the meter (a Run, not a `kitchen.show`): its
    /// breakdown then names the frames drawn during the run.
    explain_with_meter: bool,
    pub compare: BatchStatus,
    /// One breakdown per trace of `compare`, in the same order.
    pub compare_breakdowns: Rc<Vec<Explained>>,
    pub sweep: BatchStatus,
    /// The sweep's computed limits, from its baseline's calibration (once the baseline ran).
    pub sweep_limits: Option<Result<Rc<Limits>, crate::engine::Error>>,
    /// The sweep of the traces so far, read against those limits.
    pub sweep_result: Option<Result<Rc<Sweep>, crate::engine::Error>>,
    /// Run the sequential model's chef on the main thread (the responsiveness lesson).
    pub main_thread: bool,
    /// What the responsiveness meter measured during the last run from the Run button.
    pub meter: Option<Rc<ResponsivenessReport>>,
    /// Each lesson run from "Claims you can check", by id: under way or its outcome.
    pub lessons: std::collections::BTreeMap<&'static str, LessonStatus>,
    /// The view the results side shows (a tab, a link, or what was last started: a run, a
    /// batch, a lesson). Links carry it.
    pub view: View,
    /// The lesson of [`View::Lessons`] a link opened or that was last run.
    pub lesson: Option<String>,
    /// Why the link the page was opened with (or moved to) could not be opened.
    pub link_error: Option<crate::engine::Error>,
}

/// A lesson run from the page.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonStatus {
    /// Under way; the run it is on, once it has started one.
    Running(Option<Step>),
    Done(Rc<LessonResult>),
    Failed(Error),
}

impl Default for AppState {
    fn default() -> Self {
        let preset = &presets::PRESETS[0];
        AppState {
            experiment: Rc::new(preset.experiment(Model::Parallel, 2)),
            preset: Some(preset.id),
            env: None,
            checked: None,
            lesson_plans: Rc::default(),
            lesson_caveats: Rc::default(),
            run: RunStatus::Idle,
            breakdown: None,
            explain_with_meter: false,
            compare: BatchStatus::Idle,
            compare_breakdowns: Rc::default(),
            sweep: BatchStatus::Idle,
            sweep_limits: None,
            sweep_result: None,
            main_thread: false,
            meter: None,
            lessons: Default::default(),
            view: View::default(),
            lesson: None,
            link_error: None,
        }
    }
}

impl AppState {
    /// The computed analysis of the dishes, when they are valid.
    pub fn analysis(&self) -> Option<&Rc<GraphAnalysis>> {
        match &self.checked {
            Some(Ok(checked)) => Some(&checked.analysis),
            _ => None,
        }
    }

    /// Why the dishes can't cook, when they can't.
    pub fn invalid(&self) -> Option<&crate::engine::Error> {
        self.checked.as_ref().and_then(|c| c.as_ref().err())
    }

    /// Validates and analyses the dishes, once the environment is known.
    fn check_dishes(&mut self) {
        self.checked = self.env.is_some().then(|| CheckedDishes::of(&self.experiment));
    }

    /// How many widths "Sweep chefs" runs: as many as the page has worker threads (the pool
    /// starts `Machine::threads_for(cores)`).
    pub fn sweep_widths(&self) -> usize {
        self.env.as_ref().map_or(0, |e| e.threads)
    }

    /// The cores the browser reports (1 before the probe).
    fn cores(&self) -> usize {
        self.env.as_ref().map_or(1, |e| e.hardware_concurrency)
    }

    /// Breaks `trace` down against its predicted schedule; `meter` is the report of the meter
    /// that watched it, whose frame times are on the trace's clock.
    fn explain(&self, trace: &Trace, meter: Option<&ResponsivenessReport>) -> Explained {
        let context = RunContext { cores: Some(self.cores()), frames_ms: meter.map(|m| m.frames_drawn_ms.as_slice()) };
        Breakdown::of(&self.experiment, trace, context).map(Rc::new)
    }

    /// The sweep so far (a baseline, then one trace per width), read against its limits,
    /// which are computed from the baseline's calibration when it arrives.
    fn update_sweep(&mut self) {
        let Some((baseline, runs)) = self.sweep.traces().and_then(|(traces, _)| traces.split_first()) else {
            self.sweep_limits = None;
            self.sweep_result = None;
            return;
        };
        let (baseline, runs) = (baseline.clone(), runs.to_vec());
        let cores = self.cores();
        if self.sweep_limits.is_none() {
            self.sweep_limits = Some(Limits::of(&self.experiment, &baseline.calibration, self.sweep_widths(), cores).map(Rc::new));
        }
        let runs = runs.iter().map(|t| &**t);
        self.sweep_result = Some(
            match &self.sweep_limits {
                Some(Ok(limits)) => Sweep::explained(&baseline, runs, cores, (**limits).clone()),
                _ => Sweep::of(&baseline, runs, cores),
            }
            .map(Rc::new),
        );
    }

    /// What a permalink to this page carries (engine::share).
    pub fn link_state(&self) -> LinkState {
        LinkState {
            experiment: (*self.experiment).clone(),
            main_thread: self.main_thread,
            view: self.view,
            lesson: self.lesson.clone(),
        }
    }

    /// Applies an opened link: its experiment, option and view; the preset, if its dishes are one.
    fn open_link(&mut self, link: LinkState) {
        let e = &link.experiment;
        self.preset = presets::PRESETS.iter().find(|p| p.experiment(e.model, e.chefs).tasks == e.tasks).map(|p| p.id);
        self.experiment = Rc::new(link.experiment);
        self.main_thread = link.main_thread;
        self.view = link.view;
        self.lesson = link.lesson;
        self.link_error = None;
        if let Some(env) = &self.env {
            // The same limits as when the environment was probed after the link.
            let e = Rc::make_mut(&mut self.experiment);
            e.chefs = e.chefs.min(env.threads.max(1));
            if env.threads == 0 && e.model.is_parallel() {
                e.model = Model::Concurrent;
            }
        }
        self.check_dishes();
    }

    pub fn running(&self) -> bool {
        self.run == RunStatus::Running
            || matches!(self.compare, BatchStatus::Running(_))
            || matches!(self.sweep, BatchStatus::Running(_))
            || self.lessons.values().any(|l| matches!(l, LessonStatus::Running(_)))
    }
}

pub enum Action {
    /// The person opened a view (a tab).
    ShowView(View),
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
    /// Replace the whole experiment with one already checked by [`CheckedDishes::of`] (an
    /// import of thousands of dishes is not validated twice).
    LoadChecked(Rc<Experiment>, Rc<CheckedDishes>),
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
    /// The single run ended with a trace, or could not go ahead.
    Finished(Result<Trace, Error>),
    /// Break the finished run down (sent in a task after `Finished`: with 20,000 dishes the
    /// simulation behind it is a long task of its own, issue 12).
    Explain,
    /// "Run all models" started.
    CompareStarted,
    /// One more run of the batch finished, with the meter's report on it.
    CompareProgress(Trace, Option<ResponsivenessReport>),
    /// "Run all models" ended (or was stopped, or failed).
    CompareFinished(Result<(), Error>),
    /// "Sweep chefs" started.
    SweepStarted,
    /// One more width of the sweep finished.
    SweepProgress(Trace),
    /// The sweep ended (or was stopped, or failed).
    SweepFinished(Result<(), Error>),
    /// The person chose whether the sequential chef cooks on the main thread.
    SetMainThread(bool),
    /// The responsiveness meter's report on the run that just ended.
    MeterReport(ResponsivenessReport),
    /// A lesson started.
    LessonStarted(&'static str),
    /// A lesson moved on to its next run.
    LessonStep(&'static str, Step),
    /// A lesson ended with a verdict, or without one (stopped, or it failed).
    LessonFinished(&'static str, Result<LessonResult, Error>),
    /// The page was opened with a permalink, or its fragment changed to one: the state it
    /// holds, or why it can't be opened (the kitchen then stays as it is).
    OpenLink(Result<LinkState, crate::engine::Error>),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        // Copied on write only: most actions leave the dishes alone.
        macro_rules! e {
            () => {
                Rc::make_mut(&mut next.experiment)
            };
        }
        match action {
            Action::ShowView(view) => next.view = view,
            Action::SetModel(model) => e!().model = model,
            Action::SetChefs(chefs) => e!().chefs = chefs.max(1),
            Action::SetYield(policy) => e!().yield_policy = policy,
            Action::LoadPreset(id) => {
                if let Some(p) = presets::find(id) {
                    let e = &next.experiment;
                    next.experiment = Rc::new(Experiment { yield_policy: e.yield_policy, ..p.experiment(e.model, e.chefs) });
                    next.preset = Some(p.id);
                    next.check_dishes();
                }
                return Rc::new(next);
            }
            Action::LoadExperiment(experiment) => next.experiment = Rc::new(experiment),
            Action::LoadChecked(experiment, checked) => {
                next.preset = None;
                next.experiment = experiment;
                next.checked = next.env.is_some().then_some(Ok(checked));
                return Rc::new(next);
            }
            Action::AddTask => {
                edit::add_task(e!());
            }
            Action::DuplicateTask(i) => edit::duplicate_task(e!(), i),
            Action::DeleteTask(i) => edit::delete_task(e!(), i),
            Action::MoveTask { from, to } => edit::move_task(e!(), from, to),
            Action::UpdateTask(i, task) => edit::update_task(e!(), i, task),
            Action::EnvProbed(env) => {
                // No worker threads (page not isolated): offer only what can run.
                let chefs = next.experiment.chefs.min(env.threads.max(1));
                if next.experiment.chefs != chefs {
                    Rc::make_mut(&mut next.experiment).chefs = chefs;
                }
                if env.threads == 0 && next.experiment.model.is_parallel() {
                    Rc::make_mut(&mut next.experiment).model = Model::Concurrent;
                }
                let machine = Machine::new(env.hardware_concurrency, env.threads);
                next.lesson_plans = Rc::new(LESSONS.iter().map(|lesson| lesson.plan(&machine)).collect());
                next.lesson_caveats = Rc::new(LESSONS.iter().map(|lesson| lesson.caveat(&machine)).collect());
                next.env = Some(env);
                next.check_dishes();
                return Rc::new(next);
            }
            Action::OpenLink(Ok(link)) => {
                next.open_link(link);
                return Rc::new(next);
            }
            Action::OpenLink(Err(e)) => next.link_error = Some(e),
            Action::Started => {
                // Run shows what it cooks, whichever view was open.
                (next.view, next.lesson) = (View::Results, None);
                next.run = RunStatus::Running;
                // The next report is this run's: an older one must not explain it.
                next.meter = None;
                next.breakdown = None;
            }
            Action::Finished(Ok(trace)) => {
                // Only a run from the Run button was metered (not a trace given to kitchen.show).
                next.explain_with_meter = self.run == RunStatus::Running;
                next.breakdown = None;
                next.run = RunStatus::Done(Rc::new(trace));
            }
            Action::Explain => {
                if let (RunStatus::Done(trace), None) = (&next.run, &next.breakdown) {
                    let meter = if next.explain_with_meter { next.meter.clone() } else { None };
                    next.breakdown = Some(next.explain(trace, meter.as_deref()));
                }
            }
            Action::Finished(Err(message)) => {
                next.breakdown = None;
                next.run = RunStatus::Failed(message);
            }
            Action::CompareStarted => {
                (next.view, next.lesson) = (View::Compare, None);
                next.compare = BatchStatus::Running(vec![]);
                next.compare_breakdowns = Rc::default();
            }
            Action::CompareProgress(trace, meter) => {
                let explained = next.explain(&trace, meter.as_ref());
                Rc::make_mut(&mut next.compare_breakdowns).push(explained);
                push(&mut next.compare, trace);
            }
            Action::CompareFinished(result) => finish(&mut next.compare, result),
            Action::SweepStarted => {
                (next.view, next.lesson) = (View::Sweep, None);
                next.sweep = BatchStatus::Running(vec![]);
                next.update_sweep();
            }
            Action::SweepProgress(trace) => {
                push(&mut next.sweep, trace);
                next.update_sweep();
            }
            Action::SweepFinished(result) => finish(&mut next.sweep, result),
            Action::SetMainThread(on) => next.main_thread = on,
            Action::MeterReport(report) => next.meter = Some(Rc::new(report)),
            Action::LessonStarted(id) => {
                (next.view, next.lesson) = (View::Lessons, Some(id.to_string()));
                next.lessons.insert(id, LessonStatus::Running(None));
            }
            Action::LessonStep(id, step) => {
                next.lessons.insert(id, LessonStatus::Running(Some(step)));
            }
            Action::LessonFinished(id, result) => {
                next.lessons.insert(id, result.map_or_else(LessonStatus::Failed, |r| LessonStatus::Done(Rc::new(r))));
            }
        }
        // The same `Rc` is the same experiment: no walk over 20,000 dishes to find that out.
        if Rc::ptr_eq(&self.experiment, &next.experiment) {
            return Rc::new(next);
        }
        if self.experiment.tasks != next.experiment.tasks {
            next.preset = None; // edited: no longer the preset's dishes
        }
        if self.experiment != next.experiment {
            next.check_dishes();
        }
        Rc::new(next)
    }
}

fn push(batch: &mut BatchStatus, trace: Trace) {
    if let BatchStatus::Running(traces) = batch {
        traces.push(Rc::new(trace));
    }
}

fn finish(batch: &mut BatchStatus, result: Result<(), Error>) {
    *batch = match (result, std::mem::replace(batch, BatchStatus::Idle)) {
        (Err(message), _) => BatchStatus::Failed(message),
        (Ok(()), BatchStatus::Running(traces)) => BatchStatus::Done(traces),
        (Ok(()), other) => other,
    };
}

