//! Running a lesson in the browser: the engine plans the runs for this machine, this module
//! runs each one for real and hands what it measured back to the engine for the verdict.
//!
//! - Kitchen runs go through [`run::run_with`], one after another, in plan order; runs the
//!   plan marks `main_thread` cook on the page's main thread.
//! - What a lesson needs is decided by the engine's [`Measures`](lessons::Measures): one whose
//!   `needs_meter()` ("Blocking the pass") has each run wrapped in the responsiveness meter,
//!   its longest main-thread gap passed to the engine; the one whose `is_race_demo()` ("Shared
//!   counters and crossed locks") runs the race demo on a worker thread instead: it blocks its
//!   threads, which the page's main thread may not do.
//!
//! Stop ([`run::stop`], the page's Stop button, `kitchen.stop()`) ends the lesson with
//! [`ErrorKind::Stopped`]: a stopped run has no meaning for the verdict.

use std::cell::Cell;

use serde::Serialize;

use super::clock::BrowserClock;
use super::error::{Busy, Error, ErrorKind};
use super::{backend, pool, run};
use crate::engine::lessons::race::{self, RacePlan, RaceReport};
use crate::engine::lessons::{self, Lesson, Machine, ResponsivenessSample, RunSpec, Verdict};
use crate::engine::{Model, Trace};

/// What `kitchen.runLesson(id)` resolves with.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LessonResult {
    /// Computed by the engine from what was measured, never canned.
    pub verdict: Verdict,
    /// The kitchen runs, in plan order (none for the race demo).
    pub runs: Vec<RunSummary>,
}

/// One measured run of a lesson.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSummary {
    pub label: String,
    pub model: Model,
    pub chefs: usize,
    pub wall_ms: f64,
}

/// Where a lesson is, for a progress line: about to start run `index` (0-based) of `total`.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub index: usize,
    pub total: usize,
    pub label: String,
}

thread_local! {
    /// One lesson at a time: two would share the pool and spoil each other's timings.
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// Clears [`RUNNING`] however the lesson ends.
struct RunningGuard;
impl Drop for RunningGuard {
    fn drop(&mut self) {
        RUNNING.with(|r| r.set(false));
    }
}

/// This page as the lessons see it: the cores the browser reports and the workers it started
/// in either back-end (0 when none could start).
pub async fn machine() -> Machine {
    let threads = backend::chefs().await.workers().unwrap_or(0);
    Machine::new(pool::hardware_concurrency(), threads)
}

/// [`machine`] without waiting: `None` while the back-end is still being chosen.
pub fn machine_if_known() -> Option<Machine> {
    let threads = backend::chefs_if_decided()?.workers().unwrap_or(0);
    Some(Machine::new(pool::hardware_concurrency(), threads))
}

/// The lesson with `id`, or an error listing the ids there are.
pub fn find(id: &str) -> Result<&'static Lesson, Error> {
    lessons::find(id).ok_or_else(|| {
        let ids: Vec<&str> = lessons::LESSONS.iter().map(|l| l.id).collect();
        ErrorKind::UnknownLesson { id: id.to_string(), known: ids.join(", ") }.into()
    })
}

/// Runs the lesson `id` for real and returns the engine's verdict on it, calling `on_step`
/// before each run. Errors: an unknown id, a lesson this page cannot run (and why), another
/// lesson or run under way, a failed run, or [`ErrorKind::Stopped`].
pub async fn run_lesson(id: &str, on_step: &dyn Fn(Step)) -> Result<LessonResult, Error> {
    let lesson = find(id)?;
    if RUNNING.with(|r| r.replace(true)) {
        return Err(Busy::Lesson.into());
    }
    let _clear = RunningGuard;
    if run::progress().is_some() {
        return Err(Busy::Run.into());
    }
    let machine = machine().await;
    let specs = lesson.plan(&machine).map_err(|why| ErrorKind::LessonUnavailable { title: lesson.title, why })?;
    let stops = run::stops_so_far();
    if lesson.measures.is_race_demo() {
        on_step(Step { index: 0, total: 1, label: "racing chefs on worker threads".into() });
        let report = race_on_worker(lesson, &machine).await?;
        check_not_stopped(stops)?;
        return Ok(LessonResult { verdict: race::verdict(&report), runs: Vec::new() });
    }
    let metered = lesson.measures.needs_meter();
    let (traces, samples) = run_specs(&specs, metered, stops, on_step).await?;
    let verdict = lesson.verdict_with_responsiveness(&machine, &traces, &samples);
    let runs = specs.iter().zip(&traces).map(|(s, t)| summary(s, t)).collect();
    Ok(LessonResult { verdict, runs })
}

