//! The embed's postMessage protocol (docs/format.md, "Embedding"), as typed values: what a
//! parent page may ask ([`FromParent`]) and what the embedded kitchen tells it ([`ToParent`]).
//! Every message is an object with one key, `kitchen`, holding `{ type, … }`; the experiment
//! and the trace inside are the documented formats.
//!
//! This is the pure half, tested natively; `runtime::messages` reads message events (only the
//! parent's) and posts the replies.

use serde::Serialize;
use serde_json::Value;

use crate::engine::error::{Error, ErrorKind};
use crate::engine::experiment::Experiment;
use crate::engine::trace::Trace;

/// What a parent page asks the embedded kitchen to do.
#[derive(Clone, Debug, PartialEq)]
pub enum FromParent {
    /// Put this experiment in the kitchen (it replaces the dishes, model and chefs).
    Load { experiment: Experiment },
    /// Run the kitchen's experiment, or this one (loaded first).
    Run { experiment: Option<Experiment> },
    /// Stop the run under way.
    Stop,
}

/// The message types a parent may send, and the fields each takes besides `type`.
const TYPES: [(&str, &[&str]); 3] = [("load", &["experiment"]), ("run", &["experiment"]), ("stop", &[])];

/// What the embedded kitchen tells its parent page.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ToParent {
    /// The kitchen takes messages now: the formats' version, where its chefs run
    /// (`shared-memory`, `message-passing` or `none`) and how many worker threads it has.
    Ready { version: u32, backend: String, threads: usize },
    /// A run is under way: dishes done of the total.
    Progress { done: usize, total: usize },
    /// A run ended: its measured trace (`stopped: true` when it was stopped).
    Result { trace: Box<Trace> },
    /// Something asked could not be done: a bad message or experiment, a run that failed.
    Error { message: String },
    /// The embed's content is now this tall (CSS pixels, rounded up): size the iframe to it.
    Resize { height: u32 },
}

/// A message as posted: `{ kitchen: { type, … } }`.
#[derive(Serialize)]
pub struct Envelope<'a> {
    /// The message itself.
    pub kitchen: &'a ToParent,
}

/// Reads the JSON of a message's `kitchen` value, naming what is wrong: an unknown `type`
/// (and the known ones), a missing field, an experiment's problem with its path
/// (`experiment.tasks[0].phases`).
pub fn from_parent_json(text: &str) -> Result<FromParent, Error> {
    let value: Value = serde_json::from_str(text).map_err(|e| invalid(None, e.to_string()))?;
    let Value::Object(mut fields) = value else {
        return Err(invalid(None, "expected an object such as { type: \"run\" }".into()));
    };
    let kind = match fields.remove("type") {
        Some(Value::String(kind)) => kind,
        Some(other) => return Err(invalid(Some("type".into()), format!("expected a string, got {other}"))),
        None => return Err(invalid(None, "missing field `type` (`load`, `run` or `stop`)".into())),
    };
    let names = TYPES.map(|(t, _)| format!("`{t}`")).join(", ");
    let Some(&(_, allowed)) = TYPES.iter().find(|(t, _)| *t == kind) else {
        return Err(invalid(Some("type".into()), format!("unknown type `{kind}`, expected one of {names}")));
    };
    if let Some(extra) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        let expected = if allowed.is_empty() { "no other field".to_string() } else { format!("`{}`", allowed.join("`, `")) };
        return Err(invalid(Some(extra.clone()), format!("unknown field `{extra}` in a `{kind}` message, expected {expected}")));
    }
    let experiment = fields.remove("experiment").map(experiment).transpose()?;
    Ok(match kind.as_str() {
        "load" => FromParent::Load { experiment: experiment.ok_or_else(|| invalid(None, "missing field `experiment`".into()))? },
        "run" => FromParent::Run { experiment },
        _ => FromParent::Stop,
    })
}

/// The experiment of a message, its problems located under `experiment`.
fn experiment(value: Value) -> Result<Experiment, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." { "experiment".to_string() } else { format!("experiment.{path}") };
        invalid(Some(at), e.inner().to_string())
    })
}

fn invalid(path: Option<String>, problem: String) -> Error {
    ErrorKind::InvalidMessage { path, problem }.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DISHES: &str = r#"{"version":1,"model":"parallel","chefs":2,"tasks":[{"id":"a","phases":[{"cook":{"ms":5}}]}]}"#;

    #[test]
    fn the_three_requests_parse() {
        let load = from_parent_json(&format!(r#"{{"type":"load","experiment":{DISHES}}}"#)).unwrap();
        assert!(matches!(load, FromParent::Load { experiment } if experiment.chefs == 2));
        let run = from_parent_json(&format!(r#"{{"type":"run","experiment":{DISHES}}}"#)).unwrap();
        assert!(matches!(run, FromParent::Run { experiment: Some(_) }));
        assert_eq!(from_parent_json(r#"{"type":"run"}"#).unwrap(), FromParent::Run { experiment: None });
        assert_eq!(from_parent_json(r#"{"type":"stop"}"#).unwrap(), FromParent::Stop);
    }

    #[test]
    fn bad_requests_say_what_is_wrong() {
        let message = |json: &str| from_parent_json(json).unwrap_err().to_string();
        let unknown = message(r#"{"type":"explode"}"#);
        assert!(unknown.contains("explode") && unknown.contains("`load`, `run`, `stop`"), "{unknown}");
        assert!(message(r#"{"type":"load","experiment":[]}"#).contains("at `experiment`"));
        assert!(message(r#"{"kind":"run"}"#).contains("type"));
        assert!(message(r#"{"type":"load"}"#).contains("experiment"));
        let bad_dish = message(r#"{"type":"load","experiment":{"version":1,"model":"parallel","tasks":[{"id":"a","phases":[{"boil":{}}]}]}}"#);
        assert!(bad_dish.contains("experiment.tasks[0].phases[0]") && bad_dish.contains("boil"), "{bad_dish}");
        assert!(message(r#"{"type":"stop","now":true}"#).contains("now"));
        assert!(message("[1]").starts_with("invalid message"));
        assert!(matches!(from_parent_json("").unwrap_err().kind, ErrorKind::InvalidMessage { path: None, .. }));
    }

    #[test]
    fn replies_are_wrapped_in_kitchen_with_their_type() {
        let json = |m: &ToParent| serde_json::to_value(Envelope { kitchen: m }).unwrap();
        let ready = ToParent::Ready { version: 1, backend: "shared-memory".into(), threads: 4 };
        assert_eq!(json(&ready), serde_json::json!({"kitchen": {"type": "ready", "version": 1, "backend": "shared-memory", "threads": 4}}));
        assert_eq!(json(&ToParent::Resize { height: 612 }), serde_json::json!({"kitchen": {"type": "resize", "height": 612}}));
        assert_eq!(json(&ToParent::Progress { done: 1, total: 3 })["kitchen"]["done"], 1);
        assert_eq!(json(&ToParent::Error { message: "no".into() })["kitchen"]["type"], "error");
    }
}
