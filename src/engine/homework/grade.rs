//! Grading a submission: rebuild the student's variant from the assignment and the student id,
//! verify every run's trace against it, check every answer — never reading a score, a seed or
//! an experiment from the submission itself.
//!
//! [`grade`] gives a [`Report`]; [`csv`] writes one row per student (explanations included,
//! for the teacher) and [`gradescope`] Gradescope's autograder `results.json` (a top-level
//! `score`, and `tests` with `name`, `score`, `max_score`, `status`, `output`; see
//! gradescope-autograders.readthedocs.io, "Autograder Specifications").

use std::fmt::Write as _;

use serde::Serialize;

use crate::engine::csv::field;
use crate::engine::kernel::Calibration;
use crate::engine::lessons::Machine;

use super::assignment::{Assignment, QuestionKind, Step};
use super::check::{check_answer, Checked, Computed, MeasuredRuns, Verdict};
use super::submission::{AnswerValue, RunRecord, StepWork, Submission};
use super::variant::{seed_for, PlannedRun, Seed};
use super::verify::{verify_run, Problem};

/// One student's grade.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The student id, as handed in (trimmed).
    pub student: String,
    /// The seed the grader computed for this student (not the one handed in).
    pub seed: Seed,
    /// Points earned.
    pub score: f64,
    /// Points available.
    pub max_score: f64,
    /// Per step, in the assignment's order.
    pub steps: Vec<StepReport>,
    /// What was flagged about the submission as a whole (another assignment, another seed).
    pub flags: Vec<String>,
}

/// One step's grade.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepReport {
    /// The step's id.
    pub step: String,
    /// The step's title.
    pub title: String,
    /// Points earned in this step.
    pub score: f64,
    /// Points available in this step.
    pub max_score: f64,
    /// Per question, in the step's order.
    pub questions: Vec<QuestionReport>,
    /// Why this step scores 0 whatever its answers (a run flagged, its runs not plannable),
    /// empty when nothing was flagged.
    pub flags: Vec<String>,
}

/// One question's grade.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuestionReport {
    /// The question's id.
    pub question: String,
    /// Its kind.
    pub kind: QuestionKind,
    /// Its prompt.
    pub prompt: String,
    /// The answer handed in (explanations are collected here for the teacher).
    pub answer: Option<AnswerValue>,
    /// The check.
    pub checked: Checked,
}

/// Grades `submission` against `assignment`.
pub fn grade(assignment: &Assignment, submission: &Submission) -> Report {
    let digest = assignment.digest();
    let student = submission.student.trim().to_string();
    let seed = seed_for(&digest, &student);
    let mut flags = Vec::new();
    if submission.assignment_digest != digest {
        flags.push(format!(
            "other assignment: the submission answers assignment {}, not this one ({})",
            short(&submission.assignment_digest),
            short(&digest)
        ));
    } else if submission.seed != seed {
        flags.push(format!("wrong variant: the submission's seed {} is not {student}'s ({seed})", submission.seed));
    }
    let machine = machine_of(submission);
    let steps: Vec<StepReport> = assignment
        .steps
        .iter()
        .map(|step| grade_step(step, submission.step(&step.id), seed, &machine, flags.first()))
        .collect();
    let score = steps.iter().map(|s| s.score).sum();
    let max_score = steps.iter().map(|s| s.max_score).sum();
    Report { student, seed, score, max_score, steps, flags }
}

/// The first 12 hex digits of a digest, enough to tell two apart.
fn short(digest: &str) -> &str {
    digest.get(..12).unwrap_or(digest)
}

/// The machine the runs were made on, as the page reported it: its cores decide a sweep's
/// widths and a lesson's plan; a page without workers ran no parallel model.
fn machine_of(submission: &Submission) -> Machine {
    let cores = submission.environment.cores.clamp(1, 1024);
    let threads = if submission.environment.backend == "none" { 0 } else { Machine::threads_for(cores) };
    Machine::new(cores, threads)
}

