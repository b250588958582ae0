//! What a lesson's verdict reads and says: [`Measures`] (what the verdict reads),
//! [`ResponsivenessSample`]s from the page, the [`Verdict`] itself, and the checks and helpers
//! judges use: traces checked against the plan ([`check_traces`]), read through [`Runs`], judged
//! into a [`Finding`].

use serde::{Deserialize, Serialize};

use super::{Machine, RunSpec};
use crate::engine::breakdown::{ms_text, Breakdown, PartKind, RunContext};
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
    /// When not reproduced: the likely reason (too few cores, a busy machine, …), with what
    /// the runs' breakdowns point at when they point at something.
    pub reason: Option<String>,
    /// Where each run's wall time went (its breakdown in one line: computed parts and the
    /// measured overhead), in plan order; empty when there are no kitchen runs to break down.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explained: Vec<String>,
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
        Verdict { reproduced: holds, headline: format!("{prefix}: {what}"), numbers, reason, explained: Vec::new() }
    }

    /// A verdict for a lesson that could not be judged at all: `why` says what is missing.
    pub(super) fn cannot_judge(what: &str, why: String) -> Verdict {
        Verdict {
            reproduced: false,
            headline: format!("not reproduced: {what}"),
            numbers: Vec::new(),
            reason: Some(why),
            explained: Vec::new(),
        }
    }

    /// Adds what the runs' breakdowns say: one line per run, and, when the claim did not hold,
    /// the part that weighs most on a run beyond its ideal as part of the reason.
    pub(super) fn explained_by(mut self, breakdowns: &[(String, Breakdown)]) -> Verdict {
        self.explained = breakdowns.iter().map(|(label, b)| format!("{label}: {}", b.summary())).collect();
        if let (Some(reason), Some(cause)) = (self.reason.as_mut(), heaviest_part(breakdowns)) {
            reason.push_str(&format!(". {cause}"));
        }
        self
    }
}

/// The part beyond the ideal that weighs most on one of the runs, in a sentence: "Where the
/// time went: in “parallel, 3 chefs”, more chefs than stoves added 150 ms of its 497 ms
/// (computed): 3 chefs take turns at 2 stoves …". `None` when no part weighs 5 % of a wall.
fn heaviest_part(breakdowns: &[(String, Breakdown)]) -> Option<String> {
    let parts = breakdowns.iter().flat_map(|(label, b)| b.parts.iter().filter(|p| p.part != PartKind::Ideal).map(move |p| (label, b, p)));
    let share = |b: &Breakdown, ms: f64| if b.wall_ms > 0.0 { ms / b.wall_ms } else { 0.0 };
    let (label, b, p) = parts.max_by(|x, y| share(x.1, x.2.ms).total_cmp(&share(y.1, y.2.ms)))?;
    if share(b, p.ms) < 0.05 {
        return None;
    }
    let details = p.details.iter().map(|d| format!(" {d}")).collect::<String>();
    Some(format!(
        "Where the time went: in “{label}”, {} added {} of its {} ({}): {}.{details}",
        p.part.title().to_lowercase(),
        ms_text(p.ms),
        ms_text(b.wall_ms),
        p.basis.label(),
        p.says
    ))
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

    /// Run `i`'s fastest try: the one its wall is read from.
    fn fastest(&self, i: usize) -> (&RunSpec, &Trace) {
        let at = (0..self.tries).map(|t| t * self.len() + i).min_by(|&a, &b| self.traces[a].wall_ms.total_cmp(&self.traces[b].wall_ms));
        let at = at.unwrap_or(i);
        (&self.specs[at], &self.traces[at])
    }

    /// Each run's breakdown (its fastest try) on this machine's cores, labelled as the plan
    /// labels it. Runs that cannot be broken down (a trace made by hand, without its dishes'
    /// units) are left out: the verdict does not depend on them.
    pub(super) fn breakdowns(&self) -> Vec<(String, Breakdown)> {
        let context = RunContext { cores: Some(self.machine.cores.max(1)), frames_ms: None };
        (0..self.len())
            .filter_map(|i| {
                let (spec, trace) = self.fastest(i);
                let label = spec.label.rsplit_once(" (try ").map_or(spec.label.as_str(), |(label, _)| label);
                Some((label.to_string(), Breakdown::of(&spec.experiment, trace, context).ok()?))
            })
            .collect()
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
