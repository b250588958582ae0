//! What a lesson's verdict reads and says: [`Measures`] (what the verdict reads),
//! [`ResponsivenessSample`]s from the page, the [`Verdict`] itself, and the checks and helpers
//! judges use: traces checked against the plan ([`check_traces`]), read through [`Runs`], judged
//! into a [`Finding`].

use serde::{Deserialize, Serialize};

use super::{Machine, RunSpec};
use crate::engine::experiment::Experiment;
use crate::engine::trace::Trace;

/// The outcome of checking a lesson's claim against measurements.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// Whether the measurements showed what the claim says.
    pub reproduced: bool,
    /// One sentence with the numbers: "reproduced on your machine: …" or "not reproduced: …".
    pub headline: String,
    /// The numbers behind the headline, named, in reading order.
    pub numbers: Vec<(String, f64)>,
    /// When not reproduced: the likely reason (too few cores, a busy machine, …).
    pub reason: Option<String>,
}

impl Verdict {
    /// Builds a verdict from what a lesson found: `what` describes the measurements (with
    /// numbers); `why_not` is used only when the claim did not hold.
    pub(crate) fn from_finding(
        holds: bool,
        simulated: bool,
        what: String,
        numbers: Vec<(String, f64)>,
        why_not: Option<String>,
    ) -> Verdict {
        let prefix = match (holds, simulated) {
            (true, false) => "reproduced on your machine",
            (false, false) => "not reproduced",
            (true, true) => "reproduced in simulation (a prediction, not a measurement)",
            (false, true) => "not reproduced in simulation (a prediction, not a measurement)",
        };
        let reason = (!holds).then(|| why_not.unwrap_or_else(|| "the measurements did not show it".into()));
        Verdict { reproduced: holds, headline: format!("{prefix}: {what}"), numbers, reason }
    }

    /// A verdict for a lesson that could not be judged at all: `why` says what is missing.
    pub(super) fn cannot_judge(what: &str, why: String) -> Verdict {
        Verdict { reproduced: false, headline: format!("not reproduced: {what}"), numbers: Vec::new(), reason: Some(why) }
    }
}

/// How long the page went without a turn of its event loop during one run, as the browser
/// measured it (for example the longest gap between animation frames or timer callbacks).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponsivenessSample {
    /// The longest gap between two turns of the page's event loop, ms.
    pub longest_gap_ms: f64,
}

/// What a lesson's verdict reads (see the module docs of `lessons`). Whoever runs a lesson
/// asks [`Measures::is_race_demo`] and [`Measures::needs_meter`] rather than matching on it,
/// so what each kind needs is decided here only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measures {
    /// The traces of the plan's runs: [`super::Lesson::verdict`].
    Traces,
    /// The traces plus one [`ResponsivenessSample`] per run, measured by the page:
    /// [`super::Lesson::verdict_with_responsiveness`].
    TracesAndResponsiveness,
    /// No kitchen runs: the race demo's report, judged by the race demo's own verdict
    /// (`lessons::race::verdict`).
    RaceDemo,
}

impl Measures {
    /// Whether the lesson is the race demo: it has no kitchen runs (its plan is empty and
    /// [`super::Lesson::verdict`] cannot judge it), so whoever runs it runs
    /// `lessons::race::run_demo` and judges the report with `lessons::race::verdict`.
    pub fn is_race_demo(self) -> bool {
        match self {
            Measures::Traces | Measures::TracesAndResponsiveness => false,
            Measures::RaceDemo => true,
        }
    }

    /// Whether the page must measure its responsiveness around each run (the meter) and pass
    /// one [`ResponsivenessSample`] per run to [`super::Lesson::verdict_with_responsiveness`].
    pub fn needs_meter(self) -> bool {
        match self {
            Measures::TracesAndResponsiveness => true,
            Measures::Traces | Measures::RaceDemo => false,
        }
    }
}

/// Checks that `traces` are complete runs of `specs`, one each, in order.
pub(super) fn check_traces(specs: &[RunSpec], traces: &[Trace]) -> Result<(), String> {
    if specs.len() != traces.len() {
        return Err(format!("expected {} runs, got {}", specs.len(), traces.len()));
    }
    for (spec, trace) in specs.iter().zip(traces) {
        let e = &spec.experiment;
        let chefs = e.model.effective_chefs(e.chefs);
        if trace.model != e.model || trace.chefs != chefs {
            return Err(format!(
                "run `{}` should be {} with {chefs} chefs, got {} with {}",
                spec.label,
                e.model.name(),
                trace.model.name(),
                trace.chefs
            ));
        }
        if trace.stopped {
            return Err(format!("run `{}` was stopped before it finished", spec.label));
        }
        if !trace.checksums_ok {
            return Err(format!("run `{}`: a kernel returned a wrong checksum, so its work was not really done", spec.label));
        }
        if !(trace.wall_ms > 0.0 && trace.wall_ms.is_finite()) {
            return Err(format!("run `{}` has no positive wall time ({})", spec.label, trace.wall_ms));
        }
    }
    Ok(())
}

/// A lesson's runs, checked against its plan: `traces[i]` is a complete run of `specs[i]`.
/// Judges index runs as the plan builder listed them (`0..self.len()`), not by try.
pub(super) struct Runs<'a> {
    pub(super) machine: &'a Machine,
    pub(super) specs: &'a [RunSpec],
    pub(super) traces: &'a [Trace],
    pub(super) samples: &'a [ResponsivenessSample],
    /// How many times the plan lists each run (at least 1).
    pub(super) tries: usize,
}

impl Runs<'_> {
    /// How many distinct runs the plan builder listed.
    pub(super) fn len(&self) -> usize {
        self.specs.len() / self.tries
    }

    /// Run `i`'s fastest wall over its tries.
    pub(super) fn wall(&self, i: usize) -> f64 {
        (0..self.tries).map(|t| self.traces[t * self.len() + i].wall_ms).fold(f64::INFINITY, f64::min)
    }

    /// The chefs run `i` had.
    pub(super) fn chefs(&self, i: usize) -> usize {
        self.traces[i].chefs
    }

    /// What run `i` cooked.
    pub(super) fn experiment(&self, i: usize) -> &Experiment {
        &self.specs[i].experiment
    }
}

/// What a judge found: whether the claim held, the measurements in words and numbers, and
/// the likely reason when it did not.
pub(super) struct Finding {
    pub(super) holds: bool,
    pub(super) what: String,
    pub(super) numbers: Vec<(String, f64)>,
    pub(super) why_not: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_say_where_their_numbers_come_from() {
        let v = Verdict::from_finding(true, false, "x".into(), vec![], Some("unused".into()));
        assert_eq!((v.headline.as_str(), v.reason), ("reproduced on your machine: x", None));
        let v = Verdict::from_finding(false, true, "x".into(), vec![], None);
        assert!(v.headline.starts_with("not reproduced in simulation") && v.reason.is_some(), "{v:?}");
    }

    #[test]
    fn only_the_race_demo_skips_kitchen_runs_and_only_blocking_needs_the_meter() {
        use Measures::*;
        assert_eq!([Traces, TracesAndResponsiveness, RaceDemo].map(Measures::is_race_demo), [false, false, true]);
        assert_eq!([Traces, TracesAndResponsiveness, RaceDemo].map(Measures::needs_meter), [false, true, false]);
    }
}