fn grade_step(step: &Step, work: Option<&StepWork>, seed: Seed, machine: &Machine, flag: Option<&String>) -> StepReport {
    let mut flags: Vec<String> = flag.into_iter().cloned().collect();
    let planned = match step.runs_for(seed, machine) {
        Ok(planned) => planned,
        Err(e) => {
            flags.push(format!("the step's runs cannot be planned for this machine: {e}"));
            Vec::new()
        }
    };
    let mut measured = MeasuredRuns::new();
    let mut calibration: Vec<Calibration> = Vec::new();
    for record in work.map_or(&[][..], |w| &w.runs) {
        if let Some(problem) = verify_record(record, &planned, &mut measured) {
            flags.push(problem);
            continue; // an inconsistent trace's calibration is not computed with
        }
        for c in &record.trace.calibration {
            if !calibration.iter().any(|k| k.kernel == c.kernel) {
                calibration.push(*c);
            }
        }
    }
    let computed = Computed::for_step(step, &planned, &calibration);
    let questions = step
        .questions
        .iter()
        .map(|q| {
            let answer = work.and_then(|w| w.answer(&q.id));
            let mut checked = check_answer(q, answer, &measured, &computed);
            // A flagged step scores nothing: an edited trace makes every answer of the step suspect.
            if !flags.is_empty() && q.kind.is_prediction() {
                checked = Checked { points: 0.0, verdict: Verdict::Flagged(flags.join("; ")), feedback: String::new(), ..checked };
            }
            QuestionReport { question: q.id.clone(), kind: q.kind, prompt: q.prompt.clone(), answer: answer.map(|a| a.value.clone()), checked }
        })
        .collect::<Vec<_>>();
    StepReport {
        step: step.id.clone(),
        title: step.title.clone(),
        score: questions.iter().map(|q| q.checked.points).sum(),
        max_score: questions.iter().map(|q| q.checked.max_points).sum(),
        questions,
        flags,
    }
}

/// Verifies one handed-in run against the planned run of its id and records it; returns the
/// flag to raise, if any. A later run of the same id replaces an earlier one.
fn verify_record(record: &RunRecord, planned: &[PlannedRun], measured: &mut MeasuredRuns) -> Option<String> {
    let Some(plan) = planned.iter().find(|p| p.id == record.run) else {
        return Some(format!("run `{}` is not one of the step's runs for this student", record.run));
    };
    measured.insert(&record.run, &record.trace, record.started_at);
    let mut problems: Vec<String> = verify_run(&plan.experiment, &record.trace).iter().map(Problem::to_string).collect();
    if record.started_at.is_none() {
        problems.push("no start time (started_at)".into());
    }
    if problems.is_empty() {
        return None;
    }
    let why = problems.join("; ");
    measured.flag(&record.run, why.clone());
    Some(format!("run `{}`: {why}", record.run))
}

impl Report {
    /// Everything flagged, the submission's and its steps', and the predictions made after
    /// running, for a one-line summary (the table's and the CSV's `flags`).
    pub fn all_flags(&self) -> Vec<String> {
        let mut all = self.flags.clone();
        for s in &self.steps {
            all.extend(s.flags.iter().filter(|f| !self.flags.contains(f)).map(|f| format!("step `{}`: {f}", s.step)));
            let late = s.questions.iter().filter(|q| q.checked.verdict == Verdict::PredictedAfterRunning);
            all.extend(late.map(|q| format!("step `{}`: `{}` predicted after running", s.step, q.question)));
        }
        all
    }
}

/// The CSV header and rows for `reports` (RFC 4180): student, seed, score, max_score, one
/// column per question (`step/question`: points, or an explanation's text), flags.
pub fn csv(assignment: &Assignment, reports: &[Report]) -> String {
    let mut out = String::from("student,seed,score,max_score");
    for step in &assignment.steps {
        for q in &step.questions {
            let _ = write!(out, ",{}", field(&format!("{}/{}", step.id, q.id)));
        }
    }
    out.push_str(",flags\r\n");
    for r in reports {
        let _ = write!(out, "{},{},{},{}", field(&r.student), r.seed, number(r.score), number(r.max_score));
        for s in &r.steps {
            for q in &s.questions {
                let cell = match (&q.kind, &q.answer) {
                    (QuestionKind::Explanation, Some(AnswerValue::Text(t))) => field(t),
                    (QuestionKind::Explanation, _) => String::new(),
                    _ => number(q.checked.points),
                };
                let _ = write!(out, ",{cell}");
            }
        }
        let _ = write!(out, ",{}\r\n", field(&r.all_flags().join(" | ")));
    }
    out
}

