//! The trace format (version 1): what was measured. Every model, in the browser and natively,
//! produces this one type; the UI, the JS API and the native runner all read it.

use serde::{Deserialize, Serialize};

use super::experiment::Model;
use super::kernel::Calibration;

/// A measured run. Times are milliseconds from the run's start, read from one clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub version: u32,
    pub model: Model,
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

/// When one dish started and ended, and the lane that started it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskTiming {
    pub id: String,
    /// The lane of the dish's first span; in juggling models with several chefs a dish can
    /// move between lanes, which its spans show.
    pub lane: usize,
    pub start_ms: f64,
    pub end_ms: f64,
}

/// A stretch of time one dish spent in one state on one lane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub task: String,
    pub lane: usize,
    pub kind: SpanKind,
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
