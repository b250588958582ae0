//! Is this trace a consistent measurement of this experiment? The grader's check of every run
//! a student hands in.
//!
//! [`verify_run`] compares a trace with the experiment the grader rebuilt from the student's
//! seed: the model and width asked for, the dishes, every dependency respected, a chef that
//! does not juggle never holding two dishes at once, no chef cooking two things at once, a
//! dish's own phases one after another, everything inside the wall time, the kernels'
//! checksums, the work cooked against the trace's calibration, and waits that really waited.
//! It catches edited or inconsistent traces; it cannot catch a machine that lies consistently
//! (README, "Homework").

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::engine::experiment::{Experiment, Phase};
use crate::engine::graph::Plan;
use crate::engine::kernel::Kernel;
use crate::engine::trace::{Source, Span, SpanKind, Trace};

/// Clock granularity and recording slack, ms: browsers coarsen `performance.now()` (to 5 µs
/// when cross-origin isolated, 100 µs otherwise) and one instant is read twice at a handover.
pub const SLACK_MS: f64 = 0.5;
/// A timed wait may end this much before its ms (timer and clock read by different sources).
pub const SIMMER_SLACK_MS: f64 = 1.0;
/// A dish's cooking must take at least this fraction of what its units take at the trace's
/// calibration. Calibration keeps the fastest of several rounds, so real cooking is rarely
/// faster; but a calibration measured while other programs held the cores is slow (one
/// thread sharing a core with another measures half speed), so only cooking four times
/// faster than calibrated is held implausible.
pub const MIN_COOK_FRACTION: f64 = 0.25;
/// A calibration is trusted for that check only if it measured at least this many units'
/// time: one starved round (the budget ran out during it: seen at 137× too slow on a loaded
/// machine) says nothing about the kernel.
pub const MIN_CALIBRATED_UNITS: f64 = 4.0;

/// What is wrong with a trace, by kind (tests and callers match on it, never on text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The trace is labelled simulated: a prediction, not a measurement.
    NotMeasured,
    /// The run was stopped before every dish was done.
    Stopped,
    /// A kernel returned a checksum its work does not imply.
    Checksums,
    /// Another model, width or yield policy than the run asked for.
    WrongRun,
    /// Dishes missing, extra or repeated.
    WrongDishes,
    /// A dish started before a dish it comes after had ended.
    Dependency,
    /// A chef that does not juggle held two dishes at once, or a chef cooked two at once, or
    /// more chefs worked than the run had.
    ChefOverlap,
    /// A dish's phases overlap each other or its timing disagrees with its spans.
    DishTiming,
    /// A span or dish outside `[0, wall_ms]`.
    OutsideWall,
    /// The trace carries no calibration for a kernel the dishes cook with.
    Calibration,
    /// The units cooked are not the dishes' units at the trace's calibration.
    CookedUnits,
    /// A dish cooked in much less time than its work takes at the trace's calibration.
    CookTooFast,
    /// A wait shorter than its simmer.
    SimmerTooShort,
}

/// One thing wrong with a trace, for people.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What exactly, with the dish and the times.
    pub detail: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

/// Everything inconsistent between `trace` and `experiment` (empty: nothing found). At most a
/// few problems of each kind are listed.
pub fn verify_run(experiment: &Experiment, trace: &Trace) -> Vec<Problem> {
    let mut found = Found::default();
    check_labels(experiment, trace, &mut found);
    if check_dishes(experiment, trace, &mut found) {
        check_dependencies(experiment, trace, &mut found);
        check_dish_timing(trace, &mut found);
        check_work(experiment, trace, &mut found);
    }
    check_lanes(experiment, trace, &mut found);
    check_wall(trace, &mut found);
    found.problems
}

/// Problems found so far, at most [`Found::PER_KIND`] of each kind.
#[derive(Default)]
struct Found {
    problems: Vec<Problem>,
    counts: HashMap<ProblemKind, usize>,
}

impl Found {
    const PER_KIND: usize = 3;

