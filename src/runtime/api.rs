//! `window.kitchen`: the JavaScript API that embedding pages, tests and the console use.
//!
//! `env()` and `run(experiment)` return Promises; `progress()`, `stop()`, `analyse(experiment)`,
//! `simulate(experiment)` and `chromeTrace(trace)` answer at once. Values are plain objects in
//! the JSON formats of docs/format.md; errors are `Error`s whose message names the problem.
//! `run(experiment, { mainThread: true })` and `kitchen.meter` serve the responsiveness lesson
//! (`runtime::meter`).

use js_sys::{Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::{env, run};
use crate::engine::experiment::describe_parse_error;
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
        let trace: Trace = serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value))
            .map_err(|e| js_error(format!("not a trace: {}", describe_parse_error(&e))))?;
        Ok(to_js(&export::chrome_trace(&trace)))
    });
    method(&kitchen, "chromeTrace", chrome_trace.into_js_value());
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
    let _ = Reflect::set(&kitchen, &"meter".into(), &super::meter::api());
    let _ = Reflect::set(&kitchen, &"formatVersion".into(), &crate::engine::FORMAT_VERSION.into());
    if let Some(window) = web_sys::window() {
        let _ = Reflect::set(&window, &"kitchen".into(), &kitchen);
    }
}
