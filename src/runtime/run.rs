//! Running an experiment in the browser: validation, calibration, and the choice of where the
//! chefs work — the main thread (async, yielding to the event loop), or the workers of the
//! page's back-end (`super::backend`): threads sharing memory, or workers handed jobs by messages.

use std::cell::{OnceCell, RefCell};
use std::sync::Arc;

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::backend::{self, Backend, Chefs};
use super::clock::BrowserClock;
use super::dispatch::cook_by_messages;
use super::error::{Busy, Error, ErrorKind};
use super::meter;
use super::pool;
use super::timers::{sleep_ms, yield_to_event_loop};
use crate::engine::analysis::GraphAnalysis;
use crate::engine::clock::Clock;
use crate::engine::executor::{cook_on_current_pool, Control, Kitchen, STOP_CHECK_MS};
use crate::engine::responsiveness::ResponsivenessReport;
use crate::engine::schedule::Job;
use crate::engine::trace::Source;
use crate::engine::{Calibration, Experiment, Kernel, Model, Schedule, Setup, Trace};

/// The main thread's lane in traces.
const MAIN_LANE: usize = 0;
/// How long calibration measures each kernel, once per page load.
const CALIBRATION_MS: f64 = 150.0;
/// Most estimated cooking (`GraphAnalysis::work_ms`) a `mainThread` run may do: it freezes
/// the page that long, so a lesson must not become a tab frozen for minutes.
pub const MAIN_THREAD_MAX_WORK_MS: f64 = 3000.0;

/// How to run, beside the experiment itself: `kitchen.run(experiment, { mainThread: true })`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunOptions {
    /// Sequential model only: cook on the page's main thread instead of a worker, to see and
    /// measure a frozen page. Refused above [`MAIN_THREAD_MAX_WORK_MS`] of cooking.
    #[serde(default)]
    pub main_thread: bool,
}

/// Progress of the run under way, for `kitchen.progress()` and the UI.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    pub model: Model,
    pub tasks_done: usize,
    pub tasks_total: usize,
    pub elapsed_ms: f64,
}

struct ActiveRun {
    control: Arc<Control>,
    model: Model,
    total: usize,
    start_ms: f64,
}

