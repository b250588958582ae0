//! The homework grader on real submissions: the three sample assignments of docs/assignments,
//! scaled down tenfold so each runs in a fraction of a second, answered by running every
//! student's variant with the native runner (real work, real waits, `source: measured`).
//!
//! Good submissions score full marks; edited traces (a dish moved before its dependency ended,
//! a span stretched past the wall, checksums false, a chef who does not juggle holding two
//! dishes, a simulated trace) are flagged and their step scores 0; another student's seed or
//! another assignment is flagged; predictions made after running score 0; malformed files
//! are refused with their JSON path; and the CLI's table, CSV and Gradescope results.json read
//! back as the library's grades.

// Native only: runs the kitchen and the binary.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use kitchen::engine::experiment::{Phase, TaskSpec};
use kitchen::engine::homework::{
    grade, seed_for, Against, Answer, AnswerValue, Assignment, Correct, Environment, PlannedRun, Quantity, QuestionKind,
    Report, RunRecord, StepWork, Submission, SubmissionTag, Verdict, HOMEWORK_VERSION, KNEE_GAIN,
};
use kitchen::engine::lessons::Machine;
use kitchen::engine::trace::{Source, SpanKind};
use kitchen::engine::{calibrated, presets, run_native, ErrorKind, Setup, Trace};
use serde_json::Value;

const SAMPLES: [&str; 3] = ["restaurant-rush", "amdahl-cores", "graph-width"];
/// When the student opened the page (epoch ms); runs start later, answers come before.
const T0: f64 = 1_764_300_000_000.0;
/// The machine the submissions say they ran on: one core, so sweeps have two widths (fast).
const CORES: usize = 1;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A sample assignment with every preset written inline and every ms divided by ten.
fn scaled(name: &str) -> Assignment {
    let text = std::fs::read_to_string(repo(&format!("docs/assignments/{name}.json"))).unwrap();
    let mut json: Value = serde_json::from_str(&text).unwrap();
    for step in json["steps"].as_array_mut().unwrap() {
        if let Some(id) = step["experiment"]["preset"].as_str() {
            let mut e = presets::find(id).unwrap().experiment(kitchen::engine::Model::Sequential, 1);
            e.tasks.iter_mut().for_each(shrink);
            step["experiment"] = serde_json::json!({ "inline": e });
        }
        for v in step["variants"].as_array_mut().into_iter().flatten() {
            if matches!(v["param"].as_str(), Some("simmer_ms" | "cook_ms")) {
                for key in ["min", "max", "step"] {
                    v[key] = (v[key].as_f64().unwrap() / 10.0).into();
                }
            }
        }
    }
    Assignment::from_json(&json.to_string()).unwrap_or_else(|e| panic!("{name} scaled: {e}"))
}

fn shrink(task: &mut TaskSpec) {
    for phase in &mut task.phases {
        match phase {
            Phase::Cook(c) => {
                c.ms = c.ms.map(|ms| ms / 10.0);
                c.serial_ms = c.serial_ms.map(|ms| ms / 10.0);
            }
            Phase::Simmer(s) => s.ms /= 10.0,
        }
    }
}

fn machine() -> Machine {
    Machine::browser_like(CORES)
}

/// A student's work: every planned run made natively, every question answered right
/// (computed here from the traces, independently of the grader's checks).
fn answer(assignment: &Assignment, student: &str) -> Submission {
    let digest = assignment.digest();
    let seed = seed_for(&digest, student);
    let steps = assignment
        .steps
        .iter()
        .map(|step| {
            let planned = step.runs_for(seed, &machine()).unwrap();
            let traces: HashMap<String, Trace> = planned.iter().map(|r| (r.id.clone(), run_native(&r.experiment).unwrap())).collect();
            let runs = planned
                .iter()
                .enumerate()
                .map(|(i, r)| RunRecord { run: r.id.clone(), started_at: Some(T0 + 1000.0 * (i + 1) as f64), trace: traces[&r.id].clone() })
                .collect();
            let answers = step
                .questions
                .iter()
                .map(|q| Answer { question: q.id.clone(), value: right_answer(q, &planned, &traces), answered_at: Some(T0) })
                .collect();
            StepWork { step: step.id.clone(), answers, runs }
        })
        .collect();
    Submission {
        version: HOMEWORK_VERSION,
        kind: SubmissionTag::Submission,
        assignment_digest: digest,
        assignment_title: assignment.title.clone(),
        student: student.into(),
        seed,
        environment: Environment { browser: "native test".into(), cores: CORES, backend: "shared-memory".into(), app_version: "test".into() },
        handed_in_at: Some(T0 + 60_000.0),
        steps,
    }
}

