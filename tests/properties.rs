//! Property tests over random valid experiments, for every model: the scheduling rules hold
//! on a virtual clock (many cases, same `Schedule` code) and with the real native executors
//! (fewer cases, real kernels and real waits).
#![cfg(not(target_arch = "wasm32"))] // native threads and clocks; tests/web.rs is the wasm ring

use std::collections::HashMap;
use std::sync::Arc;

use kitchen::engine::analysis::GraphAnalysis;
use kitchen::engine::experiment::Phase;
use kitchen::engine::breakdown::{Breakdown, PartKind, RunContext};
use kitchen::engine::simulate::{predict, simulate};
use kitchen::engine::trace::{Source, Span, SpanKind, Trace};
use kitchen::engine::{run_native, Experiment, Model, Plan, Policy};
use proptest::prelude::*;

mod common;
use common::{experiment, fixed};


fn activity(trace: &Trace) -> Vec<&Span> {
    trace.spans.iter().filter(|s| matches!(s.kind, SpanKind::Cook | SpanKind::Simmer)).collect()
}

fn overlap(a: &Span, b: &Span) -> bool {
    a.start_ms < b.end_ms - 1e-9 && b.start_ms < a.end_ms - 1e-9
}

/// Spans occupying a chef: cooking always; simmering only in models that do not juggle.
fn occupying(trace: &Trace) -> Vec<&Span> {
    let juggles = trace.model.juggles();
    activity(trace).into_iter().filter(|s| s.kind == SpanKind::Cook || !juggles).collect()
}

/// Every rule a trace of `experiment` must satisfy, whatever the model.
fn check(experiment: &Experiment, plan: &Plan, trace: &Trace) -> Result<(), TestCaseError> {
    let chefs = experiment.model.effective_chefs(experiment.chefs);
    // Each task ran exactly once: listed once, and exactly its work was cooked.
    prop_assert_eq!(trace.tasks.len(), experiment.tasks.len());
    let total: u64 = plan.steps.iter().flatten().map(|s| s.units()).sum();
    prop_assert_eq!(trace.cooked_units, total, "every unit cooked exactly once");
    prop_assert!(trace.checksums_ok);
    let by_id: HashMap<_, _> = trace.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    for task in &experiment.tasks {
        let t = by_id[task.id.as_str()];
        prop_assert!(t.eligible_ms <= t.start_ms && t.start_ms <= t.end_ms);
        for dep in &task.after {
            prop_assert!(t.start_ms >= by_id[dep.as_str()].end_ms - 1e-9, "{} started before {} ended", task.id, dep);
        }
    }
    // Never more than N chefs, and one chef does one thing at a time.
    prop_assert!(trace.lanes.len() <= chefs, "{} lanes for {} chefs", trace.lanes.len(), chefs);
    let busy = occupying(trace);
    for (i, a) in busy.iter().enumerate() {
        for b in &busy[i + 1..] {
            prop_assert!(a.lane != b.lane || !overlap(a, b), "one chef, two things at once: {:?} {:?}", a, b);
        }
    }
    // Sequential and concurrent: one chef, so no two occupying spans overlap at all.
    if chefs == 1 {
        for (i, a) in busy.iter().enumerate() {
            prop_assert!(busy[i + 1..].iter().all(|b| !overlap(a, b)));
        }
    }
    // Simmers last at least their ms.
    let mut simmer_ms: HashMap<&str, Vec<f64>> = HashMap::new();
    for task in &experiment.tasks {
        for phase in &task.phases {
            if let Phase::Simmer(s) = phase {
                simmer_ms.entry(task.id.as_str()).or_default().push(s.ms);
            }
        }
    }
    for s in trace.spans.iter().filter(|s| s.kind == SpanKind::Simmer) {
        let shortest = simmer_ms[s.task.as_str()].iter().cloned().fold(f64::INFINITY, f64::min);
        prop_assert!(s.end_ms - s.start_ms >= shortest - 1e-6, "simmer too short: {:?}", s);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]
    #[test]
    fn simulated_runs_follow_the_rules(e in experiment(12, 40, 20.0)) {
        let plan = Arc::new(Plan::new(&e, &fixed).unwrap());
        let chefs = e.model.effective_chefs(e.chefs);
        let trace = simulate(plan.clone(), chefs, Policy::new(e.model, e.yield_policy));
        prop_assert_eq!(trace.source, Source::Simulated);
        check(&e, &plan, &trace)?;
        // No schedule beats the work/span bound; a single chef without juggling does all work
        // and all waits one after another.
        let analysis = GraphAnalysis::of(&plan);
        prop_assert!(trace.wall_ms >= analysis.ideal_wall_ms(chefs) - 1e-6, "{} < {:?}", trace.wall_ms, analysis);
        if e.model == Model::Sequential {
            prop_assert!((trace.wall_ms - (analysis.work_ms + analysis.wait_ms)).abs() < 1e-6);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    /// Every simulated chef's time adds up to the wall, and a breakdown of any run adds up to
    /// its wall with no negative part except the overhead.
    #[test]
    fn breakdowns_add_up_to_the_wall(e in experiment(10, 40, 20.0), overhead in -5.0..50.0f64) {
        let plan = Arc::new(Plan::new(&e, &fixed).unwrap());
        let chefs = e.model.effective_chefs(e.chefs);
        let prediction = predict(plan, chefs, Policy::new(e.model, e.yield_policy));
        let wall = prediction.trace.wall_ms;
        prop_assert_eq!(prediction.chefs.len(), chefs);
        for c in &prediction.chefs {
            let spent = c.cook_ms + c.simmer_ms + c.idle_ms();
            prop_assert!((spent - wall).abs() < 1e-6, "chef {:?} spent {} of {}", c, spent, wall);
        }
        let mut measured = prediction.trace.clone();
        measured.source = Source::Measured;
        measured.wall_ms = (wall + overhead).max(0.0);
        let b = Breakdown::of(&e, &measured, RunContext::default()).unwrap();
        prop_assert!((b.total_ms() - measured.wall_ms).abs() < 1e-6, "{:?}", b.parts);
        prop_assert!((b.simulated_ms - wall).abs() < 1e-9);
        for p in b.parts.iter().filter(|p| p.part != PartKind::Overhead) {
            prop_assert!(p.ms > -1e-6, "{:?}", b.parts);
        }
    }
}

proptest! {
    // Real kernels and real waits: few, small cases.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn measured_runs_follow_the_rules(e in experiment(6, 30, 4.0)) {
        let plan = Plan::new(&e, &kitchen::engine::calibrated).unwrap();
        let trace = run_native(&e).unwrap();
        prop_assert_eq!(trace.source, Source::Measured);
        check(&e, &plan, &trace)?;
    }
}

#[test]
fn simulated_overlapped_waits_take_one_wait_and_sequential_takes_all() {
    let waits = |model: &str| {
        Experiment::from_json(&format!(
            r#"{{"version":1,"model":"{model}","chefs":2,"tasks":[
            {{"id":"a","phases":[{{"simmer":{{"ms":200}}}}]}},{{"id":"b","phases":[{{"simmer":{{"ms":200}}}}]}},
            {{"id":"c","phases":[{{"simmer":{{"ms":200}}}}]}}]}}"#
        ))
        .unwrap()
    };
    let wall = |model: Model| {
        let e = waits(model.name());
        let plan = Arc::new(Plan::new(&e, &fixed).unwrap());
        simulate(plan, model.effective_chefs(2), Policy::for_model(model)).wall_ms
    };
    assert_eq!(wall(Model::Sequential), 600.0);
    assert_eq!(wall(Model::Concurrent), 200.0);
    assert_eq!(wall(Model::Parallel), 400.0, "two chefs each wait with a dish");
    assert_eq!(wall(Model::ConcurrentParallel), 200.0);
}