/// Runs `specs` in order; with `metered`, measures the page's longest gap during each.
async fn run_specs(
    specs: &[RunSpec],
    metered: bool,
    stops: u64,
    on_step: &dyn Fn(Step),
) -> Result<(Vec<Trace>, Vec<ResponsivenessSample>), Error> {
    // Calibrate up front: calibrating measures on the main thread, and inside a metered run
    // it would look like the run's own freeze.
    for spec in specs {
        run::analyse(&spec.experiment)?;
    }
    let (mut traces, mut samples) = (Vec::new(), Vec::new());
    for (index, spec) in specs.iter().enumerate() {
        check_not_stopped(stops)?;
        on_step(Step { index, total: specs.len(), label: spec.label.clone() });
        let (trace, sample) = run_one(spec, metered).await?;
        if trace.stopped {
            return Err(ErrorKind::Stopped.into());
        }
        traces.push(trace);
        samples.extend(sample);
    }
    check_not_stopped(stops)?;
    Ok((traces, samples))
}

/// One run of the plan, with the meter around it when `metered`.
async fn run_one(spec: &RunSpec, metered: bool) -> Result<(Trace, Option<ResponsivenessSample>), Error> {
    // The `mainThread` option exists for the sequential model only; the juggling chef cooks
    // on the main thread anyway.
    let options = run::RunOptions { main_thread: spec.main_thread && spec.experiment.model == Model::Sequential };
    if !metered {
        return Ok((run::run_with(spec.experiment.clone(), options).await?, None));
    }
    let (result, report) = run::run_metered(spec.experiment.clone(), options).await;
    let trace = result?;
    let sample = ResponsivenessSample { longest_gap_ms: report?.longest_gap_ms };
    Ok((trace, Some(sample)))
}

/// The race demo on a worker: it blocks its threads (spins, sleeps, locks), so the main thread
/// only awaits its report.
async fn race_on_worker(lesson: &Lesson, machine: &Machine) -> Result<RaceReport, Error> {
    // Its counters and locks live in one memory that every thread changes: workers with their
    // own memory, talking by messages, cannot race on it.
    backend::chefs().await.need_shared_memory("the race demo").map_err(|e| ErrorKind::LessonUnavailable { title: lesson.title, why: e.to_string() })?;
    let plan = RacePlan::for_machine(machine).map_err(|why| ErrorKind::LessonUnavailable { title: lesson.title, why })?;
    let report = pool::on_worker(move || race::run_demo(&plan, &race::CurrentPool, &BrowserClock))
        .await
        .map_err(|_| ErrorKind::WorkerDropped("race demo"))?;
    report.map_err(|e| ErrorKind::RaceDemo(e.to_string()).into())
}

/// Errors with [`ErrorKind::Stopped`] when Stop was pressed since `stops` was read.
fn check_not_stopped(stops: u64) -> Result<(), Error> {
    if run::stops_so_far() != stops {
        return Err(ErrorKind::Stopped.into());
    }
    Ok(())
}

fn summary(spec: &RunSpec, trace: &Trace) -> RunSummary {
    RunSummary { label: spec.label.clone(), model: trace.model, chefs: trace.chefs, wall_ms: trace.wall_ms }
}