    fn add(&mut self, kind: ProblemKind, detail: impl FnOnce() -> String) {
        let n = self.counts.entry(kind).or_default();
        *n += 1;
        if *n <= Self::PER_KIND {
            self.problems.push(Problem { kind, detail: detail() });
        }
    }
}

fn check_labels(e: &Experiment, t: &Trace, found: &mut Found) {
    if t.source != Source::Measured {
        found.add(ProblemKind::NotMeasured, || "the trace is simulated, not measured".into());
    }
    if t.stopped {
        found.add(ProblemKind::Stopped, || "the run was stopped before its dishes were done".into());
    }
    if !t.checksums_ok {
        found.add(ProblemKind::Checksums, || "a kernel returned a wrong checksum (checksums_ok is false)".into());
    }
    let chefs = e.model.effective_chefs(e.chefs);
    if t.model != e.model || t.chefs != chefs {
        found.add(ProblemKind::WrongRun, || {
            format!("the run was {} with {} chefs, the step asks for {} with {chefs}", t.model.name(), t.chefs, e.model.name())
        });
    }
    let policy = e.model.juggles().then_some(e.yield_policy);
    if t.yield_policy != policy {
        found.add(ProblemKind::WrongRun, || format!("the yield policy is {:?}, the step asks for {policy:?}", t.yield_policy));
    }
}

/// Whether the trace's dishes are exactly the experiment's, each once.
fn check_dishes(e: &Experiment, t: &Trace, found: &mut Found) -> bool {
    let asked: HashSet<&str> = e.tasks.iter().map(|d| d.id.as_str()).collect();
    let mut counts: HashMap<&str, usize> = asked.iter().map(|id| (*id, 0)).collect();
    for task in &t.tasks {
        *counts.entry(task.id.as_str()).or_default() += 1;
    }
    let mut wrong: Vec<(&str, usize)> = counts.into_iter().filter(|(_, n)| *n != 1).collect();
    wrong.sort_unstable();
    for (id, n) in &wrong {
        found.add(ProblemKind::WrongDishes, || match (asked.contains(id), n) {
            (false, _) => format!("dish `{id}` is not in the step's experiment"),
            (true, 0) => format!("dish `{id}` is missing from the trace"),
            (true, n) => format!("dish `{id}` appears {n} times"),
        });
    }
    if let Some(s) = t.spans.iter().find(|s| !asked.contains(s.task.as_str())) {
        found.add(ProblemKind::WrongDishes, || format!("a span of unknown dish `{}`", s.task));
        return false;
    }
    wrong.is_empty()
}

/// When each dish first had a span, and when its last span or its timing ended.
fn dish_bounds(t: &Trace) -> HashMap<&str, (f64, f64)> {
    let mut bounds: HashMap<&str, (f64, f64)> =
        t.tasks.iter().map(|d| (d.id.as_str(), (d.start_ms, d.end_ms))).collect();
    for s in t.spans.iter().filter(|s| is_work(s)) {
        if let Some(b) = bounds.get_mut(s.task.as_str()) {
            b.0 = b.0.min(s.start_ms);
            b.1 = b.1.max(s.end_ms);
        }
    }
    bounds
}

/// Spans where a dish was being cooked or was simmering (not queued).
fn is_work(s: &Span) -> bool {
    matches!(s.kind, SpanKind::Cook | SpanKind::Simmer)
}

fn check_dependencies(e: &Experiment, t: &Trace, found: &mut Found) {
    let bounds = dish_bounds(t);
    for dish in &e.tasks {
        let (start, _) = bounds[dish.id.as_str()];
        for dep in &dish.after {
            let (_, dep_end) = bounds[dep.as_str()];
            if start + SLACK_MS < dep_end {
                found.add(ProblemKind::Dependency, || {
                    format!("dish `{}` started at {start:.1} ms, before `{dep}` (which it comes after) ended at {dep_end:.1} ms", dish.id)
                });
            }
        }
    }
}

