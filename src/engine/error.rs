//! The engine's errors: why an experiment or a trace is refused. One type for the layer, with
//! a documented kind per reason, so the runtime and the UI match on kinds, never on text.

use super::experiment::FORMAT_VERSION;
use super::graph::{MAX_CHEFS, MAX_PHASES, MAX_TASKS};

/// Why the engine refuses an experiment or a trace. Messages are made here, once; callers
/// match on [`ErrorKind`] and show `to_string()`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{kind}")]
pub struct Error {
    pub kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ErrorKind {
    /// The experiment's `version` is not one this build reads.
    #[error("unsupported experiment version {0}; this kitchen reads version {FORMAT_VERSION}")]
    UnsupportedVersion(u32),
    /// There are no tasks to run.
    #[error("the experiment has no tasks")]
    Empty,
    /// More tasks than [`MAX_TASKS`].
    #[error("too many tasks: {0} (at most {MAX_TASKS})")]
    TooManyTasks(usize),
    /// The chefs count is 0 or above [`MAX_CHEFS`].
    #[error("chefs must be between 1 and {MAX_CHEFS}, got {0}")]
    BadChefs(usize),
    /// A task's id is empty.
    #[error("task #{0} has an empty id")]
    EmptyId(usize),
    /// Two tasks share an id.
    #[error("duplicate task id `{0}`")]
    DuplicateId(String),
    /// A task has no phases, or more than [`MAX_PHASES`].
    #[error("task `{task}` must have between 1 and {MAX_PHASES} phases, has {count}")]
    PhaseCount { task: String, count: usize },
    /// A phase's amount is missing, negative, not finite or too large.
    #[error("task `{task}` phase {phase}: {problem}")]
    BadAmount { task: String, phase: usize, problem: String },
    /// A task comes after an id that no task has.
    #[error("task `{task}` comes after unknown task `{missing}`")]
    UnknownDependency { task: String, missing: String },
    /// A task comes after itself.
    #[error("task `{0}` comes after itself")]
    SelfDependency(String),
    /// The dependencies form a cycle; the tasks are listed in order, the first repeated last.
    #[error("dependency cycle: {}", .0.join(" → "))]
    Cycle(Vec<String>),
    /// Experiment JSON that does not parse or has the wrong shape; `path` is where (e.g.
    /// `tasks[0].phases[1]`), absent when the problem is the text as a whole.
    #[error("invalid experiment{}: {problem}", at(.path))]
    InvalidExperiment { path: Option<String>, problem: String },
    /// A run was stopped before its dishes were done, so its wall time is not the
    /// experiment's (names the run: `the baseline`, `run 3`, counting from 1).
    #[error("{0} was stopped: a sweep needs complete runs")]
    StoppedRun(String),
    /// A run's wall time is not a positive number, so no speedup can be computed from it.
    #[error("{0} has a wall time of {1} ms: a speedup needs a positive wall time")]
    NoWallTime(String, f64),
    /// A message from an embedding page (docs/format.md, "Embedding") that is not one the
    /// kitchen takes; `path` is where (e.g. `experiment.tasks[0]`), absent for the whole.
    #[error("invalid message{}: {problem}", at(.path))]
    InvalidMessage { path: Option<String>, problem: String },
    /// A permalink that cannot be opened (cut short, altered, from a newer kitchen, or not a
    /// kitchen's state); the problem says which.
    #[error("this link can't be opened: {0}")]
    BadLink(super::share::link::LinkProblem),
    /// A trace that does not parse, or breaks what the format promises beyond its types.
    #[error("not a trace{}: {problem}", at(.path))]
    InvalidTrace { path: Option<String>, problem: String },
    /// A run's wall time cannot be broken down against the predicted schedule: the run was
    /// stopped, or its trace is not of the given dishes, or lacks their calibration (says which).
    #[error("no breakdown of this run: {0}")]
    CannotBreakDown(String),
    /// An assignment (docs/format.md, "Assignments") that does not parse or breaks what the
    /// format promises; `path` is where (e.g. `steps[0].variants[1].max`), absent for the whole.
    #[error("invalid assignment{}: {problem}", at(.path))]
    InvalidAssignment { path: Option<String>, problem: String },
    /// A submission (docs/format.md, "Submissions") that does not parse or breaks what the
    /// format promises; `path` is where (e.g. `steps[0].runs[1].trace`), absent for the whole.
    #[error("invalid submission{}: {problem}", at(.path))]
    InvalidSubmission { path: Option<String>, problem: String },
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error { kind }
    }
}


/// " at `path`" for a located problem, nothing for one about the whole input.
fn at(path: &Option<String>) -> String {
    path.as_ref().map_or(String::new(), |p| format!(" at `{p}`"))
}

impl Error {
    /// Reads one `T` from JSON text, naming the path of the first problem (none at the root)
    /// in a `kind` error. Text after the value is refused: `deserialize` stops after the first
    /// value, and a second object or a stray brace from a bad paste was silently ignored
    /// (tests/decoders.rs).
    pub(crate) fn read_json<T: serde::de::DeserializeOwned>(
        text: &str,
        kind: fn(Option<String>, String) -> ErrorKind,
    ) -> Result<T, Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            Error::from(kind((path != ".").then_some(path), e.inner().to_string()))
        })?;
        de.end().map_err(|e| Error::from(kind(None, e.to_string())))?;
        Ok(value)
    }
}
