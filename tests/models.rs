//! Each execution model's defining property, measured natively on real work and real waits.
#![cfg(not(target_arch = "wasm32"))] // native threads and clocks; tests/web.rs is the wasm ring

use kitchen::engine::trace::{Span, SpanKind, Trace};
use kitchen::engine::{run_native, Experiment, Kernel, Model};

fn run(json: &str) -> Trace {
    let trace = run_native(&Experiment::from_json(json).unwrap()).unwrap();
    assert!(trace.checksums_ok, "every kernel must return the checksum of its work");
    trace
}

fn experiment(model: &str, chefs: usize, tasks: &str) -> String {
    format!(r#"{{"version":1,"model":"{model}","chefs":{chefs},"tasks":[{tasks}]}}"#)
}

const THREE_COOKS: &str = r#"{"id":"a","phases":[{"cook":{"ms":40}}]},
    {"id":"b","phases":[{"cook":{"ms":40}}]}, {"id":"c","phases":[{"cook":{"ms":40}}]}"#;
const THREE_SIMMERS: &str = r#"{"id":"a","phases":[{"cook":{"ms":5}},{"simmer":{"ms":80}}]},
    {"id":"b","phases":[{"simmer":{"ms":80}}]}, {"id":"c","phases":[{"simmer":{"ms":80}},{"cook":{"ms":5}}]}"#;

/// Spans where a chef was occupied: cooking, or simmering with the dish (non-juggling).
fn activity(trace: &Trace) -> Vec<&Span> {
    trace.spans.iter().filter(|s| matches!(s.kind, SpanKind::Cook | SpanKind::Simmer)).collect()
}

fn overlap(a: &Span, b: &Span) -> bool {
    a.start_ms < b.end_ms && b.start_ms < a.end_ms
}

fn assert_dependencies_respected(trace: &Trace, json: &str) {
    let e = Experiment::from_json(json).unwrap();
    for task in &e.tasks {
        let me = trace.tasks.iter().find(|t| t.id == task.id).unwrap();
        for dep in &task.after {
            let d = trace.tasks.iter().find(|t| &t.id == dep).unwrap();
            assert!(me.start_ms >= d.end_ms, "{} started at {} before {} ended at {}", me.id, me.start_ms, d.id, d.end_ms);
        }
    }
}

#[test]
fn sequential_never_overlaps_even_while_simmering() {
    let json = experiment("sequential", 4, THREE_SIMMERS);
    let trace = run(&json);
    assert_eq!(trace.tasks.len(), 3);
    let spans = activity(&trace);
    for (i, a) in spans.iter().enumerate() {
        for b in &spans[i + 1..] {
            assert!(!overlap(a, b), "{a:?} overlaps {b:?}");
        }
    }
    assert!(trace.wall_ms >= 240.0, "three 80 ms simmers one after another: {}", trace.wall_ms);
}

#[test]
fn concurrent_is_one_lane_whose_simmers_overlap() {
    let json = experiment("concurrent", 4, THREE_SIMMERS);
    let trace = run(&json);
    assert_eq!(trace.lanes.len(), 1);
    let simmers: Vec<_> = trace.spans.iter().filter(|s| s.kind == SpanKind::Simmer).collect();
    assert!(overlap(simmers[0], simmers[1]) && overlap(simmers[1], simmers[2]), "{simmers:?}");
    assert!(trace.wall_ms < 200.0, "overlapped waits should take about one wait: {}", trace.wall_ms);
    // One chef: cooking never overlaps cooking.
    let cooks: Vec<_> = trace.spans.iter().filter(|s| s.kind == SpanKind::Cook).collect();
    for (i, a) in cooks.iter().enumerate() {
        assert!(cooks[i + 1..].iter().all(|b| !overlap(a, b)));
    }
}

#[test]
fn concurrent_time_slices_interleave_cooking() {
    let trace = run(&experiment("concurrent", 1, THREE_COOKS));
    // 40 ms dishes in 10 ms slices, round robin: each dish's lifetime overlaps the others'.
    let t = &trace.tasks;
    assert!(t[0].end_ms > t[1].start_ms && t[1].end_ms > t[2].start_ms, "{t:?}");
    assert!(trace.spans.len() >= 9, "expected several slices per dish, got {}", trace.spans.len());
}

#[test]
fn parallel_cooks_on_distinct_lanes_at_once() {
    let trace = run(&experiment("parallel", 2, THREE_COOKS));
    let cooks: Vec<_> = trace.spans.iter().filter(|s| s.kind == SpanKind::Cook).collect();
    let overlapping_on_two_lanes =
        cooks.iter().any(|a| cooks.iter().any(|b| a.lane != b.lane && overlap(a, b)));
    assert!(overlapping_on_two_lanes, "{cooks:?}");
    assert_eq!(trace.lanes.len(), 2, "exactly the 2 chefs asked for: {:?}", trace.lanes);
    assert!(trace.lanes.iter().all(|l| l.lane > 0), "parallel chefs are pool threads");
}

#[test]
fn concurrent_parallel_chefs_juggle_simmers() {
    let json = experiment("concurrent-parallel", 2, THREE_SIMMERS);
    let trace = run(&json);
    assert!(trace.wall_ms < 200.0, "all three waits overlap: {}", trace.wall_ms);
}

#[test]
fn every_model_respects_dependencies() {
    let tasks = r#"{"id":"stock","phases":[{"cook":{"ms":10}},{"simmer":{"ms":20}}]},
        {"id":"soup","phases":[{"cook":{"ms":10}}],"after":["stock"]},
        {"id":"bread","phases":[{"simmer":{"ms":15}}]},
        {"id":"plate","phases":[{"cook":{"ms":5}}],"after":["soup","bread"]}"#;
    for model in Model::ALL {
        let json = experiment(model.name(), 2, tasks);
        let trace = run(&json);
        assert_eq!(trace.tasks.len(), 4, "{model:?}");
        assert_dependencies_respected(&trace, &json);
    }
}

#[test]
fn simmers_last_at_least_their_ms() {
    for model in Model::ALL {
        let trace = run(&experiment(model.name(), 2, THREE_SIMMERS));
        for s in trace.spans.iter().filter(|s| s.kind == SpanKind::Simmer) {
            assert!(s.end_ms - s.start_ms >= 80.0 - 1e-9, "{model:?}: {s:?}");
        }
        for t in &trace.tasks {
            assert!(t.end_ms - t.start_ms >= 80.0 - 1e-9, "{model:?}: {t:?}");
        }
    }
}

#[test]
fn every_model_stops_soon_after_a_stop_request() {
    use kitchen::engine::executor::Control;
    use kitchen::engine::run_native_controlled;
    use std::time::{Duration, Instant};

    // Long cooks and a long simmer: far more than the time until the stop request.
    let tasks = r#"{"id":"a","phases":[{"cook":{"ms":5000}},{"simmer":{"ms":5000}}]},
        {"id":"b","phases":[{"simmer":{"ms":5000}}]}, {"id":"c","phases":[{"cook":{"ms":5000}}]}"#;
    for model in Model::ALL {
        let e = Experiment::from_json(&experiment(model.name(), 2, tasks)).unwrap();
        let control = Control::new();
        let stopper = {
            let control = control.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(150));
                control.request_stop();
                Instant::now()
            })
        };
        let trace = run_native_controlled(&e, control).unwrap();
        let latency = stopper.join().unwrap().elapsed();
        assert!(trace.stopped, "{model:?}");
        // The promise is 100 ms (one 10 ms slice or one 50 ms wait check); leave room for a busy CI.
        assert!(latency < Duration::from_millis(250), "{model:?} took {latency:?} to stop");
        assert!(!trace.spans.is_empty(), "{model:?}: the partial trace keeps what was done");
    }
}

#[test]
fn every_kernel_cooks_its_checked_work_in_time_slices() {
    // Juggling slices each cook into many kernel calls; every slice's checksum must still hold.
    let tasks: Vec<String> = Kernel::ALL
        .iter()
        .map(|k| format!(r#"{{"id":"{0}","phases":[{{"cook":{{"ms":30,"kernel":"{0}"}}}}]}}"#, k.name()))
        .collect();
    let trace = run(&experiment("concurrent-parallel", 2, &tasks.join(",")));
    let mut calibrated: Vec<Kernel> = trace.calibration.iter().map(|c| c.kernel).collect();
    calibrated.sort_by_key(|k| k.index());
    assert_eq!(calibrated, Kernel::ALL);
    assert!(trace.cooked_units > 0);
}
