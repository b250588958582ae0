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
///
/// Through JSON text, both ways: serde_json already reads files and links, and a second serde
/// back-end (serde-wasm-bindgen) compiled every type's (de)serialiser twice into the page. It
/// is faster too for big traces: one `JSON.parse` instead of a JS call per field.
pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value).ok().and_then(|text| js_sys::JSON::parse(&text).ok()).unwrap_or(JsValue::NULL)
}

/// `JSON.stringify(value)`, or why it cannot be (a cycle, a BigInt).
pub fn json_text(value: &JsValue) -> Result<String, String> {
    match js_sys::JSON::stringify(value) {
        Ok(text) => text.as_string().ok_or_else(|| "it has no JSON form".to_string()),
        Err(e) => Err(describe_js_error(&e)),
    }
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
    let text = json_text(&value).map_err(|why| bad(format!("run() could not read the experiment: {why}")))?;
    Experiment::from_json(&text).map_err(|e| positionless(e).into())
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
    // Named here rather than by serde's deny_unknown_fields, whose message adds a JSON position.
    if let Some(key) = Object::keys(object).iter().filter_map(|k| k.as_string()).find(|k| k != "mainThread") {
        return Err(bad(format!("invalid run options: unknown field `{key}`, {EXPECTED}")));
    }
    let text = json_text(&value).map_err(|why| bad(format!("invalid run options, {EXPECTED}: {why}")))?;
    serde_json::from_str(&text).map_err(|e| bad(format!("invalid run options, {EXPECTED}: {}", strip_position(&e.to_string()))))
}

/// Reads a trace given from JavaScript to `kitchen.<call>()`, naming the path of the first
/// problem, and checks it as the engine checks every outside trace ([`Trace::check`]).
pub fn trace_from_js(value: JsValue, call: &str) -> Result<Trace, Error> {
    if !value.is_object() {
        return Err(bad(format!("{call}() takes a trace object (docs/format.md), e.g. the result of kitchen.run()")));
    }
    let text = json_text(&value)
        .map_err(|problem| engine::Error::from(engine::ErrorKind::InvalidTrace { path: None, problem }))?;
    // Parsed and checked as the engine reads every outside trace.
    Trace::from_json(&text).map_err(|e| positionless(e).into())
}

/// An engine error about JSON text made from a JavaScript value, with its path but without
/// serde_json's "at line 1 column N" (see [`strip_position`]).
fn positionless(e: engine::Error) -> engine::Error {
    use engine::ErrorKind::{InvalidExperiment, InvalidTrace};
    let strip = |problem: String| strip_position(&problem).to_string();
    match e.kind {
        InvalidExperiment { path, problem } => InvalidExperiment { path, problem: strip(problem) }.into(),
        InvalidTrace { path, problem } => InvalidTrace { path, problem: strip(problem) }.into(),
        kind => kind.into(),
    }
}

/// `message` without a trailing " at line L column C" (only when both are numbers): the text
/// was made from a JavaScript value a moment ago, so the position says nothing to whoever passed it.
fn strip_position(message: &str) -> &str {
    let Some((head, tail)) = message.rsplit_once(" at line ") else { return message };
    let numbers = tail.split_once(" column ").is_some_and(|(l, c)| l.parse::<u64>().is_ok() && c.parse::<u64>().is_ok());
    if numbers { head } else { message }
}

/// A lesson id given from JavaScript.
pub fn lesson_id_from_js(value: JsValue) -> Result<String, Error> {
    value.as_string().ok_or_else(|| bad("runLesson() takes a lesson id, e.g. \"oven\" (see kitchen.lessons())"))
}

fn bad(message: impl Into<String>) -> Error {
    ErrorKind::BadArgument(message.into()).into()
}