/// A score as written in tables: no trailing `.0`, at most two decimals.
fn number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Gradescope's autograder `results.json` for one report: the total `score`, an `output`
/// naming the student, seed and flags, and one test per question (`name`, `number`, `score`,
/// `max_score`, `status`, `output`). Explanations appear as tests worth 0 that show the text.
pub fn gradescope(report: &Report) -> serde_json::Value {
    let mut tests = Vec::new();
    for (i, s) in report.steps.iter().enumerate() {
        for (j, q) in s.questions.iter().enumerate() {
            let c = &q.checked;
            let name = if q.prompt.trim().is_empty() { format!("{}: {}", s.title, q.question) } else { format!("{}: {}", s.title, q.prompt) };
            let mut output = c.verdict.describe();
            if let Some(e) = &c.expected {
                let _ = write!(output, ". Expected {e}");
            }
            if !c.feedback.is_empty() {
                let _ = write!(output, ". {}", c.feedback);
            }
            if let (QuestionKind::Explanation, Some(AnswerValue::Text(t))) = (q.kind, &q.answer) {
                let _ = write!(output, ":\n{t}");
            }
            let status = if c.points >= c.max_points { "passed" } else { "failed" };
            tests.push(serde_json::json!({
                "name": name,
                "number": format!("{}.{}", i + 1, j + 1),
                "score": c.points,
                "max_score": c.max_points,
                "status": status,
                "output": output,
            }));
        }
    }
    let flags = report.all_flags();
    let mut output = format!("Student {} (seed {}): {} of {} points.", report.student, report.seed, number(report.score), number(report.max_score));
    if !flags.is_empty() {
        let _ = write!(output, "\nFlagged:\n- {}", flags.join("\n- "));
    }
    serde_json::json!({ "score": report.score, "output": output, "tests": tests })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::homework::assignment::tests::RUSH;
    use crate::engine::homework::submission::{Answer, Environment, SubmissionTag};
    use crate::engine::homework::HOMEWORK_VERSION;

    fn empty_submission(a: &Assignment, student: &str) -> Submission {
        Submission {
            version: HOMEWORK_VERSION,
            kind: SubmissionTag::Submission,
            assignment_digest: a.digest(),
            assignment_title: a.title.clone(),
            student: student.into(),
            seed: seed_for(&a.digest(), student),
            environment: Environment { cores: 2, backend: "shared-memory".into(), ..Environment::default() },
            handed_in_at: None,
            steps: vec![StepWork {
                step: "rush".into(),
                answers: vec![Answer { question: "why".into(), value: AnswerValue::Text("because, \"waits\"".into()), answered_at: None }],
                runs: vec![],
            }],
        }
    }

    #[test]
    fn an_empty_submission_scores_nothing_but_keeps_its_explanation() {
        let a = Assignment::from_json(RUSH).unwrap();
        let r = grade(&a, &empty_submission(&a, "ada"));
        assert_eq!((r.score, r.max_score), (0.0, 5.0));
        assert!(r.flags.is_empty(), "{:?}", r.flags);
        let csv = csv(&a, &[r.clone()]);
        assert!(csv.starts_with("student,seed,score,max_score,rush/predict,"), "{csv}");
        assert!(csv.contains(r#""because, ""waits""""#), "{csv}");
        let gs = gradescope(&r);
        assert_eq!(gs["tests"].as_array().unwrap().len(), 5);
        assert_eq!(gs["tests"][0]["max_score"], 2.0);
    }

    #[test]
    fn another_students_seed_or_another_assignment_is_flagged() {
        let a = Assignment::from_json(RUSH).unwrap();
        let mut s = empty_submission(&a, "ada");
        s.seed = seed_for(&a.digest(), "bob");
        let r = grade(&a, &s);
        assert!(r.flags[0].starts_with("wrong variant"), "{:?}", r.flags);
        assert_eq!(r.seed, seed_for(&a.digest(), "ada"), "the grader's own seed is reported");
        let mut s = empty_submission(&a, "ada");
        s.assignment_digest = "0".repeat(64);
        assert!(grade(&a, &s).flags[0].starts_with("other assignment"));
    }
}
