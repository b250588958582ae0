//! The decoders of outside input under `cargo test`, without the fuzzer (`make fuzz` runs
//! cargo-fuzz on the same decoders for minutes): arbitrary text, and the documented examples
//! mutated byte by byte and node by node, thrown at the experiment decoder
//! (`Experiment::from_json`, then `Plan::new`) and the trace decoder (serde, then the Chrome
//! export and the trace metrics a read trace goes on to).
//!
//! The homework decoders too (`Assignment::from_json`, `Submission::from_json`): the sample
//! assignments and a real submission edited node by node, then an accepted assignment's
//! variants, runs and grading, and an accepted submission graded.
//!
//! Beyond "no panic": every refusal of well-formed JSON must say where the problem is — a
//! parse error a path that exists in the input, a validation error a task, phase or field
//! that the experiment really has.

// Native only: reads the repository's files and uses proptest, a native dev-dependency.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use kitchen::engine::analysis::{GraphAnalysis, TraceMetrics};
use kitchen::engine::export::chrome_trace;
use kitchen::engine::homework::{self, Assignment, Submission};
use kitchen::engine::lessons::Machine;
use kitchen::engine::{Calibration, Experiment, ErrorKind, Kernel, Plan, Trace};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Map, Value};

fn fixed(kernel: Kernel) -> Calibration {
    Calibration { kernel, units_per_ms: 10.0, measured_over_ms: 0.0 }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// docs/examples/*.json, the texts every experiment mutation starts from.
fn experiment_seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
    paths.sort();
    paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

/// Traces to mutate: the golden fixture (every span kind) and docs/format.md's example.
fn trace_seeds() -> Vec<String> {
    vec![read("tests/golden/trace-v1.json"), read("fuzz/seeds/trace/format-md.json")]
}

// --- mutations ---

/// Numbers at and around the format's limits, and beyond any.
const NUMBERS: &[f64] = &[
    0.0, -1.0, 0.5, 1.0, 2.0, 4.0, 1e-300, 64.0, 65.0, 100.0, 100_000.0, 100_001.0, 20_001.0, 60_000.0, 60_000.5,
    600_000.5, 5e7, 5e7 + 1.0, 1e9, 1e16, -1e16, 1e308, -1e308,
];

/// Words of the format and ids of the examples, so an edit often stays well-typed.
const WORDS: &[&str] = &[
    "", " ", "a", "soup", "stock", "render", "frame-00", "frame-01", "parallel", "concurrent", "sequential",
    "concurrent-parallel", "at_simmers", "cook", "simmer", "wait", "ready", "primes", "mandelbrot", "sort",
    "measured", "simulated", "worker 0", "numeric", "choice", "ordering", "explanation", "simmer_ms", "cook_ms",
    "dishes", "chefs", "one-chef", "juggling", "chefs@2", "chefs@baseline", "fastest", "slowest", "computed",
];

fn number(x: f64) -> Value {
    // Whole numbers as integers, so that they can still be a `u64` or `usize` field.
    if x.fract() == 0.0 && x.abs() < 1e15 { json!(x as i64) } else { json!(x) }
}

/// A JSON value likely to be wrong somewhere interesting: edge numbers, format words, shapes.
fn odd_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        prop::sample::select(NUMBERS).prop_map(number),
        prop::sample::select(vec![i64::MAX, i64::MIN]).prop_map(Value::from),
        Just(json!(u64::MAX)),
        prop::sample::select(WORDS).prop_map(Value::from),
        ".{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(vec!["ms", "units", "cook", "simmer", "every_ms", "x"]), inner), 0..3)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// One change to a JSON document: most keep its shape, so that validation is reached.
#[derive(Clone, Debug)]
enum Edit {
    /// Replace a node with a value of its own type: a number by an edge number, a string by a
    /// format word or id, a bool by its opposite; an array loses or repeats an element, an
    /// object loses a member.
    Similar(Index),
    /// Replace a node with anything.
    Replace(Value),
    /// Remove a node from its object or array.
    Remove,
    /// Give an object one more key (a known one with an odd value, or a misspelt one).
    Insert(String, Value),
    /// Repeat an array element, or an object's member under a new key.
    Duplicate,
    /// Make task `a` come after task `b` (the same task, a dependent, a cycle…), and with
    /// `true` `b` after `a` too: a cycle of two.
    Depend(Index, Index, bool),
}

fn edit() -> impl Strategy<Value = Edit> {
    let key = prop::sample::select(vec![
        "version", "model", "chefs", "yield", "tasks", "id", "after", "split", "kernel", "lane", "chunk", "msec", "Tasks",
        "sweep", "tolerance", "quantity", "runs", "options", "dishes", "step", "answered_at",
    ]);
    prop_oneof![
        6 => any::<Index>().prop_map(Edit::Similar),
        1 => odd_value().prop_map(Edit::Replace),
        1 => Just(Edit::Remove),
        1 => (key, odd_value()).prop_map(|(k, v)| Edit::Insert(k.to_string(), v)),
        1 => Just(Edit::Duplicate),
        3 => (any::<Index>(), any::<Index>(), any::<bool>()).prop_map(|(a, b, both)| Edit::Depend(a, b, both)),
    ]
}

/// JSON pointers of every node of `value` except the root.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Array(xs) => xs.iter().enumerate().map(|(i, x)| (i.to_string(), x)).collect(),
        Value::Object(m) => m.iter().map(|(k, x)| (k.replace('~', "~0").replace('/', "~1"), x)).collect(),
        _ => return,
    };
    for (key, child) in children {
        let p = format!("{at}/{key}");
        out.push(p.clone());
        pointers(child, p, out);
    }
}