/// The right answer to `q`, from the traces: what a careful student would read off them.
fn right_answer(q: &kitchen::engine::homework::Question, planned: &[PlannedRun], traces: &HashMap<String, Trace>) -> AnswerValue {
    let wall = |id: &str| traces[id].wall_ms;
    let predicted = |id: &str| {
        let run = planned.iter().find(|r| r.id == id).unwrap();
        let cal = &traces[id].calibration;
        let setup = Setup::new(&run.experiment, &|k| cal.iter().copied().find(|c| c.kernel == k).unwrap_or_else(|| calibrated(k))).unwrap();
        setup.simulate().wall_ms
    };
    assert_ne!(q.against, Some(Against::Computed), "the samples grade numbers against measurements");
    match q.kind {
        QuestionKind::Numeric => AnswerValue::Number(match q.quantity.as_ref().unwrap() {
            Quantity::WallMs(r) => wall(r),
            Quantity::PredictedWallMs(r) => predicted(r),
            Quantity::Speedup(s) => wall(&s.baseline) / wall(&s.run),
            Quantity::Knee(id) => {
                let base = wall(&format!("{id}@baseline"));
                let speedups: Vec<f64> = (1..).map_while(|n| traces.get(&format!("{id}@{n}")).map(|t| base / t.wall_ms)).collect();
                let flat = (1..speedups.len()).find(|&i| speedups[i] < speedups[i - 1] * (1.0 + KNEE_GAIN));
                flat.unwrap_or(speedups.len()) as f64
            }
        }),
        QuestionKind::Choice => {
            let mut options = q.options.clone();
            options.sort_by(|a, b| wall(&a.run).total_cmp(&wall(&b.run)));
            let pick = if q.correct == Some(Correct::Slowest) { options.last() } else { options.first() };
            AnswerValue::Text(pick.unwrap().run.clone())
        }
        QuestionKind::Ordering => {
            let mut runs = q.runs.clone();
            runs.sort_by(|a, b| wall(a).total_cmp(&wall(b)));
            AnswerValue::List(runs)
        }
        QuestionKind::Explanation => AnswerValue::Text(format!("Because, \"{}\"", q.id)),
    }
}

/// Every sample scaled, with ada's and grace's good submissions: made once for all tests.
fn fixtures() -> &'static Vec<(Assignment, Submission, Submission)> {
    static FIXTURES: OnceLock<Vec<(Assignment, Submission, Submission)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        SAMPLES
            .iter()
            .map(|name| {
                let a = scaled(name);
                let (ada, grace) = (answer(&a, "ada"), answer(&a, "grace"));
                (a, ada, grace)
            })
            .collect()
    })
}

fn sample(name: &str) -> &'static (Assignment, Submission, Submission) {
    &fixtures()[SAMPLES.iter().position(|s| *s == name).unwrap()]
}

#[test]
fn good_submissions_score_full_marks() {
    for (a, ada, grace) in fixtures() {
        for s in [ada, grace] {
            let r = grade(a, s);
            assert!(r.all_flags().is_empty(), "{}: {} flagged: {:?}", a.title, s.student, r.all_flags());
            assert!(r.max_score > 0.0);
            let wrong: Vec<_> = r.steps.iter().flat_map(|s| &s.questions).filter(|q| !matches!(q.checked.verdict, Verdict::Right | Verdict::NotGraded)).collect();
            assert!(wrong.is_empty(), "{}: {}: {wrong:#?}", a.title, s.student);
            assert_eq!(r.score, r.max_score, "{}", a.title);
            assert_eq!(r.seed, seed_for(&a.digest(), &s.student));
        }
    }
}

