//! Conversions between JavaScript values and the runtime's types, in one place: experiments,
//! traces and run options in, any serialisable value out, errors out as `Error` objects.
//! `api` (window.kitchen) uses these; nothing else in the runtime touches `JsValue` shapes.
//!
//! Values cross as JSON text (`JSON.stringify` / `JSON.parse` on the JS side, serde_json on
//! ours), so the page carries one serde back-end, the one files and links already need: every
//! type read or written would otherwise be compiled once more for a JS-value back-end (issue 12,
//! page weight).

use js_sys::{Object, JSON};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use super::error::{Error, ErrorKind};
use super::run::RunOptions;
use crate::engine::{self, Experiment, Trace};

/// Any serialisable value as a plain JS value (maps as objects; non-finite numbers as `null`,
/// as in JSON). `null` if it cannot be written, which our own types never cause.
pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value).ok().and_then(|text| JSON::parse(&text).ok()).unwrap_or(JsValue::NULL)
}

/// A JS value's JSON text, or why it has none (a cycle, a BigInt; `undefined` and functions
/// have no text either).
pub fn json_text(value: &JsValue) -> Result<String, String> {
    let text = JSON::stringify(value).map_err(|e| describe_js_error(&e))?;
    text.as_string().ok_or_else(|| "it has no JSON form".to_string())
}

/// `T` read from a JS value through its JSON text (no path in the error: for small values
/// whose fields the message can name itself).
pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    serde_json::from_str(&json_text(value)?).map_err(|e| without_position(&e.to_string()).to_string())
}

/// serde_json's message without its " at line L column C": the text was made by
/// `JSON.stringify`, not written by the caller, so its positions mean nothing to them.
pub fn without_position(message: &str) -> &str {
    let Some((head, tail)) = message.rsplit_once(" at line ") else { return message };
    let numbers = tail.split_once(" column ").filter(|(l, c)| l.parse::<u64>().is_ok() && c.parse::<u64>().is_ok());
    if numbers.is_some() { head } else { message }
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
    // Through JSON text, as every value from JS: a misspelt field is rejected with its path.
    let text = json_text(&value).map_err(|e| bad(format!("run() could not read the experiment: {e}")))?;
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
    // Named here rather than by serde, so the message keeps the option's exact spelling.
    if let Some(key) = Object::keys(object).iter().filter_map(|k| k.as_string()).find(|k| k != "mainThread") {
        return Err(bad(format!("invalid run options: unknown field `{key}`, {EXPECTED}")));
    }
    from_js(&value).map_err(|e| bad(format!("invalid run options, {EXPECTED}: {e}")))
}

/// Reads a trace given from JavaScript to `kitchen.<call>()`, naming the path of the first
/// problem, and checks it as the engine checks every outside trace ([`Trace::check`]).
pub fn trace_from_js(value: JsValue, call: &str) -> Result<Trace, Error> {
    if !value.is_object() {
        return Err(bad(format!("{call}() takes a trace object (docs/format.md), e.g. the result of kitchen.run()")));
    }
    let text = json_text(&value).map_err(|e| bad(format!("{call}() could not read the trace: {e}")))?;
    Trace::from_json(&text).map_err(|e| positionless(e).into())
}

/// An engine error about JSON text we made from a JS value, without serde_json's position.
fn positionless(e: engine::Error) -> engine::Error {
    use engine::ErrorKind::{InvalidExperiment, InvalidTrace};
    let strip = |problem: String| without_position(&problem).to_string();
    match e.kind {
        InvalidExperiment { path, problem } => InvalidExperiment { path, problem: strip(problem) }.into(),
        InvalidTrace { path, problem } => InvalidTrace { path, problem: strip(problem) }.into(),
        kind => kind.into(),
    }
}

/// A lesson id given from JavaScript.
pub fn lesson_id_from_js(value: JsValue) -> Result<String, Error> {
    value.as_string().ok_or_else(|| bad("runLesson() takes a lesson id, e.g. \"oven\" (see kitchen.lessons())"))
}

fn bad(message: impl Into<String>) -> Error {
    ErrorKind::BadArgument(message.into()).into()
}