/// Applies `edit` to the node `pick` chooses.
fn apply(doc: &mut Value, pick: Index, edit: Edit) {
    if let Edit::Depend(a, b, both) = edit {
        depend(doc, a, b);
        if both {
            depend(doc, b, a);
        }
        return;
    }
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    if !all.is_empty() {
        apply_at(doc, &all[pick.index(all.len())], edit);
    }
}

/// Adds task `b`'s id to task `a`'s `after`, when both are tasks with ids.
fn depend(doc: &mut Value, a: Index, b: Index) {
    let Some(Value::Array(tasks)) = doc.get_mut("tasks") else { return };
    if tasks.is_empty() {
        return;
    }
    let (a, b) = (a.index(tasks.len()), b.index(tasks.len()));
    let Some(id) = tasks[b].get("id").cloned() else { return };
    if let Some(task) = tasks[a].as_object_mut() {
        match task.entry("after").or_insert_with(|| json!([])) {
            Value::Array(after) => after.push(id),
            other => *other = json!([id]),
        }
    }
}

/// Applies `edit` to the node at `pointer`, which must exist and not be the root.
fn apply_at(doc: &mut Value, pointer: &str, edit: Edit) {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let last = last.replace("~1", "/").replace("~0", "~");
    match edit {
        Edit::Similar(pick) => similar(doc.pointer_mut(pointer).unwrap(), pick),
        Edit::Replace(v) => *doc.pointer_mut(pointer).unwrap() = v,
        Edit::Insert(k, v) => match doc.pointer_mut(pointer).unwrap() {
            Value::Object(m) => drop(m.insert(k, v)),
            other => *other = Value::Object(Map::from_iter([(k, v)])),
        },
        Edit::Remove | Edit::Duplicate => match doc.pointer_mut(parent).unwrap() {
            Value::Array(xs) => {
                let i: usize = last.parse().unwrap();
                if matches!(edit, Edit::Remove) {
                    xs.remove(i);
                } else {
                    xs.insert(i, xs[i].clone());
                }
            }
            Value::Object(m) if matches!(edit, Edit::Remove) => drop(m.remove(&last)),
            Value::Object(m) => {
                let copy = m[&last].clone();
                m.insert(format!("{last}2"), copy);
            }
            _ => unreachable!("a pointer's parent holds children"),
        },
        Edit::Depend(..) => unreachable!("applied to the whole document"),
    }
}