#[test]
fn wrong_answers_score_nothing_on_their_question_only() {
    let (a, ada, _) = sample("restaurant-rush");
    let mut s = ada.clone();
    let answer = s.steps[0].answers.iter_mut().find(|x| x.question == "juggling-wall").unwrap();
    let AnswerValue::Number(n) = answer.value else { panic!() };
    answer.value = AnswerValue::Number(n * 3.0);
    let r = grade(a, &s);
    let q = r.steps[0].questions.iter().find(|q| q.question == "juggling-wall").unwrap();
    assert_eq!((q.checked.verdict.clone(), q.checked.points), (Verdict::Wrong, 0.0));
    assert!(q.checked.feedback.contains("overlap"), "the question's wrong-answer feedback: {}", q.checked.feedback);
    assert_eq!(r.score, r.max_score - q.checked.max_points);
}

/// Grades `s` after `edit` changed the trace of run `run` in its only step: the step must be
/// flagged naming the run and score 0.
fn assert_edit_flagged(name: &str, run: &str, edit: impl Fn(&mut Trace), what: &str) -> Report {
    let (a, ada, _) = sample(name);
    let mut s = ada.clone();
    edit(&mut s.steps[0].runs.iter_mut().find(|r| r.run == run).unwrap().trace);
    let r = grade(a, &s);
    let step = &r.steps[0];
    assert_eq!(step.score, 0.0, "{what}: the flagged step scores nothing");
    assert!(step.flags.iter().any(|f| f.contains(&format!("run `{run}`"))), "{what}: {:?}", step.flags);
    assert!(step.questions.iter().all(|q| matches!(q.checked.verdict, Verdict::Flagged(_) | Verdict::NotGraded)), "{what}");
    r
}

#[test]
fn a_dish_moved_before_its_dependency_ended_is_flagged() {
    let r = assert_edit_flagged(
        "graph-width",
        "two-chefs",
        |t| {
            // `app` comes after `cluster`: start it 5 ms after cluster started instead.
            let cluster = t.tasks.iter().find(|d| d.id == "cluster").unwrap().clone();
            let app = t.tasks.iter().find(|d| d.id == "app").unwrap().clone();
            let shift = app.start_ms - (cluster.start_ms + 5.0);
            for d in t.tasks.iter_mut().filter(|d| d.id == "app") {
                (d.eligible_ms, d.start_ms, d.end_ms) = (d.eligible_ms - shift, d.start_ms - shift, d.end_ms - shift);
            }
            for sp in t.spans.iter_mut().filter(|sp| sp.task == "app") {
                (sp.start_ms, sp.end_ms) = (sp.start_ms - shift, sp.end_ms - shift);
            }
        },
        "moved dish",
    );
    assert!(r.steps[0].flags.iter().any(|f| f.contains("before `cluster`")), "{:?}", r.steps[0].flags);
}

#[test]
fn a_span_stretched_past_the_wall_is_flagged() {
    let r = assert_edit_flagged("graph-width", "juggling", |t| t.spans.last_mut().unwrap().end_ms = t.wall_ms + 40.0, "stretched span");
    assert!(r.steps[0].flags.iter().any(|f| f.contains("after the wall time")), "{:?}", r.steps[0].flags);
}

#[test]
fn false_checksums_a_simulated_trace_and_a_shrunk_wall_are_flagged() {
    assert_edit_flagged("restaurant-rush", "juggling", |t| t.checksums_ok = false, "checksums");
    assert_edit_flagged("restaurant-rush", "juggling", |t| t.source = Source::Simulated, "simulated");
    // A faster "measurement": the wall halved, the spans left as they were.
    assert_edit_flagged("restaurant-rush", "one-chef", |t| t.wall_ms /= 2.0, "halved wall");
}

#[test]
fn a_chef_who_does_not_juggle_holding_two_dishes_is_flagged() {
    let r = assert_edit_flagged(
        "restaurant-rush",
        "one-chef",
        |t| {
            // Every order's wait moved to start with the first: what a juggling chef would do.
            let start = t.spans.iter().map(|s| s.start_ms).fold(f64::INFINITY, f64::min);
            for s in t.spans.iter_mut().filter(|s| s.kind == SpanKind::Simmer) {
                (s.start_ms, s.end_ms) = (start, start + (s.end_ms - s.start_ms));
            }
            for d in &mut t.tasks {
                let end = d.start_ms.max(start) + (d.end_ms - d.start_ms);
                (d.eligible_ms, d.start_ms, d.end_ms) = (start, start, end.min(t.wall_ms));
            }
        },
        "overlapping dishes",
    );
    assert!(r.steps[0].flags.iter().any(|f| f.contains("does not juggle")), "{:?}", r.steps[0].flags);
}

