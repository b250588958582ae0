//! `window.kitchen`: the JavaScript API that embedding pages, tests and the console use.
//!
//! `env()`, `run(experiment, options?)`, `calibrate()`, `runLesson(id)` and `meter.stop()`
//! return Promises; the others (`analyse`, `simulate`, `breakdown`, `chromeTrace`, `sweep`, `show`,
//! `presets`, `lessons`, `progress`, `stop`) answer at once. Values are plain objects in the JSON formats
//! of docs/format.md; errors are `Error`s whose message names the problem. Conversions to and
//! from JavaScript are in [`super::js`]; this module only wires calls to the runtime.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::error::{Busy, Error, ErrorKind};
use super::js::{experiment_from_js, lesson_id_from_js, run_options_from_js, to_js, to_js_error, trace_from_js};
use super::{env, lessons, meter, pool, run};
use crate::engine::lessons::{Measures, LESSONS};
use crate::engine::breakdown::{Breakdown, RunContext};
use crate::engine::sweep::{Limits, Sweep};
use crate::engine::{export, presets, Experiment, Model, Trace};

thread_local! {
    /// Where `kitchen.show` hands a trace: the UI registers this, as the runtime must not
    /// depend on the UI.
    static SHOW_HOOK: RefCell<Option<Rc<dyn Fn(Trace)>>> = const { RefCell::new(None) };
}

/// Makes `kitchen.show(trace)` give the trace to `hook` (the UI shows it as the result).
pub fn set_show_hook(hook: Box<dyn Fn(Trace)>) {
    SHOW_HOOK.with(|h| *h.borrow_mut() = Some(Rc::from(hook)));
}

/// Removes the hook: `kitchen.show` then says there is no view.
pub fn clear_show_hook() {
    SHOW_HOOK.with(|h| h.borrow_mut().take());
}

/// `kitchen.show(trace)`: displays `trace` in the results view, as if a run had measured it.
fn show(value: JsValue) -> Result<(), Error> {
    let trace = trace_from_js(value, "show")?;
    if run::progress().is_some() {
        return Err(Busy::Showing.into());
    }
    let hook = SHOW_HOOK.with(|h| h.borrow().clone()).ok_or(ErrorKind::NoView)?;
    hook(trace);
    Ok(())
}

/// A preset as `kitchen.presets()` lists it: its dishes as a ready-to-run experiment.
#[derive(Serialize)]
struct PresetForJs {
    id: &'static str,
    title: &'static str,
    about: &'static str,
    experiment: Experiment,
}

fn presets_for_js() -> Vec<PresetForJs> {
    presets::PRESETS
        .iter()
        .map(|p| PresetForJs { id: p.id, title: p.title, about: p.about, experiment: p.experiment(Model::Parallel, 2) })
        .collect()
}

/// A lesson as `kitchen.lessons()` lists it (docs/format.md, "Lessons").
#[derive(Serialize)]
struct LessonForJs {
    number: u32,
    id: &'static str,
    title: &'static str,
    claim: &'static str,
    measures: Measures,
    /// What to know before running it on this machine, when the claim cannot show in full here.
    #[serde(skip_serializing_if = "Option::is_none")]
    caveat: Option<String>,
    /// Why it cannot run on this page at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    unavailable: Option<String>,
}

/// The lessons, with this machine's caveats once the page knows its workers (after
/// `kitchen.env()` has answered); before that, without them.
fn lessons_for_js() -> Vec<LessonForJs> {
    let machine = lessons::machine_if_known();
    LESSONS
        .iter()
        .map(|l| LessonForJs {
            number: l.number,
            id: l.id,
            title: l.title,
            claim: l.claim,
            measures: l.measures,
            caveat: machine.as_ref().and_then(|m| l.caveat(m)),
            unavailable: machine.as_ref().and_then(|m| l.plan(m).err()),
        })
        .collect()
}

