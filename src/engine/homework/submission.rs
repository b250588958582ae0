//! The submission format (version 1): what a student hands in — the assignment's digest, the
//! student id and seed, the answers with their times, and every run's measured trace.
//!
//! A submission is evidence, not a verdict: it carries no score, and the grader rebuilds the
//! student's variant from the assignment rather than trusting the seed written here.
//! Documented in docs/format.md, "Submissions".

use serde::{Deserialize, Serialize};

use crate::engine::error::{Error, ErrorKind};
use crate::engine::trace::Trace;

use super::assignment::HOMEWORK_VERSION;
use super::variant::Seed;

/// Most steps, answers or runs a submission may carry per list: a bound for hostile files.
pub const MAX_SUBMITTED: usize = 1000;

/// A student's work on one assignment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Format version; must be [`HOMEWORK_VERSION`].
    pub version: u32,
    /// Always `"submission"`.
    pub kind: SubmissionTag,
    /// [`super::Assignment::digest`] of the assignment answered.
    pub assignment_digest: String,
    /// Its title, for people.
    #[serde(default)]
    pub assignment_title: String,
    /// The student id the page was opened with.
    pub student: String,
    /// The seed the page derived ([`super::seed_for`]); the grader recomputes it.
    pub seed: Seed,
    /// Where the runs were made.
    #[serde(default)]
    pub environment: Environment,
    /// When the student handed in (epoch ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handed_in_at: Option<f64>,
    /// The work, per step.
    #[serde(default)]
    pub steps: Vec<StepWork>,
}

/// The `kind` tag of a submission file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubmissionTag {
    /// `"submission"`.
    #[serde(rename = "submission")]
    Submission,
}

/// The browser and machine the runs were made on, as the page reported them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Environment {
    /// The browser's user agent.
    pub browser: String,
    /// `navigator.hardwareConcurrency`.
    pub cores: usize,
    /// `shared-memory`, `message-passing` or `none` (no worker threads).
    pub backend: String,
    /// The kitchen's version (`CARGO_PKG_VERSION`).
    pub app_version: String,
}

/// The answers and runs of one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepWork {
    /// The step's id.
    pub step: String,
    /// One per answered question.
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// One per run made (the last of each id counts).
    #[serde(default)]
    pub runs: Vec<RunRecord>,
}

/// One answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The question's id.
    pub question: String,
    /// A number (numeric), a run id (choice), run ids (ordering) or text (explanation).
    pub value: AnswerValue,
    /// When the answer was last changed (epoch ms); a prediction answered after the step's
    /// first run started scores 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<f64>,
}

/// An answer's value: untagged in JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerValue {
    /// A numeric answer.
    Number(f64),
    /// A choice's run id, or an explanation.
    Text(String),
    /// An ordering: run ids, fastest first.
    List(Vec<String>),
}

/// One measured run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    /// The planned run's id ([`super::PlannedRun::id`]).
    pub run: String,
    /// When it started (epoch ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    /// Its trace, in the trace format (docs/format.md, "Traces").
    pub trace: Trace,
}

impl Submission {
    /// Parses JSON text and checks what the types cannot say (version, finite times, every
    /// trace's own checks), naming the JSON path of the first problem. Text after the
    /// submission is refused.
    pub fn from_json(text: &str) -> Result<Submission, Error> {
        let submission: Submission = Error::read_json(text, |path, problem| ErrorKind::InvalidSubmission { path, problem })?;
        submission.validate()?;
        Ok(submission)
    }

    /// What the format promises beyond its types (see [`Submission::from_json`]).
    pub fn validate(&self) -> Result<(), Error> {
        let at = |path: String, problem: String| -> Error { ErrorKind::InvalidSubmission { path: Some(path), problem }.into() };
        if self.version != HOMEWORK_VERSION {
            return Err(at("version".into(), format!("unknown version {}; this kitchen reads version {HOMEWORK_VERSION}", self.version)));
        }
        if self.student.trim().is_empty() {
            return Err(at("student".into(), "the student id is empty".into()));
        }
        let time_ok = |t: Option<f64>| t.is_none_or(|t| t.is_finite() && t >= 0.0);
        if !time_ok(self.handed_in_at) {
            return Err(at("handed_in_at".into(), "a time is epoch ms ≥ 0".into()));
        }
        if self.steps.len() > MAX_SUBMITTED {
            return Err(at("steps".into(), format!("at most {MAX_SUBMITTED} steps")));
        }
        for (i, step) in self.steps.iter().enumerate() {
            let path = format!("steps[{i}]");
            if self.steps[..i].iter().any(|s| s.step == step.step) {
                return Err(at(format!("{path}.step"), format!("step `{}` is handed in twice", step.step)));
            }
            if step.answers.len() > MAX_SUBMITTED || step.runs.len() > MAX_SUBMITTED {
                return Err(at(path, format!("at most {MAX_SUBMITTED} answers and {MAX_SUBMITTED} runs per step")));
            }
            for (j, a) in step.answers.iter().enumerate() {
                if !time_ok(a.answered_at) {
                    return Err(at(format!("{path}.answers[{j}].answered_at"), "a time is epoch ms ≥ 0".into()));
                }
                if let AnswerValue::Number(n) = a.value {
                    if !n.is_finite() {
                        return Err(at(format!("{path}.answers[{j}].value"), "a number must be finite".into()));
                    }
                }
            }
            for (j, r) in step.runs.iter().enumerate() {
                if !time_ok(r.started_at) {
                    return Err(at(format!("{path}.runs[{j}].started_at"), "a time is epoch ms ≥ 0".into()));
                }
                if let Err(e) = r.trace.check() {
                    let problem = match e.kind {
                        ErrorKind::InvalidTrace { problem, .. } => problem,
                        other => other.to_string(),
                    };
                    return Err(at(format!("{path}.runs[{j}].trace"), problem));
                }
            }
        }
        Ok(())
    }