#[test]
fn another_students_variant_or_assignment_is_flagged() {
    let (a, ada, grace) = sample("restaurant-rush");
    // ada's work handed in under grace's name: the seed is not grace's.
    let copied = Submission { student: "grace".into(), ..ada.clone() };
    let r = grade(a, &copied);
    assert!(r.flags.iter().any(|f| f.starts_with("wrong variant")), "{:?}", r.flags);
    assert_eq!(r.score, 0.0);
    // ada's runs with grace's id and seed: the runs are of ada's variant, not grace's.
    let digest = a.digest();
    let differs = a.steps[0].experiment_for(seed_for(&digest, "ada")).unwrap() != a.steps[0].experiment_for(seed_for(&digest, "grace")).unwrap();
    assert!(differs, "ada and grace draw different variants (change a name if the sample changes)");
    let mut swapped = grace.clone();
    swapped.steps[0].runs = ada.steps[0].runs.clone();
    let r = grade(a, &swapped);
    assert_eq!(r.steps[0].score, 0.0, "{:?}", r.steps[0].flags);
    // Another assignment's digest.
    let (other, ..) = sample("graph-width");
    let r = grade(other, ada);
    assert!(r.flags.iter().any(|f| f.starts_with("other assignment")), "{:?}", r.flags);
    assert_eq!(r.score, 0.0);
}

#[test]
fn a_prediction_made_after_the_run_scores_nothing() {
    let (a, ada, _) = sample("graph-width");
    let mut s = ada.clone();
    let first_run = s.steps[0].runs.iter().filter_map(|r| r.started_at).fold(f64::INFINITY, f64::min);
    s.steps[0].answers.iter_mut().find(|x| x.question == "juggling-wall").unwrap().answered_at = Some(first_run + 1.0);
    let r = grade(a, &s);
    let q = r.steps[0].questions.iter().find(|q| q.question == "juggling-wall").unwrap();
    assert_eq!((q.checked.verdict.clone(), q.checked.points), (Verdict::PredictedAfterRunning, 0.0));
    assert_eq!(r.score, r.max_score - q.checked.max_points, "the other predictions still count");
}

#[test]
fn malformed_submissions_name_the_json_path() {
    let (_, ada, _) = sample("restaurant-rush");
    let good = serde_json::to_string(ada).unwrap();
    assert_eq!(&Submission::from_json(&good).unwrap(), ada);
    let edited = |edit: &dyn Fn(&mut Value)| {
        let mut json: Value = serde_json::from_str(&good).unwrap();
        edit(&mut json);
        json.to_string()
    };
    let cases = [
        (edited(&|j| j["steps"][0]["runs"][0]["trace"]["spans"][0]["kind"] = "stew".into()), "steps[0].runs[0].trace.spans[0].kind"),
        (edited(&|j| {
            let answer = j["steps"][0]["answers"][1].as_object_mut().unwrap();
            let value = answer.remove("value").unwrap();
            answer.insert("valeu".into(), value);
        }), "steps[0].answers[1].valeu"),
        (edited(&|j| j["seed"] = "12345".into()), "seed"),
        (edited(&|j| j["version"] = 7.into()), "version"),
        (edited(&|j| j["steps"][0]["runs"][1]["trace"]["spans"][2]["end_ms"] = (-3.0).into()), "steps[0].runs[1].trace"),
    ];
    for (text, path) in cases {
        let err = Submission::from_json(&text).unwrap_err();
        let ErrorKind::InvalidSubmission { path: Some(p), .. } = &err.kind else { panic!("{path}: {err:?}") };
        assert_eq!(p, path, "{err}");
        assert!(err.to_string().starts_with(&format!("invalid submission at `{path}`")), "{err}");
    }
    assert!(Submission::from_json(&good[..good.len() / 2]).is_err(), "cut short");
    assert!(Submission::from_json(&format!("{good}{good}")).is_err(), "two in one file");
}