/// [`Edit::Similar`] on `node`.
fn similar(node: &mut Value, pick: Index) {
    match node {
        Value::Number(_) => *node = number(NUMBERS[pick.index(NUMBERS.len())]),
        Value::String(_) => *node = Value::from(WORDS[pick.index(WORDS.len())]),
        Value::Bool(b) => *b = !*b,
        Value::Array(xs) if !xs.is_empty() => {
            let i = pick.index(xs.len());
            if xs.len() > 1 && i % 2 == 0 {
                xs.remove(i);
            } else {
                xs.push(xs[i].clone());
            }
        }
        Value::Object(m) if !m.is_empty() => {
            let key = m.keys().nth(pick.index(m.len())).unwrap().clone();
            m.remove(&key);
        }
        _ => {}
    }
}

/// A seed, edited node by node and then written out as text.
fn node_mutant(seeds: Vec<String>) -> impl Strategy<Value = String> {
    let docs: Vec<Value> = seeds.iter().map(|s| serde_json::from_str(s).unwrap()).collect();
    (prop::sample::select(docs), prop::collection::vec((any::<Index>(), edit()), 1..4)).prop_map(|(mut doc, edits)| {
        for (pick, edit) in edits {
            apply(&mut doc, pick, edit);
        }
        doc.to_string()
    })
}

/// A seed with a few characters deleted, inserted or replaced: mostly broken JSON.
fn byte_mutant(seeds: Vec<String>) -> impl Strategy<Value = String> {
    let insert = prop::sample::select(vec!["", "{", "}", "[", "]", "\"", ",", ":", "-", "0", "e9", "null", "é"]);
    let change = (any::<Index>(), 0usize..4, insert);
    (prop::sample::select(seeds), prop::collection::vec(change, 1..4)).prop_map(|(text, changes)| {
        let mut chars: Vec<char> = text.chars().collect();
        for (at, delete, insert) in changes {
            let at = at.index(chars.len() + 1);
            let end = (at + delete).min(chars.len());
            chars.splice(at..end, insert.chars());
        }
        chars.into_iter().collect()
    })
}

// --- what a refusal must say ---

/// Whether `path` (from serde_path_to_error) leads somewhere in `doc`. A path may name one
/// key the input lacks or has extra, as its last step (`missing field`, `unknown field`).
fn path_exists(doc: &Value, path: &serde_path_to_error::Path) -> bool {
    use serde_path_to_error::Segment;
    let segments: Vec<_> = path.iter().collect();
    let mut node = doc;
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let next = match (segment, node) {
            (Segment::Seq { index }, Value::Array(xs)) => xs.get(*index),
            (Segment::Map { key }, Value::Object(m)) => m.get(key.as_str()),
            // An externally tagged enum: `{ "cook": {...} }`, or a unit variant as a string.
            (Segment::Enum { variant }, Value::Object(m)) => m.get(variant.as_str()),
            (Segment::Enum { variant }, Value::String(s)) if s == variant => Some(node),
            (Segment::Unknown, _) => Some(node),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return last && matches!(node, Value::Object(_)),
        }
    }
    true
}

/// A refusal at the root must still name what is wrong: a field, or the root's wrong type.
fn root_error_names_the_problem(doc: &Value, message: &str) -> bool {
    message.contains("field `") || !doc.is_object()
}

