//! Golden files: the documented examples must keep working, and the trace format must not
//! change by accident.
//!
//! - every `docs/examples/*.json` parses, validates and runs (on the simulator, with a fixed
//!   calibration: fast and deterministic);
//! - every ```` ```json ```` block of `docs/format.md` that is an experiment, a trace or a
//!   permalink's state parses as one (a state also round-trips through a link); the blocks
//!   that are none of these are listed in [`SKIPPED_BLOCKS`] with a reason, so a new or
//!   broken example cannot slip through unread;
//! - a simulated trace of [`GOLDEN_EXPERIMENT`] serialises exactly as `tests/golden/trace-v1.json`.
//!   After an intended format change, rewrite it with `UPDATE_GOLDEN=1 cargo test --test golden`
//!   and review the diff (and `FORMAT_VERSION`, and docs/format.md).

// Native only: reads the repository's files from disk.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kitchen::engine::simulate::simulate;
use kitchen::engine::trace::Source;
use kitchen::engine::{Calibration, Experiment, Kernel, Plan, Policy, Trace};
use kitchen::engine::homework::{check_answer, seed_for, Assignment, Computed, MeasuredRuns, Submission, Verdict};
use kitchen::engine::lessons::Machine;
use kitchen::engine::share::{link, LinkState};
use serde_json::Value;

/// A fixed calibration: simulated durations depend on nothing about this machine.
fn fixed(kernel: Kernel) -> Calibration {
    Calibration { kernel, units_per_ms: 10.0, measured_over_ms: 0.0 }
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Validates `experiment` and simulates it with its own model, chefs and yield policy.
fn simulated(experiment: &Experiment) -> Trace {
    let plan = Plan::new(experiment, &fixed).unwrap_or_else(|e| panic!("does not validate: {e}"));
    let chefs = experiment.model.effective_chefs(experiment.chefs);
    simulate(Arc::new(plan), chefs, Policy::new(experiment.model, experiment.yield_policy))
}

#[test]
fn every_example_parses_validates_and_runs() {
    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo("docs/examples"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    examples.sort();
    assert!(!examples.is_empty(), "no docs/examples/*.json found");
    for path in examples {
        let name = path.display();
        let text = std::fs::read_to_string(&path).unwrap();
        let experiment = Experiment::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let trace = simulated(&experiment);
        assert_eq!(trace.source, Source::Simulated, "{name}");
        assert!(!trace.stopped && trace.checksums_ok, "{name}");
        assert_eq!(trace.tasks.len(), experiment.tasks.len(), "{name}: every dish ends");
        assert!(trace.wall_ms > 0.0 && trace.wall_ms.is_finite(), "{name}: wall {}", trace.wall_ms);
    }
}

/// Every `docs/assignments/*.json` parses and validates, and for several students on machines of
/// 1, 2 and 8 cores every run plans, and every question can be checked against simulated runs.
#[test]
fn every_sample_assignment_parses_and_every_question_can_be_checked() {
    let mut samples: Vec<PathBuf> = std::fs::read_dir(repo("docs/assignments"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    samples.sort();
    assert!(samples.len() >= 3, "docs/assignments has {} samples", samples.len());
    for path in samples {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let assignment = Assignment::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_answerable(&assignment, &name);
    }
}

/// Plans every step for a few students and machines, simulates the runs (fixed calibration)
/// and checks that no question of `assignment` is left uncheckable.
fn assert_answerable(assignment: &Assignment, at: &str) {
    let digest = assignment.digest();
    for cores in [1, 2, 8] {
        for student in ["ada", "grace", "linus"] {
            let seed = seed_for(&digest, student);
            for step in &assignment.steps {
                let planned = step.runs_for(seed, &Machine::browser_like(cores)).unwrap_or_else(|e| panic!("{at}: step {}: {e}", step.id));
                let mut measured = MeasuredRuns::new();
                for run in &planned {
                    measured.insert(&run.id, &simulated(&run.experiment), Some(10.0));
                }
                let cal: Vec<Calibration> = kitchen::engine::Kernel::ALL.iter().map(|k| fixed(*k)).collect();
                let computed = Computed::for_step(step, &planned, &cal);
                for q in &step.questions {
                    let answer = kitchen::engine::homework::Answer {
                        question: q.id.clone(),
                        value: kitchen::engine::homework::AnswerValue::Number(1.0),
                        answered_at: Some(1.0),
                    };
                    let v = check_answer(q, Some(&answer), &measured, &computed).verdict;
                    assert!(!matches!(v, Verdict::CannotCheck(_) | Verdict::Flagged(_)), "{at}: {student} on {cores} cores, {}/{}: {v:?}", step.id, q.id);
                }
            }
        }
    }
}

/// ```` ```json ```` blocks of docs/format.md that are neither an experiment nor a trace: a
/// text every such block contains, and why it is not read here. Each entry must match a block.
const SKIPPED_BLOCKS: &[(&str, &str)] = &[
    ("\"longest_gap_ms\"", "the meter's report: output of kitchen.meter.stop(), never read back"),
    ("\"verdict\"", "a lesson's result: output of kitchen.runLesson(), never read back"),
    ("\"amdahl\"", "a sweep: output of `sweep --json` and kitchen.sweep(), never read back"),
    ("\"explained\"", "a sweep's explanation: output of `sweep --json` and kitchen.sweep(), never read back"),
    ("\"parts\"", "a breakdown: output of kitchen.breakdown() and `run --json`, never read back"),
];

/// The ```` ```json ```` blocks of a Markdown text, each with the line it starts on.
fn json_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        match (&mut open, line.trim_start()) {
            (None, "```json") => open = Some((i + 1, String::new())),
            (Some(_), "```") => blocks.push(open.take().unwrap()),
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, _) => {}
        }
    }
    assert!(open.is_none(), "docs/format.md: a ```json block is never closed");
    blocks
}

/// Which format a block is, by its keys: a trace has `source` and `spans`, an experiment
/// `model` and `tasks` without them.
fn kind_of(block: &str) -> Option<&'static str> {
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(block) else { return None };
    let has = |key: &str| object.contains_key(key);
    match object.get("kind").and_then(Value::as_str) {
        Some("assignment") => return Some("assignment"),
        Some("submission") => return Some("submission"),
        _ => {}
    }
    if has("source") && has("spans") {
        Some("trace")
    } else if has("model") && has("tasks") {
        Some("experiment")
    } else if has("experiment") && !has("type") {
        Some("link")
    } else {
        None
    }
}