/// A dish's own phases come one after another; its timing covers its spans.
fn check_dish_timing(t: &Trace, found: &mut Found) {
    let mut by_dish: HashMap<&str, Vec<&Span>> = HashMap::new();
    // Chunks of a split cook run side by side on several chefs: only whole phases are ordered.
    for s in t.spans.iter().filter(|s| is_work(s) && s.chunk.is_none()) {
        by_dish.entry(s.task.as_str()).or_default().push(s);
    }
    for task in &t.tasks {
        if task.start_ms > task.end_ms || task.eligible_ms > task.start_ms + SLACK_MS {
            found.add(ProblemKind::DishTiming, || format!("dish `{}` has eligible/start/end out of order", task.id));
        }
        let Some(spans) = by_dish.get_mut(task.id.as_str()) else { continue };
        spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        if let Some(w) = spans.windows(2).find(|w| w[1].start_ms + SLACK_MS < w[0].end_ms) {
            found.add(ProblemKind::DishTiming, || {
                format!("dish `{}` was {} from {:.1} ms while it was still {} until {:.1} ms", task.id, doing(w[1]), w[1].start_ms, doing(w[0]), w[0].end_ms)
            });
        }
        let (first, last) = (spans[0].start_ms, spans.iter().map(|s| s.end_ms).fold(0.0, f64::max));
        if first + SLACK_MS < task.start_ms || last > task.end_ms + SLACK_MS {
            found.add(ProblemKind::DishTiming, || {
                format!("dish `{}` has spans from {first:.1} to {last:.1} ms outside its start {:.1} and end {:.1} ms", task.id, task.start_ms, task.end_ms)
            });
        }
    }
}

fn doing(s: &Span) -> &'static str {
    match s.kind {
        SpanKind::Simmer => "simmering",
        _ => "cooking",
    }
}

/// No chef cooks two things at once; a chef that does not juggle holds one dish at a time;
/// no more chefs than the run had.
fn check_lanes(e: &Experiment, t: &Trace, found: &mut Found) {
    let mut lanes: BTreeMap<usize, Vec<&Span>> = BTreeMap::new();
    for s in t.spans.iter().filter(|s| is_work(s)) {
        lanes.entry(s.lane).or_default().push(s);
    }
    let chefs = e.model.effective_chefs(e.chefs);
    if lanes.len() > chefs {
        found.add(ProblemKind::ChefOverlap, || format!("{} chefs worked in a run of {chefs}", lanes.len()));
    }
    let juggles = e.model.juggles();
    for (lane, spans) in &mut lanes {
        spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        // Sweep the lane's spans in start order, keeping the latest-ending one of each kind
        // seen so far: a new span that starts before it ended overlaps it.
        let mut cooking: Option<&Span> = None;
        let mut holding: Option<&Span> = None;
        for s in spans.iter() {
            if s.kind == SpanKind::Cook {
                if let Some(c) = cooking.filter(|c| s.start_ms + SLACK_MS < c.end_ms) {
                    found.add(ProblemKind::ChefOverlap, || {
                        format!("chef on lane {lane} cooked `{}` from {:.1} ms while cooking `{}` until {:.1} ms", s.task, s.start_ms, c.task, c.end_ms)
                    });
                }
                cooking = later(cooking, s);
            }
            if !juggles {
                if let Some(h) = holding.filter(|h| h.task != s.task && s.start_ms + SLACK_MS < h.end_ms) {
                    found.add(ProblemKind::ChefOverlap, || {
                        format!("chef on lane {lane}, who does not juggle, took `{}` at {:.1} ms while `{}` was {} until {:.1} ms", s.task, s.start_ms, h.task, doing(h), h.end_ms)
                    });
                }
                holding = later(holding, s);
            }
        }
    }
}

/// Whichever of `kept` and `s` ends later.
fn later<'a>(kept: Option<&'a Span>, s: &'a Span) -> Option<&'a Span> {
    match kept {
        Some(k) if k.end_ms >= s.end_ms => Some(k),
        _ => Some(s),
    }
}