/// `from_json`'s answer to a well-formed JSON document: accepted, or an error at a real path.
fn check_experiment_refusal(doc: &Value, text: &str, message: &str) -> Result<(), TestCaseError> {
    prop_assert!(message.starts_with("invalid experiment"), "{message}");
    let de = &mut serde_json::Deserializer::from_str(text);
    let Err(e) = serde_path_to_error::deserialize::<_, Experiment>(de) else {
        return Err(TestCaseError::fail(format!("from_json refused what serde accepts: {message}")));
    };
    let path = e.path();
    if path.iter().next().is_none() {
        prop_assert!(root_error_names_the_problem(doc, message), "a root error naming nothing: {message}\n{text}");
    } else {
        prop_assert!(message.contains(&format!("`{path}`")), "the message hides its path {path}: {message}");
        prop_assert!(path_exists(doc, path), "the path {path} is not in the input: {message}\n{text}");
    }
    Ok(())
}

/// `Plan::new`'s refusal names a task, phase or field the experiment really has.
fn check_validation_refusal(e: &Experiment, kind: &ErrorKind) -> Result<(), TestCaseError> {
    let task = |id: &str| e.tasks.iter().find(|t| t.id == id);
    let message = kind.to_string();
    let named = match kind {
        ErrorKind::UnsupportedVersion(v) => *v == e.version && message.contains("version"),
        ErrorKind::Empty => e.tasks.is_empty(),
        ErrorKind::TooManyTasks(n) => *n == e.tasks.len(),
        ErrorKind::BadChefs(n) => *n == e.chefs && message.contains("chefs"),
        ErrorKind::EmptyId(i) => e.tasks.get(*i).is_some_and(|t| t.id.trim().is_empty()),
        ErrorKind::DuplicateId(id) => e.tasks.iter().filter(|t| &t.id == id).count() > 1,
        ErrorKind::PhaseCount { task: id, count } => task(id).is_some_and(|t| t.phases.len() == *count),
        ErrorKind::BadAmount { task: id, phase, .. } => task(id).is_some_and(|t| (1..=t.phases.len()).contains(phase)),
        ErrorKind::UnknownDependency { task: id, missing } => {
            task(id).is_some_and(|t| t.after.contains(missing)) && task(missing).is_none()
        }
        ErrorKind::SelfDependency(id) => task(id).is_some_and(|t| t.after.contains(id)),
        ErrorKind::Cycle(path) => {
            path.len() >= 2
                && path.first() == path.last()
                && path.windows(2).all(|w| task(&w[1]).is_some_and(|t| t.after.contains(&w[0])))
        }
        // Kinds for parsing, traces, breakdowns and links: validation never returns them.
        ErrorKind::InvalidExperiment { .. }
        | ErrorKind::BadLink(_)
        | ErrorKind::InvalidMessage { .. }
        | ErrorKind::InvalidTrace { .. }
        | ErrorKind::StoppedRun(_)
        | ErrorKind::NoWallTime(..)
        | ErrorKind::CannotBreakDown(_)
        | ErrorKind::InvalidAssignment { .. }
        | ErrorKind::InvalidSubmission { .. } => false,
    };
    prop_assert!(named, "{kind:?} does not name a place in the experiment: {message}");
    Ok(())
}

/// Everything the experiment decoder must do with `text`.
fn check_experiment_text(text: &str) -> Result<(), TestCaseError> {
    let parsed = Experiment::from_json(text);
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        // Not JSON: any refusal will do, as long as it is one.
        prop_assert!(parsed.as_ref().err().is_some_and(|e| e.to_string().starts_with("invalid experiment")), "{parsed:?}");
        return Ok(());
    };
    let experiment = match parsed {
        Ok(experiment) => experiment,
        Err(error) => return check_experiment_refusal(&doc, text, &error.to_string()),
    };
    let again = serde_json::to_string(&experiment).unwrap();
    prop_assert!(Experiment::from_json(&again).is_ok(), "an accepted experiment written out must read back: {again}");
    match Plan::new(&experiment, &fixed) {
        Ok(plan) => {
            prop_assert_eq!(plan.len(), experiment.tasks.len());
            GraphAnalysis::of(&plan);
        }
        Err(error) => check_validation_refusal(&experiment, &error.kind)?,
    }
    Ok(())
}