thread_local! {
    static ACTIVE: RefCell<Option<ActiveRun>> = const { RefCell::new(None) };
    /// How many times Stop was asked for: a lesson between two runs has no active run to
    /// stop, so it compares this count instead (`runtime::lessons`).
    static STOPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// When the last run started, on [`BrowserClock`]: `run_metered` puts the meter's frame
    /// times on its trace's clock with it.
    static LAST_START: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
    static CALIBRATIONS: [OnceCell<Calibration>; Kernel::ALL.len()] =
        const { [const { OnceCell::new() }; Kernel::ALL.len()] };
    /// A calibration under way on a worker ([`calibrate_ahead`]), settled when it is done.
    static CALIBRATING: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// This page's calibration of `kernel`, measured on the main thread on first use.
pub fn calibrated(kernel: Kernel) -> Calibration {
    CALIBRATIONS.with(|c| *c[kernel.index()].get_or_init(|| Calibration::measure(kernel, &BrowserClock, CALIBRATION_MS)))
}

/// The calibrations this page has measured so far (each kernel's on its first use).
pub fn calibrations_so_far() -> Vec<Calibration> {
    CALIBRATIONS.with(|c| c.iter().filter_map(|cell| cell.get().copied()).collect())
}

/// Measures `kernel`'s calibration ahead of its first use on a thread of the shared-memory pool,
/// when the page has one: on the main thread it froze the page ~150 ms just as it became ready
/// (and held back every answer queued behind it, `kitchen.env()`'s included). Without a pool,
/// [`calibrated`] measures it on first use, as before. Runs wait for it
/// ([`calibrations_settled`]) so none shares the cores with a calibration.
pub async fn calibrate_ahead(kernel: Kernel) {
    calibrations_settled().await;
    if CALIBRATIONS.with(|c| c[kernel.index()].get().is_some()) {
        return;
    }
    let measuring = future_to_promise(async move {
        if backend::chefs().await.backend == Backend::SharedMemory {
            if let Ok(measured) = pool::on_worker(move || Calibration::measure(kernel, &BrowserClock, CALIBRATION_MS)).await {
                CALIBRATIONS.with(|c| {
                    let _ = c[kernel.index()].set(measured);
                });
            }
        }
        CALIBRATING.with(|c| c.borrow_mut().take());
        Ok(JsValue::UNDEFINED)
    });
    CALIBRATING.with(|c| *c.borrow_mut() = Some(measuring.clone()));
    let _ = JsFuture::from(measuring).await;
}

/// Waits for a calibration under way on a worker ([`calibrate_ahead`]).
pub async fn calibrations_settled() {
    let pending = CALIBRATING.with(|c| c.borrow().clone());
    if let Some(pending) = pending {
        let _ = JsFuture::from(pending).await;
    }
}

/// Every kernel's calibration, measured ahead on a worker where the page has a pool, else on
/// the main thread.
pub async fn calibrate_all_ahead() -> Vec<Calibration> {
    for kernel in Kernel::ALL {
        calibrate_ahead(kernel).await;
    }
    calibrate_all()
}

/// Every kernel's calibration, measuring those not yet measured (~150 ms each, main thread).
pub fn calibrate_all() -> Vec<Calibration> {
    Kernel::ALL.iter().map(|&k| calibrated(k)).collect()
}

pub fn progress() -> Option<Progress> {
    ACTIVE.with(|a| {
        a.borrow().as_ref().map(|run| Progress {
            model: run.model,
            tasks_done: run.control.tasks_done(),
            tasks_total: run.total,
            elapsed_ms: BrowserClock.now_ms() - run.start_ms,
        })
    })
}

/// Asks the run under way, if any, to stop. Returns whether there was one.
pub fn stop() -> bool {
    STOPS.with(|s| s.set(s.get() + 1));
    ACTIVE.with(|a| a.borrow().as_ref().map(|run| run.control.request_stop()).is_some())
}

/// How many times [`stop`] was called on this page.
pub fn stops_so_far() -> u64 {
    STOPS.with(|s| s.get())
}

/// Clears the active run when the run ends, however it ends.
struct ActiveGuard;
impl Drop for ActiveGuard {
    fn drop(&mut self) {
        ACTIVE.with(|a| a.borrow_mut().take());
    }
}

/// `experiment` validated with this page's calibration, ready to run or simulate.
pub fn set_up(experiment: &Experiment) -> Result<Setup, Error> {
    Ok(Setup::new(experiment, &calibrated)?)
}

/// Validates `experiment` with this page's calibration and analyses its graph: work, span,
/// critical path, available parallelism (computed, not measured).
pub fn analyse(experiment: &Experiment) -> Result<GraphAnalysis, Error> {
    Ok(set_up(experiment)?.analysis())
}

/// Predicts the schedule of `experiment` on a virtual clock; the trace says `simulated`.
pub fn simulate(experiment: &Experiment) -> Result<Trace, Error> {
    Ok(set_up(experiment)?.simulate())
}

/// Runs `experiment` for real and returns the measured trace, or says why it cannot run.
pub async fn run(experiment: Experiment) -> Result<Trace, Error> {
    run_with(experiment, RunOptions::default()).await
}

/// [`run_with`] inside the responsiveness meter: the trace, and what the meter saw of the
/// page's main thread meanwhile (an error when the meter could not finish, e.g. restarted).
/// The report's `frames_drawn_ms` are on the trace's clock: ms from the run's start.
pub async fn run_metered(experiment: Experiment, options: RunOptions) -> (Result<Trace, Error>, Result<ResponsivenessReport, Error>) {
    // Started before the run: a main-thread run may freeze the page from its very first turn.
    meter::start();
    LAST_START.with(|s| s.set(None));
    let result = run_with(experiment, options).await;
    let report = meter::stop().await.map(|mut report| {
        // The meter reads performance.now(); traces count from the run's start on the
        // BrowserClock (time origin + performance.now()).
        let origin = web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.time_origin());
        match LAST_START.with(|s| s.get()) {
            Some(start) => report.frames_drawn_ms.iter_mut().for_each(|t| *t += origin - start),
            None => report.frames_drawn_ms.clear(),
        }
        report
    });
    (result, report)
}

/// [`run`] with `options`.
pub async fn run_with(experiment: Experiment, options: RunOptions) -> Result<Trace, Error> {
    if ACTIVE.with(|a| a.borrow().is_some()) {
        return Err(Busy::Run.into());
    }
    // Calibrate only once the workers have started: starting them competes for the cores and
    // would make the kernel look slower than it is.
    let chefs = backend::chefs().await;
    calibrations_settled().await;
    let setup = set_up(&experiment)?;
    let place = if options.main_thread {
        check_main_thread(&setup)?;
        Place::MainThread
    } else {
        place_chefs(&setup, &chefs)?
    };

    let control = Control::new();
    let start_ms = BrowserClock.now_ms();
    LAST_START.with(|s| s.set(Some(start_ms)));
    let (model, total) = (setup.model, setup.plan.len());
    ACTIVE.with(|a| *a.borrow_mut() = Some(ActiveRun { control: control.clone(), model, total, start_ms }));
    let _clear = ActiveGuard;
    let schedule = setup.schedule(start_ms);
    match place {
        Place::MainThread => Ok(cook_on_main_thread(schedule, control).await),
        Place::SharedMemory => cook_on_workers(schedule, setup.chefs, control).await,
        Place::MessagePassing => cook_by_messages(schedule, setup.chefs, control).await,
    }
}