    /// The work handed in for step `id`.
    pub fn step(&self, id: &str) -> Option<&StepWork> {
        self.steps.iter().find(|s| s.step == id)
    }
}

impl StepWork {
    /// The answer to question `id` (the last, if given twice).
    pub fn answer(&self, id: &str) -> Option<&Answer> {
        self.answers.iter().rev().find(|a| a.question == id)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::experiment::Model;
    use crate::engine::trace::{Span, SpanKind, TaskTiming};

    /// One dish simmering 10 ms on the main thread.
    pub(crate) fn trace() -> Trace {
        Trace::measured(Model::Sequential, 1)
            .with_tasks(vec![TaskTiming::new("a", 0, 0.0, 0.0, 10.0)])
            .with_spans(vec![Span::new("a", 0, SpanKind::Simmer, 0.0, 10.0)])
    }

    fn submission() -> String {
        let trace = serde_json::to_string(&trace()).unwrap();
        format!(
            r#"{{"version":1,"kind":"submission","assignment_digest":"ab","student":"ada","seed":"0123456789abcdef",
            "environment":{{"browser":"x","cores":2,"backend":"none","app_version":"0.1.0"}},"handed_in_at":5,
            "steps":[{{"step":"rush","answers":[{{"question":"p","value":12.5,"answered_at":1}},
              {{"question":"c","value":"juggling"}},{{"question":"o","value":["a","b"]}}],
              "runs":[{{"run":"juggling","started_at":2,"trace":{trace}}}]}}]}}"#
        )
    }

    fn error_at(text: &str) -> (Option<String>, String) {
        match Submission::from_json(text).unwrap_err().kind {
            ErrorKind::InvalidSubmission { path, problem } => (path, problem),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_documented_shape_parses_and_round_trips() {
        let s = Submission::from_json(&submission()).unwrap();
        assert_eq!(s.seed, Seed(0x0123_4567_89ab_cdef));
        let answers = &s.steps[0].answers;
        assert_eq!(answers[0].value, AnswerValue::Number(12.5));
        assert_eq!(answers[1].value, AnswerValue::Text("juggling".into()));
        assert_eq!(answers[2].value, AnswerValue::List(vec!["a".into(), "b".into()]));
        assert_eq!(Submission::from_json(&serde_json::to_string(&s).unwrap()).unwrap(), s);
    }

    #[test]
    fn mistakes_are_named_with_their_json_path() {
        let text = submission();
        let cases = [
            (text.replace(r#""seed":"0123456789abcdef""#, r#""seed":"12""#), "seed", "16 hex digits"),
            (text.replace(r#""value":12.5"#, r#""value":{"x":1}"#), "steps[0].answers[0].value", "did not match"),
            (text.replace(r#""kind":"simmer""#, r#""kind":"bake""#), "steps[0].runs[0].trace.spans[0].kind", "bake"),
            (text.replace(r#""kind":"submission""#, r#""kind":"assignment""#), "kind", "unknown variant"),
            (text.replace(r#""started_at":2"#, r#""started_at":-2"#), "steps[0].runs[0].started_at", "epoch ms"),
            (text.replace(r#""wall_ms":10.0"#, r#""wall_ms":-1.0"#), "steps[0].runs[0].trace", "wall_ms"),
            (text.replace(r#""student":"ada""#, r#""student":" ""#), "student", "empty"),
            (text.replace(r#""cores":2"#, r#""cores":2,"gpu":1"#), "environment.gpu", "unknown field"),
        ];
        for (text, path, words) in cases {
            let (p, problem) = error_at(&text);
            assert_eq!(p.as_deref(), Some(path), "{problem}");
            assert!(problem.contains(words), "{path}: {problem}");
        }
    }

    #[test]
    fn text_after_the_submission_is_refused() {
        let (path, _) = error_at(&format!("{}]", submission()));
        assert_eq!(path, None);
    }
}
