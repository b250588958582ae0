//! The trace format (version 1): what was measured. Every model, in the browser and natively,
//! produces this one type; the UI, the JS API and the native runner all read it.

use serde::{Deserialize, Serialize};

use super::error::{Error, ErrorKind};
use super::experiment::{Model, YieldPolicy, FORMAT_VERSION};
use super::kernel::Calibration;

/// A measured run. Times are milliseconds from the run's start, read from one clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub version: u32,
    /// `measured` (real work, real waits, a real clock) or `simulated` (a prediction).
    pub source: Source,
    pub model: Model,
    /// The preemption points of the juggling models; absent for the others.
    #[serde(default, rename = "yield", skip_serializing_if = "Option::is_none")]
    pub yield_policy: Option<YieldPolicy>,
    /// How many chefs worked (1 for the single-chef models).
    pub chefs: usize,
    /// From the run's start until the last dish ended (or the run stopped).
    pub wall_ms: f64,
    /// True when a stop request ended the run before every dish was done.
    pub stopped: bool,
    pub tasks: Vec<TaskTiming>,
    pub spans: Vec<Span>,
    /// Which thread each lane is.
    pub lanes: Vec<Lane>,
    /// Work units cooked, and whether every kernel returned the checksum its work implies.
    pub cooked_units: u64,
    pub checksums_ok: bool,
    /// The calibrations that turned cook `ms` into units for this run.
    pub calibration: Vec<Calibration>,
}

impl Trace {
    /// Parses trace JSON text and [`check`](Trace::check)s it, naming the path of the first problem.
    pub fn from_json(text: &str) -> Result<Trace, Error> {
        // A valid trace is read without tracking paths (half the time for 40,000 spans,
        // issue 12); only a bad one is read again to name where it goes wrong.
        if let Ok(trace) = serde_json::from_str::<Trace>(text) {
            trace.check()?;
            return Ok(trace);
        }
        let trace: Trace = Error::read_json(text, |path, problem| ErrorKind::InvalidTrace { path, problem })?;
        trace.check()?;
        Ok(trace)
    }

    /// What the format promises beyond its types: a known version, finite times, spans and
    /// tasks that end after they start. Readers of outside traces call this after parsing.
    pub fn check(&self) -> Result<(), Error> {
        let invalid = |problem: String| Err(ErrorKind::InvalidTrace { path: None, problem }.into());
        if self.version != FORMAT_VERSION {
            return invalid(format!("unknown version {} (this page reads version {FORMAT_VERSION})", self.version));
        }
        if !(self.wall_ms.is_finite() && self.wall_ms >= 0.0) {
            return invalid(format!("`wall_ms` must be a time ≥ 0, got {}", self.wall_ms));
        }
        let bad = |s: f64, e: f64| !(s.is_finite() && e.is_finite() && s >= 0.0 && e >= s);
        if let Some((i, s)) = self.spans.iter().enumerate().find(|(_, s)| bad(s.start_ms, s.end_ms)) {
            return invalid(format!("`spans[{i}]` must have 0 ≤ start_ms ≤ end_ms, got {} to {}", s.start_ms, s.end_ms));
        }
        if let Some((i, t)) = self.tasks.iter().enumerate().find(|(_, t)| bad(t.start_ms, t.end_ms)) {
            return invalid(format!("`tasks[{i}]` must have 0 ≤ start_ms ≤ end_ms, got {} to {}", t.start_ms, t.end_ms));
        }
        Ok(())
    }

    /// A measured trace of `model` on `chefs` chefs in which nothing has happened yet: where
    /// hand-made traces (test fixtures, the grader's edited copies) start. Fill it with
    /// [`Trace::with_spans`], [`Trace::with_tasks`] and [`Trace::with_wall`].
    pub fn measured(model: Model, chefs: usize) -> Trace {
        Trace {
            version: FORMAT_VERSION,
            source: Source::Measured,
            model,
            yield_policy: None,
            chefs,
            wall_ms: 0.0,
            stopped: false,
            tasks: vec![],
            spans: vec![],
            lanes: vec![],
            cooked_units: 0,
            checksums_ok: true,
            calibration: vec![],
        }
    }

    /// This trace with `spans`, the lanes they name, and a wall time reaching their last end.
    pub fn with_spans(mut self, spans: Vec<Span>) -> Trace {
        self.lanes = lanes_of(&spans);
        self.wall_ms = spans.iter().map(|s| s.end_ms).fold(self.wall_ms, f64::max);
        self.spans = spans;
        self
    }

    /// This trace with `tasks`, and a wall time reaching their last end.
    pub fn with_tasks(mut self, tasks: Vec<TaskTiming>) -> Trace {
        self.wall_ms = tasks.iter().map(|t| t.end_ms).fold(self.wall_ms, f64::max);
        self.tasks = tasks;
        self
    }

