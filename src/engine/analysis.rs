//! Analysis: what a plan *could* achieve, and what a measured run *did* achieve.
//!
//! [`GraphAnalysis`] reads only the plan (estimated durations from the calibration) and gives
//! the classic work/span numbers; [`TraceMetrics`] and [`eligibility`] read measured traces;
//! [`karp_flatt`] and [`fit_amdahl`] turn measured speedups into a serial fraction (a sweep's
//! speedups are measured in [`super::sweep`]). Everything here is a pure function of its inputs, so the UI, the JS API and the
//! native runner can all show the same numbers, and the tests can check them by hand.

use std::collections::{HashMap, VecDeque};

use serde::Serialize;

use super::graph::{Plan, Step};
use super::kernel::Kernel;
use super::trace::{Span, SpanKind, Trace};

/// Work/span analysis of a plan, from its *estimated* durations: a cook lasts
/// `units / units_per_ms` of its kernel's calibration, a simmer its `ms`. Computed, not measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphAnalysis {
    /// Total cook time: the CPU work, what one chef would spend computing (T₁ for CPU work).
    pub work_ms: f64,
    /// Total simmer time: waits, which need no CPU.
    pub wait_ms: f64,
    /// Critical path length (T∞): the longest chain of dependent dishes, each counted as the
    /// sum of its phases (cooks and simmers), since no number of chefs shortens a dish's own
    /// phases or lets a dish start before the dishes it comes after have ended.
    pub span_ms: f64,
    /// The ids of the dishes on one critical path, in execution order.
    pub critical_path: Vec<String>,
    /// Available parallelism for the CPU work: `work_ms / span_ms`, the largest number of
    /// chefs that could on average be kept cooking; beyond it, more chefs cannot help. Below 1
    /// when waits dominate the critical path (0 when there is nothing to cook).
    pub parallelism: f64,
}

impl GraphAnalysis {
    /// Analyses `plan`, which must be acyclic (as [`Plan::new`] guarantees).
    pub fn of(plan: &Plan) -> GraphAnalysis {
        let lengths: Vec<f64> = plan.steps.iter().map(|steps| steps.iter().map(|s| step_span_ms(plan, s)).sum()).collect();
        let (work_ms, wait_ms) = plan.steps.iter().flatten().fold((0.0, 0.0), |(work, wait), step| match step {
            Step::Cook { .. } | Step::Fork { .. } => (work + step_work_ms(plan, step), wait),
            Step::Simmer { ms } => (work, wait + ms),
        });
        let (span_ms, path) = critical_path(plan, &lengths);
        GraphAnalysis {
            work_ms,
            wait_ms,
            span_ms,
            critical_path: path.into_iter().map(|t| plan.ids[t].clone()).collect(),
            parallelism: if span_ms > 0.0 { work_ms / span_ms } else { 0.0 },
        }
    }

    /// The ideal lower bound on wall time with `chefs` chefs: `max(span_ms, work_ms / chefs)`,
    /// the classic work/span bound — no schedule beats the critical path, nor `chefs` chefs
    /// sharing the work perfectly. Computed, not measured; real runs add scheduling and
    /// thread start-up. It holds for every model; it is tight for the juggling ones, since a
    /// non-juggling chef also stays with a simmering dish. `chefs` of 0 counts as 1.
    pub fn ideal_wall_ms(&self, chefs: usize) -> f64 {
        self.span_ms.max(self.work_ms / chefs.max(1) as f64)
    }
}

/// Estimated ms of `units` of `kernel`. A plan from `Plan::new` calibrates every kernel it
/// cooks with; a hand-built plan without one counts its cooks as free rather than failing.
fn cook_ms(plan: &Plan, kernel: Kernel, units: u64) -> f64 {
    plan.calibration.iter().find(|c| c.kernel == kernel).map_or(0.0, |c| units as f64 / c.units_per_ms)
}

/// The CPU work of one step on one thread (a fork's chunks added up).
fn step_work_ms(plan: &Plan, step: &Step) -> f64 {
    step.kernel().map_or(0.0, |k| cook_ms(plan, k, step.units()))
}