fn check_wall(t: &Trace, found: &mut Found) {
    let limit = t.wall_ms + SLACK_MS;
    for s in t.spans.iter().filter(|s| s.end_ms > limit) {
        found.add(ProblemKind::OutsideWall, || {
            format!("a span of `{}` ends at {:.1} ms, after the wall time {:.1} ms", s.task, s.end_ms, t.wall_ms)
        });
    }
    for d in t.tasks.iter().filter(|d| d.end_ms > limit) {
        found.add(ProblemKind::OutsideWall, || format!("dish `{}` ends at {:.1} ms, after the wall time {:.1} ms", d.id, d.end_ms, t.wall_ms));
    }
}

/// Units cooked against the calibration; cooking time and waits against the phases.
fn check_work(e: &Experiment, t: &Trace, found: &mut Found) {
    let missing = std::cell::Cell::new(None::<Kernel>);
    let cal = |kernel: Kernel| {
        t.calibration.iter().find(|c| c.kernel == kernel).copied().unwrap_or_else(|| {
            missing.set(Some(kernel));
            crate::engine::kernel::Calibration { kernel, units_per_ms: 1.0, measured_over_ms: 0.0 }
        })
    };
    let plan = match Plan::new(e, &cal) {
        Ok(plan) => plan,
        Err(err) => return found.add(ProblemKind::Calibration, || format!("the dishes cannot be planned with the trace's calibration: {err}")),
    };
    if let Some(k) = missing.get() {
        return found.add(ProblemKind::Calibration, || format!("the trace carries no calibration for the {} kernel", k.name()));
    }
    if let Some(c) = t.calibration.iter().find(|c| !(c.units_per_ms.is_finite() && c.units_per_ms > 0.0)) {
        return found.add(ProblemKind::Calibration, || format!("the {} calibration is not a positive rate", c.kernel.name()));
    }
    let units: u64 = plan.steps.iter().flatten().map(|s| s.units()).sum();
    if t.cooked_units != units {
        found.add(ProblemKind::CookedUnits, || {
            format!("{} units were cooked; the dishes at the trace's calibration are {units}", t.cooked_units)
        });
    }
    let mut cooked: HashMap<&str, (f64, usize)> = HashMap::new();
    let mut simmers: HashMap<&str, Vec<&Span>> = HashMap::new();
    for s in &t.spans {
        match s.kind {
            SpanKind::Cook => {
                let c = cooked.entry(s.task.as_str()).or_default();
                c.0 += s.end_ms - s.start_ms;
                c.1 += 1;
            }
            SpanKind::Simmer => simmers.entry(s.task.as_str()).or_default().push(s),
            _ => {}
        }
    }
    let trusted = |k: Kernel| {
        let c = cal(k);
        c.measured_over_ms >= MIN_CALIBRATED_UNITS / c.units_per_ms
    };
    for (i, dish) in e.tasks.iter().enumerate() {
        let kernels = || plan.steps[i].iter().filter_map(|s| s.kernel());
        let ms: f64 = plan.steps[i]
            .iter()
            .filter_map(|s| s.kernel().map(|k| s.units() as f64 / cal(k).units_per_ms))
            .sum();
        let (took, spans) = cooked.get(dish.id.as_str()).copied().unwrap_or_default();
        // Each span may lose up to a clock tick at either end.
        if kernels().all(trusted) && took + spans as f64 * 2.0 * SLACK_MS < MIN_COOK_FRACTION * ms {
            found.add(ProblemKind::CookTooFast, || {
                format!("dish `{}` cooked for {took:.1} ms; its work takes {ms:.1} ms at the trace's calibration", dish.id)
            });
        }
        let wanted: Vec<f64> = dish.phases.iter().filter_map(|p| if let Phase::Simmer(s) = p { Some(s.ms) } else { None }).collect();
        let mut got: Vec<&Span> = simmers.remove(dish.id.as_str()).unwrap_or_default();
        got.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        if got.len() != wanted.len() {
            found.add(ProblemKind::SimmerTooShort, || format!("dish `{}` has {} simmer spans for {} simmers", dish.id, got.len(), wanted.len()));
            continue;
        }
        if let Some((s, ms)) = got.iter().zip(&wanted).find(|(s, ms)| s.end_ms - s.start_ms < **ms - SIMMER_SLACK_MS) {
            found.add(ProblemKind::SimmerTooShort, || {
                format!("dish `{}` simmered {:.1} ms of its {ms} ms", dish.id, s.end_ms - s.start_ms)
            });
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // runs the kitchen natively
mod tests {
    use super::*;
    use crate::engine::presets;
    use crate::engine::{run_native, Model};

    fn kinds(problems: &[Problem]) -> Vec<ProblemKind> {
        problems.iter().map(|p| p.kind).collect()
    }

    /// A small version of a preset: its first dishes with short phases.
    fn small(id: &str, model: Model, chefs: usize) -> Experiment {
        let mut e = presets::find(id).unwrap().experiment(model, chefs);
        if !e.tasks.iter().any(|t| !t.after.is_empty()) {
            e.tasks.truncate(6);
        }
        for t in &mut e.tasks {
            for p in &mut t.phases {
                match p {
                    // A split in units, not ms: its chunks must not outnumber its units however
                    // slow this (possibly loaded) machine calibrated.
                    Phase::Cook(c) if c.split.is_some() => {
                        c.units = Some(c.units.map_or(64, |u| u.min(16_384)));
                        c.ms = None;
                        c.serial_ms = c.serial_ms.map(|ms| ms.min(2.0));
                    }
                    Phase::Cook(c) => c.ms = c.ms.map(|ms| ms.min(4.0)),
                    Phase::Simmer(s) => s.ms = s.ms.min(6.0),
                }
            }
        }
        e
    }

    #[test]
    fn edits_are_caught_by_kind() {
        let e = small("terraform", Model::Parallel, 2);
        let trace = run_native(&e).unwrap();
        assert_eq!(verify_run(&e, &trace), vec![]);
        // A dish moved before its dependency ended: `app` comes after `cluster`.
        let mut moved = trace.clone();
        let cluster_end = moved.tasks.iter().find(|t| t.id == "cluster").unwrap().end_ms;
        let shift = moved.tasks.iter().find(|t| t.id == "app").unwrap().start_ms - cluster_end + 5.0;
        for t in moved.tasks.iter_mut().filter(|t| t.id == "app") {
            (t.start_ms, t.end_ms, t.eligible_ms) = (t.start_ms - shift, t.end_ms - shift, t.eligible_ms - shift);
        }
        for s in moved.spans.iter_mut().filter(|s| s.task == "app") {
            (s.start_ms, s.end_ms) = (s.start_ms - shift, s.end_ms - shift);
        }
        assert!(kinds(&verify_run(&e, &moved)).contains(&ProblemKind::Dependency), "{:?}", verify_run(&e, &moved));
        // A span stretched past the wall.
        let mut stretched = trace.clone();
        stretched.spans[0].end_ms = stretched.wall_ms + 50.0;
        assert!(kinds(&verify_run(&e, &stretched)).contains(&ProblemKind::OutsideWall));
        // Checksums false; simulated; another width.
        let bad = Trace { checksums_ok: false, ..trace.clone() };
        assert_eq!(kinds(&verify_run(&e, &bad)), [ProblemKind::Checksums]);
        let simulated = Trace { source: Source::Simulated, ..trace.clone() };
        assert_eq!(kinds(&verify_run(&e, &simulated)), [ProblemKind::NotMeasured]);
        let wider = Experiment { chefs: 3, ..e.clone() };
        assert!(kinds(&verify_run(&wider, &trace)).contains(&ProblemKind::WrongRun));
        // Cooked units or calibration edited: a faster "machine" with the same spans.
        let mut faster = trace.clone();
        faster.calibration[0].units_per_ms *= 3.0;
        assert!(kinds(&verify_run(&e, &faster)).contains(&ProblemKind::CookedUnits));
        // Every time halved: simmers too short.
        let mut halved = trace.clone();
        for s in &mut halved.spans {
            (s.start_ms, s.end_ms) = (s.start_ms / 2.0, s.end_ms / 2.0);
        }
        for t in &mut halved.tasks {
            (t.eligible_ms, t.start_ms, t.end_ms) = (t.eligible_ms / 2.0, t.start_ms / 2.0, t.end_ms / 2.0);
        }
        halved.wall_ms /= 2.0;
        assert!(kinds(&verify_run(&e, &halved)).contains(&ProblemKind::SimmerTooShort), "{:?}", verify_run(&e, &halved));
    }

    #[test]
    fn cooking_ten_times_faster_than_calibrated_is_implausible_unless_the_calibration_starved() {
        // Three dishes of 30 ms: a tenth of that is well beyond the clock's slack.
        let e = presets::find("three-dishes").unwrap().experiment(Model::Sequential, 1);
        let e = Experiment::from_json(&serde_json::to_string(&e).unwrap().replace("300.0", "30.0")).unwrap();
        let mut trace = run_native(&e).unwrap();
        // However this process's calibration went, make it a trusted one of the same rate.
        for c in &mut trace.calibration {
            c.measured_over_ms = 200.0 + MIN_CALIBRATED_UNITS / c.units_per_ms;
        }
        assert_eq!(verify_run(&e, &trace), vec![]);
        // Every time divided so that the slowest dish cooked ten times faster than calibrated
        // (however slowly this loaded machine really cooked).
        let units_ms = 30.0 * trace.calibration[0].units_per_ms;
        let calibrated_ms = units_ms.round() / trace.calibration[0].units_per_ms;
        let slowest = trace.spans.iter().filter(|s| s.kind == SpanKind::Cook).map(|s| s.end_ms - s.start_ms).fold(0.0, f64::max);
        let f = slowest / (0.1 * calibrated_ms);
        let mut shrunk = trace.clone();
        for s in &mut shrunk.spans {
            (s.start_ms, s.end_ms) = (s.start_ms / f, s.end_ms / f);
        }
        for t in &mut shrunk.tasks {
            (t.eligible_ms, t.start_ms, t.end_ms) = (t.eligible_ms / f, t.start_ms / f, t.end_ms / f);
        }
        shrunk.wall_ms /= f;
        assert_eq!(kinds(&verify_run(&e, &shrunk)), [ProblemKind::CookTooFast; 3]);
        // A calibration measured over less than a few units' time was starved: not held against the run.
        for c in &mut shrunk.calibration {
            c.measured_over_ms = 1.0 / c.units_per_ms;
        }
        assert_eq!(verify_run(&e, &shrunk), vec![]);
    }

    #[test]
    fn a_chef_who_does_not_juggle_never_holds_two_dishes() {
        let e = small("restaurant-rush", Model::Sequential, 1);
        let trace = run_native(&e).unwrap();
        assert_eq!(verify_run(&e, &trace), vec![]);
        // Overlap the second order's wait with the first's, as a juggling chef would.
        let mut overlapped = trace.clone();
        let first = overlapped.spans.iter().find(|s| s.kind == SpanKind::Simmer).unwrap().clone();
        let s = overlapped.spans.iter_mut().filter(|s| s.kind == SpanKind::Simmer).nth(1).unwrap();
        let (len, task) = (s.end_ms - s.start_ms, s.task.clone());
        (s.start_ms, s.end_ms) = (first.start_ms + 1.0, first.start_ms + 1.0 + len);
        for t in overlapped.tasks.iter_mut().filter(|t| t.id == task) {
            (t.start_ms, t.end_ms) = (first.start_ms + 1.0, first.start_ms + 1.0 + len);
        }
        assert!(kinds(&verify_run(&e, &overlapped)).contains(&ProblemKind::ChefOverlap), "{:?}", verify_run(&e, &overlapped));
        // The same overlap is what a juggling chef does.
        let juggling = Experiment { model: Model::Concurrent, ..e.clone() };
        let t = run_native(&juggling).unwrap();
        assert_eq!(verify_run(&juggling, &t), vec![]);
    }

    #[test]
    fn missing_and_extra_dishes_are_named() {
        let e = small("three-dishes", Model::Sequential, 1);
        let mut t = run_native(&e).unwrap();
        t.tasks.pop();
        let p = verify_run(&e, &t);
        assert!(p.iter().any(|p| p.kind == ProblemKind::WrongDishes && p.detail.contains("dessert")), "{p:?}");
    }
}