#[test]
fn every_json_example_in_the_format_doc_parses() {
    let doc = std::fs::read_to_string(repo("docs/format.md")).unwrap();
    let blocks = json_blocks(&doc);
    let mut skips_used = vec![false; SKIPPED_BLOCKS.len()];
    let (mut experiments, mut traces, mut links, mut homework) = (0, 0, 0, 0);
    for (line, block) in &blocks {
        let at = format!("docs/format.md:{line}");
        match kind_of(block) {
            Some("experiment") => {
                let experiment = Experiment::from_json(block).unwrap_or_else(|e| panic!("{at}: {e}"));
                simulated(&experiment);
                experiments += 1;
            }
            Some("assignment") => {
                let assignment = Assignment::from_json(block).unwrap_or_else(|e| panic!("{at}: {e}"));
                assert_answerable(&assignment, &at);
                homework += 1;
            }
            Some("submission") => {
                Submission::from_json(block).unwrap_or_else(|e| panic!("{at}: {e}"));
                homework += 1;
            }
            Some("link") => {
                // A permalink's state: it reads, and goes through a link unchanged.
                let state: LinkState = serde_json::from_str(block).unwrap_or_else(|e| panic!("{at}: not a link's state: {e}"));
                assert_eq!(link::decode(&link::encode(&state)).unwrap_or_else(|e| panic!("{at}: {e}")), state, "{at}");
                links += 1;
            }
            Some(_) => {
                let trace: Trace = serde_json::from_str(block).unwrap_or_else(|e| panic!("{at}: not a trace: {e}"));
                assert_eq!(trace.version, kitchen::engine::FORMAT_VERSION, "{at}");
                traces += 1;
            }
            None => {
                let skip = SKIPPED_BLOCKS.iter().position(|(marker, _)| block.contains(marker));
                let Some(skip) = skip else {
                    panic!("{at}: a ```json block that is neither an experiment nor a trace: fix it, or list it in SKIPPED_BLOCKS with a reason:\n{block}")
                };
                skips_used[skip] = true;
            }
        }
    }
    assert!(experiments >= 1 && traces >= 1 && links >= 1, "{experiments} experiments, {traces} traces and {links} link states found in docs/format.md");
    assert!(homework >= 2, "{homework} assignments and submissions found in docs/format.md");
    for ((marker, _), used) in SKIPPED_BLOCKS.iter().zip(skips_used) {
        assert!(used, "SKIPPED_BLOCKS lists {marker}, which no block of docs/format.md contains any more");
    }
}