/// `kitchen.sweep(baseline, traces, cores?, experiment?)`: the engine's sweep of measured
/// traces; `cores` defaults to the cores this browser reports. With the experiment the traces
/// ran, the sweep is read against its computed limits (`explained`).
fn sweep_from_js(baseline: JsValue, traces: JsValue, cores: JsValue, experiment: JsValue) -> Result<Sweep, Error> {
    let in_sweep = |what: String, e: Error| ErrorKind::BadArgument(format!("{what}: {e}"));
    let baseline = trace_from_js(baseline, "sweep").map_err(|e| in_sweep("baseline".into(), e))?;
    let traces = traces
        .dyn_into::<js_sys::Array>()
        .map_err(|_| ErrorKind::BadArgument("sweep() takes a baseline trace and an array of traces, one per width".into()))?;
    let traces = (traces.iter().enumerate())
        .map(|(i, t)| trace_from_js(t, "sweep").map_err(|e| in_sweep(format!("traces[{i}]"), e)))
        .collect::<Result<Vec<_>, _>>()?;
    let cores = cores_from_js(cores, "sweep")?;
    if experiment.is_undefined() || experiment.is_null() {
        return Ok(Sweep::of(&baseline, &traces, cores)?);
    }
    let experiment = experiment_from_js(experiment).map_err(|e| in_sweep("experiment".into(), e))?;
    let widest = traces.iter().map(|t| t.chefs).max().unwrap_or(0);
    let limits = Limits::of(&experiment, &baseline.calibration, widest, cores)?;
    Ok(Sweep::explained(&baseline, &traces, cores, limits)?)
}

/// A `cores` argument: a whole number ≥ 1, or absent for the cores this browser reports.
fn cores_from_js(cores: JsValue, call: &str) -> Result<usize, Error> {
    match cores.as_f64() {
        None if cores.is_undefined() || cores.is_null() => Ok(pool::hardware_concurrency()),
        Some(n) if n >= 1.0 && n.fract() == 0.0 => Ok(n as usize),
        _ => Err(ErrorKind::BadArgument(format!("{call}()'s cores, when given, must be a whole number ≥ 1")).into()),
    }
}

/// `kitchen.breakdown(experiment, trace, cores?)`: where the trace's wall time went, against
/// the schedule predicted for the experiment's dishes, on `cores` stoves (default: the cores
/// this browser reports, as the page's results use) — docs/format.md, "Breakdown".
fn breakdown_from_js(experiment: JsValue, trace: JsValue, cores: JsValue) -> Result<Breakdown, Error> {
    let experiment = experiment_from_js(experiment)?;
    let trace = trace_from_js(trace, "breakdown")?;
    let cores = Some(cores_from_js(cores, "breakdown")?);
    Ok(Breakdown::of(&experiment, &trace, RunContext { cores, frames_ms: None })?)
}

/// Sets `target[name]` to `f`.
fn method(target: &Object, name: &str, f: JsValue) {
    let _ = Reflect::set(target, &name.into(), &f);
}

/// A JS Promise of `work`'s value, rejected with an `Error` carrying its message.
fn promise<T: Serialize>(work: impl std::future::Future<Output = Result<T, Error>> + 'static) -> Promise {
    future_to_promise(async move { work.await.map(|value| to_js(&value)).map_err(to_js_error) })
}