/// How long one step takes with unlimited chefs: a fork's chunks all at once, so its longest.
fn step_span_ms(plan: &Plan, step: &Step) -> f64 {
    match step {
        Step::Simmer { ms } => *ms,
        Step::Cook { kernel, units } => cook_ms(plan, *kernel, *units),
        Step::Fork { kernel, chunks } => cook_ms(plan, *kernel, chunks.iter().copied().max().unwrap_or(0)),
    }
}

/// Kahn's algorithm: tasks in an order where each comes after all it depends on; ties in
/// task order, so results are deterministic. Tasks on a cycle (not in a valid plan) are left out.
fn topological_order(plan: &Plan) -> Vec<usize> {
    let mut waiting: Vec<usize> = plan.deps.iter().map(Vec::len).collect();
    let mut ready: VecDeque<usize> = (0..plan.len()).filter(|&t| waiting[t] == 0).collect();
    let mut order = Vec::with_capacity(plan.len());
    while let Some(task) = ready.pop_front() {
        order.push(task);
        for &next in &plan.dependents[task] {
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.push_back(next);
            }
        }
    }
    order
}

/// The longest path through the DAG weighted by `lengths`, as (its length, its tasks in
/// execution order). Ties go to the earlier task, so the answer is deterministic.
fn critical_path(plan: &Plan, lengths: &[f64]) -> (f64, Vec<usize>) {
    let mut finish = vec![0.0; plan.len()];
    let mut via: Vec<Option<usize>> = vec![None; plan.len()];
    for task in topological_order(plan) {
        let mut start = 0.0;
        for &d in &plan.deps[task] {
            if via[task].is_none() || finish[d] > start {
                start = finish[d];
                via[task] = Some(d);
            }
        }
        finish[task] = start + lengths[task];
    }
    let Some(last) = (0..plan.len()).reduce(|best, t| if finish[t] > finish[best] { t } else { best }) else {
        return (0.0, Vec::new());
    };
    let mut path = vec![last];
    while let Some(prev) = via[*path.last().unwrap()] {
        path.push(prev);
    }
    path.reverse();
    (finish[last], path)
}

/// How many dishes were eligible — all their dependencies ended, not yet ended themselves
/// (so cooking, simmering or waiting for a chef) — over the run, as a step function: each
/// `(ms, count)` holds from `ms` until the next point. The first point is at 0; a point is
/// added only where the count changes. Dishes the trace does not list as ended (a stopped run)
/// stay eligible to the end once their dependencies have ended.
pub fn eligibility(trace: &Trace, plan: &Plan) -> Vec<(f64, usize)> {
    let ended: HashMap<&str, f64> = trace.tasks.iter().map(|t| (t.id.as_str(), t.end_ms)).collect();
    let end_of = |task: usize| ended.get(plan.ids[task].as_str()).copied();
    // (time, +1 or −1); a dish whose dependencies never all ended never becomes eligible.
    let mut changes: Vec<(f64, isize)> = Vec::new();
    for task in 0..plan.len() {
        let deps_end: Option<f64> = plan.deps[task].iter().try_fold(0.0, |at: f64, &d| end_of(d).map(|e| at.max(e)));
        let Some(from) = deps_end else { continue };
        changes.push((from, 1));
        if let Some(end) = end_of(task) {
            changes.push((end, -1));
        }
    }
    changes.sort_by(|a, b| a.0.total_cmp(&b.0));
    step_function(&changes)
}

/// Sums `changes` (sorted by time) into counts, applying all changes at one instant together.
fn step_function(changes: &[(f64, isize)]) -> Vec<(f64, usize)> {
    let mut points = vec![(0.0, 0usize)];
    let mut count: isize = 0;
    let mut i = 0;
    while i < changes.len() {
        let at = changes[i].0;
        while i < changes.len() && changes[i].0 == at {
            count += changes[i].1;
            i += 1;
        }
        let now = count.max(0) as usize;
        match points.last_mut() {
            // Changes at time 0 (or before, with a skewed clock) set the starting count.
            Some(last) if at <= 0.0 => last.1 = now,
            Some(&mut (_, previous)) if previous == now => {}
            _ => points.push((at, now)),
        }
    }
    points
}

