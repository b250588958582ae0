//! `window.kitchen`: the JavaScript API that embedding pages, tests and the console use.
//!
//! `env()` and `run(experiment)` return Promises; `progress()`, `stop()`, `analyse(experiment)`,
//! `simulate(experiment)`, `chromeTrace(trace)` and `show(trace)` answer at once. Values are plain objects in
//! the JSON formats of docs/format.md; errors are `Error`s whose message names the problem.
//! `run(experiment, { mainThread: true })` and `kitchen.meter` serve the responsiveness lesson
//! (`runtime::meter`). `lessons()` and `runLesson(id)` (a Promise) check the lessons' claims
//! (`runtime::lessons`).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::{env, run};
use crate::engine::{export, presets, Experiment, Model, Trace};

/// Converts an experiment given from JavaScript, naming the path of the first problem.
pub fn experiment_from_js(value: JsValue) -> Result<Experiment, String> {
    if !value.is_object() {
        return Err("run() takes an experiment object, e.g. {version: 1, model: \"parallel\", chefs: 2, tasks: [...]}".into());
    }
    // Through JSON text, not serde-wasm-bindgen: that reads only a struct's declared fields,
    // so a misspelt field would be ignored silently instead of rejected with its path.
    let text = js_sys::JSON::stringify(&value)
        .map_err(|e| format!("run() could not read the experiment: {}", super::describe_js_error(&e)))?;
    Experiment::from_json(&String::from(text))
}

/// Converts `run`'s optional second argument, e.g. `{ mainThread: true }`.
pub fn run_options_from_js(value: JsValue) -> Result<run::RunOptions, String> {
    const EXPECTED: &str = "expected { mainThread: true } or nothing";
    if value.is_undefined() || value.is_null() {
        return Ok(run::RunOptions::default());
    }
    let Some(object) = value.dyn_ref::<Object>().filter(|_| value.is_object()) else {
        return Err(format!("invalid run options, {EXPECTED}"));
    };
    // serde-wasm-bindgen reads only a struct's own fields, so a misspelt option would pass unseen.
    if let Some(key) = Object::keys(object).iter().filter_map(|k| k.as_string()).find(|k| k != "mainThread") {
        return Err(format!("invalid run options: unknown field `{key}`, {EXPECTED}"));
    }
    serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value))
        .map_err(|e| format!("invalid run options, {EXPECTED}: {}", e.inner()))
}

pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

fn js_error(message: String) -> JsValue {
    js_sys::Error::new(&message).into()
}

// --- timeline: kitchen.show(trace) ---
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

/// Reads a trace given from JavaScript to `kitchen.<call>()`, naming the path of the first problem.
pub fn trace_from_js(value: JsValue, call: &str) -> Result<Trace, String> {
    if !value.is_object() {
        return Err(format!("{call}() takes a trace object (docs/format.md), e.g. the result of kitchen.run()"));
    }
    let trace: Trace = serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." { String::new() } else { format!(" at `{path}`") };
        // serde-wasm-bindgen's errors are JS Errors, whose text starts "Error: ".
        let inner = e.inner().to_string();
        format!("not a trace{at}: {}", inner.strip_prefix("Error: ").unwrap_or(&inner))
    })?;
    check_trace(&trace).map_err(|e| format!("not a trace: {e}"))?;
    Ok(trace)
}

/// What the format promises beyond its types: a known version, finite times, spans that end
/// after they start.
fn check_trace(trace: &Trace) -> Result<(), String> {
    if trace.version != crate::engine::FORMAT_VERSION {
        return Err(format!("unknown version {} (this page reads version {})", trace.version, crate::engine::FORMAT_VERSION));
    }
    if !(trace.wall_ms.is_finite() && trace.wall_ms >= 0.0) {
        return Err(format!("`wall_ms` must be a time ≥ 0, got {}", trace.wall_ms));
    }
    let bad = |s: f64, e: f64| !(s.is_finite() && e.is_finite() && s >= 0.0 && e >= s);
    if let Some((i, s)) = trace.spans.iter().enumerate().find(|(_, s)| bad(s.start_ms, s.end_ms)) {
        return Err(format!("`spans[{i}]` must have 0 ≤ start_ms ≤ end_ms, got {} to {}", s.start_ms, s.end_ms));
    }
    if let Some((i, t)) = trace.tasks.iter().enumerate().find(|(_, t)| bad(t.start_ms, t.end_ms)) {
        return Err(format!("`tasks[{i}]` must have 0 ≤ start_ms ≤ end_ms, got {} to {}", t.start_ms, t.end_ms));
    }
    Ok(())
}

/// `kitchen.show(trace)`: displays `trace` in the results view, as if a run had measured it.
fn show(value: JsValue) -> Result<(), String> {
    let trace = trace_from_js(value, "show")?;
    if run::progress().is_some() {
        return Err("a run is in progress; show() would hide its result — wait for it or stop it".into());
    }
    let hook = SHOW_HOOK.with(|h| h.borrow().clone()).ok_or("no view to show the trace in (the page's UI is not mounted)")?;
    hook(trace);
    Ok(())
}
// --- end timeline ---