/// Everything the trace decoder must do with `text`.
fn check_trace_text(text: &str) -> Result<(), TestCaseError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let read = serde_path_to_error::deserialize::<_, Trace>(de);
    let doc = serde_json::from_str::<Value>(text);
    match (read, doc) {
        (Ok(trace), _) => {
            // The engine's reader applies the format's checks on top of serde's, and refuses
            // text after the trace: it refuses only what those refuse, as a trace error.
            let whole = serde_json::from_str::<Trace>(text).is_ok();
            match (Trace::from_json(text), whole && trace.check().is_ok()) {
                (Ok(read), true) => prop_assert_eq!(&read, &trace),
                (Err(e), false) => prop_assert!(e.to_string().starts_with("not a trace"), "{e}"),
                (read, expected) => return Err(TestCaseError::fail(format!("from_json {read:?}, expected ok: {expected}"))),
            }
            let again = serde_json::to_string(&trace).unwrap();
            prop_assert!(serde_json::from_str::<Trace>(&again).is_ok(), "a trace written out must read back: {again}");
            chrome_trace(&trace);
            TraceMetrics::of(&trace);
        }
        (Err(e), Ok(doc)) if e.path().iter().next().is_some() => {
            prop_assert!(path_exists(&doc, e.path()), "the path {} is not in the input: {e}\n{text}", e.path());
        }
        (Err(e), Ok(doc)) => prop_assert!(root_error_names_the_problem(&doc, &e.to_string()), "{e}\n{text}"),
        (Err(_), Err(_)) => {}
    }
    Ok(())
}

/// The sample assignments, and one with a lesson step and an inline experiment.
fn assignment_seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/assignments");
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
    paths.sort();
    let mut seeds: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    seeds.push(read("fuzz/seeds/assignment/lesson-and-inline.json"));
    seeds
}

/// A real submission (the restaurant rush scaled down, run natively) and its assignment.
fn submission_seeds() -> Vec<String> {
    vec![read("fuzz/seeds/submission/ada-restaurant-rush-scaled.json")]
}

fn homework_fixture() -> Assignment {
    Assignment::from_json(&read("fuzz/fixtures/restaurant-rush-scaled.json")).unwrap()
}

/// A homework decoder's refusal of well-formed JSON names a path that is in it, or the whole:
/// serde's refusals (`T` does not deserialise) at a path `path_exists` finds, validation's at
/// a path that starts with a member the document has.
fn check_homework_refusal<T: serde::de::DeserializeOwned>(doc: &Value, text: &str, error: &kitchen::engine::Error) -> Result<(), TestCaseError> {
    let (ErrorKind::InvalidAssignment { path, problem } | ErrorKind::InvalidSubmission { path, problem }) = &error.kind else {
        return Err(TestCaseError::fail(format!("not a homework error: {error:?}")));
    };
    prop_assert!(!problem.is_empty());
    let de = &mut serde_json::Deserializer::from_str(text);
    match (serde_path_to_error::deserialize::<_, T>(de), path) {
        (Err(e), _) if e.path().iter().next().is_some() => {
            prop_assert!(path_exists(doc, e.path()), "the path {} is not in the input: {error}", e.path());
            prop_assert!(error.to_string().contains(&format!("`{}`", e.path())), "the message hides its path: {error}");
        }
        (Err(e), _) => prop_assert!(root_error_names_the_problem(doc, &e.to_string()), "{error}"),
        (Ok(_), Some(path)) => {
            let first = path.split(['.', '[']).next().unwrap();
            prop_assert!(doc.get(first).is_some(), "the path {path} is not in the input: {error}");
            prop_assert!(error.to_string().contains(&format!("`{path}`")), "{error}");
        }
        (Ok(_), None) => {}
    }
    Ok(())
}

