//! The experiment format (version 1): what a person asks the kitchen to cook.
//!
//! This is the input half of the public API: the JS `kitchen.run`, the UI and the native
//! runner all read these types. Documented in docs/format.md.

use serde::{Deserialize, Serialize};

use super::error::{Error, ErrorKind};
use super::kernel::Kernel;

/// The only experiment format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// A set of dishes, how they depend on each other, and how to cook them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Experiment {
    /// Format version; must be [`FORMAT_VERSION`].
    pub version: u32,
    /// Which execution model runs the dishes.
    pub model: Model,
    /// Execution width: how many chefs may work at once (ignored by single-chef models).
    #[serde(default = "default_chefs")]
    pub chefs: usize,
    /// When a juggling chef switches dishes (ignored by non-juggling models).
    #[serde(default, rename = "yield", skip_serializing_if = "YieldPolicy::is_default")]
    pub yield_policy: YieldPolicy,
    /// The dishes, in the order they are first offered to the chefs.
    pub tasks: Vec<TaskSpec>,
}

/// Where a juggling chef may switch to another dish: its preemption points.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YieldPolicy {
    /// Only when a dish starts simmering (a task that never awaits never lets go).
    AtSimmers,
    /// Also after every this many ms of cooking one dish (a time slice).
    EveryMs(f64),
}

impl YieldPolicy {
    pub const DEFAULT_SLICE_MS: f64 = 10.0;

    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Default for YieldPolicy {
    fn default() -> Self {
        YieldPolicy::EveryMs(Self::DEFAULT_SLICE_MS)
    }
}

fn default_chefs() -> usize {
    1
}

/// How dishes are cooked: the four execution models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    /// One chef, one dish at a time, start to finish (a simmer keeps the chef waiting).
    Sequential,
    /// One chef juggling dishes: switches while a dish simmers or when a time slice ends.
    Concurrent,
    /// Several chefs at once, each cooking one dish start to finish.
    Parallel,
    /// Several chefs at once, each juggling.
    ConcurrentParallel,
}

impl Model {
    pub const ALL: [Model; 4] = [
        Model::Sequential,
        Model::Concurrent,
        Model::Parallel,
        Model::ConcurrentParallel,
    ];

    /// The name used in the JSON format.
    pub fn name(self) -> &'static str {
        match self {
            Model::Sequential => "sequential",
            Model::Concurrent => "concurrent",
            Model::Parallel => "parallel",
            Model::ConcurrentParallel => "concurrent-parallel",
        }
    }

    /// Whether a chef works on other dishes while one simmers or after a time slice.
    pub fn juggles(self) -> bool {
        matches!(self, Model::Concurrent | Model::ConcurrentParallel)
    }

    /// Whether this model uses more than one chef (and so needs worker threads in a browser).
    pub fn is_parallel(self) -> bool {
        matches!(self, Model::Parallel | Model::ConcurrentParallel)
    }

    /// How many chefs actually work for a requested width.
    pub fn effective_chefs(self, requested: usize) -> usize {
        if self.is_parallel() {
            requested
        } else {
            1
        }
    }
}

impl std::str::FromStr for Model {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Model::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| {
            let names: Vec<_> = Model::ALL.iter().map(|m| m.name()).collect();
            format!("unknown model `{s}`, expected one of: {}", names.join(", "))
        })
    }
}

/// One dish: a sequence of phases, started only after the dishes it comes after have ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSpec {
    pub id: String,
    pub phases: Vec<Phase>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

/// One step of a dish.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Real CPU work: a computation kernel runs on the chef's thread.
    Cook(Cook),
    /// A real timed wait, like a call to a slow API; a juggling chef is free meanwhile.
    Simmer(Simmer),
}

/// How much CPU work a cook phase does: `ms` (calibrated on this machine) or exact `units`.
/// With `split`, that work is cut into equal chunks any chef may take (a data-parallel dish),
/// after a `serial_ms` part only the dish's own chef can do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cook {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<u64>,
    #[serde(default)]
    pub kernel: Kernel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_ms: Option<f64>,
}

/// Cut a cook into `chunks` equal pieces that may cook at the same time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Split {
    pub chunks: u32,
}

impl Cook {
    /// A plain cook of about `ms` with the default kernel.
    pub fn ms(ms: f64) -> Cook {
        Cook { ms: Some(ms), units: None, kernel: Kernel::default(), split: None, serial_ms: None }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Simmer {
    pub ms: f64,
}

impl Experiment {
    /// Parses JSON text, naming the path of the first problem (e.g. `tasks[0].phases[1]`).
    pub fn from_json(text: &str) -> Result<Experiment, Error> {
        Error::read_json(text, |path, problem| ErrorKind::InvalidExperiment { path, problem })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let e = Experiment::from_json(
            r#"{ "version": 1, "model": "parallel", "chefs": 2, "tasks": [ { "id": "soup",
                 "phases": [ { "cook": { "ms": 40 } }, { "simmer": { "ms": 100 } } ], "after": [] } ] }"#,
        )
        .unwrap();
        assert_eq!(e.model, Model::Parallel);
        assert_eq!(e.tasks[0].phases[1], Phase::Simmer(Simmer { ms: 100.0 }));
    }

    #[test]
    fn unknown_model_names_the_field_and_the_choices() {
        let err = Experiment::from_json(r#"{"version":1,"model":"turbo","tasks":[]}"#).unwrap_err().to_string();
        assert!(err.contains("`model`") && err.contains("turbo") && err.contains("concurrent-parallel"), "{err}");
    }

    #[test]
    fn a_typo_in_a_phase_is_reported_with_its_path() {
        let err = Experiment::from_json(
            r#"{"version":1,"model":"sequential","tasks":[{"id":"a","phases":[{"cook":{"msec":3}}]}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("tasks[0].phases[0]") && err.contains("msec"), "{err}");
    }

    #[test]
    fn yield_policy_and_split_parse() {
        let e = Experiment::from_json(
            r#"{"version":1,"model":"concurrent","yield":"at_simmers","tasks":[{"id":"a","phases":[
                {"cook":{"ms":40,"split":{"chunks":4},"serial_ms":10}}]}]}"#,
        )
        .unwrap();
        assert_eq!(e.yield_policy, YieldPolicy::AtSimmers);
        let Phase::Cook(cook) = &e.tasks[0].phases[0] else { panic!() };
        assert_eq!((cook.split, cook.serial_ms), (Some(Split { chunks: 4 }), Some(10.0)));
        let e = Experiment::from_json(r#"{"version":1,"model":"concurrent","yield":{"every_ms":3},"tasks":[]}"#).unwrap();
        assert_eq!(e.yield_policy, YieldPolicy::EveryMs(3.0));
    }

    #[test]
    fn text_after_the_experiment_is_refused() {
        let one = r#"{"version":1,"model":"sequential","tasks":[]}"#;
        assert!(Experiment::from_json(&format!("{one}\n  ")).is_ok(), "trailing whitespace is fine");
        for tail in ["{", "}", "x", &format!(" {one}")] {
            let err = Experiment::from_json(&format!("{one}{tail}")).unwrap_err().to_string();
            assert!(err.starts_with("invalid experiment: trailing characters"), "{tail:?}: {err}");
        }
    }

    #[test]
    fn model_names_round_trip() {
        for m in Model::ALL {
            assert_eq!(m.name().parse::<Model>().unwrap(), m);
        }
    }
}