fn method(target: &Object, name: &str, f: JsValue) {
    let _ = Reflect::set(target, &name.into(), &f);
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

/// Installs `window.kitchen`.
pub fn install() {
    let kitchen = Object::new();
    let env = Closure::<dyn Fn() -> Promise>::new(|| future_to_promise(async { Ok(to_js(&env::probe().await)) }));
    method(&kitchen, "env", env.into_js_value());
    let run = Closure::<dyn Fn(JsValue, JsValue) -> Promise>::new(|value: JsValue, options: JsValue| {
        future_to_promise(async move {
            let experiment = experiment_from_js(value).map_err(js_error)?;
            let options = run_options_from_js(options).map_err(js_error)?;
            run::run_with(experiment, options).await.map(|trace| to_js(&trace)).map_err(js_error)
        })
    });
    method(&kitchen, "run", run.into_js_value());
    let analyse = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|value: JsValue| {
        let experiment = experiment_from_js(value).map_err(js_error)?;
        run::analyse(&experiment).map(|a| to_js(&a)).map_err(js_error)
    });
    method(&kitchen, "analyse", analyse.into_js_value());
    let simulate = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|value: JsValue| {
        let experiment = experiment_from_js(value).map_err(js_error)?;
        run::simulate(&experiment).map(|t| to_js(&t)).map_err(js_error)
    });
    method(&kitchen, "simulate", simulate.into_js_value());
    let chrome_trace = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|value: JsValue| {
        let trace = trace_from_js(value, "chromeTrace").map_err(js_error)?;
        Ok(to_js(&export::chrome_trace(&trace)))
    });
    method(&kitchen, "chromeTrace", chrome_trace.into_js_value());
    // kitchen.sweep(baseline, traces, cores?): the engine's speedup table (docs/format.md, "Sweep").
    let sweep = Closure::<dyn Fn(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>::new(
        |baseline: JsValue, traces: JsValue, cores: JsValue| {
            let baseline = trace_from_js(baseline, "sweep").map_err(|e| js_error(format!("baseline: {e}")))?;
            let traces = traces.dyn_into::<js_sys::Array>().map_err(|_| {
                js_error("sweep() takes a baseline trace and an array of traces, one per width".into())
            })?;
            let traces = (traces.iter().enumerate())
                .map(|(i, t)| trace_from_js(t, "sweep").map_err(|e| js_error(format!("traces[{i}]: {e}"))))
                .collect::<Result<Vec<_>, _>>()?;
            let cores = match cores.as_f64() {
                None if cores.is_undefined() || cores.is_null() => super::pool::hardware_concurrency(),
                Some(n) if n >= 1.0 && n.fract() == 0.0 => n as usize,
                _ => return Err(js_error("sweep()'s cores, when given, must be a whole number ≥ 1".into())),
            };
            let sweep = crate::engine::sweep::Sweep::of(&baseline, &traces, cores).map_err(|e| js_error(e.to_string()))?;
            Ok(to_js(&sweep))
        },
    );
    method(&kitchen, "sweep", sweep.into_js_value());
    let show = Closure::<dyn Fn(JsValue) -> Result<(), JsValue>>::new(|value: JsValue| show(value).map_err(js_error));
    method(&kitchen, "show", show.into_js_value());
    let calibrate = Closure::<dyn Fn() -> Promise>::new(|| {
        future_to_promise(async {
            // After the workers start, so their start-up does not slow the measurement.
            let _ = super::pool::ready().await;
            Ok(to_js(&run::calibrate_all()))
        })
    });
    method(&kitchen, "calibrate", calibrate.into_js_value());
    let presets = Closure::<dyn Fn() -> JsValue>::new(|| to_js(&presets_for_js()));
    method(&kitchen, "presets", presets.into_js_value());
    let stop = Closure::<dyn Fn() -> bool>::new(run::stop);
    method(&kitchen, "stop", stop.into_js_value());
    let progress = Closure::<dyn Fn() -> JsValue>::new(|| to_js(&run::progress()));
    method(&kitchen, "progress", progress.into_js_value());
    install_lessons(&kitchen);
    let _ = Reflect::set(&kitchen, &"meter".into(), &super::meter::api());
    let _ = Reflect::set(&kitchen, &"formatVersion".into(), &crate::engine::FORMAT_VERSION.into());
    if let Some(window) = web_sys::window() {
        let _ = Reflect::set(&window, &"kitchen".into(), &kitchen);
    }
}

// --- lessons ---
/// A lesson as `kitchen.lessons()` lists it.
#[derive(Serialize)]
struct LessonForJs {
    number: u32,
    id: &'static str,
    title: &'static str,
    claim: &'static str,
    measures: crate::engine::lessons::Measures,
}

/// `kitchen.lessons()` and `kitchen.runLesson(id)` (docs/format.md, "Lessons").
fn install_lessons(kitchen: &Object) {
    let list = Closure::<dyn Fn() -> JsValue>::new(|| {
        let lessons: Vec<LessonForJs> = crate::engine::lessons::LESSONS
            .iter()
            .map(|l| LessonForJs { number: l.number, id: l.id, title: l.title, claim: l.claim, measures: l.measures })
            .collect();
        to_js(&lessons)
    });
    method(kitchen, "lessons", list.into_js_value());
    let run_lesson = Closure::<dyn Fn(JsValue) -> Promise>::new(|id: JsValue| {
        future_to_promise(async move {
            let id = id.as_string().ok_or_else(|| js_error("runLesson() takes a lesson id, e.g. \"oven\" (see kitchen.lessons())".into()))?;
            super::lessons::run_lesson(&id, &|_| ()).await.map(|r| to_js(&r)).map_err(js_error)
        })
    });
    method(kitchen, "runLesson", run_lesson.into_js_value());
}
// --- end lessons ---