/// What a measured run kept its chefs doing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceMetrics {
    pub wall_ms: f64,
    /// Per lane that ran anything, in lane order: how long it spent cooking.
    pub lanes: Vec<LaneBusy>,
    /// Cooking time summed over lanes.
    pub busy_ms: f64,
    /// `busy_ms / (wall_ms × lanes used)`: the share of the used lanes' time spent computing.
    /// Lanes a run never used are not counted; a sweep's
    /// [`efficiency`](super::sweep::SweepPoint::efficiency) measures against all the chefs instead.
    pub utilisation: f64,
}

/// One lane's cooking time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LaneBusy {
    pub lane: usize,
    pub busy_ms: f64,
}

impl TraceMetrics {
    /// Measures `trace`. Busy means `kind == Cook`: simmering, or any other span kind, is
    /// not computing.
    pub fn of(trace: &Trace) -> TraceMetrics {
        let mut used: Vec<usize> =
            trace.lanes.iter().map(|l| l.lane).chain(trace.spans.iter().map(|s| s.lane)).collect();
        used.sort_unstable();
        used.dedup();
        let lanes: Vec<LaneBusy> =
            used.iter().map(|&lane| LaneBusy { lane, busy_ms: busy_on(&trace.spans, lane) }).collect();
        let busy_ms: f64 = lanes.iter().map(|l| l.busy_ms).sum();
        let capacity = trace.wall_ms * lanes.len() as f64;
        TraceMetrics {
            wall_ms: trace.wall_ms,
            lanes,
            busy_ms,
            utilisation: if capacity > 0.0 { busy_ms / capacity } else { 0.0 },
        }
    }
}

/// Time `lane` spent cooking, counting overlapping cook spans once: a lane runs one thing at a
/// time, but a trace read from JSON may not.
fn busy_on(spans: &[Span], lane: usize) -> f64 {
    let mut cooks: Vec<(f64, f64)> = spans
        .iter()
        .filter(|s| s.lane == lane && s.kind == SpanKind::Cook && s.end_ms > s.start_ms)
        .map(|s| (s.start_ms, s.end_ms))
        .collect();
    cooks.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut busy = 0.0;
    let mut covered_to = f64::NEG_INFINITY;
    for (start, end) in cooks {
        let from = start.max(covered_to);
        if end > from {
            busy += end - from;
            covered_to = end;
        }
    }
    busy
}

/// The Karp–Flatt metric: the experimentally determined serial fraction
/// `e = (1/S − 1/p) / (1 − 1/p)` for a measured speedup `S` on `p` chefs. If Amdahl's law held
/// exactly this is its serial fraction; a value that grows with `p` points at overhead
/// (scheduling, contention) rather than inherently serial work. Not clamped: a superlinear
/// speedup gives a negative value. `None` for `p ≤ 1` (undefined) or a speedup that is not a
/// positive number.
pub fn karp_flatt(speedup: f64, p: usize) -> Option<f64> {
    if p <= 1 || !(speedup > 0.0 && speedup.is_finite()) {
        return None;
    }
    let inv_p = 1.0 / p as f64;
    Some((1.0 / speedup - inv_p) / (1.0 - inv_p))
}