#[test]
fn simulated_split_dish_spreads_chunks_over_chefs() {
    let e = Experiment::from_json(
        r#"{"version":1,"model":"parallel","chefs":4,"tasks":[
        {"id":"frames","phases":[{"cook":{"units":400,"split":{"chunks":8},"serial_ms":25}}]}]}"#,
    )
    .unwrap();
    let plan = Arc::new(Plan::new(&e, &fixed).unwrap());
    let trace = simulate(plan, 4, Policy::for_model(Model::Parallel));
    let chunk_lanes: std::collections::HashSet<_> = trace.spans.iter().filter(|s| s.chunk.is_some()).map(|s| s.lane).collect();
    assert_eq!(chunk_lanes.len(), 4);
    // 25 ms serial, then 100 ms of chunks over 4 chefs: Amdahl's shape exactly.
    assert!((trace.wall_ms - (25.0 + 100.0 / 4.0)).abs() < 1e-9, "{}", trace.wall_ms);
}

#[test]
fn juggling_time_slices_interleave_but_at_simmers_does_not() {
    let e = |policy: &str| {
        Experiment::from_json(&format!(
            r#"{{"version":1,"model":"concurrent","yield":{policy},"tasks":[
            {{"id":"a","phases":[{{"cook":{{"units":200}}}}]}},{{"id":"b","phases":[{{"cook":{{"units":200}}}}]}}]}}"#
        ))
        .unwrap()
    };
    let run = |e: Experiment| {
        let plan = Arc::new(Plan::new(&e, &fixed).unwrap());
        simulate(plan, 1, Policy::new(e.model, e.yield_policy))
    };
    let sliced = run(e(r#"{"every_ms":10}"#));
    assert_eq!(sliced.tasks[0].polls, 5, "50 ms of cooking in 10 ms turns");
    assert!(sliced.tasks[0].end_ms > sliced.tasks[1].start_ms, "interleaved");
    let whole = run(e(r#""at_simmers""#));
    assert_eq!(whole.tasks[0].polls, 1);
    assert!(whole.tasks[0].end_ms <= whole.tasks[1].start_ms, "one after the other");
}