/// Where a run's chefs work.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Place {
    /// One chef on the page's main thread.
    MainThread,
    /// Threads of the rayon pool, sharing the page's memory.
    SharedMemory,
    /// Workers with their own memory, handed jobs by messages.
    MessagePassing,
}

/// Where the chefs work for `setup` with this page's `chefs`; errors when the model needs
/// more workers than this page has.
fn place_chefs(setup: &Setup, chefs: &Chefs) -> Result<Place, Error> {
    let model = setup.model;
    let on_workers = match chefs.backend {
        Backend::SharedMemory => Place::SharedMemory,
        Backend::MessagePassing => Place::MessagePassing,
        Backend::None => Place::MainThread,
    };
    match model {
        // One chef juggling on the main thread, yielding to the page between slices.
        Model::Concurrent => Ok(Place::MainThread),
        // On a worker when there is one, so the page stays usable; else on the main thread.
        Model::Sequential => Ok(on_workers),
        Model::Parallel | Model::ConcurrentParallel => {
            let threads = chefs.workers().map_err(|why| ErrorKind::ModelNeedsWorkers { model: model.name(), why: why.to_string() })?;
            if setup.chefs > threads {
                return Err(ErrorKind::TooManyChefs { chefs: setup.chefs, threads }.into());
            }
            Ok(on_workers)
        }
    }
}

/// Allows the `mainThread` option for the sequential model within [`MAIN_THREAD_MAX_WORK_MS`]
/// of cooking, else says what is wrong.
fn check_main_thread(setup: &Setup) -> Result<(), Error> {
    let model = setup.model;
    if model != Model::Sequential {
        return refuse(format!(
            "the mainThread option is only for the sequential model (one chef freezing the page on purpose); \
             the {} model cannot use it — drop the option or pick sequential",
            model.name()
        ));
    }
    let work_ms = setup.analysis().work_ms;
    if work_ms > MAIN_THREAD_MAX_WORK_MS {
        return refuse(format!(
            "mainThread: this experiment cooks for about {work_ms:.0} ms, over the {MAIN_THREAD_MAX_WORK_MS:.0} ms allowed \
             on the main thread (the page would freeze that long); use fewer or shorter dishes, or run it without mainThread"
        ));
    }
    Ok(())
}

fn refuse(why: String) -> Result<(), Error> {
    Err(ErrorKind::MainThreadRefused(why).into())
}

/// Chefs on `chefs` threads of the shared-memory pool; the main thread only awaits the
/// result, so it stays free.
async fn cook_on_workers(schedule: Schedule, chefs: usize, control: Arc<Control>) -> Result<Trace, Error> {
    let kitchen = Kitchen::new(schedule, control);
    pool::on_worker(move || {
        cook_on_current_pool(&kitchen, chefs, &BrowserClock);
        kitchen.into_schedule().into_trace(BrowserClock.now_ms(), Source::Measured)
    })
    .await
    .map_err(|_| ErrorKind::WorkerDropped("run").into())
}

/// One chef on the main thread. Its concurrency comes from not blocking: at every yield point
/// (a time slice ends, a dish starts simmering) it gives the event loop a turn, and it waits
/// with timers, not by blocking. Between yield points it blocks the page, as real
/// cooperative code does: with the `at_simmers` policy a long cook freezes it.
async fn cook_on_main_thread(mut schedule: Schedule, control: Arc<Control>) -> Trace {
    let clock = BrowserClock;
    loop {
        control.sync(&mut schedule);
        let now = clock.now_ms();
        match schedule.next_job(MAIN_LANE, now) {
            Job::Finished => break,
            Job::Idle { until } => sleep_ms(until.map_or(STOP_CHECK_MS, |t| (t - now).min(STOP_CHECK_MS))).await,
            Job::Cook { kernel, units, .. } => {
                let start = clock.now_ms();
                let checksum = kernel.run(units);
                let end = clock.now_ms();
                if schedule.cooked(MAIN_LANE, units, checksum, start, end) {
                    yield_to_event_loop().await;
                }
            }
            Job::Simmer { ms, .. } => {
                let until = now + ms;
                while clock.now_ms() < until && !control.stop_requested() {
                    sleep_ms((until - clock.now_ms()).min(STOP_CHECK_MS)).await;
                }
                schedule.simmered(MAIN_LANE, now, clock.now_ms());
            }
        }
    }
    schedule.into_trace(clock.now_ms(), Source::Measured)
}