    /// This trace with its wall time set to `wall_ms`.
    pub fn with_wall(mut self, wall_ms: f64) -> Trace {
        self.wall_ms = wall_ms;
        self
    }
}

/// The lanes `spans` ran on, once each, in lane order.
pub fn lanes_of(spans: &[Span]) -> Vec<Lane> {
    let mut lanes: Vec<usize> = spans.iter().map(|s| s.lane).collect();
    lanes.sort_unstable();
    lanes.dedup();
    lanes.into_iter().map(Lane::for_id).collect()
}

/// Where a trace's times come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Real kernels, real waits, read from a real clock.
    Measured,
    /// Computed from calibrated durations on a virtual clock: a prediction, never a measurement.
    Simulated,
}

/// When one dish became eligible, started and ended, and the lane that started it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskTiming {
    pub id: String,
    /// The lane that first picked the dish up; in juggling models with several chefs a dish
    /// can move between lanes, which its spans show.
    pub lane: usize,
    /// When all its dependencies had ended.
    pub eligible_ms: f64,
    pub start_ms: f64,
    pub end_ms: f64,
    /// How many times a chef picked the dish up (1 without juggling; one per turn with it).
    pub polls: u32,
}

impl TaskTiming {
    /// A dish picked up once by `lane`: eligible at `eligible_ms`, cooked from `start_ms` to `end_ms`.
    pub fn new(id: impl Into<String>, lane: usize, eligible_ms: f64, start_ms: f64, end_ms: f64) -> TaskTiming {
        TaskTiming { id: id.into(), lane, eligible_ms, start_ms, end_ms, polls: 1 }
    }
}

/// A stretch of time one dish spent in one state on one lane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub task: String,
    pub lane: usize,
    pub kind: SpanKind,
    /// For work on a split dish: which chunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunk: Option<u32>,
    pub start_ms: f64,
    pub end_ms: f64,
}

impl Span {
    /// `task` in state `kind` on `lane` from `start_ms` to `end_ms` (a whole dish, no chunk).
    pub fn new(task: impl Into<String>, lane: usize, kind: SpanKind, start_ms: f64, end_ms: f64) -> Span {
        Span { task: task.into(), lane, kind, chunk: None, start_ms, end_ms }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpanKind {
    /// The chef was computing this dish's kernel.
    Cook,
    /// The dish was waiting out a timed wait (the chef is free meanwhile if it juggles).
    Simmer,
    /// The dish was eligible but no chef had taken it up yet. Shown on the lane that took it.
    Wait,
    /// The dish had started and could go on, but its chef was busy with another dish
    /// (scheduled, not running). Shown on the lane that resumed it.
    Ready,
}

/// A lane: one real thread that ran work. Lane 0 is the thread that started the run
/// (the browser's main thread); lane k+1 is worker thread k of the pool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    pub lane: usize,
    pub thread: String,
}

impl Lane {
    pub fn for_id(lane: usize) -> Lane {
        let thread = match lane {
            0 => "main".to_string(),
            k => format!("worker {}", k - 1),
        };
        Lane { lane, thread }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace() -> Trace {
        let mut t = Trace::measured(Model::Sequential, 1)
            .with_tasks(vec![TaskTiming::new("a", 1, 0.0, 0.0, 10.0)])
            .with_spans(vec![Span::new("a", 1, SpanKind::Cook, 0.0, 10.0)]);
        t.cooked_units = 1;
        t
    }

    #[test]
    fn a_trace_round_trips_through_json_and_passes_its_checks() {
        let text = serde_json::to_string(&trace()).unwrap();
        assert_eq!(Trace::from_json(&text).unwrap(), trace());
    }

    #[test]
    fn checks_name_what_breaks_the_format() {
        let mut backwards = trace();
        backwards.spans[0].end_ms = -1.0;
        let err = backwards.check().unwrap_err().to_string();
        assert!(err.starts_with("not a trace: `spans[0]`"), "{err}");
        let mut future = trace();
        future.version = FORMAT_VERSION + 1;
        assert!(matches!(future.check().unwrap_err().kind, ErrorKind::InvalidTrace { path: None, .. }));
    }

    #[test]
    fn parse_errors_carry_their_path() {
        let text = serde_json::to_string(&trace()).unwrap().replace(r#""kind":"cook""#, r#""kind":"boil""#);
        let err = Trace::from_json(&text).unwrap_err();
        let ErrorKind::InvalidTrace { path: Some(path), .. } = &err.kind else { panic!("{err:?}") };
        assert_eq!(path, "spans[0].kind");
        assert!(err.to_string().starts_with("not a trace at `spans[0].kind`"), "{err}");
    }
}