/// Everything the assignment decoder and what follows it must do with `text`.
fn check_assignment_text(text: &str) -> Result<(), TestCaseError> {
    let parsed = Assignment::from_json(text);
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        prop_assert!(parsed.is_err());
        return Ok(());
    };
    let assignment = match parsed {
        Ok(a) => a,
        Err(e) => return check_homework_refusal::<Assignment>(&doc, text, &e),
    };
    let again = Assignment::from_json(&serde_json::to_string(&assignment).unwrap());
    prop_assert_eq!(again.as_ref().ok(), Some(&assignment));
    let digest = assignment.digest();
    let seed = homework::seed_for(&digest, "ada");
    for step in &assignment.steps {
        if let Ok(runs) = step.runs_for(seed, &Machine::browser_like(2)) {
            for r in &runs {
                prop_assert!(Plan::new(&r.experiment, &fixed).is_ok(), "step {} run {} is invalid", step.id, r.id);
            }
        }
    }
    Ok(())
}

/// Everything the submission decoder and the grader must do with `text`.
fn check_submission_text(text: &str, assignment: &Assignment) -> Result<(), TestCaseError> {
    let parsed = Submission::from_json(text);
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        prop_assert!(parsed.is_err());
        return Ok(());
    };
    let submission = match parsed {
        Ok(s) => s,
        Err(e) => return check_homework_refusal::<Submission>(&doc, text, &e),
    };
    prop_assert_eq!(Submission::from_json(&serde_json::to_string(&submission).unwrap()).ok(), Some(submission.clone()));
    let report = homework::grade(assignment, &submission);
    prop_assert!(report.score >= 0.0 && report.score <= report.max_score);
    homework::csv(assignment, &[report.clone()]);
    homework::gradescope(&report);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn edited_assignments_are_read_or_refused_with_a_path(text in prop_oneof![node_mutant(assignment_seeds()), byte_mutant(assignment_seeds())]) {
        check_assignment_text(&text)?;
    }

    #[test]
    fn edited_submissions_are_graded_or_refused_with_a_path(text in prop_oneof![node_mutant(submission_seeds()), byte_mutant(submission_seeds())]) {
        check_submission_text(&text, &homework_fixture())?;
    }

    #[test]
    fn arbitrary_text_is_no_assignment_or_submission_panic(text in prop_oneof![any::<String>(), r#"[\[\]{}":,0-9a-z .\-]{0,60}"#]) {
        let _ = Assignment::from_json(&text);
        let _ = Submission::from_json(&text);
    }

    #[test]
    fn arbitrary_text_is_refused_or_read(text in prop_oneof![any::<String>(), r#"[\[\]{}":,0-9a-z .\-]{0,60}"#]) {
        check_experiment_text(&text)?;
        check_trace_text(&text)?;
    }

    #[test]
    fn edited_examples_are_accepted_or_refused_with_a_place(text in node_mutant(experiment_seeds())) {
        check_experiment_text(&text)?;
    }

    #[test]
    fn edited_traces_are_read_or_refused_with_a_path(text in node_mutant(trace_seeds())) {
        check_trace_text(&text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn corrupted_examples_never_panic(text in byte_mutant(experiment_seeds())) {
        check_experiment_text(&text)?;
    }

    #[test]
    fn corrupted_traces_never_panic(text in byte_mutant(trace_seeds())) {
        check_trace_text(&text)?;
    }
}

/// The edits reach validation, not only parsing: one by hand.
#[test]
fn a_node_edit_reaches_validation() {
    let mut doc: Value = serde_json::from_str(&experiment_seeds()[0]).unwrap();
    apply_at(&mut doc, "/chefs", Edit::Replace(json!(0)));
    let experiment = Experiment::from_json(&doc.to_string()).unwrap();
    assert_eq!(Plan::new(&experiment, &fixed).unwrap_err().kind, ErrorKind::BadChefs(0));
}