// ---- the CLI ----

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_concurrency-kitchen")).args(args).output().expect("start the runner")
}

/// A fresh folder under the target's temporary directory for `test`.
fn folder(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("homework-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("submissions")).unwrap();
    dir
}

fn write(path: &std::path::Path, value: &impl serde::Serialize) {
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

#[test]
fn the_cli_grades_a_folder_into_a_table_and_a_csv() {
    let (a, ada, grace) = sample("amdahl-cores");
    let dir = folder("csv");
    write(&dir.join("assignment.json"), a);
    write(&dir.join("submissions/ada.json"), ada);
    let mut late = grace.clone();
    late.steps[0].answers[0].answered_at = Some(T0 + 1e6);
    write(&dir.join("submissions/grace.json"), &late);
    let csv_path = dir.join("grades.csv");
    let out = cli(&["grade", dir.join("assignment.json").to_str().unwrap(), dir.join("submissions").to_str().unwrap(), "--csv", csv_path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}{stdout}", String::from_utf8_lossy(&out.stderr));
    let reports = [grade(a, ada), grade(a, &late)];
    for r in &reports {
        let line = stdout.lines().find(|l| l.starts_with(&r.student)).unwrap_or_else(|| panic!("no row for {}: {stdout}", r.student));
        assert!(line.contains(&r.seed.to_string()) && line.contains(&format!("{}/{}", r.score, r.max_score)), "{line}");
    }
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let questions: Vec<String> = a.steps.iter().flat_map(|s| s.questions.iter().map(move |q| format!("{}/{}", s.id, q.id))).collect();
    assert_eq!(header, [vec!["student".into(), "seed".into(), "score".into(), "max_score".into()], questions.clone(), vec!["flags".into()]].concat());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    for (row, r) in rows.iter().zip(&reports) {
        assert_eq!((&row[0], &row[1]), (r.student.as_str(), r.seed.to_string().as_str()));
        assert_eq!(row[2].parse::<f64>().unwrap(), r.score);
        assert_eq!(row[3].parse::<f64>().unwrap(), r.max_score);
        let points: Vec<String> = r.steps.iter().flat_map(|s| &s.questions).map(|q| match q.kind {
            QuestionKind::Explanation => "Because, \"why\"".to_string(),
            _ => q.checked.points.to_string(),
        }).collect();
        let cells: Vec<String> = (4..4 + questions.len()).map(|i| row[i].to_string()).collect();
        assert_eq!(cells.len(), points.len());
        for (cell, p) in cells.iter().zip(&points) {
            assert!(cell == p || cell.parse::<f64>().ok() == p.parse::<f64>().ok(), "{cell} vs {p}");
        }
    }
    assert!(reports[1].score < reports[1].max_score, "grace predicted after running");
    assert!(rows[1][header.len() - 1].contains("predicted after running"), "{:?}", rows[1]);
}

#[test]
fn the_cli_writes_gradescope_results_for_one_submission() {
    let (a, ada, grace) = sample("graph-width");
    let dir = folder("gradescope");
    write(&dir.join("assignment.json"), a);
    let mut edited = ada.clone();
    edited.steps[0].runs[0].trace.checksums_ok = false;
    write(&dir.join("submissions/ada.json"), &edited);
    let results = dir.join("results.json");
    let assignment = dir.join("assignment.json");
    let out = cli(&["grade", assignment.to_str().unwrap(), dir.join("submissions/ada.json").to_str().unwrap(), "--gradescope", results.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    let tests = json["tests"].as_array().unwrap();
    let questions: usize = a.steps.iter().map(|s| s.questions.len()).sum();
    assert_eq!(tests.len(), questions);
    let sum: f64 = tests.iter().map(|t| t["score"].as_f64().unwrap()).sum();
    assert_eq!(json["score"].as_f64().unwrap(), sum);
    assert_eq!(sum, 0.0, "the edited step scores nothing");
    let max: f64 = tests.iter().map(|t| t["max_score"].as_f64().unwrap()).sum();
    assert_eq!(max, grade(a, ada).max_score);
    for t in tests {
        assert!(t["name"].as_str().is_some_and(|n| !n.is_empty()) && t["output"].is_string(), "{t}");
        assert!(["passed", "failed"].contains(&t["status"].as_str().unwrap()), "{t}");
    }
    assert!(json["output"].as_str().unwrap().contains("checksum"), "{}", json["output"]);
    // Gradescope grades one submission per results.json: two are refused.
    write(&dir.join("submissions/grace.json"), grace);
    let out = cli(&["grade", assignment.to_str().unwrap(), dir.join("submissions").to_str().unwrap(), "--gradescope", results.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("one submission"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_cli_names_a_malformed_submission_and_a_bad_assignment() {
    let (a, ada, _) = sample("restaurant-rush");
    let dir = folder("malformed");
    write(&dir.join("assignment.json"), a);
    write(&dir.join("submissions/ada.json"), ada);
    std::fs::write(dir.join("submissions/broken.json"), r#"{"version":1,"kind":"submission","student":"x"}"#).unwrap();
    let assignment = dir.join("assignment.json");
    let out = cli(&["grade", assignment.to_str().unwrap(), dir.join("submissions").to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "an unreadable submission fails the run");
    assert!(stderr.contains("broken.json") && stderr.contains("invalid submission") && stderr.contains("assignment_digest"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("ada"), "the others are still graded");
    let bad = dir.join("bad-assignment.json");
    let text = serde_json::to_string(a).unwrap().replacen(r#""tolerance":0.15"#, r#""tolerance":-1"#, 1);
    std::fs::write(&bad, text).unwrap();
    let out = cli(&["grade", bad.to_str().unwrap(), dir.join("submissions/ada.json").to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("steps[0].questions[0].tolerance"), "{stderr}");
}

// ---- no false alarms: verify_run on random experiments ----

mod common;

mod random {
    use super::common::fixed;
    use kitchen::engine::experiment::{Experiment, Phase};
    use kitchen::engine::homework::{verify_run, ProblemKind};
    use kitchen::engine::{run_native, Model, Setup};
    use proptest::prelude::*;

    /// 1..=8 dishes of a few units or short simmers, each after any earlier ones, under any
    /// model, width and yield policy.
    fn experiment() -> impl Strategy<Value = Experiment> {
        super::common::experiment(8, 40, 4.0)
    }

    /// Every preset under every model, shrunk (its first dishes, short phases; a split in
    /// units so its chunks never outnumber them on a slow machine), run for real: consistent.
    /// (Here rather than in verify.rs: the lib's tests include timing-sensitive calibration
    /// checks that these busy runs would slow.)
    #[test]
    fn real_runs_of_every_preset_and_model_are_consistent() {
        for preset in kitchen::engine::presets::PRESETS {
            for model in Model::ALL {
                let mut e = preset.experiment(model, 2);
                if !e.tasks.iter().any(|t| !t.after.is_empty()) {
                    e.tasks.truncate(6);
                }
                for p in e.tasks.iter_mut().flat_map(|t| &mut t.phases) {
                    match p {
                        Phase::Cook(c) if c.split.is_some() => {
                            c.units = Some(c.units.map_or(64, |u| u.min(16_384)));
                            c.ms = None;
                            c.serial_ms = c.serial_ms.map(|ms| ms.min(2.0));
                        }
                        Phase::Cook(c) => c.ms = c.ms.map(|ms| ms.min(4.0)),
                        Phase::Simmer(s) => s.ms = s.ms.min(6.0),
                    }
                }
                let trace = run_native(&e).unwrap();
                let problems = verify_run(&e, &trace);
                assert!(problems.is_empty(), "{} {}: {problems:?}", preset.id, model.name());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// The simulator keeps every rule a real run keeps: only its label is wrong.
        #[test]
        fn a_simulated_run_breaks_nothing_but_being_simulated(e in experiment()) {
            let trace = Setup::new(&e, &fixed).unwrap().simulate();
            let kinds: Vec<ProblemKind> = verify_run(&e, &trace).iter().map(|p| p.kind).collect();
            prop_assert_eq!(kinds, vec![ProblemKind::NotMeasured]);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        /// Real runs, real kernels and waits: never flagged.
        #[test]
        fn a_real_run_is_never_flagged(e in experiment()) {
            let trace = run_native(&e).unwrap();
            let problems = verify_run(&e, &trace);
            prop_assert!(problems.is_empty(), "{problems:?}");
        }
    }
}