/// Installs `window.kitchen`.
pub fn install() {
    let kitchen = Object::new();
    let env = Closure::<dyn Fn() -> Promise>::new(|| promise(async { Ok::<_, Error>(env::probe().await) }));
    method(&kitchen, "env", env.into_js_value());
    let run = Closure::<dyn Fn(JsValue, JsValue) -> Promise>::new(|value: JsValue, options: JsValue| {
        promise(async move { run::run_with(experiment_from_js(value)?, run_options_from_js(options)?).await })
    });
    method(&kitchen, "run", run.into_js_value());
    let analyse = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|value: JsValue| {
        let analysis = experiment_from_js(value).and_then(|e| run::analyse(&e)).map_err(to_js_error)?;
        Ok(to_js(&analysis))
    });
    method(&kitchen, "analyse", analyse.into_js_value());
    let simulate = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|value: JsValue| {
        let trace = experiment_from_js(value).and_then(|e| run::simulate(&e)).map_err(to_js_error)?;
        Ok(to_js(&trace))
    });
    method(&kitchen, "simulate", simulate.into_js_value());
    let chrome_trace = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|value: JsValue| {
        let trace = trace_from_js(value, "chromeTrace").map_err(to_js_error)?;
        Ok(to_js(&export::chrome_trace(&trace)))
    });
    method(&kitchen, "chromeTrace", chrome_trace.into_js_value());
    let show = Closure::<dyn Fn(JsValue) -> Result<(), JsValue>>::new(|value: JsValue| show(value).map_err(to_js_error));
    // kitchen.sweep(baseline, traces, cores?, experiment?): the engine's speedup table (docs/format.md, "Sweep").
    let sweep = Closure::<dyn Fn(JsValue, JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>::new(
        |baseline: JsValue, traces: JsValue, cores: JsValue, experiment: JsValue| {
            sweep_from_js(baseline, traces, cores, experiment).map(|s| to_js(&s)).map_err(to_js_error)
        },
    );
    method(&kitchen, "sweep", sweep.into_js_value());
    let breakdown = Closure::<dyn Fn(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>::new(
        |experiment: JsValue, trace: JsValue, cores: JsValue| {
            breakdown_from_js(experiment, trace, cores).map(|b| to_js(&b)).map_err(to_js_error)
        },
    );
    method(&kitchen, "breakdown", breakdown.into_js_value());
    method(&kitchen, "show", show.into_js_value());
    let calibrate = Closure::<dyn Fn() -> Promise>::new(|| {
        promise(async {
            // After the workers start, so their start-up does not slow the measurement.
            let _ = super::backend::chefs().await;
            Ok::<_, Error>(run::calibrate_all_ahead().await)
        })
    });
    method(&kitchen, "calibrate", calibrate.into_js_value());
    let presets = Closure::<dyn Fn() -> JsValue>::new(|| to_js(&presets_for_js()));
    method(&kitchen, "presets", presets.into_js_value());
    let stop = Closure::<dyn Fn() -> bool>::new(run::stop);
    method(&kitchen, "stop", stop.into_js_value());
    let progress = Closure::<dyn Fn() -> JsValue>::new(|| to_js(&run::progress()));
    method(&kitchen, "progress", progress.into_js_value());
    let list = Closure::<dyn Fn() -> JsValue>::new(|| to_js(&lessons_for_js()));
    method(&kitchen, "lessons", list.into_js_value());
    let run_lesson = Closure::<dyn Fn(JsValue) -> Promise>::new(|id: JsValue| {
        promise(async move { lessons::run_lesson(&lesson_id_from_js(id)?, &|_| ()).await })
    });
    method(&kitchen, "runLesson", run_lesson.into_js_value());
    let _ = Reflect::set(&kitchen, &"meter".into(), &meter_api());
    let _ = Reflect::set(&kitchen, &"formatVersion".into(), &crate::engine::FORMAT_VERSION.into());
    if let Some(window) = web_sys::window() {
        let _ = Reflect::set(&window, &"kitchen".into(), &kitchen);
    }
}

/// `kitchen.meter`: `start()`, `stop()` → Promise of the report, `running()`.
fn meter_api() -> Object {
    let api = Object::new();
    let start = Closure::<dyn Fn()>::new(meter::start);
    let stop = Closure::<dyn Fn() -> Promise>::new(|| promise(meter::stop()));
    let running = Closure::<dyn Fn() -> bool>::new(meter::running);
    for (name, f) in [("start", start.into_js_value()), ("stop", stop.into_js_value()), ("running", running.into_js_value())] {
        method(&api, name, f);
    }
    api
}
