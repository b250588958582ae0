//! Conversions between JavaScript values and the runtime's types, in one place: experiments,
//! traces and run options in, any serialisable value out, errors out as `Error` objects.
//! `api` (window.kitchen) uses these; nothing else in the runtime touches `JsValue` shapes.

use js_sys::Object;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use super::error::{Error, ErrorKind};
use super::run::RunOptions;
use crate::engine::{self, Experiment, Trace};

/// Any serialisable value as a plain JS object (maps as objects, not `Map`s).
pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

/// An error as a JS `Error` whose message names the problem.
pub fn to_js_error(error: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&error.to_string()).into()
}

/// A readable message from a JavaScript exception or rejection value.
pub fn describe_js_error(value: &JsValue) -> String {
    match value.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => value.as_string().unwrap_or_else(|| format!("{value:?}")),
    }
}

/// Converts an experiment given from JavaScript, naming the path of the first problem.
pub fn experiment_from_js(value: JsValue) -> Result<Experiment, Error> {
    if !value.is_object() {
        return Err(bad("run() takes an experiment object, e.g. {version: 1, model: \"parallel\", chefs: 2, tasks: [...]}"));
    }
    // Through JSON text, not serde-wasm-bindgen: that reads only a struct's declared fields,
    // so a misspelt field would be ignored silently instead of rejected with its path.
    let text = js_sys::JSON::stringify(&value)
        .map_err(|e| bad(format!("run() could not read the experiment: {}", describe_js_error(&e))))?;
    Ok(Experiment::from_json(&String::from(text))?)
}

/// Converts `run`'s optional second argument, e.g. `{ mainThread: true }`.
pub fn run_options_from_js(value: JsValue) -> Result<RunOptions, Error> {
    const EXPECTED: &str = "expected { mainThread: true } or nothing";
    if value.is_undefined() || value.is_null() {
        return Ok(RunOptions::default());
    }
    let Some(object) = value.dyn_ref::<Object>().filter(|_| value.is_object()) else {
        return Err(bad(format!("invalid run options, {EXPECTED}")));
    };
    // serde-wasm-bindgen reads only a struct's own fields, so a misspelt option would pass unseen.
    if let Some(key) = Object::keys(object).iter().filter_map(|k| k.as_string()).find(|k| k != "mainThread") {
        return Err(bad(format!("invalid run options: unknown field `{key}`, {EXPECTED}")));
    }
    serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value))
        .map_err(|e| bad(format!("invalid run options, {EXPECTED}: {}", e.inner())))
}

/// Reads a trace given from JavaScript to `kitchen.<call>()`, naming the path of the first
/// problem, and checks it as the engine checks every outside trace ([`Trace::check`]).
pub fn trace_from_js(value: JsValue, call: &str) -> Result<Trace, Error> {
    if !value.is_object() {
        return Err(bad(format!("{call}() takes a trace object (docs/format.md), e.g. the result of kitchen.run()")));
    }
    // Fast path: the trace as JSON text, read by serde_json. Walking a 40,000-span object
    // property by property through serde-wasm-bindgen took 300 ms (issue 12). Anything that
    // path refuses is read again the old way, so a bad trace gets the same message as before.
    if let Some(trace) = js_sys::JSON::stringify(&value).ok().and_then(|t| t.as_string()).and_then(|t| serde_json::from_str::<Trace>(&t).ok()) {
        trace.check()?;
        return Ok(trace);
    }
    let trace: Trace = serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| {
        let path = e.path().to_string();
        // serde-wasm-bindgen's errors are JS Errors, whose text starts "Error: ".
        let inner = e.inner().to_string();
        let problem = inner.strip_prefix("Error: ").unwrap_or(&inner).to_string();
        engine::Error::from(engine::ErrorKind::InvalidTrace { path: (path != ".").then_some(path), problem })
    })?;
    trace.check()?;
    Ok(trace)
}

/// A lesson id given from JavaScript.
pub fn lesson_id_from_js(value: JsValue) -> Result<String, Error> {
    value.as_string().ok_or_else(|| bad("runLesson() takes a lesson id, e.g. \"oven\" (see kitchen.lessons())"))
}

fn bad(message: impl Into<String>) -> Error {
    ErrorKind::BadArgument(message.into()).into()
}