/// Fits Amdahl's law `1/S = f + (1 − f)/p` to measured `(chefs, speedup)` points of a sweep
/// and returns the serial fraction `f`, clamped to [0, 1].
///
/// With `x = 1/p` and `y = 1/S` the law is `y − x = f (1 − x)`: a line through the origin with
/// one unknown, so least squares has the closed form `f = Σ(1−x)(y−x) / Σ(1−x)²`. (Fitting a
/// free intercept and slope would let them disagree with `slope = 1 − f`.) Points with one chef
/// say nothing about `f` (every `f` gives `S = 1`) and get no weight. Points with 0 chefs or a
/// speedup that is not a positive number are ignored. `None` when no point has `p > 1`.
pub fn fit_amdahl(points: &[(usize, f64)]) -> Option<f64> {
    let (num, den) = points
        .iter()
        .filter(|&&(p, s)| p > 0 && s > 0.0 && s.is_finite())
        .map(|&(p, s)| (1.0 / p as f64, 1.0 / s))
        .fold((0.0, 0.0), |(num, den), (x, y)| (num + (1.0 - x) * (y - x), den + (1.0 - x) * (1.0 - x)));
    (den > 0.0).then(|| (num / den).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::experiment::{Experiment, Model};
    use crate::engine::kernel::Calibration;
    use crate::engine::trace::TaskTiming;

    /// A plan whose cooks take exactly their `ms` (10 units per ms).
    fn plan(tasks: &str) -> Plan {
        let json = format!(r#"{{"version":1,"model":"parallel","chefs":4,"tasks":[{tasks}]}}"#);
        Plan::new(&Experiment::from_json(&json).unwrap(), &|k| Calibration {
            kernel: k,
            units_per_ms: 10.0,
            measured_over_ms: 0.0,
        })
        .unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_chain_has_span_equal_to_its_sum_and_no_parallelism() {
        let g = GraphAnalysis::of(&plan(
            r#"{"id":"a","phases":[{"cook":{"ms":10}}]},
               {"id":"b","phases":[{"cook":{"ms":20}},{"simmer":{"ms":5}}],"after":["a"]},
               {"id":"c","phases":[{"cook":{"ms":30}}],"after":["b"]}"#,
        ));
        assert!(close(g.work_ms, 60.0) && close(g.wait_ms, 5.0), "{g:?}");
        assert!(close(g.span_ms, 65.0), "{g:?}");
        assert_eq!(g.critical_path, ["a", "b", "c"]);
        // The simmer is on the path but is not work: less than one chef's worth of cooking.
        assert!(close(g.parallelism, 60.0 / 65.0), "{g:?}");
    }

    #[test]
    fn a_chain_of_cooks_has_parallelism_one() {
        let g = GraphAnalysis::of(&plan(
            r#"{"id":"a","phases":[{"cook":{"ms":10}}]}, {"id":"b","phases":[{"cook":{"ms":20}}],"after":["a"]}"#,
        ));
        assert!(close(g.span_ms, 30.0) && close(g.parallelism, 1.0), "{g:?}");
    }

    #[test]
    fn a_fan_out_has_span_equal_to_its_longest_branch() {
        let g = GraphAnalysis::of(&plan(
            r#"{"id":"a","phases":[{"cook":{"ms":10}}]}, {"id":"b","phases":[{"cook":{"ms":40}}]},
               {"id":"c","phases":[{"cook":{"ms":30}}]}, {"id":"d","phases":[{"simmer":{"ms":20}}]}"#,
        ));
        assert!(close(g.work_ms, 80.0) && close(g.wait_ms, 20.0) && close(g.span_ms, 40.0), "{g:?}");
        assert_eq!(g.critical_path, ["b"]);
        assert!(close(g.parallelism, 2.0), "{g:?}");
    }

    #[test]
    fn a_diamond_names_its_critical_path_in_order() {
        // top(5) → left(10) or right(30 = 10 cook + 20 simmer) → bottom(5): the path goes right.
        let g = GraphAnalysis::of(&plan(
            r#"{"id":"bottom","phases":[{"cook":{"ms":5}}],"after":["left","right"]},
               {"id":"left","phases":[{"cook":{"ms":10}}],"after":["top"]},
               {"id":"right","phases":[{"cook":{"ms":10}},{"simmer":{"ms":20}}],"after":["top"]},
               {"id":"top","phases":[{"cook":{"ms":5}}]}"#,
        ));
        assert_eq!(g.critical_path, ["top", "right", "bottom"]);
        assert!(close(g.span_ms, 40.0) && close(g.work_ms, 30.0), "{g:?}");
    }

    #[test]
    fn ideal_wall_is_the_work_span_bound() {
        // Work 80, span 40: one chef needs 80, two 40, and more cannot beat the span.
        let g = GraphAnalysis::of(&plan(
            r#"{"id":"a","phases":[{"cook":{"ms":10}}]}, {"id":"b","phases":[{"cook":{"ms":40}}]},
               {"id":"c","phases":[{"cook":{"ms":30}}]}"#,
        ));
        let walls: Vec<f64> = (1..=4).map(|chefs| g.ideal_wall_ms(chefs)).collect();
        assert_eq!(walls, [80.0, 40.0, 40.0, 40.0]);
        assert_eq!(g.ideal_wall_ms(0), 80.0);
    }

    #[test]
    fn karp_flatt_is_zero_for_linear_speedup_and_f_for_amdahl() {
        for p in 2..=8 {
            assert!(close(karp_flatt(p as f64, p).unwrap(), 0.0));
            let amdahl = 1.0 / (0.2 + 0.8 / p as f64);
            assert!(close(karp_flatt(amdahl, p).unwrap(), 0.2), "p = {p}");
        }
        assert_eq!(karp_flatt(1.0, 1), None);
        assert_eq!(karp_flatt(0.0, 4), None);
    }

    #[test]
    fn fit_amdahl_recovers_the_generating_fraction() {
        for f in [0.0, 0.05, 0.2, 0.5, 1.0] {
            let points: Vec<_> = (1..=8).map(|p| (p, 1.0 / (f + (1.0 - f) / p as f64))).collect();
            assert!(close(fit_amdahl(&points).unwrap(), f), "f = {f}");
        }
        // Superlinear points would fit a negative fraction: clamped.
        assert_eq!(fit_amdahl(&[(2, 2.5), (4, 5.0)]), Some(0.0));
        assert_eq!(fit_amdahl(&[(1, 1.0)]), None);
        assert_eq!(fit_amdahl(&[]), None);
    }

    fn trace(chefs: usize, wall_ms: f64, tasks: &[(&str, f64, f64)], spans: Vec<Span>) -> Trace {
        let tasks = tasks.iter().map(|&(id, start, end)| TaskTiming::new(id, 1, start, start, end)).collect();
        Trace::measured(Model::Parallel, chefs).with_tasks(tasks).with_spans(spans).with_wall(wall_ms)
    }

    #[test]
    fn eligibility_counts_dishes_whose_dependencies_have_ended() {
        // a and b start eligible; c comes after both; a ends at 10, b at 20, c at 35.
        let p = plan(
            r#"{"id":"a","phases":[{"cook":{"ms":10}}]}, {"id":"b","phases":[{"cook":{"ms":20}}]},
               {"id":"c","phases":[{"cook":{"ms":15}}],"after":["a","b"]}"#,
        );
        let t = trace(1, 35.0, &[("a", 0.0, 10.0), ("b", 10.0, 20.0), ("c", 20.0, 35.0)], vec![]);
        // At 20 b ends and c becomes eligible at once: no change, no point.
        assert_eq!(eligibility(&t, &p), [(0.0, 2), (10.0, 1), (35.0, 0)]);
    }

    #[test]
    fn eligibility_of_a_stopped_run_keeps_unfinished_dishes() {
        let p = plan(
            r#"{"id":"a","phases":[{"cook":{"ms":10}}]}, {"id":"b","phases":[{"cook":{"ms":20}}],"after":["a"]},
               {"id":"c","phases":[{"cook":{"ms":15}}],"after":["b"]}"#,
        );
        let mut t = trace(1, 15.0, &[("a", 0.0, 10.0)], vec![]);
        t.stopped = true;
        // b became eligible at 10 and never ended; c never became eligible.
        assert_eq!(eligibility(&t, &p), [(0.0, 1)]);
    }

    #[test]
    fn metrics_count_only_cooking_as_busy() {
        let t = trace(
            2,
            100.0,
            &[],
            vec![
                Span::new("a", 1, SpanKind::Cook, 0.0, 60.0),
                Span::new("a", 1, SpanKind::Simmer, 60.0, 100.0),
                Span::new("b", 2, SpanKind::Cook, 0.0, 30.0),
                // Overlaps the cook before it on the same lane: counted once.
                Span::new("c", 2, SpanKind::Cook, 20.0, 40.0),
            ],
        );
        let m = TraceMetrics::of(&t);
        assert_eq!(m.lanes, [LaneBusy { lane: 1, busy_ms: 60.0 }, LaneBusy { lane: 2, busy_ms: 40.0 }]);
        assert!(close(m.busy_ms, 100.0) && close(m.utilisation, 0.5), "{m:?}");
    }

    #[test]
    fn results_serialise_for_js() {
        let g = GraphAnalysis::of(&plan(r#"{"id":"a","phases":[{"cook":{"ms":10}}]}"#));
        let json = serde_json::to_value(&g).unwrap();
        assert_eq!(json["critical_path"], serde_json::json!(["a"]));
        assert_eq!(json["span_ms"], 10.0);
    }
}
