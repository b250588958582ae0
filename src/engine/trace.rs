//! The trace format (version 1): what was measured. Every model, in the browser and natively,
//! produces this one type; the UI, the JS API and the native runner all read it.

use serde::{Deserialize, Serialize};

use super::experiment::{Model, YieldPolicy};
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

impl SpanKind {
    /// Whether a chef was occupied: cooking always; simmering too when the chef waits with it.
    pub fn is_work(self) -> bool {
        self == SpanKind::Cook
    }
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