/// A small experiment whose simulated trace has every span kind, a split dish's chunks, a
/// dependency and two kernels, under the model with the most moving parts.
const GOLDEN_EXPERIMENT: &str = r#"{ "version": 1, "model": "concurrent-parallel", "chefs": 2,
  "yield": { "every_ms": 4 },
  "tasks": [
    { "id": "stock", "phases": [ { "cook": { "ms": 6 } }, { "simmer": { "ms": 5 } } ] },
    { "id": "soup", "phases": [ { "cook": { "units": 40, "split": { "chunks": 3 }, "serial_ms": 1 } } ], "after": ["stock"] },
    { "id": "bread", "phases": [ { "cook": { "ms": 9, "kernel": "mandelbrot" } } ] },
    { "id": "salad", "phases": [ { "simmer": { "ms": 2 } }, { "cook": { "ms": 3 } } ] },
    { "id": "pie", "phases": [ { "cook": { "ms": 5, "kernel": "sort" } } ] }
  ] }"#;

const GOLDEN_TRACE: &str = "tests/golden/trace-v1.json";

#[test]
fn simulated_trace_serialises_as_the_golden_file() {
    let trace = simulated(&Experiment::from_json(GOLDEN_EXPERIMENT).unwrap());
    let json = serde_json::to_string_pretty(&trace).unwrap() + "\n";
    let path = repo(GOLDEN_TRACE);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, &json).unwrap();
        eprintln!("rewrote {GOLDEN_TRACE}");
    }
    let golden =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{GOLDEN_TRACE}: {e} (UPDATE_GOLDEN=1 writes it)"));
    assert!(
        json == golden,
        "the trace format changed: the simulated trace no longer serialises as {GOLDEN_TRACE}. If intended, \
         rerun with UPDATE_GOLDEN=1 and review the diff.\nnow:\n{json}"
    );
    // The fixture reads back as the trace it was written from, to the last digit or so:
    // serde_json's default float parsing may land one ulp off (14.600000000000001 → 14.6).
    let read: Trace = serde_json::from_str(&golden).unwrap();
    assert_same_json(&serde_json::to_value(&read).unwrap(), &serde_json::to_value(&trace).unwrap(), "trace");
}

/// `a == b`, but numbers need only agree to 1e-12 relative.
fn assert_same_json(a: &Value, b: &Value, at: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= 1e-12 * x.abs().max(y.abs()), "{at}: {x} ≠ {y}");
        }
        (Value::Array(xs), Value::Array(ys)) => {
            assert_eq!(xs.len(), ys.len(), "{at}: lengths");
            for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
                assert_same_json(x, y, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(xs), Value::Object(ys)) => {
            assert_eq!(xs.keys().collect::<Vec<_>>(), ys.keys().collect::<Vec<_>>(), "{at}: keys");
            for (key, x) in xs {
                assert_same_json(x, &ys[key], &format!("{at}.{key}"));
            }
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

#[test]
fn golden_trace_shows_every_span_kind() {
    use kitchen::engine::trace::SpanKind;
    let trace = simulated(&Experiment::from_json(GOLDEN_EXPERIMENT).unwrap());
    for kind in [SpanKind::Cook, SpanKind::Simmer, SpanKind::Wait, SpanKind::Ready] {
        assert!(trace.spans.iter().any(|s| s.kind == kind), "no {kind:?} span: the fixture would not pin its format");
    }
    assert!(trace.spans.iter().any(|s| s.chunk.is_some()) && trace.yield_policy.is_some());
}
